// fuzz_params.cpp — libFuzzer target for the one parameter parser (CLI --set, URL query,
// JS API): ParamSet::set_assignment on every experiment, parse_query, url_decode, the
// packed program of a link (codepack.h): unpacking any text, packing round-trips; and the
// profile file of `gillab run --profile` (sim::parse_profile_text): a profile it accepts
// writes back as text that reads back as the same profile.
// Invariants: no crash or sanitizer report; an accepted value is within its range and
// round-trips through format(); a rejection is one non-empty sentence naming the key.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "engine/experiment.h"
#include "engine/sim/profile.h"
#include "ui/codepack.h"
#include "ui/query.h"

using namespace gil;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    const auto& table = experiments();
    const ExperimentSpec& e = table[data[0] % table.size()];
    std::string text((const char*)data + 1, size - 1);
    ParamSet ps = ParamSet::defaults(e.params);
    size_t start = 0;
    while (start <= text.size()) {
        size_t nl = text.find('\n', start);
        std::string line = text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
        std::string err = ps.set_assignment(line);
        if (err.empty()) {
            size_t eq = line.find('=');
            int i = ps.index_of(line.substr(0, eq));
            if (i < 0) std::abort();
            const ParamSpec& s = e.params[(size_t)i];
            double v = ps.values[(size_t)i];
            if (!(v >= s.min && v <= s.max)) std::abort();  // accepted => in range
            ParamSet again = ps;
            if (!again.set(s.key, ps.format(i)).empty() || again.values[(size_t)i] != v) std::abort();  // round trip
        } else if (err.size() < 10) {
            std::abort();  // a rejection is a sentence
        }
        if (nl == std::string::npos) break;
        start = nl + 1;
    }
    ui::ParsedQuery q = ui::parse_query(text);
    for (const auto& msg : q.errors)
        if (msg.empty()) std::abort();
    if (q.experiment)
        for (size_t i = 0; i < q.params.values.size(); ++i) {
            const ParamSpec& s = q.experiment->params[i];
            if (!(q.params.values[i] >= s.min && q.params.values[i] <= s.max)) std::abort();
        }
    (void)ui::url_decode(text);
    // A link's code=: any text unpacks or is refused with a sentence; a program round-trips.
    std::string code, why;
    if (ui::unpack_code(text, code, why)) {
        if (code.size() > ui::kMaxCode) std::abort();
    } else if (why.size() < 10) {
        std::abort();
    }
    if (text.size() <= ui::kMaxCode) {
        std::string back, why2;
        const bool has_nul = text.find('\0') != std::string::npos;
        if (ui::unpack_code(ui::pack_code(text), back, why2) == has_nul) std::abort();
        if (!has_nul && back != text) std::abort();
    }
    sim::InterpreterProfile prof;
    std::string perr = sim::parse_profile_text(text, "fuzz", prof);
    if (perr.empty()) {
        const std::string once = sim::profile_to_text(prof);
        sim::InterpreterProfile again;
        if (!sim::parse_profile_text(once, "fuzz", again).empty()) std::abort();  // what it writes, it reads
        if (sim::profile_to_text(again) != once) std::abort();
    } else if (perr.size() < 10) {
        std::abort();
    }
    return 0;
}
