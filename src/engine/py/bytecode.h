// bytecode.h — what the compiler produces: one code object per module, function, class
// body and (before 3.12) comprehension, each holding the instructions real CPython of the
// chosen version would hold, shown the way its `dis` shows them.
//
// The stages mirror CPython's: codegen.cpp walks the AST into a control-flow graph of
// basic blocks (Python/compile.c), flowgraph.cpp applies the version's CFG passes and lays
// the blocks out (Python/flowgraph.c), assemble.cpp computes offsets, caches, EXTENDED_ARG
// and each argument's text (Python/assemble.c, Lib/dis.py).
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "engine/py/ast.h"

namespace gil::py {

// Every opcode the compiler emits, over 3.9-3.13 (names as `dis` prints them). Pseudo
// instructions (SETUP_*, POP_BLOCK, JUMP) never reach the output.
#define GIL_PY_OPCODES(X)                                                                                         \
    X(NOP) X(POP_TOP) X(RESUME) X(RETURN_VALUE) X(RETURN_CONST) X(RETURN_GENERATOR) X(GEN_START)                 \
    X(LOAD_CONST) X(LOAD_FAST) X(LOAD_FAST_CHECK) X(LOAD_FAST_AND_CLEAR) X(LOAD_FAST_LOAD_FAST) X(STORE_FAST)   \
    X(STORE_FAST_LOAD_FAST) X(STORE_FAST_STORE_FAST) X(LOAD_NAME) X(STORE_NAME) X(LOAD_GLOBAL) X(STORE_GLOBAL)    \
    X(LOAD_DEREF) X(STORE_DEREF) X(LOAD_CLOSURE) X(MAKE_CELL) X(COPY_FREE_VARS) X(LOAD_ATTR) X(STORE_ATTR)        \
    X(LOAD_METHOD) X(CALL_METHOD) X(LOAD_BUILD_CLASS) X(MAKE_FUNCTION) X(SET_FUNCTION_ATTRIBUTE)               \
    X(CALL_FUNCTION) X(CALL_FUNCTION_KW) X(PRECALL) X(CALL) X(CALL_KW) X(KW_NAMES) X(PUSH_NULL)                  \
    X(BINARY_OP) X(BINARY_ADD) X(BINARY_SUBTRACT) X(BINARY_MULTIPLY) X(BINARY_FLOOR_DIVIDE) X(BINARY_MODULO)     \
    X(BINARY_POWER) X(BINARY_TRUE_DIVIDE) X(INPLACE_ADD) X(INPLACE_SUBTRACT) X(INPLACE_MULTIPLY)                  \
    X(INPLACE_FLOOR_DIVIDE) X(INPLACE_MODULO) X(INPLACE_POWER) X(INPLACE_TRUE_DIVIDE) X(BINARY_SUBSCR)            \
    X(STORE_SUBSCR) X(UNARY_NEGATIVE) X(UNARY_POSITIVE) X(UNARY_NOT) X(CALL_INTRINSIC_1) X(TO_BOOL)               \
    X(COMPARE_OP) X(IS_OP) X(CONTAINS_OP) X(POP_JUMP_IF_FALSE) X(POP_JUMP_IF_TRUE) X(POP_JUMP_FORWARD_IF_FALSE)   \
    X(POP_JUMP_FORWARD_IF_TRUE) X(POP_JUMP_BACKWARD_IF_FALSE) X(POP_JUMP_BACKWARD_IF_TRUE) X(JUMP_IF_FALSE_OR_POP) \
    X(JUMP_IF_TRUE_OR_POP) X(JUMP_FORWARD) X(JUMP_ABSOLUTE) X(JUMP_BACKWARD) X(GET_ITER) X(FOR_ITER) X(END_FOR)   \
    X(BUILD_LIST) X(BUILD_TUPLE) X(LIST_APPEND) X(LIST_EXTEND) X(LIST_TO_TUPLE) X(UNPACK_SEQUENCE) X(DUP_TOP)     \
    X(DUP_TOP_TWO) X(ROT_TWO) X(ROT_THREE) X(COPY) X(SWAP) X(IMPORT_NAME) X(IMPORT_FROM) X(SETUP_WITH)           \
    X(BEFORE_WITH) X(WITH_EXCEPT_START) X(RERAISE) X(POP_EXCEPT) X(PUSH_EXC_INFO) X(POP_BLOCK) X(SETUP_CLEANUP)   \
    X(SETUP_FINALLY) X(GET_AWAITABLE) X(GET_YIELD_FROM_ITER) X(YIELD_FROM) X(SEND) X(YIELD_VALUE) X(END_SEND)     \
    X(CLEANUP_THROW) X(JUMP_BACKWARD_NO_INTERRUPT) X(JUMP_NO_INTERRUPT) X(JUMP) X(EXTENDED_ARG) X(CACHE)          \
    X(RAISE_VARARGS) X(CHECK_EXC_MATCH) X(BUILD_CONST_KEY_MAP) X(BUILD_MAP) X(LOAD_LOCALS) X(UNARY_INVERT)

enum class Op : uint8_t {
#define GIL_PY_X(n) n,
    GIL_PY_OPCODES(GIL_PY_X)
#undef GIL_PY_X
        Count
};
const char* op_name(Op op);

// One instruction as `dis` shows it.
struct Instruction {
    Op op = Op::NOP;
    int arg = -1;            // -1 = the opcode takes no argument
    std::string argrepr;     // "(NULL + range)" without the parentheses: "NULL + range"
    int offset = 0;          // byte offset
    int line = 0;            // source line (0 = none)
    bool line_zero = false;  // on line 0 (3.11+: the module's RESUME), which dis prints as 0
    bool starts_line = false;  // dis prints the line number in its first column
    bool jump_target = false;
    std::string label;       // 3.13: "L1" when it is a jump or exception-table target
    bool check_point = false;  // the eval breaker is checked here: a thread may be switched out
    // A call whose check lands after the callee returns (3.10's CALL_FUNCTION & co. end in
    // CHECK_EVAL_BREAKER()), not as it starts: a Python callee runs before the check.
    bool check_after_return = false;
    int target = -1;         // jumps: index of the target instruction in this code object
};

struct CodeObject {
    std::string name, qualname;
    int firstlineno = 1;
    int argcount = 0;
    bool is_async = false;
    std::vector<Instruction> instructions;
    std::vector<std::string> varnames, names, cellvars, freevars;
    std::vector<Constant> consts;      // co_consts (code objects: kind None, see const_code)
    std::vector<int> const_code;       // per const: the code object index, or -1
    std::vector<int> children;   // indices (in Compiled::codes) of code objects in co_consts
};

// A compiled program: every code object, the module first, then depth-first pre-order.
struct Compiled {
    int minor = 12;              // the CPython 3.x whose bytecode this is
    std::string filename;
    std::vector<CodeObject> codes;
    const CodeObject* find(const std::string& qualname) const;
};

// Compiles for CPython 3.`minor` (9..13). Throws CompileError.
Compiled compile(const Module& m, int minor, const std::string& filename = "<program>", const Limits& limits = {});
Compiled compile_source(const std::string& source, int minor, const std::string& filename = "<program>",
                        const Limits& limits = {});

// A program parsed and compiled once for a version, kept for the next caller with the same
// source, version and file name (a few recent ones, thread-safe): the Program view and the
// simulator's lowering of one run share it. Throws CompileError (nothing is kept then).
struct ParsedProgram {
    Module module;
    Compiled compiled;
};
std::shared_ptr<const ParsedProgram> compile_cached(const std::string& source, int minor, const std::string& filename);

// `dis.dis` of the whole program (the module, then "Disassembly of <code object ...>:").
std::string dis_text(const Compiled& c);
// The instructions as JSON: {"version": "3.12", "codes": [{"name", "qualname", "instructions": [...]}]}.
std::string dis_json(const Compiled& c);

// repr() of constants as CPython prints them (floats shortest round-trip, strings quoted).
std::string const_repr(const Constant& k);
// The fewest significant digits that read back as the finite, positive `a` (repr's digits,
// as Python/dtoa.c gives them): a = 0.DIGITS x 10^decpt.
void shortest_digits(double a, std::string& digits, int& decpt);

}  // namespace gil::py
