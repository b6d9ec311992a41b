// common.h — shorthands the experiment records are written with: parameter specs, the
// parameters many simulated experiments share (version, cores, switch interval), and the
// usual legends and counters. Records stay declarative; nothing here names an experiment.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "engine/experiment.h"

namespace gil::sim {
struct SimResult;
}

namespace gil::ex {

ParamSpec int_p(const char* key, const char* label, double min, double max, double def, const char* unit,
                const char* help, bool log_scale = false);
ParamSpec real_p(const char* key, const char* label, double min, double max, double def, const char* unit,
                 const char* help, bool log_scale = false);
ParamSpec choice_p(const char* key, const char* label, std::vector<std::string> choices, int def, const char* help);
// Narrows the range random tests draw from (see ParamSpec::test_min/test_max).
ParamSpec tested(ParamSpec s, double test_max, double test_min = NAN);
// The run's work is proportional to this parameter (ParamSpec::work).
ParamSpec work(ParamSpec s);
// This many real threads run at once (ParamSpec::real_threads).
ParamSpec real_threads(ParamSpec s);

// The interpreter version (the version table's rows; default 3.12 unless given).
ParamSpec version_p(const char* def = nullptr);
ParamSpec cores_p(double def = 4);
ParamSpec interval_p();

// Legends: the thread states and marks a simulated run with the GIL can show.
// The states a simulated program can be in: running and waiting for the GIL always; a core
// (cores), I/O (io: the program sleeps or waits on I/O), C code and locks when it has them.
std::vector<ThreadState> sim_states(bool c_code = false, bool locks = false, bool cores = true, bool io = true);
std::vector<EventKind> gil_marks(bool lost_updates = false);
// Live counters of a simulated run at the playback cursor.
std::vector<CounterDecl> gil_counters(bool lost_updates = false);
// The results table hides the simulator's own bookkeeping.
std::vector<std::string> sim_hidden();
// The legend, counters and hidden metrics of a program whose threads sleep, block on locks
// and may deadlock (deadlock.order, race.wakeup).
void lock_wait_view(ViewDecl& v);

// A bar chart of durations (metrics in ns, shown in seconds).
ChartDecl time_bars(std::vector<ChartItem> items, std::string title = "");
// A histogram of one series.
ChartDecl histogram(const char* series, std::string title = "", std::string empty_text = "");
// Line charts of sweeps.
ChartDecl lines(std::vector<ChartItem> series, bool log_x = false, bool integer_x = false, std::string title = "");

// Runs a record's Python program as it stands (your_program.cpp): its module code as MainThread,
// reporting what holds for any program (time, threads, stale stores, lock waits, a deadlock and
// who waits, the race detector, each module int as global.NAME, what it printed). A record adds
// its own notes after it; `sim_out` (if given) gets the simulator's result.
void run_program(const ExperimentSpec& e, const ParamSet& ps, uint64_t seed, RunControl& ctl, RunResult& r,
                 sim::SimResult* sim_out = nullptr);

}  // namespace gil::ex
