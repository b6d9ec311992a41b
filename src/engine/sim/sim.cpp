// sim.cpp — the simulator engine. See sim.h for the contract.
//
// Structure of one run:
//   - Events (thread start, wake-up, GIL timed-wait expiry, I/O done, C call done, OS
//     time-slice end) sit in a min-heap ordered by (time, sequence number).
//   - Threads that are on a core and running bytecode ("executing") each keep their own
//     clock and are advanced lazily: before the next event at time te, every executing
//     thread runs its instructions whose effects land at or before te.
//   - Instructions take effect at the END of their cost. Instructions that touch state
//     other executing threads can see ("sync ops": shared variables in free-threaded
//     builds, cross-process locks, queues and shared memory) run only when their thread
//     has the smallest effect time, so all shared accesses happen in global time order.
//     Everything else is private and may run ahead up to te.
//   - Between events, a thread sitting at a loop head is fast-forwarded k iterations at
//     once (fastforward section below), giving exactly the state and time that stepping
//     would; tests compare both.
//
// The GIL follows Python/ceval_gil.c: take_gil waits on a condition with a timeout of
// one switch interval; a timeout with no switch in between sets gil_drop_request; the
// holder notices it only after an instruction whose eval-breaker check the profile
// enables, drops the GIL, and (FORCE_SWITCHING) waits until another thread took it.
#include "engine/sim/sim.h"

#include <algorithm>
#include <cassert>
#include <deque>
#include <limits>
#include <queue>

#include "engine/rng.h"
#include "engine/sim/poly.h"

namespace gil::sim {

namespace {

constexpr int64_t kInf = std::numeric_limits<int64_t>::max() / 4;
#ifndef GILLAB_FF_MIN
#define GILLAB_FF_MIN 2
#endif
constexpr int64_t kFFMinIterations = GILLAB_FF_MIN;

enum class Py : uint8_t { NotStarted, Running, WaitGil, ForcedWait, Io, CCode, WaitLock, WaitQueue, Done };
// What a thread does when it next gets a core.
enum class Next : uint8_t { None, Start, TakeGil, RetryLock, RetryQueue, RunC };

enum class Ev : uint8_t { ProcReady, ThreadStart, Wake, DropTimer, IoDone, CDone, SliceEnd };

struct Event {
    int64_t t;
    uint64_t seq;
    Ev kind;
    int32_t who;     // thread (or process for ProcReady)
    uint64_t stamp;  // must match the thread's current stamp for this kind, or the event is stale
    bool operator>(const Event& o) const { return t != o.t ? t > o.t : seq > o.seq; }
};

struct Frame {
    int fn;
    int pc;
    int base;          // first local in Ctx::locals
    size_t stack_base;
};

// An execution context: a thread's, or one asyncio task's.
struct Ctx {
    std::vector<Frame> frames;
    std::vector<int64_t> locals;
    std::vector<int64_t> stack;
    int64_t ready_at = 0;
    bool done = false;
    int64_t return_value = 0;
};

struct LoadRec {
    uint64_t version = 0;
    int64_t value = 0, time = 0;
    uint32_t pc = 0;
    bool valid = false;
};

// ------------------------------------------------------------ fast-forward types
enum class SlotKind : uint8_t { Local, Global, Shared, List };
struct SlotId {
    SlotKind kind;
    int index;
    bool operator==(const SlotId& o) const { return kind == o.kind && index == o.index; }
};

// Abstract value during symbolic execution of one loop iteration: a polynomial in j, or
// "value of slot `sym` at the start of iteration j" plus a polynomial, or opaque. v0 is
// always the concrete value at j = 0.
struct AV {
    enum Kind : uint8_t { P, SymP, Opaque } kind = P;
    int sym = -1;  // index into the slot table
    Poly p;
    int64_t v0 = 0;
};

struct Cond {
    AV lhs, rhs;
    CmpKind cmp;
    bool expect;
};

// A loop's closed form, relative to the iteration it was computed at (j = 0). Kept per
// thread so the next fast-forward at the same head can reuse it: if the head's values
// are exactly those the summary predicts for some later iteration J, the loop's future
// is the summary's, shifted by J, and no symbolic pass is needed.
struct LoopSummary {
    int ctx = -1, fn = -1, head = -1, base = -1;
    std::vector<SlotId> slots;
    std::vector<uint8_t> kind;  // 0 constant, 1 carried (value at iteration start), 2 write-first (value written)
    std::vector<Poly> p;
    std::vector<int> stores;
    std::vector<Poly> cond_d;
    std::vector<CmpKind> cond_cmp;
    std::vector<uint8_t> cond_expect;
    std::vector<int> locks;
    int lin = -1;  // a carried slot linear in j: tells which iteration the thread is at
    int64_t cost = 0;
    int ninstr = 0;
};

struct FFCacheEntry {
    int64_t cost = 0;   // cost of one iteration last time (0: unknown)
    bool never = false; // structurally impossible (blocking op, inner loop, ...)
};

struct Thread {
    int id = 0, proc = 0, lane = -1;
    std::vector<Ctx> ctx;
    int cur = 0;
    bool async_loop = false;
    Py py = Py::NotStarted;
    Next after_core = Next::None;
    bool on_core = false, in_runq = false, executing = false;
    int64_t clock = 0, credit = 0;
    int64_t core_since = 0;
    uint64_t wake_stamp = 0, gil_stamp = 0, core_stamp = 0, c_stamp = 0, io_stamp = 0;
    int64_t c_end = 0, c_remaining = 0;
    int64_t gil_wait_start = 0;   // when its current timed wait began (fixes its timeout phase)
    int wait_lock = -1, wait_queue = -1;
    int64_t block_start = 0, io_done_at = -1;
    int64_t last_off = -1;   // last time it stopped running bytecode (for lost-update reports)
    ThreadState shown = ThreadState::NotStarted;
    int64_t shown_since = 0;
    std::vector<LoadRec> loads;  // per global (process globals then shared memory)
    std::vector<LoopSummary> summaries;  // recent loop summaries (see LoopSummary)
    size_t next_summary = 0;
    ThreadStats stats;
    Ctx& c() { return ctx[(size_t)cur]; }
};

struct Gil {
    bool locked = false;
    int holder = -1, last_holder = -1;
    uint64_t switch_number = 0;
    bool drop_request = false;
    std::deque<int> waiters;  // threads in take_gil's timed wait, FIFO
    int forced_waiter = -1;   // thread waiting on switch_cond (FORCE_SWITCHING)
    int64_t last_switch = -1'000'000'000'000;  // when switch_number last changed
    uint64_t timer_stamp = 0; // the pending DropTimer event, if its stamp matches
};

struct Lock {
    int owner = -1;
    std::deque<int> waiters;
    int pending_wakers = 0;
};

struct Queue {
    std::deque<int64_t> items;
    std::deque<int> getters;
    int pending_wakers = 0;
};

struct SharedObj {  // contention bookkeeping for free-threaded shared accesses
    int64_t last_t = -kInf;
    int64_t free_at = 0;
    int last_thread = -1;
    int owner = -1;
};

struct Proc {
    bool ready = false;
    bool has_gil = true;
    std::vector<int64_t> globals;
    std::vector<uint64_t> gver;
    std::vector<SharedObj> gobj;
    std::vector<int64_t> lists;
    std::vector<SharedObj> lobj;
    std::vector<Lock> locks;    // process-local locks (cross-process ones live in Impl)
    std::vector<Queue> queues;  // process-local queues
    Gil gil;
};


}  // namespace

struct Simulator::Impl {
    SimConfig cfg;
    const Program* prog = nullptr;
    Rng rng;
    InterpreterProfile& prof;
    std::vector<Thread> threads;
    std::vector<Proc> procs;
    std::vector<int64_t> shared_mem;
    std::vector<uint64_t> shared_ver;
    std::vector<SharedObj> shared_obj;
    std::vector<Lock> xlocks;    // cross-process locks
    std::vector<Queue> xqueues;  // cross-process queues
    std::priority_queue<Event, std::vector<Event>, std::greater<Event>> events;
    uint64_t seq = 0;
    bool events_changed = false;
    int free_cores = 0;
    size_t done_threads = 0;
    std::deque<int> runq;
    std::vector<int> executing;  // ids of threads running bytecode on a core
    int64_t now = 0;
    SimResult res;
    std::shared_ptr<Trace> trace;
    std::vector<std::vector<FFCacheEntry>> ff_cache;  // [function][pc]
    std::vector<std::vector<int>> loop_end;           // [function][pc] -> back-edge index or -1

    Impl(const SimConfig& c, uint64_t seed) : cfg(c), rng(seed), prof(cfg.profile) {}

    // ------------------------------------------------------------------ helpers
    void schedule(int64_t t, Ev k, int who, uint64_t stamp) {
        events.push({t, seq++, k, who, stamp});
        events_changed = true;
    }
    int64_t next_event_time() const { return events.empty() ? kInf : events.top().t; }
    int64_t jittered(int64_t base, double frac) {
        if (base <= 0 || frac <= 0) return std::max<int64_t>(0, base);
        return std::max<int64_t>(0, base + (int64_t)((double)base * frac * rng.symmetric()));
    }
    int64_t wake_latency() { return jittered(cfg.machine.wake_latency_ns, cfg.machine.wake_jitter); }
    const Instr& cur_instr(Thread& th) {
        Frame& f = th.c().frames.back();
        return prog->functions[(size_t)f.fn].code[(size_t)f.pc];
    }
    uint32_t cur_pc(Thread& th) {
        if (th.ctx.empty() || th.c().frames.empty()) return 0;
        const Frame& f = th.c().frames.back();
        return (uint32_t)(f.fn << 16 | f.pc);
    }
    int64_t op_cost(const Instr& in) const {
        if (in.op == Op::BinaryOp) {
            BinKind k = (BinKind)in.a;
            return k == BinKind::Mul ? prof.binop_mul : (k == BinKind::Add || k == BinKind::InplaceAdd ||
                                                         k == BinKind::Sub || k == BinKind::InplaceSub)
                                                            ? prof.binop_add
                                                            : prof.binop_other;
        }
        int64_t c = prof.cost[(size_t)in.op];
        if (in.op == Op::CCallGil) c += prog->consts[(size_t)in.a];
        if (in.op == Op::Pickle) c += pickle_cost(prog->consts[(size_t)in.a]);
        return c;
    }
    int64_t pickle_cost(int64_t bytes) const {
        return prof.pickle_fixed_ns + (int64_t)((double)bytes * prof.pickle_ns_per_byte);
    }
    Lock& lock_of(Thread& th, int l) {
        return prog->locks[(size_t)l].cross_process ? xlocks[(size_t)l] : procs[(size_t)th.proc].locks[(size_t)l];
    }
    Queue& queue_of(Thread& th, int q) {
        return prog->queues[(size_t)q].cross_process ? xqueues[(size_t)q] : procs[(size_t)th.proc].queues[(size_t)q];
    }

    // Is this instruction visible to other threads running at the same time?
    bool is_sync(const Thread& th, const Instr& in) const {
        const bool ft = !procs[(size_t)th.proc].has_gil;
        switch (in.op) {
        case Op::LoadGlobal:
        case Op::StoreGlobal:
            return ft || prog->globals[(size_t)in.a].scope == VarScope::SharedMemory;
        case Op::ListAppend: return ft;
        case Op::LockAcquire:
        case Op::LockRelease: return ft || prog->locks[(size_t)in.a].cross_process;
        case Op::QueuePut:
        case Op::QueueGet: return ft || prog->queues[(size_t)in.a].cross_process;
        default: return false;
        }
    }

    // ------------------------------------------------------------------ trace/state
    ThreadState derive_shown(const Thread& th) const {
        if (th.in_runq) return ThreadState::WaitCore;
        switch (th.py) {
        case Py::NotStarted: return ThreadState::NotStarted;
        case Py::Running: return th.on_core ? ThreadState::Running : ThreadState::WaitCore;
        case Py::WaitGil:
        case Py::ForcedWait: return ThreadState::WaitGil;
        case Py::Io: return ThreadState::Io;
        case Py::CCode: return ThreadState::CCode;
        case Py::WaitLock:
        case Py::WaitQueue: return ThreadState::WaitLock;
        case Py::Done: return ThreadState::Done;
        }
        return ThreadState::NotStarted;
    }
    void update_shown(Thread& th, int64_t t) {
        ThreadState s = derive_shown(th);
        if (s == th.shown) return;
        if (t < th.shown_since) t = th.shown_since;  // never go back in a lane
        th.stats.state_ns[(size_t)th.shown] += t - th.shown_since;
        th.shown = s;
        th.shown_since = t;
        ++res.state_changes;
        if (trace) trace->set_state(th.lane, t, s, cur_pc(th));
    }
    void trace_event(int64_t t, EventKind k, int lane, int64_t a = 0, int64_t b = 0) {
        if (trace) trace->event(t, k, lane, a, b);
    }

    // ------------------------------------------------------------------ cores
    void set_executing(Thread& th, bool on) {
        if (th.executing == on) return;
        th.executing = on;
        if (on) executing.push_back(th.id);
        else executing.erase(std::find(executing.begin(), executing.end(), th.id));
    }
    void request_core(Thread& th, int64_t t) {
        if (th.on_core) {
            on_core_action(th, t);
            return;
        }
        if (free_cores > 0) {
            give_core(th, t);
        } else {
            th.in_runq = true;
            runq.push_back(th.id);
            update_shown(th, t);
            // Make sure someone's slice will end so the queued thread gets a turn.
            for (int id : executing) arm_slice(threads[(size_t)id], t);
            for (auto& o : threads)
                if (o.on_core && o.py == Py::CCode) arm_slice(o, t);
        }
    }
    void arm_slice(Thread& th, int64_t t) {
        int64_t end = th.core_since + cfg.machine.timeslice_ns;
        schedule(std::max(end, t), Ev::SliceEnd, th.id, th.core_stamp);
    }
    void give_core(Thread& th, int64_t t) {
        --free_cores;
        th.on_core = true;
        th.in_runq = false;
        th.core_since = t;
        ++th.core_stamp;
        if (!runq.empty()) arm_slice(th, t);
        on_core_action(th, t + cfg.machine.context_switch_ns);
    }
    void release_core(Thread& th, int64_t t) {
        if (!th.on_core) return;
        th.on_core = false;
        ++th.core_stamp;
        set_executing(th, false);
        ++free_cores;
        while (!runq.empty() && free_cores > 0) {
            Thread& u = threads[(size_t)runq.front()];
            runq.pop_front();
            u.in_runq = false;
            give_core(u, t);
        }
    }
    // A thread just got a core (or already had one): do what it was waiting to do.
    void on_core_action(Thread& th, int64_t t) {
        Next n = th.after_core;
        th.after_core = Next::None;
        switch (n) {
        case Next::Start:
            th.stats.started_at = t;
            take_gil(th, t);
            break;
        case Next::TakeGil: take_gil(th, t); break;
        case Next::RetryLock: retry_lock(th, t); break;
        case Next::RetryQueue: retry_queue(th, t); break;
        case Next::RunC:
            th.py = Py::CCode;
            th.c_end = t + th.c_remaining;
            schedule(th.c_end, Ev::CDone, th.id, ++th.c_stamp);
            update_shown(th, t);
            break;
        case Next::None:
            // Preempted while running bytecode: carry on.
            if (th.py == Py::Running) start_executing(th, t);
            else update_shown(th, t);
            break;
        }
    }
    void start_executing(Thread& th, int64_t t) {
        th.clock = std::max(th.clock, t);
        th.py = Py::Running;
        set_executing(th, true);
        update_shown(th, t);
    }
    void preempt(Thread& th, int64_t t) {
        // The OS takes the core away (time slice over, others waiting). A GIL holder keeps
        // the GIL while it waits for a core: that is the real behaviour.
        if (th.py == Py::CCode) {
            th.c_remaining = std::max<int64_t>(0, th.c_end - t);
            ++th.c_stamp;
            th.after_core = Next::RunC;
        } else {
            th.after_core = Next::None;
            th.last_off = t;
        }
        release_core(th, t);  // may hand the core to the queue head
        th.in_runq = true;
        runq.push_back(th.id);
        update_shown(th, t);
        if (free_cores > 0) {  // nobody else wanted it after all
            runq.pop_back();
            th.in_runq = false;
            give_core(th, t);
        }
    }

    // ------------------------------------------------------------------ the GIL
    void take_gil(Thread& th, int64_t t) {
        Proc& p = procs[(size_t)th.proc];
        if (!p.has_gil) {
            note_running(th, t);
            start_executing(th, t);
            return;
        }
        Gil& g = p.gil;
        if (!g.locked) {
            acquire_gil(th, t);
            return;
        }
        // COND_TIMED_WAIT(gil->cond, interval)
        th.py = Py::WaitGil;
        th.last_off = std::max(th.last_off, t);
        g.waiters.push_back(th.id);
        th.gil_wait_start = t;
        ++th.gil_stamp;
        rearm_drop_timer(th.proc, t);
        release_core(th, t);
        update_shown(th, t);
    }
    // Every waiter sits in COND_TIMED_WAIT(interval) in a loop; a timeout sets the drop
    // request when no switch happened since that waiter's previous timeout (or since it
    // started waiting). Timeouts that find a switch only restart the wait. So instead of
    // one event per waiter per interval (most of them no-ops), one timer per process
    // fires at the earliest timeout that will set the request. Same result, far fewer
    // events at tiny intervals.
    void rearm_drop_timer(int proc, int64_t now_t) {
        Gil& g = procs[(size_t)proc].gil;
        ++g.timer_stamp;
        // Timeouts while the GIL is free do nothing; acquire_gil re-arms.
        if (g.drop_request || g.waiters.empty() || !g.locked) return;
        const int64_t iv = std::max<int64_t>(1, cfg.switch_interval_ns);
        int64_t best = kInf;
        for (int id : g.waiters) {
            const Thread& w = threads[(size_t)id];
            // Timeouts of w happen at wait_start + k*iv, k >= 1; it sets the request at
            // the first one whose previous timeout (k-1) is at or after the last switch.
            int64_t need_prev = std::max(g.last_switch, w.gil_wait_start);
            int64_t k_prev = need_prev <= w.gil_wait_start ? 0 : (need_prev - w.gil_wait_start + iv - 1) / iv;
            int64_t tau = w.gil_wait_start + (k_prev + 1) * iv;
            if (tau < now_t) tau = w.gil_wait_start + ((now_t - w.gil_wait_start + iv - 1) / iv) * iv;
            best = std::min(best, tau);
        }
        if (best < kInf) schedule(best, Ev::DropTimer, proc, g.timer_stamp);
    }
    void note_running(Thread& th, int64_t t) {
        if (th.io_done_at >= 0) {
            res.io_wake_latency_ns.push_back(t - th.io_done_at);
            th.io_done_at = -1;
        }
    }
    void acquire_gil(Thread& th, int64_t t) {
        Proc& p = procs[(size_t)th.proc];
        Gil& g = p.gil;
        g.locked = true;
        g.holder = th.id;
        ++res.gil_acquisitions;
        ++th.stats.gil_acquisitions;
        if (g.last_holder != th.id) {
            int prev = g.last_holder;
            g.last_holder = th.id;
            ++g.switch_number;
            g.last_switch = t;
            if (prev >= 0) ++res.gil_switches;
            trace_event(t, EventKind::GilTake, th.lane, prev >= 0 ? threads[(size_t)prev].lane : -1);
        }
        // FORCE_SWITCHING: the thread that dropped the GIL on request waits for this.
        if (g.forced_waiter >= 0 && g.forced_waiter != th.id) {
            Thread& f = threads[(size_t)g.forced_waiter];
            g.forced_waiter = -1;
            f.after_core = Next::TakeGil;
            schedule(t + wake_latency(), Ev::Wake, f.id, ++f.wake_stamp);
        }
        if (g.drop_request) g.drop_request = false;  // RESET_GIL_DROP_REQUEST in take_gil
        rearm_drop_timer(th.proc, t);
        note_running(th, t);
        start_executing(th, t);
    }
    // drop_gil: releases the GIL and signals one waiter. Returns true when the thread must
    // now wait for the hand-off (FORCE_SWITCHING, only when dropping on request).
    bool drop_gil(Thread& th, int64_t t, bool on_request) {
        Proc& p = procs[(size_t)th.proc];
        if (!p.has_gil) return false;
        Gil& g = p.gil;
        if (!g.locked || g.holder != th.id) return false;
        g.locked = false;
        g.holder = -1;
        g.last_holder = th.id;
        th.last_off = t;
        ++g.timer_stamp;  // no drop request can be set while the GIL is free
        if (!g.waiters.empty()) {  // COND_SIGNAL: wakes one waiter (FIFO)
            Thread& w = threads[(size_t)g.waiters.front()];
            g.waiters.pop_front();
            ++w.gil_stamp;  // its timed wait is over
            res.timed_wait_expiries += (uint64_t)((t - w.gil_wait_start) / std::max<int64_t>(1, cfg.switch_interval_ns));
            rearm_drop_timer(th.proc, t);
            w.after_core = Next::TakeGil;
            schedule(t + wake_latency(), Ev::Wake, w.id, ++w.wake_stamp);
        }
        // NOT A BUG: CPython's drop_gil also waits for the hand-off when a drop request is
        // pending at an I/O release; the lab models that wait only for the eval-breaker
        // drop, where it decides who runs next (docs/fidelity.md).
        if (on_request && g.drop_request) {
            g.drop_request = false;
            g.forced_waiter = th.id;
            rearm_drop_timer(th.proc, t);
            return true;
        }
        return false;
    }

    // ------------------------------------------------------------------ locks, queues
    void lock_acquire(Thread& th, int l, int64_t t) {
        Lock& L = lock_of(th, l);
        if (L.owner < 0) {
            L.owner = th.id;
            return;
        }
        ++res.lock_contended;
        th.wait_lock = l;
        th.block_start = t;
        L.waiters.push_back(th.id);
        block(th, t, Py::WaitLock);
    }
    void lock_release(Thread& th, int l, int64_t t) {
        Lock& L = lock_of(th, l);
        L.owner = -1;
        if (!L.waiters.empty()) {  // sem_post wakes one waiter; it must still win the lock
            Thread& w = threads[(size_t)L.waiters.front()];
            L.waiters.pop_front();
            ++L.pending_wakers;
            w.after_core = Next::RetryLock;
            schedule(t + wake_latency(), Ev::Wake, w.id, ++w.wake_stamp);
        }
    }
    void retry_lock(Thread& th, int64_t t) {
        Lock& L = lock_of(th, th.wait_lock);
        --L.pending_wakers;
        if (L.owner < 0) {
            L.owner = th.id;
            res.lock_wait_ns.push_back(t - th.block_start);
            ++res.lock_handoffs;
            trace_event(t, EventKind::LockHandoff, th.lane, th.wait_lock);
            th.wait_lock = -1;
            take_gil(th, t);  // Py_END_ALLOW_THREADS
        } else {
            L.waiters.push_back(th.id);
            th.py = Py::WaitLock;
            release_core(th, t);
            update_shown(th, t);
        }
    }
    void queue_put(Thread& th, int q, int64_t v, int64_t t) {
        Queue& Q = queue_of(th, q);
        Q.items.push_back(v);
        if (!Q.getters.empty() && Q.pending_wakers < (int)Q.items.size()) {
            Thread& w = threads[(size_t)Q.getters.front()];
            Q.getters.pop_front();
            ++Q.pending_wakers;
            w.after_core = Next::RetryQueue;
            int64_t lat = wake_latency() + (prog->queues[(size_t)q].cross_process ? prof.pipe_latency_ns : 0);
            schedule(t + lat, Ev::Wake, w.id, ++w.wake_stamp);
        }
    }
    bool queue_try_get(Thread& th, int q, int64_t t) {
        Queue& Q = queue_of(th, q);
        if (Q.items.empty()) return false;
        th.c().stack.push_back(Q.items.front());
        Q.items.pop_front();
        (void)t;
        return true;
    }
    void retry_queue(Thread& th, int64_t t) {
        Queue& Q = queue_of(th, th.wait_queue);
        --Q.pending_wakers;
        if (queue_try_get(th, th.wait_queue, t)) {
            if (prog->queues[(size_t)th.wait_queue].cross_process)
                th.clock = t + pickle_cost(prog->queues[(size_t)th.wait_queue].item_bytes);  // unpickle
            th.wait_queue = -1;
            take_gil(th, std::max(t, th.clock));
        } else {
            Q.getters.push_back(th.id);
            th.py = Py::WaitQueue;
            release_core(th, t);
            update_shown(th, t);
        }
    }
    // Releases the GIL (Py_BEGIN_ALLOW_THREADS) and blocks.
    void block(Thread& th, int64_t t, Py why) {
        set_executing(th, false);
        drop_gil(th, t, false);
        th.py = why;
        release_core(th, t);
        update_shown(th, t);
    }

    // ------------------------------------------------------------------ values
    int64_t& gref(Thread& th, int g, uint64_t*& ver, SharedObj*& obj) {
        if (prog->globals[(size_t)g].scope == VarScope::SharedMemory) {
            ver = &shared_ver[(size_t)g];
            obj = &shared_obj[(size_t)g];
            return shared_mem[(size_t)g];
        }
        Proc& p = procs[(size_t)th.proc];
        ver = &p.gver[(size_t)g];
        obj = &p.gobj[(size_t)g];
        return p.globals[(size_t)g];
    }
    // Extra cost of touching a shared object from a thread that runs in parallel. The
    // object (its cache line, its per-object lock) is a resource only one core holds at a
    // time: accesses queue behind each other, and a transfer from another core costs more.
    // That serialization is what stops a contended object from scaling.
    int64_t shared_cost(Thread& th, SharedObj& o, int64_t t, bool is_lock) {
        // Biased reference counting: the first thread to use an object owns it and
        // touches it without atomics; everyone else pays for the shared path.
        if (o.owner < 0) o.owner = th.id;
        int64_t hold = o.owner == th.id ? 0 : prof.shared_access_ns;
        if (o.last_thread >= 0 && o.last_thread != th.id && t - o.last_t < prof.contention_window_ns)
            hold += is_lock ? 2 * prof.contended_access_ns : prof.contended_access_ns;
        const int64_t start = std::max(t, o.free_at);
        o.free_at = start + hold;
        o.last_t = o.free_at;
        o.last_thread = th.id;
        int64_t extra = (start - t) + hold;
        if (cfg.machine.sync_jitter_ns > 0) extra += (int64_t)(rng.uniform() * 2.0 * cfg.machine.sync_jitter_ns);
        return extra;
    }

    // ------------------------------------------------------------------ execution
    void push_frame(Thread& th, int fn, const int64_t* args, int nargs) {
        Ctx& x = th.c();
        const Function& f = prog->functions[(size_t)fn];
        Frame fr{fn, 0, (int)x.locals.size(), x.stack.size()};
        x.locals.resize(x.locals.size() + (size_t)f.nlocals, 0);
        for (int i = 0; i < nargs && i < f.nlocals; ++i) x.locals[(size_t)(fr.base + i)] = args[i];
        x.frames.push_back(fr);
    }

    // Executes the current instruction of an executing thread (its clock already says
    // the instruction fits before the next event).
    void exec_one(Thread& th) {
        Ctx& x = th.c();
        Frame& f = x.frames.back();
        const Instr in = prog->functions[(size_t)f.fn].code[(size_t)f.pc];
        const uint32_t pc_here = (uint32_t)(f.fn << 16 | f.pc);
        th.clock += std::max<int64_t>(0, op_cost(in) - th.credit);
        th.credit = 0;
        const int64_t t = th.clock;  // effect time
        ++res.instructions;
        ++f.pc;
        auto pop = [&x]() {
            int64_t v = x.stack.back();
            x.stack.pop_back();
            return v;
        };
        auto L = [&](int i) -> int64_t& { return x.locals[(size_t)(f.base + i)]; };
        switch (in.op) {
        case Op::Nop:
        case Op::Resume: break;
        case Op::LoadConst: x.stack.push_back(prog->consts[(size_t)in.a]); break;
        case Op::LoadFast: x.stack.push_back(L(in.a)); break;
        case Op::StoreFast: L(in.a) = pop(); break;
        case Op::LoadGlobal: {
            uint64_t* ver;
            SharedObj* obj;
            int64_t& v = gref(th, in.a, ver, obj);
            if (is_sync(th, in)) th.clock += shared_cost(th, *obj, t, false);
            LoadRec& r = th.loads[(size_t)in.a];
            r = {*ver, v, t, pc_here, true};
            x.stack.push_back(v);
            break;
        }
        case Op::StoreGlobal: {
            uint64_t* ver;
            SharedObj* obj;
            int64_t& v = gref(th, in.a, ver, obj);
            if (is_sync(th, in)) th.clock += shared_cost(th, *obj, t, false);
            int64_t nv = pop();
            LoadRec& r = th.loads[(size_t)in.a];
            if (r.valid && r.version != *ver) {
                // Someone stored since our load: our store overwrites their updates.
                int64_t overwritten = (int64_t)((uint64_t)v - (uint64_t)r.value);
                if (overwritten > 0) {
                    ++res.lost_update_events;
                    res.lost_update_total += overwritten;
                    trace_event(t, EventKind::LostUpdate, th.lane, overwritten, r.time);
                    if (trace && trace->lost_updates.size() < cfg.max_lost_details)
                        trace->lost_updates.push_back({th.lane, r.time, std::max(th.last_off, r.time), t, r.value, nv,
                                                       v, in.a, r.pc, pc_here});
                }
            }
            v = nv;
            ++*ver;
            r.version = *ver;
            r.value = nv;
            break;
        }
        case Op::BinaryOp: {
            uint64_t b = (uint64_t)pop(), a = (uint64_t)pop(), r = 0;
            switch ((BinKind)in.a) {
            case BinKind::Add:
            case BinKind::InplaceAdd: r = a + b; break;
            case BinKind::Sub:
            case BinKind::InplaceSub: r = a - b; break;
            case BinKind::Mul: r = a * b; break;
            case BinKind::Mod: r = b ? (uint64_t)((int64_t)a % (int64_t)b) : 0; break;
            }
            x.stack.push_back((int64_t)r);
            break;
        }
        case Op::CompareOp: {
            int64_t b = pop(), a = pop();
            bool r = false;
            switch ((CmpKind)in.a) {
            case CmpKind::Lt: r = a < b; break;
            case CmpKind::Le: r = a <= b; break;
            case CmpKind::Gt: r = a > b; break;
            case CmpKind::Ge: r = a >= b; break;
            case CmpKind::Eq: r = a == b; break;
            case CmpKind::Ne: r = a != b; break;
            }
            x.stack.push_back(r ? 1 : 0);
            break;
        }
        case Op::PopJumpIfFalse:
            if (!pop()) f.pc = in.b;
            break;
        case Op::PopJumpIfTrue:
            if (pop()) f.pc = in.b;
            break;
        case Op::JumpForward:
        case Op::JumpBackward: f.pc = in.b; break;
        case Op::GetIter: {
            int64_t n = pop();
            L(in.a) = 0;
            L(in.a + 1) = n;
            break;
        }
        case Op::ForIter:
            if (L(in.a) < L(in.a + 1)) x.stack.push_back(L(in.a)++);
            else f.pc = in.b;
            break;
        case Op::Call: {
            int64_t args[8] = {};
            int n = std::min(in.b, 8);
            for (int i = n - 1; i >= 0; --i) args[i] = pop();
            push_frame(th, in.a, args, n);
            break;
        }
        case Op::ReturnValue: {
            int64_t v = pop();
            Frame done = x.frames.back();
            x.frames.pop_back();
            x.locals.resize((size_t)done.base);
            x.stack.resize(done.stack_base);
            if (x.frames.empty()) {
                x.done = true;
                x.return_value = v;
                context_finished(th, t);
                return;
            }
            x.stack.push_back(v);
            break;
        }
        case Op::PopTop: pop(); break;
        case Op::Sleep: {
            int64_t d = jittered(prog->consts[(size_t)in.a], cfg.machine.io_jitter) + cfg.machine.sleep_overshoot_ns;
            block(th, t, Py::Io);
            schedule(t + d, Ev::IoDone, th.id, ++th.io_stamp);
            return;
        }
        case Op::CCallNoGil: {
            set_executing(th, false);
            drop_gil(th, t, false);
            th.py = Py::CCode;
            th.c_end = t + prog->consts[(size_t)in.a];
            schedule(th.c_end, Ev::CDone, th.id, ++th.c_stamp);
            update_shown(th, t);
            return;
        }
        case Op::CCallGil: break;  // cost only: the GIL stays held, no check point inside
        case Op::LockAcquire:
            if (is_sync(th, in)) th.clock += shared_cost(th, lock_obj(th, in.a), t, true);
            lock_acquire(th, in.a, t);
            if (th.py != Py::Running) return;
            break;
        case Op::LockRelease:
            if (is_sync(th, in)) th.clock += shared_cost(th, lock_obj(th, in.a), t, true);
            lock_release(th, in.a, t);
            break;
        case Op::ListAppend: {
            pop();
            Proc& p = procs[(size_t)th.proc];
            if (is_sync(th, in)) th.clock += shared_cost(th, p.lobj[(size_t)in.a], t, true);
            ++p.lists[(size_t)in.a];
            break;
        }
        case Op::QueuePut: {
            int64_t v = pop();
            if (prog->queues[(size_t)in.a].cross_process)
                th.clock += pickle_cost(prog->queues[(size_t)in.a].item_bytes);
            else
                th.clock += prof.queue_op_ns;
            queue_put(th, in.a, v, t);
            break;
        }
        case Op::QueueGet:
            if (queue_try_get(th, in.a, t)) {
                th.clock += prog->queues[(size_t)in.a].cross_process
                                ? pickle_cost(prog->queues[(size_t)in.a].item_bytes)
                                : prof.queue_op_ns;
            } else {
                th.wait_queue = in.a;
                queue_of(th, in.a).getters.push_back(th.id);
                block(th, t, Py::WaitQueue);
                return;
            }
            break;
        case Op::Pickle: break;  // cost only
        case Op::AwaitSleep: {
            x.ready_at = t + jittered(prog->consts[(size_t)in.a], cfg.machine.io_jitter);
            async_switch(th, t);
            return;
        }
        default: break;
        }
        // The eval breaker: a pending drop request is noticed only here.
        if (prof.check_after[(size_t)in.op] && th.py == Py::Running) {
            Proc& p = procs[(size_t)th.proc];
            if (p.has_gil && p.gil.drop_request && p.gil.holder == th.id) {
                ++res.forced_switches;
                trace_event(th.clock, EventKind::ForcedSwitch, th.lane, (int64_t)pc_here);
                set_executing(th, false);
                if (drop_gil(th, th.clock, true)) {
                    th.py = Py::ForcedWait;
                    release_core(th, th.clock);
                    update_shown(th, th.clock);
                } else {
                    take_gil(th, th.clock);
                }
            }
        }
    }
    std::vector<SharedObj> lock_objs;
    SharedObj& lock_obj(Thread& th, int l) {
        size_t idx = (size_t)(prog->locks[(size_t)l].cross_process ? l : (int)prog->locks.size() * (th.proc + 1) + l);
        if (lock_objs.size() <= idx) lock_objs.resize(idx + 1);
        return lock_objs[idx];
    }

    // asyncio: the current task awaits; run the next ready one or block in select().
    void async_switch(Thread& th, int64_t t) {
        size_t n = th.ctx.size();
        for (size_t k = 1; k <= n; ++k) {
            size_t i = ((size_t)th.cur + k) % n;
            if (!th.ctx[i].done && th.ctx[i].ready_at <= t) {
                th.cur = (int)i;
                th.clock = t + prof.asyncio_switch_ns;
                return;
            }
        }
        int64_t wake = kInf;
        for (auto& c : th.ctx)
            if (!c.done) wake = std::min(wake, c.ready_at);
        if (wake == kInf) return;  // all done: handled by context_finished
        block(th, t, Py::Io);
        schedule(wake, Ev::IoDone, th.id, ++th.io_stamp);
    }
    void context_finished(Thread& th, int64_t t) {
        if (th.async_loop) {
            bool any = false;
            for (auto& c : th.ctx) any |= !c.done;
            if (any) {
                async_switch(th, t);
                return;
            }
        }
        th.stats.return_value = th.ctx[0].return_value;
        th.stats.done_at = t;
        ++done_threads;
        set_executing(th, false);
        drop_gil(th, t, false);
        th.py = Py::Done;
        release_core(th, t);
        update_shown(th, t);
    }

    // ------------------------------------------------------------------ fast-forward
    struct FF {
        std::vector<SlotId> slots;       // slot table
        std::vector<int8_t> known;       // slot has a known polynomial (value at start of iteration j)
        std::vector<Poly> known_p;
        std::vector<int64_t> head_value; // concrete value at j = 0
        std::vector<int8_t> written, read_first;
        std::vector<AV> final_v;         // value at the end of the iteration
        std::vector<int> stores;         // per slot: number of stores in one iteration
        std::vector<Cond> conds;
        int64_t cost = 0;
        int ninstr = 0;
        void clear() {
            slots.clear();
            known.clear();
            known_p.clear();
            head_value.clear();
            written.clear();
            read_first.clear();
            final_v.clear();
            stores.clear();
            conds.clear();
            cost = 0;
            ninstr = 0;
        }
    };
    struct AFrame {
        int fn, pc;
        std::vector<AV> locals;  // callee frames only
    };
    // Scratch space reused by every fast-forward attempt (no allocation in steady state).
    FF ff_scratch;
    std::vector<AFrame> ff_frames;
    size_t ff_depth = 0;
    std::vector<AV> ff_stack;
    std::vector<int> ff_locks;
    std::vector<int> ff_locks_used;
    int slot_of(FF& ff, SlotId s, int64_t concrete) {
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
    int64_t slot_value(Thread& th, const SlotId& s, int base) {
        switch (s.kind) {
        case SlotKind::Local: return th.c().locals[(size_t)(base + s.index)];
        case SlotKind::Global: return procs[(size_t)th.proc].globals[(size_t)s.index];
        case SlotKind::Shared: return shared_mem[(size_t)s.index];
        case SlotKind::List: return procs[(size_t)th.proc].lists[(size_t)s.index];
        }
        return 0;
    }
    void set_slot(Thread& th, const SlotId& s, int base, int64_t v) {
        switch (s.kind) {
        case SlotKind::Local: th.c().locals[(size_t)(base + s.index)] = v; break;
        case SlotKind::Global: procs[(size_t)th.proc].globals[(size_t)s.index] = v; break;
        case SlotKind::Shared: shared_mem[(size_t)s.index] = v; break;
        case SlotKind::List: procs[(size_t)th.proc].lists[(size_t)s.index] = v; break;
        }
    }

    // One symbolic pass over an iteration. Returns 0 ok, 1 structural failure (never
    // fast-forwardable), 2 failure for these values only.
    int ff_pass(Thread& th, FF& ff, int fn0, int head, int base0) {
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
            case Op::LoadGlobal: {
                SlotKind k = prog->globals[(size_t)in.a].scope == VarScope::SharedMemory ? SlotKind::Shared
                                                                                           : SlotKind::Global;
                stack.push_back(read_slot({k, in.a}));
                break;
            }
            case Op::StoreGlobal: {
                SlotKind k = prog->globals[(size_t)in.a].scope == VarScope::SharedMemory ? SlotKind::Shared
                                                                                           : SlotKind::Global;
                write_slot({k, in.a}, pop());
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
                    r.kind = AV::Opaque;
                    r.v0 = b.v0 ? a.v0 % b.v0 : 0;
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
                bool r = false;
                switch ((CmpKind)in.a) {
                case CmpKind::Lt: r = a.v0 < b.v0; break;
                case CmpKind::Le: r = a.v0 <= b.v0; break;
                case CmpKind::Gt: r = a.v0 > b.v0; break;
                case CmpKind::Ge: r = a.v0 >= b.v0; break;
                case CmpKind::Eq: r = a.v0 == b.v0; break;
                case CmpKind::Ne: r = a.v0 != b.v0; break;
                }
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
                if (top) return 1;
                AV v = pop();
                --ff_depth;
                stack.push_back(v);
                continue;  // the caller's pc was already advanced
            }
            case Op::PopTop: pop(); break;
            case Op::LockAcquire: {
                if (prog->locks[(size_t)in.a].cross_process) return 1;
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
                AV n = read_slot({SlotKind::List, in.a});
                write_slot({SlotKind::List, in.a}, add(n, konst(1), false));
                break;
            }
            default: return 1;  // blocking or scheduling instructions end a fast-forward
            }
            f.pc = next;
            if (top && f.pc == head) break;
        }
        for (int held : lock_state)
            if (held) return 1;
        if (!stack.empty()) return 1;
        return 0;
    }

    // Tries to run k >= 1 whole iterations of the loop whose head the thread sits at.
    bool try_fast_forward(Thread& th, int64_t te) {
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
    bool locate(Thread& th, const LoopSummary& sm, int base, int64_t& J) {
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
    LoopSummary* summarize(Thread& th, int fn, int head, int base, FFCacheEntry& ce) {
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
        sm.cost = ff.cost;
        sm.ninstr = ff.ninstr;
        return &sm;
    }

    // Runs k whole iterations (as many as fit the budget and keep the path) from the
    // summary's iteration J.
    bool apply_summary(Thread& th, const LoopSummary& sm, int base, int64_t J, int64_t budget) {
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
        th.clock += k * sm.cost - th.credit;
        th.credit = 0;
        res.instructions += (uint64_t)(k * sm.ninstr);
        res.fast_forwarded_iterations += (uint64_t)k;
        return true;
    }
    // First iteration j >= 1 at which (a + b*j) cmp 0 stops being `expect`; kInf if never.
    static int64_t first_flip(int64_t a, int64_t b, CmpKind cmp, bool expect) {
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

    // Runs an executing thread until its next instruction would take effect after te,
    // or it reaches a sync op it may not run yet, or it stops running bytecode.
    void advance(Thread& th, int64_t te) {
        bool may_sync = true;
        for (;;) {
            if (!th.executing) return;
            if (events_changed) {
                te = std::min(te, next_event_time());
                events_changed = false;
            }
            const Instr& in = cur_instr(th);
            int64_t c = std::max<int64_t>(0, op_cost(in) - th.credit);
            if (th.clock + c > te) return;
            if (is_sync(th, in)) {
                if (!may_sync) return;
                may_sync = false;
                exec_one(th);
                continue;
            }
            may_sync = false;
            if (cfg.fast_forward && loop_end[(size_t)th.c().frames.back().fn][(size_t)th.c().frames.back().pc] >= 0 &&
                try_fast_forward(th, te))
                continue;
            exec_one(th);
        }
    }

    // Key for ordering executing threads: when their next instruction takes effect.
    int64_t next_effect(Thread& th) {
        return th.clock + std::max<int64_t>(0, op_cost(cur_instr(th)) - th.credit);
    }

    // ------------------------------------------------------------------ events
    void handle(const Event& e) {
        ++res.events;
        switch (e.kind) {
        case Ev::ProcReady: {
            Proc& p = procs[(size_t)e.who];
            p.ready = true;
            if (e.who > 0) trace_event(e.t, EventKind::ProcessStart, -1, e.who);
            for (auto& th : threads)
                if (th.proc == e.who)
                    schedule(e.t + cfg.threads[(size_t)th.id].start_at, Ev::ThreadStart, th.id, 0);
            break;
        }
        case Ev::ThreadStart: {
            Thread& th = threads[(size_t)e.who];
            th.after_core = Next::Start;
            request_core(th, e.t);
            break;
        }
        case Ev::Wake: {
            Thread& th = threads[(size_t)e.who];
            if (e.stamp != th.wake_stamp) break;
            request_core(th, e.t);
            break;
        }
        case Ev::DropTimer: {
            Gil& g = procs[(size_t)e.who].gil;
            if (e.stamp != g.timer_stamp) break;
            if (g.locked && !g.drop_request && g.last_switch <= e.t - cfg.switch_interval_ns) {
                g.drop_request = true;  // SET_GIL_DROP_REQUEST
                ++res.drop_requests;
                int by = g.waiters.empty() ? -1 : threads[(size_t)g.waiters.front()].lane;
                trace_event(e.t, EventKind::DropRequest, g.holder >= 0 ? threads[(size_t)g.holder].lane : by, by);
                ++g.timer_stamp;
            } else {
                // Unlocked right now, or a switch happened meanwhile: the waiters wait again.
                rearm_drop_timer(e.who, e.t + 1);
            }
            break;
        }
        case Ev::IoDone: {
            Thread& th = threads[(size_t)e.who];
            if (e.stamp != th.io_stamp || th.py != Py::Io) break;
            // Latency is counted from when the sleep was due to end, as a program that times
            // time.sleep(x) and subtracts x sees it: timer slack included.
            th.io_done_at = th.async_loop ? e.t : e.t - cfg.machine.sleep_overshoot_ns;
            if (th.async_loop) {
                // select() returned: pick the task that is ready.
                for (size_t i = 0; i < th.ctx.size(); ++i)
                    if (!th.ctx[i].done && th.ctx[i].ready_at <= e.t) {
                        th.cur = (int)i;
                        break;
                    }
            }
            th.after_core = Next::TakeGil;
            schedule(e.t + wake_latency(), Ev::Wake, th.id, ++th.wake_stamp);
            break;
        }
        case Ev::CDone: {
            Thread& th = threads[(size_t)e.who];
            if (e.stamp != th.c_stamp || th.py != Py::CCode || !th.on_core) break;
            th.clock = e.t;
            take_gil(th, e.t);
            break;
        }
        case Ev::SliceEnd: {
            Thread& th = threads[(size_t)e.who];
            if (e.stamp != th.core_stamp || !th.on_core || runq.empty()) break;
            if (th.py != Py::Running && th.py != Py::CCode) break;
            preempt(th, e.t);
            break;
        }
        }
    }

    void setup() {
        prog = cfg.program.get();
        assert(prog);
        free_cores = std::max(1, cfg.machine.cores);
        const size_t ng = prog->globals.size();
        for (size_t i = 0; i < cfg.processes.size(); ++i) {
            Proc p;
            p.has_gil = prof.has_gil;
            for (const auto& g : prog->globals) p.globals.push_back(g.initial);
            p.gver.assign(ng, 0);
            p.gobj.assign(ng, SharedObj{});
            p.lists.assign(prog->lists.size(), 0);
            p.lobj.assign(prog->lists.size(), SharedObj{});
            p.locks.assign(prog->locks.size(), Lock{});
            p.queues.assign(prog->queues.size(), Queue{});
            procs.push_back(std::move(p));
        }
        for (const auto& g : prog->globals) shared_mem.push_back(g.initial);
        shared_ver.assign(ng, 0);
        shared_obj.assign(ng, SharedObj{});
        xlocks.assign(prog->locks.size(), Lock{});
        xqueues.assign(prog->queues.size(), Queue{});
        ff_cache.resize(prog->functions.size());
        loop_end.resize(prog->functions.size());
        for (size_t f = 0; f < prog->functions.size(); ++f) {
            const auto& code = prog->functions[f].code;
            ff_cache[f].assign(code.size() + 1, FFCacheEntry{});
            loop_end[f].assign(code.size() + 1, -1);
            for (size_t i = 0; i < code.size(); ++i)
                if (code[i].op == Op::JumpBackward) loop_end[f][(size_t)code[i].b] = (int)i;
        }
        if (cfg.record_trace) {
            trace = std::make_shared<Trace>();
            trace->max_intervals = cfg.trace_max_intervals;
            for (const auto& g : prog->globals) trace->variable_names.push_back(g.name);
            for (const auto& p : cfg.processes) trace->process_names.push_back(p.name);
        }
        for (size_t i = 0; i < cfg.threads.size(); ++i) {
            const ThreadSpec& ts = cfg.threads[i];
            Thread th;
            th.id = (int)i;
            th.proc = ts.process;
            th.loads.assign(ng, LoadRec{});
            th.stats.name = ts.name;
            th.stats.process = ts.process;
            if (trace) th.lane = trace->add_lane(ts.name, ts.process);
            threads.push_back(std::move(th));
        }
        for (size_t i = 0; i < cfg.threads.size(); ++i) {
            const ThreadSpec& ts = cfg.threads[i];
            Thread& th = threads[i];
            if (!ts.async_tasks.empty()) {
                th.async_loop = true;
                for (const auto& task : ts.async_tasks) {
                    th.ctx.emplace_back();
                    th.cur = (int)th.ctx.size() - 1;
                    push_frame(th, task.function, task.args.data(), (int)task.args.size());
                }
                th.cur = 0;
            } else {
                th.ctx.emplace_back();
                push_frame(th, ts.function, ts.args.data(), (int)ts.args.size());
            }
        }
        for (size_t p = 0; p < cfg.processes.size(); ++p) {
            const ProcessSpec& ps = cfg.processes[p];
            int64_t t = ps.start_at;
            if (ps.pay_start_cost) {
                switch (ps.method) {
                case StartMethod::Fork: t += prof.process_start_fork_ns; break;
                case StartMethod::Forkserver: t += prof.process_start_forkserver_ns; break;
                case StartMethod::Spawn: t += prof.process_start_spawn_ns; break;
                }
            }
            schedule(t, Ev::ProcReady, (int)p, 0);
        }
    }

    std::string describe_deadlock() {
        std::string s;
        for (auto& th : threads) {
            if (th.py == Py::Done) continue;
            std::string w = th.stats.name + " waits for ";
            if (th.py == Py::WaitLock && th.wait_lock >= 0) {
                Lock& L = lock_of(th, th.wait_lock);
                w += prog->locks[(size_t)th.wait_lock].name;
                if (L.owner >= 0) w += ", held by " + threads[(size_t)L.owner].stats.name;
            } else if (th.py == Py::WaitQueue && th.wait_queue >= 0) {
                w += "an item in " + prog->queues[(size_t)th.wait_queue].name + ", which stays empty";
            } else if (th.py == Py::WaitGil || th.py == Py::ForcedWait) {
                w += "the GIL";
            } else {
                w += "something that never comes";
            }
            s += (s.empty() ? "" : "; ") + w;
        }
        return s;
    }

    SimResult run(const RunControl* ctl) {
        setup();
        uint64_t loops = 0;
        for (;;) {
            ++loops;
            if (ctl && (loops & 1023) == 0 && ctl->cancelled()) {
                res.cancelled = true;
                break;
            }
            if (loops > cfg.max_steps) {
                res.step_limit_hit = true;
                break;
            }
            // Done when every thread is: timers still queued (a waiter's, say) are stale.
            if (done_threads == threads.size()) break;
            int64_t te = next_event_time();
            events_changed = false;
            // 1. Executing threads whose next instruction takes effect by te go first, in
            //    order of that effect time (ties: lowest thread id).
            Thread* pick = nullptr;
            int64_t best = kInf;
            for (int id : executing) {
                Thread& th = threads[(size_t)id];
                int64_t k = next_effect(th);
                if (k <= te && (k < best || (k == best && pick && th.id < pick->id))) {
                    best = k;
                    pick = &th;
                }
            }
            if (pick) {
                advance(*pick, te);
                continue;
            }
            if (te >= kInf) break;
            if (te > cfg.time_limit_ns) {
                res.time_limit_hit = true;
                now = cfg.time_limit_ns;
                break;
            }
            // 2. Everyone running is at te: they are in the middle of an instruction.
            for (int id : executing) {
                Thread& th = threads[(size_t)id];
                if (th.clock < te) {
                    th.credit += te - th.clock;
                    th.clock = te;
                }
            }
            Event e = events.top();
            events.pop();
            now = e.t;
            handle(e);
        }
        bool all_done = true;
        for (auto& th : threads) all_done &= th.py == Py::Done;
        // A finished run ends when its last thread did; otherwise where the simulation stopped.
        int64_t end = all_done ? 0 : now;
        for (auto& th : threads) end = std::max(end, all_done ? th.stats.done_at : std::max(th.clock, th.shown_since));
        res.completed = all_done;
        if (!all_done && !res.cancelled && !res.time_limit_hit && !res.step_limit_hit) {
            res.deadlock = true;
            res.deadlock_report = describe_deadlock();
            if (trace) trace->event(end, EventKind::Deadlock, -1);
        }
        res.end_ns = end;
        for (auto& th : threads) {
            th.stats.state_ns[(size_t)th.shown] += end - th.shown_since;
            res.threads.push_back(th.stats);
        }
        for (auto& p : procs) {
            res.globals.push_back(p.globals);
            res.list_lengths.push_back(p.lists);
        }
        res.shared_memory = shared_mem;
        if (trace) {
            trace->finish(end);
            res.trace = trace;
        }
        return std::move(res);
    }
};

Simulator::Simulator(const SimConfig& config, uint64_t seed) : m_(std::make_unique<Impl>(config, seed)) {}
Simulator::~Simulator() = default;
SimResult Simulator::run(const RunControl* ctl) { return m_->run(ctl); }

}  // namespace gil::sim
