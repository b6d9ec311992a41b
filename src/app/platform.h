// platform.h — the only part of the front end that differs between the page and the
// native window. CMake picks platform_web.cpp or platform_native.cpp (if(EMSCRIPTEN)).
#pragma once

struct SDL_Window;

namespace gil::app {

struct PlatformInfo {
    const char* glsl_version;   // "#version 300 es" (WebGL2) or "#version 330" (GL 3.3 core)
    int gl_major, gl_minor;
    bool gles;
    bool web;
};
PlatformInfo platform_info();

// Runs frame() until it returns false (native) or forever (web: the browser drives it).
void platform_run(bool (*frame)(void*), void* user);

// Device pixel ratio of the display (web: window.devicePixelRatio).
float platform_dpi_scale(SDL_Window* window);

// Page only: the canvas follows its container; returns true and the CSS size when the
// container changed since the last call.
bool platform_poll_resize(int* css_w, int* css_h);

// Tells the page the first frame was drawn (start-up time, hides the loading bar).
void platform_first_frame();

// The page's URL query string ("" natively), e.g. "exp=ID&threads=4".
const char* platform_query();

// Writes the current shareable state into the page's URL (no-op natively).
void platform_set_query(const char* query);

// Offers a file to the user: a download in the page, a file in the working folder natively.
// Returns a sentence saying where it went.
const char* platform_save_file(const char* name, const void* data, unsigned long size, const char* mime);

// Copies text to the clipboard (page: navigator.clipboard).
void platform_copy_text(const char* text);
// Copies a link that opens the lab in the given state (page: this page's URL + query;
// native: the gillab-window command line).
void platform_copy_link(const char* query);

}  // namespace gil::app
