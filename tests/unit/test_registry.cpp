// test_registry.cpp — the experiment records: adding one is one file plus one line, every
// record is complete, and every chart it declares is fed by what its run produces.
#include <algorithm>
#include <chrono>
#include <fstream>
#include <set>
#include <sstream>

#include "doctest.h"
#include "engine/experiment.h"
#include "engine/real/common.h"
#include "engine/versions.h"

using namespace gil;

bool gillab_test_experiment_registered();

namespace {
RunResult run_small(const ExperimentSpec& e) {
    ParamSet ps = ParamSet::defaults(e.params);
    for (const auto& kv : e.small) REQUIRE_MESSAGE(ps.set(kv.first, kv.second) == "", kv.first);
    RunControl ctl;
    return run_experiment(e, ps, 3, ctl);
}
}  // namespace

TEST_CASE("registry: a test-only record added from its own file is listed and runs like any other") {
    REQUIRE(gillab_test_experiment_registered());
    const ExperimentSpec* e = find_experiment("test.squares");
    REQUIRE(e);
    CHECK(experiment_list_text().find("test.squares") != std::string::npos);
    CHECK(experiment_list_markdown().find("`test.squares`") != std::string::npos);
    RunResult r = run_small(*e);
    CHECK(r.error == "");
    CHECK(r.metrics.get("sum") == 385);
}

TEST_CASE("registry: every record is complete and its ids and keys are unique") {
    std::set<std::string> ids;
    for (const auto& e : experiments()) {
        CAPTURE(e.id);
        CHECK(ids.insert(e.id).second);
        CHECK(!e.title.empty());
        CHECK(!e.summary.empty());
        CHECK(!e.explain.empty());
        CHECK(!e.python.empty());
        CHECK(bool(e.run));
        CHECK((e.view.states.empty() != e.view.no_timeline.empty()));  // a legend, or why there is no timeline
        std::set<std::string> keys;
        for (const auto& p : e.params) CHECK(keys.insert(p.key).second);
        for (const auto& kv : e.small) CHECK(keys.count(kv.first));
        if (!e.predict.question.empty()) CHECK(!e.predict.metric.empty());
        if (e.engine == Engine::Sim) CHECK(bool(e.program));
    }
}

TEST_CASE("registry: every chart a record declares is fed by its run with the small parameters") {
    for (const auto& e : experiments()) {
        if (e.engine != Engine::Sim && e.id.rfind("test.", 0) != 0) continue;  // real ones: the UI test runs them
        CAPTURE(e.id);
        RunResult r = run_small(e);
        REQUIRE_MESSAGE(r.error == "", r.error);
        for (const ChartDecl& c : e.view.charts)
            for (const ChartItem& item : c.items) {
                CAPTURE(item.key);
                bool found = c.kind == ChartKind::MetricBars ? r.metrics.find(item.key) != nullptr : false;
                for (const auto& s : r.series) found |= s.key == item.key;
                // A chart may be empty for some parameters (no contention), never undeclared.
                CHECK((found || !c.empty_text.empty() || item.key == "atomic_final"));
            }
        if (!e.predict.metric.empty()) CHECK(r.metrics.find(e.predict.metric) != nullptr);
    }
}

TEST_CASE("registry: the version parameter offers exactly the version table's rows") {
    for (const auto& e : experiments()) {
        ParamSet ps = ParamSet::defaults(e.params);
        int i = ps.index_of("version");
        if (i < 0) continue;
        CAPTURE(e.id);
        CHECK(e.params[(size_t)i].choices == version_names());
    }
}

TEST_CASE("registry: the README's experiment table is the one the records give") {
    std::ifstream f(GILLAB_SOURCE_DIR "/README.md");
    REQUIRE(f);
    std::stringstream ss;
    ss << f.rdbuf();
    const std::string readme = ss.str();
    const std::string begin = "<!-- experiments:begin (gillab list --markdown) -->\n", end = "<!-- experiments:end -->";
    size_t a = readme.find(begin), b = readme.find(end);
    REQUIRE(a != std::string::npos);
    REQUIRE(b != std::string::npos);
    std::string table = readme.substr(a + begin.size(), b - a - begin.size());
    // The README lists the built-in experiments; this binary also carries the test-only one.
    std::string want;
    std::istringstream lines(experiment_list_markdown());
    for (std::string l; std::getline(lines, l);)
        if (l.find("`test.") == std::string::npos) want += l + "\n";
    CHECK(table == want);
}

TEST_CASE("refusal before the work: the simulator estimates a run's steps, real threads stop at the pool") {
    using clock = std::chrono::steady_clock;
    const ExperimentSpec* rc = find_experiment("race.counter");
    REQUIRE(rc);
    auto with = [](const ExperimentSpec* e, std::vector<std::pair<const char*, const char*>> kv) {
        ParamSet p = ParamSet::defaults(e->params);
        for (auto& x : kv) REQUIRE(p.set(x.first, x.second) == "");
        return p;
    };
    // A run far past the cap: 16 threads x 1e9 increments at a 1 us interval (the 1e8 fits
    // since the timed wait's timer slack stretches a 1 us interval to ~61 us); the pilots take a
    // few ms, 2 s leaves room for a loaded machine.
    const auto t0 = clock::now();
    const std::string why =
        refuse_before_run(*rc, with(rc, {{"threads", "16"}, {"increments", "1000000000"}, {"interval_us", "1"}}));
    const double secs = std::chrono::duration<double>(clock::now() - t0).count();
    CHECK(secs < 2.0);
    CHECK(why.find("million simulation steps") != std::string::npos);
    CHECK(why.find("Increments per thread") != std::string::npos);
    CHECK(why.find("switch interval") != std::string::npos);
    // The estimate is close to what a run takes (within a factor of 1.5 either way).
    ParamSet mid = with(rc, {{"threads", "16"}, {"increments", "3000000"}, {"interval_us", "1"}});
    const WorkEstimate est = estimate_work(*rc, mid);
    REQUIRE(est.known);
    RunControl ctl;
    ctl.record_trace = false;
    RunResult r = run_experiment(*rc, mid, 1, ctl);
    const double actual = r.metrics.get("sim_steps", -1);
    REQUIRE(actual > 0);
    CHECK(est.steps > actual / 1.5);
    CHECK(est.steps < actual * 1.5);
    // Every simulated record runs its defaults and its small parameters without a refusal.
    for (const auto& e : experiments()) {
        CAPTURE(e.id);
        if (e.engine != Engine::Sim) continue;
        CHECK(refuse_before_run(e, ParamSet::defaults(e.params)) == "");
        ParamSet s = ParamSet::defaults(e.params);
        for (const auto& kv : e.small) REQUIRE(s.set(kv.first, kv.second) == "");
        CHECK(refuse_before_run(e, s) == "");
    }
    // Real threads: the slider's max is the pool's, and a sum beyond it is refused first.
    for (const auto& e : experiments())
        for (const auto& s : e.params)
            if (s.real_threads) {
                CAPTURE(e.id);
                CHECK(param_max(e, s) == std::min(s.max, (double)real::max_worker_threads()));
            }
    const ExperimentSpec* rg = find_experiment("real.gil");
    ParamSet many = with(rg, {{"cpu_threads", "16"}, {"io_threads", "16"}});
    CHECK(refuse_before_run(*rg, many) == real::check_thread_count(32));
    CHECK(param_max(*find_experiment("real.contention"), find_experiment("real.contention")->params[0]) <= 64);
}
