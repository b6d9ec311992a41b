// params.h — experiment parameters: their specs (ranges, defaults) and one parser.
//
// The same parser serves the CLI (--set key=value), the page's URL (?threads=4) and the
// JavaScript API (lab.set("threads", 4)). Every rejection names the parameter, the value
// and the allowed range, so the three front ends can show the same sentence.
#pragma once
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gil {

enum class ParamKind : uint8_t { Int, Real, Choice, Flag };

struct ParamSpec {
    std::string key;      // stable, lower_snake: part of the CLI/URL contract
    std::string label;    // short UI label
    ParamKind kind = ParamKind::Int;
    double min = 0, max = 1, def = 0;  // Choice: index into choices; Flag: 0/1
    std::vector<std::string> choices;  // Choice only
    std::string unit;     // "ns", "us", "ms", "" ...
    std::string help;     // one sentence
    bool log_scale = false;  // UI hint for sliders over decades
    // The range random tests (the soak) draw from, when it must be narrower than the
    // parameter's own so thousands of runs fit in minutes. NAN = the parameter's range.
    double test_min = NAN, test_max = NAN;
    // The run's work grows in proportion to this value: the simulator's estimate before a
    // run (refuse_before_run, experiment.h) scales it down for its pilot runs.
    bool work = false;
    // Real-thread experiments: the run starts this many threads at once (the worker pool
    // of this build caps it; see param_max).
    bool real_threads = false;
};

// Values of one experiment's parameters, in the order of its specs. Stored as double:
// every integer parameter is bounded far below 2^53, so they round-trip exactly.
struct ParamSet {
    const std::vector<ParamSpec>* specs = nullptr;
    std::vector<double> values;
    // Records that take code (ExperimentSpec::takes_code, "Your program"): the Python program
    // to run, "" = the record's own template. The URL carries it packed (code=...).
    std::string code;

    static ParamSet defaults(const std::vector<ParamSpec>& specs);
    int index_of(std::string_view key) const;
    double get(std::string_view key) const;         // throws std::logic_error on an undeclared key
    int64_t get_int(std::string_view key) const { return (int64_t)get(key); }
    int choice(std::string_view key) const { return (int)get(key); }
    const std::string& choice_name(std::string_view key) const;
    bool flag(std::string_view key) const { return get(key) != 0; }

    // Parses `text` for parameter `key` and stores it. Returns "" on success, or one
    // sentence naming the parameter, the value and the allowed range.
    std::string set(std::string_view key, std::string_view text);
    // Parses "key=value".
    std::string set_assignment(std::string_view assignment);
    // Text form of one value ("4", "0.5", "inplace", "true"): what set() accepts back.
    std::string format(int index) const;
};

// Splits "key=value" at the first '='. False (and nothing set) when there is no '=' or no
// key. set_assignment(), the URL query and the JS API's run words all split with this.
bool split_assignment(std::string_view assignment, std::string_view& key, std::string_view& value);

// Each key once: the URL, the CLI and the JS API's run words report a key given again like
// any other rejected value (the first value stays). once() is "" the first time a key comes.
struct KeysSeen {
    std::vector<std::string> keys;
    std::string once(std::string_view key, std::string_view value);
};

// A run's seed as the CLI (--seed N), the URL (seed=N) and the JS API (seed N, seed=N) take
// it: a non-negative integer. Returns "" on success, or the sentence the URL and the API show.
std::string parse_seed(std::string_view text, uint64_t& out);

// "threads: 1..64, default 2" — the range as the CLI, the URL errors and help text show it.
std::string describe_range(const ParamSpec& spec);

// Strict numeric parsing shared by the params and the CLI's own options: the whole
// string must be a number (no trailing text), finite, and within int64 when integral.
bool parse_number(std::string_view text, double& out);
bool parse_int64(std::string_view text, int64_t& out);

}  // namespace gil
