// trace.cpp — trace recording and its Chrome Trace (Perfetto) export.
#include "engine/trace.h"

#include <algorithm>
#include <cstdio>

#include "engine/json.h"

namespace gil {

const char* state_name(ThreadState s) {
    switch (s) {
    case ThreadState::NotStarted: return "not-started";
    case ThreadState::Running: return "running";
    case ThreadState::WaitGil: return "wait-gil";
    case ThreadState::WaitCore: return "wait-core";
    case ThreadState::Io: return "io";
    case ThreadState::CCode: return "c-code";
    case ThreadState::WaitLock: return "wait-lock";
    case ThreadState::Done: return "done";
    default: return "?";
    }
}

const char* state_label(ThreadState s) {
    switch (s) {
    case ThreadState::NotStarted: return "Not started";
    case ThreadState::Running: return "Running bytecode";
    case ThreadState::WaitGil: return "Waiting for the GIL";
    case ThreadState::WaitCore: return "Waiting for a CPU core";
    case ThreadState::Io: return "Blocked in I/O (GIL released)";
    case ThreadState::CCode: return "In C code (GIL released)";
    case ThreadState::WaitLock: return "Waiting for a lock, a queue or a thread (join)";
    case ThreadState::Done: return "Done";
    default: return "?";
    }
}

const char* event_name(EventKind k) {
    switch (k) {
    case EventKind::GilTake: return "gil-take";
    case EventKind::DropRequest: return "drop-request";
    case EventKind::ForcedSwitch: return "forced-switch";
    case EventKind::LostUpdate: return "lost-update";
    case EventKind::Deadlock: return "deadlock";
    case EventKind::LockHandoff: return "lock-handoff";
    case EventKind::WaitFor: return "wait-for";
    case EventKind::ProcessStart: return "process-start";
    case EventKind::Note: return "note";
    default: return "?";
    }
}

int Trace::add_lane(std::string name, int process) {
    Lane l;
    l.name = std::move(name);
    l.process = process;
    l.intervals.push_back({0, 0, ThreadState::NotStarted});
    lanes.push_back(std::move(l));
    ++intervals_total;
    ++stored_intervals;
    return (int)lanes.size() - 1;
}

void Trace::set_state(int lane, int64_t t, ThreadState s, uint32_t info) {
    Lane& l = lanes[(size_t)lane];
    auto& iv = l.intervals;
    if (iv.back().state == s && iv.back().info == info) return;
    ++intervals_total;
    // Drop the finest detail first: an interval shorter than min_duration is folded into
    // the one before it. min_duration is 0 until the cap is first reached.
    if (iv.back().t0 == t || (min_duration > 0 && t - iv.back().t0 < min_duration && iv.size() >= 2)) {
        iv.pop_back();
        --stored_intervals;
        if (iv.empty()) {
            iv.push_back({t, info, s});
            ++stored_intervals;
            return;
        }
        if (iv.back().state == s && iv.back().info == info) return;
    }
    iv.push_back({t, info, s});
    if (++stored_intervals > max_intervals) coarsen();
}

void Trace::coarsen() {
    // Doubles min_duration until at most 3/4 of the cap is used. Each pass keeps every
    // lane tiling [0, end): removing an interval extends its predecessor.
    if (min_duration == 0) min_duration = std::max<int64_t>(1, end_hint() / (int64_t)(max_intervals + 1));
    while (stored_intervals > max_intervals * 3 / 4) {
        min_duration *= 2;
        stored_intervals = 0;
        for (auto& l : lanes) {
            std::vector<Interval> out;
            out.reserve(l.intervals.size());
            for (size_t k = 0; k < l.intervals.size(); ++k) {
                const Interval& cur = l.intervals[k];
                int64_t t1 = k + 1 < l.intervals.size() ? l.intervals[k + 1].t0 : INT64_MAX;
                bool short_one = t1 - cur.t0 < min_duration && !out.empty();
                if (short_one) continue;  // the previous kept interval now extends over it
                if (!out.empty() && out.back().state == cur.state && out.back().info == cur.info) continue;
                out.push_back(cur);
            }
            dropped_intervals += l.intervals.size() - out.size();
            l.intervals = std::move(out);
            stored_intervals += l.intervals.size();
        }
    }
}

int64_t Trace::end_hint() const {
    int64_t e = 1;
    for (const auto& l : lanes) e = std::max(e, l.intervals.back().t0);
    return e;
}

void Trace::event(int64_t t, EventKind k, int lane, int64_t a, int64_t b) {
    if (events.size() >= max_events) {
        ++dropped_events;
        return;
    }
    events.push_back({t, k, lane, a, b});
}

void Trace::finish(int64_t t_end) {
    end = t_end;
    for (auto& l : lanes) l.end = std::max(t_end, l.intervals.back().t0);
    std::stable_sort(events.begin(), events.end(),
                     [](const TraceEvent& x, const TraceEvent& y) { return x.t < y.t; });
}

size_t Trace::interval_count() const { return stored_intervals; }

std::vector<std::vector<int64_t>> Trace::state_totals() const {
    std::vector<std::vector<int64_t>> out(lanes.size(), std::vector<int64_t>((size_t)ThreadState::Count, 0));
    for (size_t i = 0; i < lanes.size(); ++i) {
        const Lane& l = lanes[i];
        for (size_t k = 0; k < l.intervals.size(); ++k) {
            int64_t t1 = k + 1 < l.intervals.size() ? l.intervals[k + 1].t0 : l.end;
            out[i][(size_t)l.intervals[k].state] += t1 - l.intervals[k].t0;
        }
    }
    return out;
}

std::string chrome_trace_json(const Trace& t, const std::string& title, const PcLookup& lookup) {
    // Timestamps are in microseconds (floating point allowed by the format).
    JsonWriter w;
    w.begin_object();
    w.key("displayTimeUnit").value("ns");
    w.key("otherData").begin_object().key("title").value(title).end_object();
    w.key("traceEvents").begin_array();
    int64_t flow_id = 0;
    auto us = [](int64_t ns) { return (double)ns / 1000.0; };
    for (size_t p = 0; p < std::max<size_t>(1, t.process_names.size()); ++p) {
        w.begin_object().key("ph").value("M").key("name").value("process_name").key("pid").value((int64_t)p + 1);
        w.key("args").begin_object().key("name").value(p < t.process_names.size() ? t.process_names[p] : "process");
        w.end_object().end_object();
    }
    for (size_t i = 0; i < t.lanes.size(); ++i) {
        const Lane& l = t.lanes[i];
        int64_t pid = l.process + 1, tid = (int64_t)i + 1;
        w.begin_object().key("ph").value("M").key("name").value("thread_name").key("pid").value(pid).key("tid").value(tid);
        w.key("args").begin_object().key("name").value(l.name).end_object().end_object();
        for (size_t k = 0; k < l.intervals.size(); ++k) {
            const Interval& iv = l.intervals[k];
            int64_t t1 = k + 1 < l.intervals.size() ? l.intervals[k + 1].t0 : l.end;
            if (t1 <= iv.t0 || iv.state == ThreadState::NotStarted || iv.state == ThreadState::Done) continue;
            w.begin_object().key("ph").value("X").key("name").value(state_label(iv.state));
            w.key("cat").value(state_name(iv.state));
            w.key("pid").value(pid).key("tid").value(tid).key("ts").value(us(iv.t0)).key("dur").value(us(t1 - iv.t0));
            w.key("args").begin_object().key("info").value((int64_t)iv.info);
            PcInfo pi;
            if (lookup && lookup(iv.info, pi)) {
                if (pi.line > 0) w.key("line").value((int64_t)pi.line);
                w.key("code").value(pi.code).key("instruction").value(pi.instruction);
            }
            w.end_object();
            w.end_object();
        }
    }
    // Counter tracks: runnable threads (running or waiting for the GIL or a core) per process,
    // from every lane's state changes, and the GIL holder (its tid) at each take.
    {
        std::vector<std::pair<int64_t, std::pair<int, int>>> d;  // (t, (process, +1/-1))
        auto runnable = [](ThreadState s) { return s == ThreadState::Running || s == ThreadState::WaitGil || s == ThreadState::WaitCore; };
        for (const Lane& l : t.lanes)
            for (size_t k = 0; k < l.intervals.size(); ++k) {
                const bool was = k > 0 && runnable(l.intervals[k - 1].state), is = runnable(l.intervals[k].state);
                if (was != is) d.push_back({l.intervals[k].t0, {l.process, is ? 1 : -1}});
                if (k + 1 == l.intervals.size() && is) d.push_back({l.end, {l.process, -1}});
            }
        std::stable_sort(d.begin(), d.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        std::vector<int64_t> n(std::max<size_t>(1, t.process_names.size()) + 64, 0);
        for (size_t i = 0; i < d.size(); ++i) {
            const int p = std::clamp(d[i].second.first, 0, (int)n.size() - 1);
            n[(size_t)p] += d[i].second.second;
            if (i + 1 < d.size() && d[i + 1].first == d[i].first && d[i + 1].second.first == d[i].second.first) continue;
            w.begin_object().key("ph").value("C").key("name").value("runnable threads").key("pid").value((int64_t)p + 1);
            w.key("ts").value(us(d[i].first)).key("args").begin_object().key("threads").value(n[(size_t)p]).end_object().end_object();
        }
    }
    for (const auto& e : t.events) {
        if (e.lane < 0 || (size_t)e.lane >= t.lanes.size()) continue;
        if (e.kind == EventKind::GilTake) {
            w.begin_object().key("ph").value("C").key("name").value("GIL holder (tid)").key("pid").value((int64_t)t.lanes[(size_t)e.lane].process + 1);
            w.key("ts").value(us(e.t)).key("args").begin_object().key("tid").value((int64_t)e.lane + 1).end_object().end_object();
        }
        int64_t pid = t.lanes[(size_t)e.lane].process + 1, tid = e.lane + 1;
        w.begin_object().key("ph").value("i").key("s").value("t").key("name").value(event_name(e.kind));
        w.key("pid").value(pid).key("tid").value(tid).key("ts").value(us(e.t));
        w.key("args").begin_object().key("a").value(e.a).key("b").value(e.b).end_object();
        w.end_object();
        // A flow arrow from the previous holder of the GIL (a), or the releaser of a lock (b), to the taker.
        const int64_t from = e.kind == EventKind::GilTake ? e.a : e.kind == EventKind::LockHandoff ? e.b : -1;
        if (from >= 0 && (size_t)from < t.lanes.size()) {
            const char* what = e.kind == EventKind::GilTake ? "GIL hand-off" : "lock hand-off";
            const char* cat = e.kind == EventKind::GilTake ? "gil" : "lock";
            int64_t id = ++flow_id;
            int64_t ppid = t.lanes[(size_t)from].process + 1;
            w.begin_object().key("ph").value("s").key("id").value(id).key("name").value(what)
                .key("cat").value(cat).key("pid").value(ppid).key("tid").value(from + 1).key("ts").value(us(e.t)).end_object();
            w.begin_object().key("ph").value("f").key("bp").value("e").key("id").value(id).key("name").value(what)
                .key("cat").value(cat).key("pid").value(pid).key("tid").value(tid).key("ts").value(us(e.t)).end_object();
        }
    }
    w.end_array();
    w.end_object();
    return w.take();
}

}  // namespace gil
