// ops_internal.h — helpers the runtime's files share (ops.cpp: numbers and dispatch,
// sequence.cpp: str/bytes/tuple/list/dict/set, format.cpp: text, builtins.cpp). Internal
// to src/engine/vm.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "engine/vm/ops.h"

namespace gil::vm::detail {

bool is_integer(const Value& v);   // int (small or big) or bool
bool is_number(const Value& v);    // integer or float
[[noreturn]] void unsupported(BinOp op, const Value& a, const Value& b, bool inplace);
const char* cmp_symbol(CmpOp op);
bool order_values(CmpOp op, const Value& a, const Value& b);  // < <= > >= (TypeError when unorderable)

// Numbers (ops.cpp).
Value int_binary(Heap& h, BinOp op, const Value& a, const Value& b);
Value float_binary(Heap& h, BinOp op, double x, double y);
bool numbers_equal(const Value& a, const Value& b);
bool numbers_order(CmpOp op, const Value& a, const Value& b);
Value int_negate(Heap& h, const Value& a);
Value int_abs(Heap& h, const Value& a);
Value int_pow_mod(Heap& h, const Value& base, const Value& exp, const Value& mod);
// divmod(a, b) for numbers: a tuple (q, r), CPython's messages.
Value number_divmod(Heap& h, const Value& a, const Value& b);
Value float_to_int(Heap& h, double d);  // int(d): OverflowError for inf, ValueError for nan

// Sequences and containers (sequence.cpp).
// The concatenation, repetition and set operators; false when the types do not apply.
bool sequence_binary(Heap& h, BinOp op, const Value& a, const Value& b, bool inplace, Value& out);
bool containers_equal(const Value& a, const Value& b, bool& result);  // false: not containers
bool containers_order(CmpOp op, const Value& a, const Value& b, bool& result);
std::vector<Value> collect(Heap& h, const Value& iterable);           // list(iterable)'s items
const std::vector<Value>* items_of(const Value& v);                   // tuple or list items
void sort_values(std::vector<Value>& v, bool reverse);                // stable, < only

// UTF-8 (the lab's str holds UTF-8; indexes and lengths count code points).
size_t utf8_length(std::string_view s);
size_t utf8_offset(std::string_view s, size_t index);     // byte offset of code point `index`
uint32_t utf8_decode(std::string_view s, size_t& pos);    // the code point at pos; advances pos
std::string utf8_encode(uint32_t cp);
bool is_ascii(std::string_view s);

}  // namespace gil::vm::detail
