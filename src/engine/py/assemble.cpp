// assemble.cpp — laid-out blocks to final instructions: jump direction and naming per
// version, byte offsets with inline caches and EXTENDED_ARG (Python/assemble.c), each
// argument encoded and shown as Lib/dis.py shows it, line starts, 3.13's labels, and where
// the version checks its eval breaker.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <set>

#include "engine/py/cfg.h"

namespace gil::py {

const char* op_name(Op op) {
    static const char* names[] = {
#define GIL_PY_X(n) #n,
        GIL_PY_OPCODES(GIL_PY_X)
#undef GIL_PY_X
    };
    return (size_t)op < sizeof names / sizeof names[0] ? names[(size_t)op] : "?";
}

void shortest_digits(double a, std::string& digits, int& decpt) {
    // For each length, the correctly rounded digits, and their neighbours in the last place:
    // the shortest string that reads back need not be the rounded one (5.684341886080802e-14).
    char buf[64];
    for (int prec = 1; prec <= 17; ++prec) {
        std::snprintf(buf, sizeof buf, "%.*e", prec - 1, a);
        std::string s(buf);
        size_t e = s.find('e');
        int exp = std::atoi(s.c_str() + e + 1);
        std::string d;
        for (size_t k = 0; k < e; ++k)
            if (s[k] != '.') d += s[k];
        std::string best;
        long double best_err = 0;
        for (int delta : {0, -1, 1}) {
            std::string c = d;
            // c += delta in decimal; skip when it changes the number of digits.
            int k = (int)c.size() - 1;
            if (delta == 1) {
                while (k >= 0 && c[(size_t)k] == '9') c[(size_t)k--] = '0';
                if (k < 0) continue;
                ++c[(size_t)k];
            } else if (delta == -1) {
                while (k >= 0 && c[(size_t)k] == '0') c[(size_t)k--] = '9';
                if (k < 0 || (k == 0 && c[0] == '1' && c.size() > 1)) continue;
                --c[(size_t)k];
            }
            std::string text = c.substr(0, 1) + (c.size() > 1 ? "." + c.substr(1) : "") + "e" + std::to_string(exp);
            if (std::strtod(text.c_str(), nullptr) != a) continue;
            long double err = std::fabs(std::strtold(text.c_str(), nullptr) - (long double)a);
            if (best.empty() || err < best_err) { best = c; best_err = err; }
        }
        if (!best.empty()) {
            while (best.size() > 1 && best.back() == '0') best.pop_back();
            digits = best;
            decpt = exp + 1;
            return;
        }
    }
    std::snprintf(buf, sizeof buf, "%.16e", a);
    digits.clear();
    std::string s(buf);
    for (size_t k = 0; k < s.find('e'); ++k)
        if (s[k] != '.') digits += s[k];
    decpt = std::atoi(s.c_str() + s.find('e') + 1) + 1;
}

namespace {

std::string float_repr(double d) {
    if (std::isnan(d)) return "nan";
    if (std::isinf(d)) return d < 0 ? "-inf" : "inf";
    if (d == 0) return std::signbit(d) ? "-0.0" : "0.0";
    std::string digits;
    int decpt;
    shortest_digits(std::fabs(d), digits, decpt);
    const bool neg = d < 0;
    const int exp = decpt - 1;
    std::string out;
    if (exp < -4 || exp >= 16) {
        out = digits.substr(0, 1);
        if (digits.size() > 1) out += "." + digits.substr(1);
        char eb[16];
        std::snprintf(eb, sizeof eb, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
        out += eb;
    } else if (exp < 0) {
        out = "0." + std::string((size_t)(-exp - 1), '0') + digits;
    } else {
        if ((int)digits.size() <= exp + 1) out = digits + std::string((size_t)(exp + 1 - (int)digits.size()), '0') + ".0";
        else out = digits.substr(0, (size_t)exp + 1) + "." + digits.substr((size_t)exp + 1);
    }
    return neg ? "-" + out : out;
}

std::string str_repr(const std::string& s, bool bytes) {
    bool has_sq = s.find('\'') != std::string::npos, has_dq = s.find('"') != std::string::npos;
    char q = has_sq && !has_dq ? '"' : '\'';
    std::string out = bytes ? "b" : "";
    out += q;
    for (unsigned char c : s) {
        if (c == (unsigned char)q || c == '\\') { out += '\\'; out += (char)c; }
        else if (c == '\n') out += "\\n";
        else if (c == '\r') out += "\\r";
        else if (c == '\t') out += "\\t";
        else if (c < 0x20 || c == 0x7f || (bytes && c >= 0x80)) {
            char b[8];
            std::snprintf(b, sizeof b, "\\x%02x", c);
            out += b;
        } else out += (char)c;
    }
    out += q;
    return out;
}

}  // namespace

std::string const_repr(const Constant& k) {
    switch (k.kind) {
    case ConstKind::None: return "None";
    case ConstKind::True: return "True";
    case ConstKind::False: return "False";
    case ConstKind::Ellipsis: return "Ellipsis";
    case ConstKind::Int: return std::to_string(k.i);
    case ConstKind::BigInt: return k.s;
    case ConstKind::Float: return float_repr(k.f);
    case ConstKind::Str: return str_repr(k.s, false);
    case ConstKind::Bytes: return str_repr(k.s, true);
    case ConstKind::Tuple: {
        std::string out = "(";
        for (size_t i = 0; i < k.items.size(); ++i) {
            if (i) out += ", ";
            out += const_repr(k.items[i]);
        }
        if (k.items.size() == 1) out += ",";
        return out + ")";
    }
    }
    return "?";
}

namespace {

int cache_entries(Op op, int v) {
    if (v == 11) {
        switch (op) {
        case Op::BINARY_SUBSCR: return 4;
        case Op::STORE_SUBSCR: return 1;
        case Op::UNPACK_SEQUENCE: return 1;
        case Op::STORE_ATTR: return 4;
        case Op::LOAD_ATTR: return 4;
        case Op::COMPARE_OP: return 2;
        case Op::LOAD_GLOBAL: return 5;
        case Op::BINARY_OP: return 1;
        case Op::LOAD_METHOD: return 10;
        case Op::PRECALL: return 1;
        case Op::CALL: return 4;
        default: return 0;
        }
    }
    if (v >= 12) {
        switch (op) {
        case Op::BINARY_SUBSCR:
        case Op::STORE_SUBSCR:
        case Op::UNPACK_SEQUENCE:
        case Op::FOR_ITER:
        case Op::COMPARE_OP:
        case Op::BINARY_OP:
        case Op::SEND: return 1;
        case Op::STORE_ATTR: return 4;
        case Op::LOAD_ATTR: return 9;
        case Op::LOAD_GLOBAL: return 4;
        case Op::CALL: return 3;
        case Op::CONTAINS_OP:
        case Op::JUMP_BACKWARD:
        case Op::POP_JUMP_IF_TRUE:
        case Op::POP_JUMP_IF_FALSE: return v >= 13 ? 1 : 0;
        case Op::TO_BOOL: return v >= 13 ? 3 : 0;
        default: return 0;
        }
    }
    return 0;
}

bool has_arg(Op op, int v) {
    switch (op) {
    case Op::NOP: case Op::POP_TOP: case Op::RETURN_VALUE: case Op::BINARY_ADD: case Op::BINARY_SUBTRACT:
    case Op::BINARY_MULTIPLY: case Op::BINARY_FLOOR_DIVIDE: case Op::BINARY_MODULO: case Op::BINARY_POWER:
    case Op::BINARY_TRUE_DIVIDE: case Op::INPLACE_ADD: case Op::INPLACE_SUBTRACT: case Op::INPLACE_MULTIPLY:
    case Op::INPLACE_FLOOR_DIVIDE: case Op::INPLACE_MODULO: case Op::INPLACE_POWER: case Op::INPLACE_TRUE_DIVIDE:
    case Op::BINARY_SUBSCR: case Op::STORE_SUBSCR: case Op::UNARY_NEGATIVE: case Op::UNARY_POSITIVE:
    case Op::UNARY_NOT: case Op::UNARY_INVERT: case Op::TO_BOOL: case Op::GET_ITER: case Op::END_FOR: case Op::DUP_TOP:
    case Op::DUP_TOP_TWO: case Op::ROT_TWO: case Op::ROT_THREE: case Op::BEFORE_WITH: case Op::WITH_EXCEPT_START:
    case Op::POP_EXCEPT: case Op::PUSH_EXC_INFO: case Op::LOAD_BUILD_CLASS: case Op::PUSH_NULL: case Op::YIELD_FROM:
    case Op::END_SEND: case Op::CLEANUP_THROW: case Op::RETURN_GENERATOR: case Op::POP_BLOCK: case Op::LOAD_LOCALS:
    case Op::CACHE: case Op::CHECK_EXC_MATCH:
        return false;
    case Op::RERAISE: return v >= 10;
    case Op::GET_AWAITABLE: return v >= 11;
    case Op::MAKE_FUNCTION: return v <= 12;
    default: return true;
    }
}

// 3.9/3.10: which jumps are absolute (argument = target) rather than relative.
bool absolute_jump(Op op, int v) {
    if (v >= 11) return false;
    switch (op) {
    case Op::JUMP_ABSOLUTE:
    case Op::POP_JUMP_IF_FALSE:
    case Op::POP_JUMP_IF_TRUE:
    case Op::JUMP_IF_FALSE_OR_POP:
    case Op::JUMP_IF_TRUE_OR_POP: return true;
    default: return false;
    }
}
bool backward_jump(Op op) {
    return op == Op::JUMP_BACKWARD || op == Op::JUMP_BACKWARD_NO_INTERRUPT || op == Op::POP_JUMP_BACKWARD_IF_FALSE ||
           op == Op::POP_JUMP_BACKWARD_IF_TRUE;
}

const char* cmp_symbol(int idx) {
    static const char* s[] = {"<", "<=", "==", "!=", ">", ">="};
    return idx >= 0 && idx < 6 ? s[idx] : "?";
}
int cmp_mask(int idx) {
    static const int m[] = {2, 10, 8, 6, 4, 12};  // LT, LT|EQ, EQ, LT|GT, GT, GT|EQ
    return m[idx];
}
const char* nb_symbol(int a) {
    static const char* s[] = {"+",  "&",  "//",  "<<",  "@",  "*",  "%",  "|",  "**",  ">>",  "-",  "/",  "^",
                              "+=", "&=", "//=", "<<=", "@=", "*=", "%=", "|=", "**=", ">>=", "-=", "/=", "^="};
    return a >= 0 && a < 26 ? s[a] : "?";
}

struct Flat {
    CInstr in;
    Block* block;
    int size = 1;       // code units including caches and EXTENDED_ARG
    int offset = 0;     // code units
    int enc_arg = 0;
};

}  // namespace

void assemble(Unit& u, int v, CodeObject& out, const std::vector<CodeObject>& codes, const std::string& filename) {
    out.name = u.name;
    out.qualname = u.qualname;
    out.firstlineno = u.firstlineno;
    out.argcount = u.argcount;
    out.is_async = u.is_async;
    out.varnames = u.varnames;
    out.names = u.names;
    out.cellvars = u.cellvars;
    out.freevars = u.freevars;
    for (auto& c : u.consts) {
        out.consts.push_back(c.value);
        out.const_code.push_back(c.code);
    }

    // Block order and per-block index, for jump direction.
    std::vector<Block*> order;
    for (Block* b = u.entry; b; b = b->next) order.push_back(b);
    std::map<Block*, int> bindex;
    for (size_t i = 0; i < order.size(); ++i) bindex[order[i]] = (int)i;

    // Jump naming by direction.
    for (size_t bi = 0; bi < order.size(); ++bi) {
        Block* b = order[bi];
        for (size_t k = 0; k < b->ins.size(); ++k) {
            CInstr& in = b->ins[k];
            if (!in.target) continue;
            bool backward = bindex.count(in.target) && bindex[in.target] <= (int)bi;
            if (v >= 11) {
                if (in.op == Op::JUMP) in.op = backward ? Op::JUMP_BACKWARD : Op::JUMP_FORWARD;
                else if (in.op == Op::JUMP_NO_INTERRUPT) in.op = backward ? Op::JUMP_BACKWARD_NO_INTERRUPT : Op::JUMP_FORWARD;
                else if (v == 11 && in.op == Op::POP_JUMP_IF_FALSE) in.op = backward ? Op::POP_JUMP_BACKWARD_IF_FALSE : Op::POP_JUMP_FORWARD_IF_FALSE;
                else if (v == 11 && in.op == Op::POP_JUMP_IF_TRUE) in.op = backward ? Op::POP_JUMP_BACKWARD_IF_TRUE : Op::POP_JUMP_FORWARD_IF_TRUE;
                else if (v >= 12 && backward && (in.op == Op::POP_JUMP_IF_FALSE || in.op == Op::POP_JUMP_IF_TRUE)) {
                    // Conditional jumps go forward only: invert, and jump back unconditionally.
                    // Both land outside the exception table (3.13's dis shows the gap: "L1 to L3, L4 to L6").
                    in.handler = nullptr;
                    CInstr back = in;
                    back.op = Op::JUMP_BACKWARD;
                    in.op = in.op == Op::POP_JUMP_IF_FALSE ? Op::POP_JUMP_IF_TRUE : Op::POP_JUMP_IF_FALSE;
                    in.target = bi + 1 < order.size() ? order[bi + 1] : nullptr;
                    b->ins.insert(b->ins.begin() + (long)k + 1, back);
                    ++k;
                }
            } else if (v == 10 && (in.op == Op::JUMP_ABSOLUTE || in.op == Op::JUMP_FORWARD)) {
                in.op = backward ? Op::JUMP_ABSOLUTE : Op::JUMP_FORWARD;
            }
        }
    }

    std::vector<Flat> flat;
    std::map<Block*, size_t> first;
    for (Block* b : order) {
        first[b] = flat.size();
        for (auto& in : b->ins) flat.push_back({in, b});
    }
    auto target_index = [&](const CInstr& in) -> int {
        auto it = first.find(in.target);
        return it == first.end() ? -1 : (int)it->second;
    };

    // Local indices for cells and frees (3.11+ index all locals; before, cells then frees).
    auto deref_name = [&](int a) -> std::string {
        if (a < (int)u.cellvars.size()) return u.cellvars[(size_t)a];
        int f = a - (int)u.cellvars.size();
        return f < (int)u.freevars.size() ? u.freevars[(size_t)f] : "?";
    };
    auto deref_arg = [&](int a) -> int {
        if (v < 11) return a;
        std::string n = deref_name(a);
        for (size_t i = 0; i < u.varnames.size(); ++i)
            if (u.varnames[i] == n) return (int)i;
        int extra = 0;
        for (size_t i = 0; i < u.cellvars.size(); ++i) {
            bool in_vars = false;
            for (auto& vn : u.varnames) in_vars = in_vars || vn == u.cellvars[i];
            if (u.cellvars[i] == n) return (int)u.varnames.size() + extra;
            if (!in_vars) ++extra;
        }
        for (size_t i = 0; i < u.freevars.size(); ++i)
            if (u.freevars[i] == n) return (int)u.varnames.size() + extra + (int)i;
        return a;
    };

    // Encoded argument of every non-jump instruction.
    for (auto& f : flat) {
        CInstr& in = f.in;
        int a = in.arg;
        switch (in.op) {
        case Op::LOAD_GLOBAL: if (v >= 11) a = (in.arg << 1) | (in.flag ? 1 : 0); break;
        case Op::LOAD_ATTR: if (v >= 12) a = (in.arg << 1) | (in.flag ? 1 : 0); break;
        case Op::COMPARE_OP:
            if (v == 12) a = (in.arg << 4) | cmp_mask(in.arg);
            else if (v >= 13) a = (in.arg << 5) | cmp_mask(in.arg) | (in.flag ? 16 : 0);
            break;
        case Op::LOAD_DEREF: case Op::STORE_DEREF: case Op::LOAD_CLOSURE: case Op::MAKE_CELL: a = deref_arg(in.arg); break;
        default: break;
        }
        f.enc_arg = a;
    }

    // Offsets: sizes depend on jump arguments (EXTENDED_ARG), so iterate to a fixed point.
    auto ext_units = [](int a) { return a > 0xFFFFFF ? 3 : a > 0xFFFF ? 2 : a > 0xFF ? 1 : 0; };
    for (auto& f : flat) f.size = 1 + cache_entries(f.in.op, v) + (has_arg(f.in.op, v) ? ext_units(f.enc_arg) : 0);
    for (int iter = 0; iter < 10; ++iter) {
        int off = 0;
        for (auto& f : flat) {
            f.offset = off;
            off += f.size;
        }
        bool changed = false;
        for (auto& f : flat) {
            if (!f.in.target || (!is_jump(f.in.op) && f.in.op != Op::SETUP_WITH)) continue;
            int ti = target_index(f.in);
            int tgt = ti >= 0 ? flat[(size_t)ti].offset : 0;
            int ext = ext_units(f.enc_arg);
            int start = f.offset + ext;       // the instruction itself, after its EXTENDED_ARGs
            int after = start + 1 + cache_entries(f.in.op, v);
            int a;
            if (v == 9) a = absolute_jump(f.in.op, v) ? tgt * 2 : (tgt - after) * 2;
            else if (v == 10) a = absolute_jump(f.in.op, v) ? tgt : tgt - after;
            else a = backward_jump(f.in.op) ? after - tgt : tgt - after;
            if (a < 0) a = 0;
            if (a != f.enc_arg) {
                f.enc_arg = a;
                changed = true;
            }
            int ns = 1 + cache_entries(f.in.op, v) + ext_units(a);
            if (ns != f.size) {
                f.size = ns;
                changed = true;
            }
        }
        if (!changed) break;
    }

    // Exception table (3.11+): runs of instructions with one handler. 3.13 labels them.
    std::set<int> labels;
    if (v >= 11) {
        int i = 0;
        while (i < (int)flat.size()) {
            Block* h = flat[(size_t)i].in.handler;
            if (!h) { ++i; continue; }
            int j = i;
            while (j < (int)flat.size() && flat[(size_t)j].in.handler == h) ++j;
            labels.insert(flat[(size_t)i].offset);
            if (j < (int)flat.size()) labels.insert(flat[(size_t)j].offset);
            auto it = first.find(h);
            if (it != first.end()) labels.insert(flat[it->second].offset);
            i = j;
        }
    }
    std::set<int> jump_targets;
    for (auto& f : flat)
        if (f.in.target && (is_jump(f.in.op) || f.in.op == Op::SETUP_WITH)) {
            int ti = target_index(f.in);
            if (ti >= 0) jump_targets.insert(flat[(size_t)ti].offset);
        }
    if (v >= 13) labels.insert(jump_targets.begin(), jump_targets.end());
    std::map<int, int> label_no;
    {
        int n = 0;
        for (int o : labels) label_no[o] = ++n;
    }

    // Final instructions with dis's argument text. EXTENDED_ARG prefixes are instructions of
    // their own in dis; a jump to an instruction lands on its first prefix.
    std::vector<int> final_index(flat.size());
    {
        int n = 0;
        for (size_t i = 0; i < flat.size(); ++i) {
            final_index[i] = n;
            n += 1 + (has_arg(flat[i].in.op, v) ? ext_units(flat[i].enc_arg) : 0);
        }
    }
    int prev_line = -2;
    for (size_t i = 0; i < flat.size(); ++i) {
        const Flat& f = flat[i];
        const CInstr& in = f.in;
        int n_ext = has_arg(in.op, v) ? ext_units(f.enc_arg) : 0;
        for (int k = 0; k < n_ext; ++k) {
            Instruction e;
            e.op = Op::EXTENDED_ARG;
            e.offset = (f.offset + k) * 2;
            e.arg = (f.enc_arg >> (8 * (n_ext - k))) & 0xFF;
            e.line = in.line < 0 ? 0 : in.line;
            if (k == 0) {
                e.starts_line = v >= 13 ? ((int)i == 0 || in.line != prev_line) : (in.line >= 0 && in.line != prev_line);
                if (in.line >= 0 || v >= 13) prev_line = in.line;
                e.jump_target = (v >= 13 ? labels.count(f.offset) : jump_targets.count(f.offset)) > 0;
                if (v >= 13 && labels.count(f.offset)) e.label = "L" + std::to_string(label_no[f.offset]);
            }
            out.instructions.push_back(e);
        }
        Instruction o;
        o.op = in.op;
        o.offset = (f.offset + ext_units(has_arg(in.op, v) ? f.enc_arg : 0)) * 2;
        o.arg = has_arg(in.op, v) ? f.enc_arg : -1;
        o.line = in.line < 0 ? 0 : in.line;
        o.line_zero = in.line == 0;
        if (v >= 13) o.starts_line = (int)i == 0 || in.line != prev_line;
        else o.starts_line = in.line >= 0 && in.line != prev_line;
        if (in.line >= 0 || v >= 13) prev_line = in.line;
        if (n_ext == 0) {
            o.jump_target = (v >= 13 ? labels.count(f.offset) : jump_targets.count(f.offset) + (v >= 11 ? labels.count(f.offset) : 0)) > 0;
            if (v >= 13 && labels.count(f.offset)) o.label = "L" + std::to_string(label_no[f.offset]);
        } else {
            o.starts_line = false;
        }
        int flat_target = -1;
        if (in.target && (is_jump(in.op) || in.op == Op::SETUP_WITH)) {
            flat_target = target_index(in);
            if (flat_target >= 0) o.target = final_index[(size_t)flat_target];
        }
        auto name = [&](int k) { return k >= 0 && k < (int)u.names.size() ? u.names[(size_t)k] : std::string("?"); };
        auto var = [&](int k) { return k >= 0 && k < (int)u.varnames.size() ? u.varnames[(size_t)k] : std::string("?"); };
        auto konst = [&](int k) -> std::string {
            if (k < 0 || k >= (int)u.consts.size()) return "?";
            const ConstSlot& c = u.consts[(size_t)k];
            if (c.code >= 0) {
                const CodeObject& co = codes[(size_t)c.code];
                return "<code object " + co.name + " at 0x..., file \"" + filename + "\", line " +
                       std::to_string(co.firstlineno) + ">";
            }
            return const_repr(c.value);
        };
        switch (in.op) {
        case Op::LOAD_CONST:
        case Op::RETURN_CONST: o.argrepr = konst(in.arg); break;
        case Op::KW_NAMES: if (v >= 12) o.argrepr = konst(in.arg); break;
        case Op::LOAD_GLOBAL:
            o.argrepr = name(in.arg);
            if (v >= 11 && in.flag) o.argrepr = v >= 13 ? o.argrepr + " + NULL" : "NULL + " + o.argrepr;
            break;
        case Op::LOAD_ATTR:
            o.argrepr = name(in.arg);
            if (v >= 12 && in.flag) o.argrepr = v >= 13 ? o.argrepr + " + NULL|self" : "NULL|self + " + o.argrepr;
            break;
        case Op::LOAD_NAME: case Op::STORE_NAME: case Op::STORE_GLOBAL: case Op::STORE_ATTR: case Op::LOAD_METHOD:
        case Op::IMPORT_NAME: case Op::IMPORT_FROM: o.argrepr = name(in.arg); break;
        case Op::LOAD_FAST: case Op::STORE_FAST: case Op::LOAD_FAST_CHECK: case Op::LOAD_FAST_AND_CLEAR:
            o.argrepr = var(in.arg);
            break;
        case Op::LOAD_FAST_LOAD_FAST: case Op::STORE_FAST_LOAD_FAST: case Op::STORE_FAST_STORE_FAST:
            o.argrepr = var(in.arg >> 4) + ", " + var(in.arg & 15);
            break;
        case Op::LOAD_DEREF: case Op::STORE_DEREF: case Op::LOAD_CLOSURE: case Op::MAKE_CELL: o.argrepr = deref_name(in.arg); break;
        case Op::COMPARE_OP:
            o.argrepr = cmp_symbol(in.arg);
            if (v >= 13 && in.flag) o.argrepr = std::string("bool(") + o.argrepr + ")";
            break;
        case Op::IS_OP: if (v >= 13) o.argrepr = in.arg ? "is not" : "is"; break;
        case Op::CONTAINS_OP: if (v >= 13) o.argrepr = in.arg ? "not in" : "in"; break;
        case Op::BINARY_OP: o.argrepr = nb_symbol(in.arg); break;
        case Op::MAKE_FUNCTION:
        case Op::SET_FUNCTION_ATTRIBUTE: {
            static const char* fl[] = {"defaults", "kwdefaults", "annotations", "closure"};
            std::string s;
            for (int b = 0; b < 4; ++b)
                if (in.arg & (1 << b)) s += (s.empty() ? "" : ", ") + std::string(fl[b]);
            o.argrepr = s;
            break;
        }
        case Op::CALL_INTRINSIC_1: {
            static const char* n[] = {"INTRINSIC_1_INVALID", "INTRINSIC_PRINT", "INTRINSIC_IMPORT_STAR",
                                      "INTRINSIC_STOPITERATION_ERROR", "INTRINSIC_ASYNC_GEN_WRAP",
                                      "INTRINSIC_UNARY_POSITIVE", "INTRINSIC_LIST_TO_TUPLE"};
            o.argrepr = in.arg >= 0 && in.arg < 7 ? n[in.arg] : "?";
            break;
        }
        default: break;
        }
        if (flat_target >= 0) {
            int toff = flat[(size_t)flat_target].offset;
            bool show = !(v == 9 && absolute_jump(in.op, v));
            if (v >= 13) o.argrepr = "to L" + std::to_string(label_no[toff]);
            else if (show) o.argrepr = "to " + std::to_string(toff * 2);
        }
        // Where this version checks the eval breaker (a pending drop request takes effect).
        switch (v) {
        case 9:
            switch (in.op) {
            case Op::LOAD_FAST: case Op::LOAD_CONST: case Op::STORE_FAST: case Op::POP_TOP: case Op::JUMP_FORWARD:
            case Op::POP_JUMP_IF_FALSE: case Op::POP_JUMP_IF_TRUE: case Op::NOP: case Op::ROT_TWO: case Op::ROT_THREE:
            case Op::DUP_TOP: case Op::DUP_TOP_TWO: o.check_point = false; break;
            default: o.check_point = true; break;
            }
            break;
        case 10:
            // 3.10's ceval.c also checks after a taken POP_JUMP_IF_FALSE/TRUE (JUMPTO(oparg);
            // CHECK_EVAL_BREAKER();): the check happens only when the jump is taken.
            // Its calls check after call_function() returns (CHECK_EVAL_BREAKER() ends
            // CALL_FUNCTION, CALL_METHOD and CALL_FUNCTION_KW), so a Python callee has run by then.
            o.check_after_return = in.op == Op::CALL_FUNCTION || in.op == Op::CALL_METHOD || in.op == Op::CALL_FUNCTION_KW;
            o.check_point = i == 0 || o.check_after_return || in.op == Op::POP_JUMP_IF_FALSE ||
                            in.op == Op::POP_JUMP_IF_TRUE ||
                            (in.op == Op::JUMP_ABSOLUTE && flat_target >= 0 && flat_target <= (int)i);
            break;
        default:
            o.check_point = in.op == Op::RESUME || in.op == Op::JUMP_BACKWARD || in.op == Op::CALL ||
                            in.op == Op::CALL_KW || in.op == Op::POP_JUMP_BACKWARD_IF_FALSE ||
                            in.op == Op::POP_JUMP_BACKWARD_IF_TRUE;
            break;
        }
        out.instructions.push_back(std::move(o));
    }
    // Targets as indices into the final list (they already are: one Flat per Instruction).
}

}  // namespace gil::py
