// panel_code.cpp — the program as an editor (line numbers, syntax colours, the version's
// check points in the gutter, compile errors as you type, each thread's current line while a
// run plays back) and, under it, its bytecode on the chosen version with the eval-breaker
// check points marked and the instruction each thread is at.
//
// The editor is ImGui's multiline input drawn with its text transparent and the program drawn
// over it in colour at the same positions (ImGui 1.86 has no coloured input). The input is as
// tall and wide as the program, inside a child window that scrolls, so the gutter and the
// colours scroll with it and no inner scroll offset has to be followed.
#include <algorithm>
#include <cstring>
#include <cmath>
#include <cstdio>
#include <map>

#include "ui/panels.h"

namespace gil::ui {

namespace {

enum class Tok : uint8_t { Plain, Keyword, Builtin, String, Number, Comment };

struct Span {
    size_t b, e;
    Tok k;
};

bool ident_char(char c) { return std::isalnum((unsigned char)c) || c == '_' || (unsigned char)c >= 0x80; }

bool is_keyword(const std::string& w) {
    static const char* const kw[] = {"False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
                                     "continue", "def", "del", "elif", "else", "except", "finally", "for", "from",
                                     "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass",
                                     "raise", "return", "try", "while", "with", "yield"};
    for (const char* k : kw)
        if (w == k) return true;
    return false;
}

bool is_builtin(const std::string& w) {
    static const char* const b[] = {"print", "range", "len", "self", "int", "str", "list", "sum", "min", "max", "abs"};
    for (const char* k : b)
        if (w == k) return true;
    return false;
}

// The coloured spans of one line; `triple` carries an open triple-quoted string ('\'' or '"',
// 0 = none) from line to line.
std::vector<Span> highlight(const std::string& s, char& triple) {
    std::vector<Span> out;
    size_t i = 0;
    auto string_from = [&](size_t b, char q, bool tri) {
        size_t j = b;
        while (j < s.size()) {
            if (s[j] == '\\') {
                j += 2;
                continue;
            }
            if (tri ? (s.compare(j, 3, std::string(3, q)) == 0) : s[j] == q) {
                j += tri ? 3 : 1;
                if (tri) triple = 0;
                out.push_back({b, std::min(j, s.size()), Tok::String});
                return std::min(j, s.size());
            }
            ++j;
        }
        if (tri) triple = q;
        out.push_back({b, s.size(), Tok::String});
        return s.size();
    };
    if (triple) i = string_from(0, triple, true);
    while (i < s.size()) {
        const char c = s[i];
        if (c == '#') {
            out.push_back({i, s.size(), Tok::Comment});
            break;
        }
        if (c == '\'' || c == '"') {
            const bool tri = s.compare(i, 3, std::string(3, c)) == 0;
            i = string_from(i + (tri ? 3 : 1), c, tri);
            out.back().b = i > 0 && out.back().b >= (tri ? 3u : 1u) ? out.back().b - (tri ? 3 : 1) : 0;
            continue;
        }
        if (std::isdigit((unsigned char)c) && (i == 0 || !ident_char(s[i - 1]))) {
            size_t j = i;
            while (j < s.size() && (ident_char(s[j]) || s[j] == '.')) ++j;
            out.push_back({i, j, Tok::Number});
            i = j;
            continue;
        }
        if (ident_char(c)) {
            size_t j = i;
            while (j < s.size() && ident_char(s[j])) ++j;
            const std::string w = s.substr(i, j - i);
            // A prefixed string (f"...", b'...', rb"...") colours with its prefix.
            if (j < s.size() && (s[j] == '\'' || s[j] == '"') && w.size() <= 2 &&
                w.find_first_not_of("rRbBfFuU") == std::string::npos) {
                const char q = s[j];
                const bool tri = s.compare(j, 3, std::string(3, q)) == 0;
                i = string_from(j + (tri ? 3 : 1), q, tri);
                out.back().b = j - w.size();
                continue;
            }
            if (is_keyword(w)) out.push_back({i, j, Tok::Keyword});
            else if (is_builtin(w)) out.push_back({i, j, Tok::Builtin});
            i = j;
            continue;
        }
        ++i;
    }
    return out;
}

ImU32 tok_color(Tok k, bool dark) {
    switch (k) {
    case Tok::Keyword: return dark ? IM_COL32(197, 134, 192, 255) : IM_COL32(150, 30, 150, 255);
    case Tok::Builtin: return dark ? IM_COL32(220, 220, 150, 255) : IM_COL32(120, 90, 0, 255);
    case Tok::String: return dark ? IM_COL32(206, 145, 120, 255) : IM_COL32(163, 21, 21, 255);
    case Tok::Number: return dark ? IM_COL32(181, 206, 168, 255) : IM_COL32(9, 134, 88, 255);
    case Tok::Comment: return dark ? IM_COL32(106, 153, 85, 255) : IM_COL32(0, 128, 0, 255);
    default: return ImGui::GetColorU32(ImGuiCol_Text);
    }
}

int resize_callback(ImGuiInputTextCallbackData* data) {
    auto* self = static_cast<CodePanel*>(data->UserData);
    if (data->EventFlag == ImGuiInputTextFlags_CallbackResize) {
        self->buf.resize((size_t)data->BufTextLen);
        data->Buf = self->buf.data();
        data->BufSize = data->BufTextLen + 1;
    } else {
        self->cursor_byte = data->CursorPos;
    }
    return 0;
}

std::vector<std::string> split_lines(const std::string& s) {
    std::vector<std::string> lines;
    size_t pos = 0;
    for (;;) {
        size_t nl = s.find('\n', pos);
        lines.push_back(s.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos));
        if (nl == std::string::npos) break;
        pos = nl + 1;
    }
    return lines;
}

}  // namespace

void CodePanel::draw(bool with_bytecode) {
    LabState& m = *lab;
    auto program = m.program();
    ImFont* mono = ImGui::GetIO().Fonts->Fonts.Size > 1 ? ImGui::GetIO().Fonts->Fonts[1] : nullptr;
    const bool editable = m.code_editable();
    const bool gil = experiment_has_gil(*m.spec, m.params);
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    if (editable)
        gui::TextWrapped("Edit it and Run%s. * = a line where %s can switch threads; a run's playback marks each "
                         "thread's line.%s",
                         m.spec->takes_code ? "" : " (your copy becomes \"Your program\")",
                         program ? program->version.c_str() : "this version", with_bytecode ? "" : " Bytecode: the next tab.");
    else
        gui::TextWrapped("The Python program it models (code lines scroll sideways):");
    ImGui::PopStyleColor();

    if (!editable) {
        ImGui::BeginChild("##code", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
        if (mono) ImGui::PushFont(mono);
        gui::TextUnformatted(m.spec->python.c_str());
        if (mono) ImGui::PopFont();
        ImGui::EndChild();
        return;
    }

    // The program on screen; an outside change (another experiment, Reset, a link, the API)
    // replaces the buffer, the user's typing goes the other way (edit_code).
    const std::string text = m.code_text();
    if (text != shown_) {
        buf = text;
        shown_ = text;
        // An input that is being edited keeps its own copy of the text and would write it back
        // over this change: the next frame's input is a new widget that starts from `buf`.
        ++generation_;
    }
    const bool edited = m.spec->takes_code && (!m.params.code.empty() || !m.code_origin.empty());
    ImGui::BeginDisabled(!edited);
    if (gui::SmallButton("Reset code")) {
        m.reset_code();
        ImGui::EndDisabled();
        return;
    }
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (gui::SmallButton("Copy code")) m.req.copy_text = text;
    if (!m.code_origin.empty()) {
        ImGui::SameLine();
        gui::TextDisabled("started from %s", m.code_origin.c_str());
    }

    // Which source lines hold a check point (the gutter's *), and where each thread is.
    std::map<int, bool> check_line;
    if (program && gil)
        for (const CodeView& c : program->codes)
            for (const DisLine& d : c.lines)
                if (d.check_point && d.line > 0) check_line[d.line] = true;
    const std::vector<LabState::ThreadAt> at = m.threads_at();

    if (mono) ImGui::PushFont(mono);
    const float lh = ImGui::GetTextLineHeight();
    const float cw = ImGui::CalcTextSize("M").x;
    const ImGuiStyle& st = ImGui::GetStyle();
    const std::vector<std::string> lines = split_lines(buf);
    size_t longest = 0;
    for (const auto& l : lines) longest = std::max(longest, l.size());
    const float avail_h = ImGui::GetContentRegionAvail().y;
    const float err_h = m.code_check.error.empty() ? 0 : ImGui::GetTextLineHeightWithSpacing() * 2.2f;
    const float editor_h = std::max(lh * 4, (avail_h - err_h) * (with_bytecode ? 0.6f : 1.0f));
    const float gutter = cw * 7;
    ImGui::BeginChild("##editor", ImVec2(0, editor_h), true, ImGuiWindowFlags_HorizontalScrollbar);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    // The input: as large as the text (plus a line to type into), so it never scrolls itself.
    const ImVec2 input_size(std::max(ImGui::GetContentRegionAvail().x - gutter, (float)(longest + 4) * cw + st.FramePadding.x * 2),
                            std::max(ImGui::GetContentRegionAvail().y, ((float)lines.size() + 1) * lh + st.FramePadding.y * 2));
    ImGui::SetCursorScreenPos(ImVec2(origin.x + gutter, origin.y));
    ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(0, 0, 0, 0));
    ImGui::PushStyleColor(ImGuiCol_FrameBg, IM_COL32(0, 0, 0, 0));
    ImGui::PushID(generation_);
    const bool changed = ImGui::InputTextMultiline("##src", buf.data(), buf.size() + 1, input_size,
                                                   ImGuiInputTextFlags_CallbackResize | ImGuiInputTextFlags_CallbackAlways |
                                                       ImGuiInputTextFlags_AllowTabInput,
                                                   resize_callback, this);
    ImGui::PopID();
    ImGui::PopStyleColor(2);
    const bool active = ImGui::IsItemActive();
    {
        // The part of the input that is on screen (the child clips it).
        const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
        const ImVec2 w0 = ImGui::GetWindowPos(), ws = ImGui::GetWindowSize();
        const float x0 = std::max(a.x, w0.x), y0 = std::max(a.y, w0.y);
        const float x1 = std::min(b.x, w0.x + ws.x), y1 = std::min(b.y, w0.y + ws.y);
        m.editor_rect[0] = x0, m.editor_rect[1] = y0, m.editor_rect[2] = std::max(0.0f, x1 - x0), m.editor_rect[3] = std::max(0.0f, y1 - y0);
    }
    if (text_probe) text_probe->shown.push_back({buf, "editor", 0, 0, false, ImGui::GetItemRectMin(), ImGui::GetItemRectMax()});
    buf.resize(std::strlen(buf.c_str()));
    if (changed) {
        m.edit_code(buf);
        shown_ = m.code_text();  // what the lab keeps of it ("\n" for an emptied editor): not an outside change
    }
    const ImVec2 text0(origin.x + gutter + st.FramePadding.x, origin.y + st.FramePadding.y);
    const ImVec2 clip0 = ImGui::GetWindowPos(), clip1(clip0.x + ImGui::GetWindowSize().x, clip0.y + ImGui::GetWindowSize().y);
    const int first = std::max(0, (int)((clip0.y - text0.y) / lh) - 1);
    const int last = std::min((int)lines.size() - 1, (int)((clip1.y - text0.y) / lh) + 1);
    const ImU32 now_bg = m.dark ? IM_COL32(86, 180, 233, 60) : IM_COL32(86, 180, 233, 80);
    const ImU32 err_bg = IM_COL32(213, 94, 0, 70);
    const ImU32 dim = ImGui::GetColorU32(ImGuiCol_TextDisabled);
    const ImU32 hl = m.dark ? IM_COL32(230, 159, 0, 255) : IM_COL32(170, 100, 0, 255);
    // Colours: each line's spans over the transparent input. The open-string state is carried
    // from the top, so a triple-quoted string that starts above the view still colours.
    char triple = 0;
    for (int i = 0; i <= last; ++i) {
        std::vector<Span> spans = highlight(lines[(size_t)i], triple);
        if (i < first) continue;
        const float y = text0.y + (float)i * lh;
        const int line_no = i + 1;
        if (m.code_check.error.size() && m.code_check.line == line_no)
            dl->AddRectFilled(ImVec2(origin.x + gutter, y), ImVec2(clip1.x, y + lh), err_bg);
        std::string names;
        for (const LabState::ThreadAt& a : at)
            if (a.line == line_no) names += (names.empty() ? "" : ", ") + a.thread;
        if (!names.empty()) dl->AddRectFilled(ImVec2(origin.x, y), ImVec2(std::max(clip1.x, text0.x + input_size.x), y + lh), now_bg);
        char num[16];
        std::snprintf(num, sizeof num, "%4d", line_no);
        dl->AddText(ImVec2(origin.x, y), dim, num);
        if (check_line.count(line_no)) dl->AddText(ImVec2(origin.x + cw * 5, y), hl, "*");
        const std::string& s = lines[(size_t)i];
        size_t pos = 0;
        auto put = [&](size_t b, size_t e, ImU32 col) {
            if (e <= b) return;
            const float x = text0.x + ImGui::CalcTextSize(s.c_str(), s.c_str() + b).x;
            dl->AddText(ImVec2(x, y), col, s.c_str() + b, s.c_str() + e);
        };
        for (const Span& sp : spans) {
            put(pos, sp.b, tok_color(Tok::Plain, m.dark));
            put(sp.b, sp.e, tok_color(sp.k, m.dark));
            pos = sp.e;
        }
        put(pos, s.size(), tok_color(Tok::Plain, m.dark));
        if (!names.empty()) {
            const std::string tag = "  <- " + names;
            dl->AddText(ImVec2(text0.x + ImGui::CalcTextSize(s.c_str()).x + cw, y), hl, tag.c_str());
        }
    }
    // The playback cursor moved (playing, a click on the timeline, Step): keep the running
    // thread's line in view, unless the user is typing.
    if (!active && !at.empty() && m.cursor != last_playback_) {
        last_playback_ = m.cursor;
        const LabState::ThreadAt* show = &at.front();  // the thread running bytecode, else the first one
        for (const LabState::ThreadAt& a : at)
            if (a.state == ThreadState::Running) {
                show = &a;
                break;
            }
        const float y = text0.y + (float)(show->line - 1) * lh;
        if (y < clip0.y || y + lh > clip1.y - st.ScrollbarSize)
            ImGui::SetScrollY(std::max(0.0f, ImGui::GetScrollY() + (y - clip0.y) - (clip1.y - clip0.y) / 3));
    }
    // A new compile error on a line out of view: bring it in (the user may not be typing there).
    if (!m.code_check.error.empty() && m.code_check.line > 0 && m.code_check.key != last_error_key_) {
        last_error_key_ = m.code_check.key;
        const float y = text0.y + (float)(m.code_check.line - 1) * lh;
        if (!active && (y < clip0.y || y + lh > clip1.y - st.ScrollbarSize))
            ImGui::SetScrollY(std::max(0.0f, ImGui::GetScrollY() + (y - clip0.y) - (clip1.y - clip0.y) / 3));
    }
    // The text cursor (ImGui draws it in the text colour, which is transparent here).
    if (active) {
        const int cb = std::clamp(cursor_byte, 0, (int)buf.size());
        const size_t line_start = buf.rfind('\n', cb > 0 ? (size_t)cb - 1 : 0);
        const size_t ls = cb == 0 || line_start == std::string::npos ? 0 : line_start + 1;
        const int line = (int)std::count(buf.begin(), buf.begin() + (long)ls, '\n');
        const float x = text0.x + ImGui::CalcTextSize(buf.c_str() + ls, buf.c_str() + cb).x;
        const float y = text0.y + (float)line * lh;
        if (std::fmod(ImGui::GetTime(), 1.2) < 0.8) dl->AddLine(ImVec2(x, y), ImVec2(x, y + lh), ImGui::GetColorU32(ImGuiCol_Text), 1.5f);
        // Keep the line typed on in view (the input itself never scrolls).
        if (changed || cursor_byte != last_cursor_) {
            if (y < clip0.y + lh) ImGui::SetScrollY(std::max(0.0f, ImGui::GetScrollY() - (clip0.y + lh - y)));
            else if (y + 2 * lh > clip1.y - st.ScrollbarSize) ImGui::SetScrollY(ImGui::GetScrollY() + (y + 2 * lh - (clip1.y - st.ScrollbarSize)));
        }
        last_cursor_ = cursor_byte;
    }
    ImGui::EndChild();
    if (mono) ImGui::PopFont();

    if (!m.code_check.error.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.95f, 0.45f, 0.2f, 1));
        gui::TextWrapped("%s", m.code_check.error.c_str());
        ImGui::PopStyleColor();
    }
    if (with_bytecode) draw_bytecode();
}

void CodePanel::draw_bytecode() {
    LabState& m = *lab;
    auto program = m.program();
    ImFont* mono = ImGui::GetIO().Fonts->Fonts.Size > 1 ? ImGui::GetIO().Fonts->Fonts[1] : nullptr;
    const bool gil = experiment_has_gil(*m.spec, m.params);
    if (!program) {
        gui::TextWrapped("%s", m.code_check.error.empty() ? "This experiment runs no Python bytecode (real threads)."
                                                           : ("No bytecode: " + m.code_check.error).c_str());
        return;
    }
    const std::vector<LabState::ThreadAt> at = m.threads_at();
    const ImU32 now_bg = m.dark ? IM_COL32(86, 180, 233, 60) : IM_COL32(86, 180, 233, 80);
    // As playback moves, the running thread's instruction is kept in view (as in the editor).
    const LabState::ThreadAt* follow = nullptr;
    if (!at.empty() && m.cursor != last_dis_playback_) {
        last_dis_playback_ = m.cursor;
        follow = &at.front();
        for (const LabState::ThreadAt& a : at)
            if (a.state == ThreadState::Running) {
                follow = &a;
                break;
            }
    }

    // The bytecode on the chosen version, with the instruction each thread is at.
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    gui::TextWrapped("Its bytecode on %s. Highlighted: the eval breaker is checked right after that instruction, so a "
                     "thread can be switched out there%s.",
                     program->note.c_str(), gil ? "" : " (free-threaded: no GIL, threads truly interleave)");
    ImGui::PopStyleColor();
    ImGui::BeginChild("##dis", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
    if (mono) ImGui::PushFont(mono);
    const ImU32 cp_bg = m.dark ? IM_COL32(230, 159, 0, 70) : IM_COL32(230, 159, 0, 90);
    for (size_t ci = 0; ci < program->codes.size(); ++ci) {
        const CodeView& code = program->codes[ci];
        const bool named = !code.name.empty() && code.name[0] != '<';  // "<module>" is not a function
        gui::Text(named ? "%s():" : "%s:", code.name.c_str());
        for (const auto& d : code.lines) {
            ImVec2 p = ImGui::GetCursorScreenPos();
            std::string here;
            for (const LabState::ThreadAt& a : at)
                if (a.pc == (((uint32_t)ci << 16) | (uint32_t)d.index)) here += (here.empty() ? "  <- " : ", ") + a.thread;
            const ImVec2 p1(p.x + ImGui::GetContentRegionAvail().x, p.y + ImGui::GetTextLineHeight());
            if (!here.empty()) ImGui::GetWindowDrawList()->AddRectFilled(p, p1, now_bg);
            else if (d.check_point) ImGui::GetWindowDrawList()->AddRectFilled(p, p1, cp_bg);
            gui::Text("  %c %4d %3d  %-18s %s%s", d.check_point ? '*' : ' ', d.line, d.index, d.opname.c_str(), d.arg.c_str(),
                      here.c_str());
            if (follow && follow->pc == (((uint32_t)ci << 16) | (uint32_t)d.index)) ImGui::SetScrollHereY(0.3f);
        }
    }
    if (mono) ImGui::PopFont();
    ImGui::EndChild();
}

}  // namespace gil::ui
