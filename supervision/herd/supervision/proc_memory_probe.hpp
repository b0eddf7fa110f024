#pragma once

#include <cstdint>

#include "herd/supervision/memory_probe.hpp"

namespace herd {

/// Reads the process's resident set size from /proc/self/statm (resident pages x page size);
/// 0 where there is no /proc (the watchdog then never fires). Releases freed memory with glibc's
/// `malloc_trim(0)`, which gives back every whole free page of every arena (glibc on its own
/// gives back only the top of the main heap, so the arenas of a long-running process's threads
/// keep what they ever peaked at); elsewhere releasing does nothing.
class proc_memory_probe : public memory_probe {
public:
  /// The resident bytes now.
  uint64_t resident_bytes() override;
  /// `malloc_trim(0)`; the fall of the resident bytes it caused.
  uint64_t release_free_memory() override;
};

} // namespace herd
