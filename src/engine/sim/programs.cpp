// programs.cpp — program pieces several simulated experiments share (the CPU-bound loops
// and the serial baseline), built as bytecode.
#include "engine/sim/programs.h"

#include <cstdio>

#include "engine/stats.h"

namespace gil::sim {

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
int build_serial(Program& p, const std::string& callee, const std::vector<std::string>& args, int line) {
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


// ------------------------------------------------------------------ the convoy program

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


ConvoyOutcome convoy_once(const Common& c, int64_t io_ns, int64_t requests, bool with_cpu, uint64_t seed,
                          const RunControl& ctl, bool trace) {
    auto prog = program_convoy(io_ns);
    Run run(c, prog, trace);
    if (with_cpu) run.thread("cpu (spin)", prog->function_index("spin"), {});
    run.thread("io (pinger)", prog->function_index("pinger"), {requests}, 0, with_cpu ? c.prof.thread_start_ns : 0);
    ConvoyOutcome o;
    o.sim = run.go(seed, ctl);
    std::vector<double> lat(o.sim.io_wake_latency_ns.begin(), o.sim.io_wake_latency_ns.end());
    o.median_ns = percentile(lat, 50);
    o.p90_ns = percentile(lat, 90);
    if (with_cpu && !o.sim.threads.empty() && o.sim.end_ns > 0)
        o.cpu_rate = (double)o.sim.threads[0].return_value / ((double)o.sim.end_ns * 1e-9);
    return o;
}

// ------------------------------------------------------------------ the race program

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

}  // namespace gil::sim
