// work.h — a unit of CPU work the compiler cannot skip, calibrated to nanoseconds on this
// machine (real.contention, real.scaling).
#pragma once
#include <cstdint>

namespace gil::real {

// A dependency chain: `iters` steps of xorshift starting from x.
uint64_t spin_work(uint64_t iters, uint64_t x);
// Nanoseconds per spin_work step here (median of a few runs, measured once per process).
double spin_ns_per_iter();
// Steps of spin_work that take about `ns`.
uint64_t iters_for_ns(double ns);

}  // namespace gil::real
