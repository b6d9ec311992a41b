// convert.cpp — int(x), float(x) and the C-level conversions (int64_of, float_of), with
// the inputs CPython accepts (whitespace, underscores, base prefixes, inf/nan) and its
// messages.
#include <cctype>
#include <cmath>
#include <cstdlib>

#include "engine/vm/bigint.h"
#include "engine/vm/ops_internal.h"

namespace gil::vm {
using namespace detail;

namespace {

std::string_view strip(std::string_view s) {
    auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; };
    while (!s.empty() && space(s.front())) s.remove_prefix(1);
    while (!s.empty() && space(s.back())) s.remove_suffix(1);
    return s;
}

// Base 0: the prefix decides (0x, 0o, 0b, else 10; a decimal may not start with 0).
int detect_base(std::string_view s) {
    size_t i = (!s.empty() && (s[0] == '+' || s[0] == '-')) ? 1 : 0;
    if (i + 1 < s.size() && s[i] == '0') {
        char p = char(std::tolower(static_cast<unsigned char>(s[i + 1])));
        if (p == 'x') return 16;
        if (p == 'o') return 8;
        if (p == 'b') return 2;
    }
    return 10;
}

bool leading_zero_decimal(std::string_view s) {  // int('010', 0) is refused; int('000', 0) is 0
    size_t i = (!s.empty() && (s[0] == '+' || s[0] == '-')) ? 1 : 0;
    if (i >= s.size() || s[i] != '0') return false;
    for (; i < s.size(); ++i)
        if (s[i] != '0' && s[i] != '_') return true;
    return false;
}

Value int_from_text(Heap& h, std::string_view text, int base, const Value& original) {
    std::string_view s = strip(text);
    int b = base == 0 ? detect_base(s) : base;
    big::Num n;
    bool ok = !(base == 0 && b == 10 && leading_zero_decimal(s)) && big::from_text(s, b, n);
    if (!ok) raise("ValueError", "invalid literal for int() with base " + std::to_string(base) + ": " + repr(original));
    return big::normalize(h, std::move(n));
}

bool parse_float_text(std::string_view text, double& out) {
    std::string s(strip(text));
    std::string lower;
    for (char c : s) lower += char(std::tolower(static_cast<unsigned char>(c)));
    std::string_view body = lower;
    bool neg = false;
    if (!body.empty() && (body[0] == '+' || body[0] == '-')) {
        neg = body[0] == '-';
        body.remove_prefix(1);
    }
    if (body == "inf" || body == "infinity") {
        out = neg ? -INFINITY : INFINITY;
        return true;
    }
    if (body == "nan") {
        out = neg ? -NAN : NAN;
        return true;
    }
    // Digits, '.', exponent; underscores only between digits; no hex floats or "in"/"na" prefixes.
    std::string clean;
    for (size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '_') {
            bool between = i > 0 && i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i - 1])) &&
                           std::isdigit(static_cast<unsigned char>(s[i + 1]));
            if (!between) return false;
            continue;
        }
        if (!std::isdigit(static_cast<unsigned char>(c)) && c != '.' && c != 'e' && c != 'E' && c != '+' && c != '-')
            return false;
        clean += c;
    }
    if (clean.empty()) return false;
    char* end = nullptr;
    out = std::strtod(clean.c_str(), &end);
    return end == clean.c_str() + clean.size();
}

}  // namespace

Value to_int(Heap& h, const Value& v, int base) {
    bool text = is_kind(v, Kind::Str) || is_kind(v, Kind::Bytes);
    if (base != 10 && !text) raise("TypeError", "int() can't convert non-string with explicit base");
    if (base != 0 && (base < 2 || base > 36)) raise("ValueError", "int() base must be >= 2 and <= 36, or 0");
    if (v.is_bool()) return Value::integer(v.as_int());
    if (is_integer(v)) return v;
    if (v.is_float()) return float_to_int(h, v.as_float());
    if (is_kind(v, Kind::Str)) return int_from_text(h, as<Str>(v)->s, base, v);
    if (is_kind(v, Kind::Bytes)) return int_from_text(h, as<Bytes>(v)->b, base, v);
    raise("TypeError", "int() argument must be a string, a bytes-like object or a real number, not '" + type_name(v) + "'");
}

Value to_float(Heap& h, const Value& v) {
    if (v.is_float()) return v;
    if (is_integer(v)) return Value::real(float_of(v));
    const std::string* text = is_kind(v, Kind::Str) ? &as<Str>(v)->s : is_kind(v, Kind::Bytes) ? &as<Bytes>(v)->b : nullptr;
    if (!text) raise("TypeError", "float() argument must be a string or a real number, not '" + type_name(v) + "'");
    double d = 0;
    if (!parse_float_text(*text, d)) raise("ValueError", "could not convert string to float: " + repr(v));
    return Value::real(d);
}

int64_t int64_of(const Value& v, const char* what) {
    if (v.is_int() || v.is_bool()) return v.as_int();
    if (is_kind(v, Kind::BigInt)) raise("OverflowError", std::string("Python int too large to convert to C ssize_t") + (what && *what ? std::string(" (") + what + ")" : ""));
    raise("TypeError", "'" + type_name(v) + "' object cannot be interpreted as an integer");
}

double float_of(const Value& v) {
    if (v.is_float()) return v.as_float();
    if (v.is_int() || v.is_bool()) return double(v.as_int());
    if (is_kind(v, Kind::BigInt)) return big::to_double(big::of(v));
    raise("TypeError", "must be real number, not " + type_name(v));
}

}  // namespace gil::vm
