// png.cpp — writes the framebuffer as an uncompressed PNG for "Picture of the lab" (see png.h).
#include "ui/png.h"

#include <algorithm>

namespace gil::ui {

namespace {
uint32_t crc_table[256];
bool crc_ready = false;
uint32_t crc(const uint8_t* p, size_t n, uint32_t c = 0xffffffffu) {
    if (!crc_ready) {
        for (uint32_t i = 0; i < 256; ++i) {
            uint32_t v = i;
            for (int k = 0; k < 8; ++k) v = v & 1 ? 0xedb88320u ^ (v >> 1) : v >> 1;
            crc_table[i] = v;
        }
        crc_ready = true;
    }
    for (size_t i = 0; i < n; ++i) c = crc_table[(c ^ p[i]) & 255] ^ (c >> 8);
    return c;
}
void be32(std::string& s, uint32_t v) {
    s += (char)(v >> 24);
    s += (char)(v >> 16);
    s += (char)(v >> 8);
    s += (char)v;
}
void chunk(std::string& out, const char* type, const std::string& data) {
    be32(out, (uint32_t)data.size());
    std::string td = std::string(type, 4) + data;
    out += td;
    be32(out, crc((const uint8_t*)td.data(), td.size()) ^ 0xffffffffu);
}
}  // namespace

std::string encode_png(const uint8_t* rgba, int w, int h) {
    std::string out = "\x89PNG\r\n\x1a\n";
    std::string ihdr;
    be32(ihdr, (uint32_t)w);
    be32(ihdr, (uint32_t)h);
    ihdr += (char)8;  // bit depth
    ihdr += (char)6;  // RGBA
    ihdr += std::string(3, '\0');
    chunk(out, "IHDR", ihdr);
    // Raw scanlines (filter byte 0) in stored deflate blocks of <= 65535 bytes.
    std::string raw;
    raw.reserve((size_t)h * ((size_t)w * 4 + 1));
    for (int y = 0; y < h; ++y) {
        raw += '\0';
        raw.append((const char*)rgba + (size_t)y * (size_t)w * 4, (size_t)w * 4);
    }
    std::string z = "\x78\x01";
    uint32_t a = 1, b = 0;
    for (unsigned char c : raw) {
        a = (a + c) % 65521;
        b = (b + a) % 65521;
    }
    for (size_t off = 0; off < raw.size() || off == 0; off += 65535) {
        size_t n = std::min<size_t>(65535, raw.size() - off);
        z += (char)(off + n >= raw.size() ? 1 : 0);
        z += (char)(n & 255);
        z += (char)(n >> 8);
        z += (char)(~n & 255);
        z += (char)((~n >> 8) & 255);
        z.append(raw, off, n);
        if (off + n >= raw.size()) break;
    }
    be32(z, (b << 16) | a);
    chunk(out, "IDAT", z);
    chunk(out, "IEND", "");
    return out;
}

}  // namespace gil::ui
