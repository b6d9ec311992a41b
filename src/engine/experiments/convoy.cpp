// convoy.cpp — see convoy.h.
#include "engine/experiments/convoy.h"

#include "engine/stats.h"

namespace gil::ex {

using namespace sim;

ConvoyOutcome convoy_once(const Common& c, const std::shared_ptr<const Program>& prog, int64_t requests, bool with_cpu,
                          uint64_t seed, const RunControl& ctl, bool trace) {
    Run run(c, prog, trace);
    if (with_cpu) run.thread("cpu (spin)", entry(*prog, "spin"), {});
    run.thread("io (pinger)", entry(*prog, "pinger"), {requests}, 0, with_cpu ? c.prof.thread_start_ns : 0);
    ConvoyOutcome o;
    o.sim = run.go(seed, ctl);
    std::vector<double> lat(o.sim.io_wake_latency_ns.begin(), o.sim.io_wake_latency_ns.end());
    o.median_ns = percentile(lat, 50);
    o.p90_ns = percentile(lat, 90);
    if (with_cpu && !o.sim.threads.empty() && o.sim.end_ns > 0)
        o.cpu_rate = (double)o.sim.threads[0].return_value / ((double)o.sim.end_ns * 1e-9);
    return o;
}

}  // namespace gil::ex
