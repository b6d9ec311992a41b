// bench_main.cpp — GIL Lab's benchmarks (native and WebAssembly under Node). Each prints
// one JSON object per line; scripts/bench.sh turns them into docs/benchmarks.md.
//
//   gillab_bench sim-seed      the seeds' CPU program at full size (2 threads x 10^8, 3.11)
//   gillab_bench sim-worst     1 us switch interval, 8 threads: state changes per second
//   gillab_bench all
// Times are medians over repeated runs (this machine is shared and noisy).
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "engine/experiment.h"
#include "engine/stats.h"

using namespace gil;

static double now_s() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

static RunResult run(const char* id, std::vector<std::pair<const char*, const char*>> set) {
    const ExperimentSpec* e = find_experiment(id);
    ParamSet ps = ParamSet::defaults(e->params);
    for (auto& [k, v] : set)
        if (!ps.set(k, v).empty()) std::fprintf(stderr, "bad param %s\n", k);
    RunControl ctl;
    ctl.record_trace = false;
    return run_experiment(*e, ps, 1, ctl);
}

static void bench_seed(int reps) {
    std::vector<double> ms;
    RunResult r;
    for (int i = 0; i < reps; ++i) {
        double t = now_s();
        r = run("gil.cpu", {{"threads", "2"}, {"iterations", "100000000"}, {"version", "3.11"}});
        ms.push_back((now_s() - t) * 1e3);
    }
    Summary s = summarize(ms);
    std::printf("{\"bench\":\"sim-seed\",\"runs\":%zu,\"ms_min\":%.3f,\"ms_median\":%.3f,\"ms_max\":%.3f,"
                "\"simulated_s\":%.3f,\"gil_switches\":%.0f,\"state_changes\":%.0f}\n",
                s.n, s.min, s.median, s.max, r.metrics.get("threads_ns") / 1e9, r.metrics.get("gil_switches"),
                r.metrics.get("state_changes"));
}

static void bench_worst(int reps) {
    std::vector<double> secs;
    RunResult r;
    for (int i = 0; i < reps; ++i) {
        double t = now_s();
        r = run("gil.cpu", {{"threads", "8"}, {"iterations", "1000000"}, {"interval_us", "1"}, {"version", "3.11"}});
        secs.push_back(now_s() - t);
    }
    Summary s = summarize(secs);
    double transitions = r.metrics.get("state_changes"), events = r.metrics.get("sim_events");
    double switches = r.metrics.get("gil_switches");
    double expiries = r.metrics.get("sim_timed_wait_expiries");
    std::printf("{\"bench\":\"sim-worst\",\"runs\":%zu,\"s_min\":%.4f,\"s_median\":%.4f,\"s_max\":%.4f,"
                "\"thread_transitions\":%.0f,\"events\":%.0f,\"gil_switches\":%.0f,"
                "\"transitions_per_s\":%.0f,\"transitions_plus_events_per_s\":%.0f,\"timed_wait_expiries\":%.0f,"
                "\"with_expiries_per_s\":%.0f}\n",
                s.n, s.min, s.median, s.max, transitions, events, switches, transitions / s.median,
                (transitions + events) / s.median, expiries, (transitions + events + expiries) / s.median);
}

int main(int argc, char** argv) {
    std::string what = argc > 1 ? argv[1] : "all";
    int reps = argc > 2 ? std::atoi(argv[2]) : 11;
    if (reps < 1) reps = 1;
    if (what == "sim-seed" || what == "all") bench_seed(reps);
    if (what == "sim-worst" || what == "all") bench_worst(std::max(3, reps / 3));
    if (what != "all" && what != "sim-seed" && what != "sim-worst") {
        std::fprintf(stderr, "usage: gillab_bench [sim-seed|sim-worst|all] [repeats]\n");
        return 2;
    }
    return 0;
}
