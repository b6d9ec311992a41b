// charts.cpp — the chart primitives the charts panel draws with: bars, lines with markers, histograms (see charts.h).
#include "ui/charts.h"

#include "ui/gui.h"
#include "ui/panels.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace gil::ui {

namespace {

// The right edge of the chart being drawn: its texts must end inside it.
float g_right = 0;

void draw_text(ImDrawList* dl, ImVec2 pos, ImU32 col, const char* text) {
    dl->AddText(pos, col, text);
    probe_drawn_text(dl, pos, text, g_right);
}

// The y axis' name, above the plot (it wraps there; inside it would cover the lines).
void y_label(const std::string& yl) {
    if (yl.empty()) return;
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    gui::TextWrapped("%s", yl.c_str());
    ImGui::PopStyleColor();
}

// Axis and bar values: short, never scientific ("1.405M", "12k", "0.25").
std::string fmt(double v) {
    const double a = std::fabs(v);
    if (a < 1e-9) return "0";
    auto trim = [](std::string s) {
        if (s.find('.') != std::string::npos) {
            while (s.back() == '0') s.pop_back();
            if (s.back() == '.') s.pop_back();
        }
        return s;
    };
    if (a >= 1e9) return trim(fmt_sig(v / 1e9, 4)) + "G";
    if (a >= 1e6) return trim(fmt_sig(v / 1e6, 4)) + "M";
    if (a >= 1e4) return trim(fmt_sig(v / 1e3, 3)) + "k";
    if (a >= 1000) return std::to_string((long long)std::llround(v));
    return trim(fmt_sig(v, 3));
}

// A step of 1, 2 or 5 times a power of ten giving about `n` intervals over `range`;
// at least 1 for axes that count whole things.
double nice_step(double range, int n, bool integer) {
    if (range <= 0) return 1;
    const double raw = range / n, p = std::pow(10.0, std::floor(std::log10(raw))), f = raw / p;
    double step = (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * p;
    if (integer) step = std::max(1.0, std::round(step));
    return step;
}

struct Frame {
    ImVec2 p0, p1;  // plot area
    double x0, x1, y0, y1;
    bool log_x;
    float px(double x) const {
        double a = log_x ? (std::log10(std::max(x, 1e-12)) - std::log10(x0)) / (std::log10(x1) - std::log10(x0))
                         : (x - x0) / (x1 - x0);
        return p0.x + (float)a * (p1.x - p0.x);
    }
    float py(double y) const { return p1.y - (float)((y - y0) / (y1 - y0)) * (p1.y - p0.y); }
};

Frame axes(ImDrawList* dl, ImVec2 pos, ImVec2 size, double x0, double x1, double y0, double y1, bool log_x,
           const std::string& xl, const std::string& yl, bool integer_x = false, bool integer_y = false) {
    const ImU32 grid = ImGui::GetColorU32(ImGuiCol_Separator), text = ImGui::GetColorU32(ImGuiCol_TextDisabled);
    const float lh = ImGui::GetTextLineHeight();
    Frame f{ImVec2(pos.x + 46, pos.y + 6), ImVec2(pos.x + size.x - 8, pos.y + size.y - lh * 2 - 4), x0, x1, y0, y1, log_x};
    if (f.x1 <= f.x0) f.x1 = f.x0 + 1;
    if (f.y1 <= f.y0) f.y1 = f.y0 + 1;
    dl->AddRect(f.p0, f.p1, grid);
    // Ticks at nice values (0, 0.5M, 1M, ...); the top of the axis is the tick above the data.
    const double ystep = nice_step(f.y1 - f.y0, 4, integer_y);
    f.y1 = f.y0 + std::ceil((f.y1 - f.y0) / ystep - 1e-9) * ystep;
    for (double y = f.y0; y <= f.y1 + ystep * 1e-6; y += ystep) {
        float yy = f.py(y);
        dl->AddLine(ImVec2(f.p0.x, yy), ImVec2(f.p1.x, yy), grid);
        std::string s = fmt(y);
        draw_text(dl, ImVec2(f.p0.x - 4 - ImGui::CalcTextSize(s.c_str()).x, yy - lh / 2), text, s.c_str());
    }
    if (log_x) {
        for (double d = std::pow(10, std::floor(std::log10(f.x0))); d <= f.x1 * 1.0001; d *= 10)
            for (double m : {1.0, 2.0, 5.0}) {
                double x = d * m;
                if (x < f.x0 * 0.9999 || x > f.x1 * 1.0001) continue;
                float xx = f.px(x);
                dl->AddLine(ImVec2(xx, f.p1.y), ImVec2(xx, f.p1.y + 3), grid);
                std::string s = fmt(x);
                draw_text(dl, ImVec2(xx - ImGui::CalcTextSize(s.c_str()).x / 2, f.p1.y + 3), text, s.c_str());
            }
    } else {
        // Thread counts read wrong as 1.6 or 2.2: integer axes tick at whole numbers only.
        const double step = nice_step(f.x1 - f.x0, 5, integer_x);
        for (double x = std::ceil(f.x0 / step - 1e-9) * step; x <= f.x1 + step * 1e-6; x += step) {
            float xx = f.px(x);
            dl->AddLine(ImVec2(xx, f.p1.y), ImVec2(xx, f.p1.y + 3), grid);
            std::string s = fmt(x);
            draw_text(dl, ImVec2(xx - ImGui::CalcTextSize(s.c_str()).x / 2, f.p1.y + 3), text, s.c_str());
        }
    }
    // The x axis' name under its ticks, at the right; the y axis' name is above the chart.
    (void)yl;
    const float xw = ImGui::CalcTextSize(xl.c_str()).x;
    draw_text(dl, ImVec2(std::max(f.p0.x, f.p1.x - xw), f.p1.y + lh + 2), text, xl.c_str());
    return f;
}

}  // namespace

void bar_chart(const char* id, const std::vector<std::string>& labels, const std::vector<double>& values,
               const std::vector<uint32_t>& colors, const char* unit, ImVec2 size) {
    ImGui::PushID(id);
    ImVec2 pos = ImGui::GetCursorScreenPos();
    g_right = pos.x + size.x;
    ImGui::Dummy(size);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    double mx = 0;
    for (double v : values) mx = std::max(mx, v);
    if (mx <= 0) mx = 1;
    const float lh = ImGui::GetTextLineHeight();
    float label_w = 0;
    for (auto& l : labels) label_w = std::max(label_w, ImGui::CalcTextSize(l.c_str()).x);
    const float bar_h = std::min(lh * 1.4f, (size.y - 4) / std::max<size_t>(1, values.size()) - 4);
    // Room right of the longest bar for the widest value.
    float value_w = 0;
    for (double v : values) value_w = std::max(value_w, ImGui::CalcTextSize(fmt_num(v, unit).c_str()).x);
    for (size_t i = 0; i < values.size(); ++i) {
        float y = pos.y + 2 + (float)i * (bar_h + 4);
        draw_text(dl, ImVec2(pos.x, y + (bar_h - lh) / 2), ImGui::GetColorU32(ImGuiCol_Text), labels[i].c_str());
        float x0 = pos.x + label_w + 8, full = size.x - label_w - 8 - value_w - 12;
        float w = (float)(values[i] / mx) * std::max(10.0f, full);
        dl->AddRectFilled(ImVec2(x0, y), ImVec2(x0 + std::max(1.0f, w), y + bar_h), colors[i % colors.size()], 3.0f);
        // The exact value (no "1.4M" for 1,405,312 against 1,600,000: the difference is the point).
        const std::string vs = fmt_num(values[i], unit);
        const char* b = vs.c_str();
        draw_text(dl, ImVec2(x0 + w + 6, y + (bar_h - lh) / 2), ImGui::GetColorU32(ImGuiCol_Text), b);
    }
    ImGui::PopID();
}

void line_chart(const char* id, const std::vector<ChartLine>& lines, ImVec2 size, bool log_x, bool integer_x) {
    ImGui::PushID(id);
    y_label(lines.empty() ? "" : lines[0].series->y_label);
    ImVec2 pos = ImGui::GetCursorScreenPos();
    g_right = pos.x + size.x;
    ImGui::InvisibleButton("##chart", size);
    const bool hovered = ImGui::IsItemHovered();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    double x0 = 1e300, x1 = -1e300, y1 = 0;
    for (auto& l : lines)
        for (size_t i = 0; i < l.series->x.size() && i < l.series->y.size(); ++i) {
            x0 = std::min(x0, l.series->x[i]);
            x1 = std::max(x1, l.series->x[i]);
            if (std::isfinite(l.series->y[i])) y1 = std::max(y1, l.series->y[i]);
        }
    if (lines.empty() || x0 > x1) {
        ImGui::PopID();
        return;
    }
    y1 = y1 > 0 ? y1 * 1.1 : 1;
    Frame f = axes(dl, pos, size, x0, x1 > x0 ? x1 : x0 + 1, 0, y1, log_x, lines[0].series->x_label,
                   lines[0].series->y_label, integer_x);
    std::string tip;
    float best_d = 14;
    for (auto& l : lines) {
        const Series& s = *l.series;
        for (size_t i = 0; i + 1 < s.x.size() && i + 1 < s.y.size(); ++i) {
            ImVec2 a(f.px(s.x[i]), f.py(s.y[i])), b(f.px(s.x[i + 1]), f.py(s.y[i + 1]));
            if (l.dashed) {
                const int segs = 8;
                for (int k = 0; k < segs; k += 2)
                    dl->AddLine(ImVec2(a.x + (b.x - a.x) * k / segs, a.y + (b.y - a.y) * k / segs),
                                ImVec2(a.x + (b.x - a.x) * (k + 1) / segs, a.y + (b.y - a.y) * (k + 1) / segs), l.color, 1.5f);
            } else {
                dl->AddLine(a, b, l.color, 2.0f);
            }
        }
        for (size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
            ImVec2 p(f.px(s.x[i]), f.py(s.y[i]));
            if (l.markers) dl->AddCircleFilled(p, 3.5f, l.color);
            if (hovered) {
                ImVec2 m = ImGui::GetIO().MousePos;
                float d = std::hypot(m.x - p.x, m.y - p.y);
                if (d < best_d) {
                    best_d = d;
                    tip = s.label + "\n" + s.x_label + " = " + fmt_num(s.x[i], "") + "\n" + s.y_label + " = " + fmt_num(s.y[i], "");
                }
            }
        }
    }
    // Legend, top-left inside the plot.
    float ly = f.p0.y + 4;
    for (auto& l : lines) {
        dl->AddLine(ImVec2(f.p0.x + 6, ly + 7), ImVec2(f.p0.x + 22, ly + 7), l.color, 2.0f);
        draw_text(dl, ImVec2(f.p0.x + 26, ly), ImGui::GetColorU32(ImGuiCol_Text), l.series->label.c_str());
        ly += ImGui::GetTextLineHeight() + 2;
    }
    if (!tip.empty()) ImGui::SetTooltip("%s", tip.c_str());
    ImGui::PopID();
}

void histogram(const char* id, const Series& s, uint32_t color, ImVec2 size) {
    ImGui::PushID(id);
    y_label(s.y_label);
    ImVec2 pos = ImGui::GetCursorScreenPos();
    g_right = pos.x + size.x;
    ImGui::InvisibleButton("##hist", size);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    if (s.x.empty()) {
        ImGui::PopID();
        return;
    }
    double ymax = 1;
    for (double y : s.y) ymax = std::max(ymax, y);
    double w = s.x.size() > 1 ? s.x[1] - s.x[0] : 1;
    Frame f = axes(dl, pos, size, s.x.front() - w / 2, s.x.back() + w / 2, 0, ymax * 1.1, false, s.x_label, s.y_label, false, true);
    for (size_t i = 0; i < s.x.size(); ++i) {
        float a = f.px(s.x[i] - w / 2) + 1, b = f.px(s.x[i] + w / 2) - 1;
        dl->AddRectFilled(ImVec2(a, f.py(s.y[i])), ImVec2(std::max(a + 1, b), f.py(0)), color);
        if (ImGui::IsItemHovered()) {
            ImVec2 m = ImGui::GetIO().MousePos;
            if (m.x >= a && m.x <= b) ImGui::SetTooltip("%s %s: %s", s.x_label.c_str(), fmt_num(s.x[i], "").c_str(), fmt_num(s.y[i], "").c_str());
        }
    }
    ImGui::PopID();
}

}  // namespace gil::ui
