// app.cpp — the lab's user interface.
//
// Layout (wide): toolbar on top; experiment browser on the left; on the right the
// experiment's header, the timeline, and below it parameters | live counters and results
// | charts and code. Narrow (down to an 800x500 iframe): the browser becomes a menu and
// the bottom panels become tabs. Embed mode (?embed=1) shows one experiment only.
#include "ui/app.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <sstream>
#include <thread>
#include <vector>

#include "engine/experiment.h"
#include "engine/job.h"
#include "engine/json.h"
#include "engine/version.h"
#include "imgui.h"
#include "ui/charts.h"
#include "ui/query.h"
#include "ui/timeline.h"

namespace gil::ui {

namespace {

double now_s() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::string fmt_num(double v, const std::string& unit) {
    char b[64];
    if (unit == "ns") return fmt_duration(v);
    if (v == std::floor(v) && std::fabs(v) < 1e15) {
        // Thousands separators for counts.
        std::string s = std::to_string((long long)v), o;
        int n = 0;
        for (int i = (int)s.size() - 1; i >= 0; --i) {
            o.insert(o.begin(), s[(size_t)i]);
            if (isdigit((unsigned char)s[(size_t)i]) && ++n % 3 == 0 && i > 0 && isdigit((unsigned char)s[(size_t)i - 1]))
                o.insert(o.begin(), ',');
        }
        return o + (unit.empty() ? "" : " " + unit);
    }
    std::snprintf(b, sizeof b, "%.4g%s%s", v, unit.empty() ? "" : " ", unit.c_str());
    return b;
}

}  // namespace

struct App::Impl {
    AppDesc desc;
    bool dark = true;
    bool embed = false;
    const ExperimentSpec* spec = nullptr;
    ParamSet params;
    uint64_t seed = 1;
    std::shared_ptr<Job> job;
    std::shared_ptr<RunResult> result;   // the last finished run
    std::string result_key;              // experiment + params + seed it was run with
    TimelineView timeline;
    TimelineGpu* gpu = nullptr;
    // The timeline's index of a finished run is built off the main thread (it sorts and
    // summarizes up to millions of intervals); the frame picks it up when it is ready.
    struct IndexBuild {
        std::atomic<bool> done{false};
        TraceIndex index;
    };
    std::shared_ptr<IndexBuild> index_build;
    // Playback of simulator runs: the cursor walks simulated time at `speed` ns per second.
    bool playing = false;
    double cursor = 0;
    double speed = 1e8;
    double last_frame = 0;
    bool autorun = false;
    // Predict, then run.
    bool predict_mode = false;
    char predict_buf[32] = "";
    double predicted = NAN;
    bool predict_locked = false;
    // Program shown in the code panel.
    std::shared_ptr<const ProgramView> program;
    std::string program_key;
    std::vector<std::string> url_errors;
    std::string status;                  // one line under the toolbar (errors, saved files)
    double status_until = 0;
    int lost_popup = -1;
    bool show_help = false;
    bool browser_open = false;
    PlatformRequests req;
    int bottom_tab = 0;

    std::string params_key() const {
        std::string k = spec->id + "|" + std::to_string(seed);
        for (size_t i = 0; i < params.values.size(); ++i) k += "|" + params.format((int)i);
        return k;
    }
    void flash(const std::string& s, double secs = 6) {
        status = s;
        status_until = now_s() + secs;
    }
    void select(const ExperimentSpec& e) {
        if (job && !job->done()) job->cancel();
        spec = &e;
        params = ParamSet::defaults(e.params);
        reset_run();
    }
    void reset_run() {
        index_build.reset();
        result.reset();
        result_key.clear();
        timeline.set_trace(nullptr, true);
        playing = false;
        cursor = 0;
        predicted = NAN;
        predict_locked = false;
        predict_buf[0] = 0;
        lost_popup = -1;
    }
    std::string start() {
        if (job && !job->done()) return "an experiment is still running: cancel it first";
        if (!desc.threads_available && spec->engine == Engine::Real)
            return "Real-thread experiments need a cross-origin isolated page (SharedArrayBuffer): open the lab's "
                   "own page directly, or use the native build.";
        result.reset();
        index_build.reset();
        timeline.set_trace(nullptr, true);
        cursor = 0;
        job = Job::start(*spec, params, seed, true);
        playing = true;
        last_frame = now_s();
        return "";
    }
    bool running() const { return job && !job->done(); }
    int64_t end_time() const { return result && result->trace ? result->trace->end : 0; }

    // Polls the job; a finished run becomes the displayed result.
    void poll() {
        if (!job || !job->done() || (result && result_key == params_key())) return;
        if (job->spec().id != spec->id) {
            job.reset();
            return;
        }
        result = std::make_shared<RunResult>(job->result());
        job.reset();
        result_key = params_key();
        if (!result->error.empty()) {
            flash(result->error, 12);
            playing = false;
        }
        timeline.set_trace(nullptr, true);
        if (result->trace) {
            auto b = std::make_shared<IndexBuild>();
            auto tr = result->trace;
            const bool gil = experiment_has_gil(*spec, params);
            auto build = [b, tr, gil] {
                b->index.build(tr, gil);
                b->done.store(true, std::memory_order_release);
            };
#if defined(GILLAB_NO_THREADS)
            build();
#else
            try {
                std::thread(build).detach();
            } catch (const std::system_error&) {
                build();
            }
#endif
            index_build = b;
        }
        if (spec->engine == Engine::Real || !result->trace) {
            cursor = (double)end_time();
            playing = false;
        } else {
            cursor = 0;
            // Play the whole run in about 8 seconds, unless the user set a speed.
            speed = std::max(1000.0, (double)end_time() / 8.0);
        }
    }
    void advance_playback() {
        double t = now_s();
        double dt = std::min(0.1, t - last_frame);
        last_frame = t;
        if (index_build && index_build->done.load(std::memory_order_acquire)) {
            timeline.set_index(std::move(index_build->index));
            index_build.reset();
        }
        if (index_build) return;  // playback starts once the timeline is ready
        if (!playing || !result) return;
        cursor += dt * speed;
        if (cursor >= (double)end_time()) {
            cursor = (double)end_time();
            playing = false;
        }
    }
    // Step: to the next event on any lane, or by one switch interval.
    void step(bool interval) {
        if (!result || !result->trace) return;
        playing = false;
        if (interval) {
            double iv = params.index_of("interval_us") >= 0 ? params.get("interval_us") * 1000 : 5e6;
            cursor = std::min((double)end_time(), cursor + iv);
            return;
        }
        const auto& ev = result->trace->events;
        auto it = std::upper_bound(ev.begin(), ev.end(), (int64_t)cursor,
                                   [](int64_t t, const TraceEvent& e) { return t < e.t; });
        cursor = it == ev.end() ? (double)end_time() : (double)it->t;
        // Keep the cursor in view.
        if (cursor > (double)timeline.view_end() || cursor < (double)timeline.view_begin()) {
            int64_t span = timeline.view_end() - timeline.view_begin();
            timeline.zoom_to((int64_t)cursor - span / 2, (int64_t)cursor + span / 2);
        }
    }
    void ensure_program() {
        if (spec->engine != Engine::Sim) {
            program.reset();
            return;
        }
        std::string key = params_key();
        if (key == program_key) return;
        program_key = key;
        program = program_view(*spec, params);
        auto prog = program;
        timeline.describe_info = [prog](uint32_t info) -> std::string {
            const DisLine* d = prog ? prog->at(info) : nullptr;
            if (!d) return "";
            return prog->codes[info >> 16].name + ": " + d->opname + " " + d->arg;
        };
    }
    std::string query() const {
        QueryState q;
        q.experiment = spec->id;
        q.params = &params;
        q.seed = seed;
        q.dark = dark;
        q.embed = embed;
        q.predict = predict_mode;
        return make_query(q);
    }
    void apply_query(const std::string& qs) {
        ParsedQuery pq = parse_query(qs);
        url_errors = pq.errors;
        if (pq.experiment) {
            spec = pq.experiment;
            params = pq.params;
            reset_run();
        }
        if (pq.seed) seed = *pq.seed;
        if (pq.dark) dark = *pq.dark;
        embed = pq.embed;
        predict_mode = pq.predict;
        autorun = pq.autorun;
    }

    // ------------------------------------------------------------------ drawing
    void toolbar(float width);
    void browser(float width, float height);
    void header();
    void params_panel();
    void counters_panel();
    void charts_panel();
    void code_panel();
    void predict_panel();
    void lost_update_popup();
    void help_popup();
    void legend();
};

// ------------------------------------------------------------------ panels

void App::Impl::toolbar(float width) {
    const bool narrow = width < 1000;
    // Lay buttons out left to right and wrap to a new line when the next would not fit.
    const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
    auto flow = [&](const char* label, float extra = 0) {
        ImGui::SameLine();
        const ImGuiStyle& st = ImGui::GetStyle();
        float w = ImGui::CalcTextSize(label, nullptr, true).x + st.FramePadding.x * 2 + extra;
        if (ImGui::GetCursorScreenPos().x + w > right) ImGui::NewLine();
    };
    if (!embed && narrow) {
        if (ImGui::Button("Experiments")) browser_open = !browser_open;
        ImGui::SameLine();
    }
    if (!embed) {
        ImGui::SetNextItemWidth(narrow ? 230 : 320);
        if (ImGui::BeginCombo("##exp", (spec->title).c_str())) {
            for (int t = 0; t < (int)Topic::Count; ++t) {
                ImGui::TextDisabled("%s", topic_title((Topic)t));
                for (const auto& e : experiments())
                    if ((int)e.topic == t && ImGui::Selectable(("  " + e.title + "##" + e.id).c_str(), &e == spec)) select(e);
            }
            ImGui::EndCombo();
        }
        ImGui::SameLine();
    }
    const bool run_busy = running();
    if (run_busy) {
        if (ImGui::Button("Cancel")) job->cancel();
    } else if (playing) {
        if (ImGui::Button("Pause")) playing = false;
    } else {
        const bool at_end = result && cursor >= (double)end_time() && result_key == params_key();
        if (ImGui::Button(at_end ? "Run again" : result && result_key == params_key() ? "Play" : "Run")) {
            if (result && result_key == params_key() && !at_end) {
                playing = true;
                last_frame = now_s();
            } else if (std::string err = start(); !err.empty()) {
                flash(err, 10);
            }
        }
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Run / pause (Space)");
    const bool sim = spec->engine == Engine::Sim;
    ImGui::BeginDisabled(!result || !sim || !result->trace);
    flow("Step");
    if (ImGui::Button("Step")) step(false);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("To the next event (Right arrow)");
    flow("+interval");
    if (ImGui::Button("+interval")) step(true);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("One switch interval forward (Shift+Right)");
    flow("Reset");
    if (ImGui::Button("Reset")) {
        cursor = 0;
        playing = false;
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Back to the start (R)");
    ImGui::EndDisabled();
    ImGui::BeginDisabled(run_busy);
    flow("Replay");
    if (ImGui::Button("Replay")) {
        if (std::string err = start(); !err.empty()) flash(err);
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Run again with the same seed: the same run, event for event");
    flow("New seed");
    if (ImGui::Button("New seed")) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        seed %= 1000000;
        reset_run();
        if (std::string err = start(); !err.empty()) flash(err);
    }
    ImGui::EndDisabled();
    if (sim && !narrow) {
        flow("", 150);
        ImGui::SetNextItemWidth(150);
        float lg = (float)std::log10(std::max(1.0, speed));
        std::string label = fmt_duration(speed) + "/s";
        if (ImGui::SliderFloat("##speed", &lg, 3.0f, 11.0f, label.c_str())) speed = std::pow(10.0, (double)lg);
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("Playback speed: simulated time per second of screen time");
    }
    flow("Export");
    if (ImGui::Button("Export")) ImGui::OpenPopup("export");
    if (ImGui::BeginPopup("export")) {
        ImGui::BeginDisabled(!result || !result->trace);
        if (ImGui::MenuItem("Trace (Chrome JSON, opens in Perfetto)")) {
            req.save_name = spec->id + "-trace.json";
            req.save_mime = "application/json";
            req.save_data = chrome_trace_json(*result->trace, spec->id + " (seed " + std::to_string(seed) + ")");
        }
        ImGui::EndDisabled();
        ImGui::BeginDisabled(!result);
        if (ImGui::MenuItem("Metrics (CSV)")) {
            req.save_name = spec->id + "-metrics.csv";
            req.save_mime = "text/csv";
            req.save_data = result_csv(*result);
        }
        if (ImGui::MenuItem("Metrics (JSON)")) {
            req.save_name = spec->id + "-metrics.json";
            req.save_mime = "application/json";
            req.save_data = result_json(*result);
        }
        ImGui::EndDisabled();
        if (ImGui::MenuItem("Picture of the lab (PNG)")) req.save_png = true;
        ImGui::EndPopup();
    }
    flow("Copy link");
    if (ImGui::Button("Copy link")) {
        req.copy_link = query();
        flash("Link copied: it opens the lab exactly as it is now.");
    }
    flow("Light");
    if (ImGui::Button(dark ? "Light" : "Dark")) {
        dark = !dark;
        apply_theme(dark, desc.dpi_scale);
    }
    flow("?");
    if (ImGui::Button("?")) show_help = true;
    flow("Predict first", 30);
    ImGui::Checkbox("Predict first", &predict_mode);
    // Progress / playback position.
    if (run_busy) {
        flow("", 160);
        const RunControl& c = job->control();
        ImGui::ProgressBar((float)c.progress_permille.load(std::memory_order_relaxed) / 1000.0f, ImVec2(-1, 0),
                           (std::to_string((int)(job->elapsed_seconds())) + " s").c_str());
    } else if (result && result->trace && sim) {
        flow("000.0 ms / 000.0 ms");
        ImGui::TextDisabled("%s / %s", fmt_duration(cursor).c_str(), fmt_duration((double)end_time()).c_str());
    }
}

void App::Impl::browser(float width, float height) {
    ImGui::BeginChild("##browser", ImVec2(width, height), true);
    for (int t = 0; t < (int)Topic::Count; ++t) {
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetColorU32(ImGuiCol_TextDisabled));
        ImGui::TextUnformatted(topic_title((Topic)t));
        ImGui::PopStyleColor();
        for (const auto& e : experiments()) {
            if ((int)e.topic != t) continue;
            std::string label = (e.engine == Engine::Real ? "* " : "") + e.title + "##b" + e.id;
            ImGui::BeginDisabled(e.engine == Engine::Real && !desc.threads_available);
            if (ImGui::Selectable(label.c_str(), &e == spec)) {
                select(e);
                browser_open = false;
            }
            ImGui::EndDisabled();
            if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
                ImGui::SetTooltip("%s\n%s", e.id.c_str(),
                                  e.engine == Engine::Real && !desc.threads_available
                                      ? "Unavailable here: real threads need a cross-origin isolated page."
                                      : e.summary.c_str());
        }
        ImGui::Spacing();
    }
    ImGui::TextDisabled("* real threads on this machine");
    ImGui::EndChild();
}

void App::Impl::header() {
    ImGui::PushTextWrapPos(0);
    ImGui::TextUnformatted(spec->title.c_str());
    ImGui::SameLine();
    ImGui::TextDisabled("%s  %s", spec->id.c_str(), spec->engine == Engine::Real ? "(real threads on this machine)" : "(simulated)");
    if (spec->engine == Engine::Real && !desc.threads_available) {
        ImGui::TextColored(ImVec4(1, 0.7f, 0.3f, 1), "%s",
                           "Unavailable here: real threads need a cross-origin isolated page (SharedArrayBuffer), and "
                           "this one is not. Open the lab's own page directly, or run the native build (see README).");
    }
    if (ImGui::TreeNodeEx("What this shows", ImGuiTreeNodeFlags_None)) {
        ImGui::TextWrapped("%s", spec->explain.c_str());
        ImGui::TreePop();
    }
    ImGui::PopTextWrapPos();
}

void App::Impl::legend() {
    const Palette pal = palette(dark);
    const ThreadState states[] = {ThreadState::Running, ThreadState::WaitGil, ThreadState::WaitCore, ThreadState::Io,
                                  ThreadState::CCode, ThreadState::WaitLock};
    const char* names[] = {"running bytecode", "waiting for GIL", "waiting for a core", "I/O (GIL released)",
                           "C code (GIL released)", "waiting for lock"};
    if (spec->engine == Engine::Real && spec->id == "real.contention") {
        names[0] = "private work";
        names[4] = "in critical section";
    }
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float h = ImGui::GetTextLineHeight();
    const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
    // Wrap to the next line when the next entry would not fit.
    auto fits = [&](const char* text) {
        float need = h + 6 + ImGui::CalcTextSize(text).x;
        if (ImGui::GetCursorScreenPos().x + need > right) ImGui::NewLine();
    };
    for (int i = 0; i < 6; ++i) {
        fits(names[i]);
        ImVec2 p = ImGui::GetCursorScreenPos();
        dl->AddRectFilled(ImVec2(p.x, p.y + 2), ImVec2(p.x + h, p.y + h - 1), pal.state[(size_t)states[i]], 2);
        ImGui::Dummy(ImVec2(h + 2, h));
        ImGui::SameLine();
        ImGui::TextUnformatted(names[i]);
        ImGui::SameLine(0, 14);
    }
    fits("drop request");
    ImVec2 p = ImGui::GetCursorScreenPos();
    float cy = p.y + h / 2;
    dl->AddTriangleFilled(ImVec2(p.x, cy - 4), ImVec2(p.x + 8, cy - 4), ImVec2(p.x + 4, cy + 3), pal.drop);
    ImGui::Dummy(ImVec2(10, h));
    ImGui::SameLine();
    ImGui::TextUnformatted("drop request");
    ImGui::SameLine(0, 14);
    fits("lost update (click it)");
    p = ImGui::GetCursorScreenPos();
    cy = p.y + h / 2;
    dl->AddQuadFilled(ImVec2(p.x + 5, cy - 6), ImVec2(p.x + 11, cy), ImVec2(p.x + 5, cy + 6), ImVec2(p.x - 1, cy), pal.lost);
    ImGui::Dummy(ImVec2(12, h));
    ImGui::SameLine();
    ImGui::TextUnformatted("lost update (click it)");
}

void App::Impl::params_panel() {
    bool changed = false;
    ImGui::PushItemWidth(-ImGui::GetContentRegionAvail().x * 0.5f);
    for (size_t i = 0; i < spec->params.size(); ++i) {
        const ParamSpec& s = spec->params[i];
        double& v = params.values[i];
        ImGui::PushID((int)i);
        switch (s.kind) {
        case ParamKind::Choice: {
            int c = (int)v;
            if (ImGui::BeginCombo(s.label.c_str(), s.choices[(size_t)c].c_str())) {
                for (size_t k = 0; k < s.choices.size(); ++k)
                    if (ImGui::Selectable(s.choices[k].c_str(), (int)k == c)) {
                        v = (double)k;
                        changed = true;
                    }
                ImGui::EndCombo();
            }
            break;
        }
        case ParamKind::Flag: {
            bool b = v != 0;
            if (ImGui::Checkbox(s.label.c_str(), &b)) {
                v = b ? 1 : 0;
                changed = true;
            }
            break;
        }
        case ParamKind::Int:
        case ParamKind::Real: {
            // Sliders for small ranges, typed input with a log slider for decades.
            if (s.log_scale || s.max - s.min > 1000) {
                double lo = std::max(s.min, s.kind == ParamKind::Int ? 1.0 : 1e-3);
                float lg = (float)std::log10(std::max(lo, v));
                std::string shown = params.format((int)i) + (s.unit.empty() ? "" : " " + s.unit);
                if (ImGui::SliderFloat(s.label.c_str(), &lg, (float)std::log10(lo), (float)std::log10(s.max),
                                       shown.c_str())) {
                    double nv = std::pow(10.0, (double)lg);
                    if (s.kind == ParamKind::Int) nv = std::round(nv);
                    // Round to 2 significant digits so values stay readable.
                    double mag = std::pow(10.0, std::floor(std::log10(std::max(nv, 1e-9))) - 1);
                    nv = std::clamp(std::round(nv / mag) * mag, s.min, s.max);
                    if (s.kind == ParamKind::Int) nv = std::round(nv);
                    v = nv;
                    changed = true;
                }
            } else if (s.kind == ParamKind::Int) {
                int iv = (int)v;
                if (ImGui::SliderInt(s.label.c_str(), &iv, (int)s.min, (int)s.max)) {
                    v = iv;
                    changed = true;
                }
            } else {
                float fv = (float)v;
                if (ImGui::SliderFloat(s.label.c_str(), &fv, (float)s.min, (float)s.max, "%.3g")) {
                    v = std::clamp((double)fv, s.min, s.max);
                    changed = true;
                }
            }
            break;
        }
        }
        if (ImGui::IsItemHovered() && !s.help.empty()) ImGui::SetTooltip("%s\n(%s)", s.help.c_str(), describe_range(s).c_str());
        ImGui::PopID();
    }
    ImGui::PopItemWidth();
    if (ImGui::Button("Defaults")) {
        params = ParamSet::defaults(spec->params);
        changed = true;
    }
    ImGui::SameLine();
    ImGui::TextDisabled("seed %llu", (unsigned long long)seed);
    if (changed) {
        predicted = NAN;
        predict_locked = false;
    }
}

void App::Impl::predict_panel() {
    if (!predict_mode || spec->predict.question.empty()) return;
    ImGui::TextColored(ImVec4(0.95f, 0.6f, 0.1f, 1), "Predict, then run (for the parameters as set):");
    ImGui::TextWrapped("%s", spec->predict.question.c_str());
    if (!predict_locked) {
        if (spec->predict.unit == "yes/no") {
            if (ImGui::Button("Yes")) {
                predicted = 1;
                predict_locked = true;
            }
            ImGui::SameLine();
            if (ImGui::Button("No")) {
                predicted = 0;
                predict_locked = true;
            }
        } else {
            ImGui::SetNextItemWidth(140);
            ImGui::InputText(("##predict " + spec->predict.unit).c_str(), predict_buf, sizeof predict_buf,
                             ImGuiInputTextFlags_CharsScientific);
            ImGui::SameLine();
            ImGui::TextUnformatted(spec->predict.unit.c_str());
            ImGui::SameLine();
            double v;
            std::string txt = predict_buf;
            txt.erase(std::remove(txt.begin(), txt.end(), ','), txt.end());
            if (ImGui::Button("Lock in") && parse_number(txt, v)) {
                predicted = v;
                predict_locked = true;
            }
        }
        ImGui::TextDisabled("Then press Run.");
        return;
    }
    if (!result || result_key != params_key() || (spec->engine == Engine::Sim && cursor < (double)end_time())) {
        ImGui::Text("Your answer: %s %s. Run it to see.", fmt_num(predicted, "").c_str(), spec->predict.unit.c_str());
        return;
    }
    const Metric* m = result->metrics.find(spec->predict.metric);
    if (!m) return;
    const double actual = m->value / spec->predict.scale;
    const bool right = spec->predict.tolerance == 0 ? (predicted != 0) == (actual != 0)
                                                    : std::fabs(predicted - actual) <= spec->predict.tolerance * std::fabs(actual) + 1e-12;
    std::string a = spec->predict.unit == "yes/no" ? (actual != 0 ? "yes" : "no") : fmt_num(actual, "") + " " + spec->predict.unit;
    std::string y = spec->predict.unit == "yes/no" ? (predicted != 0 ? "yes" : "no") : fmt_num(predicted, "") + " " + spec->predict.unit;
    ImGui::TextColored(right ? ImVec4(0.3f, 0.8f, 0.4f, 1) : ImVec4(1, 0.45f, 0.35f, 1), "%s You said %s; the run gave %s.",
                       right ? "Close!" : "Not quite.", y.c_str(), a.c_str());
}

void App::Impl::counters_panel() {
    if (running()) {
        const RunControl& c = job->control();
        int n = c.gauges.count.load(std::memory_order_acquire);
        for (int i = 0; i < n; ++i)
            if (c.gauges.name[i])
                ImGui::Text("%-18s %s", c.gauges.name[i], fmt_num((double)c.gauges.value[i].load(std::memory_order_relaxed), "").c_str());
        ImGui::Text("running for %.1f s", job->elapsed_seconds());
        return;
    }
    if (!result) {
        ImGui::TextDisabled("Press Run (Space).");
        return;
    }
    if (!result->error.empty()) {
        ImGui::PushTextWrapPos(0);
        ImGui::TextColored(ImVec4(1, 0.45f, 0.35f, 1), "%s", result->error.c_str());
        ImGui::PopTextWrapPos();
        return;
    }
    const bool sim = spec->engine == Engine::Sim && result->trace;
    const bool at_end = !sim || cursor >= (double)end_time();
    if (sim) {
        const TraceIndex& ix = timeline.index();
        const int64_t t = (int64_t)cursor;
        ImGui::Text("at %s", fmt_duration(cursor).c_str());
        ImGui::Text("GIL switches     %s", fmt_num((double)ix.count_until(EventKind::GilTake, t), "").c_str());
        ImGui::Text("drop requests    %s", fmt_num((double)ix.count_until(EventKind::DropRequest, t), "").c_str());
        ImGui::Text("forced switches  %s", fmt_num((double)ix.count_until(EventKind::ForcedSwitch, t), "").c_str());
        if (!ix.times_by_kind[(size_t)EventKind::LostUpdate].empty() || spec->id.rfind("race.", 0) == 0)
            ImGui::Text("lost updates     %s", fmt_num((double)ix.lost_until(t), "").c_str());
        ImGui::Separator();
    }
    if (!at_end) {
        ImGui::TextDisabled("Results appear at the end of the run.");
        return;
    }
    predict_panel();
    ImGui::PushTextWrapPos(0);
    for (const auto& n : result->notes) ImGui::TextWrapped("%s", n.c_str());
    ImGui::PopTextWrapPos();
    if (result->trace && result->trace->truncated())
        ImGui::TextColored(ImVec4(1, 0.7f, 0.2f, 1), "Trace truncated: %llu intervals folded to stay within memory.",
                           (unsigned long long)result->trace->dropped_intervals);
    if (ImGui::BeginTable("metrics", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) {
        ImGui::TableSetupColumn("metric", ImGuiTableColumnFlags_WidthStretch, 0.62f);
        ImGui::TableSetupColumn("value", ImGuiTableColumnFlags_WidthStretch, 0.38f);
        for (const auto& m : result->metrics.items) {
            if (m.key.rfind("sim_", 0) == 0 && m.key != "sim_wake_latency_median_ns" && m.key != "sim_cpu_slowdown") continue;
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(m.label.c_str());
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", m.key.c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(m.text.empty() ? fmt_num(m.value, m.unit).c_str() : m.text.c_str());
        }
        ImGui::EndTable();
    }
}

void App::Impl::charts_panel() {
    if (!result || !result->error.empty()) {
        ImGui::TextDisabled("Charts appear after a run.");
        return;
    }
    const Palette pal = palette(dark);
    const float w = ImGui::GetContentRegionAvail().x;
    const float h = std::max(140.0f, std::min(240.0f, ImGui::GetContentRegionAvail().y - 10));
    const Metrics& m = result->metrics;
    // Serial vs threads vs processes (or pools) as bars.
    std::vector<std::string> labels;
    std::vector<double> values;
    auto add = [&](const char* key, const char* label) {
        if (const Metric* x = m.find(key)) {
            labels.push_back(label);
            values.push_back(x->value / 1e9);
        }
    };
    add("serial_ns", "serial");
    add("threads_ns", "threads");
    add("threads_release_ns", "threads (GIL released)");
    add("threads_hold_ns", "threads (GIL held)");
    add("processes_ns", "processes");
    add("thread_pool_ns", "ThreadPoolExecutor");
    add("process_pool_ns", "ProcessPoolExecutor");
    add("asyncio_ns", "asyncio");
    add("unlocked_ns", "no lock");
    add("locked_ns", "with lock");
    if (values.empty() && m.find("expected") && m.find("final")) {
        std::vector<std::string> l{"expected", "final"};
        std::vector<double> v{m.get("expected"), m.get("final")};
        if (const Metric* a = m.find("atomic_final")) {
            l.push_back("atomic");
            v.push_back(a->value);
        }
        ImGui::TextUnformatted("The counter at the end");
        bar_chart("race", l, v, {pal.thread_colors[7], m.get("final") < m.get("expected") ? pal.lost : pal.thread_colors[2],
                                 pal.thread_colors[0]}, "", ImVec2(w, 30.0f * (float)v.size() + 8));
        ImGui::Spacing();
    }
    if (values.size() >= 2) {
        bar_chart("bars", labels, values, {pal.thread_colors[0], pal.thread_colors[1], pal.thread_colors[2], pal.thread_colors[3]},
                  "s", ImVec2(w, 30.0f * (float)values.size() + 8));
        ImGui::Spacing();
    }
    // Prediction next to measurement, where the lab has both (real.gil).
    if (m.find("sim_wake_latency_median_ns") && m.find("wake_latency_median_ns")) {
        ImGui::TextUnformatted("I/O wake-up latency: this machine vs the simulator");
        bar_chart("simreal", {"measured (real threads)", "simulator's prediction"},
                  {m.get("wake_latency_median_ns") / 1e6, m.get("sim_wake_latency_median_ns") / 1e6},
                  {pal.thread_colors[1], pal.thread_colors[0]}, "ms", ImVec2(w, 68));
        ImGui::Spacing();
    }
    // Series: speedup with ideal and Amdahl, sweeps, histograms.
    std::map<std::string, const Series*> byKey;
    for (const auto& s : result->series) byKey[s.key] = &s;
    if (byKey.count("speedup")) {
        std::vector<ChartLine> lines{{byKey["speedup"], pal.thread_colors[0]}};
        if (byKey.count("ideal")) lines.push_back({byKey["ideal"], pal.thread_colors[7], true, false});
        if (byKey.count("amdahl")) lines.push_back({byKey["amdahl"], pal.thread_colors[1], true, false});
        line_chart("speedup", lines, ImVec2(w, h));
    }
    int ci = 0;
    for (const auto& s : result->series) {
        if (s.key == "speedup" || s.key == "ideal" || s.key == "amdahl" || s.key == "efficiency") continue;
        if (s.key.find("_hist") != std::string::npos) {
            ImGui::TextUnformatted(s.label.c_str());
            histogram(s.key.c_str(), s, pal.thread_colors[1], ImVec2(w, h));
        } else if (s.key == "serial_threads_processes" || s.key == "serial_threadpool_processpool" ||
                   s.key == "acquisitions_per_thread") {
            if (s.key == "acquisitions_per_thread") {
                std::vector<std::string> ls;
                for (double x : s.x) ls.push_back("thread " + std::to_string((int)x));
                ImGui::TextUnformatted(s.label.c_str());
                bar_chart(s.key.c_str(), ls, s.y, {pal.thread_colors[2]}, "", ImVec2(w, 24.0f * (float)s.y.size() + 8));
            }
        } else {
            const bool logx = s.key.find("interval") != std::string::npos;
            line_chart(s.key.c_str(), {{&s, pal.thread_colors[ci++ % 8]}}, ImVec2(w, h), logx);
        }
        ImGui::Spacing();
    }
    if (values.size() < 2 && result->series.empty() && !m.find("expected"))
        ImGui::TextDisabled("This experiment's results are in the table.");
}

void App::Impl::code_panel() {
    ensure_program();
    ImFont* mono = ImGui::GetIO().Fonts->Fonts.Size > 1 ? ImGui::GetIO().Fonts->Fonts[1] : nullptr;
    ImGui::TextDisabled("The Python program it models");
    if (mono) ImGui::PushFont(mono);
    ImGui::TextUnformatted(spec->python.c_str());
    if (mono) ImGui::PopFont();
    if (!program) return;
    ImGui::Separator();
    ImGui::TextDisabled("Its bytecode on %s. Highlighted: the eval breaker is checked right after", program->note.c_str());
    ImGui::TextDisabled("this instruction, so a thread can be switched out there%s.",
                        experiment_has_gil(*spec, params) ? "" : " (free-threaded: no GIL, threads truly interleave)");
    if (mono) ImGui::PushFont(mono);
    const ImU32 hl = dark ? IM_COL32(230, 159, 0, 70) : IM_COL32(230, 159, 0, 90);
    for (const CodeView& code : program->codes) {
        ImGui::Text("%s():", code.name.c_str());
        for (const auto& d : code.lines) {
            ImVec2 p = ImGui::GetCursorScreenPos();
            if (d.check_point)
                ImGui::GetWindowDrawList()->AddRectFilled(p, ImVec2(p.x + ImGui::GetContentRegionAvail().x, p.y + ImGui::GetTextLineHeight()), hl);
            ImGui::Text("  %c %3d  %-18s %s", d.check_point ? '*' : ' ', d.index, d.opname.c_str(), d.arg.c_str());
        }
    }
    if (mono) ImGui::PopFont();
}

void App::Impl::lost_update_popup() {
    if (lost_popup >= 0) {
        ImGui::OpenPopup("Lost update");
    }
    if (ImGui::BeginPopupModal("Lost update", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
        if (result && result->trace && lost_popup >= 0 && lost_popup < (int)result->trace->lost_updates.size()) {
            const Trace& tr = *result->trace;
            const LostUpdateDetail& d = tr.lost_updates[(size_t)lost_popup];
            const std::string who = tr.lanes[(size_t)d.victim_lane].name;
            const std::string var = d.variable < (int)tr.variable_names.size() ? tr.variable_names[(size_t)d.variable] : "x";
            ImGui::Text("How %s lost %lld update(s) of '%s':", who.c_str(), (long long)(d.overwritten_value - d.loaded_value),
                        var.c_str());
            ImGui::Spacing();
            ImGui::BulletText("%s: %s loaded %s = %lld", fmt_duration((double)d.load_time).c_str(), who.c_str(), var.c_str(),
                              (long long)d.loaded_value);
            if (d.preempt_time > d.load_time)
                ImGui::BulletText("%s: it was switched out (drop request, forced switch) before storing",
                                  fmt_duration((double)d.preempt_time).c_str());
            else
                ImGui::BulletText("meanwhile other threads ran at the same time (no GIL)");
            ImGui::BulletText("other threads incremented %s from %lld to %lld", var.c_str(), (long long)d.loaded_value,
                              (long long)d.overwritten_value);
            ImGui::BulletText("%s: %s stored %lld, computed from its stale load: their %lld increment(s) vanished",
                              fmt_duration((double)d.store_time).c_str(), who.c_str(), (long long)d.stored_value,
                              (long long)(d.overwritten_value - d.loaded_value));
            // The interleaving as a small two-row diagram.
            ImDrawList* dl = ImGui::GetWindowDrawList();
            ImVec2 p = ImGui::GetCursorScreenPos();
            const float W = 460, H = 60;
            ImGui::Dummy(ImVec2(W, H + 10));
            const Palette pal = palette(dark);
            double span = (double)std::max<int64_t>(1, d.store_time - d.load_time);
            auto X = [&](int64_t t) { return p.x + 10 + (float)((double)(t - d.load_time) / span) * (W - 20); };
            dl->AddText(ImVec2(p.x, p.y), pal.text, who.c_str());
            dl->AddRectFilled(ImVec2(X(d.load_time), p.y + 18), ImVec2(X(std::max(d.preempt_time, d.load_time)) + 2, p.y + 28),
                              pal.state[(size_t)ThreadState::Running]);
            dl->AddRectFilled(ImVec2(X(std::max(d.preempt_time, d.load_time)) + 2, p.y + 18), ImVec2(X(d.store_time), p.y + 28),
                              pal.state[(size_t)ThreadState::WaitGil]);
            dl->AddText(ImVec2(p.x, p.y + 32), pal.text, "others");
            dl->AddRectFilled(ImVec2(X(std::max(d.preempt_time, d.load_time)) + 2, p.y + 48), ImVec2(X(d.store_time) - 2, p.y + 58),
                              pal.thread_colors[1]);
            dl->AddText(ImVec2(X(d.load_time), p.y + 60), pal.text, "load");
            dl->AddText(ImVec2(X(d.store_time) - 30, p.y + 60), pal.lost, "store");
            ImGui::Dummy(ImVec2(W, 14));
            if (ImGui::Button("Zoom the timeline to it")) {
                int64_t pad = (d.store_time - d.load_time) / 4 + 1000;
                timeline.zoom_to(d.load_time - pad, d.store_time + pad);
                lost_popup = -1;
                ImGui::CloseCurrentPopup();
            }
            ImGui::SameLine();
        }
        if (ImGui::Button("Close")) {
            lost_popup = -1;
            ImGui::CloseCurrentPopup();
        }
        ImGui::EndPopup();
    }
}

void App::Impl::help_popup() {
    if (show_help) {
        ImGui::OpenPopup("Help");
        show_help = false;
    }
    if (ImGui::BeginPopupModal("Help", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
        ImGui::Text("GIL Lab %s", kVersion);
        ImGui::Separator();
        ImGui::BulletText("Space: run / pause      Right: step to the next event      Shift+Right: one switch interval");
        ImGui::BulletText("R: back to the start    N: new seed                        T: light / dark theme");
        ImGui::BulletText("Timeline: wheel zooms, drag pans, Shift+wheel scrolls in time, double-click fits");
        ImGui::BulletText("Hover an interval for its state and instruction; click a red diamond to see a lost update");
        ImGui::BulletText("Simulated experiments replay exactly with the same seed; 'Copy link' shares what you see");
        if (ImGui::Button("Close")) ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
    }
}

// ------------------------------------------------------------------ App

App::App() : m_(std::make_unique<Impl>()) {}
App::~App() = default;

void App::init(const AppDesc& desc) {
    m_->desc = desc;
    m_->spec = &experiments().front();
    m_->params = ParamSet::defaults(m_->spec->params);
    // Default to the experiment most people come for.
    if (const ExperimentSpec* e = find_experiment("race.counter")) m_->select(*e);
    if (!desc.query.empty()) m_->apply_query(desc.query);
    if (desc.load_fonts) load_fonts(desc.dpi_scale);
    apply_theme(m_->dark, desc.dpi_scale);
    m_->last_frame = now_s();
    if (m_->autorun) {
        if (std::string err = m_->start(); !err.empty()) m_->flash(err, 12);
    }
}

void App::set_timeline_gpu(TimelineGpu* gpu) { m_->gpu = gpu; }
bool App::busy() const { return m_->running() || m_->playing; }
PlatformRequests& App::requests() { return m_->req; }
bool App::dark() const { return m_->dark; }

void App::shutdown() {
    if (m_->job) {
        m_->job->cancel();
        if (!m_->desc.web) m_->job->wait();
    }
}

void App::frame() {
    Impl& m = *m_;
    m.poll();
    m.advance_playback();
    m.req.query = m.query();
    ImGuiIO& io = ImGui::GetIO();
    // Keyboard shortcuts (not while typing). Letters come from the typed characters (the
    // key enum of ImGui 1.86 has no letters but A, C, V, X, Y, Z).
    auto typed = [&io](char c) {
        for (int i = 0; i < io.InputQueueCharacters.Size; ++i)
            if (io.InputQueueCharacters[i] == (ImWchar)c || io.InputQueueCharacters[i] == (ImWchar)toupper(c)) return true;
        return false;
    };
    if (!io.WantTextInput) {
        if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Space))) {
            if (m.running()) {
            } else if (m.playing) {
                m.playing = false;
            } else if (m.result && m.result_key == m.params_key() && m.cursor < (double)m.end_time()) {
                m.playing = true;
                m.last_frame = now_s();
            } else if (std::string err = m.start(); !err.empty()) {
                m.flash(err);
            }
        }
        if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_RightArrow))) m.step(io.KeyShift);
        if (typed('r')) {
            m.cursor = 0;
            m.playing = false;
        }
        if (typed('n') && !m.running()) {
            m.seed = (m.seed * 2862933555777941757ULL + 3037000493ULL) % 1000000;
            m.reset_run();
        }
        if (typed('t')) {
            m.dark = !m.dark;
            apply_theme(m.dark, m.desc.dpi_scale);
        }
    }

    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->WorkPos);
    ImGui::SetNextWindowSize(vp->WorkSize);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 0);
    ImGui::Begin("GIL Lab", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoBringToFrontOnFocus |
                     ImGuiWindowFlags_NoSavedSettings);
    ImGui::PopStyleVar();
    const float W = vp->WorkSize.x, H = vp->WorkSize.y;
    const bool narrow = W < 1000, short_h = H < 640;
    m.toolbar(W);
    if (!m.url_errors.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 0.7f, 0.3f, 1));
        for (const auto& e : m.url_errors) ImGui::TextWrapped("Link parameter ignored: %s", e.c_str());
        ImGui::PopStyleColor();
        ImGui::SameLine();
        if (ImGui::SmallButton("Dismiss")) m.url_errors.clear();
    }
    if (!m.status.empty() && now_s() < m.status_until) ImGui::TextWrapped("%s", m.status.c_str());
    ImGui::Separator();

    const float browser_w = (!m.embed && !narrow) ? std::min(270.0f, W * 0.22f) : 0.0f;
    const float body_h = ImGui::GetContentRegionAvail().y;
    if (browser_w > 0) {
        m.browser(browser_w, body_h);
        ImGui::SameLine();
    }
    ImGui::BeginChild("##main", ImVec2(0, body_h), false);
    if (m.browser_open && !m.embed) {
        m.browser(-1, std::min(body_h * 0.6f, 360.0f));
    }
    m.header();
    m.legend();
    const float avail = ImGui::GetContentRegionAvail().y;
    const float tl_h = std::max(120.0f, avail * (short_h ? 0.42f : 0.5f));
    m.timeline.label_width = narrow ? 110.0f : 150.0f;
    if (m.index_build) {
        ImGui::BeginChild("##preparing", ImVec2(-1, tl_h), true);
        ImGui::TextDisabled("Preparing the timeline (%zu intervals)...", m.result && m.result->trace ? m.result->trace->interval_count() : (size_t)0);
        ImGui::EndChild();
    } else {
        m.timeline.draw(ImVec2(-1, tl_h), (int64_t)m.cursor, m.gpu, palette(m.dark));
    }
    if (int c = m.timeline.clicked_lost_update(); c >= 0) m.lost_popup = c;
    const float bottom_h = ImGui::GetContentRegionAvail().y;
    if (!narrow) {
        const float w = ImGui::GetContentRegionAvail().x;
        ImGui::BeginChild("##params", ImVec2(w * 0.30f, bottom_h), true);
        ImGui::TextDisabled("Parameters");
        m.params_panel();
        ImGui::EndChild();
        ImGui::SameLine();
        ImGui::BeginChild("##results", ImVec2(w * 0.34f, bottom_h), true);
        ImGui::TextDisabled("Counters and results");
        if (!m.result && !m.running()) m.predict_panel();
        m.counters_panel();
        ImGui::EndChild();
        ImGui::SameLine();
        ImGui::BeginChild("##charts", ImVec2(0, bottom_h), true);
        if (ImGui::BeginTabBar("##right")) {
            if (ImGui::BeginTabItem("Charts")) {
                m.charts_panel();
                ImGui::EndTabItem();
            }
            if (ImGui::BeginTabItem("Program")) {
                m.code_panel();
                ImGui::EndTabItem();
            }
            ImGui::EndTabBar();
        }
        ImGui::EndChild();
    } else {
        ImGui::BeginChild("##bottom", ImVec2(0, bottom_h), true);
        if (ImGui::BeginTabBar("##tabs")) {
            if (ImGui::BeginTabItem("Results")) {
                if (!m.result && !m.running()) m.predict_panel();
                m.counters_panel();
                ImGui::EndTabItem();
            }
            if (ImGui::BeginTabItem("Parameters")) {
                m.params_panel();
                ImGui::EndTabItem();
            }
            if (ImGui::BeginTabItem("Charts")) {
                m.charts_panel();
                ImGui::EndTabItem();
            }
            if (ImGui::BeginTabItem("Program")) {
                m.code_panel();
                ImGui::EndTabItem();
            }
            ImGui::EndTabBar();
        }
        ImGui::EndChild();
    }
    ImGui::EndChild();
    m.lost_update_popup();
    m.help_popup();
    ImGui::End();
}

// The API: requests are words separated by spaces; every reply is one JSON object.
//   list                          the experiments
//   select ID                     switch to an experiment (defaults)
//   set KEY VALUE                 set a parameter of the selected experiment
//   seed N
//   run [ID] [key=value ...] [seed=N]   start a run (and select ID)
//   play | pause | step | reset   playback of simulator runs
//   cancel
//   status                        running, progress, gauges, cursor, and the result when done
//   query                         the current shareable state as a URL query string
//   load QUERY                    apply a URL query string (what the page does at start)
std::string App::api(const std::string& request) {
    Impl& m = *m_;
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
                .key("available").value(e.engine == Engine::Sim || m.desc.threads_available).end_object();
        j.end_array().end_object();
        return j.take();
    }
    if (cmd == "select") {
        if (w.size() != 2) return fail("select needs an experiment id");
        const ExperimentSpec* e = find_experiment(w[1]);
        if (!e) return fail("unknown experiment '" + w[1] + "'");
        m.select(*e);
        return ok();
    }
    if (cmd == "set") {
        if (w.size() != 3) return fail("set needs a key and a value");
        ParamSet p = m.params;
        if (std::string err = p.set(w[1], w[2]); !err.empty()) return fail(err);
        m.params = p;
        return ok();
    }
    if (cmd == "seed") {
        int64_t s;
        if (w.size() != 2 || !parse_int64(w[1], s) || s < 0) return fail("seed needs a non-negative integer");
        m.seed = (uint64_t)s;
        return ok();
    }
    if (cmd == "run") {
        size_t i = 1;
        const ExperimentSpec* e = m.spec;
        if (w.size() > 1 && w[1].find('=') == std::string::npos) {
            e = find_experiment(w[1]);
            if (!e) return fail("unknown experiment '" + w[1] + "'");
            i = 2;
        }
        ParamSet p = e == m.spec ? m.params : ParamSet::defaults(e->params);
        uint64_t seed = m.seed;
        for (; i < w.size(); ++i) {
            if (w[i].rfind("seed=", 0) == 0) {
                int64_t s;
                if (!parse_int64(w[i].substr(5), s) || s < 0) return fail("seed must be a non-negative integer");
                seed = (uint64_t)s;
                continue;
            }
            if (std::string err = p.set_assignment(w[i]); !err.empty()) return fail(err);
        }
        if (m.running()) return fail("an experiment is still running: cancel it first");
        if (e != m.spec) m.select(*e);
        m.params = p;
        m.seed = seed;
        if (std::string err = m.start(); !err.empty()) return fail(err);
        return ok();
    }
    if (cmd == "play") {
        m.playing = (bool)m.result;
        m.last_frame = now_s();
        return ok();
    }
    if (cmd == "pause") {
        m.playing = false;
        return ok();
    }
    if (cmd == "step") {
        m.step(w.size() > 1 && w[1] == "interval");
        return ok();
    }
    if (cmd == "reset") {
        m.cursor = 0;
        m.playing = false;
        return ok();
    }
    if (cmd == "cancel") {
        if (m.job) m.job->cancel();
        return ok();
    }
    if (cmd == "query") {
        j.begin_object().key("ok").value(true).key("query").value(m.query()).end_object();
        return j.take();
    }
    if (cmd == "load") {
        m.apply_query(w.size() > 1 ? w[1] : "");
        j.begin_object().key("ok").value(true).key("rejected").begin_array();
        for (auto& e : m.url_errors) j.value(e);
        j.end_array().end_object();
        return j.take();
    }
    if (cmd == "status") {
        j.begin_object().key("ok").value(true);
        j.key("experiment").value(m.spec->id);
        j.key("running").value(m.running());
        j.key("playing").value(m.playing || (bool)m.index_build);
        j.key("cursor_ns").value((int64_t)m.cursor);
        j.key("end_ns").value(m.end_time());
        j.key("seed").value((uint64_t)m.seed);
        j.key("threads_available").value(m.desc.threads_available);
        j.key("url_errors").begin_array();
        for (auto& e : m.url_errors) j.value(e);
        j.end_array();
        if (m.job) {
            const RunControl& c = m.job->control();
            j.key("progress").value((double)c.progress_permille.load(std::memory_order_relaxed) / 1000.0);
            j.key("gauges").begin_object();
            int n = c.gauges.count.load(std::memory_order_acquire);
            for (int i = 0; i < n; ++i)
                if (c.gauges.name[i]) j.key(c.gauges.name[i]).value(c.gauges.value[i].load(std::memory_order_relaxed));
            j.end_object();
        }
        if (m.result) j.key("result").raw(result_json(*m.result, true));
        j.end_object();
        return j.take();
    }
    return fail("unknown request '" + cmd + "' (list, select, set, seed, run, play, pause, step, reset, cancel, status, query, load)");
}

}  // namespace gil::ui
