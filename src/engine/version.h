// version.h — the one version string of the engine, CLI and page.
#pragma once
namespace gil {
inline constexpr const char* kVersion = "0.1.0";
}
