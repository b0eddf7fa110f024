#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "herd/core/time.hpp"

namespace herd {

class json_reader;

/// How accepted tasks are kept: in memory only, or in a task journal (an SQLite file) that a
/// restarted runtime or dispatcher recovers from. The one home of its defaults; JSON section
/// "journal" (see docs/durability.md).
struct journal_config {
  /// What an acknowledged task survives.
  enum class durability_level {
    /// Memory only: a crash loses accepted tasks (herd's behaviour without a journal).
    none,
    /// A submit is acknowledged once its task is in the journal, synced to disk (group commit).
    sync,
  };

  /// The SQLite file of the journal; empty = beside the dead letters (`<dead_letters.db>` with
  /// ".tasks" added). Default: empty.
  std::string file;
  /// What an acknowledged task survives. Default: none (no journal, no cost).
  durability_level durability = durability_level::none;
  /// Settled task ids kept for idempotency across restarts (oldest deleted first). Default:
  /// 100000.
  int64_t max_completed = 100000;
  /// How long settled task ids are kept. Default: 7 days.
  duration max_age = from_ms(7LL * 24 * 3600 * 1000);
  /// Records written in one transaction at most (more wait for the next). Default: 8192.
  int64_t max_batch = 8192;

  /// True if tasks are journaled (durability sync).
  bool durable() const { return durability == durability_level::sync; }
  /// The journal's file: `file`, else `dead_letters_db` + ".tasks"; empty if neither is set.
  std::string file_beside(const std::string& dead_letters_db) const;

  /// Reads {"file", "durability": "sync"|"none", "retention": {"max_completed", "max_age_ms"},
  /// "max_batch"}; absent keys keep their defaults; errors name the JSON path.
  static journal_config from_json(const json_reader& in);
  /// The JSON form.
  nlohmann::json to_json() const;
};

/// "none" or "sync".
std::string to_string(journal_config::durability_level x);

} // namespace herd
