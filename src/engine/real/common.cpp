// common.cpp — see common.h.
#include "engine/real/common.h"

#include <condition_variable>
#include <mutex>
#include <system_error>

namespace gil::real {

int max_worker_threads() {
#if defined(GILLAB_NO_THREADS)
    return 0;
#elif defined(__EMSCRIPTEN__)
    return web_pool_size() - 1;  // one pool worker runs the job itself (and indexes its trace, job.h)
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

#if !defined(GILLAB_NO_THREADS)
namespace {

// Worker threads kept for the life of the process. Creating a thread costs ~0.1 ms
// natively and far more in the page (a Web Worker is handed out by the browser's main
// thread between frames), which would otherwise land inside every measurement.
class WorkerPool {
public:
    static WorkerPool& instance() {
        static WorkerPool pool;
        return pool;
    }
    ~WorkerPool() {
        {
            std::lock_guard<std::mutex> lk(mu_);
            quit_ = true;
        }
        work_cv_.notify_all();
        for (auto& t : threads_) t.join();
    }

    int64_t run(int n, const std::function<void(int)>& body, std::string& error) {
        std::lock_guard<std::mutex> one_at_a_time(run_mu_);
        {
            std::lock_guard<std::mutex> lk(mu_);
            try {
                while ((int)threads_.size() < n) {
                    int index = (int)threads_.size();
                    threads_.emplace_back([this, index] { loop(index); });
                }
            } catch (const std::system_error& e) {
                error = "could not start thread " + std::to_string(threads_.size() + 1) + ": " + e.what();
                return -1;
            }
            body_ = &body;
            active_ = n;
            remaining_ = n;
            ready_.store(0, std::memory_order_relaxed);
            go_.store(false, std::memory_order_relaxed);
            ++generation_;
        }
        work_cv_.notify_all();
        // Everyone at the start line, then release them together and start the clock.
        while (ready_.load(std::memory_order_acquire) < n) std::this_thread::yield();
        const int64_t t0 = now_ns();
        go_.store(true, std::memory_order_release);
        std::unique_lock<std::mutex> lk(mu_);
        done_cv_.wait(lk, [this] { return remaining_ == 0; });
        return now_ns() - t0;
    }

private:
    void loop(int index) {
        uint64_t seen = 0;
        std::unique_lock<std::mutex> lk(mu_);
        for (;;) {
            work_cv_.wait(lk, [&] { return quit_ || generation_ != seen; });
            if (quit_) return;
            seen = generation_;
            if (index >= active_) continue;  // not needed this time
            const std::function<void(int)>* body = body_;
            lk.unlock();
            ready_.fetch_add(1, std::memory_order_acq_rel);
            for (int spins = 0; !go_.load(std::memory_order_acquire); ++spins) {
                if (spins < 256) cpu_relax();
                else std::this_thread::yield();
            }
            (*body)(index);
            lk.lock();
            if (--remaining_ == 0) done_cv_.notify_all();
        }
    }

    std::mutex run_mu_, mu_;
    std::condition_variable work_cv_, done_cv_;
    std::vector<std::thread> threads_;
    const std::function<void(int)>* body_ = nullptr;
    uint64_t generation_ = 0;
    int active_ = 0, remaining_ = 0;
    bool quit_ = false;
    std::atomic<int> ready_{0};
    std::atomic<bool> go_{false};
};

}  // namespace
#endif

int64_t run_workers(int n, const std::function<void(int)>& body, std::string& error) {
#if defined(GILLAB_NO_THREADS)
    (void)n;
    (void)body;
    error = check_thread_count(1);
    return -1;
#else
    return WorkerPool::instance().run(n, body, error);
#endif
}

}  // namespace gil::real
