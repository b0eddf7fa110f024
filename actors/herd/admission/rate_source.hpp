#pragma once

#include <cstdint>
#include <string>

namespace herd {

/// Where a service's current admission rate comes from.
enum class rate_source : uint8_t {
  /// No limit: nothing configured or published, and the service has not throttled yet.
  unlimited,
  /// The configured `rate_per_s`.
  configured,
  /// The limit the service publishes in its answers.
  published,
  /// Learned from the service's throttling, below any configured or published limit.
  learned,
};

/// The name of a source: "unlimited", "configured", "published" or "learned".
std::string to_string(rate_source x);

} // namespace herd
