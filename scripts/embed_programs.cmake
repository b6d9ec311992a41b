# embed_programs.cmake — the experiments' Python programs (src/engine/experiments/programs/*.py)
# as one C++ header with a table of (file name, text), at build time.
# cmake -DOUTPUT=header.h -DINPUTS="a.py|b.py" -P embed_programs.cmake
string(REPLACE "|" ";" INPUTS "${INPUTS}")
set(body "")
set(table "")
set(i 0)
foreach(input IN LISTS INPUTS)
  file(READ "${input}" hex HEX)
  string(LENGTH "${hex}" hex_len)
  math(EXPR size "${hex_len} / 2")
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" bytes "${bytes}")
  get_filename_component(name "${input}" NAME)
  string(APPEND body "static const char program_${i}[] = {\n${bytes}0x00};\n")
  string(APPEND table "    {\"${name}\", program_${i}, ${size}},\n")
  math(EXPR i "${i} + 1")
endforeach()
file(WRITE "${OUTPUT}" "// Generated from src/engine/experiments/programs by scripts/embed_programs.cmake. Do not edit.\n"
  "#pragma once\n#include <cstddef>\nnamespace gil::ex::embedded {\n"
  "struct ProgramFile { const char* name; const char* text; size_t size; };\n"
  "${body}static const ProgramFile kPrograms[] = {\n${table}};\n"
  "static const size_t kProgramCount = ${i};\n}  // namespace gil::ex::embedded\n")
