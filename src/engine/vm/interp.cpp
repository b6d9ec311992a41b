// interp.cpp — the VM's instructions: one step of one thread, for the bytecode of the
// version the program was compiled for (3.9 ... 3.13), following Python/ceval.c and
// Python/bytecodes.c for the stack effect of each opcode the front end emits.
// Over ~600 lines on purpose: the opcode switch is one table, as ceval.c's is.
#include <cstring>

#include "engine/vm/vm_internal.h"

namespace gil::vm {

using py::Op;
using py::Constant;
using py::ConstKind;

namespace {

Value const_value(Interp& vm, const py::CodeObject& co, int i, const Value& module);

Value constant(Interp& vm, const Constant& k) {
    switch (k.kind) {
    case ConstKind::None: return Value::none();
    case ConstKind::True: return Value::boolean(true);
    case ConstKind::False: return Value::boolean(false);
    case ConstKind::Int: return Value::integer(k.i);
    case ConstKind::BigInt: return make_int_from_text(vm.heap, k.s);
    case ConstKind::Float: return Value::real(k.f);
    case ConstKind::Str: return make_str(vm.heap, k.s);
    case ConstKind::Bytes: return make_bytes(vm.heap, k.s);
    case ConstKind::Ellipsis: return Value::none();
    case ConstKind::Tuple: {
        std::vector<Value> items;
        for (auto& i : k.items) items.push_back(constant(vm, i));
        return make_tuple(vm.heap, std::move(items));
    }
    }
    return Value::none();
}

Value const_value(Interp& vm, const py::CodeObject& co, int i, const Value& module) {
    if (co.const_code[(size_t)i] >= 0) return Value::integer(co.const_code[(size_t)i]);  // a code object: its index
    return constant(vm, co.consts[(size_t)i]);
}

int cmp_index_of(int minor, int arg) { return minor >= 13 ? arg >> 5 : minor == 12 ? arg >> 4 : arg; }

BinOp nb_op(int nb) {
    switch (nb % 13) {
    case 0: return BinOp::Add;
    case 1: return BinOp::And;
    case 2: return BinOp::FloorDiv;
    case 3: return BinOp::LShift;
    case 4: return BinOp::MatMul;
    case 5: return BinOp::Mul;
    case 6: return BinOp::Mod;
    case 7: return BinOp::Or;
    case 8: return BinOp::Pow;
    case 9: return BinOp::RShift;
    case 10: return BinOp::Sub;
    case 11: return BinOp::TrueDiv;
    default: return BinOp::Xor;
    }
}

bool old_binop(Op op, BinOp& b, bool& inplace) {
    inplace = false;
    switch (op) {
    case Op::BINARY_ADD: b = BinOp::Add; return true;
    case Op::BINARY_SUBTRACT: b = BinOp::Sub; return true;
    case Op::BINARY_MULTIPLY: b = BinOp::Mul; return true;
    case Op::BINARY_FLOOR_DIVIDE: b = BinOp::FloorDiv; return true;
    case Op::BINARY_MODULO: b = BinOp::Mod; return true;
    case Op::BINARY_POWER: b = BinOp::Pow; return true;
    case Op::BINARY_TRUE_DIVIDE: b = BinOp::TrueDiv; return true;
    case Op::INPLACE_ADD: b = BinOp::Add; inplace = true; return true;
    case Op::INPLACE_SUBTRACT: b = BinOp::Sub; inplace = true; return true;
    case Op::INPLACE_MULTIPLY: b = BinOp::Mul; inplace = true; return true;
    case Op::INPLACE_FLOOR_DIVIDE: b = BinOp::FloorDiv; inplace = true; return true;
    case Op::INPLACE_MODULO: b = BinOp::Mod; inplace = true; return true;
    case Op::INPLACE_POWER: b = BinOp::Pow; inplace = true; return true;
    case Op::INPLACE_TRUE_DIVIDE: b = BinOp::TrueDiv; inplace = true; return true;
    default: return false;
    }
}

// Index in Frame::fast of a cell or free variable named by a 3.9/3.10 LOAD_DEREF argument
// (cells, then frees) or a 3.11+ one (already an index into all locals).
int deref_slot(const Interp& vm, const py::CodeObject& co, int arg) {
    if (vm.minor >= 11) return arg;
    std::string name = arg < (int)co.cellvars.size() ? co.cellvars[(size_t)arg] : co.freevars[(size_t)(arg - (int)co.cellvars.size())];
    for (size_t i = 0; i < co.varnames.size(); ++i)
        if (co.varnames[i] == name && arg < (int)co.cellvars.size()) return (int)co.varnames.size() + arg;
    int extra = 0;
    for (auto& c : co.cellvars) {
        bool in_vars = false;
        for (auto& v : co.varnames) in_vars = in_vars || v == c;
        if (c == name) return (int)co.varnames.size() + extra;
        if (!in_vars) ++extra;
    }
    for (size_t i = 0; i < co.freevars.size(); ++i)
        if (co.freevars[i] == name) return (int)co.varnames.size() + extra + (int)i;
    return 0;
}

size_t fast_size(const py::CodeObject& co) {
    size_t n = co.varnames.size();
    for (auto& c : co.cellvars) {
        bool in_vars = false;
        for (auto& v : co.varnames) in_vars = in_vars || v == c;
        if (!in_vars) ++n;
    }
    return n + co.freevars.size();
}

}  // namespace

Value Interp::make_function(int code_index, const Value& module) {
    auto* f = heap.adopt(new Function());
    f->code = code_index;
    f->module = module;
    f->name = code.codes[(size_t)code_index].name;
    f->qualname = code.codes[(size_t)code_index].qualname;
    return Value::object(f);
}

Value Interp::new_builtin(const std::string& name, Builtin::Fn fn, Value self) {
    return Value::object(heap.adopt(new Builtin(name, std::move(fn), std::move(self))));
}

void Interp::push_function_frame(VmThread& th, const Value& fv, std::vector<Value> args,
                                 const std::vector<std::pair<std::string, Value>>& kwargs) {
    Function* f = obj_as<Function>(fv);
    const py::CodeObject& co = code.codes[(size_t)f->code];
    auto fr = std::make_unique<Frame>();
    fr->co = &co;
    fr->code = f->code;
    // A forked process has its own copy of the module: its functions see that copy.
    fr->globals = th.process > 0 && !process_modules.empty() && f->module.same(process_modules[0])
                      ? process_modules[(size_t)th.process]
                      : f->module;
    fr->func = fv;
    fr->fast.assign(fast_size(co), Value::null());
    const int n = co.argcount;
    if ((int)args.size() > n)
        type_error(f->name + "() takes " + std::to_string(n) + " positional argument" + (n == 1 ? "" : "s") + " but " +
                   std::to_string(args.size()) + (args.size() == 1 ? " was" : " were") + " given");
    for (size_t i = 0; i < args.size(); ++i) fr->fast[i] = std::move(args[i]);
    for (auto& [k, v] : kwargs) {
        int idx = -1;
        for (int i = 0; i < n; ++i)
            if (co.varnames[(size_t)i] == k) idx = i;
        if (idx < 0) type_error(f->name + "() got an unexpected keyword argument '" + k + "'");
        if (!fr->fast[(size_t)idx].is_null()) type_error(f->name + "() got multiple values for argument '" + k + "'");
        fr->fast[(size_t)idx] = v;
    }
    const int ndef = (int)f->defaults.size();
    for (int i = 0; i < n; ++i) {
        if (!fr->fast[(size_t)i].is_null()) continue;
        int d = i - (n - ndef);
        if (d >= 0) fr->fast[(size_t)i] = f->defaults[(size_t)d];
        else type_error(f->name + "() missing 1 required positional argument: '" + co.varnames[(size_t)i] + "'");
    }
    // Cells and frees: 3.11+ do it with MAKE_CELL / COPY_FREE_VARS; before, the frame does.
    if (minor < 11) {
        for (size_t c = 0; c < co.cellvars.size(); ++c) {
            int slot = deref_slot(*this, co, (int)c);
            auto* cell = heap.adopt(new Cell());
            for (size_t i = 0; i < co.varnames.size(); ++i)
                if (co.varnames[i] == co.cellvars[c]) cell->v = fr->fast[i];
            fr->fast[(size_t)slot] = Value::object(cell);
        }
        for (size_t k = 0; k < co.freevars.size() && k < f->closure.size(); ++k)
            fr->fast[(size_t)deref_slot(*this, co, (int)(co.cellvars.size() + k))] = f->closure[k];
    }
    if (co.is_async) {
        auto* c = heap.adopt(new Coroutine());
        c->name = f->qualname;
        c->frame = std::move(fr);
        c->frame->coroutine = Value::null();
        // Returned to the caller as the value of the call (see call()).
        th.frames.back()->stack.push_back(Value::object(c));
        return;
    }
    th.frames.push_back(std::move(fr));
}

CallStatus Interp::call(VmThread& th, const Value& callable, std::vector<Value>& args,
                        std::vector<std::pair<std::string, Value>>& kwargs, Value& out, int64_t& sleep_ns, bool& pushed) {
    pushed = false;
    if (Function* f = obj_as<Function>(callable)) {
        const bool is_async = code.codes[(size_t)f->code].is_async;
        push_function_frame(th, callable, std::move(args), kwargs);
        if (is_async) {
            out = th.frames.back()->stack.back();
            th.frames.back()->stack.pop_back();
            return CallStatus::Done;
        }
        pushed = true;
        return CallStatus::Done;
    }
    if (BoundMethod* m = obj_as<BoundMethod>(callable)) {
        args.insert(args.begin(), m->self);
        return call(th, m->func, args, kwargs, out, sleep_ns, pushed);
    }
    if (Builtin* b = obj_as<Builtin>(callable)) {
        if (!b->self.is_null()) args.insert(args.begin(), b->self);
        CallCtx cx{*this, th, args, kwargs, Value(), 0};
        CallStatus s = b->fn(cx);
        if (s == CallStatus::WouldBlock && !b->self.is_null()) args.erase(args.begin());
        out = cx.out;
        sleep_ns = cx.sleep_ns;
        return s;
    }
    if (Class* c = obj_as<Class>(callable)) {
        auto* inst = heap.adopt(new Instance(callable));
        Value iv = Value::object(inst);
        Value* init = c->ns.get("__init__");
        out = iv;
        if (init && obj_as<Function>(*init)) {
            args.insert(args.begin(), iv);
            push_function_frame(th, *init, std::move(args), kwargs);
            th.frames.back()->override = iv;  // __init__ returns None; the call's value is the instance
            th.frames.back()->has_override = true;
            pushed = true;
        } else if (!args.empty()) {
            type_error(c->name + "() takes no arguments");
        }
        return CallStatus::Done;
    }
    type_error("'" + type_name(callable) + "' object is not callable");
}

Value Interp::get_attr(const Value& obj, const std::string& name) {
    if (Instance* i = obj_as<Instance>(obj)) {
        if (Value* v = i->attrs.get(name)) return *v;
        Class* c = obj_as<Class>(i->cls);
        if (Value* v = c->ns.get(name)) {
            if (obj_as<Function>(*v)) return Value::object(heap.adopt(new BoundMethod(obj, *v)));
            return *v;
        }
        raise("AttributeError", "'" + c->name + "' object has no attribute '" + name + "'");
    }
    if (Class* c = obj_as<Class>(obj)) {
        if (Value* v = c->ns.get(name)) return *v;
        if (name == "__name__") return make_str(heap, c->name);
        raise("AttributeError", "type object '" + c->name + "' has no attribute '" + name + "'");
    }
    if (Module* m = obj_as<Module>(obj)) {
        if (Value* v = m->ns.get(name)) return *v;
        raise("AttributeError", "module '" + m->name + "' has no attribute '" + name + "'");
    }
    if (Native* n = obj_as<Native>(obj)) {
        Value out;
        if (n->get_attr(*this, name, out)) return out;
        raise("AttributeError", std::string("'") + n->type() + "' object has no attribute '" + name + "'");
    }
    if (has_method(obj, name)) {
        std::string nm = name;
        return new_builtin(name, [nm](CallCtx& cx) {
            Value self = cx.args[0];
            std::vector<Value> rest(cx.args.begin() + 1, cx.args.end());
            cx.out = call_method(cx.vm.heap, self, nm, rest, cx.kwargs);
            return CallStatus::Done;
        }, obj);
    }
    raise("AttributeError", "'" + type_name(obj) + "' object has no attribute '" + name + "'");
}

void Interp::set_attr(const Value& obj, const std::string& name, Value v) {
    if (Instance* i = obj_as<Instance>(obj)) { i->attrs.set(name, std::move(v)); return; }
    if (Class* c = obj_as<Class>(obj)) { c->ns.set(name, std::move(v)); return; }
    if (Module* m = obj_as<Module>(obj)) { m->ns.set(name, std::move(v)); return; }
    if (Native* n = obj_as<Native>(obj)) {
        if (n->set_attr(*this, name, v)) return;
        raise("AttributeError", std::string("'") + n->type() + "' object attribute '" + name + "' is read-only");
    }
    raise("AttributeError", "'" + type_name(obj) + "' object has no attribute '" + name + "'");
}

std::string Interp::traceback(VmThread& th, const PyError& e) {
    std::string s = "Traceback (most recent call last):\n";
    for (auto& f : th.frames) {
        if (!f->co) continue;
        int line = f->pc > 0 && f->pc - 1 < (int)f->co->instructions.size() ? f->co->instructions[(size_t)(f->pc - 1)].line : 0;
        s += "  File \"" + code.filename + "\", line " + std::to_string(line) + ", in " + f->co->name + "\n";
    }
    return s + e.type + ": " + e.message + "\n";
}

// One instruction of `th`'s innermost frame.
Interp::Step Interp::step(VmThread& th) {
    Frame& f = *th.frames.back();
    const py::CodeObject& co = *f.co;
    if (f.pc >= (int)co.instructions.size()) {
        fatal = "internal error: ran off the end of " + co.qualname;
        return Step::Raised;
    }
    const int at = f.pc;
    const py::Instruction& in = co.instructions[(size_t)f.pc++];
    ++instructions;
    auto& st = f.stack;
    auto pop = [&st]() {
        Value v = std::move(st.back());
        st.pop_back();
        return v;
    };
    auto top = [&st]() -> Value& { return st.back(); };
    auto jump = [&]() { f.pc = in.target; };
    Step result = in.check_point ? Step::CheckPoint : Step::Ran;
    try {
        switch (in.op) {
        case Op::NOP: case Op::RESUME: case Op::EXTENDED_ARG: case Op::CACHE: case Op::RETURN_GENERATOR: break;
        case Op::GEN_START: st.pop_back(); break;  // the None the first send pushed
        case Op::POP_TOP: st.pop_back(); break;
        case Op::LOAD_CONST: st.push_back(const_value(*this, co, in.arg, f.globals)); break;
        case Op::LOAD_FAST: case Op::LOAD_FAST_CHECK: {
            const Value& v = f.fast[(size_t)in.arg];
            if (v.is_null()) raise("UnboundLocalError", "cannot access local variable '" + co.varnames[(size_t)in.arg] + "' where it is not associated with a value");
            st.push_back(v);
            break;
        }
        case Op::LOAD_FAST_AND_CLEAR:
            st.push_back(f.fast[(size_t)in.arg]);
            f.fast[(size_t)in.arg] = Value::null();
            break;
        case Op::LOAD_FAST_LOAD_FAST:
            st.push_back(f.fast[(size_t)(in.arg >> 4)]);
            st.push_back(f.fast[(size_t)(in.arg & 15)]);
            break;
        case Op::STORE_FAST: f.fast[(size_t)in.arg] = pop(); break;
        case Op::STORE_FAST_LOAD_FAST:
            f.fast[(size_t)(in.arg >> 4)] = pop();
            st.push_back(f.fast[(size_t)(in.arg & 15)]);
            break;
        case Op::STORE_FAST_STORE_FAST:
            f.fast[(size_t)(in.arg >> 4)] = pop();
            f.fast[(size_t)(in.arg & 15)] = pop();
            break;
        case Op::LOAD_NAME: {
            const std::string& n = co.names[(size_t)in.arg];
            Value* v = nullptr;
            if (Module* m = obj_as<Module>(f.locals_ns)) v = m->ns.get(n);
            else if (Class* c = obj_as<Class>(f.locals_ns)) v = c->ns.get(n);
            if (!v) v = obj_as<Module>(f.globals)->ns.get(n);
            if (!v) v = obj_as<Module>(builtins)->ns.get(n);
            if (!v) raise("NameError", "name '" + n + "' is not defined");
            st.push_back(*v);
            break;
        }
        case Op::STORE_NAME: {
            const std::string& n = co.names[(size_t)in.arg];
            if (Class* c = obj_as<Class>(f.locals_ns)) c->ns.set(n, pop());
            else obj_as<Module>(f.locals_ns.is_obj() ? f.locals_ns : f.globals)->ns.set(n, pop());
            break;
        }
        case Op::LOAD_GLOBAL: {
            const int ni = minor >= 11 ? in.arg >> 1 : in.arg;
            const bool null = minor >= 11 && (in.arg & 1);
            const std::string& n = co.names[(size_t)ni];
            Value* v = obj_as<Module>(f.globals)->ns.get(n);
            if (!v) v = obj_as<Module>(builtins)->ns.get(n);
            if (!v) raise("NameError", "name '" + n + "' is not defined");
            if (null && minor < 13) st.push_back(Value::null());
            st.push_back(*v);
            if (null && minor >= 13) st.push_back(Value::null());
            break;
        }
        case Op::STORE_GLOBAL: obj_as<Module>(f.globals)->ns.set(co.names[(size_t)in.arg], pop()); break;
        case Op::MAKE_CELL: {
            auto* c = heap.adopt(new Cell());
            c->v = f.fast[(size_t)in.arg];
            f.fast[(size_t)in.arg] = Value::object(c);
            break;
        }
        case Op::COPY_FREE_VARS: {
            Function* fn = obj_as<Function>(f.func);
            size_t first = f.fast.size() - (size_t)in.arg;
            for (int k = 0; k < in.arg && fn && k < (int)fn->closure.size(); ++k) f.fast[first + (size_t)k] = fn->closure[(size_t)k];
            break;
        }
        case Op::LOAD_CLOSURE: st.push_back(f.fast[(size_t)deref_slot(*this, co, in.arg)]); break;
        case Op::LOAD_DEREF: {
            Cell* c = obj_as<Cell>(f.fast[(size_t)deref_slot(*this, co, in.arg)]);
            if (!c || c->v.is_null()) raise("NameError", "free variable referenced before assignment");
            st.push_back(c->v);
            break;
        }
        case Op::STORE_DEREF: {
            Cell* c = obj_as<Cell>(f.fast[(size_t)deref_slot(*this, co, in.arg)]);
            if (c) c->v = pop();
            break;
        }
        case Op::LOAD_ATTR: {
            const int ni = minor >= 12 ? in.arg >> 1 : in.arg;
            const bool method = minor >= 12 && (in.arg & 1);
            Value obj = pop();
            const std::string& n = co.names[(size_t)ni];
            if (method) {
                Value a = get_attr(obj, n);
                if (BoundMethod* bm = obj_as<BoundMethod>(a); bm && obj_as<Instance>(obj)) {
                    st.push_back(bm->func);
                    st.push_back(obj);
                } else if (minor >= 13) {
                    st.push_back(a);
                    st.push_back(Value::null());
                } else {
                    st.push_back(Value::null());
                    st.push_back(a);
                }
            } else {
                st.push_back(get_attr(obj, n));
            }
            break;
        }
        case Op::LOAD_METHOD: {
            Value obj = pop();
            Value a = get_attr(obj, co.names[(size_t)in.arg]);
            if (BoundMethod* bm = obj_as<BoundMethod>(a); bm && obj_as<Instance>(obj)) {
                st.push_back(bm->func);
                st.push_back(obj);
            } else {
                st.push_back(Value::null());
                st.push_back(a);
            }
            break;
        }
        case Op::STORE_ATTR: {
            Value obj = pop();
            Value v = pop();
            set_attr(obj, co.names[(size_t)in.arg], std::move(v));
            break;
        }
        case Op::PUSH_NULL: st.push_back(Value::null()); break;
        case Op::KW_NAMES: f.kwnames = const_value(*this, co, in.arg, f.globals); break;
        case Op::CALL_FUNCTION: case Op::CALL_FUNCTION_KW: case Op::CALL_METHOD: case Op::CALL: case Op::CALL_KW:
        case Op::PRECALL: {
            if (in.op == Op::PRECALL) break;
            int n = in.arg;
            Value kwn = Value::null();
            if (in.op == Op::CALL_FUNCTION_KW || in.op == Op::CALL_KW) kwn = st[st.size() - 1];
            else if (in.op == Op::CALL && !f.kwnames.is_null()) kwn = f.kwnames;
            const size_t kw_top = (in.op == Op::CALL_FUNCTION_KW || in.op == Op::CALL_KW) ? 1 : 0;
            // Where the callable sits, by version (see vm_internal.h / Python/bytecodes.c).
            size_t args_at = st.size() - kw_top - (size_t)n;
            Value callable;
            std::vector<Value> args;
            size_t consumed;
            if (in.op == Op::CALL_FUNCTION || in.op == Op::CALL_FUNCTION_KW) {
                callable = st[args_at - 1];
                consumed = (size_t)n + 1 + kw_top;
            } else if (minor >= 13) {
                callable = st[args_at - 2];
                if (!st[args_at - 1].is_null()) args.push_back(st[args_at - 1]);
                consumed = (size_t)n + 2 + kw_top;
            } else {
                Value a = st[args_at - 2], b = st[args_at - 1];
                if (a.is_null()) callable = b;
                else { callable = a; args.push_back(b); }
                consumed = (size_t)n + 2 + kw_top;
            }
            std::vector<std::pair<std::string, Value>> kwargs;
            Tuple* names = obj_as<Tuple>(kwn);
            const size_t nkw = names ? names->items.size() : 0;
            for (size_t i = 0; i + nkw < (size_t)n; ++i) args.push_back(st[args_at + i]);
            for (size_t i = 0; i < nkw; ++i)
                kwargs.push_back({obj_as<Str>(names->items[i])->s, st[args_at + (size_t)n - nkw + i]});
            Value out;
            int64_t sleep_ns = 0;
            bool pushed = false;
            const size_t depth = th.frames.size();
            CallStatus s = call(th, callable, args, kwargs, out, sleep_ns, pushed);
            if (s == CallStatus::WouldBlock) {
                f.pc = at;  // retried when the thread wakes up
                --instructions;
                return Step::Blocked;
            }
            // `f` may have moved if a frame was pushed: reach the caller through th.frames.
            Frame& caller = *th.frames[depth - 1];
            caller.stack.resize(caller.stack.size() - consumed);
            caller.kwnames = Value::null();
            if (s == CallStatus::Started) return Step::Ran;
            if (pushed && in.check_point && in.check_after_return) {
                // 3.10: the check lands back in the caller once the callee returns (finish_frame),
                // not as the call starts (the callee's first instruction is its frame-start check).
                th.frames.back()->check_on_return = true;
                result = Step::Ran;
            }
            if (!pushed) caller.stack.push_back(out);
            if (s == CallStatus::Sleep) {
                th.state = ThreadState::Sleeping;
                th.wake_at = now + sleep_ns;
                return Step::Slept;
            }
            break;
        }
        case Op::BINARY_OP: {
            Value b = pop(), a = pop();
            st.push_back(binary_op(heap, nb_op(in.arg), a, b, in.arg >= 13));
            break;
        }
        case Op::BINARY_SUBSCR: {
            Value i = pop(), c = pop();
            st.push_back(get_item(heap, c, i));
            break;
        }
        case Op::STORE_SUBSCR: {
            Value i = pop(), c = pop(), v = pop();
            set_item(heap, c, i, std::move(v));
            break;
        }
        case Op::UNARY_NEGATIVE: { Value a = pop(); st.push_back(unary_op(heap, UnOp::Neg, a)); break; }
        case Op::UNARY_POSITIVE: { Value a = pop(); st.push_back(unary_op(heap, UnOp::Pos, a)); break; }
        case Op::UNARY_NOT: { Value a = pop(); st.push_back(Value::boolean(!truthy(a))); break; }
        case Op::CALL_INTRINSIC_1:
            if (in.arg == 5) { Value a = pop(); st.push_back(unary_op(heap, UnOp::Pos, a)); }
            break;
        case Op::TO_BOOL: { Value a = pop(); st.push_back(Value::boolean(truthy(a))); break; }
        case Op::COMPARE_OP: {
            Value b = pop(), a = pop();
            static const CmpOp ops[] = {CmpOp::Lt, CmpOp::Le, CmpOp::Eq, CmpOp::Ne, CmpOp::Gt, CmpOp::Ge};
            Value r = compare(heap, ops[cmp_index_of(minor, in.arg)], a, b);
            st.push_back(r);
            break;
        }
        case Op::IS_OP: { Value b = pop(), a = pop(); st.push_back(Value::boolean(a.same(b) != (in.arg == 1))); break; }
        case Op::CONTAINS_OP: { Value b = pop(), a = pop(); st.push_back(Value::boolean(contains(b, a) != (in.arg == 1))); break; }
        case Op::POP_JUMP_IF_FALSE: case Op::POP_JUMP_FORWARD_IF_FALSE: case Op::POP_JUMP_BACKWARD_IF_FALSE:
            if (!truthy(pop())) jump();
            break;
        case Op::POP_JUMP_IF_TRUE: case Op::POP_JUMP_FORWARD_IF_TRUE: case Op::POP_JUMP_BACKWARD_IF_TRUE:
            if (truthy(pop())) jump();
            break;
        case Op::JUMP_IF_FALSE_OR_POP:
            if (!truthy(top())) jump();
            else st.pop_back();
            break;
        case Op::JUMP_IF_TRUE_OR_POP:
            if (truthy(top())) jump();
            else st.pop_back();
            break;
        case Op::JUMP_FORWARD: case Op::JUMP_ABSOLUTE: case Op::JUMP_BACKWARD: case Op::JUMP_BACKWARD_NO_INTERRUPT:
            jump();
            break;
        case Op::GET_ITER: { Value a = pop(); st.push_back(iter(heap, a)); break; }
        case Op::FOR_ITER: {
            Iterator* it = obj_as<Iterator>(top());
            Value next;
            if (it && next_item(heap, *it, next)) {
                st.push_back(std::move(next));
            } else {
                st.pop_back();
                jump();
                // 3.12 skips END_FOR; 3.13 skips END_FOR and its POP_TOP.
                if (minor >= 12 && f.pc < (int)co.instructions.size() && co.instructions[(size_t)f.pc].op == Op::END_FOR) ++f.pc;
                if (minor >= 13 && f.pc < (int)co.instructions.size() && co.instructions[(size_t)f.pc].op == Op::POP_TOP) ++f.pc;
            }
            break;
        }
        case Op::END_FOR: st.pop_back(); if (minor == 12) st.pop_back(); break;
        case Op::BUILD_LIST: case Op::BUILD_TUPLE: {
            std::vector<Value> items(st.end() - in.arg, st.end());
            st.resize(st.size() - (size_t)in.arg);
            st.push_back(in.op == Op::BUILD_LIST ? make_list(heap, std::move(items)) : make_tuple(heap, std::move(items)));
            break;
        }
        case Op::LIST_APPEND: {
            Value v = pop();
            obj_as<List>(st[st.size() - (size_t)in.arg])->items.push_back(std::move(v));
            break;
        }
        case Op::LIST_EXTEND: {
            Value v = pop();
            Value it = iter(heap, v);
            Value x;
            List* l = obj_as<List>(st[st.size() - (size_t)in.arg]);
            while (next_item(heap, *obj_as<Iterator>(it), x)) l->items.push_back(x);
            break;
        }
        case Op::UNPACK_SEQUENCE: {
            Value seq = pop();
            Value it = iter(heap, seq);
            std::vector<Value> items;
            Value x;
            while (next_item(heap, *obj_as<Iterator>(it), x)) items.push_back(x);
            if ((int)items.size() != in.arg) {
                if ((int)items.size() > in.arg) raise("ValueError", "too many values to unpack (expected " + std::to_string(in.arg) + ")");
                raise("ValueError", "not enough values to unpack (expected " + std::to_string(in.arg) + ", got " + std::to_string(items.size()) + ")");
            }
            for (size_t i = items.size(); i-- > 0;) st.push_back(items[i]);
            break;
        }
        case Op::DUP_TOP: st.push_back(top()); break;
        case Op::DUP_TOP_TWO: { Value a = st[st.size() - 2], b = st[st.size() - 1]; st.push_back(a); st.push_back(b); break; }
        case Op::ROT_TWO: std::swap(st[st.size() - 1], st[st.size() - 2]); break;
        case Op::ROT_THREE: {
            Value t = pop();
            st.insert(st.end() - 2, t);
            break;
        }
        case Op::COPY: st.push_back(st[st.size() - (size_t)in.arg]); break;
        case Op::SWAP: std::swap(st[st.size() - 1], st[st.size() - (size_t)in.arg]); break;
        case Op::RETURN_VALUE: case Op::RETURN_CONST: {
            Value v = in.op == Op::RETURN_CONST ? const_value(*this, co, in.arg, f.globals) : pop();
            // A return that is a check point (3.9's RETURN_VALUE ends in DISPATCH()) is checked
            // back in the caller, like a 3.10 call's check after its callee returns.
            const Step s = finish_frame(th, std::move(v));
            return s == Step::Ran && in.check_point ? Step::CheckPoint : s;
        }
        case Op::MAKE_FUNCTION: case Op::SET_FUNCTION_ATTRIBUTE: {
            if (in.op == Op::SET_FUNCTION_ATTRIBUTE) {
                Value fn = pop();
                Value attr = pop();
                apply_function_attr(fn, in.arg, attr);
                st.push_back(fn);
                break;
            }
            if (minor <= 10) st.pop_back();  // the qualified name
            Value codev = pop();
            Value fn = make_function((int)codev.as_int(), f.globals);
            const int flags = minor >= 13 ? 0 : in.arg;
            if (flags & 8) apply_function_attr(fn, 8, pop());
            if (flags & 4) st.pop_back();
            if (flags & 2) st.pop_back();
            if (flags & 1) apply_function_attr(fn, 1, pop());
            st.push_back(fn);
            break;
        }
        case Op::LOAD_BUILD_CLASS: st.push_back(*obj_as<Module>(builtins)->ns.get("__build_class__")); break;
        case Op::IMPORT_NAME: {
            const bool fromlist = !top().is_none();
            st.pop_back();
            st.pop_back();
            Value m;
            const std::string& name = co.names[(size_t)in.arg];
            if (!import_module(name, m)) raise("ModuleNotFoundError", "No module named '" + name + "' (the lab models threading, time, queue, sys, asyncio, multiprocessing, concurrent.futures, hashlib, numpy, urllib.request, random, math)");
            // `import a.b` binds a (its attribute b is the submodule); `from a.b import x` gets a.b.
            if (!fromlist && name.find('.') != std::string::npos) import_module(name.substr(0, name.find('.')), m);
            st.push_back(m);
            break;
        }
        case Op::IMPORT_FROM: {
            Value m = top();
            st.push_back(get_attr(m, co.names[(size_t)in.arg]));
            break;
        }
        // with statements: __enter__ now, __exit__ bound on the stack for the normal exit.
        case Op::SETUP_WITH: case Op::BEFORE_WITH: {
            Value mgr = top();
            Value exit = get_attr(mgr, "__exit__");
            Value enter = get_attr(mgr, "__enter__");
            std::vector<Value> args;
            std::vector<std::pair<std::string, Value>> kw;
            Value out;
            int64_t sl = 0;
            bool pushed = false;
            CallStatus s = call(th, enter, args, kw, out, sl, pushed);
            if (s == CallStatus::WouldBlock) {
                f.pc = at;
                --instructions;
                return Step::Blocked;
            }
            st.pop_back();
            st.push_back(exit);
            if (in.op == Op::SETUP_WITH) f.blocks.push_back({in.target, st.size()});
            if (!pushed) st.push_back(out);
            break;
        }
        case Op::POP_BLOCK: if (!f.blocks.empty()) f.blocks.pop_back(); break;
        case Op::GET_AWAITABLE: case Op::GET_YIELD_FROM_ITER: break;  // coroutines and natives await as they are
        case Op::SEND: case Op::YIELD_FROM: return await_step(th, in, at);
        case Op::YIELD_VALUE: return yield_step(th);
        case Op::END_SEND: { Value v = pop(); st.pop_back(); st.push_back(v); break; }
        default: {
            BinOp bop;
            bool inplace;
            if (old_binop(in.op, bop, inplace)) {
                Value b = pop(), a = pop();
                st.push_back(binary_op(heap, bop, a, b, inplace));
                break;
            }
            raise("SystemError", std::string("the lab's VM does not run ") + py::op_name(in.op) + " yet");
        }
        }
    } catch (const PyError& e) {
        th.error = traceback(th, e);
        return Step::Raised;
    } catch (const std::exception& e) {  // a bug of the VM, not of the program: stop the run
        fatal = std::string("internal error in the lab's VM at ") + py::op_name(in.op) + ": " + e.what();
        return Step::Raised;
    }
    return result;
}

void Interp::apply_function_attr(const Value& fn, int flag, const Value& v) {
    Function* f = obj_as<Function>(fn);
    Tuple* t = obj_as<Tuple>(v);
    if (!f || !t) return;
    if (flag == 1) f->defaults = t->items;
    if (flag == 8) f->closure = t->items;
}

// A frame returns `v`: to its caller's stack, to the coroutine awaiting it, to the event
// loop (a task finished), or the thread is done.
Interp::Step Interp::finish_frame(VmThread& th, Value v) {
    std::unique_ptr<Frame> fr = std::move(th.frames.back());
    th.frames.pop_back();
    if (fr->has_override) v = fr->override;
    if (!fr->coroutine.is_null()) {
        Coroutine* c = obj_as<Coroutine>(fr->coroutine);
        c->done = true;
        c->running = false;
        c->result = v;
        int sender = fr->sender;
        c->frame = std::move(fr);
        if (sender >= 0) {
            deliver_return(th, v);
            return Step::Ran;
        }
        return task_returned(th, v);
    }
    if (th.frames.empty()) {
        th.result = v;
        th.state = ThreadState::Done;
        return Step::ThreadDone;
    }
    th.frames.back()->stack.push_back(std::move(v));
    return fr->check_on_return ? Step::CheckPoint : Step::Ran;
}

}  // namespace gil::vm
