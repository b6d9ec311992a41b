// profile.cpp — built-in interpreter profiles and calibration files.
//
// Where the eval breaker is checked is not a property of the profile: it comes with the
// version's real bytecode (engine/py/assemble.cpp marks each instruction, from_python.cpp
// copies the mark onto the simulator's instruction).
// Free-threaded builds (3.13t, 3.14t) have no GIL at all.
//
// Costs: fitted to `python -c` micro-benchmarks of CPython 3.9.18, 3.10.13, 3.11.7,
// 3.12.1 and 3.13.0 on this project's machine kind (see docs/fidelity.md for the
// programs and numbers). 3.14 and the free-threaded builds are not installed here: their
// costs are 3.13's scaled by the single-thread overheads reported in What's New (3.13t
// about +40%, 3.14t about +10%) and are marked as estimates.
#include "engine/sim/profile.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <type_traits>
#include <fstream>
#include <sstream>

namespace gil::sim {

namespace {

void fill_costs(InterpreterProfile& p, const InstrCosts& c, double factor) {
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
    // Module code's threads and lists: Thread() and join() are measured per version in
    // module_costs() below; the rest are cheap calls and list operations.
    k[(size_t)Op::ThreadStart] = s(c.call);   // the parent's own part; its wait for the child is modelled
    k[(size_t)Op::SetInterval] = s(c.call);
    k[(size_t)Op::ListNew] = s(c.load_const);
    k[(size_t)Op::ListPush] = s(c.call / 2 + 12);
    k[(size_t)Op::ListIter] = s(60);
    k[(size_t)Op::ListItem] = 0;
    k[(size_t)Op::ListLen] = s(c.call);
    k[(size_t)Op::ProcessNew] = s(c.call * 20);    // Process(): a Python constructor, like Thread()'s order of magnitude
    k[(size_t)Op::SetStartMethod] = s(c.call);
    k[(size_t)Op::ListExtend] = s(c.call);
    k[(size_t)Op::Print] = s(c.call);  // the call's dispatch; the write itself is not timed
    p.binop_add = s(c.add);
    p.binop_mul = s(c.mul);
    p.binop_other = s(c.add);
}


// threading.Thread(target=f, args=()) and join() of a finished thread, and time.perf_counter(),
// medians over 2,000 (20,000) calls with CPython 3.9-3.13 on this project's machine
// (tests/fidelity/thread_objects.py, docs/fidelity.md says when and how quiet the machine was).
void module_costs(InterpreterProfile& p, int minor, double factor) {
    struct Row { int minor; int64_t thread_new, join, perf_counter; };
    static const Row rows[] = {{9, 12'600, 17'800, 280}, {10, 12'100, 19'000, 290}, {11, 11'100, 16'300, 180},
                               {12, 7'700, 15'200, 230}, {13, 7'600, 8'300, 210}};
    const Row* r = &rows[4];
    for (const Row& x : rows)
        if (x.minor == minor) r = &x;
    auto s = [factor](int64_t v) { return (int64_t)((double)v * factor + 0.5); };
    p.cost[(size_t)Op::ThreadNew] = s(r->thread_new);
    p.cost[(size_t)Op::ThreadJoin] = s(r->join);
    p.cost[(size_t)Op::PerfCounter] = s(r->perf_counter);
}

}  // namespace

int64_t sleep_overshoot_ns(const HostCosts& host, const MachineModel& m, int64_t length_ns, bool select) {
    const auto& pts = host.sleep_overshoot;
    if (pts.back().length_ns <= 0 || length_ns <= 0) return 0;  // no table; time.sleep(0) sets no timer
    double measured;
    if (length_ns <= pts.front().length_ns) {
        measured = (double)pts.front().overshoot_ns;
    } else if (length_ns >= pts.back().length_ns) {
        measured = (double)pts.back().overshoot_ns;
    } else {
        size_t i = 1;
        while (pts[i].length_ns < length_ns) ++i;
        const double a = std::log((double)pts[i - 1].length_ns), b = std::log((double)pts[i].length_ns);
        const double f = (std::log((double)length_ns) - a) / (b - a);
        measured = (double)pts[i - 1].overshoot_ns + f * (double)(pts[i].overshoot_ns - pts[i - 1].overshoot_ns);
    }
    const int64_t d = std::max<int64_t>(0, (int64_t)std::llround(measured) - m.wake_latency_ns);
    return select ? d + select_extra_slack_ns(m, length_ns) : d;
}

int64_t select_extra_slack_ns(const MachineModel& m, int64_t length_ns) {
    // select() is slacked by its length / 1000 where that is more than the timer slack, at most
    // 100 ms (fs/select.c, select_estimate_accuracy() and MAX_SLACK).
    if (m.select_slack_divisor <= 0 || length_ns <= 0) return 0;
    return std::max<int64_t>(0, std::min<int64_t>(length_ns / m.select_slack_divisor, 100'000'000) - m.timer_slack_ns);
}

InterpreterProfile profile_for(const VersionRow& row) {
    InterpreterProfile p;
    p.version = row.name;
    fill_costs(p, instr_costs(row), row.cost_factor);
    module_costs(p, row.minor, row.cost_factor);
    p.has_gil = row.has_gil;
    p.sleep_call = row.sleep_call;
    // A free-threaded build's single-thread overhead is its cost factor over its GIL twin's
    // (3.14t: 0.95 x 1.10 over 3.14's 0.95): the row names the twin, so ask it.
    const VersionRow* twin = find_version(row.with_gil);
    p.single_thread_factor = row.has_gil ? 1.0 : row.cost_factor / (twin ? twin->cost_factor : 1.0);
    static_cast<HostCosts&>(p) = host_costs(row);
    if (!row.has_gil) p.gil_handoff_ns = 0;  // no GIL to hand off
    p.shared_access_ns = row.free_threading.shared_access_ns;
    p.contended_access_ns = row.free_threading.contended_access_ns;
    p.contention_window_ns = row.free_threading.contention_window_ns;
    p.source = std::string("built-in: ") + row.cost_note;
    return p;
}

// The profile's scalar costs, in the order profile_to_text writes them: one list for the
// writer and the reader (pickle_ns_per_byte, a double, sits between the two halves).
struct ScalarField {
    const char* key;
    int64_t InterpreterProfile::*field;
};
constexpr ScalarField kScalarsBefore[] = {
    {"thread_start_ns", &InterpreterProfile::thread_start_ns},
    {"thread_first_extra_ns", &InterpreterProfile::thread_first_extra_ns},
    {"process_start_fork_ns", &InterpreterProfile::process_start_fork_ns},
    {"process_start_forkserver_ns", &InterpreterProfile::process_start_forkserver_ns},
    {"process_start_spawn_ns", &InterpreterProfile::process_start_spawn_ns},
    {"process_first_extra_fork_ns", &InterpreterProfile::process_first_extra_fork_ns},
    {"process_first_extra_forkserver_ns", &InterpreterProfile::process_first_extra_forkserver_ns},
    {"process_first_extra_spawn_ns", &InterpreterProfile::process_first_extra_spawn_ns},
};
constexpr ScalarField kScalarsAfter[] = {
    {"pickle_fixed_ns", &InterpreterProfile::pickle_fixed_ns},
    {"pipe_latency_ns", &InterpreterProfile::pipe_latency_ns},
    {"gil_handoff_ns", &InterpreterProfile::gil_handoff_ns},
    {"pool_submit_ns", &InterpreterProfile::pool_submit_ns},
    {"pool_worker_ns", &InterpreterProfile::pool_worker_ns},
    {"pool_result_ns", &InterpreterProfile::pool_result_ns},
    {"lock_wake_ns", &InterpreterProfile::lock_wake_ns},
    {"pool_wakeup_ns", &InterpreterProfile::pool_wakeup_ns},
    {"pool_manager_ns", &InterpreterProfile::pool_manager_ns},
    {"pool_msg_main_ns", &InterpreterProfile::pool_msg_main_ns},
    {"pool_msg_manager_ns", &InterpreterProfile::pool_msg_manager_ns},
    {"pool_msg_feeder_ns", &InterpreterProfile::pool_msg_feeder_ns},
    {"pool_msg_worker_ns", &InterpreterProfile::pool_msg_worker_ns},
    {"pool_fixed_main_ns", &InterpreterProfile::pool_fixed_main_ns},
    {"pool_fixed_manager_ns", &InterpreterProfile::pool_fixed_manager_ns},
    {"pool_fixed_feeder_ns", &InterpreterProfile::pool_fixed_feeder_ns},
    {"pool_fixed_worker_ns", &InterpreterProfile::pool_fixed_worker_ns},
};

constexpr const char* kOvershootKey = "sleep_overshoot_ns.";

std::string profile_to_text(const InterpreterProfile& p) {
    std::ostringstream o;
    o << "# GIL Lab interpreter profile (gillab calibrate). Lines: key = value, costs in ns.\n";
    o << "version = " << p.version << "\n";
    for (size_t i = 0; i < (size_t)Op::Count; ++i) o << "cost." << op_name((Op)i) << " = " << p.cost[i] << "\n";
    o << "binop_add = " << p.binop_add << "\nbinop_mul = " << p.binop_mul << "\nbinop_other = " << p.binop_other << "\n";
    for (const auto& f : kScalarsBefore) o << f.key << " = " << p.*f.field << "\n";
    o << "pickle_ns_per_byte = " << p.pickle_ns_per_byte << "\n";
    for (const auto& f : kScalarsAfter) o << f.key << " = " << p.*f.field << "\n";
    // sleep_overshoot_ns.<length in ns> = <overshoot in ns>: HostCosts::sleep_overshoot's points
    for (const auto& pt : p.sleep_overshoot) o << kOvershootKey << pt.length_ns << " = " << pt.overshoot_ns << "\n";
    return o.str();
}

std::string load_profile_file(const std::string& path, InterpreterProfile& out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return "cannot read profile file '" + path + "'";
    std::ostringstream text;
    text << in.rdbuf();
    return parse_profile_text(text.str(), path, out);
}

std::string parse_profile_text(const std::string& text, const std::string& path, InterpreterProfile& out) {
    std::istringstream in(text);
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
    const VersionRow* row = find_version(version);
    if (!row) return path + ": unknown version '" + version + "'";
    InterpreterProfile p = profile_for(*row);
    for (auto& kvp : kv) {
        const std::string& k = kvp.first;
        const std::string& v = kvp.second;
        if (k == "version") continue;
        char* end = nullptr;
        double d = std::strtod(v.c_str(), &end);
        // !(0 <= d <= 1e12) also refuses "nan", which would be undefined as an integer
        if (end == v.c_str() || *end || !(d >= 0 && d <= 1e12)) return path + ": bad value for " + k + ": '" + v + "'";
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
        num("pickle_ns_per_byte", p.pickle_ns_per_byte);
        for (const auto& f : kScalarsBefore) num(f.key, p.*f.field);
        for (const auto& f : kScalarsAfter) num(f.key, p.*f.field);
        if (k.rfind(kOvershootKey, 0) == 0) {
            // one of the table's lengths (a profile cannot move them, only measure them)
            for (auto& pt : p.sleep_overshoot)
                if (k.substr(std::char_traits<char>::length(kOvershootKey)) == std::to_string(pt.length_ns)) {
                    pt.overshoot_ns = (int64_t)d;
                    known = true;
                }
        }
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
