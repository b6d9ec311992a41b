// trace_index.cpp — builds the trace index: GIL holders, event times by kind, level of detail (see trace_index.h).
#include "ui/trace_index.h"

#include <algorithm>

namespace gil::ui {

void TraceIndex::build(std::shared_ptr<const Trace> t, bool has_gil) {
    trace = std::move(t);
    holders.clear();
    for (auto& v : times_by_kind) v.clear();
    lost_prefix.clear();
    lane_events.assign(trace ? trace->lanes.size() : 0, {});
    if (!trace) return;
    const Trace& tr = *trace;
    int64_t lost = 0;
    for (uint32_t i = 0; i < tr.events.size(); ++i) {
        const TraceEvent& e = tr.events[i];
        // A GIL switch is a take from another thread (a = the previous holder): the first take
        // of a run is none, as in the simulator's gil_switches metric and its notes.
        if (!(e.kind == EventKind::GilTake && e.a < 0)) times_by_kind[(size_t)e.kind].push_back(e.t);
        if (e.kind == EventKind::LostUpdate) lost_prefix.push_back(lost += e.a);
        if (e.lane >= 0 && (size_t)e.lane < lane_events.size()) lane_events[(size_t)e.lane].push_back(i);
    }
    build_lod();
    if (!has_gil) return;
    // GIL holder per process: under a GIL at most one lane per process is Running, so the
    // merged Running intervals of a process tile who-holds-it-when.
    int nproc = 0;
    for (const auto& l : tr.lanes) nproc = std::max(nproc, l.process + 1);
    for (int p = 0; p < nproc; ++p) {
        // A GIL lane says something only when threads of the process can compete for it.
        int lanes_in_p = 0;
        for (const auto& l : tr.lanes) lanes_in_p += l.process == p;
        if (lanes_in_p < 2) continue;
        // Edges (time, +1 start / -1 end, lane). Real threads stamp their marks with their own
        // clocks (Recorder::start), so one thread's Running may begin a little before the
        // previous holder's ends: while any lane runs the GIL is held, by the one that began
        // last, and the end of an earlier interval must not free it (that left gaps of a
        // whole switch interval in real.gil's holder lane).
        struct Edge {
            int64_t t;
            int kind;  // -1 end, +1 start: ends first at equal times
            int32_t lane;
        };
        std::vector<Edge> edges;
        for (size_t li = 0; li < tr.lanes.size(); ++li) {
            const Lane& l = tr.lanes[li];
            if (l.process != p) continue;
            for (size_t k = 0; k < l.intervals.size(); ++k)
                if (l.intervals[k].state == ThreadState::Running) {
                    const int64_t e = lane_end_time(l, k);
                    if (e <= l.intervals[k].t0) continue;
                    edges.push_back({l.intervals[k].t0, +1, (int32_t)li});
                    edges.push_back({e, -1, (int32_t)li});
                }
        }
        std::sort(edges.begin(), edges.end(), [](const Edge& a, const Edge& b) {
            return a.t != b.t ? a.t < b.t : a.kind != b.kind ? a.kind < b.kind : a.lane < b.lane;
        });
        HolderLane h;
        h.process = p;
        h.t0.push_back(0);
        h.lane.push_back(-1);
        std::vector<int32_t> active;  // running lanes, in the order they began
        for (size_t i = 0; i < edges.size();) {
            const int64_t t = edges[i].t;
            for (; i < edges.size() && edges[i].t == t; ++i) {
                if (edges[i].kind > 0) {
                    active.push_back(edges[i].lane);
                } else {
                    auto it = std::find(active.begin(), active.end(), edges[i].lane);
                    if (it != active.end()) active.erase(it);
                }
            }
            const int32_t holder = active.empty() ? -1 : active.back();
            if (h.t0.back() == t) {
                h.lane.back() = holder;
                if (h.lane.size() >= 2 && h.lane[h.lane.size() - 2] == holder) {
                    h.t0.pop_back();
                    h.lane.pop_back();
                }
            } else if (h.lane.back() != holder) {
                h.t0.push_back(t);
                h.lane.push_back(holder);
            }
        }
        holders.push_back(std::move(h));
    }
    build_holder_lod();
}

// For each bucket, the value covering most of it. Intervals are visited once.
template <class T0, class Val, class Out>
static void lod_fill(size_t n, T0 t0_of, int64_t end, Val val_of, int64_t bw, std::vector<Out>& out, Out none) {
    const int B = TraceIndex::kLodBuckets;
    out.assign((size_t)B, none);
    std::vector<int64_t> best((size_t)B, 0);
    for (size_t i = 0; i < n; ++i) {
        int64_t a = t0_of(i), e = i + 1 < n ? t0_of(i + 1) : end;
        if (e <= a) continue;
        int64_t ba = a / bw, be = std::min<int64_t>(B - 1, (e - 1) / bw);
        for (int64_t b = ba; b <= be && b < B; ++b) {
            int64_t cover = std::min(e, (b + 1) * bw) - std::max(a, b * bw);
            if (cover > best[(size_t)b]) {
                best[(size_t)b] = cover;
                out[(size_t)b] = val_of(i);
            }
            if (b == ba && be - ba > 2) {  // a long interval: fill the middle directly
                for (int64_t m = ba + 1; m < be; ++m) {
                    best[(size_t)m] = bw;
                    out[(size_t)m] = val_of(i);
                }
                b = be - 1;
            }
        }
    }
}

void TraceIndex::build_lod() {
    lane_lod.clear();
    holder_lod.clear();
    if (!trace) return;
    lod_bucket_ns = std::max<int64_t>(1, (trace->end + kLodBuckets - 1) / kLodBuckets);
    for (const auto& l : trace->lanes) {
        lane_lod.emplace_back();
        lod_fill(
            l.intervals.size(), [&](size_t i) { return l.intervals[i].t0; }, l.end,
            [&](size_t i) { return (uint8_t)l.intervals[i].state; }, lod_bucket_ns, lane_lod.back(),
            (uint8_t)ThreadState::Done);
    }
}

void TraceIndex::build_holder_lod() {
    for (const auto& h : holders) {
        holder_lod.emplace_back();
        lod_fill(
            h.t0.size(), [&](size_t i) { return h.t0[i]; }, trace->end, [&](size_t i) { return (int16_t)h.lane[i]; },
            lod_bucket_ns, holder_lod.back(), (int16_t)-1);
    }
}

size_t TraceIndex::count_until(EventKind k, int64_t t) const {
    const auto& v = times_by_kind[(size_t)k];
    return (size_t)(std::upper_bound(v.begin(), v.end(), t) - v.begin());
}

int64_t TraceIndex::lost_until(int64_t t) const {
    size_t n = count_until(EventKind::LostUpdate, t);
    return n ? lost_prefix[n - 1] : 0;
}

}  // namespace gil::ui
