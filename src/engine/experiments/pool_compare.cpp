// pool_compare.cpp — pool.compare: ThreadPoolExecutor against ProcessPoolExecutor: when do processes pay off?
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "engine/experiments/common.h"
#include "engine/sim/harness.h"
#include "engine/stats.h"

namespace gil::ex {

namespace {

using namespace sim;

// The executors' machinery is pool_compare.executor.py: for the process pool its two queues
// cross processes, every item pickled (payload_bytes).
LowerOptions pool_queues(const ParamSet& ps, bool processes) {
    LowerOptions o;
    o.objects["call_queue"] = o.objects["result_queue"] = ObjectOverride::queue(processes, ps.get_int("payload_bytes"));
    return o;
}

void run(const ExperimentSpec& e, const ParamSet& ps, uint64_t seed, RunControl& ctl, RunResult& r) {
    Common c = common(ps);
    const int W = (int)ps.get_int("workers");
    const int64_t tasks = ps.get_int("tasks"), work = ps.get_int("work");
    auto tp = experiment_program(e, ps, c, pool_queues(ps, false), "pool_compare.executor.py");
    auto pp = experiment_program(e, ps, c, pool_queues(ps, true), "pool_compare.executor.py");
    Run s(c, tp, false);
    s.thread("MainThread", entry(*tp, "serial"), {tasks, work});
    SimResult rs = s.go(seed, ctl);
    if (!check_done(r, rs, "serial")) return;
    Run t(c, tp, false);
    t.thread("MainThread", entry(*tp, "submitter"), {tasks, W});
    for (int i = 0; i < W; ++i)
        t.thread("ThreadPoolExecutor-0_" + std::to_string(i), entry(*tp, "pool_worker"), {}, 0, (i + 1) * c.prof.thread_start_ns);
    SimResult rt = t.go(seed, ctl);
    if (!check_done(r, rt, "thread pool")) return;
    Run pr(c, pp, ctl.record_trace);
    pr.thread("MainThread", entry(*pp, "submitter"), {tasks, W});
    for (int i = 0; i < W; ++i) {
        int p = pr.process("SpawnProcess-" + std::to_string(i + 1), i * 300 * kUs, StartMethod::Fork);
        pr.thread("SpawnProcess-" + std::to_string(i + 1), entry(*pp, "pool_worker"), {}, p);
    }
    SimResult rp = pr.go(seed, ctl);
    if (!check_done(r, rp, "process pool")) return;
    r.metrics.set("serial_ns", (double)rs.end_ns, "ns", "Serial");
    r.metrics.set("thread_pool_ns", (double)rt.end_ns, "ns", "ThreadPoolExecutor");
    r.metrics.set("process_pool_ns", (double)rp.end_ns, "ns", "ProcessPoolExecutor");
    r.metrics.set("speedup_thread_pool", (double)rs.end_ns / (double)rt.end_ns, "x", "Speedup, thread pool");
    r.metrics.set("speedup_process_pool", (double)rs.end_ns / (double)rp.end_ns, "x", "Speedup, process pool");
    const int64_t per_task = rs.end_ns / std::max<int64_t>(1, tasks);
    const int64_t msg = 2 * (c.prof.pickle_fixed_ns + (int64_t)(ps.get_int("payload_bytes") * c.prof.pickle_ns_per_byte)) +
                        c.prof.pipe_latency_ns;
    r.metrics.set("work_per_task_ns", (double)per_task, "ns", "Work per task (serial)");
    r.metrics.set("messaging_per_task_ns", (double)msg, "ns", "Pickling + pipe per task (process pool)");
    r.metrics.set("wall_ns", (double)rp.end_ns, "ns", "Simulated wall time (process pool)");
    add_sim_metrics(r, rp);
    Series bars;
    bars.key = "serial_threadpool_processpool";
    bars.label = "Wall time";
    bars.x_label = "serial / ThreadPoolExecutor / ProcessPoolExecutor";
    bars.y_label = "seconds";
    bars.x = {0, 1, 2};
    bars.y = {(double)rs.end_ns / 1e9, (double)rt.end_ns / 1e9, (double)rp.end_ns / 1e9};
    r.series.push_back(bars);
    r.notes.push_back(per_task > 4 * msg
                          ? "Each task computes for much longer than it takes to pickle and send it, so the process "
                            "pool wins; the thread pool is held back by the GIL."
                          : "Each task is short next to pickling and sending it: the process pool spends its time on "
                            "messaging. Give each task more work to make processes pay off.");
    attach_trace(r, rp, ctl);
}

}  // namespace

ExperimentSpec pool_compare() {
    ExperimentSpec e;
    e.id = "pool.compare";
    e.title = "ThreadPoolExecutor vs ProcessPoolExecutor";
    e.topic = Topic::Processes;
    e.summary = "Same API, different workers: when do processes pay off? Task size against pickling cost";
    e.explain =
        "concurrent.futures gives threads and processes the same API. A process pool pickles every task's "
        "arguments and results and sends them through a pipe, so it pays off only when each task computes for much "
        "longer than that messaging takes. A thread pool needs no pickling but its workers share one GIL.";
    e.predict = {"How many times faster than serial is the process pool?", "speedup_process_pool", "x", 1, 0.3};
    e.params = {tested(int_p("workers", "Workers", 1, 64, 4, "", "max_workers."), 8),
                work(tested(int_p("tasks", "Tasks", 1, 100000, 100, "", "How many tasks are submitted.", true), 100)),
                tested(int_p("work", "Iterations per task", 1, 1e9, 100'000, "", "CPU work per task.", true), 3e5),
                tested(int_p("payload_bytes", "Payload per message", 0, 1e9, 1000, "bytes", "Pickled size of arguments and of results.", true), 3e5),
                version_p(), cores_p()};
    e.small = {{"tasks", "10"}, {"work", "2000"}};
    e.view.charts = {time_bars({{"serial_ns", "serial"}, {"thread_pool_ns", "ThreadPoolExecutor"},
                                {"process_pool_ns", "ProcessPoolExecutor"}})};
    e.view.states = sim_states(false, true, true, false);  // the pool's queue waits are lock waits; no I/O
    e.view.marks = gil_marks(false);
    e.view.counters = gil_counters(false);
    e.view.hidden_metric_prefixes = sim_hidden();
    e.run = run;
    e.program = python_view;
    return e;
}

}  // namespace gil::ex
