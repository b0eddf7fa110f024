#include "herd/distribution/node_registry.hpp"

#include <utility>

namespace herd {

namespace {

/// True if `x == y`, in time that does not depend on where they differ (only on the length).
bool same_secret(const std::string& x, const std::string& y) {
  if (x.size() != y.size())
    return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < x.size(); ++i)
    diff |= static_cast<unsigned char>(x[i] ^ y[i]);
  return diff == 0;
}

} // namespace

node_registry::node_registry(std::string app_id, std::string secret)
    : app_id_(std::move(app_id)), secret_(std::move(secret)) {
  // nop
}

std::string node_registry::refusal(const node_registration& r) const {
  if (auto why = refusal(r.credentials); !why.empty())
    return "node \"" + r.name + "\" " + why;
  if (r.name.empty())
    return "a node must have a name";
  if (r.pool.empty())
    return "node \"" + r.name + "\" names no pool";
  return {};
}

std::string node_registry::refusal(const node_credentials& c) const {
  if (c.app_id != app_id_)
    return "presented application id \"" + c.app_id + "\", this coordinator serves \"" + app_id_ +
           "\"";
  if (!same_secret(c.secret, secret_))
    return "presented a wrong shared secret";
  return {};
}

const node_info& node_registry::admit(const std::string& name, const std::string& pool,
                                      std::vector<std::string> agents, int64_t now_ms) {
  auto& node = nodes_[name];
  node = node_info{};
  node.name = name;
  node.pool = pool;
  node.agents = std::move(agents);
  node.registered_ms = now_ms;
  node.last_contact_ms = now_ms;
  return node;
}

bool node_registry::touch(const std::string& name, int64_t now_ms) {
  auto i = nodes_.find(name);
  if (i == nodes_.end() || !i->second.connected)
    return false;
  i->second.last_contact_ms = now_ms;
  return true;
}

bool node_registry::lose(const std::string& name, const std::string& reason) {
  auto i = nodes_.find(name);
  if (i == nodes_.end() || !i->second.connected)
    return false;
  i->second.connected = false;
  i->second.lost_reason = reason;
  return true;
}

bool node_registry::connected(const std::string& name) const {
  auto i = nodes_.find(name);
  return i != nodes_.end() && i->second.connected;
}

std::vector<node_info> node_registry::view() const {
  std::vector<node_info> result;
  for (auto& entry : nodes_)
    result.push_back(entry.second);
  return result;
}

} // namespace herd
