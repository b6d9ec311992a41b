// vm_internal.h — the VM's insides shared by interp.cpp (instructions), natives.cpp
// (modelled modules and builtins) and sched.cpp (threads, virtual time, run_python).
// Not for use outside src/engine/vm.
#pragma once
#include <deque>
#include <functional>
#include <map>
#include <type_traits>

#include "engine/vm/interp.h"
#include "engine/vm/ops.h"

namespace gil::vm {

struct Interp;
struct VmThread;

// A Python function: a code object plus what MAKE_FUNCTION gave it.
struct Function : Obj {
    Function() : Obj(Kind::Function) {}
    int code = -1;                 // index into Compiled::codes
    Value module;                  // its globals (a Module)
    std::vector<Value> defaults;
    std::vector<Value> closure;    // Cells
    std::string name, qualname;
    void clear_refs() override { module = Value(); defaults.clear(); closure.clear(); }
};

struct Cell : Obj {
    Cell() : Obj(Kind::Cell) {}
    Value v = Value::null();
    void clear_refs() override { v = Value(); }
};

// What a native call did.
enum class CallStatus : uint8_t {
    Done,       // result is in `out`
    WouldBlock, // the thread must wait (VmThread::wait says for what); the call is retried on wake-up
    Sleep,      // result in `out`; the thread sleeps for `sleep_ns` first
    Started,    // a coroutine frame was pushed (asyncio); nothing to push now
};
struct CallCtx {
    Interp& vm;
    VmThread& th;
    std::vector<Value>& args;
    std::vector<std::pair<std::string, Value>>& kwargs;
    Value out;
    int64_t sleep_ns = 0;
};

// A builtin function or method of a modelled object.
struct Builtin : Obj {
    using Fn = std::function<CallStatus(CallCtx&)>;
    Builtin(std::string n, Fn f, Value self_ = Value::null()) : Obj(Kind::Builtin), name(std::move(n)), fn(std::move(f)), self(std::move(self_)) {}
    std::string name;
    Fn fn;
    Value self;  // bound: passed as args[0]
    bool releases_gil = false;  // the call waits or computes without the GIL
    void clear_refs() override { self = Value(); fn = nullptr; }
};

// Objects of the modelled modules (threads, locks, queues, futures, executors, ...).
struct Native : Obj {
    Native() : Obj(Kind::Native) {}
    virtual const char* type() const = 0;
    // Attribute lookup (methods bound to this object, or data such as x.value).
    virtual bool get_attr(Interp& vm, const std::string& name, Value& out) = 0;
    virtual bool set_attr(Interp&, const std::string&, const Value&) { return false; }
};

struct Frame {
    const py::CodeObject* co = nullptr;
    int code = -1;
    int pc = 0;
    std::vector<Value> fast;       // varnames, then cells, then frees (3.11+ layout; used for all)
    std::vector<Value> stack;
    Value globals;                 // Module
    Value locals_ns;               // Module or Class whose namespace LOAD_NAME/STORE_NAME use
    Value kwnames = Value::null(); // 3.11/3.12 KW_NAMES for the next CALL
    struct WithBlock { int handler; size_t depth; };
    std::vector<WithBlock> blocks; // 3.9/3.10 SETUP_WITH
    Value func;                    // the Function running (for errors)
    Value coroutine = Value::null();  // this frame belongs to a coroutine object
    bool class_body = false;
    bool has_override = false;     // the call's value is `override`, not the return value
    Value override;                // class body: the Class; __init__: the instance
    int sender = -1;               // coroutine frames: index of the frame awaiting it, -1 = a task of the loop
    int await_at = -1;             // the SEND / YIELD_FROM this frame is awaiting at
    bool check_on_return = false;  // the call that pushed it checks after it returns (py::Instruction::check_after_return)
};

// A coroutine (async def called): a frame that suspends at await.
struct Coroutine : Obj {
    Coroutine() : Obj(Kind::Generator) {}
    std::unique_ptr<Frame> frame;
    bool started = false, done = false, running = false;
    Value result;
    std::string name;
    // The frame refers back to this coroutine (Frame::coroutine): drop it whole to break the cycle.
    void clear_refs() override { frame.reset(); result = Value(); }
};

enum class ThreadState : uint8_t { Runnable, Blocked, Sleeping, Done };

struct VmThread {
    int id = 0;
    std::string name;
    int process = 0;               // its interpreter (multiprocessing gives each process its own)
    std::vector<std::unique_ptr<Frame>> frames;
    ThreadState state = ThreadState::Runnable;
    int64_t wake_at = 0;
    std::function<bool()> wait;    // Blocked: true when it may retry
    Value result;                  // the return value of its entry function
    Value thread_obj;              // the threading.Thread it runs (or null)
    std::function<void(Interp&, VmThread&, const Value&)> on_done;  // pools: deliver the result
    std::string error;             // an uncaught exception ended it
    // asyncio: the event loop this thread runs (null when none).
    std::shared_ptr<struct EventLoop> loop;
    // A call that started work and is retried until it is done (pool.map): its state, and
    // which call it belongs to (frame depth, pc after the call).
    Value pending = Value::null();
    std::pair<int, int> pending_key{-1, -1};
};

struct EventLoop {
    struct Task {
        Value coro;
        int64_t ready_at = 0;
        bool done = false;
        Value result;
        std::vector<int> waiters;    // tasks waiting for this one (gather)
        Value waiting = Value::null();  // the gather this task waits on
    };
    struct Timer {
        int64_t deadline;
        uint64_t seq;
        int task;
    };
    std::vector<Task> tasks;
    std::deque<int> ready;           // FIFO, like the loop's call_soon queue
    std::vector<Timer> timers;       // sleeping tasks, by (deadline, seq)
    uint64_t seq = 0;
    int base = 0;                    // frames below the loop (the caller of asyncio.run)
    int current = -1;                // the task running now
};

struct Interp {
    const py::Compiled& code;
    VmOptions opt;
    Heap heap;
    int minor;
    std::vector<std::unique_ptr<VmThread>> threads;
    std::vector<Value> process_modules;  // per process: the __main__ module
    Value builtins;                      // Module of builtins
    std::map<std::string, Value> modules;  // modelled modules by name
    std::string out;
    int64_t now = 0;                     // virtual time
    uint64_t instructions = 0;
    int64_t switch_interval_ns;
    int thread_objects = 0, process_objects = 0;  // threading.Thread / Process names count from 1
    std::string fatal;                   // a limit or an internal error: the run stops

    Interp(const py::Compiled& c, const VmOptions& o) : code(c), opt(o), minor(c.minor), switch_interval_ns(o.switch_interval_ns) {}

    // ---- instructions (interp.cpp)
    enum class Step : uint8_t { Ran, CheckPoint, Blocked, Slept, ThreadDone, Raised };
    Step step(VmThread& th);           // one instruction
    void push_function_frame(VmThread& th, const Value& func, std::vector<Value> args,
                             const std::vector<std::pair<std::string, Value>>& kwargs);
    Value make_function(int code_index, const Value& module);
    // Calls `callable`; Python functions get a frame (returns Started-like via frames), natives run now.
    CallStatus call(VmThread& th, const Value& callable, std::vector<Value>& args,
                    std::vector<std::pair<std::string, Value>>& kwargs, Value& out, int64_t& sleep_ns, bool& pushed_frame);
    Step finish_frame(VmThread& th, Value v);
    // asyncio (asyncio.cpp)
    void resume_coroutine(VmThread& th, const Value& coro, Value sent, int sender);
    void suspend_frame(VmThread& th, Value yielded);
    void deliver_yield(VmThread& th, Value y);
    void deliver_return(VmThread& th, Value r);
    Step task_returned(VmThread& th, Value r);
    bool loop_tick(VmThread& th);   // false: the thread must sleep or is stuck
    Step await_step(VmThread& th, const py::Instruction& in, int at);
    Step yield_step(VmThread& th);
    void apply_function_attr(const Value& fn, int flag, const Value& v);
    Value get_attr(const Value& obj, const std::string& name);
    void set_attr(const Value& obj, const std::string& name, Value v);
    std::string traceback(VmThread& th, const PyError& e);

    // ---- modelled modules and builtins (natives.cpp)
    void install_builtins();
    bool import_module(const std::string& name, Value& out);
    Value new_builtin(const std::string& name, Builtin::Fn fn, Value self = Value::null());

    // ---- threads (sched.cpp)
    VmThread& spawn(const std::string& name, const Value& func, std::vector<Value> args, int process);
    int new_process();
    void print(const std::string& s);
};

bool native_send(Interp& vm, VmThread& th, const Value& aw, Value& out);
void task_waits_for(Interp& vm, VmThread& th, int task, const Value& y);
bool gather_done(const EventLoop& loop, const Value& gather);

// A checked downcast: the object if `v` holds one of type T, else null (object.h's as<>
// does not look at the kind).
template <class T> struct KindOf;
template <> struct KindOf<Module> { static constexpr Kind k = Kind::Module; };
template <> struct KindOf<Class> { static constexpr Kind k = Kind::Class; };
template <> struct KindOf<Instance> { static constexpr Kind k = Kind::Instance; };
template <> struct KindOf<BoundMethod> { static constexpr Kind k = Kind::BoundMethod; };
template <> struct KindOf<Tuple> { static constexpr Kind k = Kind::Tuple; };
template <> struct KindOf<List> { static constexpr Kind k = Kind::List; };
template <> struct KindOf<Str> { static constexpr Kind k = Kind::Str; };
template <> struct KindOf<Iterator> { static constexpr Kind k = Kind::Iterator; };
template <> struct KindOf<Function> { static constexpr Kind k = Kind::Function; };
template <> struct KindOf<Builtin> { static constexpr Kind k = Kind::Builtin; };
template <> struct KindOf<Cell> { static constexpr Kind k = Kind::Cell; };
template <> struct KindOf<Coroutine> { static constexpr Kind k = Kind::Generator; };
template <class T> T* obj_as(const Value& v) {
    if (!v.is_obj()) return nullptr;
    if constexpr (std::is_base_of_v<Native, T>) {
        return v.obj()->kind == Kind::Native ? dynamic_cast<T*>(v.obj()) : nullptr;
    } else {
        return v.obj()->kind == KindOf<T>::k ? static_cast<T*>(v.obj()) : nullptr;
    }
}

[[noreturn]] inline void type_error(const std::string& m) { raise("TypeError", m); }

}  // namespace gil::vm
