// race.cpp — real.race: T real threads × N increments of one shared counter.
//
// NOT A BUG: mode "racy" loses updates on purpose. It is a relaxed atomic load followed
// by a relaxed atomic store, so the lost updates are real (another thread's store lands
// between our load and our store) while the program has no data race in the C++ sense
// and no undefined behaviour; TSan stays quiet by design.
#include <algorithm>
#include <mutex>

#include "engine/real/common.h"
#include "engine/real/real.h"
#include "engine/real/repeat.h"
#include "engine/stats.h"

namespace gil::real {

namespace {

struct alignas(kCacheLine) PaddedCounter {
    std::atomic<int64_t> v{0};
};


enum Mode { Racy, Atomic, Mutex, Spin, Sharded, Both };

struct RaceOutcome {
    int64_t wall_ns = -1;
    int64_t final_value = 0;
    int64_t done_increments = 0;  // increments actually performed (less when cancelled)
};

RaceOutcome race_once(Mode mode, int threads, int64_t n, RunControl& ctl, std::string& error) {
    // Counters live on their own cache lines so only true sharing is measured.
    PaddedCounter shared;
    std::mutex mu;
    SpinLock spin;
    std::vector<PaddedCounter> shards((size_t)threads);
    std::vector<PaddedCounter> done((size_t)threads);
    // Mode "both" increments the gauges themselves so the UI sees them move live.
    std::atomic<int64_t>& live_racy = ctl.gauges.value[0];
    std::atomic<int64_t>& live_atomic = ctl.gauges.value[1];
    live_racy.store(0, std::memory_order_relaxed);
    live_atomic.store(0, std::memory_order_relaxed);

    RaceOutcome out;
    constexpr int64_t kChunk = 4096;  // cancellation and progress are checked per chunk
    out.wall_ns = run_workers(threads, [&](int t) {
        int64_t i = 0;
        while (i < n) {
            if (ctl.cancelled()) break;
            int64_t end = std::min(n, i + kChunk);
            switch (mode) {
            case Racy:
                for (; i < end; ++i) {
                    int64_t v = shared.v.load(std::memory_order_relaxed);
                    shared.v.store(v + 1, std::memory_order_relaxed);
                }
                break;
            case Atomic:
                for (; i < end; ++i) shared.v.fetch_add(1, std::memory_order_relaxed);
                break;
            case Mutex:
                for (; i < end; ++i) {
                    std::lock_guard<std::mutex> g(mu);
                    shared.v.store(shared.v.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
                }
                break;
            case Spin:
                for (; i < end; ++i) {
                    spin.lock();
                    shared.v.store(shared.v.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
                    spin.unlock();
                }
                break;
            case Sharded: {
                std::atomic<int64_t>& mine = shards[(size_t)t].v;  // one writer: no update can be lost
                for (; i < end; ++i) mine.store(mine.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
                break;
            }
            case Both:
                for (; i < end; ++i) {
                    int64_t v = live_racy.load(std::memory_order_relaxed);
                    live_racy.store(v + 1, std::memory_order_relaxed);
                    live_atomic.fetch_add(1, std::memory_order_relaxed);
                }
                break;
            }
            done[(size_t)t].v.store(i, std::memory_order_relaxed);
            if (t == 0) ctl.progress((double)i / (double)n);
        }
        done[(size_t)t].v.store(i, std::memory_order_relaxed);
    }, error);
    for (auto& d : done) out.done_increments += d.v.load(std::memory_order_relaxed);
    switch (mode) {
    case Sharded:
        for (auto& s : shards) out.final_value += s.v.load(std::memory_order_relaxed);
        break;
    case Both: out.final_value = live_racy.load(std::memory_order_relaxed); break;
    default: out.final_value = shared.v.load(std::memory_order_relaxed); break;
    }
    if (mode != Both) {
        live_racy.store(out.final_value, std::memory_order_relaxed);
        live_atomic.store(out.done_increments, std::memory_order_relaxed);
    }
    return out;
}

}  // namespace

void run_race(const ExperimentSpec&, const ParamSet& p, uint64_t, RunControl& ctl, RunResult& r) {
    const int threads = (int)p.get_int("threads");
    const int64_t n = p.get_int("increments");
    const Mode mode = (Mode)p.choice("mode");
    const int runs = (int)p.get_int("runs");
    if (std::string why = check_thread_count(threads); !why.empty()) {
        r.error = why;
        return;
    }
    ctl.gauges.name[0] = mode == Both ? "racy counter" : "counter";
    ctl.gauges.name[1] = mode == Both ? "atomic counter" : "increments done";
    ctl.gauges.count.store(2, std::memory_order_release);

    std::vector<double> wall, lost;
    RaceOutcome last;
    std::string error;
    // One warm-up run (page faults, thread creation paths, CPU frequency) unless the run
    // is large enough to warm itself, then `runs` measured runs.
    const bool warmup = runs > 1 && (int64_t)threads * n <= 50'000'000;
    const bool ok = repeat_runs(runs, warmup, ctl, [&](bool measured) {
        RaceOutcome o = race_once(mode, threads, n, ctl, error);
        if (o.wall_ns < 0) return false;
        if (!measured) return true;
        last = o;
        if (ctl.cancelled()) return true;
        wall.push_back((double)o.wall_ns);
        lost.push_back((double)(o.done_increments - o.final_value));
        return true;
    });
    if (!ok) {
        r.error = error;
        return;
    }
    const int64_t expected = (int64_t)threads * n;
    r.metrics.set("expected", (double)expected, "", "Expected final value");
    r.metrics.set("final", (double)last.final_value, "", "Final value (last run)");
    r.metrics.set("lost", (double)(last.done_increments - last.final_value), "", "Lost updates (last run)");
    if (mode == Both) r.metrics.set("atomic_final", (double)last.done_increments, "", "Atomic counter (last run)");
    if (!wall.empty()) {
        Summary w = summarize(wall), l = summarize(lost);
        r.metrics.set("runs", (double)wall.size(), "", "Measured runs");
        r.metrics.set("lost_min", l.min, "", "Lost updates, min over runs");
        r.metrics.set("lost_median", l.median, "", "Lost updates, median over runs");
        r.metrics.set("lost_max", l.max, "", "Lost updates, max over runs");
        r.metrics.set("wall_ns_min", w.min, "ns", "Wall time, min");
        r.metrics.set("wall_ns_median", w.median, "ns", "Wall time, median");
        r.metrics.set("wall_ns_max", w.max, "ns", "Wall time, max");
        r.metrics.set("ns_per_increment", w.median / (double)expected, "ns", "Time per increment (median run)");
    }
    r.metrics.set("hardware_threads", hardware_threads(), "", "Hardware threads found");
    if (ctl.cancelled()) {
        r.cancelled = true;
        r.notes.push_back("Cancelled: " + std::to_string(last.done_increments) + " of " + std::to_string(expected) +
                          " increments were done before every thread stopped.");
    }
    const int64_t lost_last = last.done_increments - last.final_value;
    if (mode == Racy || mode == Both) {
        if (lost_last > 0)
            r.notes.push_back(std::to_string(lost_last) + " updates were lost: a thread loaded the counter, another thread "
                              "stored to it, and the first thread's store overwrote that work.");
        else if (threads > 1)
            r.notes.push_back("No update was lost this time. Races depend on timing: try more increments or threads.");
    }
}

}  // namespace gil::real
