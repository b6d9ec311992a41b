// test_ui.cpp — drives the lab's UI headlessly (ImGui with no platform backend): every
// experiment is selected, run with small parameters, played, stepped and exported for a
// few frames, and no ImGui assertion may fire.
#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "doctest.h"
#include "engine/experiment.h"
#include "imgui.h"
#include "ui/app.h"
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
