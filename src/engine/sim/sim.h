// sim.h — the deterministic, event-driven simulator of a CPython-like interpreter, its
// GIL (after Python/ceval_gil.c), the OS scheduler and cores underneath, processes,
// locks, queues and asyncio.
//
// Time is virtual, in integer nanoseconds. The cost of a run grows with the number of
// state changes, not of instructions: between two events a thread's loop is advanced
// in closed form (sim_ff.cpp), exactly as stepping it would, so 2 x 10^8 loop
// iterations take milliseconds. Same config + same seed => identical trace.
//
// Usage: fill a SimConfig (profile, machine, processes, threads, program), construct
// Simulator, call run(), read SimResult (and the Trace when recording).
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/experiment.h"
#include "engine/sim/profile.h"
#include "engine/sim/program.h"
#include "engine/trace.h"

namespace gil::sim {

enum class StartMethod : uint8_t { Fork, Forkserver, Spawn };
// Starting and joining one process with this method; `first`: the parent's first process of
// this method, which costs more (InterpreterProfile::process_first_extra_*).
inline int64_t process_start_cost(const InterpreterProfile& p, StartMethod m, bool first) {
    switch (m) {
    case StartMethod::Forkserver: return p.process_start_forkserver_ns + (first ? p.process_first_extra_forkserver_ns : 0);
    case StartMethod::Spawn: return p.process_start_spawn_ns + (first ? p.process_first_extra_spawn_ns : 0);
    case StartMethod::Fork: break;
    }
    return p.process_start_fork_ns + (first ? p.process_first_extra_fork_ns : 0);
}

struct ProcessSpec {
    std::string name = "MainProcess";
    int64_t start_at = 0;       // when the parent starts creating it
    StartMethod method = StartMethod::Fork;
    bool pay_start_cost = false;  // false for the main process (already running)
};

struct TaskSpec {
    int function = 0;
    std::vector<int64_t> args;
};

struct ThreadSpec {
    std::string name;
    int process = 0;
    int function = 0;                // entry function
    std::vector<int64_t> args;
    int64_t start_at = 0;            // relative to its process being ready
    std::vector<TaskSpec> async_tasks;  // non-empty: this thread runs an asyncio event loop
};

struct SimConfig {
    InterpreterProfile profile;
    MachineModel machine;
    static constexpr int64_t kDefaultSwitchIntervalNs = 5'000'000;  // CPython's default: 5 ms
    int64_t switch_interval_ns = kDefaultSwitchIntervalNs;  // sys.setswitchinterval
    std::shared_ptr<const Program> program;
    std::vector<ProcessSpec> processes{ProcessSpec{}};
    std::vector<ThreadSpec> threads;
    bool record_trace = true;
    size_t trace_max_intervals = 2'000'000;
    int64_t time_limit_ns = 3'600'000'000'000;  // one simulated hour
    // Work cap: main-loop steps (events + thread advances). Each costs ~50-100 ns, so a
    // run stops after a few seconds at most; what it simulated so far is kept.
    static constexpr uint64_t kDefaultMaxSteps = 40'000'000;
    uint64_t max_steps = kDefaultMaxSteps;
    // Work cap on instructions run one at a time (loops that cannot be fast-forwarded): a
    // few seconds of stepping. Reaching it ends the run like max_steps does.
    uint64_t max_stepped_instructions = 200'000'000;
    bool fast_forward = true;                   // off: step every instruction (tests)
    size_t max_lost_details = 2000;
    size_t max_threads = 256;                   // threads module code may create (a RuntimeError past it)
    StartMethod start_method = StartMethod::Fork;  // for processes module code starts (until set_start_method)
};

struct ThreadStats {
    std::string name;
    int process = 0;
    int64_t state_ns[(size_t)ThreadState::Count] = {};
    int64_t started_at = -1, done_at = -1;
    int64_t return_value = 0;
    uint64_t gil_acquisitions = 0;
};

// A shared variable two threads access at the same time, at least one writing, with no lock
// they both hold (the lockset of Eraser, Savage et al. 1997, with concurrency from the threads'
// lifetimes: start() and join() order what happens before and after them). Found on runs
// that lost nothing too: it says the code is not thread-safe, not that this run went wrong.
struct RaceFinding {
    int var = -1;                 // Program::globals index
    std::string name;             // its name ("counter", "x.value")
    int thread_a = -1, thread_b = -1;
    bool store_a = false, store_b = false;
    int line_a = 0, line_b = 0;   // source lines of the two accesses
    uint32_t pc_a = 0, pc_b = 0;  // trace pcs: (code object << 16) | instruction
};

struct SimResult {
    int64_t end_ns = 0;
    bool completed = false;        // every thread finished
    bool deadlock = false;
    std::string deadlock_report;   // "Thread-1 waits for lock_b, held by Thread-2; ..."
    bool time_limit_hit = false;
    bool step_limit_hit = false;   // SimConfig::max_steps reached
    bool cancelled = false;
    std::string error;             // the program failed at run time ("RuntimeError: ..."): the run stopped there
    std::vector<ThreadStats> threads;
    // Final values of globals, per process: globals[process][var].
    std::vector<std::vector<int64_t>> globals;
    std::vector<int64_t> shared_memory;   // VarScope::SharedMemory values
    std::vector<std::vector<int64_t>> list_lengths;
    uint64_t gil_switches = 0;     // the GIL went to a different thread
    uint64_t gil_acquisitions = 0;
    uint64_t drop_requests = 0;
    uint64_t forced_switches = 0;
    uint64_t lost_update_events = 0;
    std::string output;            // what the program's print() calls wrote (cut at 64 KiB)
    bool int_wrapped = false;      // an int left 64 bits (Python's would not): values computed from it differ from Python's
    int64_t lost_update_total = 0; // increments overwritten (sum over events)
    uint64_t lock_handoffs = 0;
    uint64_t lock_contended = 0;   // acquisitions that had to block
    std::vector<RaceFinding> races;           // one per unguarded shared variable
    std::vector<int64_t> io_wake_latency_ns;  // from I/O completion to running bytecode again
    std::vector<int64_t> lock_wait_ns;        // time spent blocked per contended acquire
    uint64_t state_changes = 0;    // thread state transitions (the cost measure)
    uint64_t events = 0;
    uint64_t steps = 0;            // main-loop steps taken (what SimConfig::max_steps caps)
    uint64_t instructions = 0;     // bytecode instructions executed (fast-forwarded included)
    uint64_t fast_forwarded_iterations = 0;
    // Timeouts of waiters' COND_TIMED_WAIT in take_gil. CPython wakes each waiter at each
    // one; the simulator accounts for them in closed form (one timer per process), and
    // counts them here.
    uint64_t timed_wait_expiries = 0;
    std::shared_ptr<Trace> trace;
};

// "counter: written by Thread-1 (work) at line 18 and by Thread-2 (work) at line 18, with no lock
// in common" (thread names from the result's threads).
std::string race_text(const SimResult& s, const RaceFinding& f);

// The most steps one simulator run on this thread took since the last call (then 0): the
// estimate before a run (estimate_work, experiment.h) reads its pilot runs with it.
uint64_t take_most_steps();

class Simulator {
public:
    Simulator(const SimConfig& config, uint64_t seed);
    ~Simulator();
    Simulator(const Simulator&) = delete;
    Simulator& operator=(const Simulator&) = delete;
    // Runs to the end (all threads done, deadlock, time limit or cancellation).
    SimResult run(const RunControl* ctl = nullptr);

private:
    struct Impl;
    std::unique_ptr<Impl> m_;
};

}  // namespace gil::sim
