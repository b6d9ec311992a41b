// natives.cpp — the builtins and the modelled modules of the lab's Python: print and the
// pure builtins, classes (__build_class__), threading, time, queue, sys,
// concurrent.futures, multiprocessing, asyncio, and C calls that release the GIL
// (hashlib.sha256, numpy.dot, urllib.request.urlopen) with documented costs.
//
// A call that must wait (lock.acquire() on a held lock, t.join(), q.get() on an empty
// queue, fut.result()) returns WouldBlock with VmThread::wait set; the scheduler retries
// the very same instruction when the wait is over, so no call is half done.
// Over ~600 lines: one section per modelled module, each short; a module is one place to read.
#include <cmath>

#include "engine/vm/vm_internal.h"

namespace gil::vm {

namespace {

double seconds_arg(CallCtx& cx, size_t i, const char* fn) {
    if (cx.args.size() <= i) type_error(std::string(fn) + "() missing required argument");
    return float_of(cx.args[i]);
}
// Seconds to virtual nanoseconds, kept within a simulated year so time never overflows.
int64_t to_ns(double s) {
    if (!(s > 0)) return 0;
    if (s > 3.15e7) return (int64_t)3.15e16;
    return (int64_t)std::llround(s * 1e9);
}
Value kwarg(CallCtx& cx, const char* name, Value dflt = Value::none()) {
    for (auto& [k, v] : cx.kwargs)
        if (k == name) return v;
    return dflt;
}

// ------------------------------------------------------------------ threading
struct LockObj : Native {
    bool reentrant = false;
    int owner = -1;
    int count = 0;
    const char* type() const override { return reentrant ? "_thread.RLock" : "_thread.lock"; }
    // Takes the lock for thread `t` if it can.
    bool try_take(int t) {
        if (owner < 0) { owner = t; count = 1; return true; }
        if (reentrant && owner == t) { ++count; return true; }
        return false;
    }
    bool get_attr(Interp& vm, const std::string& name, Value& out) override {
        Value self = Value::object(this);
        if (name == "acquire" || name == "__enter__") {
            const bool enter = name == "__enter__";
            out = vm.new_builtin(name, [this, enter](CallCtx& cx) {
                if (try_take(cx.th.id)) { cx.out = enter ? cx.args[0] : Value::boolean(true); return CallStatus::Done; }
                Value blocking = cx.args.size() > 1 ? cx.args[1] : kwarg(cx, "blocking", Value::boolean(true));
                if (!truthy(blocking)) { cx.out = Value::boolean(false); return CallStatus::Done; }
                cx.th.wait = [this] { return owner < 0; };
                return CallStatus::WouldBlock;
            }, self);
            return true;
        }
        if (name == "release" || name == "__exit__") {
            out = vm.new_builtin(name, [this](CallCtx& cx) {
                if (owner < 0) raise("RuntimeError", reentrant ? "cannot release un-acquired lock" : "release unlocked lock");
                if (reentrant && owner != cx.th.id) raise("RuntimeError", "cannot release un-acquired lock");
                if (--count == 0) owner = -1;
                cx.out = cx.args.size() > 1 ? Value::boolean(false) : Value::none();
                return CallStatus::Done;
            }, self);
            return true;
        }
        if (name == "locked") {
            out = vm.new_builtin(name, [this](CallCtx& cx) { cx.out = Value::boolean(owner >= 0); return CallStatus::Done; }, self);
            return true;
        }
        return false;
    }
};

struct ThreadObj : Native {
    Value target;
    std::vector<Value> args;
    std::vector<std::pair<std::string, Value>> kwargs;
    std::string name;
    int vm_thread = -1;
    bool process = false;
    bool started = false;
    const char* type() const override { return process ? "Process" : "Thread"; }
    void clear_refs() override { target = Value(); args.clear(); kwargs.clear(); }
    bool done(Interp& vm) const { return vm_thread >= 0 && vm.threads[(size_t)vm_thread]->state == ThreadState::Done; }
    bool get_attr(Interp& vm, const std::string& n, Value& out) override {
        Value self = Value::object(this);
        if (n == "start") {
            out = vm.new_builtin(n, [this](CallCtx& cx) {
                if (started) raise("RuntimeError", "threads can only be started once");
                started = true;
                int proc = process ? cx.vm.new_process() : cx.th.process;
                VmThread& t = cx.vm.spawn(name, target, args, proc);
                vm_thread = t.id;
                cx.out = Value::none();
                return CallStatus::Done;
            }, self);
            return true;
        }
        if (n == "join") {
            out = vm.new_builtin(n, [this](CallCtx& cx) {
                if (!started) raise("RuntimeError", "cannot join thread before it is started");
                if (done(cx.vm)) { cx.out = Value::none(); return CallStatus::Done; }
                Interp* vmp = &cx.vm;
                cx.th.wait = [this, vmp] { return done(*vmp); };
                return CallStatus::WouldBlock;
            }, self);
            return true;
        }
        if (n == "is_alive") {
            out = vm.new_builtin(n, [this](CallCtx& cx) { cx.out = Value::boolean(started && !done(cx.vm)); return CallStatus::Done; }, self);
            return true;
        }
        if (n == "name") { out = make_str(vm.heap, name); return true; }
        if (n == "exitcode" && process) { out = done(vm) ? Value::integer(0) : Value::none(); return true; }
        return false;
    }
};

// ------------------------------------------------------------------ queue
struct QueueObj : Native {
    std::deque<Value> items;
    int64_t unfinished = 0;
    const char* type() const override { return "Queue"; }
    void clear_refs() override { items.clear(); }
    bool get_attr(Interp& vm, const std::string& n, Value& out) override {
        Value self = Value::object(this);
        if (n == "put" || n == "put_nowait") {
            out = vm.new_builtin(n, [this](CallCtx& cx) {
                if (cx.args.size() < 2) type_error("put() missing 1 required positional argument: 'item'");
                items.push_back(cx.args[1]);
                ++unfinished;
                cx.out = Value::none();
                return CallStatus::Done;
            }, self);
            return true;
        }
        if (n == "get" || n == "get_nowait") {
            const bool nowait = n == "get_nowait";
            out = vm.new_builtin(n, [this, nowait](CallCtx& cx) {
                if (!items.empty()) {
                    cx.out = items.front();
                    items.pop_front();
                    return CallStatus::Done;
                }
                if (nowait) raise("_queue.Empty", "");
                cx.th.wait = [this] { return !items.empty(); };
                return CallStatus::WouldBlock;
            }, self);
            return true;
        }
        if (n == "empty" || n == "qsize") {
            const bool empty = n == "empty";
            out = vm.new_builtin(n, [this, empty](CallCtx& cx) {
                cx.out = empty ? Value::boolean(items.empty()) : Value::integer((int64_t)items.size());
                return CallStatus::Done;
            }, self);
            return true;
        }
        if (n == "task_done") {
            out = vm.new_builtin(n, [this](CallCtx& cx) {
                if (unfinished <= 0) raise("ValueError", "task_done() called too many times");
                --unfinished;
                cx.out = Value::none();
                return CallStatus::Done;
            }, self);
            return true;
        }
        if (n == "join") {
            out = vm.new_builtin(n, [this](CallCtx& cx) {
                if (unfinished == 0) { cx.out = Value::none(); return CallStatus::Done; }
                cx.th.wait = [this] { return unfinished == 0; };
                return CallStatus::WouldBlock;
            }, self);
            return true;
        }
        return false;
    }
};

// ------------------------------------------------------------------ futures and pools
struct FutureObj : Native {
    bool done = false;
    Value result;
    std::string error;
    const char* type() const override { return "Future"; }
    void clear_refs() override { result = Value(); }
    bool get_attr(Interp& vm, const std::string& n, Value& out) override {
        Value self = Value::object(this);
        if (n == "result") {
            out = vm.new_builtin(n, [this](CallCtx& cx) {
                if (done) {
                    if (!error.empty()) raise("RuntimeError", "the task raised: " + error);
                    cx.out = result;
                    return CallStatus::Done;
                }
                cx.th.wait = [this] { return done; };
                return CallStatus::WouldBlock;
            }, self);
            return true;
        }
        if (n == "done") {
            out = vm.new_builtin(n, [this](CallCtx& cx) { cx.out = Value::boolean(done); return CallStatus::Done; }, self);
            return true;
        }
        return false;
    }
};

// A pool of workers (ThreadPoolExecutor, ProcessPoolExecutor, multiprocessing.Pool): at most
// `workers` tasks run at once, in submission order; each runs as a VM thread (processes get
// their own interpreter).
struct PoolObj : Native {
    int workers = 1;
    bool processes = false;
    bool executor = true;  // concurrent.futures (else multiprocessing.Pool)
    struct Task {
        Value fn;
        std::vector<Value> args;
        Value future;
    };
    std::deque<Task> pending;
    int running = 0;
    std::vector<int> worker_procs;
    const char* type() const override { return processes ? (executor ? "ProcessPoolExecutor" : "Pool") : "ThreadPoolExecutor"; }
    void clear_refs() override { pending.clear(); }

    Value submit(Interp& vm, Value fn, std::vector<Value> args) {
        auto* fut = vm.heap.adopt(new FutureObj());
        Value fv = Value::object(fut);
        pending.push_back({std::move(fn), std::move(args), fv});
        pump(vm);
        return fv;
    }
    void pump(Interp& vm) {
        while (running < workers && !pending.empty()) {
            Task t = std::move(pending.front());
            pending.pop_front();
            ++running;
            int proc = 0;
            if (processes) {
                if ((int)worker_procs.size() < workers) worker_procs.push_back(vm.new_process());
                proc = worker_procs[(size_t)(running - 1) % worker_procs.size()];
            }
            VmThread& th = vm.spawn(processes ? "ForkProcess" : "ThreadPoolExecutor", t.fn, t.args, proc);
            Value fut = t.future;
            th.on_done = [this, fut](Interp& vmi, VmThread& done_th, const Value& r) {
                FutureObj* f = obj_as<FutureObj>(fut);
                f->done = true;
                f->result = r;
                f->error = done_th.error;
                --running;
                pump(vmi);
            };
        }
    }
    bool idle() const { return running == 0 && pending.empty(); }
    bool get_attr(Interp& vm, const std::string& n, Value& out) override {
        Value self = Value::object(this);
        if (n == "submit" || n == "apply_async") {
            out = vm.new_builtin(n, [this](CallCtx& cx) {
                if (cx.args.size() < 2) type_error("submit() missing 1 required positional argument: 'fn'");
                std::vector<Value> rest(cx.args.begin() + 2, cx.args.end());
                if (Tuple* t = obj_as<Tuple>(kwarg(cx, "args", Value::null())); t) rest = t->items;
                cx.out = submit(cx.vm, cx.args[1], rest);
                return CallStatus::Done;
            }, self);
            return true;
        }
        if (n == "map") {
            // Submits every item on the first call; the call is retried until all are done
            // and returns the results in order (a list: the lab has no lazy iterators).
            out = vm.new_builtin(n, [this](CallCtx& cx) {
                auto key = std::make_pair((int)cx.th.frames.size(), cx.th.frames.back()->pc);
                if (cx.th.pending.is_null() || cx.th.pending_key != key) {
                    if (cx.args.size() < 3) type_error("map() missing required argument");
                    std::vector<Value> futs;
                    Value it = iter(cx.vm.heap, cx.args[2]);
                    Value x;
                    while (next_item(cx.vm.heap, *obj_as<Iterator>(it), x)) futs.push_back(submit(cx.vm, cx.args[1], {x}));
                    cx.th.pending = make_list(cx.vm.heap, std::move(futs));
                    cx.th.pending_key = key;
                }
                List* futs = obj_as<List>(cx.th.pending);
                for (auto& f : futs->items)
                    if (!obj_as<FutureObj>(f)->done) {
                        Value keep = cx.th.pending;
                        cx.th.wait = [keep] {
                            for (auto& g : obj_as<List>(keep)->items)
                                if (!obj_as<FutureObj>(g)->done) return false;
                            return true;
                        };
                        return CallStatus::WouldBlock;
                    }
                std::vector<Value> results;
                for (auto& f : futs->items) results.push_back(obj_as<FutureObj>(f)->result);
                cx.th.pending = Value::null();
                cx.out = make_list(cx.vm.heap, std::move(results));
                return CallStatus::Done;
            }, self);
            return true;
        }
        if (n == "__enter__") {
            out = vm.new_builtin(n, [](CallCtx& cx) { cx.out = cx.args[0]; return CallStatus::Done; }, self);
            return true;
        }
        if (n == "__exit__" || n == "shutdown" || n == "join" || n == "close") {
            const bool wait = n != "close";
            out = vm.new_builtin(n, [this, wait](CallCtx& cx) {
                if (!wait || idle()) { cx.out = cx.args.size() > 1 && false ? Value() : Value::none(); if (cx.args.size() > 1) cx.out = Value::boolean(false); return CallStatus::Done; }
                cx.th.wait = [this] { return idle(); };
                return CallStatus::WouldBlock;
            }, self);
            return true;
        }
        return false;
    }
};

// multiprocessing.Value: a number shared by processes; .value reads and writes it.
struct SharedValue : Native {
    Value v;
    Value lock;
    const char* type() const override { return "Synchronized"; }
    void clear_refs() override { v = Value(); lock = Value(); }
    bool get_attr(Interp& vm, const std::string& n, Value& out) override {
        if (n == "value") { out = v; return true; }
        if (n == "get_lock") {
            Value l = lock;
            out = vm.new_builtin(n, [l](CallCtx& cx) { cx.out = l; return CallStatus::Done; });
            return true;
        }
        return false;
    }
    bool set_attr(Interp&, const std::string& n, const Value& x) override {
        if (n != "value") return false;
        v = x;
        return true;
    }
};

// ------------------------------------------------------------------ asyncio
struct SleepAwait : Native {
    int64_t delay = 0;
    int64_t deadline = -1;
    Value result;
    const char* type() const override { return "coroutine"; }
    void clear_refs() override { result = Value(); }
    bool get_attr(Interp&, const std::string&, Value&) override { return false; }
};
struct GatherAwait : Native {
    std::vector<Value> coros;
    std::vector<int> tasks;
    bool started = false;
    const char* type() const override { return "_GatheringFuture"; }
    void clear_refs() override { coros.clear(); }
    bool get_attr(Interp&, const std::string&, Value&) override { return false; }
};

// ------------------------------------------------------------------ C calls that release the GIL
struct Response : Native {
    const char* type() const override { return "HTTPResponse"; }
    bool get_attr(Interp& vm, const std::string& n, Value& out) override {
        if (n == "read") {
            out = vm.new_builtin(n, [](CallCtx& cx) { cx.out = make_bytes(cx.vm.heap, ""); return CallStatus::Done; });
            return true;
        }
        if (n == "status") { out = Value::integer(200); return true; }
        return false;
    }
};

Value module(Interp& vm, const std::string& name) {
    auto* m = vm.heap.adopt(new Module(name));
    Value v = Value::object(m);
    vm.modules[name] = v;
    return v;
}
void def(Interp& vm, Value& mod, const std::string& name, Builtin::Fn fn) {
    obj_as<Module>(mod)->ns.set(name, vm.new_builtin(name, std::move(fn)));
}

Value new_lock(Interp& vm, bool reentrant) {
    auto* l = vm.heap.adopt(new LockObj());
    l->reentrant = reentrant;
    return Value::object(l);
}

CallStatus make_thread(CallCtx& cx, bool process) {
    auto* t = cx.vm.heap.adopt(new ThreadObj());
    t->process = process;
    t->target = kwarg(cx, "target", Value::none());
    if (t->target.is_none() && !cx.args.empty()) t->target = cx.args.size() > 1 ? cx.args[1] : cx.args[0];
    if (Tuple* a = obj_as<Tuple>(kwarg(cx, "args", Value::null()))) t->args = a->items;
    else if (List* l = obj_as<List>(kwarg(cx, "args", Value::null()))) t->args = l->items;
    Value nm = kwarg(cx, "name", Value::null());
    int n = process ? ++cx.vm.process_objects : ++cx.vm.thread_objects;
    std::string target_name;
    if (Function* f = obj_as<Function>(t->target)) target_name = f->name;
    // 3.10+ names a thread after its target too ("Thread-1 (work)"; Lib/threading.py).
    t->name = !nm.is_null() && is_kind(nm, Kind::Str) ? obj_as<Str>(nm)->s
              : std::string(process ? "Process-" : "Thread-") + std::to_string(n) +
                    (!process && cx.vm.minor >= 10 && !target_name.empty() ? " (" + target_name + ")" : "");
    cx.out = Value::object(t);
    return CallStatus::Done;
}

CallStatus make_pool(CallCtx& cx, bool processes, bool executor) {
    auto* p = cx.vm.heap.adopt(new PoolObj());
    p->processes = processes;
    p->executor = executor;
    Value w = kwarg(cx, executor ? "max_workers" : "processes", Value::none());
    if (w.is_none() && !cx.args.empty()) w = cx.args[0];
    p->workers = w.is_none() ? 4 : (int)std::max<int64_t>(1, int64_of(w, "max_workers"));
    cx.out = Value::object(p);
    return CallStatus::Done;
}

}  // namespace

// The awaitable protocol for the natives above (used by SEND / YIELD_FROM in asyncio.cpp's
// part of interp): yields `out` (true) or returns `out` (false).
bool native_send(Interp& vm, VmThread& th, const Value& aw, Value& out) {
    if (SleepAwait* s = obj_as<SleepAwait>(aw)) {
        if (s->deadline < 0) {
            s->deadline = vm.now + s->delay;
            out = aw;
            return true;
        }
        out = s->result;
        return false;
    }
    if (GatherAwait* g = obj_as<GatherAwait>(aw)) {
        EventLoop& loop = *th.loop;
        if (!g->started) {
            g->started = true;
            for (auto& c : g->coros) {
                loop.tasks.push_back({c, 0, false, Value(), {}});
                g->tasks.push_back((int)loop.tasks.size() - 1);
                loop.ready.push_back((int)loop.tasks.size() - 1);
            }
        }
        bool all = true;
        for (int t : g->tasks) all = all && loop.tasks[(size_t)t].done;
        if (!all) {
            out = aw;
            return true;
        }
        std::vector<Value> results;
        for (int t : g->tasks) results.push_back(loop.tasks[(size_t)t].result);
        out = make_list(vm.heap, std::move(results));
        return false;
    }
    type_error("object " + type_name(aw) + " can't be used in 'await' expression");
}

// What a task that yielded `y` waits for: the loop puts it back on the ready queue then.
void task_waits_for(Interp& vm, VmThread& th, int task, const Value& y) {
    EventLoop& loop = *th.loop;
    if (SleepAwait* s = obj_as<SleepAwait>(y)) {
        if (s->deadline <= vm.now) loop.ready.push_back(task);
        else loop.timers.push_back({s->deadline, loop.seq++, task});
        return;
    }
    if (GatherAwait* g = obj_as<GatherAwait>(y)) {
        if (gather_done(loop, y)) {
            loop.ready.push_back(task);
            return;
        }
        loop.tasks[(size_t)task].waiting = y;
        for (int t : g->tasks) loop.tasks[(size_t)t].waiters.push_back(task);
        return;
    }
    loop.ready.push_back(task);
}

bool gather_done(const EventLoop& loop, const Value& gv) {
    GatherAwait* g = obj_as<GatherAwait>(gv);
    if (!g) return true;
    for (int t : g->tasks)
        if (!loop.tasks[(size_t)t].done) return false;
    return true;
}

void Interp::install_builtins() {
    builtins = Value::object(heap.adopt(new Module("builtins")));
    Module* b = obj_as<Module>(builtins);
    for (const char* n : {"len", "abs", "min", "max", "sum", "sorted", "reversed", "round", "divmod", "pow", "repr", "str",
                          "int", "float", "bool", "list", "tuple", "dict", "set", "enumerate", "zip", "range", "hash",
                          "chr", "ord", "any", "all", "isinstance"}) {
        std::string name = n;
        if (!is_pure_builtin(name)) continue;
        b->ns.set(name, new_builtin(name, [name](CallCtx& cx) {
            cx.out = call_pure_builtin(cx.vm.heap, name, cx.args, cx.kwargs);
            return CallStatus::Done;
        }));
    }
    b->ns.set("print", new_builtin("print", [](CallCtx& cx) {
        std::string sep = " ", end = "\n";
        for (auto& [k, v] : cx.kwargs) {
            if (k == "sep" && !v.is_none()) sep = str(v);
            else if (k == "end" && !v.is_none()) end = str(v);
            else if (k != "flush" && k != "sep" && k != "end") type_error("'" + k + "' is an invalid keyword argument for print()");
        }
        std::string line;
        for (size_t i = 0; i < cx.args.size(); ++i) {
            if (i) line += sep;
            line += str(cx.args[i]);
        }
        cx.vm.print(line + end);
        cx.out = Value::none();
        return CallStatus::Done;
    }));
    b->ns.set("__build_class__", new_builtin("__build_class__", [](CallCtx& cx) {
        // __build_class__(body, name): runs the class body with the new class as its namespace.
        Function* body = obj_as<Function>(cx.args[0]);
        auto* c = cx.vm.heap.adopt(new Class());
        c->name = str(cx.args[1]);
        c->qualname = body->qualname;
        Value cv = Value::object(c);
        std::vector<Value> none;
        cx.vm.push_function_frame(cx.th, cx.args[0], none, {});
        Frame& fr = *cx.th.frames.back();
        fr.locals_ns = cv;
        fr.class_body = true;
        fr.has_override = true;
        fr.override = cv;
        return CallStatus::Started;
    }));
}

bool Interp::import_module(const std::string& name, Value& out) {
    auto it = modules.find(name);
    if (it != modules.end()) { out = it->second; return true; }
    if (name == "threading") {
        Value m = module(*this, name);
        def(*this, m, "Thread", [](CallCtx& cx) { return make_thread(cx, false); });
        def(*this, m, "Lock", [](CallCtx& cx) { cx.out = new_lock(cx.vm, false); return CallStatus::Done; });
        def(*this, m, "RLock", [](CallCtx& cx) { cx.out = new_lock(cx.vm, true); return CallStatus::Done; });
        def(*this, m, "active_count", [](CallCtx& cx) {
            int64_t n = 0;
            for (auto& t : cx.vm.threads) n += t->state != ThreadState::Done;
            cx.out = Value::integer(n);
            return CallStatus::Done;
        });
        out = m;
        return true;
    }
    if (name == "time") {
        Value m = module(*this, name);
        def(*this, m, "sleep", [](CallCtx& cx) {
            double s = seconds_arg(cx, 0, "sleep");
            if (s < 0) raise("ValueError", "sleep length must be non-negative");
            cx.out = Value::none();
            cx.sleep_ns = to_ns(s);
            return CallStatus::Sleep;
        });
        for (const char* n : {"perf_counter", "monotonic", "time"}) {
            const bool wall = std::string(n) == "time";
            def(*this, m, n, [wall](CallCtx& cx) {
                cx.out = Value::real((double)cx.vm.now * 1e-9 + (wall ? 1.7e9 : 0.0));
                return CallStatus::Done;
            });
        }
        out = m;
        return true;
    }
    if (name == "queue") {
        Value m = module(*this, name);
        def(*this, m, "Queue", [](CallCtx& cx) { cx.out = Value::object(cx.vm.heap.adopt(new QueueObj())); return CallStatus::Done; });
        out = m;
        return true;
    }
    if (name == "sys") {
        Value m = module(*this, name);
        def(*this, m, "setswitchinterval", [](CallCtx& cx) {
            double s = seconds_arg(cx, 0, "setswitchinterval");
            if (!(s > 0)) raise("ValueError", "switch interval must be strictly positive");
            cx.vm.switch_interval_ns = std::max<int64_t>(1, to_ns(s));
            cx.out = Value::none();
            return CallStatus::Done;
        });
        def(*this, m, "getswitchinterval", [](CallCtx& cx) { cx.out = Value::real((double)cx.vm.switch_interval_ns * 1e-9); return CallStatus::Done; });
        out = m;
        return true;
    }
    if (name == "concurrent" || name == "concurrent.futures") {
        Value c = modules.count("concurrent") ? modules["concurrent"] : module(*this, "concurrent");
        Value f = module(*this, "concurrent.futures");
        def(*this, f, "ThreadPoolExecutor", [](CallCtx& cx) { return make_pool(cx, false, true); });
        def(*this, f, "ProcessPoolExecutor", [](CallCtx& cx) { return make_pool(cx, true, true); });
        obj_as<Module>(c)->ns.set("futures", f);
        out = name == "concurrent" ? c : f;
        return true;
    }
    if (name == "multiprocessing") {
        Value m = module(*this, name);
        def(*this, m, "Process", [](CallCtx& cx) { return make_thread(cx, true); });
        def(*this, m, "Lock", [](CallCtx& cx) { cx.out = new_lock(cx.vm, false); return CallStatus::Done; });
        def(*this, m, "RLock", [](CallCtx& cx) { cx.out = new_lock(cx.vm, true); return CallStatus::Done; });
        def(*this, m, "Queue", [](CallCtx& cx) { cx.out = Value::object(cx.vm.heap.adopt(new QueueObj())); return CallStatus::Done; });
        def(*this, m, "Pool", [](CallCtx& cx) { return make_pool(cx, true, false); });
        def(*this, m, "cpu_count", [](CallCtx& cx) { cx.out = Value::integer(2); return CallStatus::Done; });
        def(*this, m, "Value", [](CallCtx& cx) {
            auto* v = cx.vm.heap.adopt(new SharedValue());
            v->v = cx.args.size() > 1 ? cx.args[1] : Value::integer(0);
            v->lock = new_lock(cx.vm, true);
            cx.out = Value::object(v);
            return CallStatus::Done;
        });
        out = m;
        return true;
    }
    if (name == "asyncio") {
        Value m = module(*this, name);
        def(*this, m, "sleep", [](CallCtx& cx) {
            auto* s = cx.vm.heap.adopt(new SleepAwait());
            s->delay = to_ns(seconds_arg(cx, 0, "sleep"));
            if (cx.args.size() > 1) s->result = cx.args[1];
            cx.out = Value::object(s);
            return CallStatus::Done;
        });
        def(*this, m, "gather", [](CallCtx& cx) {
            auto* g = cx.vm.heap.adopt(new GatherAwait());
            g->coros = cx.args;
            cx.out = Value::object(g);
            return CallStatus::Done;
        });
        def(*this, m, "run", [](CallCtx& cx) {
            if (cx.th.loop) raise("RuntimeError", "asyncio.run() cannot be called from a running event loop");
            if (!obj_as<Coroutine>(cx.args.empty() ? Value() : cx.args[0])) type_error("a coroutine was expected");
            auto loop = std::make_shared<EventLoop>();
            loop->base = (int)cx.th.frames.size();
            loop->tasks.push_back({cx.args[0], 0, false, Value(), {}});
            loop->ready.push_back(0);
            cx.th.loop = loop;
            return CallStatus::Started;
        });
        out = m;
        return true;
    }
    if (name == "hashlib") {
        Value m = module(*this, name);
        def(*this, m, "sha256", [](CallCtx& cx) {
            // Releases the GIL for inputs over 2047 bytes (Modules/sha2module.c); about 2 ns a byte here.
            int64_t n = cx.args.empty() ? 0 : length(cx.args[0]);
            cx.out = Value::none();
            cx.sleep_ns = 200 + 2 * n;
            return CallStatus::Sleep;
        });
        out = m;
        return true;
    }
    if (name == "numpy") {
        Value m = module(*this, name);
        def(*this, m, "dot", [](CallCtx& cx) {
            // A BLAS kernel: releases the GIL; the product of two sequences of numbers.
            if (cx.args.size() < 2) type_error("dot() missing required argument");
            double s = 0;
            int64_t n = 0;
            Value ia = iter(cx.vm.heap, cx.args[0]), ib = iter(cx.vm.heap, cx.args[1]);
            Value a, b;
            while (next_item(cx.vm.heap, *obj_as<Iterator>(ia), a) && next_item(cx.vm.heap, *obj_as<Iterator>(ib), b)) {
                s += float_of(a) * float_of(b);
                ++n;
            }
            cx.out = Value::real(s);
            cx.sleep_ns = 1000 + n;
            return CallStatus::Sleep;
        });
        out = m;
        return true;
    }
    if (name == "urllib" || name == "urllib.request") {
        Value u = modules.count("urllib") ? modules["urllib"] : module(*this, "urllib");
        Value r = module(*this, "urllib.request");
        def(*this, r, "urlopen", [](CallCtx& cx) {
            // The lab has no network: a blocking request of 50 ms, an empty body.
            cx.out = Value::object(cx.vm.heap.adopt(new Response()));
            cx.sleep_ns = 50'000'000;
            return CallStatus::Sleep;
        });
        obj_as<Module>(u)->ns.set("request", r);
        out = name == "urllib" ? u : r;
        return true;
    }
    return false;
}

}  // namespace gil::vm
