// ft_scaling.cpp — ft.scaling: free-threaded Python: private objects scale, a shared one does not.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "engine/experiments/common.h"
#include "engine/sim/harness.h"
#include "engine/stats.h"

namespace gil::ex {

namespace {

using namespace sim;

void run(const ExperimentSpec& e, const ParamSet& ps, uint64_t seed, RunControl& ctl, RunResult& r) {
    Common c = common(ps);
    const int maxT = (int)ps.get_int("threads");
    const int64_t N = ps.get_int("appends");
    const bool shared = ps.choice_name("objects") == "shared";
    // The same interpreter with its GIL, for comparison.
    const VersionRow* gil_row = find_version(c.row->with_gil);
    Common gil = common_for(c, gil_row ? *gil_row : default_version());
    Series sp, sg;
    sp.key = "ft_throughput";
    sp.label = c.version + (shared ? " shared list" : " private lists");
    sp.x_label = "threads";
    sp.y_label = "appends per second (millions)";
    sg.key = "gil_throughput";
    sg.label = gil.version + " with the GIL";
    sg.x_label = "threads";
    sg.y_label = "appends per second (millions)";
    SimResult last;
    double base = 0;
    std::vector<int> counts;
    for (int T = 1; T < maxT; T *= 2) counts.push_back(T);
    counts.push_back(maxT);
    const std::shared_ptr<const Program> progs[2] = {experiment_program(e, ps, c), experiment_program(e, ps, gil)};
    for (int T : counts) {
        for (int g = 0; g < 2; ++g) {
            const auto& prog = progs[g];
            Run run(g ? gil : c, prog, ctl.record_trace && g == 0 && T == maxT);
            for (int i = 0; i < T; ++i)
                run.thread("Thread-" + std::to_string(i + 1), entry(*prog, "work"), {N}, 0, thread_start_at(c.prof, i));
            SimResult s = run.go(seed, ctl);
            if (!check_done(r, s, "scaling")) return;
            double rate = (double)T * (double)N / ((double)s.end_ns * 1e-9) / 1e6;
            (g ? sg : sp).x.push_back(T);
            (g ? sg : sp).y.push_back(rate);
            if (g == 0 && T == 1) base = rate;
            if (g == 0 && T == maxT) last = std::move(s);
        }
        ctl.progress((double)T / maxT);
    }
    r.metrics.set("throughput_1_thread", base, "M/s", "Appends per second, 1 thread (millions)");
    r.metrics.set("throughput_max_threads", sp.y.back(), "M/s", "Appends per second, all threads (millions)");
    r.metrics.set("speedup", sp.y.back() / base, "x", "Throughput, all threads / 1 thread");
    r.metrics.set("gil_speedup", sg.y.back() / sg.y.front(), "x", "Same with the GIL (3.13)");
    r.metrics.set("wall_ns", (double)last.end_ns, "ns", "Simulated wall time (all threads)");
    add_sim_metrics(r, last);
    r.series = {sp, sg};
    r.notes.push_back(shared ? "Every append to the shared list takes that list's lock and moves its cache line between "
                               "cores: adding threads adds contention, not throughput."
                             : "Private lists need no coordination: throughput grows with threads up to the number of "
                               "cores. With the GIL it stays flat.");
    attach_trace(r, last, ctl);
}

}  // namespace

ExperimentSpec ft_scaling() {
    ExperimentSpec e;
    e.id = "ft.scaling";
    e.title = "Free-threaded Python: shared vs private objects";
    e.topic = Topic::FreeThreaded;
    e.summary = "Throughput vs threads on a free-threaded build: private objects scale, a shared list does not";
    e.explain =
        "Free-threaded builds (PEP 703) have no GIL: threads run Python on every core. Objects used by one thread "
        "stay cheap (biased reference counting); an object many threads touch, like one shared list, has its "
        "per-object lock and cache line bounced between cores, so adding threads adds contention. The same program "
        "with the GIL is shown for comparison.";
    e.predict = {"With all the threads, how many times the throughput of 1 thread?", "speedup", "x", 1, 0.3};
    e.params = {version_p("3.13t"),
                tested(int_p("threads", "Threads (max)", 1, 64, 8, "", "Runs 1, 2, 4, ... up to this many threads."), 8),
                work(tested(int_p("appends", "Appends per thread", 1, 200'000, 100'000, "", "list.append calls per thread.", true), 3000)),
                choice_p("objects", "Objects", {"shared", "private"}, 0, "shared: one list for all threads; private: one list each."),
                cores_p(8)};
    e.small = {{"threads", "3"}, {"appends", "2000"}};
    e.view.charts = {lines({{"ft_throughput", ""}, {"gil_throughput", "", true}}, false, true)};
    e.view.states = sim_states(false, false, true, false);  // no I/O
    e.view.marks = gil_marks(false);
    e.view.counters = gil_counters(false);
    e.view.hidden_metric_prefixes = sim_hidden();
    e.run = run;
    e.program = python_view;
    return e;
}

}  // namespace gil::ex
