// sim_experiments.h — run functions of the simulator experiments (listed in
// experiments.cpp) and the shared pieces they are built from.
#pragma once
#include <memory>
#include <string>

#include "engine/experiment.h"
#include "engine/sim/program.h"
#include "engine/sim/sim.h"

namespace gil::sim {

void run_gil_cpu(const ExperimentSpec&, const ParamSet&, uint64_t, RunControl&, RunResult&);
void run_gil_io(const ExperimentSpec&, const ParamSet&, uint64_t, RunControl&, RunResult&);
void run_gil_mixed(const ExperimentSpec&, const ParamSet&, uint64_t, RunControl&, RunResult&);
void run_gil_convoy(const ExperimentSpec&, const ParamSet&, uint64_t, RunControl&, RunResult&);
void run_gil_interval(const ExperimentSpec&, const ParamSet&, uint64_t, RunControl&, RunResult&);
void run_race_counter(const ExperimentSpec&, const ParamSet&, uint64_t, RunControl&, RunResult&);
void run_race_lock_cost(const ExperimentSpec&, const ParamSet&, uint64_t, RunControl&, RunResult&);
void run_cext_release(const ExperimentSpec&, const ParamSet&, uint64_t, RunControl&, RunResult&);
void run_mp_process(const ExperimentSpec&, const ParamSet&, uint64_t, RunControl&, RunResult&);
void run_pool_compare(const ExperimentSpec&, const ParamSet&, uint64_t, RunControl&, RunResult&);
void run_ft_scaling(const ExperimentSpec&, const ParamSet&, uint64_t, RunControl&, RunResult&);
void run_deadlock_order(const ExperimentSpec&, const ParamSet&, uint64_t, RunControl&, RunResult&);
void run_async_io(const ExperimentSpec&, const ParamSet&, uint64_t, RunControl&, RunResult&);

// The bytecode `gillab describe` prints for an experiment's default parameters.
std::string describe_program(const ExperimentSpec& spec, const ParamSet& params);

// The program an experiment runs for given parameters (the UI shows its bytecode).
std::shared_ptr<const Program> program_for(const std::string& experiment_id, const ParamSet& params);

}  // namespace gil::sim
