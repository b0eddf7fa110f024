#include "herd/supervision/supervision_event.hpp"

#include <nlohmann/json.hpp>

namespace herd {

std::string supervision_event(const std::string& event, const std::string& source,
                              const std::string& name, const std::string& detail, time_point at) {
  return nlohmann::json{{"event", event},
                        {"source", source},
                        {"name", name},
                        {"detail", detail},
                        {"at_ms", to_epoch_ms(at)}}
      .dump();
}

} // namespace herd
