// race_wakeup.cpp — race.wakeup: a consumer tests a flag, then goes to sleep until a producer
// wakes it; a switch between the test and going to sleep loses the wake-up.
#include "engine/experiments/common.h"
#include "engine/sim/harness.h"

namespace gil::ex {

namespace {

void run(const ExperimentSpec& e, const ParamSet& ps, uint64_t seed, RunControl& ctl, RunResult& r) {
    sim::SimResult s;
    run_program(e, ps, seed, ctl, r, &s);
    if (!r.error.empty() || r.cancelled) return;
    r.metrics.set("woke", s.deadlock ? 0 : 1, "", "The consumer woke up (1 = yes)");
    const sim::Common c = sim::common(ps);
    if (s.deadlock) {
        r.notes.push_back("The wake-up was lost: the producer looked at `sleeping` after the consumer tested `ready` "
                          "but before it set `sleeping = 1`, so nobody wakes the consumer.");
    } else if (ps.choice_name("variant") == "locked") {
        r.notes.push_back("The consumer's test and its going to sleep, and the producer's setting ready and its test, "
                          "each happen under one lock: the producer cannot look in between, on any version.");
    } else if (c.prof.has_gil && c.row->breaker != EvalBreaker::EveryDispatch) {
        r.notes.push_back("The consumer woke up. On " + c.version +
                          " with the GIL no switch point falls between the consumer's test and `sleeping = 1`, so the "
                          "wake-up cannot be lost here; on 3.9 or a free-threaded build it can (the Explore tab shows how).");
    } else {
        r.notes.push_back("The consumer woke up on this run, but on " + c.version +
                          " a switch can land between its test and `sleeping = 1`: the Explore tab finds the schedule "
                          "that loses the wake-up.");
    }
}

}  // namespace

ExperimentSpec race_wakeup() {
    ExperimentSpec e;
    e.id = "race.wakeup";
    e.title = "A lost wake-up: test a flag, then sleep";
    e.topic = Topic::Races;
    e.summary = "A consumer tests a flag, then sleeps until woken: a switch in between loses the wake-up for ever";
    e.explain =
        "The consumer tests `ready`; if nothing is there it sets `sleeping = 1` and blocks on a lock the producer "
        "releases to wake it. The producer sets `ready = 1` and wakes the consumer only if `sleeping` says it sleeps. "
        "If the producer looks after the consumer's test but before `sleeping = 1`, it sees nobody sleeping, and "
        "the consumer then sleeps forever. Doing the test and the sleep under one lock (what threading.Condition "
        "does) fixes it.";
    e.predict = {"Does the consumer always wake up?", "woke", "yes/no", 1, 0};
    e.params = {choice_p("variant", "Code", {"flag", "locked"}, 0,
                         "flag: test, then sleep, no lock; locked: the test and the sleep under one lock."),
                tested(real_p("work_ms", "Producer's work before it sets ready", 0.001, 1000, 1, "ms",
                              "time.sleep() before ready = 1.", true), 50),
                version_p()};
    lock_wait_view(e.view);
    e.puzzles = {
        {"wakeup-3.9", "Make the consumer sleep forever, on 3.9",
         "Run the consumer until it has tested ready (nothing there yet), then let the producer set ready and look "
         "at sleeping before the consumer says it sleeps.",
         {{"version", "3.9"}, {"variant", "flag"}}, "deadlock", "make the consumer wait forever", true},
    };
    e.run = run;
    e.program = python_view;
    return e;
}

}  // namespace gil::ex
