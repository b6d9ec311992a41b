// lab.cpp — the lab's state and what changes it (see lab.h); the panels only draw it.
#include "ui/lab.h"

#include <algorithm>
#include <chrono>

#include "ui/codepack.h"
#include "ui/query.h"

namespace gil::ui {

double now_s() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::string LabState::program_key() const {
    std::string k = spec->id;
    for (size_t i = 0; i < params.values.size(); ++i) k += "|" + params.format((int)i);
    if (!params.code.empty()) k += "|code:" + std::to_string(params.code.size()) + ":" + std::to_string(std::hash<std::string>{}(params.code));
    return k;
}

std::string LabState::params_key() const {
    std::string k = spec->id + "|" + std::to_string(seed);
    for (size_t i = 0; i < params.values.size(); ++i) k += "|" + params.format((int)i);
    if (!params.code.empty()) k += "|code:" + std::to_string(params.code.size()) + ":" + std::to_string(std::hash<std::string>{}(params.code));
    return k;
}

void LabState::flash(const std::string& s, double secs) {
    status = s;
    status_until = now_s() + secs;
}

void LabState::select(const ExperimentSpec& e) {
    if (running()) job->cancel();
    if (exploring()) explore_job->cancel();
    explore_job.reset();
    explored.reset();
    sched = Scheduler{};
    explore_scheduler = explore_outcomes = false;
    spec = &e;
    params = ParamSet::defaults(e.params);
    code_origin.clear();
    if (e.takes_code) asks.tab = "Program";  // narrow layout: the editor is what this record is
    status.clear();  // an error of the previous experiment's run is not about this one
    reset_run();
}

void LabState::reset_run() {
    result.reset();
    index.reset();
    result_key.clear();
    playing = false;
    cursor = 0;
    predicted = NAN;
    predict_locked = false;
    predict_buf[0] = 0;
    predict_skipped = false;
    asks.lost_update = -1;
    asks.predict = asks.run_after_predict = false;
}

bool LabState::question_open() const {
    return predict_mode && !spec->predict.question.empty() && !predict_locked && !predict_skipped;
}

bool LabState::verdict_ready() const {
    if (!predict_mode || spec->predict.question.empty() || !predict_locked || !result_current() || running()) return false;
    if (!result->error.empty() || !result->metrics.find(spec->predict.metric)) return false;
    return !(spec->engine == Engine::Sim && result->trace && cursor < (double)end_time());
}

LabState::Verdict LabState::verdict() const {
    Verdict v;
    if (!verdict_ready()) return v;
    const PredictDecl& q = spec->predict;
    v.actual = result->metrics.find(q.metric)->value / q.scale;
    v.right = q.tolerance == 0 ? (predicted != 0) == (v.actual != 0)
                               : std::fabs(predicted - v.actual) <= q.tolerance * std::fabs(v.actual) + 1e-12;
    return v;
}

bool LabState::result_hidden() const {
    if (running() || question_open()) return true;
    return result && spec->engine == Engine::Sim && result->trace && cursor < (double)end_time();
}

void LabState::lock_prediction(double v) {
    predicted = v;
    predict_locked = true;
    asks.predict = false;
    if (asks.run_after_predict) {
        asks.run_after_predict = false;
        if (std::string err = start(); !err.empty()) flash(err, 10);
    }
}

void LabState::skip_prediction() {
    predict_skipped = true;
    asks.predict = false;
    if (asks.run_after_predict) {
        asks.run_after_predict = false;
        if (std::string err = start(); !err.empty()) flash(err, 10);
    }
}

std::string LabState::run_unavailable() const {
    if (!threads_available && spec->engine == Engine::Real)
        return "Real-thread experiments need a cross-origin isolated page (SharedArrayBuffer), and this one is not: "
               "open the lab in its own tab, or use the native build.";
    return "";
}

void LabState::request_run() {
    if (running()) return;
    if (question_open()) {
        asks.predict = true;
        asks.run_after_predict = true;
        asks.tab = "Results";
        return;
    }
    if (std::string err = start(); !err.empty()) flash(err, 10);
}

void LabState::copied(bool ok, const std::string& reason) {
    if (ok && !link_problem().empty()) flash("Link copied, but without your program: " + link_problem(), 12);
    else if (ok) flash("Link copied: it opens the lab exactly as it is now.");
    else flash("The link could not be copied" + (reason.empty() ? std::string(".") : " (" + reason + ").") +
               " Copy it by hand from the box shown.", 10);
}

std::string LabState::start() {
    if (running()) return "an experiment is still running: cancel it first";
    if (!threads_available && spec->engine == Engine::Real)
        return "Real-thread experiments need a cross-origin isolated page (SharedArrayBuffer): open the lab's "
               "own page directly, or use the native build.";
    // What this build cannot run is refused now, not after the work (too many real threads
    // for the pool, more simulator work than its cap: with the estimate and what to lower).
    if (std::string why = refuse_before_run(*spec, params); !why.empty()) {
        why = "Not started: " + why + ".";
        flash(why, 12);
        return why;
    }
    status.clear();  // an error of an earlier run goes away when the next one starts
    explore_scheduler = explore_outcomes = false;  // a timed run is shown on the timeline, where the Explore boards were
    result.reset();
    index.reset();
    cursor = 0;
    // The timeline's index sorts and summarizes up to millions of intervals: the job's
    // thread builds it after the run, so the frame never waits and no thread is started here.
    auto ix = std::make_shared<TraceIndex>();
    const bool gil = experiment_has_gil(*spec, params);
    job = Job::start(*spec, params, seed, true, [ix, gil](RunResult& r) {
        if (r.trace) ix->build(r.trace, gil);
    });
    job_index_ = ix;
    playing = true;
    last_frame = now_s();
    return "";
}

std::string LabState::start_scheduler(const PuzzleDecl* puzzle) {
    if (spec->engine != Engine::Sim || !spec->program) return "only simulated programs can be stepped";
    try {
        auto prog = explorable_program(*spec, params);
        auto st = std::make_shared<sim::Stepper>(prog, experiment_has_gil(*spec, params));
        if (!st->error().empty()) return st->error();
        sched = Scheduler{};
        sched.stepper = std::move(st);
        sched.view = program_view(*spec, params);
        sched.puzzle = puzzle;
        sched.key = program_key();
        sched.final_var = sim::final_name(*prog);
        sched.shared = sim::thread_written(*prog);
    } catch (const std::exception& err) {
        return err.what();
    }
    explore_scheduler = true;
    return "";
}

std::string LabState::open_puzzle(const std::string& id) {
    const ExperimentSpec* owner = nullptr;
    const PuzzleDecl* pz = find_puzzle(id, &owner);
    if (!pz) return "no puzzle '" + id + "' (puzzles: " + puzzle_ids() + ")";
    ParamSet p = ParamSet::defaults(owner->params);
    for (const auto& [k, v] : pz->set)
        if (std::string err = p.set_assignment(k + "=" + v); !err.empty()) return "puzzle " + id + ": " + err;
    select(*owner);
    params = p;
    params_changed();
    asks.tab = "Program";  // the code, with where each thread resumes, beside the scheduler
    return start_scheduler(pz);
}

std::string LabState::scheduler_step(int t, bool whole_line) {
    if (!scheduler_on()) return "the scheduler is not on for the program on screen";
    sched.show_me.clear();
    sched.show_me_pending = false;
    sched.said = whole_line ? sched.stepper->step_line(t) : sched.stepper->step(t);
    return sched.said;
}

void LabState::scheduler_undo() {
    if (!scheduler_on()) return;
    sched.show_me.clear();
    sched.show_me_pending = false;
    sched.said = sched.stepper->undo() ? "" : "nothing to undo: this is the start";
}

void LabState::scheduler_restart() {
    if (!scheduler_on()) return;
    sched.show_me.clear();
    sched.show_me_pending = false;
    sched.said.clear();
    sched.stepper->restart();
}

std::string LabState::scheduler_show_me() {
    if (!scheduler_on()) return "the scheduler is not on for the program on screen";
    if (!sched.puzzle) return "Show me needs a goal: pick a puzzle";
    sched.show_me.clear();
    sched.show_me_pending = true;
    sched.said = "asking the explorer for a schedule that reaches the goal ...";
    if (explored && explored_key == program_key()) return "";
    if (exploring() && explore_for_ == program_key()) return "";  // it is already on its way
    if (exploring()) explore_job->cancel();
    explore_job.reset();
    const bool shown = explore_outcomes;
    std::string err = start_explore();
    explore_outcomes = shown;  // the scheduler's board stays
    return err;
}

std::string LabState::open_witness(size_t i) {
    if (!explored || explored_key != program_key() || i >= explored->result.outcomes.size())
        return "explore the program on screen first";
    const PuzzleDecl* pz = scheduler_on() ? sched.puzzle : nullptr;
    if (std::string err = start_scheduler(pz); !err.empty()) return err;
    sched.show_me = explored->result.outcomes[i].witness;
    sched.show_me_at = 0;
    sched.show_me_next = now_s();
    sched.said = "A schedule that ends with " + explored->outcome_label(explored->result.outcomes[i]) +
                 ", replayed a turn at a time (Undo and Restart work once it is over).";
    return "";
}

LabState::Goal LabState::goal_state() const {
    if (!sched.stepper || !sched.stepper->finished()) return Goal::Playing;
    if (!sched.puzzle) return Goal::Finished;
    const sim::ExploreOutcome o = sched.stepper->outcome();
    if (sched.puzzle->goal == "deadlock") return o.deadlock ? Goal::Reached : Goal::Missed;
    sim::ExploreQuery q;
    if (!sim::parse_query(sched.puzzle->goal, q).empty()) return Goal::Missed;
    return sim::query_holds(o, q, sched.final_var) ? Goal::Reached : Goal::Missed;
}

// Show me: once the explorer has answered, the witness for the goal plays one step at a time.
void LabState::advance_show_me() {
    if (sched.show_me_pending && explored && explored_key == sched.key && sched.key == program_key()) {
        sched.show_me_pending = false;
        const sim::ExploreOutcome* best = nullptr;
        sim::ExploreQuery q;
        const bool deadlock_goal = sched.puzzle && sched.puzzle->goal == "deadlock";
        if (sched.puzzle && !deadlock_goal) sim::parse_query(sched.puzzle->goal, q);
        for (const auto& o : explored->result.outcomes) {
            const bool hit = deadlock_goal ? o.deadlock : sim::query_holds(o, q, sched.final_var);
            if (hit && (!best || o.witness.size() < best->witness.size())) best = &o;
        }
        if (!explored->error.empty()) {
            sched.said = "the explorer cannot take this program: " + explored->error;
        } else if (!best) {
            sched.said = explored->result.complete
                             ? "No schedule reaches the goal: the explorer tried every one of them, and none does."
                             : "The explorer found no schedule that reaches the goal, but its search was bounded: one may exist.";
        } else {
            sched.stepper->restart();
            sched.show_me = best->witness;
            sched.show_me_at = 0;
            sched.show_me_next = now_s();
            sched.said = "Show me: the explorer's shortest schedule to the goal, one turn at a time.";
        }
    }
    if (sched.show_me.empty() || !scheduler_on()) return;
    if (sched.show_me_at >= sched.show_me.size()) {
        sched.show_me.clear();
        return;
    }
    if (now_s() < sched.show_me_next) return;
    const sim::ScheduleStep& s = sched.show_me[sched.show_me_at];
    if (std::string err = sched.stepper->step(s.thread); !err.empty()) {
        sched.said = "Show me stopped: " + err;
        sched.show_me.clear();
        return;
    }
    // Steps of one thread that follow each other play together: a turn at a time.
    while (++sched.show_me_at < sched.show_me.size() && sched.show_me[sched.show_me_at].thread == s.thread)
        if (!sched.stepper->step(s.thread).empty()) break;
    sched.show_me_next = now_s() + 0.6;
    if (sched.show_me_at >= sched.show_me.size()) sched.show_me.clear();
}

std::string LabState::start_explore() {
    if (exploring()) return "the explorer is still running: cancel it first";
    if (spec->engine != Engine::Sim || !spec->program) return "only simulated programs can be explored";
    sim::ExploreOptions opt;
    opt.max_states = 300'000;        // a few seconds at most, in the page too
    opt.max_instructions = 30'000'000;
    opt.max_seconds = 8;
    opt.samples = 500;
    explore_job = ExploreJob::start(*spec, params, opt);
    explore_for_ = program_key();
    explore_outcomes = true;
    return "";
}

void LabState::poll() {
    if (explore_job && explore_job->done()) {
        explored = std::make_shared<ExploreReport>(explore_job->report());
        explored_key = explore_for_;
        explore_job.reset();
    }
    advance_show_me();
    if (!job || !job->done() || result_current()) return;
    if (&job->spec() != spec) {  // a run of an experiment no longer selected
        job.reset();
        job_index_.reset();
        return;
    }
    result = std::make_shared<RunResult>(std::move(job->result()));
    index = result->trace ? job_index_ : nullptr;
    job.reset();
    job_index_.reset();
    result_key = params_key();
    ++runs_finished;
    if (!result->error.empty()) {
        flash(result->error, 12);
        playing = false;
    }
    if (spec->engine == Engine::Real || !result->trace) {
        // Real runs are measured, not replayed: show them whole.
        cursor = (double)end_time();
        playing = false;
    } else {
        cursor = 0;
        // Play the whole run in about 8 seconds, unless the user set a speed.
        speed = std::max(1000.0, (double)end_time() / 8.0);
    }
}

void LabState::advance_playback() {
    double t = now_s();
    double dt = std::min(0.1, t - last_frame);
    last_frame = t;
    if (!playing || !result) return;
    cursor += dt * speed;
    if (cursor >= (double)end_time()) {
        cursor = (double)end_time();
        playing = false;
    }
}

void LabState::play() {
    playing = (bool)result;
    last_frame = now_s();
}

void LabState::rewind() {
    cursor = 0;
    playing = false;
}

void LabState::run_or_toggle() {
    if (running()) return;
    if (playing) {
        playing = false;
    } else if (result_current() && cursor < (double)end_time()) {
        play();
    } else {
        request_run();
    }
}

void LabState::step(bool interval) {
    if (!result || !result->trace) return;
    playing = false;
    if (interval) {
        cursor = std::min((double)end_time(), cursor + step_interval_ns(*spec, params));
        return;
    }
    // To the next change the timeline shows: a lane changing state (which is also where the
    // GIL-holder lane changes) or a mark it draws. Events it does not draw (a take with no
    // change of state, a note) are not stops.
    const Trace& tr = *result->trace;
    const int64_t now = (int64_t)std::floor(cursor);
    int64_t next = end_time();
    for (const Lane& l : tr.lanes) {
        auto it = std::upper_bound(l.intervals.begin(), l.intervals.end(), now,
                                   [](int64_t t, const Interval& iv) { return t < iv.t0; });
        if (it != l.intervals.end()) next = std::min(next, it->t0);
    }
    auto ev = std::upper_bound(tr.events.begin(), tr.events.end(), now,
                               [](int64_t t, const TraceEvent& e) { return t < e.t; });
    for (; ev != tr.events.end() && ev->t < next; ++ev)
        if (ev->kind == EventKind::DropRequest || ev->kind == EventKind::ForcedSwitch ||
            ev->kind == EventKind::LostUpdate || ev->kind == EventKind::Deadlock) {
            next = ev->t;
            break;
        }
    cursor = (double)next;
    asks.reveal_cursor = true;
}

void LabState::new_seed() {
    // Small seeds stay readable in links and in the parameters panel.
    seed = (seed * 6364136223846793005ULL + 1442695040888963407ULL) % 1000000;
    reset_run();
}

void LabState::params_changed() {
    predicted = NAN;
    predict_locked = false;
    predict_skipped = false;
}

std::shared_ptr<const ProgramView> LabState::program() {
    std::string key = params_key();
    if (key != program_key_) {
        program_key_ = key;
        program_ = program_view(*spec, params);
    }
    return program_;
}

std::string LabState::query() const {
    QueryState q;
    q.experiment = spec->id;
    q.params = &params;
    q.seed = seed;
    q.dark = dark;
    q.embed = embed;
    q.predict = predict_mode;
    if (spec->takes_code) q.code = &params.code;
    if (explore_scheduler && scheduler_on() && sched.puzzle) q.puzzle = sched.puzzle->id;
    return make_query(q);
}

std::vector<LabState::ThreadAt> LabState::threads_at() const {
    std::vector<ThreadAt> at;
    if (explore_scheduler && scheduler_on()) {  // the scheduler's threads, where each resumes
        const auto ths = sched.stepper->threads();
        for (size_t i = 0; i < ths.size(); ++i) {
            const sim::StepperThread& t = ths[i];
            if (t.state == "not started" || t.state == "done" || t.at.line <= 0) continue;
            const DisLine* d = sched.view ? sched.view->at(t.at.pc) : nullptr;
            std::string name = t.name;
            if (size_t paren = name.find(" ("); paren != std::string::npos) name.resize(paren);
            at.push_back({std::to_string(i + 1) + " " + name, t.at.pc, d ? d->line : t.at.line,
                          t.can_run ? ThreadState::Running : ThreadState::WaitLock,
                          d ? d->opname + (d->argrepr.empty() ? "" : " " + d->argrepr) : std::string()});
        }
        return at;
    }
    if (!result_current() || !result->trace || !result->program || spec->engine != Engine::Sim) return at;
    const Trace& tr = *result->trace;
    const int64_t t = (int64_t)cursor;
    for (size_t li = 0; li < tr.lanes.size(); ++li) {
        const Lane& l = tr.lanes[li];
        if (l.intervals.empty() || t < l.intervals.front().t0 || t >= l.end) continue;
        auto it = std::upper_bound(l.intervals.begin(), l.intervals.end(), t,
                                   [](int64_t x, const Interval& iv) { return x < iv.t0; });
        if (it == l.intervals.begin()) continue;
        --it;
        if (it->state == ThreadState::NotStarted || it->state == ThreadState::Done) continue;
        const DisLine* d = result->program->at(it->info);
        if (!d) continue;
        std::string name = l.name;  // "Thread-1 (work)" -> "Thread-1"
        if (size_t paren = name.find(" ("); paren != std::string::npos) name.resize(paren);
        at.push_back({std::to_string(li + 1) + " " + name, it->info, d->line, it->state,
                      d->opname + (d->argrepr.empty() ? "" : " " + d->argrepr)});
    }
    return at;
}

std::string LabState::link_problem() const {
    if (!spec->takes_code || params.code.empty()) return "";
    const size_t n = pack_code(params.code).size();
    if (n <= kMaxLinkCode) return "";
    return "it packs to " + std::to_string(n) + " characters, and links carry at most " + std::to_string(kMaxLinkCode) +
           " (servers and course sites cut longer addresses). Share the code itself (Copy code) instead.";
}

bool LabState::code_editable() const {
    return spec->takes_code || (spec->engine == Engine::Sim && spec->program);
}

std::string LabState::code_text() {
    if (spec->takes_code) return params.code.empty() ? spec->python : params.code;
    if (!code_editable()) return spec->python;
    auto p = program();
    return p ? p->source : spec->python;
}

void LabState::edit_code(const std::string& text) {
    if (!spec->takes_code) {
        const ExperimentSpec* taker = code_experiment();
        if (!taker || !code_editable()) return;
        const std::string origin = spec->id;
        const ParamSet from = params;
        if (running()) job->cancel();
        ParamSet p = ParamSet::defaults(taker->params);
        for (size_t i = 0; i < taker->params.size(); ++i) {
            const int j = from.index_of(taker->params[i].key);
            if (j >= 0) (void)p.set(taker->params[i].key, from.format(j));
        }
        spec = taker;
        params = p;
        reset_run();
        code_origin = origin;
        origin_params = from;
        flash("You are editing your own copy of " + origin + "'s program: Run runs it; Reset code goes back to " + origin + ".", 8);
    }
    // "" means the record's own template, so an emptied editor keeps one empty line.
    params.code = text == spec->python ? "" : text.empty() ? "\n" : text;
    code_check.due = now_s() + 0.35;
}

void LabState::reset_code() {
    if (!code_origin.empty()) {
        if (const ExperimentSpec* e = find_experiment(code_origin)) {
            const ParamSet p = origin_params;
            select(*e);
            params = p;
            return;
        }
    }
    params.code.clear();
    reset_run();
    check_code(true);
}

void LabState::check_code(bool now) {
    if (!code_editable()) {
        code_check = {};
        return;
    }
    const std::string text = code_text();
    std::string key = params.format(std::max(0, params.index_of("version"))) + "|" + text;
    if (key == code_check.key) return;
    if (!now && now_s() < code_check.due) return;
    code_check.key = std::move(key);
    code_check.error = compile_error(text, params, &code_check.line, &code_check.col);
}

void LabState::apply_query(const std::string& qs) {
    ParsedQuery pq = parse_query(qs);
    url_errors = pq.errors;
    if (pq.experiment) {
        select(*pq.experiment);  // also drops the last exploration and the scheduler
        params = pq.params;
    }
    if (pq.seed) seed = *pq.seed;
    if (pq.dark) dark = *pq.dark;
    embed = pq.embed;
    predict_mode = pq.predict;
    autorun = pq.autorun;
    if (!pq.puzzle.empty())
        if (std::string err = open_puzzle(pq.puzzle); !err.empty()) url_errors.push_back(err);
}

}  // namespace gil::ui
