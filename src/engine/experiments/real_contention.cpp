// real_contention.cpp — real.contention: private work, then one shared lock, on real threads.
#include "engine/experiments/common.h"
#include "engine/real/real.h"

namespace gil::ex {

ExperimentSpec real_contention() {
    ExperimentSpec e;
    e.id = "real.contention";
    e.title = "Lock contention on real threads";
    e.topic = Topic::Races;
    e.engine = Engine::Real;
    e.gil = GilModel::Never;
    e.summary = "T real threads: private work, then a shared lock: throughput, wait times, fairness by lock kind";
    e.explain =
        "Each thread does some private work, then takes one shared lock for a short critical section. When the "
        "critical section is long next to the private work, or many threads want the lock, they queue: throughput "
        "stops growing and wait times climb. std::mutex, a spin lock and a fair ticket lock behave differently: "
        "who gets the lock next, how fast it is handed over, how evenly the threads are served.";
    e.python =
        "import threading\n"
        "lock = threading.Lock()\n"
        "def worker():\n"
        "    while running:\n"
        "        private_work(W)        # no lock needed\n"
        "        with lock:\n"
        "            shared_work(C)     # one thread at a time\n";
    e.params = {real_threads(tested(int_p("threads", "Threads", 1, 64, 4, "", "Real threads contending for the lock."), 4)),
                choice_p("lock", "Lock kind", {"mutex", "spin", "ticket"}, 0,
                         "std::mutex, a test-and-test-and-set spin lock, or a FIFO ticket lock."),
                tested(real_p("work_ns", "Private work", 0, 1e7, 2000, "ns", "Work outside the lock per iteration.", true), 1e5),
                tested(real_p("critical_ns", "Critical section", 0, 1e7, 500, "ns", "Work inside the lock per iteration.", true), 1e5),
                tested(real_p("duration_ms", "Duration", 10, 60000, 300, "ms", "How long each measured run lasts.", true), 5),
                tested(int_p("runs", "Measured runs", 1, 20, 3, "", "Min, median and max over this many runs (after a warm-up)."), 2)};
    e.small = {{"duration_ms", "20"}, {"threads", "2"}};
    ChartDecl shares;
    shares.kind = ChartKind::SeriesBars;
    shares.title = "Acquisitions per thread";
    shares.items = {{"acquisitions_per_thread", ""}};
    shares.bar_prefix = "thread ";
    e.view.charts = {lines({{"throughput_vs_threads", ""}}, false, true), lines({{"throughput_vs_ratio", ""}}), shares};
    e.view.states = {ThreadState::Running, ThreadState::WaitLock, ThreadState::CCode};
    e.view.state_names = {{ThreadState::Running, "private work"}, {ThreadState::CCode, "in critical section"}};
    e.run = real::run_contention;
    return e;
}

}  // namespace gil::ex
