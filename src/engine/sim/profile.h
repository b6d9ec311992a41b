// profile.h — what distinguishes one CPython version from another in the simulator, and
// the machine it runs on.
//
// An interpreter profile says whether there is a GIL, what each instruction costs,
// and the costs of threads, processes, pickling and free-threading. Default costs were
// fitted to real CPython 3.9-3.13 timed on this project's machine kind (docs/fidelity.md);
// `gillab calibrate --python PATH` measures them again on yours and writes a file that
// `gillab run --profile FILE` loads.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/sim/program.h"
#include "engine/versions.h"

namespace gil::sim {

// The host costs (GIL hand-off, the pools' and the Lock's OS and bookkeeping costs) are the
// HostCosts base: profile_for() copies the version's whole, a calibration file overrides them
// by name (gil_handoff_ns, pool_submit_ns, ...).
struct InterpreterProfile : HostCosts {
    std::string version;   // "3.9" ... "3.14t"
    bool has_gil = true;
    SleepCall sleep_call = SleepCall::ClockNanosleep;  // the version row's: what time.sleep() waits in
    // Cost of each instruction in ns (BinaryOp uses the per-kind costs below).
    std::array<int64_t, (size_t)Op::Count> cost{};
    int64_t binop_add = 12, binop_mul = 15, binop_other = 12;
    // Free-threaded builds: instructions that touch an object shared with another
    // running thread pay for the atomic reference count / per-object lock and the cache
    // line moving between cores (VersionRow::free_threading).
    int64_t shared_access_ns = 0;      // uncontended atomic refcount on a shared object
    int64_t contended_access_ns = 0;   // extra when another core touched it just before
    int64_t contention_window_ns = 200;
    double single_thread_factor = 1.0; // informational: costs already include it
    // Threads, processes and data.
    // Thread.start() until the new thread runs, beyond the wake-ups the simulator charges: a
    // thread that needs a new stack (every thread alive at once in a fresh process), and what
    // the process's first start adds. tests/fidelity/thread_start.py with CPython 3.13, medians
    // of 10 fresh processes (2026-12-03 14:10 UTC, AMD EPYC, quiet): later starts 155 us, the first
    // 291 us (3.9-3.12: 148-165 and 260-350), less the lab's own ~30 us of wake-ups in start().
    // The same program's starts after those threads ended took 116-162 us, no cheaper; a loop
    // of one thread at a time, each joined first (thread_objects.py), starts in 75-82 us,
    // which the model does not separate.
    int64_t thread_start_ns = 125'000;
    int64_t thread_first_extra_ns = 136'000;
    // Starting (and joining) one process, measured by tests/fidelity/process_start.py with
    // CPython 3.13 here (scripts/measure_cpython.py): later starts, and what the parent's
    // first start of each method adds (the forkserver starts its server then).
    // Medians of 10 runs, 2026-12-03 10:00 UTC on AMD EPYC (tests/fidelity/measured.json): later
    // starts fork 2.5, forkserver 20.2, spawn 59.7 ms; first starts 7.7, 75.3, 66.7 ms (the
    // 2026-12-02 Xeon: 2.3, 26.8, 91.6 and 7.7, 105.3, 101.9 ms).
    int64_t process_start_fork_ns = 2'300'000;
    int64_t process_start_forkserver_ns = 20'200'000;
    int64_t process_start_spawn_ns = 59'700'000;
    int64_t process_first_extra_fork_ns = 5'400'000;
    int64_t process_first_extra_forkserver_ns = 55'100'000;
    int64_t process_first_extra_spawn_ns = 7'000'000;
    double pickle_ns_per_byte = 3.0;  // lists of ints: ~6.6 dumps+loads measured; bytes are far cheaper
    int64_t pickle_fixed_ns = 2'000;
    int64_t pipe_latency_ns = 25'000;  // one message through a pipe, process to process
    int64_t queue_op_ns = 1'500;       // queue.Queue put/get inside one process
    int64_t asyncio_switch_ns = 9'000; // one task switch through the event loop
    std::string source;                // "built-in (fitted on ...)" or the calibration file
};

// When the i-th of the threads a parent starts one after another begins (i from 0), as
// Thread.start() charges it in a fresh process: each start costs thread_start_ns, the first
// also thread_first_extra_ns. For experiments that set their threads up without module code.
inline int64_t thread_start_at(const InterpreterProfile& p, int i) {
    return p.thread_first_extra_ns + (int64_t)(i + 1) * p.thread_start_ns;
}

// The built-in profile of a version row (its costs, check points, GIL).
InterpreterProfile profile_for(const VersionRow& row);
// Reads a calibration file (key = value lines, as written by `gillab calibrate`) over
// the built-in profile of its version. Returns "" or an error sentence.
std::string load_profile_file(const std::string& path, InterpreterProfile& out);
// The same for a profile's text; `path` names it in the error sentences. Fuzzed
// (tests/fuzz/fuzz_params.cpp): any text is a profile or one sentence.
std::string parse_profile_text(const std::string& text, const std::string& path, InterpreterProfile& out);
std::string profile_to_text(const InterpreterProfile& p);

// Profile used for new runs when a calibration file was loaded (CLI --profile).
void set_profile_override(const InterpreterProfile* p);
const InterpreterProfile* profile_override();

struct MachineModel {
    int cores = 4;
    int64_t timeslice_ns = 3'000'000;     // OS time slice when more threads want CPU than cores
    int64_t wake_latency_ns = 15'000;     // from signal/IO completion until the thread runs
    double wake_jitter = 0.6;             // +- fraction of the latency, from the seed
    int64_t context_switch_ns = 2'000;
    // How long a core stays awake after its last thread went to sleep: KVM polls a halted vCPU
    // for up to halt_poll_ns (200 us, x86's KVM_HALT_POLL_NS_DEFAULT; Documentation/virt/kvm/
    // halt-polling.rst). A GIL hand-off to a thread that slept longer pays gil_handoff_ns.
    int64_t halt_poll_ns = 200'000;
    double io_jitter = 0.0001;            // +- fraction of each sleep / I/O wait (time.sleep(0.5) here: +-50 us)
    int64_t timer_slack_ns = 50'000;     // a thread's default timer_slack_ns (prctl(PR_SET_TIMERSLACK))
    int64_t select_slack_divisor = 1000; // a select() timeout's slack: its length / 1000 (fs/select.c)
    double sync_jitter_ns = 6.0;          // free-threaded: timing noise per shared access
};

// The delay beyond `length_ns` after which a sleep (select: time.sleep on 3.9 and 3.10) or a
// timed wait ends, before the machine's wake-up latency: the host's measured overshoot at that
// length (HostCosts::sleep_overshoot, interpolated in log length) less wake_latency_ns, plus
// select()'s slack beyond the timer slack.
int64_t sleep_overshoot_ns(const HostCosts& host, const MachineModel& m, int64_t length_ns, bool select);
// What a select() timeout of `length_ns` is slacked by beyond a clock_nanosleep()'s.
int64_t select_extra_slack_ns(const MachineModel& m, int64_t length_ns);

}  // namespace gil::sim
