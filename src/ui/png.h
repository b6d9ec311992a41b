// png.h — a minimal PNG writer (stored deflate blocks, no compression): enough to save a
// screenshot of the canvas without a library.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace gil::ui {
// rgba: width*height*4 bytes, top row first. Returns the PNG file's bytes.
std::string encode_png(const uint8_t* rgba, int width, int height);
}
