#pragma once

#include <caf/atom.hpp>

/// The notifier's messages (CAF 0.17 atoms: at most 10 characters; see docs/notifications.md).
/// The notifier also takes the events of the sources it subscribes to, in their own forms:
/// `breaker_transition`, `(sup_event_atom, supervision_event)`, `(dlq_alert_atom, depth,
/// threshold)` and `(esc_opened_atom, id, kind, pool, reason)`.
namespace herd {

/// Sends a notification to the webhooks that want its kind:
/// `(notify_atom, std::string kind, std::string subject, std::string text)`; an unknown kind is
/// logged and dropped. The budget hook of the call guard sends these.
using notify_atom = caf::atom_constant<caf::atom("notify")>;
/// Internal: is the breaker still open for a webhook?
/// `(notify_check_atom, std::string key, std::string service, uint64_t hook)`.
using notify_check_atom = caf::atom_constant<caf::atom("notify_chk")>;

} // namespace herd
