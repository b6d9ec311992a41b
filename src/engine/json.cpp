// json.cpp — JsonWriter: escaping and number formatting.
#include "engine/json.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace gil {

std::string json_escape(std::string_view s) {
    std::string o;
    o.reserve(s.size() + 2);
    for (unsigned char c : s) {
        switch (c) {
        case '"': o += "\\\""; break;
        case '\\': o += "\\\\"; break;
        case '\n': o += "\\n"; break;
        case '\r': o += "\\r"; break;
        case '\t': o += "\\t"; break;
        default:
            if (c < 0x20) {
                char b[8];
                std::snprintf(b, sizeof b, "\\u%04x", c);
                o += b;
            } else {
                o += (char)c;
            }
        }
    }
    return o;
}

void JsonWriter::str(std::string_view s) {
    out_ += '"';
    out_ += json_escape(s);
    out_ += '"';
}

JsonWriter& JsonWriter::value(int64_t v) {
    sep();
    out_ += std::to_string(v);
    return *this;
}

JsonWriter& JsonWriter::value(uint64_t v) {
    sep();
    out_ += std::to_string(v);
    return *this;
}

JsonWriter& JsonWriter::value(double v) {
    sep();
    if (!std::isfinite(v)) {
        out_ += "null";  // JSON has no inf/nan
        return *this;
    }
    char b[40];
    if (v == std::floor(v) && std::fabs(v) < 9e15) {
        std::snprintf(b, sizeof b, "%lld", (long long)v);
    } else {
        // The fewest digits that parse back to exactly v.
        for (int prec = 6; prec <= 17; ++prec) {
            std::snprintf(b, sizeof b, "%.*g", prec, v);
            if (std::strtod(b, nullptr) == v) break;
        }
    }
    out_ += b;
    return *this;
}

}  // namespace gil
