// panel_header.cpp — above the timeline: the experiment's title, engine and "What this shows".
#include "ui/panels.h"

namespace gil::ui {

void HeaderPanel::draw() {
    const ExperimentSpec& e = *lab->spec;
    ImGui::PushTextWrapPos(0);
    // The id and engine after the title when both fit on one line, else each wraps on its own.
    const std::string tag = e.id + "  " + (e.engine == Engine::Real ? "(real threads on this machine)" : "(simulated)");
    const float line_w = ImGui::CalcTextSize(e.title.c_str()).x + ImGui::GetStyle().ItemSpacing.x + ImGui::CalcTextSize(tag.c_str()).x;
    gui::TextWrapped("%s", e.title.c_str());
    if (line_w <= ImGui::GetContentRegionAvail().x) ImGui::SameLine();
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    gui::TextWrapped("%s", tag.c_str());
    ImGui::PopStyleColor();
    if (e.engine == Engine::Real && !lab->threads_available) {
        ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 0.7f, 0.3f, 1));
        gui::TextWrapped("%s",
                           "Unavailable here: real threads need a cross-origin isolated page (SharedArrayBuffer), and "
                           "this one is not. Open the lab's own page directly, or run the native build (see README).");
        ImGui::PopStyleColor();
    }
    if (gui::TreeNodeEx("What this shows", ImGuiTreeNodeFlags_None)) {
        gui::TextWrapped("%s", e.explain.c_str());
        ImGui::TreePop();
    }
    ImGui::PopTextWrapPos();
}

}  // namespace gil::ui
