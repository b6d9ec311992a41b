// access.cpp — reaching into built-in containers: iter()/next() over range, str, bytes,
// tuple, list, dict and set (and enumerate, zip, reversed), len(), seq[i] and seq[a:b:c]
// for reading, assigning and deleting, and `in`.
#include <algorithm>

#include "engine/vm/bigint.h"
#include "engine/vm/ops_internal.h"

namespace gil::vm {
using namespace detail;

// ------------------------------------------------------------------ iteration
Value iter(Heap& h, const Value& v) {
    if (v.is_obj()) {
        Obj* o = v.obj();
        switch (o->kind) {
            case Kind::Iterator: return v;
            case Kind::Range: {
                auto* r = static_cast<Range*>(o);
                auto* it = new Iterator(Iterator::Of::Range);
                it->cur = r->start;
                it->stop = r->stop;
                it->step = r->step;
                return Value::object(h.adopt(it));
            }
            case Kind::Str:
            case Kind::List:
            case Kind::Tuple:
            case Kind::Bytes:
            case Kind::Set:
            case Kind::FrozenSet:
            case Kind::Dict: {
                auto of = o->kind == Kind::Str ? Iterator::Of::Str
                        : o->kind == Kind::Dict ? Iterator::Of::DictKeys : Iterator::Of::Sequence;
                auto* it = new Iterator(of);
                it->source = v;
                return Value::object(h.adopt(it));
            }
            default: break;
        }
    }
    raise("TypeError", "'" + type_name(v) + "' object is not iterable");
}

namespace {

bool next_range(Iterator& it, Value& out) {
    if (it.step > 0 ? it.cur >= it.stop : it.cur <= it.stop) return false;
    out = Value::integer(it.cur);
    // Past the last value the next one may not fit int64: stop there instead.
    if (__builtin_add_overflow(it.cur, it.step, &it.cur)) it.cur = it.stop;
    return true;
}

// The next live entry of a dict or set table at or after it.pos.
const Dict::Entry* next_entry(Iterator& it) {
    auto& d = *as<Dict>(it.source);
    while (it.pos < d.entries.size() && !d.entries[it.pos].live) ++it.pos;
    if (it.pos >= d.entries.size()) return nullptr;
    return &d.entries[it.pos++];
}

bool next_sequence(Iterator& it, Value& out) {
    Obj* o = it.source.obj();
    if (o->kind == Kind::Bytes) {
        auto& b = static_cast<Bytes*>(o)->b;
        if (it.pos >= b.size()) return false;
        out = Value::integer(static_cast<unsigned char>(b[it.pos++]));
        return true;
    }
    if (o->kind == Kind::Set || o->kind == Kind::FrozenSet) {
        const Dict::Entry* e = next_entry(it);
        if (!e) return false;
        out = e->key;
        return true;
    }
    const auto& items = *items_of(it.source);
    if (it.pos >= items.size()) return false;  // checked every time: a list may grow while iterated
    out = items[it.pos++];
    return true;
}

}  // namespace

bool next_item(Heap& h, Iterator& it, Value& out) {
    switch (it.of) {
        case Iterator::Of::Range: return next_range(it, out);
        case Iterator::Of::Sequence: return next_sequence(it, out);
        case Iterator::Of::DictKeys:
        case Iterator::Of::DictValues:
        case Iterator::Of::DictItems: {
            const Dict::Entry* e = next_entry(it);
            if (!e) return false;
            if (it.of == Iterator::Of::DictKeys) out = e->key;
            else if (it.of == Iterator::Of::DictValues) out = e->value;
            else out = make_tuple(h, {e->key, e->value});
            return true;
        }
        case Iterator::Of::Str: {
            const std::string& s = as<Str>(it.source)->s;
            if (it.pos >= s.size()) return false;
            size_t start = it.pos;
            utf8_decode(s, it.pos);
            out = make_str(h, s.substr(start, it.pos - start));
            return true;
        }
        case Iterator::Of::Enumerate: {
            Value item;
            if (!next_item(h, *as<Iterator>(it.source), item)) return false;
            out = make_tuple(h, {Value::integer(it.cur++), std::move(item)});
            return true;
        }
        case Iterator::Of::Zip: {
            if (it.inner.empty()) return false;
            std::vector<Value> items(it.inner.size());
            for (size_t i = 0; i < it.inner.size(); ++i)
                if (!next_item(h, *as<Iterator>(it.inner[i]), items[i])) return false;
            out = make_tuple(h, std::move(items));
            return true;
        }
        case Iterator::Of::Reversed: {
            const auto& items = *items_of(it.source);
            if (it.pos == 0 || it.pos > items.size()) return false;
            out = items[--it.pos];
            return true;
        }
    }
    return false;
}

// ------------------------------------------------------------------ len
namespace {
int64_t range_length(const Range& r) {
    // In unsigned arithmetic: stop - start may not fit int64.
    if (r.step > 0 && r.start < r.stop)
        return int64_t((uint64_t(r.stop) - uint64_t(r.start) - 1) / uint64_t(r.step) + 1);
    if (r.step < 0 && r.start > r.stop)
        return int64_t((uint64_t(r.start) - uint64_t(r.stop) - 1) / (~uint64_t(r.step) + 1) + 1);
    return 0;
}
}  // namespace

int64_t length(const Value& v) {
    if (v.is_obj()) {
        Obj* o = v.obj();
        switch (o->kind) {
            case Kind::Str: return int64_t(utf8_length(static_cast<Str*>(o)->s));
            case Kind::Bytes: return int64_t(static_cast<Bytes*>(o)->b.size());
            case Kind::Tuple: return int64_t(static_cast<Tuple*>(o)->items.size());
            case Kind::List: return int64_t(static_cast<List*>(o)->items.size());
            case Kind::Dict:
            case Kind::Set:
            case Kind::FrozenSet: return int64_t(static_cast<Dict*>(o)->used);
            case Kind::Range: return range_length(*static_cast<Range*>(o));
            default: break;
        }
    }
    raise("TypeError", "object of type '" + type_name(v) + "' has no len()");
}

// ------------------------------------------------------------------ subscripts
namespace {

// seq[i]: i made non-negative, or false when it falls outside [0, len).
bool normalize_index(const Value& index, int64_t len, int64_t& i) {
    if (is_kind(index, Kind::BigInt)) raise("IndexError", "cannot fit 'int' into an index-sized integer");
    i = index.as_int();
    if (i < 0) i += len;
    return i >= 0 && i < len;
}

// One slice bound: None, or an int clamped as PySlice_AdjustIndices does.
int64_t slice_bound(const Value& v, int64_t len, int64_t step, bool is_start) {
    if (v.is_none()) return step < 0 ? (is_start ? len - 1 : -1) : (is_start ? 0 : len);
    if (!is_integer(v)) raise("TypeError", "slice indices must be integers or None or have an __index__ method");
    int64_t x;
    if (is_kind(v, Kind::BigInt)) x = big::of(v).neg ? INT64_MIN / 2 : INT64_MAX / 2;
    else x = v.as_int();
    if (x < 0) {
        x += len;
        if (x < 0) x = step < 0 ? -1 : 0;
    } else if (x >= len) {
        x = step < 0 ? len - 1 : len;
    }
    return x;
}

struct SliceSpan {
    int64_t start, step, count;
    int64_t at(int64_t k) const { return start + k * step; }
};

SliceSpan slice_span(const Slice& s, int64_t len) {
    int64_t step = 1;
    if (!s.step.is_none()) {
        if (!is_integer(s.step)) raise("TypeError", "slice indices must be integers or None or have an __index__ method");
        step = is_kind(s.step, Kind::BigInt) ? (big::of(s.step).neg ? -INT64_MAX : INT64_MAX) : s.step.as_int();
        if (step == 0) raise("ValueError", "slice step cannot be zero");
    }
    int64_t start = slice_bound(s.start, len, step, true), stop = slice_bound(s.stop, len, step, false);
    int64_t count = 0;
    if (step > 0 && start < stop) count = (stop - start - 1) / step + 1;
    if (step < 0 && stop < start) count = (start - stop - 1) / (-step) + 1;
    return {start, step, count};
}

template <class V>
V slice_of(const V& items, const SliceSpan& sp) {
    V out;
    out.reserve(size_t(sp.count));
    for (int64_t k = 0; k < sp.count; ++k) out.push_back(items[size_t(sp.at(k))]);
    return out;
}

Value str_slice(Heap& h, const std::string& s, const Slice& sl) {
    if (is_ascii(s)) {
        SliceSpan sp = slice_span(sl, int64_t(s.size()));
        return make_str(h, slice_of(s, sp));
    }
    std::vector<std::string> chars;  // code points, for non-ASCII text
    for (size_t pos = 0; pos < s.size();) {
        size_t start = pos;
        utf8_decode(s, pos);
        chars.push_back(s.substr(start, pos - start));
    }
    SliceSpan sp = slice_span(sl, int64_t(chars.size()));
    std::string out;
    for (int64_t k = 0; k < sp.count; ++k) out += chars[size_t(sp.at(k))];
    return make_str(h, std::move(out));
}

Value range_item(Heap& h, const Value& container, const Value& index) {
    auto* r = as<Range>(container);
    int64_t len = length(container);
    if (auto* sl = as_kind<Slice>(index, Kind::Slice); sl) {
        SliceSpan sp = slice_span(*sl, len);
        int64_t start = r->start + sp.start * r->step, step = r->step * sp.step;
        return make_range(h, start, start + sp.count * step, step);
    }
    if (!is_integer(index))
        raise("TypeError", "range indices must be integers or slices, not " + type_name(index));
    int64_t i = 0;
    if (!normalize_index(index, len, i)) raise("IndexError", "range object index out of range");
    return Value::integer(r->start + i * r->step);
}

Value str_item(Heap& h, const Value& container, const Value& index) {
    const std::string& s = as<Str>(container)->s;
    if (auto* sl = as_kind<Slice>(index, Kind::Slice); sl) return str_slice(h, s, *sl);
    if (!is_integer(index)) raise("TypeError", "string indices must be integers, not '" + type_name(index) + "'");
    bool ascii = is_ascii(s);
    int64_t len = ascii ? int64_t(s.size()) : int64_t(utf8_length(s)), i = 0;
    if (!normalize_index(index, len, i)) raise("IndexError", "string index out of range");
    if (ascii) return make_str(h, std::string(1, s[size_t(i)]));
    size_t start = utf8_offset(s, size_t(i)), end = start;
    utf8_decode(s, end);
    return make_str(h, s.substr(start, end - start));
}

Value bytes_item(Heap& h, const Value& container, const Value& index) {
    const std::string& b = as<Bytes>(container)->b;
    if (auto* sl = as_kind<Slice>(index, Kind::Slice); sl)
        return make_bytes(h, slice_of(b, slice_span(*sl, int64_t(b.size()))));
    if (!is_integer(index)) raise("TypeError", "byte indices must be integers or slices, not " + type_name(index));
    int64_t i = 0;
    if (!normalize_index(index, int64_t(b.size()), i)) raise("IndexError", "index out of range");
    return Value::integer(static_cast<unsigned char>(b[size_t(i)]));
}

Value items_item(Heap& h, const Value& container, const Value& index) {
    const auto& items = *items_of(container);
    bool tuple = is_kind(container, Kind::Tuple);
    if (auto* sl = as_kind<Slice>(index, Kind::Slice); sl) {
        auto part = slice_of(items, slice_span(*sl, int64_t(items.size())));
        return tuple ? make_tuple(h, std::move(part)) : make_list(h, std::move(part));
    }
    const char* what = tuple ? "tuple" : "list";
    if (!is_integer(index))
        raise("TypeError", std::string(what) + " indices must be integers or slices, not " + type_name(index));
    int64_t i = 0;
    if (!normalize_index(index, int64_t(items.size()), i)) raise("IndexError", std::string(what) + " index out of range");
    return items[size_t(i)];
}

}  // namespace

Value get_item(Heap& h, const Value& container, const Value& index) {
    if (container.is_obj()) {
        switch (container.obj()->kind) {
            case Kind::List:
            case Kind::Tuple: return items_item(h, container, index);
            case Kind::Str: return str_item(h, container, index);
            case Kind::Bytes: return bytes_item(h, container, index);
            case Kind::Range: return range_item(h, container, index);
            case Kind::Dict: {
                Value* v = dict_get(*as<Dict>(container), index);
                if (!v) raise("KeyError", repr(index));
                return *v;
            }
            default: break;
        }
    }
    raise("TypeError", "'" + type_name(container) + "' object is not subscriptable");
}

namespace {

void list_assign_slice(Heap& h, List& l, const Slice& sl, const Value& value) {
    std::vector<Value> values = collect(h, value);  // first: value may be l itself
    SliceSpan sp = slice_span(sl, int64_t(l.items.size()));
    if (sp.step == 1) {
        auto first = l.items.begin() + sp.start;
        l.items.erase(first, first + sp.count);
        l.items.insert(l.items.begin() + sp.start, values.begin(), values.end());
        return;
    }
    if (int64_t(values.size()) != sp.count)
        raise("ValueError", "attempt to assign sequence of size " + std::to_string(values.size()) +
                                " to extended slice of size " + std::to_string(sp.count));
    for (int64_t k = 0; k < sp.count; ++k) l.items[size_t(sp.at(k))] = std::move(values[size_t(k)]);
}

void list_delete_slice(List& l, const Slice& sl) {
    SliceSpan sp = slice_span(sl, int64_t(l.items.size()));
    if (sp.step < 0) sp = {sp.at(sp.count - 1), -sp.step, sp.count};  // same items, ascending
    std::vector<Value> kept, dropped;  // dropped are released after the list is consistent
    for (int64_t i = 0, k = 0; i < int64_t(l.items.size()); ++i) {
        if (k < sp.count && i == sp.at(k)) {
            dropped.push_back(std::move(l.items[size_t(i)]));
            ++k;
        } else {
            kept.push_back(std::move(l.items[size_t(i)]));
        }
    }
    l.items = std::move(kept);
}

}  // namespace

void set_item(Heap& h, const Value& container, const Value& index, Value value) {
    if (auto* l = as_kind<List>(container, Kind::List); l) {
        if (auto* sl = as_kind<Slice>(index, Kind::Slice); sl) return list_assign_slice(h, *l, *sl, value);
        if (!is_integer(index)) raise("TypeError", "list indices must be integers or slices, not " + type_name(index));
        int64_t i = 0;
        if (!normalize_index(index, int64_t(l->items.size()), i)) raise("IndexError", "list assignment index out of range");
        std::swap(l->items[size_t(i)], value);  // the old item is released after the list holds the new one
        return;
    }
    if (is_kind(container, Kind::Dict)) return dict_set(*as<Dict>(container), index, std::move(value));
    raise("TypeError", "'" + type_name(container) + "' object does not support item assignment");
}

void del_item(Heap& h, const Value& container, const Value& index) {
    if (auto* l = as_kind<List>(container, Kind::List); l) {
        if (auto* sl = as_kind<Slice>(index, Kind::Slice); sl) return list_delete_slice(*l, *sl);
        if (!is_integer(index)) raise("TypeError", "list indices must be integers or slices, not " + type_name(index));
        int64_t i = 0;
        if (!normalize_index(index, int64_t(l->items.size()), i)) raise("IndexError", "list assignment index out of range");
        Value dropped = std::move(l->items[size_t(i)]);
        l->items.erase(l->items.begin() + i);
        return;
    }
    if (is_kind(container, Kind::Dict)) {
        if (!dict_del(*as<Dict>(container), index)) raise("KeyError", repr(index));
        return;
    }
    raise("TypeError", "'" + type_name(container) + "' object doesn't support item deletion");
}

// ------------------------------------------------------------------ in
namespace {
bool range_contains(const Range& r, const Value& item) {
    if (!is_integer(item) || is_kind(item, Kind::BigInt)) return false;
    int64_t x = item.as_int();
    bool inside = r.step > 0 ? (x >= r.start && x < r.stop) : (x <= r.start && x > r.stop);
    if (!inside) return false;
    uint64_t offset = r.step > 0 ? uint64_t(x) - uint64_t(r.start) : uint64_t(r.start) - uint64_t(x);
    uint64_t step = r.step > 0 ? uint64_t(r.step) : ~uint64_t(r.step) + 1;
    return offset % step == 0;
}
}  // namespace

bool contains(const Value& container, const Value& item) {
    if (container.is_obj()) {
        Obj* o = container.obj();
        switch (o->kind) {
            case Kind::List:
            case Kind::Tuple:
                for (const Value& x : *items_of(container))
                    if (x.same(item) || equal(x, item)) return true;
                return false;
            case Kind::Str:
                if (!is_kind(item, Kind::Str))
                    raise("TypeError", "'in <string>' requires string as left operand, not " + type_name(item));
                return static_cast<Str*>(o)->s.find(as<Str>(item)->s) != std::string::npos;
            case Kind::Bytes: {
                const std::string& b = static_cast<Bytes*>(o)->b;
                if (is_kind(item, Kind::Bytes)) return b.find(as<Bytes>(item)->b) != std::string::npos;
                if (!is_integer(item)) raise("TypeError", "a bytes-like object is required, not '" + type_name(item) + "'");
                int64_t x = is_kind(item, Kind::BigInt) ? -1 : item.as_int();
                if (x < 0 || x > 255) raise("ValueError", "byte must be in range(0, 256)");
                return b.find(char(x)) != std::string::npos;
            }
            case Kind::Dict: return dict_get(*static_cast<Dict*>(o), item) != nullptr;
            case Kind::Set:
            case Kind::FrozenSet: return set_contains(*static_cast<Dict*>(o), item);
            case Kind::Range: {
                auto& r = *static_cast<Range*>(o);
                if (is_integer(item)) return range_contains(r, item);
                for (int64_t i = 0, n = length(container); i < n; ++i)  // 1.0 in range(3): by equality
                    if (equal(Value::integer(r.start + i * r.step), item)) return true;
                return false;
            }
            default: break;
        }
    }
    raise("TypeError", "argument of type '" + type_name(container) + "' is not iterable");
}

}  // namespace gil::vm
