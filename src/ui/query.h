// query.h — the lab's state as a URL query string, and back.
//
//   ?exp=ID&threads=4&seed=7&autorun=1&embed=1&theme=light&predict=1   (ID: a record's id)
//   ?code=1...&version=3.9&embed=1   (a program, packed by codepack.h: the record that takes code)
//   ?puzzle=counter-3.9               (a "be the scheduler" puzzle: its record, parameters and goal)
//
// Parameters use the experiment table's keys and the one parameter parser, so the page's
// URL, the CLI and the JS API accept and reject exactly the same values. A bad value
// never stops the lab: it keeps the default and the reason is reported.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/experiment.h"

namespace gil::ui {

struct QueryState {
    std::string experiment;
    const ParamSet* params = nullptr;
    uint64_t seed = 1;
    bool dark = true, embed = false, predict = false;
    const std::string* code = nullptr;  // the program of a record that takes code ("" = its own)
    std::string puzzle;                 // the "be the scheduler" puzzle on screen ("" = none)
};
// A link carries a program up to this many packed characters (servers and course sites cut
// longer addresses); a longer one is left out of the link, and the lab says so.
constexpr size_t kMaxLinkCode = 8000;
// Only non-default parameters are written, so links stay short.
std::string make_query(const QueryState& q);

struct ParsedQuery {
    const ExperimentSpec* experiment = nullptr;  // null: keep the current one
    ParamSet params;
    std::optional<uint64_t> seed;
    std::optional<bool> dark;
    bool embed = false, predict = false, autorun = false;
    bool has_code = false;  // code= was given and unpacked (experiment is then a record that takes code)
    std::string code;
    std::string puzzle;  // puzzle=: its id (experiment is its record; its parameters apply on top)
    std::vector<std::string> errors;  // one sentence per rejected parameter
};
ParsedQuery parse_query(const std::string& query);

std::string url_decode(const std::string& s);
std::string url_encode(const std::string& s);

}  // namespace gil::ui
