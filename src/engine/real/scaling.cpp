// scaling.cpp — real.scaling: a CPU-bound kernel split over 1..T real threads against
// serial: speedup, efficiency and the serial fraction Amdahl's law fits.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "engine/real/common.h"
#include "engine/real/real.h"
#include "engine/real/repeat.h"
#include "engine/real/work.h"
#include "engine/stats.h"

namespace gil::real {

void run_scaling(const ExperimentSpec&, const ParamSet& p, uint64_t, RunControl& ctl, RunResult& r) {
    const int T = (int)p.get_int("threads");
    if (std::string why = check_thread_count(T); !why.empty()) {
        r.error = why;
        return;
    }
    const double total_ms = p.get("work_ms");
    const double serial_pct = p.get("serial_pct");
    const int runs = (int)p.get_int("runs");
    const uint64_t total_it = iters_for_ns(total_ms * 1e6);
    const uint64_t serial_it = (uint64_t)((double)total_it * serial_pct / 100.0);
    const uint64_t par_it = total_it - serial_it;
    std::string error;
    auto once = [&](int threads) -> int64_t {
        // The serial part runs on one thread first, then the parallel part is split.
        int64_t t = now_ns();
        volatile uint64_t sink = spin_work(serial_it, 1);
        (void)sink;
        if (threads == 0) {
            sink = spin_work(par_it, 3);
            return now_ns() - t;
        }
        int64_t w = run_workers(threads, [&](int i) {
            uint64_t share = par_it / (uint64_t)threads + ((uint64_t)i < par_it % (uint64_t)threads ? 1 : 0);
            volatile uint64_t s = spin_work(share, (uint64_t)i + 5);
            (void)s;
        }, error);
        if (w < 0) return -1;
        return now_ns() - t;
    };
    Summary last;
    auto median_of = [&](int threads) {
        std::vector<double> v;
        const bool ok = repeat_runs(runs, true, ctl, [&](bool measured) {
            int64_t x = once(threads);
            if (x < 0) return false;
            if (measured) v.push_back((double)x);
            return true;
        });
        if (!ok) return -1.0;
        last = summarize(v);
        return last.median;
    };
    const double serial = median_of(0);
    r.metrics.set("serial_min_ns", last.min, "ns", "Serial: time, min");
    r.metrics.set("serial_max_ns", last.max, "ns", "Serial: time, max");
    Series sp, eff, ideal, amdahl;
    sp.key = "speedup";
    sp.label = "Measured speedup";
    sp.x_label = "threads";
    sp.y_label = "speedup";
    eff.key = "efficiency";
    eff.label = "Efficiency (speedup / threads)";
    eff.x_label = "threads";
    eff.y_label = "efficiency";
    for (int t = 1; t <= T && !ctl.cancelled(); ++t) {
        double m = median_of(t);
        if (m < 0) {
            r.error = error;
            return;
        }
        sp.x.push_back(t);
        sp.y.push_back(serial / m);
        eff.x.push_back(t);
        eff.y.push_back(serial / m / t);
        char k[48];
        std::snprintf(k, sizeof k, "speedup_%d", t);
        r.metrics.set(k, serial / m, "x", "Speedup with " + std::to_string(t) + " thread(s)");
        std::snprintf(k, sizeof k, "time_%d_min_ns", t);
        r.metrics.set(k, last.min, "ns", std::to_string(t) + " thread(s): time, min");
        std::snprintf(k, sizeof k, "time_%d_median_ns", t);
        r.metrics.set(k, last.median, "ns", std::to_string(t) + " thread(s): time, median");
        std::snprintf(k, sizeof k, "time_%d_max_ns", t);
        r.metrics.set(k, last.max, "ns", std::to_string(t) + " thread(s): time, max");
        ctl.progress((double)t / T);
    }
    const double s = fit_amdahl_serial_fraction(sp.x, sp.y);
    ideal.key = "ideal";
    ideal.label = "Ideal (linear)";
    ideal.x_label = "threads";
    ideal.y_label = "speedup";
    amdahl.key = "amdahl";
    amdahl.label = "Amdahl fit";
    amdahl.x_label = "threads";
    amdahl.y_label = "speedup";
    for (double t : sp.x) {
        ideal.x.push_back(t);
        ideal.y.push_back(t);
        amdahl.x.push_back(t);
        amdahl.y.push_back(amdahl_speedup(s, t));
    }
    r.metrics.set("serial_ns", serial, "ns", "Serial run (median)");
    r.metrics.set("serial_fraction_fit", s, "", "Serial fraction fitted by Amdahl's law");
    r.metrics.set("serial_fraction_set", serial_pct / 100.0, "", "Serial fraction in the program");
    r.metrics.set("hardware_threads", hardware_threads(), "", "Hardware threads found");
    r.metrics.set("runs", runs, "", "Measured runs per point (after one warm-up)");
    r.series = {sp, ideal, amdahl, eff};
    r.notes.push_back("Speedup stops growing at the number of hardware threads (" + std::to_string(hardware_threads()) +
                      " here); the fitted serial fraction includes thread start-up and the machine's other load.");
    if (ctl.cancelled()) r.cancelled = true;
}

}  // namespace gil::real
