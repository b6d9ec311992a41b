// test_sim_python.cpp — the simulator runs the compiled Python (sim/from_python.cpp): every
// experiment's program lowers on every version, instruction for instruction and check point
// for check point as the compiled code; lowered programs compute what Python computes; what
// cannot be simulated is refused with a sentence; trace pcs point into the `dis` the page shows.
#include <map>
#include <set>

#include "doctest.h"
#include "engine/experiment.h"
#include "engine/py/bytecode.h"
#include "engine/sim/explore.h"
#include "engine/sim/from_python.h"
#include "engine/sim/harness.h"
#include "engine/sim/sim.h"
#include "engine/versions.h"

using namespace gil;

namespace {

const char* kMinors[] = {"3.9", "3.10", "3.11", "3.12", "3.13"};

// Runs fn(args) alone on the simulator and returns its return value.
int64_t run_alone(const std::shared_ptr<const sim::Program>& p, const std::string& fn, std::vector<int64_t> args,
                  const char* version, bool exact = false) {
    const VersionRow* row = find_version(version);
    REQUIRE(row);
    sim::SimConfig cfg;
    cfg.profile = sim::profile_for(*row);
    cfg.program = p;
    cfg.record_trace = false;
    cfg.fast_forward = !exact;
    sim::ThreadSpec t;
    t.name = "MainThread";
    t.function = sim::entry(*p, fn);
    t.args = std::move(args);
    cfg.threads.push_back(t);
    sim::SimResult r = sim::Simulator(cfg, 1).run();
    REQUIRE(r.completed);
    return r.threads[0].return_value;
}

}  // namespace

TEST_CASE("sim from Python: every experiment's program lowers on every version, one real instruction at a time") {
    int programs = 0, functions = 0;
    for (const auto& e : experiments()) {
        if (e.engine != Engine::Sim || !e.program) continue;
        ParamSet ps = ParamSet::defaults(e.params);
        for (const char* v : kMinors) {
            const VersionRow* row = find_version(v);
            REQUIRE(row);
            auto view = python_view(e, ps);
            REQUIRE_MESSAGE(bool(view), e.id);
            std::shared_ptr<const sim::Program> p;
            REQUIRE_NOTHROW(p = sim::program_from_python(experiment_source(e, ps), *row, {}, view->file));
            CHECK_MESSAGE(sim::validate(*p) == "", (std::string(e.id) + " " + v + ": " + sim::validate(*p)));
            const py::Compiled c = py::compile_source(p->python, row->minor, view->file);
            ++programs;
            for (const auto& f : p->functions) {
                if (!f.error.empty()) continue;  // e.g. asyncio.gather in a helper no run uses
                ++functions;
                const auto& real = c.codes[(size_t)f.code_object].instructions;
                // Every real instruction has at least one simulator instruction, in order; the
                // check points are the compiled code's, on exactly one of them (the one that takes
                // the jump, for a conditional jump that checks only when taken).
                std::map<int, int> count, checks;
                std::set<int> unreachable;
                for (const auto& in : f.code) {
                    ++count[in.real];
                    if (in.flags & sim::Instr::kUnreachable) unreachable.insert(in.real);
                    if (in.flags & sim::Instr::kCheck) ++checks[in.real];
                    if (in.line) CHECK(in.line == real[(size_t)in.real].line);
                }
                CHECK_MESSAGE(count.size() == real.size(), (std::string(e.id) + " " + v + " " + f.name));
                for (size_t i = 0; i < real.size(); ++i)
                    if (!unreachable.count((int)i))
                        CHECK_MESSAGE(checks[(int)i] == (real[i].check_point ? 1 : 0),
                                  (std::string(e.id) + " " + v + " " + f.name + " instruction " + std::to_string(i) +
                                   " " + py::op_name(real[i].op)));
            }
        }
    }
    MESSAGE(programs << " programs x versions lowered, " << functions << " functions");
    CHECK(programs >= 13 * 5);
}

TEST_CASE("sim from Python: race.counter's work() on 3.12 is CPython 3.12's dis, and runs that code") {
    const ExperimentSpec* e = find_experiment("race.counter");
    REQUIRE(e);
    ParamSet ps = ParamSet::defaults(e->params);
    auto p = sim::program_from_python(experiment_source(*e, ps), *find_version("3.12"));
    const sim::Function& w = p->functions[(size_t)sim::entry(*p, "work")];
    const py::Compiled c = py::compile_source(p->python, 12);
    std::vector<std::string> shown;
    for (const auto& in : c.codes[(size_t)w.code_object].instructions) shown.push_back(py::op_name(in.op));
    // The opcodes the issue quotes from real `dis.dis(work)` on 3.12.
    const std::vector<std::string> want = {"RESUME", "LOAD_GLOBAL", "LOAD_FAST", "CALL", "GET_ITER", "FOR_ITER",
                                           "STORE_FAST", "LOAD_GLOBAL", "LOAD_CONST", "BINARY_OP", "STORE_GLOBAL",
                                           "JUMP_BACKWARD", "END_FOR", "RETURN_CONST"};
    CHECK(shown == want);
    // The loop body is the simulator's too: a load, an add and a store of the global counter,
    // with no check point between the load and the store (why 3.12 loses nothing).
    std::vector<sim::Op> body;
    bool check_inside = false, in_body = false;
    for (const auto& in : w.code) {
        if (in.op == sim::Op::LoadGlobal) in_body = true;
        if (in_body) body.push_back(in.op);
        if (in_body && in.op != sim::Op::StoreGlobal && (in.flags & sim::Instr::kCheck)) check_inside = true;
        if (in.op == sim::Op::StoreGlobal) break;
    }
    CHECK(body == std::vector<sim::Op>{sim::Op::LoadGlobal, sim::Op::LoadConst, sim::Op::BinaryOp, sim::Op::StoreGlobal});
    CHECK_FALSE(check_inside);
    // On 3.9 INPLACE_ADD and LOAD_GLOBAL check the eval breaker: a switch can land inside.
    auto p9 = sim::program_from_python(experiment_source(*e, ps), *find_version("3.9"));
    bool check9 = false;
    in_body = false;
    for (const auto& in : p9->functions[(size_t)sim::entry(*p9, "work")].code) {
        if (in.op == sim::Op::LoadGlobal) in_body = true;
        if (in_body && in.op != sim::Op::StoreGlobal && (in.flags & sim::Instr::kCheck)) check9 = true;
        if (in.op == sim::Op::StoreGlobal) break;
    }
    CHECK(check9);
}

TEST_CASE("sim from Python: lowered functions compute what Python computes, stepping and fast-forwarded") {
    // Expected values computed by hand (and by CPython): loops, if/elif/else, %, //-free
    // arithmetic, calls with several arguments, while with break and continue.
    const std::string src =
        "LIMIT = 7\n"
        "def tri(n):\n"
        "    total = 0\n"
        "    for i in range(n):\n"
        "        total += i\n"
        "    return total\n"
        "def classify(n):\n"
        "    a = 0\n"
        "    b = 0\n"
        "    c = 0\n"
        "    for i in range(n):\n"
        "        if i % 3 == 0:\n"
        "            a += 1\n"
        "        elif i % 3 == 1:\n"
        "            b += 2\n"
        "        else:\n"
        "            c += 3\n"
        "    return a * 10000 + b * 100 + c\n"
        "def mix(x, y, z):\n"
        "    return x * 100 + y * 10 + z - tri(LIMIT)\n"
        "def loop(n):\n"
        "    i = 0\n"
        "    s = 0\n"
        "    while True:\n"
        "        i += 1\n"
        "        if i > n:\n"
        "            break\n"
        "        if i % 2 == 0:\n"
        "            continue\n"
        "        s += i\n"
        "    return s\n"
        "def nested(n):\n"
        "    s = 0\n"
        "    for i in range(n):\n"
        "        for j in range(i):\n"
        "            s += j\n"
        "    return s\n";
    for (const char* v : kMinors) {
        auto p = sim::program_from_python(src, *find_version(v));
        REQUIRE_MESSAGE(sim::validate(*p) == "", sim::validate(*p));
        for (bool exact : {false, true}) {
            CHECK(run_alone(p, "tri", {1000}, v, exact) == 499500);
            CHECK(run_alone(p, "classify", {10}, v, exact) == 4 * 10000 + 3 * 2 * 100 + 3 * 3);
            CHECK(run_alone(p, "mix", {1, 2, 3}, v, exact) == 123 - 21);
            CHECK(run_alone(p, "loop", {11}, v, exact) == 1 + 3 + 5 + 7 + 9 + 11);
            CHECK(run_alone(p, "nested", {30}, v, exact) == 4060);
        }
        CHECK(run_alone(p, "tri", {100'000'000}, v) == (int64_t)100'000'000 * 99'999'999 / 2);
    }
}

TEST_CASE("sim from Python: what the simulator does not model is refused with the line and a sentence") {
    const std::string src =
        "import threading\n"
        "lock = threading.Lock()\n"
        "def speaks(n):\n"
        "    for i in range(n):\n"
        "        str(i)\n"
        "def floats(n):\n"
        "    x = 0.5\n"
        "    return n * x\n"
        "def over_list(items):\n"
        "    for x in [1, 2, 3]:\n"
        "        pass\n"
        "def caller(n):\n"
        "    speaks(n)\n"
        "def fine(n):\n"
        "    with lock:\n"
        "        n += 1\n"
        "    return n\n";
    auto p = sim::program_from_python(src, *find_version("3.12"));
    CHECK(sim::validate(*p) == "");
    auto refused = [&](const char* fn, const char* line, const char* words) {
        CAPTURE(fn);
        std::string why;
        try {
            sim::entry(*p, fn);
        } catch (const std::exception& ex) {
            why = ex.what();
        }
        CHECK_MESSAGE(why.find(line) != std::string::npos, why);
        CHECK_MESSAGE(why.find(words) != std::string::npos, why);
    };
    refused("speaks", "line 5", "str() is not modelled by the simulator inside a thread's function");
    refused("floats", "line 8", "arithmetic of a float");
    refused("over_list", "line 10", "use range(n)");
    refused("caller", "line 5, in speaks()", "str()");
    CHECK_NOTHROW(sim::entry(*p, "fine"));
    CHECK(run_alone(p, "fine", {41}, "3.12") == 42);
    // A program that does not compile is refused before any of it runs.
    CHECK_THROWS_AS(sim::program_from_python("def f(:\n    pass\n", *find_version("3.12")), sim::LowerError);
}

TEST_CASE("sim from Python: trace pcs point at the instructions dis shows") {
    const ExperimentSpec* e = find_experiment("race.counter");
    ParamSet ps = ParamSet::defaults(e->params);
    REQUIRE(ps.set("version", "3.9") == "");
    REQUIRE(ps.set("increments", "20000") == "");
    REQUIRE(ps.set("interval_us", "50") == "");
    RunControl ctl;
    RunResult r = run_experiment(*e, ps, 1, ctl);
    REQUIRE(r.error == "");
    REQUIRE(bool(r.trace));
    REQUIRE(bool(r.program));
    REQUIRE_FALSE(r.trace->lost_updates.empty());
    std::set<std::string> loads, stores;
    for (const auto& lu : r.trace->lost_updates) {
        const DisLine* l = r.program->at(lu.load_pc);
        const DisLine* s = r.program->at(lu.store_pc);
        REQUIRE(l);
        REQUIRE(s);
        loads.insert(l->opname + " " + l->argrepr);
        stores.insert(s->opname + " " + s->argrepr);
        CHECK(r.program->code_at(lu.store_pc)->name == "work");
    }
    CHECK(loads == std::set<std::string>{"LOAD_GLOBAL counter"});
    CHECK(stores == std::set<std::string>{"STORE_GLOBAL counter"});
}

TEST_CASE("sim from Python: every simulated experiment's trace points at instructions of the program its result shows") {
    int checked = 0;
    for (const auto& e : experiments()) {
        if (e.engine != Engine::Sim) continue;
        CAPTURE(e.id);
        ParamSet ps = ParamSet::defaults(e.params);
        for (const auto& kv : e.small) REQUIRE(ps.set(kv.first, kv.second) == "");
        RunControl ctl;
        RunResult r = run_experiment(e, ps, 1, ctl);
        REQUIRE_MESSAGE(r.error == "", r.error);
        if (!r.trace) continue;
        REQUIRE(bool(r.program));
        for (const auto& lane : r.trace->lanes)
            for (const auto& iv : lane.intervals)
                if (iv.state == ThreadState::Running) {
                    const DisLine* d = r.program->at(iv.info);
                    CHECK_MESSAGE(d != nullptr, (lane.name + " pc " + std::to_string(iv.info)));
                    ++checked;
                }
        for (const auto& ev : r.trace->events)
            if (ev.kind == EventKind::ForcedSwitch) CHECK(r.program->at((uint32_t)ev.a) != nullptr);
    }
    MESSAGE(checked << " running intervals resolved to their instruction");
    CHECK(checked > 100);
}

TEST_CASE("sim from Python: a loop that never ends stops at the work cap or the time limit, never hangs") {
    // b stays in 2..5: the loop runs for ever and cannot be fast-forwarded (a `%` of values the
    // loop changes; found by the fuzzer as `a % b` with b == 0, which is now Python's
    // ZeroDivisionError); `while True: pass` can be, and has no event to stop at.
    const std::string src =
        "def gcd(a, b):\n"
        "    while b != 1:\n"
        "        a, b = b, a * b % 4 + 2\n"
        "    return a\n"
        "def spin(n):\n"
        "    while True:\n"
        "        pass\n";
    auto p = sim::program_from_python(src, *find_version("3.13"));
    for (const char* fn : {"gcd", "spin"}) {
        for (int threads : {1, 2}) {
            sim::SimConfig cfg;
            cfg.profile = sim::profile_for(*find_version("3.13"));
            cfg.program = p;
            cfg.record_trace = false;
            cfg.max_stepped_instructions = 1'000'000;
            for (int i = 0; i < threads; ++i) {
                sim::ThreadSpec t;
                t.function = sim::entry(*p, fn);
                t.args = std::string(fn) == "gcd" ? std::vector<int64_t>{3, 3} : std::vector<int64_t>{1};
                cfg.threads.push_back(t);
            }
            sim::SimResult r = sim::Simulator(cfg, 1).run();
            CAPTURE(fn);
            CAPTURE(threads);
            CHECK_FALSE(r.completed);
            CHECK_FALSE(r.deadlock);
            CHECK((r.step_limit_hit || r.time_limit_hit));
        }
    }
}

namespace {

struct ModuleRun {
    sim::SimResult s;
    std::shared_ptr<const sim::Program> p;
    int64_t global(const std::string& n) const {
        const int g = p->global_index(n);
        REQUIRE_MESSAGE(g >= 0, n);
        return s.globals[0][(size_t)g];
    }
};

// Runs a program's module code as the main thread, as `gillab run --program` and the
// experiments that start their own threads do.
ModuleRun run_module(const std::string& src, const char* version, bool fast_forward = true, int64_t interval_ns = 5'000'000) {
    const VersionRow* row = find_version(version);
    REQUIRE(row);
    ModuleRun m;
    m.p = sim::program_from_python(src, *row);
    REQUIRE_MESSAGE(sim::validate(*m.p) == "", sim::validate(*m.p));
    sim::SimConfig cfg;
    cfg.profile = sim::profile_for(*row);
    cfg.program = m.p;
    cfg.record_trace = true;
    cfg.fast_forward = fast_forward;
    cfg.switch_interval_ns = interval_ns;
    sim::ThreadSpec t;
    t.name = "MainThread";
    REQUIRE_MESSAGE(sim::entry_error(*m.p, m.p->module_fn) == "", sim::entry_error(*m.p, m.p->module_fn));
    t.function = m.p->module_fn;
    cfg.threads.push_back(t);
    m.s = sim::Simulator(cfg, 7).run();
    return m;
}

const char* kRace =
    "import sys\n"
    "import threading\n"
    "N = 20000\n"
    "T = 3\n"
    "sys.setswitchinterval(0.00005)\n"
    "counter = 0\n"
    "def work(n):\n"
    "    global counter\n"
    "    for _ in range(n):\n"
    "        counter += 1\n"
    "threads = [threading.Thread(target=work, args=(N,)) for _ in range(T)]\n"
    "for t in threads:\n"
    "    t.start()\n"
    "for t in threads:\n"
    "    t.join()\n"
    "print('final', counter)\n";

}  // namespace

TEST_CASE("sim from Python: module code is the main thread: it makes, starts and joins the threads, on every version") {
    for (const char* v : {"3.9", "3.10", "3.11", "3.12", "3.13", "3.13t"}) {
        CAPTURE(v);
        ModuleRun m = run_module(kRace, v);
        REQUIRE(m.s.completed);
        CHECK(m.s.error == "");
        REQUIRE(m.s.threads.size() == 4);  // MainThread and the three it made
        CHECK(m.s.threads[0].name == "MainThread");
        // CPython's names: "Thread-1" on 3.9, "Thread-1 (work)" from 3.10 (threading._newname + target)
        CHECK(m.s.threads[1].name == (std::string(v) == "3.9" ? "Thread-1" : "Thread-1 (work)"));
        // The main thread ends last: after joining every thread it made.
        for (size_t i = 1; i < 4; ++i) {
            CHECK(m.s.threads[i].started_at >= 0);
            CHECK(m.s.threads[i].done_at <= m.s.threads[0].done_at);
        }
        const int64_t final_v = m.global("counter");
        if (std::string(v) == "3.9" || std::string(v) == "3.13t") {
            CHECK(final_v < 3 * 20000);  // a switch between LOAD_GLOBAL and STORE_GLOBAL, or no GIL at all
            CHECK(m.s.lost_update_events > 0);
        } else {
            CHECK(final_v == 3 * 20000);  // 3.10+ with the GIL: no check point inside counter += 1
        }
        // Fast-forward gives what stepping gives.
        ModuleRun stepped = run_module(kRace, v, false);
        CHECK(stepped.global("counter") == final_v);
        CHECK(stepped.s.end_ns == m.s.end_ns);
    }
}

TEST_CASE("sim from Python: Thread.start() waits until the new thread runs; join() until it has finished") {
    const std::string src =
        "import threading\n"
        "import time\n"
        "def nap():\n"
        "    time.sleep(0.01)\n"
        "t0 = time.perf_counter()\n"
        "t = threading.Thread(target=nap)\n"
        "t.start()\n"
        "started = time.perf_counter() - t0\n"
        "t.join()\n"
        "elapsed = time.perf_counter() - t0\n";
    ModuleRun m = run_module(src, "3.12");
    REQUIRE(m.s.completed);
    // perf_counter() is in ns in the simulator: the sleep is inside the join, not inside start().
    CHECK(m.global("started") > 0);
    CHECK(m.global("started") < 10'000'000);
    CHECK(m.global("elapsed") >= 10'000'000);
    CHECK(m.global("elapsed") < 11'000'000);
    // Lists of threads built with append and displays, iterated, len() of them.
    const std::string lists =
        "import threading\n"
        "done = 0\n"
        "lock = threading.Lock()\n"
        "def work(k):\n"
        "    global done\n"
        "    with lock:\n"
        "        done += k\n"
        "a = threading.Thread(target=work, args=(1,))\n"
        "b = threading.Thread(target=work, args=(10,), daemon=True)\n"
        "pair = [a, b]\n"
        "more = []\n"
        "for i in range(3):\n"
        "    more.append(threading.Thread(target=work, args=(100,)))\n"
        "for t in pair:\n"
        "    t.start()\n"
        "for t in more:\n"
        "    t.start()\n"
        "for t in pair:\n"
        "    t.join()\n"
        "for t in more:\n"
        "    t.join()\n"
        "n = len(more)\n";
    for (const char* v : kMinors) {
        CAPTURE(v);
        ModuleRun l = run_module(lists, v);
        REQUIRE(l.s.completed);
        CHECK(l.global("done") == 311);
        CHECK(l.global("n") == 3);
        CHECK(l.s.threads.size() == 6);
    }
}

TEST_CASE("sim from Python: module code's mistakes are CPython's RuntimeErrors; what it cannot take is refused") {
    ModuleRun j = run_module("import threading\ndef f():\n    pass\nt = threading.Thread(target=f)\nt.join()\n", "3.12");
    CHECK(!j.s.completed);
    CHECK(!j.s.deadlock);
    CHECK(j.s.error == "RuntimeError: cannot join thread before it is started (Thread-1 (f))");
    ModuleRun twice = run_module("import threading\ndef f():\n    pass\nt = threading.Thread(target=f)\nt.start()\nt.start()\n", "3.9");
    CHECK(twice.s.error.find("threads can only be started once") != std::string::npos);
    // A thread made and never started is not waited for (CPython exits without it).
    ModuleRun idle = run_module("import threading\ndef f():\n    pass\nt = threading.Thread(target=f)\n", "3.11");
    CHECK(idle.s.completed);
    // Deadlock: the main thread's join is part of the wait-for report.
    ModuleRun dl = run_module(
        "import threading\nimport time\na = threading.Lock()\nb = threading.Lock()\n"
        "def one():\n    with a:\n        time.sleep(0.001)\n        with b:\n            pass\n"
        "def two():\n    with b:\n        time.sleep(0.001)\n        with a:\n            pass\n"
        "t1 = threading.Thread(target=one)\nt2 = threading.Thread(target=two)\nt1.start()\nt2.start()\nt1.join()\nt2.join()\n",
        "3.12");
    CHECK(dl.s.deadlock);
    CHECK_MESSAGE(dl.s.deadlock_report.find("MainThread waits for Thread-1 (one) to finish (join)") != std::string::npos, dl.s.deadlock_report);
    CHECK_MESSAGE(dl.s.deadlock_report.find("waits for b, held by Thread-2 (two)") != std::string::npos, dl.s.deadlock_report);
    // Refusals before any work, naming the module code and the line.
    auto p = sim::program_from_python("import threading\ndef f(n):\n    pass\nN = 2\nx = N * 2.5\n",
                                      *find_version("3.12"));
    const std::string why = sim::entry_error(*p, p->module_fn);
    CHECK_MESSAGE(why.find("line 5, in the module code: arithmetic of a float") != std::string::npos, why);
    auto q = sim::program_from_python("import threading\ndef f(n):\n    pass\nt = threading.Thread(target=f, args=(1, 2))\n",
                                      *find_version("3.10"));
    const std::string why2 = sim::entry_error(*q, q->module_fn);
    CHECK_MESSAGE(why2.find("line 4, in the module code: f() as a thread's target is called with 2 arguments") != std::string::npos, why2);
}

TEST_CASE("sim from Python: module code starts processes: Process(target=, args=), start(), join(), set_start_method()") {
    const std::string src =
        "import multiprocessing\n"
        "from multiprocessing import Process, Value, Lock\n"
        "N = 2000\n"
        "def work(x, n):\n"
        "    for _ in range(n):\n"
        "        x.value += 1\n"
        "def work_locked(y, lock, n):\n"
        "    for _ in range(n):\n"
        "        with lock:\n"
        "            y.value += 1\n"
        "if __name__ == '__main__':\n"
        "    multiprocessing.set_start_method('METHOD')\n"
        "    x = Value('i', 0)\n"
        "    y = Value('i', 0)\n"
        "    lock = Lock()\n"
        "    procs = [Process(target=work, args=(x, N)) for _ in range(3)]\n"
        "    procs += [Process(target=work_locked, args=(y, lock, N)) for _ in range(3)]\n"
        "    for p in procs:\n"
        "        p.start()\n"
        "    for p in procs:\n"
        "        p.join()\n";
    auto with = [&](const std::string& method) {
        std::string s = src;
        s.replace(s.find("METHOD"), 6, method);
        return s;
    };
    // `procs += [...]` is a list of thread handles extended in place: not modelled, refused.
    auto p = sim::program_from_python(with("fork"), *find_version("3.12"));
    CHECK(sim::entry_error(*p, p->module_fn).find("line 17, in the module code") != std::string::npos);
    // A parameter named like a module object is that object: passing another one is refused.
    auto q = sim::program_from_python(
        "from multiprocessing import Process, Value\ndef f(x):\n    x.value += 1\nx = Value('i', 0)\ny = Value('i', 0)\n"
        "p = Process(target=f, args=(y,))\n", *find_version("3.11"));
    CHECK_MESSAGE(sim::entry_error(*q, q->module_fn).find("is a multiprocessing.Value other than the module's `x`") != std::string::npos,
                  sim::entry_error(*q, q->module_fn));
    std::string two = with("fork");
    two.replace(two.find("procs += ["), 10, "procs2 = [");
    two.replace(two.find("for p in procs:\n        p.start()"), 0, "for p in procs2:\n        p.start()\n    ");
    two += "    for p in procs2:\n        p.join()\n";
    for (const char* v : {"3.9", "3.12", "3.13t"}) {
        CAPTURE(v);
        ModuleRun m = run_module(two, v);
        REQUIRE_MESSAGE(m.s.completed, (m.s.error + m.s.deadlock_report));
        REQUIRE(m.s.threads.size() == 7);
        CHECK(m.s.threads[1].name == "Process-1");
        CHECK(m.s.threads[1].process == 1);
        CHECK(m.s.globals.size() == 7);  // the main process and six children
        const int64_t x = m.s.shared_memory[(size_t)m.p->global_index("x.value")];
        const int64_t y = m.s.shared_memory[(size_t)m.p->global_index("y.value")];
        CHECK(x < 3 * 2000);   // get and set are two critical sections: processes interleave them
        CHECK(y == 3 * 2000);  // with the multiprocessing.Lock around both: exact
    }
    // spawn starts a fresh interpreter: the same program takes longer to start its processes.
    std::string spawn = two;
    spawn.replace(spawn.find("'fork'"), 6, "'spawn'");
    ModuleRun f = run_module(two, "3.12"), s = run_module(spawn, "3.12");
    REQUIRE(f.s.completed);
    REQUIRE(s.s.completed);
    CHECK(s.s.end_ns > f.s.end_ns + 40'000'000);
}

TEST_CASE("sim race detector: unguarded shared variables are found on runs that lost nothing; locks and start/join order clear them") {
    // The seeds' counter += 1 on 3.12: nothing is lost (no switch point inside the increment)
    // and the detector still says counter is unguarded; the locked variant is clean.
    for (const char* variant : {"inplace", "locked"}) {
        CAPTURE(variant);
        const ExperimentSpec* e = find_experiment("race.counter");
        REQUIRE(e);
        ParamSet ps = ParamSet::defaults(e->params);
        REQUIRE(ps.set("variant", variant).empty());
        REQUIRE(ps.set("version", "3.12").empty());
        RunControl ctl;
        ctl.record_trace = false;
        RunResult r = run_experiment(*e, ps, 1, ctl);
        REQUIRE(r.error == "");
        CHECK(r.metrics.get("lost") == 0);
        if (std::string(variant) == "inplace") {
            CHECK(r.metrics.get("races") == 1);
            const Metric* m = r.metrics.find("race_1");
            REQUIRE(m);
            CHECK_MESSAGE(m->text.find("counter: written by Thread-1 (work) at line 18 and written by Thread-2 (work) at line 18") == 0, m->text);
            bool noted = false;
            for (const auto& n : r.notes) noted = noted || n.find("This run lost no update, but the code is not thread-safe") != std::string::npos;
            CHECK(noted);
        } else {
            CHECK(r.metrics.get("races") == 0);
        }
    }
    // Threads that ran one after the other only because the schedule happened to (each done
    // within its first switch interval) are still reported; threads ordered by join() are not.
    const std::string lucky =
        "import threading\ncounter = 0\ndef work(n):\n    global counter\n    for _ in range(n):\n        counter += 1\n"
        "a = threading.Thread(target=work, args=(100,))\nb = threading.Thread(target=work, args=(100,))\n"
        "a.start()\nb.start()\na.join()\nb.join()\nprint(counter)\n";
    ModuleRun l = run_module(lucky, "3.12");
    REQUIRE(l.s.completed);
    REQUIRE(l.s.races.size() == 1);
    CHECK(l.s.races[0].name == "counter");
    CHECK(l.s.threads[1].done_at < l.s.threads[2].started_at);  // they never overlapped in this run
    const std::string ordered =
        "import threading\ncounter = 0\nother = 0\ndef work(n):\n    global counter\n    for _ in range(n):\n        counter += 1\n"
        "def work2(n):\n    global other\n    for _ in range(n):\n        other += 1\n"
        "a = threading.Thread(target=work, args=(100,))\na.start()\na.join()\n"
        "b = threading.Thread(target=work, args=(100,))\nb.start()\nb.join()\n"          // after a's join: ordered
        "c = threading.Thread(target=work2, args=(100,))\nd = threading.Thread(target=work, args=(1,))\n"
        "c.start()\nd.start()\nc.join()\nd.join()\n"                                    // different variables
        "counter = counter + other\n";                                                    // after every join
    ModuleRun o = run_module(ordered, "3.9");
    REQUIRE(o.s.completed);
    CHECK(o.s.races.empty());
    // A read racing with a write counts too (a flag polled without a lock).
    const std::string flag =
        "import threading\nimport time\nstop = 0\ndef spin():\n    n = 0\n    while stop == 0:\n        n += 1\n"
        "def setter():\n    global stop\n    time.sleep(0.001)\n    stop = 1\n"
        "s = threading.Thread(target=spin)\nt = threading.Thread(target=setter)\ns.start()\nt.start()\ns.join()\nt.join()\n";
    ModuleRun f = run_module(flag, "3.12");
    REQUIRE(f.s.completed);
    REQUIRE(f.s.races.size() == 1);
    CHECK(sim::race_text(f.s, f.s.races[0]).find("stop: read by Thread-1 (spin) at line 6 and written by Thread-2 (setter) at line 11") == 0);
}

TEST_CASE("sim from Python: classes: module-level instances, __init__, methods, self.count += 1 and a Lock attribute") {
    const std::string src =
        "import sys\n"
        "import threading\n"
        "sys.setswitchinterval(0.00005)\n"
        "class Counter:\n"
        "    \"\"\"A counter; step is a class attribute.\"\"\"\n"
        "    step = 1\n"
        "    def __init__(self, start):\n"
        "        self.count = start\n"
        "        self.lock = threading.Lock()\n"
        "    def run(self, n):\n"
        "        for _ in range(n):\n"
        "            self.count += self.step\n"
        "    def run_locked(self, n):\n"
        "        for _ in range(n):\n"
        "            with self.lock:\n"
        "                self.count += 1\n"
        "    def get(self):\n"
        "        return self.count\n"
        "plain = Counter(5)\n"
        "safe = Counter(0)\n"
        "a = [threading.Thread(target=plain.run, args=(20000,)) for _ in range(3)]\n"
        "b = [threading.Thread(target=safe.run_locked, args=(20000,)) for _ in range(3)]\n"
        "for t in a:\n"
        "    t.start()\n"
        "for t in b:\n"
        "    t.start()\n"
        "for t in a:\n"
        "    t.join()\n"
        "for t in b:\n"
        "    t.join()\n"
        "print(plain.get(), safe.get(), plain.step)\n";
    for (const char* v : {"3.9", "3.10", "3.11", "3.12", "3.13", "3.13t"}) {
        CAPTURE(v);
        ModuleRun m = run_module(src, v);
        REQUIRE(m.s.completed);
        CHECK(m.s.error == "");
        // Each instance's attributes are its own variables.
        const int64_t plain = m.global("plain.count"), safe = m.global("safe.count");
        CHECK(safe == 60000);  // the instance's own Lock guards it on every version
        const bool loses = std::string(v) == "3.9" || std::string(v) == "3.13t";
        if (loses) CHECK(plain < 60005);
        else CHECK(plain == 60005);  // 3.10+ with the GIL: no switch point between LOAD_ATTR and STORE_ATTR
        CHECK(m.s.output == std::to_string(plain) + " 60000 1\n");
        // CPython 3.10+ names a thread after its target's __name__: "run", not "Counter.run".
        REQUIRE(m.s.threads.size() == 7);
        CHECK(m.s.threads[1].name == (std::string(v) == "3.9" ? "Thread-1" : "Thread-1 (run)"));
        CHECK(m.s.threads[4].name == (std::string(v) == "3.9" ? "Thread-4" : "Thread-4 (run_locked)"));
        // The race detector names the instance's attribute; the locked one is clean.
        REQUIRE(m.s.races.size() == 1);
        CHECK(m.s.races[0].name == "plain.count");
        // Fast-forward gives what stepping gives.
        ModuleRun stepped = run_module(src, v, false);
        CHECK(stepped.global("plain.count") == plain);
        CHECK(stepped.s.end_ns == m.s.end_ns);
    }
    // A method calling a method, an instance passed to a function by its name, an alias of a
    // module-level lock as an attribute, and a list attribute.
    const std::string more =
        "import threading\n"
        "lock = threading.Lock()\n"
        "class Account:\n"
        "    def __init__(self, lock):\n"
        "        self.balance = 100\n"
        "        self.lock = lock\n"
        "        self.log = []\n"
        "    def withdraw(self, amount):\n"
        "        with self.lock:\n"
        "            if self.balance >= amount:\n"
        "                self.balance -= amount\n"
        "                self.log.append(amount)\n"
        "    def twice(self, amount):\n"
        "        self.withdraw(amount)\n"
        "        self.withdraw(amount)\n"
        "acct = Account(lock)\n"
        "def spend(acct, n):\n"
        "    for _ in range(n):\n"
        "        acct.twice(10)\n"
        "t1 = threading.Thread(target=spend, args=(acct, 3))\n"
        "t2 = threading.Thread(target=spend, args=(acct, 3))\n"
        "t1.start()\n"
        "t2.start()\n"
        "t1.join()\n"
        "t2.join()\n"
        "print(acct.balance)\n";
    ModuleRun m = run_module(more, "3.12");
    REQUIRE(m.s.completed);
    CHECK(m.s.error == "");
    CHECK(m.global("acct.balance") == 0);
    CHECK(m.p->lock_index("acct.lock") < 0);  // `self.lock = lock` is the module's lock, not a new one
    CHECK(m.s.races.empty());
}

TEST_CASE("sim from Python: what the simulator cannot take of a class is refused with the line and a sentence") {
    auto refusal = [](const std::string& src) {
        auto p = sim::program_from_python(src, *find_version("3.12"));
        return sim::entry_error(*p, p->module_fn);
    };
    const std::string cls = "class C:\n    def __init__(self):\n        self.n = 0\n    def inc(self):\n        self.n += 1\n";
    std::string why = refusal(cls + "def f():\n    c = C()\n    c.inc()\nf()\n");
    CHECK_MESSAGE(why.find("line 7, in f(): `C(...)` is modelled by the simulator only as `name = C(...)` in module code") != std::string::npos, why);
    why = refusal(cls + "items = [C() for _ in range(3)]\n");
    CHECK_MESSAGE(why.find("`C(...)` is modelled by the simulator only as `name = C(...)`") != std::string::npos, why);
    why = refusal(cls + "c = C()\nprint(c.missing)\n");
    CHECK_MESSAGE(why.find("line 7, in the module code: `c.missing`: no method of C sets `self.missing`") != std::string::npos, why);
    why = refusal(cls + "c = C()\nprint(C.n)\n");
    CHECK_MESSAGE(why.find("attributes read through the class are not modelled") != std::string::npos, why);
    why = refusal("class D:\n    print('hi')\n    def f(self):\n        pass\nd = D()\n");
    CHECK_MESSAGE(why.find("line 2, in the module code: in the body of class D, only methods (def)") != std::string::npos, why);
    why = refusal(cls + "c = C()\nc.inc(1)\n");
    CHECK_MESSAGE(why.find("C.inc() is called with 2 arguments; the simulator needs all 1 of them") != std::string::npos, why);
    why = refusal("import threading\nclass E:\n    def reset(self):\n        self.lock = threading.Lock()\ne = E()\ne.reset()\n");
    CHECK_MESSAGE(why.find("line 4, in E.reset(): threading.Lock() inside a function: the simulator makes each lock, queue and Value once") != std::string::npos, why);
}

TEST_CASE("sim from Python: range(start, stop, step), // and ** on ints, unary -, not, None results, an RLock taken twice, printed lists and bools") {
    // What real CPython 3.9-3.13 print for this program here: "[100, 49, 16, 1] None" and
    // "743 -4 1024 True False True".
    const std::string src =
        "import threading\n"
        "r = threading.RLock()\n"
        "total = 0\n"
        "def noop():\n"
        "    pass\n"
        "def work(n):\n"
        "    global total\n"
        "    for i in range(2, n, 3):\n"
        "        with r:\n"
        "            with r:\n"
        "                total += i // 2 + i ** 2 - (-i) // 4\n"
        "squares = [k * k for k in range(10, 0, -3)]\n"
        "print(squares, noop())\n"
        "t = threading.Thread(target=work, args=(20,))\n"
        "t.start()\n"
        "t.join()\n"
        "print(total, -7 // 2, 2 ** 10, total > 700, not total, True)\n";
    for (const char* v : {"3.9", "3.10", "3.11", "3.12", "3.13", "3.13t"}) {
        CAPTURE(v);
        for (bool ff : {true, false}) {
            ModuleRun m = run_module(src, v, ff);
            REQUIRE(m.s.completed);
            CHECK(m.s.error == "");
            CHECK(m.s.output == "[100, 49, 16, 1] None\n743 -4 1024 True False True\n");
        }
    }
    // x // 0 and x % 0 stop the program as Python's ZeroDivisionError does (3.12 words % its own way).
    ModuleRun z = run_module("def f(a, b):\n    return a // b\nx = 0\nprint(f(7, x))\n", "3.12");
    CHECK(z.s.error == "ZeroDivisionError: integer division or modulo by zero");
    ModuleRun zm = run_module("x = 0\ny = 7 % x\n", "3.12");
    CHECK(zm.s.error == "ZeroDivisionError: integer modulo by zero");
    // An int beyond 64 bits is flagged: Python's ints have no limit, the simulator's wrap.
    ModuleRun big = run_module("x = 3\nfor i in range(6):\n    x = x * x\nprint(x)\n", "3.12");
    CHECK(big.s.completed);
    CHECK(big.s.int_wrapped);
    CHECK_FALSE(run_module(src, "3.12").s.int_wrapped);
    // The explorer takes the RLock again too: every schedule ends at 743.
    auto p = sim::program_from_python(src, *find_version("3.12"));
    sim::ExploreResult x = sim::explore(*p);
    REQUIRE(x.error == "");
    REQUIRE(x.complete);
    REQUIRE(!x.outcomes.empty());
    for (const auto& o : x.outcomes) {
        bool found = false;
        CHECK(o.value("total", found) == 743);
        CHECK(found);
        CHECK_FALSE(o.deadlock);
    }
}
