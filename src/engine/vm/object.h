// object.h — the built-in types of the lab's Python as heap objects: int beyond 64 bits,
// str, bytes, tuple, list, dict, set, range, iterators, namespaces, and the shells of
// functions, classes, instances and modules that the interpreter (src/engine/sim) fills.
//
// The pure runtime (this folder) gives these types their Python semantics without knowing
// about threads or time; the simulator's interpreter gives them meaning in a program.
#pragma once
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/vm/value.h"

namespace gil::vm {

// A Python exception raised by the runtime. The lab's Python has no try/except: an error
// ends the thread that raised it, with a traceback like CPython's.
struct PyError : std::runtime_error {
    PyError(std::string type_, std::string message_)
        : std::runtime_error(type_ + ": " + message_), type(std::move(type_)), message(std::move(message_)) {}
    std::string type;     // "ZeroDivisionError"
    std::string message;  // "division by zero"
};
[[noreturn]] void raise(const char* type, std::string message);

// An int that does not fit int64: sign and magnitude in base 2^32, least significant first.
// Every operation normalizes: results that fit int64 come back as Tag::Int.
struct BigInt : Obj {
    BigInt() : Obj(Kind::BigInt) {}
    bool negative = false;
    std::vector<uint32_t> mag;  // no leading zero limbs; never fits int64 when normalized
};

struct Str : Obj {
    explicit Str(std::string s_) : Obj(Kind::Str), s(std::move(s_)) {}
    std::string s;  // UTF-8
    mutable uint64_t hash_cache = 0;
    mutable bool hashed = false;
};

struct Bytes : Obj {
    explicit Bytes(std::string b_) : Obj(Kind::Bytes), b(std::move(b_)) {}
    std::string b;
};

struct Tuple : Obj {
    Tuple() : Obj(Kind::Tuple) {}
    std::vector<Value> items;
    void clear_refs() override { items.clear(); }
};

struct List : Obj {
    List() : Obj(Kind::List) {}
    std::vector<Value> items;
    void clear_refs() override { items.clear(); }
};

// Insertion-ordered hash table, as CPython's dict (and, with values unused, its set).
struct Dict : Obj {
    Dict() : Obj(Kind::Dict) {}
    explicit Dict(Kind k) : Obj(k) {}  // Kind::Set / Kind::FrozenSet
    struct Entry {
        Value key, value;
        uint64_t hash = 0;
        bool live = false;
    };
    std::vector<Entry> entries;          // in insertion order; deleted ones not live
    std::vector<int32_t> index;          // open addressing into entries (-1 empty, -2 deleted)
    size_t used = 0;                     // live entries
    void clear_refs() override { entries.clear(); index.clear(); used = 0; }
};

struct Range : Obj {
    Range(int64_t a, int64_t b, int64_t c) : Obj(Kind::Range), start(a), stop(b), step(c) {}
    int64_t start, stop, step;
};

// Native iterators. The interpreter's FOR_ITER asks next(); generators are separate
// (Kind::Generator) because resuming them runs bytecode.
struct Iterator : Obj {
    enum class Of : uint8_t { Range, Sequence, DictKeys, DictValues, DictItems, Str, Enumerate, Zip, Reversed };
    explicit Iterator(Of o) : Obj(Kind::Iterator), of(o) {}
    Of of;
    int64_t cur = 0, stop = 0, step = 1;  // Range: the next value, the bound, the step
    Value source;                          // Sequence/Dict*/Str/Reversed: what is iterated; Enumerate: the inner iterator
    size_t pos = 0;                        // Sequence/Dict*/Str: next index
    std::vector<Value> inner;              // Zip: the inner iterators
    void clear_refs() override { source = Value(); inner.clear(); }
};

// An ordered name -> value table with stable slots (module globals, class bodies,
// instance attributes). Slots never move, so the interpreter may cache a slot index.
struct Namespace {
    std::vector<std::pair<std::string, Value>> slots;  // Value::null() = deleted / unbound
    std::unordered_map<std::string, int32_t> index;
    int32_t find(std::string_view name) const;         // -1 if absent
    int32_t slot(const std::string& name);             // creates an unbound slot if absent
    Value* get(std::string_view name);                 // null if absent or unbound
    void set(const std::string& name, Value v);
    void clear() { slots.clear(); index.clear(); }
};

struct Module : Obj {
    explicit Module(std::string n) : Obj(Kind::Module), name(std::move(n)) {}
    std::string name;
    Namespace ns;
    void clear_refs() override { ns.clear(); }
};

struct Class : Obj {
    Class() : Obj(Kind::Class) {}
    std::string name, qualname, module = "__main__";
    Namespace ns;  // class attributes and methods
    void clear_refs() override { ns.clear(); }
};

struct Instance : Obj {
    explicit Instance(Value cls_) : Obj(Kind::Instance), cls(std::move(cls_)) {}
    Value cls;      // a Class
    Namespace attrs;
    void clear_refs() override { cls = Value(); attrs.clear(); }
};

// A method bound to its object: a Python function (Kind::Function) or a builtin.
struct BoundMethod : Obj {
    BoundMethod(Value s, Value f) : Obj(Kind::BoundMethod), self(std::move(s)), func(std::move(f)) {}
    Value self, func;
    void clear_refs() override { self = Value(); func = Value(); }
};

// slice(start, stop, step) as BUILD_SLICE makes it for seq[a:b:c] (None where omitted).
struct Slice : Obj {
    Slice(Value a, Value b, Value c) : Obj(Kind::Slice), start(std::move(a)), stop(std::move(b)), step(std::move(c)) {}
    Value start, stop, step;
    void clear_refs() override { start = Value(); stop = Value(); step = Value(); }
};

// ------------------------------------------------------------------ making values
Value make_int(Heap& h, int64_t v);                  // always Tag::Int (for symmetry)
Value make_int_from_text(Heap& h, std::string_view decimal);  // "-123456789012345678901234567890"
Value make_str(Heap& h, std::string s);
Value make_bytes(Heap& h, std::string b);
Value make_tuple(Heap& h, std::vector<Value> items);
Value make_list(Heap& h, std::vector<Value> items);
Value make_dict(Heap& h);
Value make_set(Heap& h, bool frozen = false);
Value make_range(Heap& h, int64_t start, int64_t stop, int64_t step);
Value make_slice(Heap& h, Value start, Value stop, Value step);
template <class T> T* as(const Value& v) { return v.is_obj() ? static_cast<T*>(v.obj()) : nullptr; }
inline bool is_kind(const Value& v, Kind k) { return v.is_obj() && v.obj()->kind == k; }
// The object as T when it is of kind k, else null (a checked as<T>).
template <class T> T* as_kind(const Value& v, Kind k) { return is_kind(v, k) ? static_cast<T*>(v.obj()) : nullptr; }
// The type's name as type(x).__name__ gives it ("int", "str", "list", class name, ...).
std::string type_name(const Value& v);

// ------------------------------------------------------------------ dict and set tables
Value* dict_get(Dict& d, const Value& key);          // null if absent (TypeError if unhashable)
void dict_set(Dict& d, const Value& key, Value value);
bool dict_del(Dict& d, const Value& key);
bool set_add(Dict& s, const Value& key);             // false if already there
bool set_contains(const Dict& s, const Value& key);

}  // namespace gil::vm
