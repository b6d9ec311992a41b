// sched.cpp — VM threads and a small deterministic scheduler for run_python: one GIL per
// run, handed to the next waiting thread at the first check point after a switch interval
// of virtual time (the version's real check points, from the compiled bytecode), or when
// the holder blocks, sleeps or ends. Virtual time advances by a fixed cost per instruction
// and jumps over sleeps when no thread can run.
#include <algorithm>

#include "engine/vm/vm_internal.h"

namespace gil::vm {

VmThread& Interp::spawn(const std::string& name, const Value& func, std::vector<Value> args, int process) {
    if (threads.size() >= opt.max_threads)
        raise("RuntimeError", "can't start new thread: the lab runs at most " + std::to_string(opt.max_threads) + " threads");
    auto t = std::make_unique<VmThread>();
    t->id = (int)threads.size();
    t->name = name;
    t->process = process;
    // The entry function's frame sits on a small base frame that receives its return value.
    auto base = std::make_unique<Frame>();
    base->co = nullptr;
    t->frames.push_back(std::move(base));
    VmThread& th = *t;
    threads.push_back(std::move(t));
    Value out;
    int64_t sl = 0;
    bool pushed = false;
    std::vector<std::pair<std::string, Value>> kw;
    CallStatus s = call(th, func, args, kw, out, sl, pushed);
    if (!pushed) {
        // A native target or an already-finished call: the thread has nothing to run.
        (void)s;
        th.result = out;
        th.frames.clear();
        th.state = ThreadState::Done;
        if (th.on_done) th.on_done(*this, th, th.result);
    }
    return th;
}

int Interp::new_process() {
    // A new interpreter: its own __main__ with a copy of the parent's globals (fork).
    Module* parent = obj_as<Module>(process_modules[0]);
    auto* m = heap.adopt(new Module("__main__"));
    for (auto& [k, v] : parent->ns.slots)
        if (!v.is_null()) m->ns.set(k, v);
    process_modules.push_back(Value::object(m));
    return (int)process_modules.size() - 1;
}

void Interp::print(const std::string& s) {
    if (out.size() + s.size() > opt.max_output_bytes) {
        fatal = "the program printed more than " + std::to_string(opt.max_output_bytes) + " bytes (the lab's limit)";
        return;
    }
    out += s;
}

namespace {

// A thread whose base frame has received its entry function's return value is done.
bool finished_on_base(VmThread& th) { return th.frames.size() == 1 && th.frames[0]->co == nullptr; }

}  // namespace

VmResult run_compiled(const py::Compiled& code, const VmOptions& opt) {
    VmResult r;
    Interp vm(code, opt);
    try {
        vm.install_builtins();
        auto* mainmod = vm.heap.adopt(new Module("__main__"));
        Value mv = Value::object(mainmod);
        mainmod->ns.set("__name__", make_str(vm.heap, "__main__"));
        vm.process_modules.push_back(mv);
        auto main = std::make_unique<VmThread>();
        main->name = "MainThread";
        auto fr = std::make_unique<Frame>();
        fr->co = &code.codes[0];
        fr->code = 0;
        fr->globals = mv;
        fr->locals_ns = mv;
        fr->fast.assign(code.codes[0].varnames.size(), Value::null());
        main->frames.push_back(std::move(fr));
        vm.threads.push_back(std::move(main));
    } catch (const PyError& e) {
        r.error = e.type + ": " + e.message;
        return r;
    }
    // Globals of code run in a process other than the main one come from that process.
    int holder = 0;
    int64_t slice_start = 0;
    size_t rr = 0;  // round-robin position
    auto runnable = [&](VmThread& t) {
        if (t.state == ThreadState::Sleeping && t.wake_at <= vm.now) t.state = ThreadState::Runnable;
        if (t.state == ThreadState::Blocked && t.wait && t.wait()) {
            t.state = ThreadState::Runnable;
            t.wait = nullptr;
        }
        return t.state == ThreadState::Runnable;
    };
    auto pick_next = [&](int after) -> int {
        const size_t n = vm.threads.size();
        for (size_t k = 1; k <= n; ++k) {
            size_t i = ((size_t)after + k) % n;
            if (runnable(*vm.threads[i])) return (int)i;
        }
        return -1;
    };
    for (;;) {
        if (!vm.fatal.empty()) { r.error = vm.fatal; break; }
        if (vm.now > (int64_t)1e18) {
            r.error = "the program's virtual time passed 30 years (the lab's limit)";
            break;
        }
        if (vm.instructions > opt.max_instructions) {
            r.error = "the program ran more than " + std::to_string(opt.max_instructions) + " instructions (the lab's limit)";
            break;
        }
        VmThread* th = holder >= 0 ? vm.threads[(size_t)holder].get() : nullptr;
        if (!th || !runnable(*th)) {
            int next = pick_next(holder < 0 ? 0 : holder);
            if (next < 0) {
                // Nobody can run: jump to the earliest wake-up, or stop.
                int64_t wake = INT64_MAX;
                bool blocked = false;
                for (auto& t : vm.threads) {
                    if (t->state == ThreadState::Sleeping) wake = std::min(wake, t->wake_at);
                    if (t->state == ThreadState::Blocked) blocked = true;
                }
                if (wake != INT64_MAX) {
                    vm.now = std::max(vm.now, wake);
                    continue;
                }
                if (blocked) {
                    r.deadlock = true;
                    r.error = "deadlock: every thread waits for another (";
                    bool first = true;
                    for (auto& t : vm.threads)
                        if (t->state == ThreadState::Blocked) {
                            r.error += (first ? "" : ", ") + t->name;
                            first = false;
                        }
                    r.error += " wait forever)";
                }
                break;
            }
            if (next != holder) {
                if (holder >= 0) ++r.switches;
                holder = next;
                slice_start = vm.now;
            }
            th = vm.threads[(size_t)holder].get();
        }
        (void)rr;
        // An asyncio loop between tasks picks the next ready task.
        if (th->loop && (int)th->frames.size() == th->loop->base && th->loop->current < 0) {
            vm.loop_tick(*th);
            continue;
        }
        if (finished_on_base(*th)) {
            Value v = th->frames[0]->stack.empty() ? Value::none() : th->frames[0]->stack.back();
            th->result = v;
            th->frames.clear();
            th->state = ThreadState::Done;
            if (th->on_done) th->on_done(vm, *th, v);
            continue;
        }
        Interp::Step s = vm.step(*th);
        vm.now += opt.instruction_ns;
        switch (s) {
        case Interp::Step::Ran: break;
        case Interp::Step::CheckPoint:
            // The eval breaker: a pending drop request (the interval is over and someone waits) takes effect.
            if (vm.now - slice_start >= vm.switch_interval_ns || !opt.has_gil) {
                int next = pick_next(holder);
                if (next >= 0 && next != holder) {
                    ++r.switches;
                    holder = next;
                    slice_start = vm.now;
                }
            }
            break;
        case Interp::Step::Blocked: th->state = ThreadState::Blocked; break;
        case Interp::Step::Slept: break;
        case Interp::Step::ThreadDone:
            if (th->on_done) th->on_done(vm, *th, th->result);
            break;
        case Interp::Step::Raised:
            if (th->id == 0) {
                r.error = th->error.empty() ? vm.fatal : th->error;
            } else {
                r.error += "Exception in thread " + th->name + ":\n" + th->error;
            }
            th->state = ThreadState::Done;
            th->frames.clear();
            if (th->on_done) th->on_done(vm, *th, Value::none());
            break;
        }
        if (!opt.has_gil && s == Interp::Step::Ran) {
            int next = pick_next(holder);
            if (next >= 0 && next != holder) holder = next;
        }
        if (s == Interp::Step::Raised && th->id == 0) break;
    }
    r.output = vm.out;
    r.virtual_ns = vm.now;
    r.instructions = vm.instructions;
    r.threads_started = (int)vm.threads.size() - 1;
    r.completed = r.error.empty();
    for (auto& t : vm.threads) r.completed = r.completed && t->state == ThreadState::Done;
    return r;
}

VmResult run_python(const std::string& source, int minor, const VmOptions& opt) {
    try {
        py::Compiled c = py::compile_source(source, minor, "<program>");
        return run_compiled(c, opt);
    } catch (const py::CompileError& e) {
        VmResult r;
        r.error = e.what();
        return r;
    }
}

}  // namespace gil::vm
