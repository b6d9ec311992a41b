// soak.cpp — every experiment with random valid parameters, run after run for a given
// time: checks the simulator's invariants on each trace, that every run either finishes
// or fails with a sentence (never crashes or hangs), and that memory does not grow from
// one batch of runs to the next.
//   gillab_soak [seconds=120] [seed=1]      prints a JSON summary; exit 1 on a failure
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "engine/experiment.h"
#include "engine/rng.h"

using namespace gil;

namespace {

long rss_kib() {
    std::ifstream f("/proc/self/statm");
    long pages = 0, resident = 0;
    if (!(f >> pages >> resident)) return -1;
    return resident * 4;
}

double now_s() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

// "" if the trace is consistent: lanes tile [0, end) in time order, and under a GIL at
// most one lane per process runs bytecode at any instant.
std::string check_trace(const Trace& t, bool gil) {
    for (const auto& l : t.lanes) {
        if (l.intervals.empty() || l.intervals.front().t0 != 0) return "lane " + l.name + " does not start at 0";
        for (size_t i = 1; i < l.intervals.size(); ++i)
            if (l.intervals[i].t0 <= l.intervals[i - 1].t0) return "lane " + l.name + " goes back in time";
        if (l.intervals.back().t0 > l.end) return "lane " + l.name + " ends before its last interval";
    }
    if (!gil || t.truncated()) return "";  // coarsened traces merge intervals: skip the overlap check
    std::map<int, std::vector<std::pair<int64_t, int>>> edges;
    for (const auto& l : t.lanes)
        for (size_t i = 0; i < l.intervals.size(); ++i)
            if (l.intervals[i].state == ThreadState::Running) {
                edges[l.process].push_back({l.intervals[i].t0, 1});
                edges[l.process].push_back({i + 1 < l.intervals.size() ? l.intervals[i + 1].t0 : l.end, -1});
            }
    for (auto& pe : edges) {
        std::sort(pe.second.begin(), pe.second.end());
        int running = 0;
        for (auto& e : pe.second)
            if ((running += e.second) > 1) return "two threads ran bytecode at once at t=" + std::to_string(e.first);
    }
    return "";
}

// A random valid value for a parameter, within the range the record allows tests to draw
// (ParamSpec::test_min/test_max: work sizes that keep thousands of runs within minutes; the
// extremes are in docs/robustness.md's limit runs).
double random_value(const ParamSpec& s, Rng& rng) {
    if (s.kind == ParamKind::Choice) return (double)rng.below(s.choices.size());
    if (s.kind == ParamKind::Flag) return (double)rng.below(2);
    const double lo = std::isnan(s.test_min) ? s.min : std::max(s.min, s.test_min);
    const double hi = std::isnan(s.test_max) ? s.max : std::min(s.max, s.test_max);
    double v = lo;
    if (s.log_scale || hi / std::max(lo, 1e-9) > 1000) {
        double a = std::log(std::max(lo, s.kind == ParamKind::Int ? 1.0 : 1e-3)), b = std::log(hi);
        v = std::exp(a + rng.uniform() * (b - a));
    } else {
        v = lo + rng.uniform() * (hi - lo);
    }
    if (s.kind == ParamKind::Int) v = std::round(v);
    return std::clamp(v, s.min, s.max);
}

}  // namespace

int main(int argc, char** argv) {
    const double seconds = argc > 1 ? std::atof(argv[1]) : 120;
    const unsigned long long seed = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1;
    Rng rng(seed);
    const auto& table = experiments();
    std::map<std::string, int> runs, errors;
    std::vector<long> rss;
    int failures = 0, total = 0;
    const double t_end = now_s() + seconds;
    while (now_s() < t_end) {
        const ExperimentSpec& e = table[rng.below(table.size())];
        ParamSet ps = ParamSet::defaults(e.params);
        for (size_t i = 0; i < e.params.size(); ++i) ps.values[i] = random_value(e.params[i], rng);
        RunControl ctl;
        ctl.record_trace = rng.below(2) == 0;
        const double t_run = now_s();
        RunResult r = run_experiment(e, ps, rng.next(), ctl);
        if (now_s() - t_run > 1.0 && getenv("GILLAB_SOAK_VERBOSE")) {
            std::string p;
            for (size_t i = 0; i < ps.values.size(); ++i) p += " " + e.params[i].key + "=" + ps.format((int)i);
            std::fprintf(stderr, "slow (%.1f s): %s%s\n", now_s() - t_run, e.id.c_str(), p.c_str());
        }
        ++total;
        ++runs[e.id];
        if (!r.error.empty()) {
            ++errors[e.id];
            if (r.error.size() < 10 || r.error.find("internal error") != std::string::npos) {
                std::fprintf(stderr, "FAIL %s: bad error '%s'\n", e.id.c_str(), r.error.c_str());
                ++failures;
            }
        } else if (r.trace) {
            // Real traces: each thread's clock starts at its own release from the start line
            // (see Recorder::start), so their edges can be microseconds apart; a real GIL is
            // checked by its in-loop assertion counter (the record's invariants) instead.
            const bool gil = e.engine == Engine::Sim && experiment_has_gil(e, ps);
            for (const auto& [key, want] : e.invariants)
                if (const Metric* m = r.metrics.find(key); m && m->value != want) {
                    std::fprintf(stderr, "FAIL %s: %s = %g, must be %g\n", e.id.c_str(), key.c_str(), m->value, want);
                    ++failures;
                }
            if (std::string why = check_trace(*r.trace, gil); !why.empty()) {
                std::fprintf(stderr, "FAIL %s: %s\n", e.id.c_str(), why.c_str());
                ++failures;
            }
        }
        if (total % 10 == 0) rss.push_back(rss_kib());
    }
    // Memory must not grow across runs: compare the median of the second quarter of the
    // samples with the median of the last quarter (the first quarter is warm-up).
    bool grew = false;
    long early = 0, late = 0;
    if (rss.size() >= 8) {
        auto med = [&](size_t a, size_t b) {
            std::vector<long> v(rss.begin() + (long)a, rss.begin() + (long)b);
            std::sort(v.begin(), v.end());
            return v[v.size() / 2];
        };
        early = med(rss.size() / 4, rss.size() / 2);
        late = med(rss.size() * 3 / 4, rss.size());
        grew = late > early + std::max(64L * 1024, early / 2);  // > 64 MiB or 50% more
    }
    std::printf("{\"seed\":%llu,\"soak_seconds\":%.0f,\"runs\":%d,\"failures\":%d,\"rss_kib_early\":%ld,\"rss_kib_late\":%ld,"
                "\"memory_grew\":%s,\"per_experiment\":{",
                seed, seconds, total, failures, early, late, grew ? "true" : "false");
    bool first = true;
    for (auto& [id, n] : runs) {
        std::printf("%s\"%s\":[%d,%d]", first ? "" : ",", id.c_str(), n, errors[id]);
        first = false;
    }
    std::printf("}}\n");
    if (grew) std::fprintf(stderr, "FAIL memory grew from %ld to %ld KiB\n", early, late);
    return failures || grew ? 1 : 0;
}
