// sim_gil.cpp — the simulator, part: the GIL after Python/ceval_gil.c (timed wait, drop request, forced switching), threading locks and queues.
// The parts share one Simulator::Impl (sim_internal.h, which has the index of the files).
#include <algorithm>
#include <cassert>

#include "engine/sim/sim_internal.h"

namespace gil::sim {

using namespace detail;

void Simulator::Impl::take_gil(Thread& th, int64_t t) {
    Proc& p = procs[(size_t)th.proc];
    if (!p.has_gil) {
        note_running(th, t);
        start_executing(th, t);
        return;
    }
    Gil& g = p.gil;
    if (!g.locked) {
        acquire_gil(th, t);
        return;
    }
    // COND_TIMED_WAIT(gil->cond, interval)
    th.py = Py::WaitGil;
    th.last_off = std::max(th.last_off, t);
    g.waiters.push_back(th.id);
    th.gil_wait_start = t;
    ++th.gil_stamp;
    rearm_drop_timer(th.proc, t);
    release_core(th, t);
    update_shown(th, t);
}

// Every waiter sits in COND_TIMED_WAIT(interval) in a loop; a timeout sets the drop
// request when no switch happened since that waiter's previous timeout (or since it
// started waiting). Timeouts that find a switch only restart the wait. So instead of
// one event per waiter per interval (most of them no-ops), one timer per process
// fires at the earliest timeout that will set the request. Same result, far fewer
// events at tiny intervals.
void Simulator::Impl::rearm_drop_timer(int proc, int64_t now_t) {
    Gil& g = procs[(size_t)proc].gil;
    ++g.timer_stamp;
    // Timeouts while the GIL is free do nothing; acquire_gil re-arms.
    if (g.drop_request || g.waiters.empty() || !g.locked) return;
    const int64_t iv = std::max<int64_t>(1, cfg.switch_interval_ns);
    int64_t best = kInf;
    for (int id : g.waiters) {
        const Thread& w = threads[(size_t)id];
        // Timeouts of w happen at wait_start + k*iv, k >= 1; it sets the request at
        // the first one whose previous timeout (k-1) is at or after the last switch.
        int64_t need_prev = std::max(g.last_switch, w.gil_wait_start);
        int64_t k_prev = need_prev <= w.gil_wait_start ? 0 : (need_prev - w.gil_wait_start + iv - 1) / iv;
        int64_t tau = w.gil_wait_start + (k_prev + 1) * iv;
        if (tau < now_t) tau = w.gil_wait_start + ((now_t - w.gil_wait_start + iv - 1) / iv) * iv;
        best = std::min(best, tau);
    }
    // The timed wait returns late by the OS's timer slack, as time.sleep does
    // (sleep_overshoot_ns; a futex wait with a timeout is slacked as clock_nanosleep is).
    if (best < kInf) schedule(best + wait_overshoot_ns, Ev::DropTimer, proc, g.timer_stamp);
}

void Simulator::Impl::note_running(Thread& th, int64_t t) {
    if (th.io_done_at >= 0) {
        res.io_wake_latency_ns.push_back(t - th.io_done_at);
        th.io_done_at = -1;
    }
}

void Simulator::Impl::acquire_gil(Thread& th, int64_t t) {
    Proc& p = procs[(size_t)th.proc];
    Gil& g = p.gil;
    g.locked = true;
    g.holder = th.id;
    ++res.gil_acquisitions;
    ++th.stats.gil_acquisitions;
    bool switched = false;
    if (g.last_holder != th.id) {
        int prev = g.last_holder;
        switched = prev >= 0;
        g.last_holder = th.id;
        ++g.switch_number;
        g.last_switch = t;
        if (prev >= 0) ++res.gil_switches;
        trace_event(t, EventKind::GilTake, th.lane, prev >= 0 ? threads[(size_t)prev].lane : -1);
    }
    // FORCE_SWITCHING: the thread that dropped the GIL on request waits for this.
    if (g.forced_waiter >= 0 && g.forced_waiter != th.id) {
        Thread& f = threads[(size_t)g.forced_waiter];
        g.forced_waiter = -1;
        f.after_core = Next::TakeGil;
        schedule(t + wake_latency(), Ev::Wake, f.id, ++f.wake_stamp);
    }
    if (g.drop_request) g.drop_request = false;  // RESET_GIL_DROP_REQUEST in take_gil
    rearm_drop_timer(th.proc, t);
    start_executing(th, t);
    // A hand-off from another thread costs the new holder time before its first instruction
    // (part of the wake-up latency a thread back from I/O sees) when the core it woke on had
    // been idle longer than the halt-polling window, so that core had halted. On a busy machine
    // (a lock convoy, a process pool's threads and workers on two cores) a woken thread finds a
    // core that was working a moment ago and pays none.
    const int64_t idle = th.core_idle_ns;
    th.core_idle_ns = 0;
    if (switched && prof.gil_handoff_ns > 0 && idle > cfg.machine.halt_poll_ns) th.clock += prof.gil_handoff_ns;
    note_running(th, th.clock);
}

// drop_gil: releases the GIL and signals one waiter. Returns true when the thread must
// now wait for the hand-off (FORCE_SWITCHING, only when dropping on request).
bool Simulator::Impl::drop_gil(Thread& th, int64_t t, bool on_request) {
    Proc& p = procs[(size_t)th.proc];
    if (!p.has_gil) return false;
    Gil& g = p.gil;
    if (!g.locked || g.holder != th.id) return false;
    g.locked = false;
    g.holder = -1;
    g.last_holder = th.id;
    th.last_off = t;
    ++g.timer_stamp;  // no drop request can be set while the GIL is free
    if (!g.waiters.empty()) {  // COND_SIGNAL: wakes one waiter (FIFO)
        Thread& w = threads[(size_t)g.waiters.front()];
        g.waiters.pop_front();
        ++w.gil_stamp;  // its timed wait is over
        // Each COND_TIMED_WAIT(interval) returns a timer slack late, then the next begins.
        res.timed_wait_expiries += (uint64_t)((t - w.gil_wait_start) /
                                              std::max<int64_t>(1, cfg.switch_interval_ns + wait_overshoot_ns));
        rearm_drop_timer(th.proc, t);
        w.after_core = Next::TakeGil;
        schedule(t + wake_latency(), Ev::Wake, w.id, ++w.wake_stamp);
    }
    // NOT A BUG: CPython's drop_gil also waits for the hand-off when a drop request is
    // pending at an I/O release; the lab models that wait only for the eval-breaker
    // drop, where it decides who runs next (docs/fidelity.md).
    if (on_request && g.drop_request) {
        g.drop_request = false;
        g.forced_waiter = th.id;
        rearm_drop_timer(th.proc, t);
        return true;
    }
    return false;
}

void Simulator::Impl::lock_acquire(Thread& th, int l, int64_t t) {
    Lock& L = lock_of(th, l);
    if (L.owner == th.id && prog->locks[(size_t)l].reentrant) {  // RLock: its owner takes it again
        ++L.depth;
        return;
    }
    if (L.owner < 0) {
        L.owner = th.id;
        th.held |= lock_bit(l);
        return;
    }
    ++res.lock_contended;
    trace_event(t, EventKind::WaitFor, th.lane, l, threads[(size_t)L.owner].lane);  // who it waits for (wait blame)
    th.wait_lock = l;
    th.block_start = t;
    L.waiters.push_back(th.id);
    block(th, t, Py::WaitLock);
}

void Simulator::Impl::lock_release(Thread& th, int l, int64_t t) {
    Lock& L = lock_of(th, l);
    if (L.owner == th.id && L.depth > 0 && prog->locks[(size_t)l].reentrant) {
        --L.depth;
        return;
    }
    // A Lock (not an RLock) may be released by a thread that does not hold it (a wake-up
    // channel): the holder no longer holds it.
    if (L.owner >= 0) threads[(size_t)L.owner].held &= ~lock_bit(l);
    L.owner = -1;
    th.held &= ~lock_bit(l);
    // sem_post makes its futex_wake system call whenever the semaphore counts a waiter (asleep,
    // or woken and not yet back): the releaser pays it, with the lock already free.
    if (!L.waiters.empty() || L.pending_wakers > 0) th.clock += prof.lock_wake_ns;
    if (!L.waiters.empty()) {  // sem_post wakes one waiter; it must still win the lock
        L.last_release_lane = th.lane;
        Thread& w = threads[(size_t)L.waiters.front()];
        L.waiters.pop_front();
        ++L.pending_wakers;
        w.after_core = Next::RetryLock;
        schedule(t + wake_latency(), Ev::Wake, w.id, ++w.wake_stamp);
    }
}

void Simulator::Impl::retry_lock(Thread& th, int64_t t) {
    Lock& L = lock_of(th, th.wait_lock);
    --L.pending_wakers;
    if (L.owner < 0) {
        L.owner = th.id;
        th.held |= lock_bit(th.wait_lock);
        res.lock_wait_ns.push_back(t - th.block_start);
        ++res.lock_handoffs;
        trace_event(t, EventKind::LockHandoff, th.lane, th.wait_lock, L.last_release_lane);
        th.wait_lock = -1;
        take_gil(th, t);  // Py_END_ALLOW_THREADS
    } else {
        L.waiters.push_back(th.id);
        th.py = Py::WaitLock;
        release_core(th, t);
        update_shown(th, t);
    }
}

void Simulator::Impl::queue_put(Thread& th, int q, int64_t v, int64_t t) {
    Queue& Q = queue_of(th, q);
    Q.items.push_back(v);
    if (!Q.getters.empty() && Q.pending_wakers < (int)Q.items.size()) {
        Thread& w = threads[(size_t)Q.getters.front()];
        Q.getters.pop_front();
        ++Q.pending_wakers;
        w.after_core = Next::RetryQueue;
        int64_t lat = wake_latency() + (prog->queues[(size_t)q].cross_process ? prof.pipe_latency_ns : 0);
        schedule(t + lat, Ev::Wake, w.id, ++w.wake_stamp);
    }
}

bool Simulator::Impl::queue_try_get(Thread& th, int q, int64_t t) {
    Queue& Q = queue_of(th, q);
    if (Q.items.empty()) return false;
    th.c().stack.push_back(Q.items.front());
    Q.items.pop_front();
    (void)t;
    return true;
}

void Simulator::Impl::retry_queue(Thread& th, int64_t t) {
    Queue& Q = queue_of(th, th.wait_queue);
    --Q.pending_wakers;
    if (queue_try_get(th, th.wait_queue, t)) {
        if (prog->queues[(size_t)th.wait_queue].cross_process)
            th.clock = t + pickle_cost(prog->queues[(size_t)th.wait_queue].item_bytes);  // unpickle
        th.wait_queue = -1;
        take_gil(th, std::max(t, th.clock));
    } else {
        Q.getters.push_back(th.id);
        th.py = Py::WaitQueue;
        release_core(th, t);
        update_shown(th, t);
    }
}

// ------------------------------------------------------------------ module code's threads

// threading.Thread(target=fn, args=...): a new thread of the parent's process, not started.
int Simulator::Impl::new_thread(Thread& parent, int fn, const int64_t* args, int nargs, int proc, const std::string* name) {
    if (threads.size() >= cfg.max_threads) {
        res.error = "RuntimeError: can't start new thread (the lab's simulator runs at most " +
                    std::to_string(cfg.max_threads) + " threads)";
        return -1;
    }
    Thread nt;
    nt.id = (int)threads.size();
    nt.proc = proc >= 0 ? proc : parent.proc;
    nt.loads.assign(prog->globals.size(), LoadRec{});
    if (name) {
        nt.stats.name = *name;
    } else {
        // CPython's default names count every Thread() made; 3.10+ add the target's name.
        ++thread_names;
        nt.stats.name = "Thread-" + std::to_string(thread_names);
        if (prog->minor >= 10) nt.stats.name += " (" + prog->functions[(size_t)fn].py_name() + ")";
    }
    nt.stats.process = nt.proc;
    if (trace) nt.lane = trace->add_lane(nt.stats.name, nt.proc);
    threads.push_back(std::move(nt));  // a deque: `parent` stays valid
    Thread& th = threads.back();
    th.ctx.emplace_back();
    push_frame(th, fn, args, nargs);
    ++unstarted;
    return th.id;
}

// multiprocessing.Process(target=fn, args=...): a new process (not started) whose main thread
// runs fn; the handle is that thread's. Its globals are copied from the parent at start().
int Simulator::Impl::new_process(Thread& parent, int fn, const int64_t* args, int nargs) {
    const int pid = (int)procs.size();
    procs.push_back(make_proc(nullptr));
    // CPython's default names: Process-1, Process-2 (one counter per parent).
    ++process_names;
    const std::string name = "Process-" + std::to_string(process_names);
    if (trace) trace->process_names.push_back(name);
    const int h = new_thread(parent, fn, args, nargs, pid, &name);
    if (h < 0) return -1;
    threads[(size_t)h].process_main = true;
    return h;
}

// Thread.start(): the new thread is created (thread_start_ns) and the caller waits on its
// _started event, with the GIL released, until the new thread has run its bootstrap.
// Returns false when the caller blocked (or the program raised).
bool Simulator::Impl::thread_start(Thread& th, int h, int64_t t) {
    if (h < 0 || h >= (int)threads.size() || h == th.id) {
        res.error = "RuntimeError: start() of something that is not a thread";
        return false;
    }
    Thread& c = threads[(size_t)h];
    if (c.start_requested) {
        res.error = "RuntimeError: threads can only be started once (" + c.stats.name + ")";
        return false;
    }
    c.start_requested = true;
    --unstarted;
    vc_started(th, c);
    if (c.process_main) {
        // Process.start(): fork copies the parent's memory now (spawn and forkserver start a
        // fresh interpreter that imports the module again: its globals as the program sets
        // them, which the copy also gives for these programs). The child is ready after the
        // start cost of its method (the parent's first start of a method costs more); start()
        // returns to the parent at once.
        Proc& child = procs[(size_t)c.proc];
        child.globals = procs[(size_t)th.proc].globals;
        const StartMethod m = cfg.start_method;
        const bool first = !first_start[(int)m];
        first_start[(int)m] = true;
        schedule(t + process_start_cost(prof, m, first), Ev::ProcReady, c.proc, 0);
        return true;
    }
    c.starter = th.id;
    th.wait_thread = h;
    th.joining = false;
    Proc& here = procs[(size_t)th.proc];
    const int64_t first = here.thread_started ? 0 : prof.thread_first_extra_ns;
    here.thread_started = true;
    schedule(t + prof.thread_start_ns + first, Ev::ThreadStart, h, 0);
    block(th, t, Py::WaitThread);
    return false;
}

// Thread.join(): returns at once when the thread has finished; else blocks until it does.
bool Simulator::Impl::thread_join(Thread& th, int h, int64_t t) {
    if (h < 0 || h >= (int)threads.size()) {
        res.error = "RuntimeError: join() of something that is not a thread";
        return false;
    }
    if (h == th.id) {
        res.error = "RuntimeError: cannot join current thread";
        return false;
    }
    Thread& c = threads[(size_t)h];
    if (!c.start_requested) {
        res.error = "RuntimeError: cannot join thread before it is started (" + c.stats.name + ")";
        return false;
    }
    if (c.py == Py::Done) {
        vc_joined(th, c);
        return true;
    }
    c.joiners.push_back(th.id);
    trace_event(t, EventKind::WaitFor, th.lane, -1, c.lane);
    th.wait_thread = h;
    th.joining = true;
    block(th, t, Py::WaitThread);
    return false;
}

// What it waited for happened: it wakes up and takes the GIL again (Py_END_ALLOW_THREADS).
void Simulator::Impl::wake_waiter(Thread& w, int64_t t) {
    if (w.py != Py::WaitThread) return;
    w.wait_thread = -1;
    w.after_core = Next::TakeGil;
    schedule(t + wake_latency(), Ev::Wake, w.id, ++w.wake_stamp);
}

// Releases the GIL (Py_BEGIN_ALLOW_THREADS) and blocks.
void Simulator::Impl::block(Thread& th, int64_t t, Py why) {
    set_executing(th, false);
    drop_gil(th, t, false);
    th.py = why;
    release_core(th, t);
    update_shown(th, t);
}


}  // namespace gil::sim
