#pragma once

#include <cstdint>

namespace herd {

/// Where the memory watchdog reads the process's resident memory: `proc_memory_probe` in a
/// process, a scripted one in tests.
class memory_probe {
public:
  virtual ~memory_probe() = default;
  /// The process's resident memory in bytes now; 0 if it cannot be read.
  virtual uint64_t resident_bytes() = 0;
};

} // namespace herd
