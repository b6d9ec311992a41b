// false_sharing.cpp — real.false_sharing: per-thread counters packed into one cache line
// against counters on separate lines.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>

#include "engine/real/common.h"
#include "engine/real/real.h"
#include "engine/real/repeat.h"
#include "engine/real/work.h"
#include "engine/stats.h"

namespace gil::real {

void run_false_sharing(const ExperimentSpec&, const ParamSet& p, uint64_t, RunControl& ctl, RunResult& r) {
    const int T = (int)p.get_int("threads");
    if (std::string why = check_thread_count(T); !why.empty()) {
        r.error = why;
        return;
    }
    const int64_t N = p.get_int("increments");
    const int runs = (int)p.get_int("runs");
    std::string error;
    struct alignas(kCacheLine) Line {
        std::atomic<int64_t> v[8];
    };
    struct alignas(kCacheLine) Padded {
        std::atomic<int64_t> v{0};
    };
    Summary sums[2];
    auto bench = [&](bool padded) -> double {
        std::vector<double> ns;
        const bool ok = repeat_runs(runs, true, ctl, [&](bool measured) {
            std::vector<Line> packed((size_t)(T + 7) / 8);
            std::vector<Padded> pad((size_t)T);
            for (auto& l : packed)
                for (auto& x : l.v) x.store(0, std::memory_order_relaxed);
            int64_t w = run_workers(T, [&](int t) {
                // One writer per counter: no update can be lost, only the cache line is shared.
                std::atomic<int64_t>& c = padded ? pad[(size_t)t].v : packed[(size_t)t / 8].v[t % 8];
                for (int64_t i = 0; i < N; ++i) c.store(c.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
            }, error);
            if (w < 0) return false;
            if (measured) ns.push_back((double)w / (double)(N * T));
            return true;
        });
        if (!ok) return -1;
        sums[padded ? 1 : 0] = summarize(ns);
        return sums[padded ? 1 : 0].median;
    };
    double packed = bench(false);
    ctl.progress(0.5);
    double padded = bench(true);
    if (packed < 0 || padded < 0) {
        r.error = error;
        return;
    }
    r.metrics.set("packed_ns_per_increment", packed, "ns", "Counters packed in one cache line (median)");
    r.metrics.set("packed_ns_min", sums[0].min, "ns", "Packed, min over runs");
    r.metrics.set("packed_ns_max", sums[0].max, "ns", "Packed, max over runs");
    r.metrics.set("padded_ns_per_increment", padded, "ns", "Counters on separate cache lines (median)");
    r.metrics.set("padded_ns_min", sums[1].min, "ns", "Padded, min over runs");
    r.metrics.set("padded_ns_max", sums[1].max, "ns", "Padded, max over runs");
    r.metrics.set("runs", (double)sums[0].n, "", "Measured runs each (after a warm-up)");
    r.metrics.set("slowdown", packed / padded, "x", "Packed / padded");
    r.metrics.set("hardware_threads", hardware_threads(), "", "Hardware threads found");
    r.notes.push_back("Each thread writes only its own counter, yet packed counters share one 64-byte cache line, "
                      "which must move between cores on every write: false sharing.");
    if (ctl.cancelled()) r.cancelled = true;
}

}  // namespace gil::real
