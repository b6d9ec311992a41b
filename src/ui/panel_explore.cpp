// panel_explore.cpp — every schedule the chosen version allows for the program on screen
// (engine/explore_job.h): the outcomes as bars, how many schedules reach each, and a witness;
// and "be the scheduler" (sim::Stepper): the student picks who runs next, with a puzzle's goal.
#include <algorithm>
#include <cmath>
#include <map>

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

// One of the two modes, drawn as a button that shows which is on.
bool mode_button(const char* label, bool on, bool dark) {
    if (on) ImGui::PushStyleColor(ImGuiCol_Button, dark ? ImVec4(0.26f, 0.45f, 0.70f, 1) : ImVec4(0.55f, 0.70f, 0.92f, 1));
    const bool pressed = gui::Button(label);
    if (on) ImGui::PopStyleColor();
    return pressed && !on;
}

std::string globals_text(const std::vector<std::pair<std::string, int64_t>>& g) {
    std::string s;
    for (const auto& [n, v] : g) s += (s.empty() ? "" : ", ") + n + " = " + std::to_string(v);
    return s;
}

// The ints the program's threads write (else every module int), as text.
std::string shared_text(const std::vector<std::string>& shared, const std::vector<std::pair<std::string, int64_t>>& g) {
    std::vector<std::pair<std::string, int64_t>> keep;
    for (const auto& kv : g)
        if (shared.empty() || std::find(shared.begin(), shared.end(), kv.first) != shared.end()) keep.push_back(kv);
    return globals_text(keep);
}

void puzzle_combo(LabState& m) {
    // The puzzles of every record, and free play on the program on screen.
    const char* preview = m.sched.puzzle ? m.sched.puzzle->title.c_str() : "Free play (no goal)";
    ImGui::SetNextItemWidth(std::min(340.0f, ImGui::GetContentRegionAvail().x));
    if (gui::BeginCombo("##puzzle", preview)) {
        if (gui::Selectable("Free play (no goal)", !m.sched.puzzle)) {
            if (std::string err = m.start_scheduler(nullptr); !err.empty()) m.flash(err);
        }
        for (const auto& e : experiments())
            for (const auto& pz : e.puzzles)
                if (gui::Selectable(pz.title.c_str(), m.sched.puzzle == &pz)) {
                    if (std::string err = m.open_puzzle(pz.id); !err.empty()) m.flash(err);
                }
        ImGui::EndCombo();
    }
}

// The task, the goal, Undo / Restart / Show me, and how it ended.
void scheduler_controls(LabState& m) {
    sim::Stepper& st = *m.sched.stepper;
    const std::string version = m.params.index_of("version") >= 0 ? m.params.format(m.params.index_of("version")) : "this version";
    if (m.sched.puzzle) {
        gui::TextWrapped("%s", m.sched.puzzle->text.c_str());
        gui::TextColored(ImVec4(0.95f, 0.75f, 0.3f, 1), "Goal: %s.", m.sched.puzzle->goal_text.c_str());
    } else {
        gui::TextWrapped("You are the scheduler: at each point where %s can switch threads, pick who runs next.", version.c_str());
    }
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    gui::TextWrapped("Only threads that can run are offered. Run: to the thread's next switch point; Line: on to its next "
                     "line. %s", experiment_has_gil(*m.spec, m.params)
                                    ? "With the GIL a thread is switched out only where the eval breaker is checked or where it lets the GIL go."
                                    : "Without the GIL every access to shared data is a step of its own.");
    ImGui::PopStyleColor();
    if (gui::Button("Undo")) m.scheduler_undo();
    ImGui::SameLine();
    if (gui::Button("Restart")) m.scheduler_restart();
    if (m.sched.puzzle) {
        ImGui::SameLine();
        if (gui::Button("Show me")) {
            if (std::string err = m.scheduler_show_me(); !err.empty()) m.flash(err);
        }
    }
    const LabState::Goal goal = m.goal_state();
    const sim::ExploreOutcome o = st.finished() ? st.outcome() : sim::ExploreOutcome{};
    const std::string end = o.deadlock ? "a deadlock (" + o.stuck + ")" : shared_text(m.sched.shared, o.globals);
    ImGui::PushTextWrapPos(0);
    if (goal == LabState::Goal::Reached)
        gui::TextColored(ImVec4(0.35f, 0.85f, 0.45f, 1), "Goal reached in %zu steps: %s. One schedule is enough to show the code is not thread-safe.",
                         st.history().size(), end.c_str());
    else if (goal == LabState::Goal::Missed)
        gui::TextColored(ImVec4(0.95f, 0.6f, 0.3f, 1), "The program ended with %s: not the goal. Undo and try another order%s.",
                         end.c_str(), m.sched.puzzle && m.sched.puzzle->reachable ? ", or Show me" : " (or Show me: is there one?)");
    else if (goal == LabState::Goal::Finished)
        gui::TextWrapped("The program ended with %s.", end.c_str());
    if (!m.sched.said.empty()) gui::TextColored(ImVec4(0.75f, 0.75f, 0.85f, 1), "%s", m.sched.said.c_str());
    ImGui::PopTextWrapPos();
}

// A row per thread: its Run and Line buttons, where it resumes, or why it cannot run; the
// module's ints now; and the turns so far as a strip (a column per step, a row per thread).
void scheduler_threads(LabState& m) {
    sim::Stepper& st = *m.sched.stepper;
    const auto threads = st.threads();
    gui::Text("Step %zu. %s", st.history().size(), st.finished() ? "Nobody can run any more." : "Who runs next?");
    m.sched.buttons.clear();
    const bool replaying = !m.sched.show_me.empty() || m.sched.show_me_pending;
    const float name_x = ImGui::CalcTextSize("Run").x + ImGui::CalcTextSize("Line").x + ImGui::GetStyle().FramePadding.x * 4 +
                         ImGui::GetStyle().ItemSpacing.x * 2 + 4;
    for (size_t i = 0; i < threads.size(); ++i) {
        const sim::StepperThread& t = threads[i];
        ImGui::PushID((int)i);
        const float x0 = ImGui::GetCursorPosX();
        if (t.can_run && !replaying) {
            if (gui::SmallButton("Run")) m.scheduler_step((int)i, false);
            const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
            m.sched.buttons.push_back({(int)i, {a.x, a.y, b.x - a.x, b.y - a.y}, false});
            ImGui::SameLine();
            if (gui::SmallButton("Line")) m.scheduler_step((int)i, true);
            const ImVec2 la = ImGui::GetItemRectMin(), lb = ImGui::GetItemRectMax();
            m.sched.buttons.push_back({(int)i, {la.x, la.y, lb.x - la.x, lb.y - la.y}, true});
            ImGui::SameLine();
        }
        ImGui::SetCursorPosX(x0 + name_x);
        const DisLine* d = m.sched.view && t.at.line > 0 ? m.sched.view->at(t.at.pc) : nullptr;
        std::string where;
        if (t.state != "done" && t.state != "not started" && t.at.line > 0)
            where = " at line " + std::to_string(d ? d->line : t.at.line) + (d ? ": " + d->opname + (d->argrepr.empty() ? "" : " " + d->argrepr) : "");
        ImGui::PushTextWrapPos(0);
        if (t.can_run) gui::TextWrapped("%zu %s%s", i + 1, t.name.c_str(), where.c_str());
        else gui::TextDisabled("%zu %s%s: %s", i + 1, t.name.c_str(), where.c_str(), t.state.c_str());
        ImGui::PopTextWrapPos();
        ImGui::PopID();
    }
    const std::string g = shared_text(m.sched.shared, st.globals());
    if (!g.empty()) gui::TextWrapped("Now: %s", g.c_str());
    // The turns so far: a cell per step in the row of the thread that ran it (the latest at the right).
    const auto& h = st.history();
    if (h.empty() || threads.empty()) return;
    const float cell = 9, row = 11, label_w = 18, w = ImGui::GetContentRegionAvail().x - label_w;
    const size_t fit = (size_t)std::max(1.0f, std::floor(w / cell));
    const size_t first = h.size() > fit ? h.size() - fit : 0;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 l0 = ImGui::GetCursorScreenPos();
    const ImU32 label_col = ImGui::GetColorU32(ImGuiCol_TextDisabled);
    ImGui::SetWindowFontScale(0.8f);  // the rows' thread numbers, as the thread list numbers them
    for (size_t i = 0; i < threads.size(); ++i) {
        const std::string n = std::to_string(i + 1);
        dl->AddText(ImVec2(l0.x, l0.y + (float)i * row - 1), label_col, n.c_str());
    }
    ImGui::SetWindowFontScale(1.0f);
    const ImVec2 p0(l0.x + label_w, l0.y);
    const ImU32 col[] = {IM_COL32(0, 114, 178, 230), IM_COL32(230, 159, 0, 230), IM_COL32(0, 158, 115, 230),
                         IM_COL32(204, 121, 167, 230), IM_COL32(86, 180, 233, 230), IM_COL32(213, 94, 0, 230)};
    for (size_t k = first; k < h.size(); ++k) {
        const float x = p0.x + (float)(k - first) * cell, y = p0.y + (float)h[k].thread * row;
        dl->AddRectFilled(ImVec2(x, y), ImVec2(x + cell - 2, y + row - 2), col[(size_t)h[k].thread % 6]);
    }
    ImGui::Dummy(ImVec2(w + label_w, (float)threads.size() * row));
    if (ImGui::IsItemHovered()) {
        const float mx = ImGui::GetIO().MousePos.x - p0.x;
        const size_t k = first + (size_t)std::max(0.0f, mx / cell);
        if (k < h.size())
            ImGui::SetTooltip("step %zu: %s from %s line %d", k + 1,
                            (size_t)h[k].thread < threads.size() ? threads[(size_t)h[k].thread].name.c_str() : "?",
                            h[k].function.c_str(), h[k].line);
    }
}

}  // namespace

void ExplorePanel::draw() {
    LabState& m = *lab;
    if (m.spec->engine == Engine::Sim && m.spec->program) {
        if (mode_button("Every schedule", !m.explore_scheduler, m.dark)) {
            m.explore_scheduler = false;
            m.explore_outcomes = m.explored || m.exploring();
        }
        ImGui::SameLine();
        if (mode_button("Be the scheduler", m.explore_scheduler, m.dark)) {
            if (m.scheduler_on()) m.explore_scheduler = true;
            else if (std::string err = m.start_scheduler(nullptr); !err.empty()) m.flash(err);  // on success it is shown
        }
        if (m.explore_scheduler) {
            puzzle_combo(m);
            gui::TextWrapped("The scheduler is drawn above, in place of the timeline. Run (a timed run) or Every schedule "
                             "brings the timeline back.");
            return;
        }
    }
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
    const sim::ExploreResult& r = m.explored->result;
    if (m.explored->error.empty())
        gui::TextWrapped("%zu outcome%s%s.", r.outcomes.size(), r.outcomes.size() == 1 ? "" : "s",
                         m.explore_outcomes ? ": drawn above, in place of the timeline" : "");
    if (!m.explore_outcomes && gui::SmallButton("Show the outcomes")) m.explore_outcomes = true;
}

// The last exploration, drawn in place of the timeline: the outcomes as bars (or a histogram
// of one int), how many schedules reach each, a witness each, and Play it in the scheduler.
void OutcomesPanel::draw(ImVec2 size) {
    LabState& m = *lab;
    ImGui::BeginChild("##outcomes", size, true);
    draw_body(m);
    ImGui::EndChild();
}

void OutcomesPanel::draw_body(LabState& m) {
    if (m.exploring()) {
        ImGui::ProgressBar((float)m.explore_job->progress(), ImVec2(std::min(260.0f, ImGui::GetContentRegionAvail().x), 0), "exploring");
        ImGui::SameLine();
        if (gui::SmallButton("Cancel")) m.explore_job->cancel();
        return;
    }
    if (!m.explored) return;
    const ExploreReport& rep = *m.explored;
    if (m.explored_key != m.program_key()) {
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
    // A question about the outcomes: can it end like this, and is it always so?
    {
        char q[64];
        std::snprintf(q, sizeof q, "%s", m.explore_query.c_str());
        ImGui::SetNextItemWidth(std::min(200.0f, ImGui::GetContentRegionAvail().x * 0.5f));
        if (ImGui::InputTextWithHint("##query", "ask: final<4, counter==2", q, sizeof q)) m.explore_query = q;
        if (!m.explore_query.empty()) {
            ImGui::SameLine();
            sim::ExploreQuery eq;
            if (std::string err = sim::parse_query(m.explore_query, eq); !err.empty()) {
                gui::TextDisabled("%s", err.c_str());
            } else {
                int can = -1, counter = -1;
                for (size_t i = 0; i < r.outcomes.size(); ++i) {
                    const bool holds = sim::query_holds(r.outcomes[i], eq, rep.final_var);
                    if (holds && can < 0) can = (int)i;
                    if (!holds && counter < 0) counter = (int)i;
                }
                const std::string& qt = m.explore_query;
                if (can >= 0)
                    gui::Text("Can %s? Yes. Always? %s", qt.c_str(),
                              counter < 0 ? (r.complete ? "Yes, on every schedule." : "On every schedule tried.")
                                          : ("No: " + rep.outcome_label(r.outcomes[(size_t)counter]) + " too.").c_str());
                else
                    gui::Text("Can %s? %s", qt.c_str(), r.complete ? "No schedule does." : "Not on any schedule tried (the search was bounded).");
                if (can >= 0 && m.explored_key == m.program_key()) {
                    ImGui::SameLine();
                    if (gui::SmallButton("Show a schedule")) {
                        if (std::string err = m.open_witness((size_t)can); !err.empty()) m.flash(err);
                    }
                }
            }
        }
    }
    // Bars by one int the user picks (its value's share of all schedules), or by outcome.
    if (!r.outcomes.empty() && !r.outcomes[0].globals.empty()) {
        ImGui::SetNextItemWidth(std::min(220.0f, ImGui::GetContentRegionAvail().x));
        if (gui::BeginCombo("##group", m.explore_group.empty() ? "each outcome" : m.explore_group.c_str())) {
            if (gui::Selectable("each outcome", m.explore_group.empty())) m.explore_group.clear();
            for (const auto& kv : r.outcomes[0].globals)
                if (gui::Selectable(kv.first.c_str(), m.explore_group == kv.first)) m.explore_group = kv.first;
            ImGui::EndCombo();
        }
        ImGui::SameLine();
        gui::TextDisabled("bars by");
    }
    bool grouped = false;
    for (const auto& kv : r.outcomes.empty() ? std::vector<std::pair<std::string, int64_t>>{} : r.outcomes[0].globals)
        grouped |= kv.first == m.explore_group;
    if (grouped) {  // a histogram of the chosen int's final value
        std::map<std::pair<bool, int64_t>, double> by;
        for (const auto& o : r.outcomes) {
            bool found = false;
            const int64_t v = o.value(m.explore_group, found);
            by[{o.deadlock, v}] += r.complete ? o.schedules : 1;
        }
        const float room = std::max(40.0f, ImGui::GetContentRegionAvail().x - 260.0f);
        const ImU32 bar = m.dark ? IM_COL32(86, 180, 233, 200) : IM_COL32(0, 114, 178, 200);
        double total = 0;
        for (const auto& [k, n] : by) total += n;
        for (const auto& [k, n] : by) {
            const std::string label = m.explore_group + " = " + std::to_string(k.second) + (k.first ? " (deadlock)" : "");
            gui::TextUnformatted(label.c_str());
            ImGui::SameLine(std::min(200.0f, ImGui::GetContentRegionAvail().x * 0.4f));
            const float w = std::max(3.0f, (float)(n / std::max(1.0, total) * room));
            const ImVec2 b0 = ImGui::GetCursorScreenPos();
            ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(b0.x, b0.y + 2), ImVec2(b0.x + w, b0.y + ImGui::GetTextLineHeight() - 2), bar);
            ImGui::Dummy(ImVec2(w, ImGui::GetTextLineHeight()));
            ImGui::SameLine();
            const std::string c = r.complete ? count_text(n) + " schedules" : fmt_num(n, "") + " outcomes found";
            gui::TextUnformatted(c.c_str());
        }
        return;
    }
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
        if (m.explored_key == m.program_key() && gui::SmallButton("Play it in the scheduler")) {
            if (std::string err = m.open_witness(i); !err.empty()) m.flash(err);
        }
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

void SchedulerPanel::draw(ImVec2 size, bool narrow) {
    LabState& m = *lab;
    ImGui::BeginChild("##scheduler", size, true);
    if (!m.scheduler_on()) {
        puzzle_combo(m);
        if (m.sched.stepper) gui::TextWrapped("The program or its parameters changed since you started.");
        if (gui::Button(m.sched.stepper ? "Start again on this program" : "Start")) {
            if (std::string err = m.start_scheduler(nullptr); !err.empty()) m.flash(err);
        }
        ImGui::EndChild();
        return;
    }
    if (narrow) {  // one column: who runs next first
        puzzle_combo(m);
        if (!m.scheduler_on()) {  // the combo just switched (or failed to)
            ImGui::EndChild();
            return;
        }
        scheduler_threads(m);
        scheduler_controls(m);
    } else {
        ImGui::BeginChild("##sched_left", ImVec2(std::min(460.0f, ImGui::GetContentRegionAvail().x * 0.42f), 0), false);
        puzzle_combo(m);
        if (!m.scheduler_on()) {  // the combo just switched (or failed to)
            ImGui::EndChild();
            ImGui::EndChild();
            return;
        }
        scheduler_controls(m);
        ImGui::EndChild();
        ImGui::SameLine();
        ImGui::BeginChild("##sched_right", ImVec2(0, 0), false);
        scheduler_threads(m);
        ImGui::EndChild();
    }
    ImGui::EndChild();
}

}  // namespace gil::ui
