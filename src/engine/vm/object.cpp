// object.cpp — making values, type names, the Namespace table, and the insertion-ordered
// hash table behind dict and set (CPython's compact dict layout, simplified).
#include "engine/vm/object.h"

#include "engine/vm/bigint.h"
#include "engine/vm/ops.h"
#include "engine/vm/vm_internal.h"

namespace gil::vm {

void raise(const char* type, std::string message) { throw PyError(type, std::move(message)); }

// ------------------------------------------------------------------ making values
Value make_int(Heap&, int64_t v) { return Value::integer(v); }

Value make_int_from_text(Heap& h, std::string_view decimal) {
    big::Num n;
    if (!big::from_decimal(decimal, n))
        raise("ValueError", "invalid literal for int() with base 10: '" + std::string(decimal) + "'");
    return big::normalize(h, std::move(n));
}

Value make_str(Heap& h, std::string s) { return Value::object(h.adopt(new Str(std::move(s)))); }
Value make_bytes(Heap& h, std::string b) { return Value::object(h.adopt(new Bytes(std::move(b)))); }

Value make_tuple(Heap& h, std::vector<Value> items) {
    auto* t = new Tuple();
    t->items = std::move(items);
    return Value::object(h.adopt(t));
}

Value make_list(Heap& h, std::vector<Value> items) {
    auto* l = new List();
    l->items = std::move(items);
    return Value::object(h.adopt(l));
}

Value make_dict(Heap& h) { return Value::object(h.adopt(new Dict())); }
Value make_set(Heap& h, bool frozen) {
    return Value::object(h.adopt(new Dict(frozen ? Kind::FrozenSet : Kind::Set)));
}
Value make_range(Heap& h, int64_t start, int64_t stop, int64_t step) {
    return Value::object(h.adopt(new Range(start, stop, step)));
}
Value make_slice(Heap& h, Value start, Value stop, Value step) {
    return Value::object(h.adopt(new Slice(std::move(start), std::move(stop), std::move(step))));
}

// ------------------------------------------------------------------ type names
static const char* iterator_type_name(const Iterator& it) {
    switch (it.of) {
        case Iterator::Of::Range: return "range_iterator";
        case Iterator::Of::Sequence:
            if (is_kind(it.source, Kind::Tuple)) return "tuple_iterator";
            if (is_kind(it.source, Kind::Bytes)) return "bytes_iterator";
            if (is_kind(it.source, Kind::Set) || is_kind(it.source, Kind::FrozenSet)) return "set_iterator";
            return "list_iterator";
        case Iterator::Of::DictKeys: return "dict_keyiterator";
        case Iterator::Of::DictValues: return "dict_valueiterator";
        case Iterator::Of::DictItems: return "dict_itemiterator";
        case Iterator::Of::Str: {  // 3.12 names the iterator of an all-ASCII str apart
            const Str* s = as_kind<Str>(it.source, Kind::Str);
            for (unsigned char c : s ? s->s : std::string())
                if (c >= 0x80) return "str_iterator";
            return "str_ascii_iterator";
        }
        case Iterator::Of::Enumerate: return "enumerate";
        case Iterator::Of::Zip: return "zip";
        case Iterator::Of::Reversed: return is_kind(it.source, Kind::List) ? "list_reverseiterator" : "reversed";
    }
    return "iterator";
}

static std::string object_type_name(const Obj& o) {
    switch (o.kind) {
        case Kind::BigInt: return "int";
        case Kind::Str: return "str";
        case Kind::Bytes: return "bytes";
        case Kind::Tuple: return "tuple";
        case Kind::List: return "list";
        case Kind::Dict: return "dict";
        case Kind::Set: return "set";
        case Kind::FrozenSet: return "frozenset";
        case Kind::Range: return "range";
        case Kind::Iterator: return iterator_type_name(static_cast<const Iterator&>(o));
        case Kind::Slice: return "slice";
        case Kind::Function: return "function";
        case Kind::BoundMethod: {
            auto& m = static_cast<const BoundMethod&>(o);
            return is_kind(m.func, Kind::Function) ? "method" : "builtin_function_or_method";
        }
        case Kind::Builtin: return "builtin_function_or_method";
        case Kind::Class: return "type";
        case Kind::Instance: {
            const Class* c = as_kind<Class>(static_cast<const Instance&>(o).cls, Kind::Class);
            return c ? c->name : "object";
        }
        case Kind::Module: return "module";
        case Kind::Code: return "code";
        case Kind::Generator: return "generator";
        case Kind::Cell: return "cell";
        case Kind::Native: return static_cast<const Native&>(o).type();
    }
    return "object";
}

std::string type_name(const Value& v) {
    switch (v.tag()) {
        case Tag::Null: return "NULL";
        case Tag::None: return "NoneType";
        case Tag::Bool: return "bool";
        case Tag::Int: return "int";
        case Tag::Float: return "float";
        case Tag::Obj: return object_type_name(*v.obj());
    }
    return "object";
}

// ------------------------------------------------------------------ Namespace
int32_t Namespace::find(std::string_view name) const {
    auto it = index.find(std::string(name));
    return it == index.end() ? -1 : it->second;
}

int32_t Namespace::slot(const std::string& name) {
    auto it = index.find(name);
    if (it != index.end()) return it->second;
    auto i = static_cast<int32_t>(slots.size());
    slots.emplace_back(name, Value::null());
    index.emplace(name, i);
    return i;
}

Value* Namespace::get(std::string_view name) {
    int32_t i = find(name);
    if (i < 0 || slots[size_t(i)].second.is_null()) return nullptr;
    return &slots[size_t(i)].second;
}

void Namespace::set(const std::string& name, Value v) { slots[size_t(slot(name))].second = std::move(v); }

// ------------------------------------------------------------------ dict and set tables
// entries keeps insertion order; index is a power-of-two open-addressing table of entry
// numbers, kept at most 2/3 full (counting deleted entries, which stay until a rebuild).
namespace {

constexpr int32_t kEmpty = -1, kDeleted = -2;

// CPython's probe sequence (perturbation), so every slot is eventually visited.
template <class F>
int32_t probe(const Dict& d, uint64_t hash, F&& matches) {
    size_t mask = d.index.size() - 1, i = hash & mask;
    uint64_t perturb = hash;
    for (;;) {
        int32_t e = d.index[i];
        if (e == kEmpty) return -1;
        if (e >= 0 && matches(d.entries[size_t(e)])) return e;
        perturb >>= 5;
        i = (i * 5 + perturb + 1) & mask;
    }
}

int32_t find_entry(const Dict& d, const Value& key, uint64_t hash) {
    if (d.index.empty()) return -1;
    return probe(d, hash, [&](const Dict::Entry& en) {
        return en.live && en.hash == hash && (en.key.same(key) || equal(en.key, key));
    });
}

void insert_index(Dict& d, uint64_t hash, int32_t entry) {
    size_t mask = d.index.size() - 1, i = hash & mask;
    uint64_t perturb = hash;
    while (d.index[i] >= 0) {
        perturb >>= 5;
        i = (i * 5 + perturb + 1) & mask;
    }
    d.index[i] = entry;
}

// Drops deleted entries and sizes the index for `used + 1` entries.
void rebuild(Dict& d) {
    std::vector<Dict::Entry> kept;
    kept.reserve(d.used + 1);
    for (auto& e : d.entries)
        if (e.live) kept.push_back(std::move(e));
    d.entries = std::move(kept);
    size_t size = 8;
    while (size * 2 < (d.used + 1) * 3) size *= 2;
    d.index.assign(size, kEmpty);
    for (size_t i = 0; i < d.entries.size(); ++i) insert_index(d, d.entries[i].hash, int32_t(i));
}

void append_entry(Dict& d, const Value& key, Value value, uint64_t hash) {
    if ((d.entries.size() + 1) * 3 > d.index.size() * 2) rebuild(d);
    d.entries.push_back(Dict::Entry{key, std::move(value), hash, true});
    insert_index(d, hash, int32_t(d.entries.size() - 1));
    ++d.used;
}

}  // namespace

Value* dict_get(Dict& d, const Value& key) {
    uint64_t hash = hash_value(key);
    int32_t e = find_entry(d, key, hash);
    return e < 0 ? nullptr : &d.entries[size_t(e)].value;
}

void dict_set(Dict& d, const Value& key, Value value) {
    uint64_t hash = hash_value(key);
    int32_t e = find_entry(d, key, hash);
    if (e >= 0) {
        d.entries[size_t(e)].value = std::move(value);
        return;
    }
    append_entry(d, key, std::move(value), hash);
}

bool dict_del(Dict& d, const Value& key) {
    uint64_t hash = hash_value(key);
    int32_t e = find_entry(d, key, hash);
    if (e < 0) return false;
    size_t mask = d.index.size() - 1, i = hash & mask;
    uint64_t perturb = hash;
    while (d.index[i] != e) {
        perturb >>= 5;
        i = (i * 5 + perturb + 1) & mask;
    }
    d.index[i] = kDeleted;
    auto& en = d.entries[size_t(e)];
    en.live = false;
    // Moved out before being dropped: releasing may run destructors that touch this dict.
    Value k = std::move(en.key), v = std::move(en.value);
    --d.used;
    return true;
}

bool set_add(Dict& s, const Value& key) {
    uint64_t hash = hash_value(key);
    if (find_entry(s, key, hash) >= 0) return false;
    append_entry(s, key, Value(), hash);
    return true;
}

bool set_contains(const Dict& s, const Value& key) {
    uint64_t hash = hash_value(key);
    return find_entry(s, key, hash) >= 0;
}

}  // namespace gil::vm
