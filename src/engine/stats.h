// stats.h — small statistics used by benchmarks and experiments: min/median/max,
// percentiles, and Amdahl's-law fitting.
#pragma once
#include <cstddef>
#include <vector>

namespace gil {

struct Summary {
    double min = 0, median = 0, max = 0, mean = 0;
    size_t n = 0;
};
Summary summarize(std::vector<double> v);
// Linear-interpolated percentile, p in [0, 100]. Empty input gives 0.
double percentile(std::vector<double> v, double p);
// Fits the serial fraction s of Amdahl's law, speedup(n) = 1 / (s + (1 - s) / n), by
// least squares over the given (threads, speedup) points. Returns s clamped to [0, 1].
double fit_amdahl_serial_fraction(const std::vector<double>& threads, const std::vector<double>& speedup);
inline double amdahl_speedup(double serial_fraction, double n) { return 1.0 / (serial_fraction + (1.0 - serial_fraction) / n); }

}  // namespace gil
