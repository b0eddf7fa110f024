#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <caf/event_based_actor.hpp>
#include <nlohmann/json.hpp>

#include "herd/core/time.hpp"
#include "herd/simulation/run_recorder.hpp"

namespace herd {

/// Submits a simulation's tasks to the dispatcher at their arrival times (on the actor clock,
/// relative to `start`) and records how each one ended, as its submitter sees it, and which
/// tier served it (the outcome's `served_by`; empty: the service the task named).
class task_source : public caf::event_based_actor {
public:
  /// Submits one task of `kind` calling `service` to `dispatcher` at each of `arrivals` (seconds
  /// after `start`), recording into `recorder`; every task carries `payload` (default: null).
  task_source(caf::actor_config& cfg, caf::actor dispatcher, std::vector<double> arrivals,
              time_point start, std::string kind, std::string service,
              std::shared_ptr<run_recorder> recorder, nlohmann::json payload = nullptr);

  /// "herd.sim.task_source".
  const char* name() const override { return "herd.sim.task_source"; }

protected:
  caf::behavior make_behavior() override;

private:
  double seconds_since_start() const;
  void submit_due();

  caf::actor dispatcher_;
  std::vector<double> arrivals_;
  time_point start_;
  std::string kind_;
  std::string service_;
  std::shared_ptr<run_recorder> recorder_;
  nlohmann::json payload_;
  size_t next_ = 0;
};

} // namespace herd
