// test_params.cpp — the shared parameter parser: every rejection names key, value, range.
#include "doctest.h"
#include "engine/experiment.h"

using namespace gil;

TEST_CASE("every experiment has sane parameter specs and defaults") {
    REQUIRE(!experiments().empty());
    for (const auto& e : experiments()) {
        CAPTURE(e.id);
        CHECK(find_experiment(e.id) == &e);
        CHECK(bool(e.run));
        CHECK(!e.title.empty());
        CHECK(!e.summary.empty());
        CHECK(!e.python.empty());
        for (const auto& p : e.params) {
            CAPTURE(p.key);
            CHECK(p.min <= p.def);
            CHECK(p.def <= p.max);
            if (p.kind == ParamKind::Choice) CHECK(p.max == (double)p.choices.size() - 1);
        }
        ParamSet ps = ParamSet::defaults(e.params);
        // Every default round-trips through the text form the URL and CLI use.
        for (size_t i = 0; i < e.params.size(); ++i) {
            ParamSet copy = ps;
            CHECK(copy.set(e.params[i].key, ps.format((int)i)) == "");
            CHECK(copy.values[i] == ps.values[i]);
        }
    }
}

TEST_CASE("rejections name the parameter, the value and the range") {
    const ExperimentSpec* e = find_experiment("real.race");
    REQUIRE(e);
    ParamSet ps = ParamSet::defaults(e->params);
    std::string err = ps.set("threads", "-3");
    CHECK(err.find("threads") != std::string::npos);
    CHECK(err.find("-3") != std::string::npos);
    CHECK(err.find("1..64") != std::string::npos);
    CHECK(ps.set("threads", "four").find("not an integer") != std::string::npos);
    CHECK(ps.set("threads", "2.5").find("not an integer") != std::string::npos);
    CHECK(ps.set("threads", "1e400") != "");
    CHECK(ps.set("threads", "nan") != "");
    CHECK(ps.set("threads", "") != "");
    CHECK(ps.set("nosuch", "1").find("unknown parameter") != std::string::npos);
    CHECK(ps.set("mode", "fast").find("racy|atomic") != std::string::npos);
    CHECK(ps.set_assignment("threads") .find("key=value") != std::string::npos);
    CHECK(ps.set("increments", "10_000") == "");
    CHECK(ps.get_int("increments") == 10000);
    CHECK(ps.set("threads", "8") == "");
    CHECK(ps.get_int("threads") == 8);
}
