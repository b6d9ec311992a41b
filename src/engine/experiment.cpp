// experiment.cpp — metrics containers, the common run wrapper, JSON and CSV output.
#include "engine/experiment.h"

#include <cstdio>
#include <exception>
#include <thread>

#include "engine/json.h"

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
    } catch (const std::bad_alloc&) {
        r.error = "out of memory: try fewer threads, a shorter run, or switch the trace off";
    } catch (const std::exception& e) {
        r.error = std::string("internal error: ") + e.what();
    }
    r.cancelled = r.cancelled || ctl.cancelled();
    ctl.progress(1.0);
    return r;
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
