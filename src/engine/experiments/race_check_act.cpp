// race_check_act.cpp — race.check_act: threads test that money is there, then withdraw it; a
// switch between the test and the withdrawal overdraws the balance.
#include <algorithm>

#include "engine/experiments/common.h"
#include "engine/sim/harness.h"

namespace gil::ex {

namespace {

void run(const ExperimentSpec& e, const ParamSet& ps, uint64_t seed, RunControl& ctl, RunResult& r) {
    sim::SimResult s;
    run_program(e, ps, seed, ctl, r, &s);
    if (!r.error.empty() || r.cancelled) return;
    const int64_t start = ps.get_int("balance"), amount = ps.get_int("amount");
    const int64_t tries = ps.get_int("withdrawals") * ps.get_int("threads");
    // Done one at a time: every withdrawal while the money lasts.
    const int64_t expected = start - amount * std::min(tries, start / amount);
    const double final_v = r.metrics.get("global.balance");
    r.metrics.set("expected", (double)expected, "", "Balance if the withdrawals were done one at a time");
    r.metrics.set("final", final_v, "", "Balance at the end");
    r.metrics.set("overdrawn", final_v < 0 ? 1 : 0, "", "Went below zero (1 = yes)");
    const sim::Common c = sim::common(ps);
    const bool locked = ps.choice_name("variant") == "locked";
    // Two threads can both pass the test only if they try to take more than is there.
    const bool can_overdraw = ps.get_int("threads") >= 2 && tries > start / amount;
    if (final_v < 0) {
        r.notes.push_back("The balance went below zero (" + std::to_string((int64_t)final_v) +
                          "): two threads both passed the test `balance >= AMOUNT` before either withdrew, so both withdrew.");
    } else if (final_v != (double)expected) {
        r.notes.push_back("The balance ended at " + std::to_string((int64_t)final_v) + ", not " + std::to_string(expected) +
                          ": a thread stored a balance computed from a value another thread had already changed (a lost update).");
    } else if (!can_overdraw) {
        r.notes.push_back("No overdraft, and none is possible with these parameters: an overdraft needs two threads "
                          "trying to withdraw more than the balance holds.");
    } else if (locked) {
        r.notes.push_back("The test and the withdrawal happen under one lock: no thread acts on a stale test, on any version.");
    } else if (c.prof.has_gil && c.row->breaker != EvalBreaker::EveryDispatch) {
        r.notes.push_back("No overdraft: on " + c.version +
                          " with the GIL no switch point falls between the test and the withdrawal (no call, no "
                          "back-edge in between). The code is still not thread-safe: on 3.9 or a free-threaded build it overdraws.");
    } else {
        r.notes.push_back("No overdraft on this run, but a switch can land between the test and the withdrawal on " +
                          c.version + ": the Explore tab finds the schedule that overdraws.");
    }
}

}  // namespace

ExperimentSpec race_check_act() {
    ExperimentSpec e;
    e.id = "race.check_act";
    e.title = "Check, then act: two withdrawals from one balance";
    e.topic = Topic::Races;
    e.summary = "if balance >= amount: balance -= amount from two threads overdraws when a switch lands in between";
    e.explain =
        "Each thread tests that the money is there, then withdraws it. The test and the withdrawal are separate "
        "steps: if a thread is switched out between them, another thread can take the money first, and the first "
        "withdraws money that is no longer there. On 3.9 and free-threaded builds that happens; on 3.10-3.13 with "
        "the GIL no switch point falls in between, so it does not, but the code is still wrong. Holding one lock "
        "around the test and the withdrawal fixes it.";
    e.predict = {"Can the balance go below zero on this version?", "overdrawn", "yes/no", 1, 0};
    e.params = {tested(int_p("threads", "Threads", 1, 16, 2, "", "How many threads withdraw."), 8),
                tested(int_p("balance", "Starting balance", 0, 1e12, 100'000, "", "The money there at the start.", true), 1e6),
                int_p("amount", "Amount per withdrawal", 1, 1e9, 1, "", "What each withdrawal takes."),
                work(tested(int_p("withdrawals", "Withdrawals per thread", 1, 1e9, 100'000, "", "Loop iterations per thread.", true), 3e5)),
                choice_p("variant", "Code", {"check", "locked"}, 0,
                         "check: if balance >= amount: balance -= amount; locked: the same under a threading.Lock."),
                version_p(), cores_p(), interval_p()};
    e.small = {{"withdrawals", "20000"}, {"balance", "20000"}, {"interval_us", "50"}};
    {
        ChartDecl bal;
        bal.title = "The balance at the end";
        bal.items = {{"expected", "one at a time"}, {"final", "final"}};
        bal.reference = "expected";
        e.view.charts = {bal};
    }
    e.view.states = sim_states(false, true, true, false);
    e.view.marks = gil_marks(true);
    e.view.counters = gil_counters(true);
    e.view.hidden_metric_prefixes = sim_hidden();
    e.puzzles = {
        {"overdraw-3.9", "Overdraw the account on 3.9",
         "The balance is 100 and each thread withdraws 80 once, after testing that 80 is there. Let both threads pass "
         "the test before either withdraws.",
         {{"version", "3.9"}, {"balance", "100"}, {"amount", "80"}, {"withdrawals", "1"}, {"threads", "2"}, {"variant", "check"}},
         "balance<0", "make the balance go below zero", true},
    };
    e.run = run;
    e.program = python_view;
    return e;
}

}  // namespace gil::ex
