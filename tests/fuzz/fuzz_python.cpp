// fuzz_python.cpp — libFuzzer target for the lab's Python front end (src/engine/py): the
// input as a program, tokenized, parsed and compiled for every CPython 3.9-3.13, then
// disassembled as text and JSON. A CompileError is the one allowed outcome besides success;
// it must carry a line, a column and a sentence. Any other exception, crash, hang or
// sanitizer report is a finding. Seeds: tests/fuzz/corpus/python (the corpus, the error
// programs and the experiments' programs).
#include <cstdint>
#include <cstdlib>
#include <string>

#include "engine/py/ast.h"
#include "engine/py/bytecode.h"
#include "engine/py/token.h"

using namespace gil::py;

namespace {

void check_error(const CompileError& e) {
    if (e.line < 1 || e.col < 0 || e.message.empty()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string src((const char*)data, size);
    const Limits limits;
    try {
        (void)tokenize(src, limits);
    } catch (const CompileError& e) {
        check_error(e);
    }
    try {
        (void)parse(src, limits);
    } catch (const CompileError& e) {
        check_error(e);
    }
    for (int minor = 9; minor <= 13; ++minor) {
        try {
            Compiled c = compile_source(src, minor, "fuzz.py", limits);
            if (c.codes.empty()) std::abort();  // a program has at least its module code
            (void)dis_text(c);
            (void)dis_json(c);
        } catch (const CompileError& e) {
            check_error(e);
        }
    }
    return 0;
}
