// calibrate.h — `gillab calibrate` (native only: it starts a real Python).
#pragma once
#include <string>
#include <vector>

namespace gil::cli {
int calibrate_main(const std::vector<std::string>& args);
}
