// panel_charts.cpp — the charts a record declares (ViewDecl::charts), drawn from its run's metrics and series.
#include <algorithm>

#include "ui/charts.h"
#include "ui/panels.h"

namespace gil::ui {

namespace {

const Series* find_series(const RunResult& r, const std::string& key) {
    for (const auto& s : r.series)
        if (s.key == key) return &s;
    return nullptr;
}

// Each chart draws what its run produced and returns false when it had nothing to show.
bool metric_bars(const ChartDecl& c, const RunResult& r, const Palette& pal, float w) {
    std::vector<std::string> labels;
    std::vector<double> values;
    std::vector<uint32_t> colors;
    const Metric* ref = c.reference.empty() ? nullptr : r.metrics.find(c.reference);
    for (const ChartItem& item : c.items) {
        const Metric* x = r.metrics.find(item.key);
        if (!x) continue;
        labels.push_back(item.label.empty() ? x->label : item.label);
        values.push_back(x->value / c.scale);
        // Against a reference (the expected count), the reference is grey and a bar that
        // falls short of it is the loss the experiment is about.
        uint32_t col = pal.thread_colors[(colors.size()) % 4];
        if (ref && x == ref) col = pal.thread_colors[7];
        else if (ref && x->value < ref->value) col = pal.lost;
        else if (ref) col = pal.thread_colors[2];
        colors.push_back(col);
    }
    if (values.empty()) return false;
    if (!c.title.empty()) gui::TextWrapped("%s", c.title.c_str());
    bar_chart("bars", labels, values, colors, c.unit.c_str(), ImVec2(w, 30.0f * (float)values.size() + 8));
    return true;
}

bool series_bars(const ChartDecl& c, const RunResult& r, const Palette& pal, float w) {
    const Series* s = c.items.empty() ? nullptr : find_series(r, c.items[0].key);
    if (!s || s->y.empty()) return false;
    std::vector<std::string> labels;
    for (double x : s->x) labels.push_back(c.bar_prefix + std::to_string((int)x));
    gui::TextWrapped("%s", c.title.empty() ? s->label.c_str() : c.title.c_str());
    bar_chart("series_bars", labels, s->y, {pal.thread_colors[2]}, "", ImVec2(w, 24.0f * (float)s->y.size() + 8));
    return true;
}

bool lines(const ChartDecl& c, const RunResult& r, const Palette& pal, float w, float h) {
    // Copies, so that a declared legend label can replace the series' own.
    std::vector<Series> shown;
    std::vector<bool> dashed;
    for (const ChartItem& item : c.items)
        if (const Series* s = find_series(r, item.key)) {
            shown.push_back(*s);
            if (!item.label.empty()) shown.back().label = item.label;
            dashed.push_back(item.dashed);
        }
    if (shown.empty()) return false;
    std::vector<ChartLine> ls;
    int solid = 0, ref = 0;
    for (size_t i = 0; i < shown.size(); ++i) {
        // Reference lines (ideal, a fitted model) are dashed, without markers, in their own colours.
        if (dashed[i]) ls.push_back({&shown[i], pal.thread_colors[ref++ == 0 ? 7 : 1], true, false});
        else ls.push_back({&shown[i], pal.thread_colors[solid++ % 8]});
    }
    if (!c.title.empty()) gui::TextWrapped("%s", c.title.c_str());
    line_chart("lines", ls, ImVec2(w, h), c.log_x, c.integer_x);
    return true;
}

bool histogram_chart(const ChartDecl& c, const RunResult& r, const Palette& pal, float w, float h) {
    const Series* s = c.items.empty() ? nullptr : find_series(r, c.items[0].key);
    if (!s || s->x.empty()) {
        if (c.empty_text.empty()) return false;
        const std::string& title = !c.title.empty() ? c.title : s ? s->label : c.title;
        if (!title.empty()) gui::TextWrapped("%s", title.c_str());
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
        gui::TextWrapped("%s", c.empty_text.c_str());
        ImGui::PopStyleColor();
        return true;
    }
    gui::TextWrapped("%s", c.title.empty() ? s->label.c_str() : c.title.c_str());
    histogram("hist", *s, pal.thread_colors[1], ImVec2(w, h));
    return true;
}

}  // namespace

void ChartsPanel::draw() {
    const LabState& m = *lab;
    if (!m.result || !m.result->error.empty()) {
        gui::TextDisabled("Charts appear after a run.");
        return;
    }
    // Predict first: the charts would give the answer away before the end of the playback.
    if (m.result_hidden()) {
        gui::TextDisabled(m.question_open() ? "Charts appear after you answer the question and run."
                                            : "Charts appear at the end of the run.");
        return;
    }
    const RunResult& r = *m.result;
    const Palette pal = palette(m.dark);
    const float w = ImGui::GetContentRegionAvail().x;
    const float h = std::max(140.0f, std::min(240.0f, ImGui::GetContentRegionAvail().y - 10));
    bool any = false;
    const auto& charts = m.spec->view.charts;
    for (size_t i = 0; i < charts.size(); ++i) {
        const ChartDecl& c = charts[i];
        ImGui::PushID((int)i);
        bool drew = false;
        switch (c.kind) {
        case ChartKind::MetricBars: drew = metric_bars(c, r, pal, w); break;
        case ChartKind::SeriesBars: drew = series_bars(c, r, pal, w); break;
        case ChartKind::Lines: drew = lines(c, r, pal, w, h); break;
        case ChartKind::Histogram: drew = histogram_chart(c, r, pal, w, h); break;
        }
        if (drew) ImGui::Spacing();
        any |= drew;
        ImGui::PopID();
    }
    if (!any) gui::TextDisabled("This experiment's results are in the table.");
}

}  // namespace gil::ui
