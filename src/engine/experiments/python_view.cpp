// python_view.cpp — an experiment's program as the Python it is written in: the file
// src/engine/experiments/programs/<id>[.<variant>].py (embedded at build time), with the
// run's parameters bound to its `# param: key` lines, compiled by the front end for the
// version's bytecode. That is what `describe` and the UI show, instruction for instruction
// what real CPython's `dis` prints (tests/py/golden), with the version's check points.
//
// It is also the program the simulator runs: the experiment lowers the same compiled code
// (sim/from_python.h), and trace pcs are (code object << 16) | instruction index of this view.
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

}  // namespace

std::string experiment_source(const ExperimentSpec& e, const ParamSet& p, const char* file_name, std::string* file_out) {
    const ex::embedded::ProgramFile* file = file_name ? find_file(file_name) : program_file(e, p);
    if (!file) return "";
    if (file_out) *file_out = file->name;
    return bind_params(std::string(file->text, file->size), e, p);
}

std::shared_ptr<const ProgramView> python_view(const ExperimentSpec& e, const ParamSet& p) {
    return python_view_of(e, p, nullptr);
}

std::shared_ptr<const ProgramView> python_view_of(const ExperimentSpec& e, const ParamSet& p, const char* file_name) {
    const ex::embedded::ProgramFile* file = file_name ? find_file(file_name) : program_file(e, p);
    if (!file) return nullptr;
    return source_view(bind_params(std::string(file->text, file->size), e, p), file->name, p);
}

namespace {

const VersionRow& row_of(const ParamSet& p) {
    const VersionRow* row = p.index_of("version") >= 0 ? find_version(p.choice_name("version")) : nullptr;
    return row ? *row : default_version();
}

int bytecode_minor(const VersionRow& row) {
    const VersionRow* bc = find_version(row.bytecode);
    return bc ? bc->minor : row.minor;
}

}  // namespace

std::string compile_error(const std::string& source, const ParamSet& p, int* line, int* col) {
    try {
        py::compile_cached(source, bytecode_minor(row_of(p)), "program.py");
    } catch (const py::CompileError& err) {
        if (line) *line = err.line;
        if (col) *col = err.col;
        return "line " + std::to_string(err.line) + ", column " + std::to_string(err.col) + ": " + err.message;
    }
    if (line) *line = 0;
    if (col) *col = 0;
    return "";
}

std::shared_ptr<const ProgramView> source_view(const std::string& source, const std::string& file, const ParamSet& p) {
    const VersionRow* row = &row_of(p);
    const int minor = bytecode_minor(*row);
    std::shared_ptr<const py::ParsedProgram> parsed;
    try {
        parsed = py::compile_cached(source, minor, file);  // the run's lowering reuses it
    } catch (const py::CompileError&) {
        return nullptr;  // experiments: a test keeps every program compiling (tests/unit/test_registry.cpp)
    }
    const py::Compiled& c = parsed->compiled;
    auto v = std::make_shared<ProgramView>();
    v->source = source;
    v->file = file;
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
    return v;
}

}  // namespace gil
