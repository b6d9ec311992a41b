// panel_predict.cpp — "predict, then run": the record's question, the locked-in answer, then the verdict.
#include <algorithm>
#include <cmath>

#include "ui/panels.h"

namespace gil::ui {

namespace {

void answer_buttons(LabState& m) {
    const PredictDecl& q = m.spec->predict;
    if (q.unit == "yes/no") {
        if (ImGui::Button("Yes")) {
            m.predicted = 1;
            m.predict_locked = true;
        }
        ImGui::SameLine();
        if (ImGui::Button("No")) {
            m.predicted = 0;
            m.predict_locked = true;
        }
    } else {
        ImGui::SetNextItemWidth(140);
        ImGui::InputText(("##predict " + q.unit).c_str(), m.predict_buf, sizeof m.predict_buf,
                         ImGuiInputTextFlags_CharsScientific);
        ImGui::SameLine();
        ImGui::TextUnformatted(q.unit.c_str());
        ImGui::SameLine();
        double v;
        // People type thousands separators; the number parser does not take them.
        std::string txt = m.predict_buf;
        txt.erase(std::remove(txt.begin(), txt.end(), ','), txt.end());
        if (ImGui::Button("Lock in") && parse_number(txt, v)) {
            m.predicted = v;
            m.predict_locked = true;
        }
    }
    ImGui::TextDisabled("Then press Run.");
}

std::string answer_text(const PredictDecl& q, double v) {
    return q.unit == "yes/no" ? (v != 0 ? "yes" : "no") : fmt_num(v, "") + " " + q.unit;
}

}  // namespace

void PredictPanel::draw() {
    LabState& m = *lab;
    const PredictDecl& q = m.spec->predict;
    if (!m.predict_mode || q.question.empty()) return;
    ImGui::TextColored(ImVec4(0.95f, 0.6f, 0.1f, 1), "Predict, then run (for the parameters as set):");
    ImGui::TextWrapped("%s", q.question.c_str());
    if (!m.predict_locked) {
        answer_buttons(m);
        return;
    }
    // A simulated run answers once it has played to the end, as the student watches it.
    if (!m.result_current() || (m.spec->engine == Engine::Sim && m.cursor < (double)m.end_time())) {
        ImGui::Text("Your answer: %s %s. Run it to see.", fmt_num(m.predicted, "").c_str(), q.unit.c_str());
        return;
    }
    const Metric* metric = m.result->metrics.find(q.metric);
    if (!metric) return;
    const double actual = metric->value / q.scale;
    const bool right = q.tolerance == 0 ? (m.predicted != 0) == (actual != 0)
                                        : std::fabs(m.predicted - actual) <= q.tolerance * std::fabs(actual) + 1e-12;
    ImGui::TextColored(right ? ImVec4(0.3f, 0.8f, 0.4f, 1) : ImVec4(1, 0.45f, 0.35f, 1), "%s You said %s; the run gave %s.",
                       right ? "Close!" : "Not quite.", answer_text(q, m.predicted).c_str(), answer_text(q, actual).c_str());
}

}  // namespace gil::ui
