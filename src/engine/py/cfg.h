// cfg.h — the control-flow graph between codegen.cpp and flowgraph.cpp/assemble.cpp
// (internal to src/engine/py). Mirrors CPython's basicblock / cfg_instr.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "engine/py/bytecode.h"

namespace gil::py {

struct Block;

struct CInstr {
    Op op = Op::NOP;
    int arg = 0;              // index into consts/names/varnames, a count, a compare kind ...
    int line = -1;            // -1: no location (artificial instructions)
    Block* target = nullptr;  // jumps and SETUP_* pseudo instructions
    bool flag = false;        // LOAD_GLOBAL: push NULL too; LOAD_ATTR: method load; COMPARE_OP: to bool
    bool pseudo = false;      // a NOP that was SETUP_*/POP_BLOCK: 3.12+ keep it until the lines are resolved
    // Exception handler for this instruction (3.11+), after label_exception_targets.
    Block* handler = nullptr;
    int handler_depth = 0;
    bool handler_lasti = false;
};

struct Block {
    std::vector<CInstr> ins;
    Block* next = nullptr;    // layout order (fall-through successor when the last instruction allows it)
    bool cold = false;        // 3.12+: only reached through exceptions: laid out after the warm blocks
    bool except_handler = false;
    bool preserve_lasti = false;
    bool visited = false;
    int preds = 0;
    int start_depth = -1;
    int offset = 0;           // in code units, set by the assembler
    int id = 0;
};

// A constant of a code object: a Python constant, or another code object (by index).
struct ConstSlot {
    Constant value;
    int code = -1;            // >= 0: the code object Compiled::codes[code]
};

// One code object under construction.
struct Unit {
    std::string name, qualname;
    int firstlineno = 1;
    int argcount = 0;
    bool is_async = false;
    enum class Kind : uint8_t { Module, Function, Class, Comprehension } kind = Kind::Module;
    std::vector<std::unique_ptr<Block>> blocks;  // every block, in creation order
    Block* entry = nullptr;
    std::vector<ConstSlot> consts;
    std::vector<std::string> names, varnames, cellvars, freevars;
    int self_index = -1;      // this unit's index in Compiled::codes
};

// flowgraph.cpp: the version's CFG passes, then layout; assemble.cpp: the final instructions.
void optimize_and_layout(Unit& u, int minor);
void assemble(Unit& u, int minor, CodeObject& out, const std::vector<CodeObject>& codes, const std::string& filename);

bool is_jump(Op op);
bool is_conditional_jump(Op op);
bool is_unconditional_jump(Op op);
bool is_terminator(Op op);   // no fall-through: RETURN_*, RERAISE, unconditional jumps
bool has_target(Op op);      // jumps and SETUP_* pseudo instructions

}  // namespace gil::py
