// common.cpp — see common.h.
#include "engine/experiments/common.h"

#include "engine/versions.h"

namespace gil::ex {

ParamSpec int_p(const char* key, const char* label, double min, double max, double def, const char* unit,
                const char* help, bool log_scale) {
    ParamSpec s;
    s.key = key;
    s.label = label;
    s.kind = ParamKind::Int;
    s.min = min;
    s.max = max;
    s.def = def;
    s.unit = unit;
    s.help = help;
    s.log_scale = log_scale;
    return s;
}

ParamSpec real_p(const char* key, const char* label, double min, double max, double def, const char* unit,
                 const char* help, bool log_scale) {
    ParamSpec s = int_p(key, label, min, max, def, unit, help, log_scale);
    s.kind = ParamKind::Real;
    return s;
}

ParamSpec choice_p(const char* key, const char* label, std::vector<std::string> choices, int def, const char* help) {
    ParamSpec s;
    s.key = key;
    s.label = label;
    s.kind = ParamKind::Choice;
    s.min = 0;
    s.max = (double)choices.size() - 1;
    s.def = def;
    s.choices = std::move(choices);
    s.help = help;
    return s;
}

ParamSpec tested(ParamSpec s, double test_max, double test_min) {
    s.test_max = test_max;
    s.test_min = test_min;
    return s;
}

ParamSpec work(ParamSpec s) {
    s.work = true;
    return s;
}

ParamSpec real_threads(ParamSpec s) {
    s.real_threads = true;
    return s;
}

ParamSpec version_p(const char* def) {
    const VersionRow* d = def ? find_version(def) : &default_version();
    if (!d) d = &default_version();
    int index = 0;
    const auto& rows = versions();
    for (size_t i = 0; i < rows.size(); ++i)
        if (&rows[i] == d) index = (int)i;
    return choice_p("version", "Python version", version_names(), index,
                    "Interpreter version: where the eval breaker is checked, whether there is a GIL, costs. "
                    "'t' = free-threaded build (no GIL).");
}

ParamSpec cores_p(double def) {
    return int_p("cores", "CPU cores", 1, 64, def, "", "Cores of the simulated machine.");
}

ParamSpec interval_p() {
    return tested(real_p("interval_us", "Switch interval", 1, 1'000'000, 5000, "us",
                         "sys.setswitchinterval(): how long a waiting thread waits before asking for the GIL "
                         "(5000 us = 5 ms).",
                         true),
                  1'000'000, 20);
}

std::vector<ThreadState> sim_states(bool c_code, bool locks, bool cores, bool io) {
    std::vector<ThreadState> s{ThreadState::Running, ThreadState::WaitGil};
    if (cores) s.push_back(ThreadState::WaitCore);
    if (io) s.push_back(ThreadState::Io);
    if (c_code) s.push_back(ThreadState::CCode);
    if (locks) s.push_back(ThreadState::WaitLock);
    return s;
}

std::vector<EventKind> gil_marks(bool lost_updates) {
    // The timeline draws both where they happen: the request (a triangle) and the forced
    // switch that answers it (a line).
    std::vector<EventKind> m{EventKind::DropRequest, EventKind::ForcedSwitch};
    if (lost_updates) m.push_back(EventKind::LostUpdate);
    return m;
}

std::vector<CounterDecl> gil_counters(bool lost_updates) {
    std::vector<CounterDecl> c{{EventKind::GilTake, "GIL switches"},
                               {EventKind::DropRequest, "drop requests"},
                               {EventKind::ForcedSwitch, "forced switches"}};
    // Counted as the run plays: stale stores (each lost at least one update). The lost updates
    // themselves (expected - final, what the notes say) are known only at the end: a stale
    // store can overwrite another's, so the overwritten increments summed would count some twice.
    if (lost_updates) c.push_back({EventKind::LostUpdate, "stale stores"});
    return c;
}

std::vector<std::string> sim_hidden() { return {"sim_"}; }

ChartDecl time_bars(std::vector<ChartItem> items, std::string title) {
    ChartDecl c;
    c.kind = ChartKind::MetricBars;
    c.title = std::move(title);
    c.items = std::move(items);
    c.unit = "s";
    c.scale = 1e9;
    return c;
}

void lock_wait_view(ViewDecl& v) {
    v.states = {ThreadState::Running, ThreadState::WaitGil, ThreadState::Io, ThreadState::WaitLock};
    v.marks = {EventKind::Deadlock};
    v.counters = gil_counters();
    v.hidden_metric_prefixes = sim_hidden();
}

ChartDecl histogram(const char* series, std::string title, std::string empty_text) {
    ChartDecl c;
    c.kind = ChartKind::Histogram;
    c.title = std::move(title);
    c.items = {{series, ""}};
    c.empty_text = std::move(empty_text);
    return c;
}

ChartDecl lines(std::vector<ChartItem> series, bool log_x, bool integer_x, std::string title) {
    ChartDecl c;
    c.kind = ChartKind::Lines;
    c.items = std::move(series);
    c.log_x = log_x;
    c.integer_x = integer_x;
    c.title = std::move(title);
    return c;
}

}  // namespace gil::ex
