// panel_toolbar.cpp — the toolbar: experiment picker, run controls, playback, exports, link, theme, help.
#include <algorithm>
#include <cmath>

#include "ui/panels.h"

namespace gil::ui {

namespace {

void tooltip(const char* text) {
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", text);
}

void export_menu(LabState& lab) {
    const RunResult* r = lab.result.get();
    const std::string& id = lab.spec->id;
    PlatformRequests& req = lab.req;
    ImGui::BeginDisabled(!r || !r->trace);
    if (gui::MenuItem("Trace (Chrome JSON, opens in Perfetto)")) {
        req.save_name = id + "-trace.json";
        req.save_mime = "application/json";
        req.save_data = result_trace_json(*r, id + " (seed " + std::to_string(lab.seed) + ")");
    }
    ImGui::EndDisabled();
    ImGui::BeginDisabled(!r);
    if (gui::MenuItem("Metrics (CSV)")) {
        req.save_name = id + "-metrics.csv";
        req.save_mime = "text/csv";
        req.save_data = result_csv(*r);
    }
    if (gui::MenuItem("Metrics (JSON)")) {
        req.save_name = id + "-metrics.json";
        req.save_mime = "application/json";
        req.save_data = result_json(*r);
    }
    ImGui::EndDisabled();
    // Not this frame: the menu is still drawn in it. The next frame, without the menu, is saved.
    if (gui::MenuItem("Picture of the lab (PNG)")) lab.asks.png_next_frame = true;
}

}  // namespace

void ToolbarPanel::draw(float width) {
    LabState& m = *lab;
    const bool narrow = width < 1000;
    // Buttons flow left to right and wrap when the next would not fit: the page may be an
    // 800-pixel iframe.
    const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
    auto flow = [&](const char* label, float extra = 0) {
        ImGui::SameLine();
        const ImGuiStyle& st = ImGui::GetStyle();
        float w = ImGui::CalcTextSize(label, nullptr, true).x + st.FramePadding.x * 2 + extra;
        if (ImGui::GetCursorScreenPos().x + w > right) ImGui::NewLine();
    };
    if (!m.embed && narrow) {
        if (gui::Button("Experiments")) m.asks.browser_open = !m.asks.browser_open;
        ImGui::SameLine();
    }
    // The picker is as wide as the longest title, so no title is cut; the narrow layout has
    // the Experiments menu instead (and the title is in the header).
    if (!m.embed && !narrow) {
        float title_w = 0;
        for (const auto& e : experiments()) title_w = std::max(title_w, ImGui::CalcTextSize(e.title.c_str()).x);
        ImGui::SetNextItemWidth(title_w + ImGui::GetFrameHeight() + ImGui::GetStyle().FramePadding.x * 2 + 2);
        if (gui::BeginCombo("##exp", m.spec->title.c_str())) {
            for (int t = 0; t < (int)Topic::Count; ++t) {
                gui::TextDisabled("%s", topic_title((Topic)t));
                for (const auto& e : experiments())
                    if ((int)e.topic == t && gui::Selectable(("  " + e.title + "##" + e.id).c_str(), &e == m.spec))
                        m.select(e);
            }
            ImGui::EndCombo();
        }
        ImGui::SameLine();
    }
    const bool run_busy = m.running();
    // The main button keeps one width whatever it says (Run, Pause, Run again...), so the
    // buttons after it never move under the pointer when it changes.
    const ImGuiStyle& style = ImGui::GetStyle();
    float main_w = 0;
    for (const char* l : {"Run", "Run again", "Play", "Pause", "Cancel"}) main_w = std::max(main_w, ImGui::CalcTextSize(l).x);
    main_w += style.FramePadding.x * 2;
    if (!m.embed) flow("Run again");
    const std::string unavailable = m.run_unavailable();
    if (run_busy) {
        if (gui::Button("Cancel", ImVec2(main_w, 0))) m.job->cancel();
    } else if (m.playing) {
        if (gui::Button("Pause", ImVec2(main_w, 0))) m.playing = false;
    } else {
        const bool at_end = m.result_current() && m.cursor >= (double)m.end_time();
        ImGui::BeginDisabled(!unavailable.empty());
        if (gui::Button(at_end ? "Run again" : m.result_current() ? "Play" : "Run", ImVec2(main_w, 0))) m.run_or_toggle();
        ImGui::EndDisabled();
    }
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
        ImGui::SetTooltip("%s", unavailable.empty() ? "Run / pause (Space)" : unavailable.c_str());
    const bool sim = m.spec->engine == Engine::Sim;
    ImGui::BeginDisabled(!m.result || !sim || !m.result->trace);
    flow("Step");
    if (gui::Button("Step")) m.step(false);
    tooltip("To the next event (Right arrow)");
    flow("+interval");
    if (gui::Button("+interval")) m.step(true);
    tooltip("One switch interval forward (Shift+Right)");
    flow("Reset");
    if (gui::Button("Reset")) m.rewind();
    tooltip("Back to the start (R)");
    ImGui::EndDisabled();
    // Real runs are measured, not seeded: there is nothing to replay event for event.
    ImGui::BeginDisabled(run_busy || !unavailable.empty() || !m.result_current() || !sim);
    flow("Replay");
    if (gui::Button("Replay")) m.request_run();
    tooltip("Run again with the same seed: the same run, event for event");
    ImGui::EndDisabled();
    ImGui::BeginDisabled(run_busy || !unavailable.empty());
    flow("New seed");
    if (gui::Button("New seed")) {
        m.new_seed();
        m.request_run();
    }
    tooltip("Another seed, and run it");
    ImGui::EndDisabled();
    if (sim && !narrow) {
        flow("", 150);
        ImGui::SetNextItemWidth(150);
        float lg = (float)std::log10(std::max(1.0, m.speed));
        std::string label = fmt_duration(m.speed) + "/s";
        if (gui::SliderFloat("##speed", &lg, 3.0f, 11.0f, label.c_str())) m.speed = std::pow(10.0, (double)lg);
        tooltip("Playback speed: simulated time per second of screen time");
    }
    flow("Export");
    if (gui::Button("Export")) ImGui::OpenPopup("export");
    if (ImGui::BeginPopup("export")) {
        export_menu(m);
        ImGui::EndPopup();
    }
    flow("Copy link");
    // The platform reports whether the copy worked (LabState::copied), and only then does
    // the lab say so.
    if (gui::Button("Copy link")) ImGui::OpenPopup("copylink");
    if (ImGui::BeginPopup("copylink")) {
        if (gui::MenuItem("Link to the lab as it is")) m.req.copy_link = m.query();
        if (gui::MenuItem("Link that runs on open")) {
            std::string q = m.query();
            m.req.copy_link = q + (q.empty() ? "" : "&") + "autorun=1";
        }
        ImGui::EndPopup();
    }
    flow("Light");
    if (gui::Button(m.dark ? "Light" : "Dark")) m.dark = !m.dark;
    flow("?");
    if (gui::Button("?")) m.asks.help = true;
    flow("Predict first", 30);
    gui::Checkbox("Predict first", &m.predict_mode);
    // Progress of a run, or the playback position.
    if (run_busy) {
        flow("", 160);
        const RunControl& c = m.job->control();
        ImGui::ProgressBar((float)c.progress_permille.load(std::memory_order_relaxed) / 1000.0f, ImVec2(-1, 0),
                           (std::to_string((int)(m.job->elapsed_seconds())) + " s").c_str());
    } else if (m.result && m.result->trace && sim) {
        flow("000.0 ms / 000.0 ms");
        gui::TextDisabled("%s / %s", fmt_duration(m.cursor).c_str(), fmt_duration((double)m.end_time()).c_str());
    }
}

}  // namespace gil::ui
