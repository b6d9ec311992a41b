// params.cpp — the one parameter parser (CLI, URL, JS API).
#include "engine/params.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace gil {

// The shortest text that parses back to exactly v (what the URL and the CLI show).
static std::string fmt_num(double v) {
    char buf[64];
    if (v == std::floor(v) && std::fabs(v) < 1e15) {
        std::snprintf(buf, sizeof buf, "%lld", (long long)v);
        return buf;
    }
    for (int prec = 6; prec <= 17; ++prec) {
        std::snprintf(buf, sizeof buf, "%.*g", prec, v);
        if (std::strtod(buf, nullptr) == v) break;
    }
    return buf;
}

bool parse_number(std::string_view text, double& out) {
    if (text.empty() || text.size() > 64) return false;
    std::string s(text);
    // Accept digit group separators people type from the seeds: 10_000_000.
    std::string clean;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '_' && i > 0 && i + 1 < s.size() && isdigit((unsigned char)s[i - 1]) &&
            isdigit((unsigned char)s[i + 1]))
            continue;
        clean += s[i];
    }
    // strtod also accepts "inf", "nan" and hex; refuse those explicitly.
    for (char c : clean)
        if (!(isdigit((unsigned char)c) || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E'))
            return false;
    errno = 0;
    char* end = nullptr;
    double v = std::strtod(clean.c_str(), &end);
    if (end == clean.c_str() || *end != '\0' || errno == ERANGE || !std::isfinite(v)) return false;
    out = v;
    return true;
}

bool parse_int64(std::string_view text, int64_t& out) {
    double v;
    if (!parse_number(text, v)) return false;
    if (v != std::floor(v) || v < -9.0e18 || v > 9.0e18) return false;
    out = (int64_t)v;
    return true;
}

ParamSet ParamSet::defaults(const std::vector<ParamSpec>& specs) {
    ParamSet p;
    p.specs = &specs;
    for (const auto& s : specs) p.values.push_back(s.def);
    return p;
}

int ParamSet::index_of(std::string_view key) const {
    if (!specs) return -1;
    for (size_t i = 0; i < specs->size(); ++i)
        if ((*specs)[i].key == key) return (int)i;
    return -1;
}

// An experiment that reads a parameter it does not declare is a programming error: it
// fails loudly in every build (run_experiment turns it into "internal error: ...").
static int must_index(const ParamSet& p, std::string_view key) {
    int i = p.index_of(key);
    if (i < 0) throw std::logic_error("experiment reads parameter '" + std::string(key) + "' that it does not declare");
    return i;
}

double ParamSet::get(std::string_view key) const { return values[(size_t)must_index(*this, key)]; }

const std::string& ParamSet::choice_name(std::string_view key) const {
    int i = must_index(*this, key);
    const ParamSpec& s = (*specs)[(size_t)i];
    if (s.kind != ParamKind::Choice) throw std::logic_error("parameter '" + s.key + "' is not a choice");
    return s.choices[(size_t)values[(size_t)i]];
}

std::string describe_range(const ParamSpec& s) {
    std::string r = s.key + ": ";
    switch (s.kind) {
    case ParamKind::Int:
    case ParamKind::Real:
        r += fmt_num(s.min) + ".." + fmt_num(s.max);
        if (!s.unit.empty()) r += " " + s.unit;
        r += ", default " + fmt_num(s.def);
        break;
    case ParamKind::Choice:
        r += "one of ";
        for (size_t i = 0; i < s.choices.size(); ++i) r += (i ? "|" : "") + s.choices[i];
        r += ", default " + s.choices[(size_t)s.def];
        break;
    case ParamKind::Flag:
        r += std::string("true|false, default ") + (s.def != 0 ? "true" : "false");
        break;
    }
    return r;
}

static std::string quote(std::string_view v) {
    std::string s;
    for (char c : v.substr(0, 40)) s += (c >= 32 && c < 127) ? c : '?';
    if (v.size() > 40) s += "...";
    return "'" + s + "'";
}

std::string ParamSet::set(std::string_view key, std::string_view text) {
    int i = index_of(key);
    if (i < 0) {
        std::string known;
        if (specs)
            for (const auto& s : *specs) known += (known.empty() ? "" : ", ") + s.key;
        return "unknown parameter " + quote(key) + " (known: " + (known.empty() ? "none" : known) + ")";
    }
    const ParamSpec& s = (*specs)[(size_t)i];
    double v = 0;
    switch (s.kind) {
    case ParamKind::Int: {
        if (!parse_number(text, v) || v != std::floor(v))
            return "parameter " + s.key + "=" + quote(text) + " is not an integer (" + describe_range(s) + ")";
        break;
    }
    case ParamKind::Real:
        if (!parse_number(text, v))
            return "parameter " + s.key + "=" + quote(text) + " is not a number (" + describe_range(s) + ")";
        break;
    case ParamKind::Choice: {
        int found = -1;
        for (size_t c = 0; c < s.choices.size(); ++c)
            if (s.choices[c] == text) found = (int)c;
        if (found < 0)
            return "parameter " + s.key + "=" + quote(text) + " is not allowed (" + describe_range(s) + ")";
        values[(size_t)i] = found;
        return "";
    }
    case ParamKind::Flag:
        if (text == "1" || text == "true" || text == "yes" || text == "on") v = 1;
        else if (text == "0" || text == "false" || text == "no" || text == "off") v = 0;
        else return "parameter " + s.key + "=" + quote(text) + " is not a flag (" + describe_range(s) + ")";
        break;
    }
    if (v < s.min || v > s.max)
        return "parameter " + s.key + "=" + quote(text) + " is out of range (" + describe_range(s) + ")";
    values[(size_t)i] = v;
    return "";
}

bool split_assignment(std::string_view a, std::string_view& key, std::string_view& value) {
    size_t eq = a.find('=');
    if (eq == std::string_view::npos || eq == 0) return false;
    key = a.substr(0, eq);
    value = a.substr(eq + 1);
    return true;
}

std::string ParamSet::set_assignment(std::string_view a) {
    std::string_view key, value;
    if (!split_assignment(a, key, value)) return "expected key=value, got " + quote(a);
    return set(key, value);
}

std::string KeysSeen::once(std::string_view key, std::string_view value) {
    for (const auto& k : keys)
        if (k == key)
            return std::string(key) + " is given more than once: " + quote(std::string(key) + "=" + std::string(value)) +
                   " is ignored, the first value stays";
    keys.emplace_back(key);
    return "";
}

std::string parse_seed(std::string_view text, uint64_t& out) {
    int64_t s;
    // The URL's sentence quotes at most 40 characters of what it was given, as it always has.
    if (!parse_int64(text, s) || s < 0)
        return "seed='" + std::string(text.substr(0, 40)) + "' must be a non-negative integer";
    out = (uint64_t)s;
    return "";
}

std::string ParamSet::format(int index) const {
    const ParamSpec& s = (*specs)[(size_t)index];
    double v = values[(size_t)index];
    switch (s.kind) {
    case ParamKind::Choice: return s.choices[(size_t)v];
    case ParamKind::Flag: return v != 0 ? "true" : "false";
    default: return fmt_num(v);
    }
}

}  // namespace gil
