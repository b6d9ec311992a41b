// query.cpp — the lab's state as a URL query and back (see query.h); values through the engine's parser.
#include "ui/query.h"

#include <cstdio>

#include "ui/codepack.h"

namespace gil::ui {

std::string url_decode(const std::string& s) {
    std::string o;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '+') {
            o += ' ';
        } else if (s[i] == '%' && i + 2 < s.size() && isxdigit((unsigned char)s[i + 1]) && isxdigit((unsigned char)s[i + 2])) {
            o += (char)std::stoi(s.substr(i + 1, 2), nullptr, 16);
            i += 2;
        } else {
            o += s[i];
        }
    }
    return o;
}

std::string url_encode(const std::string& s) {
    std::string o;
    for (unsigned char c : s) {
        if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            o += (char)c;
        } else {
            char b[4];
            std::snprintf(b, sizeof b, "%%%02X", c);
            o += b;
        }
    }
    return o;
}

std::string make_query(const QueryState& q) {
    std::string o = "exp=" + url_encode(q.experiment);
    if (q.params && q.params->specs) {
        for (size_t i = 0; i < q.params->specs->size(); ++i) {
            const ParamSpec& s = (*q.params->specs)[i];
            if (q.params->values[i] == s.def) continue;
            o += "&" + s.key + "=" + url_encode(q.params->format((int)i));
        }
    }
    if (q.code && !q.code->empty()) {
        const std::string packed = pack_code(*q.code);
        if (packed.size() <= kMaxLinkCode) o += "&code=" + packed;
    }
    if (!q.puzzle.empty()) o += "&puzzle=" + url_encode(q.puzzle);
    if (q.seed != 1) o += "&seed=" + std::to_string(q.seed);
    if (!q.dark) o += "&theme=light";
    if (q.embed) o += "&embed=1";
    if (q.predict) o += "&predict=1";
    return o;
}

ParsedQuery parse_query(const std::string& query) {
    ParsedQuery out;
    std::vector<std::pair<std::string, std::string>> kv;
    KeysSeen seen;
    size_t i = 0;
    std::string q = query;
    if (!q.empty() && q[0] == '?') q = q.substr(1);
    while (i <= q.size()) {
        size_t amp = q.find('&', i);
        std::string part = q.substr(i, amp == std::string::npos ? std::string::npos : amp - i);
        if (!part.empty()) {
            // A bare name ("embed") is a flag with an empty value.
            std::string_view k = part, v;
            split_assignment(part, k, v);
            std::string key = url_decode(std::string(k)), val = url_decode(std::string(v));
            // "exp" and "experiment" name one thing.
            if (std::string err = seen.once(key == "experiment" ? "exp" : key, key == "code" ? "..." : val.substr(0, 40)); !err.empty())
                out.errors.push_back(err);
            else kv.push_back({std::move(key), std::move(val)});
        }
        if (amp == std::string::npos) break;
        i = amp + 1;
    }
    auto flag = [&](const std::string& k, const std::string& v, bool& dst) {
        if (v == "1" || v == "true" || v.empty()) dst = true;
        else if (v == "0" || v == "false") dst = false;
        else out.errors.push_back(k + "='" + v + "' must be 1 or 0");
    };
    for (auto& [k, v] : kv)
        if (k == "exp" || k == "experiment") {
            out.experiment = find_experiment(v);
            if (!out.experiment) {
                std::string known;
                for (const auto& e : experiments()) known += (known.empty() ? "" : ", ") + e.id;
                out.errors.push_back("unknown experiment '" + v.substr(0, 40) + "' (known: " + known + ")");
            }
        }
    // puzzle= opens a "be the scheduler" puzzle: its record (exp= may name it), its parameters.
    for (auto& [k, v] : kv) {
        if (k != "puzzle") continue;
        const ExperimentSpec* owner = nullptr;
        const PuzzleDecl* pz = find_puzzle(v, &owner);
        if (!pz) {
            out.errors.push_back("unknown puzzle '" + v.substr(0, 40) + "' (known: " + puzzle_ids() + ")");
        } else if (out.experiment && out.experiment != owner) {
            out.errors.push_back("puzzle=" + pz->id + " is a puzzle of " + owner->id + ", not of exp=" + out.experiment->id);
        } else {
            out.puzzle = pz->id;
            out.experiment = owner;
        }
    }
    // code= is a program: it opens the record that takes code (exp= may name it, or nothing).
    for (auto& [k, v] : kv) {
        if (k != "code") continue;
        const ExperimentSpec* taker = code_experiment();
        std::string why;
        if (!taker) {
            out.errors.push_back("code= is not available in this build");
        } else if (out.experiment && !out.experiment->takes_code) {
            out.errors.push_back("code= is a program of its own: it cannot go with exp=" + out.experiment->id +
                                 " (the link opens " + out.experiment->id + " without it)");
        } else if (!unpack_code(v, out.code, why)) {
            out.errors.push_back(why);
            out.code.clear();
        } else {
            out.has_code = true;
            out.experiment = taker;
        }
    }
    const ExperimentSpec* e = out.experiment ? out.experiment : &default_experiment();
    out.params = ParamSet::defaults(e->params);
    out.params.code = out.code;
    for (auto& [k, v] : kv) {
        if (k == "exp" || k == "experiment" || k == "code" || k == "puzzle") continue;
        if (k == "seed") {
            uint64_t s;
            if (std::string err = parse_seed(v, s); err.empty()) out.seed = s;
            else out.errors.push_back(err);
        } else if (k == "theme") {
            if (v == "light") out.dark = false;
            else if (v == "dark") out.dark = true;
            else out.errors.push_back("theme='" + v.substr(0, 40) + "' must be light or dark");
        } else if (k == "embed") {
            flag(k, v, out.embed);
        } else if (k == "predict") {
            flag(k, v, out.predict);
        } else if (k == "autorun") {
            flag(k, v, out.autorun);
        } else if (k == "coi") {
            // handled by the page shell (service-worker helper on/off)
        } else if (std::string err = out.params.set(k, v); !err.empty()) {
            out.errors.push_back(err + (out.params.index_of(k) >= 0 ? "; using the default" : ""));
        }
    }
    if (!out.experiment && !kv.empty()) out.experiment = e;
    // A puzzle sets its own parameters: a link may repeat them (Copy link does), not change them.
    if (!out.puzzle.empty()) {
        const PuzzleDecl* pz = find_puzzle(out.puzzle);
        ParamSet mine = ParamSet::defaults(e->params);
        for (const auto& [k, v] : pz->set) (void)mine.set_assignment(k + "=" + v);
        for (const auto& [k, v] : kv) {
            const int i = out.params.index_of(k);
            if (i >= 0 && out.params.values[(size_t)i] != mine.values[(size_t)i])
                out.errors.push_back(k + "=" + v.substr(0, 40) + " is ignored: puzzle=" + pz->id + " sets " + k + "=" +
                                     mine.format(i));
        }
        out.params = mine;
        if (out.autorun) out.errors.push_back("autorun=1 is ignored: a puzzle is played step by step, not run");
        out.autorun = false;
    }
    return out;
}

}  // namespace gil::ui
