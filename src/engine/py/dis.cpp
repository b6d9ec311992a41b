// dis.cpp — the compiled program as text (the layout of `dis.dis`) and as JSON data.
#include <cstdio>

#include "engine/json.h"
#include "engine/py/bytecode.h"

namespace gil::py {

namespace {

void code_text(const Compiled& c, const CodeObject& co, std::string& out) {
    char buf[256];
    for (const Instruction& in : co.instructions) {
        std::string line = in.starts_line ? (in.line > 0 ? std::to_string(in.line) : std::string(in.line_zero ? "0" : "--")) : "";
        std::string mark = c.minor >= 13 ? (in.label.empty() ? "" : in.label + ":") : (in.jump_target ? ">>" : "");
        std::string arg = in.arg >= 0 ? std::to_string(in.arg) : "";
        std::string rep = in.argrepr.empty() ? "" : " (" + in.argrepr + ")";
        if (c.minor >= 13)
            std::snprintf(buf, sizeof buf, "%4s   %-7s %-24s %s%s%s\n", line.c_str(), mark.c_str(), op_name(in.op), arg.c_str(),
                          rep.c_str(), in.check_point ? "   *" : "");
        else
            std::snprintf(buf, sizeof buf, "%4s %5s %5d %-24s %s%s%s\n", line.c_str(), mark.c_str(), in.offset, op_name(in.op),
                          arg.c_str(), rep.c_str(), in.check_point ? "   *" : "");
        std::string row(buf);
        // No trailing spaces when there is no argument.
        while (row.size() > 1 && row[row.size() - 2] == ' ') row.erase(row.size() - 2, 1);
        out += row;
    }
}

}  // namespace

std::string dis_text(const Compiled& c) {
    std::string out;
    for (size_t i = 0; i < c.codes.size(); ++i) {
        const CodeObject& co = c.codes[i];
        if (i > 0)
            out += "\nDisassembly of <code object " + co.name + ", file \"" + c.filename + "\", line " +
                   std::to_string(co.firstlineno) + ">:\n";
        code_text(c, co, out);
    }
    return out;
}

std::string dis_json(const Compiled& c) {
    std::string out = "{\"version\": \"3." + std::to_string(c.minor) + "\", \"codes\": [";
    for (size_t i = 0; i < c.codes.size(); ++i) {
        const CodeObject& co = c.codes[i];
        if (i) out += ", ";
        out += "{\"name\": " + ("\"" + json_escape(co.name) + "\"") + ", \"qualname\": " + ("\"" + json_escape(co.qualname) + "\"") +
               ", \"firstlineno\": " + std::to_string(co.firstlineno) + ", \"instructions\": [";
        for (size_t k = 0; k < co.instructions.size(); ++k) {
            const Instruction& in = co.instructions[k];
            if (k) out += ", ";
            out += "{\"opname\": " + ("\"" + json_escape(op_name(in.op)) + "\"") + ", \"arg\": " + (in.arg >= 0 ? std::to_string(in.arg) : "null") +
                   ", \"argrepr\": " + ("\"" + json_escape(in.argrepr) + "\"") + ", \"offset\": " + std::to_string(in.offset) +
                   ", \"line\": " + (in.line > 0 || in.line_zero ? std::to_string(in.line) : "null") +
                   ", \"starts_line\": " + (in.starts_line ? "true" : "false") +
                   ", \"check_point\": " + (in.check_point ? "true" : "false") + "}";
        }
        out += "]}";
    }
    return out + "]}";
}

}  // namespace gil::py
