// poly.cpp — see poly.h.
#include "engine/sim/poly.h"

#include <cassert>

namespace gil::sim {

uint64_t binom_mod(int64_t j, int d) {
    assert(j >= 0 && j < (int64_t(1) << 40) && d >= 0 && (d <= 3 || j < 64));
    if (d == 0) return 1;
    if (j < d) return 0;
    // j(j-1)...(j-d+1) < 2^160 for j < 2^40, d <= 4 would overflow 128 bits, so divide
    // as we go: after multiplying i+1 consecutive factors the product is divisible by
    // (i+1)!, so dividing step by step by (i+1) stays exact.
    unsigned __int128 r = 1;
    for (int i = 0; i < d; ++i) {
        r = r * (unsigned __int128)(uint64_t)(j - i);
        r /= (unsigned __int128)(i + 1);
    }
    return (uint64_t)r;  // modulo 2^64
}

// C(n, k) for the small n that products of degree <= 3 polynomials need.
static const uint64_t kSmallBinom[7][7] = {
    {1, 0, 0, 0, 0, 0, 0}, {1, 1, 0, 0, 0, 0, 0},  {1, 2, 1, 0, 0, 0, 0},   {1, 3, 3, 1, 0, 0, 0},
    {1, 4, 6, 4, 1, 0, 0}, {1, 5, 10, 10, 5, 1, 0}, {1, 6, 15, 20, 15, 6, 1},
};

bool Poly::mul(const Poly& o, Poly& out) const {
    // C(j,a) * C(j,b) = sum_{k=max(a,b)}^{a+b} C(k,a) * C(a, k-b) * C(j,k)
    Poly r;
    for (int a = 0; a <= kMaxDeg; ++a) {
        if (!c[a]) continue;
        for (int b = 0; b <= kMaxDeg; ++b) {
            if (!o.c[b]) continue;
            for (int k = (a > b ? a : b); k <= a + b; ++k) {
                uint64_t coef = kSmallBinom[k][a] * kSmallBinom[a][k - b];
                if (!coef) continue;
                if (k > kMaxDeg) return false;
                r.c[k] += c[a] * o.c[b] * coef;
            }
        }
    }
    out = r;
    return true;
}

bool Poly::prefix_sum(Poly& out) const {
    if (c[kMaxDeg]) return false;
    Poly r;
    for (int d = 0; d < kMaxDeg; ++d) r.c[d + 1] = c[d];
    out = r;
    return true;
}

int64_t Poly::eval(int64_t j) const {
    uint64_t v = c[0];
    for (int d = 1; d <= kMaxDeg; ++d)
        if (c[d]) v += c[d] * binom_mod(j, d);
    return (int64_t)v;
}

Poly Poly::shifted_back() const {
    // C(j-1, d) = C(j, d) - C(j-1, d-1), applied recursively: in Newton form the
    // backward shift is P(j-1) = sum_d (sum_{e>=d} (-1)^(e-d) c_e) C(j, d).
    Poly r;
    for (int d = 0; d <= kMaxDeg; ++d) {
        uint64_t s = 0;
        for (int e = d; e <= kMaxDeg; ++e) s += ((e - d) % 2 ? (uint64_t)0 - c[e] : c[e]);
        r.c[d] = s;
    }
    return r;
}

}  // namespace gil::sim
