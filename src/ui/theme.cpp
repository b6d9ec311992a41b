// theme.cpp — fonts (DejaVu Sans and Sans Mono from Debian's fonts-dejavu-core, subset to
// the characters the lab uses and embedded at build time) and the light and dark themes.
#include <cmath>

#include "imgui.h"
#include "ui/app.h"

#if defined(GILLAB_HAVE_FONTS)
#include "font_mono.h"
#include "font_sans.h"
#endif

namespace gil::ui {

void load_fonts(float dpi) {
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    dpi = std::max(1.0f, std::min(dpi, 4.0f));
#if defined(GILLAB_HAVE_FONTS)
    ImFontConfig cfg;
    cfg.FontDataOwnedByAtlas = false;  // the data is static
    cfg.OversampleH = 2;
    cfg.PixelSnapH = false;
    static const ImWchar ranges[] = {0x0020, 0x00FF, 0x2013, 0x2026, 0x2190, 0x2193, 0x2212, 0x2212, 0x2248, 0x2265,
                                     0x25A0, 0x25CF, 0};
    io.Fonts->AddFontFromMemoryTTF((void*)font_sans_data, (int)font_sans_size, std::round(15.0f * dpi), &cfg, ranges);
    io.Fonts->AddFontFromMemoryTTF((void*)font_mono_data, (int)font_mono_size, std::round(14.0f * dpi), &cfg, ranges);
    io.FontGlobalScale = 1.0f / dpi;
#else
    ImFontConfig cfg;
    cfg.SizePixels = std::round(13.0f * dpi);
    io.Fonts->AddFontDefault(&cfg);
    io.FontGlobalScale = 1.0f / dpi;
#endif
}

void apply_theme(bool dark, float dpi) {
    ImGuiStyle& s = ImGui::GetStyle();
    if (dark) ImGui::StyleColorsDark();
    else ImGui::StyleColorsLight();
    s.WindowRounding = 0;
    s.ChildRounding = 4;
    s.FrameRounding = 4;
    s.GrabRounding = 4;
    s.PopupRounding = 4;
    s.FramePadding = ImVec2(8, 4);
    s.ItemSpacing = ImVec2(8, 6);
    s.WindowPadding = ImVec2(10, 8);
    s.ScrollbarSize = 12;
    ImVec4* c = s.Colors;
    if (dark) {
        c[ImGuiCol_WindowBg] = ImVec4(0.105f, 0.11f, 0.125f, 1);
        c[ImGuiCol_ChildBg] = ImVec4(0.12f, 0.125f, 0.145f, 1);
        c[ImGuiCol_Button] = ImVec4(0.20f, 0.35f, 0.55f, 1);
        c[ImGuiCol_ButtonHovered] = ImVec4(0.25f, 0.45f, 0.70f, 1);
        c[ImGuiCol_Header] = ImVec4(0.20f, 0.35f, 0.55f, 0.6f);
    } else {
        c[ImGuiCol_WindowBg] = ImVec4(0.97f, 0.97f, 0.98f, 1);
        c[ImGuiCol_ChildBg] = ImVec4(1, 1, 1, 1);
        c[ImGuiCol_Button] = ImVec4(0.75f, 0.85f, 0.97f, 1);
        c[ImGuiCol_FrameBg] = ImVec4(0.90f, 0.91f, 0.94f, 1);
        c[ImGuiCol_FrameBgHovered] = ImVec4(0.84f, 0.88f, 0.95f, 1);
        c[ImGuiCol_Border] = ImVec4(0.78f, 0.79f, 0.83f, 1);
    }
    (void)dpi;
}

}  // namespace gil::ui
