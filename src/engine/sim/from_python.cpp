// from_python.cpp — see from_python.h. Two parts: what each module-level name is (from the
// module's statements), then, per function, an abstract interpretation of the real
// instructions over a stack of "what is this" values, emitting the simulator's
// instructions as it goes. Only ints live on the simulator's stack; modules, functions,
// locks, queues, NULLs and bound methods live in the abstract stack alone.
//
// This file is long (about 700 lines) because it is one walk with one case per real
// opcode over five versions' bytecode; splitting the switch would scatter the stack rules.
#include "engine/sim/from_python.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <optional>
#include <set>

#include "engine/py/ast.h"
#include "engine/py/bytecode.h"

namespace gil::sim {

namespace {

using POp = py::Op;

// ------------------------------------------------------------------ what a name is

enum class K : uint8_t {
    Int,        // an int (on the simulator's stack when on the abstract stack)
    Null,       // the NULL CALL expects beside a callable
    None,
    Ref,        // a module, a builtin or a library callable, by dotted name ("time.sleep")
    Function,   // a user function: idx
    Lock,       // idx into Program::locks
    Queue,      // idx into Program::queues
    List,       // idx into Program::lists; -1 a list private to the frame
    NewList,    // a list display just built (becomes a private list when stored in a local)
    Value,      // multiprocessing.Value: idx of its shared-memory global
    Float,      // a float constant (time.sleep's argument)
    Data,       // a constant the simulator does not compute with (a str, a list of floats)
    Method,     // a bound method: name = "acquire", "put", ...; of = the receiver's kind; idx
    Range,      // range(n) called, n on the stack
    RangeIter,  // its iterator: idx = the first of two hidden local slots
    WithExit,   // the __exit__ of `with lock:`: idx = the lock
    Awaitable,  // asyncio.sleep(x) called: i = ns
    // Module code (the main thread) and its comprehensions:
    Thread,     // a threading.Thread: its handle is an int on the simulator's stack
    RtList,     // a list of values at run time: idx = its runtime list (Program::rt_lists)
    ListIter,   // iter(an RtList): idx = two hidden local slots, i = the list
    Tuple,      // a tuple display: items (the ints among them are on the simulator's stack)
    // Classes (module-level `class C:` and `name = C(...)` at module level):
    Class,      // the class object: idx = its ClassInfo
    ClassBody,  // the class body's code (LOAD_BUILD_CLASS's function): idx = its ClassInfo
    Instance,   // an instance: idx = its InstanceInfo; its attributes are globals "name.attr"
    Other,      // anything else: not usable here
};

struct AV {
    K k = K::Other;
    int idx = -1;
    K of = K::Other;       // Method: the receiver's kind
    std::string name;      // Ref: dotted name; Method: method name; Other: what it is
    double f = 0;          // Float
    bool known = false;    // Int: a compile-time constant
    int64_t i = 0;         // Int (known) / Awaitable ns
    bool str = false;      // Data: a str constant, its text in `name`
    bool ns = false;       // Int: a time in ns (time.perf_counter() and differences of it): prints as seconds
    bool boolean = false;  // Int: a bool (a comparison, `not`, True/False): print() shows True / False
    int start = -1;        // Range/RangeIter of range(start, stop[, step]): the hidden local holding start
    int64_t step = 1;      // and its constant step (the iterator counts 0, 1, ... and yields start + k * step)
    std::shared_ptr<std::vector<AV>> items;          // Tuple
    std::shared_ptr<std::vector<std::string>> strs;  // Data: a constant tuple of strs (keyword names)
    bool operator==(const AV& o) const { return k == o.k && idx == o.idx && name == o.name && of == o.of; }
};

AV av(K k, int idx = -1) {
    AV a;
    a.k = k;
    a.idx = idx;
    return a;
}
AV ref_av(const std::string& n) {
    AV a = av(K::Ref);
    a.name = n;
    return a;
}

const char* kind_text(K k) {
    switch (k) {
    case K::Int: return "an int";
    case K::Null: return "NULL";
    case K::None: return "None";
    case K::Ref: return "a module or library function";
    case K::Function: return "a function";
    case K::Lock: return "a lock";
    case K::Queue: return "a queue";
    case K::List: case K::NewList: return "a list";
    case K::Value: return "a multiprocessing.Value";
    case K::Float: return "a float";
    case K::Data: return "data (a string, bytes or a list of floats)";
    case K::Method: return "a method";
    case K::Range: return "a range";
    case K::RangeIter: return "a range iterator";
    case K::WithExit: return "a with-statement's __exit__";
    case K::Awaitable: return "an awaitable";
    case K::Thread: return "a thread";
    case K::RtList: return "a list";
    case K::ListIter: return "a list iterator";
    case K::Tuple: return "a tuple";
    case K::Class: return "a class";
    case K::ClassBody: return "a class body";
    case K::Instance: return "an instance of a class";
    default: return "an object the simulator does not model";
    }
}

// A module-level name: what its assignments make it.
struct Binding {
    AV v;
    bool conflict = false;
    std::string what;  // for the conflict message
};

struct Env {
    std::map<std::string, Binding> names;
    std::set<std::string> defs;  // the module's `def`s
    std::map<std::string, const py::Stmt*> classes;  // the module's `class`es
    std::set<std::string> twice;                     // classes defined twice
    // Instance attributes that name a module-level object (`self.lock = lock`): "c.lock" -> "lock".
    std::map<std::string, std::string> aliases;
    void bind(const std::string& n, AV v, const std::string& what) {
        auto it = names.find(n);
        if (it == names.end()) {
            names[n] = {std::move(v), false, what};
            return;
        }
        Binding& b = it->second;
        if (b.conflict) return;
        // Numbers mix freely (`T = 1` then `T *= 2`, `for T in counts`); the first constant is
        // the initial value. Objects of two kinds under one name are a conflict.
        const bool num_a = b.v.k == K::Int, num_b = v.k == K::Int;
        if (num_a && num_b) {
            if (!b.v.known && v.known) b.v = v;
            return;
        }
        if (b.v.k == v.k && b.v.of == v.of && b.v.name == v.name) return;
        b.conflict = true;
        b.what += " and " + what;
    }
};

// The dotted name of an expression made of names and attributes ("threading.Lock"), with the
// first name resolved through imports; "" if it is not one.
std::string dotted(const py::Expr& e, const Env& env) {
    if (e.kind == py::ExprKind::Name) {
        auto it = env.names.find(e.name);
        if (it != env.names.end() && it->second.v.k == K::Ref) return it->second.v.name;
        return e.name;
    }
    if (e.kind == py::ExprKind::Attribute && e.a) {
        std::string b = dotted(*e.a, env);
        return b.empty() ? "" : b + "." + e.name;
    }
    return "";
}

std::optional<int64_t> const_int(const py::Expr& e) {
    if (e.kind == py::ExprKind::Const) {
        const py::Constant& c = e.value;
        if (c.kind == py::ConstKind::Int) return c.i;
        if (c.kind == py::ConstKind::True) return 1;
        if (c.kind == py::ConstKind::False) return 0;
    }
    if (e.kind == py::ExprKind::Unary && e.unary == py::UnaryKind::Neg && e.a)
        if (auto v = const_int(*e.a)) return -*v;
    return std::nullopt;
}

// What the value of a module-level assignment is.
AV classify(const py::Expr& e, const Env& env, std::string& what) {
    if (auto v = const_int(e)) {
        AV a = av(K::Int);
        a.known = true;
        a.i = *v;
        what = "an int";
        return a;
    }
    if (e.kind == py::ExprKind::Unary && e.a && e.a->kind == py::ExprKind::Const && e.a->value.kind == py::ConstKind::Float) {
        AV a = av(K::Float);  // -7.5
        a.f = e.unary == py::UnaryKind::Neg ? -e.a->value.f : e.a->value.f;
        what = "a float";
        return a;
    }
    if (e.kind == py::ExprKind::Const) {
        if (e.value.kind == py::ConstKind::Float) {
            AV a = av(K::Float);
            a.f = e.value.f;
            what = "a float";
            return a;
        }
        what = "a constant";
        return av(e.value.kind == py::ConstKind::None ? K::None : K::Data);
    }
    if (e.kind == py::ExprKind::List || e.kind == py::ExprKind::ListComp) {
        what = "a list";
        return av(K::List);
    }
    if (e.kind == py::ExprKind::Call && e.a) {
        const std::string f = dotted(*e.a, env);
        what = f + "()";
        if (f == "threading.Lock") return av(K::Lock);
        if (f == "threading.RLock") {
            AV a = av(K::Lock);
            a.name = "RLock";  // reentrant
            return a;
        }
        if (f == "multiprocessing.Lock" || f == "multiprocessing.RLock") {
            AV a = av(K::Lock);
            a.of = K::Queue;  // marks cross-process
            if (f == "multiprocessing.RLock") a.name = "RLock";
            return a;
        }
        if (f == "queue.Queue") return av(K::Queue);
        if (f == "multiprocessing.Queue") {
            AV a = av(K::Queue);
            a.of = K::Queue;
            return a;
        }
        // Handles and times are ints in the simulator: a thread's handle, perf_counter() in ns,
        // what a user function returns.
        if (f == "threading.Thread" || f == "multiprocessing.Process" || f == "time.perf_counter" || f == "time.monotonic" || f == "time.time" ||
            f == "time.perf_counter_ns" || f == "time.monotonic_ns" || f == "time.time_ns" || f == "len" ||
            env.defs.count(f)) {
            what = "a number";
            return av(K::Int);
        }
        if (env.classes.count(f)) {
            AV a = av(K::Instance);
            a.name = f;  // the class; which instance comes from the name it is bound to
            return a;
        }
        if (f == "multiprocessing.Value") {
            AV a = av(K::Value);
            if (e.items.size() >= 2)
                if (auto v = const_int(*e.items[1])) a.i = *v;
            return a;
        }
        AV o = av(K::Other);
        o.name = "the result of " + f + "()";
        return o;
    }
    // Arithmetic, names, comparisons: numbers as far as the simulator is concerned.
    what = "a number";
    return av(K::Int);
}

void bind_target(Env& env, const py::Expr& t, const py::Expr* value) {
    if (t.kind == py::ExprKind::Name) {
        std::string what = "a loop variable";
        AV v = value ? classify(*value, env, what) : av(K::Int);
        env.bind(t.name, v, what);
    } else if (t.kind == py::ExprKind::Tuple || t.kind == py::ExprKind::List) {
        const bool pairwise = value && (value->kind == py::ExprKind::Tuple || value->kind == py::ExprKind::List) &&
                              value->items.size() == t.items.size();
        for (size_t i = 0; i < t.items.size(); ++i) bind_target(env, *t.items[i], pairwise ? value->items[i].get() : nullptr);
    }
}

void scan(Env& env, const py::Body& body) {
    for (const auto& sp : body) {
        const py::Stmt& s = *sp;
        switch (s.kind) {
        case py::StmtKind::Import:
            for (const auto& a : s.aliases) {
                // `import a.b` binds a; `import a.b as c` binds c to a.b
                if (a.asname.empty()) env.bind(a.name.substr(0, a.name.find('.')), ref_av(a.name.substr(0, a.name.find('.'))), "a module");
                else env.bind(a.asname, ref_av(a.name), "a module");
            }
            break;
        case py::StmtKind::ImportFrom:
            for (const auto& a : s.aliases) env.bind(a.asname.empty() ? a.name : a.asname, ref_av(s.name + "." + a.name), "an import");
            break;
        case py::StmtKind::Assign:
            for (const auto& t : s.targets) bind_target(env, *t, s.value.get());
            break;
        case py::StmtKind::For:
            if (!s.targets.empty()) bind_target(env, *s.targets[0], nullptr);
            scan(env, s.body);
            scan(env, s.orelse);
            break;
        case py::StmtKind::With:
            if (!s.targets.empty() && s.targets[0]) bind_target(env, *s.targets[0], nullptr);
            scan(env, s.body);
            break;
        case py::StmtKind::If:
        case py::StmtKind::While:
            scan(env, s.body);
            scan(env, s.orelse);
            break;
        case py::StmtKind::FunctionDef: env.defs.insert(s.name); break;
        case py::StmtKind::ClassDef:
            if (env.classes.count(s.name)) env.twice.insert(s.name);
            env.classes[s.name] = &s;
            break;
        default: break;
        }
    }
}

// Instance attributes: for each module-level instance (`c = Counter(...)`), every `self.X = v`
// and `self.X += ...` in its class's methods binds "c.X" as the module-level `c.X = v` would (an
// int is a global, a Lock a lock, ...); a class-level `X = <constant>` gives its first value.
// `self.X = name` of a module-level object makes "c.X" that object.
bool attr_of(const py::Expr& t, const std::string& self) {
    return t.kind == py::ExprKind::Attribute && t.a && t.a->kind == py::ExprKind::Name && t.a->name == self;
}

void scan_attributes(Env& env) {
    std::vector<std::pair<std::string, std::string>> instances;  // name, class
    for (const auto& [n, b] : env.names)
        if (!b.conflict && b.v.k == K::Instance && n.find('.') == std::string::npos) instances.push_back({n, b.v.name});
    for (const auto& ic : instances) {
        const std::string inst = ic.first;  // named copies: a lambda below uses them (C++17 lambdas cannot capture bindings)
        const py::Stmt& c = *env.classes.at(ic.second);
        for (const auto& sp : c.body)
            if (sp->kind == py::StmtKind::Assign && sp->targets.size() == 1 && sp->targets[0]->kind == py::ExprKind::Name) {
                std::string what;
                env.bind(inst + "." + sp->targets[0]->name, classify(*sp->value, env, what), "a class attribute");
            }
        for (const auto& m : c.body) {
            if (m->kind != py::StmtKind::FunctionDef || m->names.empty()) continue;
            const std::string& self = m->names[0];
            std::function<void(const py::Body&)> walk = [&](const py::Body& body) {
                for (const auto& sp : body) {
                    const py::Stmt& s = *sp;
                    if (s.kind == py::StmtKind::Assign && s.value) {
                        for (const auto& t : s.targets) {
                            if (!attr_of(*t, self)) continue;
                            const std::string full = inst + "." + t->name;
                            if (s.value->kind == py::ExprKind::Name) {
                                auto o = env.names.find(s.value->name);
                                if (o != env.names.end() && !o->second.conflict && o->second.v.k != K::Int &&
                                    o->second.v.k != K::Ref && o->second.v.k != K::Float && o->second.v.k != K::None &&
                                    o->second.v.k != K::Data) {
                                    env.aliases[full] = s.value->name;
                                    continue;
                                }
                            }
                            std::string what = "an attribute";
                            AV v = classify(*s.value, env, what);
                            env.bind(full, v, what);
                        }
                    } else if (s.kind == py::StmtKind::AugAssign && !s.targets.empty() && attr_of(*s.targets[0], self)) {
                        env.bind(inst + "." + s.targets[0]->name, av(K::Int), "a number");
                    }
                    walk(s.body);
                    walk(s.orelse);
                }
            };
            walk(m->body);
        }
    }
}

// ------------------------------------------------------------------ lowering a function

struct Unsupported {
    std::string why;
    int line;
};

// What the lowerings of one program share: module code's names as its statements bind them
// (in instruction order: `t = Thread(...)` makes `t` a thread from there on), and what each
// comprehension (3.9-3.11: its own code object, called once where it is made) iterates and returns.
struct ClassInfo {
    std::string name;
    int code = -1;                 // the class body's code object
    const py::Stmt* def = nullptr;
};
struct InstanceInfo {
    std::string name;              // the module-level name bound to it
    int cls = -1;
    std::map<std::string, int> method_fn;  // method name -> its function, lowered with self = this instance
    std::string error;             // why it cannot be made ("" = it can)
};

struct Shared {
    std::vector<ClassInfo> classes;
    std::vector<InstanceInfo> instances;
    std::vector<int> fn_inst;      // per function: the instance it is a method of, -1 for none
    std::map<std::string, AV> mod_kind;
    std::map<int, AV> comp_iter, comp_ret;  // by function index
    std::vector<K> rt_elem;                 // what each runtime list holds (Int or Thread)
    std::set<std::string> ns_globals;       // module ints that hold a time (print() shows them in seconds)
};

class Lowerer {
public:
    Lowerer(Program& p, const py::Compiled& c, const Env& env, const std::map<std::string, AV>& objects,
            const LowerOptions& opt, const std::vector<int>& fn_code, Shared& sh)
        : p_(p), c_(c), env_(env), objects_(objects), opt_(opt), fn_code_(fn_code), sh_(sh) {}

    // Parameter kinds of function fi (object parameters are bound by name; the rest are ints).
    // A method's first parameter is its instance.
    std::vector<AV> param_kinds(const py::CodeObject& co, int fi) const {
        std::vector<AV> k;
        const int inst = fi >= 0 && fi < (int)sh_.fn_inst.size() ? sh_.fn_inst[(size_t)fi] : -1;
        for (int i = 0; i < co.argcount && i < (int)co.varnames.size(); ++i) {
            if (i == 0 && inst >= 0) {
                k.push_back(instance_av(inst));
                continue;
            }
            auto it = objects_.find(co.varnames[(size_t)i]);
            k.push_back(it != objects_.end() ? it->second : av(K::Int));
        }
        return k;
    }
    AV instance_av(int inst) const {
        AV a = av(K::Instance, inst);
        a.name = sh_.instances[(size_t)inst].name;
        return a;
    }

    void lower(int fi) {
        Function& F = p_.functions[(size_t)fi];
        const py::CodeObject& co = c_.codes[(size_t)F.code_object];
        fi_ = fi;
        module_ = fi == p_.module_fn;
        comp_ = !module_ && !F.name.empty() && F.name[0] == '<';
        init_ = fi < (int)sh_.fn_inst.size() && sh_.fn_inst[(size_t)fi] >= 0 && F.name.size() > 9 &&
                F.name.compare(F.name.size() - 9, 9, ".__init__") == 0;
        try {
            run(F, co);
        } catch (const Unsupported& u) {
            F.error = "line " + std::to_string(u.line) + ", in " + (module_ ? std::string("the module code") : F.name + "()") +
                      ": " + u.why;
            F.code = {};
        }
    }

private:
    Program& p_;
    const py::Compiled& c_;
    const Env& env_;
    const std::map<std::string, AV>& objects_;
    const LowerOptions& opt_;
    const std::vector<int>& fn_code_;  // code index of each function
    Shared& sh_;
    int fi_ = -1;
    bool module_ = false;  // lowering the module's code (the main thread)
    bool comp_ = false;    // lowering a module-level comprehension's code object (3.9-3.11)
    bool init_ = false;    // lowering an instance's __init__ (run once, by module code, where the instance is made)
    std::string next_store_;  // the name the next instruction stores into (`c = Counter()`: "c")
    std::shared_ptr<std::vector<std::string>> kw_names_;  // 3.11/3.12: KW_NAMES for the next CALL

    // Per-function state.
    std::vector<Instr> out_;
    std::vector<int> first_;                       // real index -> first sim index
    std::vector<std::optional<std::vector<AV>>> at_;  // abstract stack at the start of each real instruction
    std::vector<std::pair<size_t, int>> fix_;      // sim instr whose b is a real index to resolve
    std::vector<int> slot_;                        // varname -> sim local
    std::vector<std::optional<AV>> local_kind_;    // varname -> what it holds
    int nlocals_ = 0;
    int line_ = 0, real_ = 0;
    int minor_ = 12;
    bool check_after_return_ = false;  // the instruction being lowered: py::Instruction::check_after_return

    [[noreturn]] void fail(const std::string& why) { throw Unsupported{why, line_}; }

    int konst(int64_t v) {
        for (size_t i = 0; i < p_.consts.size(); ++i)
            if (p_.consts[i] == v) return (int)i;
        p_.consts.push_back(v);
        return (int)p_.consts.size() - 1;
    }
    size_t emit(Op op, int a = 0, int b = 0, uint8_t flags = 0) {
        Instr in;
        in.op = op;
        in.a = a;
        in.b = b;
        in.flags = flags;
        in.line = (int16_t)std::min(line_, 32767);
        in.real = real_;
        out_.push_back(in);
        return out_.size() - 1;
    }
    // A real instruction with no effect here that costs what `like` costs.
    void nop(Op like) { emit(Op::Nop, (int)like); }
    // A call of a Python function `fn` with n arguments, `check` if the call instruction is a
    // check point. Its check is taken as the Call step ends, as the callee starts (3.11+: the
    // callee's RESUME is the same moment; 3.9 checks there and again after the callee's
    // RETURN_VALUE), unless the instruction checks after the callee returns
    // (py::Instruction::check_after_return, 3.10): then on a free step after the Call, back in
    // the caller, where `counter = add_one(counter)` holds the new value not yet stored.
    void call_py(int fn, int n, uint8_t check) {
        if (check && check_after_return_) {
            emit(Op::Call, fn, n);
            emit(Op::Nop, 0, 0, check);
        } else {
            emit(Op::Call, fn, n, check);
        }
    }
    void free_nop() { emit(Op::Nop, 0); }
    void jump_to(Op op, int real_target, uint8_t flags = 0, int a = 0) { fix_.push_back({emit(op, a, 0, flags), real_target}); }

    // A multiprocessing.Value's get or set (`op` on its shared global) inside its own lock.
    void locked_access(Op op, const AV& value, uint8_t check) {
        emit(Op::LockAcquire, (int)value.i);
        emit(op, value.idx);
        emit(Op::LockRelease, (int)value.i, 0, check);
    }

    // A value goes into runtime list `slot`: lists hold ints or thread handles, one kind each.
    void add_item(int slot, const AV& v) {
        if (width(v) != 1 || (v.k != K::Int && v.k != K::Thread))
            fail("a list of " + std::string(kind_text(v.k)) + " is not modelled by the simulator (lists of ints or threads are)");
        K& e = sh_.rt_elem[(size_t)slot];
        if (e != K::Other && e != v.k) fail("a list holds " + std::string(kind_text(e)) + " and " + kind_text(v.k));
        e = v.k;
    }
    int new_rt_list() {
        sh_.rt_elem.push_back(K::Other);
        return p_.rt_lists++;
    }

    int hidden_slots() {
        nlocals_ += 2;
        return nlocals_ - 2;
    }

    void record(int real, const std::vector<AV>& st) {
        if (real < 0 || real >= (int)at_.size()) fail("a jump leaves the function");
        if (!at_[(size_t)real]) {
            at_[(size_t)real] = st;
            return;
        }
        const auto& have = *at_[(size_t)real];
        bool same = have.size() == st.size();
        for (size_t i = 0; same && i < st.size(); ++i) same = have[i].k == st[i].k && have[i].idx == st[i].idx;
        if (!same) fail("two paths reach one instruction with different values on the stack");
    }

    static bool is_int(const AV& v) { return v.k == K::Int; }
    // How many values an abstract value keeps on the simulator's stack: ints, thread handles
    // (and a thread's bound method, whose receiver is its handle), a tuple's items.
    static int width(const AV& v) {
        if (v.k == K::Int || v.k == K::Thread || (v.k == K::Method && v.of == K::Thread)) return 1;
        if (v.k == K::Tuple && v.items) {
            int w = 0;
            for (const AV& x : *v.items) w += width(x);
            return w;
        }
        return 0;
    }
    void drop(const AV& v) {
        for (int i = width(v); i > 0; --i) emit(Op::PopTop, 0, 0, Instr::kFree);
    }
    // Stack rearrangements (SWAP, ROT_*, COPY) are fine as long as the ints keep their order.
    void permute_check(const std::vector<AV>& before, const std::vector<AV>& after, const char* op) {
        std::vector<int> a, b;
        for (const auto& v : before) a.push_back(width(v));
        for (const auto& v : after) b.push_back(width(v));
        int na = 0, nb = 0;
        for (int x : a) na += x;
        for (int x : b) nb += x;
        if (na > 1 || nb > 1 || na != nb)
            fail(std::string(op) + " rearranges two numbers on the stack, which the simulator does not model");
    }

    AV global_name(const std::string& n) {
        if (auto al = env_.aliases.find(n); al != env_.aliases.end()) return global_name(al->second);
        // Module code's own bindings so far (threads, runtime lists, the objects it made).
        if (auto mk = sh_.mod_kind.find(n); mk != sh_.mod_kind.end()) return mk->second;
        if (n == "__name__") {
            AV d = av(K::Data);
            d.str = true;
            d.name = "__main__";
            return d;
        }
        auto o = objects_.find(n);
        if (o != objects_.end()) return o->second;
        auto it = env_.names.find(n);
        if (it != env_.names.end()) {
            if (it->second.conflict)
                fail("`" + n + "` is " + it->second.what + " at module level; the simulator needs one of them");
            AV v = it->second.v;
            if (v.k == K::Int) {
                v.idx = p_.global_index(n);
                v.known = false;
            }
            return v;
        }
        for (size_t f = 0; f < p_.functions.size(); ++f)
            if (p_.functions[f].name == n) return av(K::Function, (int)f);
        for (size_t c = 0; c < sh_.classes.size(); ++c)
            if (sh_.classes[c].name == n) return av(K::Class, (int)c);
        static const char* builtins[] = {"range", "print", "len", "sum", "min", "max", "abs", "int", "str"};
        for (const char* b : builtins)
            if (n == b) return ref_av(n);
        fail("`" + n + "` is not a name the program defines at module level");
    }

    AV attribute(const AV& obj, const std::string& attr) {
        switch (obj.k) {
        case K::Ref: return ref_av(obj.name + "." + attr);
        case K::Thread:
        case K::RtList:
        case K::Lock:
        case K::Queue:
        case K::List: {
            AV m = av(K::Method, obj.idx);
            m.of = obj.k;
            m.name = attr;
            return m;
        }
        case K::Instance: {
            const InstanceInfo& ii = sh_.instances[(size_t)obj.idx];
            if (auto m = ii.method_fn.find(attr); m != ii.method_fn.end()) {
                AV mm = av(K::Method, obj.idx);
                mm.of = K::Instance;
                mm.name = attr;
                mm.i = m->second;
                return mm;
            }
            const std::string full = ii.name + "." + attr;
            if (!env_.names.count(full) && !objects_.count(full) && !env_.aliases.count(full))
                fail("`" + full + "`: no method of " + sh_.classes[(size_t)ii.cls].name + " sets `self." + attr +
                     "` (the simulator keeps the attributes the class's methods assign)");
            return global_name(full);
        }
        case K::Class:
            fail("`" + sh_.classes[(size_t)obj.idx].name + "." + attr +
                 "`: attributes read through the class are not modelled by the simulator (read them through an instance)");
        default: fail("`." + attr + "` of " + kind_text(obj.k) + " is not modelled by the simulator");
        }
    }

    // `obj.attr = v` for an instance: an int goes into the global "name.attr"; an object must be
    // the one the attribute was declared as (fresh ones only in __init__, where they are made).
    void store_attr(const AV& obj, const std::string& attr, const AV& v, uint8_t check) {
        const InstanceInfo& ii = sh_.instances[(size_t)obj.idx];
        const std::string full = ii.name + "." + attr;
        if (ii.method_fn.count(attr)) fail("assigning `" + full + "` over a method is not modelled by the simulator");
        AV g = attribute(obj, attr);
        if (v.k == K::Int) {
            if (g.k != K::Int || g.idx < 0)
                fail("`" + full + "` holds " + kind_text(g.k) + " and an int: the simulator needs one kind per attribute");
            if (v.ns) sh_.ns_globals.insert(full);
            emit(Op::StoreGlobal, g.idx, 0, check);
            return;
        }
        if (v.k == K::Instance) fail("an instance stored in an attribute (`" + full + "`) is not modelled by the simulator");
        const bool fresh_object = (v.k == K::Lock || v.k == K::Queue || v.k == K::Value) && v.idx < 0;
        const bool fresh_list = v.k == K::NewList;
        if (fresh_object || fresh_list) {
            if (!init_) fail("`" + full + " = " + (fresh_list ? std::string("[]") : v.name) +
                             "` outside __init__: the simulator makes an attribute's object once, where the instance is made");
            if (g.k != (fresh_list ? K::List : v.k)) fail("`" + full + "` holds " + kind_text(g.k) + " and " + kind_text(v.k));
            nop(Op::StoreGlobal);
            return;
        }
        if ((v.k == K::Lock || v.k == K::Queue || v.k == K::Value || v.k == K::List) && g.k == v.k && g.idx == v.idx) {
            nop(Op::StoreGlobal);
            return;
        }
        if (v.k == K::None || v.k == K::Data || v.k == K::Float) {
            if (g.k == K::Int) fail("`" + full + "` holds " + kind_text(v.k) + " and an int: the simulator needs one kind per attribute");
            nop(Op::StoreGlobal);
            return;
        }
        fail("assigning " + std::string(kind_text(v.k)) + " to `" + full + "` is not modelled by the simulator");
    }

    int64_t seconds_ns(const AV& v, const char* what) {
        if (v.k == K::Float) return (int64_t)std::llround(v.f * 1e9);
        if (v.k == K::Int && v.known) return v.i * 1'000'000'000;
        fail(std::string(what) + " needs a constant number of seconds (a literal or a module-level constant)");
    }

    int64_t c_ns(const std::string& name, int64_t dflt) {
        auto it = opt_.c_call_ns.find(name);
        return it != opt_.c_call_ns.end() ? it->second : dflt;
    }

    // A call: `callee` with `args` (the ints among them are on the simulator's stack).
    // `args` given to function `fi`: they must match its parameters (ints by position, objects by
    // name); returns how many ints that puts on the simulator's stack.
    int check_args(int fi, const std::vector<AV>& args, const std::vector<std::string>& kw, const std::string& what) {
        const Function& G = p_.functions[(size_t)fi];
        const py::CodeObject& gco = c_.codes[(size_t)fn_code_[(size_t)fi]];
        if (gco.is_async) fail("calling the coroutine function " + G.name + "() directly is not modelled (only as an asyncio task)");
        std::vector<AV> pk = param_kinds(gco, fi);
        if (args.size() != pk.size())
            fail(what + " is called with " + std::to_string(args.size()) + " arguments; the simulator needs all " +
                 std::to_string(pk.size()) + " of them");
        const size_t first_kw = args.size() - std::min(args.size(), kw.size());
        for (size_t j = 0; j < kw.size() && first_kw + j < pk.size(); ++j)
            if (gco.varnames[first_kw + j] != kw[j])
                fail(what + " gets `" + kw[j] + "=` where its parameter " + std::to_string(first_kw + j + 1) + " is `" +
                     gco.varnames[first_kw + j] + "`: the simulator passes arguments in the parameters' order");
        int n = 0;
        for (size_t i = 0; i < pk.size(); ++i) {
            if (pk[i].k != K::Int && args[i].k == pk[i].k && args[i].idx != pk[i].idx)
                fail("argument " + std::to_string(i + 1) + " of " + what + " is " + kind_text(args[i].k) +
                     " other than the module's `" + gco.varnames[i] + "`: the simulator takes a parameter named like a module-level "
                     "object to be that object (name the parameter after the object it gets)");
            if (!(pk[i].k == K::Int ? args[i].k == K::Int : (args[i].k == pk[i].k && args[i].idx == pk[i].idx)))
                fail("argument " + std::to_string(i + 1) + " of " + what + " is " + kind_text(args[i].k) +
                     " where the function's parameter is " + kind_text(pk[i].k));
            n += width(args[i]);
        }
        if (n > 8) fail(what + " takes more than 8 int arguments, more than the simulator passes");
        return n;
    }

    // A module-level comprehension's code object (3.9-3.11), called with its iterator where it
    // is made: lowered now, knowing what it iterates; the list it returns is a runtime list.
    AV call_comprehension(const AV& callee, const AV& it, uint8_t check) {
        if (it.k != K::RangeIter && it.k != K::ListIter) fail("a comprehension over " + std::string(kind_text(it.k)) + " is not modelled by the simulator");
        const int fi = callee.idx;
        if (sh_.comp_iter.count(fi)) fail("a comprehension's code is called twice");
        AV param = it;
        param.idx = 0;  // the iterator's two slots are the callee's first two locals
        if (it.start >= 0) param.start = 2;  // range(start, ...)'s start: the third
        sh_.comp_iter[fi] = param;
        Lowerer sub(p_, c_, env_, objects_, opt_, fn_code_, sh_);
        sub.lower(fi);
        const Function& G = p_.functions[(size_t)fi];
        if (!G.error.empty()) throw Unsupported{G.error.substr(G.error.find(": ") + 2), line_};
        emit(Op::LoadFast, it.idx, 0, Instr::kFree);
        emit(Op::LoadFast, it.idx + 1, 0, Instr::kFree);
        if (it.start >= 0) emit(Op::LoadFast, it.start, 0, Instr::kFree);
        call_py(fi, it.start >= 0 ? 3 : 2, check);
        emit(Op::PopTop, 0, 0, Instr::kFree);  // its return value is the list, kept by the simulator
        auto r = sh_.comp_ret.find(fi);
        return r != sh_.comp_ret.end() ? r->second : av(K::None);
    }

    // threading.Thread(target=f, args=(...), name=..., daemon=...), and the same for
    // multiprocessing.Process (`process`).
    AV new_thread(const std::vector<AV>& args, const std::vector<std::string>& kw, uint8_t check, bool process = false) {
        const std::string what = process ? "multiprocessing.Process" : "threading.Thread";
        const size_t npos = args.size() - std::min(args.size(), kw.size());
        if (npos > 0) fail(what + "() takes its arguments by keyword here (target=..., args=(...))");
        const AV* target = nullptr;
        const AV* targs = nullptr;
        size_t args_at = kw.size();
        for (size_t j = 0; j < kw.size(); ++j) {
            const AV& v = args[j];
            if (kw[j] == "target") target = &v;
            else if (kw[j] == "args") {
                if (v.k != K::Tuple) fail(what + "(args=...) takes a tuple here, such as args=(N,)");
                targs = &v;
                args_at = j;
            } else if (kw[j] != "name" && kw[j] != "daemon")
                fail(what + "(" + kw[j] + "=...) is not modelled by the simulator (target, args, name and daemon are)");
        }
        std::vector<AV> a;
        int tfn = -1;
        if (target && target->k == K::Method && target->of == K::Instance) {
            tfn = (int)target->i;  // a bound method: its instance is the first argument
            a.push_back(instance_av(target->idx));
        } else if (target && target->k == K::Function) {
            tfn = target->idx;
        } else {
            fail(what + "() needs target= a function of the program or a method of an instance");
        }
        if (p_.functions[(size_t)tfn].name[0] == '<') fail(what + "(target=...) of a comprehension is not modelled");
        // Keywords after args= that left values on the stack are dropped first; ones before it
        // would sit under the arguments.
        for (size_t j = kw.size(); j-- > 0;) {
            if (kw[j] == "args" || kw[j] == "target") continue;
            if (width(args[j]) == 0) continue;
            if (j < args_at) fail("give " + what + "() its `" + kw[j] + "=` after args=, so the simulator can drop it");
            drop(args[j]);
        }
        if (targs && targs->items) a.insert(a.end(), targs->items->begin(), targs->items->end());
        const int n = check_args(tfn, a, {}, p_.functions[(size_t)tfn].name + "() as a " +
                                 (process ? "process's" : "thread's") + " target");
        emit(process ? Op::ProcessNew : Op::ThreadNew, tfn, n, check);
        return av(K::Thread);  // a process's handle is its main thread's: start() and join() alike
    }

    // A fresh object made by module code (threading.Lock(), queue.Queue(), Value(...)): which
    // declared object it is comes from the name it is stored in.
    AV fresh(K k, const std::string& made_by) {
        AV v = av(k, -1);
        v.name = made_by;
        return v;
    }

    // A call: `callee` with `args` (the ints among them are on the simulator's stack); `kw`: the
    // names of the last kw.size() arguments.
    AV call(const AV& callee, const std::vector<AV>& args, uint8_t check, const std::vector<std::string>& kw = {}) {
        auto ints = [&]() {
            int n = 0;
            for (const AV& a : args) n += width(a);
            return n;
        };
        auto drop_ints = [&]() {
            for (int i = ints(); i > 0; --i) emit(Op::PopTop, 0, 0, Instr::kFree);
        };
        if (callee.k == K::Function) {
            const Function& G = p_.functions[(size_t)callee.idx];
            if (!G.name.empty() && G.name[0] == '<') {
                if (args.size() != 1) fail("a comprehension's code called with " + std::to_string(args.size()) + " arguments");
                return call_comprehension(callee, args[0], check);
            }
            if (auto fc = opt_.fixed_cost_fns.find(G.name); fc != opt_.fixed_cost_fns.end()) {
                // Measured work the program stands for with this call (LowerOptions::fixed_cost_fns).
                drop_ints();
                emit(Op::CCallGil, konst(std::max<int64_t>(0, fc->second)), 0, check);
                return av(K::None);
            }
            if (auto fc = opt_.fixed_nogil_fns.find(G.name); fc != opt_.fixed_nogil_fns.end()) {
                drop_ints();
                emit(Op::CCallNoGil, konst(std::max<int64_t>(0, fc->second)), 0, check);
                return av(K::None);
            }
            const int n = check_args(callee.idx, args, kw, G.name + "()");
            call_py(callee.idx, n, check);
            return call_result(callee.idx);
        }
        if (callee.k == K::Method && callee.of == K::Instance) {  // c.increment(...): the method with self = c
            const int fn = (int)callee.i;
            std::vector<AV> full{instance_av(callee.idx)};
            full.insert(full.end(), args.begin(), args.end());
            const int n = check_args(fn, full, kw, p_.functions[(size_t)fn].name + "()");
            call_py(fn, n, check);
            return call_result(fn);
        }
        if (callee.k == K::Class) return new_instance(callee, args, kw, check);
        if (!kw.empty() && !(callee.k == K::Ref && (callee.name == "threading.Thread" || callee.name == "multiprocessing.Process")))
            fail("keyword arguments are not modelled by the simulator here (only threading.Thread(target=..., args=...) and a function's own parameter names)");
        if (callee.k == K::WithExit) {
            emit(Op::LockRelease, callee.idx, 0, check);
            return av(K::None);
        }
        if (callee.k == K::Method) {
            const std::string& m = callee.name;
            if (callee.of == K::Thread && (m == "start" || m == "join") && args.empty()) {
                emit(m == "start" ? Op::ThreadStart : Op::ThreadJoin, 0, 0, check);
                return av(K::None);
            }
            if (callee.of == K::Thread) fail("." + m + "() of a thread with these arguments is not modelled by the simulator (start() and join() are)");
            if (callee.of == K::RtList && m == "append" && args.size() == 1) {
                add_item(callee.idx, args[0]);
                emit(Op::ListPush, callee.idx, 0, check);
                return av(K::None);
            }
            if (callee.of == K::Lock && (m == "acquire" || m == "release") && args.empty()) {
                emit(m == "acquire" ? Op::LockAcquire : Op::LockRelease, callee.idx, 0, check);
                return m == "acquire" ? av(K::Data) : av(K::None);
            }
            if (callee.of == K::List && m == "append" && args.size() == 1) {
                if (!is_int(args[0])) fail("only ints are appended to lists in the simulator");
                emit(Op::ListAppend, callee.idx, 0, check);
                return av(K::None);
            }
            if (callee.of == K::Queue && m == "put" && args.size() == 1) {
                if (!is_int(args[0])) fail("only ints are put on queues in the simulator");
                emit(Op::QueuePut, callee.idx, 0, check);
                return av(K::None);
            }
            if (callee.of == K::Queue && m == "get" && args.empty()) {
                emit(Op::QueueGet, callee.idx, 0, check);
                return av(K::Int);
            }
            fail("." + m + "() of " + kind_text(callee.of) + " with " + std::to_string(args.size()) +
                 " arguments is not modelled by the simulator");
        }
        if (callee.k == K::Ref) {
            const std::string& n = callee.name;
            if (n == "threading.Thread") return new_thread(args, kw, check);
            if (n == "multiprocessing.Process") return new_thread(args, kw, check, true);
            if (n == "multiprocessing.set_start_method") {
                if (args.size() != 1 || !args[0].str) fail("multiprocessing.set_start_method() takes a constant string here");
                const std::string& m = args[0].name;
                if (m != "fork" && m != "spawn" && m != "forkserver") fail("start method '" + m + "' is not one of fork, spawn, forkserver");
                emit(Op::SetStartMethod, m == "fork" ? 0 : m == "forkserver" ? 1 : 2, 0, check);
                return av(K::None);
            }
            if (n == "time.perf_counter" || n == "time.monotonic" || n == "time.time" || n == "time.perf_counter_ns" ||
                n == "time.monotonic_ns" || n == "time.time_ns") {
                if (!args.empty()) fail(n + "() takes no arguments");
                emit(Op::PerfCounter, 0, 0, check);
                AV t = av(K::Int);
                t.ns = !(n.size() > 3 && n.compare(n.size() - 3, 3, "_ns") == 0);  // perf_counter_ns() is an int
                return t;
            }
            if (n == "sys.setswitchinterval") {
                if (args.size() != 1) fail("sys.setswitchinterval() takes one argument");
                const int64_t ns = seconds_ns(args[0], "sys.setswitchinterval()");
                drop_ints();
                emit(Op::SetInterval, konst(std::max<int64_t>(1, ns)), 0, check);
                return av(K::None);
            }
            if (n == "print") return lower_print(args, check);
            if (n == "__build_class__") return build_class(args, check);
            if (n == "len" && args.size() == 1 && args[0].k == K::RtList) {
                emit(Op::ListLen, args[0].idx, 0, check);
                return av(K::Int);
            }
            {
                K made = K::Other;
                if (n == "threading.Lock" || n == "threading.RLock" || n == "multiprocessing.Lock" || n == "multiprocessing.RLock") made = K::Lock;
                else if (n == "queue.Queue" || n == "multiprocessing.Queue") made = K::Queue;
                else if (n == "multiprocessing.Value") made = K::Value;
                if (made != K::Other && !(module_ || comp_ || init_))
                    fail(n + "() inside a function: the simulator makes each lock, queue and Value once, in module code "
                         "or in an instance's __init__");
                if (made != K::Other) {
                    drop_ints();
                    emit(Op::Nop, (int)Op::Call, 0, check);
                    return fresh(made, n + "()");
                }
            }
            if (n == "range") {
                bool ints = !args.empty() && args.size() <= 3;
                for (const AV& a : args) ints = ints && is_int(a);
                if (!ints) fail("range() of ints is modelled by the simulator (range(n), range(start, stop), range(start, stop, step))");
                emit(Op::Nop, 0, 0, check);  // its cost is GET_ITER's (the range object and its iterator)
                if (args.size() == 1) return av(K::Range);
                // range(start, stop[, step]): the iterator counts len(range) steps; each value is
                // start + k * step. The extra steps are free: the real range iterator's cost is FOR_ITER's.
                int64_t stepv = 1;
                if (args.size() == 3) {
                    if (!args[2].known || args[2].i == 0)
                        fail("range(start, stop, step) needs a constant step other than 0 here (a literal or a module-level constant)");
                    stepv = args[2].i;
                    emit(Op::PopTop, 0, 0, Instr::kFree);
                }
                const int base = hidden_slots();  // [start, stop]
                emit(Op::StoreFast, base + 1, 0, Instr::kFree);
                emit(Op::StoreFast, base, 0, Instr::kFree);
                const int64_t mag = stepv < 0 ? -stepv : stepv;
                emit(Op::LoadFast, stepv > 0 ? base + 1 : base, 0, Instr::kFree);
                emit(Op::LoadFast, stepv > 0 ? base : base + 1, 0, Instr::kFree);
                emit(Op::BinaryOp, (int)BinKind::Sub, 0, Instr::kFree);
                if (mag != 1) {  // len = ceil(distance / |step|), and 0 when the distance is negative
                    emit(Op::LoadConst, konst(mag - 1), 0, Instr::kFree);
                    emit(Op::BinaryOp, (int)BinKind::Add, 0, Instr::kFree);
                    emit(Op::LoadConst, konst(mag), 0, Instr::kFree);
                    emit(Op::BinaryOp, (int)BinKind::FloorDiv, 0, Instr::kFree);
                }
                AV r = av(K::Range);
                r.start = base;
                r.step = stepv;
                return r;
            }
            if (n == "time.sleep") {
                if (args.size() != 1) fail("time.sleep() takes one argument");
                const int64_t ns = seconds_ns(args[0], "time.sleep()");
                drop_ints();
                emit(Op::Sleep, konst(ns), 0, check);
                return av(K::None);
            }
            if (n == "asyncio.sleep") {
                if (args.size() != 1) fail("asyncio.sleep() takes one argument");
                AV a = av(K::Awaitable);
                a.i = seconds_ns(args[0], "asyncio.sleep()");
                drop_ints();
                emit(Op::Nop, 0, 0, check);  // making the coroutine object: the sleep happens at the await
                return a;
            }
            // Modelled C calls: numpy's kernels release the GIL (Py_BEGIN_ALLOW_THREADS), json's
            // C encoder keeps it, hashlib releases it for inputs over 2047 bytes.
            if (n == "numpy.dot" || n == "numpy.matmul" || n == "hashlib.sha256") {
                drop_ints();
                emit(Op::CCallNoGil, konst(c_ns(n, 1'000'000)), 0, check);
                return av(K::Data);
            }
            if (n == "json.dumps") {
                drop_ints();
                emit(Op::CCallGil, konst(c_ns(n, 1'000'000)), 0, check);
                return av(K::Data);
            }
            fail(n + "() is not modelled by the simulator" + std::string(module_ ? " in module code" : " inside a thread's function"));
        }
        fail("calling " + std::string(kind_text(callee.k)) + " is not modelled by the simulator");
    }

    // What a call of function fi gives: an int on the simulator's stack, or None when every
    // `return` of the function returns None (`print(noop())` prints None, as Python does).
    AV call_result(int fi) {
        const py::CodeObject& co = c_.codes[(size_t)fn_code_[(size_t)fi]];
        bool none = true;
        const auto& ins = co.instructions;
        for (size_t i = 0; i < ins.size() && none; ++i) {
            auto is_none = [&](int arg) {
                return arg >= 0 && (size_t)arg < co.consts.size() && co.consts[(size_t)arg].kind == py::ConstKind::None &&
                       !(co.const_code.size() > (size_t)arg && co.const_code[(size_t)arg] >= 0);
            };
            if (ins[i].op == POp::RETURN_CONST) none = is_none(ins[i].arg);
            else if (ins[i].op == POp::RETURN_VALUE) none = i > 0 && ins[i - 1].op == POp::LOAD_CONST && is_none(ins[i - 1].arg);
        }
        if (!none) return av(K::Int);
        emit(Op::PopTop, 0, 0, Instr::kFree);  // the simulator's frame returned an int; Python's returned None
        return av(K::None);
    }

    // `class C: ...` in module code: __build_class__(<body>, 'C'). The body is not run by the
    // simulator, so it may hold only what the lowering reads from it: defs, constants, pass and a
    // docstring.
    AV build_class(const std::vector<AV>& args, uint8_t check) {
        if (!module_) fail("a class statement inside a function is not modelled by the simulator (define classes at module level)");
        if (args.size() != 2 || args[0].k != K::ClassBody) fail("a class with base classes or keywords is not modelled by the simulator");
        const ClassInfo& ci = sh_.classes[(size_t)args[0].idx];
        for (const auto& sp : ci.def->body) {
            const py::Stmt& st = *sp;
            const bool ok = st.kind == py::StmtKind::FunctionDef || st.kind == py::StmtKind::Pass ||
                            (st.kind == py::StmtKind::Expr && st.value && st.value->kind == py::ExprKind::Const) ||
                            (st.kind == py::StmtKind::Assign && st.targets.size() == 1 &&
                             st.targets[0]->kind == py::ExprKind::Name && st.value && st.value->kind == py::ExprKind::Const);
            if (!ok) {
                line_ = st.pos.line;
                fail("in the body of class " + ci.name + ", only methods (def), constant class attributes, pass and a docstring are "
                     "modelled by the simulator");
            }
            if (st.kind == py::StmtKind::FunctionDef && st.is_async) {
                line_ = st.pos.line;
                fail("async methods are not modelled by the simulator (async def at module level is)");
            }
        }
        emit(Op::Nop, (int)Op::Call, 0, check);  // running the class body and type(): a call's worth
        return av(K::Class, args[0].idx);
    }

    // `c = C(args)` in module code: the instance bound to c, its __init__ run with self = c.
    AV new_instance(const AV& cls, const std::vector<AV>& args, const std::vector<std::string>& kw, uint8_t check) {
        const std::string& cn = sh_.classes[(size_t)cls.idx].name;
        auto o = objects_.find(next_store_);
        if (!module_ || next_store_.empty() || o == objects_.end() || o->second.k != K::Instance ||
            sh_.instances[(size_t)o->second.idx].cls != cls.idx)
            fail("`" + cn + "(...)` is modelled by the simulator only as `name = " + cn +
                 "(...)` in module code (each instance a module-level name)");
        const InstanceInfo& ii = sh_.instances[(size_t)o->second.idx];
        if (!ii.error.empty()) fail(ii.error);
        auto init = ii.method_fn.find("__init__");
        if (init == ii.method_fn.end()) {
            if (!args.empty()) fail(cn + "() takes no arguments (the class has no __init__)");
            emit(Op::Nop, (int)Op::Call, 0, check);
            return o->second;
        }
        std::vector<AV> full{o->second};
        full.insert(full.end(), args.begin(), args.end());
        const int n = check_args(init->second, full, kw, cn + "()");
        call_py(init->second, n, check);
        emit(Op::PopTop, 0, 0, Instr::kFree);  // __init__'s None
        return o->second;
    }

    // print(a, b, ...): what the simulator can show exactly (str constants, ints, floats,
    // None, bools, times) is written as Python does, separated by spaces; anything else it does
    // not keep (a list, an object) is written as "<list>" / "<object>" so the line still shows.
    AV lower_print(const std::vector<AV>& args, uint8_t check) {
        std::vector<Program::PrintPiece> pieces;
        int n = 0;
        auto text = [&](const std::string& s) {
            if (!pieces.empty() && pieces.back().kind == Program::PrintPiece::Text) pieces.back().text += s;
            else pieces.push_back({Program::PrintPiece::Text, s});
        };
        for (size_t i = 0; i < args.size(); ++i) {
            if (i) text(" ");
            const AV& a = args[i];
            if (a.str) {
                text(a.name);
            } else if (a.k == K::Int) {
                pieces.push_back({a.ns ? Program::PrintPiece::Seconds : a.boolean ? Program::PrintPiece::Bool : Program::PrintPiece::Int, ""});
                ++n;
            } else if (a.k == K::Float) {
                py::Constant k;
                k.kind = py::ConstKind::Float;
                k.f = a.f;
                text(py::const_repr(k));
            } else if (a.k == K::None) {
                text("None");
            } else if (a.k == K::RtList && sh_.rt_elem[(size_t)a.idx] != K::Thread) {
                Program::PrintPiece pc{Program::PrintPiece::List, ""};
                pc.list = a.idx;
                pieces.push_back(pc);
            } else {
                std::string what = kind_text(a.k);  // "a list" -> "<list>"
                if (what.rfind("a ", 0) == 0) what = what.substr(2);
                else if (what.rfind("an ", 0) == 0) what = what.substr(3);
                text("<" + what + ">");
                for (int w = width(a); w > 0; --w, ++n) pieces.push_back({Program::PrintPiece::Skip, ""});  // popped, not shown
            }
        }
        p_.prints.push_back(std::move(pieces));
        emit(Op::Print, (int)p_.prints.size() - 1, n, check);
        return av(K::None);
    }

    static std::string strip(std::string s, const std::string& pre, const std::string& post) {
        if (!pre.empty() && s.rfind(pre, 0) == 0) s = s.substr(pre.size());
        if (!post.empty() && s.size() >= post.size() && s.compare(s.size() - post.size(), post.size(), post) == 0)
            s = s.substr(0, s.size() - post.size());
        return s;
    }

    int local_slot(int var) {
        if (var < 0 || var >= (int)slot_.size()) fail("a local variable out of range");
        return slot_[(size_t)var];
    }
    void load_local(std::vector<AV>& st, int var, const py::CodeObject& co, bool is_free) {
        const auto& k = local_kind_[(size_t)var];
        if (!k || k->k == K::Int || k->k == K::Thread) {
            emit(Op::LoadFast, local_slot(var), 0, is_free ? Instr::kFree : 0);
            st.push_back(av(k ? k->k : K::Int));
        } else {
            if (is_free) free_nop();
            else nop(Op::LoadFast);
            st.push_back(*k);
        }
        (void)co;
    }
    void store_local(std::vector<AV>& st, int var, const py::CodeObject& co, bool is_free) {
        if (st.empty()) fail("the stack is empty");
        AV v = st.back();
        st.pop_back();
        auto& k = local_kind_[(size_t)var];
        if (v.k == K::NewList) v = av(K::List, -1);
        if (v.k == K::Null) {  // 3.12+: a comprehension's variable restored to "unbound"
            if (is_free) free_nop();
            else nop(Op::StoreFast);
            return;
        }
        if (v.k == K::Int || v.k == K::Thread) {
            if (k && k->k != v.k) fail("`" + co.varnames[(size_t)var] + "` holds " + kind_text(v.k) + " and " + kind_text(k->k));
            k = av(v.k);
            emit(Op::StoreFast, local_slot(var), 0, is_free ? Instr::kFree : 0);
            return;
        }
        if (v.k != K::List && v.k != K::Lock && v.k != K::Queue && v.k != K::Value && v.k != K::None && v.k != K::Data &&
            v.k != K::Float && v.k != K::RtList && v.k != K::Instance)
            fail("`" + co.varnames[(size_t)var] + " = ...` stores " + kind_text(v.k) + ", which the simulator does not model");
        if (k && !(k->k == v.k && k->idx == v.idx))
            fail("`" + co.varnames[(size_t)var] + "` holds " + kind_text(k->k) + " and " + kind_text(v.k));
        k = v;
        if (is_free) free_nop();
        else nop(Op::StoreFast);
    }

    // Module code's `name = value`: ints and thread handles live in the module's int globals;
    // objects it makes are the ones the module's statements declared under that name.
    void store_module_name(const std::string& n, const AV& v, uint8_t check) {
        auto mk = sh_.mod_kind.find(n);
        if (v.k == K::Int || v.k == K::Thread) {
            const int g = p_.global_index(n);
            if (g < 0) fail("`" + n + "` is not a module-level variable the simulator keeps (it is bound to two kinds of value)");
            if (v.k == K::Thread) {
                if (mk != sh_.mod_kind.end() && mk->second.k != K::Thread)
                    fail("`" + n + "` holds " + kind_text(mk->second.k) + " and a thread");
                sh_.mod_kind[n] = av(K::Thread, g);
            } else if (mk != sh_.mod_kind.end()) {
                fail("`" + n + "` holds " + std::string(kind_text(mk->second.k)) + " and an int");
            }
            if (v.k == K::Int && v.ns) sh_.ns_globals.insert(n);
            emit(Op::StoreGlobal, g, 0, check);
            return;
        }
        if (width(v) > 0) fail("storing " + std::string(kind_text(v.k)) + " into `" + n + "` is not modelled by the simulator");
        auto same = [&](const AV& a, const AV& b) { return a.k == b.k && a.idx == b.idx; };
        switch (v.k) {
        case K::Function:
            if (p_.functions[(size_t)v.idx].name != n) {
                if (mk != sh_.mod_kind.end() && !same(mk->second, v)) fail("`" + n + "` is bound to two functions");
                sh_.mod_kind[n] = v;
            }
            break;
        case K::Lock:
        case K::Queue:
        case K::Value: {
            auto o = objects_.find(n);
            if (v.idx >= 0) {  // an existing object under a second name
                if (o == objects_.end() || !same(o->second, v)) {
                    if (mk != sh_.mod_kind.end() && !same(mk->second, v)) fail("`" + n + "` is bound to two objects");
                    sh_.mod_kind[n] = v;
                }
                break;
            }
            if (o == objects_.end() || o->second.k != v.k)
                fail("`" + n + " = " + v.name + "`: the simulator needs `" + n + "` to be one object for the whole program" +
                     (o == objects_.end() ? " (it is bound to two kinds of object)" : ""));
            break;
        }
        case K::Class:
            if (sh_.classes[(size_t)v.idx].name != n) {
                if (mk != sh_.mod_kind.end() && !same(mk->second, v)) fail("`" + n + "` is bound to two classes");
                sh_.mod_kind[n] = v;
            }
            break;
        case K::Instance: {
            auto o = objects_.find(n);
            if (o == objects_.end() || !same(o->second, v)) {
                if (mk != sh_.mod_kind.end() && !same(mk->second, v)) fail("`" + n + "` is bound to two instances");
                sh_.mod_kind[n] = v;
            }
            break;
        }
        case K::RtList: {
            auto o = objects_.find(n);
            if (o != objects_.end() && o->second.k == K::List) {
                // A list the threads append to: module code may start it empty.
                if (sh_.rt_elem[(size_t)v.idx] != K::Other)
                    fail("`" + n + "` is a list the threads share; the simulator keeps only its length, so module code can only start it empty");
                break;
            }
            if (mk != sh_.mod_kind.end() && mk->second.k != K::RtList) fail("`" + n + "` holds " + std::string(kind_text(mk->second.k)) + " and a list");
            sh_.mod_kind[n] = v;
            break;
        }
        case K::None:
        case K::Data:
        case K::Float:
            // A name the simulator keeps as an int cannot hold this too (`big = -10 ** 20` is a
            // constant too big for its ints; `f = 2.5 * x` a float).
            if (p_.global_index(n) >= 0)
                fail("`" + n + "` holds " + kind_text(v.k) + " here and an int elsewhere (or a value the simulator's 64-bit ints "
                     "cannot hold): the simulator keeps ints only");
            break;
        case K::Ref:
        case K::Null: break;
        default: fail("storing " + std::string(kind_text(v.k)) + " into `" + n + "` is not modelled by the simulator");
        }
        nop(Op::StoreFast);
    }

    static BinKind bin_of(POp op, const std::string& sym, bool& ok) {
        ok = true;
        switch (op) {
        case POp::BINARY_ADD: return BinKind::Add;
        case POp::INPLACE_ADD: return BinKind::InplaceAdd;
        case POp::BINARY_SUBTRACT: return BinKind::Sub;
        case POp::INPLACE_SUBTRACT: return BinKind::InplaceSub;
        case POp::BINARY_MULTIPLY: case POp::INPLACE_MULTIPLY: return BinKind::Mul;
        case POp::BINARY_MODULO: case POp::INPLACE_MODULO: return BinKind::Mod;
        case POp::BINARY_FLOOR_DIVIDE: case POp::INPLACE_FLOOR_DIVIDE: return BinKind::FloorDiv;
        case POp::BINARY_POWER: case POp::INPLACE_POWER: return BinKind::Pow;
        default: break;
        }
        if (sym == "+") return BinKind::Add;
        if (sym == "+=") return BinKind::InplaceAdd;
        if (sym == "-") return BinKind::Sub;
        if (sym == "-=") return BinKind::InplaceSub;
        if (sym == "*" || sym == "*=") return BinKind::Mul;
        if (sym == "%" || sym == "%=") return BinKind::Mod;
        if (sym == "//" || sym == "//=") return BinKind::FloorDiv;
        if (sym == "**" || sym == "**=") return BinKind::Pow;
        ok = false;
        return BinKind::Add;
    }
    static bool cmp_of(std::string sym, CmpKind& k) {
        sym = strip(sym, "bool(", ")");
        static const std::pair<const char*, CmpKind> t[] = {{"<", CmpKind::Lt}, {"<=", CmpKind::Le}, {">", CmpKind::Gt},
                                                            {">=", CmpKind::Ge}, {"==", CmpKind::Eq}, {"!=", CmpKind::Ne}};
        for (auto& [s, c] : t)
            if (sym == s) {
                k = c;
                return true;
            }
        return false;
    }

    void run(Function& F, const py::CodeObject& co) {
        minor_ = c_.minor;
        const auto& ins = co.instructions;
        const size_t n = ins.size();
        out_.clear();
        fix_.clear();
        first_.assign(n + 1, -1);
        at_.assign(n + 1, std::nullopt);
        // Int parameters first (the simulator passes ints by position), then the other locals.
        std::vector<AV> pk = param_kinds(co, fi_);
        slot_.assign(co.varnames.size(), -1);
        local_kind_.assign(co.varnames.size(), std::nullopt);
        nlocals_ = 0;
        F.local_names.clear();
        if (comp_) {
            auto it = sh_.comp_iter.find(fi_);
            if (it == sh_.comp_iter.end()) fail("a comprehension that is never run");
            if (!pk.empty()) pk[0] = it->second;
        }
        for (size_t i = 0; i < pk.size(); ++i) {
            if (pk[i].k == K::Int) {
                slot_[i] = nlocals_++;
                F.local_names.push_back(co.varnames[i]);
            } else if (pk[i].k == K::RangeIter || pk[i].k == K::ListIter) {
                slot_[i] = nlocals_;
                pk[i].idx = nlocals_;
                nlocals_ += 2;
                F.local_names.push_back(co.varnames[i]);
                F.local_names.push_back("<iterator>");
                if (pk[i].k == K::RangeIter && pk[i].start >= 0) {  // a comprehension over range(start, ...)
                    pk[i].start = nlocals_++;
                    F.local_names.push_back("<start>");
                }
            }
            local_kind_[i] = pk[i];
        }
        F.nargs = nlocals_;
        for (size_t i = 0; i < co.varnames.size(); ++i)
            if (slot_[i] < 0) {
                slot_[i] = nlocals_++;
                F.local_names.push_back(co.varnames[i]);
            }
        // 3.10's coroutines start with GEN_START, which pops the None the first send pushes.
        at_[0] = std::vector<AV>{};
        if (minor_ == 10 && co.is_async) at_[0]->push_back(av(K::None));

        for (size_t r = 0; r < n; ++r) {
            const py::Instruction& in = ins[r];
            real_ = (int)r;
            check_after_return_ = in.check_after_return;
            line_ = in.line;
            first_[r] = (int)out_.size();
            if (!at_[r]) {  // not reachable without an exception: never runs here
                emit(Op::Nop, 0, 0, Instr::kUnreachable);
                continue;
            }
            std::vector<AV> st = *at_[r];
            const uint8_t check = in.check_point ? Instr::kCheck : 0;
            bool falls_through = true;
            auto pop = [&]() {
                if (st.empty()) fail(std::string(py::op_name(in.op)) + " on an empty stack");
                AV v = st.back();
                st.pop_back();
                return v;
            };
            auto need_int = [&](const AV& v, const char* what) {
                if (v.k != K::Int) fail(std::string(what) + " of " + kind_text(v.k) + " is not modelled by the simulator");
            };
            const std::string& ar = in.argrepr;
            switch (in.op) {
            case POp::NOP:
            case POp::EXTENDED_ARG:
            case POp::CACHE:
            case POp::POP_BLOCK:
            case POp::GEN_START:
            case POp::PRECALL:  // 3.11: its cost is counted in CALL's
                if (in.op == POp::GEN_START && !st.empty()) st.pop_back();
                free_nop();
                break;
            case POp::RESUME: emit(Op::Resume, 0, 0, check); break;
            case POp::RETURN_GENERATOR:
                free_nop();
                st.push_back(av(K::None));
                break;
            case POp::LOAD_CONST: {
                const py::Constant& k = co.consts[(size_t)in.arg];
                const bool is_code = co.const_code.size() > (size_t)in.arg && co.const_code[(size_t)in.arg] >= 0;
                if (is_code) {
                    const int code = co.const_code[(size_t)in.arg];
                    int fn = -1;
                    for (size_t f = 0; f < p_.functions.size(); ++f)
                        if (p_.functions[f].code_object == code) fn = (int)f;
                    int body = -1;
                    for (size_t k = 0; k < sh_.classes.size(); ++k)
                        if (sh_.classes[k].code == code) body = (int)k;
                    if (module_ && body >= 0) {
                        nop(Op::LoadConst);
                        st.push_back(av(K::ClassBody, body));
                        break;
                    }
                    if (!module_ || fn < 0) fail("a nested function, lambda or class is not modelled by the simulator");
                    nop(Op::LoadConst);
                    st.push_back(av(K::Function, fn));
                } else if (k.kind == py::ConstKind::Int || k.kind == py::ConstKind::True || k.kind == py::ConstKind::False) {
                    AV v = av(K::Int);
                    v.known = true;
                    v.i = k.kind == py::ConstKind::Int ? k.i : k.kind == py::ConstKind::True ? 1 : 0;
                    v.boolean = k.kind != py::ConstKind::Int;
                    emit(Op::LoadConst, konst(v.i), 0, check);
                    st.push_back(v);
                } else if (k.kind == py::ConstKind::None) {
                    nop(Op::LoadConst);
                    st.push_back(av(K::None));
                } else if (k.kind == py::ConstKind::Float) {
                    nop(Op::LoadConst);
                    AV v = av(K::Float);
                    v.f = k.f;
                    st.push_back(v);
                } else if (k.kind == py::ConstKind::Str) {
                    nop(Op::LoadConst);
                    AV v = av(K::Data);
                    v.str = true;
                    v.name = k.s;
                    st.push_back(v);
                } else if (k.kind == py::ConstKind::Tuple) {
                    // Keyword names (all strs), or a folded tuple of ints such as args=(1000,)
                    bool strs = !k.items.empty(), ints = !k.items.empty();
                    for (const auto& x : k.items) {
                        strs = strs && x.kind == py::ConstKind::Str;
                        ints = ints && (x.kind == py::ConstKind::Int || x.kind == py::ConstKind::True || x.kind == py::ConstKind::False);
                    }
                    if (strs) {
                        nop(Op::LoadConst);
                        AV v = av(K::Data);
                        v.strs = std::make_shared<std::vector<std::string>>();
                        for (const auto& x : k.items) v.strs->push_back(x.s);
                        st.push_back(v);
                    } else if (ints) {
                        AV t = av(K::Tuple);
                        t.items = std::make_shared<std::vector<AV>>();
                        bool first = true;
                        for (const auto& x : k.items) {
                            AV v = av(K::Int);
                            v.known = true;
                            v.i = x.kind == py::ConstKind::Int ? x.i : x.kind == py::ConstKind::True ? 1 : 0;
                            emit(Op::LoadConst, konst(v.i), 0, first ? check : Instr::kFree);
                            first = false;
                            t.items->push_back(v);
                        }
                        st.push_back(t);
                    } else {
                        nop(Op::LoadConst);
                        st.push_back(av(K::Data));
                    }
                } else {
                    nop(Op::LoadConst);
                    st.push_back(av(K::Data));
                }
                break;
            }
            case POp::LOAD_FAST:
            case POp::LOAD_FAST_CHECK: load_local(st, in.arg, co, false); break;
            case POp::LOAD_FAST_AND_CLEAR:
                // 3.12+ inlined comprehensions save the variable they reuse: unbound (NULL) the
                // first time, the simulator's int or handle after that.
                if (in.arg >= 0 && in.arg < (int)local_kind_.size() && !local_kind_[(size_t)in.arg]) {
                    nop(Op::LoadFast);
                    st.push_back(av(K::Null));
                } else {
                    load_local(st, in.arg, co, false);
                }
                break;
            case POp::STORE_FAST: store_local(st, in.arg, co, false); break;
            case POp::LOAD_FAST_LOAD_FAST:
                load_local(st, in.arg >> 4, co, false);
                load_local(st, in.arg & 15, co, true);
                break;
            case POp::STORE_FAST_LOAD_FAST:
                store_local(st, in.arg >> 4, co, false);
                load_local(st, in.arg & 15, co, true);
                break;
            case POp::STORE_FAST_STORE_FAST:
                store_local(st, in.arg >> 4, co, false);
                store_local(st, in.arg & 15, co, true);
                break;
            case POp::LOAD_GLOBAL:
            case POp::LOAD_NAME: {
                const bool null = minor_ >= 11 && ar.find("NULL") != std::string::npos;
                const std::string name = strip(strip(ar, "NULL + ", ""), "", " + NULL");
                AV v = global_name(name);
                if (null && minor_ < 13) st.push_back(av(K::Null));
                if (v.k == K::Int || v.k == K::Thread) {
                    if (v.idx < 0) fail("`" + name + "` is not a module-level variable");
                    if (v.k == K::Int && sh_.ns_globals.count(name)) v.ns = true;
                    emit(Op::LoadGlobal, v.idx, 0, check);
                } else if (v.k == K::Value) {
                    nop(Op::LoadGlobal);
                } else {
                    nop(Op::LoadGlobal);
                }
                st.push_back(v);
                if (null && minor_ >= 13) st.push_back(av(K::Null));
                break;
            }
            case POp::STORE_GLOBAL:
            case POp::STORE_NAME: {
                AV v = pop();
                if (module_ || comp_) {
                    store_module_name(ar, v, check);
                    break;
                }
                AV g = global_name(ar);
                if (g.k != K::Int || g.idx < 0) fail("storing into `" + ar + "`, which is " + kind_text(g.k) + ", is not modelled by the simulator");
                need_int(v, "storing");
                if (v.ns) sh_.ns_globals.insert(ar);
                emit(Op::StoreGlobal, g.idx, 0, check);
                break;
            }
            case POp::LOAD_ATTR:
            case POp::LOAD_METHOD: {
                const bool method = in.op == POp::LOAD_METHOD || (minor_ >= 12 && ar.find("NULL|self") != std::string::npos);
                const std::string name = strip(strip(ar, "NULL|self + ", ""), "", " + NULL|self");
                AV obj = pop();
                if (obj.k == K::Value && name == "value" && !method) {
                    // Synchronized.value's getter: `with self._lock: return self._obj.value`
                    // (multiprocessing/sharedctypes.py); the setter takes the lock again, so
                    // `x.value += 1` is two critical sections with a gap between them.
                    locked_access(Op::LoadGlobal, obj, check);
                    st.push_back(av(K::Int));
                    break;
                }
                AV a = attribute(obj, name);
                if (obj.k == K::Instance && (a.k == K::Int || a.k == K::Thread)) {
                    // self.count: the instance's attribute, a global of its own ("c.count")
                    if (a.idx < 0) fail("`" + sh_.instances[(size_t)obj.idx].name + "." + name + "` is not an attribute the simulator keeps");
                    if (a.k == K::Int && sh_.ns_globals.count(sh_.instances[(size_t)obj.idx].name + "." + name)) a.ns = true;
                    emit(Op::LoadGlobal, a.idx, 0, check);
                } else {
                    nop(Op::LoadGlobal);  // an attribute lookup costs about what a global lookup does
                }
                if (method && minor_ < 13) st.push_back(av(K::Null));
                st.push_back(a);
                if (method && minor_ >= 13) st.push_back(av(K::Null));
                break;
            }
            case POp::STORE_ATTR: {
                AV obj = pop();
                AV v = pop();
                if (obj.k == K::Instance) {
                    store_attr(obj, ar, v, check);
                    break;
                }
                if (obj.k != K::Value || ar != "value") fail("assigning `." + ar + "` of " + kind_text(obj.k) + " is not modelled by the simulator");
                need_int(v, "storing");
                locked_access(Op::StoreGlobal, obj, check);
                break;
            }
            case POp::PUSH_NULL:
                free_nop();
                st.push_back(av(K::Null));
                break;
            case POp::POP_TOP: {
                AV v = pop();
                const int w = width(v);
                if (w == 0) nop(Op::PopTop);
                for (int i = 0; i < w; ++i) emit(Op::PopTop, 0, 0, i == 0 ? check : Instr::kFree);
                break;
            }
            case POp::COPY:
            case POp::DUP_TOP: {
                const int k = in.op == POp::COPY ? in.arg : 1;
                if (k < 1 || k > (int)st.size()) fail("COPY beyond the stack");
                AV v = st[st.size() - (size_t)k];
                if (width(v) > 0) fail("copying a number on the stack is not modelled by the simulator");
                st.push_back(v);
                nop(Op::LoadFast);
                break;
            }
            case POp::SWAP:
            case POp::ROT_TWO:
            case POp::ROT_THREE: {
                std::vector<AV> before = st;
                const int k = in.op == POp::SWAP ? in.arg : in.op == POp::ROT_TWO ? 2 : 3;
                if (k < 2 || k > (int)st.size()) fail("a stack rotation beyond the stack");
                if (in.op == POp::ROT_THREE) std::rotate(st.end() - 3, st.end() - 1, st.end());
                else std::swap(st.back(), st[st.size() - (size_t)k]);
                std::vector<AV> tail_b(before.end() - k, before.end()), tail_a(st.end() - k, st.end());
                permute_check(tail_b, tail_a, py::op_name(in.op));
                nop(Op::LoadFast);
                break;
            }
            case POp::BINARY_OP:
            case POp::BINARY_ADD: case POp::BINARY_SUBTRACT: case POp::BINARY_MULTIPLY: case POp::BINARY_MODULO:
            case POp::INPLACE_ADD: case POp::INPLACE_SUBTRACT: case POp::INPLACE_MULTIPLY: case POp::INPLACE_MODULO:
            case POp::BINARY_FLOOR_DIVIDE: case POp::INPLACE_FLOOR_DIVIDE: case POp::BINARY_POWER: case POp::INPLACE_POWER: {
                AV b = pop(), a = pop();
                bool ok;
                BinKind bk = bin_of(in.op, ar, ok);
                if (!ok) fail("the operator " + (ar.empty() ? std::string(py::op_name(in.op)) : ar) + " is not modelled by the simulator (+, -, *, //, %, ** on ints are)");
                need_int(a, "arithmetic");
                need_int(b, "arithmetic");
                emit(Op::BinaryOp, (int)bk, 0, check);
                st.push_back(av(K::Int));
                st.back().ns = a.ns || b.ns;  // t1 - t0 is still a time
                break;
            }
            case POp::COMPARE_OP: {
                AV b = pop(), a = pop();
                CmpKind ck;
                if (!cmp_of(ar, ck)) fail("the comparison " + ar + " is not modelled by the simulator");
                if (a.str && b.str && (ck == CmpKind::Eq || ck == CmpKind::Ne)) {
                    // `if __name__ == '__main__':` and other comparisons of str constants
                    AV r = av(K::Int);
                    r.known = true;
                    r.i = (a.name == b.name) == (ck == CmpKind::Eq) ? 1 : 0;
                    emit(Op::LoadConst, konst(r.i), 0, check);
                    st.push_back(r);
                    break;
                }
                need_int(a, "a comparison");
                need_int(b, "a comparison");
                emit(Op::CompareOp, (int)ck, 0, check);
                st.push_back(av(K::Int));
                st.back().boolean = true;
                break;
            }
            case POp::UNARY_NEGATIVE:
            case POp::UNARY_POSITIVE:
            case POp::UNARY_NOT: {
                AV v = pop();
                need_int(v, in.op == POp::UNARY_NOT ? "`not`" : "a sign");
                if (in.op == POp::UNARY_POSITIVE) {
                    nop(Op::BinaryOp);
                    st.push_back(av(K::Int));
                    break;
                }
                if (in.op == POp::UNARY_NEGATIVE) {  // -x: x * -1, wrapping like the simulator's other ints
                    emit(Op::LoadConst, konst(-1), 0, Instr::kFree);
                    emit(Op::BinaryOp, (int)BinKind::Mul, 0, check);
                    st.push_back(av(K::Int));
                    break;
                }
                emit(Op::LoadConst, konst(0), 0, Instr::kFree);  // not x: x == 0
                emit(Op::CompareOp, (int)CmpKind::Eq, 0, check);
                st.push_back(av(K::Int));
                st.back().boolean = true;
                break;
            }
            case POp::TO_BOOL: {
                AV v = pop();
                need_int(v, "truth");
                nop(Op::PopTop);
                st.push_back(v);
                break;
            }
            case POp::POP_JUMP_IF_FALSE:
            case POp::POP_JUMP_IF_TRUE:
            case POp::POP_JUMP_FORWARD_IF_FALSE:
            case POp::POP_JUMP_FORWARD_IF_TRUE:
            case POp::POP_JUMP_BACKWARD_IF_FALSE:
            case POp::POP_JUMP_BACKWARD_IF_TRUE: {
                AV v = pop();
                need_int(v, "a condition");
                const bool on_true = in.op == POp::POP_JUMP_IF_TRUE || in.op == POp::POP_JUMP_FORWARD_IF_TRUE ||
                                     in.op == POp::POP_JUMP_BACKWARD_IF_TRUE;
                const bool backward = in.target <= (int)r;
                if (in.target < 0) fail("a jump without a target");
                if (check || backward) {
                    // The check (3.10, and 3.11's backward jumps) happens only when the jump is
                    // taken: the not-taken path skips over an unconditional jump that checks.
                    jump_to(on_true ? Op::PopJumpIfFalse : Op::PopJumpIfTrue, (int)r + 1);
                    jump_to(backward ? Op::JumpBackward : Op::JumpForward, in.target, (uint8_t)(check | Instr::kFree));
                } else {
                    jump_to(on_true ? Op::PopJumpIfTrue : Op::PopJumpIfFalse, in.target, check);
                }
                record(in.target, st);
                break;
            }
            case POp::JUMP_FORWARD:
            case POp::JUMP_ABSOLUTE:
            case POp::JUMP_BACKWARD:
            case POp::JUMP_BACKWARD_NO_INTERRUPT:
            case POp::JUMP:
            case POp::JUMP_NO_INTERRUPT: {
                if (in.target < 0) fail("a jump without a target");
                const bool backward = in.target <= (int)r;
                jump_to(backward ? Op::JumpBackward : Op::JumpForward, in.target, check);
                record(in.target, st);
                falls_through = false;
                break;
            }
            case POp::GET_ITER: {
                AV v = pop();
                if (v.k == K::RtList) {
                    const int slots = hidden_slots();
                    emit(Op::ListIter, slots, v.idx, check);
                    AV it = av(K::ListIter, slots);
                    it.i = v.idx;
                    st.push_back(it);
                    break;
                }
                if (v.k != K::Range) fail("`for ... in` over " + std::string(kind_text(v.k)) + (module_ ? " in module code" : " inside a thread's function") +
                     " is not modelled yet; use range(n)" + (module_ ? " or a list of ints or threads" : ""));
                const int slots = hidden_slots();
                emit(Op::GetIter, slots, 0, check);
                AV it = av(K::RangeIter, slots);
                it.start = v.start;
                it.step = v.step;
                st.push_back(it);
                break;
            }
            case POp::FOR_ITER: {
                if (st.empty() || (st.back().k != K::RangeIter && st.back().k != K::ListIter)) fail("FOR_ITER without a range iterator");
                const int slots = st.back().idx;
                const AV iter = st.back();
                // On exhaustion the iterator is popped and END_FOR (and 3.13's POP_TOP after it)
                // skipped: execution continues after them.
                int cont = in.target;
                if (cont >= 0 && cont < (int)n && ins[(size_t)cont].op == POp::END_FOR) {
                    ++cont;
                    if (minor_ >= 13 && cont < (int)n && ins[(size_t)cont].op == POp::POP_TOP) ++cont;
                }
                std::vector<AV> done = st;
                done.pop_back();
                record(cont, done);
                jump_to(Op::ForIter, cont, check, slots);
                if (iter.k == K::ListIter) {
                    emit(Op::ListItem, (int)iter.i, 0, Instr::kFree);
                    const K e = sh_.rt_elem[(size_t)iter.i];
                    st.push_back(av(e == K::Thread ? K::Thread : K::Int));
                } else {
                    if (iter.start >= 0) {  // range(start, stop, step): start + k * step
                        if (iter.step != 1) {
                            emit(Op::LoadConst, konst(iter.step), 0, Instr::kFree);
                            emit(Op::BinaryOp, (int)BinKind::Mul, 0, Instr::kFree);
                        }
                        emit(Op::LoadFast, iter.start, 0, Instr::kFree);
                        emit(Op::BinaryOp, (int)BinKind::Add, 0, Instr::kFree);
                    }
                    st.push_back(av(K::Int));
                }
                break;
            }
            case POp::END_FOR:
                pop();
                if (minor_ == 12 && !st.empty()) pop();
                free_nop();
                break;
            case POp::CALL:
            case POp::CALL_FUNCTION:
            case POp::CALL_METHOD:
            case POp::CALL_FUNCTION_KW:
            case POp::CALL_KW: {
                // Keyword names: a constant tuple on top (CALL_FUNCTION_KW, CALL_KW) or KW_NAMES before.
                std::vector<std::string> kw;
                if (in.op == POp::CALL_FUNCTION_KW || in.op == POp::CALL_KW) {
                    AV names = pop();
                    if (!names.strs) fail("keyword names that are not a constant tuple");
                    kw = *names.strs;
                } else if (kw_names_) {
                    kw = *kw_names_;
                    kw_names_.reset();
                }
                const int argc = in.arg;
                if (argc < 0 || argc + 1 > (int)st.size()) fail("a call beyond the stack");
                if (kw.size() > (size_t)argc) fail("more keyword names than arguments");
                std::vector<AV> args(st.end() - argc, st.end());
                st.resize(st.size() - (size_t)argc);
                std::vector<AV> below;
                below.push_back(pop());
                if (in.op != POp::CALL_FUNCTION && in.op != POp::CALL_FUNCTION_KW) below.push_back(pop());
                // 3.11 calls a comprehension's code with its iterator where `self` would be.
                if (below.size() == 2 && below[1].k == K::Function && (below[0].k == K::RangeIter || below[0].k == K::ListIter)) {
                    args.insert(args.begin(), below[0]);
                    below[0] = av(K::Null);
                }
                // The callable is the one that is not NULL; a `self` beside it is not an argument
                // here (bound methods carry their receiver), except the with-exit's None.
                AV callee;
                bool found = false;
                for (const AV& b : below)
                    if (!found && (b.k == K::Function || b.k == K::Ref || b.k == K::Method || b.k == K::WithExit || b.k == K::Class)) {
                        callee = b;
                        found = true;
                    }
                if (!found) fail("calling " + std::string(kind_text(below.back().k)) + " is not modelled by the simulator");
                if (callee.k == K::WithExit) args.clear();
                else
                    for (const AV& b : below)
                        if (!(b == callee) && b.k != K::Null && b.k != K::None)
                            fail("a call with a receiver the simulator does not model");
                next_store_.clear();
                if (r + 1 < n && (ins[r + 1].op == POp::STORE_NAME || ins[r + 1].op == POp::STORE_GLOBAL)) next_store_ = ins[r + 1].argrepr;
                st.push_back(call(callee, args, check, kw));
                break;
            }
            case POp::KW_NAMES: {
                const py::Constant& k = co.consts[(size_t)in.arg];
                kw_names_ = std::make_shared<std::vector<std::string>>();
                for (const auto& x : k.items) kw_names_->push_back(x.s);
                free_nop();  // its cost is CALL's
                break;
            }
            case POp::BUILD_TUPLE: {
                if (in.arg < 0 || in.arg > (int)st.size()) fail("a tuple beyond the stack");
                AV t = av(K::Tuple);
                t.items = std::make_shared<std::vector<AV>>(st.end() - in.arg, st.end());
                st.resize(st.size() - (size_t)in.arg);
                nop(Op::LoadConst);
                st.push_back(t);
                break;
            }
            case POp::LIST_EXTEND: {  // a list display of constants: BUILD_LIST 0, LOAD_CONST (..), LIST_EXTEND 1
                AV v = pop();
                if (in.arg < 1 || in.arg > (int)st.size()) fail("LIST_EXTEND beyond the stack");
                AV& l = st[st.size() - (size_t)in.arg];
                if (v.k == K::Tuple && l.k == K::RtList && v.items) {
                    for (const AV& x : *v.items) add_item(l.idx, x);
                    emit(Op::ListExtend, l.idx, (int)v.items->size(), check);
                } else if (width(v) == 0 && (l.k == K::RtList || l.k == K::Data)) {
                    // constants the simulator keeps nothing of (floats, strings): a data list
                    if (l.k == K::RtList && sh_.rt_elem[(size_t)l.idx] != K::Other) fail("a list of ints and data is not modelled by the simulator");
                    l = av(K::Data);
                    l.name = "a list of data";
                    nop(Op::Call);
                } else {
                    fail("extending " + std::string(kind_text(l.k)) + " with " + kind_text(v.k) + " is not modelled by the simulator");
                }
                break;
            }
            case POp::LIST_APPEND: {
                AV v = pop();
                if (in.arg < 1 || in.arg > (int)st.size()) fail("LIST_APPEND beyond the stack");
                const AV& l = st[st.size() - (size_t)in.arg];
                if (l.k != K::RtList) fail("a list comprehension inside a thread's function is not modelled by the simulator");
                add_item(l.idx, v);
                emit(Op::ListPush, l.idx, 0, check);
                break;
            }
            case POp::IMPORT_NAME: {
                AV fromlist = pop(), level = pop();
                drop(fromlist);
                drop(level);
                emit(Op::Nop, (int)Op::Call, 0, check);  // a module already imported: a dict lookup and a call
                st.push_back(ref_av(ar));
                break;
            }
            case POp::IMPORT_FROM: {
                if (st.empty() || st.back().k != K::Ref) fail("`from ... import` of something that is not a module");
                nop(Op::LoadGlobal);
                st.push_back(ref_av(st.back().name + "." + ar));
                break;
            }
            case POp::MAKE_FUNCTION: {
                if (minor_ <= 10) pop();  // the qualified name
                AV fn = pop();
                if (fn.k != K::Function && fn.k != K::ClassBody) fail("MAKE_FUNCTION of something that is not a function");
                for (int f : {8, 4, 2, 1})
                    if (minor_ < 13 && (in.arg & f)) drop(pop());  // closure, annotations, keyword defaults, defaults
                nop(Op::Call);
                st.push_back(fn);
                break;
            }
            case POp::SET_FUNCTION_ATTRIBUTE: {
                AV fn = pop();
                drop(pop());
                free_nop();
                st.push_back(fn);
                break;
            }
            case POp::SETUP_WITH:
            case POp::BEFORE_WITH: {
                AV v = pop();
                if (v.k != K::Lock) fail("`with` over " + std::string(kind_text(v.k)) + " is not modelled by the simulator (`with lock:` is)");
                emit(Op::LockAcquire, v.idx, 0, check);
                st.push_back(av(K::WithExit, v.idx));
                st.push_back(av(K::Data));  // what __enter__ returned (True)
                break;
            }
            case POp::RETURN_VALUE:
            case POp::RETURN_CONST: {
                AV v;
                if (in.op == POp::RETURN_CONST) {
                    const py::Constant& k = co.consts[(size_t)in.arg];
                    v = av(k.kind == py::ConstKind::None ? K::None : K::Int);
                    v.i = k.kind == py::ConstKind::Int ? k.i : k.kind == py::ConstKind::True ? 1 : 0;
                    if (k.kind != py::ConstKind::None && k.kind != py::ConstKind::Int && k.kind != py::ConstKind::True &&
                        k.kind != py::ConstKind::False)
                        fail("returning a constant other than an int or None is not modelled by the simulator");
                    emit(Op::LoadConst, konst(v.i), 0, Instr::kFree);
                } else {
                    v = pop();
                    if (v.k == K::RtList && comp_) {
                        sh_.comp_ret[fi_] = v;
                        emit(Op::LoadConst, konst(0), 0, Instr::kFree);
                    } else if (v.str) {
                        fail("returning a string is not modelled by the simulator (ints and None are)");
                    } else if (v.k == K::None || v.k == K::Data) emit(Op::LoadConst, konst(0), 0, Instr::kFree);
                    else need_int(v, "returning");
                }
                emit(Op::ReturnValue, 0, 0, check);
                falls_through = false;
                break;
            }
            case POp::GET_AWAITABLE:
                if (st.empty() || st.back().k != K::Awaitable) fail("`await` of anything but asyncio.sleep() inside a task is not modelled yet");
                free_nop();
                break;
            case POp::YIELD_FROM: {  // 3.9/3.10: [awaitable, None] -> [result]
                pop();
                AV aw = pop();
                if (aw.k != K::Awaitable) fail("`await` of anything but asyncio.sleep() is not modelled yet");
                emit(Op::AwaitSleep, konst(aw.i), 0, check);
                st.push_back(av(K::None));
                break;
            }
            case POp::SEND: {  // 3.11+: [awaitable, None]; the sleep completes and control jumps on
                if (st.size() < 2 || st[st.size() - 2].k != K::Awaitable) fail("`await` of anything but asyncio.sleep() is not modelled yet");
                const int64_t ns = st[st.size() - 2].i;
                emit(Op::AwaitSleep, konst(ns), 0, check);
                std::vector<AV> done = st;
                if (minor_ == 11) {
                    done.pop_back();
                    done.back() = av(K::None);
                }
                record(in.target, done);
                jump_to(Op::JumpForward, in.target, Instr::kFree);
                falls_through = false;
                break;
            }
            case POp::END_SEND:
                pop();
                pop();
                st.push_back(av(K::None));
                free_nop();
                break;
            case POp::BUILD_LIST:
                if (module_ || comp_) {
                    // Module code's lists hold values at run time (thread handles, results).
                    if (in.arg < 0 || in.arg > (int)st.size()) fail("a list beyond the stack");
                    bool data = in.arg > 0;
                    for (size_t i = st.size() - (size_t)in.arg; i < st.size(); ++i) data = data && width(st[i]) == 0;
                    if (data) {
                        // A list of floats, strings or lists (data a C call takes, such as numpy.dot's
                        // arrays): the simulator keeps nothing of it.
                        st.resize(st.size() - (size_t)in.arg);
                        nop(Op::LoadConst);
                        AV d = av(K::Data);
                        d.name = "a list of data";
                        st.push_back(d);
                        break;
                    }
                    const int slot = new_rt_list();
                    for (size_t i = st.size() - (size_t)in.arg; i < st.size(); ++i) add_item(slot, st[i]);
                    st.resize(st.size() - (size_t)in.arg);
                    emit(Op::ListNew, slot, in.arg, check);
                    st.push_back(av(K::RtList, slot));
                    break;
                }
                if (in.arg != 0) fail("a list display with items inside a thread's function is not modelled (an empty list is)");
                nop(Op::LoadConst);
                st.push_back(av(K::NewList));
                break;
            case POp::LOAD_BUILD_CLASS:
                if (!module_) fail("a class statement inside a function is not modelled by the simulator (define classes at module level)");
                nop(Op::LoadGlobal);
                st.push_back(ref_av("__build_class__"));
                break;
            default:
                fail(std::string(py::op_name(in.op)) + " (" + (ar.empty() ? "no argument" : ar) +
                     ") is not modelled by the simulator " + (module_ ? "in module code" : "inside a thread's function"));
            }
            // The version checks the eval breaker after this instruction: after the last of its
            // simulator steps, unless one of them already carries the check (the jump a
            // conditional jump that checks only when taken was split into).
            if (in.check_point) {
                bool has = false;
                for (size_t k = (size_t)first_[r]; k < out_.size(); ++k) has = has || (out_[k].flags & Instr::kCheck);
                if (!has && out_.size() > (size_t)first_[r]) out_.back().flags |= Instr::kCheck;
            }
            if (falls_through) record((int)r + 1, st);
        }
        first_[n] = (int)out_.size();
        for (auto [at, target] : fix_) {
            if (target < 0 || target > (int)n || first_[(size_t)target] < 0) fail("a jump to nowhere");
            out_[at].b = first_[(size_t)target];
        }
        F.nlocals = nlocals_;
        while (F.local_names.size() < (size_t)nlocals_) F.local_names.push_back("<iterator>");
        F.loops = false;
        F.calls.clear();
        for (size_t i = 0; i < out_.size(); ++i) {
            if (out_[i].op == Op::JumpBackward) F.loops = true;
            if (out_[i].op == Op::Call || out_[i].op == Op::ThreadNew || out_[i].op == Op::ProcessNew) F.calls.push_back(out_[i].a);
        }
        F.code = std::move(out_);
        out_.clear();
    }
};

}  // namespace

std::shared_ptr<Program> program_from_python(const std::string& source, const VersionRow& row, const LowerOptions& opt,
                                             const std::string& filename) {
    const VersionRow* bc = find_version(row.bytecode);
    const int minor = bc ? bc->minor : row.minor;
    std::shared_ptr<const py::ParsedProgram> parsed;
    try {
        parsed = py::compile_cached(source, minor, filename);  // shared with the Program view of the run
    } catch (const py::CompileError& e) {
        throw LowerError(filename + ", " + e.what());
    }
    const py::Module& m = parsed->module;
    const py::Compiled& c = parsed->compiled;
    auto p = std::make_shared<Program>();
    p->python = source;
    p->minor = minor;
    Env env;
    scan(env, m.body);
    scan_attributes(env);
    // Functions: the module's own code objects of `def`s, in order.
    std::vector<int> fn_code;
    for (int ci = 1; ci < (int)c.codes.size(); ++ci) {
        const py::CodeObject& co = c.codes[(size_t)ci];
        if (co.name.empty() || co.name[0] == '<') continue;  // comprehensions, lambdas
        if (!co.qualname.empty() && co.qualname != co.name) continue;  // methods, nested functions
        bool is_class = false;
        for (const auto& sp : m.body)
            if (sp->kind == py::StmtKind::ClassDef && sp->name == co.name) is_class = true;
        if (is_class) continue;
        Function f;
        f.name = co.name;
        f.code_object = ci;
        p->functions.push_back(std::move(f));
        fn_code.push_back(ci);
    }
    // The module's code runs as the main thread: a function of its own, after the `def`s (whose
    // indices stay what they were), with its comprehensions' code objects (3.9-3.11).
    std::set<std::string> fn_refs;  // names the functions use (their lists are shared ones)
    for (int ci = 1; ci < (int)c.codes.size(); ++ci) {
        const py::CodeObject& co = c.codes[(size_t)ci];
        if (co.qualname == "<listcomp>") {
            Function f;
            f.name = co.name;
            f.code_object = ci;
            p->functions.push_back(std::move(f));
            fn_code.push_back(ci);
        } else {
            fn_refs.insert(co.names.begin(), co.names.end());
        }
    }
    {
        Function f;
        f.name = "<module>";
        f.code_object = 0;
        p->module_fn = (int)p->functions.size();
        p->functions.push_back(std::move(f));
        fn_code.push_back(0);
    }
    // Classes, and for each module-level instance its methods: one function per (instance,
    // method) whose `self` is that instance, after the module's code.
    Shared sh;
    for (const auto& [name, def] : env.classes) {
        ClassInfo ci;
        ci.name = name;
        ci.def = def;
        for (int k = 1; k < (int)c.codes.size(); ++k)
            if (c.codes[(size_t)k].name == name && c.codes[(size_t)k].qualname == name &&
                std::count(c.codes[(size_t)k].names.begin(), c.codes[(size_t)k].names.end(), "__module__"))  // a class body sets __module__
                ci.code = k;
        sh.classes.push_back(ci);
    }
    std::map<std::string, AV> objects;
    for (const auto& [name, b] : env.names) {
        if (b.conflict || b.v.k != K::Instance || name.find('.') != std::string::npos) continue;
        InstanceInfo ii;
        ii.name = name;
        for (size_t k = 0; k < sh.classes.size(); ++k)
            if (sh.classes[k].name == b.v.name) ii.cls = (int)k;
        if (env.twice.count(b.v.name)) ii.error = "class " + b.v.name + " is defined twice; the simulator needs one definition";
        for (int ci = 1; ci < (int)c.codes.size() && ii.error.empty(); ++ci) {
            const py::CodeObject& co = c.codes[(size_t)ci];
            if (co.qualname != b.v.name + "." + co.name || co.name.empty() || co.name[0] == '<') continue;
            Function f;
            f.name = co.qualname;
            f.code_object = ci;
            ii.method_fn[co.name] = (int)p->functions.size();
            p->functions.push_back(std::move(f));
            fn_code.push_back(ci);
        }
        AV v = av(K::Instance, (int)sh.instances.size());
        v.name = name;
        objects[name] = v;
        sh.instances.push_back(std::move(ii));
    }
    sh.fn_inst.assign(p->functions.size(), -1);
    for (size_t i = 0; i < sh.instances.size(); ++i)
        for (const auto& [mname, fi] : sh.instances[i].method_fn) sh.fn_inst[(size_t)fi] = (int)i;
    // Declarations: the module's ints, locks, queues, lists and shared values (and its
    // instances' attributes, "c.count").
    for (auto& [name, b] : env.names) {
        if (b.conflict) continue;
        AV v = b.v;
        switch (v.k) {
        case K::Int: add_global(*p, name, v.known ? v.i : 0); break;
        case K::Lock: {
            const int l = add_lock(*p, name, v.of == K::Queue);
            p->locks[(size_t)l].reentrant = v.name == "RLock";
            objects[name] = av(K::Lock, l);
            break;
        }
        case K::Queue: objects[name] = av(K::Queue, add_queue(*p, name, v.of == K::Queue, 64)); break;
        case K::List:
            // A list only module code uses is a runtime list of values, made where its display is.
            if (fn_refs.count(name) || name.find('.') != std::string::npos) objects[name] = av(K::List, add_list(*p, name));
            break;
        case K::Value: {
            AV o = av(K::Value, add_global(*p, name + ".value", v.i, VarScope::SharedMemory));
            o.i = add_lock(*p, name + "._lock", true);  // Value(..., lock=True): its own RLock
            p->locks[(size_t)o.i].internal = true;
            objects[name] = o;
            break;
        }
        default: break;
        }
    }
    for (const auto& [name, o] : opt.objects) {
        AV v;
        switch (o.kind) {
        case ObjectOverride::Lock: v = av(K::Lock, add_lock(*p, name, o.cross_process)); break;
        case ObjectOverride::Queue: v = av(K::Queue, add_queue(*p, name, o.cross_process, o.item_bytes)); break;
        case ObjectOverride::List: v = av(K::List, add_list(*p, name)); break;
        case ObjectOverride::Value: {
            int g = p->global_index(name + ".value");
            v = av(K::Value, g >= 0 ? g : add_global(*p, name + ".value", 0, VarScope::SharedMemory));
            const int l = p->lock_index(name + "._lock");
            v.i = l >= 0 ? l : add_lock(*p, name + "._lock", true);
            p->locks[(size_t)v.i].internal = true;
            break;
        }
        }
        objects[name] = v;
    }
    Lowerer low(*p, c, env, objects, opt, fn_code, sh);
    // The functions and methods first, then the module's code (which lowers its comprehensions).
    for (size_t f = 0; f < p->functions.size(); ++f)
        if (p->functions[f].name != "<listcomp>" && (int)f != p->module_fn) low.lower((int)f);
    low.lower(p->module_fn);
    for (auto& f : p->functions)  // comprehensions are lowered where they are called
        if (f.name == "<listcomp>" && f.code.empty() && f.error.empty()) f.error = "a comprehension the module code does not run";
    return p;
}

std::string entry_error(const Program& p, int fn) {
    if (fn < 0 || fn >= (int)p.functions.size()) return "no such function";
    std::vector<char> seen(p.functions.size(), 0);
    std::function<std::string(int)> visit = [&](int f) -> std::string {
        if (seen[(size_t)f]) return "";
        seen[(size_t)f] = 1;
        const Function& F = p.functions[(size_t)f];
        if (!F.error.empty()) return F.error;
        for (int g : F.calls)
            if (std::string e = visit(g); !e.empty()) return e;
        return "";
    };
    return visit(fn);
}

std::string validate(const Program& p) {
    for (size_t fi = 0; fi < p.functions.size(); ++fi) {
        const Function& F = p.functions[fi];
        if (!F.error.empty()) {
            if (!F.code.empty()) return F.name + ": an unsupported function kept code";
            continue;
        }
        if (F.nargs > F.nlocals || (int)F.local_names.size() != F.nlocals) return F.name + ": locals";
        int last_real = -1;
        for (size_t i = 0; i < F.code.size(); ++i) {
            const Instr& in = F.code[i];
            const std::string at = F.name + "[" + std::to_string(i) + "]: ";
            if (in.real < last_real) return at + "real instructions out of order";
            last_real = in.real;
            switch (in.op) {
            case Op::PopJumpIfFalse: case Op::PopJumpIfTrue: case Op::JumpForward: case Op::JumpBackward: case Op::ForIter:
                if (in.b < 0 || in.b >= (int)F.code.size()) return at + "a jump outside the function";
                if (in.op == Op::JumpBackward && in.b > (int)i) return at + "a backward jump forward";
                if (in.op == Op::JumpForward && in.b <= (int)i) return at + "a forward jump backward";
                if (in.op != Op::ForIter) break;
                [[fallthrough]];
            case Op::GetIter:
                if (in.a < 0 || in.a + 1 >= F.nlocals) return at + "iterator slots";
                break;
            case Op::LoadFast: case Op::StoreFast:
                if (in.a < 0 || in.a >= F.nlocals) return at + "a local out of range";
                break;
            case Op::LoadGlobal: case Op::StoreGlobal:
                if (in.a < 0 || in.a >= (int)p.globals.size()) return at + "a global out of range";
                break;
            case Op::LoadConst: case Op::Sleep: case Op::CCallGil: case Op::CCallNoGil: case Op::Pickle: case Op::AwaitSleep:
                if (in.a < 0 || in.a >= (int)p.consts.size()) return at + "a constant out of range";
                break;
            case Op::Call:
                if (in.a < 0 || in.a >= (int)p.functions.size() || in.b < 0 || in.b > 8) return at + "a call";
                if (in.b != p.functions[(size_t)in.a].nargs) return at + "a call with the wrong number of ints";
                break;
            case Op::LockAcquire: case Op::LockRelease:
                if (in.a < 0 || in.a >= (int)p.locks.size()) return at + "a lock out of range";
                break;
            case Op::QueuePut: case Op::QueueGet:
                if (in.a < 0 || in.a >= (int)p.queues.size()) return at + "a queue out of range";
                break;
            case Op::ListAppend:
                if (in.a < -1 || in.a >= (int)p.lists.size()) return at + "a list out of range";
                break;
            case Op::ThreadNew: case Op::ProcessNew:
                if (in.a < 0 || in.a >= (int)p.functions.size() || in.b < 0 || in.b > 8) return at + "a thread's target";
                if (in.b != p.functions[(size_t)in.a].nargs) return at + "a thread started with the wrong number of ints";
                break;
            case Op::SetInterval:
                if (in.a < 0 || in.a >= (int)p.consts.size()) return at + "a constant out of range";
                break;
            case Op::Print: {
                if (in.a < 0 || in.a >= (int)p.prints.size()) return at + "a print() out of range";
                int values = 0;
                for (const auto& pc : p.prints[(size_t)in.a]) {
                    if (pc.kind == Program::PrintPiece::List && (pc.list < 0 || pc.list >= p.rt_lists)) return at + "a print() of a list out of range";
                    values += pc.kind != Program::PrintPiece::Text && pc.kind != Program::PrintPiece::List;
                }
                if (values != in.b) return at + "a print() that pops the wrong number of values";
                break;
            }
            case Op::ListNew: case Op::ListPush: case Op::ListItem: case Op::ListLen: case Op::ListExtend:
                if (in.a < 0 || in.a >= p.rt_lists) return at + "a runtime list out of range";
                break;
            case Op::ListIter:
                if (in.a < 0 || in.a + 1 >= F.nlocals) return at + "iterator slots";
                if (in.b < 0 || in.b >= p.rt_lists) return at + "a runtime list out of range";
                break;
            case Op::BinaryOp:
                if (in.a < 0 || in.a > (int)BinKind::Pow) return at + "an operator";
                break;
            case Op::CompareOp:
                if (in.a < 0 || in.a > (int)CmpKind::Ne) return at + "a comparison";
                break;
            case Op::Nop:
                if (in.a < 0 || in.a >= (int)Op::Count) return at + "a NOP's cost class";
                break;
            default: break;
            }
        }
        if (!F.code.empty()) {
            const Op last = F.code.back().op;
            if (last != Op::ReturnValue && last != Op::JumpBackward && last != Op::JumpForward && last != Op::Nop)
                return F.name + ": the code can run off its end";
        }
    }
    return "";
}

}  // namespace gil::sim
