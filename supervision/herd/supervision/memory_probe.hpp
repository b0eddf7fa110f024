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
  /// Gives the memory the allocator holds freed back to the system; returns by how many bytes
  /// the resident memory fell (0 when it did not or cannot).
  virtual uint64_t release_free_memory() = 0;
};

} // namespace herd
