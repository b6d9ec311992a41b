// cext_release.cpp — cext.release: C code that releases the GIL (NumPy, Cython nogil) runs in parallel; code that keeps it does not.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "engine/experiments/common.h"
#include "engine/sim/harness.h"
#include "engine/stats.h"

namespace gil::ex {

namespace {

using namespace sim;

// The kernel's duration is a parameter of the modelled C call (numpy.dot releases the GIL,
// json.dumps keeps it); the two variants are two program files.
LowerOptions kernel(const ParamSet& ps) {
    LowerOptions o;
    const int64_t k = (int64_t)(ps.get("kernel_ms") * kMs);
    o.c_call_ns = {{"numpy.dot", k}, {"json.dumps", k}};
    return o;
}

void run(const ExperimentSpec& e, const ParamSet& ps, uint64_t seed, RunControl& ctl, RunResult& r) {
    Common c = common(ps);
    // Each program's module code runs it all: the calls in a row, then T threads, each timed.
    // The GIL-holding program's threads are the comparison; the releasing one is traced.
    auto rel = experiment_program(e, ps, c, kernel(ps), "cext_release.release.py");
    auto hold = experiment_program(e, ps, c, kernel(ps), "cext_release.hold.py");
    const bool trace = ctl.record_trace;
    ctl.record_trace = false;
    SerialThreads h = run_serial_then_threads(c, hold, seed, ctl, r);
    ctl.record_trace = trace;
    if (!h.ok) return;
    ctl.progress(0.5);
    SerialThreads rl = run_serial_then_threads(c, rel, seed, ctl, r);
    if (!rl.ok) return;
    const SimResult& rr = rl.run;
    const int64_t serial = rl.serial_ns, threads_rel = std::max<int64_t>(1, rl.threads_ns),
                  threads_hold = std::max<int64_t>(1, h.threads_ns);
    r.metrics.set("serial_ns", (double)serial, "ns", "Serial");
    r.metrics.set("threads_release_ns", (double)threads_rel, "ns", "Threads, C code releases the GIL");
    r.metrics.set("threads_hold_ns", (double)threads_hold, "ns", "Threads, C code keeps the GIL");
    r.metrics.set("speedup_release", (double)serial / (double)threads_rel, "x", "Speedup when the GIL is released");
    r.metrics.set("speedup_hold", (double)serial / (double)threads_hold, "x", "Speedup when the GIL is kept");
    r.metrics.set("wall_ns", (double)rr.end_ns, "ns", "Simulated wall time (the releasing program)");
    add_sim_metrics(r, rr);
    r.notes.push_back("C code that releases the GIL (NumPy kernels, Cython 'with nogil') runs on all cores at "
                      "once: " + fmt_ms(threads_rel) + " against " + fmt_ms(serial) +
                      " serial. The same C code holding the GIL gets no speedup (" + fmt_ms(threads_hold) + ").");
    attach_trace(r, rr, ctl);
}

}  // namespace

ExperimentSpec cext_release() {
    ExperimentSpec e;
    e.id = "cext.release";
    e.title = "C code that releases the GIL (NumPy, Cython nogil)";
    e.topic = Topic::Parallel;
    e.summary = "Threads calling a C kernel that releases the GIL run in parallel; the same kernel holding it does not";
    e.explain =
        "NumPy kernels and Cython 'with nogil' blocks release the GIL around their C work (Py_BEGIN_ALLOW_THREADS), "
        "so threads calling them really run on several cores at once. A C extension that keeps the GIL blocks "
        "every other thread for its whole duration.";
    e.predict = {"How many seconds do the threads take when the C code releases the GIL?", "threads_release_ns", "s", 1e9, 0.3};
    e.params = {tested(int_p("threads", "Threads", 1, 64, 4, "", "How many threads."), 8),
                work(tested(int_p("calls", "Kernel calls per thread", 1, 100000, 20, "", "How many C calls each thread makes."), 100)),
                tested(real_p("kernel_ms", "Kernel duration", 0.001, 10000, 10, "ms", "Time each C call computes.", true), 50),
                tested(int_p("glue", "Python work between calls", 0, 1e8, 10000, "", "Loop iterations of Python between calls.", true), 3e5),
                version_p(), cores_p(), interval_p()};
    e.small = {{"calls", "3"}, {"kernel_ms", "0.5"}, {"glue", "2000"}};
    e.python_file = "cext_release.release.py";  // the run compares it with cext_release.hold.py
    e.view.charts = {time_bars({{"serial_ns", "serial"}, {"threads_release_ns", "threads (GIL released)"},
                                {"threads_hold_ns", "threads (GIL held)"}})};
    e.view.states = sim_states(true, true, true, false);  // no I/O; the main thread waits in join()
    e.view.marks = gil_marks(false);
    e.view.counters = gil_counters(false);
    e.view.hidden_metric_prefixes = sim_hidden();
    e.run = run;
    e.program = python_view;
    return e;
}

}  // namespace gil::ex
