// program.h — the simulator's bytecode: a small instruction set close to CPython's `dis`
// output, functions built from it, and a builder that experiments use to write programs.
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
    Count
};

enum class BinKind : uint8_t { Add, Sub, Mul, InplaceAdd, InplaceSub, Mod };
enum class CmpKind : uint8_t { Lt, Le, Gt, Ge, Eq, Ne };

struct Instr {
    Op op = Op::Nop;
    int32_t a = 0;
    int32_t b = 0;
    int16_t line = 0;       // source line (1-based) in the function's Python text
};

struct Function {
    std::string name;
    std::vector<Instr> code;
    int nargs = 0;
    int nlocals = 0;
    std::vector<std::string> local_names;
    bool loops = false;     // contains a back-edge (computed by finish())
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
    std::string python;              // the Python source this program models

    int function_index(const std::string& name) const;
};

// Builds one function. Labels are resolved by finish().
class FunctionBuilder {
public:
    FunctionBuilder(Program& p, std::string name, std::vector<std::string> args);
    int local(const std::string& name);            // index, created on first use
    int iter_slots(const std::string& name);       // two hidden slots for a range iterator
    int label();                                   // a new, unplaced label
    void place(int label);                         // label points at the next instruction
    void line(int l) { line_ = (int16_t)l; }

    void resume() { emit(Op::Resume); }
    void load_const(int64_t v);
    void load_fast(const std::string& n) { emit(Op::LoadFast, local(n)); }
    void store_fast(const std::string& n) { emit(Op::StoreFast, local(n)); }
    void load_global(int g) { emit(Op::LoadGlobal, g); }
    void store_global(int g) { emit(Op::StoreGlobal, g); }
    void binary(BinKind k) { emit(Op::BinaryOp, (int)k); }
    void compare(CmpKind k) { emit(Op::CompareOp, (int)k); }
    void pop_jump_if_false(int label) { emit_jump(Op::PopJumpIfFalse, 0, label); }
    void pop_jump_if_true(int label) { emit_jump(Op::PopJumpIfTrue, 0, label); }
    void jump_forward(int label) { emit_jump(Op::JumpForward, 0, label); }
    void jump_backward(int label) { emit_jump(Op::JumpBackward, 0, label); }
    void get_iter(int slots) { emit(Op::GetIter, slots); }
    void for_iter(int slots, int exit_label) { emit_jump(Op::ForIter, slots, exit_label); }
    void call(const std::string& fn, int nargs);
    void return_value() { emit(Op::ReturnValue); }
    void pop_top() { emit(Op::PopTop); }
    void sleep_ns(int64_t ns) { emit(Op::Sleep, konst(ns)); }
    void c_call_nogil(int64_t ns) { emit(Op::CCallNoGil, konst(ns)); }
    void c_call_gil(int64_t ns) { emit(Op::CCallGil, konst(ns)); }
    void lock_acquire(int lock) { emit(Op::LockAcquire, lock); }
    void lock_release(int lock) { emit(Op::LockRelease, lock); }
    void list_append(int list) { emit(Op::ListAppend, list); }
    void queue_put(int q) { emit(Op::QueuePut, q); }
    void queue_get(int q) { emit(Op::QueueGet, q); }
    void pickle(int64_t bytes) { emit(Op::Pickle, konst(bytes)); }
    void await_sleep(int64_t ns) { emit(Op::AwaitSleep, konst(ns)); }

    // `for <var> in range(<n already pushed>): body()` — the common loop shape.
    template <class Body>
    void for_range(const std::string& var, Body body) {
        int it = iter_slots(var);
        get_iter(it);
        int head = label(), exit = label();
        place(head);
        for_iter(it, exit);
        store_fast(var);
        body();
        jump_backward(head);
        place(exit);
    }
    int finish();  // resolves labels, appends the function; returns its index

private:
    void emit(Op op, int a = 0, int b = 0);
    void emit_jump(Op op, int a, int label);
    int konst(int64_t v);
    Program& p_;
    Function f_;
    std::vector<int> label_pos_;
    std::vector<std::pair<size_t, int>> fixups_;
    int16_t line_ = 0;
};

// Global variable / lock / queue / list declarations (return their index).
int add_global(Program& p, const std::string& name, int64_t initial = 0, VarScope scope = VarScope::ProcessGlobal);
int add_lock(Program& p, const std::string& name, bool cross_process = false);
int add_queue(Program& p, const std::string& name, bool cross_process, int64_t item_bytes);
int add_list(Program& p, const std::string& name);

// Disassembly as a given CPython version would print it (opcode names differ by
// version: INPLACE_ADD vs BINARY_OP, JUMP_ABSOLUTE vs JUMP_BACKWARD, CALL_FUNCTION vs
// CALL). DisLine::check_point marks instructions after which the eval breaker is checked.
std::vector<DisLine> disassemble(const Program& p, int function, const VersionRow& row);

const char* op_name(Op op);

}  // namespace gil::sim
