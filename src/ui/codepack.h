// codepack.h — a program's text packed for a URL: compressed (LZ77 with a 32 KiB window)
// and written in base64url, so `?code=...` stays short and needs no percent-encoding.
//
//   packed  = "1" base64url(tokens)          (the leading "1" is the format's version)
//   token   = L (0..127) then L+1 literal bytes
//           | 128+M (M 0..127) then the distance as a LEB128 varint: copy M+3 bytes from
//             that far back (the copy may overlap what it writes, as LZ77's does)
//
// The page's URL parser unpacks with unpack_code(), which refuses (with a sentence) anything
// malformed or longer than kMaxCode once unpacked; the URL fuzzer feeds it arbitrary text.
#pragma once
#include <string>

namespace gil::ui {

constexpr size_t kMaxCode = 64 * 1024;  // bytes of program text a link can carry at most

std::string pack_code(const std::string& text);
// True and `out` set, or false and `why` says what is wrong with the text.
bool unpack_code(const std::string& packed, std::string& out, std::string& why);

}  // namespace gil::ui
