#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "herd/distribution/node_info.hpp"
#include "herd/distribution/node_registration.hpp"

namespace herd {

/// The coordinator's book of worker nodes: who may join (application id and shared secret,
/// compared in constant time), which agents each brought, its last contact and whether it is
/// lost. Plain data: the node endpoint actor turns messages into its calls; times are
/// wall-clock UTC ms given by the caller.
class node_registry {
public:
  /// A registry admitting nodes that present `app_id` and `secret` (empty: no secret).
  node_registry(std::string app_id, std::string secret);

  /// Why `r` may not join (a sentence without the secret), or "" if it may.
  std::string refusal(const node_registration& r) const;
  /// Why a client presenting `c` may not submit (a sentence without the secret), or "" if it
  /// may.
  std::string refusal(const node_credentials& c) const;
  /// Records node `name` of `pool` with agents named `agents`, registered at `now_ms`; a node
  /// of that name registered before is replaced. Returns the node's view.
  const node_info& admit(const std::string& name, const std::string& pool,
                         std::vector<std::string> agents, int64_t now_ms);
  /// Notes a contact of node `name` at `now_ms`; false for a node it does not know or lost.
  bool touch(const std::string& name, int64_t now_ms);
  /// Marks node `name` lost for `reason`; true if it was connected (the first loss counts).
  bool lose(const std::string& name, const std::string& reason);
  /// True if node `name` is registered and connected.
  bool connected(const std::string& name) const;
  /// Every node, by name.
  std::vector<node_info> view() const;

private:
  std::string app_id_;
  std::string secret_;
  std::map<std::string, node_info> nodes_;
};

} // namespace herd
