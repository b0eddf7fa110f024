#pragma once

#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/meta/type_name.hpp>

#include "herd/distribution/node_credentials.hpp"

namespace herd {

/// What a worker presents to the coordinator's node endpoint to join a pool with its agents.
/// It carries the shared secret: never log or print one.
struct node_registration {
  /// The application id and the shared secret. Default: both empty.
  node_credentials credentials;
  /// The worker's name, unique in the fleet; a worker that registers again under its name
  /// replaces its earlier registration. Default: empty.
  std::string name;
  /// The coordinator's pool the agents join. Default: empty.
  std::string pool;
  /// The agents the worker hosts (plain `herd::agent`s in its process). Default: none.
  std::vector<caf::actor> agents;
};

/// Two registrations are equal if every field is.
inline bool operator==(const node_registration& x, const node_registration& y) {
  return x.credentials == y.credentials && x.name == y.name && x.pool == y.pool &&
         x.agents == y.agents;
}

/// Makes `node_registration` serializable by CAF.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, node_registration& x) {
  return f(caf::meta::type_name("herd::node_registration"), x.credentials, x.name, x.pool,
           x.agents);
}

} // namespace herd
