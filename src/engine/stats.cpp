// stats.cpp — see stats.h.
#include "engine/stats.h"

#include <algorithm>
#include <cmath>

namespace gil {

Summary summarize(std::vector<double> v) {
    Summary s;
    s.n = v.size();
    if (v.empty()) return s;
    std::sort(v.begin(), v.end());
    s.min = v.front();
    s.max = v.back();
    size_t m = v.size() / 2;
    s.median = v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
    double sum = 0;
    for (double x : v) sum += x;
    s.mean = sum / (double)v.size();
    return s;
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    double pos = std::clamp(p, 0.0, 100.0) / 100.0 * (double)(v.size() - 1);
    size_t lo = (size_t)std::floor(pos), hi = (size_t)std::ceil(pos);
    return v[lo] + (v[hi] - v[lo]) * (pos - (double)lo);
}

double fit_amdahl_serial_fraction(const std::vector<double>& threads, const std::vector<double>& speedup) {
    // 1/speedup = s + (1-s)/n = 1/n + s (1 - 1/n): linear in s, so least squares is closed form.
    double num = 0, den = 0;
    for (size_t i = 0; i < threads.size() && i < speedup.size(); ++i) {
        double n = threads[i], sp = speedup[i];
        if (n <= 1 || sp <= 0) continue;
        double a = 1.0 - 1.0 / n, y = 1.0 / sp - 1.0 / n;
        num += a * y;
        den += a * a;
    }
    if (den <= 0) return 0;
    return std::clamp(num / den, 0.0, 1.0);
}

}  // namespace gil
