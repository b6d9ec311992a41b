// experiment.h — the experiment record and the contract every run follows.
//
// An experiment is one record (ExperimentSpec): id, title, topic, the texts a student
// reads, its program, its parameters with ranges and defaults, its predict question, the
// small parameters tests use, and what the UI draws for it (charts, legend, counters).
// Each record lives in its own file under src/engine/experiments/ and is listed once in
// experiments/list.h; the CLI, the UI, the URL parser, the JS API, the tests and the docs
// generator all read the records and nothing else names an experiment id.
#pragma once
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/params.h"
#include "engine/trace.h"

namespace gil {

enum class Engine : uint8_t { Sim, Real };
inline const char* engine_name(Engine e) { return e == Engine::Sim ? "sim" : "real"; }

struct Metric {
    std::string key;    // stable, lower_snake: part of the JSON contract
    double value = 0;
    std::string unit;   // "ns", "x", "%", "" ...
    std::string label;  // short human label
    std::string text;   // non-empty for text metrics (value then unused)
};

struct Metrics {
    std::vector<Metric> items;
    Metric& set(const std::string& key, double value, const std::string& unit = "", const std::string& label = "");
    Metric& set_text(const std::string& key, const std::string& text, const std::string& label = "");
    const Metric* find(const std::string& key) const;
    double get(const std::string& key, double fallback = 0) const;
};

// A named series of points for charts (speedup vs threads, latency histogram, ...).
struct Series {
    std::string key, label, x_label, y_label;
    std::vector<double> x, y;
};

// A program as the UI and `describe` show it: its source and, per code object, the
// bytecode of the chosen version with the eval-breaker check points marked.
struct DisLine {
    int index = 0;           // instruction index in its code object (what trace pcs refer to)
    int line = 0;            // source line, 0 = none
    std::string opname, arg;
    bool check_point = false;  // a thread may be switched out right after it
    std::string argrepr;     // the argument as `dis` shows it ("NULL + range"), "" if none
};
struct CodeView {
    std::string name;
    std::vector<DisLine> lines;
};
struct ProgramView {
    std::string source;
    std::string version;     // the version row it was shown for
    std::string note;        // version_note(): whose bytecode, GIL or not
    std::string file;        // the experiment's Python file it was compiled from
    std::vector<CodeView> codes;
    // The instruction a trace pc ((code << 16) | index) points at, and its code object; null if none.
    const DisLine* at(uint32_t pc) const;
    const CodeView* code_at(uint32_t pc) const;
};
// Live values a running experiment publishes for the UI to poll (never the other way).
struct LiveGauges {
    static constexpr int kMax = 8;
    std::atomic<int64_t> value[kMax] = {};
    const char* name[kMax] = {};
    std::atomic<int> count{0};
};

// Shared between whoever runs an experiment and whoever watches it.
struct RunControl {
    std::atomic<bool> cancel{false};
    std::atomic<int> progress_permille{0};  // 0..1000
    LiveGauges gauges;
    bool record_trace = true;               // off for exact-timing runs
    bool exact_stepping = false;            // simulator: no fast-forward (tests compare both)
    bool progress_to_stderr = false;        // CLI on a terminal
    bool cancelled() const { return cancel.load(std::memory_order_relaxed); }
    void progress(double fraction);
};

struct RunResult {
    std::string experiment;
    Engine engine = Engine::Sim;
    ParamSet params;
    uint64_t seed = 0;
    Metrics metrics;
    std::vector<Series> series;
    std::vector<std::string> notes;  // sentences for the student ("3 updates were lost ...")
    std::shared_ptr<Trace> trace;    // may be null (trace off)
    std::shared_ptr<const ProgramView> program;  // simulated runs: what trace pcs point into
    bool cancelled = false;
    std::string error;               // non-empty: the run could not be done (refused, limits)
};

struct ExperimentSpec;
using RunFn = void (*)(const ExperimentSpec&, const ParamSet&, uint64_t seed, RunControl&, RunResult&);

enum class Topic : uint8_t { Gil, Races, Parallel, Processes, FreeThreaded, Asyncio, Yours, Count };
const char* topic_title(Topic t);

// "Predict, then run": the question and the metric that answers it.
struct PredictDecl {
    std::string question;      // "" = this experiment asks none
    std::string metric;        // metric that answers it ("speedup"); "" = no check
    std::string unit;          // what the user types: "x", "s", "ms", "" (a count), "yes/no"
    double scale = 1;          // metric value / scale = the answer in `unit`
    double tolerance = 0.25;   // relative; 0 = exact (yes/no)
};

// What the UI draws for a finished run. Every chart, legend entry and counter comes from
// these declarations; the UI knows no experiment id and no metric key.
enum class ChartKind : uint8_t {
    MetricBars,   // one bar per metric in `items` (value / scale, in `unit`)
    SeriesBars,   // one bar per point of the series items[0]; bar i is labelled bar_prefix + x
    Lines,        // the series in `items` on shared axes (dashed items drawn dashed)
    Histogram,    // the series items[0] as a histogram
};
struct ChartItem {
    std::string key;       // metric key (MetricBars) or series key (the others)
    std::string label;     // bar label or legend entry ("" = the series' own label)
    bool dashed = false;   // Lines: a reference line (ideal, fitted model)
};
struct ChartDecl {
    ChartKind kind = ChartKind::MetricBars;
    std::string title;       // above the chart ("" = none)
    std::vector<ChartItem> items;
    std::string unit;        // MetricBars: unit of the shown values ("s", "ms", "" = a count)
    double scale = 1;        // MetricBars: shown value = metric / scale
    std::string reference;   // MetricBars: bars below this metric's value are drawn as a loss
    std::string bar_prefix;  // SeriesBars: "thread "
    bool log_x = false;
    bool integer_x = false;  // Lines: integer ticks on the x axis (thread counts)
    std::string empty_text;  // shown (instead of an empty frame) when the run gave no data
};
// A count of trace events up to the playback cursor, shown live while a run plays back.
struct CounterDecl {
    EventKind event;
    std::string label;       // "GIL switches"
};
struct ViewDecl {
    std::vector<ChartDecl> charts;
    // The thread states and event marks this experiment can produce (legend order); the
    // legend lists exactly these.
    std::vector<ThreadState> states;
    std::vector<EventKind> marks;
    // Non-empty: this experiment's runs record no timeline (and declare no states or marks);
    // the timeline area says why, before and after a run.
    std::string no_timeline;
    // Legend names where this experiment means something else by a state ("private work").
    std::vector<std::pair<ThreadState, std::string>> state_names;
    std::vector<CounterDecl> counters;
    // Metric key prefixes left out of the results table (simulator bookkeeping).
    std::vector<std::string> hidden_metric_prefixes;
};

// Whose GIL a run has: the version row's (simulated experiments), always (real.gil's
// protocol in C++), or none (plain real threads).
enum class GilModel : uint8_t { FromVersion, Always, Never };

using ProgramFn = std::shared_ptr<const ProgramView> (*)(const ExperimentSpec&, const ParamSet&);

// A "be the scheduler" puzzle (the Explore tab, the API's `puzzle ID`, the URL's puzzle=): the
// record's program with these parameters, small enough to play by hand; the student picks which
// thread runs at each point where the version can switch, and tries to reach the goal.
struct PuzzleDecl {
    std::string id;         // unique over every record: "counter-3.9"
    std::string title;      // "Lose an update on 3.9"
    std::string text;       // the task, and what reaching it (or not) shows
    std::vector<std::pair<std::string, std::string>> set;  // parameters: {"version", "3.9"}
    std::string goal;       // an explorer query ("final<4", "balance<0") or "deadlock"
    std::string goal_text;  // "make the counter end below 4"
    bool reachable = true;  // some schedule reaches the goal (a test asks the explorer)
};
// The bytecode as `gillab describe` prints it, check points marked with '*'.
std::string disassembly_text(const ProgramView& v);

// One experiment: everything the CLI, the UI, the URL parser, the JS API, the tests and the
// docs know about it. Each lives in its own file under src/engine/experiments/ and is listed
// once in src/engine/experiments/list.h.
struct ExperimentSpec {
    std::string id;        // "gil.cpu": part of the CLI and URL contract
    std::string title;     // "CPU-bound threads vs serial"
    Topic topic = Topic::Gil;
    Engine engine = Engine::Sim;
    std::string summary;   // one line for `gillab list`
    std::string explain;   // a paragraph for students
    std::string python;    // the Python program it runs or models (default parameters)
    // Its Python file in src/engine/experiments/programs ("" = <id with '_'>[.<choice value>].py).
    std::string python_file;
    PredictDecl predict;
    std::vector<ParamSpec> params;
    // Small parameters ("key", "value") that keep a run quick: every test (unit, UI, soak)
    // runs the experiment with these instead of keeping its own list.
    std::vector<std::pair<std::string, std::string>> small;
    GilModel gil = GilModel::FromVersion;
    // Metrics every run must report with exactly this value when present (tests and the
    // soak check them): e.g. real.gil's count of threads seen inside bytecode at once.
    std::vector<std::pair<std::string, double>> invariants;
    ViewDecl view;
    // The experiment the UI opens with (and a link with an unknown id falls back to): the one
    // most people come for. One record sets it; without one the first record is used.
    bool opens_lab = false;
    // The record runs any program in the lab's Python subset: ParamSet::code (the editor's text,
    // the URL's code=, the JS API's {code}), or `python` as its template when that is empty.
    bool takes_code = false;
    std::vector<PuzzleDecl> puzzles;
    RunFn run = nullptr;
    ProgramFn program = nullptr;  // simulated experiments: the program a run executes (python_view)
};

// Every experiment: the built-in ones in list.h order, then any added with add_experiment().
const std::vector<ExperimentSpec>& experiments();
const ExperimentSpec* find_experiment(const std::string& id);
// The record with opens_lab set, else the first one.
const ExperimentSpec& default_experiment();
// The record that runs a user's own code (takes_code), or nullptr in a build without one.
const ExperimentSpec* code_experiment();
// The puzzle with this id and the record it belongs to (nullptr when there is none).
const PuzzleDecl* find_puzzle(const std::string& id, const ExperimentSpec** owner = nullptr);
// Every puzzle's id, "counter-3.9, counter-3.12, ..." (for the message of an unknown one).
std::string puzzle_ids();
// Adds a record (test binaries add a test-only experiment this way, before first use of
// experiments()). Returns true, so it can initialize a static.
bool add_experiment(ExperimentSpec (*make)());
// The experiments grouped by topic, as `gillab list` prints them; and the same as the
// Markdown table the README carries (a test keeps the README equal to it).
std::string experiment_list_text();
std::string experiment_list_markdown();
// Does a run with these parameters have a GIL?
bool experiment_has_gil(const ExperimentSpec& e, const ParamSet& p);
// How far "step one switch interval" moves playback: the run's switch interval
// (interval_us) when the experiment has one, else the interpreter's default 5 ms.
double step_interval_ns(const ExperimentSpec& e, const ParamSet& p);
// The program a simulated experiment runs, as shown for these parameters: its Python file
// compiled for the version's bytecode when it has one (python_view.cpp); null otherwise.
std::shared_ptr<const ProgramView> program_view(const ExperimentSpec& e, const ParamSet& p);
// The experiment's Python file for these parameters, compiled for the version (a ProgramFn:
// simulated experiments set `program = python_view`).
std::shared_ptr<const ProgramView> python_view(const ExperimentSpec& e, const ParamSet& p);
// The same for the embedded program file `file` (a run whose traced part executes another of
// the experiment's files sets its RunResult::program to that file's view).
std::shared_ptr<const ProgramView> python_view_of(const ExperimentSpec& e, const ParamSet& p, const char* file);
// A program's text compiled for the version of `p` (the view a record that takes code shows);
// null when it does not compile (compile_error() says why).
std::shared_ptr<const ProgramView> source_view(const std::string& source, const std::string& file, const ParamSet& p);
// The first compile error of `source` for the bytecode of `p`'s version: "" when it compiles,
// else "line L, column C: sentence"; line and col get the position (1-based).
std::string compile_error(const std::string& source, const ParamSet& p, int* line = nullptr, int* col = nullptr);
// The text of that file (or of the embedded program file `file`, when given) with the
// parameters bound to its `# param:` lines; "" if there is none. `file_out` gets its name.
std::string experiment_source(const ExperimentSpec& e, const ParamSet& p, const char* file = nullptr,
                              std::string* file_out = nullptr);

// Runs one experiment on the calling thread. Never throws: failures land in result.error.
RunResult run_experiment(const ExperimentSpec& spec, const ParamSet& params, uint64_t seed, RunControl& ctl);

// The most a parameter can be set to in this build: its own max or, for a count of real
// threads (ParamSpec::real_threads), what the worker pool can start (the page's is small).
// The UI's sliders stop there.
double param_max(const ExperimentSpec& spec, const ParamSpec& s);
// The simulator's work for a run, estimated before it: main-loop steps against the cap
// (SimConfig::max_steps), from pilot runs with the record's work parameter scaled down.
struct WorkEstimate {
    bool known = false;   // false: no work parameter, or the pilots failed
    double steps = 0;     // estimated steps of the largest simulator run
    double limit = 0;     // the cap per run
};
WorkEstimate estimate_work(const ExperimentSpec& spec, const ParamSet& params);
// Why this build refuses the run, before any of it is done ("" = it can run): real threads
// beyond the pool; simulator work beyond the cap, with the estimate and what to lower.
// The UI (LabState::start), the JS API (through it) and the CLI ask this first.
std::string refuse_before_run(const ExperimentSpec& spec, const ParamSet& params);

// The JSON object of a result: experiment, engine, params, seed, metrics (+ notes, series).
std::string result_json(const RunResult& r, bool with_series = true);
// The run's trace in Chrome's JSON format for Perfetto, each simulated slice carrying the
// program's source line and instruction (RunResult::program); "" when it has no trace.
std::string result_trace_json(const RunResult& r, const std::string& title);
// CSV: one "key,value,unit" line per metric, with a header.
std::string result_csv(const RunResult& r);

// Hardware threads this process may use (std::thread::hardware_concurrency, at least 1).
int hardware_threads();

}  // namespace gil
