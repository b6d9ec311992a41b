// panel_predict.cpp — "predict, then run": the record's question, the locked-in answer, then the verdict.
// Run with the question open asks it in a modal (answer, or skip explicitly), then runs.
#include <algorithm>
#include <cmath>

#include "ui/panels.h"

namespace gil::ui {

namespace {

// The answer widgets; `run_label` names what Lock in also does ("Lock in and run").
void answer_buttons(LabState& m, bool modal) {
    const PredictDecl& q = m.spec->predict;
    if (q.unit == "yes/no") {
        if (gui::Button("Yes")) m.lock_prediction(1);
        ImGui::SameLine();
        if (gui::Button("No")) m.lock_prediction(0);
    } else {
        ImGui::SetNextItemWidth(140);
        if (modal && ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
        const bool enter = ImGui::InputText(("##predict " + q.unit).c_str(), m.predict_buf, sizeof m.predict_buf,
                                            ImGuiInputTextFlags_CharsScientific | ImGuiInputTextFlags_EnterReturnsTrue);
        ImGui::SameLine();
        gui::TextUnformatted(q.unit.c_str());
        ImGui::SameLine();
        double v;
        // People type thousands separators; the number parser does not take them.
        std::string txt = m.predict_buf;
        txt.erase(std::remove(txt.begin(), txt.end(), ','), txt.end());
        const bool valid = parse_number(txt, v);
        ImGui::BeginDisabled(!valid);
        const bool lock = gui::Button(modal ? "Lock in and run" : "Lock in");
        ImGui::EndDisabled();
        if ((lock || enter) && valid) m.lock_prediction(v);
    }
    if (modal) {
        ImGui::SameLine();
        if (gui::Button("Skip, just run")) m.skip_prediction();
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("Run without a prediction; the results show at the end of the run.");
    } else {
        gui::TextDisabled("Then press Run (or skip the question with Run).");
    }
}

std::string answer_text(const PredictDecl& q, double v) {
    return q.unit == "yes/no" ? (v != 0 ? "yes" : "no") : fmt_num(v, "") + " " + q.unit;
}

}  // namespace

void PredictPanel::draw() {
    LabState& m = *lab;
    const PredictDecl& q = m.spec->predict;
    if (!m.predict_mode || q.question.empty() || m.predict_skipped) return;
    gui::TextColored(ImVec4(0.95f, 0.6f, 0.1f, 1), "Predict, then run (for the parameters as set):");
    gui::TextWrapped("%s", q.question.c_str());
    if (!m.predict_locked) {
        answer_buttons(m, false);
        return;
    }
    // A simulated run answers once it has played to the end, as the student watches it.
    if (!m.verdict_ready()) {
        gui::TextWrapped("Your answer: %s. Run it to see.", answer_text(q, m.predicted).c_str());
        return;
    }
    const LabState::Verdict v = m.verdict();
    ImGui::PushStyleColor(ImGuiCol_Text, v.right ? ImVec4(0.3f, 0.8f, 0.4f, 1) : ImVec4(1, 0.45f, 0.35f, 1));
    gui::TextWrapped("%s You said %s; the run gave %s.", v.right ? "Close!" : "Not quite.", answer_text(q, m.predicted).c_str(),
                       answer_text(q, v.actual).c_str());
    ImGui::PopStyleColor();
}

void PredictPanel::prompt() {
    LabState& m = *lab;
    if (m.asks.predict && !ImGui::IsPopupOpen("Predict first")) ImGui::OpenPopup("Predict first");
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + vp->WorkSize.x / 2, vp->WorkPos.y + vp->WorkSize.y / 3), ImGuiCond_Appearing,
                            ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSizeConstraints(ImVec2(0, 0), ImVec2(std::min(520.0f, vp->WorkSize.x - 20), vp->WorkSize.y - 20));
    if (!ImGui::BeginPopupModal("Predict first", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
    const PredictDecl& q = m.spec->predict;
    ImGui::PushTextWrapPos(std::min(500.0f, vp->WorkSize.x - 40));
    gui::TextUnformatted("Before the run: what do you expect?");
    gui::TextWrapped("%s", q.question.c_str());
    ImGui::PopTextWrapPos();
    answer_buttons(m, true);
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) {  // Escape: back, no run
        m.asks.predict = m.asks.run_after_predict = false;
    }
    if (!m.asks.predict) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
}

}  // namespace gil::ui
