// mp_process.cpp — mp.process: multiprocessing against threads and serial: one GIL per process, paid for with start-up.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "engine/experiments/common.h"
#include "engine/sim/harness.h"
#include "engine/stats.h"

namespace gil::ex {

namespace {

using namespace sim;

// `results` is a queue.Queue in the serial and threaded runs and a multiprocessing.Queue (every
// item pickled, result_bytes each) in the processes' run: the program assigns both.
LowerOptions results_queue(const ParamSet& ps, bool processes) {
    LowerOptions o;
    o.objects["results"] = ObjectOverride::queue(processes, ps.get_int("result_bytes"));
    return o;
}

StartMethod start_method(const ParamSet& ps) {
    const std::string& m = ps.choice_name("start_method");
    return m == "spawn" ? StartMethod::Spawn : m == "forkserver" ? StartMethod::Forkserver : StartMethod::Fork;
}

void run(const ExperimentSpec& e, const ParamSet& ps, uint64_t seed, RunControl& ctl, RunResult& r) {
    Common c = common(ps);
    auto prog = experiment_program(e, ps, c, results_queue(ps, false));
    auto mprog = experiment_program(e, ps, c, results_queue(ps, true));
    const int W = (int)ps.get_int("workers");
    const int64_t N = ps.get_int("iterations");
    const int worker = entry(*prog, "worker"), mworker = entry(*mprog, "worker");
    Run s(c, prog, false);
    s.thread("MainThread", entry(*prog, "serial"), {W, N});
    SimResult rs = s.go(seed, ctl);
    if (!check_done(r, rs, "serial")) return;
    ctl.progress(0.3);
    Run t(c, prog, false);
    for (int i = 0; i < W; ++i) t.thread("Thread-" + std::to_string(i + 1), worker, {N}, 0, thread_start_at(c.prof, i));
    SimResult rt = t.go(seed, ctl);
    if (!check_done(r, rt, "threads")) return;
    ctl.progress(0.6);
    Run pr(c, mprog, ctl.record_trace);
    const StartMethod m = start_method(ps);
    // The parent starts the processes one after another; each start() costs it a little.
    const int64_t parent_gap = m == StartMethod::Fork ? 300 * kUs : 1 * kMs;
    for (int i = 0; i < W; ++i) {
        int p = pr.process("Process-" + std::to_string(i + 1), i * parent_gap, m);
        pr.thread("Process-" + std::to_string(i + 1), mworker, {N}, p);
    }
    SimResult rp = pr.go(seed, ctl);
    if (!check_done(r, rp, "processes")) return;
    const int64_t start_cost = process_start_cost(c.prof, m, false);
    r.metrics.set("serial_ns", (double)rs.end_ns, "ns", "Serial");
    r.metrics.set("threads_ns", (double)rt.end_ns, "ns", "Threads (one GIL)");
    r.metrics.set("processes_ns", (double)rp.end_ns, "ns", "Processes (one GIL each)");
    r.metrics.set("speedup_threads", (double)rs.end_ns / (double)rt.end_ns, "x", "Speedup, threads");
    r.metrics.set("speedup_processes", (double)rs.end_ns / (double)rp.end_ns, "x", "Speedup, processes");

    r.metrics.set("process_start_ns", (double)start_cost, "ns", "Start-up cost of one process (after the first)");
    r.metrics.set("process_first_start_ns", (double)process_start_cost(c.prof, m, true), "ns",
                  "Start-up cost of the parent's first process of this start method");
    r.metrics.set("wall_ns", (double)rp.end_ns, "ns", "Simulated wall time (processes)");
    r.metrics.set("cores", c.machine.cores, "", "Cores");
    add_sim_metrics(r, rp);
    Series bars;
    bars.key = "serial_threads_processes";
    bars.label = "Wall time";
    bars.x_label = "serial / threads / processes";
    bars.y_label = "seconds";
    bars.x = {0, 1, 2};
    bars.y = {(double)rs.end_ns / 1e9, (double)rt.end_ns / 1e9, (double)rp.end_ns / 1e9};
    r.series.push_back(bars);
    r.notes.push_back("Each process has its own interpreter and GIL, so " + std::to_string(W) +
                      " processes use " + std::to_string(std::min(W, c.machine.cores)) + " cores: " + fmt_ms(rp.end_ns) +
                      " against " + fmt_ms(rs.end_ns) + " serial and " + fmt_ms(rt.end_ns) +
                      " with threads. Starting one costs about " + fmt_ms(start_cost) + " (" +
                      ps.choice_name("start_method") + ").");
    attach_trace(r, rp, ctl);
}

}  // namespace

ExperimentSpec mp_process() {
    ExperimentSpec e;
    e.id = "mp.process";
    e.title = "multiprocessing vs threads vs serial";
    e.topic = Topic::Processes;
    e.summary = "CPU-bound work in W processes (each with its own GIL) vs W threads vs serial, with start-up costs";
    e.explain =
        "Processes each have their own interpreter and their own GIL, so CPU-bound work really runs in parallel, "
        "one process per core. They pay for it: starting a process takes milliseconds (fork) to tens of "
        "milliseconds (spawn), and results travel back pickled.";
    e.predict = {"How many times faster than serial are the processes?", "speedup_processes", "x", 1, 0.2};
    e.params = {tested(int_p("workers", "Workers", 1, 64, 2, "", "Processes (and threads, for comparison)."), 8),
                work(tested(int_p("iterations", "Iterations per worker", 1, 1e10, 100'000'000, "", "Loop iterations per worker.", true), 3e5)),
                choice_p("start_method", "Start method", {"fork", "forkserver", "spawn"}, 0,
                         "fork: Linux default up to 3.13; forkserver: default from 3.14; spawn: Windows/macOS default."),
                tested(int_p("result_bytes", "Result size (pickled)", 0, 1e9, 100, "bytes", "Bytes each worker sends back.", true), 3e5),
                version_p(), cores_p()};
    e.small = {{"iterations", "20000"}};
    e.view.charts = {time_bars({{"serial_ns", "serial"}, {"threads_ns", "threads"}, {"processes_ns", "processes"}})};
    e.view.states = sim_states(false, false, true, false);  // no I/O
    e.view.marks = gil_marks(false);
    e.view.counters = gil_counters(false);
    e.view.hidden_metric_prefixes = sim_hidden();
    e.run = run;
    e.program = python_view;
    return e;
}

}  // namespace gil::ex
