// deadlock_order.cpp — deadlock.order: two threads take two locks in opposite order and wait for each other forever.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "engine/experiments/common.h"
#include "engine/sim/harness.h"
#include "engine/stats.h"

namespace gil::ex {

namespace {

using namespace sim;

void run(const ExperimentSpec& e, const ParamSet& ps, uint64_t seed, RunControl& ctl, RunResult& r) {
    Common c = common(ps);
    auto prog = experiment_program(e, ps, c);
    Run run(c, prog, ctl.record_trace);
    run.main_thread(*prog);  // the module code starts first() and second() and joins them
    SimResult s = run.go(seed, ctl);
    if (s.cancelled) {
        r.cancelled = true;
        return;
    }
    add_deadlock_metrics(r, s);
    if (s.deadlock) {
        r.notes.push_back("Deadlock: " + s.deadlock_report +
                          ". Each thread holds one lock and waits for the other's. Acquire locks in one global order "
                          "(set order=same) and it cannot happen.");
    } else {
        r.notes.push_back("Both threads take the locks in the same order, so whoever gets 'a' first also gets 'b': "
                          "no cycle, no deadlock.");
    }
    add_sim_metrics(r, s);
    attach_trace(r, s, ctl);
}

}  // namespace

ExperimentSpec deadlock_order() {
    ExperimentSpec e;
    e.id = "deadlock.order";
    e.title = "Deadlock: two locks in opposite order";
    e.topic = Topic::Races;
    e.summary = "Two threads take locks a and b in opposite order and wait for each other forever";
    e.explain =
        "Thread 1 takes lock a then b; thread 2 takes b then a. If each gets its first lock before the other "
        "reaches its second, both wait forever. The simulator notices that nobody can move and says who waits for "
        "what. Taking the locks in one global order (order=same) removes the cycle.";
    e.predict = {"Will these two threads deadlock?", "deadlock", "yes/no", 1, 0};
    e.params = {choice_p("order", "Lock order", {"opposite", "same"}, 0, "opposite: a-b vs b-a (deadlocks); same: a-b in both."),
                tested(real_p("hold_ms", "Work while holding the first lock", 0.001, 1000, 1, "ms", "Sleep between the two acquires.", true), 50),
                version_p()};
    lock_wait_view(e.view);
    e.puzzles = {
        {"deadlock", "Make both threads wait forever",
         "first() takes a then b, second() takes b then a. time.sleep() lets the GIL go while a thread holds its first "
         "lock. Give each thread its first lock before either reaches its second.",
         {{"order", "opposite"}, {"version", "3.12"}}, "deadlock", "make both threads wait forever", true},
    };
    e.run = run;
    e.program = python_view;
    return e;
}

}  // namespace gil::ex
