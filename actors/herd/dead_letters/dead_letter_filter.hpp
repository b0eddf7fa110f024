#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <caf/meta/type_name.hpp>
#include <nlohmann/json_fwd.hpp>

namespace herd {

class json_reader;

/// Selects dead letters. Every field that is set must match; an empty filter selects all.
struct dead_letter_filter {
  /// Task ids; empty = any id.
  std::vector<std::string> ids;
  /// Task kind; empty = any.
  std::string kind;
  /// Reason name (e.g. "non_retryable"); empty = any.
  std::string reason;
  /// Service; empty = any.
  std::string service;
  /// Status name (e.g. "pending"); empty = any.
  std::string status;
  /// Only letters dead-lettered at or after this wall time (ms since the Unix epoch); 0 = no bound.
  int64_t since_ms = 0;
  /// Only letters dead-lettered before this wall time (ms since the Unix epoch); 0 = no bound,
  /// negative (before the epoch) = none.
  int64_t until_ms = 0;
  /// Text that some failure message of the history contains (case-insensitive); empty = any.
  std::string text;
  /// At most this many letters, oldest first; 0 = no limit.
  int64_t limit = 0;

  /// A filter that selects exactly `ids`.
  static dead_letter_filter of_ids(std::vector<std::string> ids);

  /// Reads {"ids", "kind", "reason", "service", "status", "since_ms", "until_ms", "text",
  /// "limit"}; rejects unknown reasons and statuses with the JSON path.
  static dead_letter_filter from_json(const json_reader& in);
  /// The JSON form (only the fields that are set).
  nlohmann::json to_json() const;
};

/// Field-wise equality.
bool operator==(const dead_letter_filter& x, const dead_letter_filter& y);

/// Makes `dead_letter_filter` serializable by CAF.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, dead_letter_filter& x) {
  return f(caf::meta::type_name("herd::dead_letter_filter"), x.ids, x.kind, x.reason, x.service,
           x.status, x.since_ms, x.until_ms, x.text, x.limit);
}

} // namespace herd
