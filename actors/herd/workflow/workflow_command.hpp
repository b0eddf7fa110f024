#pragma once

#include <cstdint>
#include <string>

namespace herd {

/// An operator's request to the running service, written by `herd workflow resume|cancel` into
/// the workflow store and carried out by the workflow driver within its poll interval.
struct workflow_command {
  /// Its row id.
  int64_t id = 0;
  /// The run it concerns.
  std::string run_id;
  /// "resume" or "cancel".
  std::string command;
  /// For resume: the waiting step's value as JSON text ("null" if none).
  std::string value = "null";
  /// The operator's note.
  std::string note;
  /// When it was requested (wall-clock UTC ms).
  int64_t requested_ms = 0;
  /// When the service carried it out; 0 = not yet.
  int64_t done_ms = 0;
  /// What the service made of it ("ok" or the problem); empty until done.
  std::string result;
};

} // namespace herd
