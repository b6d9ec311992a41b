// convoy.h — one run of the convoy program (gil.convoy, gil.interval): pinger(requests) sleeps
// between tiny requests and needs the GIL back after each wake-up; spin() next to it never
// waits. Both functions come from the experiment's Python file.
#pragma once
#include <memory>

#include "engine/sim/harness.h"

namespace gil::ex {

struct ConvoyOutcome {
    sim::SimResult sim;
    double median_ns = 0, p90_ns = 0, cpu_rate = 0;
};
// The pinger alone, or next to the spinner (started first).
ConvoyOutcome convoy_once(const sim::Common& c, const std::shared_ptr<const sim::Program>& prog, int64_t requests,
                          bool with_cpu, uint64_t seed, const RunControl& ctl, bool trace);

}  // namespace gil::ex
