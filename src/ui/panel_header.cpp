// panel_header.cpp — above the timeline: the experiment's title, engine and "What this shows".
#include "ui/panels.h"

namespace gil::ui {

void HeaderPanel::draw() {
    const ExperimentSpec& e = *lab->spec;
    ImGui::PushTextWrapPos(0);
    ImGui::TextUnformatted(e.title.c_str());
    ImGui::SameLine();
    ImGui::TextDisabled("%s  %s", e.id.c_str(), e.engine == Engine::Real ? "(real threads on this machine)" : "(simulated)");
    if (e.engine == Engine::Real && !lab->threads_available) {
        ImGui::TextColored(ImVec4(1, 0.7f, 0.3f, 1), "%s",
                           "Unavailable here: real threads need a cross-origin isolated page (SharedArrayBuffer), and "
                           "this one is not. Open the lab's own page directly, or run the native build (see README).");
    }
    if (ImGui::TreeNodeEx("What this shows", ImGuiTreeNodeFlags_None)) {
        ImGui::TextWrapped("%s", e.explain.c_str());
        ImGui::TreePop();
    }
    ImGui::PopTextWrapPos();
}

}  // namespace gil::ui
