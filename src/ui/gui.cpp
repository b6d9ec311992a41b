// gui.cpp — ImGui's widgets with a check that their text fits (see gui.h).
#include "ui/gui.h"

#include <algorithm>
#include <cfloat>
#include <cstdarg>
#include <cstdio>

#include "imgui_internal.h"

namespace gil::ui {

TextProbe* text_probe = nullptr;

namespace {

const char* label_end(const char* label) { return ImGui::FindRenderedTextEnd(label); }

// The room a text has to its right: the clip rectangle of the window or table cell.
// A window that scrolls sideways has all the room it wants; one scrolled out of view
// vertically shows nothing that could be cut.
bool room(const ImRect& r, float& clip_max_x) {
    ImGuiWindow* w = ImGui::GetCurrentWindow();
    if (w->Flags & ImGuiWindowFlags_HorizontalScrollbar) return false;
    const ImRect& c = w->ClipRect;
    if (r.Max.y <= c.Min.y || r.Min.y >= c.Max.y || c.GetWidth() <= 0) return false;
    clip_max_x = c.Max.x;
    return true;
}

void record(const char* text, const char* end, float need, float have) {
    ShownText s;
    s.text.assign(text, end ? end : text + strlen(text));
    s.window = ImGui::GetCurrentWindow()->Name;
    s.need = need;
    s.have = have;
    s.disabled = (ImGui::GetItemFlags() & ImGuiItemFlags_Disabled) != 0;
    s.min = ImGui::GetItemRectMin();
    s.max = ImGui::GetItemRectMax();
    text_probe->shown.push_back(std::move(s));
}

// The last item shows `text` from x = item.Min.x + offset; it may reach the clip edge and,
// for framed items, the item's right edge minus `inner_pad`.
void probe_last(const char* text, const char* end, float offset, bool framed, float inner_pad, bool wrapped = false) {
    if (!text_probe) return;
    if (!end) end = label_end(text);
    ImRect r(ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
    float clip_x;
    if (!room(r, clip_x)) return;
    const float w = ImGui::CalcTextSize(text, end).x;
    float limit = clip_x;
    if (framed) limit = std::min(limit, r.Max.x - inner_pad);
    const float start = r.Min.x + offset;
    if (text == end) return;
    // Framed: the text must fit in the frame. Plain: the item (its wrapped width, if
    // wrapped) must end in view.
    const float need = framed ? w : wrapped ? r.Max.x - start : std::max(w, r.Max.x - start);
    record(text, end, need, limit - start);
}

// A widget whose label is right of a frame (slider, combo, checkbox): the whole item must be
// in view, and the value (or preview) must fit in the frame of width frame_w.
void probe_framed_value(const char* label, const char* value, float frame_w, float value_room) {
    if (!text_probe) return;
    ImRect r(ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
    float clip_x;
    if (!room(r, clip_x)) return;
    const char* le = label_end(label);
    std::string shown = std::string(label, le);
    record(shown.empty() ? value : shown.c_str(), nullptr, r.Max.x - r.Min.x, clip_x - r.Min.x);
    if (value && *value) record(value, nullptr, ImGui::CalcTextSize(value).x, value_room);
    (void)frame_w;
}

thread_local char buf[4096];

}  // namespace

void probe_drawn_text(ImDrawList* dl, ImVec2 pos, const char* text, float max_x) {
    if (!text_probe || !text || !*text) return;
    const ImVec2 cmax = dl->GetClipRectMax(), cmin = dl->GetClipRectMin();
    const ImVec2 sz = ImGui::CalcTextSize(text);
    if (pos.y + sz.y <= cmin.y || pos.y >= cmax.y) return;
    float limit = cmax.x;
    if (max_x > 0) limit = std::min(limit, max_x);
    ShownText s;
    s.text = text;
    s.window = ImGui::GetCurrentWindow()->Name;
    s.need = sz.x;
    s.have = limit - pos.x;
    s.min = pos;
    s.max = ImVec2(pos.x + sz.x, pos.y + sz.y);
    text_probe->shown.push_back(std::move(s));
}

namespace gui {

void TextUnformatted(const char* text, const char* text_end) {
    ImGui::TextUnformatted(text, text_end);
    probe_last(text, text_end ? text_end : text + strlen(text), 0, false, 0);
}

#define GIL_FORMAT(fmt)                               \
    va_list args;                                     \
    va_start(args, fmt);                              \
    std::vsnprintf(buf, sizeof buf, fmt, args);       \
    va_end(args)

void Text(const char* fmt, ...) {
    GIL_FORMAT(fmt);
    TextUnformatted(buf);
}

void TextDisabled(const char* fmt, ...) {
    GIL_FORMAT(fmt);
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    TextUnformatted(buf);
    ImGui::PopStyleColor();
}

void TextColored(const ImVec4& col, const char* fmt, ...) {
    GIL_FORMAT(fmt);
    ImGui::PushStyleColor(ImGuiCol_Text, col);
    TextUnformatted(buf);
    ImGui::PopStyleColor();
}

// Line breaks at spaces only: ImGui's own wrap also breaks after '.', ',', ';', '!' and '?', which
// splits "3.10", "1.5x" or "2,000,000" across two lines. The text gets a newline for each space
// where the next word would pass `width`; a single word wider than that is left to ImGui's wrap.
// Widths are the font's own sums (CalcTextSizeA), not CalcTextSize's, which rounds each word up
// to a whole pixel and would break earlier than ImGui does.
static void break_at_spaces(char* text, float width) {
    if (width <= 0) return;
    ImFont* font = ImGui::GetFont();
    const float size = ImGui::GetFontSize();
    auto measure = [&](const char* b, const char* e) { return font->CalcTextSizeA(size, FLT_MAX, 0.0f, b, e).x; };
    const float space = measure(" ", nullptr);
    float x = 0;
    bool word_on_line = false;  // leading spaces alone never make a line break
    for (char* p = text; *p;) {
        if (*p == '\n') {
            x = 0;
            word_on_line = false;
            ++p;
        } else if (*p == ' ') {
            x += space;
            ++p;
        } else {
            char* end = p;
            while (*end && *end != ' ' && *end != '\n') ++end;
            const float w = measure(p, end);
            if (word_on_line && x + w > width && p[-1] == ' ') {
                p[-1] = '\n';
                x = w;
            } else {
                x += w;
            }
            word_on_line = true;
            p = end;
        }
    }
}

// The width ImGui::TextWrapped wraps at here: the pushed wrap position, else the window's edge.
static float wrap_width_here() {
    const float pos = ImGui::GetCurrentWindow()->DC.TextWrapPos;
    return ImGui::CalcWrapWidthForPos(ImGui::GetCursorScreenPos(), std::max(0.0f, pos));
}

ImVec2 WrappedTextSize(const char* text, float width) {
    std::string t(text);
    break_at_spaces(t.data(), width);
    return ImGui::CalcTextSize(t.c_str(), nullptr, false, width);
}

void TextWrapped(const char* fmt, ...) {
    GIL_FORMAT(fmt);
    // The probe records the text as written, not with the line breaks put in for drawing.
    std::string as_written = text_probe ? std::string(buf) : std::string();
    break_at_spaces(buf, wrap_width_here());
    ImGui::TextWrapped("%s", buf);
    // Wrapped text fits unless one word is wider than the room.
    if (text_probe) probe_last(as_written.c_str(), as_written.c_str() + as_written.size(), 0, false, 0, true);
}

void BulletText(const char* fmt, ...) {
    GIL_FORMAT(fmt);
    ImGui::BulletText("%s", buf);
    if (!text_probe) return;
    ImRect r(ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
    float clip_x;
    if (room(r, clip_x)) record(buf, nullptr, r.Max.x - r.Min.x, clip_x - r.Min.x);
}

bool Button(const char* label, const ImVec2& size) {
    bool b = ImGui::Button(label, size);
    probe_last(label, nullptr, ImGui::GetStyle().FramePadding.x, true, ImGui::GetStyle().FramePadding.x);
    return b;
}

bool SmallButton(const char* label) {
    bool b = ImGui::SmallButton(label);
    probe_last(label, nullptr, ImGui::GetStyle().FramePadding.x, true, ImGui::GetStyle().FramePadding.x);
    return b;
}

bool Selectable(const char* label, bool selected, ImGuiSelectableFlags flags, const ImVec2& size) {
    bool b = ImGui::Selectable(label, selected, flags, size);
    probe_last(label, nullptr, 0, false, 0);
    return b;
}

bool Checkbox(const char* label, bool* v) {
    bool b = ImGui::Checkbox(label, v);
    probe_framed_value(label, nullptr, 0, 0);
    return b;
}

bool SliderFloat(const char* label, float* v, float v_min, float v_max, const char* format, ImGuiSliderFlags flags) {
    const float fw = ImGui::CalcItemWidth();
    bool b = ImGui::SliderFloat(label, v, v_min, v_max, format, flags);
    if (text_probe) {
        char shown[256];
        // A format with no conversion is the text itself (the lab passes the formatted value).
        if (strchr(format, '%')) std::snprintf(shown, sizeof shown, format, (double)*v);
        else std::snprintf(shown, sizeof shown, "%s", format);
        probe_framed_value(label, shown, fw, fw - ImGui::GetStyle().FramePadding.x * 2);
    }
    return b;
}

bool SliderInt(const char* label, int* v, int v_min, int v_max, const char* format, ImGuiSliderFlags flags) {
    const float fw = ImGui::CalcItemWidth();
    bool b = ImGui::SliderInt(label, v, v_min, v_max, format, flags);
    if (text_probe) {
        char shown[64];
        std::snprintf(shown, sizeof shown, format, *v);
        probe_framed_value(label, shown, fw, fw - ImGui::GetStyle().FramePadding.x * 2);
    }
    return b;
}

bool BeginCombo(const char* label, const char* preview, ImGuiComboFlags flags) {
    const float fw = ImGui::CalcItemWidth();
    // The popup is another window: look at the combo itself before it opens.
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    ImGuiWindow* w = ImGui::GetCurrentWindow();
    bool open = ImGui::BeginCombo(label, preview, flags);
    if (text_probe && !(w->Flags & ImGuiWindowFlags_HorizontalScrollbar)) {
        const ImGuiStyle& st = ImGui::GetStyle();
        const char* le = label_end(label);
        const float lw = ImGui::CalcTextSize(label, le).x;
        const float total = fw + (lw > 0 ? st.ItemInnerSpacing.x + lw : 0);
        const ImRect& c = w->ClipRect;
        if (pos.y < c.Max.y && pos.y + ImGui::GetFrameHeight() > c.Min.y) {
            ShownText s;
            s.text = lw > 0 ? std::string(label, le) : std::string(preview);
            s.window = w->Name;
            s.need = total;
            s.have = c.Max.x - pos.x;
            text_probe->shown.push_back(s);
            s.text = preview;
            s.need = ImGui::CalcTextSize(preview).x;
            s.have = fw - ImGui::GetFrameHeight() - st.FramePadding.x * 2;
            text_probe->shown.push_back(s);
        }
    }
    return open;
}

bool TreeNodeEx(const char* label, ImGuiTreeNodeFlags flags) {
    bool open = ImGui::TreeNodeEx(label, flags);
    probe_last(label, nullptr, ImGui::GetFontSize() + ImGui::GetStyle().FramePadding.x * 2, false, 0);
    return open;
}

bool BeginTabItem(const char* label, bool* p_open, ImGuiTabItemFlags flags) {
    bool open = ImGui::BeginTabItem(label, p_open, flags);
    probe_last(label, nullptr, ImGui::GetStyle().FramePadding.x, true, ImGui::GetStyle().FramePadding.x);
    return open;
}

bool MenuItem(const char* label, const char* shortcut, bool selected, bool enabled) {
    bool b = ImGui::MenuItem(label, shortcut, selected, enabled);
    probe_last(label, nullptr, 0, false, 0);
    return b;
}

}  // namespace gui
}  // namespace gil::ui
