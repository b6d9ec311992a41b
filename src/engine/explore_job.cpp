// explore_job.cpp — see explore_job.h.
#include "engine/explore_job.h"

#include <algorithm>
#include <exception>
#include <system_error>
#include <thread>

#include "engine/sim/harness.h"

namespace gil {

std::string ExploreReport::outcome_label(const sim::ExploreOutcome& o) const {
    if (o.deadlock) return "deadlock";
    bool found = false;
    const int64_t v = o.value(final_var, found);
    if (found) return final_var + " = " + std::to_string(v);
    std::string s;
    for (const auto& [n, x] : o.globals) s += (s.empty() ? "" : ", ") + n + " = " + std::to_string(x);
    return s.empty() ? "done" : s;
}

std::shared_ptr<const sim::Program> explorable_program(const ExperimentSpec& e, const ParamSet& p, const std::string& file) {
    const sim::Common c = sim::common(p);
    return e.takes_code && !p.code.empty() ? sim::program_from_python(p.code, *c.row, {}, file) : sim::experiment_program(e, p, c);
}

ExploreReport explore_experiment(const ExperimentSpec& e, const ParamSet& p, sim::ExploreOptions opt, const std::string& file) {
    ExploreReport rep;
    if (e.engine != Engine::Sim || !e.program) {
        rep.error = "this experiment runs real threads: only simulated programs can be explored";
        return rep;
    }
    try {
        const sim::Common c = sim::common(p);
        rep.version = c.version;
        rep.gil = c.prof.has_gil;
        std::shared_ptr<const sim::Program> prog = explorable_program(e, p, file);
        rep.view = program_view(e, p);
        rep.final_var = sim::final_name(*prog);
        opt.has_gil = rep.gil;
        rep.result = sim::explore(*prog, opt);
        if (!rep.result.error.empty()) rep.error = rep.result.error;
        if (!rep.result.complete)
            for (const ParamSpec& s : e.params)
                if (s.work) {
                    rep.hint = "lower '" + s.label + "' to 2 or 3 (now " + p.format(p.index_of(s.key)) +
                               ") to see every schedule";
                    break;
                }
    } catch (const std::exception& err) {
        rep.error = err.what();
    }
    return rep;
}

std::shared_ptr<ExploreJob> ExploreJob::start(const ExperimentSpec& e, const ParamSet& p, sim::ExploreOptions opt) {
    auto job = std::make_shared<ExploreJob>();
    opt.cancel = &job->cancel_;
    ExploreJob* raw = job.get();  // the body owns the job, so it outlives every progress call
    opt.progress = [raw](double f) { raw->permille_.store((int)std::clamp(f * 1000.0, 0.0, 1000.0), std::memory_order_relaxed); };
    const ExperimentSpec* spec = &e;
    auto body = [job, spec, p, opt] {
        job->report_ = explore_experiment(*spec, p, opt);
        job->done_.store(true, std::memory_order_release);
    };
#if defined(GILLAB_NO_THREADS)
    body();
#else
    try {
        std::thread(body).detach();  // the page's main thread never joins; the lambda owns the job
    } catch (const std::system_error& err) {
        job->report_.error = std::string("could not start a background thread: ") + err.what();
        job->done_.store(true, std::memory_order_release);
    }
#endif
    return job;
}

}  // namespace gil
