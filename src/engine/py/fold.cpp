// fold.cpp — the AST optimizer's constant folding (Python/ast_opt.c), which every version
// applies before code generation: `-1`, `2 ** 70`, `not 0`, `(1, 2)`, `for x in [1, 2]`
// become constants, with CPython's limits (no result over 128 bits, no float overflow from **).
#include <cmath>

#include "engine/py/compile_internal.h"

namespace gil::py {

namespace {

// The AST optimizer folds unary minus on numbers, arithmetic on constants and tuples of
// constants before code generation, in every version; so `-1` is LOAD_CONST -1 and
// `args=(1, 2)` is one constant tuple.
// Integers as sign and a 128-bit magnitude: enough for what CPython folds (it refuses
// results over 128 bits: MAX_INT_SIZE in Python/ast_opt.c).
using u128 = unsigned __int128;
struct Big {
    bool neg = false;
    u128 mag = 0;
};
bool to_big(const Constant& c, Big& out) {
    if (c.kind == ConstKind::Int) {
        out.neg = c.i < 0;
        out.mag = c.i < 0 ? (u128)(-(c.i + 1)) + 1 : (u128)c.i;
        return true;
    }
    if (c.kind == ConstKind::True || c.kind == ConstKind::False) {
        out.neg = false;
        out.mag = c.kind == ConstKind::True;
        return true;
    }
    if (c.kind != ConstKind::BigInt) return false;
    size_t i = 0;
    out.neg = !c.s.empty() && c.s[0] == '-';
    if (out.neg) i = 1;
    u128 m = 0;
    for (; i < c.s.size(); ++i) {
        u128 d = (u128)(c.s[i] - '0');
        if (m > (~(u128)0 - d) / 10) return false;
        m = m * 10 + d;
    }
    out.mag = m;
    return true;
}
int bits(u128 m) {
    int n = 0;
    while (m) { ++n; m >>= 1; }
    return n;
}
Constant from_big(const Big& b) {
    Constant c;
    if (b.mag <= (u128)INT64_MAX) {
        c.kind = ConstKind::Int;
        c.i = b.neg ? -(int64_t)b.mag : (int64_t)b.mag;
        return c;
    }
    if (b.neg && b.mag == (u128)INT64_MAX + 1) {
        c.kind = ConstKind::Int;
        c.i = INT64_MIN;
        return c;
    }
    std::string d;
    u128 m = b.mag;
    while (m) { d += (char)('0' + (int)(m % 10)); m /= 10; }
    if (b.neg) d += '-';
    c.kind = ConstKind::BigInt;
    c.s = std::string(d.rbegin(), d.rend());
    return c;
}
// a + b with signs; false when the magnitude leaves 128 bits.
bool big_add(Big a, Big b, Big& r) {
    if (a.neg == b.neg) {
        if (a.mag > ~(u128)0 - b.mag) return false;
        r.neg = a.neg;
        r.mag = a.mag + b.mag;
    } else if (a.mag >= b.mag) {
        r.neg = a.neg;
        r.mag = a.mag - b.mag;
    } else {
        r.neg = b.neg;
        r.mag = b.mag - a.mag;
    }
    if (r.mag == 0) r.neg = false;
    return true;
}
bool as_double(const Constant& c, double& d) {
    Big b;
    if (c.kind == ConstKind::Float) { d = c.f; return true; }
    if (!to_big(c, b)) return false;
    d = (double)b.mag;
    if (b.neg) d = -d;
    return true;
}

bool fold_binop(BinOpKind k, const Constant& a, const Constant& b, Constant& out) {
    Big x, y;
    if (to_big(a, x) && to_big(b, y)) {
        Big r;
        switch (k) {
        case BinOpKind::Add: if (!big_add(x, y, r)) return false; out = from_big(r); return true;
        case BinOpKind::Sub: y.neg = !y.neg && y.mag != 0; if (!big_add(x, y, r)) return false; out = from_big(r); return true;
        case BinOpKind::Mul:
            if (bits(x.mag) + bits(y.mag) > 128) return false;
            r.mag = x.mag * y.mag;
            r.neg = r.mag != 0 && x.neg != y.neg;
            out = from_big(r);
            return true;
        case BinOpKind::Pow: {
            if (y.neg) {
                if (x.mag == 0) return false;  // ZeroDivisionError at run time
                double dx, dy;
                as_double(a, dx);
                as_double(b, dy);
                out.kind = ConstKind::Float;
                out.f = std::pow(dx, dy);
                return std::isfinite(out.f);
            }
            if (y.mag > 128 || (y.mag > 0 && (u128)bits(x.mag) * y.mag > 128)) return false;
            r.mag = 1;
            for (u128 e = 0; e < y.mag; ++e) r.mag *= x.mag;
            r.neg = x.neg && (y.mag & 1) && r.mag != 0;
            out = from_big(r);
            return true;
        }
        case BinOpKind::FloorDiv:
        case BinOpKind::Mod: {
            if (y.mag == 0) return false;
            if (x.mag > (u128)INT64_MAX || y.mag > (u128)INT64_MAX) return false;
            int64_t xi = x.neg ? -(int64_t)x.mag : (int64_t)x.mag, yi = y.neg ? -(int64_t)y.mag : (int64_t)y.mag;
            int64_t q = xi / yi, m = xi % yi;
            if (m != 0 && ((m < 0) != (yi < 0))) { m += yi; --q; }
            out.kind = ConstKind::Int;
            out.i = k == BinOpKind::FloorDiv ? q : m;
            return true;
        }
        case BinOpKind::TrueDiv: {
            if (y.mag == 0) return false;
            if (x.mag >> 53 || y.mag >> 53) return false;  // exact only for 53-bit operands
            out.kind = ConstKind::Float;
            out.f = ((x.neg ? -1.0 : 1.0) * (double)x.mag) / ((y.neg ? -1.0 : 1.0) * (double)y.mag);
            return true;
        }
        }
        return false;
    }
    double da, db;
    if (!as_double(a, da) || !as_double(b, db)) return false;
    double r;
    switch (k) {
    case BinOpKind::Add: r = da + db; break;
    case BinOpKind::Sub: r = da - db; break;
    case BinOpKind::Mul: r = da * db; break;
    case BinOpKind::TrueDiv: if (db == 0) return false; r = da / db; break;
    case BinOpKind::FloorDiv:
    case BinOpKind::Mod: {
        // float_divmod in Objects/floatobject.c
        if (db == 0) return false;
        double mod = std::fmod(da, db);
        double div = (da - mod) / db;
        if (mod != 0) {
            if ((db < 0) != (mod < 0)) { mod += db; div -= 1.0; }
        } else {
            mod = std::copysign(0.0, db);
        }
        double fl;
        if (div != 0) {
            fl = std::floor(div);
            if (div - fl > 0.5) fl += 1.0;
        } else {
            fl = std::copysign(0.0, da / db);
        }
        r = k == BinOpKind::FloorDiv ? fl : mod;
        break;
    }
    case BinOpKind::Pow:
        if (da == 0 && db < 0) return false;
        if (da < 0 && db != std::floor(db)) return false;  // a complex result
        r = std::pow(da, db);
        break;
    default: return false;
    }
    if (k == BinOpKind::Pow && !std::isfinite(r)) return false;  // OverflowError at run time
    out.kind = ConstKind::Float;
    out.f = r;
    return true;
}

bool truth_of(const Constant& c, bool& t) {
    switch (c.kind) {
    case ConstKind::None: case ConstKind::False: t = false; return true;
    case ConstKind::True: case ConstKind::Ellipsis: case ConstKind::BigInt: t = true; return true;
    case ConstKind::Int: t = c.i != 0; return true;
    case ConstKind::Float: t = c.f != 0; return true;
    case ConstKind::Str: case ConstKind::Bytes: t = !c.s.empty(); return true;
    case ConstKind::Tuple: t = !c.items.empty(); return true;
    }
    return false;
}

// `for x in [1, 2, 3]` and `x in [1, 2]`: a list of constants that is only iterated or
// searched becomes a constant tuple (ast_opt.c fold_iter / fold_compare).
void list_to_tuple(Expr& e) {
    if (e.kind != ExprKind::List) return;
    for (auto& i : e.items)
        if (i->kind != ExprKind::Const) return;
    Constant t;
    t.kind = ConstKind::Tuple;
    for (auto& i : e.items) t.items.push_back(i->value);
    e.kind = ExprKind::Const;
    e.value = t;
    e.items.clear();
}

void fold(Expr& e) {
    switch (e.kind) {
    case ExprKind::Unary:
        fold(*e.a);
        if (e.a->kind == ExprKind::Const && e.unary == UnaryKind::Not) {
            bool t;
            if (truth_of(e.a->value, t)) {
                e.value = Constant{};
                e.value.kind = t ? ConstKind::False : ConstKind::True;
                e.kind = ExprKind::Const;
                e.a.reset();
            }
            return;
        }
        if (e.a->kind == ExprKind::Const) {
            Constant& c = e.a->value;
            if (c.kind == ConstKind::Int && e.unary == UnaryKind::Neg && c.i != INT64_MIN) { e.value = c; e.value.i = -c.i; }
            else if (c.kind == ConstKind::Int) e.value = c;
            else if (c.kind == ConstKind::Float) { e.value = c; if (e.unary == UnaryKind::Neg) e.value.f = -c.f; }
            else if (c.kind == ConstKind::BigInt && e.unary == UnaryKind::Neg) { e.value = c; e.value.s = "-" + c.s; }
            else return;
            e.kind = ExprKind::Const;
            e.a.reset();
        }
        return;
    case ExprKind::BinOp: {
        fold(*e.a);
        fold(*e.b);
        Constant r;
        if (e.a->kind == ExprKind::Const && e.b->kind == ExprKind::Const && fold_binop(e.bin, e.a->value, e.b->value, r)) {
            e.kind = ExprKind::Const;
            e.value = r;
            e.a.reset();
            e.b.reset();
        }
        return;
    }
    case ExprKind::Tuple: {
        bool all = !e.store;
        for (auto& i : e.items) {
            fold(*i);
            all = all && i->kind == ExprKind::Const;
        }
        if (all) {
            Constant t;
            t.kind = ConstKind::Tuple;
            for (auto& i : e.items) t.items.push_back(i->value);
            e.kind = ExprKind::Const;
            e.value = t;
            e.items.clear();
        }
        return;
    }
    case ExprKind::Compare:
        fold(*e.a);
        fold(*e.b);
        if (e.cmp == CmpKind::In || e.cmp == CmpKind::NotIn) list_to_tuple(*e.b);
        return;
    default:
        if (e.a) fold(*e.a);
        if (e.b) fold(*e.b);
        for (auto& i : e.items) fold(*i);
        for (auto& k : e.keywords) fold(*k.value);
        for (auto& g : e.generators) {
            fold(*g.iter);
            list_to_tuple(*g.iter);
            for (auto& c : g.ifs) fold(*c);
        }
        return;
    }
}

}  // namespace

void fold_body(Body& b) {
    for (auto& s : b) {
        if (s->value) fold(*s->value);
        if (s->kind == StmtKind::For) list_to_tuple(*s->value);
        for (auto& d : s->defaults) fold(*d);
        for (auto& t : s->targets)
            if (t->kind != ExprKind::Name) { if (t->a) fold(*t->a); if (t->b) fold(*t->b); }
        fold_body(s->body);
        fold_body(s->orelse);
    }
}


}  // namespace gil::py
