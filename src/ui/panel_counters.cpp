// panel_counters.cpp — live gauges while a run goes, the record's counters at the cursor, then notes and metrics.
#include <cmath>
#include <cstdio>

#include "ui/panels.h"

namespace gil::ui {

std::string fmt_num(double v, const std::string& unit) {
    if (unit == "ns") return fmt_duration(v);
    if (v == std::floor(v) && std::fabs(v) < 1e15) {
        // Thousands separators: a count of 4000000 lost updates must be readable at a glance.
        std::string s = std::to_string((long long)v), o;
        int n = 0;
        for (int i = (int)s.size() - 1; i >= 0; --i) {
            o.insert(o.begin(), s[(size_t)i]);
            if (isdigit((unsigned char)s[(size_t)i]) && ++n % 3 == 0 && i > 0 && isdigit((unsigned char)s[(size_t)i - 1]))
                o.insert(o.begin(), ',');
        }
        return o + (unit.empty() ? "" : " " + unit);
    }
    char b[64];
    std::snprintf(b, sizeof b, "%.4g%s%s", v, unit.empty() ? "" : " ", unit.c_str());
    return b;
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
            ImGui::Text("%-18s %s", c.gauges.name[i], fmt_num((double)c.gauges.value[i].load(std::memory_order_relaxed), "").c_str());
    ImGui::Text("running for %.1f s", job.elapsed_seconds());
}

// The record's counters, counted up to the cursor as the run plays back.
void live_counters(const LabState& m, bool replay) {
    const TraceIndex& ix = *m.index;
    const int64_t t = (int64_t)m.cursor;
    if (replay) ImGui::Text("at %s", fmt_duration(m.cursor).c_str());
    for (const CounterDecl& c : m.spec->view.counters) {
        // A lost-update event may stand for several lost increments: count the increments.
        double n = c.event == EventKind::LostUpdate ? (double)ix.lost_until(t) : (double)ix.count_until(c.event, t);
        ImGui::Text("%-16s %s", c.label.c_str(), fmt_num(n, "").c_str());
    }
    ImGui::Separator();
}

void metrics_table(const RunResult& r, const ViewDecl& v) {
    if (!ImGui::BeginTable("metrics", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) return;
    ImGui::TableSetupColumn("metric", ImGuiTableColumnFlags_WidthStretch, 0.62f);
    ImGui::TableSetupColumn("value", ImGuiTableColumnFlags_WidthStretch, 0.38f);
    for (const auto& m : r.metrics.items) {
        if (hidden(v, m.key)) continue;
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(m.label.c_str());
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", m.key.c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(m.text.empty() ? fmt_num(m.value, m.unit).c_str() : m.text.c_str());
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
        ImGui::TextDisabled("Press Run (Space).");
        return;
    }
    const RunResult& r = *m.result;
    if (!r.error.empty()) {
        ImGui::PushTextWrapPos(0);
        ImGui::TextColored(ImVec4(1, 0.45f, 0.35f, 1), "%s", r.error.c_str());
        ImGui::PopTextWrapPos();
        return;
    }
    const bool replay = m.spec->engine == Engine::Sim && r.trace;
    if (m.index && !m.spec->view.counters.empty()) live_counters(m, replay);
    // Results wait for the end of the playback, so the student predicts from the timeline.
    if (replay && m.cursor < (double)m.end_time()) {
        ImGui::TextDisabled("Results appear at the end of the run.");
        return;
    }
    predict->draw();
    ImGui::PushTextWrapPos(0);
    for (const auto& n : r.notes) ImGui::TextWrapped("%s", n.c_str());
    ImGui::PopTextWrapPos();
    if (r.trace && r.trace->truncated())
        ImGui::TextColored(ImVec4(1, 0.7f, 0.2f, 1), "Trace truncated: %llu intervals folded to stay within memory.",
                           (unsigned long long)r.trace->dropped_intervals);
    metrics_table(r, m.spec->view);
}

void ResultsPanel::draw() {
    // Before a run the question comes first; after it, the counters ask it again with the answer.
    if (!predict.lab->result && !predict.lab->running()) predict.draw();
    counters.draw();
}

}  // namespace gil::ui
