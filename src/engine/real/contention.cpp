// contention.cpp — real.contention, real.scaling and real.false_sharing: what locks,
// cores and cache lines do to real threads.
#include <algorithm>
#include <cmath>
#include <mutex>

#include "engine/real/common.h"
#include "engine/real/real.h"
#include "engine/real/recorder.h"
#include "engine/stats.h"

namespace gil::real {

namespace {

// A dependency chain the compiler cannot skip: `iters` steps of xorshift.
uint64_t spin_work(uint64_t iters, uint64_t x) {
    for (uint64_t i = 0; i < iters; ++i) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    return x;
}

// Nanoseconds per spin_work step on this machine (median of a few runs).
double spin_ns_per_iter() {
    // Measured once per process; thread-safe by the rules of static initialization.
    static const double cached = [] {
        std::vector<double> v;
        uint64_t sink = 1;
        for (int i = 0; i < 5; ++i) {
            int64_t t = now_ns();
            sink = spin_work(2'000'000, sink | 1);
            v.push_back((double)(now_ns() - t) / 2e6);
        }
        return std::max(0.05, summarize(v).median) + (sink == 0 ? 1e-9 : 0.0);
    }();
    return cached;
}
uint64_t iters_for_ns(double ns) { return (uint64_t)std::max(0.0, ns / spin_ns_per_iter()); }


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
    contend(kind, T, W, C, std::min<int64_t>(D, 20'000'000), false, ctl, error);
    std::vector<double> thr, p99;
    ContentionOutcome main;
    for (int k = 0; k < runs && !ctl.cancelled(); ++k) {
        main = contend(kind, T, W, C, D, ctl.record_trace && k == runs - 1, ctl, error);
        if (main.wall < 0) {
            r.error = error;
            return;
        }
        thr.push_back(main.throughput);
        p99.push_back(main.wait_p99);
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

// ------------------------------------------------------------------ real.scaling

void run_scaling(const ExperimentSpec&, const ParamSet& p, uint64_t, RunControl& ctl, RunResult& r) {
    const int T = (int)p.get_int("threads");
    if (std::string why = check_thread_count(T); !why.empty()) {
        r.error = why;
        return;
    }
    const double total_ms = p.get("work_ms");
    const double serial_pct = p.get("serial_pct");
    const int runs = (int)p.get_int("runs");
    const uint64_t total_it = iters_for_ns(total_ms * 1e6);
    const uint64_t serial_it = (uint64_t)((double)total_it * serial_pct / 100.0);
    const uint64_t par_it = total_it - serial_it;
    std::string error;
    auto once = [&](int threads) -> int64_t {
        // The serial part runs on one thread first, then the parallel part is split.
        int64_t t = now_ns();
        volatile uint64_t sink = spin_work(serial_it, 1);
        (void)sink;
        if (threads == 0) {
            sink = spin_work(par_it, 3);
            return now_ns() - t;
        }
        int64_t w = run_workers(threads, [&](int i) {
            uint64_t share = par_it / (uint64_t)threads + ((uint64_t)i < par_it % (uint64_t)threads ? 1 : 0);
            volatile uint64_t s = spin_work(share, (uint64_t)i + 5);
            (void)s;
        }, error);
        if (w < 0) return -1;
        return now_ns() - t;
    };
    Summary last;
    auto median_of = [&](int threads) {
        std::vector<double> v;
        once(threads);  // warm-up
        for (int k = 0; k < runs && !ctl.cancelled(); ++k) {
            int64_t x = once(threads);
            if (x < 0) return -1.0;
            v.push_back((double)x);
        }
        last = summarize(v);
        return last.median;
    };
    const double serial = median_of(0);
    r.metrics.set("serial_min_ns", last.min, "ns", "Serial: time, min");
    r.metrics.set("serial_max_ns", last.max, "ns", "Serial: time, max");
    Series sp, eff, ideal, amdahl;
    sp.key = "speedup";
    sp.label = "Measured speedup";
    sp.x_label = "threads";
    sp.y_label = "speedup";
    eff.key = "efficiency";
    eff.label = "Efficiency (speedup / threads)";
    eff.x_label = "threads";
    eff.y_label = "efficiency";
    for (int t = 1; t <= T && !ctl.cancelled(); ++t) {
        double m = median_of(t);
        if (m < 0) {
            r.error = error;
            return;
        }
        sp.x.push_back(t);
        sp.y.push_back(serial / m);
        eff.x.push_back(t);
        eff.y.push_back(serial / m / t);
        char k[48];
        std::snprintf(k, sizeof k, "speedup_%d", t);
        r.metrics.set(k, serial / m, "x", "Speedup with " + std::to_string(t) + " thread(s)");
        std::snprintf(k, sizeof k, "time_%d_min_ns", t);
        r.metrics.set(k, last.min, "ns", std::to_string(t) + " thread(s): time, min");
        std::snprintf(k, sizeof k, "time_%d_median_ns", t);
        r.metrics.set(k, last.median, "ns", std::to_string(t) + " thread(s): time, median");
        std::snprintf(k, sizeof k, "time_%d_max_ns", t);
        r.metrics.set(k, last.max, "ns", std::to_string(t) + " thread(s): time, max");
        ctl.progress((double)t / T);
    }
    const double s = fit_amdahl_serial_fraction(sp.x, sp.y);
    ideal.key = "ideal";
    ideal.label = "Ideal (linear)";
    ideal.x_label = "threads";
    ideal.y_label = "speedup";
    amdahl.key = "amdahl";
    amdahl.label = "Amdahl fit";
    amdahl.x_label = "threads";
    amdahl.y_label = "speedup";
    for (double t : sp.x) {
        ideal.x.push_back(t);
        ideal.y.push_back(t);
        amdahl.x.push_back(t);
        amdahl.y.push_back(amdahl_speedup(s, t));
    }
    r.metrics.set("serial_ns", serial, "ns", "Serial run (median)");
    r.metrics.set("serial_fraction_fit", s, "", "Serial fraction fitted by Amdahl's law");
    r.metrics.set("serial_fraction_set", serial_pct / 100.0, "", "Serial fraction in the program");
    r.metrics.set("hardware_threads", hardware_threads(), "", "Hardware threads found");
    r.metrics.set("runs", runs, "", "Measured runs per point (after one warm-up)");
    r.series = {sp, ideal, amdahl, eff};
    r.notes.push_back("Speedup stops growing at the number of hardware threads (" + std::to_string(hardware_threads()) +
                      " here); the fitted serial fraction includes thread start-up and the machine's other load.");
    if (ctl.cancelled()) r.cancelled = true;
}

// ------------------------------------------------------------------ real.false_sharing

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
        for (int k = -1; k < runs && !ctl.cancelled(); ++k) {
            std::vector<Line> packed((size_t)(T + 7) / 8);
            std::vector<Padded> pad((size_t)T);
            for (auto& l : packed)
                for (auto& x : l.v) x.store(0, std::memory_order_relaxed);
            int64_t w = run_workers(T, [&](int t) {
                // One writer per counter: no update can be lost, only the cache line is shared.
                std::atomic<int64_t>& c = padded ? pad[(size_t)t].v : packed[(size_t)t / 8].v[t % 8];
                for (int64_t i = 0; i < N; ++i) c.store(c.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
            }, error);
            if (w < 0) return -1;
            if (k >= 0) ns.push_back((double)w / (double)(N * T));
        }
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
