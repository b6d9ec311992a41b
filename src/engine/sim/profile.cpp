// profile.cpp — built-in interpreter profiles and calibration files.
//
// Where the eval breaker is checked (the switch points), by version:
//   3.9   ceval.c: every opcode that ends with DISPATCH() checks eval_breaker before the
//         next one; LOAD_FAST, LOAD_CONST, STORE_FAST, POP_TOP, JUMP_FORWARD and the
//         POP_JUMP_IF_* on a bool end with FAST_DISPATCH() and skip the check.
//   3.10+ only at function entry (RESUME from 3.11), loop back-edges (JUMP_ABSOLUTE /
//         JUMP_BACKWARD) and after calls into C (CALL); see Python/bytecodes.c
//         CHECK_EVAL_BREAKER and docs/fidelity.md.
// Free-threaded builds (3.13t, 3.14t) have no GIL at all.
//
// Costs: fitted to `python -c` micro-benchmarks of CPython 3.9.18, 3.10.13, 3.11.7,
// 3.12.1 and 3.13.0 on this project's machine kind (see docs/fidelity.md for the
// programs and numbers). 3.14 and the free-threaded builds are not installed here: their
// costs are 3.13's scaled by the single-thread overheads reported in What's New (3.13t
// about +40%, 3.14t about +10%) and are marked as estimates.
#include "engine/sim/profile.h"

#include <cstdio>
#include <cstdlib>
#include <type_traits>
#include <fstream>
#include <sstream>

namespace gil::sim {

namespace {

struct VersionCosts {
    const char* version;
    // FOR_ITER, STORE_FAST, JUMP_BACKWARD, LOAD_FAST, LOAD_CONST, LOAD_GLOBAL, STORE_GLOBAL,
    // COMPARE_OP, POP_JUMP, CALL (py), RESUME, RETURN, BINARY add, BINARY mul, lock acquire,
    // lock release
    int64_t for_iter, store_fast, jump_back, load_fast, load_const, load_global, store_global, compare, pop_jump,
        call, resume, ret, add, mul, lock_acq, lock_rel;
};

// ns per instruction; see the header comment for where they come from.
const VersionCosts kCosts[] = {
    {"3.9", 8, 4, 7, 2, 2, 10, 11, 4, 2, 34, 0, 10, 17, 26, 70, 70},
    {"3.10", 8, 3, 7, 2, 2, 10, 11, 4, 2, 34, 0, 10, 16, 24, 75, 75},
    {"3.11", 8, 4, 6, 2, 2, 6, 7, 3, 2, 10, 2, 5, 11, 14, 60, 60},
    {"3.12", 9, 5, 7, 2, 2, 9, 13, 3, 2, 8, 2, 4, 13, 20, 90, 90},
    {"3.13", 10, 5, 7, 2, 2, 8, 11, 3, 2, 8, 2, 4, 13, 20, 90, 90},
};

void fill_costs(InterpreterProfile& p, const VersionCosts& c, double factor) {
    auto s = [factor](int64_t v) { return (int64_t)((double)v * factor + 0.5); };
    auto& k = p.cost;
    k.fill(s(4));
    k[(size_t)Op::Nop] = 0;
    k[(size_t)Op::Resume] = s(c.resume);
    k[(size_t)Op::LoadConst] = s(c.load_const);
    k[(size_t)Op::LoadFast] = s(c.load_fast);
    k[(size_t)Op::StoreFast] = s(c.store_fast);
    k[(size_t)Op::LoadGlobal] = s(c.load_global);
    k[(size_t)Op::StoreGlobal] = s(c.store_global);
    k[(size_t)Op::CompareOp] = s(c.compare);
    k[(size_t)Op::PopJumpIfFalse] = s(c.pop_jump);
    k[(size_t)Op::PopJumpIfTrue] = s(c.pop_jump);
    k[(size_t)Op::JumpForward] = s(c.pop_jump);
    k[(size_t)Op::JumpBackward] = s(c.jump_back);
    k[(size_t)Op::GetIter] = s(60);  // range(n) object + iterator
    k[(size_t)Op::ForIter] = s(c.for_iter);
    k[(size_t)Op::Call] = s(c.call);
    k[(size_t)Op::ReturnValue] = s(c.ret);
    k[(size_t)Op::PopTop] = s(c.load_fast);
    // The modelled C calls: this is the cost of the call itself; the duration they wait
    // or compute is their argument.
    k[(size_t)Op::Sleep] = s(c.call + 400);        // time.sleep: syscall + GIL release/retake
    k[(size_t)Op::CCallNoGil] = s(c.call + 150);
    k[(size_t)Op::CCallGil] = s(c.call);
    k[(size_t)Op::LockAcquire] = s(c.lock_acq);
    k[(size_t)Op::LockRelease] = s(c.lock_rel);
    k[(size_t)Op::ListAppend] = s(c.call / 2 + 12);
    k[(size_t)Op::QueuePut] = s(c.call);
    k[(size_t)Op::QueueGet] = s(c.call);
    k[(size_t)Op::Pickle] = s(c.call);
    k[(size_t)Op::AwaitSleep] = s(c.call);
    p.binop_add = s(c.add);
    p.binop_mul = s(c.mul);
    p.binop_other = s(c.add);
}

void set_check_points(InterpreterProfile& p, bool classic_39) {
    auto& ca = p.check_after;
    ca.fill(false);
    if (classic_39) {
        ca.fill(true);
        for (Op op : {Op::Nop, Op::LoadFast, Op::LoadConst, Op::StoreFast, Op::PopTop, Op::JumpForward,
                      Op::PopJumpIfFalse, Op::PopJumpIfTrue})
            ca[(size_t)op] = false;  // FAST_DISPATCH(): no eval-breaker check
    } else {
        for (Op op : {Op::Resume, Op::JumpBackward, Op::Sleep, Op::CCallNoGil, Op::CCallGil, Op::LockRelease,
                      Op::ListAppend, Op::QueuePut, Op::QueueGet, Op::Pickle})
            ca[(size_t)op] = true;  // RESUME, JUMP_BACKWARD, CALL into C
    }
}

}  // namespace

const std::vector<std::string>& profile_versions() {
    static const std::vector<std::string> v = {"3.9", "3.10", "3.11", "3.12", "3.13", "3.13t", "3.14", "3.14t"};
    return v;
}

bool builtin_profile(const std::string& version, InterpreterProfile& out) {
    InterpreterProfile p;
    p.version = version;
    const bool ft = !version.empty() && version.back() == 't';
    const std::string base = ft ? version.substr(0, version.size() - 1) : version;
    const VersionCosts* c = nullptr;
    double factor = 1.0;
    for (const auto& vc : kCosts)
        if (base == vc.version) c = &vc;
    if (base == "3.14") {
        c = &kCosts[4];  // 3.13's table: 3.14 is not installed on this machine kind
        factor = 0.95;
    }
    if (!c) return false;
    if (version == "3.13t") factor *= 1.40;
    if (version == "3.14t") factor *= 1.10;
    fill_costs(p, *c, factor);
    set_check_points(p, base == "3.9");
    p.has_gil = !ft;
    p.single_thread_factor = ft ? (version == "3.13t" ? 1.40 : 1.10) : 1.0;
    if (ft) {
        p.shared_access_ns = version == "3.13t" ? 8 : 6;
        p.contended_access_ns = 45;
        p.contention_window_ns = 250;
    }
    p.source = (base == "3.14" || ft) ? "built-in estimate (3.13 costs scaled; not measured here)"
                                      : "built-in (fitted to CPython " + base + " on this project's machine kind)";
    out = p;
    return true;
}

std::string profile_to_text(const InterpreterProfile& p) {
    std::ostringstream o;
    o << "# GIL Lab interpreter profile (gillab calibrate). Lines: key = value, costs in ns.\n";
    o << "version = " << p.version << "\n";
    for (size_t i = 0; i < (size_t)Op::Count; ++i) o << "cost." << op_name((Op)i) << " = " << p.cost[i] << "\n";
    o << "binop_add = " << p.binop_add << "\nbinop_mul = " << p.binop_mul << "\nbinop_other = " << p.binop_other << "\n";
    o << "thread_start_ns = " << p.thread_start_ns << "\n";
    o << "process_start_fork_ns = " << p.process_start_fork_ns << "\n";
    o << "process_start_forkserver_ns = " << p.process_start_forkserver_ns << "\n";
    o << "process_start_spawn_ns = " << p.process_start_spawn_ns << "\n";
    o << "pickle_ns_per_byte = " << p.pickle_ns_per_byte << "\n";
    o << "pickle_fixed_ns = " << p.pickle_fixed_ns << "\n";
    o << "pipe_latency_ns = " << p.pipe_latency_ns << "\n";
    return o.str();
}

std::string load_profile_file(const std::string& path, InterpreterProfile& out) {
    std::ifstream in(path);
    if (!in) return "cannot read profile file '" + path + "'";
    std::string line;
    std::vector<std::pair<std::string, std::string>> kv;
    int n = 0;
    while (std::getline(in, line)) {
        ++n;
        size_t h = line.find('#');
        if (h != std::string::npos) line = line.substr(0, h);
        size_t eq = line.find('=');
        auto trim = [](std::string s) {
            size_t a = s.find_first_not_of(" \t\r"), b = s.find_last_not_of(" \t\r");
            return a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
        };
        if (trim(line).empty()) continue;
        if (eq == std::string::npos) return path + ":" + std::to_string(n) + ": expected key = value";
        kv.emplace_back(trim(line.substr(0, eq)), trim(line.substr(eq + 1)));
    }
    std::string version;
    for (auto& [k, v] : kv)
        if (k == "version") version = v;
    if (version.empty()) return path + ": no 'version = ...' line";
    InterpreterProfile p;
    if (!builtin_profile(version, p)) return path + ": unknown version '" + version + "'";
    for (auto& kvp : kv) {
        const std::string& k = kvp.first;
        const std::string& v = kvp.second;
        if (k == "version") continue;
        char* end = nullptr;
        double d = std::strtod(v.c_str(), &end);
        if (end == v.c_str() || *end || d < 0 || d > 1e12) return path + ": bad value for " + k + ": '" + v + "'";
        bool known = false;
        if (k.rfind("cost.", 0) == 0) {
            for (size_t i = 0; i < (size_t)Op::Count; ++i)
                if (k.substr(5) == op_name((Op)i)) {
                    p.cost[i] = (int64_t)d;
                    known = true;
                }
        }
        auto num = [&](const char* key, auto& field) {
            if (k == key) {
                field = (std::remove_reference_t<decltype(field)>)d;
                known = true;
            }
        };
        num("binop_add", p.binop_add);
        num("binop_mul", p.binop_mul);
        num("binop_other", p.binop_other);
        num("thread_start_ns", p.thread_start_ns);
        num("process_start_fork_ns", p.process_start_fork_ns);
        num("process_start_forkserver_ns", p.process_start_forkserver_ns);
        num("process_start_spawn_ns", p.process_start_spawn_ns);
        num("pickle_ns_per_byte", p.pickle_ns_per_byte);
        num("pickle_fixed_ns", p.pickle_fixed_ns);
        num("pipe_latency_ns", p.pipe_latency_ns);
        if (!known) return path + ": unknown key '" + k + "'";
    }
    p.source = "calibrated: " + path;
    out = p;
    return "";
}

static const InterpreterProfile* g_override = nullptr;
void set_profile_override(const InterpreterProfile* p) { g_override = p; }
const InterpreterProfile* profile_override() { return g_override; }

}  // namespace gil::sim
