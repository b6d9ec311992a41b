// compile_internal.h — what the compiler's stages share inside src/engine/py: constant
// folding (fold.cpp, Python/ast_opt.c), symbol tables (symtable.cpp, Python/symtable.c) and
// the code generator (codegen.cpp, Python/compile.c). Not for use outside src/engine/py.
#pragma once
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/py/ast.h"

namespace gil::py {

// The AST optimizer: folds constant arithmetic, `not` of constants, tuples of constants and
// constant lists that are only iterated or searched, in place.
void fold_body(Body& b);

enum class Scope : uint8_t { Local, GlobalExplicit, GlobalImplicit, Free, Cell };

struct SymTable {
    enum class Kind : uint8_t { Module, Function, Class, Comprehension } kind;
    SymTable* parent = nullptr;
    std::map<std::string, int> flags;  // bit 1 assigned, 2 param, 4 global decl, 8 used, 16 a cell (read by a comprehension)
    std::vector<std::string> params;
    std::map<const void*, std::unique_ptr<SymTable>> children;  // by AST node (Stmt for def/class, Expr for comps)
    bool global_decl(const std::string& n) const {
        auto it = flags.find(n);
        return it != flags.end() && (it->second & 4);
    }
    bool bound(const std::string& n) const {
        auto it = flags.find(n);
        return it != flags.end() && (it->second & 3) && !(it->second & 4);
    }
};

// The symbol tables of a module (throws CompileError for misplaced `global`, nested defs, ...).
std::unique_ptr<SymTable> build_symtable(Module& m, int minor);
// Where a name of table `t` lives (analyze_name, for the subset).
Scope resolve(const SymTable& t, const std::string& n);

}  // namespace gil::py
