// symtable.cpp — the symbol tables (Python/symtable.c for the subset): per scope, which
// names are parameters, assigned, declared global, or read by a comprehension (a cell
// before 3.12), so the code generator can pick LOAD_FAST, LOAD_GLOBAL, LOAD_NAME or LOAD_DEREF.
#include "engine/py/compile_internal.h"

namespace gil::py {

namespace {

class SymBuilder {
public:
    explicit SymBuilder(int /*minor: what this pass records is the same on 3.9-3.13*/) {}
    std::unique_ptr<SymTable> build(Module& m) {
        auto top = std::make_unique<SymTable>();
        top->kind = SymTable::Kind::Module;
        module_ = top.get();
        body(m.body, *top);
        return top;
    }

private:
    void def(SymTable& t, const std::string& n, Pos p) {
        int& f = t.flags[n];
        if ((f & 4) == 0 && (f & 8) && t.kind == SymTable::Kind::Function && false) (void)p;
        f |= 1;
    }
    void use(SymTable& t, const std::string& n) { t.flags[n] |= 8; }
    void body(Body& b, SymTable& t) {
        for (auto& s : b) stmt(*s, t);
    }
    void target(Expr& e, SymTable& t) {
        switch (e.kind) {
        case ExprKind::Name: def(t, e.name, e.pos); return;
        case ExprKind::Tuple:
        case ExprKind::List:
            for (auto& i : e.items) target(*i, t);
            return;
        default: expr(e, t); return;
        }
    }
    void stmt(Stmt& s, SymTable& t) {
        switch (s.kind) {
        case StmtKind::Global:
            for (auto& n : s.names) {
                int& f = t.flags[n];
                if (t.kind != SymTable::Kind::Module && (f & 2))
                    throw CompileError(s.pos.line, s.pos.col, "name '" + n + "' is parameter and global");
                if (t.kind != SymTable::Kind::Module && (f & (1 | 8)) && !(f & 4))
                    throw CompileError(s.pos.line, s.pos.col, "name '" + n + "' is used prior to global declaration");
                f |= 4;
                module_->flags[n] |= 4;  // CPython marks it global in the module too (symtable_add_def_helper)
            }
            return;
        case StmtKind::FunctionDef: {
            for (auto& d : s.defaults) expr(*d, t);
            def(t, s.name, s.pos);
            if (t.kind == SymTable::Kind::Function)
                throw CompileError(s.pos.line, s.pos.col, "nested functions (a def inside a def) are not supported by the lab's Python; supported: " + std::string(subset_text()));
            auto c = std::make_unique<SymTable>();
            c->kind = SymTable::Kind::Function;
            c->parent = &t;
            for (auto& n : s.names) { c->flags[n] |= 2; c->params.push_back(n); }
            body(s.body, *c);
            t.children[&s] = std::move(c);
            return;
        }
        case StmtKind::ClassDef: {
            def(t, s.name, s.pos);
            if (t.kind != SymTable::Kind::Module)
                throw CompileError(s.pos.line, s.pos.col, "classes are supported only at the top level of the program by the lab's Python");
            auto c = std::make_unique<SymTable>();
            c->kind = SymTable::Kind::Class;
            c->parent = &t;
            body(s.body, *c);
            t.children[&s] = std::move(c);
            return;
        }
        case StmtKind::Import:
        case StmtKind::ImportFrom:
            for (auto& a : s.aliases) {
                std::string n = !a.asname.empty() ? a.asname : a.name.substr(0, a.name.find('.'));
                def(t, n, a.pos);
            }
            return;
        case StmtKind::Assign:
            expr(*s.value, t);
            for (auto& tg : s.targets) target(*tg, t);
            return;
        case StmtKind::AugAssign:
            if (s.targets[0]->kind == ExprKind::Name) { use(t, s.targets[0]->name); def(t, s.targets[0]->name, s.pos); }
            else target(*s.targets[0], t);
            expr(*s.value, t);
            return;
        case StmtKind::For:
            expr(*s.value, t);
            target(*s.targets[0], t);
            body(s.body, t);
            return;
        case StmtKind::With:
            expr(*s.value, t);
            if (!s.targets.empty()) target(*s.targets[0], t);
            body(s.body, t);
            return;
        default:
            if (s.value) expr(*s.value, t);
            body(s.body, t);
            body(s.orelse, t);
            return;
        }
    }
    void expr(Expr& e, SymTable& t) {
        switch (e.kind) {
        case ExprKind::Name:
            if (e.store) def(t, e.name, e.pos);
            else use(t, e.name);
            return;
        case ExprKind::ListComp: {
            // The outermost iterable belongs to the enclosing scope; the rest to the comprehension's.
            expr(*e.generators[0].iter, t);
            auto c = std::make_unique<SymTable>();
            c->kind = SymTable::Kind::Comprehension;
            c->parent = &t;
            c->flags[".0"] |= 2;
            c->params.push_back(".0");
            target(*e.generators[0].target, *c);
            for (auto& i : e.generators[0].ifs) expr(*i, *c);
            expr(*e.a, *c);
            t.children[&e] = std::move(c);
            return;
        }
        default:
            if (e.a) expr(*e.a, t);
            if (e.b) expr(*e.b, t);
            for (auto& i : e.items) expr(*i, t);
            for (auto& k : e.keywords) expr(*k.value, t);
            return;
        }
    }
    SymTable* module_ = nullptr;
};


// Comprehensions before 3.12 are functions of their own: a name of the enclosing function
// that they read becomes a cell of that function and a free variable of theirs.
void mark_cells(SymTable& t, int minor) {
    for (auto& [node, c] : t.children) {
        mark_cells(*c, minor);
        if (minor >= 12 || c->kind != SymTable::Kind::Comprehension || t.kind != SymTable::Kind::Function) continue;
        for (auto& [n, f] : c->flags)
            if ((f & 8) && !c->bound(n) && !c->global_decl(n) && t.bound(n)) t.flags[n] |= 16;
    }
}

// Where a name of table `t` lives (Python/symtable.c analyze_name, for the subset).
}  // namespace

Scope resolve(const SymTable& t, const std::string& n) {
    if (t.global_decl(n)) return Scope::GlobalExplicit;
    if (t.kind == SymTable::Kind::Module || t.kind == SymTable::Kind::Class) return Scope::GlobalImplicit;
    if (t.bound(n)) {
        auto it = t.flags.find(n);
        if (t.kind == SymTable::Kind::Function && it != t.flags.end() && (it->second & 16)) return Scope::Cell;
        return Scope::Local;
    }
    if (t.kind == SymTable::Kind::Comprehension && t.parent && t.parent->kind == SymTable::Kind::Function &&
        t.parent->bound(n))
        return Scope::Free;
    return Scope::GlobalImplicit;
}


std::unique_ptr<SymTable> build_symtable(Module& m, int minor) {
    SymBuilder sb(minor);
    std::unique_ptr<SymTable> st = sb.build(m);
    mark_cells(*st, minor);
    return st;
}

}  // namespace gil::py
