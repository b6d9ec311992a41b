// assert.cpp (compiled into imgui_core) — where ImGui's assertions go (see imconfig_gillab.h).
#include <atomic>
#include <cstdio>

std::atomic<int> g_gil_imgui_asserts{0};

void gil_imgui_assert(const char* expr, const char* file, int line) {
    if (g_gil_imgui_asserts.fetch_add(1) < 10) std::fprintf(stderr, "ImGui assertion failed: %s (%s:%d)\n", expr, file, line);
}
