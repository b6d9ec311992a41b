// gl_timeline.h — draws the timeline's rectangles with one instanced draw call per frame,
// from shaders/timeline.{vert,frag}.glsl (embedded at build time). Used by the page
// (WebGL2) and the native window (OpenGL 3.3 core) alike.
#pragma once
#include <vector>

#include "ui/timeline.h"

namespace gil::app {

class GlTimeline final : public ui::TimelineGpu {
public:
    // glsl_version: "#version 300 es" or "#version 330". False if the shaders do not build.
    bool init(const char* glsl_version, bool gles);
    void begin_frame() { used_ = 0; }
    void draw(ImDrawList* dl, const std::vector<ui::Instance>& inst, ImVec2 clip_min, ImVec2 clip_max) override;

private:
    struct Batch {
        GlTimeline* self;
        std::vector<ui::Instance> inst;
        ImVec2 cmin, cmax;
    };
    static void render(const ImDrawList*, const ImDrawCmd* cmd);
    unsigned prog_ = 0, vao_ = 0, vbo_ = 0;
    int u_display_ = -1;
    std::vector<Batch> batches_;
    size_t used_ = 0;
};

}  // namespace gil::app
