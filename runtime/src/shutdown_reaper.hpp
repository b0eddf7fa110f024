#pragma once

#include <memory>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/atom.hpp>
#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>

#include "herd/core/time.hpp"
#include "stop_roster.hpp"

namespace herd {

/// Starts the reaper's work: `(reap_atom)`, replies `(ok_atom)` once every target is down, or
/// when the time to stop and then to kill them is up.
using reap_atom = caf::atom_constant<caf::atom("reap")>;

/// An actor a shutdown stops.
struct stop_target {
  /// Its name in the shutdown report and the log, e.g. "service llm" or "dispatcher".
  std::string name;
  /// The actor.
  caf::actor handle;
  /// True if the reaper sends it the exit (user_shutdown); false if another actor stops it (its
  /// supervisor) and the reaper only watches it and kills it when it is late.
  bool send_exit = true;
};

/// The actor that ends a shutdown, whatever the actors do: it monitors every target, asks
/// those with `send_exit` to stop (user_shutdown), kills those still up after `stop_timeout`
/// and answers `reap_atom` once all are down or another `stop_timeout` has passed. `roster`
/// says afterwards which were killed and which still run (a handler that never returns).
caf::behavior shutdown_reaper(caf::event_based_actor* self, std::vector<stop_target> targets,
                              std::shared_ptr<stop_roster> roster, duration stop_timeout);

} // namespace herd
