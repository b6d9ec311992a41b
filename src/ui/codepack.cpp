// codepack.cpp — packing a program's text for a URL (see codepack.h).
#include "ui/codepack.h"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace gil::ui {

namespace {

const char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string b64url(const std::vector<uint8_t>& in) {
    std::string o;
    size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
        const uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
        o += kB64[v >> 18 & 63], o += kB64[v >> 12 & 63], o += kB64[v >> 6 & 63], o += kB64[v & 63];
    }
    if (i + 1 == in.size()) {
        const uint32_t v = (uint32_t)in[i] << 16;
        o += kB64[v >> 18 & 63], o += kB64[v >> 12 & 63];
    } else if (i + 2 == in.size()) {
        const uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
        o += kB64[v >> 18 & 63], o += kB64[v >> 12 & 63], o += kB64[v >> 6 & 63];
    }
    return o;
}

int b64val(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '-' || c == '+') return 62;  // '+' and '/': links written with standard base64
    if (c == '_' || c == '/') return 63;
    return -1;
}

bool unb64url(const std::string& s, size_t from, std::vector<uint8_t>& out) {
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = from; i < s.size(); ++i) {
        if (s[i] == '=') break;  // padding, if a tool added it
        const int v = b64val(s[i]);
        if (v < 0) return false;
        acc = (acc << 6 | (uint32_t)v) & 0xffffff;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back((uint8_t)(acc >> bits));
        }
    }
    return true;
}

}  // namespace

std::string pack_code(const std::string& text) {
    const size_t n = text.size();
    const auto* t = reinterpret_cast<const uint8_t*>(text.data());
    std::vector<uint8_t> out;
    constexpr size_t kWindow = 32 * 1024, kHash = 1 << 14;
    constexpr int kMin = 3, kMaxLen = 130, kChain = 64;
    std::vector<int64_t> head(kHash, -1), prev(n, -1);
    auto hash = [&](size_t i) { return ((uint32_t)t[i] * 2654435761u ^ (uint32_t)t[i + 1] * 40503u ^ t[i + 2]) & (kHash - 1); };
    std::vector<uint8_t> lit;
    auto flush = [&]() {
        for (size_t k = 0; k < lit.size(); k += 128) {
            const size_t len = std::min<size_t>(128, lit.size() - k);
            out.push_back((uint8_t)(len - 1));
            out.insert(out.end(), lit.begin() + (long)k, lit.begin() + (long)(k + len));
        }
        lit.clear();
    };
    auto insert = [&](size_t i) {
        if (i + 2 >= n) return;
        const uint32_t h = hash(i);
        prev[i] = head[h];
        head[h] = (int64_t)i;
    };
    size_t i = 0;
    while (i < n) {
        size_t best = 0, dist = 0;
        if (i + kMin <= n) {
            int64_t j = head[hash(i)];
            for (int c = 0; j >= 0 && c < kChain && i - (size_t)j <= kWindow; ++c, j = prev[(size_t)j]) {
                size_t l = 0;
                while (l < (size_t)kMaxLen && i + l < n && t[(size_t)j + l] == t[i + l]) ++l;
                if (l > best) best = l, dist = i - (size_t)j;
            }
        }
        if (best >= (size_t)kMin) {
            flush();
            out.push_back((uint8_t)(128 + best - kMin));
            for (size_t d = dist;; d >>= 7) {
                if (d < 128) {
                    out.push_back((uint8_t)d);
                    break;
                }
                out.push_back((uint8_t)(128 | (d & 127)));
            }
            for (size_t k = 0; k < best; ++k) insert(i + k);
            i += best;
        } else {
            insert(i);
            lit.push_back(t[i++]);
        }
    }
    flush();
    return "1" + b64url(out);
}

bool unpack_code(const std::string& packed, std::string& out, std::string& why) {
    out.clear();
    if (packed.empty() || packed[0] != '1') {
        why = "code= is not a program packed by the lab (it starts with its format, 1)";
        return false;
    }
    std::vector<uint8_t> in;
    if (!unb64url(packed, 1, in)) {
        why = "code= has a character that is not base64url (A-Z a-z 0-9 - _): the link was cut or changed";
        return false;
    }
    size_t i = 0;
    while (i < in.size()) {
        const uint8_t tok = in[i++];
        if (tok < 128) {
            const size_t len = (size_t)tok + 1;
            if (i + len > in.size()) {
                why = "code= ends in the middle of the program: the link was cut";
                return false;
            }
            out.append(reinterpret_cast<const char*>(in.data() + i), len);
            i += len;
        } else {
            const size_t len = (size_t)(tok - 128) + 3;
            size_t d = 0;
            int shift = 0;
            for (;;) {
                if (i >= in.size() || shift > 28) {
                    why = "code= ends in the middle of the program: the link was cut";
                    return false;
                }
                const uint8_t b = in[i++];
                d |= (size_t)(b & 127) << shift;
                shift += 7;
                if (b < 128) break;
            }
            if (d == 0 || d > out.size()) {
                why = "code= is damaged (it refers to text before its start): the link was changed";
                return false;
            }
            const size_t from = out.size() - d;
            for (size_t k = 0; k < len; ++k) out += out[from + k];
        }
        if (out.size() > kMaxCode) {
            why = "code= unpacks to more than 64 KiB of text: the lab takes programs up to that size";
            return false;
        }
    }
    // The text is a program: it must be UTF-8 without NUL bytes (the editor and front end take text).
    for (char c : out)
        if (c == 0) {
            why = "code= unpacks to text with a NUL byte: not a program";
            return false;
        }
    return true;
}

}  // namespace gil::ui
