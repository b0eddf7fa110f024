#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "dispatch/id_index.hpp"
#include "herd/core/errc.hpp"
#include "herd/core/outcome.hpp"

namespace herd {

/// The answer to a submit.
struct submit_decision {
  /// What became of the submit.
  enum class verdict {
    accepted, ///< queued: its outcome arrives as a settlement for `waiters`
    joined,   ///< the id is pending: its outcome arrives as a settlement for `waiters`
    known,    ///< the id completed before: `known_outcome` is the answer
    rejected, ///< refused: `error` and `reason` say why
  };
  /// Default: rejected.
  verdict what = verdict::rejected;
  /// The waiters handle of an accepted or joined submit. Default: npos.
  uint32_t waiters = id_index::npos;
  /// The recorded outcome of a known id (only then set: most submits build no outcome). Default:
  /// none.
  std::optional<outcome> known_outcome;
  /// Why a submit was rejected. Default: invalid_task.
  errc error = errc::invalid_task;
  /// The rejection's message. Default: empty.
  std::string reason;
  /// The number of the journal record of an accepted task (0: no journal); acknowledged once
  /// the journal committed it. Default: 0.
  uint64_t journal_seq = 0;
  /// For a `budget_exhausted` rejection: when the budget's window resets (ms UTC); none if never.
  std::optional<int64_t> until_ms;
};

} // namespace herd
