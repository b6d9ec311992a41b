// repeat.cpp — see repeat.h.
#include "engine/real/repeat.h"

namespace gil::real {

bool repeat_runs(int runs, bool warmup, const RunControl& ctl, const std::function<bool(bool measured)>& once) {
    if (warmup && !ctl.cancelled() && !once(false)) return false;
    for (int k = 0; k < runs && !ctl.cancelled(); ++k)
        if (!once(true)) return false;
    return true;
}

}  // namespace gil::real
