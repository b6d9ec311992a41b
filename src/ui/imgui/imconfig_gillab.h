// imconfig_gillab.h — Dear ImGui configuration for GIL Lab (IMGUI_USER_CONFIG).
// Assertions stay on in every build: a failed one is reported (and counted, so the UI
// test can fail on it) instead of silently corrupting state or killing the page.
#pragma once
void gil_imgui_assert(const char* expr, const char* file, int line);
#define IM_ASSERT(_EXPR) ((_EXPR) ? (void)0 : gil_imgui_assert(#_EXPR, __FILE__, __LINE__))
