// from_python.h — the simulator's programs come from Python: the front end (engine/py)
// compiles the source for a version's bytecode, and this back end lowers each function's
// real instructions, one by one, to the simulator's instructions (program.h).
//
// What a name is comes from the module's own top-level statements (`counter = 0` is an int
// global, `lock = threading.Lock()` a lock, `x = Value('i', 0)` shared memory, `results =
// queue.Queue()` a queue, `shared = []` a list, `IO = 0.001` a float constant, `import time`
// a module); a parameter with the same name as one of those objects is that object (work(x, n)
// with `x = Value(...)` at module level), every other parameter is an int. An experiment may
// say what an ambiguous name is in its run (LowerOptions::objects).
//
// The lowering keeps every real instruction: those with no effect on the simulator's state
// (PUSH_NULL, LOAD_GLOBAL of a module or function, LOAD_ATTR of a method, PRECALL, ...)
// become NOPs that cost what their instruction class costs; the call that does the work
// (`time.sleep(IO)`, `lock.acquire()`, `with lock:`, `q.put(x)`, `numpy.dot(a, b)`, a call of a
// user function) becomes the simulator's instruction for it. Each instruction keeps its line,
// its index in the compiled code object (trace pcs map back to `dis` exactly) and whether the
// version checks the eval breaker after it (Instr::kCheck, from the compiled bytecode).
//
// A function that uses something the simulator does not model (floats in arithmetic, strings,
// `print`, methods of classes, `for x in a_list`, ...) is kept with its reason
// (Function::error); running it refuses with that sentence before any work.
#pragma once
#include <map>
#include <memory>
#include <stdexcept>
#include <string>

#include "engine/sim/program.h"
#include "engine/versions.h"

namespace gil::sim {

struct ObjectOverride {
    enum Kind : uint8_t { Lock, Queue, List, Value } kind = Queue;
    bool cross_process = false;  // multiprocessing.Lock / Queue (a pool's pipe)
    int64_t item_bytes = 64;     // queues that cross processes: the pickled size of one item
    static ObjectOverride queue(bool cross_process, int64_t item_bytes) {
        ObjectOverride q;
        q.kind = Queue;
        q.cross_process = cross_process;
        q.item_bytes = item_bytes;
        return q;
    }
};

struct LowerOptions {
    // What a module-level name (and any parameter of that name) is in this run, over what
    // the module's assignments say (mp.process: `results` is a queue.Queue for the threads'
    // run and a multiprocessing.Queue for the processes').
    std::map<std::string, ObjectOverride> objects;
    // Durations of modelled C calls, by dotted name ("numpy.dot", "json.dumps"), in ns.
    std::map<std::string, int64_t> c_call_ns;
    // A user function whose call stands for measured work the program does not spell out (the
    // executors' per-task bookkeeping in pool_compare.executor.py): its call costs this many ns
    // with the GIL held, instead of running its body (a `pass` on real CPython).
    std::map<std::string, int64_t> fixed_cost_fns;
    // The same with the GIL released for those ns (a system call such as os.write on a pipe).
    std::map<std::string, int64_t> fixed_nogil_fns;
};

// A program the simulator cannot take at all (it does not compile). Functions that compile
// but cannot be simulated carry Function::error instead.
struct LowerError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Compiles `source` for the bytecode of `row` (its `bytecode` row: 3.13t uses 3.13's) and
// lowers every module-level function. Throws LowerError (with py::CompileError's text).
std::shared_ptr<Program> program_from_python(const std::string& source, const VersionRow& row,
                                             const LowerOptions& opt = {}, const std::string& filename = "<program>");

// "" when `fn` and everything it calls can be simulated; else the reason, naming the function.
std::string entry_error(const Program& p, int fn);

// The structural promises of a lowered program ("" when kept): jumps land inside their
// function, locals, globals, locks, queues, lists, constants and callees exist, and every
// instruction names a real instruction of its code object, in order. Tests and the fuzzer
// check it on everything they lower.
std::string validate(const Program& p);

}  // namespace gil::sim
