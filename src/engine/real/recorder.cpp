// recorder.cpp — see recorder.h.
#include "engine/real/recorder.h"

#include <algorithm>
#include <memory>

#include "engine/stats.h"

namespace gil::real {

std::shared_ptr<Trace> trace_from_recorders(const std::vector<PaddedRecorder>& recs, const std::vector<std::string>& names,
                                            int64_t duration) {
    auto tr = std::make_shared<Trace>();
    tr->process_names = {"this process"};
    for (size_t i = 0; i < recs.size(); ++i) {
        int lane = tr->add_lane(i < names.size() ? names[i] : "thread " + std::to_string(i), 0);
        const Recorder& r = recs[i].r;
        for (size_t k = 0; k < r.size(); ++k)
            tr->set_state(lane, std::max<int64_t>(0, r[k].t), r[k].state, r[k].info);
        tr->dropped_intervals += r.dropped();
    }
    tr->finish(std::max<int64_t>(0, duration));
    return tr;
}

double recorder_cost_ns() {
    std::vector<double> v;
    Recorder r;
    for (int rep = 0; rep < 5; ++rep) {
        r.init(200'000, true);
        r.start();
        int64_t t = now_ns();
        for (int i = 0; i < 200'000; ++i) r.mark((i & 1) ? ThreadState::Running : ThreadState::WaitLock, (uint32_t)i);
        v.push_back((double)(now_ns() - t) / 200'000.0);
    }
    return summarize(v).median;
}

}  // namespace gil::real
