// gillab — the command-line front end: list, describe and run experiments at full speed.
//
//   gillab list
//   gillab describe <id>
//   gillab describe --program FILE.py [--set version=V] [--json]
//   gillab run <id> [--set key=value ...] [--seed N] [--json | --csv] [--trace FILE] [--stats]
//   gillab run --program FILE.py [--set version=V] [--set interval_us=N] [--set cores=N] [--json]
//   gillab run program --code FILE.py [--set ...] [--json] [--trace FILE]   (the full run contract)
//
// Bad input never runs anything: one line naming the problem, the usage, exit status 2.
#include <atomic>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "cli/calibrate.h"
#include "engine/experiment.h"
#include "engine/experiments/common.h"
#include "engine/explore_job.h"
#include "engine/json.h"
#include "engine/py/bytecode.h"
#include "engine/vm/interp.h"
#include "engine/sim/explore.h"
#include "engine/sim/harness.h"
#include "engine/sim/profile.h"
#include "engine/version.h"
#include "engine/versions.h"

#if !defined(_WIN32)
#include <sys/resource.h>
#include <unistd.h>
#endif

using namespace gil;

namespace {

const char* kUsage =
    "usage: gillab list [--markdown]\n"
    "       gillab describe <experiment> [--set key=value]... [--json]\n"
    "       gillab describe --program FILE.py [--set version=V] [--json]\n"
    "       gillab run --program FILE.py [--set version=V] [--set interval_us=N] [--set cores=N] [--json]\n"
    "       gillab run program --code FILE.py [--set version=V] [--json | --csv] [--trace FILE]\n"
    "       gillab run <experiment> [--set key=value]... [--seed N] [--json | --csv]\n"
    "                  [--trace FILE] [--no-trace] [--stats] [--quiet] [--profile FILE]\n"
    "       gillab explore <experiment>|--program FILE.py [--set key=value]... [--query NAME==V] [--json]\n"
    "       gillab calibrate [--python PATH] [--out FILE] [--iterations N]\n"
    "       gillab help | --version\n"
    "Try 'gillab list' for the experiments, 'gillab describe gil.cpu' for one's parameters,\n"
    "'gillab describe --program prog.py --set version=3.9' for a program's bytecode as CPython's dis shows it.\n";

int usage_error(const std::string& msg) {
    std::fprintf(stderr, "gillab: %s\n%s", msg.c_str(), kUsage);
    return 2;
}

std::atomic<bool>* g_cancel = nullptr;
extern "C" void on_sigint(int) {
    if (g_cancel) g_cancel->store(true, std::memory_order_relaxed);
}

int cmd_list(bool markdown) {
    std::fputs((markdown ? experiment_list_markdown() : experiment_list_text()).c_str(), stdout);
    return 0;
}

void print_wrapped(const std::string& text, int indent, int width = 88) {
    std::string line;
    size_t i = 0;
    while (i < text.size()) {
        size_t sp = text.find(' ', i);
        std::string word = text.substr(i, sp == std::string::npos ? std::string::npos : sp - i);
        if ((int)(line.size() + word.size()) + indent > width && !line.empty()) {
            std::printf("%*s%s\n", indent, "", line.c_str());
            line.clear();
        }
        line += (line.empty() ? "" : " ") + word;
        if (sp == std::string::npos) break;
        i = sp + 1;
    }
    if (!line.empty()) std::printf("%*s%s\n", indent, "", line.c_str());
}

// `--set key=value` or `--set=key=value` at args[i] (i moves past its value): -1 when it
// was applied, else the exit status of the usage error.
int apply_set(const std::vector<std::string>& args, size_t& i, ParamSet& params) {
    std::string kv;
    if (args[i] == "--set") {
        if (i + 1 >= args.size()) return usage_error("--set needs key=value");
        kv = args[++i];
    } else {
        kv = args[i].substr(6);
    }
    if (std::string err = params.set_assignment(kv); !err.empty()) return usage_error(err);
    return -1;
}

// `describe ID [--set key=value]... [--json]`: the experiment, its parameters, and its
// program as Python with the parameters bound, compiled for the version's bytecode.
int cmd_describe(const ExperimentSpec& e, const std::vector<std::string>& args) {
    ParamSet params = ParamSet::defaults(e.params);
    bool json = false;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--set" || a.rfind("--set=", 0) == 0) {
            if (int rc = apply_set(args, i, params); rc >= 0) return rc;
        } else if (a == "--json") {
            json = true;
        } else {
            return usage_error("unknown option '" + a + "' for describe");
        }
    }
    auto view = program_view(e, params);
    if (json) {
        JsonWriter w;
        w.begin_object();
        w.key("experiment").value(e.id);
        if (view) {
            w.key("version").value(view->version);
            w.key("note").value(view->note);
            w.key("source").value(view->source);
            w.key("codes").begin_array();
            for (const CodeView& c : view->codes) {
                w.begin_object();
                w.key("name").value(c.name);
                w.key("instructions").begin_array();
                for (const DisLine& d : c.lines) {
                    w.begin_object();
                    w.key("opname").value(d.opname);
                    w.key("argrepr").value(d.argrepr);
                    w.key("line").value(d.line);
                    w.key("check_point").value(d.check_point);
                    w.end_object();
                }
                w.end_array();
                w.end_object();
            }
            w.end_array();
        }
        w.end_object();
        std::printf("%s\n", w.str().c_str());
        return 0;
    }
    std::printf("%s — %s\n", e.id.c_str(), e.title.c_str());
    std::printf("topic: %s; engine: %s\n\n", topic_title(e.topic), engine_name(e.engine));
    print_wrapped(e.explain, 0);
    std::printf("\nParameters (--set key=value):\n");
    for (const auto& p : e.params) {
        std::printf("  %s\n", describe_range(p).c_str());
        print_wrapped(p.help, 6);
    }
    if (!e.puzzles.empty()) {
        std::printf("\nBe-the-scheduler puzzles (the page's Explore tab, ?puzzle=ID; explore them with the --set shown):\n");
        for (const auto& pz : e.puzzles) {
            std::string sets;
            for (const auto& [k, v] : pz.set) sets += " --set " + k + "=" + v;
            std::printf("  %s: %s. Goal: %s (%s).\n      gillab explore %s%s%s\n", pz.id.c_str(), pz.title.c_str(),
                        pz.goal_text.c_str(), pz.reachable ? "some schedule reaches it" : "no schedule does", e.id.c_str(),
                        sets.c_str(), pz.goal == "deadlock" ? "" : (" --query '" + pz.goal + "'").c_str());
        }
    }
    std::printf("\nThe Python program%s:\n", view && view->source != e.python ? " (its parameters bound to names at the top)" : " it models");
    std::string py = view ? view->source : e.python;
    size_t i = 0;
    while (i < py.size()) {
        size_t nl = py.find('\n', i);
        std::printf("    %s\n", py.substr(i, nl - i).c_str());
        if (nl == std::string::npos) break;
        i = nl + 1;
    }
    if (view) std::printf("\n%s", disassembly_text(*view).c_str());
    return 0;
}

// The arguments of `describe --program` and `run --program`: the file, --set key=value for
// the given parameters (version, and for runs the switch interval), --json.
struct ProgramArgs {
    std::string file, source;
    ParamSet params;
    bool json = false;
    const VersionRow* row = nullptr;
    int minor = 12;  // the CPython whose bytecode the row shows and runs
};

// Returns -1 when the arguments are good (and the file is read), else the exit status.
int parse_program_args(const char* cmd, const std::vector<std::string>& args, const std::vector<ParamSpec>& specs,
                       ProgramArgs& out) {
    out.params = ParamSet::defaults(specs);
    bool have_file = false;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--program" || a.rfind("--program=", 0) == 0) {
            if (have_file) return usage_error(std::string(cmd) + " takes one --program");
            if (a == "--program") {
                if (i + 1 >= args.size()) return usage_error("--program needs a file name");
                out.file = args[++i];
            } else {
                out.file = a.substr(10);
            }
            if (out.file.empty()) return usage_error("--program needs a file name");
            have_file = true;
        } else if (a == "--set" || a.rfind("--set=", 0) == 0) {
            if (int rc = apply_set(args, i, out.params); rc >= 0) return rc;
        } else if (a == "--json") {
            out.json = true;
        } else if (a.find('=') != std::string::npos && a[0] != '-') {
            if (std::string err = out.params.set_assignment(a); !err.empty()) return usage_error(err);
        } else {
            return usage_error("unknown option '" + a + "' for " + cmd + " --program");
        }
    }
    if (!have_file) return usage_error(std::string(cmd) + " --program needs a file name");
    out.row = find_version(out.params.choice_name("version"));
    if (!out.row) return usage_error("unknown version");  // the choices are the table's rows
    const VersionRow* bc = find_version(out.row->bytecode);
    out.minor = bc ? bc->minor : out.row->minor;
    std::ifstream in(out.file, std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "gillab: cannot read program '%s': %s\n", out.file.c_str(), std::strerror(errno));
        return 2;
    }
    out.source.assign((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return -1;
}

// Compiles; on a compile error prints FILE:LINE:COL: sentence and returns its exit status.
int compile_program(const ProgramArgs& pa, py::Compiled& compiled) {
    try {
        compiled = py::compile_source(pa.source, pa.minor, pa.file);
    } catch (const py::CompileError& err) {
        std::fprintf(stderr, "%s:%d:%d: %s\n", pa.file.c_str(), err.line, err.col, err.message.c_str());
        return 1;
    } catch (const std::exception& err) {  // a bug of the front end, not of the program
        std::fprintf(stderr, "gillab: internal error compiling '%s': %s\n", pa.file.c_str(), err.what());
        return 3;
    }
    return -1;
}

// `describe --program FILE.py`: the file compiled by the lab's Python front end for the
// bytecode of the version's row, printed as `dis.dis` prints it (or as JSON).
int cmd_describe_program(const std::vector<std::string>& args) {
    static const std::vector<ParamSpec> specs = {ex::version_p()};
    ProgramArgs pa;
    if (int rc = parse_program_args("describe", args, specs, pa); rc >= 0) return rc;
    py::Compiled compiled;
    if (int rc = compile_program(pa, compiled); rc >= 0) return rc;
    const std::string note = version_note(*pa.row);
    if (pa.json) {
        // dis_json's object, with the version asked for and whose bytecode it is in front.
        std::string body = py::dis_json(compiled);
        size_t brace = body.find('{');
        std::string head = "{\"requested_version\":\"" + json_escape(pa.row->name) + "\",\"note\":\"" + json_escape(note) +
                           "\",";
        if (brace != std::string::npos) body = head + body.substr(brace + 1);
        std::printf("%s%s", body.c_str(), body.empty() || body.back() != '\n' ? "\n" : "");
        return 0;
    }
    std::printf("# %s: CPython %s\n# %s\n\n", pa.file.c_str(), pa.row->name, note.c_str());
    std::string text = py::dis_text(compiled);
    std::printf("%s%s", text.c_str(), text.empty() || text.back() != '\n' ? "\n" : "");
    return 0;
}

// `run --program FILE.py`: the program compiled for the version's bytecode and run by the
// lab's VM: its output, then what the run did (virtual time, instructions, GIL hand-offs).
int cmd_run_program(const std::vector<std::string>& args) {
    static const std::vector<ParamSpec> specs = {ex::version_p(), ex::interval_p(), ex::cores_p()};
    ProgramArgs pa;
    if (int rc = parse_program_args("run", args, specs, pa); rc >= 0) return rc;
    py::Compiled compiled;
    if (int rc = compile_program(pa, compiled); rc >= 0) return rc;
    vm::VmOptions opt;
    opt.switch_interval_ns = (int64_t)(pa.params.get("interval_us") * 1000.0);
    opt.has_gil = pa.row->has_gil;
    vm::VmResult r = vm::run_compiled(compiled, opt);
    // The same program in the simulator (the lab's GIL, cores and costs), module code as the
    // main thread: its times and counts. A program the simulator cannot take says why.
    struct Simulated {
        bool ok = false;
        std::string why;
        sim::SimResult s;
        std::shared_ptr<const sim::Program> prog;
    } sm;
    try {
        sim::Common c = sim::common(pa.params);
        sm.prog = sim::program_from_python(pa.source, *pa.row, {}, pa.file);
        sim::Run run(c, sm.prog, false);
        run.main_thread(*sm.prog);
        RunControl ctl;
        ctl.record_trace = false;
        sm.s = run.go(1, ctl);
        if (!sm.s.error.empty()) sm.why = sm.s.error;
        else if (sm.s.deadlock) sm.why = "deadlock: " + sm.s.deadlock_report;
        else if (!sm.s.completed) sm.why = sm.s.time_limit_hit ? "the simulated time limit was reached" : "the simulator's work cap was reached";
        sm.ok = true;
    } catch (const std::exception& err) {
        sm.why = err.what();
    }
    auto sim_globals = [&](auto&& each) {
        if (!sm.ok || sm.s.globals.empty()) return;
        for (size_t g = 0; g < sm.prog->globals.size(); ++g)
            each(sm.prog->globals[g].name, sm.prog->globals[g].scope == sim::VarScope::ProcessGlobal ? sm.s.globals[0][g]
                                                                                                    : sm.s.shared_memory[g]);
    };
    if (pa.json) {
        JsonWriter w;
        w.begin_object();
        w.key("program").value(pa.file);
        w.key("version").value(pa.row->name);
        w.key("note").value(version_note(*pa.row));
        w.key("output").value(r.output);
        w.key("error").value(r.error);
        w.key("completed").value(r.completed);
        w.key("deadlock").value(r.deadlock);
        w.key("metrics").begin_object();
        w.key("virtual_ns").value((double)r.virtual_ns);
        w.key("instructions").value((double)r.instructions);
        w.key("gil_switches").value((double)r.switches);
        w.key("threads_started").value((double)r.threads_started);
        w.end_object();
        w.key("simulated").begin_object();
        w.key("ok").value(sm.ok && sm.why.empty());
        w.key("why").value(sm.why);
        if (sm.ok) {
            w.key("wall_ns").value((double)sm.s.end_ns);
            w.key("gil_switches").value((double)sm.s.gil_switches);
            w.key("forced_switches").value((double)sm.s.forced_switches);
            w.key("lost_update_events").value((double)sm.s.lost_update_events);
            w.key("threads").value((double)sm.s.threads.size());
            w.key("globals").begin_object();
            sim_globals([&](const std::string& n, int64_t v) { w.key(n).value((double)v); });
            w.end_object();
            // The race detector: shared variables accessed by two threads with no lock in common.
            w.key("races").begin_array();
            for (const auto& f : sm.s.races) {
                w.begin_object();
                w.key("variable").value(f.name);
                w.key("threads").begin_array().value(sm.s.threads[(size_t)f.thread_a].name).value(sm.s.threads[(size_t)f.thread_b].name).end_array();
                w.key("lines").begin_array().value((double)f.line_a).value((double)f.line_b).end_array();
                w.key("writes").begin_array().value(f.store_a).value(f.store_b).end_array();
                w.key("text").value(sim::race_text(sm.s, f));
                w.end_object();
            }
            w.end_array();
        }
        w.end_object();
        w.end_object();
        std::printf("%s\n", w.str().c_str());
    } else {
        std::fputs(r.output.c_str(), stdout);
        if (!r.error.empty()) std::fprintf(stderr, "%s%s", r.error.c_str(), r.error.back() == '\n' ? "" : "\n");
        std::printf("\n# %s, CPython %s: %s\n", pa.file.c_str(), pa.row->name, version_note(*pa.row).c_str());
        std::printf("#   virtual time       %.3f ms\n", (double)r.virtual_ns / 1e6);
        std::printf("#   instructions       %llu\n", (unsigned long long)r.instructions);
        std::printf("#   GIL hand-offs      %llu\n", (unsigned long long)r.switches);
        std::printf("#   threads started    %d\n", r.threads_started);
        if (r.deadlock) std::printf("#   deadlock\n");
        if (sm.ok) {
            std::printf("# simulated (the lab's model of CPython %s: %s, %d cores, costs per instruction)%s%s\n", pa.row->name, pa.row->has_gil ? "GIL" : "no GIL",
                        sim::common(pa.params).machine.cores, sm.why.empty() ? "" : ": ", sm.why.c_str());
            std::printf("#   wall time          %.3f ms\n", (double)sm.s.end_ns / 1e6);
            std::printf("#   threads            %zu\n", sm.s.threads.size());
            std::printf("#   GIL hand-offs      %llu (%llu forced at a check point)\n", (unsigned long long)sm.s.gil_switches,
                        (unsigned long long)sm.s.forced_switches);
            std::printf("#   stale stores       %llu (a store that overwrote another thread's update)\n",
                        (unsigned long long)sm.s.lost_update_events);
            std::string gl;
            sim_globals([&](const std::string& n, int64_t v) { gl += " " + n + "=" + std::to_string(v); });
            if (!gl.empty()) std::printf("#   module ints at the end:%s\n", gl.c_str());
            for (const auto& f : sm.s.races) std::printf("#   unguarded          %s\n", sim::race_text(sm.s, f).c_str());
            if (sm.s.int_wrapped)
                std::printf("#   note               an int left the simulator's 64 bits: values computed from it differ from Python's\n");
            if (sm.s.races.empty()) std::printf("#   unguarded          none (every shared variable two threads touch has a common lock)\n");
        } else {
            std::printf("# simulated: not run: %s\n", sm.why.c_str());
        }
    }
    return r.error.empty() ? 0 : 1;
}

long peak_rss_kib() {
#if !defined(_WIN32) && !defined(__EMSCRIPTEN__)
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) == 0) return ru.ru_maxrss;
#endif
    return -1;
}

void print_human(const RunResult& r) {
    std::printf("%s (%s engine, seed %llu)\n", r.experiment.c_str(), engine_name(r.engine),
                (unsigned long long)r.seed);
    std::printf("params:");
    for (size_t i = 0; i < r.params.values.size(); ++i)
        std::printf(" %s=%s", (*r.params.specs)[i].key.c_str(), r.params.format((int)i).c_str());
    std::printf("\n\n");
    for (const auto& m : r.metrics.items) {
        if (!m.text.empty()) {
            std::printf("  %-44s %s\n", m.label.c_str(), m.text.c_str());
            continue;
        }
        char num[64];
        double v = m.value;
        if (v == (double)(long long)v && v < 1e15 && v > -1e15) std::snprintf(num, sizeof num, "%lld", (long long)v);
        else std::snprintf(num, sizeof num, "%.4g", v);
        std::printf("  %-44s %s %s\n", m.label.c_str(), num, m.unit.c_str());
    }
    if (!r.notes.empty()) std::printf("\n");
    for (const auto& n : r.notes) print_wrapped(n, 2);
    if (r.trace && r.trace->truncated())
        std::printf("\n  trace truncated: %llu intervals and %llu events dropped (memory cap)\n",
                    (unsigned long long)r.trace->dropped_intervals, (unsigned long long)r.trace->dropped_events);
}

int cmd_run(const std::vector<std::string>& args) {
    if (args.empty()) return usage_error("run needs an experiment id or --program FILE.py");
    for (const auto& a : args)
        if (a == "--program" || a.rfind("--program=", 0) == 0) return cmd_run_program(args);
    const ExperimentSpec* e = find_experiment(args[0]);
    if (!e) return usage_error("unknown experiment '" + args[0] + "' (see 'gillab list')");
    ParamSet params = ParamSet::defaults(e->params);
    uint64_t seed = 1;
    bool json = false, csv = false, stats = false, quiet = false, no_trace = false;
    std::string trace_file, profile_file;
    bool version_set = false;
    KeysSeen seen;  // a parameter given twice is an error, as in the URL and the JS API
    auto once = [&](const std::string& kv) {
        std::string_view k, v;
        return split_assignment(kv, k, v) ? seen.once(k, v) : std::string();
    };
    for (size_t i = 1; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&](const char* opt) -> const std::string* {
            if (i + 1 >= args.size()) return nullptr;
            (void)opt;
            return &args[++i];
        };
        if (a == "--set" || a.rfind("--set=", 0) == 0) {
            std::string kv;
            if (a == "--set") {
                const std::string* v = value("--set");
                if (!v) return usage_error("--set needs key=value");
                kv = *v;
            } else {
                kv = a.substr(6);
            }
            if (std::string err = once(kv); !err.empty()) return usage_error(err);
            if (std::string err = params.set_assignment(kv); !err.empty()) return usage_error(err);
            version_set |= kv.rfind("version=", 0) == 0;
        } else if (a == "--profile") {
            const std::string* v = value("--profile");
            if (!v || v->empty()) return usage_error("--profile needs a file written by 'gillab calibrate'");
            profile_file = *v;
        } else if (a == "--seed") {
            const std::string* v = value("--seed");
            if (!v || !parse_seed(*v, seed).empty()) return usage_error("--seed needs a non-negative integer");
        } else if (a == "--json") {
            json = true;
        } else if (a == "--csv") {
            csv = true;
        } else if (a == "--trace") {
            const std::string* v = value("--trace");
            if (!v || v->empty()) return usage_error("--trace needs a file name");
            trace_file = *v;
        } else if (a == "--code") {
            // A record that takes code (program): the Python file it runs instead of its template.
            const std::string* v = value("--code");
            if (!v || v->empty()) return usage_error("--code needs a Python file");
            if (!e->takes_code) return usage_error("--code is for an experiment that takes code (program), not " + e->id);
            std::ifstream in(*v, std::ios::binary);
            if (!in) {
                std::fprintf(stderr, "gillab: cannot read program '%s': %s\n", v->c_str(), std::strerror(errno));
                return 2;
            }
            params.code.assign((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
            if (params.code.size() > 64 * 1024) return usage_error("--code: the program is longer than 64 KiB");
            if (params.code.empty()) params.code = "\n";  // an empty file is an empty program, not the template
        } else if (a == "--no-trace") {
            no_trace = true;
        } else if (a == "--stats") {
            stats = true;
        } else if (a == "--quiet" || a == "-q") {
            quiet = true;
        } else if (a.find('=') != std::string::npos && a[0] != '-') {
            // Shorthand: `gillab run gil.cpu threads=4`.
            if (std::string err = once(a); !err.empty()) return usage_error(err);
            if (std::string err = params.set_assignment(a); !err.empty()) return usage_error(err);
            version_set |= a.rfind("version=", 0) == 0;
        } else {
            return usage_error("unknown option '" + a + "'");
        }
    }
    if (json && csv) return usage_error("--json and --csv cannot be combined");
    if (no_trace && !trace_file.empty()) return usage_error("--trace and --no-trace cannot be combined");

    static sim::InterpreterProfile loaded;
    if (!profile_file.empty()) {
        if (e->engine != Engine::Sim) return usage_error("--profile applies to simulator experiments only");
        if (std::string err = sim::load_profile_file(profile_file, loaded); !err.empty()) return usage_error(err);
        if (params.index_of("version") >= 0) {
            if (version_set && params.choice_name("version") != loaded.version)
                return usage_error("--profile is for CPython " + loaded.version + " but version=" +
                                   params.choice_name("version") + " was asked for");
            params.set("version", loaded.version);
        }
        sim::set_profile_override(&loaded);
    }

    // Open the trace file before running, so a bad path fails fast.
    std::ofstream trace_out;
    if (!trace_file.empty()) {
        trace_out.open(trace_file, std::ios::binary | std::ios::trunc);
        if (!trace_out) {
            std::fprintf(stderr, "gillab: cannot write trace file '%s'\n", trace_file.c_str());
            return 1;
        }
    }

    // Refused before any work: too many real threads, or more simulator work than its cap.
    if (std::string why = refuse_before_run(*e, params); !why.empty()) {
        std::fprintf(stderr, "gillab: %s\n", why.c_str());
        return 1;
    }
    RunControl ctl;
    ctl.record_trace = !no_trace && (!trace_file.empty() || !json);
#if !defined(_WIN32) && !defined(__EMSCRIPTEN__)
    ctl.progress_to_stderr = !quiet && isatty(2);
#endif
    g_cancel = &ctl.cancel;
    std::signal(SIGINT, on_sigint);
    RunResult r = run_experiment(*e, params, seed, ctl);
    std::signal(SIGINT, SIG_DFL);
    g_cancel = nullptr;

    if (!r.error.empty()) {
        if (json) std::printf("%s\n", result_json(r).c_str());
        std::fprintf(stderr, "gillab: %s\n", r.error.c_str());
        return 1;
    }
    if (stats) {
        long kib = peak_rss_kib();
        if (kib >= 0) r.metrics.set("peak_rss_kib", (double)kib, "KiB", "Peak memory (resident)");
        if (r.trace) {
            r.metrics.set("trace_intervals", (double)r.trace->interval_count(), "", "Trace intervals held");
            r.metrics.set("trace_events", (double)r.trace->events.size(), "", "Trace events held");
        }
    }
    if (json) std::printf("%s\n", result_json(r).c_str());
    else if (csv) std::printf("%s", result_csv(r).c_str());
    else if (!quiet) print_human(r);

    if (trace_out.is_open()) {
        if (!r.trace) {
            std::fprintf(stderr, "gillab: %s records no trace\n", e->id.c_str());
            return 1;
        }
        trace_out << result_trace_json(r, e->id + " (seed " + std::to_string(seed) + ")");
        trace_out.close();
        if (!trace_out) {
            std::fprintf(stderr, "gillab: writing '%s' failed\n", trace_file.c_str());
            return 1;
        }
        if (!json && !csv && !quiet)
            std::printf("\ntrace: %s (open it in https://ui.perfetto.dev)\n", trace_file.c_str());
    }
    return r.cancelled ? 130 : 0;
}

// `explore ID|--program FILE [--set ...] [--query Q] [--json] [--max-states N] [--no-merge]`:
// every schedule the version allows (sim/explore.h), its outcomes, counts and witnesses.
int cmd_explore(const std::vector<std::string>& args) {
    const ExperimentSpec* e = nullptr;
    std::string file, query_text;
    bool json = false, merge = true;
    uint64_t max_states = 2'000'000;
    std::vector<std::string> sets;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--program") {
            if (i + 1 >= args.size() || args[i + 1].empty()) return usage_error("--program needs a file name");
            file = args[++i];
        } else if (a == "--set") {
            if (i + 1 >= args.size()) return usage_error("--set needs key=value");
            sets.push_back(args[++i]);
        } else if (a.rfind("--set=", 0) == 0) {
            sets.push_back(a.substr(6));
        } else if (a == "--query") {
            if (i + 1 >= args.size()) return usage_error("--query needs NAME OP INT, e.g. final==4");
            query_text = args[++i];
        } else if (a == "--json") {
            json = true;
        } else if (a == "--no-merge") {
            merge = false;
        } else if (a == "--max-states") {
            int64_t n = 0;
            if (i + 1 >= args.size() || !parse_int64(args[i + 1], n) || n < 1) return usage_error("--max-states needs a positive integer");
            max_states = (uint64_t)n;
            ++i;
        } else if (a.find('=') != std::string::npos && a[0] != '-') {
            sets.push_back(a);
        } else if (!e && file.empty() && a[0] != '-') {
            e = find_experiment(a);
            if (!e) return usage_error("unknown experiment '" + a + "' (see 'gillab list')");
        } else {
            return usage_error("unknown option '" + a + "' for explore");
        }
    }
    if (!e && file.empty()) return usage_error("explore needs an experiment id or --program FILE.py");
    if (e && !file.empty()) return usage_error("explore takes an experiment id or --program, not both");
    if (e && e->engine != Engine::Sim) return usage_error(e->id + " runs real threads: the explorer takes simulated programs");
    std::string src;
    if (!file.empty()) {  // a file is a program for the record that takes code
        e = code_experiment();
        if (!e) return usage_error("this build has no record that takes code");
        std::ifstream in(file, std::ios::binary);
        if (!in) {
            std::fprintf(stderr, "gillab: cannot read program '%s': %s\n", file.c_str(), std::strerror(errno));
            return 2;
        }
        src.assign((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (src.size() > 64 * 1024) return usage_error("--program: the program is longer than 64 KiB");
    }
    ParamSet params = ParamSet::defaults(e->params);
    params.code = src;
    if (!file.empty() && src.empty()) params.code = "\n";  // an empty file is an empty program, not the template
    for (const auto& kv : sets)
        if (std::string err = params.set_assignment(kv); !err.empty()) return usage_error(err);
    sim::ExploreQuery q;
    if (!query_text.empty())
        if (std::string err = sim::parse_query(query_text, q); !err.empty()) return usage_error(err);
    sim::ExploreOptions opt;
    opt.merge_states = merge;
    opt.max_states = max_states;
    static std::atomic<bool> cancel{false};
    g_cancel = &cancel;  // Ctrl-C stops the search; what was found is printed
    std::signal(SIGINT, on_sigint);
    opt.cancel = &cancel;
    const bool tty = isatty(2);
    if (tty) opt.progress = [](double f) { std::fprintf(stderr, "\rexploring ... %3d%% of the bound", (int)(f * 100)); };
    const ExploreReport rep = explore_experiment(*e, params, opt, file.empty() ? "program.py" : file);
    std::signal(SIGINT, SIG_DFL);
    if (tty) std::fprintf(stderr, "\r%40s\r", "");
    if (!rep.error.empty()) {
        std::fprintf(stderr, "gillab: cannot explore this program: %s\n", rep.error.c_str());
        return 1;
    }
    const sim::ExploreResult& r = rep.result;
    const ProgramView* view = rep.view.get();  // what the witnesses' pcs point at (as dis shows it)
    const std::string what = file.empty() ? e->id : file;
    const std::string& final_var = rep.final_var;
    // The globals that differ between outcomes (else the main variable), for the text.
    std::vector<std::string> shown;
    if (!r.outcomes.empty())
        for (size_t g = 0; g < r.outcomes[0].globals.size(); ++g) {
            bool varies = false;
            for (const auto& o : r.outcomes) varies |= o.globals[g].second != r.outcomes[0].globals[g].second;
            if (varies || r.outcomes[0].globals[g].first == final_var) shown.push_back(r.outcomes[0].globals[g].first);
        }
    const bool has_q = !query_text.empty();
    const sim::ExploreOutcome* can = nullptr;
    const sim::ExploreOutcome* counter_example = nullptr;
    for (const auto& o : r.outcomes) {
        if (has_q && !can && sim::query_holds(o, q, final_var)) can = &o;
        if (has_q && !counter_example && !sim::query_holds(o, q, final_var)) counter_example = &o;
    }
    // "Thread-1 at work line 18 (STORE_GLOBAL counter)" for each thread's turn.
    auto witness_text = [&](const std::vector<sim::ScheduleStep>& s) {
        std::string o;
        int turns = 0, more = 0;
        for (size_t i = 0; i < s.size(); ++i) {
            if (i > 0 && s[i].thread == s[i - 1].thread) continue;  // it went on: one turn
            if (++turns > 24) {  // a long witness: its start, and how many turns follow
                ++more;
                continue;
            }
            const DisLine* d = view ? view->at(s[i].pc) : nullptr;
            o += "\n      " + ((size_t)s[i].thread < r.threads.size() ? r.threads[(size_t)s[i].thread] : std::string("?")) + " at " +
                 s[i].function + " line " + std::to_string(s[i].line) +
                 (d ? " (" + d->opname + (d->argrepr.empty() ? "" : " " + d->argrepr) + ")" : "");
        }
        if (more) o += "\n      ... " + std::to_string(more) + " more turns (--json lists them all)";
        return o;
    };
    // Counts of schedules grow as factorials: past 10^15 they are written as powers of ten.
    auto count_text = [](double n) {
        char b[64];
        if (n < 1e15) std::snprintf(b, sizeof b, "%.0f", n);
        else std::snprintf(b, sizeof b, "about %.1f x 10^%d", n / std::pow(10.0, std::floor(std::log10(n))), (int)std::floor(std::log10(n)));
        return std::string(b) + (n == 1 ? " schedule" : " schedules");
    };
    const std::string how = r.complete ? "complete search" : "bounded search (" + r.bound + "), then " + std::to_string(r.sampled) + " random schedules";
    if (json) {
        JsonWriter w;
        w.begin_object();
        w.key("experiment").value(what).key("version").value(rep.version).key("gil").value(rep.gil);
        w.key("complete").value(r.complete).key("bound").value(r.bound).key("sampled").value((double)r.sampled);
        if (!rep.hint.empty()) w.key("hint").value(rep.hint);
        w.key("states").value((double)r.states).key("schedules").value(r.schedules).key("merged").value(merge);
        w.key("final").value(final_var);
        w.key("threads").begin_array();
        for (const auto& n : r.threads) w.value(n);
        w.end_array();
        auto witness = [&](const std::vector<sim::ScheduleStep>& s) {
            w.begin_array();
            for (const auto& st : s)
                w.begin_object().key("thread").value((size_t)st.thread < r.threads.size() ? r.threads[(size_t)st.thread] : "?")
                    .key("function").value(st.function).key("line").value((int64_t)st.line).key("pc").value((int64_t)st.pc).end_object();
            w.end_array();
        };
        w.key("outcomes").begin_array();
        for (const auto& o : r.outcomes) {
            w.begin_object().key("globals").begin_object();
            for (const auto& [n, v] : o.globals) w.key(n).value((double)v);
            w.end_object();
            w.key("deadlock").value(o.deadlock);
            if (o.deadlock) w.key("stuck").value(o.stuck);
            w.key("schedules").value(o.schedules);
            w.key("witness");
            witness(o.witness);
            w.end_object();
        }
        w.end_array();
        if (has_q) {
            w.key("query").begin_object().key("text").value(query_text);
            w.key("can").value(can != nullptr).key("always").value(!counter_example && !r.outcomes.empty());
            w.key("answer_complete").value(r.complete || can != nullptr);
            if (can) {
                w.key("witness");
                witness(can->witness);
            }
            if (counter_example) {
                w.key("counter_example");
                witness(counter_example->witness);
            }
            w.end_object();
        }
        w.end_object();
        std::printf("%s\n", w.str().c_str());
        return 0;
    }
    std::printf("%s on %s (%s): %zu outcome%s, %s; %s, %llu states visited\n", what.c_str(), rep.version.c_str(),
                rep.gil ? "switches only at the eval breaker's check points and where the GIL is let go"
                             : "no GIL: every access to shared state interleaves",
                r.outcomes.size(), r.outcomes.size() == 1 ? "" : "s", how.c_str(),
                r.complete ? count_text(r.schedules).c_str() : "an unknown number of schedules",
                (unsigned long long)r.states);
    if (!rep.hint.empty()) std::printf("  (%s)\n", rep.hint.c_str());
    for (const auto& o : r.outcomes) {
        std::string vals;
        for (const auto& [n, v] : o.globals)
            if (std::find(shown.begin(), shown.end(), n) != shown.end()) vals += (vals.empty() ? "" : ", ") + n + " = " + std::to_string(v);
        if (o.deadlock) vals = "deadlock (" + o.stuck + ")" + (vals.empty() ? "" : ": " + vals);
        std::printf("\n  %s\n    %s; for example (each thread's turn, from the instruction it resumes at):%s\n",
                    vals.empty() ? "(the program's ints)" : vals.c_str(),
                    r.complete ? count_text(o.schedules).c_str() : "reached (the search was bounded)",
                    witness_text(o.witness).c_str());
    }
    if (has_q) {
        std::printf("\n  can %s? %s\n", query_text.c_str(),
                    can ? ("yes:" + witness_text(can->witness)).c_str()
                        : r.complete ? "no schedule does" : "not found (the search was bounded)");
        std::printf("  is it always %s? %s\n", query_text.c_str(),
                    counter_example ? ("no:" + witness_text(counter_example->witness)).c_str()
                                    : r.complete ? "yes, on every schedule" : "on every schedule tried (the search was bounded)");
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) return usage_error("missing command");
    const std::string cmd = args[0];
    std::vector<std::string> rest(args.begin() + 1, args.end());
    if (cmd == "help" || cmd == "--help" || cmd == "-h") {
        std::printf("gillab %s — GIL Lab on the command line\n%s", kVersion, kUsage);
        return 0;
    }
    if (cmd == "--version" || cmd == "version") {
        std::printf("gillab %s\n", kVersion);
        return 0;
    }
    if (cmd == "list") {
        if (rest.size() == 1 && rest[0] == "--markdown") return cmd_list(true);
        if (!rest.empty()) return usage_error("list takes no arguments but --markdown");
        return cmd_list(false);
    }
    if (cmd == "describe") {
        for (const auto& a : rest)
            if (a == "--program" || a.rfind("--program=", 0) == 0) return cmd_describe_program(rest);
        if (rest.empty() || rest[0].rfind("-", 0) == 0) return usage_error("describe needs exactly one experiment id");
        const ExperimentSpec* e = find_experiment(rest[0]);
        if (!e) return usage_error("unknown experiment '" + rest[0] + "' (see 'gillab list')");
        return cmd_describe(*e, std::vector<std::string>(rest.begin() + 1, rest.end()));
    }
    if (cmd == "run") return cmd_run(rest);
    if (cmd == "explore") return cmd_explore(rest);
    if (cmd == "calibrate") return gil::cli::calibrate_main(rest);
    return usage_error("unknown command '" + cmd + "'");
}
