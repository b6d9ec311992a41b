// sim.cpp — the simulator, part: a run: setting up processes and threads, the main loop, deadlock detection, the result.
// The parts share one Simulator::Impl (sim_internal.h, which has the index of the files).
#include <algorithm>
#include <cassert>

#include "engine/sim/sim_internal.h"

namespace gil::sim {

using namespace detail;

// A process's state: its globals (the program's initial values, or a copy: fork), lists,
// locks and queues of its own, and its GIL.
Proc Simulator::Impl::make_proc(const std::vector<int64_t>* globals) {
    const size_t ng = prog->globals.size();
    Proc p;
    p.has_gil = prof.has_gil;
    if (globals) p.globals = *globals;
    else
        for (const auto& g : prog->globals) p.globals.push_back(g.initial);
    p.gver.assign(ng, 0);
    p.gobj.assign(ng, SharedObj{});
    p.lists.assign(prog->lists.size(), 0);
    p.lobj.assign(prog->lists.size(), SharedObj{});
    p.locks.assign(prog->locks.size(), Lock{});
    p.queues.assign(prog->queues.size(), Queue{});
    p.rt.assign((size_t)std::max(0, prog->rt_lists), {});
    return p;
}

void Simulator::Impl::setup() {
    prog = cfg.program.get();
    assert(prog);
    free_cores = std::max(1, cfg.machine.cores);
    idle_since.assign((size_t)free_cores, 0);
    core_free.assign((size_t)free_cores, 1);
    const size_t ng = prog->globals.size();
    for (size_t i = 0; i < cfg.processes.size(); ++i) procs.push_back(make_proc(nullptr));
    for (const auto& g : prog->globals) shared_mem.push_back(g.initial);
    shared_ver.assign(ng, 0);
    shared_obj.assign(ng, SharedObj{});
    xlocks.assign(prog->locks.size(), Lock{});
    xqueues.assign(prog->queues.size(), Queue{});
    ff_cache.resize(prog->functions.size());
    loop_end.resize(prog->functions.size());
    for (size_t f = 0; f < prog->functions.size(); ++f) {
        const auto& code = prog->functions[f].code;
        ff_cache[f].assign(code.size() + 1, FFCacheEntry{});
        loop_end[f].assign(code.size() + 1, -1);
        for (size_t i = 0; i < code.size(); ++i)
            if (code[i].op == Op::JumpBackward) loop_end[f][(size_t)code[i].b] = (int)i;
    }
    if (cfg.record_trace) {
        trace = std::make_shared<Trace>();
        trace->max_intervals = cfg.trace_max_intervals;
        for (const auto& g : prog->globals) trace->variable_names.push_back(g.name);
        for (const auto& p : cfg.processes) trace->process_names.push_back(p.name);
    }
    for (size_t i = 0; i < cfg.threads.size(); ++i) {
        const ThreadSpec& ts = cfg.threads[i];
        Thread th;
        th.id = (int)i;
        th.proc = ts.process;
        th.loads.assign(ng, LoadRec{});
        th.stats.name = ts.name;
        th.stats.process = ts.process;
        th.start_requested = true;
        th.vc.assign(i + 1, 0);
        th.vc[i] = 1;  // the config's threads: none ordered before another
        if (trace) th.lane = trace->add_lane(ts.name, ts.process);
        threads.push_back(std::move(th));
    }
    for (size_t i = 0; i < cfg.threads.size(); ++i) {
        const ThreadSpec& ts = cfg.threads[i];
        Thread& th = threads[i];
        if (!ts.async_tasks.empty()) {
            th.async_loop = true;
            for (const auto& task : ts.async_tasks) {
                th.ctx.emplace_back();
                th.cur = (int)th.ctx.size() - 1;
                push_frame(th, task.function, task.args.data(), (int)task.args.size());
            }
            th.cur = 0;
        } else {
            th.ctx.emplace_back();
            push_frame(th, ts.function, ts.args.data(), (int)ts.args.size());
        }
    }
    // The parent's first process of a start method costs more than the later ones: a
    // forkserver starts its server first; the first fork copies the parent's page tables
    // while they are all still private; the first spawn warms the file cache for the
    // interpreter it starts (InterpreterProfile::process_first_extra_*).
    bool* first_seen = first_start;
    std::vector<size_t> order(cfg.processes.size());
    for (size_t p = 0; p < order.size(); ++p) order[p] = p;
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return cfg.processes[a].start_at < cfg.processes[b].start_at; });
    for (size_t p : order) {
        const ProcessSpec& ps = cfg.processes[p];
        int64_t t = ps.start_at;
        if (ps.pay_start_cost) {
            const bool first = !first_seen[(int)ps.method];
            first_seen[(int)ps.method] = true;
            t += process_start_cost(prof, ps.method, first);
        }
        schedule(t, Ev::ProcReady, (int)p, 0);
    }
}

std::string Simulator::Impl::describe_deadlock() {
    std::string s;
    for (auto& th : threads) {
        if (th.py == Py::Done || !th.start_requested) continue;
        std::string w = th.stats.name + " waits for ";
        if (th.py == Py::WaitLock && th.wait_lock >= 0) {
            Lock& L = lock_of(th, th.wait_lock);
            w += prog->locks[(size_t)th.wait_lock].name;
            if (L.owner >= 0) w += ", held by " + threads[(size_t)L.owner].stats.name;
        } else if (th.py == Py::WaitQueue && th.wait_queue >= 0) {
            w += "an item in " + prog->queues[(size_t)th.wait_queue].name + ", which stays empty";
        } else if (th.py == Py::WaitThread && th.wait_thread >= 0) {
            w += threads[(size_t)th.wait_thread].stats.name + (th.joining ? " to finish (join)" : " to start");
        } else if (th.py == Py::WaitGil || th.py == Py::ForcedWait) {
            w += "the GIL";
        } else {
            w += "something that never comes";
        }
        s += (s.empty() ? "" : "; ") + w;
    }
    return s;
}

namespace {
thread_local uint64_t t_most_steps = 0;
}

uint64_t take_most_steps() {
    const uint64_t v = t_most_steps;
    t_most_steps = 0;
    return v;
}

SimResult Simulator::Impl::run(const RunControl* ctl) {
    setup();
    uint64_t loops = 0;
    for (;;) {
        ++loops;
        if (ctl && (loops & 1023) == 0 && ctl->cancelled()) {
            res.cancelled = true;
            break;
        }
        if (!res.error.empty()) break;  // the program raised (a RuntimeError from start() or join())
        if (loops > cfg.max_steps || res.step_limit_hit) {
            res.step_limit_hit = true;
            break;
        }
        // Done when every thread is: timers still queued (a waiter's, say) are stale.
        if (done_threads + unstarted == threads.size()) break;
        // Never past the time limit: a thread alone in a loop has no event to stop at.
        const int64_t te_event = next_event_time();
        int64_t te = std::min(te_event, cfg.time_limit_ns + 1);
        events_changed = false;
        // 1. Executing threads whose next instruction takes effect by te go first, in
        //    order of that effect time (ties: lowest thread id).
        Thread* pick = nullptr;
        int64_t best = kInf;
        for (int id : executing) {
            Thread& th = threads[(size_t)id];
            int64_t k = next_effect(th);
            if (k <= te && (k < best || (k == best && pick && th.id < pick->id))) {
                best = k;
                pick = &th;
            }
        }
        if (pick) {
            advance(*pick, te);
            continue;
        }
        if (te_event >= kInf && executing.empty()) break;  // nothing will ever happen: done, or a deadlock
        if (te > cfg.time_limit_ns) {
            res.time_limit_hit = true;
            now = cfg.time_limit_ns;
            break;
        }
        // 2. Everyone running is at te: they are in the middle of an instruction.
        for (int id : executing) {
            Thread& th = threads[(size_t)id];
            if (th.clock < te) {
                th.credit += te - th.clock;
                th.clock = te;
            }
        }
        Event e = events.top();
        events.pop();
        now = e.t;
        handle(e);
    }
    bool all_done = true;
    for (auto& th : threads) all_done &= th.py == Py::Done || !th.start_requested;
    all_done &= res.error.empty();
    // A finished run ends when its last thread did; otherwise where the simulation stopped.
    int64_t end = all_done ? 0 : now;
    for (auto& th : threads)
        if (th.start_requested) end = std::max(end, all_done ? th.stats.done_at : std::max(th.clock, th.shown_since));
    res.completed = all_done;
    if (!all_done && !res.cancelled && !res.time_limit_hit && !res.step_limit_hit && res.error.empty()) {
        res.deadlock = true;
        res.deadlock_report = describe_deadlock();
        if (trace) trace->event(end, EventKind::Deadlock, -1);
    }
    res.end_ns = end;
    find_races(end);
    for (auto& th : threads) {
        th.stats.state_ns[(size_t)th.shown] += end - th.shown_since;
        res.threads.push_back(th.stats);
    }
    for (auto& p : procs) {
        res.globals.push_back(p.globals);
        res.list_lengths.push_back(p.lists);
    }
    res.shared_memory = shared_mem;
    res.steps = loops;
    t_most_steps = std::max(t_most_steps, loops);
    if (trace) {
        trace->finish(end);
        res.trace = trace;
    }
    return std::move(res);
}


Simulator::Simulator(const SimConfig& config, uint64_t seed) : m_(std::make_unique<Impl>(config, seed)) {}
Simulator::~Simulator() = default;
SimResult Simulator::run(const RunControl* ctl) { return m_->run(ctl); }

}  // namespace gil::sim
