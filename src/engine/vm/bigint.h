// bigint.h — arbitrary-size integer arithmetic for ints that leave int64 (internal to
// src/engine/vm). A Num is sign and magnitude in base 2^32, least significant limb first,
// with no leading zero limbs (zero is an empty magnitude, never negative).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/vm/object.h"

namespace gil::vm::big {

struct Num {
    bool neg = false;
    std::vector<uint32_t> mag;
    bool is_zero() const { return mag.empty(); }
};

Num from_i64(int64_t v);
Num from_u64(uint64_t v, bool neg = false);
bool to_i64(const Num& n, int64_t& out);
// Int, Bool or BigInt -> Num (caller checks the kind).
Num of(const Value& v);
bool is_integer(const Value& v);  // Int, Bool or BigInt
// Tag::Int when it fits int64, a BigInt otherwise.
Value normalize(Heap& h, Num n);

int compare(const Num& a, const Num& b);  // -1, 0, 1
Num add(const Num& a, const Num& b);
Num sub(const Num& a, const Num& b);
Num mul(const Num& a, const Num& b);
// Floor division and modulo as Python's (the remainder has the divisor's sign); b != 0.
void floor_divmod(const Num& a, const Num& b, Num& q, Num& r);
Num pow(const Num& base, uint64_t exp);
Num negate(Num a);
Num shift_left(const Num& a, uint64_t bits);
Num shift_right(const Num& a, uint64_t bits);  // floor, as Python's >>
enum class BitOp : uint8_t { And, Or, Xor };
Num bitwise(const Num& a, const Num& b, BitOp op);  // on the infinite two's complement

size_t bit_length(const Num& a);
std::string to_decimal(const Num& a);
std::string to_base(const Num& a, int base);  // digits only (no prefix), lowercase, with '-'
// Digits in `base` (2..36) with an optional sign, underscores between digits allowed.
bool from_text(std::string_view s, int base, Num& out);
inline bool from_decimal(std::string_view s, Num& out) { return from_text(s, 10, out); }
// Correctly rounded; OverflowError "int too large to convert to float".
double to_double(const Num& a);
Num from_double(double d);  // truncates; d finite
// a / b correctly rounded (long_true_divide); ZeroDivisionError / OverflowError as CPython.
double true_divide(const Num& a, const Num& b);
// hash(int): the value modulo 2^61 - 1 with its sign, -1 becoming -2 (as CPython).
uint64_t hash(const Num& a);

}  // namespace gil::vm::big
