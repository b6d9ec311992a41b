// token.cpp — the tokenizer (see token.h).
#include "engine/py/token.h"

#include <cerrno>
#include <cstdlib>

namespace gil::py {

namespace {

bool is_ident_start(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_ident(unsigned char c) { return is_ident_start(c) || (c >= '0' && c <= '9'); }
bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

// Operators, longest first so that `**=` wins over `**` and `*`.
const char* const kOps[] = {"**=", "//=", ">>=", "<<=", "...", "->", "**", "//", "<<", ">>", "<=", ">=", "==", "!=",
                            "+=",  "-=",  "*=",  "/=",  "%=",  "&=", "|=", "^=", ":=", "@=", "+",  "-",  "*",  "/",
                            "%",   "<",   ">",   "=",   "(",   ")",  "[",  "]",  "{",  "}",  ",",  ":",  ".",  ";",
                            "@",   "&",   "|",   "^",   "~"};

class Lexer {
public:
    Lexer(const std::string& s, const Limits& lim) : src_(s), lim_(lim) {}

    std::vector<Token> run() {
        if (src_.size() > lim_.max_source_bytes)
            throw CompileError(1, 1, "the program is " + std::to_string(src_.size()) + " bytes; the lab compiles at most " +
                                         std::to_string(lim_.max_source_bytes) + " bytes");
        indents_.push_back(0);
        bool at_line_start = true;
        while (i_ < src_.size()) {
            if (at_line_start) {
                if (!line_start()) continue;  // blank or comment-only line: the next one starts a line too
                at_line_start = false;
            }
            unsigned char c = (unsigned char)src_[i_];
            if (c == '\n') {
                Pos end_of_line = pos_at(i_);
                newline_char();
                if (depth_ == 0) {
                    push(Tok::Newline, "", end_of_line);
                    at_line_start = true;
                }
                ++i_;
                continue;
            }
            if (c == ' ' || c == '\t' || c == '\r' || c == '\f') { ++i_; continue; }
            if (c == '#') { while (i_ < src_.size() && src_[i_] != '\n') ++i_; continue; }
            if (c == '\\') {
                if (i_ + 1 < src_.size() && src_[i_ + 1] == '\n') { i_ += 2; newline_char(); continue; }
                if (i_ + 2 < src_.size() && src_[i_ + 1] == '\r' && src_[i_ + 2] == '\n') { i_ += 3; newline_char(); continue; }
                fail(pos_at(i_), "unexpected character after line continuation character");
            }
            if (is_ident_start(c)) { name(); continue; }
            if (c >= 0x80) fail(pos_at(i_), "non-ASCII names and characters outside strings are not supported by the lab's Python");
            if (is_digit(c) || (c == '.' && i_ + 1 < src_.size() && is_digit((unsigned char)src_[i_ + 1]))) { number(); continue; }
            if (c == '"' || c == '\'') { string(); continue; }
            op();
        }
        Pos end = pos_at(i_);
        if (depth_ > 0) fail(open_pos_, "'" + open_char_ + "' was never closed");
        if (!toks_.empty() && toks_.back().kind != Tok::Newline) push(Tok::Newline, "", end);
        while (indents_.size() > 1) { indents_.pop_back(); push(Tok::Dedent, "", end); }
        push(Tok::End, "", end);
        return std::move(toks_);
    }

private:
    [[noreturn]] void fail(Pos p, const std::string& msg) { throw CompileError(p.line, p.col, msg); }
    Pos pos_at(size_t at) const { return {line_, (int)(at - line_begin_) + 1}; }
    void newline_char() {
        ++line_;
        line_begin_ = i_ + 1;
        if (line_ > lim_.max_lines)
            fail({line_, 1}, "the program has more than " + std::to_string(lim_.max_lines) + " lines (the lab's limit)");
    }
    void push(Tok k, std::string text, Pos p) { toks_.push_back({k, std::move(text), p, {}, false}); }

    // Measures the indentation of a new logical line and emits INDENT/DEDENT. Returns
    // false for a blank or comment-only line (consumed up to and including its newline).
    bool line_start() {
        int col = 0;
        size_t j = i_;
        bool tabs = false, spaces = false;
        while (j < src_.size() && (src_[j] == ' ' || src_[j] == '\t' || src_[j] == '\f')) {
            if (src_[j] == '\t') { col = (col / 8 + 1) * 8; tabs = true; }
            else if (src_[j] == ' ') { ++col; spaces = true; }
            else col = 0;
            ++j;
        }
        if (j >= src_.size()) { i_ = j; return false; }
        if (src_[j] == '#' || src_[j] == '\n' || src_[j] == '\r') {
            while (j < src_.size() && src_[j] != '\n') ++j;
            i_ = j;
            if (i_ < src_.size()) { newline_char(); ++i_; }
            return false;
        }
        if (tabs && spaces) fail({line_, 1}, "inconsistent use of tabs and spaces in indentation");
        i_ = j;
        Pos p = pos_at(i_);
        if (col > indents_.back()) {
            indents_.push_back(col);
            if ((int)indents_.size() > lim_.max_nesting)
                fail(p, "blocks are nested more than " + std::to_string(lim_.max_nesting) + " deep (the lab's limit)");
            push(Tok::Indent, "", p);
        } else {
            while (col < indents_.back()) {
                indents_.pop_back();
                push(Tok::Dedent, "", p);
            }
            if (col != indents_.back()) fail(p, "unindent does not match any outer indentation level");
        }
        return true;
    }

    void name() {
        size_t b = i_;
        while (i_ < src_.size() && is_ident((unsigned char)src_[i_])) ++i_;
        Pos p = pos_at(b);
        std::string w = src_.substr(b, i_ - b);
        // String prefixes (f"", b"", r"") are outside the subset: say so precisely.
        if (i_ < src_.size() && (src_[i_] == '"' || src_[i_] == '\'') && w.size() <= 2) {
            bool is_prefix = true;
            for (char ch : w) is_prefix = is_prefix && std::string("rRbBfFuU").find(ch) != std::string::npos;
            if (is_prefix) {
                if (w == "u" || w == "U") { string(); toks_.back().pos = p; return; }
                bool f = w.find_first_of("fF") != std::string::npos;
                bool by = w.find_first_of("bB") != std::string::npos;
                if (by && w.find_first_of("rR") == std::string::npos) { string(); toks_.back().pos = p; toks_.back().bytes = true; return; }
                fail(p, std::string(f ? "f-strings" : "raw strings") + " are not supported by the lab's Python; supported: " + subset_text());
            }
        }
        push(Tok::Name, std::move(w), p);
    }

    void number() {
        size_t b = i_;
        Pos p = pos_at(b);
        std::string digits;
        bool is_float = false;
        int base = 10;
        if (src_[i_] == '0' && i_ + 1 < src_.size() && std::string("xXoObB").find(src_[i_ + 1]) != std::string::npos) {
            char k = (char)(src_[i_ + 1] | 0x20);
            base = k == 'x' ? 16 : k == 'o' ? 8 : 2;
            i_ += 2;
        }
        auto digit_ok = [&](unsigned char c) {
            if (base == 16) return is_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
            if (base == 8) return c >= '0' && c <= '7';
            if (base == 2) return c == '0' || c == '1';
            return is_digit(c);
        };
        while (i_ < src_.size()) {
            unsigned char c = (unsigned char)src_[i_];
            if (digit_ok(c)) { digits += (char)c; ++i_; }
            else if (c == '_' && i_ + 1 < src_.size() && digit_ok((unsigned char)src_[i_ + 1]) && !digits.empty()) ++i_;
            else if (base == 10 && (c == '.' || c == 'e' || c == 'E')) {
                is_float = true;
                if (c == 'e' || c == 'E') {
                    digits += 'e';
                    ++i_;
                    if (i_ < src_.size() && (src_[i_] == '+' || src_[i_] == '-')) digits += src_[i_++];
                    if (i_ >= src_.size() || !is_digit((unsigned char)src_[i_])) fail(p, "invalid decimal literal");
                } else { digits += '.'; ++i_; }
            } else break;
        }
        if (i_ < src_.size() && ((src_[i_] | 0x20) == 'j')) fail(p, "complex numbers are not supported by the lab's Python");
        if (i_ < src_.size() && is_ident_start((unsigned char)src_[i_])) fail(p, "invalid decimal literal");
        if (digits.empty()) fail(p, "invalid number literal");
        Token t{Tok::Number, src_.substr(b, i_ - b), p, {}, false};
        if (is_float) {
            t.number.kind = ConstKind::Float;
            errno = 0;
            t.number.f = std::strtod(digits.c_str(), nullptr);
        } else {
            if (base == 10 && digits.size() > 1 && digits[0] == '0' && digits.find_first_not_of('0') != std::string::npos)
                fail(p, "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers");
            // Exact value in int64 when it fits; otherwise kept as decimal text (a BigInt).
            unsigned long long v = 0;
            bool overflow = false;
            for (char ch : digits) {
                unsigned d = is_digit((unsigned char)ch) ? (unsigned)(ch - '0') : (unsigned)((ch | 0x20) - 'a' + 10);
                if (v > (~0ull - d) / (unsigned)base) { overflow = true; break; }
                v = v * (unsigned)base + d;
            }
            if (!overflow && v <= (unsigned long long)INT64_MAX) {
                t.number.kind = ConstKind::Int;
                t.number.i = (int64_t)v;
            } else {
                if (base != 10) fail(p, "integer literals beyond 64 bits must be written in decimal in the lab's Python");
                t.number.kind = ConstKind::BigInt;
                t.number.s = digits;
            }
        }
        toks_.push_back(std::move(t));
    }

    void string() {
        Pos p = pos_at(i_);
        char q = src_[i_];
        bool triple = i_ + 2 < src_.size() && src_[i_ + 1] == q && src_[i_ + 2] == q;
        i_ += triple ? 3 : 1;
        std::string out;
        for (;;) {
            if (i_ >= src_.size()) fail(p, triple ? "unterminated triple-quoted string literal" : "unterminated string literal");
            char c = src_[i_];
            if (!triple && c == '\n') fail(p, "unterminated string literal");
            if (c == q && (!triple || (i_ + 2 < src_.size() && src_[i_ + 1] == q && src_[i_ + 2] == q))) {
                i_ += triple ? 3 : 1;
                break;
            }
            if (c == '\n') { out += c; newline_char(); ++i_; continue; }
            if (c == '\\' && i_ + 1 < src_.size()) {
                char e = src_[i_ + 1];
                i_ += 2;
                switch (e) {
                case 'n': out += '\n'; break;
                case 't': out += '\t'; break;
                case 'r': out += '\r'; break;
                case '0': out += '\0'; break;
                case '\\': out += '\\'; break;
                case '\'': out += '\''; break;
                case '"': out += '"'; break;
                case '\n': newline_char(); break;
                default: out += '\\'; out += e; break;  // CPython keeps unknown escapes (with a warning)
                }
                continue;
            }
            out += c;
            ++i_;
        }
        toks_.push_back({Tok::String, std::move(out), p, {}, false});
    }

    void op() {
        Pos p = pos_at(i_);
        for (const char* o : kOps) {
            size_t n = std::char_traits<char>::length(o);
            if (src_.compare(i_, n, o) == 0) {
                std::string s(o);
                i_ += n;
                if (s == "(" || s == "[" || s == "{") {
                    if (depth_ == 0) { open_pos_ = p; open_char_ = s; }
                    if (++depth_ > lim_.max_nesting) fail(p, "brackets are nested more than " + std::to_string(lim_.max_nesting) + " deep (the lab's limit)");
                } else if (s == ")" || s == "]" || s == "}") {
                    if (depth_ == 0) fail(p, "unmatched '" + s + "'");
                    --depth_;
                }
                push(Tok::Op, std::move(s), p);
                return;
            }
        }
        unsigned char c = (unsigned char)src_[i_];
        if (c == '$' || c == '?' || c == '`' || c == '!') fail(p, std::string("invalid character '") + (char)c + "'");
        fail(p, "invalid character (byte " + std::to_string((int)c) + ")");
    }

    const std::string& src_;
    const Limits& lim_;
    size_t i_ = 0, line_begin_ = 0;
    int line_ = 1;
    int depth_ = 0;
    Pos open_pos_;
    std::string open_char_;
    std::vector<int> indents_;
    std::vector<Token> toks_;
};

}  // namespace

std::vector<Token> tokenize(const std::string& source, const Limits& limits) { return Lexer(source, limits).run(); }

}  // namespace gil::py
