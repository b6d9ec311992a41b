// common.cpp — see common.h.
#include "engine/real/common.h"

#include <system_error>

namespace gil::real {

int max_worker_threads() {
#if defined(GILLAB_NO_THREADS)
    return 0;
#elif defined(__EMSCRIPTEN__) && defined(GILLAB_WEB_POOL)
    return GILLAB_WEB_POOL - 1;  // one pool worker runs the job itself
#elif defined(__EMSCRIPTEN__)
    return 64;
#else
    return 256;
#endif
}

std::string check_thread_count(int threads) {
#if defined(GILLAB_NO_THREADS)
    (void)threads;
    return "real-thread experiments need threads, and this page was loaded without cross-origin "
           "isolation (no SharedArrayBuffer): open the lab's own page directly, or use the native build";
#else
    int cap = max_worker_threads();
    if (threads > cap)
        return "threads=" + std::to_string(threads) + " is more than this build can start at once (" +
               std::to_string(cap) + "); use fewer threads or the native CLI";
    return "";
#endif
}

int64_t run_workers(int n, const std::function<void(int)>& body, std::string& error) {
#if defined(GILLAB_NO_THREADS)
    (void)n;
    (void)body;
    error = check_thread_count(1);
    return -1;
#else
    std::atomic<int> ready{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    threads.reserve((size_t)n);
    try {
        for (int i = 0; i < n; ++i)
            threads.emplace_back([&, i] {
                ready.fetch_add(1, std::memory_order_acq_rel);
                while (!go.load(std::memory_order_acquire)) cpu_relax();
                body(i);
            });
    } catch (const std::system_error& e) {
        go.store(true, std::memory_order_release);
        for (auto& t : threads) t.join();
        error = std::string("could not start thread ") + std::to_string(threads.size() + 1) + ": " + e.what();
        return -1;
    }
    while (ready.load(std::memory_order_acquire) < n) std::this_thread::yield();
    int64_t t0 = now_ns();
    go.store(true, std::memory_order_release);
    for (auto& t : threads) t.join();
    return now_ns() - t0;
#endif
}

}  // namespace gil::real
