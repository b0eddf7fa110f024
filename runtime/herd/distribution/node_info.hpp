#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <caf/meta/type_name.hpp>
#include <nlohmann/json_fwd.hpp>

namespace herd {

/// What the coordinator knows of one worker node, for operators (`herd nodes`, the health
/// view) and as the answer to a registration.
struct node_info {
  /// The worker's name. Default: empty.
  std::string name;
  /// The pool its agents joined. Default: empty.
  std::string pool;
  /// The names its agents have in the coordinator ("<pool>-<n>"). Default: none.
  std::vector<std::string> agents;
  /// When it registered, ms since the epoch (wall-clock UTC). Default: 0.
  int64_t registered_ms = 0;
  /// Its last contact (registration or ping), ms since the epoch (wall-clock UTC). Default: 0.
  int64_t last_contact_ms = 0;
  /// False once the node is lost (its connection dropped); its leases were re-queued.
  /// Default: true.
  bool connected = true;
  /// Why it was lost ("" while connected). Default: empty.
  std::string lost_reason;

  /// The JSON form, with times as UTC ISO-8601 text.
  nlohmann::json to_json() const;
};

/// Two views are equal if every field is.
inline bool operator==(const node_info& x, const node_info& y) {
  return x.name == y.name && x.pool == y.pool && x.agents == y.agents &&
         x.registered_ms == y.registered_ms && x.last_contact_ms == y.last_contact_ms &&
         x.connected == y.connected && x.lost_reason == y.lost_reason;
}

/// Makes `node_info` serializable by CAF.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, node_info& x) {
  return f(caf::meta::type_name("herd::node_info"), x.name, x.pool, x.agents, x.registered_ms,
           x.last_contact_ms, x.connected, x.lost_reason);
}

} // namespace herd
