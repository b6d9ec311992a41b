// realgil.cpp — real.gil: a real GIL, written after CPython's protocol in ceval_gil.c,
// held by real threads that run a tiny bytecode loop.
//
// take():  if the GIL is held, wait on its condition with a timeout of one switch
//          interval; a timeout with no switch in between sets drop_request.
// The bytecode loop checks drop_request (the eval breaker) at its back-edge only; when
// set, the holder drops the GIL and, FORCE_SWITCHING, waits until another thread took it.
// I/O threads release the GIL around their sleeps, like Py_BEGIN_ALLOW_THREADS.
//
// An assertion counter inside the bytecode loop proves exclusivity: it is incremented on
// entry to every instruction and must never be seen above 1.
#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "engine/real/common.h"
#include "engine/real/real.h"
#include "engine/real/recorder.h"
#include "engine/real/repeat.h"
#include "engine/experiments/convoy.h"
#include "engine/stats.h"

namespace gil::real {

namespace {

class RealGil {
public:
    explicit RealGil(int64_t interval_ns) : interval_(std::chrono::nanoseconds(std::max<int64_t>(1000, interval_ns))) {}

    void take(int id, const RunControl& ctl) {
        std::unique_lock<std::mutex> lk(mu_);
        while (locked_) {
            const uint64_t saved = switch_number_;
            const bool timed_out = cond_.wait_for(lk, interval_) == std::cv_status::timeout;
            if (timed_out && locked_ && switch_number_ == saved && !drop_request_.load(std::memory_order_relaxed)) {
                drop_request_.store(true, std::memory_order_relaxed);  // SET_GIL_DROP_REQUEST
                ++drop_requests;
            }
        }
        {
            std::lock_guard<std::mutex> sl(switch_mu_);
            locked_ = true;
            if (last_holder_.load(std::memory_order_relaxed) != id) {
                last_holder_.store(id, std::memory_order_relaxed);
                ++switch_number_;
                ++switches;
            }
            switch_cond_.notify_all();
        }
        drop_request_.store(false, std::memory_order_relaxed);  // RESET_GIL_DROP_REQUEST
    }

    // on_request: dropping because of the eval breaker (FORCE_SWITCHING applies).
    void drop(int id, bool on_request, const RunControl& ctl) {
        {
            std::lock_guard<std::mutex> lk(mu_);
            locked_ = false;
            last_holder_.store(id, std::memory_order_relaxed);
            cond_.notify_one();
        }
        if (on_request) {
            std::unique_lock<std::mutex> sl(switch_mu_);
            if (last_holder_.load(std::memory_order_relaxed) == id) {
                ++forced;
                // Wait until someone else took it (bounded, so a cancelled run cannot hang).
                while (last_holder_.load(std::memory_order_relaxed) == id && !ctl.cancelled())
                    switch_cond_.wait_for(sl, std::chrono::milliseconds(50));
            }
        }
    }

    bool drop_requested() const { return drop_request_.load(std::memory_order_relaxed); }
    // Between runs, with no thread inside: counters of the next run start at zero.
    void reset_counters() {
        std::lock_guard<std::mutex> lk(mu_);
        std::lock_guard<std::mutex> sl(switch_mu_);
        switches = drop_requests = forced = 0;
    }

    uint64_t switches = 0, drop_requests = 0, forced = 0;  // guarded by mu_/switch_mu_

private:
    std::mutex mu_, switch_mu_;
    std::condition_variable cond_, switch_cond_;
    bool locked_ = false;
    std::atomic<int> last_holder_{-1};  // relaxed, as in CPython: read under switch_mu_, written under either
    uint64_t switch_number_ = 0;
    std::atomic<bool> drop_request_{false};
    std::chrono::nanoseconds interval_;
};

// One "instruction" of the tiny interpreter: a few dependent integer steps.
inline uint64_t op(uint64_t x) {
    x ^= x << 13;
    x ^= x >> 7;
    return x ^ (x << 17);
}

}  // namespace

void run_real_gil(const ExperimentSpec& spec, const ParamSet& p, uint64_t seed, RunControl& ctl, RunResult& r) {
    const int cpu = (int)p.get_int("cpu_threads"), io = (int)p.get_int("io_threads");
    const int T = cpu + io;
    if (T == 0) {
        r.error = "cpu_threads and io_threads are both 0: nothing to run";
        return;
    }
    if (std::string why = check_thread_count(T); !why.empty()) {
        r.error = why;
        return;
    }
    const int64_t interval = (int64_t)(p.get("interval_us") * 1000);
    const double work_ms = p.get("work_ms"), io_ms = p.get("io_ms");
    const int64_t requests = p.get_int("requests");
    constexpr int kLoopBody = 16;  // instructions between two back-edges (check points)

    RealGil g(interval);
    std::atomic<int> in_bytecode{0}, max_seen{0};
    // One instruction as the threads run it: the assertion counter around a few integer steps.
    auto instr = [&](uint64_t& x) {
        int now_in = in_bytecode.fetch_add(1, std::memory_order_acq_rel) + 1;
        if (now_in > max_seen.load(std::memory_order_relaxed)) max_seen.store(now_in, std::memory_order_relaxed);
        x = op(x);
        in_bytecode.fetch_sub(1, std::memory_order_acq_rel);
    };
    // Calibrate: instructions per millisecond on one thread, the same instructions.
    double ops_per_ms;
    {
        uint64_t x = 1;
        int64_t t = now_ns();
        for (int i = 0; i < 4'000'000; ++i) instr(x);
        ops_per_ms = 4e6 / std::max(1e-6, (double)(now_ns() - t) / 1e6);
        max_seen.store(x == 0 ? 2 : 0);  // x is never 0 (xorshift); keeps the loop honest
    }
    const int64_t cpu_ops = std::max<int64_t>(kLoopBody, (int64_t)(work_ms * ops_per_ms));

    std::vector<PaddedRecorder> rec((size_t)T);
    for (auto& x : rec) x.r.init(ctl.record_trace ? 200'000 : 0, ctl.record_trace);
    std::vector<std::vector<double>> lat((size_t)T);
    for (auto& l : lat) l.reserve((size_t)requests);
    std::vector<int64_t> done_at((size_t)T, 0);
    std::string error;

    // Runs n instructions holding the GIL, checking the eval breaker at each back-edge.
    // CPU threads keep computing until every I/O thread is done (at least work_ms), so
    // each I/O wake-up meets a CPU-bound thread holding the GIL: the convoy being measured.
    std::atomic<int> io_left{0};
    auto bytecode = [&](int id, int64_t n, uint64_t& x, bool until_io_done) {
        Recorder& rr = rec[(size_t)id].r;
        for (int64_t done = 0; done < n || (until_io_done && io_left.load(std::memory_order_relaxed) > 0);) {
            int64_t body = std::min<int64_t>(kLoopBody, n - done);
            for (int64_t k = 0; k < body; ++k) instr(x);
            done += body;
            if (g.drop_requested()) {  // eval breaker, at the loop's back-edge
                rr.mark(ThreadState::WaitGil);
                g.drop(id, true, ctl);
                g.take(id, ctl);
                rr.mark(ThreadState::Running);
            }
            if ((done & 0xffff) < kLoopBody && ctl.cancelled()) return;
        }
    };

    const int runs = (int)p.get_int("runs");
    std::vector<double> walls, medians;
    int64_t wall = -1;
    int run = 0;
    const bool ok = repeat_runs(runs, false, ctl, [&](bool) {
    g.reset_counters();
    io_left.store(io, std::memory_order_relaxed);
    const bool traced = ctl.record_trace && run++ == runs - 1;  // the last run is shown
    for (auto& x : rec) x.r.init(traced ? 200'000 : 0, traced);
    for (auto& l : lat) l.clear();
    wall = run_workers(T, [&](int id) {
        Recorder& rr = rec[(size_t)id].r;
        rr.start();
        const int64_t local_start = now_ns();  // this worker's clock (see Recorder::start)
        uint64_t x = seed + (uint64_t)id + 1;
        rr.mark(ThreadState::WaitGil);
        g.take(id, ctl);
        rr.mark(ThreadState::Running);
        if (id < cpu) {
            bytecode(id, cpu_ops, x, true);
        } else {
            for (int64_t k = 0; k < requests && !ctl.cancelled(); ++k) {
                rr.mark(ThreadState::Io);
                g.drop(id, false, ctl);  // Py_BEGIN_ALLOW_THREADS
                std::this_thread::sleep_for(std::chrono::nanoseconds((int64_t)(io_ms * 1e6)));
                const int64_t woke = now_ns();
                rr.mark(ThreadState::WaitGil);
                g.take(id, ctl);  // Py_END_ALLOW_THREADS: this wait is the convoy
                lat[(size_t)id].push_back((double)(now_ns() - woke));
                rr.mark(ThreadState::Running);
                bytecode(id, 200, x, false);
                if (id == cpu) ctl.progress((double)(k + 1) / (double)requests);
            }
        }
        done_at[(size_t)id] = now_ns() - local_start;
        if (id >= cpu) io_left.fetch_sub(1, std::memory_order_relaxed);
        rr.mark(ThreadState::Done);
        g.drop(id, false, ctl);
        (void)x;
    }, error);
    if (wall < 0) return false;
    walls.push_back((double)wall);
    std::vector<double> run_lat;
    for (auto& l : lat) run_lat.insert(run_lat.end(), l.begin(), l.end());
    if (!run_lat.empty()) medians.push_back(percentile(run_lat, 50));
    return true;
    });
    if (!ok) {
        r.error = error;
        return;
    }
    if (walls.empty()) {
        r.cancelled = true;
        return;
    }
    {
        Summary ws = summarize(walls);
        r.metrics.set("runs", (double)walls.size(), "", "Measured runs");
        r.metrics.set("wall_ns_min", ws.min, "ns", "Wall time, min over runs");
        r.metrics.set("wall_ns_median", ws.median, "ns", "Wall time, median over runs");
        r.metrics.set("wall_ns_max", ws.max, "ns", "Wall time, max over runs");
        if (!medians.empty()) {
            Summary ls = summarize(medians);
            r.metrics.set("wake_latency_median_min_ns", ls.min, "ns", "Wake-up latency median, min over runs");
            r.metrics.set("wake_latency_median_max_ns", ls.max, "ns", "Wake-up latency median, max over runs");
        }
    }
    std::vector<double> all_lat;
    for (auto& l : lat) all_lat.insert(all_lat.end(), l.begin(), l.end());
    r.metrics.set("wall_ns", (double)wall, "ns", "Measured wall time (last run)");
    r.metrics.set("cpu_work_ns", work_ms * 1e6, "ns", "CPU work per CPU thread (alone)");
    if (cpu > 0)
        r.metrics.set("cpu_slowdown", (double)(*std::max_element(done_at.begin(), done_at.begin() + cpu)) /
                                           (work_ms * 1e6 * cpu), "x",
                      io > 0 ? "CPU threads: wall / (threads x work) (they run until the I/O threads finish)"
                             : "CPU threads: wall / (threads x work)");
    r.metrics.set("gil_switches", (double)g.switches, "", "GIL switches (last run)");
    r.metrics.set("drop_requests", (double)g.drop_requests, "", "Drop requests (last run)");
    r.metrics.set("forced_switches", (double)g.forced, "", "Forced switches (last run)");
    r.metrics.set("max_threads_in_bytecode", max_seen.load(), "", "Most threads ever inside bytecode at once (must be 1)");
    if (!all_lat.empty()) {
        r.metrics.set("wake_latency_median_ns", percentile(all_lat, 50), "ns", "I/O wake-up to running: median (last run)");
        r.metrics.set("wake_latency_p90_ns", percentile(all_lat, 90), "ns", "I/O wake-up to running: 90th percentile");
    }
    r.metrics.set("interval_ns", (double)interval, "ns", "Switch interval");
    r.metrics.set("hardware_threads", hardware_threads(), "", "Hardware threads found");
    if (ctl.record_trace) {
        std::vector<std::string> names;
        for (int i = 0; i < T; ++i) names.push_back(i < cpu ? "cpu " + std::to_string(i + 1) : "io " + std::to_string(i - cpu + 1));
        r.trace = trace_from_recorders(rec, names, wall);
        r.metrics.set("record_ns_per_mark", recorder_cost_ns(), "ns", "Cost of recording one state change");
    }
    // The simulator's prediction for the same shape of program, side by side.
    if (io > 0 && cpu > 0) {
        // gil.convoy's program on the default version row and machine, with this interval.
        sim::Common c;
        c.row = &default_version();
        c.version = c.row->name;
        c.prof = sim::profile_for(*c.row);
        c.interval_ns = interval;
        RunControl sc;
        sc.record_trace = false;
        // The convoy program file with this run's io_ms bound to its IO.
        const auto prog = sim::experiment_program(spec, p, c, {}, "gil_convoy.py");
        ex::ConvoyOutcome o = ex::convoy_once(c, prog, std::min<int64_t>(requests, 2000), true, seed, sc, false);
        r.metrics.set("sim_wake_latency_median_ns", o.median_ns, "ns", "Simulator's prediction: wake-up latency median");
    } else if (cpu > 1) {
        r.metrics.set("sim_cpu_slowdown", 1.0, "x", "Simulator's prediction: no speedup (wall = threads x work)");
    }
    if (max_seen.load() > 1) r.error = "the real GIL let two threads run bytecode at once: a bug";
    if (ctl.cancelled()) r.cancelled = true;
    r.notes.push_back("Real threads, one real GIL: " + std::to_string(g.switches) + " switches, " +
                      std::to_string(g.drop_requests) + " drop requests, never more than one thread in bytecode.");
}

}  // namespace gil::real
