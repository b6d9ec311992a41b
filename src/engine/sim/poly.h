// poly.h — integer polynomials in the iteration index j, in Newton form
// P(j) = c0 + c1*C(j,1) + c2*C(j,2) + c3*C(j,3), with all arithmetic modulo 2^64.
//
// Why Newton form: a polynomial that takes integer values at integers has integer
// Newton coefficients (so int64 wrapping arithmetic is exact), and prefix sums are a
// shift: sum_{m<k} C(m,d) = C(k,d+1). That is all fast-forward needs to advance a loop
// like `total += i*i` by k iterations in O(1) with the exact result of stepping it.
#pragma once
#include <cstdint>

namespace gil::sim {

struct Poly {
    static constexpr int kMaxDeg = 3;
    uint64_t c[kMaxDeg + 1] = {0, 0, 0, 0};

    static Poly constant(int64_t v) {
        Poly p;
        p.c[0] = (uint64_t)v;
        return p;
    }
    int degree() const {
        for (int d = kMaxDeg; d > 0; --d)
            if (c[d]) return d;
        return 0;
    }
    bool operator==(const Poly& o) const {
        for (int d = 0; d <= kMaxDeg; ++d)
            if (c[d] != o.c[d]) return false;
        return true;
    }
    Poly operator+(const Poly& o) const {
        Poly r;
        for (int d = 0; d <= kMaxDeg; ++d) r.c[d] = c[d] + o.c[d];
        return r;
    }
    Poly operator-(const Poly& o) const {
        Poly r;
        for (int d = 0; d <= kMaxDeg; ++d) r.c[d] = c[d] - o.c[d];
        return r;
    }
    // Product; returns false when the degree would exceed kMaxDeg.
    bool mul(const Poly& o, Poly& out) const;
    // sum_{m=0}^{k-1} P(m) as a polynomial in k; false when the degree would exceed kMaxDeg.
    bool prefix_sum(Poly& out) const;
    // P(j) for 0 <= j < 2^40 (exact modulo 2^64).
    int64_t eval(int64_t j) const;
    // P(j-1) as a polynomial in j (used for "value written in the last iteration").
    Poly shifted_back() const;
};

// C(j, d) modulo 2^64 for 0 <= j < 2^40, d <= 4.
uint64_t binom_mod(int64_t j, int d);

}  // namespace gil::sim
