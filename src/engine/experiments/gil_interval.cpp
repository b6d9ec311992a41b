// gil_interval.cpp — gil.interval: the convoy program over nine switch intervals, I/O
// latency against CPU throughput.
#include <cmath>
#include <cstdio>

#include "engine/experiments/common.h"
#include "engine/sim/harness.h"
#include "engine/experiments/convoy.h"

namespace gil::ex {

namespace {

using namespace sim;

constexpr double kIntervalsMs[] = {0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 50};

void run(const ExperimentSpec& e, const ParamSet& ps, uint64_t seed, RunControl& ctl, RunResult& r) {
    Common c = common(ps);
    const int64_t R = ps.get_int("requests");
    const auto prog = experiment_program(e, ps, c);
    auto series = [](const char* key, const char* label, const char* y) {
        Series s;
        s.key = key;
        s.label = label;
        s.x_label = "switch interval (ms)";
        s.y_label = y;
        return s;
    };
    Series lat = series("latency_vs_interval", "I/O wake-up latency (median)", "latency (ms)");
    Series thr = series("cpu_throughput_vs_interval", "CPU thread throughput", "loop iterations per second (millions)");
    Series sw = series("switches_vs_interval", "GIL switches per second", "switches/s");
    std::shared_ptr<Trace> chosen;
    // The timeline shows the sweep point closest to the chosen interval.
    double nearest = kIntervalsMs[0];
    for (double ms : kIntervalsMs)
        if (std::fabs(std::log(ms * kMs / (double)c.interval_ns)) < std::fabs(std::log(nearest * kMs / (double)c.interval_ns)))
            nearest = ms;
    int i = 0;
    if (!c.prof.has_gil) {
        r.notes.push_back("Free-threaded " + c.version + " has no GIL, so the switch interval changes nothing: only "
                          "the chosen interval was run.");
    }
    for (double ms : kIntervalsMs) {
        if (!c.prof.has_gil && ms != nearest) continue;
        Common ci = c;
        ci.interval_ns = (int64_t)(ms * kMs);
        bool is_default = ms == nearest;
        ConvoyOutcome o = convoy_once(ci, prog, R, true, seed, ctl, ctl.record_trace && is_default);
        if (!check_done(r, o.sim, "sweep")) return;
        lat.x.push_back(ms);
        lat.y.push_back(o.median_ns / 1e6);
        thr.x.push_back(ms);
        thr.y.push_back(o.cpu_rate / 1e6);
        sw.x.push_back(ms);
        sw.y.push_back((double)o.sim.gil_switches / ((double)o.sim.end_ns * 1e-9));
        char k[64];
        std::snprintf(k, sizeof k, "latency_ms_at_%gms", ms);
        char label[96];
        std::snprintf(label, sizeof label, "Median wake-up latency, interval %g ms", ms);
        r.metrics.set(k, o.median_ns / 1e6, "ms", label);
        std::snprintf(k, sizeof k, "cpu_mips_at_%gms", ms);
        std::snprintf(label, sizeof label, "CPU loop iterations per second (millions), interval %g ms", ms);
        r.metrics.set(k, o.cpu_rate / 1e6, "M/s", label);
        if (is_default) chosen = o.sim.trace;
        ctl.progress(++i / (c.prof.has_gil ? 9.0 : 1.0));
    }
    r.series = {lat, thr, sw};
    r.notes.push_back("A short switch interval lets the I/O thread back in sooner (lower latency) but costs the "
                      "CPU thread more hand-offs; a long one does the opposite. CPython's default is 5 ms.");
    if (ctl.record_trace) r.trace = chosen;
}

}  // namespace

ExperimentSpec gil_interval() {
    ExperimentSpec e;
    e.id = "gil.interval";
    e.title = "Switch interval: throughput vs latency";
    e.topic = Topic::Gil;
    e.summary = "Sweeps sys.setswitchinterval from 0.1 to 50 ms: I/O latency against CPU throughput";
    e.explain =
        "The switch interval trades latency for throughput. A short interval brings a waiting I/O thread back "
        "quickly but interrupts the CPU-bound thread more often; a long one does the opposite. This runs the convoy "
        "program for nine intervals and plots both.";
    e.predict = {"With a 0.5 ms switch interval, what is the I/O thread's median wake-up latency, in ms?",
                 "latency_ms_at_0.5ms", "ms", 1, 0.5};
    e.params = {tested(real_p("io_ms", "Sleep per request", 0.001, 1000, 1, "ms", "Each short I/O wait.", true), 50),
                work(tested(int_p("requests", "Requests", 1, 100000, 100, "", "How many waits per run."), 100)),
                version_p(), cores_p(), interval_p()};
    e.small = {{"requests", "3"}, {"io_ms", "0.2"}};
    e.view.charts = {lines({{"latency_vs_interval", ""}}, true), lines({{"cpu_throughput_vs_interval", ""}}, true),
                     lines({{"switches_vs_interval", ""}}, true)};
    e.view.states = sim_states();
    e.view.marks = gil_marks();
    e.view.counters = gil_counters();
    e.view.hidden_metric_prefixes = sim_hidden();
    e.run = run;
    e.program = python_view;
    return e;
}

}  // namespace gil::ex
