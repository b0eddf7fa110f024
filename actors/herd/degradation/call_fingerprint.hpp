#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace herd {

/// A stable 64-bit hash of one service call: FNV-1a over the service name, a zero byte and the
/// request's canonical JSON (object keys sorted, no whitespace, a number written by its value:
/// 1, 1.0 and 1e0 are one number). The same call written twice differently has one
/// fingerprint, in every process and build, so it can be stored and compared later.
class call_fingerprint {
public:
  /// The empty fingerprint (value 0); no call has it in practice.
  call_fingerprint() = default;

  /// The fingerprint of calling `service` with the JSON value `request`.
  static call_fingerprint of(std::string_view service, const nlohmann::json& request);
  /// The fingerprint of calling `service` with `request` text: parsed and canonicalised when it
  /// is JSON, hashed as it is otherwise.
  static call_fingerprint of_text(std::string_view service, std::string_view request);
  /// `request` in canonical form: sorted keys, compact, integral numbers as integers.
  static std::string canonical(const nlohmann::json& request);

  /// The hash.
  uint64_t value() const { return value_; }
  /// The hash as 16 lower-case hex digits, for records and logs.
  std::string to_string() const;

  /// Equal hashes.
  friend bool operator==(call_fingerprint x, call_fingerprint y) { return x.value_ == y.value_; }
  /// Different hashes.
  friend bool operator!=(call_fingerprint x, call_fingerprint y) { return x.value_ != y.value_; }
  /// Orders by hash, for maps.
  friend bool operator<(call_fingerprint x, call_fingerprint y) { return x.value_ < y.value_; }

private:
  explicit call_fingerprint(uint64_t value) : value_(value) {}
  static call_fingerprint hash(std::string_view service, std::string_view canonical_request);

  uint64_t value_ = 0;
};

} // namespace herd
