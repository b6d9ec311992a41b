// format.cpp — values as text: repr() and str() of every built-in type (CPython's quote
// choice and escapes, containers that contain themselves), the shortest round-trip
// float repr, and format(v, spec) with the format-spec mini-language.
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "engine/py/bytecode.h"
#include "engine/vm/bigint.h"
#include "engine/vm/ops_internal.h"
#include "engine/vm/vm_internal.h"

namespace gil::vm {
using namespace detail;

// ------------------------------------------------------------------ floats
namespace {

// The shortest digits that read back as d, and the decimal point's position:
// |d| = 0.DIGITS * 10^decpt.
void shortest_digits(double d, std::string& digits, int& decpt) { py::shortest_digits(std::fabs(d), digits, decpt); }

std::string exponent_text(int exp) {  // Python writes at least two exponent digits: e+05
    std::string s = std::to_string(exp < 0 ? -exp : exp);
    if (s.size() < 2) s = "0" + s;
    return (exp < 0 ? "e-" : "e+") + s;
}

}  // namespace

std::string float_repr(double d) {
    if (std::isnan(d)) return "nan";
    if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
    std::string sign = std::signbit(d) ? "-" : "";
    if (d == 0.0) return sign + "0.0";
    std::string digits;
    int decpt = 0;
    shortest_digits(d, digits, decpt);
    auto n = int(digits.size());
    // repr's rule (format code 'r'): positional for 1e-4 <= |d| < 1e16, else exponent.
    if (decpt > -4 && decpt <= 16) {
        if (decpt <= 0) return sign + "0." + std::string(size_t(-decpt), '0') + digits;
        if (decpt >= n) return sign + digits + std::string(size_t(decpt - n), '0') + ".0";
        return sign + digits.substr(0, size_t(decpt)) + "." + digits.substr(size_t(decpt));
    }
    std::string mant = digits.substr(0, 1);
    if (n > 1) mant += "." + digits.substr(1);
    return sign + mant + exponent_text(decpt - 1);
}

// ------------------------------------------------------------------ str and bytes repr
namespace {

// Code points str.isprintable() rejects, approximately (controls, separators, format
// characters, surrogates, private use, noncharacters): repr escapes them.
bool printable(uint32_t cp) {
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0xA0) || cp == 0xAD) return false;
    if ((cp >= 0x2000 && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202F) || (cp >= 0x205F && cp <= 0x206F)) return false;
    if (cp == 0x3000 || cp == 0xFEFF || (cp >= 0xD800 && cp <= 0xF8FF) || (cp >= 0xFFF9 && cp <= 0xFFFB)) return false;
    if ((cp & 0xFFFE) == 0xFFFE || cp >= 0xF0000) return false;
    return true;
}

std::string hex_escape(const char* prefix, uint32_t v, int width) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%s%0*x", prefix, width, v);
    return buf;
}

// ' unless the text has a ' and no " (CPython's choice for both str and bytes).
char quote_for(std::string_view s) {
    bool single = s.find('\'') != std::string_view::npos, dbl = s.find('"') != std::string_view::npos;
    return single && !dbl ? '"' : '\'';
}

bool common_escape(uint32_t c, char quote, std::string& out) {
    switch (c) {
        case '\\': out += "\\\\"; return true;
        case '\n': out += "\\n"; return true;
        case '\r': out += "\\r"; return true;
        case '\t': out += "\\t"; return true;
        default:
            if (c == uint32_t(quote)) {
                out += '\\';
                out += quote;
                return true;
            }
            return false;
    }
}

std::string str_repr(std::string_view s) {
    char quote = quote_for(s);
    std::string out(1, quote);
    for (size_t pos = 0; pos < s.size();) {
        size_t start = pos;
        uint32_t cp = utf8_decode(s, pos);
        if (common_escape(cp, quote, out)) continue;
        if (printable(cp)) out.append(s.substr(start, pos - start));
        else if (cp < 0x100) out += hex_escape("\\x", cp, 2);
        else if (cp < 0x10000) out += hex_escape("\\u", cp, 4);
        else out += hex_escape("\\U", cp, 8);
    }
    return out + quote;
}

std::string bytes_repr(std::string_view b) {
    char quote = quote_for(b);
    std::string out = "b";
    out += quote;
    for (unsigned char c : b) {
        if (common_escape(c, quote, out)) continue;
        if (c < 0x20 || c >= 0x7F) out += hex_escape("\\x", c, 2);
        else out += char(c);
    }
    return out + quote;
}

std::string int_text(const Value& v) {
    if (!is_kind(v, Kind::BigInt)) return std::to_string(v.as_int());
    big::Num n = big::of(v);
    // CPython's int_max_str_digits (3.11, backported to 3.9.14 and 3.10.7): 4300 digits.
    if (double(big::bit_length(n)) * 0.30103 > 4301.0)
        raise("ValueError", "Exceeds the limit (4300 digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit");
    std::string s = big::to_decimal(n);
    if (s.size() - (n.neg ? 1 : 0) > 4300)
        raise("ValueError", "Exceeds the limit (4300 digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit");
    return s;
}

// ------------------------------------------------------------------ container repr
// Containers being printed on this thread, so a list that contains itself prints [...].
thread_local std::vector<const Obj*> repr_stack;

struct ReprGuard {
    bool recursive;
    explicit ReprGuard(const Obj* o) {
        recursive = false;
        for (const Obj* p : repr_stack) recursive |= p == o;
        if (!recursive) repr_stack.push_back(o);
    }
    ~ReprGuard() {
        if (!recursive) repr_stack.pop_back();
    }
};

std::string join_items(const std::vector<Value>& items) {
    std::string out;
    for (size_t i = 0; i < items.size(); ++i) {
        if (i) out += ", ";
        out += repr(items[i]);
    }
    return out;
}

std::string dict_repr(const Dict& d) {
    std::string out = "{";
    bool first = true;
    for (const auto& e : d.entries) {
        if (!e.live) continue;
        if (!first) out += ", ";
        first = false;
        out += repr(e.key);
        if (d.kind == Kind::Dict) out += ": " + repr(e.value);
    }
    return out + "}";
}

std::string set_repr(const Dict& s) {
    bool frozen = s.kind == Kind::FrozenSet;
    if (s.used == 0) return frozen ? "frozenset()" : "set()";
    return frozen ? "frozenset(" + dict_repr(s) + ")" : dict_repr(s);
}

std::string address(const void* p) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%p", p);
    return buf;
}

std::string at(const std::string& what, const Obj* o) { return "<" + what + " at " + address(o) + ">"; }

std::string object_repr(const Value& v) {
    Obj* o = v.obj();
    switch (o->kind) {
        case Kind::BigInt: return int_text(v);
        case Kind::Str: return str_repr(static_cast<Str*>(o)->s);
        case Kind::Bytes: return bytes_repr(static_cast<Bytes*>(o)->b);
        case Kind::Tuple: {
            ReprGuard g(o);
            if (g.recursive) return "(...)";
            auto& items = static_cast<Tuple*>(o)->items;
            return "(" + join_items(items) + (items.size() == 1 ? ",)" : ")");
        }
        case Kind::List: {
            ReprGuard g(o);
            return g.recursive ? "[...]" : "[" + join_items(static_cast<List*>(o)->items) + "]";
        }
        case Kind::Dict: {
            ReprGuard g(o);
            return g.recursive ? "{...}" : dict_repr(*static_cast<Dict*>(o));
        }
        case Kind::Set:
        case Kind::FrozenSet: {
            ReprGuard g(o);
            return g.recursive ? type_name(v) + "(...)" : set_repr(*static_cast<Dict*>(o));
        }
        case Kind::Range: {
            auto* r = static_cast<Range*>(o);
            std::string s = "range(" + std::to_string(r->start) + ", " + std::to_string(r->stop);
            return s + (r->step == 1 ? ")" : ", " + std::to_string(r->step) + ")");
        }
        case Kind::Slice: {
            auto* s = static_cast<Slice*>(o);
            return "slice(" + repr(s->start) + ", " + repr(s->stop) + ", " + repr(s->step) + ")";
        }
        case Kind::Class: {
            auto* c = static_cast<Class*>(o);
            std::string name = c->qualname.empty() ? c->name : c->qualname;
            return "<class '" + (c->module == "builtins" ? name : c->module + "." + name) + "'>";
        }
        case Kind::Instance: {
            auto* c = as_kind<Class>(static_cast<Instance*>(o)->cls, Kind::Class);
            std::string name = c ? (c->qualname.empty() ? c->name : c->qualname) : "object";
            return at("<" + (c ? c->module + "." : std::string()) + name + " object", o).substr(1);
        }
        case Kind::Function: return at("function " + static_cast<Function*>(o)->qualname, o);
        case Kind::Builtin: return "<built-in function " + static_cast<Builtin*>(o)->name + ">";
        case Kind::BoundMethod: {
            auto* m = static_cast<BoundMethod*>(o);
            std::string name = is_kind(m->func, Kind::Function) ? as<Function>(m->func)->qualname
                             : is_kind(m->func, Kind::Builtin) ? as<Builtin>(m->func)->name : "?";
            return "<bound method " + name + " of " + repr(m->self) + ">";
        }
        case Kind::Module: return "<module '" + static_cast<Module*>(o)->name + "'>";
        case Kind::Cell: return at("cell", o);
        default: return at(type_name(v) + " object", o);
    }
}

}  // namespace

std::string repr(const Value& v) {
    switch (v.tag()) {
        case Tag::Null: return "<NULL>";
        case Tag::None: return "None";
        case Tag::Bool: return v.as_int() ? "True" : "False";
        case Tag::Int: return std::to_string(v.as_int());
        case Tag::Float: return float_repr(v.as_float());
        case Tag::Obj: return object_repr(v);
    }
    return "?";
}

std::string str(const Value& v) {
    if (auto* s = as_kind<Str>(v, Kind::Str); s) return s->s;
    return repr(v);
}

// ------------------------------------------------------------------ format()
namespace {

struct Spec {
    char fill = ' ', align = 0, sign = 0, grouping = 0, type = 0;  // sign 0: none given
    bool alt = false, zero = false, z = false;
    int width = -1, precision = -1;
};

int parse_number(std::string_view s, size_t& i) {
    int n = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
        if (n > 100'000'000) raise("ValueError", "Too many decimal digits in format string");
        n = n * 10 + (s[i++] - '0');
    }
    return n;
}

bool is_align(char c) { return c == '<' || c == '>' || c == '^' || c == '='; }

Spec parse_spec(std::string_view s) {
    Spec sp;
    size_t i = 0;
    // The fill may be any code point; take its UTF-8 bytes (only ASCII fills are kept whole).
    if (s.size() >= 2 && is_align(s[1])) {
        sp.fill = s[0];
        sp.align = s[1];
        i = 2;
    } else if (!s.empty() && is_align(s[0])) {
        sp.align = s[0];
        i = 1;
    }
    if (i < s.size() && (s[i] == '+' || s[i] == '-' || s[i] == ' ')) sp.sign = s[i++];
    if (i < s.size() && s[i] == 'z') { sp.z = true; ++i; }
    if (i < s.size() && s[i] == '#') { sp.alt = true; ++i; }
    // '0' before the width: zero fill (after the sign for numbers) unless a fill is given.
    if (i < s.size() && s[i] == '0') { sp.zero = sp.align == 0; ++i; }
    if (i < s.size() && s[i] >= '0' && s[i] <= '9') sp.width = parse_number(s, i);
    if (i < s.size() && (s[i] == ',' || s[i] == '_')) sp.grouping = s[i++];
    if (i < s.size() && s[i] == '.') {
        ++i;
        if (i >= s.size() || s[i] < '0' || s[i] > '9') raise("ValueError", "Format specifier missing precision");
        sp.precision = parse_number(s, i);
    }
    if (i < s.size()) sp.type = s[i++];
    if (i < s.size()) raise("ValueError", "Invalid format specifier '" + std::string(s) + "' for object of type '%'");
    return sp;
}

// Pads `body` (sign separate, for '=') to the width.
std::string pad(const Spec& sp, const std::string& sign, const std::string& body, char default_align) {
    char align = sp.align ? sp.align : default_align;
    size_t len = utf8_length(sign) + utf8_length(body);
    if (sp.width < 0 || len >= size_t(sp.width)) return sign + body;
    size_t fill = size_t(sp.width) - len;
    std::string f(1, sp.fill);
    auto fills = [&](size_t n) {
        std::string out;
        for (size_t k = 0; k < n; ++k) out += f;
        return out;
    };
    switch (align) {
        case '<': return sign + body + fills(fill);
        case '^': return fills(fill / 2) + sign + body + fills(fill - fill / 2);
        case '=': return sign + fills(fill) + body;
        default: return fills(fill) + sign + body;
    }
}

// Inserts the separator every `every` digits from the right of the integer digits.
std::string group(const std::string& digits, char sep, int every) {
    std::string out;
    int count = 0;
    for (size_t i = digits.size(); i-- > 0;) {
        if (count && count % every == 0) out += sep;
        out += digits[i];
        ++count;
    }
    return std::string(out.rbegin(), out.rend());
}

// Grouping with '0' padding: the zeros are grouped too, as CPython does (format(1, '08,')).
std::string group_padded(const Spec& sp, const std::string& sign, std::string digits, const std::string& rest, int every) {
    if (!sp.grouping) return pad(sp, sign, digits + rest, '>');
    std::string grouped = group(digits, sp.grouping, every);
    if (sp.fill == '0' && sp.align == '=' && sp.width > 0) {
        while (int(utf8_length(sign) + grouped.size() + rest.size()) < sp.width) {
            digits = "0" + digits;
            grouped = group(digits, sp.grouping, every);
        }
    }
    return pad(sp, sign, grouped + rest, '>');
}

std::string sign_text(const Spec& sp, bool negative) {
    if (negative) return "-";
    return sp.sign == '+' ? "+" : sp.sign == ' ' ? " " : "";
}

[[noreturn]] void unknown_code(char type, const Value& v) {
    raise("ValueError", std::string("Unknown format code '") + type + "' for object of type '" + type_name(v) + "'");
}

std::string format_float(double d, const Spec& spec, const Value& original);

// Numbers: '0' means fill with zeros between the sign and the digits.
Spec numeric(Spec sp) {
    if (sp.zero) {
        sp.fill = '0';
        sp.align = '=';
    }
    return sp;
}

std::string format_int(const Value& v, Spec sp) {
    char t = sp.type ? sp.type : 'd';
    if (t == 'e' || t == 'E' || t == 'f' || t == 'F' || t == 'g' || t == 'G' || t == '%')
        return format_float(big::to_double(big::of(v)), sp, v);
    if (sp.precision >= 0) raise("ValueError", "Precision not allowed in integer format specifier");
    sp = numeric(sp);
    big::Num n = big::of(v);
    if (t == 'c') {
        int64_t cp = 0;
        if (!big::to_i64(n, cp)) raise("OverflowError", "Python int too large to convert to C long");
        if (cp < 0 || cp > 0x10FFFF) raise("OverflowError", "%c arg not in range(0x110000)");
        return pad(sp, "", utf8_encode(uint32_t(cp)), '>');
    }
    int base = t == 'b' ? 2 : t == 'o' ? 8 : (t == 'x' || t == 'X') ? 16 : 10;
    if (base == 10 && t != 'd' && t != 'n') unknown_code(t, v);
    bool neg = n.neg;
    n.neg = false;
    std::string digits = base == 10 ? int_text(v) : big::to_base(n, base);
    if (base == 10 && neg) digits.erase(0, 1);
    if (t == 'X')
        for (auto& c : digits) c = char(std::toupper(static_cast<unsigned char>(c)));
    std::string sign = sign_text(sp, neg);
    if (sp.alt && base != 10) sign += base == 2 ? "0b" : base == 8 ? "0o" : t == 'X' ? "0X" : "0x";
    return group_padded(sp, sign, digits, "", base == 10 ? 3 : 4);
}

// No type and a precision: 'g', but integral results keep ".0" and, as CPython's
// Py_DTSF_ADD_DOT_0 does, switch to an exponent one digit earlier (format(3.1, '.1') is '3e+00').
std::string general_with_dot(double d, int p, bool alt) {
    char buf[512];
    std::snprintf(buf, sizeof buf, "%.*e", p - 1, d);
    int decpt = std::atoi(std::strchr(buf, 'e') + 1) + 1;
    auto trim = [alt](std::string s) {
        if (alt || s.find('.') == std::string::npos) return s;
        while (s.back() == '0') s.pop_back();
        if (s.back() == '.') s.pop_back();
        return s;
    };
    if (decpt <= -4 || decpt > p - 1) {
        std::string text = buf;
        size_t e = text.find('e');
        return trim(text.substr(0, e)) + text.substr(e);
    }
    std::snprintf(buf, sizeof buf, "%.*f", p - decpt, d);
    std::string s = trim(buf);
    if (s.find('.') == std::string::npos) s += ".0";
    return s;
}

// The digits of d for one of e E f F g G % (and none with a precision), without the sign.
std::string float_body(double d, char t, int precision, bool alt) {
    char buf[512];
    if (t == 'n') t = 'g';
    if (t == '%') {
        d *= 100;
        t = 'f';
    }
    if (std::isinf(d) || std::isnan(d)) {
        std::string s = std::isnan(d) ? "nan" : "inf";
        if (t == 'E' || t == 'F' || t == 'G')
            for (auto& c : s) c = char(std::toupper(static_cast<unsigned char>(c)));
        return s;
    }
    if (t == 0) return general_with_dot(d, precision == 0 ? 1 : precision, alt);
    const char* fmt = alt ? "%#.*e" : "%.*e";
    if (t == 'E') fmt = alt ? "%#.*E" : "%.*E";
    if (t == 'f' || t == 'F') fmt = alt ? "%#.*f" : "%.*f";
    if (t == 'g') fmt = alt ? "%#.*g" : "%.*g";
    if (t == 'G') fmt = alt ? "%#.*G" : "%.*G";
    if ((t == 'g' || t == 'G') && precision == 0) precision = 1;
    if (t == 'f' && std::fabs(d) >= 1e300) {  // huge fixed output: no fixed buffer
        std::vector<char> big(size_t(precision) + 400);
        std::snprintf(big.data(), big.size(), fmt, precision, d);
        return big.data();
    }
    std::snprintf(buf, sizeof buf, fmt, precision, d);
    return buf;
}

std::string format_float(double d, const Spec& spec, const Value& original) {
    Spec sp = numeric(spec);
    char t = sp.type;
    if (t && t != 'e' && t != 'E' && t != 'f' && t != 'F' && t != 'g' && t != 'G' && t != 'n' && t != '%')
        unknown_code(t, original);
    bool neg = std::signbit(d) && !std::isnan(d);
    if (sp.z && neg) {  // 'z' (3.11): a negative zero after rounding prints as zero
        std::string probe = float_body(-d, t, sp.precision < 0 ? 6 : sp.precision, false);
        if (probe.find_first_not_of("0.e+-%") == std::string::npos) neg = false;
    }
    double a = std::fabs(d);
    std::string body;
    if (!t && sp.precision < 0) {
        body = float_repr(a);
    } else {
        body = float_body(a, t, sp.precision < 0 ? 6 : sp.precision, sp.alt);
    }
    if (t == '%') body += '%';
    // Grouping applies to the integer digits only.
    size_t int_end = body.find_first_not_of("0123456789");
    if (int_end == std::string::npos) int_end = body.size();
    if (std::isinf(a) || std::isnan(a)) int_end = 0;
    return group_padded(sp, sign_text(sp, neg), body.substr(0, int_end), body.substr(int_end), 3);
}

std::string format_str(const std::string& s, Spec sp, const Value& v) {
    if (sp.zero) sp.fill = '0';  // strings: zero fill, still left-aligned
    if (sp.type && sp.type != 's') unknown_code(sp.type, v);
    if (sp.sign == ' ') raise("ValueError", "Space not allowed in string format specifier");
    if (sp.sign) raise("ValueError", "Sign not allowed in string format specifier");
    if (sp.alt) raise("ValueError", "Alternate form (#) not allowed in string format specifier");
    if (sp.grouping) raise("ValueError", std::string("Cannot specify '") + sp.grouping + "' with 's'.");
    if (sp.align == '=') raise("ValueError", "'=' alignment not allowed in string format specifier");
    std::string body = s;
    if (sp.precision >= 0) body = s.substr(0, utf8_offset(s, size_t(sp.precision)));
    return pad(sp, "", body, '<');
}

}  // namespace

std::string format(const Value& v, std::string_view spec) {
    if (spec.empty()) return str(v);
    // bool formats as an int once there is a spec: format(True, '^6') == '  1   '.
    if (is_integer(v)) return format_int(v, parse_spec(spec));
    if (v.is_float()) return format_float(v.as_float(), parse_spec(spec), v);
    if (is_kind(v, Kind::Str)) return format_str(as<Str>(v)->s, parse_spec(spec), v);
    raise("TypeError", "unsupported format string passed to " + type_name(v) + ".__format__");
}

}  // namespace gil::vm
