// panel_explore.cpp — every schedule the chosen version allows for the program on screen
// (engine/explore_job.h): the outcomes as bars, how many schedules reach each, and a witness.
#include <algorithm>
#include <cmath>

#include "ui/panels.h"

namespace gil::ui {

namespace {

std::string count_text(double n) {
    if (n < 1e15) return fmt_num(n, "");
    const int e = (int)std::floor(std::log10(n));
    char b[48];
    std::snprintf(b, sizeof b, "about %.1f x 10^%d", n / std::pow(10.0, e), e);
    return b;
}

}  // namespace

void ExplorePanel::draw() {
    LabState& m = *lab;
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    gui::TextWrapped("Every schedule %s allows: threads switch only where it checks the eval breaker and where a "
                     "thread lets the GIL go%s. Keep the program small (2 threads, 2 or 3 iterations) to see them all.",
                     m.params.index_of("version") >= 0 ? m.params.format(m.params.index_of("version")).c_str() : "the interpreter",
                     experiment_has_gil(*m.spec, m.params) ? "" : " (no GIL here: every access to shared data interleaves)");
    ImGui::PopStyleColor();
    if (m.spec->engine != Engine::Sim || !m.spec->program) {
        gui::TextWrapped("Real-thread experiments run on the machine's threads: there is no program to explore.");
        return;
    }
    if (m.exploring()) {
        ImGui::ProgressBar((float)m.explore_job->progress(), ImVec2(std::min(260.0f, ImGui::GetContentRegionAvail().x), 0), "exploring");
        ImGui::SameLine();
        if (gui::SmallButton("Cancel")) m.explore_job->cancel();
        return;
    }
    if (gui::Button("Explore every schedule")) {
        if (std::string err = m.start_explore(); !err.empty()) m.flash(err);
        return;
    }
    if (!m.explored) return;
    const ExploreReport& rep = *m.explored;
    if (m.explored_key != m.params_key()) {
        ImGui::SameLine();
        gui::TextColored(ImVec4(0.95f, 0.7f, 0.3f, 1), "(for the parameters before your change)");
    }
    if (!rep.error.empty()) {
        ImGui::PushTextWrapPos(0);
        gui::TextColored(ImVec4(1, 0.45f, 0.35f, 1), "Cannot explore this program: %s", rep.error.c_str());
        ImGui::PopTextWrapPos();
        return;
    }
    const sim::ExploreResult& r = rep.result;
    if (r.complete)
        gui::TextWrapped("%zu outcome%s over %s schedules (complete: %s states visited, equal states merged).",
                         r.outcomes.size(), r.outcomes.size() == 1 ? "" : "s", count_text(r.schedules).c_str(),
                         fmt_num((double)r.states, "").c_str());
    else
        gui::TextWrapped("%zu outcome%s found; the search was bounded (%s), then %s random schedules were tried, so "
                         "others may exist%s%s.",
                         r.outcomes.size(), r.outcomes.size() == 1 ? "" : "s", r.bound.c_str(),
                         fmt_num((double)r.sampled, "").c_str(), rep.hint.empty() ? "" : ": ", rep.hint.c_str());
    // The outcomes as bars: each one's share of all schedules (complete), else one bar each.
    const float label_w = std::min(200.0f, ImGui::GetContentRegionAvail().x * 0.4f);
    const ImU32 bar = m.dark ? IM_COL32(86, 180, 233, 200) : IM_COL32(0, 114, 178, 200);
    const ImU32 dead = IM_COL32(213, 94, 0, 220);
    for (size_t i = 0; i < r.outcomes.size(); ++i) {
        const sim::ExploreOutcome& o = r.outcomes[i];
        const std::string label = rep.outcome_label(o);
        ImGui::PushID((int)i);
        gui::TextUnformatted(label.c_str());
        if (ImGui::CalcTextSize(label.c_str()).x < label_w - 8) ImGui::SameLine(label_w);  // else the bar goes under it
        const float room = std::max(40.0f, ImGui::GetContentRegionAvail().x - 140.0f);
        const double share = r.complete && r.schedules > 0 ? o.schedules / r.schedules : 1.0;
        const float w = std::max(3.0f, (float)(share * room));
        const ImVec2 b0 = ImGui::GetCursorScreenPos();
        ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(b0.x, b0.y + 2), ImVec2(b0.x + w, b0.y + ImGui::GetTextLineHeight() - 2),
                                                  o.deadlock ? dead : bar);
        ImGui::Dummy(ImVec2(w, ImGui::GetTextLineHeight()));
        ImGui::SameLine();
        const std::string n = r.complete ? count_text(o.schedules) + (share < 0.001 && share > 0 ? " (<0.1%)" : "") : "found";
        gui::TextUnformatted(n.c_str());
        if (o.deadlock) gui::TextWrapped("  %s", o.stuck.c_str());
        if (gui::TreeNodeEx("how: one schedule that ends here")) {
            int turns = 0;
            for (size_t k = 0; k < o.witness.size(); ++k) {
                const sim::ScheduleStep& s = o.witness[k];
                if (k > 0 && s.thread == o.witness[k - 1].thread) continue;
                if (++turns > 60) {
                    gui::TextDisabled("... and more turns");
                    break;
                }
                const DisLine* d = rep.view ? rep.view->at(s.pc) : nullptr;
                const std::string who = (size_t)s.thread < r.threads.size() ? r.threads[(size_t)s.thread] : "?";
                gui::Text("%d. %s at %s line %d%s%s%s", turns, who.c_str(), s.function.c_str(), s.line, d ? " (" : "",
                          d ? (d->opname + (d->argrepr.empty() ? "" : " " + d->argrepr)).c_str() : "", d ? ")" : "");
            }
            ImGui::TreePop();
        }
        ImGui::PopID();
    }
}

}  // namespace gil::ui
