// experiments.cpp — THE experiment table. The CLI, the UI, the URL parser, the JS API and
// the tests all read it; adding an experiment means adding one entry here.
#include "engine/experiment.h"
#include "engine/real/real.h"

namespace gil {

namespace {

ParamSpec int_p(const char* key, const char* label, double min, double max, double def, const char* unit,
                const char* help, bool log_scale = false) {
    ParamSpec s;
    s.key = key;
    s.label = label;
    s.kind = ParamKind::Int;
    s.min = min;
    s.max = max;
    s.def = def;
    s.unit = unit;
    s.help = help;
    s.log_scale = log_scale;
    return s;
}

ParamSpec choice_p(const char* key, const char* label, std::vector<std::string> choices, int def, const char* help) {
    ParamSpec s;
    s.key = key;
    s.label = label;
    s.kind = ParamKind::Choice;
    s.min = 0;
    s.max = (double)choices.size() - 1;
    s.def = def;
    s.choices = std::move(choices);
    s.help = help;
    return s;
}

std::vector<ExperimentSpec> build_table() {
    std::vector<ExperimentSpec> t;

    // ---------------------------------------------------------------- Races and locks
    {
        ExperimentSpec e;
        e.id = "real.race";
        e.title = "Real threads racing on one counter";
        e.topic = Topic::Races;
        e.engine = Engine::Real;
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
        e.predict = "With 2 threads x 1,000,000 racy increments, how many updates survive?";
        e.params = {
            int_p("threads", "Threads", 1, 64, 2, "", "Number of real threads."),
            int_p("increments", "Increments per thread", 1, 1e9, 1'000'000, "",
                  "How many times each thread increments the counter.", true),
            choice_p("mode", "Mode", {"racy", "atomic", "mutex", "spin", "sharded", "both"}, 5,
                     "How each increment is done."),
            int_p("runs", "Measured runs", 1, 50, 1, "", "Repeat the run and report min, median and max."),
        };
        e.run = real::run_race;
        t.push_back(std::move(e));
    }
    return t;
}

}  // namespace

const std::vector<ExperimentSpec>& experiments() {
    static const std::vector<ExperimentSpec> table = build_table();
    return table;
}

}  // namespace gil
