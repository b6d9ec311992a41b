// trace_index.h — what the timeline and the live counters derive from a finished run's trace
// (who held the GIL when, event times by kind, a level of detail for zoomed-out views).
// No ImGui: it is built on the job's thread (LabState::start), not the UI's.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "engine/trace.h"

namespace gil::ui {

// Where interval i of a lane ends: where the next begins, or the lane's end.
inline int64_t lane_end_time(const Lane& l, size_t i) {
    return i + 1 < l.intervals.size() ? l.intervals[i + 1].t0 : l.end;
}

// Derived, precomputed views of a trace for fast drawing and counters at a cursor.
struct TraceIndex {
    std::shared_ptr<const Trace> trace;
    // Per process: who held the GIL (lane index, -1 none) as tiling intervals.
    struct HolderLane {
        int process;
        std::vector<int64_t> t0;
        std::vector<int32_t> lane;
    };
    std::vector<HolderLane> holders;
    // Event times by kind (sorted) for counters at the cursor, and per lane for markers.
    std::vector<int64_t> times_by_kind[(size_t)EventKind::Count];
    std::vector<int64_t> lost_prefix;  // prefix sums of lost counts, aligned with LostUpdate times
    std::vector<std::vector<uint32_t>> lane_events;  // indices into trace->events, per lane
    // Level of detail for zoomed-out views: the run cut into kLodBuckets equal buckets,
    // each holding the state (lanes) or holder lane (GIL lanes) that covers most of it.
    // A view where one pixel spans a bucket or more samples these instead of intervals,
    // so a frame costs the same with 10 million intervals as with 10 thousand.
    static constexpr int kLodBuckets = 1 << 16;
    int64_t lod_bucket_ns = 0;
    std::vector<std::vector<uint8_t>> lane_lod;    // ThreadState per bucket
    std::vector<std::vector<int16_t>> holder_lod;  // lane per bucket (-1: free)
    void build(std::shared_ptr<const Trace> t, bool has_gil);
    size_t count_until(EventKind k, int64_t t) const;
    void build_lod();
    void build_holder_lod();
    int64_t lost_until(int64_t t) const;
};

}  // namespace gil::ui
