// python_view.cpp — an experiment's program as the Python it is written in: the file
// src/engine/experiments/programs/<id>[.<variant>].py (embedded at build time), with the
// run's parameters bound to its `# param: key` lines, compiled by the front end for the
// version's bytecode. That is what `describe` and the UI show, instruction for instruction
// what real CPython's `dis` prints (tests/py/golden), with the version's check points.
//
// NOT YET the program the simulator runs: its experiments still run their own programs
// (src/engine/sim/programs.cpp, the experiment files). Trace pcs of those programs are mapped
// onto the compiled code by aligning each function's instructions (same function name;
// longest common subsequence of opnames and argument names), so tooltips and the
// lost-update popup point at the Python the student reads.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string_view>

#include "engine/experiment.h"
#include "engine/py/bytecode.h"
#include "engine/versions.h"
#include "experiment_programs.h"

namespace gil {

namespace {

const ex::embedded::ProgramFile* find_file(const std::string& name) {
    for (size_t i = 0; i < ex::embedded::kProgramCount; ++i)
        if (name == ex::embedded::kPrograms[i].name) return &ex::embedded::kPrograms[i];
    return nullptr;
}

// The file of this experiment for these parameters: <id with '_'>.<choice>.py for the first
// choice parameter whose value names a file, else <id with '_'>.py.
const ex::embedded::ProgramFile* program_file(const ExperimentSpec& e, const ParamSet& p) {
    if (!e.python_file.empty()) return find_file(e.python_file);
    std::string base = e.id;
    for (char& c : base)
        if (c == '.') c = '_';
    for (size_t i = 0; i < e.params.size(); ++i)
        if (e.params[i].kind == ParamKind::Choice && e.params[i].key != "version")
            if (auto* f = find_file(base + "." + p.choice_name(e.params[i].key) + ".py")) return f;
    return find_file(base + ".py");
}

std::string int_text(int64_t v) {
    // Python's digit groups for big literals, as the programs write them (1_000_000).
    std::string d = std::to_string(v < 0 ? -v : v);
    if (d.size() > 4)
        for (int k = (int)d.size() - 3; k > 0; k -= 3) d.insert((size_t)k, "_");
    return (v < 0 ? "-" : "") + d;
}

// The literal a parameter's value is written as: seconds for ms/us/ns parameters.
std::string literal_of(const ParamSpec& s, const ParamSet& p, int index) {
    const double v = p.values[(size_t)index];
    if (s.kind == ParamKind::Choice) return "'" + p.choice_name(s.key) + "'";
    if (s.kind == ParamKind::Flag) return v != 0 ? "True" : "False";
    double scale = s.unit == "ms" ? 1e-3 : s.unit == "us" ? 1e-6 : s.unit == "ns" ? 1e-9 : 1.0;
    if (scale == 1.0 && v == std::floor(v) && std::fabs(v) < 9e15) return int_text((int64_t)v);
    py::Constant k;
    k.kind = py::ConstKind::Float;
    k.f = v * scale;
    return py::const_repr(k);
}

// Replaces the first literal (a number or a quoted string) before `#` on a line.
bool replace_first_literal(std::string& line, size_t end, const std::string& lit) {
    for (size_t i = 0; i < end; ++i) {
        char c = line[i];
        if (c == '\'' || c == '"') {
            size_t j = line.find(c, i + 1);
            if (j == std::string::npos || j >= end) return false;
            line.replace(i, j + 1 - i, lit);
            return true;
        }
        const bool starts_number = (c >= '0' && c <= '9') && (i == 0 || !(std::isalnum((unsigned char)line[i - 1]) || line[i - 1] == '_'));
        if (starts_number) {
            size_t j = i;
            while (j < end && (std::isalnum((unsigned char)line[j]) || line[j] == '_' || line[j] == '.' ||
                               ((line[j] == '+' || line[j] == '-') && (line[j - 1] == 'e' || line[j - 1] == 'E'))))
                ++j;
            line.replace(i, j - i, lit);
            return true;
        }
    }
    return false;
}

// The program's text with `NAME = literal  # param: key` lines set to the parameters.
std::string bind_params(const std::string& src, const ExperimentSpec& e, const ParamSet& p) {
    std::string out;
    size_t pos = 0;
    while (pos <= src.size()) {
        size_t nl = src.find('\n', pos);
        std::string line = src.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
        size_t mark = line.find("# param:");
        if (mark != std::string::npos) {
            size_t k = mark + 8;
            while (k < line.size() && line[k] == ' ') ++k;
            size_t ke = k;
            while (ke < line.size() && (std::isalnum((unsigned char)line[ke]) || line[ke] == '_')) ++ke;
            const std::string key = line.substr(k, ke - k);
            const int idx = p.index_of(key);
            if (idx >= 0 && (size_t)idx < e.params.size()) {
                std::string lit = literal_of(e.params[(size_t)idx], p, idx);
                std::string before = line.substr(0, mark);
                size_t trimmed = before.find_last_not_of(' ');
                std::string code = before.substr(0, trimmed == std::string::npos ? 0 : trimmed + 1);
                if (replace_first_literal(code, code.size(), lit)) {
                    // Keep the comment in its column when the literal's width changed.
                    int pad = (int)mark - (int)code.size();
                    line = code + std::string((size_t)std::max(2, pad), ' ') + line.substr(mark);
                }
            }
        }
        out += line;
        if (nl == std::string::npos) break;
        out += '\n';
        pos = nl + 1;
    }
    return out;
}

// Alignment keys: the opname's family and the name its argument mentions.
std::string family(const std::string& op) {
    static const char* fams[][2] = {{"CALL", "CALL"},       {"PRECALL", "CALL"},     {"LOAD_FAST", "LOAD_FAST"},
                                    {"STORE_FAST", "STORE_FAST"}, {"RETURN", "RETURN"}, {"JUMP", "JUMP"},
                                    {"POP_JUMP", "POP_JUMP"}, {"BINARY", "BINARY"},  {"INPLACE", "BINARY"},
                                    {"SETUP_WITH", "WITH"},  {"BEFORE_WITH", "WITH"}};
    for (auto& f : fams)
        if (op.rfind(f[0], 0) == 0) return f[1];
    return op;
}
bool mentions(const std::string& a, const std::string& b) {
    if (a.empty() || b.empty()) return false;
    return a.find(b) != std::string::npos || b.find(a) != std::string::npos;
}

// For each instruction of `sim`, the index of its counterpart in `real` (-1 if none before it).
std::vector<int> align(const CodeView& sim, const CodeView& real) {
    const size_t n = sim.lines.size(), m = real.lines.size();
    std::vector<std::vector<int>> dp(n + 1, std::vector<int>(m + 1, 0));
    auto score = [&](size_t i, size_t j) {
        const DisLine& a = sim.lines[i];
        const DisLine& b = real.lines[j];
        if (family(a.opname) != family(b.opname)) return 0;
        return 2 + (mentions(a.arg, b.arg) ? 1 : 0);
    };
    for (size_t i = n; i-- > 0;)
        for (size_t j = m; j-- > 0;) {
            int best = std::max(dp[i + 1][j], dp[i][j + 1]);
            int s = score(i, j);
            if (s > 0) best = std::max(best, s + dp[i + 1][j + 1]);
            dp[i][j] = best;
        }
    std::vector<int> map(n, -1);
    size_t i = 0, j = 0;
    int last = -1;
    while (i < n && j < m) {
        int s = score(i, j);
        if (s > 0 && dp[i][j] == s + dp[i + 1][j + 1]) {
            map[i] = (int)j;
            last = (int)j;
            ++i;
            ++j;
        } else if (dp[i + 1][j] >= dp[i][j + 1]) {
            map[i++] = last;
        } else {
            ++j;
        }
    }
    while (i < n) map[i++] = last;
    return map;
}

}  // namespace

std::shared_ptr<const ProgramView> python_view(const ExperimentSpec& e, const ParamSet& p,
                                               const std::shared_ptr<const ProgramView>& sim) {
    const ex::embedded::ProgramFile* file = program_file(e, p);
    if (!file) return sim;
    const VersionRow* row = p.index_of("version") >= 0 ? find_version(p.choice_name("version")) : nullptr;
    if (!row) row = &default_version();
    const VersionRow* bc = find_version(row->bytecode);
    const int minor = bc ? bc->minor : row->minor;
    const std::string source = bind_params(std::string(file->text, file->size), e, p);
    py::Compiled c;
    try {
        c = py::compile_source(source, minor, file->name);
    } catch (const py::CompileError&) {
        return sim;  // a test keeps every program compiling (tests/unit/test_registry.cpp)
    }
    auto v = std::make_shared<ProgramView>();
    v->source = source;
    v->file = file->name;
    v->version = row->name;
    v->note = version_note(*row);
    for (const py::CodeObject& co : c.codes) {
        CodeView cv;
        cv.name = minor >= 11 ? co.qualname : co.name;
        for (size_t i = 0; i < co.instructions.size(); ++i) {
            const py::Instruction& in = co.instructions[i];
            std::string arg = in.arg >= 0 ? std::to_string(in.arg) : "";
            if (!in.argrepr.empty()) arg += (arg.empty() ? "(" : " (") + in.argrepr + ")";
            cv.lines.push_back({(int)i, in.line, py::op_name(in.op), arg, row->has_gil && in.check_point, in.argrepr});
        }
        v->codes.push_back(std::move(cv));
    }
    // Trace pcs of the simulator's program, onto the compiled code of the same function.
    if (sim) {
        v->pc_map.resize(sim->codes.size());
        for (size_t f = 0; f < sim->codes.size(); ++f) {
            const CodeView& sc = sim->codes[f];
            int target = -1;
            for (size_t k = 0; k < v->codes.size(); ++k) {
                const std::string& n = v->codes[k].name;
                if (n == sc.name || (n.size() > sc.name.size() && n.compare(n.size() - sc.name.size() - 1, std::string::npos, "." + sc.name) == 0))
                    target = (int)k;
            }
            if (target < 0) continue;
            std::vector<int> m = align(sc, v->codes[(size_t)target]);
            auto& row_map = v->pc_map[f];
            for (size_t i = 0; i < sc.lines.size(); ++i) {
                const int idx = sc.lines[i].index;
                if ((int)row_map.size() <= idx) row_map.resize((size_t)idx + 1, ~0u);
                if (m[i] >= 0) row_map[(size_t)idx] = ((uint32_t)target << 16) | (uint32_t)m[i];
            }
        }
    }
    return v;
}

}  // namespace gil
