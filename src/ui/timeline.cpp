// timeline.cpp — draws a run's lanes, GIL-holder lanes and marks, folding sub-pixel intervals (see timeline.h).
#include "ui/timeline.h"

#include "ui/gui.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

namespace gil::ui {

namespace {

// Okabe-Ito: distinguishable with the common forms of colour blindness.
constexpr uint32_t rgb(uint32_t hex, uint32_t a = 255) {
    return IM_COL32((hex >> 16) & 255, (hex >> 8) & 255, hex & 255, a);
}

bool process_has_lanes(const Trace& t, int p) {
    for (const auto& l : t.lanes)
        if (l.process == p) return true;
    return false;
}

// Index of the interval containing t (the last with t0 <= t).
size_t find_interval(const Lane& l, int64_t t) {
    auto it = std::upper_bound(l.intervals.begin(), l.intervals.end(), t,
                               [](int64_t v, const Interval& iv) { return v < iv.t0; });
    return it == l.intervals.begin() ? 0 : (size_t)(it - l.intervals.begin() - 1);
}

}  // namespace

Palette palette(bool dark) {
    Palette p{};
    p.state[(size_t)ThreadState::NotStarted] = dark ? rgb(0x2a2c33) : rgb(0xe4e4e8);
    p.state[(size_t)ThreadState::Running] = rgb(0x0072B2);   // blue
    p.state[(size_t)ThreadState::WaitGil] = rgb(0xE69F00);   // orange
    p.state[(size_t)ThreadState::WaitCore] = rgb(0xCC79A7);  // reddish purple
    p.state[(size_t)ThreadState::Io] = rgb(0x009E73);        // bluish green
    p.state[(size_t)ThreadState::CCode] = rgb(0x56B4E9);     // sky blue
    p.state[(size_t)ThreadState::WaitLock] = rgb(0xD55E00);  // vermillion
    p.state[(size_t)ThreadState::Done] = dark ? rgb(0x24262c) : rgb(0xeeeef2);
    // Thread identities (GIL-holder lane, charts): Paul Tol's "muted" set, apart from the state colours.
    const uint32_t tc[8] = {0x332288, 0x44AA99, 0xDDCC77, 0xCC6677, 0x88CCEE, 0x117733, 0xAA4499, 0x999999};
    for (int i = 0; i < 8; ++i) p.thread_colors[i] = rgb(tc[i]);
    p.background = dark ? rgb(0x1b1c20) : rgb(0xf7f7f9);
    p.lane_bg = dark ? rgb(0x23252b) : rgb(0xffffff);
    p.grid = dark ? rgb(0x3a3d46) : rgb(0xd0d0d8);
    p.text = dark ? rgb(0xe6e6e6) : rgb(0x1b1c20);
    p.cursor = dark ? rgb(0xffffff) : rgb(0x000000);
    p.drop = rgb(0xF0E442);
    p.forced = dark ? rgb(0xffffff, 200) : rgb(0x000000, 200);
    p.lost = rgb(0xff3b30);
    p.gil_take = rgb(0xaaaaaa);
    return p;
}

std::string fmt_sig(double v, int sig) {
    char b[64];
    if (v == 0 || !std::isfinite(v)) {
        std::snprintf(b, sizeof b, "%g", v);
        return b;
    }
    // Fixed notation, never "3.171e+05": as many decimals as `sig` significant digits need.
    const int mag = (int)std::floor(std::log10(std::fabs(v)));
    const int decimals = std::clamp(sig - 1 - mag, 0, 9);
    std::snprintf(b, sizeof b, "%.*f", decimals, v);
    return b;
}

std::string fmt_duration(double ns) {
    // Three significant digits, in the unit where the number is 1..999 (after rounding:
    // 999.96 us reads "1.00 ms", not "1e+03 us").
    static const struct { double scale; const char* unit; } units[] = {{1e9, "s"}, {1e6, "ms"}, {1e3, "us"}, {1, "ns"}};
    const double a = std::fabs(ns);
    for (size_t i = 0; i < 4; ++i) {
        const double x = a / units[i].scale;
        if (x >= 1 || i == 3) {
            std::string t = fmt_sig(ns / units[i].scale, 3);
            if (i > 0 && std::fabs(std::stod(t)) >= 1000) t = fmt_sig(std::copysign(1.0, ns), 3), i--;  // 1000 us = 1.00 ms
            return t + " " + units[i].unit;
        }
    }
    return "0 ns";
}

double ruler_step(int64_t v0, int64_t v1, float width, const std::function<float(const std::string&)>& text_w) {
    const double span = std::max<double>(1.0, (double)(v1 - v0));
    const double ns_per_px = span / std::max(1.0f, width);
    // Start with steps at least 24 px apart, then widen until every label in view fits
    // before the next tick with a gap.
    double step = std::pow(10.0, std::floor(std::log10(std::max(1.0, ns_per_px * 24.0))));
    static const double mult[3] = {1, 2, 5};
    for (int k = 0; k < 60; ++k) {
        const double s = step * mult[k % 3] * std::pow(10.0, k / 3);
        const double px = s / ns_per_px;
        if (px < 24.0) continue;
        float widest = 0;
        const double first = std::ceil((double)v0 / s) * s;
        int n = 0;
        for (double t = first; t <= (double)v1 && n < 64; t += s, ++n) widest = std::max(widest, text_w(fmt_duration(t)));
        if (px >= widest + 3.0 + 10.0) return s;
    }
    return span;
}

// ------------------------------------------------------------------ TimelineView

void TimelineView::set_trace(std::shared_ptr<const Trace> t, bool has_gil) {
    auto ix = std::make_shared<TraceIndex>();
    ix->build(std::move(t), has_gil);
    set_index(std::move(ix));
}

void TimelineView::set_index(std::shared_ptr<const TraceIndex> ix) {
    index_ = ix ? std::move(ix) : std::make_shared<TraceIndex>();
    fit();
}

void TimelineView::fit() {
    v0_ = 0;
    v1_ = index_->trace ? std::max<int64_t>(1000, index_->trace->end) : 1000;
}

void TimelineView::zoom_to(int64_t t0, int64_t t1) {
    if (t1 <= t0) t1 = t0 + 1000;
    v0_ = std::max<int64_t>(0, t0);
    v1_ = std::max(v0_ + 100, t1);
}

float TimelineView::total_height() const {
    if (!index_->trace) return 0;
    int nproc = 0;
    for (int p = 0; p < 4096; ++p) {
        bool any = false, beyond = true;
        for (const auto& l : index_->trace->lanes) {
            any |= l.process == p;
            beyond &= l.process < p;
        }
        if (beyond) break;
        nproc += any;
    }
    size_t rows = index_->trace->lanes.size() + index_->holders.size() + (size_t)nproc;  // + process headers
    return 24.0f + (float)rows * (lane_height + lane_gap);
}

// Last index k in [from, n) with t0_of(k) <= t, given t0_of(from) <= t: exponential then
// binary search, so the cost grows with the log of the distance moved, not of n.
template <class T0>
static size_t gallop(size_t from, size_t n, int64_t t, T0 t0_of) {
    size_t lo = from, step = 1;
    while (lo + step < n && t0_of(lo + step) <= t) {
        lo += step;
        step *= 2;
    }
    size_t hi = std::min(n, lo + step);
    while (hi - lo > 1) {
        size_t m = (lo + hi) / 2;
        if (t0_of(m) <= t) lo = m;
        else hi = m;
    }
    return lo;
}

// Emits the rectangles of one lane-like sequence (t0 array + colour per entry) for the
// time range [v0, min(v1, cursor)], folding what is narrower than a pixel.
template <class T0, class Color, class LodColor>
static void build_row(size_t n, T0 t0_of, int64_t row_end, Color color_of, int64_t v0, int64_t v1, int64_t cursor,
                      float x0, float width, float y0, float y1, std::vector<Instance>& out, int64_t lod_bw,
                      size_t lod_n, LodColor lod_color) {
    if (n == 0) return;
    const int64_t lim = std::min(v1, std::min(cursor, row_end));
    if (lim <= v0) return;
    const double ns_per_px = (double)(v1 - v0) / std::max(1.0f, width);
    auto x_of = [&](int64_t t) { return x0 + (float)((double)(t - v0) / ns_per_px); };
    if (lod_n && lod_bw > 0 && ns_per_px >= (double)lod_bw) {
        // Zoomed out: one sample per pixel column from the level of detail, runs merged.
        const float x_end = x_of(lim);
        uint32_t run_c = 0;
        float run_x = x0;
        for (float x = x0; x < x_end; x += 1.0f) {
            int64_t t = v0 + (int64_t)(((double)(x - x0) + 0.5) * ns_per_px);
            size_t b = (size_t)std::min<int64_t>((int64_t)lod_n - 1, t / lod_bw);
            uint32_t c = lod_color(b);
            if (c != run_c) {
                if (run_c) out.push_back({run_x, y0, x, y1, run_c});
                run_c = c;
                run_x = x;
            }
        }
        if (run_c) out.push_back({run_x, y0, x_end, y1, run_c});
        return;
    }
    auto end_of = [&](size_t i) { return i + 1 < n ? t0_of(i + 1) : row_end; };
    // First entry overlapping v0.
    size_t lo = 0, hi = n;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (t0_of(mid) <= v0) lo = mid;
        else hi = mid;
    }
    size_t i = lo;
    int64_t t = v0;
    while (i < n && t < lim) {
        int64_t e = std::min(end_of(i), lim);
        const double px = (double)(e - t) / ns_per_px;
        if (px >= 1.0) {
            uint32_t c = color_of(i);
            if (c) out.push_back({x_of(t), y0, x_of(e), y1, c});
            t = e;
            ++i;
            continue;
        }
        // Narrower than a pixel: one column for this pixel, coloured by the entry that
        // covers most of it (sampled at four points), then jump past it by binary search.
        const int64_t col_end = std::min(lim, t + (int64_t)std::ceil(ns_per_px));
        uint32_t best = color_of(i);
        int votes[4] = {0, 0, 0, 0};
        uint32_t cols[4] = {0, 0, 0, 0};
        size_t j = i;
        for (int s = 0; s < 4; ++s) {
            int64_t ts = t + (col_end - t) * (2 * s + 1) / 8;
            if (j + 1 < n && t0_of(j + 1) <= ts) j = gallop(j, n, ts, t0_of);
            uint32_t c = color_of(j);
            for (int k = 0; k < 4; ++k)
                if (cols[k] == c || votes[k] == 0) {
                    cols[k] = c;
                    ++votes[k];
                    break;
                }
        }
        int bv = 0;
        for (int k = 0; k < 4; ++k)
            if (votes[k] > bv) {
                bv = votes[k];
                best = cols[k];
            }
        if (best) out.push_back({x_of(t), y0, x_of(col_end), y1, best});
        t = col_end;
        // Jump to the entry containing t.
        size_t a = t0_of(j) <= t ? j : i;
        i = gallop(a, n, t, t0_of);
    }
}

void TimelineView::build(float x0, float y0, float width, int64_t cursor, const Palette& pal, std::vector<Instance>& out) {
    out.clear();
    if (!index_->trace) return;
    const Trace& tr = *index_->trace;
    int nproc = 0;
    for (const auto& l : tr.lanes) nproc = std::max(nproc, l.process + 1);
    float y = y0;
    const float row = lane_height + lane_gap;
    for (int p = 0; p < nproc; ++p) {
        if (!process_has_lanes(tr, p)) continue;
        y += row;  // process header row
        for (size_t hi = 0; hi < index_->holders.size(); ++hi) {
            const auto& h = index_->holders[hi];
            if (h.process != p) continue;
            build_row(
                h.t0.size(), [&](size_t i) { return h.t0[i]; }, tr.end,
                [&](size_t i) { return h.lane[i] < 0 ? 0u : pal.thread_colors[(size_t)h.lane[i] % 8]; }, v0_, v1_,
                cursor, x0, width, y, y + lane_height, out, index_->lod_bucket_ns,
                hi < index_->holder_lod.size() ? index_->holder_lod[hi].size() : 0, [&](size_t b) {
                    int16_t v = index_->holder_lod[hi][b];
                    return v < 0 ? 0u : pal.thread_colors[(size_t)v % 8];
                });
            y += row;
        }
        for (size_t li = 0; li < tr.lanes.size(); ++li) {
            const Lane& l = tr.lanes[li];
            if (l.process != p) continue;
            build_row(
                l.intervals.size(), [&](size_t i) { return l.intervals[i].t0; }, l.end,
                [&](size_t i) {
                    ThreadState s = l.intervals[i].state;
                    return s == ThreadState::NotStarted || s == ThreadState::Done ? 0u : pal.state[(size_t)s];
                },
                v0_, v1_, cursor, x0, width, y, y + lane_height, out, index_->lod_bucket_ns,
                li < index_->lane_lod.size() ? index_->lane_lod[li].size() : 0, [&](size_t b) {
                    ThreadState s = (ThreadState)index_->lane_lod[li][b];
                    return s == ThreadState::NotStarted || s == ThreadState::Done ? 0u : pal.state[(size_t)s];
                });
            y += row;
        }
    }
}

void TimelineView::draw(ImVec2 size, int64_t cursor, TimelineGpu* gpu, const Palette& pal) {
    last_tip_.clear();
    ImGui::BeginChild("##timeline", size, false, ImGuiWindowFlags_NoScrollWithMouse);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float ruler_h = 22.0f;
    const float x0 = origin.x + label_width, width = std::max(50.0f, avail.x - label_width - 4.0f);
    dl->AddRectFilled(origin, ImVec2(origin.x + avail.x, origin.y + std::max(avail.y, total_height())), pal.background);
    if (!index_->trace) {
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
        gui::TextWrapped("%s", empty_text.c_str());
        ImGui::PopStyleColor();
        ImGui::EndChild();
        return;
    }
    const Trace& tr = *index_->trace;
    // Reserve the scrollable height.
    ImGui::InvisibleButton("##tl_area", ImVec2(std::max(1.0f, avail.x), std::max(avail.y, total_height())),
                           ImGuiButtonFlags_MouseButtonLeft);
    const bool hovered = ImGui::IsItemHovered();
    ImGuiIO& io = ImGui::GetIO();
    const double ns_per_px = (double)(v1_ - v0_) / width;
    // Zoom with the wheel around the mouse, pan by dragging, double-click to fit.
    if (hovered && io.MouseWheel != 0 && !io.KeyShift) {
        double mt = (double)v0_ + (io.MousePos.x - x0) * ns_per_px;
        double f = std::pow(0.8, io.MouseWheel);
        double span = std::clamp((double)(v1_ - v0_) * f, 100.0, (double)std::max<int64_t>(1000, tr.end) * 1.5);
        double a = (io.MousePos.x - x0) / width;
        v0_ = (int64_t)std::max(0.0, mt - a * span);
        v1_ = v0_ + (int64_t)span;
    }
    if (hovered && io.MouseWheel != 0 && io.KeyShift) {
        int64_t shift = (int64_t)(-io.MouseWheel * 0.1 * (double)(v1_ - v0_));
        v0_ = std::max<int64_t>(0, v0_ + shift);
        v1_ = v0_ + (int64_t)(ns_per_px * width);
    }
    if (ImGui::IsItemActive() && ImGui::IsMouseDragging(ImGuiMouseButton_Left, 2.0f)) {
        int64_t shift = (int64_t)(-io.MouseDelta.x * ns_per_px);
        int64_t span = v1_ - v0_;
        v0_ = std::max<int64_t>(0, v0_ + shift);
        v1_ = v0_ + span;
    }
    if (hovered && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) fit();
    // A click (no drag) on the lanes moves the playback cursor there (the code view follows).
    if (hovered && ImGui::IsMouseReleased(ImGuiMouseButton_Left) && io.MousePos.x >= x0 &&
        std::fabs(io.MouseDragMaxDistanceSqr[ImGuiMouseButton_Left]) < 9.0f)
        clicked_time_ = std::clamp<int64_t>(v0_ + (int64_t)((io.MousePos.x - x0) * ns_per_px), 0, tr.end);


    // Ruler: ticks at a round step (1, 2 or 5 x 10^k) far enough apart for their labels.
    {
        const double step = ruler_step(v0_, v1_, width, [](const std::string& s) { return ImGui::CalcTextSize(s.c_str()).x; });
        const double first = std::ceil((double)v0_ / step) * step;
        const float right = std::min(x0 + width, dl->GetClipRectMax().x);
        for (double t = first; t <= (double)v1_; t += step) {
            float x = x0 + (float)((t - (double)v0_) / ns_per_px);
            dl->AddLine(ImVec2(x, origin.y + ruler_h - 6), ImVec2(x, origin.y + std::max(avail.y, total_height())), pal.grid);
            const std::string lbl = fmt_duration(t);
            const ImVec2 p(x + 3, origin.y + 2);
            // A label that would run past the right edge is left out (its tick stays).
            if (p.x + ImGui::CalcTextSize(lbl.c_str()).x > right) continue;
            dl->AddText(p, pal.text, lbl.c_str());
            // Checked against the room up to the next tick: labels never overlap.
            const float next_x = x + (float)(step / ns_per_px);
            probe_drawn_text(dl, p, lbl.c_str(), std::min(right, next_x - 2));
        }
    }
    // Lanes.
    build(x0, origin.y + ruler_h, width, cursor, pal, inst_);
    const ImVec2 clip_min(x0, origin.y + ruler_h), clip_max(x0 + width, origin.y + std::max(avail.y, total_height()));
    if (gpu) {
        gpu->draw(dl, inst_, clip_min, clip_max);
    } else {
        dl->PushClipRect(clip_min, clip_max, true);
        for (const Instance& r : inst_) dl->AddRectFilled(ImVec2(r.x0, r.y0), ImVec2(std::max(r.x1, r.x0 + 1), r.y1), r.rgba);
        dl->PopClipRect();
    }
    // Labels, markers, tooltips.
    int nproc = 0;
    for (const auto& l : tr.lanes) nproc = std::max(nproc, l.process + 1);
    const float row = lane_height + lane_gap;
    float y = origin.y + ruler_h;
    const ImVec2 mouse = io.MousePos;
    std::string tip;
    std::vector<float> lane_y(tr.lanes.size(), -1.0f);  // where each lane was drawn (hand-off arrows)
    // What lane `li` is doing at time t: "running bytecode at work: LOAD_GLOBAL counter".
    auto doing = [&](size_t li, int64_t t) {
        const Lane& l = tr.lanes[li];
        if (l.intervals.empty() || t < l.intervals.front().t0) return std::string("not started");
        const Interval& iv = l.intervals[find_interval(l, t)];
        std::string s = state_label(iv.state);
        if (!s.empty()) s[0] = (char)std::tolower((unsigned char)s[0]);
        if (describe_info && iv.state != ThreadState::NotStarted && iv.state != ThreadState::Done) {
            const std::string d = describe_info(iv.info);
            if (!d.empty()) s += " at " + d;
        }
        return s;
    };
    // A lane's name left of it; one too long for the room is shortened with "..." and
    // shown in full on hover.
    auto label = [&](const std::string& s, float yy, uint32_t col) {
        const float room = x0 - 4 - (origin.x + 6) - (index_->holders.empty() ? 0.0f : 12.0f);
        std::string shown = s;
        if (ImGui::CalcTextSize(shown.c_str()).x > room) {
            while (!shown.empty() && ImGui::CalcTextSize((shown + "...").c_str()).x > room) shown.pop_back();
            shown += "...";
            if (hovered && mouse.y >= yy && mouse.y < yy + lane_height && mouse.x < x0) tip = s;
        }
        const ImVec2 p(origin.x + 6, yy + (lane_height - ImGui::GetTextLineHeight()) * 0.5f);
        dl->PushClipRect(ImVec2(origin.x, yy), ImVec2(x0 - 4, yy + lane_height), true);
        dl->AddText(p, col, shown.c_str());
        probe_drawn_text(dl, p, shown.c_str());
        dl->PopClipRect();
    };
    for (int p = 0; p < nproc; ++p) {
        if (!process_has_lanes(tr, p)) continue;
        std::string pname = p < (int)tr.process_names.size() ? tr.process_names[(size_t)p] : "process " + std::to_string(p);
        label(pname, y, ImGui::GetColorU32(ImGuiCol_TextDisabled));
        y += row;
        for (const auto& h : index_->holders) {
            if (h.process != p) continue;
            label("GIL holder", y, pal.text);
            // Name the holder inside each segment wide enough for it.
            {
                auto it = std::upper_bound(h.t0.begin(), h.t0.end(), v0_);
                size_t k = it == h.t0.begin() ? 0 : (size_t)(it - h.t0.begin() - 1);
                size_t k_end = (size_t)(std::upper_bound(h.t0.begin(), h.t0.end(), std::min<int64_t>(v1_, cursor)) - h.t0.begin());
                if (k_end - k > 600) k = k_end;  // too many to label: they are thinner than their names
                dl->PushClipRect(ImVec2(x0, y), ImVec2(x0 + width, y + lane_height), true);
                int drawn = 0;
                for (; k < h.t0.size() && h.t0[k] < std::min<int64_t>(v1_, cursor) && drawn < 400; ++k) {
                    if (h.lane[k] < 0) continue;
                    int64_t e = std::min<int64_t>(k + 1 < h.t0.size() ? h.t0[k + 1] : tr.end, cursor);
                    float a = x0 + (float)((double)(std::max(h.t0[k], v0_) - v0_) / ns_per_px);
                    float b = x0 + (float)((double)(std::min(e, v1_) - v0_) / ns_per_px);
                    const std::string nm = std::to_string(h.lane[k] + 1);
                    ImVec2 ts = ImGui::CalcTextSize(nm.c_str());
                    if (b - a > ts.x + 6) {
                        dl->AddText(ImVec2(a + 3, y + (lane_height - ts.y) * 0.5f), IM_COL32(255, 255, 255, 230), nm.c_str());
                        ++drawn;
                    }
                }
                dl->PopClipRect();
            }
            if (hovered && mouse.y >= y && mouse.y < y + lane_height && mouse.x >= x0) {
                int64_t t = v0_ + (int64_t)((mouse.x - x0) * ns_per_px);
                auto it = std::upper_bound(h.t0.begin(), h.t0.end(), t);
                size_t k = it == h.t0.begin() ? 0 : (size_t)(it - h.t0.begin() - 1);
                int64_t e = k + 1 < h.t0.size() ? h.t0[k + 1] : tr.end;
                if (t <= cursor)
                    tip = "GIL held by " + (h.lane[k] < 0 ? std::string("nobody") : tr.lanes[(size_t)h.lane[k]].name) +
                          "\nfrom " + fmt_duration((double)h.t0[k]) + " for " + fmt_duration((double)(e - h.t0[k]));
            }
            y += row;
        }
        for (size_t li = 0; li < tr.lanes.size(); ++li) {
            const Lane& l = tr.lanes[li];
            if (l.process != p) continue;
            if (!index_->holders.empty()) {  // identity swatch, matching the GIL-holder lane
                dl->AddRectFilled(ImVec2(x0 - 10, y + 6), ImVec2(x0 - 4, y + lane_height - 6), pal.thread_colors[li % 8], 2);
            }
            label(std::to_string(li + 1) + " " + l.name, y, pal.text);
            lane_y[li] = y;
            // Markers: at most one per kind per 3 pixels.
            const auto& evs = index_->lane_events[li];
            auto first = std::lower_bound(evs.begin(), evs.end(), v0_,
                                          [&](uint32_t ei, int64_t t) { return tr.events[ei].t < t; });
            float last_x[(size_t)EventKind::Count];
            for (float& v : last_x) v = -1e9f;
            for (auto it = first; it != evs.end(); ++it) {
                const TraceEvent& e = tr.events[*it];
                if (e.t > v1_ || e.t > cursor) break;
                float x = x0 + (float)((double)(e.t - v0_) / ns_per_px);
                float& lx = last_x[(size_t)e.kind];
                if (x - lx < 3.0f) continue;
                lx = x;
                switch (e.kind) {
                case EventKind::DropRequest:
                    dl->AddTriangleFilled(ImVec2(x - 4, y - 1), ImVec2(x + 4, y - 1), ImVec2(x, y + 5), pal.drop);
                    break;
                case EventKind::ForcedSwitch: dl->AddLine(ImVec2(x, y), ImVec2(x, y + lane_height), pal.forced, 1.5f); break;
                case EventKind::LostUpdate: {
                    float cy = y + lane_height * 0.5f;
                    dl->AddQuadFilled(ImVec2(x, cy - 7), ImVec2(x + 7, cy), ImVec2(x, cy + 7), ImVec2(x - 7, cy), pal.lost);
                    if (hovered && std::fabs(mouse.x - x) < 8 && std::fabs(mouse.y - cy) < 8) {
                        tip = "Lost update: this store overwrote " + std::to_string(e.a) +
                              " increment(s) made by other threads since this thread loaded the value.\nClick to see "
                              "the interleaving.";
                        if (ImGui::IsMouseClicked(ImGuiMouseButton_Left) || ImGui::IsMouseReleased(ImGuiMouseButton_Left)) clicked_time_ = -2;  // the marker's, not a seek
                        if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
                            for (size_t d = 0; d < tr.lost_updates.size(); ++d)
                                if (tr.lost_updates[d].store_time == e.t && tr.lost_updates[d].victim_lane == (int)li)
                                    clicked_lost_ = (int)d;
                        }
                    }
                    break;
                }
                default: break;
                }
            }
            if (tip.empty() && hovered && mouse.y >= y && mouse.y < y + lane_height && mouse.x >= x0) {
                int64_t t = v0_ + (int64_t)((mouse.x - x0) * ns_per_px);
                if (t <= cursor && t <= l.end && !l.intervals.empty()) {
                    size_t k = find_interval(l, t);
                    const Interval& iv = l.intervals[k];
                    int64_t e = lane_end_time(l, k);
                    tip = l.name + ": " + state_label(iv.state) + "\nstart " + fmt_duration((double)iv.t0) +
                          ", duration " + fmt_duration((double)(e - iv.t0));
                    // The instruction, where the simulator recorded it: the one running, or the
                    // one the thread waits in (a sleep, an acquire, the GIL at a check point).
                    if (describe_info && iv.state != ThreadState::NotStarted && iv.state != ThreadState::Done) {
                        std::string d = describe_info(iv.info);
                        if (!d.empty()) tip += (iv.state == ThreadState::Running ? "\nat " : "\nwaiting at ") + d;
                    }
                    // Wait blame: who holds what it waits for, and what that thread is doing now.
                    if (iv.state == ThreadState::WaitGil) {
                        for (const auto& h : index_->holders) {
                            if (h.process != l.process || h.t0.empty()) continue;
                            auto hk = std::upper_bound(h.t0.begin(), h.t0.end(), t);
                            const int holder = hk == h.t0.begin() ? -1 : h.lane[(size_t)(hk - h.t0.begin() - 1)];
                            if (holder >= 0 && holder != (int)li)
                                tip += "\nthe GIL is held by " + tr.lanes[(size_t)holder].name + ", " + doing((size_t)holder, t);
                            else if (holder < 0)
                                tip += "\nthe GIL is free: this thread is being woken to take it";
                        }
                    } else if (iv.state == ThreadState::WaitLock) {
                        // The WaitFor the simulator recorded when this wait began: whose lock, or whose end.
                        const auto& evs = index_->lane_events[li];
                        auto e_it = std::upper_bound(evs.begin(), evs.end(), t, [&](int64_t x, uint32_t ei) { return x < tr.events[ei].t; });
                        while (e_it != evs.begin()) {
                            const TraceEvent& w = tr.events[*--e_it];
                            if (w.t < iv.t0 - 1) break;
                            if (w.kind != EventKind::WaitFor || w.b < 0 || (size_t)w.b >= tr.lanes.size()) continue;
                            tip += w.a < 0 ? "\nwaits for " + tr.lanes[(size_t)w.b].name + " to finish (join); it is " + doing((size_t)w.b, t)
                                           : "\nthe lock is held by " + tr.lanes[(size_t)w.b].name + ", " + doing((size_t)w.b, t);
                            break;
                        }
                    } else if (iv.state == ThreadState::WaitCore) {
                        std::string on;
                        for (size_t o = 0; o < tr.lanes.size(); ++o) {
                            if (o == li || tr.lanes[o].intervals.empty() || t < tr.lanes[o].intervals.front().t0 || t >= tr.lanes[o].end) continue;
                            const ThreadState s = tr.lanes[o].intervals[find_interval(tr.lanes[o], t)].state;
                            if (s == ThreadState::Running || s == ThreadState::CCode) on += (on.empty() ? "" : ", ") + tr.lanes[o].name;
                        }
                        if (!on.empty()) tip += "\nevery core is busy: " + on;
                    }
                }
            }
            y += row;
        }
    }
    // Hand-offs: a thin arrow from the thread that let the GIL (grey) or a lock (the lock-wait
    // colour) go to the one that took it, where they are at least 8 px apart (folded when
    // zoomed out, as intervals are).
    {
        auto ev = std::lower_bound(tr.events.begin(), tr.events.end(), v0_, [](const TraceEvent& e, int64_t t) { return e.t < t; });
        float last_x = -1e9f;
        int drawn = 0;
        dl->PushClipRect(ImVec2(x0, origin.y + ruler_h), ImVec2(x0 + width, clip_max.y), true);
        for (; ev != tr.events.end() && ev->t <= std::min<int64_t>(v1_, cursor) && drawn < 400; ++ev) {
            // The GIL from its last holder (a); a lock from the thread that released it (b).
            const int64_t from = ev->kind == EventKind::GilTake ? ev->a : ev->kind == EventKind::LockHandoff ? ev->b : -1;
            if (from < 0 || from == ev->lane || (size_t)from >= lane_y.size() || (size_t)ev->lane >= lane_y.size() ||
                lane_y[(size_t)from] < 0 || lane_y[(size_t)ev->lane] < 0)
                continue;
            const float x = x0 + (float)((double)(ev->t - v0_) / ns_per_px);
            if (x - last_x < 8.0f) continue;
            last_x = x;
            const float ya = lane_y[(size_t)from] + lane_height * 0.5f, yb = lane_y[(size_t)ev->lane] + lane_height * 0.5f;
            const float dir = yb > ya ? 1.0f : -1.0f;
            const ImU32 col = ev->kind == EventKind::GilTake ? pal.gil_take : pal.state[(size_t)ThreadState::WaitLock];
            dl->AddLine(ImVec2(x, ya), ImVec2(x, yb - dir * 4), col, 1.0f);
            dl->AddTriangleFilled(ImVec2(x - 3, yb - dir * 5), ImVec2(x + 3, yb - dir * 5), ImVec2(x, yb), col);
            ++drawn;
        }
        dl->PopClipRect();
    }
    // Playback cursor.
    if (cursor < v1_ && cursor >= v0_) {
        float x = x0 + (float)((double)(cursor - v0_) / ns_per_px);
        dl->AddLine(ImVec2(x, origin.y), ImVec2(x, clip_max.y), pal.cursor, 1.5f);
    }
    last_tip_ = tip;
    if (!tip.empty()) {
        ImGui::BeginTooltip();
        gui::TextUnformatted(tip.c_str());
        ImGui::EndTooltip();
    }
    ImGui::EndChild();
}

}  // namespace gil::ui
