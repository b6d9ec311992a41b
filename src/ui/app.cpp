// app.cpp — the lab's UI (first slice: the real-thread race with live counters).
#include "ui/app.h"

#include <cstdio>
#include <sstream>
#include <vector>

#include "engine/experiment.h"
#include "engine/job.h"
#include "engine/json.h"
#include "imgui.h"

namespace gil::ui {

struct App::Impl {
    AppDesc desc;
    const ExperimentSpec* spec = nullptr;
    ParamSet params;
    uint64_t seed = 1;
    std::shared_ptr<Job> job;
    std::string last_error;

    std::string start(const ExperimentSpec& e, const ParamSet& p, uint64_t s) {
        if (job && !job->done()) return "an experiment is still running: cancel it first";
        spec = &e;
        params = p;
        seed = s;
        job = Job::start(e, p, s);
        last_error.clear();
        return "";
    }
};

App::App() : m_(std::make_unique<Impl>()) {}
App::~App() = default;

void App::init(const AppDesc& desc) {
    m_->desc = desc;
    m_->spec = find_experiment("real.race");
    m_->params = ParamSet::defaults(m_->spec->params);
    if (desc.query.find("autorun=1") != std::string::npos) m_->start(*m_->spec, m_->params, m_->seed);
}

bool App::busy() const { return m_->job && !m_->job->done(); }

void App::shutdown() {
    if (m_->job) {
        m_->job->cancel();
        if (!m_->desc.web) m_->job->wait();
    }
}

void App::frame() {
    Impl& m = *m_;
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->WorkPos);
    ImGui::SetNextWindowSize(vp->WorkSize);
    ImGui::Begin("GIL Lab", nullptr, ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize);
    ImGui::TextWrapped("%s", m.spec->title.c_str());
    ImGui::Separator();
    ImGui::TextWrapped("%s", m.spec->explain.c_str());
    ImGui::Spacing();

    const bool running = m.job && !m.job->done();
    ImGui::BeginDisabled(running);
    int threads = (int)m.params.get_int("threads");
    if (ImGui::SliderInt("threads", &threads, 1, 8)) m.params.set("threads", std::to_string(threads));
    int incr = (int)m.params.get_int("increments");
    if (ImGui::SliderInt("increments per thread", &incr, 1000, 10'000'000, "%d", ImGuiSliderFlags_Logarithmic))
        m.params.set("increments", std::to_string(incr));
    ImGui::EndDisabled();

    if (!running) {
        if (ImGui::Button("Run")) {
            m.last_error = m.start(*m.spec, m.params, m.seed);
        }
    } else if (ImGui::Button("Cancel")) {
        m.job->cancel();
    }

    if (m.job) {
        const RunControl& c = m.job->control();
        ImGui::SameLine();
        ImGui::ProgressBar((float)c.progress_permille.load(std::memory_order_relaxed) / 1000.0f, ImVec2(-1, 0));
        int64_t racy = c.gauges.value[0].load(std::memory_order_relaxed);
        int64_t atomic = c.gauges.value[1].load(std::memory_order_relaxed);
        ImGui::Spacing();
        ImGui::Text("racy counter   (load + store)   %12lld", (long long)racy);
        ImGui::Text("atomic counter (fetch_add)      %12lld", (long long)atomic);
        ImGui::Text("lost updates                    %12lld", (long long)(atomic - racy));
        if (m.job->done()) {
            const RunResult& r = m.job->result();
            if (!r.error.empty()) ImGui::TextColored(ImVec4(1, 0.4f, 0.4f, 1), "%s", r.error.c_str());
            for (const auto& n : r.notes) ImGui::TextWrapped("%s", n.c_str());
        }
    }
    if (!m.last_error.empty()) ImGui::TextColored(ImVec4(1, 0.4f, 0.4f, 1), "%s", m.last_error.c_str());
    ImGui::End();
}

// Requests are words separated by spaces: "run real.race mode=both threads=2 seed=3",
// "status", "cancel", "list".
std::string App::api(const std::string& request) {
    Impl& m = *m_;
    std::istringstream in(request);
    std::vector<std::string> w;
    for (std::string s; in >> s;) w.push_back(s);
    JsonWriter j;
    auto fail = [&](const std::string& why) {
        j.begin_object().key("ok").value(false).key("error").value(why).end_object();
        return j.take();
    };
    if (w.empty()) return fail("empty request");
    if (w[0] == "list") {
        j.begin_array();
        for (const auto& e : experiments())
            j.begin_object().key("id").value(e.id).key("title").value(e.title).key("engine").value(engine_name(e.engine)).end_object();
        j.end_array();
        return j.take();
    }
    if (w[0] == "run") {
        if (w.size() < 2) return fail("run needs an experiment id");
        const ExperimentSpec* e = find_experiment(w[1]);
        if (!e) return fail("unknown experiment '" + w[1] + "'");
        ParamSet p = ParamSet::defaults(e->params);
        uint64_t seed = m.seed;
        for (size_t i = 2; i < w.size(); ++i) {
            if (w[i].rfind("seed=", 0) == 0) {
                int64_t s;
                if (!parse_int64(w[i].substr(5), s) || s < 0) return fail("seed must be a non-negative integer");
                seed = (uint64_t)s;
                continue;
            }
            if (std::string err = p.set_assignment(w[i]); !err.empty()) return fail(err);
        }
        if (std::string err = m.start(*e, p, seed); !err.empty()) return fail(err);
        j.begin_object().key("ok").value(true).end_object();
        return j.take();
    }
    if (w[0] == "cancel") {
        if (m.job) m.job->cancel();
        j.begin_object().key("ok").value(true).end_object();
        return j.take();
    }
    if (w[0] == "status") {
        j.begin_object().key("ok").value(true);
        j.key("running").value(busy());
        j.key("experiment").value(m.spec ? m.spec->id : "");
        if (m.job) {
            const RunControl& c = m.job->control();
            j.key("progress").value((double)c.progress_permille.load(std::memory_order_relaxed) / 1000.0);
            j.key("gauges").begin_object();
            int n = c.gauges.count.load(std::memory_order_acquire);
            for (int i = 0; i < n; ++i)
                if (c.gauges.name[i]) j.key(c.gauges.name[i]).value(c.gauges.value[i].load(std::memory_order_relaxed));
            j.end_object();
            if (m.job->done()) j.key("result").raw(result_json(m.job->result(), false));
        }
        j.end_object();
        return j.take();
    }
    return fail("unknown request '" + w[0] + "' (list, run, status, cancel)");
}

}  // namespace gil::ui
