// real.h — run functions of the real-thread experiments (their records are in
// src/engine/experiments/real_*.cpp).
#pragma once
#include "engine/experiment.h"

namespace gil::real {

void run_race(const ExperimentSpec&, const ParamSet&, uint64_t seed, RunControl&, RunResult&);
void run_contention(const ExperimentSpec&, const ParamSet&, uint64_t seed, RunControl&, RunResult&);
void run_scaling(const ExperimentSpec&, const ParamSet&, uint64_t seed, RunControl&, RunResult&);
void run_false_sharing(const ExperimentSpec&, const ParamSet&, uint64_t seed, RunControl&, RunResult&);
void run_real_gil(const ExperimentSpec&, const ParamSet&, uint64_t seed, RunControl&, RunResult&);

}  // namespace gil::real
