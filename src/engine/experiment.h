// experiment.h — the experiment table and the contract every run follows.
//
// One table (experiments.cpp) lists every experiment: id, title, topic, the text a
// student reads, the Python program it models, its parameters with ranges and defaults,
// and the function that runs it. The CLI, the UI, the URL parser, the JS API and the
// tests all read that table; adding an experiment touches that one file (plus the file
// with its run function).
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
    bool cancelled = false;
    std::string error;               // non-empty: the run could not be done (refused, limits)
};

struct ExperimentSpec;
using RunFn = void (*)(const ExperimentSpec&, const ParamSet&, uint64_t seed, RunControl&, RunResult&);

enum class Topic : uint8_t { Gil, Races, Parallel, Processes, FreeThreaded, Asyncio, Count };
const char* topic_title(Topic t);

struct ExperimentSpec {
    std::string id;        // "gil.cpu": part of the CLI and URL contract
    std::string title;     // "CPU-bound threads vs serial"
    Topic topic = Topic::Gil;
    Engine engine = Engine::Sim;
    std::string summary;   // one line for `gillab list`
    std::string explain;   // a paragraph for students
    std::string python;    // the Python program it models
    std::string predict;   // "Predict, then run" question (may be empty)
    std::string predict_metric;  // metric that answers it ("speedup"); "" = no check
    std::string predict_unit;    // what the user types: "x", "s", "ms", "" (a count), "yes/no"
    double predict_scale = 1;    // metric value / scale = the answer in predict_unit
    double predict_tolerance = 0.25;  // relative; 0 = exact (yes/no)
    std::vector<ParamSpec> params;
    RunFn run = nullptr;
    // Optional: extra text for `gillab describe` (the simulator prints the bytecode).
    std::string (*describe_extra)(const ExperimentSpec&, const ParamSet&) = nullptr;
};

const std::vector<ExperimentSpec>& experiments();
const ExperimentSpec* find_experiment(const std::string& id);

// Runs one experiment on the calling thread. Never throws: failures land in result.error.
RunResult run_experiment(const ExperimentSpec& spec, const ParamSet& params, uint64_t seed, RunControl& ctl);

// The JSON object of a result: experiment, engine, params, seed, metrics (+ notes, series).
std::string result_json(const RunResult& r, bool with_series = true);
// CSV: one "key,value,unit" line per metric, with a header.
std::string result_csv(const RunResult& r);

// Hardware threads this process may use (std::thread::hardware_concurrency, at least 1).
int hardware_threads();

}  // namespace gil
