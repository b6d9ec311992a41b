// json.h — a small streaming JSON writer (no parser is needed anywhere in the engine).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gil {

class JsonWriter {
public:
    JsonWriter& begin_object() { sep(); out_ += '{'; first_.push_back(true); return *this; }
    JsonWriter& end_object() { out_ += '}'; first_.pop_back(); return *this; }
    JsonWriter& begin_array() { sep(); out_ += '['; first_.push_back(true); return *this; }
    JsonWriter& end_array() { out_ += ']'; first_.pop_back(); return *this; }
    JsonWriter& key(std::string_view k) { sep(); str(k); out_ += ':'; after_key_ = true; return *this; }
    JsonWriter& value(std::string_view v) { sep(); str(v); return *this; }
    JsonWriter& value(const char* v) { return value(std::string_view(v)); }
    JsonWriter& value(const std::string& v) { return value(std::string_view(v)); }
    JsonWriter& value(int64_t v);
    JsonWriter& value(int v) { return value((int64_t)v); }
    JsonWriter& value(uint64_t v);
    JsonWriter& value(double v);
    JsonWriter& value(bool v) { sep(); out_ += v ? "true" : "false"; return *this; }
    JsonWriter& null() { sep(); out_ += "null"; return *this; }
    JsonWriter& raw(std::string_view json) { sep(); out_ += json; return *this; }
    const std::string& str() const { return out_; }
    std::string take() { return std::move(out_); }

private:
    void sep() {
        if (after_key_) { after_key_ = false; return; }
        if (!first_.empty()) {
            if (!first_.back()) out_ += ',';
            first_.back() = false;
        }
    }
    void str(std::string_view s);
    std::string out_;
    std::vector<bool> first_;
    bool after_key_ = false;
};

std::string json_escape(std::string_view s);

}  // namespace gil
