// interp.h — the VM of the lab's Python: it runs the bytecode the front end compiled
// (src/engine/py), instruction by instruction, for the CPython version it was compiled for,
// so a thread can be switched out exactly where that version checks its eval breaker.
//
// Two layers:
//   Interp   executes one instruction of one VM thread at a time and says what happened
//            (ran, reached a check point, blocked, slept, finished, raised): whoever drives
//            it decides when threads run. Modelled modules (threading, time, queue, sys,
//            concurrent.futures, multiprocessing, asyncio, hashlib, numpy) live in natives.cpp.
//   run_python  drives an Interp with a small deterministic scheduler: one GIL handed off
//            after a switch interval of virtual time at the next check point, virtual time
//            for sleeps and C calls. It gives a program's printed output (the semantic
//            corpus compares it with real CPython) and the counts of a run.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/py/bytecode.h"
#include "engine/vm/object.h"

namespace gil::vm {

struct VmOptions {
    int64_t switch_interval_ns = 5'000'000;  // sys.setswitchinterval (the program may change it)
    int64_t instruction_ns = 25;             // virtual time per bytecode instruction
    uint64_t max_instructions = 200'000'000; // refuses to run longer (its own message)
    size_t max_threads = 256;
    size_t max_output_bytes = 1 << 20;
    bool has_gil = true;                     // false: free-threaded (3.13t): switch at every instruction
};

struct VmResult {
    std::string output;          // what the program printed
    std::string error;           // non-empty: a Python error ("Traceback ...") or a limit
    bool completed = false;      // the main thread and every started thread finished
    bool deadlock = false;
    int64_t virtual_ns = 0;      // virtual time at the end
    uint64_t instructions = 0;
    uint64_t switches = 0;       // the GIL went to another thread
    int threads_started = 0;
};

// Compiles `source` for CPython 3.`minor` and runs it. Compile errors land in error
// ("line L, column C: ..."), like runtime errors; never throws.
VmResult run_python(const std::string& source, int minor, const VmOptions& opt = {});
VmResult run_compiled(const py::Compiled& code, const VmOptions& opt = {});

}  // namespace gil::vm
