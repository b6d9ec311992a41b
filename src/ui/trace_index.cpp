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
        std::vector<std::pair<int64_t, int32_t>> edges;  // (time, lane) start; lane -1 = free
        for (size_t li = 0; li < tr.lanes.size(); ++li) {
            const Lane& l = tr.lanes[li];
            if (l.process != p) continue;
            for (size_t k = 0; k < l.intervals.size(); ++k)
                if (l.intervals[k].state == ThreadState::Running) {
                    edges.push_back({l.intervals[k].t0, (int32_t)li});
                    edges.push_back({lane_end_time(l, k), -1});
                }
        }
        std::stable_sort(edges.begin(), edges.end(), [](auto& a, auto& b) {
            return a.first != b.first ? a.first < b.first : a.second < b.second;  // ends (-1) first
        });
        HolderLane h;
        h.process = p;
        h.t0.push_back(0);
        h.lane.push_back(-1);
        for (auto& e : edges) {
            if (h.t0.back() == e.first) {
                h.lane.back() = e.second;
            } else if (h.lane.back() != e.second) {
                h.t0.push_back(e.first);
                h.lane.push_back(e.second);
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
