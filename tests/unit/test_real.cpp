// test_real.cpp — real-thread experiments: locks never lose updates, the real GIL never
// lets two threads run bytecode at once, cancellation stops every thread.
#include <thread>

#include "doctest.h"
#include "engine/experiment.h"
#include "engine/job.h"

using namespace gil;

static RunResult real_run(const char* id, std::vector<std::pair<const char*, std::string>> set, bool trace = false) {
    const ExperimentSpec* e = find_experiment(id);
    REQUIRE(e);
    ParamSet ps = ParamSet::defaults(e->params);
    for (auto& kv : set) REQUIRE(ps.set(kv.first, kv.second) == "");
    RunControl ctl;
    ctl.record_trace = trace;
    return run_experiment(*e, ps, 1, ctl);
}

TEST_CASE("real.contention: mutex, spin and ticket locks never lose an update") {
    for (const char* lock : {"mutex", "spin", "ticket"})
        for (int threads : {1, 2, 4}) {
            CAPTURE(lock);
            CAPTURE(threads);
            RunResult r = real_run("real.contention", {{"lock", lock}, {"threads", std::to_string(threads)},
                                                       {"duration_ms", "20"}, {"work_ns", "100"}, {"critical_ns", "100"}});
            REQUIRE(r.error == "");
            CHECK(r.metrics.get("lost", -1) == 0);
            CHECK(r.metrics.get("throughput") > 0);
        }
}

TEST_CASE("real.gil: never more than one thread runs bytecode, CPU and I/O threads alike") {
    for (auto cfg : {std::pair<int, int>{2, 0}, {1, 1}, {3, 2}}) {
        CAPTURE(cfg.first);
        CAPTURE(cfg.second);
        RunResult r = real_run("real.gil", {{"cpu_threads", std::to_string(cfg.first)},
                                            {"io_threads", std::to_string(cfg.second)},
                                            {"work_ms", "30"}, {"requests", "5"}, {"interval_us", "500"}}, true);
        REQUIRE(r.error == "");
        CHECK(r.metrics.get("max_threads_in_bytecode") == 1);
        if (cfg.first >= 2) CHECK(r.metrics.get("drop_requests") > 0);
        REQUIRE(bool(r.trace));
    }
}

TEST_CASE("real.scaling and real.false_sharing report their figures") {
    RunResult s = real_run("real.scaling", {{"threads", "2"}, {"work_ms", "10"}, {"runs", "1"}});
    REQUIRE(s.error == "");
    CHECK(s.metrics.get("speedup_1") > 0);  // a ratio of two timings: only its presence is behaviour
    CHECK(s.metrics.get("serial_fraction_fit", -1) >= 0);
    RunResult f = real_run("real.false_sharing", {{"increments", "100000"}, {"runs", "1"}});
    REQUIRE(f.error == "");
    CHECK(f.metrics.get("packed_ns_per_increment") > 0);
}

TEST_CASE("cancelling a real run stops every thread and reports what finished") {
    const ExperimentSpec* e = find_experiment("real.race");
    ParamSet ps = ParamSet::defaults(e->params);
    REQUIRE(ps.set("increments", "1000000000") == "");
    REQUIRE(ps.set("threads", "2") == "");
    auto job = Job::start(*e, ps, 1, false);
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    job->cancel();
    job->wait();
    const RunResult& r = job->result();
    CHECK(r.cancelled);
    CHECK(r.metrics.get("final") < 2e9);
    CHECK(!r.notes.empty());
}
