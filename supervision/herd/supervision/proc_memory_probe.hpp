#pragma once

#include <cstdint>

#include "herd/supervision/memory_probe.hpp"

namespace herd {

/// Reads the process's resident set size from /proc/self/statm (resident pages x page size);
/// 0 where there is no /proc (the watchdog then never fires).
class proc_memory_probe : public memory_probe {
public:
  /// The resident bytes now.
  uint64_t resident_bytes() override;
};

} // namespace herd
