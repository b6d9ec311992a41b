# embed.cmake — turns any file into a C++ header with a byte array, at build time.
# cmake -DINPUT=file -DOUTPUT=header.h -DSYMBOL=name -P embed.cmake
# Text files get a terminating NUL, so shaders can be passed to glShaderSource as-is.
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_len)
math(EXPR size "${hex_len} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" bytes "${bytes}")
get_filename_component(src_name "${INPUT}" NAME)
file(WRITE "${OUTPUT}" "// Generated from ${src_name} by scripts/embed.cmake. Do not edit.\n#pragma once\n#include <cstddef>\n"
  "alignas(4) static const unsigned char ${SYMBOL}_data[] = {\n${bytes}0x00};\n"
  "static const size_t ${SYMBOL}_size = ${size};\n")
