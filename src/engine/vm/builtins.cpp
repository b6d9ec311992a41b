// builtins.cpp — the pure builtins (no threads, no time, no I/O): len abs min max sum
// sorted reversed round divmod pow repr str int float bool list tuple dict set frozenset
// enumerate zip range hash chr ord any all isinstance, on materialized arguments.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <unordered_map>

#include "engine/vm/bigint.h"
#include "engine/vm/ops_internal.h"
#include "engine/vm/vm_internal.h"

namespace gil::vm {
using namespace detail;

namespace {

using Args = std::vector<Value>;
using Kwargs = std::vector<std::pair<std::string, Value>>;
using Fn = Value (*)(Heap&, Args&, const Kwargs&);

void arg_count(const char* name, const Args& a, size_t lo, size_t hi) {
    if (a.size() >= lo && a.size() <= hi) return;
    std::string n = name;
    if (lo == hi)
        raise("TypeError", lo == 1 ? n + "() takes exactly one argument (" + std::to_string(a.size()) + " given)"
                                   : n + " expected " + std::to_string(lo) + " arguments, got " + std::to_string(a.size()));
    if (a.size() < lo)
        raise("TypeError", n + " expected at least " + std::to_string(lo) + " argument" + (lo == 1 ? "" : "s") + ", got " +
                               std::to_string(a.size()));
    raise("TypeError", n + " expected at most " + std::to_string(hi) + " argument" + (hi == 1 ? "" : "s") + ", got " +
                           std::to_string(a.size()));
}

void no_kwargs(const char* name, const Kwargs& kw) {
    if (!kw.empty()) raise("TypeError", std::string(name) + "() takes no keyword arguments");
}

// The value of keyword `key` (None when absent); any other keyword is refused.
Value kwarg(const char* fn, const Kwargs& kw, std::initializer_list<const char*> allowed, const char* key) {
    Value out;
    for (auto& [k, v] : kw) {
        bool known = false;
        for (const char* a : allowed) known |= k == a;
        if (!known) raise("TypeError", "'" + k + "' is an invalid keyword argument for " + fn + "()");
        if (k == key) out = v;
    }
    return out;
}

void key_is_none(const char* fn, const Value& key) {
    if (!key.is_none()) raise("TypeError", std::string(fn) + "(): key= is handled by the interpreter, not the pure runtime");
}

Value b_len(Heap&, Args& a, const Kwargs& kw) {
    no_kwargs("len", kw);
    arg_count("len", a, 1, 1);
    return Value::integer(length(a[0]));
}

Value b_abs(Heap& h, Args& a, const Kwargs& kw) {
    no_kwargs("abs", kw);
    arg_count("abs", a, 1, 1);
    if (is_integer(a[0])) return int_abs(h, a[0]);
    if (a[0].is_float()) return Value::real(std::fabs(a[0].as_float()));
    raise("TypeError", "bad operand type for abs(): '" + type_name(a[0]) + "'");
}

Value min_max(Heap& h, Args& a, const Kwargs& kw, bool is_max) {
    const char* name = is_max ? "max" : "min";
    key_is_none(name, kwarg(name, kw, {"key", "default"}, "key"));
    Value dflt = Value::null();
    for (auto& [k, v] : kw)
        if (k == "default") dflt = v;
    if (a.empty()) raise("TypeError", std::string(name) + " expected at least 1 argument, got 0");
    if (a.size() > 1 && !dflt.is_null())
        raise("TypeError", std::string("Cannot specify a default for ") + name + "() with multiple positional arguments");
    std::vector<Value> items = a.size() == 1 ? collect(h, a[0]) : a;
    if (items.empty()) {
        if (!dflt.is_null()) return dflt;
        raise("ValueError", std::string(name) + "() iterable argument is empty");
    }
    Value best = items[0];
    // The first of equal extremes wins, as CPython (it replaces only on a strict > or <).
    for (size_t i = 1; i < items.size(); ++i)
        if (truthy(compare(h, is_max ? CmpOp::Gt : CmpOp::Lt, items[i], best))) best = items[i];
    return best;
}
Value b_min(Heap& h, Args& a, const Kwargs& kw) { return min_max(h, a, kw, false); }
Value b_max(Heap& h, Args& a, const Kwargs& kw) { return min_max(h, a, kw, true); }

// sum() as 3.12's builtin_sum_impl: ints add exactly; once the total is a float, floats
// are added with Neumaier's compensated summation.
Value b_sum(Heap& h, Args& a, const Kwargs& kw) {
    Value start = kwarg("sum", kw, {"start"}, "start");
    arg_count("sum", a, 1, 2);
    Value total = a.size() == 2 ? a[1] : (kw.empty() ? Value::integer(0) : start);
    if (is_kind(total, Kind::Str)) raise("TypeError", "sum() can't sum strings [use ''.join(seq) instead]");
    if (is_kind(total, Kind::Bytes)) raise("TypeError", "sum() can't sum bytes [use b''.join(seq) instead]");
    std::vector<Value> items = collect(h, a[0]);
    size_t i = 0;
    while (i < items.size()) {
        if (total.is_float()) {
            double f = total.as_float(), c = 0.0;
            for (; i < items.size(); ++i) {
                const Value& x = items[i];
                if (x.is_float()) {
                    double y = x.as_float(), t = f + y;
                    c += std::fabs(f) >= std::fabs(y) ? (f - t) + y : (y - t) + f;
                    f = t;
                } else if (x.is_int() || x.is_bool()) {
                    f += double(x.as_int());
                } else {
                    break;
                }
            }
            if (c != 0.0 && std::isfinite(c)) f += c;
            total = Value::real(f);
            if (i == items.size()) break;
        }
        total = binary_op(h, BinOp::Add, total, items[i++]);
    }
    return total;
}

Value b_sorted(Heap& h, Args& a, const Kwargs& kw) {
    key_is_none("sorted", kwarg("sorted", kw, {"key", "reverse"}, "key"));
    if (a.size() != 1) raise("TypeError", "sorted expected 1 argument, got " + std::to_string(a.size()));
    std::vector<Value> items = collect(h, a[0]);
    sort_values(items, truthy(kwarg("sorted", kw, {"key", "reverse"}, "reverse")));
    return make_list(h, std::move(items));
}

Value b_reversed(Heap& h, Args& a, const Kwargs& kw) {
    no_kwargs("reversed", kw);
    arg_count("reversed", a, 1, 1);
    const Value& v = a[0];
    if (auto* r = as_kind<Range>(v, Kind::Range); r) {
        auto* it = new Iterator(Iterator::Of::Range);
        int64_t n = length(v);
        it->cur = r->start + (n - 1) * r->step;  // the last value, going back by step
        it->step = -r->step;
        it->stop = r->start - r->step;
        if (n == 0) it->cur = it->stop;
        return Value::object(h.adopt(it));
    }
    Value source = v;
    if (is_kind(v, Kind::Str)) source = make_list(h, collect(h, v));
    if (!items_of(source)) raise("TypeError", "'" + type_name(v) + "' object is not reversible");
    auto* it = new Iterator(Iterator::Of::Reversed);
    it->source = source;
    it->pos = items_of(source)->size();
    return Value::object(h.adopt(it));
}

Value round_int(Heap& h, const Value& x, int64_t ndigits) {
    if (ndigits >= 0) return x;
    if (ndigits < -4400) return Value::integer(0);
    // Round half to even at 10^-ndigits, exactly.
    big::Num p = big::pow(big::from_i64(10), uint64_t(-ndigits)), q, r;
    big::floor_divmod(big::of(x), p, q, r);
    int c = big::compare(big::mul(r, big::from_i64(2)), p);
    if (c > 0 || (c == 0 && !q.is_zero() && (q.mag[0] & 1))) q = big::add(q, big::from_i64(1));
    return big::normalize(h, big::mul(q, p));
}

double round_double(double x, int64_t ndigits) {
    if (!std::isfinite(x) || x == 0.0) return x;
    if (ndigits > 323) return x;
    if (ndigits < -308) return std::copysign(0.0, x);
    if (ndigits >= 0) {
        // printf rounds the exact binary value, ties to even, as CPython's dtoa-based round.
        std::vector<char> buf(size_t(ndigits) + 400);
        std::snprintf(buf.data(), buf.size(), "%.*f", int(ndigits), x);
        return std::strtod(buf.data(), nullptr);
    }
    double p = std::pow(10.0, double(-ndigits));
    double y = std::nearbyint(x / p) * p;
    return std::isinf(y) ? std::copysign(0.0, x) : y;
}

Value b_round(Heap& h, Args& a, const Kwargs& kw) {
    Value nd = kwarg("round", kw, {"ndigits"}, "ndigits");
    arg_count("round", a, 1, 2);
    if (a.size() == 2) nd = a[1];
    const Value& x = a[0];
    if (!is_number(x)) raise("TypeError", "type " + type_name(x) + " doesn't define __round__ method");
    if (nd.is_none()) {
        if (x.is_float()) return float_to_int(h, std::nearbyint(x.as_float()));  // ties to even
        return x.is_bool() ? Value::integer(x.as_int()) : x;
    }
    if (!is_integer(nd)) raise("TypeError", "'" + type_name(nd) + "' object cannot be interpreted as an integer");
    int64_t n = is_kind(nd, Kind::BigInt) ? (big::of(nd).neg ? INT64_MIN / 2 : INT64_MAX / 2) : nd.as_int();
    if (x.is_float()) return Value::real(round_double(x.as_float(), n));
    return round_int(h, x.is_bool() ? Value::integer(x.as_int()) : x, n);
}

Value b_divmod(Heap& h, Args& a, const Kwargs& kw) {
    no_kwargs("divmod", kw);
    arg_count("divmod", a, 2, 2);
    return number_divmod(h, a[0], a[1]);
}

Value b_pow(Heap& h, Args& a, const Kwargs& kw) {
    arg_count("pow", a, kw.empty() ? 2 : 0, 3);
    Args all = a;
    for (auto& [k, v] : kw) {
        if (k == "base" && all.size() == 0) all.push_back(v);
        else if (k == "exp" && all.size() == 1) all.push_back(v);
        else if (k == "mod") all.resize(3), all[2] = v;
        else raise("TypeError", "'" + k + "' is an invalid keyword argument for pow()");
    }
    if (all.size() == 2 || (all.size() == 3 && all[2].is_none())) return binary_op(h, BinOp::Pow, all[0], all[1]);
    if (!is_integer(all[0]) || !is_integer(all[1]) || !is_integer(all[2]))
        raise("TypeError", "pow() 3rd argument not allowed unless all arguments are integers");
    return int_pow_mod(h, all[0], all[1], all[2]);
}

Value b_repr(Heap& h, Args& a, const Kwargs& kw) {
    no_kwargs("repr", kw);
    arg_count("repr", a, 1, 1);
    return make_str(h, repr(a[0]));
}

Value b_str(Heap& h, Args& a, const Kwargs& kw) {
    no_kwargs("str", kw);
    if (a.empty()) return make_str(h, "");
    arg_count("str", a, 1, 1);
    if (is_kind(a[0], Kind::Str)) return a[0];
    return make_str(h, str(a[0]));
}

Value b_int(Heap& h, Args& a, const Kwargs& kw) {
    Value base = kwarg("int", kw, {"base"}, "base");
    if (a.size() > 2) raise("TypeError", "int() takes at most 2 arguments (" + std::to_string(a.size()) + " given)");
    if (a.size() == 2) base = a[1];
    if (a.empty()) {
        if (!base.is_none()) raise("TypeError", "int() missing string argument");
        return Value::integer(0);
    }
    return to_int(h, a[0], base.is_none() ? 10 : int(int64_of(base, "base")));
}

Value b_float(Heap& h, Args& a, const Kwargs& kw) {
    no_kwargs("float", kw);
    if (a.empty()) return Value::real(0.0);
    arg_count("float", a, 1, 1);
    return to_float(h, a[0]);
}

Value b_bool(Heap&, Args& a, const Kwargs& kw) {
    no_kwargs("bool", kw);
    if (a.empty()) return Value::boolean(false);
    arg_count("bool", a, 1, 1);
    return Value::boolean(truthy(a[0]));
}

Value b_list(Heap& h, Args& a, const Kwargs& kw) {
    no_kwargs("list", kw);
    if (a.empty()) return make_list(h, {});
    arg_count("list", a, 1, 1);
    return make_list(h, collect(h, a[0]));
}

Value b_tuple(Heap& h, Args& a, const Kwargs& kw) {
    no_kwargs("tuple", kw);
    if (a.empty()) return make_tuple(h, {});
    arg_count("tuple", a, 1, 1);
    if (is_kind(a[0], Kind::Tuple)) return a[0];
    return make_tuple(h, collect(h, a[0]));
}

// dict(mapping_or_pairs, **kwargs)
Value b_dict(Heap& h, Args& a, const Kwargs& kw) {
    if (a.size() > 1) raise("TypeError", "dict expected at most 1 argument, got " + std::to_string(a.size()));
    Value out = make_dict(h);
    auto& d = *as<Dict>(out);
    if (a.size() == 1) {
        if (auto* src = as_kind<Dict>(a[0], Kind::Dict); src) {
            for (auto& e : src->entries)
                if (e.live) dict_set(d, e.key, e.value);
        } else {
            std::vector<Value> pairs = collect(h, a[0]);
            for (size_t i = 0; i < pairs.size(); ++i) {
                std::vector<Value> kv = collect(h, pairs[i]);
                if (kv.size() != 2)
                    raise("ValueError", "dictionary update sequence element #" + std::to_string(i) + " has length " +
                                            std::to_string(kv.size()) + "; 2 is required");
                dict_set(d, kv[0], kv[1]);
            }
        }
    }
    for (auto& [k, v] : kw) dict_set(d, make_str(h, k), v);
    return out;
}

Value make_set_of(Heap& h, Args& a, const Kwargs& kw, bool frozen) {
    const char* name = frozen ? "frozenset" : "set";
    no_kwargs(name, kw);
    if (a.size() > 1) raise("TypeError", std::string(name) + " expected at most 1 argument, got " + std::to_string(a.size()));
    if (frozen && a.size() == 1 && is_kind(a[0], Kind::FrozenSet)) return a[0];
    Value out = make_set(h, frozen);
    if (a.size() == 1)
        for (const Value& x : collect(h, a[0])) set_add(*as<Dict>(out), x);
    return out;
}
Value b_set(Heap& h, Args& a, const Kwargs& kw) { return make_set_of(h, a, kw, false); }
Value b_frozenset(Heap& h, Args& a, const Kwargs& kw) { return make_set_of(h, a, kw, true); }

Value b_enumerate(Heap& h, Args& a, const Kwargs& kw) {
    Value start = kwarg("enumerate", kw, {"start", "iterable"}, "start");
    for (auto& [k, v] : kw)
        if (k == "iterable") a.insert(a.begin(), v);
    if (a.empty()) raise("TypeError", "enumerate() missing required argument 'iterable'");
    if (a.size() > 2) raise("TypeError", "enumerate() takes at most 2 arguments (" + std::to_string(a.size()) + " given)");
    if (a.size() == 2) start = a[1];
    auto* it = new Iterator(Iterator::Of::Enumerate);
    Value out = Value::object(h.adopt(it));
    it->source = iter(h, a[0]);
    it->cur = start.is_none() ? 0 : int64_of(start, "enumerate");
    return out;
}

Value b_zip(Heap& h, Args& a, const Kwargs& kw) {
    kwarg("zip", kw, {"strict"}, "strict");
    std::vector<Value> inner;
    for (const Value& x : a) inner.push_back(iter(h, x));
    auto* it = new Iterator(Iterator::Of::Zip);
    it->inner = std::move(inner);
    return Value::object(h.adopt(it));
}

int64_t range_arg(const Value& v) {
    if (!is_integer(v)) raise("TypeError", "'" + type_name(v) + "' object cannot be interpreted as an integer");
    if (is_kind(v, Kind::BigInt)) raise("OverflowError", "range() arguments beyond 64 bits are outside the lab's Python");
    return v.as_int();
}

Value b_range(Heap& h, Args& a, const Kwargs& kw) {
    no_kwargs("range", kw);
    if (a.empty()) raise("TypeError", "range expected at least 1 argument, got 0");
    if (a.size() > 3) raise("TypeError", "range expected at most 3 arguments, got " + std::to_string(a.size()));
    int64_t start = 0, stop = 0, step = 1;
    if (a.size() == 1) {
        stop = range_arg(a[0]);
    } else {
        start = range_arg(a[0]);
        stop = range_arg(a[1]);
        if (a.size() == 3) step = range_arg(a[2]);
    }
    if (step == 0) raise("ValueError", "range() arg 3 must not be zero");
    return make_range(h, start, stop, step);
}

Value b_hash(Heap&, Args& a, const Kwargs& kw) {
    no_kwargs("hash", kw);
    arg_count("hash", a, 1, 1);
    return Value::integer(int64_t(hash_value(a[0])));
}

Value b_chr(Heap& h, Args& a, const Kwargs& kw) {
    no_kwargs("chr", kw);
    arg_count("chr", a, 1, 1);
    if (!is_integer(a[0])) raise("TypeError", "'" + type_name(a[0]) + "' object cannot be interpreted as an integer");
    if (is_kind(a[0], Kind::BigInt)) raise("OverflowError", "Python int too large to convert to C int");
    int64_t cp = a[0].as_int();
    if (cp < 0 || cp > 0x10FFFF) raise("ValueError", "chr() arg not in range(0x110000)");
    return make_str(h, utf8_encode(uint32_t(cp)));
}

Value b_ord(Heap&, Args& a, const Kwargs& kw) {
    no_kwargs("ord", kw);
    arg_count("ord", a, 1, 1);
    if (is_kind(a[0], Kind::Bytes)) {
        const std::string& b = as<Bytes>(a[0])->b;
        if (b.size() != 1)
            raise("TypeError", "ord() expected a character, but string of length " + std::to_string(b.size()) + " found");
        return Value::integer(static_cast<unsigned char>(b[0]));
    }
    if (!is_kind(a[0], Kind::Str)) raise("TypeError", "ord() expected string of length 1, but " + type_name(a[0]) + " found");
    const std::string& s = as<Str>(a[0])->s;
    size_t n = utf8_length(s);
    if (n != 1) raise("TypeError", "ord() expected a character, but string of length " + std::to_string(n) + " found");
    size_t pos = 0;
    return Value::integer(utf8_decode(s, pos));
}

Value any_all(Heap& h, Args& a, const Kwargs& kw, bool is_all) {
    no_kwargs(is_all ? "all" : "any", kw);
    arg_count(is_all ? "all" : "any", a, 1, 1);
    Value it = iter(h, a[0]);
    Value item;
    while (next_item(h, *as<Iterator>(it), item))
        if (truthy(item) != is_all) return Value::boolean(!is_all);
    return Value::boolean(is_all);
}
Value b_any(Heap& h, Args& a, const Kwargs& kw) { return any_all(h, a, kw, false); }
Value b_all(Heap& h, Args& a, const Kwargs& kw) { return any_all(h, a, kw, true); }

// isinstance(x, T) where T names a builtin type (a Builtin called "int", ...), a Class, or
// a tuple of these. bool is an int; everything is an object.
bool is_instance_of(const Value& x, const Value& t) {
    if (auto* tup = as_kind<Tuple>(t, Kind::Tuple); tup) {
        for (const Value& each : tup->items)
            if (is_instance_of(x, each)) return true;
        return false;
    }
    if (auto* c = as_kind<Class>(t, Kind::Class); c) {
        auto* inst = as<Instance>(x);
        if (!inst || inst->kind != Kind::Instance) return false;
        // Walks __bases__ when the interpreter records them in the class namespace.
        std::vector<Value> todo{inst->cls};
        while (!todo.empty()) {
            Value k = todo.back();
            todo.pop_back();
            if (k.same(t)) return true;
            if (auto* kc = as_kind<Class>(k, Kind::Class); kc)
                if (Value* bases = kc->ns.get("__bases__"); bases && items_of(*bases))
                    for (const Value& b : *items_of(*bases)) todo.push_back(b);
        }
        return false;
    }
    auto* b = as_kind<Builtin>(t, Kind::Builtin);
    static const char* const types[] = {"int", "float", "bool", "str", "bytes", "list", "tuple",
                                        "dict", "set", "frozenset", "range", "object"};
    bool known = false;
    if (b)
        for (const char* each : types) known |= b->name == each;
    if (!known)
        raise("TypeError", "isinstance() arg 2 must be a type, a tuple of types, or a union");
    const std::string& n = b->name;
    if (n == "object") return true;
    if (n == "int") return is_integer(x);
    std::string tn = type_name(x);
    return tn == n;
}

Value b_isinstance(Heap&, Args& a, const Kwargs& kw) {
    no_kwargs("isinstance", kw);
    arg_count("isinstance", a, 2, 2);
    return Value::boolean(is_instance_of(a[0], a[1]));
}

const std::unordered_map<std::string_view, Fn>& table() {
    static const std::unordered_map<std::string_view, Fn> t = {
        {"len", b_len}, {"abs", b_abs}, {"min", b_min}, {"max", b_max}, {"sum", b_sum},
        {"sorted", b_sorted}, {"reversed", b_reversed}, {"round", b_round}, {"divmod", b_divmod},
        {"pow", b_pow}, {"repr", b_repr}, {"str", b_str}, {"int", b_int}, {"float", b_float},
        {"bool", b_bool}, {"list", b_list}, {"tuple", b_tuple}, {"dict", b_dict}, {"set", b_set},
        {"frozenset", b_frozenset}, {"enumerate", b_enumerate}, {"zip", b_zip}, {"range", b_range},
        {"hash", b_hash}, {"chr", b_chr}, {"ord", b_ord}, {"any", b_any}, {"all", b_all},
        {"isinstance", b_isinstance},
    };
    return t;
}

}  // namespace

bool is_pure_builtin(std::string_view name) { return table().count(name) != 0; }

Value call_pure_builtin(Heap& h, std::string_view name, std::vector<Value>& args,
                        const std::vector<std::pair<std::string, Value>>& kwargs) {
    auto it = table().find(name);
    if (it == table().end()) raise("NameError", "name '" + std::string(name) + "' is not defined");
    return it->second(h, args, kwargs);
}

}  // namespace gil::vm
