// job.h — runs one experiment off the calling thread, for front ends that must not block
// (the page's main thread, the native window's frame loop). The front end polls done()
// each frame; the job never calls back into it.
//
// Builds without threads (the page for non-isolated hosts) run the job synchronously
// inside start(): simulator runs are short, and real-thread runs refuse at once.
#pragma once
#include <atomic>
#include <functional>
#include <memory>

#include "engine/experiment.h"

namespace gil {

class Job {
public:
    // `finish`, if given, runs on the job's thread after the run and before done() turns
    // true: what a front end derives from the result (the UI's timeline index) is built
    // there, so no front end starts a thread of its own and the page's thread pool needs
    // one slot for the job, not two.
    using Finish = std::function<void(RunResult&)>;
    static std::shared_ptr<Job> start(const ExperimentSpec& spec, const ParamSet& params, uint64_t seed,
                                      bool record_trace = true, Finish finish = {});
    bool done() const { return done_.load(std::memory_order_acquire); }
    void cancel() { ctl_.cancel.store(true, std::memory_order_relaxed); }
    const RunControl& control() const { return ctl_; }
    // Valid once done() is true.
    const RunResult& result() const { return result_; }
    RunResult& result() { return result_; }
    const ExperimentSpec& spec() const { return *spec_; }
    double elapsed_seconds() const;  // since start, frozen when done
    // Blocks until done (tests, CLI). Never call on the browser's main thread.
    void wait() const;

private:
    const ExperimentSpec* spec_ = nullptr;
    ParamSet params_;
    uint64_t seed_ = 0;
    RunControl ctl_;
    RunResult result_;
    std::atomic<bool> done_{false};
    int64_t t_start_ = 0;
    std::atomic<int64_t> t_end_{0};
};

}  // namespace gil
