// real_race.cpp — real.race: real threads racing on one shared counter (racy, atomic,
// mutex, spin, sharded), with relaxed atomics for the deliberate race.
#include "engine/experiments/common.h"
#include "engine/real/real.h"

namespace gil::ex {

ExperimentSpec real_race() {
    ExperimentSpec e;
    e.id = "real.race";
    e.title = "Real threads racing on one counter";
    e.topic = Topic::Races;
    e.engine = Engine::Real;
    e.gil = GilModel::Never;
    e.summary = "T real threads x N increments of one shared counter: racy, atomic, mutex, spin, sharded";
    e.explain =
        "Real threads on your machine (Web Workers in the page) increment one shared counter. "
        "In 'racy' mode each increment is a load followed by a store, exactly the read-modify-write "
        "of Python's counter += 1, and when two threads interleave, one store overwrites the other "
        "and an update is lost. 'atomic' uses one indivisible fetch-and-add, 'mutex' and 'spin' take "
        "a lock around the increment, 'sharded' gives each thread its own counter and adds them up "
        "at the end. 'both' runs a racy and an atomic counter side by side in the same loop.";
    e.python =
        "import threading\n"
        "counter = 0\n"
        "def work(n):\n"
        "    global counter\n"
        "    for _ in range(n):\n"
        "        counter += 1        # load, add, store: not atomic\n"
        "threads = [threading.Thread(target=work, args=(N,)) for _ in range(T)]\n"
        "for t in threads: t.start()\n"
        "for t in threads: t.join()\n"
        "print(counter)              # expected T * N\n";
    e.predict = {"How many increments survive in the counter?", "final", "", 1, 0.1};
    e.params = {real_threads(tested(int_p("threads", "Threads", 1, 64, 2, "", "Number of real threads."), 4)),
                tested(int_p("increments", "Increments per thread", 1, 1e9, 1'000'000, "",
                             "How many times each thread increments the counter.", true),
                       100000),
                choice_p("mode", "Mode", {"racy", "atomic", "mutex", "spin", "sharded", "both"}, 5,
                         "How each increment is done."),
                tested(int_p("runs", "Measured runs", 1, 50, 1, "", "Repeat the run and report min, median and max."), 2)};
    e.small = {{"increments", "20000"}};
    {
        ChartDecl counter;
        counter.title = "The counter at the end";
        counter.items = {{"expected", "expected"}, {"final", "final"}, {"atomic_final", "atomic"}};
        counter.reference = "expected";
        e.view.charts = {counter};
    }
    e.view.no_timeline = "No timeline for this one: the threads race at full speed, and recording each of their "
                         "steps would slow them and change the race. The counts are in the results and the chart.";
    e.run = real::run_race;
    return e;
}

}  // namespace gil::ex
