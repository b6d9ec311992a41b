// test_registry.cpp — the experiment records: adding one is one file plus one line, every
// record is complete, and every chart it declares is fed by what its run produces.
#include <fstream>
#include <set>
#include <sstream>

#include "doctest.h"
#include "engine/experiment.h"
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
