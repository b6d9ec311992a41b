// ast.h — the syntax tree of the lab's Python, as the parser builds it and the compiler
// walks it. The shapes follow CPython's own AST (Parser/Python.asdl) for the subset the
// lab supports, so the compiler can mirror Python/compile.c construct by construct.
//
// The subset is listed once, in subset_text(); anything outside it is refused by the
// parser with a CompileError that names the construct, its line and column.
#pragma once
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace gil::py {

// A program the lab cannot compile: where, and one sentence saying why.
struct CompileError : std::runtime_error {
    CompileError(int line_, int col_, const std::string& msg)
        : std::runtime_error("line " + std::to_string(line_) + ", column " + std::to_string(col_) + ": " + msg),
          line(line_), col(col_), message(msg) {}
    int line, col;        // 1-based; col counts characters of the line
    std::string message;  // "`yield` is not supported by the lab's Python; supported: ..."
};

// Limits that keep a pasted program from exhausting the page; each has its own message.
struct Limits {
    size_t max_source_bytes = 64 * 1024;
    int max_lines = 2000;
    int max_nesting = 40;        // blocks inside blocks, and expressions inside expressions
    int max_functions = 200;
    int max_instructions = 20000;  // per code object
};

// The supported constructs, as one sentence (every "not supported" message ends with it).
const char* subset_text();

struct Pos {
    int line = 0, col = 0;
};

enum class ConstKind : uint8_t { None, True, False, Int, BigInt, Float, Str, Bytes, Ellipsis, Tuple };
struct Constant {
    ConstKind kind = ConstKind::None;
    int64_t i = 0;          // Int
    double f = 0;           // Float
    std::string s;          // Str, Bytes; BigInt: decimal digits (with a leading '-' when folded)
    std::vector<Constant> items;  // Tuple (a folded constant tuple such as ('target', 'args'))
    bool operator==(const Constant& o) const;
};

enum class BinOpKind : uint8_t { Add, Sub, Mul, FloorDiv, Mod, Pow, TrueDiv };
enum class UnaryKind : uint8_t { Neg, Pos, Not };
enum class CmpKind : uint8_t { Lt, Le, Gt, Ge, Eq, Ne, Is, IsNot, In, NotIn };

enum class ExprKind : uint8_t {
    Name, Const, BinOp, Unary, BoolAnd, BoolOr, Compare, Call, Attribute, Subscript, List, Tuple, ListComp, Await,
};

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;
struct Keyword {
    std::string name;
    ExprPtr value;
    Pos pos;
};
struct Comprehension {  // `for target in iter if cond ...`
    ExprPtr target, iter;
    std::vector<ExprPtr> ifs;
};

struct Expr {
    ExprKind kind;
    Pos pos;
    std::string name;              // Name: the identifier; Attribute: the attribute
    Constant value;                // Const
    BinOpKind bin = BinOpKind::Add;
    UnaryKind unary = UnaryKind::Neg;
    CmpKind cmp = CmpKind::Lt;
    ExprPtr a, b;                  // BinOp/Compare: left, right; Unary/Await/Attribute: a; Subscript: a[b]; ListComp: elt = a
    std::vector<ExprPtr> items;    // List/Tuple elements; BoolAnd/BoolOr values; Call args
    std::vector<Keyword> keywords; // Call
    std::vector<Comprehension> generators;  // ListComp (one generator in the subset)
    bool store = false;            // a target (Name/Attribute/Subscript/Tuple/List)
    explicit Expr(ExprKind k, Pos p) : kind(k), pos(p) {}
};

enum class StmtKind : uint8_t {
    Expr, Assign, AugAssign, If, While, For, Break, Continue, Pass, Return, Global, Import, ImportFrom,
    FunctionDef, ClassDef, With,
};

struct Stmt;
using StmtPtr = std::unique_ptr<Stmt>;
using Body = std::vector<StmtPtr>;

struct Alias {  // `import a.b as c` / `from m import x as y`
    std::string name, asname;
    Pos pos;
};

struct Stmt {
    StmtKind kind;
    Pos pos;
    int end_line = 0;              // last line of the statement (compound: of its last body statement)
    ExprPtr value;                 // Expr/Assign/AugAssign/Return value; If/While test; For iter; With context
    std::vector<ExprPtr> targets;  // Assign targets (a = b = v); AugAssign/For/With(as) target: targets[0]
    BinOpKind aug = BinOpKind::Add;
    Body body, orelse;             // If/While/For/With/FunctionDef/ClassDef body; If orelse
    std::vector<std::string> names;  // Global; FunctionDef: parameter names
    std::vector<ExprPtr> defaults;   // FunctionDef: defaults of the last parameters
    std::vector<Alias> aliases;      // Import/ImportFrom
    std::string name;                // FunctionDef/ClassDef name; ImportFrom module
    bool is_async = false;           // async def
    bool else_is_elif = false;       // If: orelse is one If written as `elif`
    explicit Stmt(StmtKind k, Pos p) : kind(k), pos(p) {}
};

struct Module {
    Body body;
    std::string source;
    std::string filename = "<program>";
};

// Parses a whole program. Throws CompileError.
Module parse(const std::string& source, const Limits& limits = {});

}  // namespace gil::py
