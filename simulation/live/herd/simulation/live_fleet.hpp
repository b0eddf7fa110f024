#pragma once

#include <functional>
#include <memory>
#include <string>

#include "herd/simulation/arrival_schedule.hpp"
#include "herd/simulation/run_recorder.hpp"
#include "herd/simulation/scenario.hpp"

namespace herd {

/// A classic strategy (immediate, exponential, full_jitter, ...) live: `agents` plain clients
/// over HTTP, the way applications call an LLM API through its official SDK. Each client holds
/// one task at a time (tasks beyond the fleet wait in a queue, first come first served), POSTs a
/// chat completion to the mock and retries a failed call up to `max_attempts` calls in all,
/// sleeping as the official SDKs do: the response's Retry-After (`retry-after-ms`, else
/// `retry-after`) when it asks for more than 0 and at most 60 s, else the strategy's backoff
/// between the scenario's base and cap (`immediate` retries at once and ignores Retry-After, as in
/// the simulation). The calls go through one `http_client` (libcurl, a connection per client at
/// most); one thread of the caller's runs the fleet's clock: arrivals, wake-ups and answers.
class live_fleet {
public:
  /// Called about ten times a second with the seconds since the start.
  using progress_fn = std::function<void(double)>;

  /// The longest Retry-After a client obeys, seconds; a longer one falls back to the backoff
  /// (the official OpenAI and Anthropic SDKs' limit). Default: 60.
  static constexpr double max_retry_after_s = 60;

  /// A fleet of `config.agents` clients of `strategy` calling `base_url` (the mock's
  /// "http://HOST:PORT"), recording arrivals and ends into `recorder`.
  live_fleet(const scenario& config, std::string strategy, const arrival_schedule& arrivals,
             std::string base_url, std::shared_ptr<run_recorder> recorder);

  /// Runs until every task ended or `wall_limit_s` passed (unfinished tasks then show as lost).
  void run(double wall_limit_s, const progress_fn& progress = {});

private:
  const scenario* config_;
  std::string strategy_;
  const arrival_schedule* arrivals_;
  std::string base_url_;
  std::shared_ptr<run_recorder> recorder_;
};

} // namespace herd
