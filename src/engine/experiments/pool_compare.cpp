// pool_compare.cpp — pool.compare: ThreadPoolExecutor against ProcessPoolExecutor: when do processes pay off?
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "engine/experiments/common.h"
#include "engine/sim/harness.h"
#include "engine/sim/programs.h"
#include "engine/stats.h"

namespace gil::ex {

namespace {

using namespace sim;

// Workers loop on a task queue; the submitter puts tasks and sentinels, then collects.
std::shared_ptr<const Program> program_pool(const ParamSet& ps, bool processes) {
    auto p = std::make_shared<Program>();
    const int64_t bytes = ps.get_int("payload_bytes");
    p->python =
        "from concurrent.futures import ThreadPoolExecutor, ProcessPoolExecutor\n"
        "def count(n):\n"
        "    total = 0\n"
        "    for i in range(n):\n"
        "        total += i * i\n"
        "    return total\n"
        "\n"
        "def task(i):                     # arguments and result are pickled for processes\n"
        "    return count(WORK)\n"
        "\n"
        "with ThreadPoolExecutor(max_workers=W) as ex:     # or ProcessPoolExecutor\n"
        "    results = list(ex.map(task, range(TASKS)))\n";
    build_count_squares(*p, 2);
    int tasks = add_queue(*p, "call_queue", processes, bytes);
    int results = add_queue(*p, "result_queue", processes, bytes);
    {
        FunctionBuilder b(*p, "pool_worker", {"work"});
        b.line(8);
        b.resume();
        int head = b.label(), exit = b.label();
        b.place(head);
        b.queue_get(tasks);
        b.store_fast("i");
        b.load_fast("i");
        b.load_const(0);
        b.compare(CmpKind::Lt);
        b.pop_jump_if_true(exit);
        b.line(9);
        b.load_fast("work");
        b.call("count", 1);
        b.pop_top();
        b.load_fast("i");
        b.queue_put(results);
        b.jump_backward(head);
        b.place(exit);
        b.load_const(0);
        b.return_value();
        b.finish();
    }
    {
        FunctionBuilder b(*p, "submitter", {"ntasks", "nworkers"});
        b.line(11);
        b.resume();
        b.line(12);
        b.load_fast("ntasks");
        b.for_range("i", [&] {
            b.load_fast("i");
            b.queue_put(tasks);
        });
        b.load_fast("nworkers");
        b.for_range("w", [&] {
            b.load_const(-1);
            b.queue_put(tasks);
        });
        b.load_fast("ntasks");
        b.for_range("k", [&] {
            b.queue_get(results);
            b.pop_top();
        });
        b.load_const(0);
        b.return_value();
        b.finish();
    }
    build_serial(*p, "count", {"n"}, 30);
    return p;
}

void run(const ExperimentSpec&, const ParamSet& ps, uint64_t seed, RunControl& ctl, RunResult& r) {
    Common c = common(ps);
    const int W = (int)ps.get_int("workers");
    const int64_t tasks = ps.get_int("tasks"), work = ps.get_int("work");
    auto tp = program_pool(ps, false), pp = program_pool(ps, true);
    Run s(c, tp, false);
    s.thread("MainThread", tp->function_index("serial"), {tasks, work});
    SimResult rs = s.go(seed, ctl);
    if (!check_done(r, rs, "serial")) return;
    Run t(c, tp, false);
    t.thread("MainThread", tp->function_index("submitter"), {tasks, W});
    for (int i = 0; i < W; ++i)
        t.thread("ThreadPoolExecutor-0_" + std::to_string(i), tp->function_index("pool_worker"), {work}, 0, (i + 1) * c.prof.thread_start_ns);
    SimResult rt = t.go(seed, ctl);
    if (!check_done(r, rt, "thread pool")) return;
    Run pr(c, pp, ctl.record_trace);
    pr.thread("MainThread", pp->function_index("submitter"), {tasks, W});
    for (int i = 0; i < W; ++i) {
        int p = pr.process("SpawnProcess-" + std::to_string(i + 1), i * 300 * kUs, StartMethod::Fork);
        pr.thread("SpawnProcess-" + std::to_string(i + 1), pp->function_index("pool_worker"), {work}, p);
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
    e.program = [](const ExperimentSpec&, const ParamSet& ps) { return sim::view_of(*program_pool(ps, true), ps); };
    return e;
}

}  // namespace gil::ex
