#pragma once

#include <string>

#include "herd/core/time.hpp"

namespace herd {

/// The JSON text of a supervision event, as health monitors and supervisors send it with
/// `sup_event_atom`: {"event", "source", "name", "detail", "at_ms"}.
std::string supervision_event(const std::string& event, const std::string& source,
                              const std::string& name, const std::string& detail, time_point at);

} // namespace herd
