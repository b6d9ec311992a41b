// gui.h — the ImGui widgets the panels use, each followed by a check that its text fits.
//
// Same names and arguments as ImGui's. After each widget the probe compares the text it
// shows with the room it got: the item's rectangle (a button's text inside its frame, a
// slider's value inside the slider) and the clip rectangle of its window or table cell.
// Nothing is recorded unless a test sets `text_probe` (tests/ui/test_ui.cpp walks every
// experiment at three window sizes and fails on any cut text); a window that scrolls
// sideways (ImGuiWindowFlags_HorizontalScrollbar) is allowed to be wider than its view.
#pragma once
#include <string>
#include <vector>

#include "imgui.h"

namespace gil::ui {

struct ShownText {
    std::string text;    // as shown (without the ##id part)
    std::string window;  // the window it is in
    float need = 0;      // pixels the text needs ...
    float have = 0;      // ... and what it got (need > have + 1: cut)
    bool disabled = false;  // drawn inside BeginDisabled (a button that cannot be pressed)
    ImVec2 min, max;        // the item's rectangle on the screen
    bool cut() const { return need > have + 1.0f; }
};

struct TextProbe {
    std::vector<ShownText> shown;  // every text item of the frames since the last clear()
    void clear() { shown.clear(); }
    bool contains(const std::string& part) const {
        for (const auto& s : shown)
            if (s.text.find(part) != std::string::npos) return true;
        return false;
    }
};
extern TextProbe* text_probe;

// A text drawn with ImDrawList::AddText at `pos`: checked against the draw list's clip rectangle
// and, when max_x > 0, against max_x (the right edge of the chart it belongs to).
void probe_drawn_text(ImDrawList* dl, ImVec2 pos, const char* text, float max_x = 0);

namespace gui {

void TextUnformatted(const char* text, const char* text_end = nullptr);
void Text(const char* fmt, ...) IM_FMTARGS(1);
void TextDisabled(const char* fmt, ...) IM_FMTARGS(1);
void TextColored(const ImVec4& col, const char* fmt, ...) IM_FMTARGS(2);
void TextWrapped(const char* fmt, ...) IM_FMTARGS(1);  // breaks lines at spaces only
// The size TextWrapped gives `text` at `width` (its line breaks, not ImGui's).
ImVec2 WrappedTextSize(const char* text, float width);
void BulletText(const char* fmt, ...) IM_FMTARGS(1);
bool Button(const char* label, const ImVec2& size = ImVec2(0, 0));
bool SmallButton(const char* label);
bool Selectable(const char* label, bool selected = false, ImGuiSelectableFlags flags = 0, const ImVec2& size = ImVec2(0, 0));
bool Checkbox(const char* label, bool* v);
bool SliderFloat(const char* label, float* v, float v_min, float v_max, const char* format = "%.3f", ImGuiSliderFlags flags = 0);
bool SliderInt(const char* label, int* v, int v_min, int v_max, const char* format = "%d", ImGuiSliderFlags flags = 0);
bool BeginCombo(const char* label, const char* preview, ImGuiComboFlags flags = 0);
bool TreeNodeEx(const char* label, ImGuiTreeNodeFlags flags = 0);
bool BeginTabItem(const char* label, bool* p_open = nullptr, ImGuiTabItemFlags flags = 0);
bool MenuItem(const char* label, const char* shortcut = nullptr, bool selected = false, bool enabled = true);

}  // namespace gui
}  // namespace gil::ui
