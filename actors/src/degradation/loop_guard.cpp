#include "herd/degradation/loop_guard.hpp"

#include <nlohmann/json.hpp>

#include "herd/core/json_reader.hpp"

namespace herd {

std::string to_string(loop_verdict x) {
  switch (x) {
  case loop_verdict::allow:
    return "allow";
  case loop_verdict::warn:
    return "warn";
  case loop_verdict::stop:
    return "stop";
  }
  return "invalid";
}

loop_guard::limits loop_guard::limits::from_json(const json_reader& in) {
  in.only_keys({"max_steps", "warn_repeats", "stop_repeats"});
  limits result;
  result.max_steps = static_cast<int32_t>(in.integer("max_steps", result.max_steps, 1, 100000));
  result.stop_repeats =
      static_cast<int32_t>(in.integer("stop_repeats", result.stop_repeats, 2, 100000));
  result.warn_repeats =
      static_cast<int32_t>(in.integer("warn_repeats", result.warn_repeats, 2, 100000));
  if (result.warn_repeats > result.stop_repeats)
    in.fail("warn_repeats", "at most stop_repeats (" + std::to_string(result.stop_repeats) + ")");
  return result;
}

nlohmann::json loop_guard::limits::to_json() const {
  return {{"max_steps", max_steps}, {"warn_repeats", warn_repeats}, {"stop_repeats", stop_repeats}};
}

loop_check loop_guard::on_call(call_fingerprint fingerprint) {
  if (stopped())
    return stopped_;
  loop_check result;
  result.fingerprint = fingerprint;
  result.repeats = repeats_[fingerprint] + 1;
  result.steps = steps_ + 1;
  auto same_call = "the same call (" + fingerprint.to_string() + ") was asked for " +
                   std::to_string(result.repeats) + " times";
  if (result.steps > config_.max_steps) {
    result.verdict = loop_verdict::stop;
    result.reason = "step_limit";
    result.why = "call " + std::to_string(result.steps) + " is over the step limit (max_steps " +
                 std::to_string(config_.max_steps) + ")";
  } else if (result.repeats >= config_.stop_repeats) {
    result.verdict = loop_verdict::stop;
    result.reason = "loop_detected";
    result.why = same_call + " (stop_repeats " + std::to_string(config_.stop_repeats) + ")";
  } else if (result.repeats >= config_.warn_repeats) {
    result.verdict = loop_verdict::warn;
    result.reason = "loop_detected";
    result.why = same_call + " (warn_repeats " + std::to_string(config_.warn_repeats) + ")";
  }
  if (result.verdict == loop_verdict::stop) {
    stopped_ = result;
    return result;
  }
  steps_ = result.steps;
  repeats_[fingerprint] = result.repeats;
  return result;
}

} // namespace herd
