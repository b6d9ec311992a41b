// charts.h — small charts drawn with ImDrawList (no plotting library is packaged):
// bars, lines with markers (speedup vs threads, ideal line, Amdahl fit), histograms.
#pragma once
#include <string>
#include <vector>

#include "engine/experiment.h"
#include "imgui.h"

namespace gil::ui {

struct ChartLine {
    const Series* series;
    uint32_t color;
    bool dashed = false;
    bool markers = true;
};

// Horizontal bars with labels and values ("Serial 13.0 s").
void bar_chart(const char* id, const std::vector<std::string>& labels, const std::vector<double>& values,
               const std::vector<uint32_t>& colors, const char* unit, ImVec2 size);
// Lines over a shared x axis; log_x for decade sweeps, integer_x for counts (ticks at whole
// numbers). Hover shows the nearest point.
void line_chart(const char* id, const std::vector<ChartLine>& lines, ImVec2 size, bool log_x = false,
                bool integer_x = false);
// Bars of a histogram series (x = bin centres).
void histogram(const char* id, const Series& s, uint32_t color, ImVec2 size);

}  // namespace gil::ui
