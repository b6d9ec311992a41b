// web_pool.cpp — the thread pool size of one WebAssembly executable (its -sPTHREAD_POOL_SIZE),
// compiled into that executable with GILLAB_POOL_SIZE defined (CMakeLists.txt, gillab_pool_size),
// not into the engine: the page (13 workers) and the test suite (71) link one engine build.
#include "engine/real/common.h"

namespace gil::real {

int web_pool_size() { return GILLAB_POOL_SIZE; }

}  // namespace gil::real
