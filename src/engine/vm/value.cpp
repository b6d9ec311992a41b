// value.cpp — the Heap: the list of every live object of one run, its counts and its limit,
// and the teardown that frees what reference counting alone cannot (cycles).
#include "engine/vm/value.h"

#include <vector>

#include "engine/vm/object.h"

namespace gil::vm {

void Heap::link(Obj* o) {
    if (live_ >= max_live) {
        // The object was just made and nothing refers to it yet: free it before refusing.
        delete o;
        raise("MemoryError", "the program keeps more than " + std::to_string(max_live) +
                                 " objects alive (the lab's limit)");
    }
    o->heap = this;
    o->prev = nullptr;
    o->next = head_;
    if (head_) head_->prev = o;
    head_ = o;
    if (++live_ > peak_) peak_ = live_;
}

void Heap::destroy(Obj* o) {
    if (o->prev) o->prev->next = o->next; else head_ = o->next;
    if (o->next) o->next->prev = o->prev;
    --live_;
    delete o;  // its members release what it held, which may destroy more
}

// Teardown in three steps so no object is ever touched after it is freed:
// 1. pin every object (one extra reference) so that nothing is freed while
// 2. every object drops the Values it holds (clear_refs), which breaks all cycles;
// 3. unpin: objects nobody else holds reach zero and are destroyed (cascading normally).
// Objects still alive after that are held through members clear_refs does not clear (an
// object kind that forgot to clear a Value); they are leaked rather than freed in an
// unknown order, which could touch freed memory.
Heap::~Heap() {
    tearing_down_ = true;
    std::vector<Obj*> all;
    all.reserve(live_);
    for (Obj* o = head_; o; o = o->next) {
        ++o->refs;
        all.push_back(o);
    }
    for (Obj* o : all) o->clear_refs();
    for (Obj* o : all)
        if (--o->refs == 0) destroy(o);
}

}  // namespace gil::vm
