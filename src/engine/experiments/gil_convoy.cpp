// gil_convoy.cpp — gil.convoy: an I/O-bound thread next to a CPU-bound one waits about one
// switch interval for the GIL after every wake-up (the convoy effect).
#include "engine/experiments/common.h"
#include "engine/sim/harness.h"
#include "engine/experiments/convoy.h"

namespace gil::ex {

namespace {

using namespace sim;

void run(const ExperimentSpec& e, const ParamSet& ps, uint64_t seed, RunControl& ctl, RunResult& r) {
    Common c = common(ps);
    const int64_t io = (int64_t)(ps.get("io_ms") * kMs);
    const int64_t R = ps.get_int("requests");
    const auto prog = experiment_program(e, ps, c);
    ConvoyOutcome alone = convoy_once(c, prog, R, false, seed, ctl, false);
    if (!check_done(r, alone.sim, "I/O-only")) return;
    ConvoyOutcome both = convoy_once(c, prog, R, true, seed, ctl, ctl.record_trace);
    if (!check_done(r, both.sim, "convoy")) return;
    r.metrics.set("wake_latency_median_ns", both.median_ns, "ns", "Wake-up to running: median");
    r.metrics.set("wake_latency_p90_ns", both.p90_ns, "ns", "Wake-up to running: 90th percentile");
    r.metrics.set("alone_latency_median_ns", alone.median_ns, "ns", "Same, with no CPU-bound thread");
    r.metrics.set("io_thread_ns", (double)both.sim.end_ns, "ns", "I/O thread's total time next to the CPU thread");
    r.metrics.set("io_alone_ns", (double)alone.sim.end_ns, "ns", "I/O thread's total time alone");
    r.metrics.set("ideal_ns", (double)(R * io), "ns", "Requests x sleep");
    r.metrics.set("slowdown", (double)both.sim.end_ns / (double)alone.sim.end_ns, "x", "I/O thread slowdown");
    r.metrics.set("interval_ns", (double)c.interval_ns, "ns", "Switch interval");
    r.metrics.set("wall_ns", (double)both.sim.end_ns, "ns", "Simulated wall time");
    add_sim_metrics(r, both.sim);
    if (c.prof.has_gil)
        r.notes.push_back("Each time the I/O thread wakes up it must wait for the CPU-bound thread to give the GIL "
                          "back, which it does only after a drop request, one switch interval (" +
                          fmt_ms(c.interval_ns) + ") later: median wake-up latency " + fmt_ms((int64_t)both.median_ns) +
                          " against " + fmt_ms((int64_t)alone.median_ns) + " alone. This is the convoy effect.");
    r.series.push_back(histogram_ms("wake_latency_hist", "Wake-up latency of the I/O thread", "latency (ms)",
                                    "wake-ups", both.sim.io_wake_latency_ns));
    attach_trace(r, both.sim, ctl);
}

}  // namespace

ExperimentSpec gil_convoy() {
    ExperimentSpec e;
    e.id = "gil.convoy";
    e.title = "The convoy effect: I/O latency next to a CPU hog";
    e.topic = Topic::Gil;
    e.summary = "An I/O thread that sleeps briefly, next to a CPU-bound thread: each wake-up waits ~1 switch interval";
    e.explain =
        "One thread spins on the CPU, another does many short I/O waits. Every time the I/O thread wakes up it "
        "needs the GIL back, but the CPU-bound thread never waits, so it lets go only after a drop request: the I/O "
        "thread waits about one switch interval per wake-up, even though the wait itself was short.";
    e.predict = {"Alone, the I/O thread takes about requests x sleep. How many seconds does it take next to the "
                 "CPU-bound thread?",
                 "io_thread_ns", "s", 1e9, 0.3};
    e.params = {tested(real_p("io_ms", "Sleep per request", 0.001, 1000, 1, "ms", "Each short I/O wait.", true), 50),
                work(tested(int_p("requests", "Requests", 1, 100000, 200, "", "How many waits."), 100)),
                version_p(), cores_p(), interval_p()};
    e.small = {{"requests", "10"}, {"io_ms", "0.5"}, {"interval_us", "500"}};
    e.view.charts = {time_bars({{"io_alone_ns", "I/O thread alone"}, {"io_thread_ns", "next to the CPU-bound thread"}}),
                     histogram("wake_latency_hist")};
    e.view.states = sim_states();
    e.view.marks = gil_marks();
    e.view.counters = gil_counters();
    e.view.hidden_metric_prefixes = sim_hidden();
    e.run = run;
    e.program = python_view;
    return e;
}

}  // namespace gil::ex
