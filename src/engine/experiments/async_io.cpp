// async_io.cpp — async.io: asyncio against one thread per client and serial, for I/O.
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
    const int C = (int)ps.get_int("clients");
    const int64_t R = ps.get_int("requests"), W = ps.get_int("cpu_per_request");
    auto prog = experiment_program(e, ps, c);
    Run s(c, prog, false);
    s.thread("MainThread", entry(*prog, "serial"), {C, R, W});
    SimResult rs = s.go(seed, ctl);
    if (!check_done(r, rs, "serial")) return;
    Run t(c, prog, false);
    for (int i = 0; i < C; ++i)
        t.thread("Thread-" + std::to_string(i + 1), entry(*prog, "client_thread"), {R, W}, 0, thread_start_at(c.prof, i));
    SimResult rt = t.go(seed, ctl);
    if (!check_done(r, rt, "threads")) return;
    Run a(c, prog, ctl.record_trace);
    ThreadSpec loop;
    loop.name = "MainThread (event loop)";
    for (int i = 0; i < C; ++i) loop.async_tasks.push_back({entry(*prog, "client"), {R, W}});
    a.cfg.threads.push_back(loop);
    SimResult ra = a.go(seed, ctl);
    if (!check_done(r, ra, "asyncio")) return;
    r.metrics.set("serial_ns", (double)rs.end_ns, "ns", "Serial");
    r.metrics.set("threads_ns", (double)rt.end_ns, "ns", "One thread per client");
    r.metrics.set("asyncio_ns", (double)ra.end_ns, "ns", "asyncio: one thread, C tasks");
    r.metrics.set("speedup_threads", (double)rs.end_ns / (double)rt.end_ns, "x", "Speedup, threads");
    r.metrics.set("speedup_asyncio", (double)rs.end_ns / (double)ra.end_ns, "x", "Speedup, asyncio");
    r.metrics.set("thread_gil_switches", (double)rt.gil_switches, "", "GIL switches with threads");
    r.metrics.set("wall_ns", (double)ra.end_ns, "ns", "Simulated wall time (asyncio)");
    add_sim_metrics(r, ra);
    r.notes.push_back("asyncio overlaps the waits in one thread; a task gives up control only at 'await', so there "
                      "is no preemption and no GIL hand-off between tasks (" + fmt_ms(ra.end_ns) + " vs " +
                      fmt_ms(rt.end_ns) + " with threads, " + fmt_ms(rs.end_ns) + " serial).");
    attach_trace(r, ra, ctl);
}

}  // namespace

ExperimentSpec async_io() {
    ExperimentSpec e;
    e.id = "async.io";
    e.title = "asyncio vs threads for I/O";
    e.topic = Topic::Asyncio;
    e.summary = "C clients doing I/O: one asyncio event loop vs one thread per client vs serial";
    e.explain =
        "asyncio runs every client as a task in one thread; a task gives up control only at 'await', so there is "
        "no preemption and no GIL hand-off between tasks, and waits overlap just as with threads. Threads get the "
        "same overlap but switch through the OS and the GIL.";
    e.predict = {"How many seconds does the asyncio version take?", "asyncio_ns", "s", 1e9, 0.3};
    e.params = {tested(int_p("clients", "Clients", 1, 1000, 10, "", "Concurrent clients (tasks or threads)."), 8),
                work(tested(int_p("requests", "Requests per client", 1, 10000, 5, "", "Waits per client."), 100)),
                tested(real_p("io_ms", "Wait per request", 0.001, 100000, 100, "ms", "Length of each I/O wait.", true), 50),
                tested(int_p("cpu_per_request", "Python work per request", 0, 1e8, 10000, "", "Loop iterations after each wait.", true), 3e5),
                version_p(), cores_p()};
    e.small = {{"clients", "3"}, {"requests", "2"}, {"io_ms", "1"}, {"cpu_per_request", "500"}};
    e.view.charts = {time_bars({{"serial_ns", "serial"}, {"threads_ns", "one thread per client"}, {"asyncio_ns", "asyncio"}})};
    e.view.states = sim_states();
    e.view.marks = gil_marks(false);
    e.view.counters = gil_counters(false);
    e.view.hidden_metric_prefixes = sim_hidden();
    e.run = run;
    e.program = python_view;
    return e;
}

}  // namespace gil::ex
