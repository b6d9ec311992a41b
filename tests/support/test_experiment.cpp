// test_experiment.cpp — a test-only experiment. It exists to prove the promise of the
// layout: adding an experiment is one file with its record plus one registration line (here
// the add_experiment() call below; built-in ones use a line in src/engine/experiments/list.h).
// Nothing else names it, yet it appears in `list`, runs in the unit, UI and soak tests, and
// the UI draws its chart from the record's declarations. Linked into every test binary.
#include <cmath>

#include "engine/experiment.h"
#include "engine/experiments/common.h"

namespace {

using namespace gil;

// Sums the first n squares in a loop and reports the partial sums as a series.
void run(const ExperimentSpec&, const ParamSet& p, uint64_t, RunControl& ctl, RunResult& r) {
    const int64_t n = p.get_int("points");
    Series s;
    s.key = "partial_sums";
    s.label = "Sum of the first i squares";
    s.x_label = "i";
    s.y_label = "sum";
    double sum = 0;
    for (int64_t i = 1; i <= n && !ctl.cancelled(); ++i) {
        sum += (double)(i * i);
        s.x.push_back((double)i);
        s.y.push_back(sum);
        ctl.progress((double)i / (double)n);
    }
    r.metrics.set("sum", sum, "", "Sum of squares");
    r.metrics.set("closed_form", (double)n * (n + 1) * (2 * n + 1) / 6.0, "", "n(n+1)(2n+1)/6");
    r.series.push_back(s);
    r.cancelled = ctl.cancelled();
}

ExperimentSpec make() {
    ExperimentSpec e;
    e.id = "test.squares";
    e.title = "Test-only: a sum of squares";
    e.topic = Topic::Parallel;
    e.engine = Engine::Real;
    e.gil = GilModel::Never;
    e.summary = "Test-only experiment: proves one file and one line add an experiment";
    e.explain = "Sums the first n squares and plots the partial sums.";
    e.python = "print(sum(i * i for i in range(1, N + 1)))\n";
    e.predict = {"What is the sum of the first 10 squares?", "sum", "", 1, 0};
    e.params = {ex::int_p("points", "Points", 1, 10000, 10, "", "How many squares to add.")};
    e.small = {{"points", "10"}};
    ChartDecl bars;
    bars.items = {{"sum", "loop"}, {"closed_form", "closed form"}};
    e.view.charts = {bars, ex::lines({{"partial_sums", ""}}, false, true)};
    e.view.no_timeline = "No timeline: it only adds numbers.";
    e.run = run;
    return e;
}

const bool registered = add_experiment(make);

}  // namespace

// Referenced by the tests so the linker keeps this file (and its registration).
bool gillab_test_experiment_registered() { return registered; }
