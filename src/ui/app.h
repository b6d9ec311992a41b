// app.h — GIL Lab's user interface: one body of code for the page and the native window.
//
// Lifecycle: init(desc) once after ImGui is set up, frame() once per displayed frame,
// shutdown() at exit. The app never blocks: experiments run as gil::Job in the background
// and the frame polls them. api() is the scripting entry (JS API in the page, tests).
#pragma once
#include <memory>
#include <string>

namespace gil::ui {

struct AppDesc {
    bool web = false;                 // running in the page
    bool threads_available = true;    // false in the build for non-isolated pages
    std::string query;                // initial URL query ("exp=race.counter&version=3.9")
    float dpi_scale = 1.0f;
};

class App {
public:
    App();
    ~App();
    void init(const AppDesc& desc);
    // Builds the ImGui frame for a display of the given size (in ImGui units).
    void frame();
    void shutdown();
    // One request, one JSON reply. See api.cpp for the commands.
    std::string api(const std::string& request);
    // True while something is animating or running (the frame loop may idle otherwise).
    bool busy() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_;
};

}  // namespace gil::ui
