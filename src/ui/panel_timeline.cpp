// panel_timeline.cpp — the timeline of the last run up to the playback cursor, and what other panels ask of it.
#include <algorithm>

#include "ui/panels.h"

namespace gil::ui {

void TimelinePanel::sync() {
    LabState& m = *lab;
    if (m.index != shown_index_) {
        shown_index_ = m.index;
        view.set_index(shown_index_);
    }
    // Tooltips name the instruction a thread ran: from the program of the run shown (its pcs
    // point into it), else of the current parameters.
    auto prog = m.result && m.result->program ? m.result->program : m.program();
    if (prog != shown_program_) {
        shown_program_ = prog;
        view.describe_info = [prog](uint32_t info) -> std::string {
            const DisLine* d = prog ? prog->at(info) : nullptr;
            if (!d) return "";
            return prog->code_at(info)->name + ": " + d->opname + " " + d->arg;
        };
    }
    if (m.asks.zoom) {
        view.zoom_to(m.asks.zoom_t0, m.asks.zoom_t1);
        m.asks.zoom = false;
    }
    if (m.asks.reveal_cursor) {
        m.asks.reveal_cursor = false;
        if (m.cursor > (double)view.view_end() || m.cursor < (double)view.view_begin()) {
            int64_t span = view.view_end() - view.view_begin();
            view.zoom_to((int64_t)m.cursor - span / 2, (int64_t)m.cursor + span / 2);
        }
    }
}

void TimelinePanel::draw(ImVec2 size, bool narrow) {
    sync();
    view.label_width = narrow ? 110.0f : 150.0f;
    // Without a trace: why. A record that never records one says so; a run that ended without
    // one (an error, a cancel) is not "to be run".
    const LabState& m = *lab;
    if (!m.spec->view.no_timeline.empty()) view.empty_text = m.spec->view.no_timeline;
    else if (m.running()) view.empty_text = "The timeline appears when the run is over.";
    else if (m.result_current()) view.empty_text = m.result->error.empty() ? "This run recorded no timeline."
                                                                           : "The run failed: no timeline (see the message above).";
    else view.empty_text = "Run the experiment to see its timeline here.";
    view.draw(size, (int64_t)lab->cursor, gpu, palette(lab->dark));
    if (int c = view.clicked_lost_update(); c >= 0) lab->asks.lost_update = c;
    if (int64_t t = view.clicked_time(); t >= 0) {
        lab->playing = false;
        lab->cursor = (double)t;
    }
    lab->timeline_tooltip = view.last_tooltip();
}

}  // namespace gil::ui
