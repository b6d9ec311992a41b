// methods.cpp — the methods of built-in types called as obj.name(args): list (append, pop,
// insert, index, count, extend, reverse, sort, remove, clear, copy), tuple, str, bytes,
// dict and set, with CPython's messages.
#include <algorithm>
#include <cctype>
#include <functional>
#include <unordered_map>

#include "engine/vm/bigint.h"
#include "engine/vm/ops_internal.h"

namespace gil::vm {
using namespace detail;

namespace {

using Args = std::vector<Value>;
using Kwargs = std::vector<std::pair<std::string, Value>>;
using Method = Value (*)(Heap&, const Value&, Args&, const Kwargs&);

void count_args(const char* name, const Args& a, size_t lo, size_t hi) {
    if (a.size() >= lo && a.size() <= hi) return;
    std::string n = name;
    if (hi == 0) raise("TypeError", n + "() takes no arguments (" + std::to_string(a.size()) + " given)");
    if (lo == 1 && hi == 1) raise("TypeError", n + "() takes exactly one argument (" + std::to_string(a.size()) + " given)");
    if (lo == hi) raise("TypeError", n + " expected " + std::to_string(lo) + " arguments, got " + std::to_string(a.size()));
    if (a.size() < lo) raise("TypeError", n + " expected at least " + std::to_string(lo) + " argument" + (lo == 1 ? "" : "s") + ", got " + std::to_string(a.size()));
    raise("TypeError", n + " expected at most " + std::to_string(hi) + " argument" + (hi == 1 ? "" : "s") + ", got " + std::to_string(a.size()));
}

void no_kw(const char* name, const Kwargs& kw) {
    if (!kw.empty()) raise("TypeError", std::string(name) + "() takes no keyword arguments");
}

int64_t clamp_index(const Value& v, int64_t len) {  // index(x, start, end) bounds, as slices clamp
    int64_t i = is_kind(v, Kind::BigInt) ? (big::of(v).neg ? -len - 1 : len) : int64_of(v, "index");
    if (i < 0) i = std::max<int64_t>(0, i + len);
    return std::min(i, len);
}

std::vector<Value>& list_items(const Value& self) { return as<List>(self)->items; }

// ------------------------------------------------------------------ list
Value l_append(Heap&, const Value& self, Args& a, const Kwargs& kw) {
    no_kw("list.append", kw);
    count_args("list.append", a, 1, 1);
    list_items(self).push_back(a[0]);
    return Value();
}

Value l_extend(Heap& h, const Value& self, Args& a, const Kwargs& kw) {
    no_kw("list.extend", kw);
    count_args("list.extend", a, 1, 1);
    std::vector<Value> more = collect(h, a[0]);  // first: the argument may be the list itself
    auto& items = list_items(self);
    items.insert(items.end(), more.begin(), more.end());
    return Value();
}

Value l_pop(Heap&, const Value& self, Args& a, const Kwargs& kw) {
    no_kw("list.pop", kw);
    count_args("pop", a, 0, 1);
    auto& items = list_items(self);
    if (items.empty()) raise("IndexError", "pop from empty list");
    int64_t n = int64_t(items.size()), i = a.empty() ? n - 1 : int64_of(a[0], "pop");
    if (i < 0) i += n;
    if (i < 0 || i >= n) raise("IndexError", "pop index out of range");
    Value out = std::move(items[size_t(i)]);
    items.erase(items.begin() + i);
    return out;
}

Value l_insert(Heap&, const Value& self, Args& a, const Kwargs& kw) {
    no_kw("list.insert", kw);
    count_args("insert", a, 2, 2);
    auto& items = list_items(self);
    int64_t n = int64_t(items.size()), i = int64_of(a[0], "insert");
    if (i < 0) i = std::max<int64_t>(0, i + n);
    i = std::min(i, n);
    items.insert(items.begin() + i, a[1]);
    return Value();
}

int64_t find_item(const std::vector<Value>& items, const Value& x, int64_t lo, int64_t hi) {
    for (int64_t i = lo; i < hi && i < int64_t(items.size()); ++i)
        if (items[size_t(i)].same(x) || equal(items[size_t(i)], x)) return i;
    return -1;
}

Value seq_index(const Value& self, Args& a, const char* name, const char* missing) {
    count_args("index", a, 1, 3);
    const auto& items = *items_of(self);
    int64_t n = int64_t(items.size());
    int64_t lo = a.size() > 1 ? clamp_index(a[1], n) : 0, hi = a.size() > 2 ? clamp_index(a[2], n) : n;
    int64_t i = find_item(items, a[0], lo, hi);
    if (i < 0) raise("ValueError", missing[0] ? std::string(missing) : repr(a[0]) + " is not in list");
    (void)name;
    return Value::integer(i);
}

Value l_index(Heap&, const Value& self, Args& a, const Kwargs& kw) {
    no_kw("list.index", kw);
    return seq_index(self, a, "list", "");
}

Value seq_count(const Value& self, Args& a) {
    count_args("count", a, 1, 1);
    int64_t n = 0;
    for (const Value& x : *items_of(self)) n += x.same(a[0]) || equal(x, a[0]);
    return Value::integer(n);
}

Value l_count(Heap&, const Value& self, Args& a, const Kwargs& kw) {
    no_kw("list.count", kw);
    return seq_count(self, a);
}

Value l_reverse(Heap&, const Value& self, Args& a, const Kwargs& kw) {
    no_kw("list.reverse", kw);
    count_args("reverse", a, 0, 0);
    std::reverse(list_items(self).begin(), list_items(self).end());
    return Value();
}

Value l_sort(Heap&, const Value& self, Args& a, const Kwargs& kw) {
    if (!a.empty()) raise("TypeError", "sort() takes no positional arguments");
    bool reverse = false;
    for (auto& [k, v] : kw) {
        if (k == "reverse") reverse = truthy(v);
        else if (k == "key") {
            if (!v.is_none()) raise("TypeError", "list.sort(): key= is handled by the interpreter, not the pure runtime");
        } else raise("TypeError", "'" + k + "' is an invalid keyword argument for sort()");
    }
    // Sorts a copy: if a comparison raises, the list keeps its items (CPython restores them too).
    std::vector<Value> items = list_items(self);
    sort_values(items, reverse);
    list_items(self) = std::move(items);
    return Value();
}

Value l_remove(Heap&, const Value& self, Args& a, const Kwargs& kw) {
    no_kw("list.remove", kw);
    count_args("remove", a, 1, 1);
    auto& items = list_items(self);
    int64_t i = find_item(items, a[0], 0, int64_t(items.size()));
    if (i < 0) raise("ValueError", "list.remove(x): x not in list");
    Value dropped = std::move(items[size_t(i)]);
    items.erase(items.begin() + i);
    return Value();
}

Value l_clear(Heap&, const Value& self, Args& a, const Kwargs& kw) {
    no_kw("list.clear", kw);
    count_args("clear", a, 0, 0);
    std::vector<Value> dropped;  // released after the list is empty
    dropped.swap(list_items(self));
    return Value();
}

Value l_copy(Heap& h, const Value& self, Args& a, const Kwargs& kw) {
    no_kw("list.copy", kw);
    count_args("copy", a, 0, 0);
    return make_list(h, list_items(self));
}

// ------------------------------------------------------------------ tuple
Value t_index(Heap&, const Value& self, Args& a, const Kwargs& kw) {
    no_kw("tuple.index", kw);
    return seq_index(self, a, "tuple", "tuple.index(x): x not in tuple");
}
Value t_count(Heap&, const Value& self, Args& a, const Kwargs& kw) {
    no_kw("tuple.count", kw);
    return seq_count(self, a);
}

// ------------------------------------------------------------------ str
const std::string& text(const Value& v) { return as<Str>(v)->s; }

const std::string& str_arg(const Value& v, const char* method) {
    if (!is_kind(v, Kind::Str))
        raise("TypeError", std::string(method) + " arg must be None or str");
    return text(v);
}

const std::string& must_str(const Value& v, const std::string& what) {
    if (!is_kind(v, Kind::Str)) raise("TypeError", what + type_name(v));
    return text(v);
}

Value s_join(Heap& h, const Value& self, Args& a, const Kwargs& kw) {
    no_kw("str.join", kw);
    count_args("join", a, 1, 1);
    std::vector<Value> items = collect(h, a[0]);
    std::string out;
    for (size_t i = 0; i < items.size(); ++i) {
        if (!is_kind(items[i], Kind::Str))
            raise("TypeError", "sequence item " + std::to_string(i) + ": expected str instance, " + type_name(items[i]) + " found");
        if (i) out += text(self);
        out += text(items[i]);
    }
    return make_str(h, std::move(out));
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

Value split_impl(Heap& h, const Value& self, Args& a, const Kwargs& kw, bool right) {
    Value sep, maxv = Value::integer(-1);
    if (a.size() > 0) sep = a[0];
    if (a.size() > 1) maxv = a[1];
    if (a.size() > 2) raise("TypeError", std::string(right ? "rsplit" : "split") + " expected at most 2 arguments, got " + std::to_string(a.size()));
    for (auto& [k, v] : kw) {
        if (k == "sep") sep = v;
        else if (k == "maxsplit") maxv = v;
        else raise("TypeError", "'" + k + "' is an invalid keyword argument for split()");
    }
    const std::string& s = text(self);
    int64_t maxsplit = int64_of(maxv, "maxsplit");
    std::vector<std::string> parts;
    if (sep.is_none()) {  // runs of whitespace, no empty parts
        std::vector<std::pair<size_t, size_t>> words;
        for (size_t i = 0; i < s.size();) {
            while (i < s.size() && is_space(s[i])) ++i;
            if (i >= s.size()) break;
            size_t j = i;
            while (j < s.size() && !is_space(s[j])) ++j;
            words.push_back({i, j});
            i = j;
        }
        if (maxsplit < 0 || int64_t(words.size()) <= maxsplit + 1) {
            for (auto& [i, j] : words) parts.push_back(s.substr(i, j - i));
        } else if (!right) {
            for (int64_t k = 0; k < maxsplit; ++k) parts.push_back(s.substr(words[size_t(k)].first, words[size_t(k)].second - words[size_t(k)].first));
            size_t start = words[size_t(maxsplit)].first, end = s.size();
            while (end > start && is_space(s[end - 1])) --end;
            parts.push_back(s.substr(start, end - start));
        } else {
            size_t first = words.size() - size_t(maxsplit);
            size_t start = 0, end = words[first - 1].second;
            while (start < end && is_space(s[start])) ++start;
            parts.push_back(s.substr(start, end - start));
            for (size_t k = first; k < words.size(); ++k) parts.push_back(s.substr(words[k].first, words[k].second - words[k].first));
        }
    } else {
        const std::string& d = str_arg(sep, "split()");
        if (d.empty()) raise("ValueError", "empty separator");
        std::vector<size_t> cuts;
        for (size_t p = s.find(d); p != std::string::npos; p = s.find(d, p + d.size())) cuts.push_back(p);
        if (maxsplit >= 0 && int64_t(cuts.size()) > maxsplit) {
            if (right) cuts.erase(cuts.begin(), cuts.end() - maxsplit);
            else cuts.resize(size_t(maxsplit));
        }
        size_t start = 0;
        for (size_t c : cuts) {
            parts.push_back(s.substr(start, c - start));
            start = c + d.size();
        }
        parts.push_back(s.substr(start));
    }
    std::vector<Value> out;
    for (auto& p : parts) out.push_back(make_str(h, std::move(p)));
    return make_list(h, std::move(out));
}
Value s_split(Heap& h, const Value& self, Args& a, const Kwargs& kw) { return split_impl(h, self, a, kw, false); }
Value s_rsplit(Heap& h, const Value& self, Args& a, const Kwargs& kw) { return split_impl(h, self, a, kw, true); }

Value strip_impl(Heap& h, const Value& self, Args& a, const Kwargs& kw, bool left, bool right, const char* name) {
    no_kw(name, kw);
    count_args(name, a, 0, 1);
    const std::string& s = text(self);
    std::string chars = a.empty() || a[0].is_none() ? std::string(" \t\n\r\f\v") : str_arg(a[0], name);
    size_t i = 0, j = s.size();
    if (left) while (i < j && chars.find(s[i]) != std::string::npos) ++i;
    if (right) while (j > i && chars.find(s[j - 1]) != std::string::npos) --j;
    return make_str(h, s.substr(i, j - i));
}
Value s_strip(Heap& h, const Value& self, Args& a, const Kwargs& kw) { return strip_impl(h, self, a, kw, true, true, "strip"); }
Value s_lstrip(Heap& h, const Value& self, Args& a, const Kwargs& kw) { return strip_impl(h, self, a, kw, true, false, "lstrip"); }
Value s_rstrip(Heap& h, const Value& self, Args& a, const Kwargs& kw) { return strip_impl(h, self, a, kw, false, true, "rstrip"); }

Value case_map(Heap& h, const Value& self, int (*f)(int)) {
    std::string s = text(self);
    for (auto& c : s)
        if (static_cast<unsigned char>(c) < 0x80) c = char(f(static_cast<unsigned char>(c)));  // ASCII only
    return make_str(h, std::move(s));
}
Value s_upper(Heap& h, const Value& self, Args& a, const Kwargs&) { count_args("upper", a, 0, 0); return case_map(h, self, ::toupper); }
Value s_lower(Heap& h, const Value& self, Args& a, const Kwargs&) { count_args("lower", a, 0, 0); return case_map(h, self, ::tolower); }

Value affix_impl(const Value& self, Args& a, bool starts, const char* name) {
    count_args(name, a, 1, 3);
    const std::string& s = text(self);
    std::vector<Value> options;
    if (auto* t = as_kind<Tuple>(a[0], Kind::Tuple); t) options = t->items;
    else if (is_kind(a[0], Kind::Str)) options.push_back(a[0]);
    else raise("TypeError", std::string(name) + " first arg must be str or a tuple of str, not " + type_name(a[0]));
    int64_t n = int64_t(utf8_length(s));
    int64_t lo = a.size() > 1 && !a[1].is_none() ? clamp_index(a[1], n) : 0;
    int64_t hi = a.size() > 2 && !a[2].is_none() ? clamp_index(a[2], n) : n;
    if (lo > hi) return Value::boolean(false);
    std::string part = s.substr(utf8_offset(s, size_t(lo)), utf8_offset(s, size_t(hi)) - utf8_offset(s, size_t(lo)));
    for (const Value& o : options) {
        const std::string& p = must_str(o, std::string("tuple for ") + name + " must only contain str, not ");
        if (p.size() <= part.size() && (starts ? part.compare(0, p.size(), p) == 0 : part.compare(part.size() - p.size(), p.size(), p) == 0))
            return Value::boolean(true);
    }
    return Value::boolean(false);
}
Value s_startswith(Heap&, const Value& self, Args& a, const Kwargs&) { return affix_impl(self, a, true, "startswith"); }
Value s_endswith(Heap&, const Value& self, Args& a, const Kwargs&) { return affix_impl(self, a, false, "endswith"); }

Value s_replace(Heap& h, const Value& self, Args& a, const Kwargs& kw) {
    no_kw("str.replace", kw);
    count_args("replace", a, 2, 3);
    const std::string& s = text(self);
    const std::string& old = must_str(a[0], "replace() argument 1 must be str, not ");
    const std::string& rep = must_str(a[1], "replace() argument 2 must be str, not ");
    int64_t count = a.size() > 2 ? int64_of(a[2], "count") : -1;
    std::string out;
    size_t pos = 0;
    int64_t done = 0;
    if (old.empty()) {  // inserts between every code point
        for (size_t p = 0; p <= s.size() && (count < 0 || done < count);) {
            out += rep;
            ++done;
            if (p == s.size()) { pos = p; break; }
            size_t q = p;
            utf8_decode(s, q);
            out += s.substr(p, q - p);
            p = pos = q;
        }
        return make_str(h, out + s.substr(pos));
    }
    for (size_t p = s.find(old); p != std::string::npos && (count < 0 || done < count); p = s.find(old, pos)) {
        out += s.substr(pos, p - pos) + rep;
        pos = p + old.size();
        ++done;
    }
    return make_str(h, out + s.substr(pos));
}

Value find_impl(const Value& self, Args& a, bool right, bool strict, const char* name) {
    count_args(name, a, 1, 3);
    const std::string& s = text(self);
    const std::string& sub = must_str(a[0], "must be str, not ");
    int64_t n = int64_t(utf8_length(s));
    int64_t lo = a.size() > 1 && !a[1].is_none() ? clamp_index(a[1], n) : 0;
    int64_t hi = a.size() > 2 && !a[2].is_none() ? clamp_index(a[2], n) : n;
    size_t blo = utf8_offset(s, size_t(lo)), bhi = utf8_offset(s, size_t(std::max(lo, hi)));
    std::string_view part = std::string_view(s).substr(blo, bhi - blo);
    size_t p = lo > hi ? std::string::npos : right ? part.rfind(sub) : part.find(sub);
    if (p == std::string::npos) {
        if (strict) raise("ValueError", "substring not found");
        return Value::integer(-1);
    }
    return Value::integer(lo + int64_t(utf8_length(part.substr(0, p))));
}
Value s_find(Heap&, const Value& self, Args& a, const Kwargs&) { return find_impl(self, a, false, false, "find"); }
Value s_rfind(Heap&, const Value& self, Args& a, const Kwargs&) { return find_impl(self, a, true, false, "rfind"); }
Value s_index(Heap&, const Value& self, Args& a, const Kwargs&) { return find_impl(self, a, false, true, "index"); }

Value s_count(Heap&, const Value& self, Args& a, const Kwargs&) {
    count_args("count", a, 1, 1);
    const std::string& s = text(self);
    const std::string& sub = must_str(a[0], "must be str, not ");
    if (sub.empty()) return Value::integer(int64_t(utf8_length(s)) + 1);
    int64_t n = 0;
    for (size_t p = s.find(sub); p != std::string::npos; p = s.find(sub, p + sub.size())) ++n;
    return Value::integer(n);
}

Value char_test(const Value& self, bool (*ok)(unsigned char)) {
    const std::string& s = text(self);
    if (s.empty()) return Value::boolean(false);
    for (unsigned char c : s)
        if (!ok(c)) return Value::boolean(false);
    return Value::boolean(true);
}
Value s_isdigit(Heap&, const Value& self, Args&, const Kwargs&) { return char_test(self, [](unsigned char c) { return c >= '0' && c <= '9'; }); }
Value s_isalpha(Heap&, const Value& self, Args&, const Kwargs&) { return char_test(self, [](unsigned char c) { return c >= 0x80 || std::isalpha(c) != 0; }); }
Value s_isspace(Heap&, const Value& self, Args&, const Kwargs&) { return char_test(self, [](unsigned char c) { return is_space(char(c)); }); }

Value pad_impl(Heap& h, const Value& self, Args& a, char align, const char* name) {
    count_args(name, a, 1, 2);
    const std::string& s = text(self);
    int64_t width = int64_of(a[0], name);
    std::string fill = " ";
    if (a.size() > 1) {
        fill = must_str(a[1], std::string(name) + "() argument 2 must be a unicode character, not ");
        if (utf8_length(fill) != 1) raise("TypeError", "The fill character must be exactly one character long");
    }
    int64_t len = int64_t(utf8_length(s));
    if (width <= len) return self;
    int64_t total = width - len, left = align == '<' ? 0 : align == '>' ? total : total / 2 + (total & width & 1);
    std::string out;
    for (int64_t i = 0; i < left; ++i) out += fill;
    out += s;
    for (int64_t i = 0; i < total - left; ++i) out += fill;
    return make_str(h, std::move(out));
}
Value s_ljust(Heap& h, const Value& self, Args& a, const Kwargs&) { return pad_impl(h, self, a, '<', "ljust"); }
Value s_rjust(Heap& h, const Value& self, Args& a, const Kwargs&) { return pad_impl(h, self, a, '>', "rjust"); }
Value s_center(Heap& h, const Value& self, Args& a, const Kwargs&) { return pad_impl(h, self, a, '^', "center"); }

Value s_zfill(Heap& h, const Value& self, Args& a, const Kwargs&) {
    count_args("zfill", a, 1, 1);
    std::string s = text(self);
    int64_t width = int64_of(a[0], "zfill"), len = int64_t(utf8_length(s));
    if (width <= len) return self;
    size_t at = !s.empty() && (s[0] == '+' || s[0] == '-') ? 1 : 0;
    s.insert(at, std::string(size_t(width - len), '0'));
    return make_str(h, std::move(s));
}

Value s_encode(Heap& h, const Value& self, Args& a, const Kwargs&) {
    count_args("encode", a, 0, 2);
    return make_bytes(h, text(self));  // UTF-8 is the lab's only encoding
}

Value s_format(Heap& h, const Value& self, Args& a, const Kwargs& kw) {
    // "{}", "{0}", "{name}" and ":spec" fields; attribute and index lookups are not supported.
    const std::string& s = text(self);
    std::string out;
    size_t auto_index = 0;
    for (size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '}' ) {
            if (i + 1 < s.size() && s[i + 1] == '}') { out += '}'; ++i; continue; }
            raise("ValueError", "Single '}' encountered in format string");
        }
        if (c != '{') { out += c; continue; }
        if (i + 1 < s.size() && s[i + 1] == '{') { out += '{'; ++i; continue; }
        size_t close = s.find('}', i);
        if (close == std::string::npos) raise("ValueError", "Single '{' encountered in format string");
        std::string field = s.substr(i + 1, close - i - 1), spec;
        size_t colon = field.find(':');
        if (colon != std::string::npos) { spec = field.substr(colon + 1); field.resize(colon); }
        bool conv_r = false, conv_s = false;
        if (field.size() >= 2 && field[field.size() - 2] == '!') {
            conv_r = field.back() == 'r';
            conv_s = field.back() == 's';
            field.resize(field.size() - 2);
        }
        Value v;
        if (field.empty()) {
            if (auto_index >= a.size()) raise("IndexError", "Replacement index " + std::to_string(auto_index) + " out of range for positional args tuple");
            v = a[auto_index++];
        } else if (std::isdigit(static_cast<unsigned char>(field[0]))) {
            size_t k = size_t(std::stoul(field));
            if (k >= a.size()) raise("IndexError", "Replacement index " + std::to_string(k) + " out of range for positional args tuple");
            v = a[k];
        } else {
            bool found = false;
            for (auto& [k, val] : kw) if (k == field) { v = val; found = true; }
            if (!found) raise("KeyError", "'" + field + "'");
        }
        if (conv_r) v = make_str(h, repr(v));
        if (conv_s) v = make_str(h, str(v));
        out += format(v, spec);
        i = close;
    }
    return make_str(h, std::move(out));
}

// ------------------------------------------------------------------ bytes
Value b_decode(Heap& h, const Value& self, Args& a, const Kwargs&) {
    count_args("decode", a, 0, 2);
    return make_str(h, as<Bytes>(self)->b);
}

// ------------------------------------------------------------------ dict
Dict& dict_of(const Value& v) { return *as<Dict>(v); }

Value d_get(Heap&, const Value& self, Args& a, const Kwargs& kw) {
    no_kw("dict.get", kw);
    count_args("get", a, 1, 2);
    Value* v = dict_get(dict_of(self), a[0]);
    return v ? *v : (a.size() > 1 ? a[1] : Value());
}

Value dict_view(Heap& h, const Value& self, Iterator::Of of) {
    // Materialized as a list: the lab's programs iterate views, print them rarely.
    std::vector<Value> out;
    for (auto& e : dict_of(self).entries) {
        if (!e.live) continue;
        if (of == Iterator::Of::DictKeys) out.push_back(e.key);
        else if (of == Iterator::Of::DictValues) out.push_back(e.value);
        else out.push_back(make_tuple(h, {e.key, e.value}));
    }
    return make_list(h, std::move(out));
}
Value d_keys(Heap& h, const Value& self, Args& a, const Kwargs&) { count_args("keys", a, 0, 0); return dict_view(h, self, Iterator::Of::DictKeys); }
Value d_values(Heap& h, const Value& self, Args& a, const Kwargs&) { count_args("values", a, 0, 0); return dict_view(h, self, Iterator::Of::DictValues); }
Value d_items(Heap& h, const Value& self, Args& a, const Kwargs&) { count_args("items", a, 0, 0); return dict_view(h, self, Iterator::Of::DictItems); }

Value d_pop(Heap&, const Value& self, Args& a, const Kwargs& kw) {
    no_kw("dict.pop", kw);
    count_args("pop", a, 1, 2);
    Value* v = dict_get(dict_of(self), a[0]);
    if (!v) {
        if (a.size() > 1) return a[1];
        raise("KeyError", repr(a[0]));
    }
    Value out = *v;
    dict_del(dict_of(self), a[0]);
    return out;
}

Value d_setdefault(Heap&, const Value& self, Args& a, const Kwargs& kw) {
    no_kw("dict.setdefault", kw);
    count_args("setdefault", a, 1, 2);
    if (Value* v = dict_get(dict_of(self), a[0])) return *v;
    Value d = a.size() > 1 ? a[1] : Value();
    dict_set(dict_of(self), a[0], d);
    return d;
}

Value d_update(Heap& h, const Value& self, Args& a, const Kwargs& kw) {
    count_args("update", a, 0, 1);
    if (!a.empty()) {
        if (is_kind(a[0], Kind::Dict)) {
            std::vector<std::pair<Value, Value>> pairs;  // copied first: a[0] may be self
            for (auto& e : dict_of(a[0]).entries)
                if (e.live) pairs.push_back({e.key, e.value});
            for (auto& [k, v] : pairs) dict_set(dict_of(self), k, v);
        } else {
            for (const Value& kv : collect(h, a[0])) {
                std::vector<Value> pair = collect(h, kv);
                if (pair.size() != 2) raise("ValueError", "dictionary update sequence element has length " + std::to_string(pair.size()) + "; 2 is required");
                dict_set(dict_of(self), pair[0], pair[1]);
            }
        }
    }
    for (auto& [k, v] : kw) dict_set(dict_of(self), make_str(h, k), v);
    return Value();
}

Value d_clear(Heap&, const Value& self, Args& a, const Kwargs&) {
    count_args("clear", a, 0, 0);
    Dict tmp;  // the old entries are released after the dict is empty
    std::swap(tmp.entries, dict_of(self).entries);
    dict_of(self).clear_refs();
    return Value();
}

Value d_copy(Heap& h, const Value& self, Args& a, const Kwargs&) {
    count_args("copy", a, 0, 0);
    Value out = make_dict(h);
    for (auto& e : dict_of(self).entries)
        if (e.live) dict_set(dict_of(out), e.key, e.value);
    return out;
}

// ------------------------------------------------------------------ set
Value st_add(Heap&, const Value& self, Args& a, const Kwargs&) {
    count_args("set.add", a, 1, 1);
    set_add(dict_of(self), a[0]);
    return Value();
}
Value st_discard(Heap&, const Value& self, Args& a, const Kwargs&) {
    count_args("set.discard", a, 1, 1);
    dict_del(dict_of(self), a[0]);
    return Value();
}
Value st_remove(Heap&, const Value& self, Args& a, const Kwargs&) {
    count_args("set.remove", a, 1, 1);
    if (!dict_del(dict_of(self), a[0])) raise("KeyError", repr(a[0]));
    return Value();
}
Value st_pop(Heap&, const Value& self, Args& a, const Kwargs&) {
    count_args("pop", a, 0, 0);
    for (auto& e : dict_of(self).entries)
        if (e.live) {
            Value k = e.key;
            dict_del(dict_of(self), k);
            return k;
        }
    raise("KeyError", "'pop from an empty set'");
}
Value st_clear(Heap& h, const Value& self, Args& a, const Kwargs& kw) { return d_clear(h, self, a, kw); }
Value st_copy(Heap& h, const Value& self, Args& a, const Kwargs&) {
    count_args("copy", a, 0, 0);
    Value out = make_set(h, is_kind(self, Kind::FrozenSet));
    for (auto& e : dict_of(self).entries)
        if (e.live) set_add(dict_of(out), e.key);
    return out;
}
Value set_op_method(Heap& h, const Value& self, Args& a, BinOp op) {
    Value result = self;
    for (const Value& other : a) {
        Value o = other;
        if (!is_kind(o, Kind::Set) && !is_kind(o, Kind::FrozenSet)) {
            o = make_set(h);
            for (const Value& x : collect(h, other)) set_add(dict_of(o), x);
        }
        result = binary_op(h, op, result, o);
    }
    if (!result.same(self)) return result;
    Args none;
    return st_copy(h, self, none, {});
}
Value st_union(Heap& h, const Value& self, Args& a, const Kwargs&) { return set_op_method(h, self, a, BinOp::Or); }
Value st_intersection(Heap& h, const Value& self, Args& a, const Kwargs&) { return set_op_method(h, self, a, BinOp::And); }
Value st_difference(Heap& h, const Value& self, Args& a, const Kwargs&) { return set_op_method(h, self, a, BinOp::Sub); }

using Table = std::unordered_map<std::string_view, Method>;

const Table* methods_of(const Value& v) {
    static const Table list = {
        {"append", l_append}, {"extend", l_extend}, {"pop", l_pop}, {"insert", l_insert},
        {"index", l_index}, {"count", l_count}, {"reverse", l_reverse}, {"sort", l_sort},
        {"remove", l_remove}, {"clear", l_clear}, {"copy", l_copy},
    };
    static const Table tuple = {{"index", t_index}, {"count", t_count}};
    static const Table str = {
        {"join", s_join}, {"split", s_split}, {"rsplit", s_rsplit}, {"strip", s_strip},
        {"lstrip", s_lstrip}, {"rstrip", s_rstrip}, {"upper", s_upper}, {"lower", s_lower},
        {"startswith", s_startswith}, {"endswith", s_endswith}, {"replace", s_replace},
        {"find", s_find}, {"rfind", s_rfind}, {"index", s_index}, {"count", s_count},
        {"isdigit", s_isdigit}, {"isalpha", s_isalpha}, {"isspace", s_isspace},
        {"ljust", s_ljust}, {"rjust", s_rjust}, {"center", s_center}, {"zfill", s_zfill},
        {"encode", s_encode}, {"format", s_format},
    };
    static const Table bytes = {{"decode", b_decode}};
    static const Table dict = {
        {"get", d_get}, {"keys", d_keys}, {"values", d_values}, {"items", d_items}, {"pop", d_pop},
        {"setdefault", d_setdefault}, {"update", d_update}, {"clear", d_clear}, {"copy", d_copy},
    };
    static const Table set = {
        {"add", st_add}, {"discard", st_discard}, {"remove", st_remove}, {"pop", st_pop},
        {"clear", st_clear}, {"copy", st_copy}, {"union", st_union},
        {"intersection", st_intersection}, {"difference", st_difference},
    };
    static const Table frozenset = {
        {"copy", st_copy}, {"union", st_union}, {"intersection", st_intersection}, {"difference", st_difference},
    };
    if (!v.is_obj()) return nullptr;
    switch (v.obj()->kind) {
        case Kind::List: return &list;
        case Kind::Tuple: return &tuple;
        case Kind::Str: return &str;
        case Kind::Bytes: return &bytes;
        case Kind::Dict: return &dict;
        case Kind::Set: return &set;
        case Kind::FrozenSet: return &frozenset;
        default: return nullptr;
    }
}

}  // namespace

bool has_method(const Value& self, std::string_view name) {
    const Table* t = methods_of(self);
    return t && t->count(name);
}

Value call_method(Heap& h, const Value& self, std::string_view name, std::vector<Value>& args,
                  const std::vector<std::pair<std::string, Value>>& kwargs) {
    const Table* t = methods_of(self);
    auto it = t ? t->find(name) : Table::const_iterator();
    if (!t || it == t->end())
        raise("AttributeError", "'" + type_name(self) + "' object has no attribute '" + std::string(name) + "'");
    return it->second(h, self, args, kwargs);
}

}  // namespace gil::vm
