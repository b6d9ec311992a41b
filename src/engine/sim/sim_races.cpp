// sim_races.cpp — the simulator, part: the race detector. Every access to a shared variable
// (a module global, or a multiprocessing.Value's memory) is noted with the user locks its
// thread holds (the lockset; a Value's own lock is not counted: it makes each get and set
// atomic, not `x.value += 1`). Accesses inside fast-forwarded loops are noted once per applied
// stretch, with the locks the iteration holds at them (sim_ff.cpp). At the end, a variable is
// reported when two threads access it, at least one writing, with no lock in common, and
// neither access happens before the other through start() and join() (vector clocks, as
// happens-before race detectors keep them): so the main thread's setup before start() and its
// reading after join() are ordered, and two threads that ran one after the other only by luck
// of the schedule are still reported, since another schedule overlaps them.
// The parts share one Simulator::Impl (sim_internal.h, which has the index of the files).
#include <algorithm>

#include "engine/sim/sim_internal.h"

namespace gil::sim {

using namespace detail;

void Simulator::Impl::note_access(Thread& th, int g, bool store, uint64_t locks, int64_t t0, int64_t t1, int fn, int pc) {
    if (th.last_access < th.accesses.size()) {
        AccessRec& a = th.accesses[th.last_access];
        if (a.g == g && a.store == store && a.locks == locks && a.epoch == th.epoch) {
            a.t1 = std::max(a.t1, t1);
            return;
        }
    }
    for (size_t i = 0; i < th.accesses.size(); ++i) {
        AccessRec& a = th.accesses[i];
        if (a.g == g && a.store == store && a.locks == locks && a.epoch == th.epoch) {
            a.t1 = std::max(a.t1, t1);
            th.last_access = i;
            return;
        }
    }
    if (th.accesses.size() >= 256) return;  // enough to tell: a program with more kinds of access is rare
    AccessRec a;
    a.g = g;
    a.store = store;
    a.locks = locks;
    a.t0 = t0;
    a.t1 = t1;
    a.fn = fn;
    a.pc = pc;
    a.epoch = th.epoch;
    a.vc = th.vc;
    th.accesses.push_back(a);
    th.last_access = th.accesses.size() - 1;
}

namespace {
uint32_t at(const std::vector<uint32_t>& vc, int i) { return i >= 0 && (size_t)i < vc.size() ? vc[(size_t)i] : 0; }
void raise_to(std::vector<uint32_t>& vc, size_t i, uint32_t v) {
    if (vc.size() <= i) vc.resize(i + 1, 0);
    vc[i] = std::max(vc[i], v);
}
}  // namespace

void Simulator::Impl::vc_tick(Thread& th) {
    raise_to(th.vc, (size_t)th.id, at(th.vc, th.id) + 1);
    ++th.epoch;
}

void Simulator::Impl::vc_started(Thread& parent, Thread& child) {
    child.vc = parent.vc;
    raise_to(child.vc, (size_t)child.id, 1);
    ++child.epoch;
    vc_tick(parent);  // what the parent does from now on is concurrent with the child
}

void Simulator::Impl::vc_joined(Thread& joiner, const Thread& done) {
    for (size_t i = 0; i < done.vc.size(); ++i) raise_to(joiner.vc, i, done.vc[i]);
    vc_tick(joiner);
}

void Simulator::Impl::find_races(int64_t end) {
    (void)end;
    // a (in thread A) happens before b when b's clock knows A's clock at a.
    auto before = [](const AccessRec& a, int A, const AccessRec& b) { return at(a.vc, A) <= at(b.vc, A); };
    auto line_of = [&](const AccessRec& a) {
        const Function& F = prog->functions[(size_t)a.fn];
        return a.pc >= 0 && a.pc < (int)F.code.size() ? (int)F.code[(size_t)a.pc].line : 0;
    };
    for (size_t g = 0; g < prog->globals.size(); ++g) {
        const bool shared_memory = prog->globals[g].scope == VarScope::SharedMemory;
        RaceFinding best;
        int best_rank = -1;  // two writers beat a writer and a reader
        for (size_t ia = 0; ia < threads.size() && best_rank < 2; ++ia) {
            const Thread& A = threads[ia];
            for (const AccessRec& ra : A.accesses) {
                if (ra.g != (int)g || best_rank == 2) continue;
                for (size_t ib = ia + 1; ib < threads.size() && best_rank < 2; ++ib) {
                    const Thread& B = threads[ib];
                    if (!shared_memory && A.proc != B.proc) continue;  // each process has its own globals
                    for (const AccessRec& rb : B.accesses) {
                        if (rb.g != (int)g || !(ra.store || rb.store) || (ra.locks & rb.locks) != 0) continue;
                        if (before(ra, A.id, rb) || before(rb, B.id, ra)) continue;  // ordered by start()/join()
                        const int rank = ra.store && rb.store ? 2 : 1;
                        if (rank <= best_rank) continue;
                        best_rank = rank;
                        best.var = (int)g;
                        best.name = prog->globals[g].name;
                        best.thread_a = A.id;
                        best.thread_b = B.id;
                        best.store_a = ra.store;
                        best.store_b = rb.store;
                        best.line_a = line_of(ra);
                        best.line_b = line_of(rb);
                        best.pc_a = trace_pc(ra.fn, ra.pc);
                        best.pc_b = trace_pc(rb.fn, rb.pc);
                    }
                }
            }
        }
        if (best_rank > 0) res.races.push_back(best);
    }
}

std::string race_text(const SimResult& s, const RaceFinding& f) {
    auto who = [&](int t) { return t >= 0 && t < (int)s.threads.size() ? s.threads[(size_t)t].name : std::string("a thread"); };
    auto at = [](int line) { return line > 0 ? " at line " + std::to_string(line) : std::string(); };
    return f.name + ": " + (f.store_a ? "written" : "read") + " by " + who(f.thread_a) + at(f.line_a) + " and " +
           (f.store_b ? "written" : "read") + " by " + who(f.thread_b) + at(f.line_b) + ", with no lock in common";
}

}  // namespace gil::sim
