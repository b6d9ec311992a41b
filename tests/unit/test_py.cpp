// test_py.cpp — the lab's Python front end (src/engine/py): the tokenizer and the parser on
// their own, compile errors for everything outside the subset and for the limits, and the
// disassembly of every recorded program against real CPython's `dis` (tests/py/golden).
//
// Golden comparison: every code object (by name on 3.9/3.10, qualname on 3.11+) and every
// instruction's opname and argrepr. Programs listed in tests/py/dis_pinned.txt must match
// exactly; the others are counted. scripts/pin_dis.sh regenerates the list (it runs this
// test with GILLAB_PIN_DIS_OUT=FILE, which writes every matching `<ver> <kind>/<stem>`).
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "doctest.h"
#include "engine/experiment.h"
#include "engine/py/ast.h"
#include "engine/py/bytecode.h"
#include "engine/py/token.h"
#include "engine/sim/from_python.h"
#include "engine/sim/sim.h"
#include "engine/versions.h"
#include "engine/vm/interp.h"

using namespace gil::py;
namespace fs = std::filesystem;

namespace {

const std::string kRoot = GILLAB_SOURCE_DIR;
const int kMinors[] = {9, 10, 11, 12, 13};

bool read_text(const std::string& path, std::string& out) {
    std::ifstream f(path, std::ios::binary);
    if (!f) return false;
    std::stringstream ss;
    ss << f.rdbuf();
    out = ss.str();
    return true;
}

// The files of a folder ending in `suffix`, sorted; false when the folder cannot be listed.
bool list_files(const std::string& dir, const std::string& suffix, std::vector<std::string>& out) {
    std::error_code ec;
    fs::directory_iterator it(dir, ec), end;
    if (ec) return false;
    for (; it != end; it.increment(ec)) {
        if (ec) return false;
        std::string name = it->path().filename().string();
        if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
            out.push_back(name);
    }
    std::sort(out.begin(), out.end());
    return true;
}

// Files of the source tree are readable natively and under Node (NODERAWFS); should a
// WebAssembly run not see them, the cases that need them are skipped, not failed.
bool tree_missing(const std::string& what) {
#ifdef __EMSCRIPTEN__
    MESSAGE("skipped under WebAssembly: cannot read " << what);
    return true;
#else
    FAIL("cannot read " << what);
    return true;
#endif
}

// ---- a minimal JSON reader for the golden files (the engine only writes JSON) ----------

struct JValue {
    enum Kind { Null, Bool, Num, Str, Arr, Obj } kind = Null;
    bool b = false;
    double n = 0;
    std::string s;
    std::vector<JValue> arr;
    std::vector<std::pair<std::string, JValue>> obj;
    const JValue* get(const std::string& key) const {
        for (const auto& kv : obj)
            if (kv.first == key) return &kv.second;
        return nullptr;
    }
};

struct JsonReader {
    const std::string& t;
    size_t i = 0;
    std::string error;
    explicit JsonReader(const std::string& text) : t(text) {}

    void ws() {
        while (i < t.size() && (t[i] == ' ' || t[i] == '\n' || t[i] == '\r' || t[i] == '\t')) ++i;
    }
    bool fail(const std::string& why) {
        if (error.empty()) error = why + " at byte " + std::to_string(i);
        return false;
    }
    static void utf8(uint32_t cp, std::string& o) {
        if (cp < 0x80) {
            o += (char)cp;
        } else if (cp < 0x800) {
            o += (char)(0xC0 | (cp >> 6));
            o += (char)(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            o += (char)(0xE0 | (cp >> 12));
            o += (char)(0x80 | ((cp >> 6) & 0x3F));
            o += (char)(0x80 | (cp & 0x3F));
        } else {
            o += (char)(0xF0 | (cp >> 18));
            o += (char)(0x80 | ((cp >> 12) & 0x3F));
            o += (char)(0x80 | ((cp >> 6) & 0x3F));
            o += (char)(0x80 | (cp & 0x3F));
        }
    }
    bool hex4(uint32_t& v) {
        if (i + 4 > t.size()) return fail("short \\u escape");
        v = 0;
        for (int k = 0; k < 4; ++k) {
            char c = t[i++];
            v <<= 4;
            if (c >= '0' && c <= '9') v |= (uint32_t)(c - '0');
            else if (c >= 'a' && c <= 'f') v |= (uint32_t)(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F') v |= (uint32_t)(c - 'A' + 10);
            else return fail("bad \\u escape");
        }
        return true;
    }
    bool string(std::string& o) {
        if (t[i] != '"') return fail("expected a string");
        ++i;
        while (i < t.size() && t[i] != '"') {
            char c = t[i++];
            if (c != '\\') {
                o += c;
                continue;
            }
            if (i >= t.size()) return fail("unterminated escape");
            char e = t[i++];
            switch (e) {
            case '"': o += '"'; break;
            case '\\': o += '\\'; break;
            case '/': o += '/'; break;
            case 'b': o += '\b'; break;
            case 'f': o += '\f'; break;
            case 'n': o += '\n'; break;
            case 'r': o += '\r'; break;
            case 't': o += '\t'; break;
            case 'u': {
                uint32_t cp = 0;
                if (!hex4(cp)) return false;
                if (cp >= 0xD800 && cp < 0xDC00 && i + 1 < t.size() && t[i] == '\\' && t[i + 1] == 'u') {
                    size_t save = i;
                    i += 2;
                    uint32_t lo = 0;
                    if (!hex4(lo)) return false;
                    if (lo >= 0xDC00 && lo < 0xE000) cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    else i = save;
                }
                utf8(cp, o);
                break;
            }
            default: return fail("bad escape");
            }
        }
        if (i >= t.size()) return fail("unterminated string");
        ++i;
        return true;
    }
    bool value(JValue& v, int depth = 0) {
        if (depth > 64) return fail("too deep");
        ws();
        if (i >= t.size()) return fail("unexpected end");
        char c = t[i];
        if (c == '{') {
            v.kind = JValue::Obj;
            ++i;
            ws();
            if (i < t.size() && t[i] == '}') return ++i, true;
            for (;;) {
                ws();
                std::string k;
                if (i >= t.size() || !string(k)) return fail("expected a key");
                ws();
                if (i >= t.size() || t[i] != ':') return fail("expected ':'");
                ++i;
                v.obj.emplace_back(std::move(k), JValue{});
                if (!value(v.obj.back().second, depth + 1)) return false;
                ws();
                if (i < t.size() && t[i] == ',') { ++i; continue; }
                if (i < t.size() && t[i] == '}') return ++i, true;
                return fail("expected ',' or '}'");
            }
        }
        if (c == '[') {
            v.kind = JValue::Arr;
            ++i;
            ws();
            if (i < t.size() && t[i] == ']') return ++i, true;
            for (;;) {
                v.arr.emplace_back();
                if (!value(v.arr.back(), depth + 1)) return false;
                ws();
                if (i < t.size() && t[i] == ',') { ++i; continue; }
                if (i < t.size() && t[i] == ']') return ++i, true;
                return fail("expected ',' or ']'");
            }
        }
        if (c == '"') {
            v.kind = JValue::Str;
            return string(v.s);
        }
        if (t.compare(i, 4, "true") == 0) { v.kind = JValue::Bool; v.b = true; i += 4; return true; }
        if (t.compare(i, 5, "false") == 0) { v.kind = JValue::Bool; i += 5; return true; }
        if (t.compare(i, 4, "null") == 0) { v.kind = JValue::Null; i += 4; return true; }
        size_t start = i;
        while (i < t.size() && (std::isdigit((unsigned char)t[i]) || t[i] == '-' || t[i] == '+' || t[i] == '.' ||
                                t[i] == 'e' || t[i] == 'E'))
            ++i;
        if (i == start) return fail("unexpected character");
        v.kind = JValue::Num;
        v.n = std::strtod(t.substr(start, i - start).c_str(), nullptr);
        return true;
    }
    bool parse(JValue& v) {
        if (!value(v)) return false;
        ws();
        return i == t.size() || fail("trailing text");
    }
};

// ---- golden comparison -----------------------------------------------------------------

struct GoldInstr {
    std::string opname, argrepr;
    std::string line;  // what dis prints in its first column: "12", "0", "--" (3.13's no line), "" (none)
};
struct GoldCode {
    std::string name;  // name (3.9/3.10) or qualname (3.11+)
    std::vector<GoldInstr> instrs;
};

bool load_golden(const std::string& path, int minor, std::vector<GoldCode>& out, std::string& err) {
    std::string text;
    if (!read_text(path, text)) return err = "cannot read " + path, false;
    JValue root;
    JsonReader r(text);
    if (!r.parse(root)) return err = path + ": " + r.error, false;
    const JValue* codes = root.get("codes");
    if (!codes || codes->kind != JValue::Arr) return err = path + ": no \"codes\" array", false;
    for (const JValue& c : codes->arr) {
        GoldCode gc;
        const JValue* nm = c.get(minor >= 11 ? "qualname" : "name");
        if (!nm) nm = c.get("name");
        if (nm && nm->kind == JValue::Str) gc.name = nm->s;
        if (const JValue* ins = c.get("instructions"))
            for (const JValue& in : ins->arr) {
                GoldInstr gi;
                if (const JValue* o = in.get("opname")) gi.opname = o->s;
                if (const JValue* a = in.get("argrepr")) gi.argrepr = a->s;
                const JValue* st = in.get("starts_line");
                if (st && st->kind == JValue::Bool && st->b) {
                    const JValue* ln = in.get("line");
                    gi.line = ln && ln->kind == JValue::Num ? std::to_string((long long)ln->n) : "--";
                }
                gc.instrs.push_back(std::move(gi));
            }
        out.push_back(std::move(gc));
    }
    return true;
}

std::string instr_text(const std::string& op, const std::string& rep, const std::string& line = "") {
    return (line.empty() ? "" : line + ": ") + (rep.empty() ? op : op + " (" + rep + ")");
}
// The line column dis prints for a compiled instruction (as GoldInstr::line).
std::string line_text(const Instruction& in) {
    if (!in.starts_line) return "";
    return in.line > 0 || in.line_zero ? std::to_string(in.line) : "--";
}

// "" when the compiled program equals the golden one; otherwise the first difference with
// a few instructions of context on both sides.
std::string compare(const Compiled& got, const std::vector<GoldCode>& want) {
    std::ostringstream o;
    const bool by_qual = got.minor >= 11;
    auto got_name = [&](const CodeObject& co) { return by_qual ? co.qualname : co.name; };
    size_t n = std::min(got.codes.size(), want.size());
    for (size_t ci = 0; ci < n; ++ci) {
        const CodeObject& g = got.codes[ci];
        const GoldCode& w = want[ci];
        if (got_name(g) != w.name) {
            o << "code object #" << ci << ": compiled '" << got_name(g) << "', CPython '" << w.name << "'";
            return o.str();
        }
        size_t m = std::max(g.instructions.size(), w.instrs.size());
        for (size_t k = 0; k < m; ++k) {
            bool have_g = k < g.instructions.size(), have_w = k < w.instrs.size();
            // Line numbers too: where dis starts a line and which.
            std::string gs = have_g ? instr_text(op_name(g.instructions[k].op), g.instructions[k].argrepr, line_text(g.instructions[k])) : "(end)";
            std::string ws = have_w ? instr_text(w.instrs[k].opname, w.instrs[k].argrepr, w.instrs[k].line) : "(end)";
            if (have_g && have_w && gs == ws) continue;
            o << "code object '" << w.name << "', instruction #" << k << ":\n";
            size_t from = k >= 3 ? k - 3 : 0, to = std::min(m, k + 4);
            char buf[512];
            std::snprintf(buf, sizeof buf, "    %-4s %-44s %s\n", "#", "compiled", "CPython");
            o << buf;
            for (size_t x = from; x < to; ++x) {
                std::string a = x < g.instructions.size() ? instr_text(op_name(g.instructions[x].op), g.instructions[x].argrepr, line_text(g.instructions[x])) : "";
                std::string b = x < w.instrs.size() ? instr_text(w.instrs[x].opname, w.instrs[x].argrepr, w.instrs[x].line) : "";
                std::snprintf(buf, sizeof buf, "  %s %-4zu %-44s %s\n", x == k ? ">" : " ", x, a.c_str(), b.c_str());
                o << buf;
            }
            return o.str();
        }
    }
    if (got.codes.size() != want.size()) {
        o << "compiled " << got.codes.size() << " code objects, CPython has " << want.size();
        return o.str();
    }
    return "";
}

// Where the source of a golden program lives.
std::string source_of(const std::string& kind, const std::string& stem) {
    return kind == "corpus" ? kRoot + "/tests/py/corpus/" + stem + ".py"
                            : kRoot + "/src/engine/experiments/programs/" + stem + ".py";
}

std::vector<Token> toks(const std::string& src) { return tokenize(src, Limits{}); }

std::vector<Tok> kinds(const std::vector<Token>& t) {
    std::vector<Tok> k;
    for (const auto& x : t) k.push_back(x.kind);
    return k;
}

int count(const std::vector<Token>& t, Tok k) {
    return (int)std::count_if(t.begin(), t.end(), [&](const Token& x) { return x.kind == k; });
}

// The CompileError compile_source throws for `src` (line 0 when none is thrown).
CompileError error_of(const std::string& src, const Limits& lim = {}, int minor = 12) {
    try {
        compile_source(src, minor, "t.py", lim);
    } catch (const CompileError& e) {
        return e;
    }
    return CompileError(0, 0, "");
}

}  // namespace

TEST_CASE("py: tokenizer gives INDENT and DEDENT per block, as CPython's tokenizer") {
    auto t = toks("if a:\n    if b:\n        x = 1\n    y = 2\nz = 3\n");
    CHECK(count(t, Tok::Indent) == 2);
    CHECK(count(t, Tok::Dedent) == 2);
    CHECK(count(t, Tok::Newline) == 5);
    CHECK(t.back().kind == Tok::End);
    // The two DEDENTs come before `z`, one after `y = 2`'s line.
    auto it = std::find_if(t.begin(), t.end(), [](const Token& x) { return x.kind == Tok::Name && x.text == "z"; });
    REQUIRE(it != t.end());
    CHECK(it->pos.line == 5);
    CHECK(it->pos.col == 1);
    CHECK((it - 1)->kind == Tok::Dedent);
    auto y = std::find_if(t.begin(), t.end(), [](const Token& x) { return x.kind == Tok::Name && x.text == "y"; });
    REQUIRE(y != t.end());
    CHECK(y->pos.col == 5);
    CHECK((y - 1)->kind == Tok::Dedent);
    // Dedent at the end of the file closes every open block.
    auto e = toks("def f():\n    for i in r:\n        pass");
    CHECK(count(e, Tok::Indent) == 2);
    CHECK(count(e, Tok::Dedent) == 2);
}

TEST_CASE("py: blank and comment lines produce no tokens") {
    auto plain = toks("def f():\n    x = 1\n    return x\n");
    auto noisy = toks("# header\n\ndef f():   # trailing\n\n    # inside, at another indent\n  # and another\n    x = 1\n\n\n"
                      "    return x  # done\n# last\n");
    CHECK(kinds(plain) == kinds(noisy));
    CHECK(count(noisy, Tok::Indent) == 1);
    auto only = toks("# nothing\n\n   \n# at all\n");
    CHECK(count(only, Tok::Newline) == 0);
    CHECK(count(only, Tok::Indent) == 0);
}

TEST_CASE("py: brackets and backslashes join lines") {
    auto joined = toks("x = f(1,\n      2,\n  3)\ny = [1,\n2]\n");
    CHECK(count(joined, Tok::Newline) == 2);
    CHECK(count(joined, Tok::Indent) == 0);
    auto back = toks("x = 1 + \\\n    2\n");
    CHECK(count(back, Tok::Newline) == 1);
    CHECK(count(back, Tok::Indent) == 0);
    // A joined statement still compiles, and its code carries the first line.
    Module m = parse("total = (1 +\n         2)\nprint(total)\n");
    REQUIRE(m.body.size() == 2);
    CHECK(m.body[0]->pos.line == 1);
    CHECK(m.body[1]->pos.line == 3);
}

TEST_CASE("py: the parser builds the AST the compiler walks") {
    Module m = parse("import threading\n\ncounter = 0\n\ndef work(n, step=1):\n    global counter\n"
                     "    for _ in range(n):\n        counter += step\n\nif counter:\n    pass\nelif x:\n    pass\n"
                     "else:\n    work(3)\n");
    REQUIRE(m.body.size() == 4);
    CHECK(m.body[0]->kind == StmtKind::Import);
    CHECK(m.body[1]->kind == StmtKind::Assign);
    const Stmt& def = *m.body[2];
    REQUIRE(def.kind == StmtKind::FunctionDef);
    CHECK(def.name == "work");
    CHECK(def.names == std::vector<std::string>{"n", "step"});
    CHECK(def.defaults.size() == 1);
    REQUIRE(def.body.size() == 2);
    CHECK(def.body[0]->kind == StmtKind::Global);
    CHECK(def.body[1]->kind == StmtKind::For);
    REQUIRE(def.body[1]->body.size() == 1);
    CHECK(def.body[1]->body[0]->kind == StmtKind::AugAssign);
    const Stmt& iff = *m.body[3];
    REQUIRE(iff.kind == StmtKind::If);
    CHECK(iff.else_is_elif);
    REQUIRE(iff.orelse.size() == 1);
    CHECK(iff.orelse[0]->kind == StmtKind::If);
    CHECK(iff.orelse[0]->orelse.size() == 1);
}

TEST_CASE("py: syntax errors carry a line, a column and a sentence") {
    struct Case {
        const char* src;
        int line;
    } cases[] = {
        {"x = (1,\n", 1},
        {"def f():\nreturn 1\n", 2},
        {"if x:\n    a = 1\n  b = 2\n", 3},
        {"x = 'abc\n", 1},
        {"x = 1\n    y = 2\n", 2},
        {"x = $\n", 1},
    };
    for (const auto& c : cases) {
        CAPTURE(c.src);
        CompileError e = error_of(c.src);
        CHECK(e.line == c.line);
        CHECK(e.col > 0);
        CHECK(e.message.size() > 10);
    }
}

// An error found at the NEWLINE token points at that line's end (CPython: "x = 1 +" is 1:8).
TEST_CASE("py: an error at the end of a line points into that line") {
    CompileError e = error_of("x = 1 +\n");
    CHECK(e.line == 1);
    CHECK(e.col == 8);
}

void check_refused(const std::string& dir, const std::string& f) {
    std::string src;
    REQUIRE(read_text(dir + "/" + f, src));
    for (int minor : kMinors) {
        CAPTURE(f);
        CAPTURE(minor);
        try {
            compile_source(src, minor, f);
            FAIL_CHECK("compiled without an error");
        } catch (const CompileError& e) {
            CAPTURE(e.message);
            CHECK(e.line > 0);
            CHECK(e.col > 0);
            const bool explained = e.message.find("not supported") != std::string::npos ||
                                   e.message.find("invalid syntax") != std::string::npos ||
                                   e.message.find("expected") != std::string::npos;
            CHECK(explained);
            // The error is on a line of the program (the first line is the `# error:` comment).
            CHECK(e.line >= 2);
            CHECK(e.line <= (int)std::count(src.begin(), src.end(), '\n') + 1);
        }
    }
}

TEST_CASE("py: every program of tests/py/errors is refused with line, column and a sentence") {
    std::vector<std::string> files;
    const std::string dir = kRoot + "/tests/py/errors";
    if (!list_files(dir, ".py", files) || files.empty()) {
        tree_missing(dir);
        return;
    }
    for (const auto& f : files) check_refused(dir, f);
}

TEST_CASE("py: the limits on size, lines, nesting, functions and instructions have their own messages") {
    Limits lim;
    SUBCASE("blocks nested too deep") {
        std::string src;
        for (int d = 0; d <= lim.max_nesting + 1; ++d) src += std::string((size_t)d * 4, ' ') + "if x:\n";
        src += std::string((size_t)(lim.max_nesting + 2) * 4, ' ') + "pass\n";
        CompileError e = error_of(src);
        CHECK(e.line > lim.max_nesting);
        CHECK(e.message.find("nested more than " + std::to_string(lim.max_nesting)) != std::string::npos);
    }
    SUBCASE("brackets nested too deep") {
        std::string src = "x = " + std::string(100, '(') + "1" + std::string(100, ')') + "\n";
        CompileError e = error_of(src);
        CHECK(e.line == 1);
        CHECK(e.col > lim.max_nesting);
        CHECK(e.message.find("nested more than") != std::string::npos);
    }
    SUBCASE("expressions nested too deep") {
        std::string src = "x = " + std::string(400, '-') + "1\n";
        CompileError e = error_of(src);
        CHECK(e.line == 1);
        CHECK(e.message.find("nests expressions more than") != std::string::npos);
    }
    SUBCASE("too many lines") {
        Limits small;
        small.max_lines = 10;
        std::string src;
        for (int i = 0; i < 20; ++i) src += "x = " + std::to_string(i) + "\n";
        CompileError e = error_of(src, small);
        CHECK(e.line == 11);
        CHECK(e.message.find("more than 10 lines") != std::string::npos);
    }
    SUBCASE("too many bytes") {
        Limits small;
        small.max_source_bytes = 100;
        CompileError e = error_of(std::string(200, '#') + "\n", small);
        CHECK(e.line > 0);
        CHECK(e.message.find("100 bytes") != std::string::npos);
    }
    SUBCASE("too many functions") {
        Limits small;
        small.max_functions = 3;
        std::string src;
        for (int i = 0; i < 5; ++i) src += "def f" + std::to_string(i) + "():\n    pass\n";
        CompileError e = error_of(src, small);
        CHECK(e.line == 7);
        CHECK(e.message.find("more than 3 functions") != std::string::npos);
    }
    SUBCASE("too many instructions") {
        Limits small;
        small.max_instructions = 50;
        std::string src;
        for (int i = 0; i < 60; ++i) src += "x = " + std::to_string(i) + "\n";
        CompileError e = error_of(src, small);
        CHECK(e.line > 0);
        CHECK(e.message.find("50 instructions") != std::string::npos);
    }
}

TEST_CASE("py: the disassembly equals real CPython's dis (tests/py/golden, pinned in tests/py/dis_pinned.txt)") {
    const std::string golden = kRoot + "/tests/py/golden";
    std::string pinned_text;
    if (!read_text(kRoot + "/tests/py/dis_pinned.txt", pinned_text)) {
        tree_missing(kRoot + "/tests/py/dis_pinned.txt");
        return;
    }
    std::set<std::string> pinned, seen;
    {
        std::istringstream in(pinned_text);
        for (std::string l; std::getline(in, l);) {
            while (!l.empty() && (l.back() == '\r' || l.back() == ' ')) l.pop_back();
            if (l.empty() || l[0] == '#') continue;
            pinned.insert(l);
        }
    }
    std::vector<std::string> matching;
    for (int minor : kMinors) {
        const std::string ver = "3." + std::to_string(minor);
        int total = 0, match = 0;
        for (const std::string kind : {"corpus", "experiments"}) {
            std::vector<std::string> files;
            const std::string dir = golden + "/" + ver + "/" + kind;
            if (!list_files(dir, ".dis.json", files)) {
                tree_missing(dir);
                return;
            }
            for (const auto& f : files) {
                const std::string stem = f.substr(0, f.size() - 9);
                const std::string key = ver + " " + kind + "/" + stem;
                CAPTURE(key);
                ++total;
                std::vector<GoldCode> want;
                std::string err, src;
                if (!load_golden(dir + "/" + f, minor, want, err)) {
                    FAIL(err);
                    continue;
                }
                if (!read_text(source_of(kind, stem), src)) {
                    FAIL("no source for " << key << " at " << source_of(kind, stem));
                    continue;
                }
                std::string diff;
                try {
                    Compiled c = compile_source(src, minor, stem + ".py");
                    diff = compare(c, want);
                } catch (const CompileError& e) {
                    diff = "compile error at " + std::to_string(e.line) + ":" + std::to_string(e.col) + ": " + e.message;
                }
                const bool is_pinned = pinned.count(key) > 0;
                seen.insert(key);
                if (diff.empty()) {
                    ++match;
                    matching.push_back(key);
                } else if (is_pinned) {
                    FAIL_CHECK("pinned program " << key << " no longer matches CPython " << ver << "'s dis:\n" << diff);
                }
            }
        }
        MESSAGE("CPython " << ver << ": " << match << " of " << total << " golden programs match dis exactly");
    }
    for (const auto& p : pinned) {
        CAPTURE(p);
        CHECK_MESSAGE(seen.count(p) > 0, "dis_pinned.txt names a program with no golden file");
    }
    if (const char* out = std::getenv("GILLAB_PIN_DIS_OUT")) {
        std::ofstream f(out, std::ios::binary | std::ios::trunc);
        for (const auto& k : matching) f << k << "\n";
        MESSAGE("wrote " << matching.size() << " matching programs to " << out);
    }
}

TEST_CASE("py: compiling for 3.9-3.13 gives each version's own instructions") {
    const std::string src = "counter = 0\n\ndef work(n):\n    global counter\n    for _ in range(n):\n        counter += 1\n";
    auto ops_of = [&](int minor) {
        Compiled c = compile_source(src, minor, "race.py");
        const CodeObject* w = c.find("work");
        REQUIRE(w != nullptr);
        std::vector<std::string> ops;
        for (const auto& in : w->instructions) ops.push_back(op_name(in.op));
        return ops;
    };
    auto has = [](const std::vector<std::string>& v, const char* op) { return std::find(v.begin(), v.end(), op) != v.end(); };
    auto o9 = ops_of(9), o12 = ops_of(12);
    CHECK(has(o9, "INPLACE_ADD"));
    CHECK(!has(o9, "RESUME"));
    CHECK(has(o12, "BINARY_OP"));
    CHECK(has(o12, "RESUME"));
    CHECK(has(o12, "END_FOR"));
    CHECK(!dis_text(compile_source(src, 13, "race.py")).empty());
    CHECK(dis_json(compile_source(src, 11, "race.py")).rfind("{\"version\": \"3.11\"", 0) == 0);
}

// ---- the VM against real CPython's output -----------------------------------------------
// Every corpus program with a recorded output (tests/py/golden/<ver>/corpus/<stem>.out) is
// compiled for that version and run by the lab's VM; its printed output must equal CPython's
// byte for byte. Programs listed in tests/py/vm_pinned.txt must match; the rest are counted.
// scripts/pin_dis.sh regenerates both lists.
// The corpus programs with an output recorded from CPython 3.`minor`: their stem, "3.x stem",
// the recorded output and the source. False (and reported) when the golden tree is missing.
struct CorpusOutput {
    std::string stem, key, want, src;
};
bool corpus_outputs(int minor, size_t& recorded, std::vector<CorpusOutput>& out) {
    const std::string ver = "3." + std::to_string(minor);
    const std::string dir = kRoot + "/tests/py/golden/" + ver + "/corpus";
    std::vector<std::string> files;
    if (!list_files(dir, ".out", files)) {
        tree_missing(dir);
        return false;
    }
    recorded = files.size();
    for (const auto& f : files) {
        CorpusOutput c;
        c.stem = f.substr(0, f.size() - 4);
        c.key = ver + " " + c.stem;
        REQUIRE(read_text(dir + "/" + f, c.want));
        REQUIRE(read_text(kRoot + "/tests/py/corpus/" + c.stem + ".py", c.src));
        out.push_back(std::move(c));
    }
    return true;
}

TEST_CASE("py: programs run by the VM print what real CPython prints (tests/py/golden/*/corpus/*.out)") {
    std::string pinned_text;
    if (!read_text(kRoot + "/tests/py/vm_pinned.txt", pinned_text)) {
        tree_missing(kRoot + "/tests/py/vm_pinned.txt");
        return;
    }
    std::set<std::string> pinned;
    {
        std::istringstream in(pinned_text);
        for (std::string l; std::getline(in, l);) {
            while (!l.empty() && (l.back() == '\r' || l.back() == ' ')) l.pop_back();
            if (!l.empty() && l[0] != '#') pinned.insert(l);
        }
    }
    std::vector<std::string> matching;
    for (int minor : kMinors) {
        const std::string ver = "3." + std::to_string(minor);
        std::vector<CorpusOutput> corpus;
        size_t recorded = 0;
        if (!corpus_outputs(minor, recorded, corpus)) return;
        int match = 0;
        for (const CorpusOutput& c : corpus) {
            const std::string &key = c.key, &want = c.want, &src = c.src;  // not bindings: doctest's macros capture them
            CAPTURE(key);
            gil::vm::VmResult r = gil::vm::run_python(src, minor);
            const bool ok = r.error.empty() && r.output == want;
            if (ok) {
                ++match;
                matching.push_back(key);
            } else if (pinned.count(key)) {
                FAIL_CHECK("pinned program " << key << " no longer prints what CPython " << ver << " prints\n--- CPython:\n"
                                             << want << "--- the lab:\n" << r.output << (r.error.empty() ? "" : "--- error:\n" + r.error));
            }
        }
        MESSAGE("CPython " << ver << ": the VM prints exactly what CPython prints for " << match << " of " << recorded
                           << " corpus programs");
    }
    if (const char* out = std::getenv("GILLAB_PIN_VM_OUT")) {
        std::ofstream f(out, std::ios::binary | std::ios::trunc);
        for (const auto& k : matching) f << k << "\n";
    }
}

// ---- the simulator against real CPython's output ---------------------------------------------
// The simulator runs a narrower subset than the VM (ints, locks, threads, instances of module-level
// classes, ...). Every corpus program it takes must print, simulated with the version's GIL,
// exactly what real CPython printed; the ones it refuses are counted. The classes and the
// threaded `self.count += 1` programs must be among those it takes.
TEST_CASE("py: corpus programs the simulator takes print, simulated, what real CPython prints") {
    std::set<std::string> taken;
    for (int minor : kMinors) {
        const std::string ver = "3." + std::to_string(minor);
        const gil::VersionRow* row = gil::find_version(ver);
        REQUIRE(row);
        std::vector<CorpusOutput> corpus;
        size_t recorded = 0;
        if (!corpus_outputs(minor, recorded, corpus)) return;
        int ran = 0, shown = 0;
        auto placeholder = [](const std::string& out) {
            for (size_t i = out.find('<'); i != std::string::npos; i = out.find('<', i + 1)) {
                const size_t e = out.find('>', i);
                if (e == std::string::npos) return false;
                bool words = e > i + 1;
                for (size_t k = i + 1; k < e && words; ++k) words = std::islower((unsigned char)out[k]) || out[k] == ' ' || out[k] == '.';
                if (words) return true;
            }
            return false;
        };
        for (const CorpusOutput& c : corpus) {
            const std::string &key = c.key, &want = c.want, &src = c.src;  // not bindings: doctest's macros capture them
            CAPTURE(key);
            std::shared_ptr<const gil::sim::Program> p;
            try {
                p = gil::sim::program_from_python(src, *row);
            } catch (const gil::sim::LowerError&) {
                continue;
            }
            REQUIRE_MESSAGE(gil::sim::validate(*p) == "", gil::sim::validate(*p));
            if (!gil::sim::entry_error(*p, p->module_fn).empty()) continue;
            gil::sim::SimConfig cfg;
            cfg.profile = gil::sim::profile_for(*row);
            cfg.program = p;
            cfg.record_trace = false;
            gil::sim::ThreadSpec t;
            t.name = "MainThread";
            t.function = p->module_fn;
            cfg.threads.push_back(t);
            gil::sim::SimResult r = gil::sim::Simulator(cfg, 1).run();
            CHECK_MESSAGE(r.completed, r.error);
            // What the simulator does not keep (a shared list's items, an object) it prints as a
            // placeholder such as <list>: such a line is not compared.
            if (r.output != want && (placeholder(r.output) || r.int_wrapped)) {
                ++shown;
                continue;
            }
            CHECK_MESSAGE(r.output == want, "--- CPython " << ver << ":\n" << want << "--- the simulator:\n" << r.output);
            ++ran;
            taken.insert(key);
        }
        MESSAGE("CPython " << ver << ": the simulator takes " << ran + shown << " of " << recorded << " corpus programs; "
                << ran << " print exactly what CPython prints, " << shown << " show a value it does not keep as a placeholder or an int beyond 64 bits");
    }
    for (const char* k : {"3.9 class_counter", "3.12 class_counter", "3.10 race_method", "3.13 race_method"})
        CHECK_MESSAGE(taken.count(k), k << " is not taken by the simulator");
}

// ---- what `describe ID` and the UI show ----------------------------------------------------
// Every simulated experiment shows its Python file compiled for the version's bytecode; with
// the default parameters that is exactly what real CPython's dis printed for the file
// (tests/py/golden/<ver>/experiments), every code object and instruction, on every version.
TEST_CASE("py: every simulated experiment shows its Python as real CPython's dis does, on 3.9-3.13") {
    int checked = 0, unpinned = 0;
    std::string pinned_text;
    if (!read_text(kRoot + "/tests/py/dis_pinned.txt", pinned_text)) {
        tree_missing(kRoot + "/tests/py/dis_pinned.txt");
        return;
    }
    for (const auto& e : gil::experiments()) {
        if (!e.program) continue;
        for (int minor : kMinors) {
            const std::string ver = "3." + std::to_string(minor);
            gil::ParamSet p = gil::ParamSet::defaults(e.params);
            if (p.index_of("version") < 0) continue;
            REQUIRE(p.set("version", ver).empty());
            auto v = gil::program_view(e, p);
            REQUIRE(v);
            CAPTURE(e.id);
            CAPTURE(ver);
            if (e.id.rfind("test.", 0) == 0) continue;  // the test-only record has no Python file
            REQUIRE_MESSAGE(!v->file.empty(), "no Python file in src/engine/experiments/programs for " << e.id);
            const std::string stem = v->file.substr(0, v->file.size() - 3);
            // Programs the front end does not match yet (tests/py/dis_pinned.txt) are counted, not checked.
            if (pinned_text.find(ver + " experiments/" + stem + "\n") == std::string::npos) {
                ++unpinned;
                continue;
            }
            std::vector<GoldCode> want;
            std::string err;
            if (!load_golden(kRoot + "/tests/py/golden/" + ver + "/experiments/" + stem + ".dis.json", minor, want, err)) {
                tree_missing(err);
                return;
            }
            REQUIRE(v->codes.size() == want.size());
            for (size_t c = 0; c < want.size(); ++c) {
                CHECK(v->codes[c].name == want[c].name);
                REQUIRE(v->codes[c].lines.size() == want[c].instrs.size());
                for (size_t k = 0; k < want[c].instrs.size(); ++k) {
                    CAPTURE(k);
                    CHECK(v->codes[c].lines[k].opname == want[c].instrs[k].opname);
                    CHECK(v->codes[c].lines[k].argrepr == want[c].instrs[k].argrepr);
                }
            }
            ++checked;
        }
    }
    MESSAGE(checked << " experiment programs x versions shown exactly as dis prints them; " << unpinned << " not matched yet");
    CHECK(checked + unpinned >= 13 * 5);
    CHECK(unpinned == 0);  // every experiment program on every version, as dis prints it
}

// race.counter's work(): the issue's own example, as `dis.dis(work)` prints it on 3.12.
TEST_CASE("py: race.counter's work() on 3.12 is RESUME, LOAD_GLOBAL (NULL + range), ... END_FOR, RETURN_CONST") {
    const gil::ExperimentSpec* e = gil::find_experiment("race.counter");
    REQUIRE(e);
    gil::ParamSet p = gil::ParamSet::defaults(e->params);
    REQUIRE(p.set("version", "3.12").empty());
    auto v = gil::program_view(*e, p);
    REQUIRE(v);
    const gil::CodeView* work = nullptr;
    for (const auto& c : v->codes)
        if (c.name == "work") work = &c;
    REQUIRE(work);
    std::vector<std::string> ops;
    for (const auto& d : work->lines) ops.push_back(d.opname + (d.argrepr.empty() ? "" : " " + d.argrepr));
    const std::vector<std::string> want = {"RESUME", "LOAD_GLOBAL NULL + range", "LOAD_FAST n", "CALL", "GET_ITER",
                                           "FOR_ITER to 50", "STORE_FAST _", "LOAD_GLOBAL counter", "LOAD_CONST 1",
                                           "BINARY_OP +=", "STORE_GLOBAL counter", "JUMP_BACKWARD to 24", "END_FOR",
                                           "RETURN_CONST None"};
    CHECK(ops == want);
    // The simulator's trace pcs of work() land on the matching instructions of the Python.
    const gil::DisLine* store = nullptr;
    for (uint32_t i = 0; i < 64 && !store; ++i) {
        const gil::DisLine* d = v->at(i | (0u << 16));
        if (d && d->opname == "STORE_GLOBAL") store = d;
    }
    CHECK(store != nullptr);
}
