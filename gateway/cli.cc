#include "gateway/cli.h"

#include <cstdio>

namespace pathbridge::gateway {

int RunCli(int, char**) {
  std::puts("pathbridge");
  return kExitOk;
}

}  // namespace pathbridge::gateway
