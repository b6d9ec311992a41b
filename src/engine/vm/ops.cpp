// ops.cpp — the operators of the lab's Python: int arithmetic (an int64 fast path that
// promotes to BigInt on overflow), float arithmetic as Objects/floatobject.c does it, the
// dispatch of binary and unary operators, comparisons, equality, hashing and truth.
#include "engine/vm/ops.h"

#include <cmath>
#include <limits>

#include "engine/vm/bigint.h"
#include "engine/vm/ops_internal.h"

namespace gil::vm {
namespace detail {

bool is_integer(const Value& v) { return v.is_int() || v.is_bool() || is_kind(v, Kind::BigInt); }
bool is_number(const Value& v) { return is_integer(v) || v.is_float(); }

const char* cmp_symbol(CmpOp op) {
    switch (op) {
        case CmpOp::Lt: return "<";
        case CmpOp::Le: return "<=";
        case CmpOp::Eq: return "==";
        case CmpOp::Ne: return "!=";
        case CmpOp::Gt: return ">";
        case CmpOp::Ge: return ">=";
    }
    return "?";
}

[[noreturn]] void unsupported(BinOp op, const Value& a, const Value& b, bool inplace) {
    std::string sym = op == BinOp::Pow ? (inplace ? "**=" : "** or pow()")
                                       : std::string(binop_symbol(op)) + (inplace ? "=" : "");
    raise("TypeError", "unsupported operand type(s) for " + sym + ": '" + type_name(a) + "' and '" +
                           type_name(b) + "'");
}

// ------------------------------------------------------------------ ints
namespace {

bool small(const Value& v) { return v.is_int() || v.is_bool(); }

[[noreturn]] void int_zero_division(BinOp op) {
    raise("ZeroDivisionError", op == BinOp::Mod ? "integer modulo by zero" : "integer division or modulo by zero");
}

// Python's floor division and modulo on int64 (b != 0, and not INT64_MIN / -1).
int64_t floor_div(int64_t a, int64_t b) {
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
    return q;
}
int64_t floor_mod(int64_t a, int64_t b) {
    int64_t r = a % b;
    if (r != 0 && ((r < 0) != (b < 0))) r += b;
    return r;
}

// Refuses results no program in the lab needs (CPython would grind on for minutes).
void check_pow_size(const big::Num& base, uint64_t exp) {
    size_t bits = big::bit_length(base);
    if (bits > 1 && exp > 0 && double(bits - 1) * double(exp) > double(1 << 26))
        raise("MemoryError", "the result of ** would have more than 2**26 bits (the lab's limit)");
}

Value int_pow(Heap& h, const Value& a, const Value& b) {
    big::Num e = big::of(b);
    if (e.neg) return float_binary(h, BinOp::Pow, big::to_double(big::of(a)), big::to_double(e));
    int64_t exp64 = 0;
    if (!big::to_i64(e, exp64)) {
        // Only 0, 1 and -1 survive an exponent beyond int64.
        big::Num base = big::of(a);
        int64_t s = 0;
        if (big::to_i64(base, s) && (s == 0 || s == 1)) return Value::integer(s);
        if (big::to_i64(base, s) && s == -1) return Value::integer((e.mag[0] & 1) ? -1 : 1);
        raise("MemoryError", "the result of ** would have more than 2**26 bits (the lab's limit)");
    }
    auto exp = uint64_t(exp64);
    if (small(a)) {  // square-and-multiply in int64 while it fits
        int64_t result = 1, base = a.as_int();
        uint64_t n = exp;
        bool fits = true;
        while (n && fits) {
            if (n & 1) fits = !__builtin_mul_overflow(result, base, &result);
            n >>= 1;
            if (n && fits) fits = !__builtin_mul_overflow(base, base, &base);
        }
        if (fits) return Value::integer(result);
    }
    big::Num base = big::of(a);
    check_pow_size(base, exp);
    return big::normalize(h, big::pow(base, exp));
}

uint64_t shift_count(const Value& b) {
    big::Num n = big::of(b);
    if (n.neg) raise("ValueError", "negative shift count");
    int64_t c = 0;
    if (!big::to_i64(n, c)) raise("OverflowError", "too many digits in integer");
    return uint64_t(c);
}

Value int_shift(Heap& h, BinOp op, const Value& a, const Value& b) {
    uint64_t n = shift_count(b);
    if (op == BinOp::RShift) {
        if (small(a)) {
            int64_t x = a.as_int();
            return Value::integer(n >= 64 ? (x < 0 ? -1 : 0) : (x >> n));  // >> floors (arithmetic shift)
        }
        return big::normalize(h, big::shift_right(big::of(a), n));
    }
    if (small(a)) {
        int64_t x = a.as_int();
        if (x == 0) return Value::integer(0);
        if (n < 63) {
            int64_t limit = int64_t(1) << (62 - n);  // |x| < 2^(62-n) keeps x << n inside int64
            if (x < limit && x > -limit) return Value::integer(int64_t(uint64_t(x) << n));
        }
    }
    if (n > (uint64_t(1) << 26)) raise("MemoryError", "the result of << would have more than 2**26 bits (the lab's limit)");
    return big::normalize(h, big::shift_left(big::of(a), n));
}

Value int_bitwise(Heap& h, BinOp op, const Value& a, const Value& b) {
    if (small(a) && small(b)) {
        int64_t x = a.as_int(), y = b.as_int();
        int64_t r = op == BinOp::And ? (x & y) : op == BinOp::Or ? (x | y) : (x ^ y);
        if (a.is_bool() && b.is_bool()) return Value::boolean(r != 0);  // True & False is a bool
        return Value::integer(r);
    }
    auto bop = op == BinOp::And ? big::BitOp::And : op == BinOp::Or ? big::BitOp::Or : big::BitOp::Xor;
    return big::normalize(h, big::bitwise(big::of(a), big::of(b), bop));
}

// The int64 fast path of + - * // %; false when the result needs a BigInt.
bool small_arith(BinOp op, int64_t x, int64_t y, int64_t& r) {
    switch (op) {
        case BinOp::Add: return !__builtin_add_overflow(x, y, &r);
        case BinOp::Sub: return !__builtin_sub_overflow(x, y, &r);
        case BinOp::Mul: return !__builtin_mul_overflow(x, y, &r);
        case BinOp::FloorDiv:
            if (y == 0) int_zero_division(op);
            if (x == INT64_MIN && y == -1) return false;
            r = floor_div(x, y);
            return true;
        case BinOp::Mod:
            if (y == 0) int_zero_division(op);
            r = y == -1 ? 0 : floor_mod(x, y);
            return true;
        default: return false;
    }
}

}  // namespace

Value int_binary(Heap& h, BinOp op, const Value& a, const Value& b) {
    if (small(a) && small(b)) {
        int64_t r = 0;
        if (small_arith(op, a.as_int(), b.as_int(), r)) return Value::integer(r);
    }
    switch (op) {
        case BinOp::Add: return big::normalize(h, big::add(big::of(a), big::of(b)));
        case BinOp::Sub: return big::normalize(h, big::sub(big::of(a), big::of(b)));
        case BinOp::Mul: return big::normalize(h, big::mul(big::of(a), big::of(b)));
        case BinOp::FloorDiv:
        case BinOp::Mod: {
            big::Num d = big::of(b);
            if (d.is_zero()) int_zero_division(op);
            big::Num q, r;
            big::floor_divmod(big::of(a), d, q, r);
            return big::normalize(h, op == BinOp::FloorDiv ? std::move(q) : std::move(r));
        }
        case BinOp::TrueDiv:
            if (small(a) && small(b)) {
                int64_t x = a.as_int(), y = b.as_int();
                if (y == 0) raise("ZeroDivisionError", "division by zero");
                const int64_t exact = int64_t(1) << 53;  // both convert exactly: one rounding
                if (x <= exact && x >= -exact && y <= exact && y >= -exact) return Value::real(double(x) / double(y));
            }
            return Value::real(big::true_divide(big::of(a), big::of(b)));
        case BinOp::Pow: return int_pow(h, a, b);
        case BinOp::LShift:
        case BinOp::RShift: return int_shift(h, op, a, b);
        case BinOp::And:
        case BinOp::Or:
        case BinOp::Xor: return int_bitwise(h, op, a, b);
        case BinOp::MatMul: break;
    }
    unsupported(op, a, b, false);
}

Value int_negate(Heap& h, const Value& a) {
    if (small(a) && a.as_int() != INT64_MIN) return Value::integer(-a.as_int());
    return big::normalize(h, big::negate(big::of(a)));
}

Value int_abs(Heap& h, const Value& a) {
    big::Num n = big::of(a);
    if (!n.neg) return small(a) ? Value::integer(a.as_int()) : a;
    return int_negate(h, a);
}

Value float_to_int(Heap& h, double d) {
    if (std::isnan(d)) raise("ValueError", "cannot convert float NaN to integer");
    if (std::isinf(d)) raise("OverflowError", "cannot convert float infinity to integer");
    return big::normalize(h, big::from_double(d));
}

// pow(base, exp, mod) for ints, with a modular inverse for negative exponents (3.8+).
Value int_pow_mod(Heap& h, const Value& base, const Value& exp, const Value& mod) {
    big::Num m = big::of(mod), e = big::of(exp), b = big::of(base);
    if (m.is_zero()) raise("ValueError", "pow() 3rd argument cannot be 0");
    big::Num am = m;
    am.neg = false;
    big::Num q, r;
    big::floor_divmod(b, am, q, r);
    b = r;
    if (e.neg) {
        // The inverse of b modulo |m| by the extended Euclidean algorithm.
        big::Num old_r = b, cur_r = am, old_s = big::from_i64(1), cur_s;
        while (!cur_r.is_zero()) {
            big::floor_divmod(old_r, cur_r, q, r);
            old_r = std::move(cur_r);
            cur_r = std::move(r);
            big::Num next_s = big::sub(old_s, big::mul(q, cur_s));
            old_s = std::move(cur_s);
            cur_s = std::move(next_s);
        }
        if (big::compare(old_r, big::from_i64(1)) != 0) raise("ValueError", "base is not invertible for the given modulus");
        big::floor_divmod(old_s, am, q, r);
        b = r;
        e = big::negate(e);
    }
    big::Num result = big::from_i64(1);
    big::floor_divmod(result, am, q, result);
    while (!e.is_zero()) {
        if (e.mag[0] & 1) big::floor_divmod(big::mul(result, b), am, q, result);
        e = big::shift_right(e, 1);
        if (!e.is_zero()) big::floor_divmod(big::mul(b, b), am, q, b);
    }
    // The result takes the modulus's sign, as Python's % does.
    if (m.neg && !result.is_zero()) result = big::add(result, m);
    return big::normalize(h, std::move(result));
}

// ------------------------------------------------------------------ floats
namespace {

// Objects/floatobject.c float_divmod: floor quotient and modulo with the divisor's sign.
void float_divmod(double vx, double wx, double& floordiv, double& mod) {
    mod = std::fmod(vx, wx);
    double div = (vx - mod) / wx;
    if (mod != 0.0) {
        if ((wx < 0) != (mod < 0)) {
            mod += wx;
            div -= 1.0;
        }
    } else {
        mod = std::copysign(0.0, wx);
    }
    if (div != 0.0) {
        floordiv = std::floor(div);
        if (div - floordiv > 0.5) floordiv += 1.0;
    } else {
        floordiv = std::copysign(0.0, vx / wx);
    }
}

// float ** float as float_pow: the special cases first, then C's pow with its range checked.
double float_pow(double x, double y) {
    if (y == 0.0) return 1.0;
    if (std::isnan(x)) return x;
    if (std::isnan(y)) return x == 1.0 ? 1.0 : y;
    if (x == 0.0 && y < 0.0 && !std::isinf(y))
        raise("ZeroDivisionError", "0.0 cannot be raised to a negative power");
    if (std::isinf(y) || std::isinf(x)) return std::pow(x, y);
    if (x < 0.0 && y != std::floor(y))
        raise("ValueError", "negative number cannot be raised to a fractional power (complex results are outside the lab's Python)");
    double r = std::pow(x, y);
    if (std::isinf(r)) raise("OverflowError", "(34, 'Numerical result out of range')");
    return r;
}

}  // namespace

Value float_binary(Heap& h, BinOp op, double x, double y) {
    switch (op) {
        case BinOp::Add: return Value::real(x + y);
        case BinOp::Sub: return Value::real(x - y);
        case BinOp::Mul: return Value::real(x * y);
        case BinOp::TrueDiv:
            if (y == 0.0) raise("ZeroDivisionError", "float division by zero");
            return Value::real(x / y);
        case BinOp::FloorDiv:
        case BinOp::Mod: {
            if (y == 0.0) raise("ZeroDivisionError", op == BinOp::Mod ? "float modulo" : "float floor division by zero");
            double q = 0, r = 0;
            float_divmod(x, y, q, r);
            return Value::real(op == BinOp::Mod ? r : q);
        }
        case BinOp::Pow: return Value::real(float_pow(x, y));
        default: break;
    }
    unsupported(op, Value::real(x), Value::real(y), false);
}

Value number_divmod(Heap& h, const Value& a, const Value& b) {
    if (!is_number(a) || !is_number(b))
        raise("TypeError", "unsupported operand type(s) for divmod(): '" + type_name(a) + "' and '" + type_name(b) + "'");
    if (a.is_float() || b.is_float()) {
        double x = float_of(a), y = float_of(b);
        if (y == 0.0) raise("ZeroDivisionError", "float divmod()");
        double q = 0, r = 0;
        float_divmod(x, y, q, r);
        return make_tuple(h, {Value::real(q), Value::real(r)});
    }
    if (big::of(b).is_zero()) int_zero_division(BinOp::FloorDiv);
    return make_tuple(h, {int_binary(h, BinOp::FloorDiv, a, b), int_binary(h, BinOp::Mod, a, b)});
}

// ------------------------------------------------------------------ comparing numbers
namespace {

// Compares an int with a finite double exactly: -1, 0 or 1 (CPython's float_richcompare).
int int_vs_double(const Value& i, double d) {
    if (small(i)) {
        int64_t x = i.as_int();
        const int64_t exact = int64_t(1) << 53;
        if (x <= exact && x >= -exact) {
            double dx = double(x);
            return dx < d ? -1 : dx > d ? 1 : 0;
        }
    }
    double fl = std::floor(d);
    int c = big::compare(big::of(i), big::from_double(fl));
    if (c != 0) return c;
    return d > fl ? -1 : 0;  // equal integer parts: a fractional part makes d larger
}

// -1, 0, 1, or 2 when unordered (a nan).
int number_cmp(const Value& a, const Value& b) {
    if (small(a) && small(b)) return a.as_int() < b.as_int() ? -1 : a.as_int() > b.as_int() ? 1 : 0;
    if (a.is_float() && b.is_float()) {
        double x = a.as_float(), y = b.as_float();
        if (std::isnan(x) || std::isnan(y)) return 2;
        return x < y ? -1 : x > y ? 1 : 0;
    }
    if (a.is_float() || b.is_float()) {
        bool flip = a.is_float();
        double d = flip ? a.as_float() : b.as_float();
        const Value& i = flip ? b : a;
        if (std::isnan(d)) return 2;
        int c = std::isinf(d) ? (d > 0 ? -1 : 1) : int_vs_double(i, d);
        return flip ? -c : c;
    }
    return big::compare(big::of(a), big::of(b));
}

bool order_holds(CmpOp op, int c) {
    switch (op) {
        case CmpOp::Lt: return c == -1;
        case CmpOp::Le: return c == -1 || c == 0;
        case CmpOp::Eq: return c == 0;
        case CmpOp::Ne: return c != 0;
        case CmpOp::Gt: return c == 1;
        case CmpOp::Ge: return c == 1 || c == 0;
    }
    return false;
}

}  // namespace

bool numbers_equal(const Value& a, const Value& b) { return number_cmp(a, b) == 0; }
bool numbers_order(CmpOp op, const Value& a, const Value& b) { return order_holds(op, number_cmp(a, b)); }

}  // namespace detail

using namespace detail;

const char* binop_symbol(BinOp op) {
    switch (op) {
        case BinOp::Add: return "+";
        case BinOp::Sub: return "-";
        case BinOp::Mul: return "*";
        case BinOp::TrueDiv: return "/";
        case BinOp::FloorDiv: return "//";
        case BinOp::Mod: return "%";
        case BinOp::Pow: return "**";
        case BinOp::LShift: return "<<";
        case BinOp::RShift: return ">>";
        case BinOp::And: return "&";
        case BinOp::Or: return "|";
        case BinOp::Xor: return "^";
        case BinOp::MatMul: return "@";
    }
    return "?";
}

// ------------------------------------------------------------------ dispatch
Value binary_op(Heap& h, BinOp op, const Value& a, const Value& b, bool inplace) {
    if (is_integer(a) && is_integer(b)) return int_binary(h, op, a, b);
    if (is_number(a) && is_number(b)) {
        bool float_op = op == BinOp::Add || op == BinOp::Sub || op == BinOp::Mul || op == BinOp::TrueDiv ||
                        op == BinOp::FloorDiv || op == BinOp::Mod || op == BinOp::Pow;
        if (!float_op) unsupported(op, a, b, inplace);
        return float_binary(h, op, float_of(a), float_of(b));
    }
    Value out;
    if (sequence_binary(h, op, a, b, inplace, out)) return out;
    unsupported(op, a, b, inplace);
}

Value unary_op(Heap& h, UnOp op, const Value& a) {
    switch (op) {
        case UnOp::Not: return Value::boolean(!truthy(a));
        case UnOp::Neg:
            if (is_integer(a)) return int_negate(h, a);
            if (a.is_float()) return Value::real(-a.as_float());
            raise("TypeError", "bad operand type for unary -: '" + type_name(a) + "'");
        case UnOp::Pos:
            if (is_integer(a)) return a.is_bool() ? Value::integer(a.as_int()) : a;
            if (a.is_float()) return a;
            raise("TypeError", "bad operand type for unary +: '" + type_name(a) + "'");
        case UnOp::Invert:
            // ~x == -x - 1 for every int
            if (is_integer(a)) return int_binary(h, BinOp::Sub, int_negate(h, a), Value::integer(1));
            raise("TypeError", "bad operand type for unary ~: '" + type_name(a) + "'");
    }
    raise("SystemError", "unknown unary operator");
}

bool equal(const Value& a, const Value& b) {
    if (is_number(a) && is_number(b)) return numbers_equal(a, b);
    if (a.same(b)) return !(a.is_float() && std::isnan(a.as_float()));
    if (a.tag() != b.tag()) return false;
    if (!a.is_obj()) return a.tag() == Tag::None || a.tag() == Tag::Null;
    bool result = false;
    if (containers_equal(a, b, result)) return result;
    return false;  // distinct objects without __eq__ compare by identity
}

[[noreturn]] static void unorderable(CmpOp op, const Value& a, const Value& b) {
    raise("TypeError", std::string("'") + cmp_symbol(op) + "' not supported between instances of '" +
                           type_name(a) + "' and '" + type_name(b) + "'");
}

bool detail::order_values(CmpOp op, const Value& a, const Value& b) {
    if (is_number(a) && is_number(b)) return numbers_order(op, a, b);
    bool result = false;
    if (containers_order(op, a, b, result)) return result;
    unorderable(op, a, b);
}

bool less(const Value& a, const Value& b) { return order_values(CmpOp::Lt, a, b); }

Value compare(Heap&, CmpOp op, const Value& a, const Value& b) {
    if (op == CmpOp::Eq) return Value::boolean(equal(a, b));
    if (op == CmpOp::Ne) return Value::boolean(!equal(a, b));
    return Value::boolean(order_values(op, a, b));
}

bool truthy(const Value& v) {
    switch (v.tag()) {
        case Tag::Null:
        case Tag::None: return false;
        case Tag::Bool:
        case Tag::Int: return v.as_int() != 0;
        case Tag::Float: return v.as_float() != 0.0;
        case Tag::Obj: break;
    }
    switch (v.obj()->kind) {
        case Kind::BigInt: return true;  // normalized: never zero
        case Kind::Str:
        case Kind::Bytes:
        case Kind::Tuple:
        case Kind::List:
        case Kind::Dict:
        case Kind::Set:
        case Kind::FrozenSet:
        case Kind::Range: return length(v) != 0;
        default: return true;
    }
}

// ------------------------------------------------------------------ hashing
namespace {

constexpr uint64_t kHashModulus = (uint64_t(1) << 61) - 1;
constexpr int kHashBits = 61;

uint64_t hash_int64(int64_t v) {
    // v mod (2^61 - 1) with v's sign; -1 is reserved (an error in C), so it becomes -2.
    uint64_t m = v < 0 ? ~uint64_t(v) + 1 : uint64_t(v);
    auto x = int64_t(m % kHashModulus);
    if (v < 0) x = -x;
    if (x == -1) x = -2;
    return uint64_t(x);
}

// Python/pyhash.c _Py_HashDouble: equal to the hash of the int when the float is integral.
uint64_t hash_double(double v) {
    if (std::isinf(v)) return uint64_t(v > 0 ? int64_t(314159) : int64_t(-314159));
    if (std::isnan(v)) return 0;
    int e = 0;
    double m = std::frexp(v, &e);
    int sign = 1;
    if (m < 0) {
        sign = -1;
        m = -m;
    }
    uint64_t x = 0;
    while (m != 0.0) {
        x = ((x << 28) & kHashModulus) | x >> (kHashBits - 28);
        m *= 268435456.0;  // 2**28
        e -= 28;
        auto y = uint64_t(m);
        m -= double(y);
        x += y;
        if (x >= kHashModulus) x -= kHashModulus;
    }
    e = e >= 0 ? e % kHashBits : kHashBits - 1 - ((-1 - e) % kHashBits);
    x = ((x << e) & kHashModulus) | x >> (kHashBits - e);
    x = x * uint64_t(int64_t(sign));
    if (x == uint64_t(-1)) x = uint64_t(-2);
    return x;
}

uint64_t hash_bytes(std::string_view s) {  // FNV-1a (CPython's SipHash is randomized per run anyway)
    uint64_t x = 14695981039346656037ull;
    for (unsigned char c : s) x = (x ^ c) * 1099511628211ull;
    if (x == uint64_t(-1)) x = uint64_t(-2);
    return x;
}

// Objects/tupleobject.c tuplehash (xxHash-based), so hash((1, 2)) is CPython's.
uint64_t hash_items(const std::vector<Value>& items) {
    const uint64_t p1 = 11400714785074694791ull, p2 = 14029467366897019727ull, p5 = 2870177450012600261ull;
    uint64_t acc = p5;
    for (const Value& item : items) {
        acc += hash_value(item) * p2;
        acc = (acc << 31) | (acc >> 33);
        acc *= p1;
    }
    acc += uint64_t(items.size()) ^ (p5 ^ 3527539ull);
    if (acc == uint64_t(-1)) return 1546275796;
    return acc;
}

// Objects/setobject.c frozenset_hash: order-independent.
uint64_t hash_frozenset(const Dict& s) {
    uint64_t acc = 0;
    for (const auto& e : s.entries) {
        if (!e.live) continue;
        uint64_t h = e.hash;
        acc ^= ((h ^ 89869747ull) ^ (h << 16)) * 3644798167ull;
    }
    acc ^= (uint64_t(s.used) + 1) * 1927868237ull;
    acc ^= (acc >> 11) ^ (acc >> 25);
    acc = acc * 69069u + 907133923ull;
    if (acc == uint64_t(-1)) acc = 590923713ull;
    return acc;
}

uint64_t hash_pointer(const void* p) {  // Python/pyhash.c _Py_HashPointer: rotate by 4
    auto y = uint64_t(reinterpret_cast<uintptr_t>(p));
    y = (y >> 4) | (y << 60);
    if (y == uint64_t(-1)) y = uint64_t(-2);
    return y;
}

}  // namespace

uint64_t hash_value(const Value& v) {
    switch (v.tag()) {
        case Tag::Null:
        case Tag::None: return 0xFCA86420u;  // a constant, as 3.12's hash(None) is
        case Tag::Bool:
        case Tag::Int: return hash_int64(v.as_int());
        case Tag::Float: return hash_double(v.as_float());
        case Tag::Obj: break;
    }
    Obj* o = v.obj();
    switch (o->kind) {
        case Kind::BigInt: return big::hash(big::of(v));
        case Kind::Str: {
            auto* s = static_cast<Str*>(o);
            if (!s->hashed) {
                s->hash_cache = hash_bytes(s->s);
                s->hashed = true;
            }
            return s->hash_cache;
        }
        case Kind::Bytes: return hash_bytes(static_cast<Bytes*>(o)->b);
        case Kind::Tuple: return hash_items(static_cast<Tuple*>(o)->items);
        case Kind::FrozenSet: return hash_frozenset(*static_cast<Dict*>(o));
        case Kind::Range: {
            auto* r = static_cast<Range*>(o);
            return hash_items({Value::integer(length(v)), Value::integer(r->start), Value::integer(r->step)});
        }
        case Kind::List:
        case Kind::Dict:
        case Kind::Set: raise("TypeError", "unhashable type: '" + type_name(v) + "'");
        default: return hash_pointer(o);
    }
}

}  // namespace gil::vm
