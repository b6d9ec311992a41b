// test_ui.cpp — drives the lab's UI headlessly (ImGui with no platform backend): every
// experiment is selected, run with small parameters, played, stepped and exported for a
// few frames, and no ImGui assertion may fire.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <set>
#include <string>
#include <thread>

#include "doctest.h"
#include "engine/experiment.h"
#include "engine/sim/explore.h"
#include "engine/sim/harness.h"
#include "imgui.h"
#include "ui/app.h"
#include "ui/codepack.h"
#include "ui/gui.h"
#include "ui/panels.h"
#include "ui/query.h"

extern std::atomic<int> g_gil_imgui_asserts;

namespace {

struct Headless {
    Headless(float w, float h) {
        ImGui::CreateContext();
        ImGuiIO& io = ImGui::GetIO();
        io.DisplaySize = ImVec2(w, h);
        io.DeltaTime = 1.0f / 60.0f;
        io.IniFilename = nullptr;
    }
    ~Headless() { ImGui::DestroyContext(); }
    void frame(gil::ui::App& app) {
        ImGuiIO& io = ImGui::GetIO();
        unsigned char* px;
        int w, h;
        io.Fonts->GetTexDataAsRGBA32(&px, &w, &h);  // builds the atlas if fonts changed
        ImGui::NewFrame();
        app.frame();
        ImGui::Render();
    }
};

// A headless lab without fonts, with the text probe on (or off): what most tests start from.
struct TestLab {
    Headless h;
    gil::ui::App app;
    gil::ui::TextProbe probe;
    TestLab(float w, float height, bool with_probe = true) : h(w, height) {
        gil::ui::AppDesc d;
        d.load_fonts = false;
        app.init(d);
        if (with_probe) gil::ui::text_probe = &probe;
    }
    ~TestLab() { gil::ui::text_probe = nullptr; }
};

// The record's small parameters as the API's "run" takes them: "key=value key=value".
std::string small(const gil::ExperimentSpec& e) {
    std::string o;
    for (const auto& kv : e.small) o += (o.empty() ? "" : " ") + kv.first + "=" + kv.second;
    return o;
}

}  // namespace

TEST_CASE("ui: every experiment runs, plays, steps and exports for a few frames without an ImGui assertion") {
    g_gil_imgui_asserts = 0;
    for (auto size : {ImVec2(1280, 720), ImVec2(800, 500)}) {
        Headless h(size.x, size.y);
        gil::ui::App app;
        gil::ui::AppDesc d;
        d.load_fonts = true;
        app.init(d);
        h.frame(app);
        for (const auto& e : gil::experiments()) {
            CAPTURE(e.id);
            std::string reply = app.api("run " + e.id + " " + small(e));
            REQUIRE_MESSAGE(reply.find("\"ok\":true") != std::string::npos, reply);
            // Frames until the run is done (real runs take a moment), then play to the end.
            for (int i = 0; i < 3000; ++i) {
                h.frame(app);
                std::string st = app.api("status");
                if (st.find("\"running\":false") != std::string::npos && st.find("\"result\"") != std::string::npos) break;
                std::this_thread::sleep_for(std::chrono::milliseconds(2));
            }
            std::string st = app.api("status");
            CHECK(st.find("\"result\"") != std::string::npos);
            CHECK(st.find("\"error\"") == std::string::npos);
            app.api("step");
            h.frame(app);
            app.api("step interval");
            h.frame(app);
            app.api("play");
            for (int i = 0; i < 5; ++i) h.frame(app);
            app.api("reset");
            h.frame(app);
            // Exports are requests the platform would carry out.
            gil::ui::PlatformRequests& rq = app.requests();
            CHECK(!rq.query.empty());
            CHECK(rq.query.find("exp=" + e.id) != std::string::npos);
        }
        CHECK(g_gil_imgui_asserts.load() == 0);
    }
}

TEST_CASE("ui: a URL query selects, sets and reports rejected parameters without breaking the lab") {
    Headless h(1280, 720);
    gil::ui::App app;
    gil::ui::AppDesc d;
    d.load_fonts = false;
    d.query = "exp=nosuch.thing&threads=-3&increments=lots&version=3.9&seed=7&theme=light";
    app.init(d);
    h.frame(app);
    std::string st = app.api("status");
    CHECK(st.find("unknown experiment") != std::string::npos);
    CHECK(st.find("threads") != std::string::npos);
    CHECK(st.find("increments") != std::string::npos);
    CHECK(st.find("\"seed\":7") != std::string::npos);
    CHECK(st.find("race.counter") != std::string::npos);
    CHECK(app.api("query").find("version=3.9") != std::string::npos);
    CHECK(!app.dark());
    CHECK(g_gil_imgui_asserts.load() == 0);
}

TEST_CASE("query: round trip of the shareable state") {
    const gil::ExperimentSpec* e = gil::find_experiment("gil.cpu");
    gil::ParamSet p = gil::ParamSet::defaults(e->params);
    REQUIRE(p.set("threads", "4") == "");
    REQUIRE(p.set("version", "3.13t") == "");
    gil::ui::QueryState q;
    q.experiment = "gil.cpu";
    q.params = &p;
    q.seed = 9;
    q.embed = true;
    std::string s = gil::ui::make_query(q);
    gil::ui::ParsedQuery back = gil::ui::parse_query(s);
    REQUIRE(back.experiment == e);
    CHECK(back.errors.empty());
    CHECK(back.params.values == p.values);
    CHECK(*back.seed == 9);
    CHECK(back.embed);
}

namespace {

// Frames until the job is done (real runs take a moment).
void until_done(Headless& h, gil::ui::App& app) {
    for (int i = 0; i < 3000; ++i) {
        h.frame(app);
        std::string st = app.api("status");
        if (st.find("\"running\":false") != std::string::npos && st.find("\"result\"") != std::string::npos) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    h.frame(app);
}

bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// A left click at (x, y) as ImGui 1.86 sees one: the mouse moves there, goes down for a frame, up.
void click_at(Headless& h, gil::ui::App& app, float x, float y) {
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(x, y);
    h.frame(app);
    io.MouseDown[0] = true;
    h.frame(app);
    io.MouseDown[0] = false;
    h.frame(app);
}

}  // namespace

TEST_CASE("ui: predict first asks before it runs, hides the result until the end, and reports the prediction") {
    Headless h(1280, 720);
    gil::ui::App app;
    gil::ui::AppDesc d;
    d.query = "exp=race.counter&version=3.9&increments=20000&predict=1&autorun=1";
    app.init(d);
    gil::ui::TextProbe probe;
    gil::ui::text_probe = &probe;
    h.frame(app);
    // autorun=1 with a question: the question comes first, nothing runs.
    std::string st = app.api("status");
    CHECK(has(st, "\"prediction\":{"));
    CHECK(has(st, "\"locked\":false"));
    CHECK(has(st, "\"asking\":true"));
    CHECK(has(st, "\"running\":false"));
    CHECK(!has(st, "\"result\""));
    CHECK(probe.contains("Before the run: what do you expect?"));
    // Answering starts the run that waited for it.
    REQUIRE(has(app.api("answer 1500"), "\"ok\":true"));
    st = app.api("status");
    CHECK(has(st, "\"locked\":true"));
    CHECK(has(st, "\"value\":1500"));
    CHECK(has(st, "\"asking\":false"));
    until_done(h, app);
    st = app.api("status");
    CHECK(has(st, "\"runs_finished\":1"));
    CHECK(has(st, "\"playing\":true"));
    CHECK(!has(st, "\"actual\""));  // no verdict while it plays back
    // While it plays back no panel shows the result: no metrics table, no chart values.
    app.api("tab Charts");
    probe.clear();
    for (int i = 0; i < 3; ++i) h.frame(app);
    CHECK(!probe.contains("Final value"));
    CHECK(!probe.contains("final"));
    CHECK(probe.contains("Results appear at the end of the run."));
    CHECK(probe.contains("Charts appear at the end of the run."));
    // At the end: the verdict, in the panel and in the status.
    app.api("seek end");
    probe.clear();
    h.frame(app);
    h.frame(app);
    st = app.api("status");
    CHECK(has(st, "\"actual\":"));
    CHECK(has(st, "\"right\":"));
    CHECK(probe.contains("You said 1,500"));
    gil::ui::text_probe = nullptr;
}

TEST_CASE("ui: Run with the question open asks for an answer or an explicit skip") {
    Headless h(800, 500);
    gil::ui::App app;
    gil::ui::AppDesc d;
    d.load_fonts = false;
    d.query = "exp=gil.cpu&iterations=100000&predict=1";
    app.init(d);
    h.frame(app);
    app.api("toggle");  // Space / Run
    h.frame(app);
    std::string st = app.api("status");
    CHECK(has(st, "\"asking\":true"));
    CHECK(has(st, "\"running\":false"));
    CHECK(!has(st, "\"result\""));
    REQUIRE(has(app.api("skip"), "\"ok\":true"));
    st = app.api("status");
    CHECK(has(st, "\"skipped\":true"));
    CHECK((has(st, "\"running\":true") || has(st, "\"result\"")));
    until_done(h, app);
    // A new parameter value asks again.
    app.api("set threads 3");
    // Without predict mode nothing is asked.
    CHECK(has(app.api("answer x"), "\"ok\":false"));
}

TEST_CASE("ui: copy outcomes are reported by the platform, and errors go away with the next run") {
    TestLab fx(1280, 720, false);
    auto& [h, app, probe] = fx;
    h.frame(app);
    CHECK(!has(app.api("status"), "\"message\""));
    app.api("copied 0 Document is not focused.");
    std::string st = app.api("status");
    CHECK(has(st, "could not be copied (Document is not focused.)"));
    CHECK(!has(st, "Link copied"));
    app.api("copied 1");
    CHECK(has(app.api("status"), "Link copied"));
    // The previous message goes when a run starts, and when the experiment changes.
    app.api("run race.counter increments=1000");
    CHECK(!has(app.api("status"), "\"message\""));
    until_done(h, app);
    app.api("copied 1");
    app.api("select gil.cpu");
    CHECK(!has(app.api("status"), "\"message\""));
}

TEST_CASE("ui: without threads a real-thread experiment's Run is disabled, with the reason") {
    Headless h(1280, 720);
    gil::ui::App app;
    gil::ui::AppDesc d;
    d.threads_available = false;
    d.query = "exp=real.race";
    app.init(d);
    h.frame(app);
    app.api("toggle");
    h.frame(app);
    std::string st = app.api("status");
    CHECK(has(st, "\"running\":false"));
    CHECK(!has(st, "\"result\""));
    CHECK(has(app.api("run"), "cross-origin isolated"));
}

// Every experiment at the three sizes the issue names: no text item may be cut (wider than
// the room its window, table cell or frame gives it), before a run and after it, in every tab.
TEST_CASE("ui: nothing is cut at 1280x720, 800x500 and 390x844, for every experiment") {
    struct Cut {
        std::string where;
        gil::ui::ShownText t;
    };
    std::vector<Cut> cuts;
    for (auto size : {ImVec2(1280, 720), ImVec2(800, 500), ImVec2(390, 844)}) {
        Headless h(size.x, size.y);
        gil::ui::App app;
        gil::ui::AppDesc d;
        app.init(d);
        gil::ui::TextProbe probe;
        gil::ui::text_probe = &probe;
        const std::string sz = std::to_string((int)size.x) + "x" + std::to_string((int)size.y);
        auto look = [&](const std::string& id, const std::string& when) {
            for (const char* tab : {"Results", "Parameters", "Charts", "Program", "Bytecode", "Explore"}) {
                app.api(std::string("tab ") + tab);
                h.frame(app);
                probe.clear();
                h.frame(app);
                for (const auto& s : probe.shown)
                    if (s.cut()) {
                        bool seen = false;
                        for (const auto& c : cuts) seen |= c.t.text == s.text && c.t.window == s.window;
                        if (!seen) cuts.push_back({sz + " " + id + " " + when + " (" + tab + ")", s});
                    }
            }
        };
        for (const auto& e : gil::experiments()) {
            app.api("select " + e.id);
            look(e.id, "before a run");
            REQUIRE(has(app.api("run " + e.id + " " + small(e)), "\"ok\":true"));
            until_done(h, app);
            app.api("seek end");
            look(e.id, "after a run");
        }
        gil::ui::text_probe = nullptr;
    }
    for (const auto& c : cuts)
        MESSAGE(c.where << ": '" << c.t.text << "' needs " << c.t.need << " px, has " << c.t.have << " (" << c.t.window << ")");
    CHECK(cuts.size() == 0);
}

TEST_CASE("ui: the text probe catches a cut label, button text, slider label and drawn text") {
    Headless h(400, 300);
    gil::ui::TextProbe probe;
    gil::ui::text_probe = &probe;
    unsigned char* px;
    int w, hh;
    ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&px, &w, &hh);
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(120, 200));
    ImGui::Begin("narrow", nullptr, ImGuiWindowFlags_NoDecoration);
    gil::ui::gui::TextUnformatted("fits");
    gil::ui::gui::TextUnformatted("a label much wider than this little window");
    gil::ui::gui::Button("Run again", ImVec2(30, 0));
    ImGui::SetNextItemWidth(60);
    int v = 1;
    gil::ui::gui::SliderInt("Threads (or processes)", &v, 1, 16);
    gil::ui::gui::TextWrapped("wrapped text fits in any window it is put in");
    gil::ui::probe_drawn_text(ImGui::GetWindowDrawList(), ImGui::GetCursorScreenPos(), "drawn past the edge of it");
    ImGui::End();
    ImGui::Render();
    gil::ui::text_probe = nullptr;
    std::vector<std::string> cut;
    for (const auto& s : probe.shown)
        if (s.cut()) cut.push_back(s.text);
    auto in = [&](const char* t) { return std::find(cut.begin(), cut.end(), std::string(t)) != cut.end(); };
    CHECK(!in("fits"));
    CHECK(in("a label much wider than this little window"));
    CHECK(in("Run again"));
    CHECK(in("Threads (or processes)"));
    CHECK(!in("wrapped text fits in any window it is put in"));
    CHECK(in("drawn past the edge of it"));
}

TEST_CASE("ui: numbers as people read them: no scientific notation, enough digits to compare") {
    using gil::ui::fmt_duration;
    using gil::ui::fmt_num;
    CHECK(fmt_num(317100.4, "/s") == "317,100 /s");
    CHECK(fmt_num(3.171e5, "/s") == "317,100 /s");
    CHECK(fmt_num(4000000, "") == "4,000,000");
    CHECK(fmt_num(-1234567, "") == "-1,234,567");
    CHECK(fmt_num(1.4051234, "x") == "1.405 x");
    CHECK(fmt_num(0.000123456, "") == "0.0001235");
    CHECK(fmt_num(2591, "") == "2,591");
    // False sharing: 3.2 ns and 3.4 ns must not both read "3 ns".
    CHECK(fmt_duration(3.2) == "3.20 ns");
    CHECK(fmt_duration(3.4) != fmt_duration(3.2));
    CHECK(fmt_duration(999600) == "1.00 ms");  // not "1e+03 us"
    CHECK(fmt_duration(2.5e9) == "2.50 s");
    CHECK(fmt_duration(0) == "0 ns");
    for (double v : {1e-7, 3e-5, 0.5, 999.99, 1e5, 3.171e5, 2.2e9, 7.7e13})
        for (const char* u : {"", "/s", "ns"}) {
            CAPTURE(v);
            CHECK(fmt_num(v, u).find('e') == std::string::npos);
        }
}

namespace {
// The number after "KEY": in a status reply.
long long metric(const std::string& st, const std::string& key) {
    size_t p = st.find("\"" + key + "\":");
    REQUIRE(p != std::string::npos);
    return std::atoll(st.c_str() + p + key.size() + 3);
}
}  // namespace

TEST_CASE("ui: one definition of each count: live counters at the end agree with the results") {
    Headless h(1280, 720);
    gil::ui::App app;
    gil::ui::AppDesc d;
    app.init(d);
    gil::ui::TextProbe probe;
    gil::ui::text_probe = &probe;
    for (const char* run : {"run gil.cpu iterations=200000", "run race.counter version=3.9 increments=1000000",
                            "run mp.process iterations=100000"}) {
        CAPTURE(run);
        REQUIRE(has(app.api(run), "\"ok\":true"));
        until_done(h, app);
        app.api("seek end");
        probe.clear();
        h.frame(app);
        const std::string st = app.api("status");
        const long long sw = metric(st, "gil_switches");
        std::string live;
        for (const auto& s : probe.shown)
            if (s.text.rfind("GIL switches", 0) == 0) live = s.text;
        CHECK(live.substr(live.find_last_of(' ') + 1) == gil::ui::fmt_num((double)sw, ""));
        if (has(run, "race.counter")) {
            std::string stale;
            for (const auto& s : probe.shown)
                if (s.text.rfind("stale stores", 0) == 0) stale = s.text;
            CHECK(stale.substr(stale.find_last_of(' ') + 1) == gil::ui::fmt_num((double)metric(st, "lost_update_events"), ""));
            // "lost updates" is one number: expected - final, in the note and the table.
            const long long lost = metric(st, "lost");
            CHECK(lost == metric(st, "expected") - metric(st, "final"));
            CHECK(lost > 0);
            CHECK(probe.contains(std::to_string(lost) + " of "));
        }
    }
    gil::ui::text_probe = nullptr;
}

TEST_CASE("ui: the timeline's ruler spaces its ticks by the width of their labels") {
    Headless h(390, 844);
    unsigned char* px;
    int w, hh;
    ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&px, &w, &hh);
    ImGui::NewFrame();
    auto text_w = [](const std::string& s) { return ImGui::CalcTextSize(s.c_str()).x; };
    for (float width : {50.0f, 230.0f, 280.0f, 1100.0f})
        for (int64_t span : {1000LL, 12345LL, 150000LL, 1000000LL, 118000000LL, 9300000000LL})
            for (int64_t v0 : {0LL, 777LL, 123456789LL}) {
                CAPTURE(width);
                CAPTURE(span);
                CAPTURE(v0);
                const double step = gil::ui::ruler_step(v0, v0 + span, width, text_w);
                const double step_px = step / ((double)span / width);
                // A round step: 1, 2 or 5 times a power of ten (or the whole span, when even one label is too wide).
                const double m = step / std::pow(10.0, std::floor(std::log10(step) + 1e-9));
                CHECK((std::fabs(m - 1) < 1e-6 || std::fabs(m - 2) < 1e-6 || std::fabs(m - 5) < 1e-6 || step == (double)span));
                for (double t = std::ceil((double)v0 / step) * step; t <= (double)(v0 + span); t += step)
                    CHECK(text_w(gil::ui::fmt_duration(t)) + 3 < step_px);
            }
    // 390x844 of a 1 ms run: no "0 ns50.0100..." (the step used to be 50 us, 13 px apart).
    CHECK(gil::ui::ruler_step(0, 1000000, 230, text_w) >= 200000);
    ImGui::EndFrame();
}

namespace {
// Nanoseconds of the lanes' Running intervals during which the holder lane says nobody holds the GIL.
int64_t running_without_holder(const gil::ui::TraceIndex& ix) {
    REQUIRE(ix.holders.size() == 1);
    const auto& h = ix.holders[0];
    int64_t missing = 0;
    for (const auto& l : ix.trace->lanes)
        for (size_t k = 0; k < l.intervals.size(); ++k) {
            if (l.intervals[k].state != gil::ThreadState::Running) continue;
            const int64_t a = l.intervals[k].t0, b = gil::ui::lane_end_time(l, k);
            for (size_t j = 0; j < h.t0.size(); ++j) {
                const int64_t s = h.t0[j], e = j + 1 < h.t0.size() ? h.t0[j + 1] : ix.trace->end;
                if (h.lane[j] < 0) missing += std::max<int64_t>(0, std::min(b, e) - std::max(a, s));
            }
        }
    return missing;
}
}  // namespace

TEST_CASE("trace index: the GIL-holder lane covers every time a thread is recorded running bytecode") {
    // Two real threads' clocks differ a little: the I/O thread's Running [1000, 1100) starts
    // inside the CPU thread's [0, 5000). Its end must not free the GIL until 5000.
    auto tr = std::make_shared<gil::Trace>();
    int cpu = tr->add_lane("cpu 1", 0), io = tr->add_lane("io 1", 0);
    tr->set_state(cpu, 0, gil::ThreadState::Running);
    tr->set_state(cpu, 5000, gil::ThreadState::WaitGil);
    tr->set_state(io, 0, gil::ThreadState::Io);
    tr->set_state(io, 1000, gil::ThreadState::Running);
    tr->set_state(io, 1100, gil::ThreadState::Io);
    tr->finish(6000);
    gil::ui::TraceIndex ix;
    ix.build(tr, true);
    CHECK(running_without_holder(ix) == 0);
    const auto& h = ix.holders[0];
    // cpu, then io from 1000, back to cpu at 1100, free from 5000.
    CHECK(h.t0 == std::vector<int64_t>{0, 1000, 1100, 5000});
    CHECK(h.lane == std::vector<int32_t>{cpu, io, cpu, -1});

    // real.gil itself, CPU and I/O threads with a recorded trace.
    const gil::ExperimentSpec* e = gil::find_experiment("real.gil");
    REQUIRE(e);
    gil::ParamSet ps = gil::ParamSet::defaults(e->params);
    for (auto kv : std::vector<std::pair<const char*, const char*>>{
             {"cpu_threads", "1"}, {"io_threads", "2"}, {"work_ms", "20"}, {"requests", "10"}, {"runs", "1"}})
        REQUIRE(ps.set(kv.first, kv.second) == "");
    gil::RunControl ctl;
    ctl.record_trace = true;
    gil::RunResult r = gil::run_experiment(*e, ps, 1, ctl);
    REQUIRE(r.error == "");
    REQUIRE(r.trace.get() != nullptr);
    gil::ui::TraceIndex rix;
    rix.build(r.trace, true);
    CHECK(running_without_holder(rix) == 0);
}

TEST_CASE("records: the legend declares exactly what a run can show, and a record without a timeline says so") {
    for (const auto& e : gil::experiments()) {
        CAPTURE(e.id);
        // No timeline: no states, no marks, and the reason.
        if (!e.view.no_timeline.empty()) {
            CHECK(e.view.states.empty());
            CHECK(e.view.marks.empty());
        }
        gil::ParamSet ps = gil::ParamSet::defaults(e.params);
        for (const auto& kv : e.small) REQUIRE(ps.set(kv.first, kv.second) == "");
        gil::RunControl ctl;
        ctl.record_trace = true;
        gil::RunResult r = gil::run_experiment(e, ps, 1, ctl);
        REQUIRE(r.error == "");
        CHECK((r.trace == nullptr) == !e.view.no_timeline.empty());
        if (!r.trace) continue;
        // Every state a lane is in, and every mark the timeline draws, is in the legend.
        std::set<std::string> missing;
        for (const auto& l : r.trace->lanes)
            for (const auto& iv : l.intervals)
                if (iv.state != gil::ThreadState::NotStarted && iv.state != gil::ThreadState::Done &&
                    std::find(e.view.states.begin(), e.view.states.end(), iv.state) == e.view.states.end())
                    missing.insert(gil::state_name(iv.state));
        for (const auto& ev : r.trace->events)
            if ((ev.kind == gil::EventKind::DropRequest || ev.kind == gil::EventKind::ForcedSwitch ||
                 ev.kind == gil::EventKind::LostUpdate || ev.kind == gil::EventKind::Deadlock) &&
                std::find(e.view.marks.begin(), e.view.marks.end(), ev.kind) == e.view.marks.end())
                missing.insert(gil::event_name(ev.kind));
        std::string m;
        for (const auto& x : missing) m += x + " ";
        CHECK_MESSAGE(missing.empty(), "not in the legend: " << m);
    }
    // CPU-bound programs never do I/O: their legend does not offer it.
    for (const char* id : {"gil.cpu", "race.counter", "race.lock_cost", "mp.process"}) {
        const auto& st = gil::find_experiment(id)->view.states;
        CHECK(std::find(st.begin(), st.end(), gil::ThreadState::Io) == st.end());
    }
}

TEST_CASE("ui: after a run the timeline never asks for one, Replay is off for measured runs, an empty chart says why") {
    Headless h(1280, 720);
    gil::ui::App app;
    gil::ui::AppDesc d;
    app.init(d);
    gil::ui::TextProbe probe;
    gil::ui::text_probe = &probe;
    auto shown = [&](const std::string& text) -> const gil::ui::ShownText* {
        for (const auto& s : probe.shown)
            if (s.text == text) return &s;
        return nullptr;
    };
    for (const auto& e : gil::experiments()) {
        CAPTURE(e.id);
        app.api("select " + e.id);
        probe.clear();
        h.frame(app);
        if (!e.view.no_timeline.empty()) CHECK(probe.contains(e.view.no_timeline.substr(0, 30)));
        REQUIRE(has(app.api("run " + e.id + " " + small(e)), "\"ok\":true"));
        until_done(h, app);
        app.api("seek end");
        probe.clear();
        h.frame(app);
        CHECK(!probe.contains("Run the experiment to see its timeline here"));
        const gil::ui::ShownText* replay = shown("Replay");
        REQUIRE(replay);
        // A simulated run replays event for event; a measured one has nothing to replay.
        CHECK(replay->disabled == (e.engine == gil::Engine::Real));
    }
    // race.lock_cost's small run never contends: the histogram says so under its title.
    REQUIRE(has(app.api("run race.lock_cost increments=5000 interval_us=50"), "\"ok\":true"));
    until_done(h, app);
    app.api("seek end");
    app.api("tab Charts");
    h.frame(app);
    probe.clear();
    h.frame(app);
    CHECK(probe.contains("Time blocked per contended acquire"));
    CHECK(probe.contains("No acquire had to wait"));
    gil::ui::text_probe = nullptr;
}

TEST_CASE("ui: a run the simulator cannot do is refused at once, with the estimate and what to lower") {
    TestLab fx(1280, 720, false);
    auto& [h, app, probe] = fx;
    h.frame(app);
    const auto t0 = std::chrono::steady_clock::now();
    const std::string reply = app.api("run race.counter threads=16 increments=1000000000 interval_us=1");
    CHECK(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() < 2.0);
    CHECK(has(reply, "\"ok\":false"));
    CHECK(has(reply, "Not started: this run would take about"));
    CHECK(has(reply, "Increments per thread"));
    const std::string st = app.api("status");
    CHECK(has(st, "\"running\":false"));
    CHECK(has(st, "Not started"));  // shown under the toolbar too
}

TEST_CASE("ui: Escape closes every dialog (help, lost update)") {
    Headless h(1280, 720);
    gil::ui::App app;
    gil::ui::AppDesc d;
    d.load_fonts = false;
    app.init(d);
    ImGuiIO& io = ImGui::GetIO();
    io.KeyMap[ImGuiKey_Escape] = 27;  // what a platform backend maps
    gil::ui::TextProbe probe;
    gil::ui::text_probe = &probe;
    auto escape = [&] {
        io.KeysDown[27] = true;
        h.frame(app);
        io.KeysDown[27] = false;
        h.frame(app);
        probe.clear();
        h.frame(app);
    };
    h.frame(app);
    REQUIRE(has(app.api("help"), "\"ok\":true"));
    h.frame(app);
    probe.clear();
    h.frame(app);
    CHECK(probe.contains("Space: run / pause"));
    escape();
    CHECK(!probe.contains("Space: run / pause"));
    REQUIRE(has(app.api("run race.counter version=3.9 increments=1000000"), "\"ok\":true"));
    until_done(h, app);
    app.api("seek end");
    REQUIRE(has(app.api("explain 0"), "\"ok\":true"));
    h.frame(app);
    probe.clear();
    h.frame(app);
    CHECK(probe.contains("Zoom the timeline to it"));
    escape();
    CHECK(!probe.contains("Zoom the timeline to it"));
    gil::ui::text_probe = nullptr;
}

TEST_CASE("query: a parameter given twice is reported like any other rejected one") {
    gil::ui::ParsedQuery q = gil::ui::parse_query("exp=race.counter&threads=4&threads=8&experiment=gil.cpu&seed=3&seed=5");
    REQUIRE(q.experiment == gil::find_experiment("race.counter"));
    CHECK(q.params.get("threads") == 4);  // the first stays
    CHECK(*q.seed == 3);
    REQUIRE(q.errors.size() == 3);
    CHECK(has(q.errors[0], "threads is given more than once"));
    CHECK(has(q.errors[1], "exp is given more than once"));
    CHECK(has(q.errors[2], "seed is given more than once"));
    // The JS API's run words: the same sentence.
    TestLab fx(800, 500, false);
    auto& [h, app, probe] = fx;
    CHECK(has(app.api("run race.counter threads=2 threads=3"), "threads is given more than once"));
}

namespace {
long long status_num(const std::string& st, const std::string& key) {
    size_t p = st.find("\"" + key + "\":");
    REQUIRE(p != std::string::npos);
    return std::atoll(st.c_str() + p + key.size() + 3);
}
}  // namespace

TEST_CASE("ui: a Step always moves to the next change the timeline shows") {
    const gil::ExperimentSpec* e = gil::find_experiment("race.counter");
    gil::ParamSet ps = gil::ParamSet::defaults(e->params);
    REQUIRE(ps.set("version", "3.9") == "");
    REQUIRE(ps.set("increments", "20000") == "");
    REQUIRE(ps.set("interval_us", "50") == "");
    gil::RunControl ctl;
    ctl.record_trace = true;
    gil::RunResult r = gil::run_experiment(*e, ps, 1, ctl);
    REQUIRE(r.trace.get() != nullptr);
    const gil::Trace& tr = *r.trace;
    auto visible_at = [&](int64_t t) {
        for (const auto& l : tr.lanes)
            for (const auto& iv : l.intervals)
                if (iv.t0 == t) return true;
        for (const auto& ev : tr.events)
            if (ev.t == t && (ev.kind == gil::EventKind::DropRequest || ev.kind == gil::EventKind::ForcedSwitch ||
                              ev.kind == gil::EventKind::LostUpdate || ev.kind == gil::EventKind::Deadlock))
                return true;
        return false;
    };
    TestLab fx(1280, 720, false);
    auto& [h, app, probe] = fx;
    REQUIRE(has(app.api("run race.counter version=3.9 increments=20000 interval_us=50 seed=1"), "\"ok\":true"));
    until_done(h, app);
    app.api("seek 0");
    REQUIRE(status_num(app.api("status"), "end_ns") == tr.end);
    long long prev = 0;
    int steps = 0;
    for (; steps < 300; ++steps) {
        app.api("step");
        const long long c = status_num(app.api("status"), "cursor_ns");
        if (c >= tr.end) break;
        CHECK(c > prev);
        CHECK_MESSAGE(visible_at(c), "step stopped at " << c << " where nothing changes");
        // ... and skipped none on the way.
        bool skipped = false;
        for (const auto& l : tr.lanes)
            for (const auto& iv : l.intervals) skipped |= iv.t0 > prev && iv.t0 < c;
        CHECK_MESSAGE(!skipped, "step from " << prev << " to " << c << " skipped a change");
        prev = c;
    }
    CHECK(steps > 3);
}

TEST_CASE("deadlock.order: the picture shows both threads waiting") {
    const gil::ExperimentSpec* e = gil::find_experiment("deadlock.order");
    gil::ParamSet ps = gil::ParamSet::defaults(e->params);
    gil::RunControl ctl;
    ctl.record_trace = true;
    gil::RunResult r = gil::run_experiment(*e, ps, 1, ctl);
    REQUIRE(r.metrics.get("deadlock") == 1);
    REQUIRE(r.trace.get() != nullptr);
    const gil::Trace& tr = *r.trace;
    REQUIRE(tr.lanes.size() >= 2);
    for (const auto& l : tr.lanes) {
        CAPTURE(l.name);
        REQUIRE(!l.intervals.empty());
        const gil::Interval& last = l.intervals.back();
        CHECK(last.state == gil::ThreadState::WaitLock);
        // Visibly: at least a tenth of the timeline.
        CHECK(l.end - last.t0 >= tr.end / 10);
    }
}

TEST_CASE("ui: the exported PNG is of a frame without the Export menu in it") {
    TestLab fx(1280, 720);
    auto& [h, app, probe] = fx;
    ImGuiIO& io = ImGui::GetIO();
    auto frame = [&] {
        probe.clear();
        h.frame(app);
    };
    auto find = [&](const std::string& text) -> const gil::ui::ShownText* {
        for (const auto& s : probe.shown)
            if (s.text == text) return &s;
        return nullptr;
    };
    // A click as a platform backend gives it: the mouse over the item, down one frame, up the next.
    auto click = [&](const std::string& text) {
        const gil::ui::ShownText* s = find(text);
        REQUIRE_MESSAGE(s, text);
        io.MousePos = ImVec2((s->min.x + s->max.x) / 2, (s->min.y + s->max.y) / 2);
        frame();
        io.MouseDown[0] = true;
        frame();
        io.MouseDown[0] = false;
    };
    frame();
    frame();
    click("Export");
    frame();
    frame();
    REQUIRE(find("Picture of the lab (PNG)"));
    click("Picture of the lab (PNG)");
    bool saved = false;
    for (int i = 0; i < 4 && !saved; ++i) {
        frame();
        if (app.requests().save_png) {
            saved = true;
            // The frame the platform saves: no menu in it.
            CHECK(!probe.contains("Picture of the lab (PNG)"));
            CHECK(!probe.contains("Metrics (CSV)"));
        }
    }
    CHECK(saved);
}

TEST_CASE("ui: hovering an interval shows its instruction where the simulator knows it") {
    TestLab fx(1280, 720);
    auto& [h, app, probe] = fx;
    REQUIRE(has(app.api("run race.counter version=3.9 increments=20000 interval_us=50"), "\"ok\":true"));
    until_done(h, app);
    app.api("seek end");
    probe.clear();
    h.frame(app);
    // The lane's name, drawn left of it; the lane starts 150 px right of the timeline's edge.
    const gil::ui::ShownText* lane = nullptr;
    for (const auto& s : probe.shown)
        if (s.text == "2 Thread-1") lane = &s;  // lane 1 is MainThread, which starts the threads
    REQUIRE(lane);
    // Along the lane: intervals where Thread-1 runs and where it waits for the GIL.
    bool running = false, waiting = false, blamed = false;
    const float y = (lane->min.y + lane->max.y) / 2;
    for (float x = lane->min.x + 160; x < 1270 && !(running && waiting && blamed); x += 5) {
        ImGui::GetIO().MousePos = ImVec2(x, y);
        probe.clear();
        h.frame(app);
        for (const auto& s : probe.shown) {
            if (s.text.rfind("Thread-1: ", 0) != 0) continue;
            // "Thread-1: Running bytecode ... at work: LOAD_GLOBAL counter", or where it waits.
            running |= has(s.text, "Running bytecode") && has(s.text, "\nat work: ");
            waiting |= has(s.text, "Waiting for the GIL") && has(s.text, "\nwaiting at work: ");
            if (has(s.text, "Waiting for the GIL")) CHECK_MESSAGE(has(s.text, "\nwaiting at work: "), s.text);
            // Wait blame: who holds the GIL then, and what it is doing.
            blamed |= has(s.text, "Waiting for the GIL") && has(s.text, "\nthe GIL is held by Thread-2, running bytecode at work: ");
        }
    }
    CHECK(running);
    CHECK(waiting);
    CHECK(blamed);
}

namespace {
std::string json_str(const std::string& j, const std::string& key) {
    // The string value of "key" in a flat JSON reply (enough for the API's replies here).
    const std::string k = "\"" + key + "\":\"";
    size_t p = j.find(k);
    if (p == std::string::npos) return "";
    std::string out;
    for (size_t i = p + k.size(); i < j.size() && j[i] != '"'; ++i) {
        if (j[i] == '\\' && i + 1 < j.size()) {
            ++i;
            out += j[i] == 'n' ? '\n' : j[i];
        } else {
            out += j[i];
        }
    }
    return out;
}
const char* kThreaded =
    "import threading\n"
    "counter = 0\n"
    "def work():\n"
    "    global counter\n"
    "    for _ in range(200000):\n"
    "        counter += 1\n"
    "ts = [threading.Thread(target=work) for _ in range(2)]\n"
    "for t in ts:\n"
    "    t.start()\n"
    "for t in ts:\n"
    "    t.join()\n"
    "print('counter', counter)\n";
}  // namespace

TEST_CASE("ui: your own code: editing an experiment's program makes it Your program; the link carries it; Reset goes back") {
    TestLab fx(1280, 720);
    auto& [h, app, probe] = fx;
    REQUIRE(has(app.api("select race.counter"), "\"ok\":true"));
    REQUIRE(has(app.api("set version 3.9"), "\"ok\":true"));
    app.api("tab Program");
    h.frame(app);
    std::string c = app.api("code");
    CHECK(has(c, "\"experiment\":\"race.counter\""));
    CHECK(has(c, "\"editable\":true"));
    CHECK(has(json_str(c, "code"), "counter += 1"));
    // An edit with a mistake: the lab becomes "Your program" (version kept) and says where it is wrong.
    REQUIRE(has(app.api(std::string("code\n") + "import threading\ndef work(:\n    pass\n"), "\"ok\":true"));
    c = app.api("code");
    CHECK(has(c, "\"experiment\":\"program\""));
    CHECK(has(c, "\"origin\":\"race.counter\""));
    CHECK(has(c, "\"line\":2"));
    CHECK(!json_str(c, "error").empty());
    CHECK(has(app.api("query"), "version=3.9"));
    app.api("tab Program");
    probe.clear();
    h.frame(app);
    h.frame(app);
    CHECK(probe.contains("line 2, column"));
    CHECK(probe.contains("Reset code"));
    // Run refuses a program that does not compile, with the sentence.
    REQUIRE(has(app.api("run"), "\"ok\":true"));
    until_done(h, app);
    CHECK(has(app.api("status"), "does not compile: line 2"));
    // Fixed, it runs on 3.9 and on 3.12; the race detector flags counter on both, even where nothing was lost.
    REQUIRE(has(app.api(std::string("code\n") + kThreaded), "\"ok\":true"));
    CHECK(json_str(app.api("code"), "error").empty());
    for (const char* v : {"3.9", "3.12"}) {
        CAPTURE(v);
        REQUIRE(has(app.api(std::string("run version=") + v + " interval_us=50"), "\"ok\":true"));
        until_done(h, app);
        const std::string s = app.api("status");
        CHECK(has(s, "\"experiment\":\"program\""));
        CHECK(has(s, "\"races\":1"));
        CHECK(has(s, "\"output\":\"counter "));
        if (std::string(v) == "3.12") CHECK(has(s, "\"global.counter\":400000"));
        if (std::string(v) == "3.9") CHECK(!has(s, "\"global.counter\":400000"));
    }
    // The link carries the program: a fresh lab opened with it shows the same code and version.
    const std::string q = json_str(app.api("query"), "query");
    CHECK(has(q, "code=1"));
    {
        gil::ui::App other;
        gil::ui::AppDesc d2;
        d2.load_fonts = false;
        d2.query = q;
        other.init(d2);
        const std::string c2 = other.api("code");
        CHECK(json_str(c2, "code") == kThreaded);
        CHECK(json_str(other.api("query"), "query") == q);  // same version, switch interval, code
    }
}

TEST_CASE("ui: Reset code returns to the experiment the edit started from; compile reports errors and the bytecode") {
    TestLab fx(1280, 720, false);
    auto& [h, app, probe] = fx;
    REQUIRE(has(app.api("select race.counter"), "\"ok\":true"));
    REQUIRE(has(app.api("set threads 4"), "\"ok\":true"));
    REQUIRE(has(app.api(std::string("code\n") + kThreaded), "\"ok\":true"));
    CHECK(has(app.api("code"), "\"experiment\":\"program\""));
    // Reset code (the API's request and the editor's button call the same LabState::reset_code).
    REQUIRE(has(app.api("code reset"), "\"ok\":true"));
    CHECK(has(app.api("code"), "\"experiment\":\"race.counter\""));
    CHECK(has(app.api("query"), "threads=4"));
    // On the record itself, Reset code restores its template.
    REQUIRE(has(app.api("select program"), "\"ok\":true"));
    REQUIRE(has(app.api(std::string("code\n") + kThreaded), "\"ok\":true"));
    CHECK(has(app.api("code"), "\"edited\":true"));
    REQUIRE(has(app.api("code reset"), "\"ok\":true"));
    CHECK(has(app.api("code"), "\"edited\":false"));
    const std::string ok = app.api(std::string("compile version=3.9\n") + kThreaded);
    CHECK(has(ok, "\"compiles\":true"));
    CHECK(has(ok, "\"opname\":\"STORE_GLOBAL\""));
    CHECK(has(ok, "\"check_point\":true"));
    const std::string bad = app.api("compile\nx = (1,\n");
    CHECK(has(bad, "\"compiles\":false"));
    CHECK(has(bad, "\"line\":"));
    CHECK(has(app.api("compile\nyield 1\n"), "not supported by the lab's Python"));
}

TEST_CASE("query: code= is packed, round-trips any program, and a damaged one is refused with a sentence") {
    for (const std::string& src : {std::string(kThreaded), std::string(""), std::string("x = 'é ü 中'\n"),
                                   std::string(5000, 'a') + "\n" + std::string(kThreaded)}) {
        const std::string packed = gil::ui::pack_code(src);
        std::string back, why;
        REQUIRE(gil::ui::unpack_code(packed, back, why));
        CHECK(back == src);
        for (char ch : packed) CHECK((std::isalnum((unsigned char)ch) || ch == '-' || ch == '_'));
    }
    CHECK(gil::ui::pack_code(kThreaded).size() < std::string(kThreaded).size());
    std::string out, why;
    CHECK(!gil::ui::unpack_code("2abc", out, why));
    CHECK(!why.empty());
    std::string cut = gil::ui::pack_code(kThreaded);
    cut.resize(cut.size() / 2);
    CHECK(!gil::ui::unpack_code(cut, out, why));
    CHECK(has(why, "cut"));
    gil::ui::ParsedQuery pq = gil::ui::parse_query("code=" + gil::ui::pack_code(kThreaded) + "&version=3.9&embed=1");
    REQUIRE(pq.experiment);
    CHECK(pq.experiment->takes_code);
    CHECK(pq.params.code == kThreaded);
    CHECK(pq.embed);
    CHECK(pq.errors.empty());
    pq = gil::ui::parse_query("exp=gil.cpu&code=" + gil::ui::pack_code(kThreaded));
    CHECK(pq.experiment->id == "gil.cpu");
    CHECK(pq.errors.size() == 1);
    pq = gil::ui::parse_query("code=1%%%");
    CHECK(pq.errors.size() == 1);
}

TEST_CASE("ui: a click on the timeline moves the playback cursor there, and the code view names each thread's line") {
    TestLab fx(1280, 720);
    auto& [h, app, probe] = fx;
    // 3.12: no lost-update markers on the lanes (a click on one opens its explanation instead).
    REQUIRE(has(app.api(std::string("run version=3.12 interval_us=100\n") + kThreaded), "\"ok\":true"));
    until_done(h, app);
    app.api("seek end");
    app.api("tab Program");
    probe.clear();
    h.frame(app);
    const gil::ui::ShownText* lane = nullptr;
    for (const auto& s : probe.shown)
        if (s.text == "2 Thread-1 (work)") lane = &s;  // 3.10+ names a thread by its target too
    REQUIRE(lane);
    const float y = (lane->min.y + lane->max.y) / 2, x = lane->min.x + 400;
    click_at(h, app, x, y);
    ImGui::GetIO().MousePos = ImVec2(-1, -1);
    h.frame(app);
    const std::string s = app.api("status");
    const std::string end = s.substr(s.find("\"end_ns\":") + 9);
    const std::string cur = s.substr(s.find("\"cursor_ns\":") + 12);
    const double end_ns = std::stod(end), cursor_ns = std::stod(cur);
    CHECK(cursor_ns > 0);
    CHECK(cursor_ns < end_ns);
    CHECK(!has(s, "\"playing\":true"));
    // The editor and the bytecode mark where each thread is at that time (the API reports the same).
    const std::string c = app.api("code");
    CHECK(has(c, "\"thread\":\"1 MainThread\",\"line\":"));
    CHECK_MESSAGE((has(c, "\"thread\":\"2 Thread-1\",\"line\":5") || has(c, "\"thread\":\"2 Thread-1\",\"line\":6")), c);  // the loop or counter += 1
    CHECK(has(c, "\"instruction\":\""));
}

TEST_CASE("ui: wait blame: a thread waiting for a lock is told who holds it; the main thread in join() whom it waits for") {
    TestLab fx(1280, 720);
    auto& [h, app, probe] = fx;
    // 3.9, a short interval: the lock's holder is switched out inside `with lock:`, the other waits for it.
    REQUIRE(has(app.api("run race.counter variant=locked version=3.9 increments=20000 interval_us=20"), "\"ok\":true"));
    until_done(h, app);
    app.api("seek end");
    probe.clear();
    h.frame(app);
    const gil::ui::ShownText *main = nullptr, *t2 = nullptr;
    for (const auto& s : probe.shown) {
        if (s.text == "1 MainThread") main = &s;
        if (s.text == "3 Thread-2") t2 = &s;
    }
    REQUIRE(main);
    REQUIRE(t2);
    bool lock_blamed = false, join_blamed = false;
    for (const gil::ui::ShownText* lane : {t2, main}) {
        const float y = (lane->min.y + lane->max.y) / 2;
        for (float x = lane->min.x + 160; x < 1270; x += 3) {
            ImGui::GetIO().MousePos = ImVec2(x, y);
            h.frame(app);
            const std::string tip = json_str(app.api("status"), "tooltip");
            lock_blamed |= has(tip, "Waiting for a lock") && has(tip, "\nthe lock is held by Thread-1, ");
            join_blamed |= has(tip, "MainThread: ") && has(tip, "\nwaits for Thread-") && has(tip, " to finish (join)");
            if (lane == t2 ? lock_blamed : join_blamed) break;
        }
    }
    CHECK(lock_blamed);
    CHECK(join_blamed);
}

TEST_CASE("ui: the Explore tab finds every outcome of the program on screen, with counts and a witness each") {
    TestLab fx(1280, 720);
    auto& [h, app, probe] = fx;
    REQUIRE(has(app.api("select race.counter"), "\"ok\":true"));
    REQUIRE(has(app.api("set version 3.9"), "\"ok\":true"));
    REQUIRE(has(app.api("set increments 2"), "\"ok\":true"));
    app.api("tab Explore");
    h.frame(app);
    REQUIRE(has(app.api("explore"), "\"ok\":true"));
    std::string s;
    for (int i = 0; i < 2000; ++i) {
        h.frame(app);
        s = app.api("status");
        if (has(s, "\"explore\":")) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    CHECK(has(s, "\"complete\":true"));
    CHECK(has(s, "\"label\":\"counter = 2\""));
    CHECK(has(s, "\"label\":\"counter = 3\""));
    CHECK(has(s, "\"label\":\"counter = 4\""));
    CHECK(has(s, "\"witness\":[{\"thread\":\"MainThread\""));
    probe.clear();
    h.frame(app);
    h.frame(app);
    CHECK(probe.contains("3 outcomes over about"));
    CHECK(probe.contains("counter = 3"));
    CHECK(probe.contains("how: one schedule that ends here"));
    CHECK(probe.contains("Play it in the scheduler"));
    // Bars by one int: a histogram of N's final value (every schedule has N = 2: one bar).
    REQUIRE(has(app.api("explore group N"), "\"ok\":true"));
    probe.clear();
    h.frame(app);
    CHECK(probe.contains("N = 2"));
    CHECK(!probe.contains("counter = 3"));
    REQUIRE(has(app.api("explore group outcome"), "\"ok\":true"));
    // Questions: can counter end at 2 (yes, not always), can it end at 5 (no schedule does).
    REQUIRE(has(app.api("explore query final==2"), "\"ok\":true"));
    probe.clear();
    h.frame(app);
    CHECK(probe.contains("Can final==2? Yes. Always? No: counter = 3 too."));
    REQUIRE(has(app.api("explore query counter==5"), "\"ok\":true"));
    probe.clear();
    h.frame(app);
    CHECK(probe.contains("Can counter==5? No schedule does."));
    REQUIRE(has(app.api("explore query"), "\"ok\":true"));
    // An outcome's witness opens in the scheduler and plays to that outcome.
    REQUIRE(has(app.api("schedule witness 0"), "\"ok\":true"));
    for (int i = 0; i < 4000; ++i) {
        h.frame(app);
        s = app.api("status");
        if (has(s, "\"showing\":false") && has(s, "\"state\":\"finished\"")) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    CHECK(has(s, "\"state\":\"finished\""));
    CHECK(has(s, "\"counter\":2"));  // outcome 0: the lowest final, 2
    // A real-thread experiment has nothing to explore, and says so.
    REQUIRE(has(app.api("select real.race"), "\"ok\":true"));
    CHECK(has(app.api("explore"), "\"ok\":false"));
}

namespace {
// Frames (and a little time, for background jobs) until the status holds `needle`; the last status.
std::string frames_until(Headless& h, gil::ui::App& app, const std::string& needle, int tries = 4000) {
    std::string s;
    for (int i = 0; i < tries; ++i) {
        h.frame(app);
        s = app.api("status");
        if (has(s, needle)) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return s;
}

// Where the scheduler drew thread t's Run button (status.scheduler.buttons), false if not drawn.
bool run_button(const std::string& status, int t, float r[4]) {
    const std::string key = "{\"thread\":" + std::to_string(t) + ",\"rect\":[";
    const size_t at = status.find(key, status.find("\"buttons\":["));
    if (at == std::string::npos) return false;
    return std::sscanf(status.c_str() + at + key.size(), "%f,%f,%f,%f", &r[0], &r[1], &r[2], &r[3]) == 4;
}
}  // namespace

TEST_CASE("ui: be the scheduler: a puzzle link opens it; clicking Run per thread plays the explorer's witness to the goal; undo; Show me on an impossible goal") {
    TestLab fx(1280, 720);
    auto& [h, app, probe] = fx;
    REQUIRE(has(app.api("load puzzle=counter-3.9"), "\"ok\":true"));
    h.frame(app);
    std::string s = app.api("status");
    CHECK(has(s, "\"experiment\":\"race.counter\""));
    CHECK(has(s, "\"scheduler\":{\"on\":true,\"shown\":true,\"puzzle\":\"counter-3.9\""));
    CHECK(has(s, "\"state\":\"playing\""));
    CHECK(has(app.api("query"), "puzzle=counter-3.9"));  // Copy link keeps the puzzle
    // A link that repeats the puzzle's parameters is fine; one that changes them is told why not.
    REQUIRE(has(app.api("load exp=race.counter&version=3.9&increments=2&puzzle=counter-3.9"), "\"ok\":true"));
    CHECK(!has(app.api("status"), "is ignored"));
    REQUIRE(has(app.api("load puzzle=counter-3.9&version=3.12&autorun=1"), "\"ok\":true"));
    s = app.api("status");
    CHECK(has(s, "version=3.12 is ignored: puzzle=counter-3.9 sets version=3.9"));
    CHECK(has(s, "autorun=1 is ignored"));
    CHECK(has(s, "\"scheduler\":{\"on\":true"));
    // A new seed changes no schedule: the scheduler stays on.
    REQUIRE(has(app.api("seed 5"), "\"ok\":true"));
    CHECK(has(app.api("status"), "\"scheduler\":{\"on\":true"));
    // The witness the explorer gives for the goal, played as a student does: a click per step.
    const gil::ExperimentSpec* owner = nullptr;
    const gil::PuzzleDecl* pz = gil::find_puzzle("counter-3.9", &owner);
    REQUIRE(pz);
    gil::ParamSet ps = gil::ParamSet::defaults(owner->params);
    for (const auto& [k, v] : pz->set) REQUIRE(ps.set_assignment(k + "=" + v) == "");
    auto prog = gil::sim::experiment_program(*owner, ps, gil::sim::common(ps));
    const gil::sim::ExploreResult r = gil::sim::explore(*prog);
    const gil::sim::ExploreOutcome* lose = nullptr;
    for (const auto& o : r.outcomes) {
        bool found = false;
        if (!o.deadlock && o.value("counter", found) < 4 && found) lose = &o;
    }
    REQUIRE(lose);
    for (const auto& step : lose->witness) {
        h.frame(app);
        s = app.api("status");
        float b[4];
        REQUIRE_MESSAGE(run_button(s, step.thread, b), s.substr(s.find("\"scheduler\"")));
        click_at(h, app, b[0] + b[2] / 2, b[1] + b[3] / 2);
    }
    ImGui::GetIO().MousePos = ImVec2(-1, -1);
    s = app.api("status");
    CHECK_MESSAGE(has(s, "\"state\":\"reached\""), s.substr(s.find("\"scheduler\"")));
    CHECK(has(s, "\"steps\":" + std::to_string(lose->witness.size()) + ","));
    probe.clear();
    h.frame(app);
    CHECK(probe.contains("Goal: make counter end below 4."));
    CHECK(probe.contains("Goal reached in "));
    // Undo: playing again, one step fewer. A thread that cannot run is refused.
    REQUIRE(has(app.api("schedule undo"), "\"ok\":true"));
    s = app.api("status");
    CHECK(has(s, "\"state\":\"playing\""));
    CHECK(has(app.api("schedule 9"), "\"ok\":false"));
    // While scheduling, the code view marks where each thread resumes.
    REQUIRE(has(app.api("schedule restart"), "\"ok\":true"));
    for (int i = 0; i < 200 && !has(app.api("status"), "\"name\":\"Thread-1\",\"state\":\"can run\""); ++i)
        REQUIRE(has(app.api("schedule 0"), "\"ok\":true"));
    const std::string c = app.api("code");
    CHECK_MESSAGE(has(c, "\"thread\":\"2 Thread-1\",\"line\":"), c.substr(c.find("\"at\"")));
    // 3.12: no schedule loses an update; Show me asks the explorer and says so.
    REQUIRE(has(app.api("puzzle counter-3.12"), "\"ok\":true"));
    REQUIRE(has(app.api("schedule show"), "\"ok\":true"));
    s = frames_until(h, app, "No schedule reaches the goal");
    CHECK(has(s, "No schedule reaches the goal: the explorer tried every one of them"));
    // Show me on a reachable goal replays a witness to it.
    REQUIRE(has(app.api("puzzle deadlock"), "\"ok\":true"));
    REQUIRE(has(app.api("schedule show"), "\"ok\":true"));
    s = frames_until(h, app, "\"state\":\"reached\"");
    CHECK(has(s, "\"state\":\"reached\""));
    CHECK(has(s, "\"deadlock\":true"));
    // Free play on any simulated experiment; a real-thread one is refused.
    REQUIRE(has(app.api("select race.check_act"), "\"ok\":true"));
    CHECK(has(app.api("schedule start"), "\"ok\":true"));
    REQUIRE(has(app.api("select real.race"), "\"ok\":true"));
    CHECK(has(app.api("schedule start"), "\"ok\":false"));
    CHECK(has(app.api("puzzle nope"), "\"ok\":false"));
}
