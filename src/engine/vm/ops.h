// ops.h — the operations of the lab's Python on built-in types, with CPython's results
// and error messages: arithmetic (ints of any size, floats, str/list/tuple concatenation
// and repetition), comparisons, truth, hashing, repr/str/format, conversions, iteration
// and the methods of str, bytes, list, tuple, dict and set.
//
// User instances (Kind::Instance) are the interpreter's business: an operation here on an
// instance raises TypeError as if it had no special methods; the interpreter looks for
// __eq__, __repr__, __enter__, ... before it calls in here.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "engine/vm/object.h"

namespace gil::vm {

enum class BinOp : uint8_t { Add, Sub, Mul, TrueDiv, FloorDiv, Mod, Pow, LShift, RShift, And, Or, Xor, MatMul };
enum class UnOp : uint8_t { Neg, Pos, Not, Invert };
enum class CmpOp : uint8_t { Lt, Le, Eq, Ne, Gt, Ge };
const char* binop_symbol(BinOp op);    // "+", "//", ...

// a op b. `inplace` is the augmented form (a += b): lists extend in place and return a.
Value binary_op(Heap& h, BinOp op, const Value& a, const Value& b, bool inplace = false);
Value unary_op(Heap& h, UnOp op, const Value& a);
Value compare(Heap& h, CmpOp op, const Value& a, const Value& b);  // a bool Value
bool equal(const Value& a, const Value& b);                        // ==, no instances
bool less(const Value& a, const Value& b);                         // < (sorting); TypeError when unorderable
bool contains(const Value& container, const Value& item);          // `item in container`
bool truthy(const Value& v);
uint64_t hash_value(const Value& v);  // TypeError: unhashable type: 'list'

std::string repr(const Value& v);
std::string str(const Value& v);
// format(v, spec): the format-spec mini-language for int, float, str, bool and None
// (fill, align, sign, '#', '0', width, ',', '_', precision, type b c d e E f F g G n o s x X %).
std::string format(const Value& v, std::string_view spec);
std::string float_repr(double d);     // repr(float): the shortest text that reads back exactly

// int(x), float(x), str(x), bool(x) with CPython's accepted inputs and messages.
Value to_int(Heap& h, const Value& v, int base = 10);
Value to_float(Heap& h, const Value& v);
// Python int -> int64 when it fits (OverflowError otherwise; TypeError for non-ints).
int64_t int64_of(const Value& v, const char* what);
double float_of(const Value& v);  // int, bool or float -> double (TypeError otherwise)

// Iteration over built-in iterables: iter(x) gives an Iterator (TypeError if not iterable);
// next_item gives false when it is exhausted. Generators are not handled here.
Value iter(Heap& h, const Value& iterable);
bool next_item(Heap& h, Iterator& it, Value& out);
int64_t length(const Value& v);       // len(); TypeError if it has none
// seq[index] and seq[index] = value for str, bytes, tuple, list, dict, range.
Value get_item(Heap& h, const Value& container, const Value& index);
void set_item(Heap& h, const Value& container, const Value& index, Value value);
void del_item(Heap& h, const Value& container, const Value& index);

// Methods of built-in types: obj.name(args...). Returns false if the type has no such
// method (the caller raises AttributeError with type_name()).
bool has_method(const Value& self, std::string_view name);
Value call_method(Heap& h, const Value& self, std::string_view name, std::vector<Value>& args,
                  const std::vector<std::pair<std::string, Value>>& kwargs);

// The pure builtins: len abs min max sum sorted reversed round divmod pow repr str int float
// bool list tuple dict set enumerate zip range isinstance-of-builtin-type hash chr ord any all.
// Their arguments are already materialized (the interpreter drains generators first).
bool is_pure_builtin(std::string_view name);
Value call_pure_builtin(Heap& h, std::string_view name, std::vector<Value>& args,
                        const std::vector<std::pair<std::string, Value>>& kwargs);

}  // namespace gil::vm
