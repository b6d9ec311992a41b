// sim_ff.cpp — the simulator, part: fast-forward: a thread at a loop head is advanced k whole iterations in closed form, exactly as stepping would.
// The parts share one Simulator::Impl (sim_internal.h, which has the index of the files).
#include <algorithm>
#include <cassert>

#include "engine/sim/sim_internal.h"

namespace gil::sim {

using namespace detail;

int Simulator::Impl::slot_of(FF& ff, SlotId s, int64_t concrete) {
    for (size_t i = 0; i < ff.slots.size(); ++i)
        if (ff.slots[i] == s) return (int)i;
    ff.slots.push_back(s);
    ff.known.push_back(0);
    ff.known_p.push_back(Poly{});
    ff.head_value.push_back(concrete);
    ff.written.push_back(0);
    ff.read_first.push_back(0);
    ff.final_v.push_back(AV{});
    ff.stores.push_back(0);
    return (int)ff.slots.size() - 1;
}

int64_t Simulator::Impl::slot_value(Thread& th, const SlotId& s, int base) {
    switch (s.kind) {
    case SlotKind::Local: return th.c().locals[(size_t)(base + s.index)];
    case SlotKind::Global: return procs[(size_t)th.proc].globals[(size_t)s.index];
    case SlotKind::Shared: return shared_mem[(size_t)s.index];
    case SlotKind::List: return procs[(size_t)th.proc].lists[(size_t)s.index];
    }
    return 0;
}

void Simulator::Impl::set_slot(Thread& th, const SlotId& s, int base, int64_t v) {
    switch (s.kind) {
    case SlotKind::Local: th.c().locals[(size_t)(base + s.index)] = v; break;
    case SlotKind::Global: procs[(size_t)th.proc].globals[(size_t)s.index] = v; break;
    case SlotKind::Shared: shared_mem[(size_t)s.index] = v; break;
    case SlotKind::List: procs[(size_t)th.proc].lists[(size_t)s.index] = v; break;
    }
}

// One symbolic pass over an iteration. Returns 0 ok, 1 structural failure (never
// fast-forwardable), 2 failure for these values only.
int Simulator::Impl::ff_pass(Thread& th, FF& ff, int fn0, int head, int base0) {
    // ff_frames[0 .. ff_depth) is the abstract call stack; entries keep their capacity.
    if (ff_frames.empty()) ff_frames.resize(8);
    ff_depth = 1;
    ff_frames[0].fn = fn0;
    ff_frames[0].pc = head;
    std::vector<AV>& stack = ff_stack;
    stack.clear();
    std::fill(ff.written.begin(), ff.written.end(), 0);
    std::fill(ff.stores.begin(), ff.stores.end(), 0);
    ff.conds.clear();
    ff.cost = 0;
    ff.ninstr = 0;
    std::vector<int>& lock_state = ff_locks;  // per lock: 1 held (abstract)
    lock_state.clear();
    ff_locks_used.clear();
    auto read_slot = [&](SlotId s) -> AV {
        int64_t cv = slot_value(th, s, base0);
        int i = slot_of(ff, s, cv);
        if (ff.written[(size_t)i]) return ff.final_v[(size_t)i];
        ff.read_first[(size_t)i] = 1;
        AV v;
        v.v0 = ff.head_value[(size_t)i];
        if (ff.known[(size_t)i]) {
            v.kind = AV::P;
            v.p = ff.known_p[(size_t)i];
        } else {
            v.kind = AV::SymP;
            v.sym = i;
        }
        return v;
    };
    auto write_slot = [&](SlotId s, const AV& v) {
        int i = slot_of(ff, s, slot_value(th, s, base0));
        ff.written[(size_t)i] = 1;
        ff.final_v[(size_t)i] = v;
        ++ff.stores[(size_t)i];
    };
    auto konst = [](int64_t c) {
        AV v;
        v.p = Poly::constant(c);
        v.v0 = c;
        return v;
    };
    auto add = [](const AV& a, const AV& b, bool sub) {
        AV r;
        r.v0 = sub ? (int64_t)((uint64_t)a.v0 - (uint64_t)b.v0) : (int64_t)((uint64_t)a.v0 + (uint64_t)b.v0);
        if (a.kind == AV::Opaque || b.kind == AV::Opaque) {
            r.kind = AV::Opaque;
        } else if (a.kind == AV::P && b.kind == AV::P) {
            r.p = sub ? a.p - b.p : a.p + b.p;
        } else if (a.kind == AV::SymP && b.kind == AV::P) {
            r.kind = AV::SymP;
            r.sym = a.sym;
            r.p = sub ? a.p - b.p : a.p + b.p;
        } else if (a.kind == AV::P && b.kind == AV::SymP && !sub) {
            r.kind = AV::SymP;
            r.sym = b.sym;
            r.p = a.p + b.p;
        } else {
            r.kind = AV::Opaque;
        }
        return r;
    };
    int steps = 0;
    for (;;) {
        if (++steps > 512) return 1;
        AFrame& f = ff_frames[ff_depth - 1];
        const Function& F = prog->functions[(size_t)f.fn];
        if (f.pc < 0 || f.pc >= (int)F.code.size()) return 1;
        const Instr& in = F.code[(size_t)f.pc];
        const bool top = ff_depth == 1;
        if (is_sync(th, in)) return 1;
        ff.cost += op_cost(in);
        ++ff.ninstr;
        int next = f.pc + 1;
        auto pop = [&]() {
            AV v = stack.back();
            stack.pop_back();
            return v;
        };
        switch (in.op) {
        case Op::Nop:
        case Op::Resume:
        case Op::CCallGil:
        case Op::Pickle: break;
        case Op::LoadConst: stack.push_back(konst(prog->consts[(size_t)in.a])); break;
        case Op::LoadFast:
            if (top) stack.push_back(read_slot({SlotKind::Local, in.a}));
            else stack.push_back(f.locals[(size_t)in.a]);
            break;
        case Op::StoreFast:
            if (top) write_slot({SlotKind::Local, in.a}, pop());
            else f.locals[(size_t)in.a] = pop();
            break;
        case Op::LoadGlobal:
        case Op::StoreGlobal: {
            SlotKind k = prog->globals[(size_t)in.a].scope == VarScope::SharedMemory ? SlotKind::Shared
                                                                                       : SlotKind::Global;
            const bool store = in.op == Op::StoreGlobal;
            if (store) write_slot({k, in.a}, pop());
            else stack.push_back(read_slot({k, in.a}));
            // The race detector: this access, with the locks the iteration holds here.
            uint64_t locks = 0;
            for (size_t l = 0; l < lock_state.size(); ++l)
                if (lock_state[l]) locks |= lock_bit((int)l);
            bool seen = false;
            for (const LoopAccess& a : ff.accesses) seen = seen || (a.g == in.a && a.store == store && a.locks == locks);
            if (!seen) ff.accesses.push_back({in.a, store, locks, f.fn, f.pc});
            break;
        }
        case Op::BinaryOp: {
            AV b = pop(), a = pop(), r;
            switch ((BinKind)in.a) {
            case BinKind::Add:
            case BinKind::InplaceAdd: r = add(a, b, false); break;
            case BinKind::Sub:
            case BinKind::InplaceSub: r = add(a, b, true); break;
            case BinKind::Mul:
                r.v0 = (int64_t)((uint64_t)a.v0 * (uint64_t)b.v0);
                if (a.kind == AV::P && b.kind == AV::P && a.p.mul(b.p, r.p)) r.kind = AV::P;
                else r.kind = AV::Opaque;
                break;
            case BinKind::Mod:
            case BinKind::FloorDiv:
            case BinKind::Pow:
                if (binary_zero_division((BinKind)in.a, b.v0, prog->minor)) return 1;  // stepping raises it
                r.kind = AV::Opaque;
                r.v0 = apply_binary((BinKind)in.a, a.v0, b.v0);
                if (a.kind == AV::P && b.kind == AV::P && a.p.degree() == 0 && b.p.degree() == 0) {
                    r.kind = AV::P;
                    r.p = Poly::constant(r.v0);
                }
                break;
            }
            stack.push_back(r);
            break;
        }
        case Op::CompareOp: {
            AV b = pop(), a = pop();
            const bool r = apply_compare((CmpKind)in.a, a.v0, b.v0);
            ff.conds.push_back({a, b, (CmpKind)in.a, r});
            AV c = konst(r ? 1 : 0);
            c.kind = AV::Opaque;  // only ever consumed by a jump, which uses v0
            stack.push_back(c);
            break;
        }
        case Op::PopJumpIfFalse:
            if (!pop().v0) next = in.b;
            break;
        case Op::PopJumpIfTrue:
            if (pop().v0) next = in.b;
            break;
        case Op::JumpForward: next = in.b; break;
        case Op::JumpBackward:
            if (!top || in.b != head) return 1;  // an inner loop: fast-forward that one instead
            next = in.b;
            break;
        case Op::ForIter: {
            if (!top) return 1;
            AV cur = read_slot({SlotKind::Local, in.a}), stop = read_slot({SlotKind::Local, in.a + 1});
            bool go = cur.v0 < stop.v0;
            ff.conds.push_back({cur, stop, CmpKind::Lt, go});
            if (!go) return 2;  // the loop ends in this iteration
            stack.push_back(cur);
            write_slot({SlotKind::Local, in.a}, add(cur, konst(1), false));
            break;
        }
        case Op::Call: {
            const Function& callee = prog->functions[(size_t)in.a];
            if (callee.loops) return 1;
            if (ff_depth >= 32) return 1;
            f.pc = next;
            if (ff_frames.size() <= ff_depth) ff_frames.resize(ff_depth + 8);
            AFrame& nf = ff_frames[ff_depth++];
            nf.fn = in.a;
            nf.pc = 0;
            nf.locals.assign((size_t)callee.nlocals, konst(0));
            for (int i = in.b - 1; i >= 0; --i) {
                AV v = pop();
                if (i < callee.nlocals) nf.locals[(size_t)i] = v;
            }
            continue;
        }
        case Op::ReturnValue: {
            if (top) return 2;  // the loop's last iteration returns: it ends here, stepping runs it
            AV v = pop();
            --ff_depth;
            stack.push_back(v);
            continue;  // the caller's pc was already advanced
        }
        case Op::PopTop: pop(); break;
        case Op::LockAcquire: {
            if (prog->locks[(size_t)in.a].cross_process || prog->locks[(size_t)in.a].reentrant) return 1;
            Lock& Lk = lock_of(th, in.a);
            if (!Lk.waiters.empty() || Lk.pending_wakers) return 2;
            if (lock_state.size() <= (size_t)in.a) lock_state.resize((size_t)in.a + 1, 0);
            if (Lk.owner >= 0 || lock_state[(size_t)in.a]) return 2;
            lock_state[(size_t)in.a] = 1;
            ff_locks_used.push_back(in.a);
            break;
        }
        case Op::LockRelease:
            if (lock_state.size() <= (size_t)in.a || !lock_state[(size_t)in.a]) return 1;
            lock_state[(size_t)in.a] = 0;
            break;
        case Op::ListAppend: {
            pop();
            if (in.a < 0) break;  // private to the frame
            AV n = read_slot({SlotKind::List, in.a});
            write_slot({SlotKind::List, in.a}, add(n, konst(1), false));
            break;
        }
        default: return 1;  // blocking or scheduling instructions end a fast-forward
        }
        f.pc = next;
        if (top && f.pc == head) break;
        // A jump out of the loop's body (head .. back-edge): the loop ends in this iteration.
        if (top && (f.pc < head || f.pc > loop_end[(size_t)fn0][(size_t)head])) return 2;
    }
    for (int held : lock_state)
        if (held) return 1;
    if (!stack.empty()) return 1;
    return 0;
}

// Tries to run k >= 1 whole iterations of the loop whose head the thread sits at.
bool Simulator::Impl::try_fast_forward(Thread& th, int64_t te) {
    Ctx& x = th.c();
    Frame& f = x.frames.back();
    const int fn = f.fn, head = f.pc;
    FFCacheEntry& ce = ff_cache[(size_t)fn][(size_t)head];
    if (ce.never) return false;
    const int64_t budget = te - th.clock + th.credit;
    // Stepping a few iterations is cheaper than summarizing the loop: only try when
    // the budget covers several (the result is the same either way).
    if (ce.cost > 0 && budget < kFFMinIterations * ce.cost) return false;
    Proc& p = procs[(size_t)th.proc];
    if (p.has_gil && p.gil.drop_request) return false;  // must stop at the next check point
    // Reuse a summary of this loop if the head is where it predicts.
    for (LoopSummary& sm : th.summaries) {
        if (sm.fn != fn || sm.head != head || sm.base != f.base || sm.ctx != th.cur) continue;
        int64_t J = 0;
        if (locate(th, sm, f.base, J)) return apply_summary(th, sm, f.base, J, budget);
        break;
    }
    LoopSummary* sm = summarize(th, fn, head, f.base, ce);
    if (!sm) return false;
    return apply_summary(th, *sm, f.base, 0, budget);
}

// Which iteration of the summary the thread's head state is, if it is exactly one.
bool Simulator::Impl::locate(Thread& th, const LoopSummary& sm, int base, int64_t& J) {
    J = 0;
    if (sm.lin >= 0) {
        const Poly& lp = sm.p[(size_t)sm.lin];
        const int64_t v = slot_value(th, sm.slots[(size_t)sm.lin], base);
        const int64_t c1 = (int64_t)lp.c[1];
        const int64_t diff = (int64_t)((uint64_t)v - lp.c[0]);
        if (c1 == 0 || diff % c1 != 0) return false;
        J = diff / c1;
        if (J < 0 || J >= (int64_t(1) << 39)) return false;
    }
    for (size_t i = 0; i < sm.slots.size(); ++i)
        if (sm.kind[i] != 2 && sm.p[i].eval(J) != slot_value(th, sm.slots[i], base)) return false;
    for (size_t c = 0; c < sm.cond_d.size(); ++c) {
        const int64_t a = sm.cond_d[c].eval(J);
        bool now = false;
        switch (sm.cond_cmp[c]) {
        case CmpKind::Lt: now = a < 0; break;
        case CmpKind::Le: now = a <= 0; break;
        case CmpKind::Gt: now = a > 0; break;
        case CmpKind::Ge: now = a >= 0; break;
        case CmpKind::Eq: now = a == 0; break;
        case CmpKind::Ne: now = a != 0; break;
        }
        if (now != (bool)sm.cond_expect[c]) return false;
    }
    for (int l : sm.locks) {
        Lock& Lk = lock_of(th, l);
        if (Lk.owner >= 0 || !Lk.waiters.empty() || Lk.pending_wakers) return false;
    }
    return true;
}

// Symbolic passes to a closed form; stores it in the thread's summaries. Null when the
// loop cannot be fast-forwarded (for these values, or ever: then ce.never).
LoopSummary* Simulator::Impl::summarize(Thread& th, int fn, int head, int base, FFCacheEntry& ce) {
    FF& ff = ff_scratch;
    ff.clear();
    int rc = 0;
    for (int round = 0; round < 8; ++round) {
        rc = ff_pass(th, ff, fn, head, base);
        if (rc) break;
        bool progress = false, unsolved = false;
        for (size_t i = 0; i < ff.slots.size(); ++i) {
            if (ff.known[i]) continue;
            if (!ff.written[i]) {  // read but never written: a constant
                ff.known[i] = 1;
                ff.known_p[i] = Poly::constant(ff.head_value[i]);
                progress = true;
                continue;
            }
            if (!ff.read_first[i]) continue;  // write-first: its head value never matters
            const AV& v = ff.final_v[i];
            if (v.kind == AV::SymP && v.sym == (int)i) {
                // v(j+1) = v(j) + P(j)  =>  v(j) = v0 + sum_{m<j} P(m)
                Poly sum;
                if (!v.p.prefix_sum(sum)) {
                    rc = 2;
                    break;
                }
                ff.known[i] = 1;
                ff.known_p[i] = Poly::constant(ff.head_value[i]) + sum;
                progress = true;
            } else {
                unsolved = true;
            }
        }
        if (rc) break;
        if (!progress) {
            if (unsolved) rc = 2;
            break;
        }
    }
    if (rc == 0) {
        // Every written slot must now have a closed form.
        for (size_t i = 0; i < ff.slots.size(); ++i) {
            if (!ff.written[i]) continue;
            if (ff.read_first[i] ? !ff.known[i] : ff.final_v[i].kind != AV::P) rc = 2;
        }
    }
    if (rc == 0)
        for (const Cond& c : ff.conds)
            if (c.lhs.kind != AV::P || c.rhs.kind != AV::P || (c.lhs.p - c.rhs.p).degree() > 1) rc = 2;
    if (rc == 1) ce.never = true;
    if (rc || ff.cost <= 0) return nullptr;
    ce.cost = ff.cost;
    if (th.summaries.size() < 4) th.summaries.emplace_back();
    LoopSummary& sm = th.summaries[th.next_summary++ % th.summaries.size()];
    if (th.summaries.size() == 4) th.next_summary %= 4;
    sm.ctx = th.cur;
    sm.fn = fn;
    sm.head = head;
    sm.base = base;
    sm.slots = ff.slots;
    sm.kind.assign(ff.slots.size(), 0);
    sm.p.assign(ff.slots.size(), Poly{});
    sm.stores = ff.stores;
    sm.lin = -1;
    for (size_t i = 0; i < ff.slots.size(); ++i) {
        if (!ff.written[i]) {
            sm.kind[i] = 0;
            sm.p[i] = ff.known_p[i];
        } else if (ff.read_first[i]) {
            sm.kind[i] = 1;
            sm.p[i] = ff.known_p[i];
            if (sm.lin < 0 && sm.p[i].degree() == 1) sm.lin = (int)i;
        } else {
            sm.kind[i] = 2;
            sm.p[i] = ff.final_v[i].p;
        }
    }
    sm.cond_d.clear();
    sm.cond_cmp.clear();
    sm.cond_expect.clear();
    for (const Cond& c : ff.conds) {
        sm.cond_d.push_back(c.lhs.p - c.rhs.p);
        sm.cond_cmp.push_back(c.cmp);
        sm.cond_expect.push_back(c.expect ? 1 : 0);
    }
    sm.locks = ff_locks_used;
    sm.accesses = ff.accesses;
    sm.cost = ff.cost;
    sm.ninstr = ff.ninstr;
    return &sm;
}

// Runs k whole iterations (as many as fit the budget and keep the path) from the
// summary's iteration J.
bool Simulator::Impl::apply_summary(Thread& th, const LoopSummary& sm, int base, int64_t J, int64_t budget) {
    int64_t K = kInf;
    for (size_t c = 0; c < sm.cond_d.size(); ++c) {
        const Poly& d = sm.cond_d[c];
        const int64_t a = d.eval(J), b = (int64_t)d.c[1];  // degree <= 1: the slope is c1
        K = std::min(K, first_flip(a, b, sm.cond_cmp[c], sm.cond_expect[c] != 0));
    }
    int64_t k = std::min(K, budget / sm.cost);
    k = std::min<int64_t>(k, int64_t(1) << 38);
    if (k < 1) return false;
    for (size_t i = 0; i < sm.slots.size(); ++i) {
        if (sm.kind[i] == 0) continue;
        const int64_t v = sm.kind[i] == 1 ? sm.p[i].eval(J + k)      // value at the start of iteration J+k
                                          : sm.p[i].eval(J + k - 1);  // written in the last iteration
        set_slot(th, sm.slots[i], base, v);
        const SlotId& s = sm.slots[i];
        if (s.kind == SlotKind::Global || s.kind == SlotKind::Shared) {
            uint64_t* ver;
            SharedObj* obj;
            gref(th, s.index, ver, obj);
            *ver += (uint64_t)(k * sm.stores[i]);
            th.loads[(size_t)s.index] = {*ver, v, th.clock, 0, true};
        }
    }
    const int64_t t_start = th.clock;
    th.clock += k * sm.cost - th.credit;
    th.credit = 0;
    for (const LoopAccess& a : sm.accesses) note_access(th, a.g, a.store, th.held | a.locks, t_start, th.clock, a.fn, a.pc);
    res.instructions += (uint64_t)(k * sm.ninstr);
    res.fast_forwarded_iterations += (uint64_t)k;
    return true;
}

// First iteration j >= 1 at which (a + b*j) cmp 0 stops being `expect`; kInf if never.
int64_t Simulator::Impl::first_flip(int64_t a, int64_t b, CmpKind cmp, bool expect) {
    auto lt_flip = [](int64_t a, int64_t b, bool expect) -> int64_t {  // predicate: a + b j < 0
        if (b == 0) return kInf;
        if (expect) {  // a < 0 now; flips once a + b j >= 0
            if (b < 0) return kInf;
            return (-a + b - 1) / b;  // ceil(-a / b)
        }
        if (b > 0) return kInf;  // a >= 0 now; flips once a + b j < 0
        return a / (-b) + 1;
    };
    const int64_t big = int64_t(1) << 61;
    if (a > big || a < -big || b > big || b < -big) return 1;
    switch (cmp) {
    case CmpKind::Lt: return std::max<int64_t>(1, lt_flip(a, b, expect));
    case CmpKind::Le: return std::max<int64_t>(1, lt_flip(a - 1, b, expect));
    case CmpKind::Gt: return std::max<int64_t>(1, lt_flip(-a, -b, expect));
    case CmpKind::Ge: return std::max<int64_t>(1, lt_flip(-a - 1, -b, expect));
    case CmpKind::Eq:
    case CmpKind::Ne: {
        if (b == 0) return kInf;
        bool eq_now = a == 0;
        if (eq_now) return 1;
        if ((-a) % b == 0 && (-a) / b >= 1) return (-a) / b;
        return kInf;
    }
    }
    return 1;
}


}  // namespace gil::sim
