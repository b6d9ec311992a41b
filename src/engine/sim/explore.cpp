// explore.cpp — every interleaving a version allows (see explore.h).
#include "engine/sim/explore.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <map>
#include <memory>
#include <unordered_map>
#include <unordered_set>

#include "engine/rng.h"
#include "engine/sim/from_python.h"

namespace gil::sim {

namespace {

enum class St : uint8_t { NotStarted, Runnable, WaitLock, WaitJoin, WaitQueue, Done };

struct XFrame {
    int fn, pc, base;
    int stack_base;
};

struct XThread {
    St st = St::NotStarted;
    int wait = -1;          // the lock or the thread it waits for
    uint64_t held = 0;      // locks it holds (bit per lock)
    std::vector<XFrame> frames;
    std::vector<int64_t> locals, stack;
};

struct XState {
    std::vector<XThread> th;
    std::vector<int64_t> g;              // globals
    std::vector<int> owner;              // lock -> thread, -1 free
    std::vector<int> depth;              // an RLock's acquisitions beyond the first by its owner
    std::vector<std::vector<int64_t>> rt;  // runtime lists
    std::vector<int64_t> shared_lists;   // appends per shared list
    std::vector<std::vector<int64_t>> q; // queues

    void key(std::string& k) const {
        k.clear();
        auto put = [&k](int64_t v) { k.append(reinterpret_cast<const char*>(&v), sizeof v); };
        put((int64_t)th.size());
        for (const XThread& t : th) {
            put((int64_t)t.st), put(t.wait), put((int64_t)t.held), put((int64_t)t.frames.size());
            for (const XFrame& f : t.frames) put(f.fn), put(f.pc), put(f.base), put(f.stack_base);
            put((int64_t)t.locals.size());
            for (int64_t v : t.locals) put(v);
            put((int64_t)t.stack.size());
            for (int64_t v : t.stack) put(v);
        }
        for (int64_t v : g) put(v);
        for (int v : owner) put(v);
        for (int v : depth) put(v);
        for (const auto& l : rt) {
            put((int64_t)l.size());
            for (int64_t v : l) put(v);
        }
        for (int64_t v : shared_lists) put(v);
        for (const auto& l : q) {
            put((int64_t)l.size());
            for (int64_t v : l) put(v);
        }
    }
};

// What a segment of one thread's run ended with.
enum class Stop : uint8_t { Switch, Blocked, Finished, Error };

class Explorer {
public:
    Explorer(const Program& p, const ExploreOptions& o) : p_(p), o_(o), t0_(std::chrono::steady_clock::now()) {}

    ExploreResult run() {
        ExploreResult r;
        r.error = refusal();
        if (!r.error.empty()) return r;
        XState s = initial();
        names_ = {"MainThread"};
        Result res = o_.merge_states ? visit_merged(s, 0) : visit_all(s, 0);
        if (!error_.empty()) {
            r.error = error_;
            return r;
        }
        r.complete = !stopped_;
        r.bound = bound_;
        r.states = states_;
        r.instructions = instructions_;
        for (auto& [k, v] : res) {
            ExploreOutcome o = outcomes_[(size_t)k];
            o.schedules = v.count;
            o.witness = std::move(v.witness);
            r.schedules += v.count;
            r.outcomes.push_back(std::move(o));
        }
        if (stopped_ && o_.samples > 0 && !cancelled()) sample(r);
        std::sort(r.outcomes.begin(), r.outcomes.end(), [](const ExploreOutcome& a, const ExploreOutcome& b) {
            return std::make_pair(a.deadlock, a.globals) < std::make_pair(b.deadlock, b.globals);
        });
        r.threads = names_;
        return r;
    }

    // Runs one schedule as given (a witness): each step's thread to its next switch point.
    // The outcome, or one with `error` set when the schedule does not fit the program.
    ExploreOutcome replay(const std::vector<ScheduleStep>& steps, std::string& err) {
        XState s = initial();
        names_ = {"MainThread"};
        for (const ScheduleStep& st : steps) {
            if (st.thread < 0 || (size_t)st.thread >= s.th.size() || !can_run(s, (size_t)st.thread)) {
                err = "step of thread " + std::to_string(st.thread) + " cannot run there";
                return {};
            }
            const ScheduleStep here = where(s, st.thread);
            if (here.pc != st.pc) {
                err = "thread " + std::to_string(st.thread) + " is not where the schedule says";
                return {};
            }
            if (segment(s, st.thread) == Stop::Error) {
                err = error_.empty() ? bound_ : error_;
                return {};
            }
        }
        if (!choices(s).empty()) {
            err = "the schedule ends before the program does";
            return {};
        }
        return outcomes_[(size_t)outcome_of(s)];
    }

    // Why this program cannot be explored ("" when it can).
    std::string refusal() const {
        if (p_.module_fn < 0) return "the program has no module code to run";
        for (const Function& f : p_.functions)
            for (const Instr& in : f.code)
                if ((in.op == Op::ProcessNew || in.op == Op::AwaitSleep) && f.error.empty())
                    return in.op == Op::ProcessNew ? "the explorer runs threads of one process; this program starts processes"
                                                   : "the explorer does not run asyncio programs (one thread, its own scheduler)";
        // The module code and every function it reaches (thread targets, their calls), as a run
        // checks them (entry_error): else a thread would start a function with no code.
        return entry_error(p_, p_.module_fn);
    }

    // The pieces of a search one step at a time, for the Stepper.
    XState start_state() {
        names_ = {"MainThread"};
        return initial();
    }
    Stop run_segment(XState& s, int ti) { return segment(s, ti); }
    static bool runnable(const XState& s, size_t i) { return can_run(s, i); }
    // `back` = 1: the instruction before (a thread blocked in acquire() already moved past it).
    ScheduleStep position(const XState& s, int ti, int back = 0) const { return where(s, ti, back); }
    ExploreOutcome outcome_at(const XState& s) {
        ExploreOutcome o = outcomes_[(size_t)outcome_of(s)];
        o.stuck = stuck_text(s);  // this state's, not the first one seen with these ints
        return o;
    }
    const std::vector<std::string>& names() const { return names_; }
    // What stopped the last segment with an error; clears it so the next step can run.
    std::string take_error() {
        std::string e = error_.empty() ? bound_ : error_;
        error_.clear();
        bound_.clear();
        stopped_ = false;
        instructions_ = 0;
        return e.empty() ? "the program stopped" : e;
    }

    // Thread i as a sentence: "waits for lock a, held by Thread-2".
    std::string state_text(const XState& s, size_t i) const {
        const XThread& t = s.th[i];
        auto name = [&](int k) { return (size_t)k < names_.size() ? names_[(size_t)k] : "Thread-" + std::to_string(k); };
        switch (t.st) {
        case St::NotStarted: return "not started";
        case St::Done: return "done";
        case St::Runnable: return "can run";
        case St::WaitLock: {
            const int own = s.owner[(size_t)t.wait];
            return "waits for " + p_.locks[(size_t)t.wait].name + (own >= 0 ? ", held by " + name(own) : " (free now: it can take it)");
        }
        case St::WaitJoin: return t.wait >= 0 ? "waits to join " + name(t.wait) : "waits to join";
        case St::WaitQueue:
            return "waits on " + p_.queues[(size_t)t.wait].name + (s.q[(size_t)t.wait].empty() ? ", which is empty" : " (an item is there now)");
        }
        return "";
    }

private:
    XState initial() {
        XState s;
        s.g.resize(p_.globals.size());
        for (size_t i = 0; i < p_.globals.size(); ++i) s.g[i] = p_.globals[i].initial;
        s.owner.assign(p_.locks.size(), -1);
        s.depth.assign(p_.locks.size(), 0);
        s.rt.resize((size_t)p_.rt_lists);
        s.shared_lists.assign(p_.lists.size(), 0);
        s.q.resize(p_.queues.size());
        XThread main;
        main.st = St::Runnable;
        push_frame(main, p_.module_fn, nullptr, 0);
        s.th.push_back(std::move(main));
        return s;
    }

    struct Found {
        double count = 0;
        std::vector<ScheduleStep> witness;  // from the state it was found at
    };
    using Result = std::map<int, Found>;  // outcome index -> schedules, witness

    const Program& p_;
    const ExploreOptions& o_;
    std::chrono::steady_clock::time_point t0_;
    std::unordered_map<std::string, std::shared_ptr<const Result>> memo_;
    std::unordered_map<std::string, int> on_path_;  // states on the current path -> their depth
    int lowest_cut_ = 1 << 30;                      // the shallowest on-path state a cycle returned to
    std::unordered_set<std::string> all_path_;      // visit_all: the states of the current path
    std::vector<ExploreOutcome> outcomes_;
    std::map<std::pair<bool, std::vector<int64_t>>, int> outcome_index_;
    std::vector<std::string> names_;
    uint64_t states_ = 0, instructions_ = 0;
    bool stopped_ = false;
    std::string bound_, error_;

    bool cancelled() const { return o_.cancel && o_.cancel->load(std::memory_order_relaxed); }

    bool over_bounds() {
        if (stopped_) return true;
        if (states_ >= o_.max_states) {
            stopped_ = true;
            bound_ = "stopped at " + std::to_string(o_.max_states) + (o_.merge_states ? " distinct states" : " schedule steps");
        } else if (instructions_ >= o_.max_instructions) {
            stopped_ = true;
            bound_ = "stopped at " + std::to_string(o_.max_instructions) + " instructions";
        } else if ((states_ & 1023) == 0) {
            const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
            if (secs > o_.max_seconds) {
                stopped_ = true;
                bound_ = "stopped after " + std::to_string((int)o_.max_seconds) + " s";
            } else if (cancelled()) {
                stopped_ = true;
                bound_ = "cancelled";
            }
            if (o_.progress)
                o_.progress(std::max({(double)states_ / (double)o_.max_states, secs / o_.max_seconds,
                                      (double)instructions_ / (double)o_.max_instructions}));
        }
        return stopped_;
    }

    void push_frame(XThread& t, int fn, const int64_t* args, int n) {
        const Function& f = p_.functions[(size_t)fn];
        XFrame fr{fn, 0, (int)t.locals.size(), (int)t.stack.size()};
        t.locals.resize(t.locals.size() + (size_t)f.nlocals, 0);
        for (int i = 0; i < n && i < f.nlocals; ++i) t.locals[(size_t)fr.base + (size_t)i] = args[i];
        t.frames.push_back(fr);
    }

    ScheduleStep where(const XState& s, int ti, int back = 0) const {
        ScheduleStep st;
        st.thread = ti;
        const XThread& t = s.th[(size_t)ti];
        if (t.frames.empty()) return st;
        const XFrame& f = t.frames.back();
        const Function& F = p_.functions[(size_t)f.fn];
        st.function = F.name;
        if (!F.code.empty()) {
            const int pc = std::clamp(f.pc - back, 0, (int)F.code.size() - 1);
            const Instr& in = F.code[(size_t)pc];
            st.line = in.line;
            st.pc = (uint32_t)((F.code_object < 0 ? f.fn : F.code_object) << 16) | (uint32_t)(in.real < 0 ? pc : in.real);
        }
        return st;
    }

    static bool shared_op(Op op) {
        switch (op) {
        case Op::LoadGlobal: case Op::StoreGlobal: case Op::LockAcquire: case Op::LockRelease: case Op::ListAppend:
        case Op::QueuePut: case Op::QueueGet: case Op::ThreadStart: case Op::ThreadJoin: case Op::ListPush:
        case Op::ListItem: case Op::ListLen: case Op::ListIter: case Op::ListNew: case Op::ListExtend: return true;
        default: return false;
        }
    }

    // Runs thread ti from its current instruction to its next switch point.
    Stop segment(XState& s, int ti) {
        uint64_t n = 0;
        bool first = true;
        for (;;) {
            XThread& t = s.th[(size_t)ti];
            if (t.st == St::WaitLock) {  // woken: try the lock again
                if (s.owner[(size_t)t.wait] >= 0) return Stop::Blocked;
                s.owner[(size_t)t.wait] = ti;
                t.held |= 1ull << (t.wait & 63);
                t.st = St::Runnable;
                t.wait = -1;
            }
            if (t.st == St::WaitQueue) {  // woken: an item is there now (QueueGet runs again)
                if (s.q[(size_t)t.wait].empty()) return Stop::Blocked;
                t.st = St::Runnable;
                t.wait = -1;
            }
            if (t.st != St::Runnable) return Stop::Blocked;
            XFrame& f = t.frames.back();
            const Function& F = p_.functions[(size_t)f.fn];
            if (f.pc < 0 || f.pc >= (int)F.code.size()) {
                error_ = "a thread ran off the end of " + F.name + "()";
                return Stop::Error;
            }
            const Instr in = F.code[(size_t)f.pc];
            // Free-threaded: every access to shared state is a step of its own.
            if (!o_.has_gil && !first && shared_op(in.op)) return Stop::Switch;
            first = false;
            if (++n > 10'000'000 || ++instructions_ > o_.max_instructions) {
                if (!stopped_) {
                    stopped_ = true;
                    bound_ = n > 10'000'000 ? "a thread ran 10 million instructions without a switch point"
                                            : "stopped at " + std::to_string(o_.max_instructions) + " instructions";
                }
                return Stop::Error;
            }
            ++f.pc;
            auto pop = [&t]() {
                if (t.stack.empty()) return (int64_t)0;
                int64_t v = t.stack.back();
                t.stack.pop_back();
                return v;
            };
            auto L = [&](int i) -> int64_t& { return t.locals[(size_t)(t.frames.back().base + i)]; };
            bool yield = false;  // the GIL is let go here (sleep, C call, start)
            switch (in.op) {
            case Op::LoadConst: t.stack.push_back(p_.consts[(size_t)in.a]); break;
            case Op::LoadFast: t.stack.push_back(L(in.a)); break;
            case Op::StoreFast: L(in.a) = pop(); break;
            case Op::LoadGlobal: t.stack.push_back(s.g[(size_t)in.a]); break;
            case Op::StoreGlobal: s.g[(size_t)in.a] = pop(); break;
            case Op::BinaryOp: {
                const int64_t b = pop(), a = pop();
                if (const char* zero = binary_zero_division((BinKind)in.a, b, p_.minor)) {
                    error_ = zero;
                    return Stop::Error;
                }
                t.stack.push_back(apply_binary((BinKind)in.a, a, b));
                break;
            }
            case Op::CompareOp: {
                const int64_t b = pop(), a = pop();
                t.stack.push_back(apply_compare((CmpKind)in.a, a, b) ? 1 : 0);
                break;
            }
            case Op::PopJumpIfFalse: if (!pop()) t.frames.back().pc = in.b; break;
            case Op::PopJumpIfTrue: if (pop()) t.frames.back().pc = in.b; break;
            case Op::JumpForward: case Op::JumpBackward: t.frames.back().pc = in.b; break;
            case Op::GetIter: {
                int64_t v = pop();
                L(in.a) = 0;
                L(in.a + 1) = v;
                break;
            }
            case Op::ForIter:
                if (L(in.a) < L(in.a + 1)) t.stack.push_back(L(in.a)++);
                else t.frames.back().pc = in.b;
                break;
            case Op::Call: {
                int64_t args[8] = {};
                const int k = std::min(in.b, 8);
                for (int i = k - 1; i >= 0; --i) args[i] = pop();
                if (t.frames.size() > 200) {
                    error_ = "recursion deeper than 200 calls";
                    return Stop::Error;
                }
                push_frame(t, in.a, args, k);
                break;
            }
            case Op::ReturnValue: {
                const int64_t v = pop();
                const XFrame done = t.frames.back();
                t.frames.pop_back();
                t.locals.resize((size_t)done.base);
                t.stack.resize((size_t)done.stack_base);
                if (t.frames.empty()) {
                    t.st = St::Done;
                    for (XThread& o : s.th)
                        if (o.st == St::WaitJoin && o.wait == ti) o.st = St::Runnable, o.wait = -1;
                    return Stop::Finished;
                }
                t.stack.push_back(v);
                break;
            }
            case Op::PopTop: pop(); break;
            case Op::Sleep: case Op::CCallNoGil: yield = true; break;
            case Op::LockAcquire: {
                int& own = s.owner[(size_t)in.a];
                if (own == ti && p_.locks[(size_t)in.a].reentrant) {
                    ++s.depth[(size_t)in.a];
                } else if (own < 0) {
                    own = ti;
                    t.held |= 1ull << (in.a & 63);
                } else {
                    t.st = St::WaitLock;  // retried when it is scheduled again
                    t.wait = in.a;
                    return Stop::Blocked;
                }
                break;
            }
            case Op::LockRelease:
                if (p_.locks[(size_t)in.a].reentrant && s.owner[(size_t)in.a] == ti && s.depth[(size_t)in.a] > 0) {
                    --s.depth[(size_t)in.a];
                    break;
                }
                if (const int own = s.owner[(size_t)in.a]; own >= 0) s.th[(size_t)own].held &= ~(1ull << (in.a & 63));
                s.owner[(size_t)in.a] = -1;
                t.held &= ~(1ull << (in.a & 63));
                break;
            case Op::ListAppend:
                pop();
                if (in.a >= 0) ++s.shared_lists[(size_t)in.a];
                break;
            case Op::QueuePut: s.q[(size_t)in.a].push_back(pop()); break;
            case Op::QueueGet:
                if (s.q[(size_t)in.a].empty()) {
                    --t.frames.back().pc;  // blocked: get() runs again once an item is there
                    t.st = St::WaitQueue;
                    t.wait = in.a;
                    return Stop::Blocked;
                }
                t.stack.push_back(s.q[(size_t)in.a].front());
                s.q[(size_t)in.a].erase(s.q[(size_t)in.a].begin());
                break;
            case Op::ThreadNew: {
                int64_t args[8] = {};
                const int k = std::min(in.b, 8);
                for (int i = k - 1; i >= 0; --i) args[i] = pop();
                if (s.th.size() >= 64) {
                    error_ = "the explorer takes at most 64 threads";
                    return Stop::Error;
                }
                XThread c;
                push_frame(c, in.a, args, k);
                const int h = (int)s.th.size();
                s.th.push_back(std::move(c));
                if ((int)names_.size() <= h) {
                    std::string nm = "Thread-" + std::to_string(h);
                    if (p_.minor >= 10) nm += " (" + p_.functions[(size_t)in.a].py_name() + ")";
                    names_.push_back(nm);
                }
                s.th[(size_t)ti].stack.push_back(h);
                break;
            }
            case Op::ThreadStart: {
                const int64_t h = pop();
                if (h <= 0 || h >= (int64_t)s.th.size() || s.th[(size_t)h].st != St::NotStarted) {
                    error_ = "RuntimeError: threads can only be started once";
                    return Stop::Error;
                }
                s.th[(size_t)h].st = St::Runnable;
                yield = true;  // start() waits for the new thread to signal it runs: a switch
                break;
            }
            case Op::ThreadJoin: {
                const int64_t h = pop();
                if (h <= 0 || h >= (int64_t)s.th.size() || h == ti) {
                    error_ = "RuntimeError: join() of something that is not another thread";
                    return Stop::Error;
                }
                if (s.th[(size_t)h].st == St::NotStarted) {
                    error_ = "RuntimeError: cannot join thread before it is started";
                    return Stop::Error;
                }
                if (s.th[(size_t)h].st != St::Done) {
                    t.st = St::WaitJoin;
                    t.wait = (int)h;
                    return Stop::Blocked;
                }
                break;
            }
            case Op::PerfCounter: t.stack.push_back((int64_t)instructions_); break;
            case Op::ListNew: {
                auto& l = s.rt[(size_t)in.a];
                const size_t k = std::min(t.stack.size(), (size_t)std::max(0, in.b));
                l.assign(t.stack.end() - (std::ptrdiff_t)k, t.stack.end());
                t.stack.resize(t.stack.size() - k);
                break;
            }
            case Op::ListPush: s.rt[(size_t)in.a].push_back(pop()); break;
            case Op::ListExtend: {
                auto& l = s.rt[(size_t)in.a];
                const size_t k = std::min(t.stack.size(), (size_t)std::max(0, in.b));
                l.insert(l.end(), t.stack.end() - (std::ptrdiff_t)k, t.stack.end());
                t.stack.resize(t.stack.size() - k);
                break;
            }
            case Op::ListIter:
                L(in.a) = 0;
                L(in.a + 1) = (int64_t)s.rt[(size_t)in.b].size();
                break;
            case Op::ListItem: {
                const auto& l = s.rt[(size_t)in.a];
                const int64_t i = pop();
                t.stack.push_back(i >= 0 && i < (int64_t)l.size() ? l[(size_t)i] : 0);
                break;
            }
            case Op::ListLen: t.stack.push_back((int64_t)s.rt[(size_t)in.a].size()); break;
            case Op::Print: {
                const size_t k = std::min(t.stack.size(), (size_t)std::max(0, in.b));
                t.stack.resize(t.stack.size() - k);
                break;
            }
            default: break;  // Nop, Resume, CCallGil, Pickle, SetInterval, SetStartMethod: no effect on the state
            }
            if (yield) return Stop::Switch;
            if (o_.has_gil && (in.flags & Instr::kCheck)) return Stop::Switch;  // the eval breaker: a switch may land here
        }
    }

    // A thread that can be chosen next: runnable, or woken to retry a lock that is free now.
    static bool can_run(const XState& s, size_t i) {
        const XThread& t = s.th[i];
        return t.st == St::Runnable || (t.st == St::WaitLock && s.owner[(size_t)t.wait] < 0) ||
               (t.st == St::WaitQueue && !s.q[(size_t)t.wait].empty());
    }

    // Who waits for what, at a state where nobody can move ("" when every thread is done).
    std::string stuck_text(const XState& s) const {
        std::string stuck;
        for (size_t i = 0; i < s.th.size(); ++i) {
            const XThread& t = s.th[i];
            if (t.st == St::Done || t.st == St::NotStarted) continue;
            if (!stuck.empty()) stuck += "; ";
            if (t.st == St::WaitQueue) stuck += names_[i] + " waits on " + p_.queues[(size_t)t.wait].name + ", which nobody puts to";
            else if (t.st == St::Runnable) stuck += names_[i] + " can run but the search stopped";
            else stuck += names_[i] + " " + state_text(s, i);
        }
        return stuck;
    }

    int outcome_of(const XState& s) {
        const std::string stuck = stuck_text(s);
        const bool deadlock = !stuck.empty();
        std::vector<int64_t> key = s.g;
        auto [it, fresh] = outcome_index_.insert({{deadlock, key}, (int)outcomes_.size()});
        if (fresh) {
            ExploreOutcome o;
            for (size_t i = 0; i < p_.globals.size(); ++i) o.globals.push_back({p_.globals[i].name, s.g[i]});
            o.deadlock = deadlock;
            o.stuck = stuck;
            outcomes_.push_back(std::move(o));
        }
        return it->second;
    }

    // One choice point: the threads that may go next from state s.
    std::vector<int> choices(const XState& s) const {
        std::vector<int> c;
        for (size_t i = 0; i < s.th.size(); ++i)
            if (can_run(s, i)) c.push_back((int)i);
        return c;
    }

    static void add(Result& into, const Result& from, const ScheduleStep& step) {
        for (const auto& [k, v] : from) {
            Found& f = into[k];
            if (f.count == 0 || v.witness.size() + 1 < f.witness.size()) {  // the shortest witness
                f.witness.clear();
                f.witness.reserve(v.witness.size() + 1);
                f.witness.push_back(step);
                f.witness.insert(f.witness.end(), v.witness.begin(), v.witness.end());
            }
            f.count += v.count;
        }
    }

    // States reached twice share their futures: the result of a state is computed once.
    Result visit_merged(const XState& s, int depth) {
        std::string key;
        s.key(key);
        if (auto it = memo_.find(key); it != memo_.end()) return *it->second;
        // A state that leads back to itself (a thread spinning on a flag): the cycle ends no
        // schedule; the ways out of it are counted where they leave.
        // (A result that relied on such a cut is not kept: from elsewhere the cycle's ways out count.)
        if (auto on = on_path_.find(key); on != on_path_.end()) {
            lowest_cut_ = std::min(lowest_cut_, on->second);
            return {};
        }
        on_path_.emplace(key, depth);
        struct Leave {
            std::unordered_map<std::string, int>& set;
            const std::string& k;
            ~Leave() { set.erase(k); }
        } leave{on_path_, key};
        const int outer_cut = lowest_cut_;
        lowest_cut_ = 1 << 30;
        ++states_;
        Result res;
        const std::vector<int> c = choices(s);
        if (c.empty()) {
            res[outcome_of(s)] = {1, {}};
        } else if (!over_bounds() && error_.empty()) {
            for (int ti : c) {
                XState n = s;
                const ScheduleStep step = where(n, ti);
                const Stop st = segment(n, ti);
                if (st == Stop::Error) break;
                if (depth > 100000) {
                    error_ = "a schedule longer than 100,000 switch points";
                    break;
                }
                add(res, visit_merged(n, depth + 1), step);
                if (stopped_ || !error_.empty()) break;
            }
        }
        const bool cut_above = lowest_cut_ < depth;  // the result depends on the path that led here
        if (!stopped_ && !cut_above) memo_.emplace(key, std::make_shared<const Result>(res));
        lowest_cut_ = std::min(outer_cut, lowest_cut_);
        return res;
    }

    // Every schedule, one by one (no merging): what the reduction is measured against.
    Result visit_all(const XState& s, int depth) {
        std::string key;
        s.key(key);
        if (!all_path_.insert(key).second) return {};  // a spin back to a state on this path
        struct Leave {
            std::unordered_set<std::string>& set;
            const std::string& k;
            ~Leave() { set.erase(k); }
        } leave{all_path_, key};
        ++states_;
        Result res;
        const std::vector<int> c = choices(s);
        if (c.empty()) {
            res[outcome_of(s)] = {1, {}};
            return res;
        }
        if (over_bounds() || !error_.empty()) return res;
        for (int ti : c) {
            XState n = s;
            const ScheduleStep step = where(n, ti);
            if (segment(n, ti) == Stop::Error) break;
            if (depth > 100000) {
                error_ = "a schedule longer than 100,000 switch points";
                break;
            }
            add(res, visit_all(n, depth + 1), step);
            if (stopped_ || !error_.empty()) break;
        }
        return res;
    }

    // The search was bounded: random schedules from the start, to find more outcomes.
    void sample(ExploreResult& r) {
        Rng rng(o_.seed);
        std::map<int, size_t> at;  // outcome index -> position in r.outcomes
        for (size_t i = 0; i < r.outcomes.size(); ++i)
            for (const auto& [k, idx] : outcome_index_)
                if (r.outcomes[i].deadlock == k.first && outcomes_[(size_t)idx].globals == r.outcomes[i].globals) at[idx] = i;
        const bool was_stopped = stopped_;
        stopped_ = false;
        const uint64_t budget = instructions_ + o_.max_instructions;
        for (uint64_t k = 0; k < o_.samples && !cancelled(); ++k) {
            XState s = initial();
            std::vector<ScheduleStep> path;
            bool ok = true;
            for (;;) {
                const std::vector<int> c = choices(s);
                if (c.empty()) break;
                const int ti = c[(size_t)(rng.next() % c.size())];
                path.push_back(where(s, ti));
                if (segment(s, ti) == Stop::Error || instructions_ > budget) {
                    ok = false;
                    break;
                }
            }
            if (!ok) break;
            ++r.sampled;
            const int idx = outcome_of(s);
            auto it = at.find(idx);
            if (it == at.end()) {
                ExploreOutcome o = outcomes_[(size_t)idx];
                o.schedules = 0;
                o.witness = path;
                at[idx] = r.outcomes.size();
                r.outcomes.push_back(std::move(o));
            }
        }
        error_.clear();
        stopped_ = was_stopped;
    }
};

}  // namespace

struct Stepper::Impl {
    std::shared_ptr<const Program> prog;
    ExploreOptions opt;
    Explorer x;
    std::string error;
    std::vector<XState> states;        // states[k]: after k steps
    std::vector<ScheduleStep> history;
    std::vector<std::vector<std::string>> names;  // the thread names after each step
    std::vector<size_t> marks;         // history sizes where each of the student's actions began (undo goes back one)
    std::string take(int t);           // one step of thread t
    Impl(std::shared_ptr<const Program> p, bool has_gil) : prog(std::move(p)), opt(make_opt(has_gil)), x(*prog, opt) {}
    static ExploreOptions make_opt(bool has_gil) {
        ExploreOptions o;
        o.has_gil = has_gil;
        return o;
    }
};

Stepper::Stepper(std::shared_ptr<const Program> p, bool has_gil) : impl_(std::make_unique<Impl>(std::move(p), has_gil)) {
    impl_->error = impl_->x.refusal();
    restart();
}
Stepper::~Stepper() = default;
const std::string& Stepper::error() const { return impl_->error; }
const std::vector<ScheduleStep>& Stepper::history() const { return impl_->history; }
const Program& Stepper::program() const { return *impl_->prog; }

void Stepper::restart() {
    impl_->states.clear();
    impl_->history.clear();
    impl_->names.clear();
    impl_->marks.clear();
    if (!impl_->error.empty()) return;
    impl_->states.push_back(impl_->x.start_state());
    impl_->names.push_back(impl_->x.names());
}

std::vector<StepperThread> Stepper::threads() const {
    std::vector<StepperThread> out;
    if (impl_->states.empty()) return out;
    const XState& s = impl_->states.back();
    const std::vector<std::string>& names = impl_->names.back();
    for (size_t i = 0; i < s.th.size(); ++i) {
        StepperThread t;
        t.name = i < names.size() ? names[i] : "Thread-" + std::to_string(i);
        t.state = impl_->x.state_text(s, i);
        t.can_run = Explorer::runnable(s, i);
        // A thread blocked in acquire() has moved past it: shown at the acquire (where it waits).
        if (s.th[i].st != St::Done) t.at = impl_->x.position(s, (int)i, s.th[i].st == St::WaitLock && !t.can_run ? 1 : 0);
        t.at.thread = (int)i;
        out.push_back(std::move(t));
    }
    return out;
}

std::vector<std::pair<std::string, int64_t>> Stepper::globals() const {
    std::vector<std::pair<std::string, int64_t>> g;
    if (impl_->states.empty()) return g;
    const Program& p = *impl_->prog;
    for (size_t i = 0; i < p.globals.size(); ++i) g.push_back({p.globals[i].name, impl_->states.back().g[i]});
    return g;
}

bool Stepper::finished() const {
    if (impl_->states.empty()) return true;
    const XState& s = impl_->states.back();
    for (size_t i = 0; i < s.th.size(); ++i)
        if (Explorer::runnable(s, i)) return false;
    return true;
}

ExploreOutcome Stepper::outcome() const {
    if (impl_->states.empty()) return {};
    return impl_->x.outcome_at(impl_->states.back());
}

std::string Stepper::Impl::take(int t) {
    if (!error.empty()) return error;
    const XState& s = states.back();
    if (t < 0 || (size_t)t >= s.th.size()) return "there is no thread " + std::to_string(t);
    if (!Explorer::runnable(s, (size_t)t)) return names.back()[(size_t)t] + " cannot run now (" + x.state_text(s, (size_t)t) + ")";
    XState n = s;
    const ScheduleStep at = x.position(n, t);
    if (x.run_segment(n, t) == Stop::Error) return x.take_error();
    states.push_back(std::move(n));
    history.push_back(at);
    names.push_back(x.names());
    return "";
}

std::string Stepper::step(int t) {
    const size_t before = impl_->history.size();
    std::string err = impl_->take(t);
    if (impl_->history.size() > before) impl_->marks.push_back(before);
    return err;
}

std::string Stepper::step_line(int t, int max_steps) {
    if (impl_->states.empty() || t < 0 || (size_t)t >= impl_->states.back().th.size()) return step(t);
    const size_t before = impl_->history.size();
    const ScheduleStep from = impl_->x.position(impl_->states.back(), t);
    std::string err = impl_->take(t);
    for (int k = 1; err.empty() && k < max_steps; ++k) {
        const XState& s = impl_->states.back();
        if (s.th[(size_t)t].st != St::Runnable) break;  // it blocked or ended
        const ScheduleStep at = impl_->x.position(s, t);
        if (at.line != from.line || at.function != from.function) break;
        err = impl_->take(t);
    }
    if (impl_->history.size() > before) impl_->marks.push_back(before);  // one Undo takes the whole line back
    return err;
}

bool Stepper::undo() {
    if (impl_->marks.empty()) return false;
    const size_t to = impl_->marks.back();
    impl_->marks.pop_back();
    while (impl_->history.size() > to) {
        impl_->states.pop_back();
        impl_->history.pop_back();
        impl_->names.pop_back();
    }
    return true;
}

int64_t ExploreOutcome::value(const std::string& name, bool& found) const {
    for (const auto& [n, v] : globals)
        if (n == name) {
            found = true;
            return v;
        }
    found = false;
    return 0;
}

ExploreResult explore(const Program& p, const ExploreOptions& opt) {
    Explorer x(p, opt);
    return x.run();
}

ExploreOutcome replay_schedule(const Program& p, const ExploreOptions& opt, const std::vector<ScheduleStep>& s,
                               std::string& error) {
    Explorer x(p, opt);
    error.clear();
    return x.replay(s, error);
}

std::string parse_query(const std::string& text, ExploreQuery& q) {
    static const char* const ops[] = {"==", "!=", "<=", ">=", "<", ">"};
    for (const char* op : ops) {
        const size_t at = text.find(op);
        if (at == std::string::npos || at == 0) continue;
        q.name = text.substr(0, at);
        q.op = op;
        const std::string v = text.substr(at + std::strlen(op));
        char* end = nullptr;
        q.value = std::strtoll(v.c_str(), &end, 10);
        if (v.empty() || !end || *end) return "the query's value must be an integer: '" + text + "' (e.g. final==4, counter<8)";
        while (!q.name.empty() && q.name.back() == ' ') q.name.pop_back();
        return "";
    }
    return "a query is NAME OP INT with OP one of == != < <= > >= (e.g. final==4, counter<8): '" + text + "'";
}

std::string final_name(const Program& p) {
    // The int global a thread (not the module code) stores to: the shared counter.
    for (size_t g = 0; g < p.globals.size(); ++g)
        for (size_t f = 0; f < p.functions.size(); ++f) {
            if ((int)f == p.module_fn || p.functions[f].name.rfind("<", 0) == 0) continue;
            for (const Instr& in : p.functions[f].code)
                if (in.op == Op::StoreGlobal && in.a == (int)g) return p.globals[g].name;
        }
    return "";
}

std::vector<std::string> thread_written(const Program& p) {
    std::vector<std::string> out;
    for (size_t g = 0; g < p.globals.size(); ++g) {
        bool written = false;
        for (size_t f = 0; f < p.functions.size() && !written; ++f) {
            if ((int)f == p.module_fn || p.functions[f].name.rfind("<", 0) == 0) continue;
            for (const Instr& in : p.functions[f].code)
                if (in.op == Op::StoreGlobal && in.a == (int)g) written = true;
        }
        if (written) out.push_back(p.globals[g].name);
    }
    return out;
}

bool query_holds(const ExploreOutcome& o, const ExploreQuery& q, const std::string& final_var) {
    bool found = false;
    const int64_t v = o.value(q.name == "final" ? final_var : q.name, found);
    if (!found || o.deadlock) return false;
    if (q.op == "==") return v == q.value;
    if (q.op == "!=") return v != q.value;
    if (q.op == "<") return v < q.value;
    if (q.op == "<=") return v <= q.value;
    if (q.op == ">") return v > q.value;
    return v >= q.value;
}

std::string schedule_text(const ExploreResult& r, const std::vector<ScheduleStep>& s) {
    std::string o;
    for (size_t i = 0; i < s.size(); ++i) {
        // Consecutive steps of one thread read as one: "Thread-1 runs from work line 5".
        if (i > 0 && s[i].thread == s[i - 1].thread) continue;
        if (!o.empty()) o += "; ";
        const std::string& n = (size_t)s[i].thread < r.threads.size() ? r.threads[(size_t)s[i].thread] : "?";
        o += n + " from " + (s[i].function.empty() ? "?" : s[i].function) + " line " + std::to_string(s[i].line);
    }
    return o;
}

}  // namespace gil::sim
