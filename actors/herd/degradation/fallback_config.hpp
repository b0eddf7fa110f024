#pragma once

#include <map>
#include <set>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "herd/degradation/fallback_chain.hpp"

namespace herd {

class json_reader;

/// The fallback chains of a runtime, by task kind.
///
/// JSON: {"KIND": CHAIN, ...} (see `fallback_chain`).
struct fallback_config {
  /// Chains by task kind. Default: none (no task kind falls back).
  std::map<std::string, fallback_chain> chains;

  /// The chain of `kind`; nullptr when the kind has none.
  const fallback_chain* chain_for(const std::string& kind) const;

  /// Reads every kind's chain; `services` are the names of the known services. Throws
  /// `config_error` naming the JSON path of a bad field.
  static fallback_config from_json(const json_reader& in, const std::set<std::string>& services);
  /// The JSON form.
  nlohmann::json to_json() const;
};

} // namespace herd
