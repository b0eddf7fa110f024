#pragma once

// What the libFuzzer targets share: the input as text or as lines, and a check that crashes the
// target (so libFuzzer keeps the input) when a contract of the code under test is broken.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace herd::fuzz {

/// The fuzzer's input as a string.
inline std::string text_of(const uint8_t* data, size_t size) {
  return std::string{reinterpret_cast<const char*>(data), size};
}

/// The input split at '\n' into at most `max_lines` lines; the last one keeps the rest (line
/// breaks included), so a body can follow fixed fields.
inline std::vector<std::string> lines_of(const uint8_t* data, size_t size, size_t max_lines) {
  std::vector<std::string> result;
  auto text = text_of(data, size);
  size_t start = 0;
  while (result.size() + 1 < max_lines) {
    auto end = text.find('\n', start);
    if (end == std::string::npos)
      break;
    result.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  result.push_back(text.substr(start));
  return result;
}

/// Line `i` of `lines`, or "" when the input has fewer lines.
inline const std::string& line(const std::vector<std::string>& lines, size_t i) {
  static const std::string empty;
  return i < lines.size() ? lines[i] : empty;
}

/// Aborts with `what` when `holds` is false: a broken contract is a crash libFuzzer reports.
inline void check(bool holds, const char* what) {
  if (!holds) {
    std::fprintf(stderr, "fuzz contract broken: %s\n", what);
    std::abort();
  }
}

} // namespace herd::fuzz
