// sim_cores.cpp — the simulator, part: events and cores: the event queue, the OS scheduler (cores, run queue, time slices), thread states shown on the timeline.
// The parts share one Simulator::Impl (sim_internal.h, which has the index of the files).
#include <algorithm>
#include <cassert>

#include "engine/sim/sim_internal.h"

namespace gil::sim {

using namespace detail;

void Simulator::Impl::schedule(int64_t t, Ev k, int who, uint64_t stamp) {
    events.push({t, seq++, k, who, stamp});
    events_changed = true;
}

int64_t Simulator::Impl::jittered(int64_t base, double frac) {
    if (base <= 0 || frac <= 0) return std::max<int64_t>(0, base);
    return std::max<int64_t>(0, base + (int64_t)((double)base * frac * rng.symmetric()));
}

const Instr& Simulator::Impl::cur_instr(Thread& th) {
    Frame& f = th.c().frames.back();
    return prog->functions[(size_t)f.fn].code[(size_t)f.pc];
}

uint32_t Simulator::Impl::cur_pc(Thread& th) {
    if (th.ctx.empty() || th.c().frames.empty()) return 0;
    const Frame& f = th.c().frames.back();
    return trace_pc(f.fn, f.pc);
}

// Trace pcs name the real instruction: (code object << 16) | its index in the compiled code,
// so the timeline and the lost-update popup point into the `dis` the student reads.
uint32_t Simulator::Impl::trace_pc(int fn, int pc) const {
    const Function& F = prog->functions[(size_t)fn];
    if (F.code.empty()) return 0;
    const Instr& in = F.code[(size_t)std::min<int>(pc, (int)F.code.size() - 1)];
    return (uint32_t)((F.code_object < 0 ? fn : F.code_object) << 16) | (uint32_t)(in.real < 0 ? pc : in.real);
}

ThreadState Simulator::Impl::derive_shown(const Thread& th) const {
    if (th.in_runq) return ThreadState::WaitCore;
    switch (th.py) {
    case Py::NotStarted: return ThreadState::NotStarted;
    case Py::Running: return th.on_core ? ThreadState::Running : ThreadState::WaitCore;
    case Py::WaitGil:
    case Py::ForcedWait: return ThreadState::WaitGil;
    case Py::Io: return ThreadState::Io;
    case Py::CCode: return ThreadState::CCode;
    case Py::WaitLock:
    case Py::WaitQueue:
    case Py::WaitThread: return ThreadState::WaitLock;
    case Py::Done: return ThreadState::Done;
    }
    return ThreadState::NotStarted;
}

void Simulator::Impl::update_shown(Thread& th, int64_t t) {
    ThreadState s = derive_shown(th);
    if (s == th.shown) return;
    if (t < th.shown_since) t = th.shown_since;  // never go back in a lane
    th.stats.state_ns[(size_t)th.shown] += t - th.shown_since;
    th.shown = s;
    th.shown_since = t;
    ++res.state_changes;
    if (trace) trace->set_state(th.lane, t, s, cur_pc(th));
}

void Simulator::Impl::trace_event(int64_t t, EventKind k, int lane, int64_t a, int64_t b) {
    if (trace) trace->event(t, k, lane, a, b);
}

void Simulator::Impl::set_executing(Thread& th, bool on) {
    if (th.executing == on) return;
    th.executing = on;
    if (on) executing.push_back(th.id);
    else executing.erase(std::find(executing.begin(), executing.end(), th.id));
}

void Simulator::Impl::request_core(Thread& th, int64_t t) {
    if (th.on_core) {
        on_core_action(th, t);
        return;
    }
    if (free_cores > 0) {
        give_core(th, t);
    } else {
        th.in_runq = true;
        runq.push_back(th.id);
        update_shown(th, t);
        // Make sure someone's slice will end so the queued thread gets a turn.
        for (int id : executing) arm_slice(threads[(size_t)id], t);
        for (auto& o : threads)
            if (o.on_core && o.py == Py::CCode) arm_slice(o, t);
    }
}

void Simulator::Impl::arm_slice(Thread& th, int64_t t) {
    int64_t end = th.core_since + cfg.machine.timeslice_ns;
    schedule(std::max(end, t), Ev::SliceEnd, th.id, th.core_stamp);
}

void Simulator::Impl::give_core(Thread& th, int64_t t) {
    --free_cores;
    // The thread lands on its previous core when that one is idle (Linux's wake-up path
    // prefers it: select_idle_sibling), else on the core that went idle last; how long that
    // core had been idle decides whether it halted (take_gil charges the hand-off then).
    int c = th.core >= 0 && th.core < (int)core_free.size() && core_free[(size_t)th.core] ? th.core : -1;
    if (c < 0)
        for (size_t k = 0; k < core_free.size(); ++k)
            if (core_free[k] && (c < 0 || idle_since[k] > idle_since[(size_t)c])) c = (int)k;
    assert(c >= 0);  // free_cores > 0: some core is free
    th.core = c;
    core_free[(size_t)c] = 0;
    th.core_idle_ns = std::max<int64_t>(0, t - idle_since[(size_t)c]);
    th.on_core = true;
    th.in_runq = false;
    th.core_since = t;
    ++th.core_stamp;
    if (!runq.empty()) arm_slice(th, t);
    on_core_action(th, t + cfg.machine.context_switch_ns);
}

void Simulator::Impl::release_core(Thread& th, int64_t t) {
    if (!th.on_core) return;
    th.on_core = false;
    ++th.core_stamp;
    set_executing(th, false);
    ++free_cores;
    core_free[(size_t)th.core] = 1;
    idle_since[(size_t)th.core] = t;
    while (!runq.empty() && free_cores > 0) {
        Thread& u = threads[(size_t)runq.front()];
        runq.pop_front();
        u.in_runq = false;
        give_core(u, t);
    }
}

// A thread just got a core (or already had one): do what it was waiting to do.
void Simulator::Impl::on_core_action(Thread& th, int64_t t) {
    Next n = th.after_core;
    th.after_core = Next::None;
    switch (n) {
    case Next::Start:
        th.stats.started_at = t;
        take_gil(th, t);
        break;
    case Next::TakeGil: take_gil(th, t); break;
    case Next::RetryLock: retry_lock(th, t); break;
    case Next::RetryQueue: retry_queue(th, t); break;
    case Next::RunC:
        th.core_idle_ns = 0;  // its core woke for C code, not for a GIL hand-off
        th.py = Py::CCode;
        th.c_end = t + th.c_remaining;
        schedule(th.c_end, Ev::CDone, th.id, ++th.c_stamp);
        update_shown(th, t);
        break;
    case Next::None:
        // Preempted while running bytecode: carry on.
        if (th.py == Py::Running) start_executing(th, t);
        else update_shown(th, t);
        break;
    }
}

void Simulator::Impl::start_executing(Thread& th, int64_t t) {
    th.clock = std::max(th.clock, t);
    th.py = Py::Running;
    set_executing(th, true);
    update_shown(th, t);
    // Its bootstrap ran (with the GIL): _started.set() wakes the thread waiting in start().
    if (th.starter >= 0) {
        Thread& s = threads[(size_t)th.starter];
        th.starter = -1;
        wake_waiter(s, t);
    }
}

void Simulator::Impl::preempt(Thread& th, int64_t t) {
    // The OS takes the core away (time slice over, others waiting). A GIL holder keeps
    // the GIL while it waits for a core: that is the real behaviour.
    if (th.py == Py::CCode) {
        th.c_remaining = std::max<int64_t>(0, th.c_end - t);
        ++th.c_stamp;
        th.after_core = Next::RunC;
    } else {
        th.after_core = Next::None;
        th.last_off = t;
    }
    release_core(th, t);  // may hand the core to the queue head
    th.in_runq = true;
    runq.push_back(th.id);
    update_shown(th, t);
    if (free_cores > 0) {  // nobody else wanted it after all
        runq.pop_back();
        th.in_runq = false;
        give_core(th, t);
    }
}

void Simulator::Impl::handle(const Event& e) {
    ++res.events;
    switch (e.kind) {
    case Ev::ProcReady: {
        Proc& p = procs[(size_t)e.who];
        p.ready = true;
        if (e.who > 0) trace_event(e.t, EventKind::ProcessStart, -1, e.who);
        for (auto& th : threads) {
            if (th.proc != e.who) continue;
            if ((size_t)th.id < cfg.threads.size()) schedule(e.t + cfg.threads[(size_t)th.id].start_at, Ev::ThreadStart, th.id, 0);
            else if (th.process_main && th.start_requested) schedule(e.t, Ev::ThreadStart, th.id, 0);  // Process.start()
        }
        break;
    }
    case Ev::ThreadStart: {
        Thread& th = threads[(size_t)e.who];
        th.after_core = Next::Start;
        request_core(th, e.t);
        break;
    }
    case Ev::Wake: {
        Thread& th = threads[(size_t)e.who];
        if (e.stamp != th.wake_stamp) break;
        request_core(th, e.t);
        break;
    }
    case Ev::DropTimer: {
        Gil& g = procs[(size_t)e.who].gil;
        if (e.stamp != g.timer_stamp) break;
        if (g.locked && !g.drop_request && g.last_switch <= e.t - cfg.switch_interval_ns) {
            g.drop_request = true;  // SET_GIL_DROP_REQUEST
            ++res.drop_requests;
            int by = g.waiters.empty() ? -1 : threads[(size_t)g.waiters.front()].lane;
            trace_event(e.t, EventKind::DropRequest, g.holder >= 0 ? threads[(size_t)g.holder].lane : by, by);
            ++g.timer_stamp;
        } else {
            // Unlocked right now, or a switch happened meanwhile: the waiters wait again.
            rearm_drop_timer(e.who, e.t + 1);
        }
        break;
    }
    case Ev::IoDone: {
        Thread& th = threads[(size_t)e.who];
        if (e.stamp != th.io_stamp || th.py != Py::Io) break;
        // Latency is counted from when the sleep was due to end, as a program that times
        // time.sleep(x) and subtracts x sees it: timer slack included.
        th.io_done_at = th.async_loop ? e.t : e.t - th.io_overshoot;
        if (th.async_loop) {
            // select() returned: pick the task that is ready.
            for (size_t i = 0; i < th.ctx.size(); ++i)
                if (!th.ctx[i].done && th.ctx[i].ready_at <= e.t) {
                    th.cur = (int)i;
                    break;
                }
        }
        th.after_core = Next::TakeGil;
        schedule(e.t + wake_latency(), Ev::Wake, th.id, ++th.wake_stamp);
        break;
    }
    case Ev::CDone: {
        Thread& th = threads[(size_t)e.who];
        if (e.stamp != th.c_stamp || th.py != Py::CCode || !th.on_core) break;
        th.clock = e.t;
        take_gil(th, e.t);
        break;
    }
    case Ev::SliceEnd: {
        Thread& th = threads[(size_t)e.who];
        if (e.stamp != th.core_stamp || !th.on_core || runq.empty()) break;
        if (th.py != Py::Running && th.py != Py::CCode) break;
        preempt(th, e.t);
        break;
    }
    }
}


}  // namespace gil::sim
