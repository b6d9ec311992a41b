// explore_job.h — exploring an experiment's program (sim/explore.h) for a front end: the
// program the experiment runs with these parameters, every schedule its version allows, and
// what to lower when a bound stopped the search; off the calling thread, like Job.
#pragma once
#include <atomic>
#include <memory>
#include <string>

#include "engine/experiment.h"
#include "engine/sim/explore.h"

namespace gil {

struct ExploreReport {
    std::string error;                          // the program cannot be explored (why)
    sim::ExploreResult result;
    std::string final_var;                      // the shared variable threads write ("" none)
    std::shared_ptr<const ProgramView> view;    // what witness pcs point at
    std::string version;
    bool gil = true;
    std::string hint;                           // bounded: which parameter to lower
    // The values of `final_var` per outcome, and whether an outcome deadlocks ("deadlock").
    std::string outcome_label(const sim::ExploreOutcome& o) const;
};

// The program an experiment runs with these parameters, as the explorer and the scheduler take it
// (the user's code for a record that takes code). Throws with a sentence when it does not compile.
std::shared_ptr<const sim::Program> explorable_program(const ExperimentSpec& e, const ParamSet& p,
                                                       const std::string& file = "program.py");

// The experiment's program for these parameters, explored (never throws). `file` names a user's
// code (p.code) in compile errors.
ExploreReport explore_experiment(const ExperimentSpec& e, const ParamSet& p, sim::ExploreOptions opt,
                                 const std::string& file = "program.py");

class ExploreJob {
public:
    static std::shared_ptr<ExploreJob> start(const ExperimentSpec& e, const ParamSet& p, sim::ExploreOptions opt);
    bool done() const { return done_.load(std::memory_order_acquire); }
    void cancel() { cancel_.store(true, std::memory_order_relaxed); }
    double progress() const { return (double)permille_.load(std::memory_order_relaxed) / 1000.0; }
    const ExploreReport& report() const { return report_; }  // once done()

private:
    std::atomic<bool> done_{false}, cancel_{false};
    std::atomic<int> permille_{0};
    ExploreReport report_;
};

}  // namespace gil
