// main.cpp — doctest's main for the engine suite (native and WebAssembly under Node).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include "doctest.h"
