// panel_browser.cpp — the experiments by topic: the sidebar of the wide layout, the menu of the narrow one.
#include "ui/panels.h"

namespace gil::ui {

void BrowserPanel::draw(float width, float height) {
    LabState& m = *lab;
    ImGui::BeginChild("##browser", ImVec2(width, height), true);
    for (int t = 0; t < (int)Topic::Count; ++t) {
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetColorU32(ImGuiCol_TextDisabled));
        ImGui::TextUnformatted(topic_title((Topic)t));
        ImGui::PopStyleColor();
        for (const auto& e : experiments()) {
            if ((int)e.topic != t) continue;
            const bool unavailable = e.engine == Engine::Real && !m.threads_available;
            std::string label = (e.engine == Engine::Real ? "* " : "") + e.title + "##b" + e.id;
            ImGui::BeginDisabled(unavailable);
            if (ImGui::Selectable(label.c_str(), &e == m.spec)) {
                m.select(e);
                m.asks.browser_open = false;
            }
            ImGui::EndDisabled();
            if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
                ImGui::SetTooltip("%s\n%s", e.id.c_str(),
                                  unavailable ? "Unavailable here: real threads need a cross-origin isolated page."
                                              : e.summary.c_str());
        }
        ImGui::Spacing();
    }
    ImGui::TextDisabled("* real threads on this machine");
    ImGui::EndChild();
}

}  // namespace gil::ui
