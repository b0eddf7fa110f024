#include "herd/supervision/proc_memory_probe.hpp"

#include <fstream>

#include <unistd.h>

namespace herd {

uint64_t proc_memory_probe::resident_bytes() {
  std::ifstream statm{"/proc/self/statm"};
  uint64_t size = 0;
  uint64_t resident = 0;
  if (!(statm >> size >> resident))
    return 0;
  auto page = sysconf(_SC_PAGESIZE);
  return resident * static_cast<uint64_t>(page > 0 ? page : 4096);
}

} // namespace herd
