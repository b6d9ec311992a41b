// timeline.h — the timeline of a run: one lane per thread (grouped by process), a
// GIL-holder lane per process, state colours, event markers, zoom and pan.
//
// It stays fast with millions of intervals: each frame picks the visible range of every
// lane by binary search and folds intervals narrower than a pixel into one sampled
// column, so the work per frame is bounded by lanes x pixels, not by intervals.
// build() produces rectangles (Instance) that a GPU backend draws instanced
// (gl_timeline.cpp, shaders/timeline.*.glsl) or, without one, ImDrawList does.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/trace.h"
#include "imgui.h"
#include "ui/trace_index.h"

namespace gil::ui {

// One rectangle for the instanced shader: pixel coordinates and a packed RGBA colour.
struct Instance {
    float x0, y0, x1, y1;
    uint32_t rgba;  // ImGui's IM_COL32 layout (ABGR in memory)
};

class TimelineGpu {
public:
    virtual ~TimelineGpu() = default;
    // Queues the instances to be drawn inside the current ImGui window's draw list,
    // clipped to clip_min..clip_max (screen pixels).
    virtual void draw(ImDrawList* dl, const std::vector<Instance>& inst, ImVec2 clip_min, ImVec2 clip_max) = 0;
};

struct Palette {
    uint32_t state[(size_t)ThreadState::Count];
    uint32_t thread_colors[8];
    uint32_t background, lane_bg, grid, text, cursor, drop, forced, lost, gil_take;
};
Palette palette(bool dark);

class TimelineView {
public:
    // Describes an instruction for tooltips ("LOAD_GLOBAL counter"); may be empty.
    std::function<std::string(uint32_t info)> describe_info;

    void set_trace(std::shared_ptr<const Trace> t, bool has_gil);
    // Shows an index built elsewhere (the lab builds it on the job's thread) and shares it
    // with whoever else reads it (the live counters): millions of intervals are not copied.
    void set_index(std::shared_ptr<const TraceIndex> ix);
    bool has_trace() const { return (bool)index_->trace; }
    const TraceIndex& index() const { return *index_; }
    void fit();                        // show the whole run
    void zoom_to(int64_t t0, int64_t t1);
    // Draws in the current window region of the given size. cursor_ns: only the part of
    // the run before it is shown (playback); gpu may be null.
    void draw(ImVec2 size, int64_t cursor_ns, TimelineGpu* gpu, const Palette& pal);
    // Builds the instances for a view without drawing (used by draw and the benchmark).
    void build(float x0, float y0, float width, int64_t cursor_ns, const Palette& pal, std::vector<Instance>& out);
    int64_t view_begin() const { return v0_; }
    int64_t view_end() const { return v1_; }
    // A lost-update marker the user clicked (index into trace->lost_updates), or -1.
    int clicked_lost_update() {
        int c = clicked_lost_;
        clicked_lost_ = -1;
        return c;
    }
    // A click on the lanes (not a drag, not a marker): the time there, once; else -1.
    int64_t clicked_time() {
        int64_t t = clicked_time_;
        clicked_time_ = -1;
        return t;
    }
    // The tooltip the last frame showed ("" = none): tests and the screenshots read it.
    const std::string& last_tooltip() const { return last_tip_; }
    float lane_height = 22.0f, lane_gap = 4.0f, label_width = 150.0f;
    // Shown (wrapped) where the lanes would be when there is no trace.
    std::string empty_text = "Run the experiment to see its timeline here.";

private:
    std::shared_ptr<const TraceIndex> index_ = std::make_shared<TraceIndex>();
    int64_t v0_ = 0, v1_ = 1;
    int clicked_lost_ = -1;
    int64_t clicked_time_ = -1;
    std::string last_tip_;
    std::vector<Instance> inst_;
    float total_height() const;
};

// Formats a duration in ns as "12.3 ms", "850 us", "42 ns".
std::string fmt_duration(double ns);
// The ruler's tick step for the view [v0, v1] drawn `width` pixels wide: a round value
// (1, 2 or 5 x 10^k ns) with every label (text_w measures one) ending 10 px before the next tick.
double ruler_step(int64_t v0, int64_t v1, float width, const std::function<float(const std::string&)>& text_w);
// v in fixed notation with `sig` significant digits ("317.1", "0.00123"), never scientific.
std::string fmt_sig(double v, int sig);

}  // namespace gil::ui
