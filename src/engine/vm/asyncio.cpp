// asyncio.cpp — coroutines and the event loop: SEND / YIELD_FROM delegate to the awaited
// coroutine (its frame runs on top of the awaiting one), YIELD_VALUE suspends a chain of
// frames up to the task, and asyncio.run's loop resumes tasks in the order CPython's does
// (a FIFO of ready tasks, sleeping tasks by deadline).
#include <algorithm>

#include "engine/vm/vm_internal.h"

namespace gil::vm {

using py::Op;

void Interp::resume_coroutine(VmThread& th, const Value& cv, Value sent, int sender) {
    Coroutine* c = obj_as<Coroutine>(cv);
    if (c->done) raise("RuntimeError", "cannot reuse already awaited coroutine");
    if (c->running) raise("RuntimeError", "coroutine is being awaited already");
    std::unique_ptr<Frame> fr = std::move(c->frame);
    fr->coroutine = cv;
    fr->sender = sender;
    if (c->started) fr->stack.push_back(std::move(sent));
    else {
        c->started = true;
        if (minor >= 10) fr->stack.push_back(Value::none());  // popped by GEN_START / the POP_TOP after RETURN_GENERATOR
    }
    c->running = true;
    th.frames.push_back(std::move(fr));
}

Interp::Step Interp::await_step(VmThread& th, const py::Instruction& in, int at) {
    Frame& f = *th.frames.back();
    f.await_at = at;
    Value val = f.stack.back();
    Value recv = f.stack[f.stack.size() - 2];
    if (obj_as<Coroutine>(recv)) {
        resume_coroutine(th, recv, val, (int)th.frames.size() - 1);
        return Step::Ran;
    }
    Value out;
    if (native_send(*this, th, recv, out)) deliver_yield(th, out);
    else deliver_return(th, out);
    (void)in;
    return Step::Ran;
}

Interp::Step Interp::yield_step(VmThread& th) {
    Frame& f = *th.frames.back();
    Value y = f.stack.back();
    f.stack.pop_back();
    suspend_frame(th, y);
    return Step::Ran;
}

void Interp::suspend_frame(VmThread& th, Value y) {
    std::unique_ptr<Frame> fr = std::move(th.frames.back());
    th.frames.pop_back();
    Coroutine* c = obj_as<Coroutine>(fr->coroutine);
    if (!c) raise("SystemError", "yield outside a coroutine");
    c->running = false;
    const int sender = fr->sender;
    c->frame = std::move(fr);
    if (sender >= 0) {
        deliver_yield(th, std::move(y));
        return;
    }
    EventLoop& loop = *th.loop;
    int task = loop.current;
    loop.current = -1;
    task_waits_for(*this, th, task, y);
}

void Interp::deliver_yield(VmThread& th, Value y) {
    Frame& f = *th.frames.back();
    const py::Instruction& aw = f.co->instructions[(size_t)f.await_at];
    if (aw.op == Op::YIELD_FROM) {
        // 3.9/3.10: the awaiting frame yields too and re-runs YIELD_FROM when resumed.
        f.stack.pop_back();
        f.pc = f.await_at;
        suspend_frame(th, std::move(y));
        return;
    }
    f.stack.back() = std::move(y);  // SEND: YIELD_VALUE, next, passes it up
}

void Interp::deliver_return(VmThread& th, Value r) {
    Frame& f = *th.frames.back();
    const py::Instruction& aw = f.co->instructions[(size_t)f.await_at];
    f.stack.pop_back();  // the value sent
    if (aw.op == Op::YIELD_FROM || minor == 11) f.stack.pop_back();  // the receiver
    f.stack.push_back(std::move(r));
    if (aw.op == Op::SEND) f.pc = aw.target;
}

Interp::Step Interp::task_returned(VmThread& th, Value r) {
    EventLoop& loop = *th.loop;
    const int task = loop.current;
    loop.current = -1;
    EventLoop::Task& t = loop.tasks[(size_t)task];
    t.done = true;
    t.result = r;
    for (int w : t.waiters) {
        EventLoop::Task& wt = loop.tasks[(size_t)w];
        if (wt.waiting.is_null() || wt.done) continue;
        if (gather_done(loop, wt.waiting)) {
            wt.waiting = Value::null();
            loop.ready.push_back(w);
        }
    }
    if (task == 0) {
        // The main coroutine finished: asyncio.run returns its value.
        th.loop.reset();
        th.frames.back()->stack.push_back(std::move(r));
    }
    return Step::Ran;
}

bool Interp::loop_tick(VmThread& th) {
    EventLoop& loop = *th.loop;
    std::sort(loop.timers.begin(), loop.timers.end(), [](const EventLoop::Timer& a, const EventLoop::Timer& b) {
        return a.deadline != b.deadline ? a.deadline < b.deadline : a.seq < b.seq;
    });
    size_t due = 0;
    while (due < loop.timers.size() && loop.timers[due].deadline <= now) loop.ready.push_back(loop.timers[due++].task);
    loop.timers.erase(loop.timers.begin(), loop.timers.begin() + (long)due);
    if (!loop.ready.empty()) {
        int task = loop.ready.front();
        loop.ready.pop_front();
        loop.current = task;
        resume_coroutine(th, loop.tasks[(size_t)task].coro, Value::none(), -1);
        return true;
    }
    if (!loop.timers.empty()) {
        th.state = ThreadState::Sleeping;
        th.wake_at = loop.timers.front().deadline;
        return false;
    }
    fatal = "the event loop has tasks that wait for each other forever";
    return false;
}

}  // namespace gil::vm
