// explore.h — every interleaving a version allows: the explorer runs a lowered program
// (program.h) with no clock, and at each point where the interpreter could switch threads it
// tries every runnable thread. With the GIL, those points are the version's eval-breaker check
// points (Instr::kCheck, copied from the real bytecode) and the places a thread lets the GIL
// go (a blocking acquire or join, a sleep, a C call that releases it, the end of a thread);
// without it (free-threaded builds), every access to shared state (a module global, a
// multiprocessing.Value, a lock, a list) is a step the others can interleave with.
//
// States reached twice are explored once: schedules that differ only in the order of
// independent steps lead to the same state, so their futures are shared (a reduction by
// state merging; the count of schedules is still exact, computed over the merged graph).
// With `merge_states` off it enumerates every schedule one by one (the benchmark compares).
//
// Each outcome (the module's ints at the end, or a deadlock) comes with how many schedules
// reach it and one witness: the sequence of (thread, where it resumed) that produces it.
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/sim/program.h"

namespace gil::sim {

struct ExploreOptions {
    bool has_gil = true;
    uint64_t max_states = 2'000'000;      // distinct states (merged) or schedule steps (not merged)
    uint64_t max_instructions = 50'000'000;
    double max_seconds = 20;
    bool merge_states = true;
    uint64_t samples = 2000;              // random schedules tried when a bound stops the search
    uint64_t seed = 1;
    const std::atomic<bool>* cancel = nullptr;
    std::function<void(double)> progress; // 0..1 of the bound used (called now and then)
};

// One step of a schedule: this thread runs from this instruction until its next switch point.
struct ScheduleStep {
    int thread = 0;
    std::string function;  // "work", "<module>"
    int line = 0;
    uint32_t pc = 0;       // (code object << 16) | instruction index, as trace pcs
};

struct ExploreOutcome {
    std::vector<std::pair<std::string, int64_t>> globals;  // the module's ints at the end
    bool deadlock = false;
    std::string stuck;        // deadlock: who waits for what
    double schedules = 0;     // how many schedules end here (exact when the search is complete)
    std::vector<ScheduleStep> witness;
    int64_t value(const std::string& name, bool& found) const;
};

struct ExploreResult {
    std::vector<ExploreOutcome> outcomes;   // sorted by their globals
    std::vector<std::string> threads;       // names, by thread index (0 = MainThread)
    double schedules = 0;                   // all schedules (exact when complete)
    uint64_t states = 0;                    // states visited (merged) or steps taken (not merged)
    uint64_t instructions = 0;
    bool complete = true;                   // false: a bound stopped it (then `sampled` schedules were drawn)
    std::string bound;                      // which bound, as a sentence
    uint64_t sampled = 0;
    std::string error;                      // the program cannot be explored (why)
};

ExploreResult explore(const Program& p, const ExploreOptions& opt = {});
// Runs one schedule (a witness) and returns where it ends; `error` says why it could not be
// followed (a step of a thread that cannot run there, or one that is not where it says).
ExploreOutcome replay_schedule(const Program& p, const ExploreOptions& opt, const std::vector<ScheduleStep>& s,
                               std::string& error);

// A query on outcomes: "counter==4", "final!=4", "x.value<3" (== != < <= > >=). `final` is the
// program's main variable: the int global that threads write (the first, if several; "" if none).
struct ExploreQuery {
    std::string name, op;
    int64_t value = 0;
};
// "" when parsed, else a sentence.
std::string parse_query(const std::string& text, ExploreQuery& q);
// The global `final` stands for in this program ("" if none).
std::string final_name(const Program& p);
// The int globals some thread (not the module code) stores to: what the scheduler shows.
std::vector<std::string> thread_written(const Program& p);
bool query_holds(const ExploreOutcome& o, const ExploreQuery& q, const std::string& final_var);

// Be the scheduler: a student picks which thread goes next at each point where the version
// can switch (the same points the explorer branches at), with undo. The program runs without a
// clock, as in the explorer; a step runs the chosen thread to its next switch point.
struct StepperThread {
    std::string name;        // "MainThread", "Thread-1 (work)"
    std::string state;       // "can run", "waits for lock a, held by Thread-2", "not started", "done"
    bool can_run = false;
    ScheduleStep at;         // where it resumes (function, line, pc); line 0 when done
};

class Stepper {
public:
    Stepper(std::shared_ptr<const Program> p, bool has_gil);
    ~Stepper();
    Stepper(const Stepper&) = delete;
    Stepper& operator=(const Stepper&) = delete;
    const std::string& error() const;            // the program cannot be stepped (why); "" when it can
    std::vector<StepperThread> threads() const;  // every thread so far, by index (0 = MainThread)
    std::vector<std::pair<std::string, int64_t>> globals() const;  // the module's ints now
    bool finished() const;                       // nobody can run: the end, or a deadlock
    ExploreOutcome outcome() const;              // what it ended with (once finished)
    // Runs thread `t` to its next switch point. "" on success, else why not (the thread cannot
    // run now, or the program stopped with an error).
    std::string step(int t);
    // Steps thread `t` until it reaches another line, blocks or ends (at most `max_steps`, so a
    // thread spinning on one line stops too).
    std::string step_line(int t, int max_steps = 1000);
    bool undo();                                 // takes the last step (or Line) back; false at the start
    void restart();
    const std::vector<ScheduleStep>& history() const;
    const Program& program() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// A witness as text: "MainThread runs <module> line 1; Thread-1 runs work line 5; ...".
std::string schedule_text(const ExploreResult& r, const std::vector<ScheduleStep>& s);

}  // namespace gil::sim
