// versions.h — THE version table: one row per CPython version the lab models.
//
// Every question about an interpreter version is asked of its row: does it have a GIL,
// where is the eval breaker checked (where a thread can be switched out), whose bytecode
// does it show and run, what does each instruction cost and were those costs measured on
// this machine kind or estimated, which start method does multiprocessing use by default.
// Nothing else in the code compares version strings.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gil {

// Where the interpreter checks its eval breaker (so where a pending GIL drop request, and
// with it a thread switch, can take effect).
enum class EvalBreaker : uint8_t {
    EveryDispatch,         // 3.9: after every instruction that ends in DISPATCH() (ceval.c); the
                           // FAST_DISPATCH() ones (LOAD_FAST, LOAD_CONST, STORE_FAST, POP_TOP,
                           // JUMP_FORWARD, POP_JUMP_IF_*) skip it
    BackEdgesAndCalls,     // 3.10: backward jumps and calls (and function entry)
    ResumeBackEdgesCalls,  // 3.11+: RESUME, JUMP_BACKWARD and calls (Python/bytecodes.c)
};

// The system call time.sleep() waits in (Modules/timemodule.c, pysleep()): select() up to 3.10,
// clock_nanosleep() from 3.11 (What's New in Python 3.11). Linux slacks a select() timeout by
// 0.1% of its length, at least the thread's timer slack (fs/select.c, select_estimate_accuracy()),
// a clock_nanosleep() by the timer slack only (50 us by default), so time.sleep(0.5) returns
// about 0.5 ms late on 3.9 and 3.10 and 0.2 ms late on 3.11+ here (tests/fidelity/sleep_overshoot.py).
enum class SleepCall : uint8_t { Select, ClockNanosleep };

// Nanoseconds per instruction class, fitted to CPython on this project's machine kind
// (docs/fidelity.md says how).
struct InstrCosts {
    int64_t for_iter, store_fast, jump_back, load_fast, load_const, load_global, store_global, compare, pop_jump,
        call, resume, ret, add, mul, lock_acq, lock_rel;
};

// How late a clock_nanosleep() of `length_ns` returns on this machine, its wake-up included.
struct OvershootPoint {
    int64_t length_ns = 0, overshoot_ns = 0;
};
constexpr size_t kOvershootPoints = 10;  // 0.1, 0.3, 1, 2, 5, 10, 20, 50, 100, 500 ms

// What this machine's kernel and CPython's own Python cost beyond the instructions: one
// record per measured version (host_costs() finds a row's by costs_from), copied whole into
// the simulator's profile (InterpreterProfile derives from it), so each field is named once
// here and once in versions.cpp's table, never passed by position.
struct HostCosts {
    // A GIL hand-off: from the holder dropping it to the new holder running bytecode, beyond
    // the OS wake-up the machine model charges (the waiter's futex wake-up on another core,
    // its cold caches, the dropping thread's FORCE_SWITCHING wait). Measured here from the
    // convoy program (tests/fidelity/convoy.py): real median delay minus the interval minus
    // the same sleep's overshoot alone, minus the machine model's wake-up (docs/fidelity.md).
    // A free-threaded build has no GIL to hand off: profile_for() leaves it at 0 there.
    int64_t gil_handoff_ns = 0;
    // concurrent.futures' own Python per task, with the GIL held, beyond the work queue's put and
    // get (which the simulator charges as queue operations): the parent's submit() (Future,
    // _WorkItem, the shutdown lock, _adjust_thread_count), a worker's run of the work item
    // (set_running_or_notify_cancel, set_result and its notify), the parent's result() per
    // future. Measured here by tests/fidelity/pool_parts.py (docs/fidelity.md); the process
    // pool's parent and workers run the same bookkeeping per call item.
    int64_t pool_submit_ns = 0, pool_worker_ns = 0, pool_result_ns = 0;
    // A threading.Lock release that finds a waiter registered on the lock's semaphore: sem_post's
    // futex_wake system call (glibc makes it whenever the semaphore counts a waiter, asleep or
    // already woken), charged to the releasing thread, which holds the GIL throughout; the lock
    // is free meanwhile. What turns 3.9's contended lock into a convoy that feeds itself
    // (docs/fidelity.md); fitted here to tests/fidelity/lock_blocks.py.
    int64_t lock_wake_ns = 0;
    // The process pool's manager wake-up per submit() (Lib/concurrent/futures/process.py,
    // _ThreadWakeup): the parent's send_bytes(b"") on the wake-up pipe (modelled with the GIL
    // released, as its os.write is) and the manager thread's loop when that wakes it
    // (mp.connection.wait, clear(), with the GIL). Measured by tests/fidelity/pool_wakeup.py.
    int64_t pool_wakeup_ns = 0, pool_manager_ns = 0;
    // A process pool message's CPU time in each thread that handles it, beyond what the
    // model's own steps charge that thread (the queue operations, the pickling, the fixed
    // costs above): the main thread (submit() and result(), half each), the manager thread
    // (per result), the call queue's feeder thread (per call item) and the worker process
    // (per call item). What multiprocessing's pipes and locks cost per message in Python and
    // in the kernel (send_bytes and recv_bytes, the selector the manager builds on each pass,
    // the queues' SemLocks, the Condition waits and their futex wake-ups). Measured as each
    // thread's time.thread_time() per message in a real pool (tests/fidelity/pool_threads.py),
    // less the lab's own charge for that thread: scripts/measure_cpython.py --only poolthreads.
    int64_t pool_msg_main_ns = 0, pool_msg_manager_ns = 0, pool_msg_feeder_ns = 0, pool_msg_worker_ns = 0;
    // The same threads' CPU once per pool, whatever its messages: the main thread's executor
    // construction, its forks of the workers and shutdown(); the manager thread's start and its
    // joins; the feeder thread's; each worker's first steps after the fork (its copy-on-write
    // page faults among them). Measured with one chunk per worker (pool_threads.py 2000 50 2
    // 1000) less those messages: scripts/measure_cpython.py --only poolthreads.
    int64_t pool_fixed_main_ns = 0, pool_fixed_manager_ns = 0, pool_fixed_feeder_ns = 0, pool_fixed_worker_ns = 0;
    // How late a sleep (time.sleep on 3.11+: clock_nanosleep) of each length returns here,
    // wake-up included: the kernel's 50 us timer slack plus waking a core that was idle, which
    // costs more the longer it was idle (KVM stops polling a halted vCPU after 200 us, then the
    // host's own idle states). The GIL's timed wait (a futex wait with a timeout) is slacked
    // the same way. An OS cost, the same for every version (versions.cpp, kSleepOvershoot);
    // sim::sleep_overshoot_ns() interpolates it and adds select()'s slack for 3.9 and 3.10.
    std::array<OvershootPoint, kOvershootPoints> sleep_overshoot{};
};

// Free-threaded builds: an access to an object shared with another running thread.
struct FreeThreadingCosts {
    int64_t shared_access_ns = 0;      // uncontended atomic refcount / per-object lock
    int64_t contended_access_ns = 0;   // extra when another core touched it just before
    int64_t contention_window_ns = 200;
};

struct VersionRow {
    const char* name;            // "3.9" ... "3.14t": the value of every `version` parameter
    int minor;                   // 9 ... 14
    bool has_gil;                // false: a free-threaded build (PEP 703)
    const char* with_gil;        // the same version with its GIL (itself when it has one)
    const char* bytecode;        // the real CPython whose bytecode it shows and runs ("3.13" for 3.14)
    EvalBreaker breaker;
    SleepCall sleep_call;        // what time.sleep() waits in
    const char* start_method;    // multiprocessing's default start method on Linux
    const char* costs_from;      // the measured version whose cost tables (instructions, host) it uses
    double cost_factor;          // x that instruction table (1 = the table as measured)
    bool costs_measured;         // true: fitted here; false: an estimate from published figures
    const char* cost_note;       // one sentence: where the costs come from
    FreeThreadingCosts free_threading;  // {} for a build with a GIL
};

// All rows, oldest first. The default row (the one parameters start at) is default_version().
const std::vector<VersionRow>& versions();
const VersionRow* find_version(std::string_view name);
const VersionRow& default_version();          // 3.12
std::vector<std::string> version_names();     // the choices of a `version` parameter
// The cost tables a row uses (measured rows point at their own).
const InstrCosts& instr_costs(const VersionRow& row);
const HostCosts& host_costs(const VersionRow& row);
// "3.12 (bytecode of CPython 3.12)" / "3.14 (shows and runs CPython 3.13's bytecode: 3.14 is
// not installed here)": what `describe` and the UI say about the row.
std::string version_note(const VersionRow& row);

}  // namespace gil
