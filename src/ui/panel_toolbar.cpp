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
    if (ImGui::MenuItem("Trace (Chrome JSON, opens in Perfetto)")) {
        req.save_name = id + "-trace.json";
        req.save_mime = "application/json";
        req.save_data = chrome_trace_json(*r->trace, id + " (seed " + std::to_string(lab.seed) + ")");
    }
    ImGui::EndDisabled();
    ImGui::BeginDisabled(!r);
    if (ImGui::MenuItem("Metrics (CSV)")) {
        req.save_name = id + "-metrics.csv";
        req.save_mime = "text/csv";
        req.save_data = result_csv(*r);
    }
    if (ImGui::MenuItem("Metrics (JSON)")) {
        req.save_name = id + "-metrics.json";
        req.save_mime = "application/json";
        req.save_data = result_json(*r);
    }
    ImGui::EndDisabled();
    if (ImGui::MenuItem("Picture of the lab (PNG)")) req.save_png = true;
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
        if (ImGui::Button("Experiments")) m.asks.browser_open = !m.asks.browser_open;
        ImGui::SameLine();
    }
    if (!m.embed) {
        ImGui::SetNextItemWidth(narrow ? 230 : 320);
        if (ImGui::BeginCombo("##exp", m.spec->title.c_str())) {
            for (int t = 0; t < (int)Topic::Count; ++t) {
                ImGui::TextDisabled("%s", topic_title((Topic)t));
                for (const auto& e : experiments())
                    if ((int)e.topic == t && ImGui::Selectable(("  " + e.title + "##" + e.id).c_str(), &e == m.spec))
                        m.select(e);
            }
            ImGui::EndCombo();
        }
        ImGui::SameLine();
    }
    const bool run_busy = m.running();
    if (run_busy) {
        if (ImGui::Button("Cancel")) m.job->cancel();
    } else if (m.playing) {
        if (ImGui::Button("Pause")) m.playing = false;
    } else {
        const bool at_end = m.result_current() && m.cursor >= (double)m.end_time();
        if (ImGui::Button(at_end ? "Run again" : m.result_current() ? "Play" : "Run")) m.run_or_toggle();
    }
    tooltip("Run / pause (Space)");
    const bool sim = m.spec->engine == Engine::Sim;
    ImGui::BeginDisabled(!m.result || !sim || !m.result->trace);
    flow("Step");
    if (ImGui::Button("Step")) m.step(false);
    tooltip("To the next event (Right arrow)");
    flow("+interval");
    if (ImGui::Button("+interval")) m.step(true);
    tooltip("One switch interval forward (Shift+Right)");
    flow("Reset");
    if (ImGui::Button("Reset")) m.rewind();
    tooltip("Back to the start (R)");
    ImGui::EndDisabled();
    ImGui::BeginDisabled(run_busy);
    flow("Replay");
    if (ImGui::Button("Replay")) {
        if (std::string err = m.start(); !err.empty()) m.flash(err);
    }
    tooltip("Run again with the same seed: the same run, event for event");
    flow("New seed");
    if (ImGui::Button("New seed")) {
        m.new_seed();
        if (std::string err = m.start(); !err.empty()) m.flash(err);
    }
    ImGui::EndDisabled();
    if (sim && !narrow) {
        flow("", 150);
        ImGui::SetNextItemWidth(150);
        float lg = (float)std::log10(std::max(1.0, m.speed));
        std::string label = fmt_duration(m.speed) + "/s";
        if (ImGui::SliderFloat("##speed", &lg, 3.0f, 11.0f, label.c_str())) m.speed = std::pow(10.0, (double)lg);
        tooltip("Playback speed: simulated time per second of screen time");
    }
    flow("Export");
    if (ImGui::Button("Export")) ImGui::OpenPopup("export");
    if (ImGui::BeginPopup("export")) {
        export_menu(m);
        ImGui::EndPopup();
    }
    flow("Copy link");
    if (ImGui::Button("Copy link")) {
        m.req.copy_link = m.query();
        m.flash("Link copied: it opens the lab exactly as it is now.");
    }
    flow("Light");
    if (ImGui::Button(m.dark ? "Light" : "Dark")) m.dark = !m.dark;
    flow("?");
    if (ImGui::Button("?")) m.asks.help = true;
    flow("Predict first", 30);
    ImGui::Checkbox("Predict first", &m.predict_mode);
    // Progress of a run, or the playback position.
    if (run_busy) {
        flow("", 160);
        const RunControl& c = m.job->control();
        ImGui::ProgressBar((float)c.progress_permille.load(std::memory_order_relaxed) / 1000.0f, ImVec2(-1, 0),
                           (std::to_string((int)(m.job->elapsed_seconds())) + " s").c_str());
    } else if (m.result && m.result->trace && sim) {
        flow("000.0 ms / 000.0 ms");
        ImGui::TextDisabled("%s / %s", fmt_duration(m.cursor).c_str(), fmt_duration((double)m.end_time()).c_str());
    }
}

}  // namespace gil::ui
