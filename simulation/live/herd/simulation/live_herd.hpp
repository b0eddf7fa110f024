#pragma once

#include <functional>
#include <memory>
#include <string>

#include "herd/mock_llm/mock_llm_server.hpp"
#include "herd/simulation/arrival_schedule.hpp"
#include "herd/simulation/run_recorder.hpp"
#include "herd/simulation/scenario.hpp"

namespace herd {

/// The herd strategy live, as a user would run it: a real `herd::runtime` (real scheduler,
/// wall time) configured by `herd_simulation::configure(config, blind)` for the strategy
/// ("herd" or "herd_blind"), an `openai` HTTP service on
/// the mock behind the runtime's breaker, a supervised pool of `calling_agent`s calling it
/// through `breaker_for`, and the scenario's arrivals submitted to the dispatcher by a
/// `task_source`. Whatever pacing herd's configuration and runtime apply reaches the mock as is.
class live_herd {
public:
  /// Called about ten times a second with the seconds since the start.
  using progress_fn = std::function<void(double)>;

  /// A run of `config` over `arrivals` against `mock` (not yet started: its clock starts once
  /// the runtime is up), recording arrivals and ends into `recorder`.
  live_herd(const scenario& config, std::string strategy, const arrival_schedule& arrivals,
            mock_llm_server& mock, std::shared_ptr<run_recorder> recorder);

  /// Runs until every task ended or `wall_limit_s` passed (unfinished tasks then show as
  /// lost); returns true if herd's books (the dispatcher's statistics) agree with the
  /// submitters' view. Throws std::runtime_error if the runtime cannot be set up.
  bool run(double wall_limit_s, const progress_fn& progress = {});

private:
  const scenario* config_;
  std::string strategy_;
  const arrival_schedule* arrivals_;
  mock_llm_server* mock_;
  std::shared_ptr<run_recorder> recorder_;
};

} // namespace herd
