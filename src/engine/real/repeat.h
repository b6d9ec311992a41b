// repeat.h — the one "warm-up, then N measured runs" loop of the real-thread experiments.
// Every real experiment measures this way; the caller collects what each run gave and
// summarizes it (engine/stats.h: min, median, max).
#pragma once
#include <functional>

#include "engine/experiment.h"

namespace gil::real {

// Calls once(false) for a warm-up (page faults, thread creation paths, CPU frequency) when
// `warmup`, then once(true) `runs` times, stopping early when cancelled. once returns false
// on a failure (threads refused); repeat_runs then stops and returns false.
bool repeat_runs(int runs, bool warmup, const RunControl& ctl, const std::function<bool(bool measured)>& once);

}  // namespace gil::real
