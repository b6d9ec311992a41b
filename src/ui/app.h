// app.h — GIL Lab's user interface: one body of code for the page and the native window.
//
// Lifecycle: init(desc) once after ImGui is set up, frame() once per displayed frame,
// shutdown() at exit. The app never blocks: experiments run as gil::Job in the background
// and the frame polls them; threads never touch the UI. api() is the scripting entry
// (the page's JavaScript API, tests). Things only the platform can do (copy a link,
// save a file, read the framebuffer) are requests the frame loop picks up.
#pragma once
#include <memory>
#include <string>

namespace gil::ui {

class TimelineGpu;

struct AppDesc {
    bool web = false;                 // running in the page
    bool threads_available = true;    // false in the build for non-isolated pages
    std::string query;                // initial URL query ("exp=ID&threads=4&seed=7")
    float dpi_scale = 1.0f;
    bool load_fonts = true;           // false in headless tests
};

// Side effects the platform carries out for the app (polled once per frame).
struct PlatformRequests {
    std::string copy_link;            // non-empty: copy a link with this query
    std::string copy_text;            // non-empty: copy this text (the program)
    bool save_png = false;            // read the framebuffer after this frame and save it
    std::string save_name, save_mime, save_data;  // a file to offer the user
    std::string query;                // the current shareable state (for the URL bar)
};

class App {
public:
    App();
    ~App();
    void init(const AppDesc& desc);
    void set_timeline_gpu(TimelineGpu* gpu);
    void frame();
    void shutdown();
    // One request, one JSON reply: the scripting API (api.cpp lists the requests).
    std::string api(const std::string& request);
    bool busy() const;                // a job is running or playback is advancing
    PlatformRequests& requests();
    bool dark() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_;
};

// Loads the embedded UI fonts at the display's pixel ratio (no-op if built without them).
void load_fonts(float dpi_scale);
void apply_theme(bool dark, float dpi_scale);

}  // namespace gil::ui
