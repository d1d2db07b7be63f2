// The monotonic clock that token lifetimes and rate limits run on, as a
// function so that tests can move time.
//
// Thread-safety: a NowFn is called from any thread.
#pragma once

#include <chrono>
#include <functional>

namespace pathbridge::gateway::auth {

using SteadyTime = std::chrono::steady_clock::time_point;
using NowFn = std::function<SteadyTime()>;

inline SteadyTime SteadyNow() { return std::chrono::steady_clock::now(); }

}  // namespace pathbridge::gateway::auth
