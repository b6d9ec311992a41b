// sim_exec.cpp — the simulator, part: the interpreter: one instruction at a time (exec_one), instruction costs, shared-object costs in free-threaded builds, and advancing an executing thread to the next event.
// The parts share one Simulator::Impl (sim_internal.h, which has the index of the files).
#include <algorithm>
#include <cassert>

#include "engine/py/bytecode.h"
#include "engine/sim/sim_internal.h"

namespace gil::sim {

using namespace detail;

namespace {
// A time the program measured (ns) as Python prints a float of seconds (its repr).
std::string seconds_text(int64_t ns) {
    py::Constant k;
    k.kind = py::ConstKind::Float;
    k.f = (double)ns / 1e9;
    return py::const_repr(k);
}
}  // namespace

int64_t Simulator::Impl::op_cost(const Instr& in) const {
    if (in.flags & Instr::kFree) return 0;
    // A NOP stands for a real instruction with no effect here (PUSH_NULL, LOAD_ATTR of a
    // method, ...): it costs what the instruction class named by `a` costs.
    if (in.op == Op::Nop) return in.a > 0 && in.a < (int)Op::Count ? prof.cost[(size_t)in.a] : 0;
    if (in.op == Op::BinaryOp) {
        BinKind k = (BinKind)in.a;
        return k == BinKind::Mul ? prof.binop_mul : (k == BinKind::Add || k == BinKind::InplaceAdd ||
                                                     k == BinKind::Sub || k == BinKind::InplaceSub)
                                                        ? prof.binop_add
                                                        : prof.binop_other;
    }
    int64_t c = prof.cost[(size_t)in.op];
    if (in.op == Op::CCallGil) c += prog->consts[(size_t)in.a];
    if (in.op == Op::Pickle) c += pickle_cost(prog->consts[(size_t)in.a]);
    return c;
}

int64_t Simulator::Impl::pickle_cost(int64_t bytes) const {
    return prof.pickle_fixed_ns + (int64_t)((double)bytes * prof.pickle_ns_per_byte);
}

Lock& Simulator::Impl::lock_of(Thread& th, int l) {
    return prog->locks[(size_t)l].cross_process ? xlocks[(size_t)l] : procs[(size_t)th.proc].locks[(size_t)l];
}

Queue& Simulator::Impl::queue_of(Thread& th, int q) {
    return prog->queues[(size_t)q].cross_process ? xqueues[(size_t)q] : procs[(size_t)th.proc].queues[(size_t)q];
}

// Is this instruction visible to other threads running at the same time?
bool Simulator::Impl::is_sync(const Thread& th, const Instr& in) const {
    const bool ft = !procs[(size_t)th.proc].has_gil;
    switch (in.op) {
    case Op::LoadGlobal:
    case Op::StoreGlobal:
        return ft || prog->globals[(size_t)in.a].scope == VarScope::SharedMemory;
    case Op::ListAppend: return ft && in.a >= 0;  // a < 0: a list private to its frame
    case Op::LockAcquire:
    case Op::LockRelease: return ft || prog->locks[(size_t)in.a].cross_process;
    case Op::QueuePut:
    case Op::QueueGet: return ft || prog->queues[(size_t)in.a].cross_process;
    default: return false;
    }
}

int64_t& Simulator::Impl::gref(Thread& th, int g, uint64_t*& ver, SharedObj*& obj) {
    if (prog->globals[(size_t)g].scope == VarScope::SharedMemory) {
        ver = &shared_ver[(size_t)g];
        obj = &shared_obj[(size_t)g];
        return shared_mem[(size_t)g];
    }
    Proc& p = procs[(size_t)th.proc];
    ver = &p.gver[(size_t)g];
    obj = &p.gobj[(size_t)g];
    return p.globals[(size_t)g];
}

// Extra cost of touching a shared object from a thread that runs in parallel. The
// object (its cache line, its per-object lock) is a resource only one core holds at a
// time: accesses queue behind each other, and a transfer from another core costs more.
// That serialization is what stops a contended object from scaling.
int64_t Simulator::Impl::shared_cost(Thread& th, SharedObj& o, int64_t t, bool is_lock) {
    // Biased reference counting: the first thread to use an object owns it and
    // touches it without atomics; everyone else pays for the shared path.
    if (o.owner < 0) o.owner = th.id;
    int64_t hold = o.owner == th.id ? 0 : prof.shared_access_ns;
    if (o.last_thread >= 0 && o.last_thread != th.id && t - o.last_t < prof.contention_window_ns)
        hold += is_lock ? 2 * prof.contended_access_ns : prof.contended_access_ns;
    const int64_t start = std::max(t, o.free_at);
    o.free_at = start + hold;
    o.last_t = o.free_at;
    o.last_thread = th.id;
    int64_t extra = (start - t) + hold;
    if (cfg.machine.sync_jitter_ns > 0) extra += (int64_t)(rng.uniform() * 2.0 * cfg.machine.sync_jitter_ns);
    return extra;
}

void Simulator::Impl::push_frame(Thread& th, int fn, const int64_t* args, int nargs) {
    Ctx& x = th.c();
    const Function& f = prog->functions[(size_t)fn];
    Frame fr{fn, 0, (int)x.locals.size(), x.stack.size()};
    x.locals.resize(x.locals.size() + (size_t)f.nlocals, 0);
    for (int i = 0; i < nargs && i < f.nlocals; ++i) x.locals[(size_t)(fr.base + i)] = args[i];
    x.frames.push_back(fr);
}

// Executes the current instruction of an executing thread (its clock already says
// the instruction fits before the next event).
void Simulator::Impl::exec_one(Thread& th) {
    Ctx& x = th.c();
    Frame& f = x.frames.back();
    const Instr in = prog->functions[(size_t)f.fn].code[(size_t)f.pc];
    const uint32_t pc_here = trace ? trace_pc(f.fn, f.pc) : 0;
    th.clock += std::max<int64_t>(0, op_cost(in) - th.credit);
    th.credit = 0;
    const int64_t t = th.clock;  // effect time
    const int fn_here = f.fn, pc_at = f.pc;
    ++res.instructions;
    ++f.pc;
    auto pop = [&x]() {
        int64_t v = x.stack.back();
        x.stack.pop_back();
        return v;
    };
    auto L = [&](int i) -> int64_t& { return x.locals[(size_t)(f.base + i)]; };
    switch (in.op) {
    case Op::Nop:
    case Op::Resume: break;
    case Op::LoadConst: x.stack.push_back(prog->consts[(size_t)in.a]); break;
    case Op::LoadFast: x.stack.push_back(L(in.a)); break;
    case Op::StoreFast: L(in.a) = pop(); break;
    case Op::LoadGlobal: {
        uint64_t* ver;
        SharedObj* obj;
        int64_t& v = gref(th, in.a, ver, obj);
        if (is_sync(th, in)) th.clock += shared_cost(th, *obj, t, false);
        LoadRec& r = th.loads[(size_t)in.a];
        r = {*ver, v, t, pc_here, true};
        x.stack.push_back(v);
        note_access(th, in.a, false, th.held, t, t, fn_here, pc_at);
        break;
    }
    case Op::StoreGlobal: {
        uint64_t* ver;
        SharedObj* obj;
        int64_t& v = gref(th, in.a, ver, obj);
        if (is_sync(th, in)) th.clock += shared_cost(th, *obj, t, false);
        int64_t nv = pop();
        LoadRec& r = th.loads[(size_t)in.a];
        if (r.valid && r.version != *ver) {
            // Someone stored since our load: our store overwrites their updates.
            int64_t overwritten = (int64_t)((uint64_t)v - (uint64_t)r.value);
            if (overwritten > 0) {
                ++res.lost_update_events;
                res.lost_update_total += overwritten;
                trace_event(t, EventKind::LostUpdate, th.lane, overwritten, r.time);
                if (trace && trace->lost_updates.size() < cfg.max_lost_details)
                    trace->lost_updates.push_back({th.lane, r.time, std::max(th.last_off, r.time), t, r.value, nv,
                                                   v, in.a, r.pc, pc_here});
            }
        }
        v = nv;
        ++*ver;
        r.version = *ver;
        r.value = nv;
        note_access(th, in.a, true, th.held, t, t, fn_here, pc_at);
        break;
    }
    case Op::BinaryOp: {
        const int64_t b = pop(), a = pop();
        const BinKind k = (BinKind)in.a;
        if (const char* zero = binary_zero_division(k, b, prog->minor)) {
            res.error = zero;
            x.stack.push_back(0);
            return;
        }
        if (binary_wraps(k, a, b)) res.int_wrapped = true;
        x.stack.push_back(apply_binary(k, a, b));
        break;
    }
    case Op::CompareOp: {
        const int64_t b = pop(), a = pop();
        x.stack.push_back(apply_compare((CmpKind)in.a, a, b) ? 1 : 0);
        break;
    }
    case Op::PopJumpIfFalse:
        if (!pop()) f.pc = in.b;
        break;
    case Op::PopJumpIfTrue:
        if (pop()) f.pc = in.b;
        break;
    case Op::JumpForward:
    case Op::JumpBackward: f.pc = in.b; break;
    case Op::GetIter: {
        int64_t n = pop();
        L(in.a) = 0;
        L(in.a + 1) = n;
        break;
    }
    case Op::ForIter:
        if (L(in.a) < L(in.a + 1)) x.stack.push_back(L(in.a)++);
        else f.pc = in.b;
        break;
    case Op::Call: {
        int64_t args[8] = {};
        int n = std::min(in.b, 8);
        for (int i = n - 1; i >= 0; --i) args[i] = pop();
        push_frame(th, in.a, args, n);
        break;
    }
    case Op::ReturnValue: {
        int64_t v = pop();
        Frame done = x.frames.back();
        x.frames.pop_back();
        x.locals.resize((size_t)done.base);
        x.stack.resize(done.stack_base);
        if (x.frames.empty()) {
            x.done = true;
            x.return_value = v;
            context_finished(th, t);
            return;
        }
        x.stack.push_back(v);
        break;
    }
    case Op::PopTop: pop(); break;
    case Op::Sleep: {
        const int64_t len = prog->consts[(size_t)in.a];
        th.io_overshoot = sleep_overshoot_ns(prof, cfg.machine, len, prof.sleep_call == SleepCall::Select);
        int64_t d = jittered(len, cfg.machine.io_jitter) + th.io_overshoot;
        block(th, t, Py::Io);
        schedule(t + d, Ev::IoDone, th.id, ++th.io_stamp);
        return;
    }
    case Op::CCallNoGil: {
        set_executing(th, false);
        drop_gil(th, t, false);
        th.py = Py::CCode;
        th.c_end = t + prog->consts[(size_t)in.a];
        schedule(th.c_end, Ev::CDone, th.id, ++th.c_stamp);
        update_shown(th, t);
        return;
    }
    case Op::CCallGil: break;  // cost only: the GIL stays held, no check point inside
    case Op::LockAcquire:
        if (is_sync(th, in)) th.clock += shared_cost(th, lock_obj(th, in.a), t, true);
        lock_acquire(th, in.a, t);
        if (th.py != Py::Running) return;
        break;
    case Op::LockRelease:
        if (is_sync(th, in)) th.clock += shared_cost(th, lock_obj(th, in.a), t, true);
        lock_release(th, in.a, t);
        break;
    case Op::ListAppend: {
        pop();
        if (in.a < 0) break;  // a list private to this frame: no other thread can see it
        Proc& p = procs[(size_t)th.proc];
        if (is_sync(th, in)) th.clock += shared_cost(th, p.lobj[(size_t)in.a], t, true);
        ++p.lists[(size_t)in.a];
        break;
    }
    case Op::QueuePut: {
        int64_t v = pop();
        if (prog->queues[(size_t)in.a].cross_process)
            th.clock += pickle_cost(prog->queues[(size_t)in.a].item_bytes);
        else
            th.clock += prof.queue_op_ns;
        queue_put(th, in.a, v, t);
        break;
    }
    case Op::QueueGet:
        if (queue_try_get(th, in.a, t)) {
            th.clock += prog->queues[(size_t)in.a].cross_process
                            ? pickle_cost(prog->queues[(size_t)in.a].item_bytes)
                            : prof.queue_op_ns;
        } else {
            th.wait_queue = in.a;
            queue_of(th, in.a).getters.push_back(th.id);
            block(th, t, Py::WaitQueue);
            return;
        }
        break;
    case Op::Pickle: break;  // cost only
    case Op::AwaitSleep: {
        x.ready_at = t + jittered(prog->consts[(size_t)in.a], cfg.machine.io_jitter);
        async_switch(th, t);
        return;
    }
    case Op::ThreadNew:
    case Op::ProcessNew: {
        int64_t args[8] = {};
        int n = std::min(in.b, 8);
        for (int i = n - 1; i >= 0; --i) args[i] = pop();
        const int h = in.op == Op::ThreadNew ? new_thread(th, in.a, args, n) : new_process(th, in.a, args, n);
        if (h < 0) return;
        x.stack.push_back(h);
        break;
    }
    case Op::SetStartMethod: cfg.start_method = (StartMethod)std::clamp(in.a, 0, 2); break;
    case Op::ThreadStart:
        if (!thread_start(th, (int)pop(), t)) return;
        break;
    case Op::ThreadJoin:
        if (!thread_join(th, (int)pop(), t)) return;
        break;
    case Op::PerfCounter: x.stack.push_back(t); break;
    case Op::Print: {
        const auto& pieces = prog->prints[(size_t)in.a];
        const size_t n = std::min(x.stack.size(), (size_t)std::max(0, in.b));
        size_t v = x.stack.size() - n;
        std::string line;
        for (const auto& pc : pieces) {
            if (pc.kind == Program::PrintPiece::Text) {
                line += pc.text;
            } else if (pc.kind == Program::PrintPiece::List) {
                const auto& rt = procs[(size_t)th.proc].rt;
                line += '[';
                if (pc.list >= 0 && (size_t)pc.list < rt.size())
                    for (size_t i = 0; i < rt[(size_t)pc.list].size(); ++i) {
                        if (i) line += ", ";
                        line += std::to_string(rt[(size_t)pc.list][i]);
                    }
                line += ']';
            } else if (v < x.stack.size()) {
                const int64_t val = x.stack[v++];
                if (pc.kind == Program::PrintPiece::Int) line += std::to_string(val);
                else if (pc.kind == Program::PrintPiece::Seconds) line += seconds_text(val);
                else if (pc.kind == Program::PrintPiece::Bool) line += val ? "True" : "False";
            }
        }
        x.stack.resize(x.stack.size() - n);
        constexpr size_t kMaxOut = 64 * 1024;
        if (res.output.size() < kMaxOut) {
            res.output += line;
            res.output += '\n';
            if (res.output.size() >= kMaxOut) res.output += "... (output cut at 64 KiB)\n";
        }
        break;
    }
    case Op::SetInterval:
        cfg.switch_interval_ns = std::max<int64_t>(1, prog->consts[(size_t)in.a]);
        rearm_drop_timer(th.proc, t);
        break;
    case Op::ListNew: {
        auto& l = procs[(size_t)th.proc].rt[(size_t)in.a];
        const size_t n = std::min(x.stack.size(), (size_t)std::max(0, in.b));
        l.assign(x.stack.end() - (std::ptrdiff_t)n, x.stack.end());
        x.stack.resize(x.stack.size() - n);
        break;
    }
    case Op::ListPush: procs[(size_t)th.proc].rt[(size_t)in.a].push_back(pop()); break;
    case Op::ListExtend: {
        auto& l = procs[(size_t)th.proc].rt[(size_t)in.a];
        const size_t n = std::min(x.stack.size(), (size_t)std::max(0, in.b));
        l.insert(l.end(), x.stack.end() - (std::ptrdiff_t)n, x.stack.end());
        x.stack.resize(x.stack.size() - n);
        break;
    }
    case Op::ListIter:
        L(in.a) = 0;
        L(in.a + 1) = (int64_t)procs[(size_t)th.proc].rt[(size_t)in.b].size();
        break;
    case Op::ListItem: {
        const auto& l = procs[(size_t)th.proc].rt[(size_t)in.a];
        const int64_t i = pop();
        x.stack.push_back(i >= 0 && i < (int64_t)l.size() ? l[(size_t)i] : 0);
        break;
    }
    case Op::ListLen: x.stack.push_back((int64_t)procs[(size_t)th.proc].rt[(size_t)in.a].size()); break;
    default: break;
    }
    // The eval breaker: a pending drop request is noticed only where the version's real
    // bytecode checks it (Instr::kCheck, from the compiled code).
    if ((in.flags & Instr::kCheck) && th.py == Py::Running) {
        Proc& p = procs[(size_t)th.proc];
        if (p.has_gil && p.gil.drop_request && p.gil.holder == th.id) {
            ++res.forced_switches;
            trace_event(th.clock, EventKind::ForcedSwitch, th.lane, (int64_t)pc_here);
            set_executing(th, false);
            if (drop_gil(th, th.clock, true)) {
                th.py = Py::ForcedWait;
                release_core(th, th.clock);
                update_shown(th, th.clock);
            } else {
                take_gil(th, th.clock);
            }
        }
    }
}

SharedObj& Simulator::Impl::lock_obj(Thread& th, int l) {
    size_t idx = (size_t)(prog->locks[(size_t)l].cross_process ? l : (int)prog->locks.size() * (th.proc + 1) + l);
    if (lock_objs.size() <= idx) lock_objs.resize(idx + 1);
    return lock_objs[idx];
}

// Runs an executing thread until its next instruction would take effect after te,
// or it reaches a sync op it may not run yet, or it stops running bytecode.
void Simulator::Impl::advance(Thread& th, int64_t te) {
    bool may_sync = true;
    for (;;) {
        // A RuntimeError (too many threads, a bad start() or join()) stops the program here: the
        // instruction that raised pushed nothing, so the next one must not run.
        if (!th.executing || !res.error.empty()) return;
        if (events_changed) {
            te = std::min(te, next_event_time());
            events_changed = false;
        }
        const Instr& in = cur_instr(th);
        int64_t c = std::max<int64_t>(0, op_cost(in) - th.credit);
        if (th.clock + c > te) return;
        if (is_sync(th, in)) {
            if (!may_sync) return;
            may_sync = false;
            exec_one(th);
            continue;
        }
        may_sync = false;
        if (++stepped > cfg.max_stepped_instructions) {
            res.step_limit_hit = true;  // the main loop stops at its next turn
            return;
        }
        if (cfg.fast_forward && loop_end[(size_t)th.c().frames.back().fn][(size_t)th.c().frames.back().pc] >= 0 &&
            try_fast_forward(th, te))
            continue;
        exec_one(th);
    }
}

// Key for ordering executing threads: when their next instruction takes effect.
int64_t Simulator::Impl::next_effect(Thread& th) {
    return th.clock + std::max<int64_t>(0, op_cost(cur_instr(th)) - th.credit);
}


}  // namespace gil::sim
