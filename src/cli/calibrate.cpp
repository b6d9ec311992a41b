// calibrate.cpp — `gillab calibrate`: times tiny programs in a real CPython and turns the
// timings into an interpreter profile (instruction costs, thread and process start-up,
// pickling) that `gillab run --profile FILE` loads, so predictions match this machine.
#include "cli/calibrate.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "calibrate_programs.h"
#include "engine/sim/profile.h"
#include "engine/sim/sim.h"
#include "engine/versions.h"

#if !defined(_WIN32) && !defined(__EMSCRIPTEN__)
#include <sys/wait.h>
#include <unistd.h>
#endif

namespace gil::cli {

namespace {

// calibrate.py and the tests/fidelity/ programs it runs, written to a temporary directory and
// run there. Each line the script prints is "<key> <value>".
bool run_script(const std::string& python, int iterations, std::map<std::string, std::string>& out, std::string& err) {
#if defined(_WIN32) || defined(__EMSCRIPTEN__)
    (void)python, (void)iterations, (void)out;
    err = "calibrate needs a native build on a POSIX system";
    return false;
#else
    char dir[] = "/tmp/gillab-calibrate-XXXXXX";
    if (!mkdtemp(dir)) {
        err = "cannot create a temporary directory";
        return false;
    }
    std::vector<std::string> written;
    auto cleanup = [&] {
        for (const auto& f : written) unlink(f.c_str());
        rmdir(dir);
    };
    for (size_t i = 0; i < embedded::kProgramCount; ++i) {
        const auto& prog = embedded::kPrograms[i];
        std::string path = std::string(dir) + "/" + prog.name;
        std::ofstream f(path, std::ios::binary);
        f.write(prog.text, (std::streamsize)prog.size);
        written.push_back(path);
        if (!f) {
            cleanup();
            err = "cannot write the calibration script to " + path;
            return false;
        }
    }
    std::string cmd = "'" + python + "' " + dir + "/calibrate.py " + std::to_string(iterations) + " " + dir + " 2>&1";
    FILE* p = popen(cmd.c_str(), "r");
    if (!p) {
        cleanup();
        err = "cannot start " + python;
        return false;
    }
    char line[512];
    std::string all;
    while (std::fgets(line, sizeof line, p)) {
        all += line;
        std::string l = line;
        size_t sp = l.find(' ');
        if (sp == std::string::npos) continue;
        std::string k = l.substr(0, sp), v = l.substr(sp + 1);
        while (!v.empty() && (v.back() == '\n' || v.back() == '\r')) v.pop_back();
        out[k] = v;
        std::fprintf(stderr, "  %-22s %s\n", k.c_str(), v.c_str());
    }
    int status = pclose(p);
    cleanup();
    if (status != 0 || !out.count("version") || !out.count("squares")) {
        err = python + " did not run the calibration script:\n" + all;
        return false;
    }
    return true;
#endif
}

}  // namespace

constexpr const char* kUsage = "usage: gillab calibrate [--python PATH] [--out FILE] [--iterations N]\n";

int calibrate_main(const std::vector<std::string>& args) {
    std::string python = "python3", out_path;
    int iterations = 2'000'000;
    for (size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--python" && i + 1 < args.size()) python = args[++i];
        else if (args[i] == "--out" && i + 1 < args.size()) out_path = args[++i];
        else if (args[i] == "--iterations" && i + 1 < args.size()) {
            // A whole number in range, refused before any timing starts (atoi took "abc" as 0).
            const std::string& v = args[++i];
            char* end = nullptr;
            const long long n = std::strtoll(v.c_str(), &end, 10);
            if (v.empty() || *end || n < 10000 || n > 1'000'000'000) {
                std::fprintf(stderr, "gillab: --iterations wants a whole number from 10000 to 1000000000, got '%s'\n%s",
                             v.c_str(), kUsage);
                return 2;
            }
            iterations = (int)n;
        } else {
            std::fprintf(stderr, "gillab: unknown calibrate option '%s'\n%s", args[i].c_str(), kUsage);
            return 2;
        }
    }
    std::fprintf(stderr, "timing %s (a minute or so)...\n", python.c_str());
    std::map<std::string, std::string> m;
    std::string err;
    if (!run_script(python, iterations, m, err)) {
        std::fprintf(stderr, "gillab: %s\n", err.c_str());
        return 1;
    }
    const VersionRow* row = find_version(m["version"]);
    if (!row) {
        std::fprintf(stderr, "gillab: Python %s is not one of the modelled versions\n", m["version"].c_str());
        return 1;
    }
    sim::InterpreterProfile p = sim::profile_for(*row);
    auto d = [&](const char* k) { return m.count(k) ? std::atof(m[k].c_str()) : 0.0; };
    auto r = [](double v) { return (int64_t)std::max(1.0, v + 0.5); };
    const bool modern = row->breaker == EvalBreaker::ResumeBackEdgesCalls;
    // Split each measured loop into its instructions. The loops share instructions, so
    // the differences between them isolate each group; within a group the split follows
    // fixed ratios (a few ns either way does not change any result of the lab).
    const double E = d("empty"), S = d("squares"), C = d("countdown"), G = d("global"), K = d("call"), L = d("locked");
    const double fi = 0.45 * E, sf = 0.2 * E, jb = 0.35 * E, lf = std::max(1.0, 0.1 * E), lc = lf;
    const double arith = std::max(2.0, S - E - 3 * lf - sf);
    const double mul = 0.55 * arith, add = 0.45 * arith;
    const double globals = std::max(2.0, G - E - lc - add);
    const double lg = 0.45 * globals, sg = 0.55 * globals;
    const double cmpj = std::max(2.0, C - (2 * lf + 2 * lc + add + sf + jb));
    const double callx = std::max(3.0, K - E - 2 * lg - lf - lc - add - sg);
    const double lock = std::max(2.0, L - G);
    auto& k = p.cost;
    k[(size_t)sim::Op::ForIter] = r(fi);
    k[(size_t)sim::Op::StoreFast] = r(sf);
    k[(size_t)sim::Op::JumpBackward] = r(jb);
    k[(size_t)sim::Op::LoadFast] = r(lf);
    k[(size_t)sim::Op::LoadConst] = r(lc);
    k[(size_t)sim::Op::LoadGlobal] = r(lg);
    k[(size_t)sim::Op::StoreGlobal] = r(sg);
    k[(size_t)sim::Op::CompareOp] = r(0.65 * cmpj);
    k[(size_t)sim::Op::PopJumpIfFalse] = k[(size_t)sim::Op::PopJumpIfTrue] = r(0.35 * cmpj);
    k[(size_t)sim::Op::Call] = r(0.65 * callx);
    k[(size_t)sim::Op::ReturnValue] = r(0.25 * callx);
    k[(size_t)sim::Op::Resume] = modern ? r(0.1 * callx) : 0;
    k[(size_t)sim::Op::LockAcquire] = r(0.5 * lock);
    k[(size_t)sim::Op::LockRelease] = r(0.5 * lock);
    p.binop_mul = r(mul);
    p.binop_add = p.binop_other = r(add);
    // Thread.start() in a fresh process (tests/fidelity/thread_start.py), less the ~30 us of
    // wake-ups the simulator charges inside start() itself.
    if (d("thread_start") > 0) p.thread_start_ns = std::max<int64_t>(0, r(d("thread_start")) - 30'000);
    if (d("thread_first_start") > 0) p.thread_first_extra_ns = std::max<int64_t>(0, r(d("thread_first_start") - d("thread_start")));
    if (d("process_fork") > 0) p.process_start_fork_ns = r(d("process_fork"));
    if (d("process_forkserver") > 0) p.process_start_forkserver_ns = r(d("process_forkserver"));
    if (d("process_spawn") > 0) p.process_start_spawn_ns = r(d("process_spawn"));
    if (d("pickle_ns_per_byte") > 0) p.pickle_ns_per_byte = d("pickle_ns_per_byte");
    // How late time.sleep() returns at each of the table's lengths (tests/fidelity/sleep_overshoot.py,
    // "sleep_overshoot.<ms> <us>" lines). 3.9 and 3.10 sleep in select(), whose extra slack the
    // simulator adds itself, so it comes off here: the table is clock_nanosleep's.
    const sim::MachineModel mm;
    int measured_points = 0;
    for (auto& pt : p.sleep_overshoot) {
        char key[64];
        std::snprintf(key, sizeof key, "sleep_overshoot.%g", (double)pt.length_ns / 1e6);
        if (!m.count(key)) continue;
        double ns = d(key) * 1000.0;
        if (row->sleep_call == SleepCall::Select) ns -= (double)sim::select_extra_slack_ns(mm, pt.length_ns);
        pt.overshoot_ns = r(std::max(0.0, ns));
        ++measured_points;
    }
    if (measured_points > 0 && measured_points < (int)p.sleep_overshoot.size())
        std::printf("sleep_overshoot: %d of %d lengths measured; the others keep the built-in figures\n", measured_points,
                    (int)p.sleep_overshoot.size());
    // The convoy's extra delay per wake-up beyond the interval and the sleep's own overshoot
    // is the timed wait's overshoot (the default 5 ms interval's, from the table just measured),
    // the waiter's wake-up and the hand-off: the rest is the version's hand-off cost.
    if (m.count("handoff")) {
        const int64_t iv = sim::SimConfig::kDefaultSwitchIntervalNs;
        p.gil_handoff_ns = r(std::max(0.0, d("handoff") - (double)sim::sleep_overshoot_ns(p, mm, iv, false) -
                                               (double)mm.wake_latency_ns));
    }
    // concurrent.futures' bookkeeping per task, less the work queue's put and get the simulator
    // charges itself (the worker takes one item and puts one result).
    if (m.count("pool_submit")) {
        p.pool_submit_ns = std::max<int64_t>(0, r(d("pool_submit")) - p.queue_op_ns);
        p.pool_worker_ns = std::max<int64_t>(0, r(d("pool_worker")) - 2 * p.queue_op_ns);
        p.pool_result_ns = std::max<int64_t>(0, r(d("pool_result")) - p.queue_op_ns);
    }
    if (d("pool_wakeup") > 0) p.pool_wakeup_ns = r(d("pool_wakeup"));
    if (d("pool_manager") > 0) p.pool_manager_ns = r(d("pool_manager"));
    // A release while waiters are registered on the lock is fitted from minutes of contended runs
    // (scripts/measure_cpython.py --only lockblocks), too long and too noisy for this minute.
    std::printf("lock_wake_ns: not measured by calibrate (scripts/measure_cpython.py --only lockblocks fits it from "
                "tests/fidelity/lock_blocks.py); kept the built-in %lld ns\n", (long long)p.lock_wake_ns);
    std::printf("pool_msg_*_ns: not measured by calibrate (scripts/measure_cpython.py --only poolthreads fits them from "
                "tests/fidelity/pool_threads.py against the simulator's own charge); kept the built-in ones\n");
    if (out_path.empty()) out_path = "gillab-profile-" + p.version + ".txt";
    std::ofstream f(out_path);
    f << "# measured from " << python << " by `gillab calibrate` (loop ns/iteration: empty " << E << ", squares " << S
      << ", countdown " << C << ", global " << G << ", call " << K << ", locked " << L << ")\n";
    f << sim::profile_to_text(p);
    if (!f) {
        std::fprintf(stderr, "gillab: cannot write %s\n", out_path.c_str());
        return 1;
    }
    std::printf("wrote %s (CPython %s). Use it: gillab run gil.cpu --profile %s\n", out_path.c_str(), p.version.c_str(),
                out_path.c_str());
    return 0;
}

}  // namespace gil::cli
