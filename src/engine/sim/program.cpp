// program.cpp — the program builder and the version-aware disassembler.
#include "engine/sim/program.h"

#include <cassert>
#include <cstdio>

#include "engine/sim/profile.h"

namespace gil::sim {

const char* op_name(Op op) {
    switch (op) {
    case Op::Nop: return "NOP";
    case Op::Resume: return "RESUME";
    case Op::LoadConst: return "LOAD_CONST";
    case Op::LoadFast: return "LOAD_FAST";
    case Op::StoreFast: return "STORE_FAST";
    case Op::LoadGlobal: return "LOAD_GLOBAL";
    case Op::StoreGlobal: return "STORE_GLOBAL";
    case Op::BinaryOp: return "BINARY_OP";
    case Op::CompareOp: return "COMPARE_OP";
    case Op::PopJumpIfFalse: return "POP_JUMP_IF_FALSE";
    case Op::PopJumpIfTrue: return "POP_JUMP_IF_TRUE";
    case Op::JumpForward: return "JUMP_FORWARD";
    case Op::JumpBackward: return "JUMP_BACKWARD";
    case Op::GetIter: return "GET_ITER";
    case Op::ForIter: return "FOR_ITER";
    case Op::Call: return "CALL";
    case Op::ReturnValue: return "RETURN_VALUE";
    case Op::PopTop: return "POP_TOP";
    case Op::Sleep: return "SLEEP";
    case Op::CCallNoGil: return "C_CALL_NOGIL";
    case Op::CCallGil: return "C_CALL_GIL";
    case Op::LockAcquire: return "LOCK_ACQUIRE";
    case Op::LockRelease: return "LOCK_RELEASE";
    case Op::ListAppend: return "LIST_APPEND";
    case Op::QueuePut: return "QUEUE_PUT";
    case Op::QueueGet: return "QUEUE_GET";
    case Op::Pickle: return "PICKLE";
    case Op::AwaitSleep: return "AWAIT_SLEEP";
    default: return "?";
    }
}

int Program::function_index(const std::string& name) const {
    for (size_t i = 0; i < functions.size(); ++i)
        if (functions[i].name == name) return (int)i;
    return -1;
}

int add_global(Program& p, const std::string& name, int64_t initial, VarScope scope) {
    p.globals.push_back({name, initial, scope});
    return (int)p.globals.size() - 1;
}
int add_lock(Program& p, const std::string& name, bool cross_process) {
    p.locks.push_back({name, cross_process});
    return (int)p.locks.size() - 1;
}
int add_queue(Program& p, const std::string& name, bool cross_process, int64_t item_bytes) {
    p.queues.push_back({name, cross_process, item_bytes});
    return (int)p.queues.size() - 1;
}
int add_list(Program& p, const std::string& name) {
    p.lists.push_back(name);
    return (int)p.lists.size() - 1;
}

FunctionBuilder::FunctionBuilder(Program& p, std::string name, std::vector<std::string> args) : p_(p) {
    f_.name = std::move(name);
    f_.nargs = (int)args.size();
    for (auto& a : args) local(a);
}

int FunctionBuilder::local(const std::string& name) {
    for (size_t i = 0; i < f_.local_names.size(); ++i)
        if (f_.local_names[i] == name) return (int)i;
    f_.local_names.push_back(name);
    f_.nlocals = (int)f_.local_names.size();
    return f_.nlocals - 1;
}

int FunctionBuilder::iter_slots(const std::string& name) {
    int a = local("<iter " + name + ">");
    local("<stop " + name + ">");
    return a;
}

int FunctionBuilder::label() {
    label_pos_.push_back(-1);
    return (int)label_pos_.size() - 1;
}

void FunctionBuilder::place(int l) { label_pos_[(size_t)l] = (int)f_.code.size(); }

void FunctionBuilder::emit(Op op, int a, int b) { f_.code.push_back({op, a, b, line_}); }

void FunctionBuilder::emit_jump(Op op, int a, int l) {
    fixups_.push_back({f_.code.size(), l});
    emit(op, a, 0);
}

int FunctionBuilder::konst(int64_t v) {
    for (size_t i = 0; i < p_.consts.size(); ++i)
        if (p_.consts[i] == v) return (int)i;
    p_.consts.push_back(v);
    return (int)p_.consts.size() - 1;
}

void FunctionBuilder::load_const(int64_t v) { emit(Op::LoadConst, konst(v)); }

void FunctionBuilder::call(const std::string& fn, int nargs) {
    int idx = p_.function_index(fn);
    assert(idx >= 0 && "call to a function that was not built yet");
    emit(Op::Call, idx, nargs);
}

int FunctionBuilder::finish() {
    for (auto [at, l] : fixups_) {
        assert(label_pos_[(size_t)l] >= 0 && "unplaced label");
        f_.code[at].b = label_pos_[(size_t)l];
    }
    for (size_t i = 0; i < f_.code.size(); ++i) {
        const Instr& in = f_.code[i];
        if (in.op == Op::JumpBackward) {
            assert(in.b <= (int)i && "JumpBackward must jump backward");
            f_.loops = true;
        }
    }
    p_.functions.push_back(std::move(f_));
    return (int)p_.functions.size() - 1;
}

// ------------------------------------------------------------------ disassembly

std::vector<DisLine> disassemble(const Program& p, int fi, const VersionRow& row) {
    const InterpreterProfile prof = profile_for(row);
    const bool modern = row.breaker == EvalBreaker::ResumeBackEdgesCalls;
    const Function& f = p.functions[(size_t)fi];
    std::vector<DisLine> out;
    auto local_name = [&](int i) { return i >= 0 && i < (int)f.local_names.size() ? f.local_names[(size_t)i] : "?"; };
    for (size_t i = 0; i < f.code.size(); ++i) {
        const Instr& in = f.code[i];
        DisLine d{(int)i, in.line, op_name(in.op), "", prof.has_gil && prof.check_after[(size_t)in.op], ""};
        switch (in.op) {
        case Op::Resume:
            if (!modern) {
                d.opname = "";
                d.arg = "(function entry)";
            } else {
                d.arg = "0";
            }
            break;
        case Op::LoadConst: d.arg = std::to_string(p.consts[(size_t)in.a]); break;
        case Op::LoadFast:
        case Op::StoreFast: d.arg = local_name(in.a); break;
        case Op::LoadGlobal:
        case Op::StoreGlobal: d.arg = p.globals[(size_t)in.a].name; break;
        case Op::BinaryOp: {
            static const char* old_names[] = {"BINARY_ADD", "BINARY_SUBTRACT", "BINARY_MULTIPLY",
                                              "INPLACE_ADD", "INPLACE_SUBTRACT", "BINARY_MODULO"};
            static const char* new_args[] = {"0 (+)", "10 (-)", "5 (*)", "13 (+=)", "23 (-=)", "6 (%)"};
            if (modern) d.arg = new_args[in.a];
            else d.opname = old_names[in.a];
            break;
        }
        case Op::CompareOp: {
            static const char* c[] = {"<", "<=", ">", ">=", "==", "!="};
            d.arg = std::string("(") + c[in.a] + ")";
            break;
        }
        case Op::PopJumpIfFalse:
        case Op::PopJumpIfTrue:
        case Op::JumpForward: d.arg = "to " + std::to_string(in.b); break;
        case Op::JumpBackward:
            if (!modern) d.opname = "JUMP_ABSOLUTE";
            d.arg = "to " + std::to_string(in.b);
            break;
        case Op::GetIter: d.arg = "(range)"; break;
        case Op::ForIter: {
            std::string n = local_name(in.a);  // "<iter i>"
            if (n.size() > 7) n = n.substr(6, n.size() - 7);
            d.arg = "to " + std::to_string(in.b) + " (" + n + ")";
            break;
        }
        case Op::Call:
            d.opname = modern ? "CALL" : "CALL_FUNCTION";
            d.arg = std::to_string(in.b) + " (" + p.functions[(size_t)in.a].name + ")";
            break;
        case Op::Sleep:
        case Op::CCallNoGil:
        case Op::CCallGil:
        case Op::ListAppend:
        case Op::QueuePut:
        case Op::QueueGet:
        case Op::Pickle:
        case Op::LockRelease: {
            d.opname = modern ? "CALL" : "CALL_FUNCTION";
            char buf[96];
            double ms = in.op == Op::Pickle || in.op == Op::ListAppend || in.op == Op::QueuePut ||
                                in.op == Op::QueueGet || in.op == Op::LockRelease
                            ? 0
                            : (double)p.consts[(size_t)in.a] / 1e6;
            switch (in.op) {
            case Op::Sleep: std::snprintf(buf, sizeof buf, "1 (time.sleep %g ms: GIL released)", ms); break;
            case Op::CCallNoGil: std::snprintf(buf, sizeof buf, "1 (C kernel %g ms: GIL released)", ms); break;
            case Op::CCallGil: std::snprintf(buf, sizeof buf, "1 (C code %g ms: GIL kept)", ms); break;
            case Op::ListAppend: std::snprintf(buf, sizeof buf, "1 (%s.append)", p.lists[(size_t)in.a].c_str()); break;
            case Op::QueuePut: std::snprintf(buf, sizeof buf, "1 (%s.put)", p.queues[(size_t)in.a].name.c_str()); break;
            case Op::QueueGet: std::snprintf(buf, sizeof buf, "0 (%s.get)", p.queues[(size_t)in.a].name.c_str()); break;
            case Op::Pickle:
                std::snprintf(buf, sizeof buf, "1 (pickle %lld bytes)", (long long)p.consts[(size_t)in.a]);
                break;
            default:
                std::snprintf(buf, sizeof buf, "%s (%s.__exit__)", modern ? "2" : "3", p.locks[(size_t)in.a].name.c_str());
                break;
            }
            d.arg = buf;
            break;
        }
        case Op::LockAcquire:
            d.opname = modern ? "BEFORE_WITH" : "SETUP_WITH";
            d.arg = "(" + p.locks[(size_t)in.a].name + ".__enter__)";
            break;
        case Op::AwaitSleep: {
            char buf[64];
            std::snprintf(buf, sizeof buf, "(await asyncio.sleep %g ms)", (double)p.consts[(size_t)in.a] / 1e6);
            d.opname = "AWAIT";
            d.arg = buf;
            break;
        }
        default: break;
        }
        out.push_back(d);
    }
    return out;
}

}  // namespace gil::sim
