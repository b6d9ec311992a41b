// recorder.h — per-thread state recording for the real-thread experiments.
//
// Each thread writes its state changes, stamped with the monotonic clock, into its own
// buffer, allocated before the threads start: no lock, no allocation, no sharing in the
// measured loop. After the join, the buffers become a Trace for the timeline. A full
// buffer stops recording (and counts what it dropped) rather than grow.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "engine/real/common.h"
#include "engine/trace.h"

namespace gil::real {

class Recorder {
public:
    struct Rec {
        int64_t t;
        uint32_t info;
        ThreadState state;
    };
    void init(size_t capacity, bool on) {
        on_ = on;
        buf_.assign(on ? capacity : 0, Rec{0, 0, ThreadState::NotStarted});
        n_ = 0;
        dropped_ = 0;
    }
    // Call first thing on the recording thread, right after the common start line.
    // NOT A BUG: times are kept relative to this thread's own start, not to a clock read
    // on another thread. In the page every thread is a Web Worker, and workers' monotonic
    // clocks may have different origins; all threads leave the start line within
    // microseconds of each other, so their starts are a common zero.
    void start() { origin_ = now_ns(); }
    void mark(ThreadState s, uint32_t info = 0) {
        if (!on_) return;
        if (n_ == buf_.size()) {
            ++dropped_;
            return;
        }
        buf_[n_++] = {now_ns() - origin_, info, s};
    }
    bool on() const { return on_; }
    size_t size() const { return n_; }
    uint64_t dropped() const { return dropped_; }
    const Rec& operator[](size_t i) const { return buf_[i]; }

private:
    std::vector<Rec> buf_;
    size_t n_ = 0;
    uint64_t dropped_ = 0;
    int64_t origin_ = 0;
    bool on_ = false;
};

// Alignment keeps two threads' recorders off one cache line.
struct alignas(kCacheLine) PaddedRecorder {
    Recorder r;
};

// Builds a Trace from per-thread recorders (times relative to each thread's start());
// duration is the run's wall time.
std::shared_ptr<Trace> trace_from_recorders(const std::vector<PaddedRecorder>& recs,
                                            const std::vector<std::string>& names, int64_t duration);

// Nanoseconds one mark() costs on this machine (median of a few measurements).
double recorder_cost_ns();

}  // namespace gil::real
