#include "herd/supervision/proc_memory_probe.hpp"

#include <fstream>

#include <unistd.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

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

uint64_t proc_memory_probe::release_free_memory() {
#if defined(__GLIBC__)
  auto before = resident_bytes();
  malloc_trim(0);
  auto after = resident_bytes();
  return before > after ? before - after : 0;
#else
  return 0;
#endif
}

} // namespace herd
