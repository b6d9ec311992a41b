// panel_counters.cpp — live gauges while a run goes, the record's counters at the cursor, then notes and metrics.
#include <cmath>
#include <cstdio>
#include <vector>
#include <algorithm>

#include "ui/panels.h"

namespace gil::ui {

namespace {

// "4,000,000": thousands separators, so a count is readable at a glance.
std::string grouped(long long n) {
    std::string s = std::to_string(n < 0 ? -n : n), o;
    for (size_t i = 0; i < s.size(); ++i) {
        if (i > 0 && (s.size() - i) % 3 == 0) o += ',';
        o += s[i];
    }
    return (n < 0 ? "-" : "") + o;
}

}  // namespace

std::string fmt_num(double v, const std::string& unit) {
    if (unit == "ns") return fmt_duration(v);
    const std::string u = unit.empty() ? "" : " " + unit;
    if (!std::isfinite(v)) return fmt_sig(v, 4) + u;
    // Never scientific: from 1000 up a whole number with separators ("317,100 /s"), below it
    // four significant digits ("3.142", "0.0001234"), so that two values side by side differ visibly.
    if (std::fabs(v) >= 1000 && std::fabs(v) < 1e18) return grouped(std::llround(v)) + u;
    if (v == std::floor(v)) return grouped((long long)v) + u;
    std::string s = fmt_sig(v, 4);
    return s + u;
}

namespace {

bool hidden(const ViewDecl& v, const std::string& key) {
    for (const auto& p : v.hidden_metric_prefixes)
        if (key.rfind(p, 0) == 0) return true;
    return false;
}

void gauges(const Job& job) {
    const RunControl& c = job.control();
    int n = c.gauges.count.load(std::memory_order_acquire);
    for (int i = 0; i < n; ++i)
        if (c.gauges.name[i])
            gui::Text("%-18s %s", c.gauges.name[i], fmt_num((double)c.gauges.value[i].load(std::memory_order_relaxed), "").c_str());
    gui::Text("running for %.1f s", job.elapsed_seconds());
}

// The record's counters, counted up to the cursor as the run plays back.
void live_counters(const LabState& m, bool replay) {
    const TraceIndex& ix = *m.index;
    const int64_t t = (int64_t)m.cursor;
    if (replay) gui::Text("at %s", fmt_duration(m.cursor).c_str());
    for (const CounterDecl& c : m.spec->view.counters) {
        const double n = (double)ix.count_until(c.event, t);
        gui::Text("%-16s %s", c.label.c_str(), fmt_num(n, "").c_str());
        if (ImGui::IsItemHovered()) {
            if (c.event == EventKind::LostUpdate)
                ImGui::SetTooltip("Stores computed from a stale load: each lost at least one update.\n"
                                  "Lost updates = expected - final value, in the results at the end.");
            else if (c.event == EventKind::GilTake)
                ImGui::SetTooltip("Times the GIL went from one thread to another (the first take is none).");
        }
    }
    ImGui::Separator();
}

void metrics_table(const RunResult& r, const ViewDecl& v) {
    // The value column is as wide as its widest value (up to half the table); the labels take
    // the rest and wrap, so rows that differ only at their end ("..., interval 0.5 ms") stay apart.
    std::vector<std::string> values;
    float value_w = 0;
    for (const auto& m : r.metrics.items) {
        values.push_back(m.text.empty() ? fmt_num(m.value, m.unit) : m.text);
        if (!hidden(v, m.key)) value_w = std::max(value_w, ImGui::CalcTextSize(values.back().c_str()).x);
    }
    const float avail = ImGui::GetContentRegionAvail().x;
    value_w = std::min(value_w, avail * 0.5f);
    if (!ImGui::BeginTable("metrics", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit)) return;
    ImGui::TableSetupColumn("metric", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn("value", ImGuiTableColumnFlags_WidthFixed, value_w);
    for (size_t i = 0; i < r.metrics.items.size(); ++i) {
        const Metric& m = r.metrics.items[i];
        if (hidden(v, m.key)) continue;
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        gui::TextWrapped("%s", m.label.c_str());
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", m.key.c_str());
        ImGui::TableNextColumn();
        gui::TextWrapped("%s", values[i].c_str());
    }
    ImGui::EndTable();
}

}  // namespace

void CountersPanel::draw() {
    const LabState& m = *lab;
    if (m.running()) {
        gauges(*m.job);
        return;
    }
    if (!m.result) {
        gui::TextDisabled("Press Run (Space).");
        return;
    }
    const RunResult& r = *m.result;
    // The parameters or the program changed since this run: say so rather than show it as theirs.
    if (!m.result_current()) {
        ImGui::PushTextWrapPos(0);
        gui::TextColored(ImVec4(0.95f, 0.7f, 0.3f, 1), "%s", m.spec->takes_code
            ? "This is the run of the program before your edits: Run to see this one."
            : "This is the run of the parameters before your change: Run to see these.");
        ImGui::PopTextWrapPos();
    }
    if (!r.error.empty()) {
        ImGui::PushTextWrapPos(0);
        gui::TextColored(ImVec4(1, 0.45f, 0.35f, 1), "%s", r.error.c_str());
        ImGui::PopTextWrapPos();
        return;
    }
    const bool replay = m.spec->engine == Engine::Sim && r.trace;
    if (m.index && !m.spec->view.counters.empty()) live_counters(m, replay);
    // Results wait for the end of the playback, so the student predicts from the timeline.
    if (replay && m.cursor < (double)m.end_time()) {
        gui::TextDisabled("Results appear at the end of the run.");
        return;
    }
    predict->draw();
    ImGui::PushTextWrapPos(0);
    for (const auto& n : r.notes) gui::TextWrapped("%s", n.c_str());
    ImGui::PopTextWrapPos();
    if (r.trace && r.trace->truncated())
        gui::TextColored(ImVec4(1, 0.7f, 0.2f, 1), "Trace truncated: %llu intervals folded to stay within memory.",
                           (unsigned long long)r.trace->dropped_intervals);
    metrics_table(r, m.spec->view);
}

void ResultsPanel::draw() {
    // An open question comes first and alone: no result of an earlier run may answer it.
    // After the run the counters show it again with the verdict.
    if (predict.lab->question_open()) {
        predict.draw();
        return;
    }
    if (!predict.lab->result && !predict.lab->running()) predict.draw();
    counters.draw();
}

}  // namespace gil::ui
