// gl_timeline.cpp — see gl_timeline.h.
#include "app/gl_timeline.h"

#include <algorithm>
#include <cstdio>
#include <string>

#if defined(__EMSCRIPTEN__)
#include <GLES3/gl3.h>
#else
#define GL_GLEXT_PROTOTYPES 1
#include <GL/gl.h>
#include <GL/glext.h>
#endif

#include "shader_timeline_frag.h"
#include "shader_timeline_vert.h"

namespace gil::app {

static GLuint compile(GLenum type, const std::string& src) {
    GLuint s = glCreateShader(type);
    const char* p = src.c_str();
    glShaderSource(s, 1, &p, nullptr);
    glCompileShader(s);
    GLint ok = 0;
    glGetShaderiv(s, GL_COMPILE_STATUS, &ok);
    if (!ok) {
        char log[1024];
        glGetShaderInfoLog(s, sizeof log, nullptr, log);
        std::fprintf(stderr, "timeline shader: %s\n", log);
        glDeleteShader(s);
        return 0;
    }
    return s;
}

bool GlTimeline::init(const char* glsl_version, bool gles) {
    const std::string head = std::string(glsl_version) + "\n" + (gles ? "precision highp float;\n" : "");
    GLuint vs = compile(GL_VERTEX_SHADER, head + (const char*)shader_timeline_vert_data);
    GLuint fs = compile(GL_FRAGMENT_SHADER, head + (const char*)shader_timeline_frag_data);
    if (!vs || !fs) return false;
    prog_ = glCreateProgram();
    glAttachShader(prog_, vs);
    glAttachShader(prog_, fs);
    glLinkProgram(prog_);
    glDeleteShader(vs);
    glDeleteShader(fs);
    GLint ok = 0;
    glGetProgramiv(prog_, GL_LINK_STATUS, &ok);
    if (!ok) return false;
    u_display_ = glGetUniformLocation(prog_, "uDisplay");
    glGenVertexArrays(1, &vao_);
    glGenBuffers(1, &vbo_);
    glBindVertexArray(vao_);
    glBindBuffer(GL_ARRAY_BUFFER, vbo_);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 4, GL_FLOAT, GL_FALSE, sizeof(ui::Instance), (void*)0);
    glVertexAttribDivisor(0, 1);
    glEnableVertexAttribArray(1);
    glVertexAttribPointer(1, 4, GL_UNSIGNED_BYTE, GL_TRUE, sizeof(ui::Instance), (void*)(4 * sizeof(float)));
    glVertexAttribDivisor(1, 1);
    glBindVertexArray(0);
    glBindBuffer(GL_ARRAY_BUFFER, 0);
    return true;
}

void GlTimeline::draw(ImDrawList* dl, const std::vector<ui::Instance>& inst, ImVec2 cmin, ImVec2 cmax) {
    if (inst.empty()) return;
    if (used_ == batches_.size()) batches_.emplace_back();
    Batch& b = batches_[used_++];
    b.self = this;
    b.inst = inst;  // the draw happens later, during ImGui's render
    b.cmin = cmin;
    b.cmax = cmax;
    dl->AddCallback(&GlTimeline::render, &b);
    dl->AddCallback(ImDrawCallback_ResetRenderState, nullptr);
}

void GlTimeline::render(const ImDrawList*, const ImDrawCmd* cmd) {
    const Batch& b = *(const Batch*)cmd->UserCallbackData;
    const GlTimeline& g = *b.self;
    const ImGuiIO& io = ImGui::GetIO();
    const float sx = io.DisplayFramebufferScale.x, sy = io.DisplayFramebufferScale.y;
    const float fb_h = io.DisplaySize.y * sy;
    // Clip to the timeline's area, intersected with the window's clip rectangle.
    float x0 = std::max(b.cmin.x, cmd->ClipRect.x), y0 = std::max(b.cmin.y, cmd->ClipRect.y);
    float x1 = std::min(b.cmax.x, cmd->ClipRect.z), y1 = std::min(b.cmax.y, cmd->ClipRect.w);
    if (x1 <= x0 || y1 <= y0) return;
    glEnable(GL_SCISSOR_TEST);
    glScissor((int)(x0 * sx), (int)(fb_h - y1 * sy), (int)((x1 - x0) * sx), (int)((y1 - y0) * sy));
    glUseProgram(g.prog_);
    glUniform2f(g.u_display_, io.DisplaySize.x, io.DisplaySize.y);
    glBindVertexArray(g.vao_);
    glBindBuffer(GL_ARRAY_BUFFER, g.vbo_);
    glBufferData(GL_ARRAY_BUFFER, (GLsizeiptr)(b.inst.size() * sizeof(ui::Instance)), b.inst.data(), GL_STREAM_DRAW);
    glDrawArraysInstanced(GL_TRIANGLES, 0, 6, (GLsizei)b.inst.size());
    glBindVertexArray(0);
}

}  // namespace gil::app
