// program.cpp — names of the simulator's instructions and the declarations of a program.
#include "engine/sim/program.h"

#include <cassert>
#include <cstdio>


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
    case Op::ThreadNew: return "THREAD_NEW";
    case Op::ThreadStart: return "THREAD_START";
    case Op::ThreadJoin: return "THREAD_JOIN";
    case Op::PerfCounter: return "PERF_COUNTER";
    case Op::SetInterval: return "SET_INTERVAL";
    case Op::ListNew: return "LIST_NEW";
    case Op::ListPush: return "LIST_PUSH";
    case Op::ListIter: return "LIST_ITER";
    case Op::ListItem: return "LIST_ITEM";
    case Op::ListLen: return "LIST_LEN";
    case Op::ProcessNew: return "PROCESS_NEW";
    case Op::SetStartMethod: return "SET_START_METHOD";
    case Op::ListExtend: return "LIST_EXTEND";
    case Op::Print: return "PRINT";
    default: return "?";
    }
}

int Program::function_index(const std::string& name) const {
    for (size_t i = 0; i < functions.size(); ++i)
        if (functions[i].name == name) return (int)i;
    return -1;
}

namespace {
template <class V, class F>
int find_by(const V& v, F name_of, const std::string& name) {
    for (size_t i = 0; i < v.size(); ++i)
        if (name_of(v[i]) == name) return (int)i;
    return -1;
}
}  // namespace

int Program::global_index(const std::string& name) const {
    return find_by(globals, [](const GlobalVar& g) { return g.name; }, name);
}
int Program::lock_index(const std::string& name) const {
    return find_by(locks, [](const LockDecl& l) { return l.name; }, name);
}
int Program::queue_index(const std::string& name) const {
    return find_by(queues, [](const QueueDecl& q) { return q.name; }, name);
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

}  // namespace gil::sim
