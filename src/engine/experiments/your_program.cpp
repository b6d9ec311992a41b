// your_program.cpp — program: any program in the lab's Python subset (the editor's text, a
// link's code=, the JS API's {code}; the record's template when none is given), run by the
// simulator with its module code as MainThread, on the version, cores and switch interval
// chosen. What it reports holds for any program: its time, the GIL's hand-offs, the stale
// stores, what the race detector found, its module ints at the end, what it printed (on the same schedule).
#include <algorithm>
#include <cctype>

#include "engine/experiments/common.h"
#include "engine/py/bytecode.h"
#include "engine/sim/harness.h"

namespace gil::ex {

using namespace sim;

namespace {

constexpr const char* kFile = "program.py";

// The program: the code given, else the record's template (programs/program.py).
std::string source_of(const ExperimentSpec& e, const ParamSet& p) { return p.code.empty() ? experiment_source(e, p) : p.code; }

std::shared_ptr<const ProgramView> view(const ExperimentSpec& e, const ParamSet& p) {
    return p.code.empty() ? python_view(e, p) : source_view(p.code, kFile, p);
}

}  // namespace

// Any record whose program is Python run as it stands (this one, race.check_act, race.wakeup):
// what it reports holds for any program (see the top of this file). `sim_out` gets the run.
void run_program(const ExperimentSpec& e, const ParamSet& ps, uint64_t seed, RunControl& ctl, RunResult& r,
                 sim::SimResult* sim_out) {
    const std::string noun = e.takes_code ? "Your program" : "The program";
    const std::string src = source_of(e, ps);
    if (std::string err = compile_error(src, ps); !err.empty()) {
        r.error = noun + " does not compile: " + err;
        return;
    }
    Common c = common(ps);
    std::shared_ptr<const Program> prog;
    try {
        prog = program_from_python(src, *c.row, {}, e.takes_code ? kFile : e.id + ".py");
    } catch (const std::exception& err) {
        r.error = std::string("The simulator cannot run this program: ") + err.what();
        return;
    }
    Run sim_run(c, prog, ctl.record_trace);
    try {
        sim_run.main_thread(*prog);  // refuses what the simulator does not model, with the line
    } catch (const std::exception& err) {
        r.error = err.what();  // "the simulator cannot run this program: line 2, ..."
        if (!r.error.empty()) r.error[0] = (char)std::toupper((unsigned char)r.error[0]);
        return;
    }
    SimResult s = sim_run.go(seed, ctl);
    if (s.cancelled) {
        r.cancelled = true;
        return;
    }
    if (!s.error.empty()) {
        r.error = noun + " stopped with " + s.error;
        return;
    }
    if (!s.deadlock && !check_done(r, s, "program")) return;
    add_deadlock_metrics(r, s);
    r.metrics.set("threads", (double)s.threads.size(), "", "Threads (MainThread included)");
    r.metrics.set("lost_update_events", (double)s.lost_update_events, "", "Stale stores (each lost >= 1 update)");
    // The module's ints at the end, by name: what the program computed.
    for (size_t g = 0; g < prog->globals.size() && !s.globals.empty(); ++g) {
        const bool shared = prog->globals[g].scope == VarScope::SharedMemory;
        const int64_t v = shared ? s.shared_memory[g] : s.globals[0][g];
        r.metrics.set("global." + prog->globals[g].name, (double)v, "", prog->globals[g].name + " at the end");
    }
    if (s.deadlock) {
        r.notes.push_back("Deadlock: " + s.deadlock_report + ". Nobody can move: each waits for something another holds.");
    }
    if (s.int_wrapped)
        r.notes.push_back("An int in this run left the simulator's 64 bits (Python's ints have no limit): values computed from "
                          "it, and what print() shows of them, differ from real Python's. The timing does not depend on them.");
    if (s.lost_update_events > 0)
        r.notes.push_back(std::to_string(s.lost_update_events) +
                          " stores overwrote another thread's update (lost updates): click a red mark on the timeline to "
                          "see how.");
    // What it printed, on this run's schedule (the simulator's print(): ints, strings, times).
    {
        std::string text = s.output;
        while (!text.empty() && text.back() == '\n') text.pop_back();
        r.metrics.set_text("output", text.empty() ? "(nothing)" : text, "Printed");
    }
    add_sim_metrics(r, s);
    attach_trace(r, s, ctl);
    if (sim_out) *sim_out = std::move(s);
}

namespace {

void run(const ExperimentSpec& e, const ParamSet& ps, uint64_t seed, RunControl& ctl, RunResult& r) {
    run_program(e, ps, seed, ctl, r, nullptr);
}

}  // namespace

ExperimentSpec your_program() {
    ExperimentSpec e;
    e.id = "program";
    e.title = "Your program";
    e.topic = Topic::Yours;
    e.summary = "Any threaded program in the lab's Python subset: edit it, pick a version, share it by link";
    e.explain =
        "Write or paste a Python program that uses threads (or start from any experiment's program and edit it). "
        "The lab compiles it to the bytecode of the version you pick, exactly as dis shows it, and simulates it: "
        "the module code runs as MainThread, switches happen only where that version checks, and the race "
        "detector names shared variables that two threads write with no common lock, even when this run lost "
        "nothing. Copy link carries the code.";
    e.python_file = kFile;  // the template; e.python is filled from it
    e.takes_code = true;
    e.params = {version_p(), cores_p(), interval_p()};
    e.view.states = sim_states(true, true, true, true);
    e.view.marks = gil_marks(true);
    e.view.marks.push_back(EventKind::Deadlock);
    e.view.counters = gil_counters(true);
    e.view.hidden_metric_prefixes = sim_hidden();
    e.run = run;
    e.program = view;
    return e;
}

}  // namespace gil::ex
