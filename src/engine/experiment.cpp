// experiment.cpp — metrics containers, the common run wrapper, JSON and CSV output.
#include "engine/experiment.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <thread>

#include "engine/json.h"
#include "engine/real/common.h"
#include "engine/sim/sim.h"

namespace gil {

Metric& Metrics::set(const std::string& key, double value, const std::string& unit, const std::string& label) {
    for (auto& m : items)
        if (m.key == key) {
            m.value = value;
            if (!unit.empty()) m.unit = unit;
            if (!label.empty()) m.label = label;
            return m;
        }
    items.push_back({key, value, unit, label.empty() ? key : label, ""});
    return items.back();
}

Metric& Metrics::set_text(const std::string& key, const std::string& text, const std::string& label) {
    Metric& m = set(key, 0, "", label);
    m.text = text;
    return m;
}

const Metric* Metrics::find(const std::string& key) const {
    for (const auto& m : items)
        if (m.key == key) return &m;
    return nullptr;
}

double Metrics::get(const std::string& key, double fallback) const {
    const Metric* m = find(key);
    return m ? m->value : fallback;
}

void RunControl::progress(double fraction) {
    int p = (int)(fraction * 1000.0);
    p = p < 0 ? 0 : p > 1000 ? 1000 : p;
    int old = progress_permille.exchange(p, std::memory_order_relaxed);
    if (progress_to_stderr && p / 50 != old / 50) {
        std::fprintf(stderr, "\r[%3d%%] running...", p / 10);
        if (p >= 1000) std::fprintf(stderr, "\r              \r");
        std::fflush(stderr);
    }
}

const char* topic_title(Topic t) {
    switch (t) {
    case Topic::Gil: return "The GIL";
    case Topic::Races: return "Races and locks";
    case Topic::Parallel: return "Parallel vs serial";
    case Topic::Processes: return "Processes and pools";
    case Topic::FreeThreaded: return "Free-threaded Python";
    case Topic::Asyncio: return "asyncio";
    case Topic::Yours: return "Your code";
    default: return "?";
    }
}

std::string experiment_list_text() {
    std::string o;
    char line[512];
    for (int t = 0; t < (int)Topic::Count; ++t) {
        bool header = false;
        for (const auto& e : experiments()) {
            if ((int)e.topic != t) continue;
            if (!header) o += std::string(o.empty() ? "" : "\n") + topic_title((Topic)t) + "\n";
            header = true;
            std::snprintf(line, sizeof line, "  %-18s %-4s  %s\n", e.id.c_str(), engine_name(e.engine), e.summary.c_str());
            o += line;
        }
    }
    return o;
}

std::string experiment_list_markdown() {
    std::string o = "| topic | experiment | runs on | what it shows |\n|---|---|---|---|\n";
    for (int t = 0; t < (int)Topic::Count; ++t)
        for (const auto& e : experiments())
            if ((int)e.topic == t)
                o += std::string("| ") + topic_title((Topic)t) + " | `" + e.id + "` | " +
                     (e.engine == Engine::Sim ? "simulator" : "real threads") + " | " + e.summary + " |\n";
    return o;
}

RunResult run_experiment(const ExperimentSpec& spec, const ParamSet& params, uint64_t seed, RunControl& ctl) {
    RunResult r;
    r.experiment = spec.id;
    r.engine = spec.engine;
    r.params = params;
    r.seed = seed;
    try {
        r.program = program_view(spec, params);
        spec.run(spec, params, seed, ctl, r);
        // The race detector's note (harness add_sim_metrics) comes after what the experiment
        // itself says about the run.
        std::stable_partition(r.notes.begin(), r.notes.end(),
                              [](const std::string& n) { return n.rfind("Race detector:", 0) != 0; });
    } catch (const std::bad_alloc&) {
        r.error = "out of memory: try fewer threads, a shorter run, or switch the trace off";
    } catch (const std::exception& e) {
        r.error = std::string("internal error: ") + e.what();
    }
    r.cancelled = r.cancelled || ctl.cancelled();
    ctl.progress(1.0);
    return r;
}

double param_max(const ExperimentSpec& spec, const ParamSpec& s) {
    if (spec.engine == Engine::Real && s.real_threads)
        return std::max(s.min, std::min(s.max, (double)real::max_worker_threads()));
    return s.max;
}

WorkEstimate estimate_work(const ExperimentSpec& spec, const ParamSet& params) {
    WorkEstimate w;
    if (spec.engine != Engine::Sim || !spec.run) return w;
    int wi = -1;
    for (size_t i = 0; i < spec.params.size() && wi < 0; ++i)
        if (spec.params[i].work) wi = (int)i;
    if (wi < 0 || params.values.size() != spec.params.size()) return w;
    w.limit = (double)sim::SimConfig::kDefaultMaxSteps;
    const double v = params.values[(size_t)wi];
    const double lo = std::max(1.0, spec.params[(size_t)wi].min);
    // A pilot: the same run with the work parameter at x, no trace; the steps of its
    // largest simulator run.
    auto pilot = [&](double x, double& steps) {
        ParamSet p = params;
        p.values[(size_t)wi] = std::round(x);
        RunControl ctl;
        ctl.record_trace = false;
        sim::take_most_steps();
        RunResult r = run_experiment(spec, p, 1, ctl);
        steps = (double)sim::take_most_steps();
        return r.error.empty() && !r.cancelled;
    };
    // From a millionth of the work up, four times more each pilot, until a pilot takes
    // 20,000 steps (a few ms): then the steps grow linearly with the work, and two pilots
    // give the slope. Each pilot costs at most ~80,000 steps.
    double x2 = std::max(lo, std::floor(v / 1048576.0)), s2 = 0;
    if (!pilot(x2, s2)) return w;
    double x1 = x2, s1 = s2;
    while (x2 < v && (s2 < 20000 || x1 == x2)) {
        x1 = x2;
        s1 = s2;
        x2 = std::min(v, x2 * 4);
        if (!pilot(x2, s2)) return w;
    }
    w.known = true;
    w.steps = s2;
    if (x2 < v && x2 > x1) w.steps = s2 + std::max(0.0, (s2 - s1) / (x2 - x1)) * (v - x2);
    return w;
}

namespace {
std::string two_digits(double v) {
    if (v < 100) return std::to_string((long long)std::max(1.0, std::floor(v)));
    const double mag = std::pow(10.0, std::floor(std::log10(v)) - 1);
    char b[64];
    std::snprintf(b, sizeof b, "%.0f", std::floor(v / mag) * mag);
    return b;
}
}  // namespace

std::string refuse_before_run(const ExperimentSpec& spec, const ParamSet& params) {
    if (spec.engine == Engine::Real) {
        int n = 0;
        for (size_t i = 0; i < spec.params.size() && i < params.values.size(); ++i)
            if (spec.params[i].real_threads) n += (int)params.values[i];
        return n > 0 ? real::check_thread_count(n) : "";
    }
    const WorkEstimate w = estimate_work(spec, params);
    if (!w.known || w.steps <= w.limit) return "";
    int wi = 0;
    while (!spec.params[(size_t)wi].work) ++wi;
    const ParamSpec& s = spec.params[(size_t)wi];
    const double v = params.values[(size_t)wi];
    const double fits = v * w.limit / w.steps * 0.8;
    char b[512];
    std::snprintf(b, sizeof b,
                  "this run would take about %s million simulation steps, more than the simulator's %s million (a "
                  "few seconds of work): lower '%s' to about %s or less (now %s)",
                  two_digits(w.steps / 1e6).c_str(), two_digits(w.limit / 1e6).c_str(), s.label.c_str(),
                  two_digits(fits).c_str(), params.format(wi).c_str());
    std::string why = b;
    // A short switch interval multiplies the hand-offs the simulator steps through.
    const int ii = params.index_of("interval_us");
    if (ii >= 0 && params.values[(size_t)ii] < spec.params[(size_t)ii].def) why += ", or raise the switch interval";
    return why;
}

std::string result_json(const RunResult& r, bool with_series) {
    JsonWriter w;
    w.begin_object();
    w.key("experiment").value(r.experiment);
    w.key("engine").value(engine_name(r.engine));
    w.key("params").begin_object();
    if (r.params.specs)
        for (size_t i = 0; i < r.params.specs->size(); ++i) {
            const ParamSpec& s = (*r.params.specs)[i];
            w.key(s.key);
            if (s.kind == ParamKind::Choice) w.value(r.params.format((int)i));
            else if (s.kind == ParamKind::Flag) w.value(r.params.values[i] != 0);
            else w.value(r.params.values[i]);
        }
    w.end_object();
    w.key("seed").value((uint64_t)r.seed);
    w.key("metrics").begin_object();
    for (const auto& m : r.metrics.items) {
        w.key(m.key);
        if (!m.text.empty()) w.value(m.text);
        else w.value(m.value);
    }
    w.end_object();
    w.key("units").begin_object();
    for (const auto& m : r.metrics.items)
        if (!m.unit.empty()) w.key(m.key).value(m.unit);
    w.end_object();
    if (!r.notes.empty()) {
        w.key("notes").begin_array();
        for (const auto& n : r.notes) w.value(n);
        w.end_array();
    }
    if (with_series && !r.series.empty()) {
        w.key("series").begin_array();
        for (const auto& s : r.series) {
            w.begin_object().key("key").value(s.key).key("label").value(s.label);
            w.key("x_label").value(s.x_label).key("y_label").value(s.y_label);
            w.key("x").begin_array();
            for (double v : s.x) w.value(v);
            w.end_array().key("y").begin_array();
            for (double v : s.y) w.value(v);
            w.end_array().end_object();
        }
        w.end_array();
    }
    if (r.trace && r.trace->truncated()) {
        w.key("trace_truncated").begin_object();
        w.key("dropped_intervals").value((uint64_t)r.trace->dropped_intervals);
        w.key("dropped_events").value((uint64_t)r.trace->dropped_events);
        w.end_object();
    }
    w.key("cancelled").value(r.cancelled);
    if (!r.error.empty()) w.key("error").value(r.error);
    w.end_object();
    return w.take();
}

std::string result_trace_json(const RunResult& r, const std::string& title) {
    if (!r.trace) return "";
    std::shared_ptr<const ProgramView> prog = r.program;
    PcLookup lookup;
    if (prog && r.engine == Engine::Sim)
        lookup = [prog](uint32_t pc, PcInfo& out) {
            const DisLine* d = prog->at(pc);
            const CodeView* c = prog->code_at(pc);
            if (!d || !c) return false;
            out.line = d->line;
            out.code = c->name;
            out.instruction = d->opname + (d->argrepr.empty() ? "" : " " + d->argrepr);
            return true;
        };
    return chrome_trace_json(*r.trace, title, lookup);
}

std::string result_csv(const RunResult& r) {
    std::string o = "experiment,engine,seed,metric,value,unit\n";
    for (const auto& m : r.metrics.items) {
        char num[48];
        std::snprintf(num, sizeof num, "%.10g", m.value);
        std::string v = m.text.empty() ? num : "\"" + m.text + "\"";
        o += r.experiment + "," + engine_name(r.engine) + "," + std::to_string(r.seed) + "," + m.key + "," + v + "," +
             m.unit + "\n";
    }
    return o;
}

int hardware_threads() {
#if defined(GILLAB_NO_THREADS)
    return 1;
#else
    unsigned n = std::thread::hardware_concurrency();
    return n ? (int)n : 1;
#endif
}

}  // namespace gil
