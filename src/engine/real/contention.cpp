// contention.cpp — real.contention: T real threads doing private work, then taking one
// shared lock (std::mutex, a spin lock or a ticket lock).
#include <algorithm>
#include <cmath>
#include <mutex>

#include "engine/real/common.h"
#include "engine/real/real.h"
#include "engine/real/recorder.h"
#include "engine/real/repeat.h"
#include "engine/real/work.h"
#include "engine/stats.h"

namespace gil::real {

namespace {




// First come, first served: each thread takes a ticket and waits for its number.
class TicketLock {
public:
    void lock() {
        const uint32_t me = next_.fetch_add(1, std::memory_order_relaxed);
        for (int spins = 0; serving_.load(std::memory_order_acquire) != me; ++spins) {
            if (spins < 128) cpu_relax();
            else std::this_thread::yield();
        }
    }
    void unlock() { serving_.store(serving_.load(std::memory_order_relaxed) + 1, std::memory_order_release); }

private:
    alignas(kCacheLine) std::atomic<uint32_t> next_{0};
    alignas(kCacheLine) std::atomic<uint32_t> serving_{0};
};

enum LockKind { KMutex, KSpin, KTicket };

struct alignas(kCacheLine) PerThread {
    uint64_t acquisitions = 0;
    uint64_t sink = 1;
    std::vector<double> waits;  // preallocated; one sample per acquisition until full
};

struct ContentionOutcome {
    double throughput = 0;       // acquisitions per second
    double wait_mean = 0, wait_p99 = 0;
    int64_t lost = 0;  // acquisitions minus increments counted under the lock: must be 0
    std::vector<uint64_t> per_thread;
    int64_t wall = 0;
    std::shared_ptr<Trace> trace;
};

ContentionOutcome contend(LockKind kind, int threads, double work_ns, double crit_ns, int64_t duration_ns,
                          bool record, RunControl& ctl, std::string& error) {
    std::mutex mu;
    SpinLock spin;
    TicketLock ticket;
    std::vector<PerThread> pt((size_t)threads);
    for (auto& p : pt) p.waits.reserve(200'000);
    std::vector<PaddedRecorder> rec((size_t)threads);
    for (auto& r : rec) r.r.init(record ? 400'000 : 0, record);
    std::atomic<bool> stop{false};
    int64_t protected_count = 0;  // incremented only inside the critical section
    const uint64_t w_it = iters_for_ns(work_ns), c_it = iters_for_ns(crit_ns);
    ContentionOutcome o;
    o.wall = run_workers(threads, [&](int t) {
        PerThread& me = pt[(size_t)t];
        Recorder& r = rec[(size_t)t].r;
        r.start();
        const int64_t start = now_ns();
        uint64_t n = 0;
        while (!stop.load(std::memory_order_relaxed)) {
            r.mark(ThreadState::Running);
            me.sink = spin_work(w_it, me.sink);
            r.mark(ThreadState::WaitLock);
            const int64_t req = now_ns();
            switch (kind) {
            case KMutex: mu.lock(); break;
            case KSpin: spin.lock(); break;
            case KTicket: ticket.lock(); break;
            }
            const int64_t got = now_ns();
            r.mark(ThreadState::CCode, 1);  // inside the critical section
            me.sink = spin_work(c_it, me.sink);
            ++protected_count;
            switch (kind) {
            case KMutex: mu.unlock(); break;
            case KSpin: spin.unlock(); break;
            case KTicket: ticket.unlock(); break;
            }
            if (me.waits.size() < me.waits.capacity()) me.waits.push_back((double)(got - req));
            ++n;
            // Thread 0 keeps time: every thread stops at the same moment.
            if (t == 0 && (n & 63) == 0) {
                int64_t el = now_ns() - start;
                ctl.progress(std::min(1.0, (double)el / (double)duration_ns));
                if (el >= duration_ns || ctl.cancelled()) stop.store(true, std::memory_order_relaxed);
            }
        }
        r.mark(ThreadState::Done);
        me.acquisitions = n;
    }, error);
    if (o.wall < 0) return o;
    std::vector<double> all;
    uint64_t total = 0;
    for (auto& p : pt) {
        total += p.acquisitions;
        o.per_thread.push_back(p.acquisitions);
        all.insert(all.end(), p.waits.begin(), p.waits.end());
    }
    o.throughput = (double)total / ((double)o.wall * 1e-9);
    o.lost = (int64_t)total - protected_count;
    o.wait_mean = summarize(all).mean;
    o.wait_p99 = percentile(all, 99);
    if (record) {
        std::vector<std::string> names;
        for (int i = 0; i < threads; ++i) names.push_back("thread " + std::to_string(i + 1));
        o.trace = trace_from_recorders(rec, names, o.wall);
    }
    return o;
}

// Jain's fairness index over per-thread acquisitions: 1 = perfectly even, 1/n = one thread got all.
double jain(const std::vector<uint64_t>& v) {
    double s = 0, s2 = 0;
    for (uint64_t x : v) {
        s += (double)x;
        s2 += (double)x * (double)x;
    }
    return s2 > 0 ? s * s / ((double)v.size() * s2) : 1.0;
}

}  // namespace

void run_contention(const ExperimentSpec&, const ParamSet& p, uint64_t, RunControl& ctl, RunResult& r) {
    const int T = (int)p.get_int("threads");
    if (std::string why = check_thread_count(T); !why.empty()) {
        r.error = why;
        return;
    }
    const LockKind kind = (LockKind)p.choice("lock");
    const double W = p.get("work_ns"), C = p.get("critical_ns");
    const int64_t D = (int64_t)(p.get("duration_ms") * 1e6);
    const int runs = (int)p.get_int("runs");
    std::string error;
    // A short warm-up, then `runs` measured runs; the last one is shown on the timeline.
    std::vector<double> thr, p99;
    ContentionOutcome main;
    int k = 0;
    const bool ok = repeat_runs(runs, true, ctl, [&](bool measured) {
        if (!measured) return contend(kind, T, W, C, std::min<int64_t>(D, 20'000'000), false, ctl, error).wall >= 0;
        main = contend(kind, T, W, C, D, ctl.record_trace && k++ == runs - 1, ctl, error);
        if (main.wall < 0) return false;
        thr.push_back(main.throughput);
        p99.push_back(main.wait_p99);
        return true;
    });
    if (!ok) {
        r.error = error;
        return;
    }
    if (thr.empty()) {
        r.cancelled = true;
        return;
    }
    Summary ts = summarize(thr);
    r.metrics.set("runs", (double)thr.size(), "", "Measured runs (after a warm-up)");
    r.metrics.set("throughput_min", ts.min, "/s", "Throughput, min over runs");
    r.metrics.set("throughput_median", ts.median, "/s", "Throughput, median over runs");
    r.metrics.set("throughput_max", ts.max, "/s", "Throughput, max over runs");
    r.metrics.set("wait_p99_median_ns", summarize(p99).median, "ns", "Wait p99, median over runs");
    r.metrics.set("throughput", main.throughput, "/s", "Lock acquisitions per second (last run)");
    r.metrics.set("lost", (double)main.lost, "", "Updates lost under the lock (must be 0)");
    r.metrics.set("wait_mean_ns", main.wait_mean, "ns", "Wait to acquire: mean (last run)");
    r.metrics.set("wait_p99_ns", main.wait_p99, "ns", "Wait to acquire: 99th percentile (last run)");
    r.metrics.set("fairness", jain(main.per_thread), "", "Fairness (Jain's index, 1 = even)");
    uint64_t mx = *std::max_element(main.per_thread.begin(), main.per_thread.end());
    uint64_t mn = *std::min_element(main.per_thread.begin(), main.per_thread.end());
    r.metrics.set("share_max_pct", 100.0 * (double)mx / std::max(1.0, main.throughput * (double)main.wall * 1e-9), "%",
                  "Largest per-thread share of acquisitions");
    r.metrics.set("share_min_pct", 100.0 * (double)mn / std::max(1.0, main.throughput * (double)main.wall * 1e-9), "%",
                  "Smallest per-thread share of acquisitions");
    r.metrics.set("ideal_throughput", 1e9 / std::max(1.0, C), "/s", "Ceiling: one critical section after another");
    r.metrics.set("wall_ns", (double)main.wall, "ns", "Measured wall time");
    r.metrics.set("hardware_threads", hardware_threads(), "", "Hardware threads found");
    r.metrics.set("spin_ns_per_iter", spin_ns_per_iter(), "ns", "Work unit (calibrated)");
    if (ctl.record_trace) r.metrics.set("record_ns_per_mark", recorder_cost_ns(), "ns", "Cost of recording one state change");
    r.trace = main.trace;
    // How throughput changes with thread count and with C/W: shorter runs, same lock.
    Series byT, byRatio;
    byT.key = "throughput_vs_threads";
    byT.label = "Throughput vs threads";
    byT.x_label = "threads";
    byT.y_label = "acquisitions/s (millions)";
    byRatio.key = "throughput_vs_ratio";
    byRatio.label = "Throughput vs critical/private work";
    byRatio.x_label = "critical_ns / work_ns";
    byRatio.y_label = "acquisitions/s (millions)";
    const int64_t short_d = std::max<int64_t>(20'000'000, D / 4);
    for (int t = 1; t <= T && !ctl.cancelled(); t *= 2) {
        ContentionOutcome o = contend(kind, t, W, C, short_d, false, ctl, error);
        byT.x.push_back(t);
        byT.y.push_back(o.throughput / 1e6);
    }
    for (double ratio : {0.125, 0.25, 0.5, 1.0, 2.0}) {
        if (ctl.cancelled()) break;
        ContentionOutcome o = contend(kind, T, W, W * ratio, short_d, false, ctl, error);
        byRatio.x.push_back(ratio);
        byRatio.y.push_back(o.throughput / 1e6);
    }
    r.series = {byT, byRatio};
    Series shares;
    shares.key = "acquisitions_per_thread";
    shares.label = "Acquisitions per thread";
    shares.x_label = "thread";
    shares.y_label = "acquisitions";
    for (size_t i = 0; i < main.per_thread.size(); ++i) {
        shares.x.push_back((double)i + 1);
        shares.y.push_back((double)main.per_thread[i]);
    }
    r.series.push_back(shares);
    if (ctl.cancelled()) r.cancelled = true;
    r.notes.push_back(kind == KTicket ? "A ticket lock serves threads in arrival order: fair, but every hand-off must "
                                        "wake exactly the next thread in line."
                      : kind == KSpin ? "A spin lock lets whoever sees it free first win: fast hand-offs, no fairness."
                                      : "std::mutex spins briefly, then sleeps in the kernel; a thread that just "
                                        "released it often wins it back.");
}

}  // namespace gil::real
