#pragma once

#include <cstdint>
#include <map>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "herd/degradation/call_fingerprint.hpp"

namespace herd {

class json_reader;

/// What a task's next service call may do.
enum class loop_verdict : uint8_t {
  /// Make the call.
  allow,
  /// Make the call, but the same call was seen `warn_repeats` times or more: report it.
  warn,
  /// Do not make the call: end the task (`reason` says why).
  stop,
};

/// The name of a verdict, e.g. "warn".
std::string to_string(loop_verdict x);

/// The verdict on one call, with what the record needs.
struct loop_check {
  /// Allow, warn or stop. Default: allow.
  loop_verdict verdict = loop_verdict::allow;
  /// "step_limit" or "loop_detected" for warn and stop; empty for allow.
  std::string reason;
  /// The fingerprint of the call judged (the repeated request's, for loop_detected).
  call_fingerprint fingerprint;
  /// How many times this fingerprint was asked for, this call included. Default: 0.
  int32_t repeats = 0;
  /// How many calls the task asked for, this one included. Default: 0.
  int32_t steps = 0;
  /// A sentence for operators, e.g. "the same call to llm was asked for 5 times (stop at 5)".
  std::string why;
};

/// Bounds one task's service calls: at most `max_steps` calls, and the same call (the same
/// `call_fingerprint`) warns from its `warn_repeats`-th time and stops at its `stop_repeats`-th,
/// which is not made. Every call counts, whatever its outcome (successes too), and repeats are
/// counted over the whole task, not only back to back, so A-B-A-B loops are caught. Once it
/// stops, it stops every later call with the same verdict. No clock: a plain counter.
class loop_guard {
public:
  /// The limits, one set per task kind.
  struct limits {
    /// Calls a task may make in all; bounded on purpose. Default: 50.
    int32_t max_steps = 50;
    /// The repeat of one call that is reported. Default: 3.
    int32_t warn_repeats = 3;
    /// The repeat of one call that ends the task as loop_detected. Default: 5.
    int32_t stop_repeats = 5;

    /// Reads {"max_steps", "warn_repeats", "stop_repeats"}; throws `config_error` naming the
    /// JSON path of a value out of range or warn_repeats above stop_repeats.
    static limits from_json(const json_reader& in);
    /// The JSON form.
    nlohmann::json to_json() const;
  };

  /// A guard with the default limits.
  loop_guard() = default;
  /// A guard with `config`.
  explicit loop_guard(limits config) : config_(config) {}

  /// Judges the next call, whose fingerprint is `fingerprint`, and counts it.
  loop_check on_call(call_fingerprint fingerprint);
  /// Calls counted so far (a stopped call not included).
  int32_t steps() const { return steps_; }
  /// True once a call was stopped.
  bool stopped() const { return stopped_.verdict == loop_verdict::stop; }
  /// The limits.
  const limits& config() const { return config_; }

private:
  limits config_;
  int32_t steps_ = 0;
  std::map<call_fingerprint, int32_t> repeats_;
  loop_check stopped_;
};

} // namespace herd
