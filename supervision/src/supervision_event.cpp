#include "herd/supervision/supervision_event.hpp"

#include <nlohmann/json.hpp>

#include "herd/core/enum_name.hpp"

namespace herd {

std::string to_string(supervision_event_kind x) {
  switch (x) {
  case supervision_event_kind::suspect:
    return "suspect";
  case supervision_event_kind::isolated:
    return "isolated";
  case supervision_event_kind::stuck:
    return "stuck";
  case supervision_event_kind::exited:
    return "exited";
  case supervision_event_kind::restarting:
    return "restarting";
  case supervision_event_kind::restarted:
    return "restarted";
  case supervision_event_kind::abandoned:
    return "abandoned";
  case supervision_event_kind::gave_up:
    return "gave_up";
  case supervision_event_kind::recycled:
    return "recycled";
  case supervision_event_kind::scaled_up:
    return "scaled_up";
  case supervision_event_kind::scaled_down:
    return "scaled_down";
  case supervision_event_kind::memory_soft_limit:
    return "memory_soft_limit";
  case supervision_event_kind::memory_hard_limit:
    return "memory_hard_limit";
  case supervision_event_kind::memory_recovered:
    return "memory_recovered";
  }
  return "unknown";
}

std::optional<supervision_event_kind> parse_supervision_event_kind(std::string_view name) {
  return parse_enum_name<supervision_event_kind>(
      name, {supervision_event_kind::suspect, supervision_event_kind::isolated,
             supervision_event_kind::stuck, supervision_event_kind::exited,
             supervision_event_kind::restarting, supervision_event_kind::restarted,
             supervision_event_kind::abandoned, supervision_event_kind::gave_up,
             supervision_event_kind::recycled, supervision_event_kind::scaled_up,
             supervision_event_kind::scaled_down, supervision_event_kind::memory_soft_limit,
             supervision_event_kind::memory_hard_limit, supervision_event_kind::memory_recovered});
}

nlohmann::json supervision_event::to_json() const {
  nlohmann::json j = {{"event", to_string(kind)},
                      {"source", source},
                      {"name", name},
                      {"detail", detail},
                      {"at_ms", to_epoch_ms(at)}};
  if (actor_id != 0)
    j["actor_id"] = actor_id;
  return j;
}

} // namespace herd
