// program.h — the simulator's bytecode: a small instruction set with one instruction (or a
// NOP that only costs time) per real CPython instruction, produced from the experiment's
// Python by from_python.cpp, never written by hand.
//
// Values are 64-bit integers with wrapping arithmetic (Python ints are unbounded; every
// program here stays far inside int64 except accumulators such as sum(i*i) over 10^8
// terms, which wrap: documented, and never used for control flow or shared state).
//
// Iterators live in two hidden local slots (current, stop) rather than on the value
// stack, so the stack is empty at every loop head: that keeps fast-forward simple.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "engine/experiment.h"
#include "engine/versions.h"

namespace gil::sim {

enum class Op : uint8_t {
    Nop,
    Resume,          // function entry (RESUME in 3.11+; implicit before): an eval-breaker check point from 3.10
    LoadConst,       // push consts[a]
    LoadFast,        // push local a
    StoreFast,       // local a = pop
    LoadGlobal,      // push global a (a variable shared by every thread of the process)
    StoreGlobal,     // global a = pop
    BinaryOp,        // a = BinKind: pop b, pop a, push a op b
    CompareOp,       // a = CmpKind: pop b, pop a, push (a cmp b)
    PopJumpIfFalse,  // pop; if false: pc = b
    PopJumpIfTrue,   // pop; if true: pc = b
    JumpForward,     // pc = b
    JumpBackward,    // pc = b (a loop back-edge: check point from 3.10)
    GetIter,         // pop n; locals[a] = 0, locals[a+1] = n   (iter(range(n)))
    ForIter,         // if locals[a] < locals[a+1]: push locals[a]++ else pc = b
    Call,            // call function a with b arguments (popped); a Python-level call
    ReturnValue,     // pop the return value and leave the frame
    PopTop,
    // Calls into C that the simulator models directly (displayed as CALL to the builtin):
    Sleep,           // time.sleep / blocking I/O for consts[a] ns (jitter from the seed): releases the GIL
    CCallNoGil,      // C code that releases the GIL for consts[a] ns (NumPy kernel, nogil Cython)
    CCallGil,        // C code that keeps the GIL for consts[a] ns (no check point inside)
    LockAcquire,     // threading.Lock a .acquire() (blocking; the GIL is released while blocked)
    LockRelease,     // lock a .release()
    ListAppend,      // shared list a .append(pop): one call, atomic under the GIL
    QueuePut,        // queue a .put(pop)   (pickled when the queue crosses processes)
    QueueGet,        // push queue a .get()  (blocks while empty)
    Pickle,          // pickle/unpickle consts[a] bytes: CPU work with the GIL held
    AwaitSleep,      // asyncio: await asyncio.sleep(consts[a] ns): yields to the event loop
    // Module code (the main thread) starting and joining threads, and its lists of values:
    ThreadNew,       // threading.Thread(target=functions[a], args=(b ints popped)): push its handle
    ThreadStart,     // pop a handle and start that thread; the caller waits until it runs (Thread.start() waits for _started)
    ThreadJoin,      // pop a handle; block until that thread has finished (the GIL is released while blocked)
    PerfCounter,     // push the time now, in ns (time.perf_counter() in ns: the simulator has no floats)
    SetInterval,     // sys.setswitchinterval(consts[a] ns)
    ListNew,         // runtime list a = the b values popped (in order): lists of thread handles, results
    ListPush,        // runtime list a .append(pop)
    ListIter,        // iter(runtime list b): locals[a] = 0, locals[a+1] = its length (ForIter then walks indices)
    ListItem,        // replace the index on top with runtime list a[index]
    ListLen,         // push len(runtime list a)
    ProcessNew,      // multiprocessing.Process(target=functions[a], args=(b ints popped)): push its handle
                     // (its main thread's; start() and join() are ThreadStart and ThreadJoin)
    SetStartMethod,  // multiprocessing.set_start_method(a = StartMethod)
    ListExtend,      // runtime list a .extend(the b values popped, in order): a display of constants
    Print,           // print(): prints[a] with the b ints popped (in order) in its value pieces
    Count
};

enum class BinKind : uint8_t { Add, Sub, Mul, InplaceAdd, InplaceSub, Mod, FloorDiv, Pow };
enum class CmpKind : uint8_t { Lt, Le, Gt, Ge, Eq, Ne };

// What BinaryOp computes on the simulator's ints, the one definition every interpreter of a
// Program uses (the timed simulator, the fast-forward, the explorer): wrapping 64-bit arithmetic,
// no undefined behaviour; % is Python's (the sign of the divisor: -7 % 3 == 2), x % 0
// (ZeroDivisionError in Python; the simulator does not raise) and x % -1 give 0.
inline int64_t apply_binary(BinKind k, int64_t a, int64_t b) {
    const uint64_t ua = (uint64_t)a, ub = (uint64_t)b;
    switch (k) {
    case BinKind::Add:
    case BinKind::InplaceAdd: return (int64_t)(ua + ub);
    case BinKind::Sub:
    case BinKind::InplaceSub: return (int64_t)(ua - ub);
    case BinKind::Mul: return (int64_t)(ua * ub);
    case BinKind::Mod: {
        if (b == 0 || b == -1) return 0;
        const int64_t r = a % b;
        return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
    }
    case BinKind::FloorDiv: {  // Python's: rounds towards minus infinity (-7 // 2 == -4); x // 0 gives 0
        if (b == 0) return 0;
        if (b == -1) return (int64_t)(0 - ua);
        const int64_t q = a / b;
        return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
    }
    case BinKind::Pow: {  // by squaring, wrapping; a negative exponent (a float in Python) gives 0
        if (b < 0) return 0;
        uint64_t r = 1, base = ua, e = ub;
        while (e) {
            if (e & 1) r *= base;
            base *= base;
            e >>= 1;
        }
        return (int64_t)r;
    }
    }
    return 0;
}

// The ZeroDivisionError Python raises for this BinaryOp, as CPython 3.`minor` words it, or
// nullptr (3.12 words `x % 0` on its own).
inline const char* binary_zero_division(BinKind k, int64_t b, int minor) {
    if (b != 0 || (k != BinKind::FloorDiv && k != BinKind::Mod)) return nullptr;
    return k == BinKind::Mod && minor >= 12 ? "ZeroDivisionError: integer modulo by zero"
                                            : "ZeroDivisionError: integer division or modulo by zero";
}

// Whether a BinaryOp's Python result differs from apply_binary's: it does not fit 64 bits (Python's
// ints have no limit; the simulator's wrap), or `**` with a negative exponent (a float in Python).
inline bool binary_wraps(BinKind k, int64_t a, int64_t b) {
    int64_t r = 0;
    switch (k) {
    case BinKind::Add:
    case BinKind::InplaceAdd: return __builtin_add_overflow(a, b, &r);
    case BinKind::Sub:
    case BinKind::InplaceSub: return __builtin_sub_overflow(a, b, &r);
    case BinKind::Mul: return __builtin_mul_overflow(a, b, &r);
    case BinKind::FloorDiv: return a == INT64_MIN && b == -1;
    case BinKind::Mod: return false;
    case BinKind::Pow: {
        if (b < 0) return true;
        int64_t acc = 1, base = a;
        for (int64_t e = b; e > 0; e >>= 1) {
            if ((e & 1) && __builtin_mul_overflow(acc, base, &acc)) return true;
            if ((e >> 1) && __builtin_mul_overflow(base, base, &base)) return true;
        }
        return false;
    }
    }
    return false;
}

// What CompareOp computes.
inline bool apply_compare(CmpKind k, int64_t a, int64_t b) {
    switch (k) {
    case CmpKind::Lt: return a < b;
    case CmpKind::Le: return a <= b;
    case CmpKind::Gt: return a > b;
    case CmpKind::Ge: return a >= b;
    case CmpKind::Eq: return a == b;
    case CmpKind::Ne: return a != b;
    }
    return false;
}

struct Instr {
    static constexpr uint8_t kCheck = 1;  // the version checks the eval breaker right after it
    static constexpr uint8_t kFree = 2;   // a step of a real instruction whose cost another step carries
    static constexpr uint8_t kUnreachable = 4;  // only an exception could get here: never runs
    Op op = Op::Nop;        // Nop: `a` is the Op whose cost it has (Nop itself: free)
    uint8_t flags = 0;
    int16_t line = 0;       // source line (1-based) in the program's Python text
    int32_t a = 0;
    int32_t b = 0;
    int32_t real = -1;      // index of the real instruction in its compiled code object
};

struct Function {
    std::string name;
    std::vector<Instr> code;
    int nargs = 0;
    int nlocals = 0;
    std::vector<std::string> local_names;
    bool loops = false;     // contains a back-edge
    int code_object = -1;   // index of its code object in the compiled program
    std::vector<int> calls; // functions it calls
    std::string error;      // why it cannot be simulated ("" = it can)
    // Its __name__: a method "Counter.run" is "run" (what CPython 3.10+ puts in a thread's name).
    std::string py_name() const {
        const size_t dot = name.rfind('.');
        return dot == std::string::npos ? name : name.substr(dot + 1);
    }
};

// Where a variable lives decides who can race on it.
enum class VarScope : uint8_t {
    ProcessGlobal,  // a module global: shared by the threads of one process
    SharedMemory,   // multiprocessing.Value: shared across processes
};

struct GlobalVar {
    std::string name;
    int64_t initial = 0;
    VarScope scope = VarScope::ProcessGlobal;
};

struct LockDecl {
    std::string name;
    bool cross_process = false;  // multiprocessing.Lock
    bool internal = false;       // a multiprocessing.Value's own lock: makes each get or set atomic,
                                 // not `x.value += 1` (the race detector does not count it)
    bool reentrant = false;      // threading.RLock: its owner may acquire it again (released as often)
};

struct QueueDecl {
    std::string name;
    bool cross_process = false;  // multiprocessing queue / pool pipe: items are pickled
    int64_t item_bytes = 64;     // pickled size of one item
};

struct Program {
    std::vector<Function> functions;
    std::vector<int64_t> consts;
    std::vector<GlobalVar> globals;
    std::vector<LockDecl> locks;
    std::vector<QueueDecl> queues;
    std::vector<std::string> lists;  // shared lists (ListAppend targets)
    int rt_lists = 0;                // runtime lists of values (ListNew sites in module code)
    // What each print() site writes: text pieces and the ints it pops, in order.
    struct PrintPiece {
        // Seconds: ns shown as float seconds; Skip: popped, not shown; List: runtime list `list` as
        // Python shows a list of ints ("[1, 3, 5]")
        enum Kind : uint8_t { Text, Int, Seconds, Skip, List, Bool } kind = Text;  // Bool: True / False
        std::string text;
        int list = -1;
    };
    std::vector<std::vector<PrintPiece>> prints;
    int module_fn = -1;              // the module's code as a function ("<module>"), -1 if none
    std::string python;              // the Python source it was compiled from
    int minor = 12;                  // whose bytecode (CPython 3.minor)

    int function_index(const std::string& name) const;
    int global_index(const std::string& name) const;
    int lock_index(const std::string& name) const;
    int queue_index(const std::string& name) const;
};

// Global variable / lock / queue / list declarations (return their index).
int add_global(Program& p, const std::string& name, int64_t initial = 0, VarScope scope = VarScope::ProcessGlobal);
int add_lock(Program& p, const std::string& name, bool cross_process = false);
int add_queue(Program& p, const std::string& name, bool cross_process, int64_t item_bytes);
int add_list(Program& p, const std::string& name);

const char* op_name(Op op);

}  // namespace gil::sim
