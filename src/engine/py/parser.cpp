// parser.cpp — tokens to the syntax tree (ast.h), by recursive descent over Python's
// grammar (Grammar/python.gram) restricted to the lab's subset. Every construct outside
// the subset is recognised well enough to be named in its error message.
//
// Longer than the project's ~600 lines on purpose: one recursive-descent grammar reads best
// as one class, statement rules above expression rules, in the order of python.gram.
#include <cstring>

#include "engine/py/ast.h"
#include "engine/py/token.h"

namespace gil::py {

const char* subset_text() {
    return "import and from-import; module globals; def with positional parameters and defaults; async def and "
           "await; class with methods; global; return; if/elif/else; while; for over range(), a list or a name; "
           "break, continue, pass; with (one context manager); int, float, bool, None and string constants; "
           "+ - * / // % ** and unary - + not; < <= > >= == != is in; and, or; assignment and augmented "
           "assignment to names, attributes and items; tuples, lists, list comprehensions; calls with "
           "positional and keyword arguments";
}

bool Constant::operator==(const Constant& o) const {
    if (kind != o.kind) return false;
    switch (kind) {
    case ConstKind::Int: return i == o.i;
    case ConstKind::Float: return std::memcmp(&f, &o.f, sizeof f) == 0;
    case ConstKind::BigInt:
    case ConstKind::Str:
    case ConstKind::Bytes: return s == o.s;
    case ConstKind::Tuple: return items == o.items;
    default: return true;
    }
}

namespace {

const char* const kRefused[][2] = {
    {"yield", "`yield` (generators)"},
    {"lambda", "`lambda`"},
    {"try", "`try` statements (exceptions)"},
    {"except", "`except` (exceptions)"},
    {"finally", "`finally` (exceptions)"},
    {"raise", "`raise` (exceptions)"},
    {"del", "`del`"},
    {"assert", "`assert`"},
    {"nonlocal", "`nonlocal` (closures)"},
};

class Parser {
public:
    Parser(std::vector<Token> toks, const Limits& lim) : t_(std::move(toks)), lim_(lim) {}

    Module module() {
        Module m;
        while (!at(Tok::End)) {
            if (at(Tok::Newline)) { next(); continue; }
            statement(m.body);
        }
        return m;
    }

private:
    // ---------------------------------------------------------------- token helpers
    const Token& cur() const { return t_[k_]; }
    const Token& peek(size_t ahead = 1) const { return t_[std::min(k_ + ahead, t_.size() - 1)]; }
    bool at(Tok k) const { return cur().kind == k; }
    bool at_op(const char* o) const { return cur().kind == Tok::Op && cur().text == o; }
    bool at_kw(const char* w) const { return cur().kind == Tok::Name && cur().text == w; }
    const Token& next() { return t_[k_ < t_.size() - 1 ? k_++ : k_]; }
    bool eat_op(const char* o) {
        if (!at_op(o)) return false;
        next();
        return true;
    }
    bool eat_kw(const char* w) {
        if (!at_kw(w)) return false;
        next();
        return true;
    }
    [[noreturn]] void fail(Pos p, const std::string& msg) { throw CompileError(p.line, p.col, msg); }
    [[noreturn]] void unsupported(Pos p, const std::string& what) {
        fail(p, what + " is not supported by the lab's Python; supported: " + subset_text());
    }
    [[noreturn]] void syntax(const std::string& expected) {
        const Token& c = cur();
        std::string got = c.kind == Tok::Newline ? "the end of the line"
                          : c.kind == Tok::End   ? "the end of the program"
                          : c.kind == Tok::Indent ? "an indented block"
                          : c.kind == Tok::Dedent ? "the end of a block"
                          : c.kind == Tok::String ? "a string"
                                                  : "'" + c.text + "'";
        fail(c.pos, "invalid syntax: expected " + expected + ", found " + got);
    }
    void expect_op(const char* o) {
        if (!eat_op(o)) syntax(std::string("'") + o + "'");
    }
    std::string expect_name() {
        if (!at(Tok::Name) || is_keyword(cur().text)) syntax("a name");
        return next().text;
    }
    static bool is_keyword(const std::string& w) {
        static const char* kw[] = {"False", "None",   "True",    "and",    "as",   "assert", "async", "await",
                                   "break", "class",  "continue", "def",   "del",  "elif",   "else",  "except",
                                   "finally", "for",  "from",    "global", "if",   "import", "in",    "is",
                                   "lambda", "nonlocal", "not",  "or",     "pass", "raise",  "return", "try",
                                   "while", "with",   "yield"};
        for (const char* k : kw)
            if (w == k) return true;
        return false;
    }
    void refuse_keyword() {
        if (!at(Tok::Name)) return;
        for (auto& r : kRefused)
            if (cur().text == r[0]) unsupported(cur().pos, r[1]);
    }
    struct Depth {
        Depth(Parser& p, Pos pos) : p_(p) {
            if (++p_.depth_ > p_.lim_.max_nesting * 4)
                p_.fail(pos, "the program nests expressions more than " + std::to_string(p_.lim_.max_nesting * 4) +
                                 " deep (the lab's limit)");
        }
        ~Depth() { --p_.depth_; }
        Parser& p_;
    };

    ExprPtr make(ExprKind k, Pos p) { return std::make_unique<Expr>(k, p); }
    StmtPtr make_stmt(StmtKind k, Pos p) { return std::make_unique<Stmt>(k, p); }

    // ---------------------------------------------------------------- statements
    void statement(Body& out) {
        refuse_keyword();
        if (at_op("@")) unsupported(cur().pos, "decorators (`@`)");
        if (at_kw("def")) { out.push_back(funcdef(false)); return; }
        if (at_kw("async")) {
            Pos p = cur().pos;
            next();
            if (at_kw("def")) { out.push_back(funcdef(true)); return; }
            if (at_kw("for") || at_kw("with")) unsupported(p, "`async " + cur().text + "`");
            syntax("'def' after 'async'");
        }
        if (at_kw("class")) { out.push_back(classdef()); return; }
        if (at_kw("if")) { out.push_back(if_stmt()); return; }
        if (at_kw("while")) { out.push_back(while_stmt()); return; }
        if (at_kw("for")) { out.push_back(for_stmt()); return; }
        if (at_kw("with")) { out.push_back(with_stmt()); return; }
        if (at_kw("match") && peek().kind != Tok::Op) unsupported(cur().pos, "`match` statements");
        simple_line(out);
    }

    void simple_line(Body& out) {
        for (;;) {
            out.push_back(simple());
            if (eat_op(";")) {
                if (at(Tok::Newline)) break;
                continue;
            }
            break;
        }
        if (!at(Tok::Newline)) syntax("the end of the statement");
        next();
    }

    StmtPtr simple() {
        refuse_keyword();
        Pos p = cur().pos;
        if (eat_kw("pass")) return make_stmt(StmtKind::Pass, p);
        if (eat_kw("break")) {
            if (loops_ == 0) fail(p, "'break' outside loop");
            return make_stmt(StmtKind::Break, p);
        }
        if (eat_kw("continue")) {
            if (loops_ == 0) fail(p, "'continue' not properly in loop");
            return make_stmt(StmtKind::Continue, p);
        }
        if (eat_kw("return")) {
            if (funcs_ == 0) fail(p, "'return' outside function");
            auto s = make_stmt(StmtKind::Return, p);
            if (!at(Tok::Newline) && !at_op(";")) s->value = testlist();
            return s;
        }
        if (eat_kw("global")) {
            auto s = make_stmt(StmtKind::Global, p);
            do s->names.push_back(expect_name());
            while (eat_op(","));
            return s;
        }
        if (eat_kw("import")) {
            auto s = make_stmt(StmtKind::Import, p);
            do {
                Alias a;
                a.pos = cur().pos;
                a.name = dotted();
                if (eat_kw("as")) a.asname = expect_name();
                s->aliases.push_back(std::move(a));
            } while (eat_op(","));
            return s;
        }
        if (eat_kw("from")) {
            auto s = make_stmt(StmtKind::ImportFrom, p);
            if (at_op(".")) unsupported(cur().pos, "relative imports");
            s->name = dotted();
            if (!eat_kw("import")) syntax("'import'");
            if (at_op("*")) unsupported(cur().pos, "`from ... import *`");
            bool paren = eat_op("(");
            do {
                if (paren && at_op(")")) break;
                Alias a;
                a.pos = cur().pos;
                a.name = expect_name();
                if (eat_kw("as")) a.asname = expect_name();
                s->aliases.push_back(std::move(a));
            } while (eat_op(","));
            if (paren) expect_op(")");
            return s;
        }
        // An expression statement, an assignment or an augmented assignment.
        ExprPtr first = testlist();
        if (at_op(":")) unsupported(cur().pos, "annotated assignments (`x: int = ...`)");
        static const std::pair<const char*, BinOpKind> augs[] = {
            {"+=", BinOpKind::Add}, {"-=", BinOpKind::Sub}, {"*=", BinOpKind::Mul}, {"//=", BinOpKind::FloorDiv},
            {"%=", BinOpKind::Mod}, {"**=", BinOpKind::Pow}, {"/=", BinOpKind::TrueDiv}};
        for (auto& [o, k] : augs) {
            if (at_op(o)) {
                Pos op = cur().pos;
                next();
                if (first->kind != ExprKind::Name && first->kind != ExprKind::Attribute && first->kind != ExprKind::Subscript)
                    fail(op, "illegal expression for augmented assignment");
                auto s = make_stmt(StmtKind::AugAssign, p);
                set_store(*first);
                s->targets.push_back(std::move(first));
                s->aug = k;
                s->value = testlist();
                return s;
            }
        }
        for (const char* o : {"<<=", ">>=", "&=", "|=", "^=", "@="})
            if (at_op(o)) unsupported(cur().pos, std::string("the operator `") + o + "`");
        if (at_op("=")) {
            auto s = make_stmt(StmtKind::Assign, p);
            std::vector<ExprPtr> chain;
            chain.push_back(std::move(first));
            while (eat_op("=")) chain.push_back(testlist());
            s->value = std::move(chain.back());
            chain.pop_back();
            for (auto& t : chain) {
                check_target(*t);
                set_store(*t);
            }
            s->targets = std::move(chain);
            return s;
        }
        auto s = make_stmt(StmtKind::Expr, p);
        s->value = std::move(first);
        return s;
    }

    std::string dotted() {
        std::string n = expect_name();
        while (eat_op(".")) n += "." + expect_name();
        return n;
    }

    void check_target(const Expr& e) {
        switch (e.kind) {
        case ExprKind::Name:
        case ExprKind::Attribute:
        case ExprKind::Subscript: return;
        case ExprKind::Tuple:
        case ExprKind::List:
            for (auto& i : e.items) check_target(*i);
            return;
        case ExprKind::Call: fail(e.pos, "cannot assign to function call");
        case ExprKind::Const: fail(e.pos, "cannot assign to literal");
        default: fail(e.pos, "cannot assign to expression");
        }
    }
    static void set_store(Expr& e) {
        e.store = true;
        if (e.kind == ExprKind::Tuple || e.kind == ExprKind::List)
            for (auto& i : e.items) set_store(*i);
    }

    // NEWLINE INDENT statements DEDENT, or simple statements on the same line.
    void suite(Body& out) {
        expect_op(":");
        if (!at(Tok::Newline)) {
            simple_line(out);
            return;
        }
        next();
        if (!at(Tok::Indent)) fail(cur().pos, "expected an indented block");
        next();
        while (!at(Tok::Dedent) && !at(Tok::End)) {
            if (at(Tok::Newline)) { next(); continue; }
            statement(out);
        }
        if (at(Tok::Dedent)) next();
    }

    StmtPtr funcdef(bool is_async) {
        Pos p = cur().pos;
        next();  // def
        if (++functions_ > lim_.max_functions)
            fail(p, "the program defines more than " + std::to_string(lim_.max_functions) + " functions (the lab's limit)");
        auto s = make_stmt(StmtKind::FunctionDef, p);
        s->is_async = is_async;
        s->name = expect_name();
        expect_op("(");
        while (!at_op(")")) {
            if (at_op("*") || at_op("**")) unsupported(cur().pos, "`*args` and `**kwargs` parameters");
            if (at_op("/")) unsupported(cur().pos, "positional-only parameter markers (`/`)");
            Pos np = cur().pos;
            std::string n = expect_name();
            for (auto& e : s->names)
                if (e == n) fail(np, "duplicate argument '" + n + "' in function definition");
            if (at_op(":")) unsupported(cur().pos, "annotations");
            s->names.push_back(n);
            if (eat_op("=")) s->defaults.push_back(test());
            else if (!s->defaults.empty()) fail(np, "non-default argument follows default argument");
            if (!eat_op(",")) break;
        }
        expect_op(")");
        if (at_op("->")) unsupported(cur().pos, "annotations");
        ++funcs_;
        int saved_loops = loops_;
        loops_ = 0;
        ++async_depth_[is_async ? 1 : 0];
        async_stack_.push_back(is_async);
        suite(s->body);
        async_stack_.pop_back();
        loops_ = saved_loops;
        --funcs_;
        return s;
    }

    StmtPtr classdef() {
        Pos p = cur().pos;
        next();
        auto s = make_stmt(StmtKind::ClassDef, p);
        s->name = expect_name();
        if (eat_op("(")) {
            if (!at_op(")")) unsupported(cur().pos, "base classes (`class C(Base)`)");
            next();
        }
        int saved_funcs = funcs_, saved_loops = loops_;
        funcs_ = 0;  // `return` directly in a class body is an error
        loops_ = 0;
        async_stack_.push_back(false);
        suite(s->body);
        async_stack_.pop_back();
        funcs_ = saved_funcs;
        loops_ = saved_loops;
        return s;
    }

    StmtPtr if_stmt() {
        Pos p = cur().pos;
        next();  // if / elif
        auto s = make_stmt(StmtKind::If, p);
        s->value = named_test();
        suite(s->body);
        if (at_kw("elif")) {
            s->orelse.push_back(if_stmt());
            s->else_is_elif = true;
        } else if (at_kw("else")) {
            next();
            suite(s->orelse);
        }
        return s;
    }

    StmtPtr while_stmt() {
        Pos p = cur().pos;
        next();
        auto s = make_stmt(StmtKind::While, p);
        s->value = named_test();
        ++loops_;
        suite(s->body);
        --loops_;
        if (at_kw("else")) unsupported(cur().pos, "`else` on a loop");
        return s;
    }

    StmtPtr for_stmt() {
        Pos p = cur().pos;
        next();
        auto s = make_stmt(StmtKind::For, p);
        ExprPtr target = target_list();
        if (!eat_kw("in")) syntax("'in'");
        s->targets.push_back(std::move(target));
        s->value = testlist();
        ++loops_;
        suite(s->body);
        --loops_;
        if (at_kw("else")) unsupported(cur().pos, "`else` on a loop");
        return s;
    }

    StmtPtr with_stmt() {
        Pos p = cur().pos;
        next();
        auto s = make_stmt(StmtKind::With, p);
        if (at_op("(")) {
            // `with (a, b):` is a parenthesised group in 3.10+; one context manager only.
        }
        s->value = test();
        if (eat_kw("as")) {
            ExprPtr t = target();
            check_target(*t);
            set_store(*t);
            s->targets.push_back(std::move(t));
        }
        if (at_op(",")) unsupported(cur().pos, "several context managers in one `with`");
        suite(s->body);
        return s;
    }

    // A for/with target: names, attributes, items, tuples of them (no calls, no constants).
    ExprPtr target_list() {
        Pos p = cur().pos;
        ExprPtr first = target();
        if (!at_op(",")) {
            check_target(*first);
            set_store(*first);
            return first;
        }
        auto tup = make(ExprKind::Tuple, p);
        tup->items.push_back(std::move(first));
        while (eat_op(",")) {
            if (at_kw("in")) break;
            tup->items.push_back(target());
        }
        check_target(*tup);
        set_store(*tup);
        return tup;
    }
    ExprPtr target() { return primary(); }

    // ---------------------------------------------------------------- expressions
    // testlist: test (',' test)* [','] — a bare tuple when there is a comma.
    ExprPtr testlist() {
        Pos p = cur().pos;
        if (at_op("*")) unsupported(p, "star expressions (`*x`)");
        ExprPtr first = test();
        if (!at_op(",")) return first;
        auto tup = make(ExprKind::Tuple, p);
        tup->items.push_back(std::move(first));
        while (eat_op(",")) {
            if (ends_expression()) break;
            if (at_op("*")) unsupported(cur().pos, "star expressions (`*x`)");
            tup->items.push_back(test());
        }
        return tup;
    }
    bool ends_expression() const {
        if (at(Tok::Newline) || at(Tok::End)) return true;
        if (cur().kind != Tok::Op) return false;
        const std::string& o = cur().text;
        return o == ")" || o == "]" || o == "}" || o == "=" || o == ";" || o == ":" ||
               (o.size() >= 2 && o.back() == '=' && o != "==" && o != "<=" && o != ">=" && o != "!=");
    }

    ExprPtr named_test() {
        ExprPtr e = test();
        if (at_op(":=")) unsupported(cur().pos, "assignment expressions (`:=`)");
        return e;
    }

    ExprPtr test() {
        Depth d(*this, cur().pos);
        refuse_keyword();
        ExprPtr e = or_test();
        if (at_kw("if")) unsupported(cur().pos, "conditional expressions (`x if c else y`)");
        if (at_op(":=")) unsupported(cur().pos, "assignment expressions (`:=`)");
        return e;
    }

    ExprPtr or_test() {
        Pos p = cur().pos;
        ExprPtr e = and_test();
        if (!at_kw("or")) return e;
        auto b = make(ExprKind::BoolOr, p);
        b->items.push_back(std::move(e));
        while (eat_kw("or")) b->items.push_back(and_test());
        return b;
    }
    ExprPtr and_test() {
        Pos p = cur().pos;
        ExprPtr e = not_test();
        if (!at_kw("and")) return e;
        auto b = make(ExprKind::BoolAnd, p);
        b->items.push_back(std::move(e));
        while (eat_kw("and")) b->items.push_back(not_test());
        return b;
    }
    ExprPtr not_test() {
        Depth d(*this, cur().pos);
        if (at_kw("not")) {
            Pos p = cur().pos;
            next();
            auto u = make(ExprKind::Unary, p);
            u->unary = UnaryKind::Not;
            u->a = not_test();
            return u;
        }
        return comparison();
    }
    bool comp_op(CmpKind& k) {
        if (cur().kind == Tok::Op) {
            static const std::pair<const char*, CmpKind> ops[] = {{"<", CmpKind::Lt},  {"<=", CmpKind::Le}, {">", CmpKind::Gt},
                                                                  {">=", CmpKind::Ge}, {"==", CmpKind::Eq}, {"!=", CmpKind::Ne}};
            for (auto& [o, c] : ops)
                if (cur().text == o) { k = c; next(); return true; }
            return false;
        }
        if (at_kw("in")) { next(); k = CmpKind::In; return true; }
        if (at_kw("not") && peek().kind == Tok::Name && peek().text == "in") { next(); next(); k = CmpKind::NotIn; return true; }
        if (at_kw("is")) {
            next();
            k = eat_kw("not") ? CmpKind::IsNot : CmpKind::Is;
            return true;
        }
        return false;
    }
    ExprPtr comparison() {
        Pos p = cur().pos;
        ExprPtr left = bitor_expr();
        CmpKind k;
        Pos op = cur().pos;
        if (!comp_op(k)) return left;
        auto c = make(ExprKind::Compare, p);
        c->cmp = k;
        c->a = std::move(left);
        c->b = bitor_expr();
        CmpKind k2;
        (void)op;
        if (Pos op2 = cur().pos; comp_op(k2)) unsupported(op2, "chained comparisons (`a < b < c`)");
        return c;
    }
    ExprPtr bitor_expr() {
        ExprPtr e = arith();
        for (const char* o : {"|", "&", "^", "<<", ">>"})
            if (at_op(o)) unsupported(cur().pos, std::string("the operator `") + o + "`");
        return e;
    }
    ExprPtr arith() {
        Pos p = cur().pos;
        ExprPtr e = term();
        while (at_op("+") || at_op("-")) {
            BinOpKind k = cur().text == "+" ? BinOpKind::Add : BinOpKind::Sub;
            next();
            auto b = make(ExprKind::BinOp, p);
            b->bin = k;
            b->a = std::move(e);
            b->b = term();
            e = std::move(b);
        }
        return e;
    }
    ExprPtr term() {
        Pos p = cur().pos;
        ExprPtr e = factor();
        for (;;) {
            BinOpKind k;
            if (at_op("*")) k = BinOpKind::Mul;
            else if (at_op("//")) k = BinOpKind::FloorDiv;
            else if (at_op("/")) k = BinOpKind::TrueDiv;
            else if (at_op("%")) {
                if (e->kind == ExprKind::Const && (e->value.kind == ConstKind::Str || e->value.kind == ConstKind::Bytes))
                    unsupported(cur().pos, "printf-style `%` string formatting");
                k = BinOpKind::Mod;
            }
            else if (at_op("@")) unsupported(cur().pos, "the operator `@`");
            else break;
            next();
            auto b = make(ExprKind::BinOp, p);
            b->bin = k;
            b->a = std::move(e);
            b->b = factor();
            e = std::move(b);
        }
        return e;
    }
    ExprPtr factor() {
        Depth d(*this, cur().pos);
        if (at_op("-") || at_op("+")) {
            Pos p = cur().pos;
            UnaryKind k = cur().text == "-" ? UnaryKind::Neg : UnaryKind::Pos;
            next();
            auto u = make(ExprKind::Unary, p);
            u->unary = k;
            u->a = factor();
            return u;
        }
        if (at_op("~")) unsupported(cur().pos, "the operator `~`");
        return power();
    }
    ExprPtr power() {
        Pos p = cur().pos;
        ExprPtr e;
        if (at_kw("await")) {
            if (async_stack_.empty() || !async_stack_.back()) fail(p, "'await' outside async function");
            next();
            e = make(ExprKind::Await, p);
            e->a = primary();
        } else {
            e = primary();
        }
        if (at_op("**")) {
            next();
            auto b = make(ExprKind::BinOp, p);
            b->bin = BinOpKind::Pow;
            b->a = std::move(e);
            b->b = factor();
            return b;
        }
        return e;
    }
    ExprPtr primary() {
        Pos p = cur().pos;
        ExprPtr e = atom();
        for (;;) {
            if (at_op("(")) {
                Depth d(*this, cur().pos);
                next();
                auto c = make(ExprKind::Call, p);
                c->a = std::move(e);
                while (!at_op(")")) {
                    if (at_op("*") || at_op("**")) unsupported(cur().pos, "`*args` and `**kwargs` in calls");
                    if (at(Tok::Name) && peek().kind == Tok::Op && peek().text == "=") {
                        Keyword kw;
                        kw.pos = cur().pos;
                        kw.name = next().text;
                        for (auto& o : c->keywords)
                            if (o.name == kw.name) fail(kw.pos, "keyword argument repeated: " + kw.name);
                        next();
                        kw.value = test();
                        c->keywords.push_back(std::move(kw));
                    } else {
                        if (!c->keywords.empty()) fail(cur().pos, "positional argument follows keyword argument");
                        ExprPtr arg = test();
                        if (at_kw("for")) unsupported(cur().pos, "generator expressions");
                        c->items.push_back(std::move(arg));
                    }
                    if (!eat_op(",")) break;
                }
                expect_op(")");
                e = std::move(c);
            } else if (at_op("[")) {
                Pos bp = cur().pos;
                next();
                auto s = make(ExprKind::Subscript, p);
                s->a = std::move(e);
                if (at_op(":")) unsupported(cur().pos, "slices (`a[i:j]`)");
                s->b = testlist();
                if (at_op(":")) unsupported(cur().pos, "slices (`a[i:j]`)");
                expect_op("]");
                (void)bp;
                e = std::move(s);
            } else if (at_op(".")) {
                next();
                auto a = make(ExprKind::Attribute, p);
                a->a = std::move(e);
                a->name = expect_name();
                e = std::move(a);
            } else {
                return e;
            }
        }
    }
    ExprPtr atom() {
        Depth d(*this, cur().pos);
        const Token& t = cur();
        Pos p = t.pos;
        if (t.kind == Tok::Number) {
            auto c = make(ExprKind::Const, p);
            c->value = t.number;
            next();
            return c;
        }
        if (t.kind == Tok::String) {
            auto c = make(ExprKind::Const, p);
            c->value.kind = t.bytes ? ConstKind::Bytes : ConstKind::Str;
            c->value.s = t.text;
            bool bytes = t.bytes;
            next();
            while (at(Tok::String)) {  // implicit concatenation
                if (cur().bytes != bytes) fail(cur().pos, "cannot mix bytes and nonbytes literals");
                c->value.s += next().text;
            }
            return c;
        }
        if (t.kind == Tok::Name) {
            if (t.text == "True" || t.text == "False" || t.text == "None") {
                auto c = make(ExprKind::Const, p);
                c->value.kind = t.text == "True" ? ConstKind::True : t.text == "False" ? ConstKind::False : ConstKind::None;
                next();
                return c;
            }
            refuse_keyword();
            if (is_keyword(t.text)) syntax("an expression");
            auto n = make(ExprKind::Name, p);
            n->name = t.text;
            next();
            return n;
        }
        if (t.kind == Tok::Op) {
            if (t.text == "(") {
                next();
                if (eat_op(")")) return make(ExprKind::Tuple, p);
                if (at_kw("yield")) unsupported(cur().pos, "`yield` (generators)");
                ExprPtr first = test();
                if (at_kw("for")) unsupported(cur().pos, "generator expressions");
                if (at_op(")")) {
                    next();
                    return first;
                }
                auto tup = make(ExprKind::Tuple, p);
                tup->items.push_back(std::move(first));
                while (eat_op(",")) {
                    if (at_op(")")) break;
                    tup->items.push_back(test());
                }
                expect_op(")");
                return tup;
            }
            if (t.text == "[") {
                next();
                auto l = make(ExprKind::List, p);
                if (eat_op("]")) return l;
                ExprPtr first = test();
                if (at_kw("for")) {
                    auto lc = make(ExprKind::ListComp, p);
                    lc->a = std::move(first);
                    while (at_kw("for")) {
                        next();
                        if (!lc->generators.empty()) unsupported(cur().pos, "comprehensions with more than one `for`");
                        Comprehension g;
                        g.target = target_list();
                        if (!eat_kw("in")) syntax("'in'");
                        g.iter = or_test();
                        while (at_kw("if")) {
                            next();
                            g.ifs.push_back(or_test());
                        }
                        lc->generators.push_back(std::move(g));
                    }
                    if (at_kw("async")) unsupported(cur().pos, "asynchronous comprehensions");
                    expect_op("]");
                    return lc;
                }
                l->items.push_back(std::move(first));
                while (eat_op(",")) {
                    if (at_op("]")) break;
                    l->items.push_back(test());
                }
                expect_op("]");
                return l;
            }
            if (t.text == "{") unsupported(p, "dict and set displays (`{...}`)");
            if (t.text == "...") {
                auto c = make(ExprKind::Const, p);
                c->value.kind = ConstKind::Ellipsis;
                next();
                return c;
            }
            if (t.text == "*") unsupported(p, "star expressions (`*x`)");
        }
        syntax("an expression");
    }

    std::vector<Token> t_;
    const Limits& lim_;
    size_t k_ = 0;
    int loops_ = 0, funcs_ = 0, functions_ = 0, depth_ = 0;
    int async_depth_[2] = {0, 0};
    std::vector<bool> async_stack_;
};

}  // namespace

Module parse(const std::string& source, const Limits& limits) {
    Parser p(tokenize(source, limits), limits);
    Module m = p.module();
    m.source = source;
    return m;
}

}  // namespace gil::py
