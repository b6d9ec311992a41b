// work.cpp — see work.h.
#include "engine/real/work.h"

#include <algorithm>
#include <vector>

#include "engine/real/common.h"
#include "engine/stats.h"

namespace gil::real {

uint64_t spin_work(uint64_t iters, uint64_t x) {
    for (uint64_t i = 0; i < iters; ++i) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    return x;
}

// Nanoseconds per spin_work step on this machine (median of a few runs).
double spin_ns_per_iter() {
    // Measured once per process; thread-safe by the rules of static initialization.
    static const double cached = [] {
        std::vector<double> v;
        uint64_t sink = 1;
        for (int i = 0; i < 5; ++i) {
            int64_t t = now_ns();
            sink = spin_work(2'000'000, sink | 1);
            v.push_back((double)(now_ns() - t) / 2e6);
        }
        return std::max(0.05, summarize(v).median) + (sink == 0 ? 1e-9 : 0.0);
    }();
    return cached;
}
uint64_t iters_for_ns(double ns) { return (uint64_t)std::max(0.0, ns / spin_ns_per_iter()); }

}  // namespace gil::real
