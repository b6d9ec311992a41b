// bench_ui.cpp — CPU cost of building one timeline frame with 1 million and 10 million
// recorded intervals, headless (ImGui without a platform backend; the GPU backend is
// replaced by one that only copies the instances, as the real one does).
//   gillab_bench_ui [frames]     prints one JSON object per case
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <vector>

#include "engine/rng.h"
#include "engine/stats.h"
#include "imgui.h"
#include "ui/timeline.h"

using namespace gil;

namespace {

struct CopyGpu : ui::TimelineGpu {
    std::vector<ui::Instance> copy;
    void draw(ImDrawList*, const std::vector<ui::Instance>& inst, ImVec2, ImVec2) override { copy = inst; }
};

std::shared_ptr<Trace> synthetic(size_t total, int lanes) {
    auto t = std::make_shared<Trace>();
    t->max_intervals = total + 1000;
    t->process_names = {"MainProcess"};
    Rng rng(7);
    for (int l = 0; l < lanes; ++l) t->add_lane("Thread-" + std::to_string(l + 1), 0);
    // Round-robin "GIL" pattern with random lengths: lanes take turns running.
    int64_t now = 0;
    size_t per = total / (size_t)lanes;
    for (size_t k = 0; k < per; ++k)
        for (int l = 0; l < lanes; ++l) {
            now += 200 + (int64_t)rng.below(5000);
            t->set_state(l, now, (k + (size_t)l) % 2 ? ThreadState::Running : ThreadState::WaitGil, (uint32_t)k);
        }
    t->finish(now + 1000);
    return t;
}

double now_ms() {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

int main(int argc, char** argv) {
    int frames = argc > 1 ? std::max(5, std::atoi(argv[1])) : 31;
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(1280, 720);
    io.DeltaTime = 1.0f / 60.0f;
    io.IniFilename = nullptr;
    unsigned char* px;
    int w, h;
    io.Fonts->GetTexDataAsRGBA32(&px, &w, &h);
    CopyGpu gpu;
    const ui::Palette pal = ui::palette(true);
    for (size_t total : {(size_t)1'000'000, (size_t)10'000'000}) {
        const int lanes = 16;
        auto tr = synthetic(total, lanes);
        ui::TimelineView view;
        double t_index = now_ms();
        view.set_trace(tr, true);
        t_index = now_ms() - t_index;
        for (const char* zoom : {"whole run", "1% of the run"}) {
            if (zoom[0] == '1') view.zoom_to(tr->end / 2, tr->end / 2 + tr->end / 100);
            else view.fit();
            std::vector<double> ms;
            size_t inst = 0;
            for (int f = 0; f < frames; ++f) {
                double t0 = now_ms();
                ImGui::NewFrame();
                ImGui::SetNextWindowPos(ImVec2(0, 0));
                ImGui::SetNextWindowSize(io.DisplaySize);
                ImGui::Begin("bench", nullptr, ImGuiWindowFlags_NoDecoration);
                view.draw(ImVec2(-1, 600), tr->end, &gpu, pal);
                ImGui::End();
                ImGui::Render();
                ms.push_back(now_ms() - t0);
                inst = gpu.copy.size();
            }
            Summary s = summarize(ms);
            std::printf("{\"bench\":\"ui-frame\",\"intervals\":%zu,\"lanes\":%d,\"view\":\"%s\",\"frames\":%d,"
                        "\"ms_min\":%.3f,\"ms_median\":%.3f,\"ms_max\":%.3f,\"instances\":%zu,\"index_build_ms\":%.1f}\n",
                        tr->interval_count(), lanes, zoom, frames, s.min, s.median, s.max, inst, t_index);
            std::fflush(stdout);
        }
    }
    ImGui::DestroyContext();
    return 0;
}
