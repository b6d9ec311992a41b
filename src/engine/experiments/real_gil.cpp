// real_gil.cpp — real.gil: CPython's GIL protocol (ceval_gil.c) in C++ on real threads,
// measured next to the simulator's prediction.
#include "engine/experiments/common.h"
#include "engine/real/real.h"

namespace gil::ex {

ExperimentSpec real_gil() {
    ExperimentSpec e;
    e.id = "real.gil";
    e.title = "A real GIL on real threads";
    e.topic = Topic::Gil;
    e.engine = Engine::Real;
    e.gil = GilModel::Always;
    e.summary = "CPython's GIL protocol in C++ on real threads: CPU-bound and I/O-bound threads, measured";
    e.explain =
        "A GIL written after ceval_gil.c (a mutex, a condition variable with a one-interval timed wait, a drop "
        "request, a check at each loop back-edge, forced switching) guards a tiny bytecode loop run by real "
        "threads. CPU threads never wait; I/O threads release the GIL around a sleep. The measured switches, drop "
        "requests and wake-up latencies sit next to the simulator's prediction for the same program.";
    e.python =
        "import threading, time\n"
        "def cpu(): count(N)                 # holds the GIL, drops it only on request\n"
        "def io():\n"
        "    for _ in range(R):\n"
        "        time.sleep(IO)             # releases the GIL; waits for it on wake-up\n";
    e.predict = {"An I/O thread sleeping 1 ms next to a CPU-bound thread: how many ms until it runs after each "
                 "wake-up (median)?",
                 "wake_latency_median_ns", "ms", 1e6, 0.3};
    e.params = {real_threads(tested(int_p("cpu_threads", "CPU-bound threads", 0, 16, 1, "", "Threads that compute without waiting."), 4)),
                real_threads(tested(int_p("io_threads", "I/O-bound threads", 0, 16, 1, "", "Threads that sleep with the GIL released."), 4)),
                tested(real_p("work_ms", "CPU work per thread", 1, 60000, 300, "ms", "How long each CPU thread computes (alone).", true), 5),
                tested(real_p("io_ms", "Sleep per request", 0.01, 1000, 1, "ms", "I/O threads: each sleep.", true), 2),
                tested(int_p("requests", "Requests per I/O thread", 1, 100000, 60, "", "I/O threads: how many sleeps."), 5),
                tested(real_p("interval_us", "Switch interval", 100, 1'000'000, 5000, "us", "The timed wait before a drop request.", true),
                       1'000'000, 500),
                tested(int_p("runs", "Measured runs", 1, 20, 3, "", "Min, median and max over this many runs."), 2)};
    e.small = {{"work_ms", "20"}, {"requests", "3"}};
    e.invariants = {{"max_threads_in_bytecode", 1}};
    ChartDecl vs;
    vs.title = "I/O wake-up latency: this machine vs the simulator";
    vs.items = {{"wake_latency_median_ns", "measured (real threads)"}, {"sim_wake_latency_median_ns", "simulator's prediction"}};
    vs.unit = "ms";
    vs.scale = 1e6;
    e.view.charts = {vs};
    e.view.states = {ThreadState::Running, ThreadState::WaitGil, ThreadState::Io};
    // The recorder keeps each thread's states, not the GIL's events: drop requests and
    // switches are counted in the results, with no mark on the timeline.
    // No live counters either (they count trace events, which this run does not record).
    e.run = real::run_real_gil;
    return e;
}

}  // namespace gil::ex
