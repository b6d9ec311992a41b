// race_counter.cpp — race.counter: counter += 1 from several threads loses updates, version by version.
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
    const std::string variant = ps.choice_name("variant");
    const bool mp = variant.rfind("mp_", 0) == 0;
    const int T = (int)ps.get_int("threads");
    const int64_t N_asked = ps.get_int("increments");
    // Without a GIL (free-threaded, or processes) every load and store of the counter is
    // ordered against the other threads one by one: exact, but costly. Past kExact
    // increments per thread the run is simulated for kExact and scaled, and says so.
    constexpr int64_t kExact = 1'000'000;
    const bool per_access = mp || !c.prof.has_gil;
    const int64_t N = per_access ? std::min(N_asked, kExact) : N_asked;
    ParamSet bound = ps;  // the program runs with the N it is simulated for
    if (N != N_asked) bound.set("increments", std::to_string(N));
    auto prog = experiment_program(e, bound, c);
    const int counter = prog->global_index(mp ? "x.value" : "counter");
    // The program's own module code is the main thread: it makes, starts and joins the threads
    // (or the processes, forked, for the mp variants).
    Run run(c, prog, ctl.record_trace);
    run.main_thread(*prog);
    SimResult s = run.go(seed, ctl);
    if (!check_done(r, s, "race")) return;
    const double scale = (double)N_asked / (double)N;
    const int64_t expected = (int64_t)T * N_asked;
    const int64_t final_sim = mp ? s.shared_memory[(size_t)counter] : s.globals[0][(size_t)counter];
    const int64_t final_v = scale == 1.0 ? final_sim : (int64_t)std::llround((double)final_sim * scale);
    const int64_t lost = expected - final_v;
    if (scale != 1.0) {
        s.end_ns = (int64_t)((double)s.end_ns * scale);
        r.notes.push_back("Simulated exactly for the first " + std::to_string(N) + " increments per thread and scaled to " +
                          std::to_string(N_asked) + " (every access is ordered one by one without a GIL).");
        r.metrics.set("extrapolated_from", (double)N, "", "Increments per thread simulated exactly");
    }
    r.metrics.set("expected", (double)expected, "", "Expected final value (T x N)");
    r.metrics.set("final", (double)final_v, "", "Final value");
    r.metrics.set("lost", (double)lost, "", "Lost updates");
    r.metrics.set("lost_pct", 100.0 * (double)lost / (double)expected, "%", "Lost updates, share");
    r.metrics.set("lost_update_events", (double)s.lost_update_events * scale, "", "Stale stores (each lost >= 1 update)");
    r.metrics.set("wall_ns", (double)s.end_ns, "ns", "Simulated wall time");
    r.metrics.set("lock_contended", (double)s.lock_contended, "", "Lock acquisitions that had to wait");
    add_sim_metrics(r, s);
    const bool gil = c.prof.has_gil;
    if (lost > 0) {
        std::string why;
        if (mp) why = "The processes run in parallel, each with its own GIL, and x.value's get and set are separate steps.";
        else if (!gil) why = "Free-threaded " + c.version + " has no GIL: the threads run at the same time and interleave their loads and stores.";
        else if (variant == "call") {
            switch (c.row->breaker) {
            case EvalBreaker::EveryDispatch:
                why = "On " + c.version + " almost every instruction is a check point, add_one()'s among them, so a thread can lose the GIL between loading the counter and storing it back.";
                break;
            case EvalBreaker::BackEdgesAndCalls:
                why = "On " + c.version + " add_one() is checked twice between loading the counter and storing it back: as its frame starts and after CALL_FUNCTION returns (before STORE_GLOBAL), so a forced switch lands there more often than on 3.11+.";
                break;
            case EvalBreaker::ResumeBackEdgesCalls:
                why = "On " + c.version + " add_one()'s RESUME is a check point between loading the counter and storing it back, so a thread can lose the GIL there.";
                break;
            }
        }
        else why = "On " + c.version + " the eval breaker is checked after almost every instruction, including between LOAD_GLOBAL and STORE_GLOBAL, so a forced switch can land inside counter += 1.";
        r.notes.push_back(std::to_string(lost) + " of " + std::to_string(expected) + " updates were lost. " + why);
    } else if (variant == "inplace" && gil && c.row->breaker != EvalBreaker::EveryDispatch) {
        r.notes.push_back("No update was lost. On " + c.version +
                          " with the GIL a thread is switched out only at RESUME, JUMP_BACKWARD and calls, and none "
                          "of them sits between the load and the store of counter += 1. The code is still not "
                          "thread-safe: switch to 3.9, a free-threaded build, or the 'call' variant.");
    } else if (variant == "locked" || variant == "mp_value_locked") {
        r.notes.push_back("No update was lost: every increment happened under the lock.");
    } else if (mp) {
        r.notes.push_back("No update was lost on this run, but the processes' reads and writes of x.value are separate "
                          "steps: with more increments they interleave and lose updates.");
    } else {
        r.notes.push_back("No update was lost on this run: no switch landed between a load of the counter and its store "
                          "(the threads barely overlapped, or few switches happened). On " + c.version +
                          " one can: the Explore tab lists every schedule, and the ones that lose updates.");
    }
    attach_trace(r, s, ctl);
}

}  // namespace

ExperimentSpec race_counter() {
    ExperimentSpec e;
    e.id = "race.counter";
    e.title = "counter += 1 from several threads";
    e.topic = Topic::Races;
    e.summary = "Lost updates, version by version: counter += 1, counter = add_one(counter), with a Lock, across processes";
    e.explain =
        "counter += 1 is three steps: load the value, add one, store it back. If a thread is switched out between "
        "the load and the store, another thread's increments are overwritten when it resumes. Whether that can "
        "happen depends on where the interpreter checks for a switch: on 3.9 almost everywhere; on 3.10-3.13 with "
        "the GIL only at calls, function entry and loop back-edges, so counter += 1 in a loop does not lose updates "
        "there, but counter = add_one(counter) does. Free-threaded builds run the threads truly in parallel and "
        "lose updates heavily. A Lock fixes every case.";
    e.predict = {"What will the counter be at the end, on this Python version?", "final", "", 1, 0.05};
    e.params = {tested(int_p("threads", "Threads (or processes)", 1, 16, 2, "", "How many threads increment the counter."), 8),
                work(tested(int_p("increments", "Increments per thread", 1, 1e9, 1'000'000, "", "Loop iterations per thread.", true), 3e5)),
                choice_p("variant", "Code", {"inplace", "call", "locked", "mp_value", "mp_value_locked"}, 0,
                         "inplace: counter += 1; call: counter = add_one(counter); locked: with lock; mp_value: "
                         "multiprocessing.Value shared by processes; mp_value_locked: with a multiprocessing.Lock."),
                version_p(), cores_p(), interval_p()};
    e.small = {{"increments", "20000"}, {"interval_us", "50"}};
    e.opens_lab = true;
    {
        ChartDecl counter;
        counter.title = "The counter at the end";
        counter.items = {{"expected", "expected"}, {"final", "final"}};
        counter.reference = "expected";
        e.view.charts = {counter};
    }
    e.view.states = sim_states(false, true, true, false);  // no I/O; the main thread waits in join() (a lock)
    e.view.marks = gil_marks(true);
    e.view.counters = gil_counters(true);
    e.view.hidden_metric_prefixes = sim_hidden();
    e.puzzles = {
        {"counter-3.9", "Lose an update on 3.9",
         "Two threads each run counter += 1 twice. You decide who runs at every point where 3.9 can switch threads "
         "(it checks after almost every instruction). Let a thread load counter, switch before it stores the new "
         "value, and the other thread's increment is overwritten.",
         {{"version", "3.9"}, {"increments", "2"}, {"threads", "2"}, {"variant", "inplace"}}, "final<4",
         "make counter end below 4", true},
        {"counter-3.12", "Lose an update on 3.12",
         "The same program on 3.12. Try to make counter end below 4. 3.12 switches only at RESUME, JUMP_BACKWARD "
         "and calls, and none sits between the load and the store of counter += 1: whatever you pick, each step runs "
         "a whole increment. No schedule loses an update (Show me asks the explorer), yet the code is not thread-safe: "
         "try the call puzzle.",
         {{"version", "3.12"}, {"increments", "2"}, {"threads", "2"}, {"variant", "inplace"}}, "final<4",
         "make counter end below 4", false},
        {"counter-call", "Lose an update through a call, on 3.12",
         "counter = add_one(counter): the call enters add_one, whose RESUME is a check point between loading counter "
         "and storing the result. Switch there and an update is lost, on 3.12 with the GIL.",
         {{"version", "3.12"}, {"increments", "2"}, {"threads", "2"}, {"variant", "call"}}, "final<4",
         "make counter end below 4", true},
    };
    e.run = run;
    e.program = python_view;
    return e;
}

}  // namespace gil::ex
