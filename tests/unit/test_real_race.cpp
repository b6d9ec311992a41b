// test_real_race.cpp — real.race on real threads: which modes may and may not lose updates.
#include "doctest.h"
#include "engine/experiment.h"

using namespace gil;

static RunResult race(const char* mode, int threads, int64_t n) {
    const ExperimentSpec* e = find_experiment("real.race");
    REQUIRE(e);
    ParamSet ps = ParamSet::defaults(e->params);
    REQUIRE(ps.set("mode", mode) == "");
    REQUIRE(ps.set("threads", std::to_string(threads)) == "");
    REQUIRE(ps.set("increments", std::to_string(n)) == "");
    RunControl ctl;
    return run_experiment(*e, ps, 1, ctl);
}

TEST_CASE("real.race: exact modes never lose an update") {
    for (const char* mode : {"atomic", "mutex", "spin", "sharded"})
        for (int threads : {1, 2, 4}) {
            CAPTURE(mode);
            CAPTURE(threads);
            RunResult r = race(mode, threads, 20000);
            REQUIRE(r.error == "");
            CHECK(r.metrics.get("final") == doctest::Approx(threads * 20000.0));
            CHECK(r.metrics.get("lost") == 0);
        }
}

TEST_CASE("real.race: racy mode with one thread never loses an update") {
    RunResult r = race("racy", 1, 100000);
    REQUIRE(r.error == "");
    CHECK(r.metrics.get("lost") == 0);
    CHECK(r.metrics.get("final") == 100000);
}

TEST_CASE("real.race: racy counter never exceeds the increments done") {
    RunResult r = race("both", 2, 200000);
    REQUIRE(r.error == "");
    CHECK(r.metrics.get("final") <= r.metrics.get("atomic_final"));
    CHECK(r.metrics.get("atomic_final") == 400000);
    CHECK(r.metrics.get("lost") == r.metrics.get("atomic_final") - r.metrics.get("final"));
}
