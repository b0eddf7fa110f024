#pragma once

#include <string>

#include <caf/meta/type_name.hpp>

namespace herd {

/// What a worker or a client presents to the coordinator's node endpoint before it may join
/// or submit: herd's application identifier and the fleet's shared secret. It carries the
/// secret: never log or print one.
struct node_credentials {
  /// herd's application identifier (`node_config::app_id`). Default: empty.
  std::string app_id;
  /// The shared secret (`node_config::secret()`); empty when the fleet has none. Default: empty.
  std::string secret;
};

/// Two credentials are equal if both fields are.
inline bool operator==(const node_credentials& x, const node_credentials& y) {
  return x.app_id == y.app_id && x.secret == y.secret;
}

/// Makes `node_credentials` serializable by CAF.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, node_credentials& x) {
  return f(caf::meta::type_name("herd::node_credentials"), x.app_id, x.secret);
}

} // namespace herd
