// gil_mixed.cpp — gil.mixed: workers that compute then wait; the waits overlap, the
// computing does not.
#include <cstdio>

#include "engine/experiments/common.h"
#include "engine/sim/harness.h"

namespace gil::ex {

namespace {

using namespace sim;

void run(const ExperimentSpec& e, const ParamSet& ps, uint64_t seed, RunControl& ctl, RunResult& r) {
    Common c = common(ps);
    const int T = (int)ps.get_int("threads");
    // The program's module code runs it all: the workers in a row, then T threads, each timed.
    SerialThreads st = run_serial_then_threads(c, experiment_program(e, ps, c), seed, ctl, r);
    if (!st.ok) return;
    // CPU time of one worker alone = serial time / T minus its sleep.
    const int64_t io = (int64_t)(ps.get("io_ms") * kMs);
    const int64_t cpu_one = st.serial_ns / T - io;
    add_serial_threads_metrics(r, st, "Serial");
    r.metrics.set("cpu_phase_ns", (double)cpu_one, "ns", "CPU phase of one worker alone");
    r.metrics.set("predicted_ns", (double)(T * cpu_one + io), "ns", "T CPU phases in a row + one sleep");
    add_sim_metrics(r, st.run);
    r.notes.push_back("The sleeps overlap (the GIL is released), the CPU phases do not: the threads took " +
                      fmt_ms(st.threads_ns) + ", close to " + std::to_string(T) + " x CPU phase + one sleep = " +
                      fmt_ms(T * cpu_one + io) + ".");
    attach_trace(r, st.run, ctl);
}

}  // namespace

ExperimentSpec gil_mixed() {
    ExperimentSpec e;
    e.id = "gil.mixed";
    e.title = "Mixed CPU and I/O";
    e.topic = Topic::Gil;
    e.summary = "Workers that compute then wait: the waits overlap, the computing does not";
    e.explain =
        "Each worker first computes (holding the GIL) and then waits (releasing it). With threads the waiting "
        "parts overlap but the computing parts still run one at a time, so the total is about T computing phases "
        "plus one wait.";
    e.predict = {"How many seconds do the threads take, all together?", "threads_ns", "s", 1e9, 0.25};
    e.params = {tested(int_p("threads", "Threads", 1, 64, 3, "", "How many workers."), 8),
                work(tested(int_p("work", "Loop iterations (CPU phase)", 1, 1e9, 1'000'000, "", "Size of the CPU phase.", true), 3e5)),
                tested(real_p("io_ms", "Sleep (I/O phase)", 0.001, 100000, 500, "ms", "Length of the I/O phase.", true), 50),
                version_p(), cores_p(), interval_p()};
    e.small = {{"work", "20000"}, {"io_ms", "1"}};
    e.view.charts = {time_bars({{"serial_ns", "serial"}, {"threads_ns", "threads"}, {"predicted_ns", "T CPU phases + one sleep"}})};
    e.view.states = sim_states(false, true);  // the main thread waits in join()
    e.view.marks = gil_marks();
    e.view.counters = gil_counters();
    e.view.hidden_metric_prefixes = sim_hidden();
    e.run = run;
    e.program = python_view;
    return e;
}

}  // namespace gil::ex
