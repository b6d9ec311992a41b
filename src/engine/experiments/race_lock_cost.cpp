// race_lock_cost.cpp — race.lock_cost: what a threading.Lock costs: correctness, time, contention, waits.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "engine/experiments/common.h"
#include "engine/sim/harness.h"
#include "engine/stats.h"

namespace gil::ex {

namespace {

using namespace sim;

void run(const ExperimentSpec& e, const ParamSet& ps, uint64_t seed, RunControl& ctl, RunResult& r) {
    Common c = common(ps);
    const int T = (int)ps.get_int("threads");
    const int64_t N = ps.get_int("increments");
    // The program's module code runs both halves: T threads without the lock, then T with it,
    // each timed with perf_counter() and its lost updates counted.
    const auto prog = experiment_program(e, ps, c);
    Run run(c, prog, ctl.record_trace);
    run.main_thread(*prog);
    SimResult s = run.go(seed, ctl);
    if (!check_done(r, s, "program")) return;
    auto global = [&](const char* n) {
        const int g = prog->global_index(n);
        if (g < 0) throw std::runtime_error(std::string("the program does not set ") + n);
        return s.globals[0][(size_t)g];
    };
    const int64_t unlocked_ns = global("unlocked"), locked_ns = std::max<int64_t>(1, global("locked"));
    const int64_t expected = (int64_t)T * N;
    r.metrics.set("unlocked_ns", (double)unlocked_ns, "ns", "counter += 1 without a lock");
    r.metrics.set("locked_ns", (double)locked_ns, "ns", "with lock: counter += 1");
    r.metrics.set("lock_overhead", (double)locked_ns / (double)std::max<int64_t>(1, unlocked_ns), "x", "Locked / unlocked time");
    r.metrics.set("ns_per_locked_increment", (double)locked_ns / (double)expected, "ns", "Per locked increment");
    r.metrics.set("unlocked_lost", (double)global("unlocked_lost"), "", "Lost updates without the lock");
    r.metrics.set("locked_lost", (double)global("locked_lost"), "", "Lost updates with the lock");
    r.metrics.set("lock_contended", (double)s.lock_contended, "", "Acquisitions that had to block");
    r.metrics.set("lock_handoffs", (double)s.lock_handoffs, "", "Lock hand-offs to a woken waiter");
    std::vector<double> waits(s.lock_wait_ns.begin(), s.lock_wait_ns.end());
    r.metrics.set("lock_wait_median_ns", percentile(waits, 50), "ns", "Blocked acquire: median wait");
    r.metrics.set("lock_wait_p99_ns", percentile(waits, 99), "ns", "Blocked acquire: 99th percentile wait");
    r.metrics.set("wall_ns", (double)s.end_ns, "ns", "Simulated wall time (the whole program)");
    add_sim_metrics(r, s);
    Series h;
    h.key = "lock_wait_hist";
    h.label = "Time blocked per contended acquire";
    h.x_label = "wait (ms)";
    h.y_label = "acquisitions";
    if (!waits.empty()) {
        double mx = *std::max_element(waits.begin(), waits.end());
        const int bins = 24;
        double w = std::max(1.0, mx / bins);
        h.x.resize(bins);
        h.y.assign(bins, 0);
        for (int i = 0; i < bins; ++i) h.x[(size_t)i] = (i + 0.5) * w / 1e6;
        for (double v : waits) h.y[(size_t)std::min(bins - 1, (int)(v / w))] += 1;
    }
    r.series.push_back(h);
    r.notes.push_back("The lock makes every increment safe and costs " +
                      std::to_string((int)std::lround((double)locked_ns / (double)std::max<int64_t>(1, unlocked_ns) * 100 - 100)) +
                      "% more time here. A thread that finds the lock taken releases the GIL and sleeps until the "
                      "holder lets go.");
    if ((double)s.lock_contended > 0.01 * (double)expected)
        r.notes.push_back(std::to_string(s.lock_contended) + " of " + std::to_string(expected) +
                          " acquisitions had to block: the lock changed hands that often, each time through two "
                          "wake-ups (the waiter's for the lock, then for the GIL), and every release while threads "
                          "waited paid for waking one.");
    attach_trace(r, s, ctl);
}

}  // namespace

ExperimentSpec race_lock_cost() {
    ExperimentSpec e;
    e.id = "race.lock_cost";
    e.title = "What a Lock costs";
    e.topic = Topic::Races;
    e.summary = "counter += 1 with and without a threading.Lock: correctness, time, contention, waits";
    e.explain =
        "A Lock makes the read-modify-write safe, but each acquire and release costs time, and when another thread "
        "holds it the caller blocks, releasing the GIL until it is woken. This runs the same increments with and "
        "without the lock and shows the price and the wait times. With many threads the price depends on the "
        "version. On 3.9 a thread can be switched out after almost any instruction, so sometimes it is switched out "
        "holding the lock; the others then block on the lock (releasing the GIL) instead of running. From then on "
        "every release wakes a waiter, and the release pays for that wake-up (a futex system call) with the lock "
        "already free: the woken thread takes the lock, waits for the GIL, and the releaser blocks at its next "
        "acquire. The lock changes hands every few increments, each time through two wake-ups: a convoy that feeds "
        "itself, many times slower than one thread. On 3.10+ `with lock:` has no switch point between acquire and "
        "release, the holder is never switched out holding it, and nobody blocks.";
    e.predict = {"How many times slower is 'with lock: counter += 1' than the unsafe version?", "lock_overhead", "x", 1, 0.3};
    e.params = {tested(int_p("threads", "Threads", 1, 16, 2, "", "How many threads."), 8),
                work(tested(int_p("increments", "Increments per thread", 1, 1e9, 1'000'000, "", "Loop iterations per thread.", true), 3e5)),
                version_p(), cores_p(), interval_p()};
    e.small = {{"increments", "5000"}, {"interval_us", "50"}};
    e.view.charts = {time_bars({{"unlocked_ns", "no lock"}, {"locked_ns", "with lock"}}),
                     histogram("lock_wait_hist", "", "No acquire had to wait: the lock was never contended in this run.")};
    e.view.states = sim_states(false, true, true, false);  // no I/O
    e.view.marks = gil_marks(true);
    e.view.counters = gil_counters(true);
    e.view.hidden_metric_prefixes = sim_hidden();
    e.run = run;
    e.program = python_view;
    return e;
}

}  // namespace gil::ex
