// fuzz_python.cpp — libFuzzer target for the lab's Python front end (src/engine/py): the
// input as a program, tokenized, parsed and compiled for every CPython 3.9-3.13, then
// disassembled as text and JSON, and (3.9 and 3.12) run by the VM with small limits, so
// the interpreter meets every program the compiler accepts. A CompileError is the one
// allowed outcome of compiling besides success;
// it must carry a line, a column and a sentence. Any other exception, crash, hang or
// sanitizer report is a finding. What compiles is also lowered for the simulator
// (sim/from_python.cpp) on 3.10 and 3.13; the lowered program must keep its structural
// promises (sim::validate), and each function that can be simulated runs alone on it with
// int arguments and a small work cap. Seeds: the corpus, the error programs and the experiments'
// programs (scripts/fuzz.sh copies them in), plus tests/fuzz/corpus/python.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "engine/py/ast.h"
#include "engine/py/bytecode.h"
#include "engine/py/token.h"
#include "engine/sim/explore.h"
#include "engine/sim/from_python.h"
#include "engine/sim/sim.h"
#include "engine/versions.h"
#include "engine/vm/interp.h"

using namespace gil::py;

namespace {

void check_error(const CompileError& e) {
    if (e.line < 1 || e.col < 0 || e.message.empty()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string src((const char*)data, size);
    const Limits limits;
    try {
        (void)tokenize(src, limits);
    } catch (const CompileError& e) {
        check_error(e);
    }
    try {
        (void)parse(src, limits);
    } catch (const CompileError& e) {
        check_error(e);
    }
    for (int minor = 9; minor <= 13; ++minor) {
        try {
            Compiled c = compile_source(src, minor, "fuzz.py", limits);
            if (c.codes.empty()) std::abort();  // a program has at least its module code
            (void)dis_text(c);
            (void)dis_json(c);
            if (minor == 9 || minor == 12) {
                // Any program may raise, deadlock or hit a limit: that is a result, not a finding.
                gil::vm::VmOptions opt;
                opt.max_instructions = 20000;
                opt.max_threads = 16;
                opt.max_output_bytes = 1 << 16;
                gil::vm::VmResult r = gil::vm::run_compiled(c, opt);
                if (r.completed && !r.error.empty()) std::abort();
                if (r.error.rfind("internal error", 0) == 0) std::abort();  // the VM's own bug
            }
        } catch (const CompileError& e) {
            check_error(e);
        }
    }
    for (const char* v : {"3.10", "3.13"}) {
        const gil::VersionRow* row = gil::find_version(v);
        if (!row) std::abort();
        std::shared_ptr<const gil::sim::Program> p;
        try {
            p = gil::sim::program_from_python(src, *row);
        } catch (const gil::sim::LowerError&) {
            continue;  // it does not compile: the front end's message, checked above
        }
        if (!gil::sim::validate(*p).empty()) std::abort();
        // Small caps: every input runs in a few milliseconds whatever its loops do.
        auto config = [&](bool trace, uint64_t steps) {
            gil::sim::SimConfig cfg;
            cfg.profile = gil::sim::profile_for(*row);
            cfg.program = p;
            cfg.record_trace = trace;
            cfg.max_steps = steps;
            cfg.max_stepped_instructions = 100'000;
            cfg.switch_interval_ns = 50'000;
            cfg.time_limit_ns = 2'000'000;
            cfg.max_threads = 16;
            return cfg;
        };
        for (size_t f = 0; f < p->functions.size() && f < 8; ++f) {
            if (!gil::sim::entry_error(*p, (int)f).empty()) continue;
            gil::sim::SimConfig cfg = config(false, 2000);
            gil::sim::ThreadSpec t;
            t.function = (int)f;
            t.args.assign((size_t)p->functions[f].nargs, 3);
            cfg.threads.push_back(t);
            cfg.threads.push_back(t);  // two threads: the GIL, hand-offs and shared globals too
            (void)gil::sim::Simulator(cfg, 1).run();
        }
        // The module code as the main thread, as `run --program` runs it: it makes, starts and
        // joins threads of its own (a trace too: their lanes appear as they are made).
        if (p->module_fn >= 0 && gil::sim::entry_error(*p, p->module_fn).empty()) {
            gil::sim::SimConfig cfg = config(true, 4000);
            gil::sim::ThreadSpec t;
            t.name = "MainThread";
            t.function = p->module_fn;
            cfg.threads.push_back(t);
            (void)gil::sim::Simulator(cfg, 1).run();
            // Every interleaving, within small bounds: no crash, and each witness replays to its outcome.
            gil::sim::ExploreOptions xo;
            xo.has_gil = row->has_gil;
            xo.max_states = 300;
            xo.max_instructions = 200'000;
            xo.samples = 5;
            const gil::sim::ExploreResult xr = gil::sim::explore(*p, xo);
            if (xr.error.empty() && xr.complete)
                for (const auto& o : xr.outcomes) {
                    std::string err;
                    const gil::sim::ExploreOutcome back = gil::sim::replay_schedule(*p, xo, o.witness, err);
                    if (!err.empty() || back.globals != o.globals) std::abort();
                }
        }
    }
    return 0;
}
