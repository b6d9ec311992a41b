// test_fidelity_model.cpp — directions and ratios real CPython shows on any machine, which the
// simulator's model must keep (docs/fidelity.md has the measured bands of this machine):
// a GIL hand-off costs something, 3.9's lock convoy, pool overheads and chunksize, the
// forkserver's first start.
#include <map>

#include "doctest.h"
#include "engine/experiment.h"
#include "engine/sim/profile.h"
#include "engine/versions.h"

using namespace gil;

namespace {

std::map<std::string, double> metrics(const char* id, std::map<std::string, std::string> set) {
    const ExperimentSpec* e = find_experiment(id);
    REQUIRE(e);
    ParamSet ps = ParamSet::defaults(e->params);
    for (auto& kv : set) REQUIRE_MESSAGE(ps.set(kv.first, kv.second) == "", kv.first);
    RunControl ctl;
    ctl.record_trace = false;
    RunResult r = run_experiment(*e, ps, 1, ctl);
    REQUIRE_MESSAGE(r.error == "", r.error);
    std::map<std::string, double> m;
    for (const auto& x : r.metrics.items) m[x.key] = x.value;
    return m;
}

}  // namespace

TEST_CASE("fidelity model: two CPU-bound threads are slower than the same calls serially (GIL hand-offs cost)") {
    for (const char* v : {"3.9", "3.10", "3.11", "3.12", "3.13"}) {
        auto m = metrics("gil.cpu", {{"version", v}, {"iterations", "10000000"}, {"threads", "2"}, {"cores", "2"}});
        CAPTURE(v);
        CHECK(m["speedup"] < 1.0);
        CHECK(m["speedup"] > 0.9);
    }
}

TEST_CASE("fidelity model: `with lock:` from 10 threads is far slower on 3.9 than on 3.12 (the lock convoy)") {
    auto m9 = metrics("race.lock_cost", {{"version", "3.9"}, {"threads", "10"}, {"increments", "50000"}, {"cores", "2"}});
    auto m12 = metrics("race.lock_cost", {{"version", "3.12"}, {"threads", "10"}, {"increments", "50000"}, {"cores", "2"}});
    MESSAGE("ns per locked increment: 3.9 " << m9["ns_per_locked_increment"] << ", 3.12 " << m12["ns_per_locked_increment"]);
    CHECK(m9["ns_per_locked_increment"] > 3 * m12["ns_per_locked_increment"]);
    CHECK(m9["lock_contended"] > 100);
    CHECK(m12["lock_contended"] == 0);  // 3.12 never switches a thread out inside `with lock:` here
}

TEST_CASE("fidelity model: 3.9's convoy feeds itself: a release with waiters costs its futex wake, with the lock free") {
    // lock_blocks.py on real CPython: time = a + b * blocked over runs, with a (per increment)
    // well above one thread's loop: every release while waiters are registered pays sem_post's
    // futex_wake. Without that cost the woken waiters rarely find the lock free.
    const std::map<std::string, std::string> p = {{"version", "3.9"}, {"threads", "10"}, {"increments", "50000"}, {"cores", "2"}};
    auto with_wake = metrics("race.lock_cost", p);
    sim::InterpreterProfile prof = sim::profile_for(*find_version("3.9"));
    REQUIRE(prof.lock_wake_ns > 0);
    prof.lock_wake_ns = 0;
    sim::set_profile_override(&prof);
    auto without = metrics("race.lock_cost", p);
    sim::set_profile_override(nullptr);
    MESSAGE("blocked acquisitions of 500,000: " << with_wake["lock_contended"] << " with the wake cost, " << without["lock_contended"]
                                                << " without");
    CHECK(with_wake["lock_contended"] > 3 * without["lock_contended"]);
    CHECK(with_wake["lock_contended"] > 0.05 * 500000);
    CHECK(with_wake["ns_per_locked_increment"] > without["ns_per_locked_increment"]);
}

TEST_CASE("fidelity model: tiny tasks: process pool slower than thread pool, slower than a loop; chunksize closes the gap") {
    std::map<std::string, std::string> p = {{"tasks", "2000"}, {"work", "50"}, {"workers", "2"},
                                            {"payload_bytes", "50"}, {"cores", "2"}};
    auto one = metrics("pool.compare", p);
    p["chunksize"] = "100";
    auto chunked = metrics("pool.compare", p);
    CHECK(one["process_pool_ns"] > one["thread_pool_ns"]);
    CHECK(one["thread_pool_ns"] > one["serial_ns"]);
    CHECK(chunked["process_pool_ns"] - chunked["serial_ns"] < 0.25 * (one["process_pool_ns"] - one["serial_ns"]));
    CHECK(chunked["chunks"] == 20);
}

TEST_CASE("fidelity model: the first forkserver start also starts the server; later starts are cheaper") {
    auto m = metrics("mp.process", {{"start_method", "forkserver"}, {"workers", "2"}, {"iterations", "1000"}});
    CHECK(m["process_first_start_ns"] > 2 * m["process_start_ns"]);
    auto f = metrics("mp.process", {{"start_method", "fork"}, {"workers", "2"}, {"iterations", "1000"}});
    CHECK(f["process_start_ns"] < m["process_start_ns"]);
}

TEST_CASE("fidelity model: x.value += 1 from processes loses updates; with a Lock around it, none") {
    auto m = metrics("race.counter", {{"variant", "mp_value"}, {"threads", "4"}, {"increments", "20000"}});
    CHECK(m["lost"] > 0);
    auto l = metrics("race.counter", {{"variant", "mp_value_locked"}, {"threads", "4"}, {"increments", "20000"}});
    CHECK(l["lost"] == 0);
}
