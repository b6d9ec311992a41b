// panels.h — the lab's panels. Each holds a pointer to the one LabState (lab.h) and draws
// it in the current ImGui window; each lives in its own panel_<name>.cpp. The layout
// (app.cpp) places them: the wide and the narrow layout call the same draw() bodies.
//
// Adding a panel: a struct here with `LabState* lab` and draw(), its panel_<name>.cpp, and
// one place in App::frame's layout. A panel asks another for something through
// LabState::asks, never by reaching into it.
#pragma once
#include <memory>
#include <string>

#include "imgui.h"
#include "ui/lab.h"
#include "ui/gui.h"
#include "ui/timeline.h"

namespace gil::ui {

// "1,234,567", "12.3 ms" (unit "ns"), "0.25 x": values as the counters and answers show them.
std::string fmt_num(double v, const std::string& unit);

// Experiment picker, run controls, playback, exports, link, theme, help.
struct ToolbarPanel {
    LabState* lab;
    void draw(float width);
};

// The experiments by topic: a sidebar (wide) or a menu opened from the toolbar (narrow).
struct BrowserPanel {
    LabState* lab;
    void draw(float width, float height);
};

// The experiment's title, engine and "What this shows".
struct HeaderPanel {
    LabState* lab;
    void draw();
};

// The thread states and marks the record declares it can show (ViewDecl).
struct LegendPanel {
    LabState* lab;
    void draw();
};

// The timeline of the last run, up to the playback cursor.
struct TimelinePanel {
    explicit TimelinePanel(LabState* l) : lab(l) {}
    LabState* lab;
    TimelineGpu* gpu = nullptr;
    TimelineView view;
    void draw(ImVec2 size, bool narrow);

private:
    // What the view was last given, so a new run or program is picked up once.
    std::shared_ptr<const TraceIndex> shown_index_;
    std::shared_ptr<const ProgramView> shown_program_;
    void sync();
};

// The record's parameters as sliders, choices and checkboxes.
struct ParamsPanel {
    LabState* lab;
    void draw();
};

// "Predict, then run": the record's question, the answer locked in, then the verdict.
struct PredictPanel {
    LabState* lab;
    void draw();
    // The modal Run opens while the question is open: answer (then run) or skip (and run).
    void prompt();
};

// Live gauges while running, the record's counters at the cursor, then notes and metrics.
struct CountersPanel {
    LabState* lab;
    PredictPanel* predict;  // asked again once the run's answer is known
    void draw();
};

// Results = the prediction before a run, then the counters: one body for both layouts.
struct ResultsPanel {
    PredictPanel predict;
    CountersPanel counters;
    void draw();
};

// The charts the record declares (ViewDecl::charts), fed by the result's metrics and series.
struct ChartsPanel {
    LabState* lab;
    void draw();
};

// The program as an editor (simulated experiments and "Your program") and its bytecode with
// the check points and each thread's current instruction marked.
struct CodePanel {
    explicit CodePanel(LabState* l) : lab(l) {}
    LabState* lab;
    // The program (an editor where it can be edited), and under it its bytecode when
    // with_bytecode (the narrow layout has no room for a tab of its own).
    void draw(bool with_bytecode = false);
    void draw_bytecode();   // its bytecode on the chosen version
    std::string buf;        // the editor's text (ImGui writes into it)
    int cursor_byte = 0;    // the text cursor, from the input's callback

private:
    std::string shown_;     // the program the buffer was last filled from
    int generation_ = 0;    // bumped by an outside change: the input is then a fresh widget
    int last_cursor_ = -1;
    double last_playback_ = -1, last_dis_playback_ = -1;
    std::string last_error_key_;
};

// Every schedule the version allows (the explorer): outcomes as bars, each with how many
// schedules reach it and a witness, the turns of the threads that lead there.
struct ExplorePanel {
    LabState* lab;
    void draw();
};

// Every schedule: the last exploration's outcomes, drawn in place of the timeline.
struct OutcomesPanel {
    LabState* lab;
    void draw(ImVec2 size);
    static void draw_body(LabState& m);
};

// Be the scheduler: drawn in place of the timeline while the Explore tab's scheduler is on.
struct SchedulerPanel {
    LabState* lab;
    void draw(ImVec2 size, bool narrow);
};

// Modal popups: how a lost update happened, and the help.
struct PopupsPanel {
    LabState* lab;
    void draw();
};

}  // namespace gil::ui
