// program_view.cpp — looking up and printing a ProgramView (experiment.h).
#include <cstdio>

#include "engine/experiment.h"

namespace gil {


const CodeView* ProgramView::code_at(uint32_t pc) const {
    if ((pc >> 16) >= codes.size()) return nullptr;
    return &codes[pc >> 16];
}

const DisLine* ProgramView::at(uint32_t pc) const {
    const size_t code = pc >> 16, index = pc & 0xffff;
    if (code >= codes.size()) return nullptr;
    for (const DisLine& d : codes[code].lines)
        if (d.index == (int)index) return &d;
    return nullptr;
}

std::string disassembly_text(const ProgramView& v) {
    std::string o;
    char buf[200];
    for (const CodeView& c : v.codes) {
        o += "Disassembly of " + c.name + (c.name.empty() || c.name[0] == '<' ? "" : "()") + " on " + v.note +
             " (* = eval breaker checked after it: the thread may be switched out there):\n";
        for (const DisLine& d : c.lines) {
            std::snprintf(buf, sizeof buf, "  %c %4d  %-18s %s\n", d.check_point ? '*' : ' ', d.index, d.opname.c_str(),
                          d.arg.c_str());
            o += buf;
        }
        o += "\n";
    }
    return o;
}

}  // namespace gil
