// platform_native.cpp — the native window's side of platform.h (SDL2 + OpenGL 3.3 core).
#include <SDL.h>

#include <cstdio>
#include <string>

#include "app/platform.h"

namespace gil::app {

PlatformInfo platform_info() { return {"#version 330", 3, 3, false, false}; }

void platform_run(bool (*frame)(void*), void* user) {
    while (frame(user)) {
    }
}

float platform_dpi_scale(SDL_Window* window) {
    int w = 0, dw = 0, h = 0, dh = 0;
    SDL_GetWindowSize(window, &w, &h);
    SDL_GL_GetDrawableSize(window, &dw, &dh);
    return w > 0 && dw > 0 ? (float)dw / (float)w : 1.0f;
}

bool platform_poll_resize(int*, int*) { return false; }
void platform_first_frame() {}
const char* platform_query() { return ""; }
void platform_set_query(const char*) {}

const char* platform_save_file(const char* name, const void* data, unsigned long size, const char*) {
    static std::string msg;
    FILE* f = std::fopen(name, "wb");
    if (!f || std::fwrite(data, 1, size, f) != size) {
        if (f) std::fclose(f);
        msg = std::string("could not write ") + name;
        return msg.c_str();
    }
    std::fclose(f);
    msg = std::string("saved ") + name + " in the working folder";
    return msg.c_str();
}

void platform_copy_text(const char* text) { SDL_SetClipboardText(text); }
void platform_copy_link(const char* query) {
    std::string cmd = std::string("gillab-window --query='") + query + "'";
    SDL_SetClipboardText(cmd.c_str());
}

}  // namespace gil::app
