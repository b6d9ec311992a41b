// panel_code.cpp — the Python program and, for simulated runs, its bytecode with the eval-breaker check points marked.
#include "ui/panels.h"

namespace gil::ui {

void CodePanel::draw() {
    LabState& m = *lab;
    auto program = m.program();
    ImFont* mono = ImGui::GetIO().Fonts->Fonts.Size > 1 ? ImGui::GetIO().Fonts->Fonts[1] : nullptr;
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    if (program)
        gui::TextWrapped("The Python program, then its bytecode on %s. Highlighted: the eval breaker is checked "
                         "right after that instruction, so a thread can be switched out there%s. Code lines scroll sideways.",
                         program->note.c_str(),
                         experiment_has_gil(*m.spec, m.params) ? "" : " (free-threaded: no GIL, threads truly interleave)");
    else
        gui::TextWrapped("The Python program it models (code lines scroll sideways):");
    ImGui::PopStyleColor();
    // Code is never wrapped or cut: it scrolls sideways in its own frame.
    ImGui::BeginChild("##code", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
    if (mono) ImGui::PushFont(mono);
    // The program as the view compiled it (the experiment's Python with these parameters bound).
    gui::TextUnformatted(program && !program->source.empty() ? program->source.c_str() : m.spec->python.c_str());
    if (program) {
        ImGui::Separator();
        const ImU32 hl = m.dark ? IM_COL32(230, 159, 0, 70) : IM_COL32(230, 159, 0, 90);
        for (const CodeView& code : program->codes) {
            const bool named = !code.name.empty() && code.name[0] != '<';  // "<module>" is not a function
            gui::Text(named ? "%s():" : "%s:", code.name.c_str());
            for (const auto& d : code.lines) {
                ImVec2 p = ImGui::GetCursorScreenPos();
                if (d.check_point)
                    ImGui::GetWindowDrawList()->AddRectFilled(
                        p, ImVec2(p.x + ImGui::GetContentRegionAvail().x, p.y + ImGui::GetTextLineHeight()), hl);
                gui::Text("  %c %3d  %-18s %s", d.check_point ? '*' : ' ', d.index, d.opname.c_str(), d.arg.c_str());
            }
        }
    }
    if (mono) ImGui::PopFont();
    ImGui::EndChild();
}

}  // namespace gil::ui
