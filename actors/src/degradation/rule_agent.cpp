#include "herd/degradation/rule_agent.hpp"

#include <utility>

namespace herd {

rule_agent::rule_agent(caf::actor_config& cfg, rule fn) : agent(cfg), rule_(std::move(fn)) {}

outcome rule_agent::handle(const task& t) {
  return rule_(t);
}

} // namespace herd
