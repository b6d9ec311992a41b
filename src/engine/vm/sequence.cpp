// sequence.cpp — str, bytes, tuple, list, range, dict and set as containers: UTF-8 code
// point indexing, concatenation and repetition, equality and ordering, iteration,
// subscripts and slices, `in`, len().
#include <algorithm>

#include "engine/vm/bigint.h"
#include "engine/vm/ops_internal.h"

namespace gil::vm {
namespace detail {

// ------------------------------------------------------------------ UTF-8
bool is_ascii(std::string_view s) {
    for (unsigned char c : s)
        if (c >= 0x80) return false;
    return true;
}

size_t utf8_length(std::string_view s) {
    size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;  // count every byte that starts a code point
    return n;
}

size_t utf8_offset(std::string_view s, size_t index) {
    size_t pos = 0;
    while (index > 0 && pos < s.size()) {
        ++pos;
        while (pos < s.size() && (static_cast<unsigned char>(s[pos]) & 0xC0) == 0x80) ++pos;
        --index;
    }
    return pos;
}

uint32_t utf8_decode(std::string_view s, size_t& pos) {
    auto c = static_cast<unsigned char>(s[pos++]);
    if (c < 0x80) return c;
    int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : 1;
    uint32_t cp = c & (0x3F >> extra);
    for (int i = 0; i < extra && pos < s.size(); ++i) cp = (cp << 6) | (static_cast<unsigned char>(s[pos++]) & 0x3F);
    return cp;
}

std::string utf8_encode(uint32_t cp) {
    std::string out;
    if (cp < 0x80) {
        out += char(cp);
    } else if (cp < 0x800) {
        out += char(0xC0 | (cp >> 6));
        out += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += char(0xE0 | (cp >> 12));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    } else {
        out += char(0xF0 | (cp >> 18));
        out += char(0x80 | ((cp >> 12) & 0x3F));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    }
    return out;
}

// ------------------------------------------------------------------ helpers
const std::vector<Value>* items_of(const Value& v) {
    if (auto* t = as_kind<Tuple>(v, Kind::Tuple); t) return &t->items;
    if (auto* l = as_kind<List>(v, Kind::List); l) return &l->items;
    return nullptr;
}

std::vector<Value> collect(Heap& h, const Value& iterable) {
    if (auto* items = items_of(iterable)) return *items;
    std::vector<Value> out;
    Value it = iter(h, iterable);
    Value item;
    while (next_item(h, *as<Iterator>(it), item)) out.push_back(std::move(item));
    return out;
}

void sort_values(std::vector<Value>& v, bool reverse) {
    // reverse=True as CPython does it: reverse, stable sort, reverse, so equal items keep their order.
    if (reverse) std::reverse(v.begin(), v.end());
    std::stable_sort(v.begin(), v.end(), [](const Value& a, const Value& b) { return less(a, b); });
    if (reverse) std::reverse(v.begin(), v.end());
}

namespace {

bool is_set(const Value& v) { return is_kind(v, Kind::Set) || is_kind(v, Kind::FrozenSet); }

// A repeat count for seq * n: ints only, negative means zero.
bool repeat_count(const Value& n, int64_t& count) {
    if (!is_integer(n)) return false;
    if (is_kind(n, Kind::BigInt)) {
        if (big::of(n).neg) {
            count = 0;
            return true;
        }
        raise("OverflowError", "cannot fit 'int' into an index-sized integer");
    }
    count = std::max<int64_t>(0, n.as_int());
    return true;
}

void check_repeat_size(size_t unit, int64_t count) {
    if (unit != 0 && count > 0 && double(unit) * double(count) > double(1u << 30))
        raise("MemoryError", "the repeated sequence would be larger than 2**30 items (the lab's limit)");
}

template <class V>
V repeated(const V& items, int64_t count) {
    check_repeat_size(items.size(), count);
    V out;
    out.reserve(items.size() * size_t(count));
    for (int64_t i = 0; i < count; ++i) out.insert(out.end(), items.begin(), items.end());
    return out;
}

Value repeat(Heap& h, const Value& seq, int64_t count) {
    switch (seq.obj()->kind) {
        case Kind::Str: return make_str(h, repeated(as<Str>(seq)->s, count));
        case Kind::Bytes: return make_bytes(h, repeated(as<Bytes>(seq)->b, count));
        case Kind::Tuple: return make_tuple(h, repeated(as<Tuple>(seq)->items, count));
        default: return make_list(h, repeated(as<List>(seq)->items, count));
    }
}

bool is_sequence(const Value& v) {
    return is_kind(v, Kind::Str) || is_kind(v, Kind::Bytes) || is_kind(v, Kind::Tuple) || is_kind(v, Kind::List);
}

[[noreturn]] void cannot_concatenate(const Value& a, const Value& b) {
    if (is_kind(a, Kind::Bytes)) raise("TypeError", "can't concat " + type_name(b) + " to bytes");
    raise("TypeError", "can only concatenate " + type_name(a) + " (not \"" + type_name(b) + "\") to " + type_name(a));
}

Value concatenate(Heap& h, const Value& a, const Value& b) {
    switch (a.obj()->kind) {
        case Kind::Str: return make_str(h, as<Str>(a)->s + as<Str>(b)->s);
        case Kind::Bytes: return make_bytes(h, as<Bytes>(a)->b + as<Bytes>(b)->b);
        default: {
            std::vector<Value> items = *items_of(a);
            const auto& more = *items_of(b);
            items.insert(items.end(), more.begin(), more.end());
            return is_kind(a, Kind::Tuple) ? make_tuple(h, std::move(items)) : make_list(h, std::move(items));
        }
    }
}

Value set_operator(Heap& h, BinOp op, const Value& a, const Value& b) {
    auto& x = *as<Dict>(a);
    auto& y = *as<Dict>(b);
    Value out = make_set(h, is_kind(a, Kind::FrozenSet));
    auto& r = *as<Dict>(out);
    for (const auto& e : x.entries) {
        if (!e.live) continue;
        bool in_y = set_contains(y, e.key);
        if (op == BinOp::Or || (op == BinOp::And && in_y) || ((op == BinOp::Sub || op == BinOp::Xor) && !in_y))
            set_add(r, e.key);
    }
    if (op == BinOp::Or || op == BinOp::Xor)
        for (const auto& e : y.entries)
            if (e.live && (op == BinOp::Or || !set_contains(x, e.key))) set_add(r, e.key);
    return out;
}

}  // namespace

bool sequence_binary(Heap& h, BinOp op, const Value& a, const Value& b, bool inplace, Value& out) {
    if (op == BinOp::Add && is_sequence(a)) {
        if (inplace && is_kind(a, Kind::List)) {  // list += iterable extends in place
            std::vector<Value> more = collect(h, b);
            auto& items = as<List>(a)->items;
            items.insert(items.end(), more.begin(), more.end());
            out = a;
            return true;
        }
        if (!b.is_obj() || b.obj()->kind != a.obj()->kind) cannot_concatenate(a, b);
        out = concatenate(h, a, b);
        return true;
    }
    if (op == BinOp::Mul && (is_sequence(a) || is_sequence(b))) {
        const Value& seq = is_sequence(a) ? a : b;
        const Value& n = is_sequence(a) ? b : a;
        int64_t count = 0;
        if (!repeat_count(n, count)) {
            raise("TypeError", "can't multiply sequence by non-int of type '" + type_name(n) + "'");
        }
        if (inplace && is_kind(a, Kind::List)) {
            auto& items = as<List>(a)->items;
            items = repeated(items, count);
            out = a;
            return true;
        }
        out = repeat(h, seq, count);
        return true;
    }
    if (is_set(a) && is_set(b) && (op == BinOp::Or || op == BinOp::And || op == BinOp::Sub || op == BinOp::Xor)) {
        out = set_operator(h, op, a, b);
        if (inplace && is_kind(a, Kind::Set)) {  // s |= t changes s
            auto& target = *as<Dict>(a);
            auto& result = *as<Dict>(out);
            std::swap(target.entries, result.entries);
            std::swap(target.index, result.index);
            std::swap(target.used, result.used);
            out = a;
        }
        return true;
    }
    if (op == BinOp::Or && is_kind(a, Kind::Dict) && is_kind(b, Kind::Dict)) {  // 3.9+ dict union
        Value target = inplace ? a : make_dict(h);
        auto& d = *as<Dict>(target);
        if (!inplace)
            for (const auto& e : as<Dict>(a)->entries)
                if (e.live) dict_set(d, e.key, e.value);
        for (const auto& e : as<Dict>(b)->entries)
            if (e.live) dict_set(d, e.key, e.value);
        out = target;
        return true;
    }
    return false;
}

// ------------------------------------------------------------------ equality and order
namespace {

bool items_equal(const std::vector<Value>& x, const std::vector<Value>& y) {
    if (x.size() != y.size()) return false;
    for (size_t i = 0; i < x.size(); ++i)
        if (!x[i].same(y[i]) && !equal(x[i], y[i])) return false;  // identity first, as CPython
    return true;
}

bool dicts_equal(const Dict& x, const Dict& y) {
    if (x.used != y.used) return false;
    for (const auto& e : x.entries) {
        if (!e.live) continue;
        Value* other = dict_get(const_cast<Dict&>(y), e.key);
        if (!other || (!other->same(e.value) && !equal(*other, e.value))) return false;
    }
    return true;
}

bool subset(const Dict& x, const Dict& y) {
    if (x.used > y.used) return false;
    for (const auto& e : x.entries)
        if (e.live && !set_contains(y, e.key)) return false;
    return true;
}

bool sign_order(CmpOp op, int c) {
    switch (op) {
        case CmpOp::Lt: return c < 0;
        case CmpOp::Le: return c <= 0;
        case CmpOp::Gt: return c > 0;
        default: return c >= 0;
    }
}

bool size_order(CmpOp op, size_t x, size_t y) { return sign_order(op, x < y ? -1 : x > y ? 1 : 0); }

// Bytewise order of UTF-8 is code point order.
bool text_order(CmpOp op, const std::string& x, const std::string& y) { return sign_order(op, x.compare(y)); }

// Lexicographic, as CPython: the first differing items decide; otherwise the lengths.
bool items_order(CmpOp op, const std::vector<Value>& x, const std::vector<Value>& y) {
    size_t i = 0;
    while (i < x.size() && i < y.size() && (x[i].same(y[i]) || equal(x[i], y[i]))) ++i;
    if (i < x.size() && i < y.size()) return order_values(op, x[i], y[i]);
    return size_order(op, x.size(), y.size());
}

}  // namespace

bool containers_equal(const Value& a, const Value& b, bool& result) {
    Kind ka = a.obj()->kind, kb = b.obj()->kind;
    if (is_set(a) && is_set(b)) {
        auto& x = *as<Dict>(a);
        auto& y = *as<Dict>(b);
        result = x.used == y.used && subset(x, y);
        return true;
    }
    if (ka != kb) return false;
    switch (ka) {
        case Kind::Str: result = as<Str>(a)->s == as<Str>(b)->s; return true;
        case Kind::Bytes: result = as<Bytes>(a)->b == as<Bytes>(b)->b; return true;
        case Kind::Tuple:
        case Kind::List: result = items_equal(*items_of(a), *items_of(b)); return true;
        case Kind::Dict: result = dicts_equal(*as<Dict>(a), *as<Dict>(b)); return true;
        case Kind::Range: {
            auto *x = as<Range>(a), *y = as<Range>(b);
            int64_t n = length(a);
            result = n == length(b) && (n == 0 || (x->start == y->start && (n == 1 || x->step == y->step)));
            return true;
        }
        case Kind::BigInt: result = big::compare(big::of(a), big::of(b)) == 0; return true;
        default: return false;
    }
}

bool containers_order(CmpOp op, const Value& a, const Value& b, bool& result) {
    if (!a.is_obj() || !b.is_obj()) return false;
    if (is_set(a) && is_set(b)) {
        auto& x = *as<Dict>(a);
        auto& y = *as<Dict>(b);
        switch (op) {
            case CmpOp::Lt: result = x.used < y.used && subset(x, y); break;
            case CmpOp::Le: result = subset(x, y); break;
            case CmpOp::Gt: result = y.used < x.used && subset(y, x); break;
            default: result = subset(y, x); break;
        }
        return true;
    }
    Kind k = a.obj()->kind;
    if (k != b.obj()->kind) return false;
    switch (k) {
        case Kind::Str: result = text_order(op, as<Str>(a)->s, as<Str>(b)->s); return true;
        case Kind::Bytes: result = text_order(op, as<Bytes>(a)->b, as<Bytes>(b)->b); return true;
        case Kind::Tuple:
        case Kind::List: result = items_order(op, *items_of(a), *items_of(b)); return true;
        default: return false;
    }
}

}  // namespace detail
}  // namespace gil::vm
