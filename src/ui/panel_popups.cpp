// panel_popups.cpp — the modal popups: how a lost update happened (from a click on the timeline), and the help.
#include <algorithm>

#include "engine/version.h"
#include "ui/panels.h"

namespace gil::ui {

namespace {

// Escape closes a dialog, as its Close button does.
bool escape() { return ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false); }

void lost_update_popup(LabState& m) {
    if (m.asks.lost_update >= 0) {
        ImGui::OpenPopup("Lost update");
    }
    if (ImGui::BeginPopupModal("Lost update", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
        if (m.result && m.result->trace && m.asks.lost_update >= 0 && m.asks.lost_update < (int)m.result->trace->lost_updates.size()) {
            const Trace& tr = *m.result->trace;
            const LostUpdateDetail& d = tr.lost_updates[(size_t)m.asks.lost_update];
            const std::string who = tr.lanes[(size_t)d.victim_lane].name;
            const std::string var = d.variable < (int)tr.variable_names.size() ? tr.variable_names[(size_t)d.variable] : "x";
            gui::Text("How %s lost %lld update(s) of '%s':", who.c_str(), (long long)(d.overwritten_value - d.loaded_value),
                        var.c_str());
            ImGui::Spacing();
            gui::BulletText("%s: %s loaded %s = %lld", fmt_duration((double)d.load_time).c_str(), who.c_str(), var.c_str(),
                              (long long)d.loaded_value);
            if (d.preempt_time > d.load_time)
                gui::BulletText("%s: it was switched out (drop request, forced switch) before storing",
                                  fmt_duration((double)d.preempt_time).c_str());
            else
                gui::BulletText("meanwhile other threads ran at the same time (no GIL)");
            gui::BulletText("other threads incremented %s from %lld to %lld", var.c_str(), (long long)d.loaded_value,
                              (long long)d.overwritten_value);
            gui::BulletText("%s: %s stored %lld, computed from its stale load: their %lld increment(s) vanished",
                              fmt_duration((double)d.store_time).c_str(), who.c_str(), (long long)d.stored_value,
                              (long long)(d.overwritten_value - d.loaded_value));
            // The interleaving as a small two-row diagram.
            ImDrawList* dl = ImGui::GetWindowDrawList();
            ImVec2 p = ImGui::GetCursorScreenPos();
            const float W = 460, H = 60;
            ImGui::Dummy(ImVec2(W, H + 10));
            const Palette pal = palette(m.dark);
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
            if (gui::Button("Zoom the timeline to it")) {
                int64_t pad = (d.store_time - d.load_time) / 4 + 1000;
                m.asks.zoom = true;
                m.asks.zoom_t0 = d.load_time - pad;
                m.asks.zoom_t1 = d.store_time + pad;
                m.asks.lost_update = -1;
                ImGui::CloseCurrentPopup();
            }
            ImGui::SameLine();
        }
        if (gui::Button("Close") || escape()) {
            m.asks.lost_update = -1;
            ImGui::CloseCurrentPopup();
        }
        ImGui::EndPopup();
    }
}

void help_popup(LabState& m) {
    if (m.asks.help) {
        ImGui::OpenPopup("Help");
        m.asks.help = false;
    }
    if (ImGui::BeginPopupModal("Help", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
        gui::Text("GIL Lab %s", kVersion);
        ImGui::Separator();
        gui::BulletText("Space: run / pause      Right: step to the next event      Shift+Right: one switch interval");
        gui::BulletText("R: back to the start    N: new seed                        T: light / dark theme");
        gui::BulletText("Timeline: wheel zooms, drag pans, Shift+wheel scrolls in time, double-click fits");
        gui::BulletText("Hover an interval for its state and instruction; click a red diamond to see a lost update");
        gui::BulletText("Simulated experiments replay exactly with the same seed; 'Copy link' shares what you see");
        if (gui::Button("Close") || escape()) ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
    }
}

}  // namespace

void PopupsPanel::draw() {
    lost_update_popup(*lab);
    help_popup(*lab);
}

}  // namespace gil::ui
