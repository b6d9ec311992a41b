// sim_internal.h — the simulator's insides, shared by its parts (the way imgui_internal.h
// lets one ImGui context be implemented across several files). Not for use outside sim/.
//
// Index of the parts (each file implements a group of Simulator::Impl's methods):
//   sim.cpp        a run: setup, the main loop, deadlock detection, the result
//   sim_cores.cpp  events and cores: event queue, OS scheduler, time slices, shown thread states
//   sim_gil.cpp    the GIL (Python/ceval_gil.c), threading locks, queues, blocking
//   sim_exec.cpp   the interpreter: exec_one, instruction costs, shared-object costs, advance
//   sim_async.cpp  asyncio: switching an event loop's tasks at await
//   sim_ff.cpp     fast-forward: whole loop iterations in closed form (poly.h)
//   sim_races.cpp  the race detector: locksets of shared accesses, unguarded variables at the end
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
//     once (sim_ff.cpp), giving exactly the state and time that stepping
//     would; tests compare both.
//
// The GIL follows Python/ceval_gil.c: take_gil waits on a condition with a timeout of
// one switch interval; a timeout with no switch in between sets gil_drop_request; the
// holder notices it only after an instruction whose eval-breaker check the profile
// enables, drops the GIL, and (FORCE_SWITCHING) waits until another thread took it.
#pragma once
#include <algorithm>
#include <cassert>
#include <deque>
#include <limits>
#include <queue>

#include "engine/rng.h"
#include "engine/sim/poly.h"
#include "engine/sim/sim.h"

namespace gil::sim {

namespace detail {

constexpr int64_t kInf = std::numeric_limits<int64_t>::max() / 4;
#ifndef GILLAB_FF_MIN
#define GILLAB_FF_MIN 2
#endif
constexpr int64_t kFFMinIterations = GILLAB_FF_MIN;

// WaitThread: in Thread.start() until the new thread runs, or in join() until it has finished.
enum class Py : uint8_t { NotStarted, Running, WaitGil, ForcedWait, Io, CCode, WaitLock, WaitQueue, WaitThread, Done };
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

// The race detector's record of a thread's accesses to one variable with one set of locks.
struct AccessRec {
    int g = -1;
    bool store = false;
    uint64_t locks = 0;      // user locks held (bit = lock index)
    int64_t t0 = 0, t1 = 0;  // first and last such access
    int fn = 0, pc = 0;      // where (the first one)
    uint32_t epoch = 0;      // the thread's vector-clock epoch (its clock changes at start() and join())
    std::vector<uint32_t> vc;  // the thread's vector clock then
};
// An access inside a fast-forwarded loop's iteration: the locks the iteration holds there.
struct LoopAccess {
    int g = -1;
    bool store = false;
    uint64_t locks = 0;
    int fn = 0, pc = 0;
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
    std::vector<LoopAccess> accesses;  // for the race detector
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
    // How long the core it was last given had been idle then (a core idle longer than
    // MachineModel::halt_poll_ns halted, and waking it costs the GIL hand-off); 0 once used.
    int64_t core_idle_ns = 0;
    int core = -1;  // the core it is on, or was last on (-1: none yet)
    uint64_t wake_stamp = 0, gil_stamp = 0, core_stamp = 0, c_stamp = 0, io_stamp = 0;
    int64_t c_end = 0, c_remaining = 0;
    int64_t gil_wait_start = 0;   // when its current timed wait began (fixes its timeout phase)
    int wait_lock = -1, wait_queue = -1;
    int wait_thread = -1;          // Py::WaitThread: the thread it waits for
    bool joining = false;          // ... to finish (else: to start running)
    int starter = -1;              // the thread waiting in start() for this one to run
    bool start_requested = false;  // started (by the config or by start())
    bool process_main = false;     // the main thread of a process module code made (Process())
    std::vector<int> joiners;      // threads in join() on this one
    uint64_t held = 0;             // user locks it holds (bit = lock index; the race detector's lockset)
    std::vector<uint32_t> vc;      // its vector clock: what happened before (start() and join() order threads)
    uint32_t epoch = 0;            // bumped whenever vc changes
    std::vector<AccessRec> accesses;
    size_t last_access = 0;        // the record the last access updated (most are the same again)
    int64_t block_start = 0, io_done_at = -1;
    int64_t io_overshoot = 0;  // the current sleep's overshoot (sleep_overshoot_ns)
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
    int depth = 0;               // an RLock's acquisitions beyond the first by its owner
    int last_release_lane = -1;  // who released it last to a waiter (the trace's hand-off arrow)
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
    std::vector<std::vector<int64_t>> rt;  // runtime lists of values (Program::rt_lists)
    Gil gil;
    bool thread_started = false;  // a Thread.start() happened here (the first costs more)
};

}  // namespace detail

using namespace detail;

struct Simulator::Impl {
    SimConfig cfg;
    const Program* prog = nullptr;
    Rng rng;
    InterpreterProfile& prof;
    std::deque<Thread> threads;  // a deque: module code adds threads while others hold references
    size_t unstarted = 0;         // threads created by module code and never started
    int thread_names = 0;         // Thread-N: how many Thread() calls so far
    int process_names = 0;        // Process-N: how many Process() calls so far
    std::deque<Proc> procs;      // a deque: module code adds processes
    bool first_start[3] = {false, false, false};  // the parent's first process of each method started
    std::vector<int64_t> shared_mem;
    std::vector<uint64_t> shared_ver;
    std::vector<SharedObj> shared_obj;
    std::vector<Lock> xlocks;    // cross-process locks
    std::vector<Queue> xqueues;  // cross-process queues
    std::priority_queue<Event, std::vector<Event>, std::greater<Event>> events;
    uint64_t seq = 0;
    bool events_changed = false;
    int free_cores = 0;
    std::vector<int64_t> idle_since;  // per core: since when it has had no thread
    std::vector<char> core_free;      // per core
    size_t done_threads = 0;
    std::deque<int> runq;
    std::vector<int> executing;  // ids of threads running bytecode on a core
    int64_t now = 0;
    uint64_t stepped = 0;  // instructions run one at a time (SimConfig::max_stepped_instructions)
    SimResult res;
    std::shared_ptr<Trace> trace;
    std::vector<std::vector<FFCacheEntry>> ff_cache;  // [function][pc]
    std::vector<std::vector<int>> loop_end;           // [function][pc] -> back-edge index or -1

    Impl(const SimConfig& c, uint64_t seed)
        : cfg(c), rng(seed), prof(cfg.profile),
          wait_overshoot_ns(sleep_overshoot_ns(prof, cfg.machine, std::max<int64_t>(1, cfg.switch_interval_ns), false)) {}
    // How late each of the GIL's timed waits (one switch interval) returns: computed once.
    const int64_t wait_overshoot_ns;

    // ------------------------------------------------------------------ helpers
    void schedule(int64_t t, Ev k, int who, uint64_t stamp);
    int64_t next_event_time() const { return events.empty() ? kInf : events.top().t; }
    int64_t jittered(int64_t base, double frac);
    int64_t wake_latency() { return jittered(cfg.machine.wake_latency_ns, cfg.machine.wake_jitter); }
    const Instr& cur_instr(Thread& th);
    uint32_t cur_pc(Thread& th);
    uint32_t trace_pc(int fn, int pc) const;
    int64_t op_cost(const Instr& in) const;
    int64_t pickle_cost(int64_t bytes) const;
    Lock& lock_of(Thread& th, int l);
    Queue& queue_of(Thread& th, int q);

    bool is_sync(const Thread& th, const Instr& in) const;

    // ------------------------------------------------------------------ trace/state
    ThreadState derive_shown(const Thread& th) const;
    void update_shown(Thread& th, int64_t t);
    void trace_event(int64_t t, EventKind k, int lane, int64_t a = 0, int64_t b = 0);

    // ------------------------------------------------------------------ cores
    void set_executing(Thread& th, bool on);
    void request_core(Thread& th, int64_t t);
    void arm_slice(Thread& th, int64_t t);
    void give_core(Thread& th, int64_t t);
    void release_core(Thread& th, int64_t t);
    void on_core_action(Thread& th, int64_t t);
    void start_executing(Thread& th, int64_t t);
    void preempt(Thread& th, int64_t t);

    // ------------------------------------------------------------------ the GIL
    void take_gil(Thread& th, int64_t t);
    void rearm_drop_timer(int proc, int64_t now_t);
    void note_running(Thread& th, int64_t t);
    void acquire_gil(Thread& th, int64_t t);
    bool drop_gil(Thread& th, int64_t t, bool on_request);

    // ------------------------------------------------------------------ locks, queues
    void lock_acquire(Thread& th, int l, int64_t t);
    void lock_release(Thread& th, int l, int64_t t);
    void retry_lock(Thread& th, int64_t t);
    void queue_put(Thread& th, int q, int64_t v, int64_t t);
    bool queue_try_get(Thread& th, int q, int64_t t);
    void retry_queue(Thread& th, int64_t t);
    void block(Thread& th, int64_t t, Py why);
    // Module code's threads: threading.Thread(...), start(), join(), a thread running at last.
    int new_thread(Thread& parent, int fn, const int64_t* args, int nargs, int proc = -1, const std::string* name = nullptr);
    int new_process(Thread& parent, int fn, const int64_t* args, int nargs);
    Proc make_proc(const std::vector<int64_t>* globals);
    bool thread_start(Thread& th, int h, int64_t t);
    bool thread_join(Thread& th, int h, int64_t t);
    void wake_waiter(Thread& w, int64_t t);
    // The race detector: locks held, accesses noted, findings at the end.
    uint64_t lock_bit(int l) const {
        return l >= 0 && l < 64 && !prog->locks[(size_t)l].internal ? uint64_t(1) << l : 0;
    }
    void note_access(Thread& th, int g, bool store, uint64_t locks, int64_t t0, int64_t t1, int fn, int pc);
    void vc_tick(Thread& th);                          // its own component moves on
    void vc_started(Thread& parent, Thread& child);    // start(): the child knows what the parent did
    void vc_joined(Thread& joiner, const Thread& done);  // join(): the joiner knows what the thread did
    void find_races(int64_t end);

    // ------------------------------------------------------------------ values
    int64_t& gref(Thread& th, int g, uint64_t*& ver, SharedObj*& obj);
    int64_t shared_cost(Thread& th, SharedObj& o, int64_t t, bool is_lock);

    // ------------------------------------------------------------------ execution
    void push_frame(Thread& th, int fn, const int64_t* args, int nargs);

    void exec_one(Thread& th);
    std::vector<SharedObj> lock_objs;
    SharedObj& lock_obj(Thread& th, int l);

    void async_switch(Thread& th, int64_t t);
    void context_finished(Thread& th, int64_t t);

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
        std::vector<LoopAccess> accesses;
        int64_t cost = 0;
        int ninstr = 0;
        void clear() {
            accesses.clear();
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
    int slot_of(FF& ff, SlotId s, int64_t concrete);
    int64_t slot_value(Thread& th, const SlotId& s, int base);
    void set_slot(Thread& th, const SlotId& s, int base, int64_t v);

    int ff_pass(Thread& th, FF& ff, int fn0, int head, int base0);

    bool try_fast_forward(Thread& th, int64_t te);

    bool locate(Thread& th, const LoopSummary& sm, int base, int64_t& J);

    LoopSummary* summarize(Thread& th, int fn, int head, int base, FFCacheEntry& ce);

    bool apply_summary(Thread& th, const LoopSummary& sm, int base, int64_t J, int64_t budget);
    static int64_t first_flip(int64_t a, int64_t b, CmpKind cmp, bool expect);

    void advance(Thread& th, int64_t te);

    int64_t next_effect(Thread& th);

    // ------------------------------------------------------------------ events
    void handle(const Event& e);

    void setup();

    std::string describe_deadlock();

    SimResult run(const RunControl* ctl);
};

}  // namespace gil::sim
