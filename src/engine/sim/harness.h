// harness.h — what every simulated experiment does around the simulator, written once:
// turn the parameters into a profile, a machine and an interval; build a SimConfig with
// threads and processes; run it; refuse or report when a run did not finish; add the
// standard metrics (GIL counters, each thread's time per state); attach the trace.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "engine/experiment.h"
#include "engine/sim/from_python.h"
#include "engine/sim/program.h"
#include "engine/sim/sim.h"
#include "engine/versions.h"

namespace gil::sim {

constexpr int64_t kMs = 1'000'000, kUs = 1'000;

// The interpreter, machine and switch interval a run's parameters ask for.
struct Common {
    const VersionRow* row = nullptr;
    InterpreterProfile prof;
    MachineModel machine;
    int64_t interval_ns = 5 * kMs;
    std::string version;
};
Common common(const ParamSet& p);
// Same, for another version row (ft.scaling compares with the GIL build).
Common common_for(const Common& c, const VersionRow& row);

// One simulator run being put together.
struct Run {
    SimConfig cfg;
    Run(const Common& c, std::shared_ptr<const Program> prog, bool trace);
    int thread(const std::string& name, int fn, std::vector<int64_t> args, int process = 0, int64_t start = 0);
    int process(const std::string& name, int64_t start_at, StartMethod m);
    // The program's module code as the main thread ("MainThread"): it makes, starts and joins
    // the other threads itself. Throws with the reason when the module cannot be simulated.
    int main_thread(const Program& p);
    // T threads "Thread-1".. each running fn(args), started one thread-start cost apart.
    void threads(const Common& c, int T, int fn, const std::vector<int64_t>& args);
    SimResult go(uint64_t seed, const RunControl& ctl);
};

// False (and the result says why: cancelled, time limit, step limit) when a run did not finish.
bool check_done(RunResult& r, const SimResult& s, const char* what);
// A program that may deadlock: wall_ns (until everyone was stuck), lock_contended, deadlock (0/1)
// and, on a deadlock, "waits" (who waits on what). The caller adds its own note.
void add_deadlock_metrics(RunResult& r, const SimResult& s);
// GIL counters and each thread's share of its lifetime in each state.
void add_sim_metrics(RunResult& r, const SimResult& s, const std::string& prefix = "");
void attach_trace(RunResult& r, const SimResult& s, const RunControl& ctl);
// "12.3 ms" / "1.5 s"
std::string fmt_ms(int64_t ns);
// A histogram series of values in ns, shown in ms (24 bins).
Series histogram_ms(const std::string& key, const std::string& label, const std::string& x_label,
                    const std::string& y_label, const std::vector<int64_t>& values_ns);

// The commonest shape, as the program's own module code runs it (one run, traced whole): the
// main thread does the work serially, then starts T threads that do it and joins them, timing
// each phase with time.perf_counter() into the module's `serial_time` and `threads_time`.
struct SerialThreads {
    SimResult run;                          // the whole program
    int64_t serial_ns = 0, threads_ns = 0;  // what the program measured (its serial_time, threads_time)
    bool ok = false;
};
SerialThreads run_serial_then_threads(const Common& c, std::shared_ptr<const Program> prog, uint64_t seed,
                                      RunControl& ctl, RunResult& r);
// The standard metrics of that shape: serial_ns, threads_ns, wall_ns, speedup (+ sim metrics).
void add_serial_threads_metrics(RunResult& r, const SerialThreads& st, const char* serial_label);

// The experiment's Python for these parameters (its own file, or the embedded program file
// `file`), compiled for the run's version and lowered for the simulator (from_python.h).
// Throws with the front end's message if it does not compile.
std::shared_ptr<const Program> experiment_program(const ExperimentSpec& e, const ParamSet& ps, const Common& c,
                                                  const LowerOptions& opt = {}, const char* file = nullptr);
// The index of function `name`; throws with the reason when it (or what it calls) cannot be simulated.
int entry(const Program& p, const std::string& name);

}  // namespace gil::sim
