// registry.cpp — the list of experiment records (list.h) and the questions asked of a
// record that do not depend on which experiment it is.
#include <mutex>
#include <stdexcept>

#include "engine/experiment.h"
#include "engine/versions.h"

namespace gil {

namespace ex {
#define GILLAB_EXPERIMENT(name) ExperimentSpec name();
#include "engine/experiments/list.h"
#undef GILLAB_EXPERIMENT
}  // namespace ex

namespace {

std::vector<ExperimentSpec (*)()>& extra_makers() {
    static std::vector<ExperimentSpec (*)()> v;
    return v;
}

// A record as written, completed: the Python text of a simulated experiment comes from its
// program at default parameters.
ExperimentSpec complete(ExperimentSpec e) {
    if (e.program && e.python.empty()) {
        ParamSet d = ParamSet::defaults(e.params);
        if (auto v = e.program(e, d)) e.python = v->source;
    }
    return e;
}

std::vector<ExperimentSpec> build() {
    std::vector<ExperimentSpec> t;
#define GILLAB_EXPERIMENT(name) t.push_back(complete(ex::name()));
#include "engine/experiments/list.h"
#undef GILLAB_EXPERIMENT
    for (auto make : extra_makers()) t.push_back(complete(make()));
    return t;
}

bool g_built = false;

}  // namespace

const std::vector<ExperimentSpec>& experiments() {
    static const std::vector<ExperimentSpec> table = [] {
        g_built = true;
        return build();
    }();
    return table;
}

bool add_experiment(ExperimentSpec (*make)()) {
    if (g_built) throw std::logic_error("add_experiment() after experiments() was first used");
    extra_makers().push_back(make);
    return true;
}

const ExperimentSpec* find_experiment(const std::string& id) {
    for (const auto& e : experiments())
        if (e.id == id) return &e;
    return nullptr;
}

const ExperimentSpec& default_experiment() {
    for (const auto& e : experiments())
        if (e.opens_lab) return e;
    return experiments().front();
}

const ExperimentSpec* code_experiment() {
    for (const auto& e : experiments())
        if (e.takes_code) return &e;
    return nullptr;
}

const PuzzleDecl* find_puzzle(const std::string& id, const ExperimentSpec** owner) {
    for (const auto& e : experiments())
        for (const auto& pz : e.puzzles)
            if (pz.id == id) {
                if (owner) *owner = &e;
                return &pz;
            }
    return nullptr;
}

std::string puzzle_ids() {
    std::string ids;
    for (const auto& e : experiments())
        for (const auto& p : e.puzzles) ids += (ids.empty() ? "" : ", ") + p.id;
    return ids;
}

double step_interval_ns(const ExperimentSpec&, const ParamSet& p) {
    // interval_us is the key every record's interval_p() declares (experiments/common.cpp).
    return p.index_of("interval_us") >= 0 ? p.get("interval_us") * 1000 : 5e6;
}

bool experiment_has_gil(const ExperimentSpec& e, const ParamSet& p) {
    switch (e.gil) {
    case GilModel::Always: return true;
    case GilModel::Never: return false;
    case GilModel::FromVersion: break;
    }
    if (p.index_of("version") < 0) return default_version().has_gil;
    const VersionRow* row = find_version(p.choice_name("version"));
    return row ? row->has_gil : true;
}

std::shared_ptr<const ProgramView> program_view(const ExperimentSpec& e, const ParamSet& p) {
    return e.program ? e.program(e, p) : nullptr;
}

}  // namespace gil
