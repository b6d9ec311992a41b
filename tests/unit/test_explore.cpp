// test_explore.cpp — the explorer (sim/explore.h) finds exactly the outcome sets checked by
// hand, its witnesses replay to their outcomes, and merging states gives the same outcomes
// and the same count of schedules as enumerating every schedule, while visiting fewer states.
#include <set>
#include <string>

#include "doctest.h"
#include "engine/experiment.h"
#include "engine/sim/explore.h"
#include "engine/sim/harness.h"

using namespace gil;

namespace {

std::shared_ptr<const sim::Program> program_of(const char* id, std::initializer_list<const char*> sets, ParamSet* out = nullptr) {
    const ExperimentSpec* e = find_experiment(id);
    REQUIRE(e);
    ParamSet ps = ParamSet::defaults(e->params);
    for (const char* kv : sets) REQUIRE(ps.set_assignment(kv) == "");
    if (out) *out = ps;
    return sim::experiment_program(*e, ps, sim::common(ps));
}

bool has_gil(const ParamSet& ps) { return find_version(ps.choice_name("version"))->has_gil; }

std::set<int64_t> finals(const sim::ExploreResult& r, const std::string& name) {
    std::set<int64_t> o;
    for (const auto& x : r.outcomes) {
        bool found = false;
        const int64_t v = x.value(name, found);
        REQUIRE(found);
        o.insert(v);
    }
    return o;
}

// Every witness, run again step by step, ends in its own outcome.
void check_witnesses(const sim::Program& p, const sim::ExploreOptions& opt, const sim::ExploreResult& r) {
    for (const auto& o : r.outcomes) {
        std::string err;
        const sim::ExploreOutcome back = sim::replay_schedule(p, opt, o.witness, err);
        CHECK_MESSAGE(err == "", err);
        CHECK(back.globals == o.globals);
        CHECK(back.deadlock == o.deadlock);
    }
}

}  // namespace

TEST_CASE("explore: two threads x two counter += 1: {2, 3, 4} on 3.9, {4} on 3.12, {2, 3, 4} with a call or without the GIL, {4} locked") {
    struct Case {
        std::initializer_list<const char*> sets;
        std::set<int64_t> want;
    };
    const Case cases[] = {
        {{"version=3.9", "increments=2"}, {2, 3, 4}},
        {{"version=3.12", "increments=2"}, {4}},
        {{"version=3.11", "increments=2"}, {4}},
        {{"version=3.12", "increments=2", "variant=call"}, {2, 3, 4}},
        {{"version=3.13t", "increments=2"}, {2, 3, 4}},
        {{"version=3.9", "increments=2", "variant=locked"}, {4}},
        {{"version=3.13t", "increments=2", "variant=locked"}, {4}},
    };
    for (const Case& c : cases) {
        ParamSet ps;
        auto p = program_of("race.counter", c.sets, &ps);
        CAPTURE(ps.choice_name("version"));
        CAPTURE(ps.choice_name("variant"));
        sim::ExploreOptions opt;
        opt.has_gil = has_gil(ps);
        const sim::ExploreResult r = sim::explore(*p, opt);
        REQUIRE(r.error == "");
        CHECK(r.complete);
        CHECK(finals(r, "counter") == c.want);
        CHECK(sim::final_name(*p) == "counter");
        for (const auto& o : r.outcomes) CHECK(!o.deadlock);
        check_witnesses(*p, opt, r);
        // A query: "can it end at 2?" is answered by the outcomes.
        sim::ExploreQuery q;
        REQUIRE(sim::parse_query("final==2", q) == "");
        bool can = false;
        for (const auto& o : r.outcomes) can |= sim::query_holds(o, q, "counter");
        CHECK(can == (c.want.count(2) > 0));
    }
}

TEST_CASE("explore: deadlock.order finds the deadlock and who waits for whom; one lock order never deadlocks") {
    ParamSet ps;
    auto p = program_of("deadlock.order", {}, &ps);
    sim::ExploreOptions opt;
    const sim::ExploreResult r = sim::explore(*p, opt);
    REQUIRE(r.error == "");
    CHECK(r.complete);
    bool dead = false, fine = false;
    for (const auto& o : r.outcomes) {
        if (o.deadlock) {
            dead = true;
            CHECK(o.stuck.find("waits for b, held by Thread-2") != std::string::npos);
            CHECK(o.stuck.find("waits for a, held by Thread-1") != std::string::npos);
        } else {
            fine = true;
        }
    }
    CHECK(dead);
    CHECK(fine);
    check_witnesses(*p, opt, r);
    auto same = program_of("deadlock.order", {"order=same"});
    const sim::ExploreResult rs = sim::explore(*same, opt);
    REQUIRE(rs.error == "");
    for (const auto& o : rs.outcomes) CHECK(!o.deadlock);
}

TEST_CASE("explore: merging states gives the outcomes and schedule counts of full enumeration, visiting fewer states") {
    // A corpus of small programs: the race on 3.12, a check-then-act withdrawal, a lost wake-up.
    const char* check_then_act =
        "import threading\n"
        "balance = 100\n"
        "def withdraw():\n"
        "    global balance\n"
        "    if balance >= 80:\n"
        "        balance -= 80\n"
        "a = threading.Thread(target=withdraw)\n"
        "b = threading.Thread(target=withdraw)\n"
        "a.start()\n"
        "b.start()\n"
        "a.join()\n"
        "b.join()\n";
    const char* flag =
        "import threading\n"
        "ready = 0\n"
        "data = 0\n"
        "def producer():\n"
        "    global ready, data\n"
        "    data = 42\n"
        "    ready = 1\n"
        "def consumer():\n"
        "    global data\n"
        "    if ready == 1:\n"
        "        data = data + 1\n"
        "c = threading.Thread(target=consumer)\n"
        "p = threading.Thread(target=producer)\n"
        "c.start()\n"
        "p.start()\n"
        "c.join()\n"
        "p.join()\n";
    struct Prog {
        std::string name;
        std::shared_ptr<const sim::Program> p;
        bool gil;
    };
    std::vector<Prog> corpus;
    corpus.push_back({"race.counter 3.12", program_of("race.counter", {"version=3.12", "increments=2"}), true});
    corpus.push_back({"deadlock.order", program_of("deadlock.order", {}), true});
    for (const char* v : {"3.12", "3.13t"}) {  // (3.9's check points everywhere: too many schedules to list one by one)
        const VersionRow& row = *find_version(v);
        corpus.push_back({std::string("check-then-act ") + v, sim::program_from_python(check_then_act, row), row.has_gil});
        corpus.push_back({std::string("flag ") + v, sim::program_from_python(flag, row), row.has_gil});
    }
    for (const Prog& x : corpus) {
        CAPTURE(x.name);
        sim::ExploreOptions merged, all;
        merged.has_gil = all.has_gil = x.gil;
        all.merge_states = false;
        all.max_states = 5'000'000;
        const sim::ExploreResult a = sim::explore(*x.p, merged), b = sim::explore(*x.p, all);
        REQUIRE(a.error == "");
        REQUIRE(b.error == "");
        REQUIRE(a.complete);
        REQUIRE(b.complete);
        REQUIRE(a.outcomes.size() == b.outcomes.size());
        for (size_t i = 0; i < a.outcomes.size(); ++i) {
            CHECK(a.outcomes[i].globals == b.outcomes[i].globals);
            CHECK(a.outcomes[i].deadlock == b.outcomes[i].deadlock);
            CHECK(a.outcomes[i].schedules == b.outcomes[i].schedules);
        }
        CHECK(a.schedules == b.schedules);
        CHECK(a.states < b.states);
        MESSAGE(x.name << ": " << a.outcomes.size() << " outcomes, " << a.schedules << " schedules; " << a.states
                       << " states merged, " << b.states << " one schedule at a time");
        check_witnesses(*x.p, merged, a);
    }
    // What the programs show: the withdrawal can overdraw when a switch lands between the test
    // and the update (3.9, or without the GIL); the flag can be missed (data stays 42).
    sim::ExploreOptions nogil;
    nogil.has_gil = false;
    CHECK(finals(sim::explore(*corpus[4].p, nogil), "balance") == std::set<int64_t>{-60, 20});
    CHECK(finals(sim::explore(*corpus[2].p), "balance") == std::set<int64_t>{20});  // 3.12: no switch between test and update
    CHECK(finals(sim::explore(*sim::program_from_python(check_then_act, *find_version("3.9"))), "balance") ==
          std::set<int64_t>{-60, 20});
    CHECK(finals(sim::explore(*corpus[5].p, nogil), "data") == std::set<int64_t>{42, 43});
}

TEST_CASE("explore: programs it cannot take say why; a bound stops the search and says so") {
    const VersionRow& row = *find_version("3.12");
    auto procs = sim::program_from_python(
        "import multiprocessing\ndef f():\n    pass\np = multiprocessing.Process(target=f)\np.start()\np.join()\n", row);
    CHECK(sim::explore(*procs).error.find("processes") != std::string::npos);
    auto p = program_of("race.counter", {"version=3.9", "increments=3", "threads=3"});
    sim::ExploreOptions opt;
    opt.max_states = 500;
    opt.samples = 50;
    const sim::ExploreResult r = sim::explore(*p, opt);
    CHECK(!r.complete);
    CHECK(r.bound.find("500 distinct states") != std::string::npos);
    CHECK(r.sampled > 0);
    CHECK(!r.outcomes.empty());
    sim::ExploreQuery q;
    CHECK(sim::parse_query("counter=4", q) != "");
    CHECK(sim::parse_query("counter==x", q) != "");
    CHECK(sim::parse_query("counter<=4", q) == "");
    CHECK(q.op == "<=");
}

TEST_CASE("stepper: be the scheduler: witnesses played by hand reach their outcomes; only runnable threads go; undo goes back") {
    for (const char* v : {"3.9", "3.12", "3.13t"}) {
        CAPTURE(v);
        ParamSet ps;
        auto p = program_of("race.counter", {"increments=2"}, &ps);
        REQUIRE(ps.set_assignment(std::string("version=") + v) == "");
        p = sim::experiment_program(*find_experiment("race.counter"), ps, sim::common(ps));
        sim::ExploreOptions opt;
        opt.has_gil = has_gil(ps);
        const sim::ExploreResult r = sim::explore(*p, opt);
        REQUIRE(r.error == "");
        for (const auto& o : r.outcomes) {
            sim::Stepper st(p, opt.has_gil);
            REQUIRE(st.error() == "");
            for (const auto& step : o.witness) {
                // The thread the witness runs is offered, at the instruction the witness names.
                const auto ths = st.threads();
                REQUIRE((size_t)step.thread < ths.size());
                CHECK(ths[(size_t)step.thread].can_run);
                CHECK(ths[(size_t)step.thread].at.pc == step.pc);
                REQUIRE(st.step(step.thread) == "");
            }
            CHECK(st.finished());
            CHECK(st.outcome().globals == o.globals);
            CHECK(st.history().size() == o.witness.size());
            // Undo all the way back: the start again, where only MainThread can run.
            while (st.undo()) {}
            CHECK(st.history().empty());
            const auto start = st.threads();
            REQUIRE(start.size() == 1);
            CHECK(start[0].name == "MainThread");
            CHECK(start[0].can_run);
        }
    }
    // 3.12: a thread inside its loop cannot be stopped between the load and the store of
    // counter += 1, so one step takes a whole iteration; on 3.9 it can stop in between.
    auto one_line_steps = [](const char* v) {
        ParamSet ps;
        auto p = program_of("race.counter", {"increments=2", v}, &ps);
        sim::Stepper st(p, has_gil(ps));
        int stores_seen_at = 0;
        for (int k = 0; k < 200 && !st.finished(); ++k) {
            const auto ths = st.threads();
            int pick = -1;
            for (size_t i = ths.size(); i-- > 0;)
                if (ths[i].can_run) pick = (int)i;  // the lowest-numbered runnable thread
            for (const auto& t : ths)
                if (t.can_run && t.name != "MainThread" && t.at.function == "work") stores_seen_at += 1;
            REQUIRE(st.step(pick) == "");
        }
        CHECK(st.finished());
        return stores_seen_at;
    };
    CHECK(one_line_steps("version=3.9") > one_line_steps("version=3.12"));
    {  // Line runs a thread on to its next line; one Undo takes the whole Line back.
        ParamSet ps;
        auto p = program_of("race.counter", {"increments=2", "version=3.9"}, &ps);
        sim::Stepper st(p, true);
        REQUIRE(st.step(0) == "");
        const size_t one = st.history().size();
        const int line = st.threads()[0].at.line;
        REQUIRE(st.step_line(0) == "");
        CHECK(st.history().size() >= one + 1);
        CHECK(st.threads()[0].at.line != line);
        REQUIRE(st.undo());
        CHECK(st.history().size() == one);
        CHECK(st.threads()[0].at.line == line);
    }
    // A thread that cannot run is refused with why.
    auto p = program_of("deadlock.order", {});
    sim::Stepper st(p, true);
    CHECK(st.step(3).find("no thread") != std::string::npos);
    const sim::ExploreResult dr = sim::explore(*p);
    for (const auto& o : dr.outcomes)
        if (o.deadlock) {
            for (const auto& s : o.witness) REQUIRE(st.step(s.thread) == "");
            CHECK(st.finished());
            CHECK(st.outcome().deadlock);
            bool says_who = false;
            for (const auto& t : st.threads()) {
                says_who |= t.state.find("held by") != std::string::npos;
                if (!t.can_run && t.state != "done") CHECK(st.step(t.at.thread).find("cannot run now") != std::string::npos);
            }
            CHECK(says_who);
        }
}

TEST_CASE("puzzles: each record's puzzles have unique ids, small programs, goals the explorer reaches exactly when they say") {
    std::set<std::string> ids;
    int n = 0;
    for (const auto& e : experiments())
        for (const auto& pz : e.puzzles) {
            CAPTURE(pz.id);
            ++n;
            CHECK(ids.insert(pz.id).second);
            CHECK(find_puzzle(pz.id) == &pz);
            CHECK(!pz.title.empty());
            CHECK(!pz.text.empty());
            CHECK(!pz.goal_text.empty());
            ParamSet ps = ParamSet::defaults(e.params);
            for (const auto& [k, v] : pz.set) REQUIRE(ps.set_assignment(k + "=" + v) == "");
            auto p = sim::experiment_program(e, ps, sim::common(ps));
            sim::ExploreOptions opt;
            opt.has_gil = has_gil(ps);
            const sim::ExploreResult r = sim::explore(*p, opt);
            REQUIRE(r.error == "");
            REQUIRE(r.complete);  // small enough to know the answer, and to play by hand
            sim::ExploreQuery q;
            const bool deadlock_goal = pz.goal == "deadlock";
            if (!deadlock_goal) REQUIRE(sim::parse_query(pz.goal, q) == "");
            bool reached = false;
            for (const auto& o : r.outcomes)
                reached |= deadlock_goal ? o.deadlock : sim::query_holds(o, q, sim::final_name(*p));
            CHECK(reached == pz.reachable);
        }
    CHECK(n >= 6);  // race.counter on 3.9, 3.12 and with a call, deadlock.order, check-then-act, a lost wake-up
}
