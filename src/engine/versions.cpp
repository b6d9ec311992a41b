// versions.cpp — the version table's rows and where their numbers come from.
//
// Costs: fitted to `python -c` micro-benchmarks of CPython 3.9.18, 3.10.13, 3.11.7, 3.12.1
// and 3.13.0 on this project's machine kind (docs/fidelity.md has the programs and the
// numbers). 3.14 and the free-threaded builds are not installed here: their costs are
// 3.13's scaled by the single-thread overheads published in What's New and the
// free-threading HOWTO (3.13t about +40%, 3.14t about +10% over 3.14), marked as estimates.
#include "engine/versions.h"

namespace gil {

namespace {

// FOR_ITER, STORE_FAST, JUMP_BACKWARD, LOAD_FAST, LOAD_CONST, LOAD_GLOBAL, STORE_GLOBAL,
// COMPARE_OP, POP_JUMP, CALL (py), RESUME, RETURN, BINARY add, BINARY mul, lock acquire,
// lock release (ns). The lock pair is `with lock:` around `counter += 1` minus the bare
// `counter += 1` loop, minus the with statement's own ~20 ns of loads, split in two
// (tests/fidelity/lock_cost.py, median of 3 runs on 2026-12-03 11:37 UTC, AMD EPYC, quiet: 155, 163,
// 150, 204, 179 ns for 3.9-3.13; the 2026-12-02 Xeon gave 372, 476, 547, 670, 580 and 2026-12-01's
// 240, 396, 258, 367, 541: the machine under this project changes, and with it this figure).
// Those pairs (68-92 ns a side) put the lab's 10-thread `with lock:` loop (race.py locked 10
// 100000) at 0.55-0.75x of real CPython's time per increment on 3.10+ and 3.9's blocked count under
// its band: contended, with ten threads taking turns on two cores, each acquire and release finds
// the lock's and the GIL's cache lines on the other core. So the pair is fitted to that program's
// time per increment instead (the lab's time moves one for one with the pair): 3.10-3.13 162, 120,
// 168, 130 ns a side from the 2026-12-03 10:00 UTC recording's medians; 3.9 keeps 176, which puts
// its blocked count and its time inside their bands.
struct MeasuredCosts {
    const char* version;
    InstrCosts c;
};
const MeasuredCosts kMeasured[] = {
    {"3.9", {8, 4, 7, 2, 2, 10, 11, 4, 2, 34, 0, 10, 17, 26, 176, 176}},
    {"3.10", {8, 3, 7, 2, 2, 10, 11, 4, 2, 34, 0, 10, 16, 24, 162, 162}},
    {"3.11", {8, 4, 6, 2, 2, 6, 7, 3, 2, 10, 2, 5, 11, 14, 120, 120}},
    {"3.12", {9, 5, 7, 2, 2, 9, 13, 3, 2, 8, 2, 4, 13, 20, 168, 168}},
    {"3.13", {10, 5, 7, 2, 2, 8, 11, 3, 2, 8, 2, 4, 13, 20, 130, 130}},
};

// GIL hand-off cost beyond the machine's wake-up, per version (HostCosts::gil_handoff_ns):
// tests/fidelity/convoy.py's delay per 1 ms sleep next to a CPU-bound thread, 10 runs per version
// on a quiet machine here (2026-12-03 10:00 UTC recording, AMD EPYC): bands 5.28-5.39, 5.32-5.42,
// 5.33-5.40, 5.25-5.36, 5.21-5.29 ms for 3.9-3.13. Most of the extra beyond the 5 ms interval is
// not the hand-off but the waiter's timed wait returning late after 5 ms on an idle core
// (HostCosts::sleep_overshoot, measured by tests/fidelity/sleep_overshoot.py: 163 us at 5 ms,
// 106 us at 1 ms, 194 us at 20 ms), which is also why the extra grows with the interval (3.12
// here: 1.18 ms at 1 ms, 5.25 at 5 ms, 20.30 at 20 ms). What is left per version is this cost:
// until 2026-12-03 14:00 UTC, with one 71 us slack for every sleep length, it was 114, 166, 164,
// 117, 76 us; the length-dependent overshoot adds 97 us per convoy sleep (20 at the 1 ms sleep,
// 77 at the 5 ms wait), so each is 97 us less (3.13's to 0: its lab figure stays 21 us over,
// inside its band). 3.14 uses 3.13's; free-threaded builds have no GIL to hand off.
constexpr int64_t kHandoff39 = 17'000, kHandoff310 = 69'000, kHandoff311 = 67'000, kHandoff312 = 20'000,
                  kHandoff313 = 0;

// A threading.Lock release while waiters are registered on it (HostCosts::lock_wake_ns): the fit
// of tests/fidelity/lock_blocks.py 10 100000's seconds against its blocked count over 8 runs per
// version here (2026-12-02 22:40 UTC, load 0.3), the intercept per increment less one thread's
// loop: 584, 1096, 1120, 1465, 1178 ns (3.10, 3.11, 3.9, 3.12, 3.13; the slope, 13.5-18 us per
// blocked acquisition, is the two wake-ups of a transfer, which the simulator already has). An OS
// cost, so one value, the median, for every version.
constexpr int64_t kLockWake = 1'100;

// concurrent.futures' bookkeeping per task (HostCosts::pool_submit_ns, pool_worker_ns,
// pool_result_ns): tests/fidelity/pool_parts.py 2000 50, median of 5 runs on this machine (see
// docs/fidelity.md for the date and the runs), less the work queue's put and get the
// simulator charges itself (InterpreterProfile::queue_op_ns, 1.5 us each).
struct PoolCosts {
    int64_t submit, worker, result;
};
// Measured 2026-12-02 19:40 UTC (load 0.9 on 2 cores), medians of 5 runs per version, ns:
//   submit 10106 10362 7777 8652 9002, worker 10614 4450 6665 6197 2892, result 1376 1291 1261 1130 964
// (3.9 ... 3.13). Parts at or under the queue operation they sit beside are 0: the simulator's
// queue operation already covers them.
constexpr PoolCosts kPool39 = {8'600, 7'600, 0}, kPool310 = {8'900, 1'500, 0}, kPool311 = {6'300, 3'700, 0},
                    kPool312 = {7'200, 3'200, 0}, kPool313 = {7'500, 0, 0};

// The process pool's manager wake-up per submit (HostCosts::pool_wakeup_ns, pool_manager_ns):
// tests/fidelity/pool_wakeup.py, the parent's send_bytes on the wake-up pipe and the manager's
// wait() + clear() per round, ns: the median of ten runs per version on a quiet machine, 2026-12-03
// (the runs are bimodal, ~9 us or ~13-20 us a round; see docs/fidelity.md).
struct WakeupCosts {
    int64_t write, manager;
};
constexpr WakeupCosts kWake39 = {2'100, 14'700}, kWake310 = {2'000, 15'500}, kWake311 = {1'300, 11'500},
                      kWake312 = {1'400, 9'200}, kWake313 = {1'600, 9'700};

// A process pool message's CPU per thread beyond the model's steps (HostCosts::pool_msg_*):
// main, manager, feeder, worker, ns. Fitted by `scripts/measure_cpython.py --reuse --only
// poolthreads` to tests/fidelity/pool_threads.py 2000 50 2 1 (medians of 10 runs per version,
// recorded 2026-12-03 06:31 UTC, AMD EPYC, quiet) less the simulator's own charge with these at 0
// (the once-per-pool costs below kept).
struct PoolMsgCosts {
    int64_t main, manager, feeder, worker;
};
constexpr PoolMsgCosts kMsg39 = {20'200, 77'400, 40'500, 56'500}, kMsg310 = {21'300, 81'800, 39'700, 71'100},
                       kMsg311 = {17'500, 54'300, 36'200, 48'100}, kMsg312 = {17'700, 61'200, 36'600, 66'800},
                       kMsg313 = {17'300, 48'500, 31'200, 48'500};
// Once per pool (HostCosts::pool_fixed_*), the same threads, ns (the worker's per worker): the
// same script's fit to pool_threads.py 2000 50 2 1000 (medians of 10 runs, 2026-12-03 06:31 UTC).
struct PoolFixedCosts {
    int64_t main, manager, feeder, worker;
};
constexpr PoolFixedCosts kFix39 = {5'380'000, 1'400'000, 570'000, 1'730'000},
                       kFix310 = {5'600'000, 1'550'000, 580'000, 1'270'000},
                       kFix311 = {7'640'000, 1'500'000, 640'000, 2'690'000},
                       kFix312 = {5'130'000, 1'680'000, 660'000, 1'190'000},
                       kFix313 = {6'230'000, 1'680'000, 620'000, 1'510'000};

// time.sleep()'s overshoot by length (HostCosts::sleep_overshoot): medians of
// tests/fidelity/sleep_overshoot.py 50 3 with CPython 3.11, 3.12 and 3.13 (clock_nanosleep), two
// runs each (2026-12-03 14:00 UTC, AMD EPYC, quiet); at 500 ms, where a run has only 6 sleeps,
// the median of those 6 runs, 3 more of 20 sleeps (14:11 UTC) and the 10 runs of
// io_threads.py's four serial sleeps (10:10 UTC) pooled. Between points sim::sleep_overshoot_ns()
// interpolates in the logarithm of the length.
constexpr std::array<OvershootPoint, kOvershootPoints> kSleepOvershoot = {{
    {100'000, 73'500}, {300'000, 94'200}, {1'000'000, 106'400}, {2'000'000, 113'700}, {5'000'000, 162'700},
    {10'000'000, 182'100}, {20'000'000, 193'800}, {50'000'000, 194'700}, {100'000'000, 188'800},
    {500'000'000, 187'900}}};

// One version's host costs from its measured parts. Each part has its own type, so a part
// in the wrong place does not compile; each field is set by name.
constexpr HostCosts host(int64_t handoff, PoolCosts pool, WakeupCosts wake, PoolMsgCosts msg, PoolFixedCosts fix) {
    HostCosts h;
    h.gil_handoff_ns = handoff;
    h.pool_submit_ns = pool.submit;
    h.pool_worker_ns = pool.worker;
    h.pool_result_ns = pool.result;
    h.lock_wake_ns = kLockWake;
    h.pool_wakeup_ns = wake.write;
    h.pool_manager_ns = wake.manager;
    h.pool_msg_main_ns = msg.main;
    h.pool_msg_manager_ns = msg.manager;
    h.pool_msg_feeder_ns = msg.feeder;
    h.pool_msg_worker_ns = msg.worker;
    h.pool_fixed_main_ns = fix.main;
    h.pool_fixed_manager_ns = fix.manager;
    h.pool_fixed_feeder_ns = fix.feeder;
    h.pool_fixed_worker_ns = fix.worker;
    h.sleep_overshoot = kSleepOvershoot;
    return h;
}

struct MeasuredHost {
    const char* version;
    HostCosts h;
};
const MeasuredHost kHost[] = {
    {"3.9", host(kHandoff39, kPool39, kWake39, kMsg39, kFix39)},
    {"3.10", host(kHandoff310, kPool310, kWake310, kMsg310, kFix310)},
    {"3.11", host(kHandoff311, kPool311, kWake311, kMsg311, kFix311)},
    {"3.12", host(kHandoff312, kPool312, kWake312, kMsg312, kFix312)},
    {"3.13", host(kHandoff313, kPool313, kWake313, kMsg313, kFix313)},
};

constexpr const char* kMeasuredNote = "fitted to this CPython on this project's machine kind (docs/fidelity.md)";

// Name, minor, GIL, GIL twin, bytecode, eval breaker, start method, costs from, x, measured,
// note, free-threading costs. The host costs come from the `costs from` version's kHost row.
const std::vector<VersionRow> kRows = {
    {"3.9", 9, true, "3.9", "3.9", EvalBreaker::EveryDispatch, SleepCall::Select, "fork", "3.9", 1.0, true, kMeasuredNote, {}},
    {"3.10", 10, true, "3.10", "3.10", EvalBreaker::BackEdgesAndCalls, SleepCall::Select, "fork", "3.10", 1.0, true, kMeasuredNote, {}},
    {"3.11", 11, true, "3.11", "3.11", EvalBreaker::ResumeBackEdgesCalls, SleepCall::ClockNanosleep, "fork", "3.11", 1.0, true, kMeasuredNote, {}},
    {"3.12", 12, true, "3.12", "3.12", EvalBreaker::ResumeBackEdgesCalls, SleepCall::ClockNanosleep, "fork", "3.12", 1.0, true, kMeasuredNote, {}},
    {"3.13", 13, true, "3.13", "3.13", EvalBreaker::ResumeBackEdgesCalls, SleepCall::ClockNanosleep, "fork", "3.13", 1.0, true, kMeasuredNote, {}},
    {"3.13t", 13, false, "3.13", "3.13", EvalBreaker::ResumeBackEdgesCalls, SleepCall::ClockNanosleep, "fork", "3.13", 1.40, false,
     "estimate: 3.13's costs x 1.40 (free-threading single-thread overhead in 3.13, free-threading HOWTO); "
     "not installed here",
     {8, 45, 250}},
    {"3.14", 14, true, "3.14", "3.13", EvalBreaker::ResumeBackEdgesCalls, SleepCall::ClockNanosleep, "forkserver", "3.13", 0.95, false,
     "estimate: 3.13's costs x 0.95 (What's New in 3.14); not installed here", {}},
    {"3.14t", 14, false, "3.14", "3.13", EvalBreaker::ResumeBackEdgesCalls, SleepCall::ClockNanosleep, "forkserver", "3.13", 0.95 * 1.10, false,
     "estimate: 3.14's costs x 1.10 (free-threading overhead in 3.14, What's New in 3.14); not installed here",
     {6, 45, 250}},
};

}  // namespace

const std::vector<VersionRow>& versions() { return kRows; }

const VersionRow* find_version(std::string_view name) {
    for (const auto& r : kRows)
        if (name == r.name) return &r;
    return nullptr;
}

const VersionRow& default_version() { return kRows[3]; }

std::vector<std::string> version_names() {
    std::vector<std::string> v;
    for (const auto& r : kRows) v.push_back(r.name);
    return v;
}

const InstrCosts& instr_costs(const VersionRow& row) {
    for (const auto& m : kMeasured)
        if (std::string_view(m.version) == row.costs_from) return m.c;
    return kMeasured[4].c;  // every row names a measured table; unreachable
}

const HostCosts& host_costs(const VersionRow& row) {
    for (const auto& m : kHost)
        if (std::string_view(m.version) == row.costs_from) return m.h;
    return kHost[4].h;  // every row names a measured table; unreachable
}

std::string version_note(const VersionRow& row) {
    std::string s = row.name;
    if (std::string_view(row.bytecode) == row.name)
        s += " (bytecode as CPython " + std::string(row.bytecode) + "'s dis prints it)";
    else
        s += " (shows and runs CPython " + std::string(row.bytecode) + "'s bytecode, the nearest version recorded here)";
    if (!row.has_gil) s += "; free-threaded: no GIL";
    return s;
}

}  // namespace gil
