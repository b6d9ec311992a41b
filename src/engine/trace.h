// trace.h — what a run leaves behind for the timeline: per-thread state intervals and
// point events, for the simulator and the real-thread experiments alike.
//
// Invariant: the intervals of one lane tile [0, end) with no gap or overlap, so an
// interval stores only its start; it ends where the next one starts (or at lane.end).
// This halves memory and makes the "tiles the run" property true by construction.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace gil {

enum class ThreadState : uint8_t {
    NotStarted = 0,
    Running,     // executing bytecode (holding the GIL when there is one)
    WaitGil,     // wants the GIL, blocked on its condition variable
    WaitCore,    // runnable, but every core is busy: in the OS run queue
    Io,          // blocked in I/O (time.sleep, socket) with the GIL released
    CCode,       // in C code that released the GIL (NumPy-like kernel)
    WaitLock,    // blocked on a threading.Lock (GIL released while blocked)
    Done,
    Count
};
const char* state_name(ThreadState s);       // "running", "wait-gil", ...
const char* state_label(ThreadState s);      // "Running bytecode", ...

enum class EventKind : uint8_t {
    GilTake,        // a thread took the GIL (a = previous holder lane or -1)
    DropRequest,    // a waiter timed out and set gil_drop_request (a = holder lane)
    ForcedSwitch,   // the holder dropped the GIL at a check point because of a request
    LostUpdate,     // a store overwrote updates made since this thread's load (a = lost count, b = load time)
    Deadlock,       // every live thread waits on something that will never come
    LockHandoff,    // a Lock waiter got the lock (a = lock id, b = the lane that released it, -1 unknown)
    ProcessStart,   // a process finished starting (a = start cost ns)
    Note,           // free-form marker (a = user value)
    WaitFor,        // a thread blocked on another: a = the lock id it waits for (-1: a join), b = that lane
    Count
};
const char* event_name(EventKind k);

struct Interval {
    int64_t t0;         // start in ns; the end is the next interval's t0 (or Lane::end)
    uint32_t info;      // simulator: instruction index (pc); real runs: iteration count / 1024
    ThreadState state;
};

struct Lane {
    std::string name;   // "MainThread", "Thread-1", "Process-2/Thread-1", "worker 3"
    int process = 0;    // lanes are grouped by process in the UI
    int64_t end = 0;
    std::vector<Interval> intervals;
};

struct TraceEvent {
    int64_t t;
    EventKind kind;
    int32_t lane;       // the thread it happened to (or -1)
    int64_t a = 0, b = 0;
};

// Details of one lost update: enough to draw the interleaving that lost it.
struct LostUpdateDetail {
    int32_t victim_lane;     // the thread whose stale store lost the others' updates
    int64_t load_time, preempt_time, store_time;
    int64_t loaded_value, stored_value, overwritten_value;
    int32_t variable;        // index into Trace::variable_names
    uint32_t load_pc, store_pc;
};

struct Trace {
    std::vector<Lane> lanes;
    std::vector<TraceEvent> events;
    std::vector<LostUpdateDetail> lost_updates;
    std::vector<std::string> variable_names;
    std::vector<std::string> process_names;
    int64_t end = 0;
    // Bounded memory: when a cap is reached, further detail is dropped and counted.
    size_t max_intervals = 4'000'000;
    size_t max_events = 1'000'000;
    size_t intervals_total = 0;       // every state change ever recorded
    size_t stored_intervals = 0;      // held now
    int64_t min_duration = 0;         // > 0 once the cap was hit: shorter intervals are folded
    uint64_t dropped_intervals = 0, dropped_events = 0;
    bool truncated() const { return dropped_intervals || dropped_events; }

    int add_lane(std::string name, int process);
    // Appends a state change; merges with the previous interval when the state and info
    // are unchanged, and drops (counting) past the cap.
    void set_state(int lane, int64_t t, ThreadState s, uint32_t info = 0);
    void event(int64_t t, EventKind k, int lane, int64_t a = 0, int64_t b = 0);
    void finish(int64_t t_end);     // closes every lane at t_end
    size_t interval_count() const;
    void coarsen();
    int64_t end_hint() const;
    // Time each lane spent in each state, in ns.
    std::vector<std::vector<int64_t>> state_totals() const;
};

// What a simulated interval's pc (Interval::info) points at: the program's source line, its
// code object and instruction as dis shows them ("work", "LOAD_GLOBAL counter").
struct PcInfo {
    int line = 0;
    std::string code, instruction;
};
using PcLookup = std::function<bool(uint32_t pc, PcInfo& out)>;

// Chrome Trace Event Format (opens in Perfetto and chrome://tracing): a slice per interval
// (with its source line and instruction in args when `lookup` knows the pc), the events as
// instants, each GIL hand-off as a flow from the releasing thread to the taker, and counter
// tracks per process: which thread holds the GIL and how many threads are runnable.
std::string chrome_trace_json(const Trace& t, const std::string& title, const PcLookup& lookup = {});

}  // namespace gil
