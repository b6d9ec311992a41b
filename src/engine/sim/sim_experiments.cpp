// sim_experiments.cpp — the simulator experiments: the Python programs they model (as
// bytecode), how they are run (threads, processes, variants) and what they report.
#include "engine/sim/sim_experiments.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "engine/stats.h"

namespace gil::sim {

namespace {

constexpr int64_t kMs = 1'000'000, kUs = 1'000;

// ------------------------------------------------------------------ common parameters

struct Common {
    InterpreterProfile prof;
    MachineModel machine;
    int64_t interval_ns = 5 * kMs;
    std::string version;
};

Common common(const ParamSet& p) {
    Common c;
    c.version = p.index_of("version") >= 0 ? p.choice_name("version") : "3.11";
    if (const InterpreterProfile* o = profile_override(); o && o->version == c.version) c.prof = *o;
    else builtin_profile(c.version, c.prof);
    if (p.index_of("cores") >= 0) c.machine.cores = (int)p.get_int("cores");
    if (p.index_of("interval_us") >= 0) c.interval_ns = (int64_t)(p.get("interval_us") * 1000.0);
    return c;
}

struct Run {
    SimConfig cfg;
    Run(const Common& c, std::shared_ptr<const Program> prog, bool trace) {
        cfg.profile = c.prof;
        cfg.machine = c.machine;
        cfg.switch_interval_ns = c.interval_ns;
        cfg.program = std::move(prog);
        cfg.record_trace = trace;
    }
    int thread(const std::string& name, int fn, std::vector<int64_t> args, int process = 0, int64_t start = 0) {
        ThreadSpec t;
        t.name = name;
        t.function = fn;
        t.args = std::move(args);
        t.process = process;
        t.start_at = start;
        cfg.threads.push_back(t);
        return (int)cfg.threads.size() - 1;
    }
    int process(const std::string& name, int64_t start_at, StartMethod m) {
        ProcessSpec p;
        p.name = name;
        p.start_at = start_at;
        p.method = m;
        p.pay_start_cost = true;
        cfg.processes.push_back(p);
        return (int)cfg.processes.size() - 1;
    }
    SimResult go(uint64_t seed, const RunControl& ctl) {
        cfg.fast_forward = !ctl.exact_stepping;
        return Simulator(cfg, seed).run(&ctl);
    }
};

// Thread starts are staggered by the cost of threading.Thread.start() in the parent.
int64_t start_gap(const Common& c) { return c.prof.thread_start_ns; }

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

// GIL counters and each thread's share of its lifetime in each state.
void add_sim_metrics(RunResult& r, const SimResult& s, const std::string& prefix = "") {
    r.metrics.set(prefix + "gil_switches", (double)s.gil_switches, "", "GIL switches (to another thread)");
    r.metrics.set(prefix + "drop_requests", (double)s.drop_requests, "", "Drop requests (a waiter timed out)");
    r.metrics.set(prefix + "forced_switches", (double)s.forced_switches, "", "Forced switches at a check point");
    r.metrics.set(prefix + "sim_events", (double)s.events, "", "Simulator: events processed");
    r.metrics.set(prefix + "sim_fast_forwarded", (double)s.fast_forwarded_iterations, "", "Simulator: loop iterations fast-forwarded");
    r.metrics.set(prefix + "sim_timed_wait_expiries", (double)s.timed_wait_expiries, "",
                  "Simulator: waiters' timed-wait expiries (computed in closed form)");
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

void attach_trace(RunResult& r, SimResult& s, const RunControl& ctl) {
    if (ctl.record_trace) r.trace = s.trace;
}

std::string fmt_ms(int64_t ns) {
    char b[48];
    std::snprintf(b, sizeof b, "%.3g ms", (double)ns / 1e6);
    if (ns >= 1'000'000'000) std::snprintf(b, sizeof b, "%.3g s", (double)ns / 1e9);
    return b;
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

// ------------------------------------------------------------------ program pieces

// def count(n): total = 0; for i in range(n): total += i * i; return total
int build_count_squares(Program& p, int first_line) {
    FunctionBuilder b(p, "count", {"n"});
    b.line(first_line);
    b.resume();
    b.line(first_line + 1);
    b.load_const(0);
    b.store_fast("total");
    b.line(first_line + 2);
    b.load_fast("n");
    b.for_range("i", [&] {
        b.line(first_line + 3);
        b.load_fast("total");
        b.load_fast("i");
        b.load_fast("i");
        b.binary(BinKind::Mul);
        b.binary(BinKind::InplaceAdd);
        b.store_fast("total");
        b.line(first_line + 2);
    });
    b.line(first_line + 4);
    b.load_fast("total");
    b.return_value();
    return b.finish();
}

// def count(n): while n > 0: n -= 1
int build_countdown(Program& p, int first_line) {
    FunctionBuilder b(p, "count", {"n"});
    b.line(first_line);
    b.resume();
    int head = b.label(), exit = b.label();
    b.place(head);
    b.line(first_line + 1);
    b.load_fast("n");
    b.load_const(0);
    b.compare(CmpKind::Gt);
    b.pop_jump_if_false(exit);
    b.line(first_line + 2);
    b.load_fast("n");
    b.load_const(1);
    b.binary(BinKind::InplaceSub);
    b.store_fast("n");
    b.jump_backward(head);
    b.place(exit);
    b.load_const(0);
    b.return_value();
    return b.finish();
}

// def serial(reps, a, b, ...): for _ in range(reps): <callee>(a, b, ...)
// The serial baseline of an experiment: the threads' work done one call after another.
int build_serial(Program& p, const std::string& callee, const std::vector<std::string>& args, int line = 0) {
    std::vector<std::string> params{"reps"};
    params.insert(params.end(), args.begin(), args.end());
    FunctionBuilder b(p, "serial", params);
    b.line(line);
    b.resume();
    b.load_fast("reps");
    b.for_range("_", [&] {
        for (const auto& a : args) b.load_fast(a);
        b.call(callee, (int)args.size());
        b.pop_top();
    });
    b.load_const(0);
    b.return_value();
    return b.finish();
}

// ------------------------------------------------------------------ gil.cpu

std::shared_ptr<Program> program_gil_cpu(const ParamSet& ps) {
    auto p = std::make_shared<Program>();
    const bool countdown = ps.choice_name("workload") == "countdown";
    if (countdown) {
        p->python =
            "import threading\n"
            "def count(n):\n"
            "    while n > 0:\n"
            "        n -= 1\n"
            "\n"
            "# serial:  count(N) then count(N) ... (T times)\n"
            "# threads: T threads, each running count(N)\n"
            "threads = [threading.Thread(target=count, args=(N,)) for _ in range(T)]\n"
            "for t in threads: t.start()\n"
            "for t in threads: t.join()\n";
        build_countdown(*p, 2);
    } else {
        p->python =
            "import threading\n"
            "def count(n):\n"
            "    total = 0\n"
            "    for i in range(n):\n"
            "        total += i * i\n"
            "    return total\n"
            "\n"
            "# serial:  count(N) then count(N) ... (T times)\n"
            "# threads: T threads, each running count(N)\n"
            "threads = [threading.Thread(target=count, args=(N,)) for _ in range(T)]\n"
            "for t in threads: t.start()\n"
            "for t in threads: t.join()\n";
        build_count_squares(*p, 2);
    }
    build_serial(*p, "count", {"n"}, 20);
    return p;
}

}  // namespace

void run_gil_cpu(const ExperimentSpec&, const ParamSet& ps, uint64_t seed, RunControl& ctl, RunResult& r) {
    Common c = common(ps);
    auto prog = program_gil_cpu(ps);
    const int T = (int)ps.get_int("threads");
    const int64_t N = ps.get_int("iterations");
    const int count = prog->function_index("count"), serial = prog->function_index("serial");

    Run s(c, prog, false);
    s.thread("MainThread", serial, {T, N});
    SimResult rs = s.go(seed, ctl);
    if (!check_done(r, rs, "serial")) return;
    ctl.progress(0.4);

    Run t(c, prog, ctl.record_trace);
    for (int i = 0; i < T; ++i) t.thread("Thread-" + std::to_string(i + 1), count, {N}, 0, i * start_gap(c));
    SimResult rt = t.go(seed, ctl);
    if (!check_done(r, rt, "threaded")) return;

    const double speedup = (double)rs.end_ns / (double)rt.end_ns;
    r.metrics.set("serial_ns", (double)rs.end_ns, "ns", "Serial: T calls one after another");
    r.metrics.set("threads_ns", (double)rt.end_ns, "ns", "T threads");
    r.metrics.set("wall_ns", (double)rt.end_ns, "ns", "Simulated wall time (threads)");
    r.metrics.set("speedup", speedup, "x", "Speedup of threads over serial");
    r.metrics.set("per_thread_ns", (double)rt.end_ns / T, "ns", "Wall time / threads");
    add_sim_metrics(r, rt);
    r.metrics.set("switches_per_second", (double)rt.gil_switches / ((double)rt.end_ns * 1e-9), "/s", "GIL switches per second");
    r.metrics.set("instructions", (double)rt.instructions, "", "Bytecode instructions executed");
    r.metrics.set("state_changes", (double)rt.state_changes, "", "Simulated state changes");
    if (!c.prof.has_gil) {
        r.notes.push_back("Free-threaded " + c.version + ": no GIL, so the " + std::to_string(T) +
                          " threads run on separate cores (up to " + std::to_string(c.machine.cores) +
                          ") and the work finishes " + (speedup > 1.05 ? "faster" : "no faster") + " than serial.");
    } else if (speedup < 1.05) {
        r.notes.push_back("With the GIL only one thread runs bytecode at a time: " + std::to_string(T) +
                          " threads took " + fmt_ms(rt.end_ns) + " against " + fmt_ms(rs.end_ns) +
                          " serial. They took turns " + std::to_string(rt.gil_switches) +
                          " times, each after a waiter's drop request (every switch interval).");
    }
    attach_trace(r, rt, ctl);
}

// ------------------------------------------------------------------ gil.io

namespace {
std::shared_ptr<Program> program_gil_io(const ParamSet& ps) {
    auto p = std::make_shared<Program>();
    const int64_t io = (int64_t)(ps.get("io_ms") * kMs);
    const int64_t cpu = ps.get_int("cpu_per_request");
    char py[1024];
    std::snprintf(py, sizeof py,
                  "import threading, time\n"
                  "def count(n):\n"
                  "    total = 0\n"
                  "    for i in range(n):\n"
                  "        total += i * i\n"
                  "    return total\n"
                  "\n"
                  "def io_task(requests, work):\n"
                  "    for _ in range(requests):\n"
                  "        time.sleep(%g)        # stands for a network or disk wait: the GIL is released\n"
                  "        count(work)           # handle the answer: %lld loop iterations of Python\n"
                  "\n"
                  "# serial:  io_task(R, W) T times;  threads: T threads each running io_task(R, W)\n",
                  (double)io / 1e9, (long long)cpu);
    p->python = py;
    build_count_squares(*p, 2);
    FunctionBuilder b(*p, "io_task", {"requests", "work"});
    b.line(8);
    b.resume();
    b.line(9);
    b.load_fast("requests");
    b.for_range("_", [&] {
        b.line(10);
        b.sleep_ns(io);
        b.line(11);
        b.load_fast("work");
        b.call("count", 1);
        b.pop_top();
        b.line(9);
    });
    b.load_const(0);
    b.return_value();
    b.finish();
    build_serial(*p, "io_task", {"requests", "work"});
    return p;
}
}  // namespace

void run_gil_io(const ExperimentSpec&, const ParamSet& ps, uint64_t seed, RunControl& ctl, RunResult& r) {
    Common c = common(ps);
    auto prog = program_gil_io(ps);
    const int T = (int)ps.get_int("threads");
    const int64_t R = ps.get_int("requests"), W = ps.get_int("cpu_per_request");
    Run s(c, prog, false);
    s.thread("MainThread", prog->function_index("serial"), {T, R, W});
    SimResult rs = s.go(seed, ctl);
    if (!check_done(r, rs, "serial")) return;
    Run t(c, prog, ctl.record_trace);
    for (int i = 0; i < T; ++i)
        t.thread("Thread-" + std::to_string(i + 1), prog->function_index("io_task"), {R, W}, 0, i * start_gap(c));
    SimResult rt = t.go(seed, ctl);
    if (!check_done(r, rt, "threaded")) return;
    const double speedup = (double)rs.end_ns / (double)rt.end_ns;
    r.metrics.set("serial_ns", (double)rs.end_ns, "ns", "Serial: one request after another");
    r.metrics.set("threads_ns", (double)rt.end_ns, "ns", "T threads");
    r.metrics.set("wall_ns", (double)rt.end_ns, "ns", "Simulated wall time (threads)");
    r.metrics.set("speedup", speedup, "x", "Speedup of threads over serial");
    r.metrics.set("ideal_speedup", (double)T, "x", "Ideal: every wait overlapped");
    add_sim_metrics(r, rt);
    r.notes.push_back("time.sleep() releases the GIL, so while one thread waits the others run: " +
                      std::to_string(T) + " threads finished in " + fmt_ms(rt.end_ns) + " instead of " +
                      fmt_ms(rs.end_ns) + ".");
    attach_trace(r, rt, ctl);
}

// ------------------------------------------------------------------ gil.mixed

namespace {
std::shared_ptr<Program> program_gil_mixed(const ParamSet& ps) {
    auto p = std::make_shared<Program>();
    const int64_t io = (int64_t)(ps.get("io_ms") * kMs);
    char py[1024];
    std::snprintf(py, sizeof py,
                  "import threading, time\n"
                  "def count(n):\n"
                  "    total = 0\n"
                  "    for i in range(n):\n"
                  "        total += i * i\n"
                  "    return total\n"
                  "\n"
                  "def mixed_worker(work):\n"
                  "    count(work)           # CPU phase: holds the GIL\n"
                  "    time.sleep(%g)        # I/O phase: releases the GIL\n"
                  "\n"
                  "# threads: T threads each running mixed_worker(W); serial: T calls in a row\n",
                  (double)io / 1e9);
    p->python = py;
    build_count_squares(*p, 2);
    FunctionBuilder b(*p, "mixed_worker", {"work"});
    b.line(8);
    b.resume();
    b.line(9);
    b.load_fast("work");
    b.call("count", 1);
    b.pop_top();
    b.line(10);
    b.sleep_ns(io);
    b.load_const(0);
    b.return_value();
    b.finish();
    build_serial(*p, "mixed_worker", {"work"});
    return p;
}
}  // namespace

void run_gil_mixed(const ExperimentSpec&, const ParamSet& ps, uint64_t seed, RunControl& ctl, RunResult& r) {
    Common c = common(ps);
    auto prog = program_gil_mixed(ps);
    const int T = (int)ps.get_int("threads");
    const int64_t W = ps.get_int("work");
    Run s(c, prog, false);
    s.thread("MainThread", prog->function_index("serial"), {T, W});
    SimResult rs = s.go(seed, ctl);
    if (!check_done(r, rs, "serial")) return;
    Run t(c, prog, ctl.record_trace);
    for (int i = 0; i < T; ++i)
        t.thread("Thread-" + std::to_string(i + 1), prog->function_index("mixed_worker"), {W}, 0, i * start_gap(c));
    SimResult rt = t.go(seed, ctl);
    if (!check_done(r, rt, "threaded")) return;
    // CPU time of one worker alone = serial time / T minus its sleep.
    const int64_t io = (int64_t)(ps.get("io_ms") * kMs);
    const int64_t cpu_one = rs.end_ns / T - io;
    r.metrics.set("serial_ns", (double)rs.end_ns, "ns", "Serial");
    r.metrics.set("threads_ns", (double)rt.end_ns, "ns", "T threads");
    r.metrics.set("wall_ns", (double)rt.end_ns, "ns", "Simulated wall time (threads)");
    r.metrics.set("speedup", (double)rs.end_ns / (double)rt.end_ns, "x", "Speedup of threads over serial");
    r.metrics.set("cpu_phase_ns", (double)cpu_one, "ns", "CPU phase of one worker alone");
    r.metrics.set("predicted_ns", (double)(T * cpu_one + io), "ns", "T CPU phases in a row + one sleep");
    add_sim_metrics(r, rt);
    r.notes.push_back("The sleeps overlap (the GIL is released), the CPU phases do not: the threads took " +
                      fmt_ms(rt.end_ns) + ", close to " + std::to_string(T) + " x CPU phase + one sleep = " +
                      fmt_ms(T * cpu_one + io) + ".");
    attach_trace(r, rt, ctl);
}

// ------------------------------------------------------------------ gil.convoy, gil.interval

namespace {
std::shared_ptr<Program> program_convoy(int64_t io_ns) {
    auto p = std::make_shared<Program>();
    char py[1200];
    std::snprintf(py, sizeof py,
                  "import threading, time\n"
                  "stop = 0\n"
                  "def spin():                  # CPU-bound: never waits, holds the GIL\n"
                  "    n = 0\n"
                  "    while stop == 0:\n"
                  "        n += 1\n"
                  "    return n\n"
                  "\n"
                  "def pinger(requests):        # I/O-bound: short waits, tiny work\n"
                  "    global stop\n"
                  "    for _ in range(requests):\n"
                  "        time.sleep(%g)       # on wake-up it needs the GIL back: how long does that take?\n"
                  "    stop = 1\n",
                  (double)io_ns / 1e9);
    p->python = py;
    int stop = add_global(*p, "stop", 0);
    {
        FunctionBuilder b(*p, "spin", {});
        b.line(3);
        b.resume();
        b.line(4);
        b.load_const(0);
        b.store_fast("n");
        int head = b.label(), exit = b.label();
        b.place(head);
        b.line(5);
        b.load_global(stop);
        b.load_const(0);
        b.compare(CmpKind::Eq);
        b.pop_jump_if_false(exit);
        b.line(6);
        b.load_fast("n");
        b.load_const(1);
        b.binary(BinKind::InplaceAdd);
        b.store_fast("n");
        b.jump_backward(head);
        b.place(exit);
        b.line(7);
        b.load_fast("n");
        b.return_value();
        b.finish();
    }
    {
        FunctionBuilder b(*p, "pinger", {"requests"});
        b.line(9);
        b.resume();
        b.line(11);
        b.load_fast("requests");
        b.for_range("_", [&] {
            b.line(12);
            b.sleep_ns(io_ns);
            b.line(11);
        });
        b.line(13);
        b.load_const(1);
        b.store_global(stop);
        b.load_const(0);
        b.return_value();
        b.finish();
    }
    return p;
}

struct ConvoyOutcome {
    SimResult sim;
    double median_ns = 0, p90_ns = 0, cpu_rate = 0;
};

ConvoyOutcome convoy_once(const Common& c, int64_t io_ns, int64_t requests, bool with_cpu, uint64_t seed,
                          const RunControl& ctl, bool trace) {
    auto prog = program_convoy(io_ns);
    Run run(c, prog, trace);
    if (with_cpu) run.thread("cpu (spin)", prog->function_index("spin"), {});
    run.thread("io (pinger)", prog->function_index("pinger"), {requests}, 0, with_cpu ? start_gap(c) : 0);
    ConvoyOutcome o;
    o.sim = run.go(seed, ctl);
    std::vector<double> lat(o.sim.io_wake_latency_ns.begin(), o.sim.io_wake_latency_ns.end());
    o.median_ns = percentile(lat, 50);
    o.p90_ns = percentile(lat, 90);
    if (with_cpu && !o.sim.threads.empty() && o.sim.end_ns > 0)
        o.cpu_rate = (double)o.sim.threads[0].return_value / ((double)o.sim.end_ns * 1e-9);
    return o;
}
}  // namespace

void run_gil_convoy(const ExperimentSpec&, const ParamSet& ps, uint64_t seed, RunControl& ctl, RunResult& r) {
    Common c = common(ps);
    const int64_t io = (int64_t)(ps.get("io_ms") * kMs);
    const int64_t R = ps.get_int("requests");
    ConvoyOutcome alone = convoy_once(c, io, R, false, seed, ctl, false);
    if (!check_done(r, alone.sim, "I/O-only")) return;
    ConvoyOutcome both = convoy_once(c, io, R, true, seed, ctl, ctl.record_trace);
    if (!check_done(r, both.sim, "convoy")) return;
    r.metrics.set("wake_latency_median_ns", both.median_ns, "ns", "Wake-up to running: median");
    r.metrics.set("wake_latency_p90_ns", both.p90_ns, "ns", "Wake-up to running: 90th percentile");
    r.metrics.set("alone_latency_median_ns", alone.median_ns, "ns", "Same, with no CPU-bound thread");
    r.metrics.set("io_thread_ns", (double)both.sim.end_ns, "ns", "I/O thread's total time next to the CPU thread");
    r.metrics.set("io_alone_ns", (double)alone.sim.end_ns, "ns", "I/O thread's total time alone");
    r.metrics.set("ideal_ns", (double)(R * io), "ns", "Requests x sleep");
    r.metrics.set("slowdown", (double)both.sim.end_ns / (double)alone.sim.end_ns, "x", "I/O thread slowdown");
    r.metrics.set("interval_ns", (double)c.interval_ns, "ns", "Switch interval");
    r.metrics.set("wall_ns", (double)both.sim.end_ns, "ns", "Simulated wall time");
    add_sim_metrics(r, both.sim);
    if (c.prof.has_gil)
        r.notes.push_back("Each time the I/O thread wakes up it must wait for the CPU-bound thread to give the GIL "
                          "back, which it does only after a drop request, one switch interval (" +
                          fmt_ms(c.interval_ns) + ") later: median wake-up latency " + fmt_ms((int64_t)both.median_ns) +
                          " against " + fmt_ms((int64_t)alone.median_ns) + " alone. This is the convoy effect.");
    Series h;
    h.key = "wake_latency_hist";
    h.label = "Wake-up latency of the I/O thread";
    h.x_label = "latency (ms)";
    h.y_label = "wake-ups";
    {
        std::vector<double> lat(both.sim.io_wake_latency_ns.begin(), both.sim.io_wake_latency_ns.end());
        double mx = lat.empty() ? 1 : *std::max_element(lat.begin(), lat.end());
        const int bins = 24;
        double w = std::max(1.0, mx / bins);
        h.x.resize(bins);
        h.y.assign(bins, 0);
        for (int i = 0; i < bins; ++i) h.x[(size_t)i] = (i + 0.5) * w / 1e6;
        for (double v : lat) h.y[(size_t)std::min(bins - 1, (int)(v / w))] += 1;
    }
    r.series.push_back(h);
    attach_trace(r, both.sim, ctl);
}

void run_gil_interval(const ExperimentSpec&, const ParamSet& ps, uint64_t seed, RunControl& ctl, RunResult& r) {
    Common c = common(ps);
    const int64_t io = (int64_t)(ps.get("io_ms") * kMs);
    const int64_t R = ps.get_int("requests");
    const double intervals_ms[] = {0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 50};
    Series lat, thr, sw;
    lat.key = "latency_vs_interval";
    lat.label = "I/O wake-up latency (median)";
    lat.x_label = "switch interval (ms)";
    lat.y_label = "latency (ms)";
    thr.key = "cpu_throughput_vs_interval";
    thr.label = "CPU thread throughput";
    thr.x_label = "switch interval (ms)";
    thr.y_label = "loop iterations per second (millions)";
    sw.key = "switches_vs_interval";
    sw.label = "GIL switches per second";
    sw.x_label = "switch interval (ms)";
    sw.y_label = "switches/s";
    std::shared_ptr<Trace> chosen;
    // The timeline shows the sweep point closest to the chosen interval.
    double nearest = intervals_ms[0];
    for (double ms : intervals_ms)
        if (std::fabs(std::log(ms * kMs / (double)c.interval_ns)) < std::fabs(std::log(nearest * kMs / (double)c.interval_ns)))
            nearest = ms;
    int i = 0;
    if (!c.prof.has_gil) {
        r.notes.push_back("Free-threaded " + c.version + " has no GIL, so the switch interval changes nothing: only "
                          "the chosen interval was run.");
    }
    for (double ms : intervals_ms) {
        if (!c.prof.has_gil && ms != nearest) continue;
        Common ci = c;
        ci.interval_ns = (int64_t)(ms * kMs);
        bool is_default = ms == nearest;
        ConvoyOutcome o = convoy_once(ci, io, R, true, seed, ctl, ctl.record_trace && is_default);
        if (!check_done(r, o.sim, "sweep")) return;
        lat.x.push_back(ms);
        lat.y.push_back(o.median_ns / 1e6);
        thr.x.push_back(ms);
        thr.y.push_back(o.cpu_rate / 1e6);
        sw.x.push_back(ms);
        sw.y.push_back((double)o.sim.gil_switches / ((double)o.sim.end_ns * 1e-9));
        char k[64];
        std::snprintf(k, sizeof k, "latency_ms_at_%gms", ms);
        char label[96];
        std::snprintf(label, sizeof label, "Median wake-up latency, interval %g ms", ms);
        r.metrics.set(k, o.median_ns / 1e6, "ms", label);
        std::snprintf(k, sizeof k, "cpu_mips_at_%gms", ms);
        std::snprintf(label, sizeof label, "CPU loop iterations per second (millions), interval %g ms", ms);
        r.metrics.set(k, o.cpu_rate / 1e6, "M/s", label);
        if (is_default) chosen = o.sim.trace;
        ctl.progress(++i / (c.prof.has_gil ? 9.0 : 1.0));
    }
    r.series = {lat, thr, sw};
    r.notes.push_back("A short switch interval lets the I/O thread back in sooner (lower latency) but costs the "
                      "CPU thread more hand-offs; a long one does the opposite. CPython's default is 5 ms.");
    if (ctl.record_trace) r.trace = chosen;
}

// ------------------------------------------------------------------ race.counter

namespace {
std::shared_ptr<Program> program_race(const std::string& variant) {
    auto p = std::make_shared<Program>();
    const bool mp = variant == "mp_value" || variant == "mp_value_locked";
    int counter = add_global(*p, mp ? "x.value" : "counter", 0, mp ? VarScope::SharedMemory : VarScope::ProcessGlobal);
    if (variant == "inplace") {
        p->python =
            "import threading\n"
            "counter = 0\n"
            "def work(n):\n"
            "    global counter\n"
            "    for _ in range(n):\n"
            "        counter += 1      # LOAD_GLOBAL, add, STORE_GLOBAL\n"
            "threads = [threading.Thread(target=work, args=(N,)) for _ in range(T)]\n";
    } else if (variant == "call") {
        p->python =
            "import threading\n"
            "counter = 0\n"
            "def add_one(x):\n"
            "    return x + 1\n"
            "def work(n):\n"
            "    global counter\n"
            "    for _ in range(n):\n"
            "        counter = add_one(counter)   # a call between the load and the store\n"
            "threads = [threading.Thread(target=work, args=(N,)) for _ in range(T)]\n";
        FunctionBuilder a(*p, "add_one", {"x"});
        a.line(3);
        a.resume();
        a.line(4);
        a.load_fast("x");
        a.load_const(1);
        a.binary(BinKind::Add);
        a.return_value();
        a.finish();
    } else if (variant == "locked") {
        p->python =
            "import threading\n"
            "counter = 0\n"
            "lock = threading.Lock()\n"
            "def work(n):\n"
            "    global counter\n"
            "    for _ in range(n):\n"
            "        with lock:\n"
            "            counter += 1\n"
            "threads = [threading.Thread(target=work, args=(N,)) for _ in range(T)]\n";
        add_lock(*p, "lock");
    } else if (variant == "mp_value") {
        p->python =
            "from multiprocessing import Process, Value\n"
            "def work(x, n):\n"
            "    for _ in range(n):\n"
            "        x.value += 1      # get and set each lock, but not together\n"
            "x = Value('i', 0)\n"
            "procs = [Process(target=work, args=(x, N)) for _ in range(T)]\n";
    } else {
        p->python =
            "from multiprocessing import Process, Value, Lock\n"
            "def work(x, lock, n):\n"
            "    for _ in range(n):\n"
            "        with lock:\n"
            "            x.value += 1\n"
            "x, lock = Value('i', 0), Lock()\n"
            "procs = [Process(target=work, args=(x, lock, N)) for _ in range(T)]\n";
        add_lock(*p, "lock", true);
    }
    const bool locked = variant == "locked" || variant == "mp_value_locked";
    const int body_line = variant == "call" ? 8 : variant == "locked" ? 7 : variant == "mp_value" ? 4 : 4;
    FunctionBuilder b(*p, "work", {"n"});
    b.line(variant == "call" ? 5 : variant == "locked" ? 4 : 2);
    b.resume();
    b.line(body_line - (locked ? 2 : 1));
    b.load_fast("n");
    b.for_range("_", [&] {
        b.line(body_line);
        if (locked) b.lock_acquire(0);
        if (locked) b.line(body_line + 1);
        if (variant == "call") {
            b.load_global(counter);
            b.call("add_one", 1);
            b.store_global(counter);
        } else {
            b.load_global(counter);
            b.load_const(1);
            b.binary(BinKind::InplaceAdd);
            b.store_global(counter);
        }
        if (locked) {
            b.line(body_line);
            b.lock_release(0);
        }
        b.line(body_line - (locked ? 2 : 1));
    });
    b.load_const(0);
    b.return_value();
    b.finish();
    return p;
}
}  // namespace

void run_race_counter(const ExperimentSpec&, const ParamSet& ps, uint64_t seed, RunControl& ctl, RunResult& r) {
    Common c = common(ps);
    const std::string variant = ps.choice_name("variant");
    const bool mp = variant.rfind("mp_", 0) == 0;
    auto prog = program_race(variant);
    const int T = (int)ps.get_int("threads");
    const int64_t N_asked = ps.get_int("increments");
    // Without a GIL (free-threaded, or processes) every load and store of the counter is
    // ordered against the other threads one by one: exact, but costly. Past kExact
    // increments per thread the run is simulated for kExact and scaled, and says so.
    constexpr int64_t kExact = 1'000'000;
    const bool per_access = mp || !c.prof.has_gil;
    const int64_t N = per_access ? std::min(N_asked, kExact) : N_asked;
    Run run(c, prog, ctl.record_trace);
    if (mp) {
        for (int i = 0; i < T; ++i) {
            int pr = run.process("Process-" + std::to_string(i + 1), i * 200 * kUs, StartMethod::Fork);
            run.thread("Process-" + std::to_string(i + 1), prog->function_index("work"), {N}, pr);
        }
    } else {
        for (int i = 0; i < T; ++i)
            run.thread("Thread-" + std::to_string(i + 1), prog->function_index("work"), {N}, 0, i * start_gap(c));
    }
    SimResult s = run.go(seed, ctl);
    if (!check_done(r, s, "race")) return;
    const double scale = (double)N_asked / (double)N;
    const int64_t expected = (int64_t)T * N_asked;
    const int64_t final_sim = mp ? s.shared_memory[0] : s.globals[0][0];
    const int64_t final_v = scale == 1.0 ? final_sim : (int64_t)std::llround((double)final_sim * scale);
    const int64_t lost = expected - final_v;
    if (scale != 1.0) {
        s.end_ns = (int64_t)((double)s.end_ns * scale);
        r.notes.push_back("Simulated exactly for the first " + std::to_string(N) + " increments per thread and scaled to " +
                          std::to_string(N_asked) + " (every access is ordered one by one without a GIL).");
        r.metrics.set("extrapolated_from", (double)N, "", "Increments per thread simulated exactly");
    }
    r.metrics.set("expected", (double)expected, "", "Expected final value (T x N)");
    r.metrics.set("final", (double)final_v, "", "Final value");
    r.metrics.set("lost", (double)lost, "", "Lost updates");
    r.metrics.set("lost_pct", 100.0 * (double)lost / (double)expected, "%", "Lost updates, share");
    r.metrics.set("lost_update_events", (double)s.lost_update_events * scale, "", "Stale stores (each lost >= 1 update)");
    r.metrics.set("wall_ns", (double)s.end_ns, "ns", "Simulated wall time");
    r.metrics.set("lock_contended", (double)s.lock_contended, "", "Lock acquisitions that had to wait");
    add_sim_metrics(r, s);
    const bool gil = c.prof.has_gil;
    if (lost > 0) {
        std::string why;
        if (mp) why = "The processes run in parallel, each with its own GIL, and x.value's get and set are separate steps.";
        else if (!gil) why = "Free-threaded " + c.version + " has no GIL: the threads run at the same time and interleave their loads and stores.";
        else if (variant == "call") why = "The call to add_one() is a check point (RESUME), so a thread can lose the GIL between loading the counter and storing it back, on every version.";
        else why = "On " + c.version + " the eval breaker is checked after almost every instruction, including between LOAD_GLOBAL and STORE_GLOBAL, so a forced switch can land inside counter += 1.";
        r.notes.push_back(std::to_string(lost) + " of " + std::to_string(expected) + " updates were lost. " + why);
    } else if (variant == "inplace" && gil && c.version != "3.9") {
        r.notes.push_back("No update was lost. On " + c.version +
                          " with the GIL a thread is switched out only at RESUME, JUMP_BACKWARD and calls, and none "
                          "of them sits between the load and the store of counter += 1. The code is still not "
                          "thread-safe: switch to 3.9, a free-threaded build, or the 'call' variant.");
    } else if (lost == 0) {
        r.notes.push_back("No update was lost: every increment happened under the lock (or never overlapped).");
    }
    attach_trace(r, s, ctl);
}

// ------------------------------------------------------------------ race.lock_cost

void run_race_lock_cost(const ExperimentSpec&, const ParamSet& ps, uint64_t seed, RunControl& ctl, RunResult& r) {
    Common c = common(ps);
    const int T = (int)ps.get_int("threads");
    const int64_t N = ps.get_int("increments");
    SimResult out[2];
    for (int v = 0; v < 2; ++v) {
        auto prog = program_race(v == 0 ? "inplace" : "locked");
        Run run(c, prog, ctl.record_trace && v == 1);
        for (int i = 0; i < T; ++i)
            run.thread("Thread-" + std::to_string(i + 1), prog->function_index("work"), {N}, 0, i * start_gap(c));
        out[v] = run.go(seed, ctl);
        if (!check_done(r, out[v], v ? "locked" : "unlocked")) return;
        ctl.progress(0.5 * (v + 1));
    }
    const int64_t expected = (int64_t)T * N;
    r.metrics.set("unlocked_ns", (double)out[0].end_ns, "ns", "counter += 1 without a lock");
    r.metrics.set("locked_ns", (double)out[1].end_ns, "ns", "with lock: counter += 1");
    r.metrics.set("lock_overhead", (double)out[1].end_ns / (double)out[0].end_ns, "x", "Locked / unlocked time");
    r.metrics.set("ns_per_locked_increment", (double)out[1].end_ns / (double)expected, "ns", "Per locked increment");
    r.metrics.set("unlocked_lost", (double)(expected - out[0].globals[0][0]), "", "Lost updates without the lock");
    r.metrics.set("locked_lost", (double)(expected - out[1].globals[0][0]), "", "Lost updates with the lock");
    r.metrics.set("lock_contended", (double)out[1].lock_contended, "", "Acquisitions that had to block");
    r.metrics.set("lock_handoffs", (double)out[1].lock_handoffs, "", "Lock hand-offs to a woken waiter");
    std::vector<double> waits(out[1].lock_wait_ns.begin(), out[1].lock_wait_ns.end());
    r.metrics.set("lock_wait_median_ns", percentile(waits, 50), "ns", "Blocked acquire: median wait");
    r.metrics.set("lock_wait_p99_ns", percentile(waits, 99), "ns", "Blocked acquire: 99th percentile wait");
    r.metrics.set("wall_ns", (double)out[1].end_ns, "ns", "Simulated wall time (locked)");
    add_sim_metrics(r, out[1]);
    Series h;
    h.key = "lock_wait_hist";
    h.label = "Time blocked per contended acquire";
    h.x_label = "wait (ms)";
    h.y_label = "acquisitions";
    if (!waits.empty()) {
        double mx = *std::max_element(waits.begin(), waits.end());
        const int bins = 24;
        double w = std::max(1.0, mx / bins);
        h.x.resize(bins);
        h.y.assign(bins, 0);
        for (int i = 0; i < bins; ++i) h.x[(size_t)i] = (i + 0.5) * w / 1e6;
        for (double v : waits) h.y[(size_t)std::min(bins - 1, (int)(v / w))] += 1;
    }
    r.series.push_back(h);
    r.notes.push_back("The lock makes every increment safe and costs " +
                      std::to_string((int)std::lround((double)out[1].end_ns / (double)out[0].end_ns * 100 - 100)) +
                      "% more time here. A thread that finds the lock taken releases the GIL and sleeps until the "
                      "holder lets go.");
    attach_trace(r, out[1], ctl);
}

// ------------------------------------------------------------------ cext.release

namespace {
std::shared_ptr<Program> program_cext(const ParamSet& ps, bool release) {
    auto p = std::make_shared<Program>();
    const int64_t k = (int64_t)(ps.get("kernel_ms") * kMs);
    char py[1200];
    std::snprintf(py, sizeof py,
                  "import threading, numpy as np\n"
                  "def count(n):\n"
                  "    total = 0\n"
                  "    for i in range(n):\n"
                  "        total += i * i\n"
                  "    return total\n"
                  "\n"
                  "def numpy_task(calls, glue):\n"
                  "    for _ in range(calls):\n"
                  "        np.dot(a, b)        # %g ms in C: %s\n"
                  "        count(glue)         # some Python between the calls\n",
                  (double)k / 1e6,
                  release ? "Py_BEGIN_ALLOW_THREADS, the GIL is released" : "a C extension that keeps the GIL");
    p->python = py;
    build_count_squares(*p, 2);
    FunctionBuilder b(*p, "numpy_task", {"calls", "glue"});
    b.line(8);
    b.resume();
    b.line(9);
    b.load_fast("calls");
    b.for_range("_", [&] {
        b.line(10);
        if (release) b.c_call_nogil(k);
        else b.c_call_gil(k);
        b.line(11);
        b.load_fast("glue");
        b.call("count", 1);
        b.pop_top();
        b.line(9);
    });
    b.load_const(0);
    b.return_value();
    b.finish();
    build_serial(*p, "numpy_task", {"calls", "glue"});
    return p;
}
}  // namespace

void run_cext_release(const ExperimentSpec&, const ParamSet& ps, uint64_t seed, RunControl& ctl, RunResult& r) {
    Common c = common(ps);
    const int T = (int)ps.get_int("threads");
    const int64_t calls = ps.get_int("calls"), glue = ps.get_int("glue");
    auto rel = program_cext(ps, true), hold = program_cext(ps, false);
    Run s(c, rel, false);
    s.thread("MainThread", rel->function_index("serial"), {T, calls, glue});
    SimResult rs = s.go(seed, ctl);
    if (!check_done(r, rs, "serial")) return;
    Run th(c, hold, false);
    for (int i = 0; i < T; ++i)
        th.thread("Thread-" + std::to_string(i + 1), hold->function_index("numpy_task"), {calls, glue}, 0, i * start_gap(c));
    SimResult rh = th.go(seed, ctl);
    if (!check_done(r, rh, "GIL-holding")) return;
    Run tr(c, rel, ctl.record_trace);
    for (int i = 0; i < T; ++i)
        tr.thread("Thread-" + std::to_string(i + 1), rel->function_index("numpy_task"), {calls, glue}, 0, i * start_gap(c));
    SimResult rr = tr.go(seed, ctl);
    if (!check_done(r, rr, "GIL-releasing")) return;
    r.metrics.set("serial_ns", (double)rs.end_ns, "ns", "Serial");
    r.metrics.set("threads_release_ns", (double)rr.end_ns, "ns", "Threads, C code releases the GIL");
    r.metrics.set("threads_hold_ns", (double)rh.end_ns, "ns", "Threads, C code keeps the GIL");
    r.metrics.set("speedup_release", (double)rs.end_ns / (double)rr.end_ns, "x", "Speedup when the GIL is released");
    r.metrics.set("speedup_hold", (double)rs.end_ns / (double)rh.end_ns, "x", "Speedup when the GIL is kept");
    r.metrics.set("wall_ns", (double)rr.end_ns, "ns", "Simulated wall time (release)");
    add_sim_metrics(r, rr);
    r.notes.push_back("C code that releases the GIL (NumPy kernels, Cython 'with nogil') runs on all cores at "
                      "once: " + fmt_ms(rr.end_ns) + " against " + fmt_ms(rs.end_ns) +
                      " serial. The same C code holding the GIL gets no speedup (" + fmt_ms(rh.end_ns) + ").");
    attach_trace(r, rr, ctl);
}

// ------------------------------------------------------------------ mp.process

namespace {
std::shared_ptr<Program> program_mp(const ParamSet& ps) {
    auto p = std::make_shared<Program>();
    const int64_t bytes = ps.get_int("result_bytes");
    char py[1400];
    std::snprintf(py, sizeof py,
                  "import threading\n"
                  "from multiprocessing import Process\n"
                  "def count(n):\n"
                  "    total = 0\n"
                  "    for i in range(n):\n"
                  "        total += i * i\n"
                  "    return total\n"
                  "\n"
                  "def worker(n):\n"
                  "    result = count(n)\n"
                  "    send(result)            # pickle %lld bytes back to the parent\n"
                  "\n"
                  "# serial: worker(N) W times; threads: W threads; processes: W processes (start method)\n"
                  "if __name__ == '__main__':\n"
                  "    procs = [Process(target=worker, args=(N,)) for _ in range(W)]\n"
                  "    for p in procs: p.start()\n"
                  "    for p in procs: p.join()\n",
                  (long long)bytes);
    p->python = py;
    build_count_squares(*p, 3);
    FunctionBuilder b(*p, "worker", {"n"});
    b.line(9);
    b.resume();
    b.line(10);
    b.load_fast("n");
    b.call("count", 1);
    b.store_fast("result");
    b.line(11);
    if (bytes > 0) b.pickle(bytes);
    b.load_fast("result");
    b.return_value();
    b.finish();
    build_serial(*p, "worker", {"n"}, 20);
    return p;
}
StartMethod start_method(const ParamSet& ps) {
    const std::string& m = ps.choice_name("start_method");
    return m == "spawn" ? StartMethod::Spawn : m == "forkserver" ? StartMethod::Forkserver : StartMethod::Fork;
}
}  // namespace

void run_mp_process(const ExperimentSpec&, const ParamSet& ps, uint64_t seed, RunControl& ctl, RunResult& r) {
    Common c = common(ps);
    auto prog = program_mp(ps);
    const int W = (int)ps.get_int("workers");
    const int64_t N = ps.get_int("iterations");
    const int worker = prog->function_index("worker");
    Run s(c, prog, false);
    s.thread("MainThread", prog->function_index("serial"), {W, N});
    SimResult rs = s.go(seed, ctl);
    if (!check_done(r, rs, "serial")) return;
    ctl.progress(0.3);
    Run t(c, prog, false);
    for (int i = 0; i < W; ++i) t.thread("Thread-" + std::to_string(i + 1), worker, {N}, 0, i * start_gap(c));
    SimResult rt = t.go(seed, ctl);
    if (!check_done(r, rt, "threads")) return;
    ctl.progress(0.6);
    Run pr(c, prog, ctl.record_trace);
    const StartMethod m = start_method(ps);
    // The parent starts the processes one after another; each start() costs it a little.
    const int64_t parent_gap = m == StartMethod::Fork ? 300 * kUs : 1 * kMs;
    for (int i = 0; i < W; ++i) {
        int p = pr.process("Process-" + std::to_string(i + 1), i * parent_gap, m);
        pr.thread("Process-" + std::to_string(i + 1), worker, {N}, p);
    }
    SimResult rp = pr.go(seed, ctl);
    if (!check_done(r, rp, "processes")) return;
    int64_t start_cost = m == StartMethod::Spawn ? c.prof.process_start_spawn_ns
                         : m == StartMethod::Forkserver ? c.prof.process_start_forkserver_ns
                                                        : c.prof.process_start_fork_ns;
    r.metrics.set("serial_ns", (double)rs.end_ns, "ns", "Serial");
    r.metrics.set("threads_ns", (double)rt.end_ns, "ns", "Threads (one GIL)");
    r.metrics.set("processes_ns", (double)rp.end_ns, "ns", "Processes (one GIL each)");
    r.metrics.set("speedup_threads", (double)rs.end_ns / (double)rt.end_ns, "x", "Speedup, threads");
    r.metrics.set("speedup_processes", (double)rs.end_ns / (double)rp.end_ns, "x", "Speedup, processes");
    r.metrics.set("process_start_ns", (double)start_cost, "ns", "Start-up cost of one process");
    r.metrics.set("wall_ns", (double)rp.end_ns, "ns", "Simulated wall time (processes)");
    r.metrics.set("cores", c.machine.cores, "", "Cores");
    add_sim_metrics(r, rp);
    Series bars;
    bars.key = "serial_threads_processes";
    bars.label = "Wall time";
    bars.x_label = "serial / threads / processes";
    bars.y_label = "seconds";
    bars.x = {0, 1, 2};
    bars.y = {(double)rs.end_ns / 1e9, (double)rt.end_ns / 1e9, (double)rp.end_ns / 1e9};
    r.series.push_back(bars);
    r.notes.push_back("Each process has its own interpreter and GIL, so " + std::to_string(W) +
                      " processes use " + std::to_string(std::min(W, c.machine.cores)) + " cores: " + fmt_ms(rp.end_ns) +
                      " against " + fmt_ms(rs.end_ns) + " serial and " + fmt_ms(rt.end_ns) +
                      " with threads. Starting one costs about " + fmt_ms(start_cost) + " (" +
                      ps.choice_name("start_method") + ").");
    attach_trace(r, rp, ctl);
}

// ------------------------------------------------------------------ pool.compare

namespace {
// Workers loop on a task queue; the submitter puts tasks and sentinels, then collects.
std::shared_ptr<Program> program_pool(const ParamSet& ps, bool processes) {
    auto p = std::make_shared<Program>();
    const int64_t bytes = ps.get_int("payload_bytes");
    p->python =
        "from concurrent.futures import ThreadPoolExecutor, ProcessPoolExecutor\n"
        "def count(n):\n"
        "    total = 0\n"
        "    for i in range(n):\n"
        "        total += i * i\n"
        "    return total\n"
        "\n"
        "def task(i):                     # arguments and result are pickled for processes\n"
        "    return count(WORK)\n"
        "\n"
        "with ThreadPoolExecutor(max_workers=W) as ex:     # or ProcessPoolExecutor\n"
        "    results = list(ex.map(task, range(TASKS)))\n";
    build_count_squares(*p, 2);
    int tasks = add_queue(*p, "call_queue", processes, bytes);
    int results = add_queue(*p, "result_queue", processes, bytes);
    {
        FunctionBuilder b(*p, "pool_worker", {"work"});
        b.line(8);
        b.resume();
        int head = b.label(), exit = b.label();
        b.place(head);
        b.queue_get(tasks);
        b.store_fast("i");
        b.load_fast("i");
        b.load_const(0);
        b.compare(CmpKind::Lt);
        b.pop_jump_if_true(exit);
        b.line(9);
        b.load_fast("work");
        b.call("count", 1);
        b.pop_top();
        b.load_fast("i");
        b.queue_put(results);
        b.jump_backward(head);
        b.place(exit);
        b.load_const(0);
        b.return_value();
        b.finish();
    }
    {
        FunctionBuilder b(*p, "submitter", {"ntasks", "nworkers"});
        b.line(11);
        b.resume();
        b.line(12);
        b.load_fast("ntasks");
        b.for_range("i", [&] {
            b.load_fast("i");
            b.queue_put(tasks);
        });
        b.load_fast("nworkers");
        b.for_range("w", [&] {
            b.load_const(-1);
            b.queue_put(tasks);
        });
        b.load_fast("ntasks");
        b.for_range("k", [&] {
            b.queue_get(results);
            b.pop_top();
        });
        b.load_const(0);
        b.return_value();
        b.finish();
    }
    build_serial(*p, "count", {"n"}, 30);
    return p;
}
}  // namespace

void run_pool_compare(const ExperimentSpec&, const ParamSet& ps, uint64_t seed, RunControl& ctl, RunResult& r) {
    Common c = common(ps);
    const int W = (int)ps.get_int("workers");
    const int64_t tasks = ps.get_int("tasks"), work = ps.get_int("work");
    auto tp = program_pool(ps, false), pp = program_pool(ps, true);
    Run s(c, tp, false);
    s.thread("MainThread", tp->function_index("serial"), {tasks, work});
    SimResult rs = s.go(seed, ctl);
    if (!check_done(r, rs, "serial")) return;
    Run t(c, tp, false);
    t.thread("MainThread", tp->function_index("submitter"), {tasks, W});
    for (int i = 0; i < W; ++i)
        t.thread("ThreadPoolExecutor-0_" + std::to_string(i), tp->function_index("pool_worker"), {work}, 0, (i + 1) * start_gap(c));
    SimResult rt = t.go(seed, ctl);
    if (!check_done(r, rt, "thread pool")) return;
    Run pr(c, pp, ctl.record_trace);
    pr.thread("MainThread", pp->function_index("submitter"), {tasks, W});
    for (int i = 0; i < W; ++i) {
        int p = pr.process("SpawnProcess-" + std::to_string(i + 1), i * 300 * kUs, StartMethod::Fork);
        pr.thread("SpawnProcess-" + std::to_string(i + 1), pp->function_index("pool_worker"), {work}, p);
    }
    SimResult rp = pr.go(seed, ctl);
    if (!check_done(r, rp, "process pool")) return;
    r.metrics.set("serial_ns", (double)rs.end_ns, "ns", "Serial");
    r.metrics.set("thread_pool_ns", (double)rt.end_ns, "ns", "ThreadPoolExecutor");
    r.metrics.set("process_pool_ns", (double)rp.end_ns, "ns", "ProcessPoolExecutor");
    r.metrics.set("speedup_thread_pool", (double)rs.end_ns / (double)rt.end_ns, "x", "Speedup, thread pool");
    r.metrics.set("speedup_process_pool", (double)rs.end_ns / (double)rp.end_ns, "x", "Speedup, process pool");
    const int64_t per_task = rs.end_ns / std::max<int64_t>(1, tasks);
    const int64_t msg = 2 * (c.prof.pickle_fixed_ns + (int64_t)(ps.get_int("payload_bytes") * c.prof.pickle_ns_per_byte)) +
                        c.prof.pipe_latency_ns;
    r.metrics.set("work_per_task_ns", (double)per_task, "ns", "Work per task (serial)");
    r.metrics.set("messaging_per_task_ns", (double)msg, "ns", "Pickling + pipe per task (process pool)");
    r.metrics.set("wall_ns", (double)rp.end_ns, "ns", "Simulated wall time (process pool)");
    add_sim_metrics(r, rp);
    Series bars;
    bars.key = "serial_threadpool_processpool";
    bars.label = "Wall time";
    bars.x_label = "serial / ThreadPoolExecutor / ProcessPoolExecutor";
    bars.y_label = "seconds";
    bars.x = {0, 1, 2};
    bars.y = {(double)rs.end_ns / 1e9, (double)rt.end_ns / 1e9, (double)rp.end_ns / 1e9};
    r.series.push_back(bars);
    r.notes.push_back(per_task > 4 * msg
                          ? "Each task computes for much longer than it takes to pickle and send it, so the process "
                            "pool wins; the thread pool is held back by the GIL."
                          : "Each task is short next to pickling and sending it: the process pool spends its time on "
                            "messaging. Give each task more work to make processes pay off.");
    attach_trace(r, rp, ctl);
}

// ------------------------------------------------------------------ ft.scaling

namespace {
std::shared_ptr<Program> program_ft(int threads, bool shared) {
    auto p = std::make_shared<Program>();
    p->python = shared ? "import threading\n"
                         "shared = []\n"
                         "def work(n):\n"
                         "    for i in range(n):\n"
                         "        shared.append(i)      # one list for every thread: its lock is contended\n"
                       : "import threading\n"
                         "def work(n):\n"
                         "    mine = []\n"
                         "    for i in range(n):\n"
                         "        mine.append(i)        # a private list per thread\n";
    if (shared) add_list(*p, "shared");
    else
        for (int t = 0; t < threads; ++t) add_list(*p, "mine");
    for (int t = 0; t < (shared ? 1 : threads); ++t) {
        FunctionBuilder b(*p, "work" + std::to_string(t), {"n"});
        b.line(shared ? 3 : 2);
        b.resume();
        b.line(shared ? 4 : 4);
        b.load_fast("n");
        b.for_range("i", [&] {
            b.line(5);
            b.load_fast("i");
            b.list_append(shared ? 0 : t);
            b.line(4);
        });
        b.load_const(0);
        b.return_value();
        b.finish();
    }
    return p;
}
}  // namespace

void run_ft_scaling(const ExperimentSpec&, const ParamSet& ps, uint64_t seed, RunControl& ctl, RunResult& r) {
    Common c = common(ps);
    const int maxT = (int)ps.get_int("threads");
    const int64_t N = ps.get_int("appends");
    const bool shared = ps.choice_name("objects") == "shared";
    Common gil = c;
    builtin_profile("3.13", gil.prof);  // the same interpreter with its GIL, for comparison
    Series sp, sg;
    sp.key = "ft_throughput";
    sp.label = c.version + (shared ? " shared list" : " private lists");
    sp.x_label = "threads";
    sp.y_label = "appends per second (millions)";
    sg.key = "gil_throughput";
    sg.label = "3.13 with the GIL";
    sg.x_label = "threads";
    sg.y_label = "appends per second (millions)";
    SimResult last;
    double base = 0;
    std::vector<int> counts;
    for (int T = 1; T < maxT; T *= 2) counts.push_back(T);
    counts.push_back(maxT);
    for (int T : counts) {
        for (int g = 0; g < 2; ++g) {
            auto prog = program_ft(T, shared);
            Run run(g ? gil : c, prog, ctl.record_trace && g == 0 && T == maxT);
            for (int i = 0; i < T; ++i)
                run.thread("Thread-" + std::to_string(i + 1), prog->function_index("work" + std::to_string(shared ? 0 : i)),
                           {N}, 0, i * start_gap(c));
            SimResult s = run.go(seed, ctl);
            if (!check_done(r, s, "scaling")) return;
            double rate = (double)T * (double)N / ((double)s.end_ns * 1e-9) / 1e6;
            (g ? sg : sp).x.push_back(T);
            (g ? sg : sp).y.push_back(rate);
            if (g == 0 && T == 1) base = rate;
            if (g == 0 && T == maxT) last = std::move(s);
        }
        ctl.progress((double)T / maxT);
    }
    r.metrics.set("throughput_1_thread", base, "M/s", "Appends per second, 1 thread (millions)");
    r.metrics.set("throughput_max_threads", sp.y.back(), "M/s", "Appends per second, all threads (millions)");
    r.metrics.set("speedup", sp.y.back() / base, "x", "Throughput, all threads / 1 thread");
    r.metrics.set("gil_speedup", sg.y.back() / sg.y.front(), "x", "Same with the GIL (3.13)");
    r.metrics.set("wall_ns", (double)last.end_ns, "ns", "Simulated wall time (all threads)");
    add_sim_metrics(r, last);
    r.series = {sp, sg};
    r.notes.push_back(shared ? "Every append to the shared list takes that list's lock and moves its cache line between "
                               "cores: adding threads adds contention, not throughput."
                             : "Private lists need no coordination: throughput grows with threads up to the number of "
                               "cores. With the GIL it stays flat.");
    attach_trace(r, last, ctl);
}

// ------------------------------------------------------------------ deadlock.order

namespace {
std::shared_ptr<Program> program_deadlock(bool opposite, int64_t hold_ns) {
    auto p = std::make_shared<Program>();
    char py[900];
    std::snprintf(py, sizeof py,
                  "import threading, time\n"
                  "a, b = threading.Lock(), threading.Lock()\n"
                  "def first():\n"
                  "    with a:\n"
                  "        time.sleep(%g)     # hold a while doing something\n"
                  "        with b:\n"
                  "            pass\n"
                  "def second():\n"
                  "    with %s:\n"
                  "        time.sleep(%g)\n"
                  "        with %s:\n"
                  "            pass\n",
                  (double)hold_ns / 1e9, opposite ? "b" : "a", (double)hold_ns / 1e9, opposite ? "a" : "b");
    p->python = py;
    int a = add_lock(*p, "a"), b = add_lock(*p, "b");
    auto fn = [&](const char* name, int l1, int l2, int line) {
        FunctionBuilder f(*p, name, {});
        f.line(line);
        f.resume();
        f.line(line + 1);
        f.lock_acquire(l1);
        f.line(line + 2);
        f.sleep_ns(hold_ns);
        f.line(line + 3);
        f.lock_acquire(l2);
        f.line(line + 4);
        f.lock_release(l2);
        f.line(line + 1);
        f.lock_release(l1);
        f.load_const(0);
        f.return_value();
        f.finish();
    };
    fn("first", a, b, 3);
    fn("second", opposite ? b : a, opposite ? a : b, 8);
    return p;
}
}  // namespace

void run_deadlock_order(const ExperimentSpec&, const ParamSet& ps, uint64_t seed, RunControl& ctl, RunResult& r) {
    Common c = common(ps);
    const bool opposite = ps.choice_name("order") == "opposite";
    auto prog = program_deadlock(opposite, (int64_t)(ps.get("hold_ms") * kMs));
    Run run(c, prog, ctl.record_trace);
    run.thread("Thread-1", prog->function_index("first"), {});
    run.thread("Thread-2", prog->function_index("second"), {}, 0, start_gap(c));
    SimResult s = run.go(seed, ctl);
    if (s.cancelled) {
        r.cancelled = true;
        return;
    }
    r.metrics.set("deadlock", s.deadlock ? 1 : 0, "", "Deadlock detected (1 = yes)");
    r.metrics.set("wall_ns", (double)s.end_ns, "ns", s.deadlock ? "Simulated time until everyone was stuck" : "Simulated wall time");
    r.metrics.set("lock_contended", (double)s.lock_contended, "", "Acquisitions that had to wait");
    if (s.deadlock) {
        r.metrics.set_text("waits", s.deadlock_report, "Who waits on what");
        r.notes.push_back("Deadlock: " + s.deadlock_report +
                          ". Each thread holds one lock and waits for the other's. Acquire locks in one global order "
                          "(set order=same) and it cannot happen.");
    } else {
        r.notes.push_back("Both threads take the locks in the same order, so whoever gets 'a' first also gets 'b': "
                          "no cycle, no deadlock.");
    }
    add_sim_metrics(r, s);
    attach_trace(r, s, ctl);
}

// ------------------------------------------------------------------ async.io

namespace {
std::shared_ptr<Program> program_async(const ParamSet& ps) {
    auto p = std::make_shared<Program>();
    const int64_t io = (int64_t)(ps.get("io_ms") * kMs);
    char py[1400];
    std::snprintf(py, sizeof py,
                  "import asyncio, threading, time\n"
                  "def count(n):\n"
                  "    total = 0\n"
                  "    for i in range(n):\n"
                  "        total += i * i\n"
                  "    return total\n"
                  "\n"
                  "async def client(requests, work):     # asyncio: one thread, switches only at await\n"
                  "    for _ in range(requests):\n"
                  "        await asyncio.sleep(%g)\n"
                  "        count(work)\n"
                  "\n"
                  "def client_thread(requests, work):    # threads: the OS and the GIL switch them\n"
                  "    for _ in range(requests):\n"
                  "        time.sleep(%g)\n"
                  "        count(work)\n"
                  "\n"
                  "asyncio.run(asyncio.gather(*(client(R, W) for _ in range(C))))\n",
                  (double)io / 1e9, (double)io / 1e9);
    p->python = py;
    build_count_squares(*p, 2);
    for (int v = 0; v < 2; ++v) {
        FunctionBuilder b(*p, v ? "client_thread" : "client", {"requests", "work"});
        b.line(v ? 13 : 8);
        b.resume();
        b.line(v ? 14 : 9);
        b.load_fast("requests");
        b.for_range("_", [&] {
            b.line(v ? 15 : 10);
            if (v) b.sleep_ns(io);
            else b.await_sleep(io);
            b.line(v ? 16 : 11);
            b.load_fast("work");
            b.call("count", 1);
            b.pop_top();
            b.line(v ? 14 : 9);
        });
        b.load_const(0);
        b.return_value();
        b.finish();
    }
    build_serial(*p, "client_thread", {"requests", "work"});
    return p;
}
}  // namespace

void run_async_io(const ExperimentSpec&, const ParamSet& ps, uint64_t seed, RunControl& ctl, RunResult& r) {
    Common c = common(ps);
    const int C = (int)ps.get_int("clients");
    const int64_t R = ps.get_int("requests"), W = ps.get_int("cpu_per_request");
    auto prog = program_async(ps);
    Run s(c, prog, false);
    s.thread("MainThread", prog->function_index("serial"), {C, R, W});
    SimResult rs = s.go(seed, ctl);
    if (!check_done(r, rs, "serial")) return;
    Run t(c, prog, false);
    for (int i = 0; i < C; ++i)
        t.thread("Thread-" + std::to_string(i + 1), prog->function_index("client_thread"), {R, W}, 0, i * start_gap(c));
    SimResult rt = t.go(seed, ctl);
    if (!check_done(r, rt, "threads")) return;
    Run a(c, prog, ctl.record_trace);
    ThreadSpec loop;
    loop.name = "MainThread (event loop)";
    for (int i = 0; i < C; ++i) loop.async_tasks.push_back({prog->function_index("client"), {R, W}});
    a.cfg.threads.push_back(loop);
    SimResult ra = a.go(seed, ctl);
    if (!check_done(r, ra, "asyncio")) return;
    r.metrics.set("serial_ns", (double)rs.end_ns, "ns", "Serial");
    r.metrics.set("threads_ns", (double)rt.end_ns, "ns", "One thread per client");
    r.metrics.set("asyncio_ns", (double)ra.end_ns, "ns", "asyncio: one thread, C tasks");
    r.metrics.set("speedup_threads", (double)rs.end_ns / (double)rt.end_ns, "x", "Speedup, threads");
    r.metrics.set("speedup_asyncio", (double)rs.end_ns / (double)ra.end_ns, "x", "Speedup, asyncio");
    r.metrics.set("thread_gil_switches", (double)rt.gil_switches, "", "GIL switches with threads");
    r.metrics.set("wall_ns", (double)ra.end_ns, "ns", "Simulated wall time (asyncio)");
    add_sim_metrics(r, ra);
    r.notes.push_back("asyncio overlaps the waits in one thread; a task gives up control only at 'await', so there "
                      "is no preemption and no GIL hand-off between tasks (" + fmt_ms(ra.end_ns) + " vs " +
                      fmt_ms(rt.end_ns) + " with threads, " + fmt_ms(rs.end_ns) + " serial).");
    attach_trace(r, ra, ctl);
}

// ------------------------------------------------------------------ describe / UI support

std::shared_ptr<const Program> program_for(const std::string& id, const ParamSet& ps) {
    if (id == "gil.cpu") return program_gil_cpu(ps);
    if (id == "gil.io") return program_gil_io(ps);
    if (id == "gil.mixed") return program_gil_mixed(ps);
    if (id == "gil.convoy" || id == "gil.interval") return program_convoy((int64_t)(ps.get("io_ms") * kMs));
    if (id == "race.counter") return program_race(ps.choice_name("variant"));
    if (id == "race.lock_cost") return program_race("locked");
    if (id == "cext.release") return program_cext(ps, true);
    if (id == "mp.process") return program_mp(ps);
    if (id == "pool.compare") return program_pool(ps, true);
    if (id == "ft.scaling") return program_ft(1, ps.choice_name("objects") == "shared");
    if (id == "deadlock.order") return program_deadlock(ps.choice_name("order") == "opposite", (int64_t)(ps.get("hold_ms") * kMs));
    if (id == "async.io") return program_async(ps);
    return nullptr;
}

std::string describe_program(const ExperimentSpec& spec, const ParamSet& ps) {
    auto prog = program_for(spec.id, ps);
    if (!prog) return "";
    std::string version = ps.index_of("version") >= 0 ? ps.choice_name("version") : "3.11";
    return disassembly_text(*prog, version);
}

}  // namespace gil::sim
