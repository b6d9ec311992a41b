// token.h — the tokenizer of the lab's Python: source text to tokens with INDENT/DEDENT,
// as CPython's Parser/tokenizer.c does (brackets join lines, comments and blank lines
// vanish, a backslash continues a line). Numbers and strings are decoded here.
#pragma once
#include <string>
#include <vector>

#include "engine/py/ast.h"

namespace gil::py {

enum class Tok : uint8_t { Name, Number, String, Op, Newline, Indent, Dedent, End };

struct Token {
    Tok kind;
    std::string text;   // Name: identifier; Op: the operator; Number: as written; String: decoded value
    Pos pos;
    Constant number;    // Number: Int, BigInt or Float
    bool bytes = false; // String: a b'...' literal
};

// Throws CompileError (bad character, unterminated string, inconsistent dedent, limits).
std::vector<Token> tokenize(const std::string& source, const Limits& limits);

}  // namespace gil::py
