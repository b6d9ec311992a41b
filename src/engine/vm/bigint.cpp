// bigint.cpp — arbitrary-size integer arithmetic (see bigint.h): schoolbook add, subtract
// and multiply, Knuth's algorithm D for division, base-10^9 conversion to text, and the
// conversions to and from double that CPython rounds correctly.
#include "engine/vm/bigint.h"

#include <algorithm>
#include <cmath>

namespace gil::vm::big {
namespace {

using Mag = std::vector<uint32_t>;

void trim(Mag& m) {
    while (!m.empty() && m.back() == 0) m.pop_back();
}

int mag_compare(const Mag& a, const Mag& b) {
    if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
    for (size_t i = a.size(); i-- > 0;)
        if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
    return 0;
}

Mag mag_add(const Mag& a, const Mag& b) {
    const Mag& x = a.size() >= b.size() ? a : b;
    const Mag& y = a.size() >= b.size() ? b : a;
    Mag r(x.size() + 1);
    uint64_t carry = 0;
    for (size_t i = 0; i < x.size(); ++i) {
        uint64_t s = uint64_t(x[i]) + (i < y.size() ? y[i] : 0) + carry;
        r[i] = uint32_t(s);
        carry = s >> 32;
    }
    r[x.size()] = uint32_t(carry);
    trim(r);
    return r;
}

// a - b with a >= b.
Mag mag_sub(const Mag& a, const Mag& b) {
    Mag r(a.size());
    int64_t borrow = 0;
    for (size_t i = 0; i < a.size(); ++i) {
        int64_t d = int64_t(a[i]) - (i < b.size() ? int64_t(b[i]) : 0) - borrow;
        borrow = d < 0;
        r[i] = uint32_t(d + (borrow ? (int64_t(1) << 32) : 0));
    }
    trim(r);
    return r;
}

Mag mag_mul(const Mag& a, const Mag& b) {
    if (a.empty() || b.empty()) return {};
    Mag r(a.size() + b.size());
    for (size_t i = 0; i < a.size(); ++i) {
        uint64_t carry = 0;
        for (size_t j = 0; j < b.size(); ++j) {
            uint64_t t = uint64_t(a[i]) * b[j] + r[i + j] + carry;
            r[i + j] = uint32_t(t);
            carry = t >> 32;
        }
        r[i + b.size()] = uint32_t(carry);
    }
    trim(r);
    return r;
}

Mag mag_divmod_small(const Mag& a, uint32_t d, uint32_t& rem) {
    Mag q(a.size());
    uint64_t r = 0;
    for (size_t i = a.size(); i-- > 0;) {
        uint64_t cur = (r << 32) | a[i];
        q[i] = uint32_t(cur / d);
        r = cur % d;
    }
    trim(q);
    rem = uint32_t(r);
    return q;
}

// Knuth, TAOCP vol. 2, 4.3.1, algorithm D (as in Hacker's Delight's divmnu).
void mag_divmod(const Mag& u, const Mag& v, Mag& q, Mag& r) {
    if (mag_compare(u, v) < 0) {
        q.clear();
        r = u;
        return;
    }
    if (v.size() == 1) {
        uint32_t rem = 0;
        q = mag_divmod_small(u, v[0], rem);
        r = rem ? Mag{rem} : Mag{};
        return;
    }
    const size_t n = v.size(), m = u.size() - n;
    const int s = __builtin_clz(v[n - 1]);  // normalize so the divisor's top bit is set
    auto hi = [s](uint32_t x) -> uint32_t { return s ? uint32_t(uint64_t(x) >> (32 - s)) : 0; };
    Mag vn(n), un(u.size() + 1);
    for (size_t i = n - 1; i > 0; --i) vn[i] = (v[i] << s) | hi(v[i - 1]);
    vn[0] = v[0] << s;
    un[m + n] = hi(u[m + n - 1]);
    for (size_t i = m + n - 1; i > 0; --i) un[i] = (u[i] << s) | hi(u[i - 1]);
    un[0] = u[0] << s;
    q.assign(m + 1, 0);
    const uint64_t B = uint64_t(1) << 32;
    for (size_t j = m + 1; j-- > 0;) {
        uint64_t num = (uint64_t(un[j + n]) << 32) | un[j + n - 1];
        uint64_t qhat = num / vn[n - 1], rhat = num % vn[n - 1];
        while (qhat >= B || qhat * vn[n - 2] > ((rhat << 32) | un[j + n - 2])) {
            --qhat;
            rhat += vn[n - 1];
            if (rhat >= B) break;
        }
        int64_t k = 0, t = 0;
        for (size_t i = 0; i < n; ++i) {
            uint64_t p = qhat * vn[i];
            t = int64_t(un[i + j]) - k - int64_t(p & 0xFFFFFFFFu);
            un[i + j] = uint32_t(t);
            k = int64_t(p >> 32) - (t >> 32);
        }
        t = int64_t(un[j + n]) - k;
        un[j + n] = uint32_t(t);
        q[j] = uint32_t(qhat);
        if (t < 0) {  // qhat was one too large: add the divisor back
            q[j] -= 1;
            uint64_t c = 0;
            for (size_t i = 0; i < n; ++i) {
                uint64_t s2 = uint64_t(un[i + j]) + vn[i] + c;
                un[i + j] = uint32_t(s2);
                c = s2 >> 32;
            }
            un[j + n] = uint32_t(uint64_t(un[j + n]) + c);
        }
    }
    r.assign(n, 0);
    for (size_t i = 0; i < n; ++i)
        r[i] = s ? (un[i] >> s) | uint32_t(uint64_t(un[i + 1]) << (32 - s)) : un[i];
    trim(q);
    trim(r);
}

Mag mag_shift_left(const Mag& a, uint64_t bits) {
    if (a.empty()) return {};
    size_t limbs = size_t(bits / 32);
    unsigned s = unsigned(bits % 32);
    Mag r(a.size() + limbs + 1, 0);
    for (size_t i = 0; i < a.size(); ++i) {
        uint64_t v = uint64_t(a[i]) << s;
        r[i + limbs] |= uint32_t(v);
        r[i + limbs + 1] |= uint32_t(v >> 32);
    }
    trim(r);
    return r;
}

Mag mag_shift_right(const Mag& a, uint64_t bits) {
    size_t limbs = size_t(std::min<uint64_t>(bits / 32, a.size()));
    unsigned s = unsigned(bits % 32);
    Mag r(a.size() - limbs, 0);
    for (size_t i = 0; i < r.size(); ++i) {
        uint64_t v = a[i + limbs];
        if (i + limbs + 1 < a.size()) v |= uint64_t(a[i + limbs + 1]) << 32;
        r[i] = uint32_t(v >> s);
    }
    trim(r);
    return r;
}

bool low_bits_nonzero(const Mag& a, uint64_t bits) {
    size_t limbs = size_t(std::min<uint64_t>(bits / 32, a.size()));
    for (size_t i = 0; i < limbs; ++i)
        if (a[i]) return true;
    unsigned s = unsigned(bits % 32);
    return s && limbs < a.size() && (a[limbs] & ((uint32_t(1) << s) - 1));
}

uint64_t top_u64(const Mag& a) {  // a has at most 64 bits
    uint64_t v = 0;
    for (size_t i = a.size(); i-- > 0;) v = (v << 32) | a[i];
    return v;
}

Num make(bool neg, Mag m) {
    Num n;
    trim(m);
    n.neg = neg && !m.empty();
    n.mag = std::move(m);
    return n;
}

}  // namespace

Num from_u64(uint64_t v, bool neg) {
    Mag m;
    if (v) m.push_back(uint32_t(v));
    if (v >> 32) m.push_back(uint32_t(v >> 32));
    return make(neg, std::move(m));
}

Num from_i64(int64_t v) {
    // The magnitude of INT64_MIN does not fit int64: negate in unsigned arithmetic.
    uint64_t u = v < 0 ? ~uint64_t(v) + 1 : uint64_t(v);
    return from_u64(u, v < 0);
}

bool to_i64(const Num& n, int64_t& out) {
    if (n.mag.size() > 2) return false;
    uint64_t u = top_u64(n.mag);
    if (!n.neg) {
        if (u > uint64_t(INT64_MAX)) return false;
        out = int64_t(u);
        return true;
    }
    if (u > uint64_t(INT64_MAX) + 1) return false;
    out = u == uint64_t(INT64_MAX) + 1 ? INT64_MIN : -int64_t(u);
    return true;
}

bool is_integer(const Value& v) { return v.is_int() || v.is_bool() || is_kind(v, Kind::BigInt); }

Num of(const Value& v) {
    if (auto* b = as_kind<BigInt>(v, Kind::BigInt); b) return make(b->negative, b->mag);
    return from_i64(v.as_int());
}

Value normalize(Heap& h, Num n) {
    int64_t small = 0;
    if (to_i64(n, small)) return Value::integer(small);
    auto* b = new BigInt();
    b->negative = n.neg;
    b->mag = std::move(n.mag);
    return Value::object(h.adopt(b));
}

int compare(const Num& a, const Num& b) {
    if (a.neg != b.neg) return a.neg ? -1 : 1;
    int c = mag_compare(a.mag, b.mag);
    return a.neg ? -c : c;
}

Num add(const Num& a, const Num& b) {
    if (a.neg == b.neg) return make(a.neg, mag_add(a.mag, b.mag));
    int c = mag_compare(a.mag, b.mag);
    if (c == 0) return Num{};
    return c > 0 ? make(a.neg, mag_sub(a.mag, b.mag)) : make(b.neg, mag_sub(b.mag, a.mag));
}

Num negate(Num a) {
    if (!a.mag.empty()) a.neg = !a.neg;
    return a;
}

Num sub(const Num& a, const Num& b) { return add(a, negate(b)); }
Num mul(const Num& a, const Num& b) { return make(a.neg != b.neg, mag_mul(a.mag, b.mag)); }

void floor_divmod(const Num& a, const Num& b, Num& q, Num& r) {
    Mag qm, rm;
    mag_divmod(a.mag, b.mag, qm, rm);
    q = make(a.neg != b.neg, std::move(qm));
    r = make(a.neg, std::move(rm));
    // Truncated -> floored: when the signs differ and there is a remainder, step down.
    if (!r.is_zero() && a.neg != b.neg) {
        q = sub(q, from_i64(1));
        r = add(r, b);
    }
}

Num pow(const Num& base, uint64_t exp) {
    Num result = from_i64(1), b = base;
    while (exp) {
        if (exp & 1) result = mul(result, b);
        exp >>= 1;
        if (exp) b = mul(b, b);
    }
    return result;
}

Num shift_left(const Num& a, uint64_t bits) { return make(a.neg, mag_shift_left(a.mag, bits)); }

Num shift_right(const Num& a, uint64_t bits) {
    if (!a.neg) return make(false, mag_shift_right(a.mag, bits));
    // Floor for negatives: -(((|a| - 1) >> bits) + 1).
    Mag m = mag_shift_right(mag_sub(a.mag, {1}), bits);
    return make(true, mag_add(m, {1}));
}

namespace {
// Two's complement in `limbs` limbs (one more than either magnitude, so the sign fits).
Mag twos(const Num& a, size_t limbs) {
    Mag m = a.neg ? mag_sub(a.mag, {1}) : a.mag;
    m.resize(limbs, 0);
    if (a.neg)
        for (auto& x : m) x = ~x;
    return m;
}
}  // namespace

Num bitwise(const Num& a, const Num& b, BitOp op) {
    size_t limbs = std::max(a.mag.size(), b.mag.size()) + 1;
    Mag x = twos(a, limbs), y = twos(b, limbs), r(limbs);
    for (size_t i = 0; i < limbs; ++i)
        r[i] = op == BitOp::And ? (x[i] & y[i]) : op == BitOp::Or ? (x[i] | y[i]) : (x[i] ^ y[i]);
    bool neg = r.back() >> 31;
    if (!neg) return make(false, std::move(r));
    for (auto& v : r) v = ~v;
    trim(r);
    return make(true, mag_add(r, {1}));
}

size_t bit_length(const Num& a) {
    if (a.mag.empty()) return 0;
    return (a.mag.size() - 1) * 32 + size_t(32 - __builtin_clz(a.mag.back()));
}

std::string to_base(const Num& a, int base) {
    if (a.is_zero()) return "0";
    // Peel off the largest power of `base` that fits a limb at a time.
    uint32_t chunk = uint32_t(base), per = 1;
    while (uint64_t(chunk) * uint32_t(base) <= 0xFFFFFFFFu) {
        chunk *= uint32_t(base);
        ++per;
    }
    std::string out;
    Mag m = a.mag;
    while (!m.empty()) {
        uint32_t rem = 0;
        m = mag_divmod_small(m, chunk, rem);
        for (uint32_t i = 0; i < per && (rem || !m.empty()); ++i) {
            out.push_back("0123456789abcdefghijklmnopqrstuvwxyz"[rem % uint32_t(base)]);
            rem /= uint32_t(base);
        }
    }
    if (a.neg) out.push_back('-');
    std::reverse(out.begin(), out.end());
    return out;
}

std::string to_decimal(const Num& a) { return to_base(a, 10); }

namespace {
int digit_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'z') return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
    return 99;
}
void mul_add_small(Mag& m, uint32_t mul, uint32_t add) {
    uint64_t carry = add;
    for (auto& limb : m) {
        uint64_t t = uint64_t(limb) * mul + carry;
        limb = uint32_t(t);
        carry = t >> 32;
    }
    if (carry) m.push_back(uint32_t(carry));
}
}  // namespace

bool from_text(std::string_view s, int base, Num& out) {
    size_t i = 0;
    bool neg = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
    if (i + 1 < s.size() && s[i] == '0') {
        char p = char(s[i + 1] | 0x20);
        if ((base == 16 && p == 'x') || (base == 8 && p == 'o') || (base == 2 && p == 'b')) {
            i += 2;
            if (i < s.size() && s[i] == '_') ++i;  // int('0x_1f', 16) is allowed
        }
    }
    Mag m;
    bool any = false, prev_underscore = false;
    for (; i < s.size(); ++i) {
        if (s[i] == '_') {
            if (!any || prev_underscore) return false;
            prev_underscore = true;
            continue;
        }
        int d = digit_value(s[i]);
        if (d >= base) return false;
        mul_add_small(m, uint32_t(base), uint32_t(d));
        any = true;
        prev_underscore = false;
    }
    if (!any || prev_underscore) return false;
    out = make(neg, std::move(m));
    return true;
}

double to_double(const Num& a) {
    size_t bits = bit_length(a);
    double d;
    if (bits <= 64) {
        d = double(top_u64(a.mag));
    } else {
        // The top 64 bits with a sticky bit for the rest round exactly as the whole would.
        uint64_t shift = bits - 64;
        uint64_t top = top_u64(mag_shift_right(a.mag, shift));
        if (low_bits_nonzero(a.mag, shift)) top |= 1;
        if (bits > 1024) raise("OverflowError", "int too large to convert to float");
        d = std::ldexp(double(top), int(shift));
    }
    if (std::isinf(d)) raise("OverflowError", "int too large to convert to float");
    return a.neg ? -d : d;
}

Num from_double(double d) {
    d = std::trunc(d);
    if (std::fabs(d) < 9.2e18) return from_i64(int64_t(d));
    int e = 0;
    double m = std::frexp(std::fabs(d), &e);  // |d| = m * 2^e, m in [0.5, 1)
    auto mant = uint64_t(std::ldexp(m, 53));   // exact: 53 significant bits
    return make(d < 0, mag_shift_left(from_u64(mant).mag, uint64_t(e - 53)));
}

double true_divide(const Num& a, const Num& b) {
    if (b.is_zero()) raise("ZeroDivisionError", "division by zero");
    bool neg = a.neg != b.neg;
    if (a.is_zero()) return neg ? -0.0 : 0.0;
    size_t na = bit_length(a), nb = bit_length(b);
    if (na <= 53 && nb <= 53) return to_double(a) / to_double(b);  // both exact: one rounding
    auto diff = int64_t(na) - int64_t(nb);
    if (diff > 1025) raise("OverflowError", "integer division result too large for a float");
    if (diff < -1080) return neg ? -0.0 : 0.0;
    // Scale so the quotient has 55 or 56 bits; a sticky bit stands for any remainder.
    int64_t shift = 55 - diff;
    Mag x = shift > 0 ? mag_shift_left(a.mag, uint64_t(shift)) : a.mag;
    Mag y = shift < 0 ? mag_shift_left(b.mag, uint64_t(-shift)) : b.mag;
    Mag q, r;
    mag_divmod(x, y, q, r);
    uint64_t top = top_u64(q) | (r.empty() ? 0 : 1);
    double d = std::ldexp(double(top), int(-shift));
    if (std::isinf(d)) raise("OverflowError", "integer division result too large for a float");
    return neg ? -d : d;
}

uint64_t hash(const Num& a) {
    const uint64_t P = (uint64_t(1) << 61) - 1;
    uint64_t x = 0;
    for (size_t i = a.mag.size(); i-- > 0;) {
        x = ((x << 32) & P) | (x >> 29);  // x * 2^32 mod P: 2^61 == 1 (mod P)
        x += a.mag[i];
        if (x >= P) x -= P;
    }
    auto h = int64_t(x);
    if (a.neg) h = -h;
    if (h == -1) h = -2;
    return uint64_t(h);
}

}  // namespace gil::vm::big
