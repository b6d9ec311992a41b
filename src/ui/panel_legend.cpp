// panel_legend.cpp — the legend: exactly the thread states and marks the record declares, in its order and words.
#include "ui/panels.h"

namespace gil::ui {

namespace {

// What a state means when the record does not say otherwise (ViewDecl::state_names).
const char* default_state_name(ThreadState s) {
    switch (s) {
    case ThreadState::Running: return "running bytecode";
    case ThreadState::WaitGil: return "waiting for GIL";
    case ThreadState::WaitCore: return "waiting for a core";
    case ThreadState::Io: return "I/O (GIL released)";
    case ThreadState::CCode: return "C code (GIL released)";
    case ThreadState::WaitLock: return "lock, queue, join";
    default: return "";
    }
}

const char* mark_name(EventKind k) {
    switch (k) {
    case EventKind::DropRequest: return "drop request";
    case EventKind::ForcedSwitch: return "forced switch";
    case EventKind::LostUpdate: return "lost update (click it)";
    case EventKind::Deadlock: return "deadlock";
    default: return "";
    }
}

// The mark as the timeline draws it, in a box of the text's height.
void draw_mark(ImDrawList* dl, EventKind k, ImVec2 p, float h, const Palette& pal) {
    const float cy = p.y + h / 2;
    switch (k) {
    case EventKind::DropRequest:
        dl->AddTriangleFilled(ImVec2(p.x, cy - 4), ImVec2(p.x + 8, cy - 4), ImVec2(p.x + 4, cy + 3), pal.drop);
        break;
    case EventKind::ForcedSwitch: dl->AddLine(ImVec2(p.x + 5, p.y), ImVec2(p.x + 5, p.y + h), pal.forced, 1.5f); break;
    case EventKind::LostUpdate:
        dl->AddQuadFilled(ImVec2(p.x + 5, cy - 6), ImVec2(p.x + 11, cy), ImVec2(p.x + 5, cy + 6), ImVec2(p.x - 1, cy), pal.lost);
        break;
    default: dl->AddRectFilled(ImVec2(p.x, cy - 4), ImVec2(p.x + 8, cy + 4), pal.lost, 1); break;
    }
}

}  // namespace

void LegendPanel::draw() {
    const ViewDecl& v = lab->spec->view;
    const Palette pal = palette(lab->dark);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float h = ImGui::GetTextLineHeight();
    const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
    bool first = true;
    // One entry: a swatch then its words, on the next line when it would not fit.
    auto entry = [&](const char* text, float swatch_w, auto&& swatch) {
        if (!first) ImGui::SameLine(0, 14);
        first = false;
        // (the swatch, the spacing SameLine() puts after it, the words)
        if (ImGui::GetCursorScreenPos().x + swatch_w + ImGui::GetStyle().ItemSpacing.x + ImGui::CalcTextSize(text).x > right)
            ImGui::NewLine();
        swatch(ImGui::GetCursorScreenPos());
        ImGui::Dummy(ImVec2(swatch_w, h));
        ImGui::SameLine();
        gui::TextUnformatted(text);
    };
    for (ThreadState s : v.states) {
        std::string name = default_state_name(s);
        for (const auto& [state, words] : v.state_names)
            if (state == s) name = words;
        entry(name.c_str(), h + 2, [&](ImVec2 p) {
            dl->AddRectFilled(ImVec2(p.x, p.y + 2), ImVec2(p.x + h, p.y + h - 1), pal.state[(size_t)s], 2);
        });
    }
    for (EventKind k : v.marks) entry(mark_name(k), 12, [&](ImVec2 p) { draw_mark(dl, k, p, h, pal); });
}

}  // namespace gil::ui
