// programs.h — program pieces several simulated experiments share.
#pragma once
#include <string>
#include <vector>

#include <memory>

#include "engine/sim/harness.h"
#include "engine/sim/program.h"

namespace gil::sim {

// def count(n): total = 0; for i in range(n): total += i * i; return total
int build_count_squares(Program& p, int first_line);
// def count(n): while n > 0: n -= 1
int build_countdown(Program& p, int first_line);
// def serial(reps, a, b, ...): for _ in range(reps): <callee>(a, b, ...)
// The serial baseline of an experiment: the threads' work done one call after another.
int build_serial(Program& p, const std::string& callee, const std::vector<std::string>& args, int line = 0);

// The convoy program: spin() is CPU-bound and never waits; pinger(requests) sleeps io_ns
// per request and needs the GIL back after each wake-up (gil.convoy, gil.interval).
std::shared_ptr<Program> program_convoy(int64_t io_ns);
struct ConvoyOutcome {
    SimResult sim;
    double median_ns = 0, p90_ns = 0, cpu_rate = 0;
};
// One convoy run: the pinger alone or next to the spinner.
ConvoyOutcome convoy_once(const Common& c, int64_t io_ns, int64_t requests, bool with_cpu, uint64_t seed,
                          const RunControl& ctl, bool trace);

// counter += 1 from several threads, as `variant`: inplace, call (counter = add_one(counter)),
// locked (with lock:), mp_value (multiprocessing.Value), mp_value_locked (with a mp Lock).
// The worker is work(n) (race.counter, race.lock_cost).
std::shared_ptr<Program> program_race(const std::string& variant);

}  // namespace gil::sim
