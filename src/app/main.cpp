// main.cpp — the front end's entry point, shared by the page and the native window:
// SDL2 window + OpenGL context, Dear ImGui, and the frame loop around gil::ui::App.
// Everything that differs between the two lives behind platform.h.
#include <algorithm>
#include <SDL.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "app/gl_timeline.h"
#include "app/platform.h"
#include "imgui.h"
#include "imgui_impl_opengl3.h"
#include "imgui_impl_sdl.h"
#include "ui/app.h"
#include "ui/png.h"

#if defined(__EMSCRIPTEN__)
#include <GLES3/gl3.h>
#else
#include <SDL_opengl.h>
#endif

namespace {

struct Frontend {
    SDL_Window* window = nullptr;
    SDL_GLContext gl = nullptr;
    gil::ui::App app;
    gil::app::GlTimeline gpu;
    bool gpu_ok = false;
    std::string last_query;
    bool first_frame_reported = false;
    bool quit = false;
    int screenshot_after_frames = -1;  // native --screenshot
    std::string screenshot_path;
    int frames = 0;
    int exit_after_frames = -1;
    std::vector<SDL_Event> deferred_keyups;  // key-ups held for the next frame (see frame())
};

Frontend* g_frontend = nullptr;

bool frame(void* user) {
    Frontend& f = *(Frontend*)user;
    int css_w, css_h;
    if (gil::app::platform_poll_resize(&css_w, &css_h)) SDL_SetWindowSize(f.window, css_w, css_h);
    SDL_Event ev;
    // ImGui 1.86 reads keys as held-down state once per frame: a key that goes down and up
    // between two frames (a quick tap on a slow frame, a fast typist) would never be seen. A
    // key-up that arrives in the same frame as its key-down waits for the next frame, so every
    // press is seen by one frame (ImGui 1.87 queues input the same way).
    std::vector<SDL_Event> held = std::move(f.deferred_keyups);
    f.deferred_keyups.clear();
    for (SDL_Event& up : held) ImGui_ImplSDL2_ProcessEvent(&up);
    std::vector<SDL_Scancode> went_down;
    while (SDL_PollEvent(&ev)) {
        if (ev.type == SDL_KEYDOWN) went_down.push_back(ev.key.keysym.scancode);
        if (ev.type == SDL_KEYUP &&
            std::find(went_down.begin(), went_down.end(), ev.key.keysym.scancode) != went_down.end()) {
            f.deferred_keyups.push_back(ev);
            continue;
        }
        ImGui_ImplSDL2_ProcessEvent(&ev);
        if (ev.type == SDL_QUIT) f.quit = true;
        if (ev.type == SDL_WINDOWEVENT && ev.window.event == SDL_WINDOWEVENT_CLOSE) f.quit = true;
    }
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplSDL2_NewFrame();
    // A slow frame (a busy machine, a phone) must not turn one key press into two: ImGui 1.86
    // times a held key in frame time and repeats it past 0.275 s, so one 0.4 s frame with a key
    // down typed it twice (CI's editor test, under load). Playback keeps its own clock (now_s).
    ImGui::GetIO().DeltaTime = std::min(ImGui::GetIO().DeltaTime, 0.1f);
    ImGui::NewFrame();
    f.gpu.begin_frame();
    f.app.frame();
    ImGui::Render();
    ImGuiIO& io = ImGui::GetIO();
    const int fb_w = (int)(io.DisplaySize.x * io.DisplayFramebufferScale.x);
    const int fb_h = (int)(io.DisplaySize.y * io.DisplayFramebufferScale.y);
    glViewport(0, 0, fb_w, fb_h);
    if (f.app.dark()) glClearColor(0.105f, 0.11f, 0.125f, 1.0f);
    else glClearColor(0.97f, 0.97f, 0.98f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    // What the app asked the platform for during this frame.
    gil::ui::PlatformRequests& rq = f.app.requests();
    // --screenshot: once the run finished and playback stopped, save the frame and quit.
    const bool shot_now = !f.screenshot_path.empty() && f.frames >= 10 && !f.app.busy();
    if ((rq.save_png || shot_now) && fb_w > 0 && fb_h > 0) {
        rq.save_png = false;
        std::vector<uint8_t> px((size_t)fb_w * (size_t)fb_h * 4), flipped(px.size());
        glPixelStorei(GL_PACK_ALIGNMENT, 1);
        glReadPixels(0, 0, fb_w, fb_h, GL_RGBA, GL_UNSIGNED_BYTE, px.data());
        for (int y = 0; y < fb_h; ++y)
            std::memcpy(&flipped[(size_t)y * (size_t)fb_w * 4], &px[(size_t)(fb_h - 1 - y) * (size_t)fb_w * 4], (size_t)fb_w * 4);
        for (size_t i = 3; i < flipped.size(); i += 4) flipped[i] = 255;
        std::string png = gil::ui::encode_png(flipped.data(), fb_w, fb_h);
        if (shot_now) {
            FILE* out = std::fopen(f.screenshot_path.c_str(), "wb");
            if (out) {
                std::fwrite(png.data(), 1, png.size(), out);
                std::fclose(out);
            }
            std::printf("saved %s\n", f.screenshot_path.c_str());
            f.quit = true;
        } else {
            gil::app::platform_save_file("gil-lab.png", png.data(), png.size(), "image/png");
        }
    }
    if (!rq.save_name.empty()) {
        gil::app::platform_save_file(rq.save_name.c_str(), rq.save_data.data(), rq.save_data.size(), rq.save_mime.c_str());
        rq.save_name.clear();
        rq.save_data.clear();
    }
    if (!rq.copy_link.empty()) {
        gil::app::platform_copy_link(rq.copy_link.c_str());
        rq.copy_link.clear();
#ifndef __EMSCRIPTEN__
        f.app.api("copied 1");  // SDL's clipboard takes it at once; the page's shell reports its own outcome
#endif
    }
    if (!rq.copy_text.empty()) {
        gil::app::platform_copy_text(rq.copy_text.c_str());
        rq.copy_text.clear();
    }
    if (rq.query != f.last_query) {
        f.last_query = rq.query;
        gil::app::platform_set_query(rq.query.c_str());
    }
    SDL_GL_SwapWindow(f.window);
    if (!f.first_frame_reported) {
        f.first_frame_reported = true;
        gil::app::platform_first_frame();
    }
    ++f.frames;
    if (f.exit_after_frames >= 0 && f.frames >= f.exit_after_frames && !f.app.busy()) f.quit = true;
    return !f.quit;
}

}  // namespace

#if defined(__EMSCRIPTEN__)
#include <emscripten.h>
// The page's JavaScript API calls this (see web/lab.js). The reply stays valid until the
// next call.
extern "C" EMSCRIPTEN_KEEPALIVE const char* gillab_api(const char* request) {
    static std::string reply;
    reply = g_frontend ? g_frontend->app.api(request ? request : "") : "{\"ok\":false,\"error\":\"not started\"}";
    return reply.c_str();
}
#endif

int main(int argc, char** argv) {
    static Frontend f;  // lives as long as the page: the web main loop never returns
    g_frontend = &f;
    std::string query = gil::app::platform_query();
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--frames") && i + 1 < argc) f.exit_after_frames = std::atoi(argv[++i]);
        else if (!std::strcmp(argv[i], "--screenshot") && i + 1 < argc) f.screenshot_path = argv[++i];
        else if (!std::strncmp(argv[i], "--query=", 8)) query = argv[i] + 8;
        else if (!std::strcmp(argv[i], "--help")) {
            std::printf("usage: gillab-window [--query='exp=ID&threads=4&autorun=1'] [--frames N]\n"
                        "                     [--screenshot FILE.png]  (save the window once the run is over, then quit)\n"
                        "       ID and its parameters: 'gillab list', 'gillab describe ID'\n");
            return 0;
        } else {
            std::fprintf(stderr, "gillab-window: unknown option '%s' (try --help)\n", argv[i]);
            return 2;
        }
    }

    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0) {
        std::fprintf(stderr, "gillab-window: SDL_Init failed: %s\n", SDL_GetError());
        return 1;
    }
    const gil::app::PlatformInfo pi = gil::app::platform_info();
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_FLAGS, 0);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, pi.gles ? SDL_GL_CONTEXT_PROFILE_ES : SDL_GL_CONTEXT_PROFILE_CORE);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, pi.gl_major);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, pi.gl_minor);
    SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
    SDL_GL_SetAttribute(SDL_GL_DEPTH_SIZE, 0);
    SDL_GL_SetAttribute(SDL_GL_STENCIL_SIZE, 0);
    auto flags = (SDL_WindowFlags)(SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
    f.window = SDL_CreateWindow("GIL Lab", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, 1280, 720, flags);
    if (!f.window) {
        std::fprintf(stderr, "gillab-window: cannot create a window: %s\n", SDL_GetError());
        return 1;
    }
    f.gl = SDL_GL_CreateContext(f.window);
    if (!f.gl) {
        std::fprintf(stderr, "gillab-window: cannot create an OpenGL %d.%d context: %s\n", pi.gl_major, pi.gl_minor,
                     SDL_GetError());
        return 1;
    }
    SDL_GL_MakeCurrent(f.window, f.gl);
    SDL_GL_SetSwapInterval(1);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // layout is the app's, not a file's
    ImGui_ImplSDL2_InitForOpenGL(f.window, f.gl);
    ImGui_ImplOpenGL3_Init(pi.glsl_version);

    gil::ui::AppDesc desc;
    desc.web = pi.web;
#if defined(GILLAB_NO_THREADS)
    desc.threads_available = false;
#endif
    desc.query = query;
    desc.dpi_scale = gil::app::platform_dpi_scale(f.window);
    f.app.init(desc);
    f.gpu_ok = f.gpu.init(pi.glsl_version, pi.gles);
    if (f.gpu_ok) f.app.set_timeline_gpu(&f.gpu);
    else std::fprintf(stderr, "gillab: instanced timeline shaders unavailable; drawing with ImDrawList\n");

    gil::app::platform_run(frame, &f);

    f.app.shutdown();
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplSDL2_Shutdown();
    ImGui::DestroyContext();
    SDL_GL_DeleteContext(f.gl);
    SDL_DestroyWindow(f.window);
    SDL_Quit();
    return 0;
}
