// lab.h — the lab's state, one object the panels and the JS API share: the selected
// experiment and its parameters, the running job, the last result and its trace index,
// playback, "predict, then run", the URL state, and what one panel asks of another.
//
// No ImGui here, on purpose: the panels (panels.h) hold a pointer to this object and draw
// it, as floooh/chips' UI windows hold a pointer to the system they show; the scripting API
// (api.cpp) and the tests drive the same object without a frame.
#pragma once
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/experiment.h"
#include "engine/explore_job.h"
#include "engine/sim/explore.h"
#include "engine/job.h"
#include "ui/app.h"
#include "ui/trace_index.h"

namespace gil::ui {

// Seconds on a monotonic clock (playback and status messages).
double now_s();

class LabState {
public:
    // What the platform offers, set once by App::init.
    bool threads_available = true;

    // What the user chose; make_query() writes exactly these.
    const ExperimentSpec* spec = nullptr;
    ParamSet params;
    uint64_t seed = 1;
    bool dark = true, embed = false, predict_mode = false;
    bool autorun = false;                 // start the run at once (from the URL)
    std::vector<std::string> url_errors;  // what the last URL query rejected

    // The run.
    std::shared_ptr<Job> job;
    std::shared_ptr<RunResult> result;           // the last finished run
    std::shared_ptr<const TraceIndex> index;     // its trace, indexed on the job's thread
    std::string result_key;                      // params_key() of that run

    // Playback of simulator runs: the cursor walks simulated time at `speed` ns per second.
    bool playing = false;
    double cursor = 0;
    double speed = 1e8;
    double last_frame = 0;

    // Predict, then run.
    char predict_buf[32] = "";
    double predicted = NAN;
    bool predict_locked = false;
    bool predict_skipped = false;         // the student chose to run without answering
    // The experiment asks a question that is not answered (nor skipped) yet: the results stay
    // hidden and Run asks for an answer first.
    bool question_open() const;
    // The verdict can be shown: answered, and the run that answers it has played to its end.
    bool verdict_ready() const;
    struct Verdict {
        double actual = NAN;   // the run's answer in the question's unit
        bool right = false;
    };
    // Only meaningful when verdict_ready() (else actual is NAN).
    Verdict verdict() const;
    // No panel may show the result: a run goes on, a question is open, or a simulated run
    // is still playing back (the student predicts from the timeline).
    bool result_hidden() const;
    // The answer (Lock in) or the explicit skip; either starts a run that was waiting for it.
    void lock_prediction(double v);
    void skip_prediction();
    // Runs taken by poll() since start: the page's shell detects "a run finished" with it.
    int runs_finished = 0;
    // Why Run cannot start here at all ("" = it can): a real-thread experiment without threads.
    std::string run_unavailable() const;

    // What one panel asks of another (a click on the timeline opens a popup, a popup zooms
    // the timeline): kept here so panels never reach into each other.
    struct Asks {
        int lost_update = -1;         // index into trace->lost_updates to explain, -1 none
        bool help = false;            // open the help popup
        bool browser_open = false;    // narrow layout: the experiment menu is shown
        bool zoom = false;            // zoom the timeline to zoom_t0..zoom_t1
        int64_t zoom_t0 = 0, zoom_t1 = 0;
        bool reveal_cursor = false;   // scroll the timeline so the cursor is in view
        bool predict = false;         // Run was pressed with the question open: ask it
        bool run_after_predict = false;  // ... and run once it is answered or skipped
        const char* tab = nullptr;    // narrow layout: show this tab ("Results", "Charts", ...)
        bool png_next_frame = false;  // save the next frame as a PNG (the menu that asked is closed by then)
    } asks;

    // One line under the toolbar (errors, saved files), shown until status_until.
    std::string status;
    double status_until = 0;
    PlatformRequests req;

    void select(const ExperimentSpec& e);   // defaults, no result
    void reset_run();                       // keeps experiment, parameters and seed
    // Starts a run of the current experiment; "" or why it cannot start.
    std::string start();
    bool running() const { return job && !job->done(); }
    int64_t end_time() const { return result && result->trace ? result->trace->end : 0; }
    // The displayed result is of the experiment, parameters and seed now set.
    bool result_current() const { return result && result_key == params_key(); }
    std::string params_key() const;
    // The same without the seed: what the explorer and the scheduler depend on.
    std::string program_key() const;

    // Once per frame: takes a finished job's result, then moves the playback cursor.
    void poll();
    void advance_playback();
    // Playback controls (toolbar, keys, API).
    void play();
    void rewind();
    // Space and the toolbar's main button: pause, resume, or (re)run (asking an open question first).
    void run_or_toggle();
    // Run as the user asks for it: an open question is asked first, then the run starts.
    void request_run();
    // The outcome of a copy the platform carried out ("copied 1" / "copied 0 REASON").
    void copied(bool ok, const std::string& reason);
    // Step: to the next event on any lane, or by one switch interval.
    void step(bool interval);
    void new_seed();
    // Parameters changed by hand: a locked prediction no longer answers them.
    void params_changed();

    // The program of a simulated experiment as shown for the current parameters (cached).
    std::shared_ptr<const ProgramView> program();

    // Your own code. The program on screen: a record that takes code shows params.code (or its
    // template); a simulated experiment its own Python with the parameters bound; "" otherwise.
    std::string code_text();
    bool code_editable() const;  // a simulated experiment with a program, or a record that takes code
    // The editor changed the program. An experiment's own becomes "Your program" (the record
    // that takes code), keeping the version, cores and switch interval, so that what runs, the
    // link and the texts all agree; code_origin remembers where it came from.
    void edit_code(const std::string& text);
    // Reset code: back to the experiment the edit started from, with its parameters, or (with
    // none) the record's own template.
    void reset_code();
    std::string code_origin;        // the experiment an edit started from ("" = none)
    ParamSet origin_params;
    // The program's compile error on the chosen version, checked once typing pauses (debounced).
    struct CodeCheck {
        std::string error;          // "" = it compiles
        int line = 0, col = 0;      // of the error (1-based)
        std::string key;            // what was checked (version + text)
        double due = 0;             // check at this time (0 = now, when the key changed)
    } code_check;
    void check_code(bool now = false);
    // Every schedule of the program (explore_job.h): started by the Explore tab or the API,
    // taken by poll() like a run.
    std::shared_ptr<ExploreJob> explore_job;
    std::shared_ptr<const ExploreReport> explored;  // the last finished exploration
    std::string explored_key;                       // program_key() it was for
    std::string start_explore();                    // "" or why it cannot start
    bool exploring() const { return explore_job && !explore_job->done(); }
    // Be the scheduler (sim::Stepper): the student picks which thread runs next at each point
    // where the version can switch, on the program on screen, with a puzzle's goal or none.
    struct Scheduler {
        std::shared_ptr<sim::Stepper> stepper;
        std::shared_ptr<const ProgramView> view;  // what the threads' pcs point at
        const PuzzleDecl* puzzle = nullptr;       // its goal; nullptr = free play
        std::string key;                          // program_key() it was made for
        std::string final_var;                    // the program's shared int (goals' `final`)
        std::vector<std::string> shared;          // the ints its threads write (what the board shows)
        std::string said;                         // why a step was refused, what Show me found
        std::vector<sim::ScheduleStep> show_me;   // the explorer's witness, being replayed
        size_t show_me_at = 0;
        double show_me_next = 0;
        bool show_me_pending = false;             // waiting for the explorer
        struct Button {                           // where the panel drew each thread's Run and Line buttons
            int thread;
            float rect[4];
            bool line;                            // the Line button (else Run)
        };
        std::vector<Button> buttons;
    } sched;
    bool explore_scheduler = false;               // the Explore tab shows the scheduler (else every schedule)
    bool explore_outcomes = false;                // every schedule's outcomes are drawn in place of the timeline
    bool scheduler_on() const { return sched.stepper && sched.key == program_key(); }
    // On the program on screen (a puzzle's goal, or free play): "" or why it cannot.
    std::string start_scheduler(const PuzzleDecl* puzzle = nullptr);
    // Selects the puzzle's record with its parameters and starts the scheduler on it.
    std::string open_puzzle(const std::string& id);
    // Runs thread t to its next switch point (or, `whole_line`, on until it reaches another line).
    std::string scheduler_step(int t, bool whole_line);
    void scheduler_undo();
    void scheduler_restart();
    // Replays the explorer's witness for the puzzle's goal (exploring first when needed).
    std::string scheduler_show_me();
    // Opens outcome i of the last exploration in the scheduler: its witness, a turn at a time.
    std::string open_witness(size_t i);
    std::string explore_group;                    // the Explore tab's bars: by this int ("" = each outcome)
    std::string explore_query;                    // its question: "final<4" (can it? always?)
    enum class Goal { Playing, Reached, Missed, Finished };  // Finished: free play at its end
    Goal goal_state() const;
    // Where the editor was drawn in the last frame (x, y, w, h in the window's units; w = 0: not
    // drawn), for tests that type into it as a user would.
    float editor_rect[4] = {0, 0, 0, 0};
    float display[2] = {0, 0};
    std::string timeline_tooltip;
    uint64_t frames_drawn = 0;     // App::frame calls so far (tests wait for the lab's own frames)  // what the timeline's tooltip said last frame ("" = none)
    // Where each thread of the shown simulated run is at the playback cursor: "2 Thread-1" (its
    // lane number and name), the instruction (trace pc), its source line and state.
    struct ThreadAt {
        std::string thread;
        uint32_t pc = 0;
        int line = 0;
        ThreadState state = ThreadState::Running;
        std::string instruction;  // "LOAD_GLOBAL counter"
    };
    // (While the scheduler is on: where each of its threads resumes.)
    std::vector<ThreadAt> threads_at() const;
    // Why the link leaves the program out ("" = it carries it): too long for a link.
    std::string link_problem() const;

    std::string query() const;
    void apply_query(const std::string& query);
    void flash(const std::string& s, double secs = 6);

private:
    std::shared_ptr<TraceIndex> job_index_;  // what the running job's thread indexes into
    std::shared_ptr<const ProgramView> program_;
    std::string program_key_;
    std::string explore_for_;  // program_key() of the exploration running
    void advance_show_me();
};

// The scripting API (the page's window.gillab, the tests): one request, one JSON reply.
// See api.cpp for the requests.
std::string lab_api(LabState& lab, const std::string& request);

}  // namespace gil::ui
