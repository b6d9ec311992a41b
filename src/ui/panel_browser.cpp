// panel_browser.cpp — the experiments by topic: the sidebar of the wide layout, the menu of the narrow one.
#include "ui/panels.h"

namespace gil::ui {

namespace {

// A selectable row whose label wraps (titles are longer than a 270-pixel sidebar).
bool wrapped_selectable(const std::string& id, const std::string& text, bool selected, bool& hovered) {
    const float w = ImGui::GetContentRegionAvail().x;
    const ImVec2 sz = gui::WrappedTextSize(text.c_str(), w);
    const ImVec2 p = ImGui::GetCursorPos();
    const bool clicked = ImGui::Selectable(("##" + id).c_str(), selected, 0, ImVec2(0, sz.y));
    hovered = ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled);
    const ImVec2 after = ImGui::GetCursorPos();
    ImGui::SetCursorPos(p);
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + w);
    gui::TextWrapped("%s", text.c_str());
    ImGui::PopTextWrapPos();
    ImGui::SetCursorPos(after);
    return clicked;
}

}  // namespace

void BrowserPanel::draw(float width, float height) {
    LabState& m = *lab;
    ImGui::BeginChild("##browser", ImVec2(width, height), true);
    for (int t = 0; t < (int)Topic::Count; ++t) {
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetColorU32(ImGuiCol_TextDisabled));
        gui::TextWrapped("%s", topic_title((Topic)t));
        ImGui::PopStyleColor();
        for (const auto& e : experiments()) {
            if ((int)e.topic != t) continue;
            const bool unavailable = e.engine == Engine::Real && !m.threads_available;
            ImGui::BeginDisabled(unavailable);
            ImGui::PushID(e.id.c_str());
            bool hovered = false;
            if (wrapped_selectable("b" + e.id, (e.engine == Engine::Real ? "* " : "") + e.title, &e == m.spec, hovered)) {
                m.select(e);
                m.asks.browser_open = false;
            }
            ImGui::PopID();
            ImGui::EndDisabled();
            if (hovered)
                ImGui::SetTooltip("%s\n%s", e.id.c_str(),
                                  unavailable ? "Unavailable here: real threads need a cross-origin isolated page."
                                              : e.summary.c_str());
        }
        ImGui::Spacing();
    }
    gui::TextWrapped("%s", "* real threads on this machine");
    ImGui::EndChild();
}

}  // namespace gil::ui
