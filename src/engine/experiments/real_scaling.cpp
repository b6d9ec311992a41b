// real_scaling.cpp — real.scaling: parallel vs serial on real threads, with Amdahl's law.
#include "engine/experiments/common.h"
#include "engine/real/real.h"

namespace gil::ex {

ExperimentSpec real_scaling() {
    ExperimentSpec e;
    e.id = "real.scaling";
    e.title = "Parallel vs serial: speedup and Amdahl's law";
    e.topic = Topic::Parallel;
    e.engine = Engine::Real;
    e.gil = GilModel::Never;
    e.summary = "A CPU-bound kernel split over 1..T real threads vs serial: speedup, efficiency, fitted serial fraction";
    e.explain =
        "The same amount of CPU work is split over 1, 2, ... T real threads (no GIL here: this is C++). Speedup "
        "grows until the threads outnumber the cores, and any part that stays serial caps it, as Amdahl's law says: "
        "speedup(n) = 1 / (s + (1 - s) / n). The fitted s is the program's serial fraction plus overheads.";
    e.python =
        "from concurrent.futures import ThreadPoolExecutor   # with a GIL-free kernel (NumPy, C, 3.13t)\n"
        "setup()                                   # serial part\n"
        "with ThreadPoolExecutor(n) as ex:\n"
        "    ex.map(kernel, split(work, n))        # parallel part\n";
    e.predict = {"How many times faster is the work with 2 threads than with 1?", "speedup_2", "x", 1, 0.25};
    e.params = {real_threads(tested(int_p("threads", "Threads (max)", 1, 64, 4, "", "Runs 1..threads threads."), 4)),
                tested(real_p("work_ms", "Total work", 1, 60000, 200, "ms", "Serial time of the whole job.", true), 5),
                real_p("serial_pct", "Serial part", 0, 100, 5, "%", "Share of the work that cannot be split."),
                tested(int_p("runs", "Runs per point", 1, 50, 3, "", "Median of this many runs after a warm-up."), 2)};
    e.small = {{"threads", "2"}, {"work_ms", "10"}, {"runs", "1"}};
    e.view.charts = {lines({{"speedup", ""}, {"ideal", "", true}, {"amdahl", "", true}}, false, true),
                     lines({{"efficiency", ""}}, false, true)};
    e.view.no_timeline = "No timeline for this one: it times whole runs at each thread count (after a warm-up), "
                         "without recording the threads. The speedups are in the charts and the results.";
    e.run = real::run_scaling;
    return e;
}

}  // namespace gil::ex
