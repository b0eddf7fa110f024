#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <caf/actor_system_config.hpp>
#include <caf/atom.hpp>

#include "herd/admission/admission_policy.hpp"
#include "herd/admission/admission_stats.hpp"
#include "herd/admission/rate_source.hpp"
#include "herd/breakers/breaker_errc.hpp"
#include "herd/breakers/breaker_policy.hpp"
#include "herd/breakers/breaker_registry_config.hpp"
#include "herd/breakers/breaker_state.hpp"
#include "herd/breakers/breaker_status.hpp"
#include "herd/breakers/breaker_transition.hpp"
#include "herd/core/attempt_record.hpp"
#include "herd/core/errc.hpp"
#include "herd/core/failure.hpp"
#include "herd/core/outcome.hpp"
#include "herd/core/task.hpp"
#include "herd/dead_letters/dead_letter.hpp"
#include "herd/dead_letters/dead_letter_errc.hpp"
#include "herd/dead_letters/dead_letter_filter.hpp"
#include "herd/dead_letters/dead_letter_reason.hpp"
#include "herd/dead_letters/dead_letter_stats.hpp"
#include "herd/dead_letters/escalation.hpp"
#include "herd/dead_letters/replay_request.hpp"
#include "herd/dispatch/agent_settings.hpp"
#include "herd/dispatch/dispatcher_config.hpp"
#include "herd/dispatch/dispatcher_stats.hpp"
#include "herd/dispatch/pool_load.hpp"
#include "herd/distribution/node_credentials.hpp"
#include "herd/distribution/node_errc.hpp"
#include "herd/distribution/node_info.hpp"
#include "herd/distribution/node_registration.hpp"
#include "herd/history/settled_task.hpp"
#include "herd/http/http_error.hpp"
#include "herd/http/http_request.hpp"
#include "herd/http/http_response.hpp"
#include "herd/locks/lock_grant.hpp"
#include "herd/locks/lock_reply.hpp"
#include "herd/locks/lock_request.hpp"
#include "herd/locks/locks_config.hpp"
#include "herd/retry/backoff_policy.hpp"
#include "herd/retry/failure_policy.hpp"
#include "herd/supervision/health_monitor_config.hpp"
#include "herd/supervision/health_state.hpp"
#include "herd/supervision/health_view.hpp"
#include "herd/supervision/supervision_errc.hpp"
#include "herd/supervision/supervision_event.hpp"
#include "herd/workflow/workflow_definition.hpp"
#include "herd/workflow/workflow_errc.hpp"
#include "herd/workflow/workflow_record.hpp"

namespace herd {

/// Names a type for `for_each_announced_type`.
template <class T>
struct announced {
  /// The announced type.
  using type = T;
};

/// The one list of every message type herd's protocols carry: calls `visit(announced<T>{},
/// name)` for each, in a fixed order. `announce_types` registers them with CAF (what crosses a
/// process boundary must be registered); the serialization test round-trips each. A new protocol
/// type goes here.
template <class Visitor>
void for_each_announced_type(Visitor&& visit) {
  // core
  visit(announced<failure>{}, "herd::failure");
  visit(announced<attempt_record>{}, "herd::attempt_record");
  visit(announced<task>{}, "herd::task");
  visit(announced<outcome>{}, "herd::outcome");
  visit(announced<std::vector<task>>{}, "std::vector<herd::task>");
  visit(announced<std::vector<outcome>>{}, "std::vector<herd::outcome>");
  visit(announced<http_error>{}, "herd::http_error");
  visit(announced<time_point>{}, "herd::time_point");
  visit(announced<rate_source>{}, "herd::rate_source");
  visit(announced<concurrency_mode>{}, "herd::concurrency_mode");
  visit(announced<admission_policy>{}, "herd::admission_policy");
  visit(announced<admission_stats>{}, "herd::admission_stats");
  visit(announced<http_request>{}, "herd::http_request");
  visit(announced<http_response>{}, "herd::http_response");
  visit(announced<std::vector<uint64_t>>{}, "std::vector<uint64_t>");
  // dispatch
  visit(announced<dispatcher_config>{}, "herd::dispatcher_config");
  visit(announced<dispatcher_stats>{}, "herd::dispatcher_stats");
  visit(announced<agent_settings>{}, "herd::agent_settings");
  visit(announced<pool_load>{}, "herd::pool_load");
  // retry
  visit(announced<backoff_policy>{}, "herd::backoff_policy");
  visit(announced<failure_policy>{}, "herd::failure_policy");
  // breakers
  visit(announced<breaker_state>{}, "herd::breaker_state");
  visit(announced<breaker_transition>{}, "herd::breaker_transition");
  visit(announced<breaker_policy>{}, "herd::breaker_policy");
  visit(announced<breaker_registry_config>{}, "herd::breaker_registry_config");
  visit(announced<breaker_status>{}, "herd::breaker_status");
  // dead letters
  visit(announced<dead_letter_reason>{}, "herd::dead_letter_reason");
  visit(announced<dead_letter>{}, "herd::dead_letter");
  visit(announced<std::vector<dead_letter>>{}, "std::vector<herd::dead_letter>");
  visit(announced<dead_letter_filter>{}, "herd::dead_letter_filter");
  visit(announced<dead_letter_stats>{}, "herd::dead_letter_stats");
  visit(announced<replay_request>{}, "herd::replay_request");
  visit(announced<escalation>{}, "herd::escalation");
  visit(announced<std::vector<escalation>>{}, "std::vector<herd::escalation>");
  // history
  visit(announced<settled_task>{}, "herd::settled_task");
  visit(announced<std::vector<settled_task>>{}, "std::vector<herd::settled_task>");
  // supervision
  visit(announced<health_monitor_config>{}, "herd::health_monitor_config");
  visit(announced<health_state>{}, "herd::health_state");
  visit(announced<agent_health>{}, "herd::agent_health");
  visit(announced<health_view>{}, "herd::health_view");
  visit(announced<supervision_event>{}, "herd::supervision_event");
  // distribution
  visit(announced<node_credentials>{}, "herd::node_credentials");
  visit(announced<node_registration>{}, "herd::node_registration");
  visit(announced<node_info>{}, "herd::node_info");
  visit(announced<std::vector<node_info>>{}, "std::vector<herd::node_info>");
  // workflows
  visit(announced<workflow_status>{}, "herd::workflow_status");
  visit(announced<step_state>{}, "herd::step_state");
  visit(announced<workflow_step>{}, "herd::workflow_step");
  visit(announced<workflow_definition>{}, "herd::workflow_definition");
  visit(announced<step_record>{}, "herd::step_record");
  visit(announced<workflow_record>{}, "herd::workflow_record");
  // locks
  visit(announced<lock_request>{}, "herd::lock_request");
  visit(announced<lock_grant>{}, "herd::lock_grant");
  visit(announced<lock_reply>{}, "herd::lock_reply");
  visit(announced<locks_config>{}, "herd::locks_config");
}

/// A component's error renderer, as CAF's error categories take it.
using error_renderer = std::string (*)(uint8_t, caf::atom_value, const caf::message&);

/// Calls `visit(category, renderer)` for the error category of every herd component.
template <class Visitor>
void for_each_error_category(Visitor&& visit) {
  visit(caf::atom("herd"), &render_errc);
  visit(caf::atom("breaker"), &render_breaker_errc);
  visit(caf::atom("deadletter"), &render_dead_letter_errc);
  visit(caf::atom("herdsup"), &render_supervision_errc);
  visit(caf::atom("workflow"), &render_workflow_errc);
  visit(caf::atom("herdnode"), &render_node_errc);
}

/// Registers every herd message type and error category with a CAF config (before the actor
/// system is created). `system_config` calls it; a user who owns the config calls it for a
/// `herd::runtime` that joins that system.
void announce_types(caf::actor_system_config& cfg);

} // namespace herd
