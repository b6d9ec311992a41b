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

// The executors' machinery is pool_compare.executor.py. For the process pool its call and
// result queues cross processes, every message pickled: a chunk of `chunksize` calls, each
// with payload_bytes of arguments (results the same).
LowerOptions pool_queues(const ParamSet& ps, const Common& c, bool processes) {
    LowerOptions o;
    // concurrent.futures' bookkeeping per task, measured (HostCosts::pool_submit_ns, ...)
    o.fixed_cost_fns["submit_bookkeeping"] = c.prof.pool_submit_ns;
    o.fixed_cost_fns["run_bookkeeping"] = c.prof.pool_worker_ns;
    o.fixed_cost_fns["result_bookkeeping"] = c.prof.pool_result_ns;
    o.fixed_nogil_fns["wakeup_write"] = c.prof.pool_wakeup_ns;
    o.fixed_cost_fns["manager_wakeup"] = c.prof.pool_manager_ns;
    // A process pool message's CPU per thread beyond the steps the model writes out (measured).
    o.fixed_cost_fns["msg_main"] = c.prof.pool_msg_main_ns / 2;  // called at submit() and at result()
    o.fixed_cost_fns["msg_manager"] = c.prof.pool_msg_manager_ns;
    o.fixed_cost_fns["msg_feeder"] = c.prof.pool_msg_feeder_ns;
    o.fixed_cost_fns["msg_worker"] = c.prof.pool_msg_worker_ns;
    o.fixed_cost_fns["pool_fixed_main"] = c.prof.pool_fixed_main_ns;  // once per pool
    o.fixed_cost_fns["pool_fixed_manager"] = c.prof.pool_fixed_manager_ns;
    o.fixed_cost_fns["pool_fixed_feeder"] = c.prof.pool_fixed_feeder_ns;
    o.fixed_cost_fns["pool_fixed_worker"] = c.prof.pool_fixed_worker_ns;
    const int64_t bytes = ps.get_int("payload_bytes") * ps.get_int("chunksize");
    o.objects["call_queue"] = o.objects["result_queue"] = ObjectOverride::queue(processes, bytes);
    return o;
}

void run(const ExperimentSpec& e, const ParamSet& ps, uint64_t seed, RunControl& ctl, RunResult& r) {
    Common c = common(ps);
    const int W = (int)ps.get_int("workers");
    const int64_t tasks = ps.get_int("tasks"), work = ps.get_int("work");
    auto tp = experiment_program(e, ps, c, pool_queues(ps, c, false), "pool_compare.executor.py");
    auto pp = experiment_program(e, ps, c, pool_queues(ps, c, true), "pool_compare.executor.py");
    Run s(c, tp, false);
    s.thread("MainThread", entry(*tp, "serial"), {tasks, work});
    SimResult rs = s.go(seed, ctl);
    if (!check_done(r, rs, "serial")) return;
    Run t(c, tp, false);
    t.thread("MainThread", entry(*tp, "thread_map"), {tasks, W});
    for (int i = 0; i < W; ++i)
        t.thread("ThreadPoolExecutor-0_" + std::to_string(i), entry(*tp, "thread_worker"), {}, 0, thread_start_at(c.prof, i));
    SimResult rt = t.go(seed, ctl);
    if (!check_done(r, rt, "thread pool")) return;
    // The process pool: the main thread, the executor's manager in the parent (its two jobs
    // as two threads), and W worker processes.
    const int64_t chunk = ps.get_int("chunksize"), nchunks = (tasks + chunk - 1) / chunk;
    Run pr(c, pp, ctl.record_trace);
    pr.thread("MainThread", entry(*pp, "process_map"), {nchunks, W});
    pr.thread("manager (feed)", entry(*pp, "feeder"), {nchunks, W}, 0, c.prof.thread_start_ns);
    pr.thread("manager (results)", entry(*pp, "collector"), {nchunks}, 0, c.prof.thread_start_ns);
    pr.thread("QueueFeederThread", entry(*pp, "queue_feeder"), {W}, 0, c.prof.thread_start_ns);
    pr.thread("manager (wake-ups)", entry(*pp, "manager_wakeups"), {nchunks}, 0, c.prof.thread_start_ns);
    for (int i = 0; i < W; ++i) {
        int p = pr.process("SpawnProcess-" + std::to_string(i + 1), i * 300 * kUs, StartMethod::Fork);
        pr.thread("SpawnProcess-" + std::to_string(i + 1), entry(*pp, "process_worker"), {chunk}, p);
    }
    SimResult rp = pr.go(seed, ctl);
    if (!check_done(r, rp, "process pool")) return;
    r.metrics.set("serial_ns", (double)rs.end_ns, "ns", "Serial");
    r.metrics.set("thread_pool_ns", (double)rt.end_ns, "ns", "ThreadPoolExecutor");
    r.metrics.set("process_pool_ns", (double)rp.end_ns, "ns", "ProcessPoolExecutor");
    r.metrics.set("speedup_thread_pool", (double)rs.end_ns / (double)rt.end_ns, "x", "Speedup, thread pool");
    r.metrics.set("speedup_process_pool", (double)rs.end_ns / (double)rp.end_ns, "x", "Speedup, process pool");
    const int64_t per_task = rs.end_ns / std::max<int64_t>(1, tasks);
    // What each task cost the process pool beyond the work itself spread over the cores: the
    // parent's submitting, pickling, pipes and result handling, most of it serial.
    const double ideal = (double)rs.end_ns / (double)std::max(1, std::min(W, c.machine.cores));
    const double overhead = std::max(0.0, ((double)rp.end_ns - ideal) / (double)tasks);
    r.metrics.set("work_per_task_ns", (double)per_task, "ns", "Work per task (serial)");
    r.metrics.set("process_pool_overhead_per_task_ns", overhead, "ns", "Process pool: time per task beyond the work on the cores");
    r.metrics.set("thread_pool_overhead_per_task_ns", std::max(0.0, (double)(rt.end_ns - rs.end_ns) / (double)tasks), "ns",
                  "Thread pool: time per task beyond the work");
    r.metrics.set("chunks", (double)nchunks, "", "Messages to the worker processes (tasks / chunksize)");
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
    r.notes.push_back((double)per_task > 4 * overhead
                          ? "Each task computes for much longer than the pool's per-task overhead, so the process "
                            "pool wins; the thread pool is held back by the GIL."
                          : "Each task is short next to what the process pool spends per task (submitting, pickling, "
                            "the pipes and the parent's manager thread): raise chunksize to send many calls per "
                            "message, or give each task more work.");
    attach_trace(r, rp, ctl);
    // The traced run executes the executors' file: its trace pcs point into that file's code.
    r.program = python_view_of(e, ps, "pool_compare.executor.py");
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
        "longer than that messaging takes. A thread pool needs no pickling but its workers share one GIL. With "
        "tiny tasks the parent's own work per task dominates: measured on real CPython 3.9-3.13, the parent's "
        "threads (main, the executor's manager, the call queue's feeder) spend 140-200 us of CPU per message, about "
        "the pool's whole time per message, while the workers wait. map's chunksize sends many calls per message. The "
        "simulator runs the executors as pool_compare.executor.py: their queues, the parent's manager threads and "
        "the call queue that holds only max_workers + 1 items.";
    e.predict = {"How many times faster than serial is the process pool?", "speedup_process_pool", "x", 1, 0.3};
    e.params = {tested(int_p("workers", "Workers", 1, 64, 4, "", "max_workers."), 8),
                work(tested(int_p("tasks", "Tasks", 1, 100000, 100, "", "How many tasks are submitted.", true), 100)),
                tested(int_p("work", "Iterations per task", 1, 1e9, 100'000, "", "CPU work per task.", true), 3e5),
                tested(int_p("payload_bytes", "Payload per call", 0, 1e9, 1000, "bytes", "Pickled size of one call's arguments and of its result.", true), 3e5),
                tested(int_p("chunksize", "chunksize (process pool)", 1, 100000, 1, "", "ProcessPoolExecutor.map's chunksize: calls sent to a worker in one message.", true), 100),
                version_p(), cores_p()};
    e.small = {{"tasks", "10"}, {"work", "2000"}};
    e.view.charts = {time_bars({{"serial_ns", "serial"}, {"thread_pool_ns", "ThreadPoolExecutor"},
                                {"process_pool_ns", "ProcessPoolExecutor"}})};
    e.view.states = sim_states(true, true, true, false);  // the wake-up pipe's write runs in C (GIL released); queue waits are lock waits; no I/O
    e.view.marks = gil_marks(false);
    e.view.counters = gil_counters(false);
    e.view.hidden_metric_prefixes = sim_hidden();
    e.run = run;
    e.program = python_view;
    return e;
}

}  // namespace gil::ex
