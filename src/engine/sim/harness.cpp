// harness.cpp — see harness.h.
#include "engine/sim/harness.h"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

namespace gil::sim {

Common common(const ParamSet& p) {
    Common c;
    c.row = p.index_of("version") >= 0 ? find_version(p.choice_name("version")) : &default_version();
    if (!c.row) c.row = &default_version();
    c.version = c.row->name;
    if (const InterpreterProfile* o = profile_override(); o && o->version == c.version) c.prof = *o;
    else c.prof = profile_for(*c.row);
    if (p.index_of("cores") >= 0) c.machine.cores = (int)p.get_int("cores");
    if (p.index_of("interval_us") >= 0) c.interval_ns = (int64_t)(p.get("interval_us") * 1000.0);
    return c;
}

Common common_for(const Common& c, const VersionRow& row) {
    Common o = c;
    o.row = &row;
    o.version = row.name;
    o.prof = profile_for(row);
    return o;
}

Run::Run(const Common& c, std::shared_ptr<const Program> prog, bool trace) {
    cfg.profile = c.prof;
    cfg.machine = c.machine;
    cfg.switch_interval_ns = c.interval_ns;
    cfg.program = std::move(prog);
    cfg.record_trace = trace;
}

int Run::thread(const std::string& name, int fn, std::vector<int64_t> args, int process, int64_t start) {
    ThreadSpec t;
    t.name = name;
    t.function = fn;
    t.args = std::move(args);
    t.process = process;
    t.start_at = start;
    cfg.threads.push_back(t);
    return (int)cfg.threads.size() - 1;
}

int Run::main_thread(const Program& p) {
    if (p.module_fn < 0) throw std::runtime_error("the program has no module code");
    if (std::string why = entry_error(p, p.module_fn); !why.empty())
        throw std::runtime_error("the simulator cannot run this program: " + why);
    return thread("MainThread", p.module_fn, {}, 0, 0);
}

int Run::process(const std::string& name, int64_t start_at, StartMethod m) {
    ProcessSpec p;
    p.name = name;
    p.start_at = start_at;
    p.method = m;
    p.pay_start_cost = true;
    cfg.processes.push_back(p);
    return (int)cfg.processes.size() - 1;
}

void Run::threads(const Common& c, int T, int fn, const std::vector<int64_t>& args) {
    // Starts are staggered by the cost of threading.Thread.start() in the parent.
    for (int i = 0; i < T; ++i) thread("Thread-" + std::to_string(i + 1), fn, args, 0, thread_start_at(c.prof, i));
}

SimResult Run::go(uint64_t seed, const RunControl& ctl) {
    cfg.fast_forward = !ctl.exact_stepping;
    return Simulator(cfg, seed).run(&ctl);
}

bool check_done(RunResult& r, const SimResult& s, const char* what) {
    if (s.cancelled) {
        r.cancelled = true;
        r.notes.push_back(std::string("Cancelled during the ") + what + " run.");
        return false;
    }
    if (s.time_limit_hit) {
        r.error = std::string("the ") + what + " run went past the simulator's time limit (one simulated hour): use less work";
        return false;
    }
    if (s.step_limit_hit) {
        r.error = std::string("the ") + what + " run needs more than 40 million simulation steps (a few seconds of "
                  "work): use fewer iterations, threads or requests";
        return false;
    }
    return true;
}

namespace {
const char* short_state(ThreadState s) {
    switch (s) {
    case ThreadState::Running: return "running";
    case ThreadState::WaitGil: return "wait_gil";
    case ThreadState::WaitCore: return "wait_core";
    case ThreadState::Io: return "io";
    case ThreadState::CCode: return "c_code";
    case ThreadState::WaitLock: return "wait_lock";
    default: return nullptr;
    }
}
}  // namespace

void add_deadlock_metrics(RunResult& r, const SimResult& s) {
    r.metrics.set("wall_ns", (double)s.end_ns, "ns", s.deadlock ? "Simulated time until everyone was stuck" : "Simulated wall time");
    r.metrics.set("lock_contended", (double)s.lock_contended, "", "Lock acquisitions that had to wait");
    r.metrics.set("deadlock", s.deadlock ? 1 : 0, "", "Deadlock detected (1 = yes)");
    if (s.deadlock) r.metrics.set_text("waits", s.deadlock_report, "Who waits on what");
}

void add_sim_metrics(RunResult& r, const SimResult& s, const std::string& prefix) {
    r.metrics.set(prefix + "gil_switches", (double)s.gil_switches, "", "GIL switches (to another thread)");
    r.metrics.set(prefix + "drop_requests", (double)s.drop_requests, "", "Drop requests (a waiter timed out)");
    r.metrics.set(prefix + "forced_switches", (double)s.forced_switches, "", "Forced switches at a check point");
    r.metrics.set(prefix + "sim_events", (double)s.events, "", "Simulator: events processed");
    r.metrics.set(prefix + "sim_steps", (double)s.steps, "", "Simulator: main-loop steps (the work cap counts these)");
    r.metrics.set(prefix + "sim_fast_forwarded", (double)s.fast_forwarded_iterations, "", "Simulator: loop iterations fast-forwarded");
    r.metrics.set(prefix + "sim_timed_wait_expiries", (double)s.timed_wait_expiries, "",
                  "Simulator: waiters' timed-wait expiries (computed in closed form)");
    // The race detector (sim_races.cpp): unguarded shared variables, on runs that lost nothing too.
    r.metrics.set(prefix + "races", (double)s.races.size(), "", "Shared variables threads access with no lock in common");
    for (size_t i = 0; i < s.races.size(); ++i)
        r.metrics.set_text(prefix + "race_" + std::to_string(i + 1), race_text(s, s.races[i]), "Unguarded: " + s.races[i].name);
    if (!s.races.empty() && prefix.empty()) {
        std::string vars;
        for (const auto& f : s.races) vars += (vars.empty() ? "" : ", ") + f.name;
        r.notes.push_back("Race detector: " + race_text(s, s.races[0]) +
                          (s.races.size() > 1 ? " (unguarded too: " + vars.substr(vars.find(", ") + 2) + ")" : std::string()) +
                          ". Nothing orders these accesses: no lock both threads hold, no start() or join() between them. " +
                          (s.lost_update_events == 0
                               ? "This run lost no update, but the code is not thread-safe: another version, schedule or "
                                 "switch interval can lose them."
                               : "That is where this run's lost updates come from.") +
                          " A lock held around every access (with lock:) clears it.");
    }
    for (size_t i = 0; i < s.threads.size(); ++i) {
        const ThreadStats& t = s.threads[i];
        int64_t life = 0;
        for (size_t k = 1; k < (size_t)ThreadState::Count; ++k)
            if ((ThreadState)k != ThreadState::Done && (ThreadState)k != ThreadState::NotStarted) life += t.state_ns[k];
        if (life <= 0) continue;
        for (size_t k = 0; k < (size_t)ThreadState::Count; ++k) {
            const char* n = short_state((ThreadState)k);
            if (!n || t.state_ns[k] == 0) continue;
            char key[96], label[128];
            std::snprintf(key, sizeof key, "%sthread%zu_%s_pct", prefix.c_str(), i, n);
            std::snprintf(label, sizeof label, "%s: %s", t.name.c_str(), state_label((ThreadState)k));
            r.metrics.set(key, 100.0 * (double)t.state_ns[k] / (double)life, "%", label);
        }
    }
}

void attach_trace(RunResult& r, const SimResult& s, const RunControl& ctl) {
    if (!ctl.record_trace) return;
    r.trace = s.trace;
    // A deadlock is found the moment the last thread starts to wait, which is where the run
    // ends: its wait would be zero wide. The timeline goes on a fifth of the run further, so
    // the picture shows every thread waiting (for ever), as it is.
    if (s.deadlock && r.trace) r.trace->finish(r.trace->end + std::max<int64_t>(1000, r.trace->end / 5));
}

std::string fmt_ms(int64_t ns) {
    char b[48];
    std::snprintf(b, sizeof b, "%.3g ms", (double)ns / 1e6);
    if (ns >= 1'000'000'000) std::snprintf(b, sizeof b, "%.3g s", (double)ns / 1e9);
    return b;
}

Series histogram_ms(const std::string& key, const std::string& label, const std::string& x_label,
                    const std::string& y_label, const std::vector<int64_t>& values_ns) {
    Series h;
    h.key = key;
    h.label = label;
    h.x_label = x_label;
    h.y_label = y_label;
    if (values_ns.empty()) return h;
    double mx = (double)*std::max_element(values_ns.begin(), values_ns.end());
    const int bins = 24;
    double w = std::max(1.0, mx / bins);
    h.x.resize(bins);
    h.y.assign(bins, 0);
    for (int i = 0; i < bins; ++i) h.x[(size_t)i] = (i + 0.5) * w / 1e6;
    for (int64_t v : values_ns) h.y[(size_t)std::min(bins - 1, (int)((double)v / w))] += 1;
    return h;
}

SerialThreads run_serial_then_threads(const Common& c, std::shared_ptr<const Program> prog, uint64_t seed,
                                      RunControl& ctl, RunResult& r) {
    SerialThreads st;
    const int gs = prog->global_index("serial_time"), gt = prog->global_index("threads_time");
    if (gs < 0 || gt < 0) throw std::runtime_error("the program does not time its phases into serial_time and threads_time");
    Run m(c, prog, ctl.record_trace);
    m.main_thread(*prog);
    st.run = m.go(seed, ctl);
    st.ok = check_done(r, st.run, "program");
    if (!st.ok) return st;
    st.serial_ns = st.run.globals[0][(size_t)gs];
    st.threads_ns = st.run.globals[0][(size_t)gt];
    return st;
}

void add_serial_threads_metrics(RunResult& r, const SerialThreads& st, const char* serial_label) {
    r.metrics.set("serial_ns", (double)st.serial_ns, "ns", serial_label);
    r.metrics.set("threads_ns", (double)st.threads_ns, "ns", "T threads (start to last join)");
    r.metrics.set("wall_ns", (double)st.run.end_ns, "ns", "Simulated wall time (the whole program)");
    r.metrics.set("speedup", (double)st.serial_ns / (double)std::max<int64_t>(1, st.threads_ns), "x", "Speedup of threads over serial");
}

std::shared_ptr<const Program> experiment_program(const ExperimentSpec& e, const ParamSet& ps, const Common& c,
                                                  const LowerOptions& opt, const char* file) {
    std::string name;
    const std::string src = experiment_source(e, ps, file, &name);
    if (src.empty()) throw std::runtime_error(e.id + " has no Python program" + (file ? std::string(" ") + file : ""));
    return program_from_python(src, *c.row, opt, name);
}

int entry(const Program& p, const std::string& name) {
    const int fn = p.function_index(name);
    if (fn < 0) throw std::runtime_error("the program has no function " + name + "()");
    if (std::string why = entry_error(p, fn); !why.empty())
        throw std::runtime_error("the simulator cannot run " + name + "(): " + why);
    return fn;
}

}  // namespace gil::sim
