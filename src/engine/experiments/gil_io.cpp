// gil_io.cpp — gil.io: I/O-bound threads overlap their waits because a blocking call
// releases the GIL.
#include <cstdio>

#include "engine/experiments/common.h"
#include "engine/sim/harness.h"

namespace gil::ex {

namespace {

using namespace sim;

void run(const ExperimentSpec& e, const ParamSet& ps, uint64_t seed, RunControl& ctl, RunResult& r) {
    Common c = common(ps);
    const int T = (int)ps.get_int("threads");
    // The program's module code runs it all: the requests in a row, then T threads, each timed.
    SerialThreads st = run_serial_then_threads(c, experiment_program(e, ps, c), seed, ctl, r);
    if (!st.ok) return;
    add_serial_threads_metrics(r, st, "Serial: one request after another");
    r.metrics.set("ideal_speedup", (double)T, "x", "Ideal: every wait overlapped");
    add_sim_metrics(r, st.run);
    r.notes.push_back("time.sleep() releases the GIL, so while one thread waits the others run: " +
                      std::to_string(T) + " threads finished in " + fmt_ms(st.threads_ns) + " instead of " +
                      fmt_ms(st.serial_ns) + ".");
    attach_trace(r, st.run, ctl);
}

}  // namespace

ExperimentSpec gil_io() {
    ExperimentSpec e;
    e.id = "gil.io";
    e.title = "I/O-bound threads vs serial";
    e.topic = Topic::Gil;
    e.summary = "T threads each wait on I/O (time.sleep): the waits overlap, so threads help";
    e.explain =
        "Each thread waits for I/O (a network request, a disk read; here time.sleep) and then does a little Python "
        "work. A blocking call releases the GIL, so while one thread waits the others run, and the waits overlap. "
        "Threads give close to a T-fold speedup as long as waiting dominates.";
    e.predict = {"How many times faster are the threads than doing every wait in a row?", "speedup", "x", 1, 0.25};
    e.params = {tested(int_p("threads", "Threads", 1, 256, 4, "", "How many threads."), 8),
                work(tested(int_p("requests", "Requests per thread", 1, 100000, 1, "", "How many waits each thread does."), 100)),
                tested(real_p("io_ms", "Wait per request", 0.001, 100000, 500, "ms", "Length of each I/O wait.", true), 50),
                tested(int_p("cpu_per_request", "Python work per request", 0, 1e8, 10000, "",
                             "Loop iterations after each wait.", true),
                       3e5),
                version_p(), cores_p(), interval_p()};
    e.small = {{"requests", "3"}, {"io_ms", "1"}, {"cpu_per_request", "2000"}};
    e.view.charts = {time_bars({{"serial_ns", "serial"}, {"threads_ns", "threads"}})};
    e.view.states = sim_states(false, true);  // the main thread waits in join()
    e.view.marks = gil_marks();
    e.view.counters = gil_counters();
    e.view.hidden_metric_prefixes = sim_hidden();
    e.run = run;
    e.program = python_view;
    return e;
}

}  // namespace gil::ex
