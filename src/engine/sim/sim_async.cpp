// sim_async.cpp — the simulator, part: asyncio: a thread running an event loop switches between its tasks at await.
// The parts share one Simulator::Impl (sim_internal.h, which has the index of the files).
#include <algorithm>
#include <cassert>

#include "engine/sim/sim_internal.h"

namespace gil::sim {

using namespace detail;

// asyncio: the current task awaits; run the next ready one or block in select().
void Simulator::Impl::async_switch(Thread& th, int64_t t) {
    size_t n = th.ctx.size();
    for (size_t k = 1; k <= n; ++k) {
        size_t i = ((size_t)th.cur + k) % n;
        if (!th.ctx[i].done && th.ctx[i].ready_at <= t) {
            th.cur = (int)i;
            th.clock = t + prof.asyncio_switch_ns;
            return;
        }
    }
    int64_t wake = kInf;
    for (auto& c : th.ctx)
        if (!c.done) wake = std::min(wake, c.ready_at);
    if (wake == kInf) return;  // all done: handled by context_finished
    block(th, t, Py::Io);
    schedule(wake, Ev::IoDone, th.id, ++th.io_stamp);
}

void Simulator::Impl::context_finished(Thread& th, int64_t t) {
    if (th.async_loop) {
        bool any = false;
        for (auto& c : th.ctx) any |= !c.done;
        if (any) {
            async_switch(th, t);
            return;
        }
    }
    th.stats.return_value = th.ctx[0].return_value;
    th.stats.done_at = t;
    ++done_threads;
    set_executing(th, false);
    drop_gil(th, t, false);
    th.py = Py::Done;
    release_core(th, t);
    update_shown(th, t);
    for (int j : th.joiners) {
        vc_joined(threads[(size_t)j], th);
        wake_waiter(threads[(size_t)j], t);
    }
    th.joiners.clear();
}


}  // namespace gil::sim
