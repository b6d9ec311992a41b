// job.cpp — see job.h.
#include "engine/job.h"

#include <chrono>
#include <exception>
#include <system_error>
#include <thread>

namespace gil {

static int64_t mono_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

std::shared_ptr<Job> Job::start(const ExperimentSpec& spec, const ParamSet& params, uint64_t seed, bool record_trace,
                                Finish finish) {
    auto job = std::make_shared<Job>();
    job->spec_ = &spec;
    job->params_ = params;
    job->seed_ = seed;
    job->ctl_.record_trace = record_trace;
    job->t_start_ = mono_ns();
    auto body = [job, finish = std::move(finish)] {
        job->result_ = run_experiment(*job->spec_, job->params_, job->seed_, job->ctl_);
        if (finish) {
            try {
                finish(job->result_);
            } catch (const std::exception& e) {  // out of memory indexing a huge trace
                job->result_.error = std::string("could not prepare the result: ") + e.what();
            }
        }
        job->t_end_.store(mono_ns(), std::memory_order_relaxed);
        job->done_.store(true, std::memory_order_release);
    };
#if defined(GILLAB_NO_THREADS)
    body();
#else
    try {
        // Detached: the page's main thread must never join. The lambda owns a reference,
        // so the job outlives whoever dropped theirs.
        std::thread(body).detach();
    } catch (const std::system_error& e) {
        job->result_.experiment = spec.id;
        job->result_.error = std::string("could not start a background thread: ") + e.what();
        job->done_.store(true, std::memory_order_release);
    }
#endif
    return job;
}

double Job::elapsed_seconds() const {
    int64_t end = done() ? t_end_.load(std::memory_order_relaxed) : mono_ns();
    if (end == 0) end = mono_ns();
    return (double)(end - t_start_) * 1e-9;
}

void Job::wait() const {
    while (!done()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

}  // namespace gil
