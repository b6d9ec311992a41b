// api.cpp — the lab's scripting API (the page's window.gillab, the headless UI tests).
//
// Requests are words separated by spaces; every reply is one JSON object.
//   list                          the experiments
//   select ID                     switch to an experiment (defaults)
//   set KEY VALUE                 set a parameter of the selected experiment
//   seed N
//   run [ID] [key=value ...] [seed=N]   start a run (and select ID)
//   play | pause | step [interval] | reset   playback of simulator runs
//   cancel
//   status                        running, progress, gauges, cursor, and the result when done
//   query                         the current shareable state as a URL query string
//   load QUERY                    apply a URL query string (what the page does at start)
//   seek NS | seek end            move the playback cursor (stops playback)
//   toggle                        what Space and the main button do (pause, resume, run; asks an open question first)
//   answer VALUE | skip           answer the predict-first question (or skip it); a run waiting for it starts
//   copied 1 | copied 0 [REASON]  the platform's copy of a link worked / was refused (flashes it)
//   tab NAME                      show the tab Results, Parameters, Charts, Program, Bytecode or Explore
//   explore | explore cancel      every schedule of the program on screen (status carries "explore")
//   explore group NAME|outcome    its bars by one int's final value (a histogram), or by outcome
//   explore query Q               its question, e.g. final<4: can it end so, is it always so
//   puzzle ID                     open a "be the scheduler" puzzle (its record, parameters, goal)
//   schedule [start]              be the scheduler on the program on screen (free play)
//   schedule N [line]             run thread N (0 = MainThread) to its next switch point (or line)
//   schedule undo | restart | show   take a step back, start over, Show me (the explorer's witness)
//   schedule witness N            play outcome N of the last exploration in the scheduler
//                                 (status carries "scheduler": threads, globals, goal, buttons)
//   help | explain N              open the help, or the dialog of lost update N (as a click on its mark does)
//   code                          the program on screen: {code, takes_code, edited, origin, error}
//   code reset                    Reset code: back to the experiment the edit started from (or the template)
//   code\nSOURCE                  put SOURCE in the editor (an experiment's own becomes "Your program")
//   compile [version=V]\nSOURCE   compile errors (line, column, message) and the disassembly, nothing run
//   run [ID] [key=value ...]\nSOURCE   run SOURCE as "Your program" (the record that takes code)
// A request that carries a program has it after the first newline; the words are on the first line.
// Values go through the engine's one parser (ParamSet::set, split_assignment, parse_seed),
// so the API accepts and rejects exactly what the CLI and the URL do.
#include <algorithm>
#include <sstream>
#include <vector>

#include "engine/json.h"
#include "ui/lab.h"

namespace gil::ui {

namespace {

void gauges_json(JsonWriter& j, const RunControl& c) {
    j.key("gauges").begin_object();
    int n = c.gauges.count.load(std::memory_order_acquire);
    for (int i = 0; i < n; ++i)
        if (c.gauges.name[i]) j.key(c.gauges.name[i]).value(c.gauges.value[i].load(std::memory_order_relaxed));
    j.end_object();
}

std::string status_json(const LabState& lab) {
    JsonWriter j;
    j.begin_object().key("ok").value(true);
    j.key("experiment").value(lab.spec->id);
    j.key("running").value(lab.running());
    j.key("playing").value(lab.playing);
    j.key("cursor_ns").value((int64_t)lab.cursor);
    j.key("end_ns").value(lab.end_time());
    j.key("seed").value((uint64_t)lab.seed);
    j.key("threads_available").value(lab.threads_available);
    j.key("url_errors").begin_array();
    for (auto& e : lab.url_errors) j.value(e);
    j.end_array();
    if (lab.job) {
        const RunControl& c = lab.job->control();
        j.key("progress").value((double)c.progress_permille.load(std::memory_order_relaxed) / 1000.0);
        gauges_json(j, c);
    }
    j.key("runs_finished").value((int64_t)lab.runs_finished);
    j.key("frame").value((uint64_t)lab.frames_drawn);
    if (!lab.timeline_tooltip.empty()) j.key("tooltip").value(lab.timeline_tooltip);
    if (!lab.status.empty() && now_s() < lab.status_until) j.key("message").value(lab.status);
    // Predict first: the question, the answer once locked, the verdict once the run showed it.
    const PredictDecl& q = lab.spec->predict;
    if (lab.predict_mode && !q.question.empty()) {
        j.key("prediction").begin_object();
        j.key("question").value(q.question).key("unit").value(q.unit).key("metric").value(q.metric);
        j.key("locked").value(lab.predict_locked).key("skipped").value(lab.predict_skipped);
        j.key("asking").value(lab.asks.predict);  // Run was pressed: the question is asked in a dialog
        if (lab.predict_locked) j.key("value").value(lab.predicted);
        j.key("params").begin_object();  // the parameters the prediction is for
        for (size_t i = 0; i < lab.spec->params.size(); ++i) {
            const ParamSpec& s = lab.spec->params[i];
            j.key(s.key);
            if (s.kind == ParamKind::Choice) j.value(lab.params.format((int)i));
            else if (s.kind == ParamKind::Flag) j.value(lab.params.values[i] != 0);
            else j.value(lab.params.values[i]);
        }
        j.end_object();
        if (lab.verdict_ready()) {
            const LabState::Verdict v = lab.verdict();
            j.key("actual").value(v.actual).key("right").value(v.right);
        }
        j.end_object();
    }
    if (lab.exploring()) j.key("exploring").value(lab.explore_job->progress());
    if (lab.explored) {  // the last exploration: outcomes, counts, witnesses (as `gillab explore --json`)
        const ExploreReport& rep = *lab.explored;
        j.key("explore").begin_object();
        j.key("current").value(lab.explored_key == lab.program_key());
        j.key("error").value(rep.error).key("complete").value(rep.result.complete).key("bound").value(rep.result.bound);
        j.key("hint").value(rep.hint).key("final").value(rep.final_var);
        j.key("schedules").value(rep.result.schedules).key("states").value((double)rep.result.states);
        j.key("outcomes").begin_array();
        for (const auto& o : rep.result.outcomes) {
            j.begin_object().key("label").value(rep.outcome_label(o)).key("deadlock").value(o.deadlock);
            j.key("schedules").value(o.schedules).key("globals").begin_object();
            for (const auto& [n, v] : o.globals) j.key(n).value((double)v);
            j.end_object().key("witness").begin_array();
            for (const auto& s : o.witness)
                j.begin_object().key("thread").value((size_t)s.thread < rep.result.threads.size() ? rep.result.threads[(size_t)s.thread] : "?")
                    .key("function").value(s.function).key("line").value((int64_t)s.line).end_object();
            j.end_array().end_object();
        }
        j.end_array().end_object();
    }
    if (lab.sched.stepper) {  // be the scheduler: who can run, where, the goal, the buttons drawn
        const LabState::Scheduler& sc = lab.sched;
        const sim::Stepper& st = *sc.stepper;
        static const char* const goals[] = {"playing", "reached", "missed", "finished"};
        j.key("scheduler").begin_object();
        j.key("on").value(lab.scheduler_on()).key("shown").value(lab.explore_scheduler);
        j.key("puzzle").value(sc.puzzle ? sc.puzzle->id : "").key("goal").value(sc.puzzle ? sc.puzzle->goal : "");
        j.key("goal_text").value(sc.puzzle ? sc.puzzle->goal_text : "");
        j.key("state").value(goals[(int)lab.goal_state()]).key("steps").value((int64_t)st.history().size());
        j.key("said").value(sc.said).key("showing").value(!sc.show_me.empty() || sc.show_me_pending);
        j.key("threads").begin_array();
        for (const auto& t : st.threads()) {
            const DisLine* d = sc.view && t.at.line > 0 ? sc.view->at(t.at.pc) : nullptr;
            j.begin_object().key("name").value(t.name).key("state").value(t.state).key("can_run").value(t.can_run);
            j.key("function").value(t.at.function).key("line").value((int64_t)(d ? d->line : t.at.line));
            j.key("instruction").value(d ? d->opname + (d->argrepr.empty() ? "" : " " + d->argrepr) : "").end_object();
        }
        j.end_array().key("globals").begin_object();
        for (const auto& [n, v] : st.globals()) j.key(n).value((double)v);
        j.end_object();
        if (st.finished()) {
            const sim::ExploreOutcome o = st.outcome();
            j.key("deadlock").value(o.deadlock);
            if (o.deadlock) j.key("stuck").value(o.stuck);
        }
        j.key("buttons").begin_array();  // where each thread's Run and Line buttons were drawn (x, y, w, h)
        for (const auto& b : sc.buttons) {
            j.begin_object().key("thread").value((int64_t)b.thread).key("rect").begin_array();
            for (float v : b.rect) j.value((double)v);
            j.end_array().key("line").value(b.line).end_object();
        }
        j.end_array().end_object();
    }
    if (lab.result) j.key("result").raw(result_json(*lab.result, true));
    j.end_object();
    return j.take();
}

}  // namespace

std::string lab_api(LabState& lab, const std::string& request_in) {
    const size_t nl = request_in.find('\n');
    const std::string request = request_in.substr(0, nl);
    const bool has_body = nl != std::string::npos;
    const std::string body = has_body ? request_in.substr(nl + 1) : std::string();
    std::istringstream in(request);
    std::vector<std::string> w;
    for (std::string s; in >> s;) w.push_back(s);
    JsonWriter j;
    auto fail = [&](const std::string& why) {
        j.begin_object().key("ok").value(false).key("error").value(why).end_object();
        return j.take();
    };
    auto ok = [&]() {
        j.begin_object().key("ok").value(true).end_object();
        return j.take();
    };
    if (w.empty()) return fail("empty request");
    const std::string& cmd = w[0];
    if (cmd == "list") {
        j.begin_object().key("ok").value(true).key("experiments").begin_array();
        for (const auto& e : experiments())
            j.begin_object().key("id").value(e.id).key("title").value(e.title).key("engine").value(engine_name(e.engine))
                .key("available").value(e.engine == Engine::Sim || lab.threads_available).end_object();
        j.end_array().end_object();
        return j.take();
    }
    if (cmd == "select") {
        if (w.size() != 2) return fail("select needs an experiment id");
        const ExperimentSpec* e = find_experiment(w[1]);
        if (!e) return fail("unknown experiment '" + w[1] + "'");
        lab.select(*e);
        return ok();
    }
    if (cmd == "set") {
        if (w.size() != 3) return fail("set needs a key and a value");
        ParamSet p = lab.params;
        if (std::string err = p.set(w[1], w[2]); !err.empty()) return fail(err);
        lab.params = p;
        return ok();
    }
    if (cmd == "seed") {
        if (w.size() != 2) return fail("seed needs a non-negative integer");
        uint64_t s;
        if (std::string err = parse_seed(w[1], s); !err.empty()) return fail(err);
        lab.seed = s;
        return ok();
    }
    if (cmd == "code" && w.size() == 2 && w[1] == "reset") {  // what the editor's Reset code does
        if (lab.running()) return fail("an experiment is still running: cancel it first");
        lab.reset_code();
        return ok();
    }
    if (cmd == "code") {
        if (w.size() != 1) return fail("code takes no words (or 'reset'): the program goes after a newline");
        if (has_body) {
            if (body.size() > 64 * 1024) return fail("the program is longer than 64 KiB");
            if (lab.running()) return fail("an experiment is still running: cancel it first");
            if (!lab.code_editable() || !lab.spec->takes_code) {
                const ExperimentSpec* taker = code_experiment();
                if (!taker) return fail("this build has no record that takes code");
                if (!lab.code_editable()) lab.select(*taker);
            }
            lab.edit_code(body);
            lab.check_code(true);
            return ok();
        }
        lab.check_code(true);
        j.begin_object().key("ok").value(true).key("code").value(lab.code_text());
        j.key("experiment").value(lab.spec->id).key("takes_code").value(lab.spec->takes_code);
        j.key("edited").value(lab.spec->takes_code && !lab.params.code.empty()).key("origin").value(lab.code_origin);
        j.key("editable").value(lab.code_editable());
        j.key("editor").begin_array();  // where the editor is on screen (x, y, w, h; w = 0: not shown)
        for (float v : lab.editor_rect) j.value((double)v);
        j.end_array();
        j.key("display").begin_array().value((double)lab.display[0]).value((double)lab.display[1]).end_array();
        // Where each thread is at the playback cursor (what the editor and the bytecode mark).
        j.key("at").begin_array();
        for (const auto& a : lab.threads_at())
            j.begin_object().key("thread").value(a.thread).key("line").value((int64_t)a.line).key("instruction").value(a.instruction)
                .key("state").value(state_name(a.state)).end_object();
        j.end_array();
        j.key("error").value(lab.code_check.error).key("line").value((int64_t)lab.code_check.line).key("col").value((int64_t)lab.code_check.col);
        j.end_object();
        return j.take();
    }
    if (cmd == "compile") {
        if (!has_body) return fail("compile needs the program after a newline");
        ParamSet p = lab.params;
        if (p.index_of("version") < 0) {
            if (const ExperimentSpec* x = code_experiment()) p = ParamSet::defaults(x->params);
        }
        for (size_t i = 1; i < w.size(); ++i)
            if (std::string err = p.set_assignment(w[i]); !err.empty()) return fail(err);
        int line = 0, col = 0;
        const std::string err = compile_error(body, p, &line, &col);
        j.begin_object().key("ok").value(true).key("compiles").value(err.empty());
        j.key("errors").begin_array();
        if (!err.empty()) j.begin_object().key("line").value((int64_t)line).key("col").value((int64_t)col).key("message").value(err).end_object();
        j.end_array();
        if (auto v = err.empty() ? source_view(body, "program.py", p) : nullptr) {
            j.key("version").value(v->version).key("note").value(v->note);
            j.key("codes").begin_array();
            for (const CodeView& c : v->codes) {
                j.begin_object().key("name").value(c.name).key("instructions").begin_array();
                for (const DisLine& d : c.lines)
                    j.begin_object().key("offset").value((int64_t)d.index).key("line").value((int64_t)d.line)
                        .key("opname").value(d.opname).key("argrepr").value(d.argrepr).key("check_point").value(d.check_point).end_object();
                j.end_array().end_object();
            }
            j.end_array();
        }
        j.end_object();
        return j.take();
    }
    if (cmd == "run") {
        size_t i = 1;
        const ExperimentSpec* e = lab.spec;
        if (has_body) {  // a program: the record that takes code runs it
            e = code_experiment();
            if (!e) return fail("this build has no record that takes code");
            if (w.size() > 1 && w[1].find('=') == std::string::npos) {
                const ExperimentSpec* named = find_experiment(w[1]);
                if (!named || !named->takes_code) return fail("a program runs as '" + e->id + "', not as '" + w[1] + "'");
                i = 2;
            }
        }
        if (w.size() > 1 && w[1].find('=') == std::string::npos) {
            e = find_experiment(w[1]);
            if (!e) return fail("unknown experiment '" + w[1] + "'");
            i = 2;
        }
        ParamSet p = e == lab.spec ? lab.params : ParamSet::defaults(e->params);
        if (has_body && e == lab.spec) p.code.clear();
        uint64_t seed = lab.seed;
        KeysSeen seen;
        for (; i < w.size(); ++i) {
            std::string_view key, value;
            if (split_assignment(w[i], key, value))
                if (std::string err = seen.once(key, value); !err.empty()) return fail(err);
            if (split_assignment(w[i], key, value) && key == "seed") {
                if (std::string err = parse_seed(value, seed); !err.empty()) return fail(err);
            } else if (std::string err = p.set_assignment(w[i]); !err.empty()) {
                return fail(err);
            }
        }
        if (lab.running()) return fail("an experiment is still running: cancel it first");
        if (has_body) {
            if (body.size() > 64 * 1024) return fail("the program is longer than 64 KiB");
            p.code = body == e->python ? "" : body.empty() ? "\n" : body;
        }
        if (e != lab.spec) lab.select(*e);
        lab.params = p;
        lab.seed = seed;
        if (std::string err = lab.start(); !err.empty()) return fail(err);
        return ok();
    }
    if (cmd == "explore") {  // every schedule of the program on screen (the Explore tab's button)
        if (w.size() == 2 && w[1] == "cancel") {
            if (lab.explore_job) lab.explore_job->cancel();
            return ok();
        }
        if (w.size() >= 2 && w[1] == "query") {  // the outcomes board's question ("explore query final<4")
            lab.explore_query = w.size() >= 3 ? w[2] : "";
            return ok();
        }
        if (w.size() == 3 && w[1] == "group") {  // the bars by one int's final value ("outcome": by outcome)
            if (w[2] == "outcome") {
                lab.explore_group.clear();
                return ok();
            }
            if (!lab.explored || lab.explored->result.outcomes.empty()) return fail("explore the program first");
            for (const auto& kv : lab.explored->result.outcomes[0].globals)
                if (kv.first == w[2]) {
                    lab.explore_group = w[2];
                    return ok();
                }
            return fail("the program has no int '" + w[2] + "' at the end");
        }
        if (w.size() != 1) return fail("explore takes no words (or 'cancel', or 'group NAME')");
        if (std::string err = lab.start_explore(); !err.empty()) return fail(err);
        return ok();
    }
    if (cmd == "puzzle") {
        if (w.size() != 2) return fail("puzzle needs a puzzle id");
        if (lab.running()) return fail("an experiment is still running: cancel it first");
        if (std::string err = lab.open_puzzle(w[1]); !err.empty()) return fail(err);
        return ok();
    }
    if (cmd == "schedule") {
        if (w.size() == 1 || (w.size() == 2 && w[1] == "start")) {
            if (std::string err = lab.start_scheduler(nullptr); !err.empty()) return fail(err);
            lab.asks.tab = "Explore";
            return ok();
        }
        if (w.size() == 3 && w[1] == "witness") {  // outcome N of the last exploration, replayed
            int64_t k;
            if (!parse_int64(w[2], k) || k < 0) return fail("schedule witness needs an outcome number (0 = the first)");
            if (std::string err = lab.open_witness((size_t)k); !err.empty()) return fail(err);
            return ok();
        }
        if (!lab.scheduler_on()) return fail("the scheduler is not on for the program on screen (schedule start, or puzzle ID)");
        if (w.size() == 2 && w[1] == "undo") {
            lab.scheduler_undo();
            return ok();
        }
        if (w.size() == 2 && w[1] == "restart") {
            lab.scheduler_restart();
            return ok();
        }
        if (w.size() == 2 && w[1] == "show") {
            if (std::string err = lab.scheduler_show_me(); !err.empty()) return fail(err);
            return ok();
        }
        int64_t n;
        if (!parse_int64(w[1], n) || n < 0 || n > 4096 || w.size() > 3 || (w.size() == 3 && w[2] != "line"))
            return fail("schedule takes start, undo, restart, show, or a thread number (0 = MainThread) and optionally 'line'");
        if (std::string err = lab.scheduler_step((int)n, w.size() == 3); !err.empty()) return fail(err);
        return ok();
    }
    if (cmd == "help") {
        lab.asks.help = true;
        return ok();
    }
    if (cmd == "explain") {
        int64_t n;
        if (w.size() != 2 || !parse_int64(w[1], n) || n < 0 || !lab.result || !lab.result->trace ||
            n >= (int64_t)lab.result->trace->lost_updates.size())
            return fail("explain needs the number of a lost update of the last run");
        lab.asks.lost_update = (int)n;
        return ok();
    }
    if (cmd == "play") {
        lab.play();
        return ok();
    }
    if (cmd == "pause") {
        lab.playing = false;
        return ok();
    }
    if (cmd == "step") {
        lab.step(w.size() > 1 && w[1] == "interval");
        return ok();
    }
    if (cmd == "reset") {
        lab.rewind();
        return ok();
    }
    if (cmd == "cancel") {
        if (lab.job) lab.job->cancel();
        return ok();
    }
    if (cmd == "query") {
        j.begin_object().key("ok").value(true).key("query").value(lab.query()).end_object();
        return j.take();
    }
    if (cmd == "load") {
        lab.apply_query(w.size() > 1 ? w[1] : "");
        j.begin_object().key("ok").value(true).key("rejected").begin_array();
        for (auto& e : lab.url_errors) j.value(e);
        j.end_array().end_object();
        return j.take();
    }
    if (cmd == "status") {
        lab.poll();  // a job that just finished is taken now: never "not running" without its result
        return status_json(lab);
    }
    if (cmd == "seek") {
        if (w.size() != 2) return fail("seek needs a time in ns or 'end'");
        double t;
        if (w[1] == "end") t = (double)lab.end_time();
        else if (!parse_number(w[1], t)) return fail("seek needs a time in ns or 'end'");
        lab.playing = false;
        lab.cursor = std::clamp(t, 0.0, (double)lab.end_time());
        return ok();
    }
    if (cmd == "toggle") {
        lab.run_or_toggle();
        return ok();
    }
    if (cmd == "answer" || cmd == "skip") {
        if (!lab.predict_mode || lab.spec->predict.question.empty()) return fail("no question is asked (predict first is off)");
        if (cmd == "skip") {
            lab.skip_prediction();
            return ok();
        }
        double v;
        if (w.size() != 2 || !parse_number(w[1], v)) return fail("answer needs a number (yes = 1, no = 0)");
        lab.lock_prediction(v);
        return ok();
    }
    if (cmd == "copied") {
        if (w.size() < 2 || (w[1] != "0" && w[1] != "1")) return fail("copied needs 1 or 0 [reason]");
        std::string reason;
        for (size_t i = 2; i < w.size(); ++i) reason += (i > 2 ? " " : "") + w[i];
        lab.copied(w[1] == "1", reason);
        return ok();
    }
    if (cmd == "tab") {
        static const char* const names[] = {"Results", "Parameters", "Charts", "Program", "Bytecode", "Explore"};
        for (const char* n : names)
            if (w.size() == 2 && w[1] == n) {
                lab.asks.tab = n;
                return ok();
            }
        return fail("tab needs Results, Parameters, Charts, Program, Bytecode or Explore");
    }
    return fail("unknown request '" + cmd + "' (list, select, set, seed, run, play, pause, step, reset, cancel, status, query, load, seek, toggle, answer, skip, copied, tab, code, compile, explore, puzzle, schedule)");
}

}  // namespace gil::ui
