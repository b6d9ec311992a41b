// panel_params.cpp — the record's parameters as sliders, choices and checkboxes, and the seed.
#include <algorithm>
#include <cmath>

#include "ui/panels.h"

namespace gil::ui {

namespace {

// One numeric parameter. Sliders for small ranges; a log slider for decades, rounded to
// two significant digits so the values a student picks stay readable.
bool number_widget(const ParamSpec& spec, double max, const char* label, const ParamSet& params, int i, double& v) {
    // The slider stops at what this build can run (a real-thread count: the worker pool).
    ParamSpec s = spec;
    s.max = max;
    if (s.log_scale || s.max - s.min > 1000) {
        double lo = std::max(s.min, s.kind == ParamKind::Int ? 1.0 : 1e-3);
        float lg = (float)std::log10(std::max(lo, v));
        std::string shown = params.format(i) + (s.unit.empty() ? "" : " " + s.unit);
        if (!gui::SliderFloat(label, &lg, (float)std::log10(lo), (float)std::log10(s.max), shown.c_str()))
            return false;
        double nv = std::pow(10.0, (double)lg);
        if (s.kind == ParamKind::Int) nv = std::round(nv);
        double mag = std::pow(10.0, std::floor(std::log10(std::max(nv, 1e-9))) - 1);
        nv = std::clamp(std::round(nv / mag) * mag, s.min, s.max);
        if (s.kind == ParamKind::Int) nv = std::round(nv);
        v = nv;
        return true;
    }
    if (s.kind == ParamKind::Int) {
        int iv = (int)v;
        if (!gui::SliderInt(label, &iv, (int)s.min, (int)s.max)) return false;
        v = iv;
        return true;
    }
    float fv = (float)v;
    if (!gui::SliderFloat(label, &fv, (float)s.min, (float)s.max, "%.3g")) return false;
    v = std::clamp((double)fv, s.min, s.max);
    return true;
}

bool choice_widget(const ParamSpec& s, const char* label, double& v) {
    bool changed = false;
    int c = (int)v;
    if (gui::BeginCombo(label, s.choices[(size_t)c].c_str())) {
        for (size_t k = 0; k < s.choices.size(); ++k)
            if (gui::Selectable(s.choices[k].c_str(), (int)k == c)) {
                v = (double)k;
                changed = true;
            }
        ImGui::EndCombo();
    }
    return changed;
}

}  // namespace

void ParamsPanel::draw() {
    LabState& m = *lab;
    bool changed = false;
    const ImGuiStyle& st = ImGui::GetStyle();
    const float avail = ImGui::GetContentRegionAvail().x;
    for (size_t i = 0; i < m.spec->params.size(); ++i) {
        const ParamSpec& s = m.spec->params[i];
        double& v = m.params.values[i];
        ImGui::PushID((int)i);
        // The label goes right of its widget when both fit (the widget gets at least 120 px),
        // else on its own line above a full-width widget: never cut.
        const float lw = ImGui::CalcTextSize(s.label.c_str()).x;
        std::string label = s.label;
        float iw = avail * 0.5f;
        if (s.kind != ParamKind::Flag && iw + st.ItemInnerSpacing.x + lw > avail) {
            iw = avail - st.ItemInnerSpacing.x - lw;
            if (iw < 120) {
                gui::TextWrapped("%s", s.label.c_str());
                if (ImGui::IsItemHovered() && !s.help.empty()) ImGui::SetTooltip("%s\n(%s)", s.help.c_str(), describe_range(s).c_str());
                label = "##" + s.key;
                iw = avail;
            }
        }
        ImGui::SetNextItemWidth(iw);
        switch (s.kind) {
        case ParamKind::Choice: changed |= choice_widget(s, label.c_str(), v); break;
        case ParamKind::Flag: {
            bool b = v != 0;
            if (gui::Checkbox(s.label.c_str(), &b)) {
                v = b ? 1 : 0;
                changed = true;
            }
            break;
        }
        case ParamKind::Int:
        case ParamKind::Real: changed |= number_widget(s, param_max(*m.spec, s), label.c_str(), m.params, (int)i, v); break;
        }
        if (ImGui::IsItemHovered() && !s.help.empty()) ImGui::SetTooltip("%s\n(%s)", s.help.c_str(), describe_range(s).c_str());
        ImGui::PopID();
    }
    if (gui::Button("Defaults")) {
        m.params = ParamSet::defaults(m.spec->params);
        changed = true;
    }
    ImGui::SameLine();
    gui::TextDisabled("seed %llu", (unsigned long long)m.seed);
    if (changed) m.params_changed();
}

}  // namespace gil::ui
