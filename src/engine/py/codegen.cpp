// codegen.cpp — AST to control-flow graph, construct by construct as Python/compile.c
// does it for each version (3.9 ... 3.13), after a symbol-table pass (Python/symtable.c)
// that decides, per scope, whether a name is local, global or a closure cell.
//
// Longer than the project's ~600 lines on purpose: like compile.c, one walk of the tree,
// each construct's per-version differences next to each other (splitting by version or by
// statement/expression would put the rules of one construct in several files). Folding and
// symbol tables are already their own files (fold.cpp, symtable.cpp).
//
// [SECTION] the code generator: units, blocks, names, constants
// [SECTION] statements
// [SECTION] expressions, calls, comprehensions
// [SECTION] entry points
#include <cmath>
#include <functional>
#include <map>
#include <set>

#include "engine/py/cfg.h"
#include "engine/py/compile_internal.h"

namespace gil::py {

namespace {

// ======================================================================== [SECTION] the code generator
// Blocks a `break`, `continue` or `return` must unwind (compiler_push_fblock).
struct FBlock {
    enum class Kind : uint8_t { For, While, With, Comprehension } kind;
    Block* start;
    Block* exit;
    int line;
};

class Gen {
public:
    Gen(int minor, const std::string& filename, const Limits& lim, Compiled& out)
        : v_(minor), filename_(filename), lim_(lim), out_(out) {}

    void module(Module& m, SymTable& st) {
        for (auto& s : m.body)
            if (s->kind == StmtKind::Import || s->kind == StmtKind::ImportFrom)
                for (auto& a : s->aliases)
                    module_imports_.insert(!a.asname.empty() ? a.asname
                                           : s->kind == StmtKind::Import ? a.name.substr(0, a.name.find('.')) : a.name);
        Unit u;
        u.name = "<module>";
        u.qualname = "<module>";
        u.kind = Unit::Kind::Module;
        u.firstlineno = 1;
        enter(std::move(u), &st);
        if (v_ >= 11) emit_at(Op::RESUME, 0, v_ >= 11 ? 0 : -1);
        line_ = m.body.empty() ? 1 : m.body[0]->pos.line;
        size_t first = 0;
        if (!m.body.empty() && m.body[0]->kind == StmtKind::Expr && m.body[0]->value->kind == ExprKind::Const &&
            m.body[0]->value->value.kind == ConstKind::Str) {
            line_ = m.body[0]->pos.line;
            load_const(m.body[0]->value->value);
            emit(Op::STORE_NAME, name_index("__doc__"));
            first = 1;
        }
        for (size_t i = first; i < m.body.size(); ++i) stmt(*m.body[i]);
        implicit_return();
        leave();
    }

private:
    // ---------------------------------------------------------------- units and blocks
    struct State {
        Unit u;
        SymTable* st;
        Block* cur = nullptr;
        std::vector<FBlock> fblocks;
        int line = 1;
        // 3.12+: names of an inlined comprehension that live as fast locals of this unit.
        std::vector<std::set<std::string>> inlined;
    };
    std::vector<State> stack_;
    int v_;
    std::set<std::string> module_imports_;  // names bound by an import at module level
    std::string filename_;
    const Limits& lim_;
    Compiled& out_;
    int line_ = 1;

    Unit& u() { return stack_.back().u; }
    SymTable& st() { return *stack_.back().st; }
    Block*& cur() { return stack_.back().cur; }

    void enter(Unit u, SymTable* st) {
        u.self_index = (int)out_.codes.size();
        out_.codes.emplace_back();  // reserved: pre-order index, filled by leave()
        State s;
        s.u = std::move(u);
        s.st = st;
        stack_.push_back(std::move(s));
        Block* b = new_block();
        stack_.back().u.entry = b;
        cur() = b;
        for (auto& p : st->params) local_index(p);
        if (st->kind == SymTable::Kind::Function) {
            for (auto& [n, f] : st->flags)
                if ((f & 16) && st->bound(n)) u_cell(n);
        }
    }
    void u_cell(const std::string& n) {
        for (auto& c : u().cellvars)
            if (c == n) return;
        u().cellvars.push_back(n);
    }
    // Finishes the unit on top of the stack; returns its index in out_.codes.
    int leave() {
        int saved_line = line_;
        State s = std::move(stack_.back());
        stack_.pop_back();
        int idx = s.u.self_index;
        optimize_and_layout(s.u, v_);
        CodeObject co;
        assemble(s.u, v_, co, out_.codes, filename_);
        if ((int)co.instructions.size() > lim_.max_instructions)
            throw CompileError(s.u.firstlineno, 1, "`" + s.u.qualname + "` compiles to more than " +
                                                       std::to_string(lim_.max_instructions) + " instructions (the lab's limit)");
        out_.codes[(size_t)idx] = std::move(co);
        if (!stack_.empty()) line_ = saved_line;
        return idx;
    }
    Block* new_block() {
        u().blocks.push_back(std::make_unique<Block>());
        Block* b = u().blocks.back().get();
        b->id = (int)u().blocks.size() - 1;
        return b;
    }
    void use_block(Block* b) {
        cur()->next = b;
        cur() = b;
    }
    void emit_at(Op op, int arg, int line, Block* target = nullptr, bool flag = false) {
        CInstr i;
        i.op = op;
        i.arg = arg;
        i.line = line;
        i.target = target;
        i.flag = flag;
        cur()->ins.push_back(i);
        // A jump ends its basic block (what follows is the fall-through block).
        if (is_jump(op)) use_block(new_block());
    }
    void emit(Op op, int arg = 0) { emit_at(op, arg, line_); }
    void emit_noline(Op op, int arg = 0) { emit_at(op, arg, v_ >= 10 ? -1 : line_); }
    void emit_jump(Op op, Block* t) { emit_at(op, 0, line_, t); }
    void emit_jump_noline(Op op, Block* t) { emit_at(op, 0, v_ >= 10 ? -1 : line_, t); }
    // The generic unconditional jump: 3.9/3.10 name their jumps at emission.
    Op jump_fwd() const { return v_ >= 11 ? Op::JUMP : Op::JUMP_FORWARD; }
    Op jump_abs() const { return v_ >= 11 ? Op::JUMP : Op::JUMP_ABSOLUTE; }

    // ---------------------------------------------------------------- constants and names
    int add_const(const ConstSlot& c) {
        auto& cs = u().consts;
        if (c.code < 0)
            for (size_t i = 0; i < cs.size(); ++i)
                if (cs[i].code < 0 && cs[i].value == c.value) return (int)i;
        cs.push_back(c);
        return (int)cs.size() - 1;
    }
    int const_index(const Constant& k) {
        ConstSlot s;
        s.value = k;
        return add_const(s);
    }
    void load_const(const Constant& k) { emit(Op::LOAD_CONST, const_index(k)); }
    void load_none() {
        Constant n;
        emit(Op::LOAD_CONST, const_index(n));
    }
    static int index_in(std::vector<std::string>& v, const std::string& n) {
        for (size_t i = 0; i < v.size(); ++i)
            if (v[i] == n) return (int)i;
        v.push_back(n);
        return (int)v.size() - 1;
    }
    int name_index(const std::string& n) { return index_in(u().names, n); }
    int local_index(const std::string& n) { return index_in(u().varnames, n); }
    int deref_index(const std::string& n) {
        // 3.9/3.10 index cells then frees; 3.11+ index into all locals (the assembler maps it).
        for (size_t i = 0; i < u().cellvars.size(); ++i)
            if (u().cellvars[i] == n) return (int)i;
        for (size_t i = 0; i < u().freevars.size(); ++i)
            if (u().freevars[i] == n) return (int)(u().cellvars.size() + i);
        u().freevars.push_back(n);
        return (int)(u().cellvars.size() + u().freevars.size() - 1);
    }
    bool inlined_local(const std::string& n) const {
        for (auto& s : stack_.back().inlined)
            if (s.count(n)) return true;
        return false;
    }

    enum class Ctx : uint8_t { Load, Store };
    void name_op(const std::string& n, Ctx ctx, bool push_null = false) {
        if (inlined_local(n)) {
            emit(ctx == Ctx::Load ? Op::LOAD_FAST : Op::STORE_FAST, local_index(n));
            return;
        }
        Scope sc = resolve(st(), n);
        const bool fn = st().kind == SymTable::Kind::Function || st().kind == SymTable::Kind::Comprehension;
        switch (sc) {
        case Scope::Local:
            emit(ctx == Ctx::Load ? Op::LOAD_FAST : Op::STORE_FAST, local_index(n));
            return;
        case Scope::Cell:
        case Scope::Free:
            emit(ctx == Ctx::Load ? Op::LOAD_DEREF : Op::STORE_DEREF, deref_index(n));
            return;
        case Scope::GlobalExplicit:
            emit_global(n, ctx, push_null);
            return;
        case Scope::GlobalImplicit:
            if (fn) emit_global(n, ctx, push_null);
            else emit(ctx == Ctx::Load ? Op::LOAD_NAME : Op::STORE_NAME, name_index(n));
            return;
        }
    }
    void emit_global(const std::string& n, Ctx ctx, bool push_null) {
        if (ctx == Ctx::Store) {
            emit(Op::STORE_GLOBAL, name_index(n));
            return;
        }
        emit_at(Op::LOAD_GLOBAL, name_index(n), line_, nullptr, push_null);
    }

    // ---------------------------------------------------------------- fblocks (break/continue/return)
    std::vector<FBlock>& fblocks() { return stack_.back().fblocks; }

    // Emits what leaving `f` early needs (compiler_unwind_fblock).
    void unwind(const FBlock& f, bool preserve_tos) {
        switch (f.kind) {
        case FBlock::Kind::For:
            if (preserve_tos) emit_rot2();
            emit(Op::POP_TOP);
            return;
        case FBlock::Kind::While: return;
        case FBlock::Kind::Comprehension: return;
        case FBlock::Kind::With: {
            int saved = line_;
            if (preserve_tos) emit_rot2();
            emit(Op::POP_BLOCK);
            line_ = f.line;  // the __exit__ call is on the `with` line (3.10+)
            if (v_ == 9) line_ = saved;
            call_exit_with_nones();
            emit(Op::POP_TOP);
            line_ = saved;
            return;
        }
        }
    }
    void emit_rot2() {
        if (v_ >= 11) emit(Op::SWAP, 2);
        else emit(Op::ROT_TWO);
    }
    void call_exit_with_nones() {
        load_none();
        if (v_ >= 11) {
            load_none();
            load_none();
            if (v_ == 11) emit(Op::PRECALL, 2);
            emit(Op::CALL, 2);
        } else {
            emit(Op::DUP_TOP);
            emit(Op::DUP_TOP);
            emit(Op::CALL_FUNCTION, 3);
        }
    }

    // ---------------------------------------------------------------- [SECTION] statements
    void body(const Body& b) {
        for (auto& s : b) stmt(*s);
    }
    void set_line(int l) { line_ = l; }

    void stmt(const Stmt& s) {
        set_line(s.pos.line);
        switch (s.kind) {
        case StmtKind::Pass:
            if (v_ >= 10) emit(Op::NOP);
            return;
        case StmtKind::Expr:
            if (s.value->kind == ExprKind::Const) {
                if (v_ >= 10) emit(Op::NOP);
                return;
            }
            expr(*s.value);
            emit(Op::POP_TOP);
            return;
        case StmtKind::Assign: {
            expr(*s.value);
            for (size_t i = 0; i < s.targets.size(); ++i) {
                if (i + 1 < s.targets.size()) {
                    if (v_ >= 11) emit(Op::COPY, 1);
                    else emit(Op::DUP_TOP);
                }
                store_target(*s.targets[i]);
            }
            return;
        }
        case StmtKind::AugAssign: aug_assign(s); return;
        case StmtKind::If: if_stmt(s); return;
        case StmtKind::While: while_stmt(s); return;
        case StmtKind::For: for_stmt(s); return;
        case StmtKind::Break: break_stmt(s); return;
        case StmtKind::Continue: continue_stmt(s); return;
        case StmtKind::Return: return_stmt(s); return;
        case StmtKind::Global: return;  // a declaration: no code
        case StmtKind::Import: import_stmt(s); return;
        case StmtKind::ImportFrom: import_from(s); return;
        case StmtKind::FunctionDef: function_def(s); return;
        case StmtKind::ClassDef: class_def(s); return;
        case StmtKind::With: with_stmt(s); return;
        }
    }

    void store_target(const Expr& t) {
        set_line_expr(t);
        switch (t.kind) {
        case ExprKind::Name: name_op(t.name, Ctx::Store); return;
        case ExprKind::Attribute:
            expr(*t.a);
            emit(Op::STORE_ATTR, name_index(t.name));
            return;
        case ExprKind::Subscript:
            expr(*t.a);
            expr(*t.b);
            emit(Op::STORE_SUBSCR);
            return;
        case ExprKind::Tuple:
        case ExprKind::List:
            emit(Op::UNPACK_SEQUENCE, (int)t.items.size());
            for (auto& i : t.items) store_target(*i);
            return;
        default: throw CompileError(t.pos.line, t.pos.col, "cannot assign to expression");
        }
    }

    static Op inplace_op(BinOpKind k) {
        switch (k) {
        case BinOpKind::Add: return Op::INPLACE_ADD;
        case BinOpKind::Sub: return Op::INPLACE_SUBTRACT;
        case BinOpKind::Mul: return Op::INPLACE_MULTIPLY;
        case BinOpKind::FloorDiv: return Op::INPLACE_FLOOR_DIVIDE;
        case BinOpKind::Mod: return Op::INPLACE_MODULO;
        case BinOpKind::Pow: return Op::INPLACE_POWER;
        case BinOpKind::TrueDiv: return Op::INPLACE_TRUE_DIVIDE;
        }
        return Op::INPLACE_ADD;
    }
    static Op binary_op(BinOpKind k) {
        switch (k) {
        case BinOpKind::Add: return Op::BINARY_ADD;
        case BinOpKind::Sub: return Op::BINARY_SUBTRACT;
        case BinOpKind::Mul: return Op::BINARY_MULTIPLY;
        case BinOpKind::FloorDiv: return Op::BINARY_FLOOR_DIVIDE;
        case BinOpKind::Mod: return Op::BINARY_MODULO;
        case BinOpKind::Pow: return Op::BINARY_POWER;
        case BinOpKind::TrueDiv: return Op::BINARY_TRUE_DIVIDE;
        }
        return Op::BINARY_ADD;
    }
    // BINARY_OP's argument (NB_* in Include/internal/pycore_opcode_utils.h).
    static int nb_arg(BinOpKind k, bool inplace) {
        int base = 0;
        switch (k) {
        case BinOpKind::Add: base = 0; break;
        case BinOpKind::FloorDiv: base = 2; break;
        case BinOpKind::Mul: base = 5; break;
        case BinOpKind::Mod: base = 6; break;
        case BinOpKind::Pow: base = 8; break;
        case BinOpKind::Sub: base = 10; break;
        case BinOpKind::TrueDiv: base = 11; break;
        }
        return inplace ? base + 13 : base;
    }
    void emit_binop(BinOpKind k, bool inplace) {
        if (v_ >= 11) emit(Op::BINARY_OP, nb_arg(k, inplace));
        else emit(inplace ? inplace_op(k) : binary_op(k));
    }

    void aug_assign(const Stmt& s) {
        const Expr& t = *s.targets[0];
        switch (t.kind) {
        case ExprKind::Name:
            name_op(t.name, Ctx::Load);
            expr(*s.value);
            set_line(s.pos.line);
            emit_binop(s.aug, true);
            name_op(t.name, Ctx::Store);
            return;
        case ExprKind::Attribute:
            expr(*t.a);
            set_line(s.pos.line);
            if (v_ >= 11) emit(Op::COPY, 1);
            else emit(Op::DUP_TOP);
            emit_at(Op::LOAD_ATTR, name_index(t.name), line_);
            expr(*s.value);
            set_line(s.pos.line);
            emit_binop(s.aug, true);
            emit_rot2();
            emit(Op::STORE_ATTR, name_index(t.name));
            return;
        case ExprKind::Subscript:
            expr(*t.a);
            expr(*t.b);
            set_line(s.pos.line);
            if (v_ >= 11) { emit(Op::COPY, 2); emit(Op::COPY, 2); }
            else emit(Op::DUP_TOP_TWO);
            emit(Op::BINARY_SUBSCR);
            expr(*s.value);
            set_line(s.pos.line);
            emit_binop(s.aug, true);
            if (v_ >= 11) { emit(Op::SWAP, 3); emit(Op::SWAP, 2); }
            else emit(Op::ROT_THREE);
            emit(Op::STORE_SUBSCR);
            return;
        default: throw CompileError(t.pos.line, t.pos.col, "illegal expression for augmented assignment");
        }
    }

    // Truth value of a constant test, or -1 (compile.c expr_constant).
    static int const_truth(const Expr& e) {
        if (e.kind != ExprKind::Const) return -1;
        const Constant& c = e.value;
        switch (c.kind) {
        case ConstKind::None:
        case ConstKind::False: return 0;
        case ConstKind::True:
        case ConstKind::Ellipsis: return 1;
        case ConstKind::Int: return c.i != 0;
        case ConstKind::BigInt: return 1;
        case ConstKind::Float: return c.f != 0;
        case ConstKind::Str:
        case ConstKind::Bytes: return !c.s.empty();
        case ConstKind::Tuple: return !c.items.empty();
        }
        return -1;
    }

    void if_stmt(const Stmt& s) {
        int k = v_ == 9 ? const_truth(*s.value) : -1;
        if (k == 0) {
            body_not_emitted(s.body);
            if (!s.orelse.empty()) body(s.orelse);
            return;
        }
        if (k == 1) {
            body(s.body);
            return;
        }
        Block* end = new_block();
        Block* next = s.orelse.empty() ? end : new_block();
        jump_if(*s.value, next, false);
        body(s.body);
        if (!s.orelse.empty()) {
            emit_jump_noline(jump_fwd(), end);
            use_block(next);
            body(s.orelse);
        }
        use_block(end);
    }
    // 3.9 compiles a body under a false constant test without emitting it (names still count).
    void body_not_emitted(const Body& b) {
        Block* saved = cur();
        Block* scratch = new_block();
        cur() = scratch;
        body(b);
        cur() = saved;
        scratch->ins.clear();
    }

    void while_stmt(const Stmt& s) {
        if (v_ == 9) {
            int k = const_truth(*s.value);
            if (k == 0) { body_not_emitted(s.body); return; }
            Block* loop = new_block();
            Block* end = new_block();
            Block* anchor = k == -1 ? new_block() : nullptr;
            use_block(loop);
            fblocks().push_back({FBlock::Kind::While, loop, end, s.pos.line});
            if (k == -1) jump_if(*s.value, anchor, false);
            body(s.body);
            emit_jump(Op::JUMP_ABSOLUTE, loop);
            if (anchor) use_block(anchor);
            fblocks().pop_back();
            use_block(end);
            return;
        }
        Block* loop = new_block();
        Block* bodyb = new_block();
        Block* anchor = new_block();
        Block* end = new_block();
        use_block(loop);
        fblocks().push_back({FBlock::Kind::While, loop, end, s.pos.line});
        jump_if(*s.value, anchor, false);
        use_block(bodyb);
        body(s.body);
        set_line(s.pos.line);
        jump_if(*s.value, bodyb, true);
        fblocks().pop_back();
        use_block(anchor);
        use_block(end);
    }

    void for_stmt(const Stmt& s) {
        Block* start = new_block();
        Block* cleanup = new_block();
        Block* end = new_block();
        expr(*s.value);
        set_line(s.pos.line);
        emit(Op::GET_ITER);
        use_block(start);
        fblocks().push_back({FBlock::Kind::For, start, end, s.pos.line});
        if (v_ >= 12) {
            emit_jump(Op::FOR_ITER, cleanup);
        } else {
            emit_jump(Op::FOR_ITER, cleanup);
        }
        if (v_ >= 11) use_block(new_block());
        store_target(*s.targets[0]);
        body(s.body);
        if (v_ >= 10) emit_jump_noline(jump_abs(), start);
        else emit_jump(Op::JUMP_ABSOLUTE, start);
        if (v_ == 10) line_ = -1;  // 3.10's compiler_for: `c->u->u_lineno = -1` for the back jump, and it stays
        use_block(cleanup);
        if (v_ >= 12) {
            set_line(s.pos.line);
            emit_noline(Op::END_FOR);
            if (v_ >= 13) emit_noline(Op::POP_TOP);
        }
        fblocks().pop_back();
        use_block(end);
    }

    void break_stmt(const Stmt& s) {
        // Unwind every block up to and including the innermost loop.
        auto& fb = fblocks();
        int i = (int)fb.size() - 1;
        std::vector<FBlock> copy = fb;
        while (i >= 0 && copy[(size_t)i].kind != FBlock::Kind::For && copy[(size_t)i].kind != FBlock::Kind::While) {
            unwind(copy[(size_t)i], false);
            --i;
        }
        if (i < 0) throw CompileError(s.pos.line, s.pos.col, "'break' outside loop");
        set_line(s.pos.line);
        unwind(copy[(size_t)i], false);
        emit_jump(v_ == 9 ? Op::JUMP_ABSOLUTE : jump_abs(), copy[(size_t)i].exit);
        use_block(new_block());
    }
    void continue_stmt(const Stmt& s) {
        auto& fb = fblocks();
        int i = (int)fb.size() - 1;
        std::vector<FBlock> copy = fb;
        while (i >= 0 && copy[(size_t)i].kind != FBlock::Kind::For && copy[(size_t)i].kind != FBlock::Kind::While) {
            unwind(copy[(size_t)i], false);
            --i;
        }
        if (i < 0) throw CompileError(s.pos.line, s.pos.col, "'continue' not properly in loop");
        set_line(s.pos.line);
        emit_jump(v_ == 9 ? Op::JUMP_ABSOLUTE : jump_abs(), copy[(size_t)i].start);
        use_block(new_block());
    }
    void return_stmt(const Stmt& s) {
        bool preserve = s.value != nullptr;
        if (s.value) {
            if (v_ >= 12 && s.value->kind == ExprKind::Const) preserve = false;
            else expr(*s.value);
        }
        std::vector<FBlock> copy = fblocks();
        for (int i = (int)copy.size() - 1; i >= 0; --i) unwind(copy[(size_t)i], preserve);
        set_line(s.pos.line);
        if (s.value && v_ >= 12 && s.value->kind == ExprKind::Const) load_const(s.value->value);
        else if (!s.value) load_none();
        emit(Op::RETURN_VALUE);
        use_block(new_block());
    }

    void implicit_return() {
        if (v_ >= 10) line_ = -1;
        load_none();
        emit(Op::RETURN_VALUE);
    }

    void import_stmt(const Stmt& s) {
        for (auto& a : s.aliases) {
            Constant zero;
            zero.kind = ConstKind::Int;
            zero.i = 0;
            load_const(zero);
            load_none();
            emit(Op::IMPORT_NAME, name_index(a.name));
            if (!a.asname.empty()) {
                size_t dot = a.name.find('.');
                if (dot != std::string::npos) {
                    // import a.b.c as d: IMPORT_FROM each later part (compiler_import_as).
                    size_t pos = dot + 1;
                    for (;;) {
                        size_t nd = a.name.find('.', pos);
                        std::string part = a.name.substr(pos, nd == std::string::npos ? std::string::npos : nd - pos);
                        emit(Op::IMPORT_FROM, name_index(part));
                        if (nd == std::string::npos) break;
                        emit_rot2();
                        emit(Op::POP_TOP);
                        pos = nd + 1;
                    }
                    name_op(a.asname, Ctx::Store);
                    emit(Op::POP_TOP);
                } else {
                    name_op(a.asname, Ctx::Store);
                }
            } else {
                name_op(a.name.substr(0, a.name.find('.')), Ctx::Store);
            }
        }
    }
    void import_from(const Stmt& s) {
        Constant zero;
        zero.kind = ConstKind::Int;
        zero.i = 0;
        load_const(zero);
        Constant names;
        names.kind = ConstKind::Tuple;
        for (auto& a : s.aliases) {
            Constant n;
            n.kind = ConstKind::Str;
            n.s = a.name;
            names.items.push_back(n);
        }
        load_const(names);
        emit(Op::IMPORT_NAME, name_index(s.name));
        for (auto& a : s.aliases) {
            emit(Op::IMPORT_FROM, name_index(a.name));
            name_op(a.asname.empty() ? a.name : a.asname, Ctx::Store);
        }
        emit(Op::POP_TOP);
    }

    void with_stmt(const Stmt& s) {
        Block* block = new_block();
        Block* final_ = new_block();
        Block* exit = new_block();
        expr(*s.value);
        set_line(s.pos.line);
        if (v_ >= 11) {
            emit(Op::BEFORE_WITH);
            emit_jump(Op::SETUP_WITH, final_);
        } else {
            emit_jump(Op::SETUP_WITH, final_);
        }
        use_block(block);
        fblocks().push_back({FBlock::Kind::With, block, final_, s.pos.line});
        if (!s.targets.empty()) store_target(*s.targets[0]);
        else emit(Op::POP_TOP);
        body(s.body);
        fblocks().pop_back();
        if (v_ >= 10) emit_noline(Op::POP_BLOCK);  // 3.10+: "Mark all following code as artificial" (compiler_with)
        else emit(Op::POP_BLOCK);
        set_line(v_ == 9 ? line_ : s.pos.line);
        call_exit_with_nones();
        emit(Op::POP_TOP);
        emit_jump(jump_fwd(), exit);
        // The exceptional exit: __exit__(type, value, traceback), re-raise unless it returns true.
        use_block(final_);
        if (v_ >= 11) {
            Block* cleanup = new_block();
            Block* suppress = new_block();
            emit_jump(Op::SETUP_CLEANUP, cleanup);
            emit(Op::PUSH_EXC_INFO);
            emit(Op::WITH_EXCEPT_START);
            if (v_ >= 13) emit_noline(Op::TO_BOOL);
            emit_at(Op::POP_JUMP_IF_TRUE, 0, -1, suppress);
            emit_noline(Op::RERAISE, 2);
            if (v_ == 11) {
                use_block(cleanup);
                emit_noline(Op::COPY, 3);
                emit_noline(Op::POP_EXCEPT);
                emit_noline(Op::RERAISE, 1);
                use_block(suppress);
                emit_noline(Op::POP_TOP);
                emit_noline(Op::POP_BLOCK);
                emit_noline(Op::POP_EXCEPT);
                emit_noline(Op::POP_TOP);
                emit_noline(Op::POP_TOP);
            } else {
                use_block(suppress);
                emit_noline(Op::POP_TOP);
                emit_noline(Op::POP_BLOCK);
                emit_noline(Op::POP_EXCEPT);
                emit_noline(Op::POP_TOP);
                emit_noline(Op::POP_TOP);
                emit_at(v_ >= 13 ? Op::JUMP_NO_INTERRUPT : Op::JUMP, 0, -1, exit);
                use_block(cleanup);
                emit_noline(Op::COPY, 3);
                emit_noline(Op::POP_EXCEPT);
                emit_noline(Op::RERAISE, 1);
            }
        } else {
            Block* exit2 = new_block();
            // 3.10's compiler_with: `c->u->u_lineno = -1` before the exceptional exit; what
            // follows the with statement has no line until the next statement sets one.
            if (v_ == 10) line_ = -1;
            emit(Op::WITH_EXCEPT_START);
            emit_jump(Op::POP_JUMP_IF_TRUE, exit2);
            emit(Op::RERAISE, v_ >= 10 ? 1 : 0);
            use_block(exit2);
            emit(Op::POP_TOP);
            emit(Op::POP_TOP);
            emit(Op::POP_TOP);
            emit(Op::POP_EXCEPT);
            emit(Op::POP_TOP);
        }
        use_block(exit);
    }

    // ---------------------------------------------------------------- functions and classes
    void function_def(const Stmt& s) {
        // Defaults first (one constant tuple when they are all constants).
        int flags = 0;
        if (!s.defaults.empty()) {
            bool all_const = true;
            for (auto& d : s.defaults) all_const = all_const && d->kind == ExprKind::Const;
            if (all_const) {
                Constant t;
                t.kind = ConstKind::Tuple;
                for (auto& d : s.defaults) t.items.push_back(d->value);
                load_const(t);
            } else {
                for (auto& d : s.defaults) expr(*d);
                set_line(s.pos.line);
                emit(Op::BUILD_TUPLE, (int)s.defaults.size());
            }
            flags |= 1;
        }
        SymTable* child = st().children.at(&s).get();
        Unit fu;
        fu.name = s.name;
        fu.qualname = qualname_for(s.name);
        fu.kind = Unit::Kind::Function;
        fu.firstlineno = s.pos.line;
        fu.argcount = (int)s.names.size();
        fu.is_async = s.is_async;
        int parent_line = line_;
        enter(std::move(fu), child);
        line_ = s.pos.line;
        // co_consts[0] is the docstring, or None.
        size_t first = 0;
        if (!s.body.empty() && s.body[0]->kind == StmtKind::Expr && s.body[0]->value->kind == ExprKind::Const &&
            s.body[0]->value->value.kind == ConstKind::Str) {
            const_index(s.body[0]->value->value);
            first = 1;
        } else {
            const_index(Constant{});
        }
        prologue(s.pos.line);
        // 3.12+: a coroutine's body turns a StopIteration escaping it into a RuntimeError.
        Block* stop_handler = nullptr;
        if (s.is_async && v_ >= 12) {
            stop_handler = new_block();
            emit_at(Op::SETUP_CLEANUP, 0, -1, stop_handler);
        }
        for (size_t i = first; i < s.body.size(); ++i) stmt(*s.body[i]);
        implicit_return();
        if (stop_handler) {
            use_block(stop_handler);
            emit_at(Op::CALL_INTRINSIC_1, 3, -1);
            emit_at(Op::RERAISE, 1, -1);
        }
        int idx = leave();
        line_ = parent_line;
        set_line(s.pos.line);
        make_function(idx, flags, qualname_for(s.name), freevars_of(idx));
        name_op(s.name, Ctx::Store);
    }
    void prologue(int def_line) {
        if (v_ >= 11) {
            // MAKE_CELL / COPY_FREE_VARS come before RESUME.
            for (size_t i = 0; i < u().cellvars.size(); ++i) emit_at(Op::MAKE_CELL, (int)i, -1);
            if (!u().freevars.empty()) emit_at(Op::COPY_FREE_VARS, (int)u().freevars.size(), -1);
            if (u().is_async) {
                emit_at(Op::RETURN_GENERATOR, 0, def_line);
                emit_at(Op::POP_TOP, 0, def_line);
            }
            emit_at(Op::RESUME, 0, def_line);
        } else if (v_ == 10 && u().is_async) {
            emit_at(Op::GEN_START, 1, -1);
        }
    }
    std::string qualname_for(const std::string& name) {
        // Functions and classes at the top level are their own qualname; methods are Class.name;
        // things inside a function are f.<locals>.name.
        std::string prefix;
        if (stack_.size() >= 1) {
            const State& s = stack_.back();
            if (s.u.kind == Unit::Kind::Class) prefix = s.u.qualname + ".";
            else if (s.u.kind == Unit::Kind::Function) prefix = s.u.qualname + ".<locals>.";
            else if (s.u.kind == Unit::Kind::Comprehension) prefix = s.u.qualname + ".";
        }
        return prefix + name;
    }
    std::vector<std::string> freevars_of(int code_index) { return pending_free_[code_index]; }
    std::map<int, std::vector<std::string>> pending_free_;

    void make_function(int code_index, int flags, const std::string& qualname, const std::vector<std::string>& free) {
        if (!free.empty()) {
            for (auto& n : free) {
                // LOAD_CLOSURE of the enclosing unit's cell
                emit(Op::LOAD_CLOSURE, deref_index(n));
            }
            emit(Op::BUILD_TUPLE, (int)free.size());
            flags |= 8;
        }
        ConstSlot cs;
        cs.code = code_index;
        emit(Op::LOAD_CONST, add_const(cs));
        if (v_ <= 10) {
            Constant q;
            q.kind = ConstKind::Str;
            q.s = qualname;
            load_const(q);
        }
        if (v_ >= 13) {
            emit(Op::MAKE_FUNCTION, 0);
            // SET_FUNCTION_ATTRIBUTE for each flag, highest first (closure 8, defaults 1).
            for (int f : {8, 4, 2, 1})
                if (flags & f) emit(Op::SET_FUNCTION_ATTRIBUTE, f);
        } else {
            emit(Op::MAKE_FUNCTION, flags);
        }
    }

    void class_def(const Stmt& s) {
        set_line(s.pos.line);
        if (v_ >= 13) {
            emit(Op::LOAD_BUILD_CLASS);
            emit(Op::PUSH_NULL);
        } else {
            if (v_ >= 11) emit(Op::PUSH_NULL);
            emit(Op::LOAD_BUILD_CLASS);
        }
        SymTable* child = st().children.at(&s).get();
        Unit cu;
        cu.name = s.name;
        cu.qualname = qualname_for(s.name);
        cu.kind = Unit::Kind::Class;
        cu.firstlineno = s.pos.line;
        int parent_line = line_;
        enter(std::move(cu), child);
        line_ = s.pos.line;
        if (v_ >= 11) emit_at(Op::RESUME, 0, s.pos.line);
        emit(Op::LOAD_NAME, name_index("__name__"));
        emit(Op::STORE_NAME, name_index("__module__"));
        Constant q;
        q.kind = ConstKind::Str;
        q.s = u().qualname;
        load_const(q);
        emit(Op::STORE_NAME, name_index("__qualname__"));
        if (v_ >= 13) {
            Constant fl;
            fl.kind = ConstKind::Int;
            fl.i = s.pos.line;
            load_const(fl);
            emit(Op::STORE_NAME, name_index("__firstlineno__"));
        }
        size_t first = 0;
        if (!s.body.empty() && s.body[0]->kind == StmtKind::Expr && s.body[0]->value->kind == ExprKind::Const &&
            s.body[0]->value->value.kind == ConstKind::Str) {
            set_line(s.body[0]->pos.line);
            load_const(s.body[0]->value->value);
            emit(Op::STORE_NAME, name_index("__doc__"));
            first = 1;
        }
        for (size_t i = first; i < s.body.size(); ++i) stmt(*s.body[i]);
        if (v_ >= 13) {
            // __static_attributes__: the names assigned as self.<name> in the methods, sorted.
            Constant attrs;
            attrs.kind = ConstKind::Tuple;
            std::set<std::string> names;
            collect_self_attrs(s.body, names);
            for (auto& n : names) {
                Constant c;
                c.kind = ConstKind::Str;
                c.s = n;
                attrs.items.push_back(c);
            }
            line_ = -1;
            load_const(attrs);
            emit(Op::STORE_NAME, name_index("__static_attributes__"));
        }
        implicit_return();
        int idx = leave();
        line_ = parent_line;
        set_line(s.pos.line);
        make_function(idx, 0, u_qual_child(s.name), {});
        Constant n;
        n.kind = ConstKind::Str;
        n.s = s.name;
        load_const(n);
        if (v_ >= 11) {
            if (v_ == 11) emit(Op::PRECALL, 2);
            emit(Op::CALL, 2);
        } else {
            emit(Op::CALL_FUNCTION, 2);
        }
        name_op(s.name, Ctx::Store);
    }
    std::string u_qual_child(const std::string& n) { return qualname_for(n); }
    static void collect_self_attrs(const Body& b, std::set<std::string>& out) {
        std::function<void(const Expr&)> tgt = [&](const Expr& e) {
            if (e.kind == ExprKind::Attribute && e.a && e.a->kind == ExprKind::Name && e.a->name == "self") out.insert(e.name);
            for (auto& i : e.items) tgt(*i);
        };
        std::function<void(const Body&)> walk = [&](const Body& body) {
            for (auto& s : body) {
                if (s->kind == StmtKind::Assign || s->kind == StmtKind::AugAssign || s->kind == StmtKind::For ||
                    s->kind == StmtKind::With)
                    for (auto& t : s->targets) tgt(*t);
                walk(s->body);
                walk(s->orelse);
            }
        };
        for (auto& s : b)
            if (s->kind == StmtKind::FunctionDef && !s->names.empty() && s->names[0] == "self") walk(s->body);
    }

    // ---------------------------------------------------------------- [SECTION] expressions
    void set_line_expr(const Expr& e) {
        if (v_ == 9) {
            if (e.pos.line > line_) line_ = e.pos.line;
        } else {
            line_ = e.pos.line;
        }
    }

    // Every version sets the expression's line for its instructions and restores the enclosing
    // one after it (3.9's compiler_visit_expr too: `[f(1),\n f(2)]` gives BUILD_LIST line 1 again).
    void expr(const Expr& e) {
        int saved = line_;
        if (v_ == 9) line_ = e.pos.line;
        else set_line_expr(e);
        expr_inner(e);
        line_ = saved;
    }

    void expr_inner(const Expr& e) {
        switch (e.kind) {
        case ExprKind::Const: load_const(e.value); return;
        case ExprKind::Name: name_op(e.name, Ctx::Load); return;
        case ExprKind::BinOp:
            expr(*e.a);
            expr(*e.b);
            emit_binop(e.bin, false);
            return;
        case ExprKind::Unary:
            expr(*e.a);
            if (e.unary == UnaryKind::Not) {
                if (v_ >= 13) emit(Op::TO_BOOL);
                emit(Op::UNARY_NOT);
            } else if (e.unary == UnaryKind::Neg) {
                emit(Op::UNARY_NEGATIVE);
            } else {
                if (v_ >= 12) emit(Op::CALL_INTRINSIC_1, 5);
                else emit(Op::UNARY_POSITIVE);
            }
            return;
        case ExprKind::BoolAnd:
        case ExprKind::BoolOr: {
            Block* end = new_block();
            const bool is_and = e.kind == ExprKind::BoolAnd;
            for (size_t i = 0; i + 1 < e.items.size(); ++i) {
                expr(*e.items[i]);
                if (v_ >= 12) {
                    emit(Op::COPY, 1);
                    if (v_ >= 13) emit(Op::TO_BOOL);
                    emit_jump(is_and ? Op::POP_JUMP_IF_FALSE : Op::POP_JUMP_IF_TRUE, end);
                    emit(Op::POP_TOP);
                } else {
                    emit_jump(is_and ? Op::JUMP_IF_FALSE_OR_POP : Op::JUMP_IF_TRUE_OR_POP, end);
                }
            }
            expr(*e.items.back());
            use_block(end);
            return;
        }
        case ExprKind::Compare:
            expr(*e.a);
            expr(*e.b);
            emit_compare(e.cmp);
            return;
        case ExprKind::Call: call(e); return;
        case ExprKind::Attribute:
            expr(*e.a);
            set_line_expr(e);
            emit_at(Op::LOAD_ATTR, name_index(e.name), line_);
            return;
        case ExprKind::Subscript:
            expr(*e.a);
            expr(*e.b);
            emit(Op::BINARY_SUBSCR);
            return;
        case ExprKind::List:
        case ExprKind::Tuple: sequence(e); return;
        case ExprKind::ListComp: list_comp(e); return;
        case ExprKind::Await:
            expr(*e.a);
            await_value();
            return;
        }
    }

    // `await x` (compiler_visit_expr1 Await_kind + ADD_YIELD_FROM).
    void await_value() {
        if (v_ >= 11) emit(Op::GET_AWAITABLE, 0);
        else emit(Op::GET_AWAITABLE);
        load_none();
        if (v_ >= 11) {
            Block* send = new_block();
            Block* fail = new_block();
            Block* exit = new_block();
            use_block(send);
            emit_jump(Op::SEND, exit);
            // SETUP_FINALLY fail: the yield is protected so that throw() reaches CLEANUP_THROW (3.12+).
            if (v_ >= 12) emit_jump(Op::SETUP_FINALLY, fail);
            emit(Op::YIELD_VALUE, v_ >= 12 ? 2 : 0);
            if (v_ >= 12) emit_noline(Op::POP_BLOCK);
            emit(Op::RESUME, 3);
            emit_jump(v_ >= 12 ? Op::JUMP_NO_INTERRUPT : Op::JUMP_BACKWARD_NO_INTERRUPT, send);
            if (v_ >= 12) {
                use_block(fail);
                emit(Op::CLEANUP_THROW);
            }
            use_block(exit);
            if (v_ >= 12) emit(Op::END_SEND);
        } else {
            emit(Op::YIELD_FROM);
        }
    }

    // cmp_op order ('<', '<=', '==', '!=', '>', '>=') and the specialisation masks of 3.12+.
    static int cmp_index(CmpKind k) {
        switch (k) {
        case CmpKind::Lt: return 0;
        case CmpKind::Le: return 1;
        case CmpKind::Eq: return 2;
        case CmpKind::Ne: return 3;
        case CmpKind::Gt: return 4;
        case CmpKind::Ge: return 5;
        default: return 0;
        }
    }
    void emit_compare(CmpKind k) {
        switch (k) {
        case CmpKind::Is: emit(Op::IS_OP, 0); return;
        case CmpKind::IsNot: emit(Op::IS_OP, 1); return;
        case CmpKind::In: emit(Op::CONTAINS_OP, 0); return;
        case CmpKind::NotIn: emit(Op::CONTAINS_OP, 1); return;
        default: emit(Op::COMPARE_OP, cmp_index(k)); return;
        }
    }

    void sequence(const Expr& e) {
        // A display of constants is one constant (tuples) or BUILD_LIST + LIST_EXTEND (3.9+, 3+ items).
        bool all_const = !e.items.empty();
        for (auto& i : e.items) all_const = all_const && i->kind == ExprKind::Const;
        if (e.kind == ExprKind::List && all_const && e.items.size() > 2) {
            emit(Op::BUILD_LIST, 0);
            Constant t;
            t.kind = ConstKind::Tuple;
            for (auto& i : e.items) t.items.push_back(i->value);
            load_const(t);
            emit(Op::LIST_EXTEND, 1);
            return;
        }
        for (auto& i : e.items) expr(*i);
        set_line_expr(e);
        emit(e.kind == ExprKind::List ? Op::BUILD_LIST : Op::BUILD_TUPLE, (int)e.items.size());
    }

    // Calls (compiler_call, maybe_optimize_method_call; the NULL / self slot of 3.11+).
    void call(const Expr& e) {
        const Expr& f = *e.a;
        // maybe_optimize_method_call: an attribute call, no keywords before 3.11; 3.11 and 3.12
        // do not treat an attribute of an imported module (`time.sleep`) as a method.
        bool method = f.kind == ExprKind::Attribute && (e.keywords.empty() || v_ >= 11) && e.items.size() < 255;
        if (method && f.a->kind == ExprKind::Name && module_imports_.count(f.a->name)) {
            // 3.11/3.12 look the name up in the module's table; 3.13 in the current scope's.
            if (v_ == 11 || v_ == 12) method = false;
            else if (v_ >= 13 && stack_.back().inlined.empty()) method = false;
        }
        if (method) {
            expr(*f.a);
            set_line_expr(f);
            if (v_ >= 12) emit_at(Op::LOAD_ATTR, name_index(f.name), line_, nullptr, true);
            else emit(Op::LOAD_METHOD, name_index(f.name));
            args(e);
            set_line_expr(e);
            if (v_ <= 10) emit(Op::CALL_METHOD, (int)e.items.size());
            else finish_call(e);
            return;
        }
        if (v_ >= 13) {
            expr(f);
            emit(Op::PUSH_NULL);  // LOAD_GLOBAL + PUSH_NULL become one LOAD_GLOBAL (flowgraph.cpp)
        } else if (v_ >= 11) {
            emit(Op::PUSH_NULL);  // PUSH_NULL + LOAD_GLOBAL become one LOAD_GLOBAL (flowgraph.cpp)
            expr(f);
        } else {
            expr(f);
        }
        args(e);
        set_line_expr(e);
        if (v_ <= 10) {
            if (e.keywords.empty()) emit(Op::CALL_FUNCTION, (int)e.items.size());
            else {
                load_const(kw_names(e));
                emit(Op::CALL_FUNCTION_KW, (int)(e.items.size() + e.keywords.size()));
            }
        } else {
            finish_call(e);
        }
    }
    bool is_global_load(const std::string& n) {
        if (inlined_local(n)) return false;
        Scope sc = resolve(st(), n);
        const bool fn = st().kind == SymTable::Kind::Function || st().kind == SymTable::Kind::Comprehension;
        return sc == Scope::GlobalExplicit || (sc == Scope::GlobalImplicit && fn);
    }
    Constant kw_names(const Expr& e) {
        Constant t;
        t.kind = ConstKind::Tuple;
        for (auto& k : e.keywords) {
            Constant s;
            s.kind = ConstKind::Str;
            s.s = k.name;
            t.items.push_back(s);
        }
        return t;
    }
    void args(const Expr& e) {
        for (auto& a : e.items) expr(*a);
        for (auto& k : e.keywords) expr(*k.value);
    }
    void finish_call(const Expr& e) {
        int n = (int)(e.items.size() + e.keywords.size());
        if (!e.keywords.empty()) {
            if (v_ >= 13) {
                load_const(kw_names(e));
                emit(Op::CALL_KW, n);
                return;
            }
            emit(Op::KW_NAMES, const_index(kw_names(e)));
        }
        if (v_ == 11) emit(Op::PRECALL, n);
        emit(Op::CALL, n);
    }

    // ---------------------------------------------------------------- comprehensions
    std::vector<SymTable*> inlined_tables_;
    SymTable* comp_table(const Expr& e) {
        auto it = st().children.find(&e);
        if (it != st().children.end()) return it->second.get();
        for (SymTable* t : inlined_tables_) {
            auto jt = t->children.find(&e);
            if (jt != t->children.end()) return jt->second.get();
        }
        throw CompileError(e.pos.line, e.pos.col, "internal error: no symbol table for this comprehension");
    }
    void list_comp(const Expr& e) {
        SymTable* child = comp_table(e);
        const Comprehension& g = e.generators[0];
        if (v_ >= 12) {
            inlined_comp(e, *child);
            return;
        }
        Unit cu;
        cu.name = "<listcomp>";
        cu.qualname = qualname_for("<listcomp>");
        cu.kind = Unit::Kind::Comprehension;
        cu.firstlineno = e.pos.line;
        cu.argcount = 1;
        int saved_line = line_;
        enter(std::move(cu), child);
        line_ = e.pos.line;
        // Free variables: names of the enclosing function read inside.
        std::vector<std::string> free;
        for (auto& [n, f] : child->flags)
            if ((f & 8) && resolve(*child, n) == Scope::Free) free.push_back(n);
        for (auto& n : free) u().freevars.push_back(n);
        prologue(e.pos.line);
        emit(Op::BUILD_LIST, 0);
        emit(Op::LOAD_FAST, local_index(".0"));
        Block* start = new_block();
        Block* anchor = new_block();
        use_block(start);
        emit_jump(Op::FOR_ITER, anchor);
        if (v_ >= 11) use_block(new_block());
        store_target(*g.target);
        for (auto& c : g.ifs) jump_if(*c, start, false);
        expr(*e.a);
        set_line(e.pos.line);
        emit(Op::LIST_APPEND, 2);
        emit_jump(v_ >= 11 ? Op::JUMP : Op::JUMP_ABSOLUTE, start);
        use_block(anchor);
        emit(Op::RETURN_VALUE);
        int idx = leave();
        line_ = saved_line;
        set_line_expr(e);
        // Free vars in the order CPython sorts them (alphabetically, by the symbol table's dict order).
        make_function(idx, 0, qualname_for("<listcomp>"), free);
        expr(*g.iter);
        set_line_expr(e);
        emit(Op::GET_ITER);
        if (v_ >= 11) {
            if (v_ == 11) emit(Op::PRECALL, 0);
            emit(Op::CALL, 0);
        } else {
            emit(Op::CALL_FUNCTION, 1);
        }
    }

    // PEP 709: the comprehension runs in the enclosing code object (3.12+).
    void inlined_comp(const Expr& e, SymTable& child) {
        const Comprehension& g = e.generators[0];
        expr(*g.iter);
        set_line_expr(e);
        emit(Op::GET_ITER);
        // Names bound by the comprehension are saved, cleared and restored around it.
        std::vector<std::string> locals;
        for (auto& [n, f] : child.flags)
            if ((f & 1) && n != ".0") locals.push_back(n);
        // symtable.c's inline_comprehension merges a nested inlined comprehension's names into
        // this one's symbols (after its own), so they are saved and restored here too.
        std::function<void(const SymTable&)> nested = [&](const SymTable& t) {
            for (const auto& [node, ct] : t.children) {
                if (ct->kind != SymTable::Kind::Comprehension) continue;
                for (auto& [n, f] : ct->flags)
                    if ((f & 1) && n != ".0" && std::find(locals.begin(), locals.end(), n) == locals.end()) locals.push_back(n);
                nested(*ct);
            }
        };
        nested(child);
        std::set<std::string> lset(locals.begin(), locals.end());
        for (auto& n : locals) emit(Op::LOAD_FAST_AND_CLEAR, local_index(n));
        Block* cleanup = new_block();
        Block* end = new_block();
        if (!locals.empty()) {
            emit(Op::SWAP, (int)locals.size() + 1);
            emit_jump(Op::SETUP_FINALLY, cleanup);
        }
        stack_.back().inlined.push_back(lset);
        inlined_tables_.push_back(&child);
        SymTable* saved = stack_.back().st;
        // Names not bound in the comprehension resolve in the enclosing scope.
        emit(Op::BUILD_LIST, 0);
        emit(Op::SWAP, 2);
        Block* start = new_block();
        Block* anchor = new_block();
        use_block(start);
        emit_jump(Op::FOR_ITER, anchor);
        use_block(new_block());
        store_target(*g.target);
        for (auto& c : g.ifs) jump_if(*c, start, false);
        expr(*e.a);
        set_line_expr(e);
        emit(Op::LIST_APPEND, 2);
        emit_jump_noline(Op::JUMP, start);
        use_block(anchor);
        emit_noline(Op::END_FOR);
        if (v_ >= 13) emit_noline(Op::POP_TOP);
        stack_.back().inlined.pop_back();
        inlined_tables_.pop_back();
        stack_.back().st = saved;
        if (!locals.empty()) {
            emit_noline(Op::POP_BLOCK);
            emit_at(Op::JUMP_NO_INTERRUPT, 0, -1, end);
            use_block(cleanup);
            emit_noline(Op::SWAP, 2);
            emit_noline(Op::POP_TOP);
            restore_locals(locals);
            emit_noline(Op::RERAISE, 0);
            use_block(end);
            restore_locals(locals);
        }
    }
    void restore_locals(const std::vector<std::string>& locals) {
        emit(Op::SWAP, (int)locals.size() + 1);
        // STORE_FAST_MAYBE_NULL in CPython: a pseudo instruction until after the superinstructions
        // are made, so it never joins one (flag marks it).
        for (size_t i = locals.size(); i-- > 0;) emit_at(Op::STORE_FAST, local_index(locals[i]), line_, nullptr, true);
    }

    // ---------------------------------------------------------------- conditional jumps
    // Jumps to `target` when the truth of `e` equals `cond` (compiler_jump_if).
    void jump_if(const Expr& e, Block* target, bool cond) {
        int saved = line_;
        set_line_expr(e);
        if (e.kind == ExprKind::Unary && e.unary == UnaryKind::Not) {
            jump_if(*e.a, target, !cond);
        } else if (e.kind == ExprKind::BoolAnd || e.kind == ExprKind::BoolOr) {
            bool cond2 = e.kind == ExprKind::BoolOr;
            Block* next2 = target;
            if (cond2 != cond) next2 = new_block();
            for (size_t i = 0; i + 1 < e.items.size(); ++i) jump_if(*e.items[i], next2, cond2);
            jump_if(*e.items.back(), target, cond);
            if (next2 != target) use_block(next2);
        } else {
            expr(e);
            set_line_expr(e);
            if (v_ >= 13) emit(Op::TO_BOOL);
            emit_jump(cond ? Op::POP_JUMP_IF_TRUE : Op::POP_JUMP_IF_FALSE, target);
        }
        if (v_ >= 10) line_ = saved;
    }
};

}  // namespace

// ======================================================================== [SECTION] entry points
const CodeObject* Compiled::find(const std::string& qualname) const {
    for (auto& c : codes)
        if (c.qualname == qualname) return &c;
    return nullptr;
}

Compiled compile(const Module& m_in, int minor, const std::string& filename, const Limits& limits) {
    if (minor < 9 || minor > 13)
        throw CompileError(1, 1, "the lab compiles for CPython 3.9 to 3.13, not 3." + std::to_string(minor));
    // The AST optimizer rewrites the tree; work on a private copy of the statements.
    Module m;
    m.source = m_in.source;
    m.filename = filename;
    Module reparsed = parse(m_in.source, limits);
    m.body = std::move(reparsed.body);
    fold_body(m.body);
    std::unique_ptr<SymTable> st = build_symtable(m, minor);
    Compiled out;
    out.minor = minor;
    out.filename = filename;
    Gen g(minor, filename, limits, out);
    g.module(m, *st);
    return out;
}

Compiled compile_source(const std::string& source, int minor, const std::string& filename, const Limits& limits) {
    Module m = parse(source, limits);
    return compile(m, minor, filename, limits);
}

}  // namespace gil::py
