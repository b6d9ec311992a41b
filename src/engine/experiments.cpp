// experiments.cpp — THE experiment table. The CLI, the UI, the URL parser, the JS API and
// the tests all read it; adding an experiment means adding one entry here.
#include "engine/experiment.h"
#include "engine/real/real.h"
#include "engine/sim/profile.h"
#include "engine/sim/sim_experiments.h"

namespace gil {

namespace {

ParamSpec int_p(const char* key, const char* label, double min, double max, double def, const char* unit,
                const char* help, bool log_scale = false) {
    ParamSpec s;
    s.key = key;
    s.label = label;
    s.kind = ParamKind::Int;
    s.min = min;
    s.max = max;
    s.def = def;
    s.unit = unit;
    s.help = help;
    s.log_scale = log_scale;
    return s;
}

ParamSpec choice_p(const char* key, const char* label, std::vector<std::string> choices, int def, const char* help) {
    ParamSpec s;
    s.key = key;
    s.label = label;
    s.kind = ParamKind::Choice;
    s.min = 0;
    s.max = (double)choices.size() - 1;
    s.def = def;
    s.choices = std::move(choices);
    s.help = help;
    return s;
}

ParamSpec real_p(const char* key, const char* label, double min, double max, double def, const char* unit,
                 const char* help, bool log_scale = false) {
    ParamSpec s = int_p(key, label, min, max, def, unit, help, log_scale);
    s.kind = ParamKind::Real;
    return s;
}

ParamSpec version_p(const char* def = "3.12") {
    const auto& v = sim::profile_versions();
    int d = 0;
    for (size_t i = 0; i < v.size(); ++i)
        if (v[i] == def) d = (int)i;
    return choice_p("version", "Python version", v, d,
                    "Interpreter profile: where the eval breaker is checked, whether there is a GIL, costs. "
                    "'t' = free-threaded build (no GIL).");
}
ParamSpec cores_p(double def = 4) { return int_p("cores", "CPU cores", 1, 64, def, "", "Cores of the simulated machine."); }
ParamSpec interval_p() {
    return real_p("interval_us", "Switch interval", 1, 1'000'000, 5000, "us",
                  "sys.setswitchinterval(): how long a waiting thread waits before asking for the GIL (5000 us = 5 ms).", true);
}

// A simulator experiment: the fields every one of them shares.
ExperimentSpec sim_e(const char* id, const char* title, Topic topic, const char* summary, const char* explain,
                     const char* predict, std::vector<ParamSpec> params, RunFn run) {
    ExperimentSpec e;
    e.id = id;
    e.title = title;
    e.topic = topic;
    e.engine = Engine::Sim;
    e.summary = summary;
    e.explain = explain;
    e.predict = predict;
    e.params = std::move(params);
    e.run = run;
    e.describe_extra = [](const ExperimentSpec& spec, const ParamSet& ps) { return sim::describe_program(spec, ps); };
    // The Python text comes with the program (it depends on parameters); defaults here.
    auto prog = sim::program_for(e.id, ParamSet::defaults(e.params));
    if (prog) e.python = prog->python;
    return e;
}

std::vector<ExperimentSpec> build_table() {
    std::vector<ExperimentSpec> t;

    using namespace sim;
    // ---------------------------------------------------------------- The GIL
    t.push_back(sim_e("gil.cpu", "CPU-bound threads vs serial", Topic::Gil,
        "T threads each run a CPU-bound loop: no faster than running them one after another",
        "Each thread runs a pure-Python loop that never waits. Only the thread holding the GIL may run bytecode, "
        "so the threads take turns: a waiting thread asks for the GIL after one switch interval (5 ms), the holder "
        "lets go at its next check point, and the other runs. On a machine with many cores the work still takes "
        "as long as doing it serially, often a little longer because of the hand-offs.",
        "How many times faster are the threads than calling count() once per thread, in a row? (1 = no faster)",
        {int_p("threads", "Threads", 1, 64, 2, "", "How many threads run the loop."),
         int_p("iterations", "Iterations per thread", 1, 1e10, 100'000'000, "", "Loop iterations each thread runs (the seeds use 10**8).", true),
         choice_p("workload", "Loop", {"squares", "countdown"}, 0, "squares: total += i*i; countdown: while n > 0: n -= 1."),
         version_p(), cores_p(), interval_p()},
        run_gil_cpu));
    t.push_back(sim_e("gil.io", "I/O-bound threads vs serial", Topic::Gil,
        "T threads each wait on I/O (time.sleep): the waits overlap, so threads help",
        "Each thread waits for I/O (a network request, a disk read; here time.sleep) and then does a little Python "
        "work. A blocking call releases the GIL, so while one thread waits the others run, and the waits overlap. "
        "Threads give close to a T-fold speedup as long as waiting dominates.",
        "How many times faster are the threads than doing every wait in a row?",
        {int_p("threads", "Threads", 1, 256, 4, "", "How many threads."),
         int_p("requests", "Requests per thread", 1, 100000, 1, "", "How many waits each thread does."),
         real_p("io_ms", "Wait per request", 0.001, 100000, 500, "ms", "Length of each I/O wait.", true),
         int_p("cpu_per_request", "Python work per request", 0, 1e8, 10000, "", "Loop iterations after each wait.", true),
         version_p(), cores_p(), interval_p()},
        run_gil_io));
    t.push_back(sim_e("gil.mixed", "Mixed CPU and I/O", Topic::Gil,
        "Workers that compute then wait: the waits overlap, the computing does not",
        "Each worker first computes (holding the GIL) and then waits (releasing it). With threads the waiting "
        "parts overlap but the computing parts still run one at a time, so the total is about T computing phases "
        "plus one wait.",
        "How many seconds do the threads take, all together?",
        {int_p("threads", "Threads", 1, 64, 3, "", "How many workers."),
         int_p("work", "Loop iterations (CPU phase)", 1, 1e9, 1'000'000, "", "Size of the CPU phase.", true),
         real_p("io_ms", "Sleep (I/O phase)", 0.001, 100000, 500, "ms", "Length of the I/O phase.", true),
         version_p(), cores_p(), interval_p()},
        run_gil_mixed));
    t.push_back(sim_e("gil.convoy", "The convoy effect: I/O latency next to a CPU hog", Topic::Gil,
        "An I/O thread that sleeps briefly, next to a CPU-bound thread: each wake-up waits ~1 switch interval",
        "One thread spins on the CPU, another does many short I/O waits. Every time the I/O thread wakes up it "
        "needs the GIL back, but the CPU-bound thread never waits, so it lets go only after a drop request: the I/O "
        "thread waits about one switch interval per wake-up, even though the wait itself was short.",
        "Alone, the I/O thread takes about requests x sleep. How many seconds does it take next to the CPU-bound thread?",
        {real_p("io_ms", "Sleep per request", 0.001, 1000, 1, "ms", "Each short I/O wait.", true),
         int_p("requests", "Requests", 1, 100000, 200, "", "How many waits."),
         version_p(), cores_p(), interval_p()},
        run_gil_convoy));
    t.push_back(sim_e("gil.interval", "Switch interval: throughput vs latency", Topic::Gil,
        "Sweeps sys.setswitchinterval from 0.1 to 50 ms: I/O latency against CPU throughput",
        "The switch interval trades latency for throughput. A short interval brings a waiting I/O thread back "
        "quickly but interrupts the CPU-bound thread more often; a long one does the opposite. This runs the convoy "
        "program for nine intervals and plots both.",
        "With a 0.5 ms switch interval, what is the I/O thread's median wake-up latency, in ms?",
        {real_p("io_ms", "Sleep per request", 0.001, 1000, 1, "ms", "Each short I/O wait.", true),
         int_p("requests", "Requests", 1, 100000, 100, "", "How many waits per run."),
         version_p(), cores_p(), interval_p()},
        run_gil_interval));
    // ---------------------------------------------------------------- Races and locks
    t.push_back(sim_e("race.counter", "counter += 1 from several threads", Topic::Races,
        "Lost updates, version by version: counter += 1, counter = add_one(counter), with a Lock, across processes",
        "counter += 1 is three steps: load the value, add one, store it back. If a thread is switched out between "
        "the load and the store, another thread's increments are overwritten when it resumes. Whether that can "
        "happen depends on where the interpreter checks for a switch: on 3.9 almost everywhere; on 3.10-3.13 with "
        "the GIL only at calls, function entry and loop back-edges, so counter += 1 in a loop does not lose updates "
        "there, but counter = add_one(counter) does. Free-threaded builds run the threads truly in parallel and "
        "lose updates heavily. A Lock fixes every case.",
        "What will the counter be at the end, on this Python version?",
        {int_p("threads", "Threads (or processes)", 1, 16, 2, "", "How many threads increment the counter."),
         int_p("increments", "Increments per thread", 1, 1e9, 1'000'000, "", "Loop iterations per thread.", true),
         choice_p("variant", "Code", {"inplace", "call", "locked", "mp_value", "mp_value_locked"}, 0,
                  "inplace: counter += 1; call: counter = add_one(counter); locked: with lock; mp_value: "
                  "multiprocessing.Value shared by processes; mp_value_locked: with a multiprocessing.Lock."),
         version_p(), cores_p(), interval_p()},
        run_race_counter));
    t.push_back(sim_e("race.lock_cost", "What a Lock costs", Topic::Races,
        "counter += 1 with and without a threading.Lock: correctness, time, contention, waits",
        "A Lock makes the read-modify-write safe, but each acquire and release costs time, and when another thread "
        "holds it the caller blocks, releasing the GIL until it is woken. This runs the same increments with and "
        "without the lock and shows the price and the wait times.",
        "How many times slower is 'with lock: counter += 1' than the unsafe version?",
        {int_p("threads", "Threads", 1, 16, 2, "", "How many threads."),
         int_p("increments", "Increments per thread", 1, 1e9, 1'000'000, "", "Loop iterations per thread.", true),
         version_p(), cores_p(), interval_p()},
        run_race_lock_cost));
    t.push_back(sim_e("deadlock.order", "Deadlock: two locks in opposite order", Topic::Races,
        "Two threads take locks a and b in opposite order and wait for each other forever",
        "Thread 1 takes lock a then b; thread 2 takes b then a. If each gets its first lock before the other "
        "reaches its second, both wait forever. The simulator notices that nobody can move and says who waits for "
        "what. Taking the locks in one global order (order=same) removes the cycle.",
        "Will these two threads deadlock?",
        {choice_p("order", "Lock order", {"opposite", "same"}, 0, "opposite: a-b vs b-a (deadlocks); same: a-b in both."),
         real_p("hold_ms", "Work while holding the first lock", 0.001, 1000, 1, "ms", "Sleep between the two acquires.", true),
         version_p()},
        run_deadlock_order));
    // ---------------------------------------------------------------- Parallel vs serial
    t.push_back(sim_e("cext.release", "C code that releases the GIL (NumPy, Cython nogil)", Topic::Parallel,
        "Threads calling a C kernel that releases the GIL run in parallel; the same kernel holding it does not",
        "NumPy kernels and Cython 'with nogil' blocks release the GIL around their C work (Py_BEGIN_ALLOW_THREADS), "
        "so threads calling them really run on several cores at once. A C extension that keeps the GIL blocks "
        "every other thread for its whole duration.",
        "How many seconds do the threads take when the C code releases the GIL?",
        {int_p("threads", "Threads", 1, 64, 4, "", "How many threads."),
         int_p("calls", "Kernel calls per thread", 1, 100000, 20, "", "How many C calls each thread makes."),
         real_p("kernel_ms", "Kernel duration", 0.001, 10000, 10, "ms", "Time each C call computes.", true),
         int_p("glue", "Python work between calls", 0, 1e8, 10000, "", "Loop iterations of Python between calls.", true),
         version_p(), cores_p(), interval_p()},
        run_cext_release));
    // ---------------------------------------------------------------- Processes and pools
    t.push_back(sim_e("mp.process", "multiprocessing vs threads vs serial", Topic::Processes,
        "CPU-bound work in W processes (each with its own GIL) vs W threads vs serial, with start-up costs",
        "Processes each have their own interpreter and their own GIL, so CPU-bound work really runs in parallel, "
        "one process per core. They pay for it: starting a process takes milliseconds (fork) to tens of "
        "milliseconds (spawn), and results travel back pickled.",
        "How many times faster than serial are the processes?",
        {int_p("workers", "Workers", 1, 64, 2, "", "Processes (and threads, for comparison)."),
         int_p("iterations", "Iterations per worker", 1, 1e10, 100'000'000, "", "Loop iterations per worker.", true),
         choice_p("start_method", "Start method", {"fork", "forkserver", "spawn"}, 0,
                  "fork: Linux default up to 3.13; forkserver: default from 3.14; spawn: Windows/macOS default."),
         int_p("result_bytes", "Result size (pickled)", 0, 1e9, 100, "bytes", "Bytes each worker sends back.", true),
         version_p(), cores_p()},
        run_mp_process));
    t.push_back(sim_e("pool.compare", "ThreadPoolExecutor vs ProcessPoolExecutor", Topic::Processes,
        "Same API, different workers: when do processes pay off? Task size against pickling cost",
        "concurrent.futures gives threads and processes the same API. A process pool pickles every task's "
        "arguments and results and sends them through a pipe, so it pays off only when each task computes for much "
        "longer than that messaging takes. A thread pool needs no pickling but its workers share one GIL.",
        "How many times faster than serial is the process pool?",
        {int_p("workers", "Workers", 1, 64, 4, "", "max_workers."),
         int_p("tasks", "Tasks", 1, 100000, 100, "", "How many tasks are submitted.", true),
         int_p("work", "Iterations per task", 1, 1e9, 100'000, "", "CPU work per task.", true),
         int_p("payload_bytes", "Payload per message", 0, 1e9, 1000, "bytes", "Pickled size of arguments and of results.", true),
         version_p(), cores_p()},
        run_pool_compare));
    // ---------------------------------------------------------------- Free-threaded Python
    t.push_back(sim_e("ft.scaling", "Free-threaded Python: shared vs private objects", Topic::FreeThreaded,
        "Throughput vs threads on a free-threaded build: private objects scale, a shared list does not",
        "Free-threaded builds (PEP 703) have no GIL: threads run Python on every core. Objects used by one thread "
        "stay cheap (biased reference counting); an object many threads touch, like one shared list, has its "
        "per-object lock and cache line bounced between cores, so adding threads adds contention. The same program "
        "with the GIL is shown for comparison.",
        "With all the threads, how many times the throughput of 1 thread?",
        {version_p("3.13t"), int_p("threads", "Threads (max)", 1, 64, 8, "", "Runs 1, 2, 4, ... up to this many threads."),
         int_p("appends", "Appends per thread", 1, 200'000, 100'000, "", "list.append calls per thread.", true),
         choice_p("objects", "Objects", {"shared", "private"}, 0, "shared: one list for all threads; private: one list each."),
         cores_p(8)},
        run_ft_scaling));
    // ---------------------------------------------------------------- asyncio
    t.push_back(sim_e("async.io", "asyncio vs threads for I/O", Topic::Asyncio,
        "C clients doing I/O: one asyncio event loop vs one thread per client vs serial",
        "asyncio runs every client as a task in one thread; a task gives up control only at 'await', so there is "
        "no preemption and no GIL hand-off between tasks, and waits overlap just as with threads. Threads get the "
        "same overlap but switch through the OS and the GIL.",
        "How many seconds does the asyncio version take?",
        {int_p("clients", "Clients", 1, 1000, 10, "", "Concurrent clients (tasks or threads)."),
         int_p("requests", "Requests per client", 1, 10000, 5, "", "Waits per client."),
         real_p("io_ms", "Wait per request", 0.001, 100000, 100, "ms", "Length of each I/O wait.", true),
         int_p("cpu_per_request", "Python work per request", 0, 1e8, 10000, "", "Loop iterations after each wait.", true),
         version_p(), cores_p()},
        run_async_io));

    // ---------------------------------------------------------------- real threads
    {
        ExperimentSpec e;
        e.id = "real.race";
        e.title = "Real threads racing on one counter";
        e.topic = Topic::Races;
        e.engine = Engine::Real;
        e.summary = "T real threads x N increments of one shared counter: racy, atomic, mutex, spin, sharded";
        e.explain =
            "Real threads on your machine (Web Workers in the page) increment one shared counter. "
            "In 'racy' mode each increment is a load followed by a store, exactly the read-modify-write "
            "of Python's counter += 1, and when two threads interleave, one store overwrites the other "
            "and an update is lost. 'atomic' uses one indivisible fetch-and-add, 'mutex' and 'spin' take "
            "a lock around the increment, 'sharded' gives each thread its own counter and adds them up "
            "at the end. 'both' runs a racy and an atomic counter side by side in the same loop.";
        e.python =
            "import threading\n"
            "counter = 0\n"
            "def work(n):\n"
            "    global counter\n"
            "    for _ in range(n):\n"
            "        counter += 1        # load, add, store: not atomic\n"
            "threads = [threading.Thread(target=work, args=(N,)) for _ in range(T)]\n"
            "for t in threads: t.start()\n"
            "for t in threads: t.join()\n"
            "print(counter)              # expected T * N\n";
        e.predict = "How many increments survive in the counter?";
        e.params = {
            int_p("threads", "Threads", 1, 64, 2, "", "Number of real threads."),
            int_p("increments", "Increments per thread", 1, 1e9, 1'000'000, "",
                  "How many times each thread increments the counter.", true),
            choice_p("mode", "Mode", {"racy", "atomic", "mutex", "spin", "sharded", "both"}, 5,
                     "How each increment is done."),
            int_p("runs", "Measured runs", 1, 50, 1, "", "Repeat the run and report min, median and max."),
        };
        e.run = real::run_race;
        t.push_back(std::move(e));
    }
    auto real_e = [](const char* id, const char* title, Topic topic, const char* summary, const char* explain,
                     const char* python, const char* predict, std::vector<ParamSpec> params, RunFn run) {
        ExperimentSpec e;
        e.id = id;
        e.title = title;
        e.topic = topic;
        e.engine = Engine::Real;
        e.summary = summary;
        e.explain = explain;
        e.python = python;
        e.predict = predict;
        e.params = std::move(params);
        e.run = run;
        return e;
    };
    t.push_back(real_e("real.contention", "Lock contention on real threads", Topic::Races,
        "T real threads: private work, then a shared lock: throughput, wait times, fairness by lock kind",
        "Each thread does some private work, then takes one shared lock for a short critical section. When the "
        "critical section is long next to the private work, or many threads want the lock, they queue: throughput "
        "stops growing and wait times climb. std::mutex, a spin lock and a fair ticket lock behave differently: "
        "who gets the lock next, how fast it is handed over, how evenly the threads are served.",
        "import threading\n"
        "lock = threading.Lock()\n"
        "def worker():\n"
        "    while running:\n"
        "        private_work(W)        # no lock needed\n"
        "        with lock:\n"
        "            shared_work(C)     # one thread at a time\n",
        "",
        {int_p("threads", "Threads", 1, 64, 4, "", "Real threads contending for the lock."),
         choice_p("lock", "Lock kind", {"mutex", "spin", "ticket"}, 0, "std::mutex, a test-and-test-and-set spin lock, or a FIFO ticket lock."),
         real_p("work_ns", "Private work", 0, 1e7, 2000, "ns", "Work outside the lock per iteration.", true),
         real_p("critical_ns", "Critical section", 0, 1e7, 500, "ns", "Work inside the lock per iteration.", true),
         real_p("duration_ms", "Duration", 10, 60000, 300, "ms", "How long each measured run lasts.", true),
         int_p("runs", "Measured runs", 1, 20, 3, "", "Min, median and max over this many runs (after a warm-up).")},
        real::run_contention));
    t.push_back(real_e("real.scaling", "Parallel vs serial: speedup and Amdahl's law", Topic::Parallel,
        "A CPU-bound kernel split over 1..T real threads vs serial: speedup, efficiency, fitted serial fraction",
        "The same amount of CPU work is split over 1, 2, ... T real threads (no GIL here: this is C++). Speedup "
        "grows until the threads outnumber the cores, and any part that stays serial caps it, as Amdahl's law says: "
        "speedup(n) = 1 / (s + (1 - s) / n). The fitted s is the program's serial fraction plus overheads.",
        "from concurrent.futures import ThreadPoolExecutor   # with a GIL-free kernel (NumPy, C, 3.13t)\n"
        "setup()                                   # serial part\n"
        "with ThreadPoolExecutor(n) as ex:\n"
        "    ex.map(kernel, split(work, n))        # parallel part\n",
        "How many times faster is the work with 2 threads than with 1?",
        {int_p("threads", "Threads (max)", 1, 64, 4, "", "Runs 1..threads threads."),
         real_p("work_ms", "Total work", 1, 60000, 200, "ms", "Serial time of the whole job.", true),
         real_p("serial_pct", "Serial part", 0, 100, 5, "%", "Share of the work that cannot be split."),
         int_p("runs", "Runs per point", 1, 50, 3, "", "Median of this many runs after a warm-up.")},
        real::run_scaling));
    t.push_back(real_e("real.false_sharing", "False sharing: packed vs padded counters", Topic::Parallel,
        "Per-thread counters in one cache line vs on separate lines: same work, very different speed",
        "Each thread increments only its own counter, so nothing is shared logically. But counters packed next to "
        "each other share one 64-byte cache line, and the line moves between cores on every write. Padding each "
        "counter to its own line removes the traffic.",
        "counts = [0] * T          # adjacent in memory: one cache line\n"
        "def worker(i):\n"
        "    for _ in range(N):\n"
        "        counts[i] += 1     # (in C: a per-thread counter)\n",
        "How many times slower are packed counters than padded ones with 2 threads?",
        {int_p("threads", "Threads", 1, 64, 2, "", "Real threads."),
         int_p("increments", "Increments per thread", 1, 1e9, 20'000'000, "", "Increments of each thread's counter.", true),
         int_p("runs", "Measured runs", 1, 50, 3, "", "Median of this many runs after a warm-up.")},
        real::run_false_sharing));
    t.push_back(real_e("real.gil", "A real GIL on real threads", Topic::Gil,
        "CPython's GIL protocol in C++ on real threads: CPU-bound and I/O-bound threads, measured",
        "A GIL written after ceval_gil.c (a mutex, a condition variable with a one-interval timed wait, a drop "
        "request, a check at each loop back-edge, forced switching) guards a tiny bytecode loop run by real "
        "threads. CPU threads never wait; I/O threads release the GIL around a sleep. The measured switches, drop "
        "requests and wake-up latencies sit next to the simulator's prediction for the same program.",
        "import threading, time\n"
        "def cpu(): count(N)                 # holds the GIL, drops it only on request\n"
        "def io():\n"
        "    for _ in range(R):\n"
        "        time.sleep(IO)             # releases the GIL; waits for it on wake-up\n",
        "An I/O thread sleeping 1 ms next to a CPU-bound thread: how many ms until it runs after each wake-up (median)?",
        {int_p("cpu_threads", "CPU-bound threads", 0, 16, 1, "", "Threads that compute without waiting."),
         int_p("io_threads", "I/O-bound threads", 0, 16, 1, "", "Threads that sleep with the GIL released."),
         real_p("work_ms", "CPU work per thread", 1, 60000, 300, "ms", "How long each CPU thread computes (alone).", true),
         real_p("io_ms", "Sleep per request", 0.01, 1000, 1, "ms", "I/O threads: each sleep.", true),
         int_p("requests", "Requests per I/O thread", 1, 100000, 60, "", "I/O threads: how many sleeps."),
         real_p("interval_us", "Switch interval", 100, 1'000'000, 5000, "us", "The timed wait before a drop request.", true),
         int_p("runs", "Measured runs", 1, 20, 3, "", "Min, median and max over this many runs.")},
        real::run_real_gil));
    // "Predict, then run": which metric answers each question, in what unit.
    struct P {
        const char* id;
        const char* metric;
        const char* unit;
        double scale, tol;
    };
    const P predictions[] = {
        {"gil.cpu", "speedup", "x", 1, 0.25},           {"gil.io", "speedup", "x", 1, 0.25},
        {"gil.mixed", "threads_ns", "s", 1e9, 0.25},    {"gil.convoy", "io_thread_ns", "s", 1e9, 0.3},
        {"gil.interval", "latency_ms_at_0.5ms", "ms", 1, 0.5},
        {"race.counter", "final", "", 1, 0.05},          {"race.lock_cost", "lock_overhead", "x", 1, 0.3},
        {"deadlock.order", "deadlock", "yes/no", 1, 0}, {"cext.release", "threads_release_ns", "s", 1e9, 0.3},
        {"mp.process", "speedup_processes", "x", 1, 0.2}, {"pool.compare", "speedup_process_pool", "x", 1, 0.3},
        {"ft.scaling", "speedup", "x", 1, 0.3},          {"async.io", "asyncio_ns", "s", 1e9, 0.3},
        {"real.race", "final", "", 1, 0.1},              {"real.contention", "speedup_4", "x", 1, 0.3},
        {"real.scaling", "speedup_2", "x", 1, 0.25},     {"real.false_sharing", "slowdown", "x", 1, 0.3},
        {"real.gil", "wake_latency_median_ns", "ms", 1e6, 0.3},
    };
    for (auto& e : t)
        for (const P& p : predictions)
            if (e.id == p.id) {
                e.predict_metric = p.metric;
                e.predict_unit = p.unit;
                e.predict_scale = p.scale;
                e.predict_tolerance = p.tol;
            }
    return t;
}

}  // namespace

const std::vector<ExperimentSpec>& experiments() {
    static const std::vector<ExperimentSpec> table = build_table();
    return table;
}

}  // namespace gil
