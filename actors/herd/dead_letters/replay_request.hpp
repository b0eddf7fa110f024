#pragma once

#include <cstdint>
#include <string>

#include <caf/meta/type_name.hpp>
#include <nlohmann/json_fwd.hpp>

#include "herd/dead_letters/dead_letter_filter.hpp"

namespace herd {

/// A replay of dead letters and its progress, as stored in the database (so the `herd dlq`
/// command can request one and watch it).
struct replay_request {
  /// The request's id in the database.
  int64_t id = 0;
  /// Which letters to replay.
  dead_letter_filter filter;
  /// The most tasks per second to send to the dispatcher. Default: 10.
  double rate = 10;
  /// "requested" (waiting for the service), "running", "done", "cancel" (asked to stop),
  /// "cancelled" or "failed".
  std::string state = "requested";
  /// Letters the replay selected.
  int64_t total = 0;
  /// Letters sent to the dispatcher so far.
  int64_t sent = 0;
  /// Wall time of the request (ms since the Unix epoch).
  int64_t requested_ms = 0;
  /// Wall time of its last change (ms since the Unix epoch).
  int64_t updated_ms = 0;

  /// True once the replay has ended (done, cancelled or failed).
  bool finished() const { return state == "done" || state == "cancelled" || state == "failed"; }
};

/// Makes `replay_request` serializable by CAF.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, replay_request& x) {
  return f(caf::meta::type_name("herd::replay_request"), x.id, x.filter, x.rate, x.state, x.total,
           x.sent, x.requested_ms, x.updated_ms);
}

/// JSON form: {"id", "filter", "rate", "state", "total", "sent", "requested_ms", "updated_ms"}.
void to_json(nlohmann::json& j, const replay_request& x);

} // namespace herd
