// platform_web.cpp — the page's side of platform.h (SDL2 on Emscripten, WebGL2).
// The browser drives the frame loop; nothing here may block the main thread.
#include <SDL.h>
#include <emscripten.h>
#include <emscripten/html5.h>

#include <cstdlib>
#include <string>

#include "app/platform.h"

// clang-format off
// NOTE: EM_JS bodies lose their backslashes on the way to JavaScript: no regex escapes here.
EM_JS(int, gillab_js_container_size, (int* w, int* h), {
    const c = Module.canvas;
    if (!c || !c.parentElement) return 0;
    const r = c.parentElement.getBoundingClientRect();
    HEAP32[w >> 2] = Math.max(1, Math.floor(r.width));
    HEAP32[h >> 2] = Math.max(1, Math.floor(r.height));
    return 1;
});
EM_JS(void, gillab_js_first_frame, (), {
    if (Module.onFirstFrame) Module.onFirstFrame();
});
EM_JS(char*, gillab_js_query, (), {
    let q = Module.labQuery !== undefined ? Module.labQuery : location.search;
    if (q.startsWith("?")) q = q.slice(1);
    const n = lengthBytesUTF8(q) + 1;
    const p = _malloc(n);
    stringToUTF8(q, p, n);
    return p;
});
EM_JS(void, gillab_js_set_query, (const char* q), {
    if (Module.onQueryChange) Module.onQueryChange(UTF8ToString(q));
});
EM_JS(void, gillab_js_save, (const char* name, const void* data, unsigned long size, const char* mime), {
    const bytes = HEAPU8.slice(data, data + size);
    const blob = new Blob([bytes], {type: UTF8ToString(mime)});
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = UTF8ToString(name);
    document.body.appendChild(a);
    a.click();
    setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
});
// Copies go through the page's shell (web/lab-shell.js: Module.copyText), which uses the
// clipboard when the browser allows it and otherwise shows the text to copy by hand (in a
// course page's iframe the clipboard may be refused). Without the shell: the clipboard only.
EM_JS(void, gillab_js_copy_link, (const char* query), {
    const q = UTF8ToString(query);
    const url = Module.linkFor ? Module.linkFor(q) : location.origin + location.pathname + "?" + q;
    if (Module.copyText) Module.copyText(url, "link");
    else if (navigator.clipboard) navigator.clipboard.writeText(url).catch(() => {});
    if (Module.onCopy) Module.onCopy(url);
});
EM_JS(void, gillab_js_copy, (const char* text), {
    const t = UTF8ToString(text);
    if (Module.copyText) Module.copyText(t, "text");
    else if (navigator.clipboard) navigator.clipboard.writeText(t).catch(() => {});
    if (Module.onCopy) Module.onCopy(t);
});
// clang-format on

namespace gil::app {

PlatformInfo platform_info() { return {"#version 300 es", 3, 0, true, true}; }

static bool (*g_frame)(void*) = nullptr;
static void* g_user = nullptr;

void platform_run(bool (*frame)(void*), void* user) {
    g_frame = frame;
    g_user = user;
    emscripten_set_main_loop_arg([](void*) { g_frame(g_user); }, nullptr, 0, 1);
}

float platform_dpi_scale(SDL_Window*) { return (float)emscripten_get_device_pixel_ratio(); }

bool platform_poll_resize(int* css_w, int* css_h) {
    static int last_w = -1, last_h = -1;
    int w = 0, h = 0;
    if (!gillab_js_container_size(&w, &h)) return false;
    if (w == last_w && h == last_h) return false;
    last_w = w;
    last_h = h;
    *css_w = w;
    *css_h = h;
    return true;
}

void platform_first_frame() { gillab_js_first_frame(); }

const char* platform_query() {
    static std::string q;
    char* p = gillab_js_query();
    q = p ? p : "";
    std::free(p);
    return q.c_str();
}

void platform_set_query(const char* query) { gillab_js_set_query(query); }

const char* platform_save_file(const char* name, const void* data, unsigned long size, const char* mime) {
    gillab_js_save(name, data, size, mime);
    static std::string msg;
    msg = std::string("downloading ") + name;
    return msg.c_str();
}

void platform_copy_text(const char* text) { gillab_js_copy(text); }
void platform_copy_link(const char* query) { gillab_js_copy_link(query); }

}  // namespace gil::app
