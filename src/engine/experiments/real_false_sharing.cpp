// real_false_sharing.cpp — real.false_sharing: packed vs padded per-thread counters.
#include "engine/experiments/common.h"
#include "engine/real/real.h"

namespace gil::ex {

ExperimentSpec real_false_sharing() {
    ExperimentSpec e;
    e.id = "real.false_sharing";
    e.title = "False sharing: packed vs padded counters";
    e.topic = Topic::Parallel;
    e.engine = Engine::Real;
    e.gil = GilModel::Never;
    e.summary = "Per-thread counters in one cache line vs on separate lines: same work, very different speed";
    e.explain =
        "Each thread increments only its own counter, so nothing is shared logically. But counters packed next to "
        "each other share one 64-byte cache line, and the line moves between cores on every write. Padding each "
        "counter to its own line removes the traffic.";
    e.python =
        "counts = [0] * T          # adjacent in memory: one cache line\n"
        "def worker(i):\n"
        "    for _ in range(N):\n"
        "        counts[i] += 1     # (in C: a per-thread counter)\n";
    e.predict = {"How many times slower are packed counters than padded ones with 2 threads?", "slowdown", "x", 1, 0.3};
    e.params = {real_threads(tested(int_p("threads", "Threads", 1, 64, 2, "", "Real threads."), 4)),
                tested(int_p("increments", "Increments per thread", 1, 1e9, 20'000'000, "",
                             "Increments of each thread's counter.", true),
                       100000),
                tested(int_p("runs", "Measured runs", 1, 50, 3, "", "Median of this many runs after a warm-up."), 2)};
    e.small = {{"increments", "20000"}, {"runs", "1"}};
    ChartDecl ns;
    ns.title = "Time per increment";
    ns.items = {{"packed_ns_per_increment", "packed (one cache line)"}, {"padded_ns_per_increment", "padded (a line each)"}};
    ns.unit = "ns";
    e.view.charts = {ns};
    e.view.no_timeline = "No timeline for this one: it times increments of a few nanoseconds, and recording the "
                         "threads would cost more than what it measures. The times are in the chart and the results.";
    e.run = real::run_false_sharing;
    return e;
}

}  // namespace gil::ex
