// flowgraph.cpp — the version's passes over the control-flow graph, then the block layout
// (Python/flowgraph.c in 3.12+, the CFG half of Python/compile.c in 3.10/3.11, the
// peephole optimizer of Python/peephole.c in 3.9):
//   exception targets (3.11+) -> unreachable code -> jump threading and constant tests ->
//   small exit blocks inlined -> redundant NOPs -> empty blocks -> cold blocks last (3.12+)
//   -> exits without a line duplicated and line numbers propagated (3.10+) -> superinstructions (3.13)
#include <algorithm>
#include <functional>
#include <map>

#include "engine/py/cfg.h"

namespace gil::py {

bool is_unconditional_jump(Op op) {
    switch (op) {
    case Op::JUMP:
    case Op::JUMP_FORWARD:
    case Op::JUMP_ABSOLUTE:
    case Op::JUMP_BACKWARD:
    case Op::JUMP_NO_INTERRUPT:
    case Op::JUMP_BACKWARD_NO_INTERRUPT: return true;
    default: return false;
    }
}
bool is_conditional_jump(Op op) {
    switch (op) {
    case Op::POP_JUMP_IF_FALSE:
    case Op::POP_JUMP_IF_TRUE:
    case Op::POP_JUMP_FORWARD_IF_FALSE:
    case Op::POP_JUMP_FORWARD_IF_TRUE:
    case Op::POP_JUMP_BACKWARD_IF_FALSE:
    case Op::POP_JUMP_BACKWARD_IF_TRUE:
    case Op::JUMP_IF_FALSE_OR_POP:
    case Op::JUMP_IF_TRUE_OR_POP:
    case Op::FOR_ITER:
    case Op::SEND: return true;
    default: return false;
    }
}
bool is_jump(Op op) { return is_unconditional_jump(op) || is_conditional_jump(op); }
bool has_target(Op op) {
    return is_jump(op) || op == Op::SETUP_WITH || op == Op::SETUP_CLEANUP || op == Op::SETUP_FINALLY;
}
bool is_terminator(Op op) {
    return is_unconditional_jump(op) || op == Op::RETURN_VALUE || op == Op::RETURN_CONST || op == Op::RERAISE;
}

namespace {

bool is_pseudo_setup(Op op) { return op == Op::SETUP_WITH || op == Op::SETUP_CLEANUP || op == Op::SETUP_FINALLY; }

struct Pass {
    Unit& u;
    int v;

    std::vector<Block*> layout() {
        std::vector<Block*> out;
        for (Block* b = u.entry; b; b = b->next) out.push_back(b);
        return out;
    }
    bool falls_through(const Block* b) const { return b->ins.empty() || !is_terminator(b->ins.back().op); }
    static Block* next_nonempty(Block* b) {
        while (b && b->ins.empty()) b = b->next;
        return b;
    }

    // ------------------------------------------------------------ exception targets (3.11+)
    void label_exception_targets() {
        struct Entry { Block* handler; };
        std::map<Block*, std::vector<Block*>> stacks;
        std::vector<Block*> work{u.entry};
        stacks[u.entry] = {};
        std::map<Block*, bool> seen;
        while (!work.empty()) {
            Block* b = work.back();
            work.pop_back();
            if (seen[b]) continue;
            seen[b] = true;
            std::vector<Block*> stack = stacks[b];
            for (auto& in : b->ins) {
                if (is_pseudo_setup(in.op)) {
                    in.target->except_handler = true;
                    if (in.op != Op::SETUP_FINALLY) in.target->preserve_lasti = true;
                    if (!stacks.count(in.target)) stacks[in.target] = stack;
                    work.push_back(in.target);
                    stack.push_back(in.target);
                    in.handler = stack.size() > 1 ? stack[stack.size() - 2] : nullptr;
                    continue;
                }
                if (in.op == Op::POP_BLOCK) {
                    // label_exception_targets: POP_BLOCK pops the handler and becomes a NOP
                    // whose own i_except stays NULL (a NOP kept for its line is not covered).
                    if (!stack.empty()) stack.pop_back();
                    in.handler = nullptr;
                    continue;
                }
                in.handler = stack.empty() ? nullptr : stack.back();
                if (in.target && !stacks.count(in.target)) {
                    stacks[in.target] = stack;
                    work.push_back(in.target);
                } else if (in.target) {
                    work.push_back(in.target);
                }
            }
            if (falls_through(b) && b->next) {
                if (!stacks.count(b->next)) stacks[b->next] = stack;
                work.push_back(b->next);
            }
        }
        for (Block* b = u.entry; b; b = b->next)
            for (auto& in : b->ins)
                if (is_pseudo_setup(in.op) || in.op == Op::POP_BLOCK) {
                    in.op = Op::NOP;
                    in.target = nullptr;
                    in.pseudo = true;
                }
    }

    // ------------------------------------------------------------ reachability
    void drop_after_terminators() {
        for (Block* b = u.entry; b; b = b->next)
            for (size_t i = 0; i < b->ins.size(); ++i)
                if (is_terminator(b->ins[i].op) && (v >= 10 || b->ins[i].op == Op::RETURN_VALUE)) {
                    b->ins.resize(i + 1);
                    break;
                }
    }
    void mark_reachable() {
        for (auto& bp : u.blocks) { bp->visited = false; bp->preds = 0; }
        std::vector<Block*> work{u.entry};
        u.entry->preds = 1;
        u.entry->visited = true;
        auto reach = [&](Block* t) {
            ++t->preds;
            if (!t->visited) { t->visited = true; work.push_back(t); }
        };
        while (!work.empty()) {
            Block* b = work.back();
            work.pop_back();
            for (auto& in : b->ins) {
                if (in.target) reach(in.target);
                if (in.handler) reach(in.handler);
            }
            if (falls_through(b) && b->next) reach(b->next);
        }
    }
    void remove_unreachable() {
        mark_reachable();
        for (Block* b = u.entry; b; b = b->next)
            if (!b->visited) b->ins.clear();
    }

    // ------------------------------------------------------------ jump threading
    bool thread_ok(const CInstr& in, const CInstr& t) const {
        if (v == 9) return true;
        if (v <= 11) return in.line == t.line;
        return in.line == t.line || t.line == -1;
    }
    static bool const_truth(const Unit& u, const CInstr& in, bool& truth) {
        if (in.op != Op::LOAD_CONST) return false;
        const ConstSlot& c = u.consts[(size_t)in.arg];
        if (c.code >= 0) return false;
        const Constant& k = c.value;
        switch (k.kind) {
        case ConstKind::None:
        case ConstKind::False: truth = false; return true;
        case ConstKind::True:
        case ConstKind::Ellipsis:
        case ConstKind::BigInt: truth = true; return true;
        case ConstKind::Int: truth = k.i != 0; return true;
        case ConstKind::Float: truth = k.f != 0; return true;
        case ConstKind::Str:
        case ConstKind::Bytes: truth = !k.s.empty(); return true;
        case ConstKind::Tuple: truth = !k.items.empty(); return true;
        }
        return false;
    }
    void optimize_blocks() {
        for (int round = 0; round < 4; ++round) {
            for (Block* b = u.entry; b; b = b->next) {
                for (size_t i = 0; i < b->ins.size(); ++i) {
                    CInstr& in = b->ins[i];
                    // Constant tests: `while True`, `if 0`.
                    if (in.op == Op::LOAD_CONST && i + 1 < b->ins.size() && v >= 10) {
                        CInstr& nx = b->ins[i + 1];
                        bool truth;
                        if ((nx.op == Op::POP_JUMP_IF_FALSE || nx.op == Op::POP_JUMP_IF_TRUE) && const_truth(u, in, truth)) {
                            bool jump_if_true = nx.op == Op::POP_JUMP_IF_TRUE;
                            in.op = Op::NOP;
                            if (truth == jump_if_true) nx.op = v >= 11 ? Op::JUMP : Op::JUMP_ABSOLUTE;
                            else { nx.op = Op::NOP; nx.target = nullptr; }
                            continue;
                        }
                    }
                    if (v >= 13 && in.op == Op::LOAD_CONST && i + 1 < b->ins.size() && b->ins[i + 1].op == Op::TO_BOOL) {
                        bool truth;
                        if (const_truth(u, in, truth)) {
                            ConstSlot c;
                            c.value.kind = truth ? ConstKind::True : ConstKind::False;
                            int idx = -1;
                            for (size_t k = 0; k < u.consts.size(); ++k)
                                if (u.consts[k].code < 0 && u.consts[k].value == c.value) idx = (int)k;
                            if (idx < 0) { u.consts.push_back(c); idx = (int)u.consts.size() - 1; }
                            CInstr& nx = b->ins[i + 1];
                            nx.op = Op::LOAD_CONST;
                            nx.arg = idx;
                            in.op = Op::NOP;
                            continue;
                        }
                    }
                    if (in.op == Op::LOAD_CONST && i + 1 < b->ins.size() && v >= 10 && v <= 11) {
                        CInstr& nx = b->ins[i + 1];
                        bool truth;
                        if ((nx.op == Op::JUMP_IF_FALSE_OR_POP || nx.op == Op::JUMP_IF_TRUE_OR_POP) && const_truth(u, in, truth)) {
                            bool jump_if_true = nx.op == Op::JUMP_IF_TRUE_OR_POP;
                            if (truth == jump_if_true) nx.op = v >= 11 ? Op::JUMP : Op::JUMP_ABSOLUTE;
                            else { in.op = Op::NOP; nx.op = Op::NOP; nx.target = nullptr; }
                            continue;
                        }
                    }
                    // `0 or x`, `1 and x` with a constant first operand (3.12+ COPY form).
                    if (v >= 12 && in.op == Op::LOAD_CONST && i + 1 < b->ins.size() && b->ins[i + 1].op == Op::COPY &&
                        b->ins[i + 1].arg == 1) {
                        size_t j = i + 2;
                        if (v >= 13 && j < b->ins.size() && b->ins[j].op == Op::TO_BOOL) ++j;
                        bool truth;
                        if (j < b->ins.size() && (b->ins[j].op == Op::POP_JUMP_IF_FALSE || b->ins[j].op == Op::POP_JUMP_IF_TRUE) &&
                            const_truth(u, in, truth)) {
                            bool jump_if_true = b->ins[j].op == Op::POP_JUMP_IF_TRUE;
                            Block* nb = b->next;
                            if (truth == jump_if_true) {
                                for (size_t k = i + 1; k < j; ++k) b->ins[k].op = Op::NOP;
                                b->ins[j].op = Op::JUMP;
                            } else if (nb && !nb->ins.empty() && nb->ins[0].op == Op::POP_TOP) {
                                in.op = Op::NOP;
                                for (size_t k = i + 1; k <= j; ++k) { b->ins[k].op = Op::NOP; b->ins[k].target = nullptr; }
                                nb->ins[0].op = Op::NOP;
                            }
                            continue;
                        }
                    }
                    // The NULL of a call folds into LOAD_GLOBAL's low bit.
                    if ((v == 11 || v == 12) && in.op == Op::PUSH_NULL && i + 1 < b->ins.size() &&
                        b->ins[i + 1].op == Op::LOAD_GLOBAL && !b->ins[i + 1].flag) {
                        in.op = Op::NOP;
                        b->ins[i + 1].flag = true;
                        continue;
                    }
                    if (v >= 13 && in.op == Op::LOAD_GLOBAL && !in.flag && i + 1 < b->ins.size() && b->ins[i + 1].op == Op::PUSH_NULL) {
                        in.flag = true;
                        b->ins[i + 1].op = Op::NOP;
                        continue;
                    }
                    if (v >= 13 && in.op == Op::TO_BOOL && i + 1 < b->ins.size() && b->ins[i + 1].op == Op::TO_BOOL) {
                        in.op = Op::NOP;
                        continue;
                    }
                    if (v >= 13 && in.op == Op::COMPARE_OP && i + 1 < b->ins.size() && b->ins[i + 1].op == Op::TO_BOOL) {
                        CInstr& nx = b->ins[i + 1];
                        nx.op = Op::COMPARE_OP;
                        nx.arg = in.arg;
                        nx.flag = true;
                        nx.line = in.line;
                        in.op = Op::NOP;
                        continue;
                    }
                    if (v >= 13 && (in.op == Op::IS_OP || in.op == Op::CONTAINS_OP) && i + 1 < b->ins.size() &&
                        b->ins[i + 1].op == Op::TO_BOOL) {
                        b->ins[i + 1].op = Op::NOP;
                        continue;
                    }
                    if (!in.target || !is_jump(in.op) || in.op == Op::FOR_ITER || in.op == Op::SEND) continue;
                    Block* tb = next_nonempty(in.target);
                    if (!tb) continue;
                    in.target = tb;
                    const CInstr& t = tb->ins[0];
                    if (is_unconditional_jump(t.op) && t.target && t.target != in.target && thread_ok(in, t) &&
                        t.op != Op::JUMP_NO_INTERRUPT && t.op != Op::JUMP_BACKWARD_NO_INTERRUPT) {
                        if (is_unconditional_jump(in.op)) {
                            if (v == 9 && in.op == Op::JUMP_FORWARD) in.op = Op::JUMP_ABSOLUTE;
                            if (v == 10) in.op = t.op;
                            if (v >= 12 && t.op == Op::JUMP) in.op = Op::JUMP;
                            in.line = v >= 10 ? t.line : in.line;
                        }
                        in.target = t.target;
                        --i;  // thread again
                        continue;
                    }
                    // A conditional jump over an unconditional one: `if x: break`-style inversion is
                    // left to layout; a jump to the next block is removed.
                }
            }
        }
    }

    // A jump to a small exit block (a return with at most 4 instructions, no line needed)
    // becomes a copy of it (3.10+ inline_small_exit_blocks / copy of exit blocks).
    void inline_small_exits() {
        if (v < 10) return;
        for (Block* b = u.entry; b; b = b->next) {
            if (b->ins.empty()) continue;
            CInstr& last = b->ins.back();
            if (!is_unconditional_jump(last.op) || !last.target) continue;
            Block* t = next_nonempty(last.target);
            if (!t || t->ins.empty() || t->ins.size() > 4) continue;
            Op end = t->ins.back().op;
            if (end != Op::RETURN_VALUE && end != Op::RETURN_CONST) continue;
            if (v >= 12 && t->ins.back().handler != last.handler) continue;
            // 3.11 copies only an exit that has no line of its own (an implicit `return None`):
            // a `break` to `return xs` stays a jump there, as every recorded 3.11 program shows
            // (corpus/bubble_sort); 3.10 and 3.12+ copy it.
            if (v == 11 && std::any_of(t->ins.begin(), t->ins.end(), [](const CInstr& c) { return c.line >= 0; }))
                continue;
            std::vector<CInstr> copy = t->ins;
            // extend_block / inline_small_exit_blocks: the jump becomes a NOP that keeps its
            // line (the NOP pass then hands it to a copied instruction without one).
            last.op = Op::NOP;
            last.target = nullptr;
            last.arg = 0;
            for (auto& c : copy) b->ins.push_back(c);
        }
    }

    // ------------------------------------------------------------ NOPs and empty blocks
    // `pseudo_too`: also the NOPs that were SETUP_*/POP_BLOCK. 3.11 and 3.12 turn those into NOPs only
    // after the line numbers are resolved (convert_pseudo_ops, then remove_redundant_nops), so
    // until then they stay, and such a NOP can keep a line it inherited.
    void remove_nops(bool pseudo_too = false) {
        for (Block* b = u.entry; b; b = b->next) {
            std::vector<CInstr> out;
            int prev_line = -1;
            for (size_t i = 0; i < b->ins.size(); ++i) {
                CInstr& in = b->ins[i];
                if (in.op == Op::NOP && in.pseudo && (v == 11 || v == 12) && !pseudo_too) {
                    out.push_back(in);
                    prev_line = in.line;
                    continue;
                }
                if (in.op == Op::NOP) {
                    if (v == 9) continue;
                    int line = in.line;
                    if (line < 0) continue;
                    if (!out.empty() && prev_line == line) continue;
                    if (i + 1 < b->ins.size()) {
                        CInstr& nx = b->ins[i + 1];
                        if (nx.line == line || nx.line < 0) {
                            if (nx.line < 0) nx.line = line;
                            continue;
                        }
                    } else {
                        Block* n = next_nonempty(b->next);
                        if (n && falls_through(b) && n->ins[0].line == line) continue;
                        // (3.10's clean_basic_block keeps the NOP when the next block has no line:
                        // `else: pass` before an implicit return.)
                        if (v != 10 && n && falls_through(b) && n->ins[0].line < 0) { n->ins[0].line = line; continue; }
                    }
                    out.push_back(in);
                    prev_line = line;
                    continue;
                }
                out.push_back(in);
                prev_line = in.line;
            }
            b->ins = std::move(out);
        }
    }
    void skip_empty_targets() {
        for (Block* b = u.entry; b; b = b->next)
            for (auto& in : b->ins) {
                if (in.target) in.target = next_nonempty(in.target);
                if (in.handler) in.handler = next_nonempty(in.handler);
            }
    }
    // Removes `JUMP` to the block that follows anyway.
    void remove_jumps_to_next() {
        for (Block* b = u.entry; b; b = b->next) {
            if (b->ins.empty()) continue;
            CInstr& last = b->ins.back();
            if (!is_unconditional_jump(last.op) || !last.target) continue;
            if (next_nonempty(b->next) == next_nonempty(last.target)) {
                if (v >= 10 && last.line >= 0) {
                    last.op = Op::NOP;
                    last.target = nullptr;
                } else {
                    b->ins.pop_back();
                }
            }
        }
    }

    // ------------------------------------------------------------ cold blocks (3.12+)
    void push_cold_blocks_to_end() {
        // Warm: reachable from the entry without following exception edges.
        for (auto& bp : u.blocks) bp->cold = true;
        std::vector<Block*> work{u.entry};
        u.entry->cold = false;
        while (!work.empty()) {
            Block* b = work.back();
            work.pop_back();
            auto warm = [&](Block* t) {
                if (t && t->cold) { t->cold = false; work.push_back(t); }
            };
            for (auto& in : b->ins)
                if (in.target) warm(in.target);
            if (falls_through(b)) warm(b->next);
        }
        std::vector<Block*> order = layout();
        std::vector<Block*> warm, cold;
        for (Block* b : order) {
            if (b->ins.empty()) continue;
            (b->cold ? cold : warm).push_back(b);
        }
        if (cold.empty()) return;
        // A cold block that fell through into a warm one now needs an explicit jump.
        for (size_t i = 0; i < order.size(); ++i) {
            Block* b = order[i];
            if (!b->cold || b->ins.empty() || !falls_through(b)) continue;
            Block* n = next_nonempty(b->next);
            if (n && !n->cold) {
                CInstr j;
                j.op = v >= 13 ? Op::JUMP_NO_INTERRUPT : Op::JUMP;
                j.target = n;
                j.line = -1;
                b->ins.push_back(j);
            }
        }
        std::vector<Block*> all = warm;
        all.insert(all.end(), cold.begin(), cold.end());
        for (size_t i = 0; i < all.size(); ++i) all[i]->next = i + 1 < all.size() ? all[i + 1] : nullptr;
        u.entry = all[0];
    }

    // ------------------------------------------------------------ line numbers (3.10+)
    // 3.10 (is_exit_without_lineno): an exit block whose FIRST instruction has no line;
    // 3.11+: one with no line on any instruction.
    bool is_exit_without_line(const Block* b) const {
        if (b->ins.empty()) return false;
        Op end = b->ins.back().op;
        if (end != Op::RETURN_VALUE && end != Op::RETURN_CONST) return false;
        if (v == 10) return b->ins[0].line < 0;
        for (auto& in : b->ins)
            if (in.line >= 0) return false;
        return true;
    }
    void duplicate_exits_without_line() {
        mark_reachable();
        std::vector<Block*> order = layout();
        for (Block* b : order) {
            if (b->ins.empty()) continue;
            CInstr& last = b->ins.back();
            if (!last.target || !is_jump(last.op)) continue;
            Block* t = last.target;
            if (is_exit_without_line(t) && t->preds > 1) {
                auto nb = std::make_unique<Block>();
                nb->ins = t->ins;
                Block* copy = nb.get();
                copy->id = (int)u.blocks.size();
                u.blocks.push_back(std::move(nb));
                if (v == 10) {
                    // 3.10: right after the block it copies, and only its first instruction
                    // takes the jump's line (COPY_INSTR_LOC to new_target->b_instr[0]).
                    copy->next = t->next;
                    t->next = copy;
                    copy->ins[0].line = last.line;
                } else {
                    // Laid out at the end, as CPython does.
                    Block* tail = b;
                    while (tail->next) tail = tail->next;
                    tail->next = copy;
                    for (auto& in : copy->ins) in.line = last.line;
                }
                last.target = copy;
                --t->preds;
                copy->preds = 1;
            }
        }
        // An exit reached by fall-through only takes the line before it.
        for (Block* b : layout())
            if (b->next && falls_through(b) && !b->ins.empty() && is_exit_without_line(b->next) && (v == 10 || b->next->preds == 1)) {
                if (v == 10) b->next->ins[0].line = b->ins.back().line;  // 3.10: the first instruction only
                else
                    for (auto& in : b->next->ins) in.line = b->ins.back().line;
            }
    }
    void propagate_lines() {
        mark_reachable();
        for (Block* b : layout()) {
            if (b->ins.empty()) continue;
            int prev = -1;
            for (auto& in : b->ins) {
                if (in.line < 0) in.line = prev;
                else prev = in.line;
            }
            if (falls_through(b) && b->next) {
                Block* n = next_nonempty(b->next);
                if (n && n->preds == 1 && n->ins[0].line < 0) n->ins[0].line = prev;
            }
            CInstr& last = b->ins.back();
            if (last.target && is_jump(last.op)) {
                Block* t = last.target;
                if (t->preds == 1 && !t->ins.empty() && t->ins[0].line < 0) t->ins[0].line = last.line;
            }
        }
    }

    // ------------------------------------------------------------ 3.12+: RETURN_CONST; 3.13: superinstructions
    void return_const() {
        for (Block* b = u.entry; b; b = b->next)
            for (size_t i = 0; i + 1 < b->ins.size(); ++i)
                if (b->ins[i].op == Op::LOAD_CONST && b->ins[i + 1].op == Op::RETURN_VALUE) {
                    b->ins[i].op = Op::RETURN_CONST;
                    b->ins.erase(b->ins.begin() + (long)i + 1);
                }
    }
    void superinstructions() {
        for (Block* b = u.entry; b; b = b->next) {
            for (size_t i = 0; i + 1 < b->ins.size(); ++i) {
                CInstr& a = b->ins[i];
                CInstr& c = b->ins[i + 1];
                if (a.line >= 0 && c.line >= 0 && a.line != c.line) continue;  // make_super_instruction
                if ((a.op == Op::STORE_FAST && a.flag) || (c.op == Op::STORE_FAST && c.flag)) continue;  // STORE_FAST_MAYBE_NULL
                Op sup = Op::NOP;
                if (a.op == Op::LOAD_FAST && c.op == Op::LOAD_FAST) sup = Op::LOAD_FAST_LOAD_FAST;
                else if (a.op == Op::STORE_FAST && c.op == Op::LOAD_FAST) sup = Op::STORE_FAST_LOAD_FAST;
                else if (a.op == Op::STORE_FAST && c.op == Op::STORE_FAST) sup = Op::STORE_FAST_STORE_FAST;
                if (sup == Op::NOP || a.arg >= 16 || c.arg >= 16) continue;
                a.op = sup;
                a.arg = (a.arg << 4) | c.arg;
                b->ins.erase(b->ins.begin() + (long)i + 1);
            }
        }
    }
    // BUILD_TUPLE n + UNPACK_SEQUENCE n (`a, b = b, a`): a swap, or nothing (3.9+).
    void tuple_unpack() {
        for (Block* b = u.entry; b; b = b->next)
            for (size_t i = 0; i + 1 < b->ins.size(); ++i) {
                CInstr& a = b->ins[i];
                CInstr& c = b->ins[i + 1];
                if (a.op != Op::BUILD_TUPLE || c.op != Op::UNPACK_SEQUENCE || a.arg != c.arg) continue;
                if (a.arg == 1) { a.op = Op::NOP; c.op = Op::NOP; }
                else if (a.arg == 2) { a.op = Op::NOP; c.op = v >= 11 ? Op::SWAP : Op::ROT_TWO; c.arg = 2; }
                else if (a.arg == 3 && v >= 11) { a.op = Op::NOP; c.op = Op::SWAP; c.arg = 3; }
                else if (a.arg == 3) { a.op = Op::ROT_THREE; c.op = Op::ROT_TWO; }
            }
    }
    // 3.11+: a SWAP followed by stores to different names is done by reordering the stores.
    void static_swaps() {
        for (Block* b = u.entry; b; b = b->next)
            for (size_t i = 0; i + 2 < b->ins.size(); ++i) {
                CInstr& s = b->ins[i];
                if (s.op != Op::SWAP || s.arg != 2) continue;
                CInstr& x = b->ins[i + 1];
                CInstr& y = b->ins[i + 2];
                auto store = [](Op o) { return o == Op::STORE_FAST || o == Op::POP_TOP; };
                if (!store(x.op) || !store(y.op)) continue;
                if (x.op == y.op && x.arg == y.arg && x.op != Op::POP_TOP) continue;
                if (x.line != y.line && x.line >= 0 && y.line >= 0) continue;
                std::swap(x, y);
                s.op = Op::NOP;
            }
    }

    // 3.9's peephole removes only what follows a RETURN_VALUE up to the next jump target;
    // code after an unconditional jump stays (Python/peephole.c).
    void remove_after_returns() {
        std::map<Block*, bool> targeted;
        for (Block* b = u.entry; b; b = b->next)
            for (auto& in : b->ins)
                if (in.target) targeted[in.target] = true;
        bool dead = false;
        for (Block* b = u.entry; b; b = b->next) {
            if (b != u.entry && targeted[b]) dead = false;
            if (dead) { b->ins.clear(); continue; }
            if (!b->ins.empty() && b->ins.back().op == Op::RETURN_VALUE) dead = true;
        }
    }

    void run() {
        if (v == 9) {
            drop_after_terminators();
            remove_after_returns();
            tuple_unpack();
            optimize_blocks();
            remove_nops();  // 3.9 compacts every NOP away
            skip_empty_targets();
            std::vector<Block*> order;
            for (Block* b = u.entry; b; b = b->next)
                if (!b->ins.empty()) order.push_back(b);
            for (size_t i = 0; i < order.size(); ++i) order[i]->next = i + 1 < order.size() ? order[i + 1] : nullptr;
            if (!order.empty()) u.entry = order[0];
            return;
        }
        if (v >= 11) label_exception_targets();
        drop_after_terminators();
        remove_unreachable();
        tuple_unpack();
        if (v >= 11) static_swaps();
        optimize_blocks();
        drop_after_terminators();
        remove_unreachable();
        inline_small_exits();
        remove_unreachable();
        remove_nops();
        skip_empty_targets();
        remove_jumps_to_next();
        remove_nops();
        remove_unreachable();
        if (v >= 12) return_const();
        if (v >= 12) {
            push_cold_blocks_to_end();
            skip_empty_targets();
            remove_jumps_to_next();
            remove_nops();
        }
        skip_empty_targets();
        if (v >= 10) {
            duplicate_exits_without_line();
            propagate_lines();
        }
        if (v == 11 || v == 12) remove_nops(true);  // 3.11/3.12: the pseudo NOPs go last (3.13 converts them in label_exception_targets)
        if (v >= 13) superinstructions();
        // Empty blocks out of the layout.
        std::vector<Block*> order;
        for (Block* b = u.entry; b; b = b->next)
            if (!b->ins.empty()) order.push_back(b);
        for (size_t i = 0; i < order.size(); ++i) order[i]->next = i + 1 < order.size() ? order[i + 1] : nullptr;
        if (!order.empty()) u.entry = order[0];
    }
};

}  // namespace

void optimize_and_layout(Unit& u, int minor) {
    Pass p{u, minor};
    p.run();
}

}  // namespace gil::py
