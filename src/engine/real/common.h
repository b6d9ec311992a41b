// common.h — shared plumbing of the real-thread experiments: clocks, a start line,
// spawning and joining workers, refusing thread counts the platform cannot give.
#pragma once
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "engine/experiment.h"

namespace gil::real {

inline int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// A cache line; 64 bytes on every target we build for (x86-64 and wasm engines on it).
constexpr size_t kCacheLine = 64;

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    asm volatile("yield");
#else
    std::atomic_signal_fence(std::memory_order_seq_cst);
#endif
}

// A test-and-test-and-set spin lock with a pause hint. After a while it yields the core,
// or a preempted holder on an oversubscribed machine would leave it spinning a whole
// time slice.
class SpinLock {
public:
    void lock() {
        for (;;) {
            if (!locked_.exchange(true, std::memory_order_acquire)) return;
            for (int spins = 0; locked_.load(std::memory_order_relaxed); ++spins) {
                if (spins < 128) cpu_relax();
                else std::this_thread::yield();
            }
        }
    }
    void unlock() { locked_.store(false, std::memory_order_release); }

private:
    std::atomic<bool> locked_{false};
};

// How many worker threads this build may start at once (the page's pool is fixed).
int max_worker_threads();
#if defined(__EMSCRIPTEN__) && !defined(GILLAB_NO_THREADS)
// The PTHREAD_POOL_SIZE this WebAssembly executable was linked with: web_pool.cpp, compiled into
// each executable with its own GILLAB_POOL_SIZE (CMakeLists.txt: gillab_pool_size), so the page
// and the test suite share one build of the engine.
int web_pool_size();
#endif

// Runs body(i) on `n` new threads, released together from a start line; returns the wall
// time in ns from the release to the last join. Must not be called on the browser's
// main thread (it joins). Returns -1 and sets `error` if threads cannot be had.
int64_t run_workers(int n, const std::function<void(int)>& body, std::string& error);

// Refuses thread counts above what the platform can run; "" when fine.
std::string check_thread_count(int threads);

}  // namespace gil::real
