// app.cpp — the app's lifecycle (init, frame, shutdown), its keys and its layout.
//
// Layout (wide): toolbar on top; experiment browser on the left; on the right the
// experiment's header, the legend, the timeline, and below it parameters | counters and
// results | charts and program. Narrow (down to an 800x500 iframe): the browser becomes a
// menu and the bottom panels become tabs. Embed mode (?embed=1) shows one experiment only.
// What is drawn is in the panels (panels.h); what they draw is the LabState (lab.h).
#include "ui/app.h"

#include <algorithm>
#include <cctype>
#include <string>

#include "ui/panels.h"

namespace gil::ui {

struct App::Impl {
    AppDesc desc;
    LabState lab;
    bool applied_dark = true;  // the theme ImGui has, so a toggle anywhere restyles once
    ToolbarPanel toolbar{&lab};
    BrowserPanel browser{&lab};
    HeaderPanel header{&lab};
    LegendPanel legend{&lab};
    TimelinePanel timeline{&lab};
    ParamsPanel params{&lab};
    ResultsPanel results{{&lab}, {&lab, &results.predict}};
    ChartsPanel charts{&lab};
    CodePanel code{&lab};
    ExplorePanel explore{&lab};
    SchedulerPanel scheduler{&lab};
    OutcomesPanel outcomes{&lab};
    PopupsPanel popups{&lab};

    void keys();
    void bottom(bool narrow, float height);
};

namespace {

// One tab whose body is a panel's draw().
template <class Body>
void tab(LabState& lab, const char* name, Body&& body) {
    // A panel may ask for a tab (Run with the question open shows Results).
    const bool select = lab.asks.tab && std::string(lab.asks.tab) == name;
    if (select) lab.asks.tab = nullptr;
    if (gui::BeginTabItem(name, nullptr, select ? ImGuiTabItemFlags_SetSelected : 0)) {
        body();
        ImGui::EndTabItem();
    }
}

}  // namespace

void App::Impl::keys() {
    ImGuiIO& io = ImGui::GetIO();
    if (io.WantTextInput) return;
    // Letters come from the typed characters: the key enum of ImGui 1.86 has no letters
    // but A, C, V, X, Y, Z.
    auto typed = [&io](char c) {
        for (int i = 0; i < io.InputQueueCharacters.Size; ++i)
            if (io.InputQueueCharacters[i] == (ImWchar)c || io.InputQueueCharacters[i] == (ImWchar)toupper(c)) return true;
        return false;
    };
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Space))) lab.run_or_toggle();
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_RightArrow))) lab.step(io.KeyShift);
    if (typed('r')) lab.rewind();
    if (typed('n') && !lab.running()) lab.new_seed();
    if (typed('t')) lab.dark = !lab.dark;
}

// The panels under the timeline. Both layouts call the same bodies; only the frames differ.
void App::Impl::bottom(bool narrow, float height) {
    // A record that takes code opens on its program (the first tab is the one shown); it
    // declares no charts, so it has no Charts tab.
    auto charts_and_program = [&] {
        if (!lab.spec->takes_code) tab(lab, "Charts", [&] { charts.draw(); });
        tab(lab, "Program", [&] { code.draw(narrow); });
        if (lab.spec->engine == Engine::Sim && !narrow) tab(lab, "Bytecode", [&] { code.draw_bytecode(); });
        if (lab.spec->engine == Engine::Sim && !narrow) tab(lab, "Explore", [&] { explore.draw(); });
        if (lab.spec->takes_code && !lab.spec->view.charts.empty()) tab(lab, "Charts", [&] { charts.draw(); });
    };
    if (narrow) {
        ImGui::BeginChild("##bottom", ImVec2(0, height), true);
        if (ImGui::BeginTabBar("##tabs")) {
            tab(lab, "Results", [&] {
                results.draw();
                // No room for a sixth tab on a phone: every schedule comes under the results.
                if (lab.spec->engine == Engine::Sim) {
                    ImGui::Separator();
                    explore.draw();
                }
            });
            tab(lab, "Parameters", [&] { params.draw(); });
            charts_and_program();
            ImGui::EndTabBar();
        }
        ImGui::EndChild();
        return;
    }
    const float w = ImGui::GetContentRegionAvail().x;
    // Your own code gets the room an editor needs; the parameters are only version, cores, interval.
    const float pw = lab.spec->takes_code ? 0.22f : 0.30f, rw = lab.spec->takes_code ? 0.30f : 0.34f;
    ImGui::BeginChild("##params", ImVec2(w * pw, height), true);
    gui::TextDisabled("Parameters");
    params.draw();
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("##results", ImVec2(w * rw, height), true);
    gui::TextDisabled("Counters and results");
    results.draw();
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("##charts", ImVec2(0, height), true);
    if (ImGui::BeginTabBar("##right")) {
        charts_and_program();
        ImGui::EndTabBar();
    }
    ImGui::EndChild();
}

App::App() : m_(std::make_unique<Impl>()) {}
App::~App() = default;

void App::init(const AppDesc& desc) {
    Impl& m = *m_;
    m.desc = desc;
    m.lab.threads_available = desc.threads_available;
    m.lab.select(default_experiment());
    if (!desc.query.empty()) m.lab.apply_query(desc.query);
    if (desc.load_fonts) load_fonts(desc.dpi_scale);
    apply_theme(m.lab.dark, desc.dpi_scale);
    m.applied_dark = m.lab.dark;
    m.lab.last_frame = now_s();
    // autorun=1: with predict=1 and a question, the question comes first, then the run.
    if (m.lab.autorun) m.lab.request_run();
}

void App::set_timeline_gpu(TimelineGpu* gpu) { m_->timeline.gpu = gpu; }
bool App::busy() const { return m_->lab.running() || m_->lab.playing; }
PlatformRequests& App::requests() { return m_->lab.req; }
bool App::dark() const { return m_->lab.dark; }
std::string App::api(const std::string& request) { return lab_api(m_->lab, request); }

void App::shutdown() {
    LabState& lab = m_->lab;
    if (lab.job) {
        lab.job->cancel();
        // The page's main thread must never block; its job ends with the page.
        if (!m_->desc.web) lab.job->wait();
    }
}

void App::frame() {
    Impl& m = *m_;
    LabState& lab = m.lab;
    ++lab.frames_drawn;
    lab.poll();
    lab.editor_rect[2] = 0;  // drawn again below if its tab is shown
    lab.display[0] = ImGui::GetIO().DisplaySize.x, lab.display[1] = ImGui::GetIO().DisplaySize.y;
    lab.check_code();  // the editor's compile error, once typing pauses
    lab.advance_playback();
    lab.req.query = lab.query();
    if (lab.asks.png_next_frame) {  // asked for by the Export menu last frame, now closed
        lab.asks.png_next_frame = false;
        lab.req.save_png = true;
    }
    m.keys();
    if (lab.dark != m.applied_dark) {
        apply_theme(lab.dark, m.desc.dpi_scale);
        m.applied_dark = lab.dark;
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
    m.toolbar.draw(W);
    if (!lab.url_errors.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 0.7f, 0.3f, 1));
        for (const auto& e : lab.url_errors) gui::TextWrapped("Link parameter ignored: %s", e.c_str());
        ImGui::PopStyleColor();
        ImGui::SameLine();
        if (gui::SmallButton("Dismiss")) lab.url_errors.clear();
    }
    if (!lab.status.empty() && now_s() < lab.status_until) gui::TextWrapped("%s", lab.status.c_str());
    ImGui::Separator();

    const float browser_w = (!lab.embed && !narrow) ? std::min(270.0f, W * 0.22f) : 0.0f;
    const float body_h = ImGui::GetContentRegionAvail().y;
    if (browser_w > 0) {
        m.browser.draw(browser_w, body_h);
        ImGui::SameLine();
    }
    ImGui::BeginChild("##main", ImVec2(0, body_h), false);
    if (lab.asks.browser_open && !lab.embed) m.browser.draw(-1, std::min(body_h * 0.6f, 360.0f));
    m.header.draw();
    // The Explore tab's boards go where the timeline is: be the scheduler, or every schedule's outcomes.
    const bool sched_board = lab.explore_scheduler && lab.sched.stepper;
    const bool outcomes_board = !sched_board && lab.explore_outcomes && (lab.explored || lab.exploring());
    if (!sched_board && !outcomes_board) m.legend.draw();
    const float avail = ImGui::GetContentRegionAvail().y;
    const ImVec2 top(-1, std::max(120.0f, avail * (short_h || lab.spec->takes_code ? 0.42f : 0.5f)));
    const ImVec2 board(0, narrow ? std::max(top.y, avail * 0.55f) : top.y);
    if (sched_board) m.scheduler.draw(board, narrow);
    else if (outcomes_board) m.outcomes.draw(board);
    else m.timeline.draw(top, narrow);
    m.bottom(narrow, ImGui::GetContentRegionAvail().y);
    lab.asks.tab = nullptr;  // asked for a tab this layout does not have
    ImGui::EndChild();
    m.popups.draw();
    m.results.predict.prompt();
    ImGui::End();
}

}  // namespace gil::ui
