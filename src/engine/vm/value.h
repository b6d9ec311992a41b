// value.h — the values of the lab's Python: a tagged 16-byte Value (None, bool, a 64-bit
// int, a float, or a reference-counted heap object) and the heap those objects live in.
//
// Why this shape: the simulator steps instructions one by one between fast-forwarded
// loops, so the common values (small ints, floats, None, bools) must not allocate; ints
// that leave int64 become BigInt objects, as CPython's ints are unbounded. Objects are
// reference counted like CPython's (so loops that make temporaries keep memory flat) and
// also listed in their Heap, which frees whatever cycles are left when a run ends.
//
// Single-threaded by design: one simulator run owns one Heap and touches it from one OS
// thread (simulated threads are not OS threads), so counts are plain integers.
#pragma once
#include <cstdint>
#include <string>
#include <utility>

namespace gil::vm {

struct Obj;
class Heap;

enum class Tag : uint8_t {
    Null,   // the NULL CPython pushes before a callable (PUSH_NULL, LOAD_GLOBAL's low bit); never user-visible
    None,
    Bool,
    Int,    // fits int64; larger ints are BigInt objects (Tag::Obj)
    Float,
    Obj,
};

class Value {
public:
    Value() : tag_(Tag::None) { u_.i = 0; }
    static Value null() { return Value(Tag::Null, 0); }
    static Value none() { return Value(Tag::None, 0); }
    static Value boolean(bool b) { return Value(Tag::Bool, b ? 1 : 0); }
    static Value integer(int64_t i) { return Value(Tag::Int, i); }
    static Value real(double f) {
        Value v(Tag::Float, 0);
        v.u_.f = f;
        return v;
    }
    // Takes a new reference to o (o may be just allocated with a count of 0).
    static Value object(Obj* o);

    Value(const Value& o) : tag_(o.tag_), u_(o.u_) { retain(); }
    Value(Value&& o) noexcept : tag_(o.tag_), u_(o.u_) { o.tag_ = Tag::None; }
    Value& operator=(const Value& o) {
        if (this != &o) {
            Value tmp(o);
            swap(tmp);
        }
        return *this;
    }
    Value& operator=(Value&& o) noexcept {
        if (this != &o) {
            release();
            tag_ = o.tag_;
            u_ = o.u_;
            o.tag_ = Tag::None;
        }
        return *this;
    }
    ~Value() { release(); }
    void swap(Value& o) noexcept {
        std::swap(tag_, o.tag_);
        std::swap(u_, o.u_);
    }

    Tag tag() const { return tag_; }
    bool is_null() const { return tag_ == Tag::Null; }
    bool is_none() const { return tag_ == Tag::None; }
    bool is_bool() const { return tag_ == Tag::Bool; }
    bool is_int() const { return tag_ == Tag::Int; }       // a small int (not BigInt, not bool)
    bool is_float() const { return tag_ == Tag::Float; }
    bool is_obj() const { return tag_ == Tag::Obj; }
    int64_t as_int() const { return u_.i; }                 // Int and Bool
    double as_float() const { return u_.f; }
    Obj* obj() const { return u_.o; }
    // Same object or same immediate bits (Python's `is`).
    bool same(const Value& o) const { return tag_ == o.tag_ && u_.i == o.u_.i; }

private:
    Value(Tag t, int64_t i) : tag_(t) { u_.i = i; }
    inline void retain() const;
    inline void release();
    Tag tag_;
    union {
        int64_t i;
        double f;
        Obj* o;
    } u_;
};

// Every heap object's header. Kinds the pure runtime knows are listed; the simulator adds
// its modelled objects (threads, locks, queues, futures, ...) as Kind::Native.
enum class Kind : uint8_t {
    BigInt, Str, Bytes, Tuple, List, Dict, Set, FrozenSet, Range, Iterator, Slice,
    Function, BoundMethod, Builtin, Class, Instance, Module, Code, Generator, Cell, Native,
};

struct Obj {
    explicit Obj(Kind k) : kind(k) {}
    virtual ~Obj() = default;
    Obj(const Obj&) = delete;
    Obj& operator=(const Obj&) = delete;
    uint32_t refs = 0;
    Kind kind;
    Heap* heap = nullptr;          // set by Heap::adopt
    Obj* prev = nullptr;           // the heap's list of live objects
    Obj* next = nullptr;
    // Visits every Value this object holds (the heap clears them to break cycles at the end).
    virtual void clear_refs() {}
};

// Owns every object of one run. Objects are freed when their count drops to zero, and
// whatever is left (cycles) when the Heap is destroyed.
class Heap {
public:
    Heap() = default;
    ~Heap();
    Heap(const Heap&) = delete;
    Heap& operator=(const Heap&) = delete;
    // Registers a new object (count 0: wrap it in a Value right away).
    template <class T>
    T* adopt(T* o) {
        link(o);
        return o;
    }
    void destroy(Obj* o);     // unlinks and deletes (count reached 0)
    size_t live() const { return live_; }
    size_t peak() const { return peak_; }
    // Refuses to grow past this many live objects (a program error with its own message).
    size_t max_live = 20'000'000;

private:
    void link(Obj* o);
    Obj* head_ = nullptr;
    size_t live_ = 0, peak_ = 0;
    bool tearing_down_ = false;
};

inline Value Value::object(Obj* o) {
    Value v(Tag::Obj, 0);
    v.u_.o = o;
    ++o->refs;
    return v;
}
inline void Value::retain() const {
    if (tag_ == Tag::Obj) ++u_.o->refs;
}
inline void Value::release() {
    if (tag_ == Tag::Obj && --u_.o->refs == 0) u_.o->heap->destroy(u_.o);
    tag_ = Tag::None;
}

}  // namespace gil::vm
