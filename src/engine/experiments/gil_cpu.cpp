// gil_cpu.cpp — gil.cpu: CPU-bound threads against the same work done serially (the seeds'
// first program: two threads x 10^8 iterations give no speedup under the GIL).
#include "engine/experiments/common.h"
#include "engine/sim/harness.h"

namespace gil::ex {

namespace {

using namespace sim;

void run(const ExperimentSpec& e, const ParamSet& ps, uint64_t seed, RunControl& ctl, RunResult& r) {
    Common c = common(ps);
    const int T = (int)ps.get_int("threads");
    // The program's module code runs it all: count() T times in a row, then T threads, each timed.
    SerialThreads st = run_serial_then_threads(c, experiment_program(e, ps, c), seed, ctl, r);
    if (!st.ok) return;
    const SimResult& rt = st.run;
    const double speedup = (double)st.serial_ns / (double)std::max<int64_t>(1, st.threads_ns);
    add_serial_threads_metrics(r, st, "Serial: T calls one after another");
    r.metrics.set("per_thread_ns", (double)st.threads_ns / T, "ns", "Threaded time / threads");
    add_sim_metrics(r, rt);
    r.metrics.set("switches_per_second", (double)rt.gil_switches / ((double)std::max<int64_t>(1, st.threads_ns) * 1e-9), "/s",
                  "GIL switches per second (threaded phase)");
    r.metrics.set("instructions", (double)rt.instructions, "", "Bytecode instructions executed (the whole program)");
    r.metrics.set("state_changes", (double)rt.state_changes, "", "Simulated state changes");
    if (!c.prof.has_gil) {
        r.notes.push_back("Free-threaded " + c.version + ": no GIL, so the " + std::to_string(T) +
                          " threads run on separate cores (up to " + std::to_string(c.machine.cores) +
                          ") and the work finishes " + (speedup > 1.05 ? "faster" : "no faster") + " than serial.");
    } else if (speedup < 1.05) {
        r.notes.push_back("With the GIL only one thread runs bytecode at a time: " + std::to_string(T) +
                          " threads took " + fmt_ms(st.threads_ns) + " against " + fmt_ms(st.serial_ns) +
                          " serial. They took turns " + std::to_string(rt.gil_switches) +
                          " times, each after a waiter's drop request (every switch interval).");
    }
    attach_trace(r, rt, ctl);
}

}  // namespace

ExperimentSpec gil_cpu() {
    ExperimentSpec e;
    e.id = "gil.cpu";
    e.title = "CPU-bound threads vs serial";
    e.topic = Topic::Gil;
    e.summary = "T threads each run a CPU-bound loop: no faster than running them one after another";
    e.explain =
        "Each thread runs a pure-Python loop that never waits. Only the thread holding the GIL may run bytecode, "
        "so the threads take turns: a waiting thread asks for the GIL after one switch interval (5 ms), the holder "
        "lets go at its next check point, and the other runs. On a machine with many cores the work still takes "
        "as long as doing it serially, often a little longer because of the hand-offs.";
    e.predict = {"How many times faster are the threads than calling count() once per thread, in a row? (1 = no faster)",
                 "speedup", "x", 1, 0.25};
    e.params = {tested(int_p("threads", "Threads", 1, 64, 2, "", "How many threads run the loop."), 8),
                work(tested(int_p("iterations", "Iterations per thread", 1, 1e10, 100'000'000, "",
                             "Loop iterations each thread runs (the seeds use 10**8).", true),
                       3e5)),
                choice_p("workload", "Loop", {"squares", "countdown"}, 0,
                         "squares: total += i*i; countdown: while n > 0: n -= 1."),
                version_p(), cores_p(), interval_p()};
    e.small = {{"iterations", "20000"}, {"interval_us", "100"}};
    e.view.charts = {time_bars({{"serial_ns", "serial"}, {"threads_ns", "threads"}})};
    e.view.states = sim_states(false, true, true, false);  // CPU-bound: no I/O; the main thread waits in join()
    e.view.marks = gil_marks();
    e.view.counters = gil_counters();
    e.view.hidden_metric_prefixes = sim_hidden();
    e.run = run;
    e.program = python_view;
    return e;
}

}  // namespace gil::ex
