#pragma once

#include <cstdint>
#include <map>

#include <nlohmann/json.hpp>

#include "herd/dispatch/agent.hpp"

namespace herd {

/// The built-in demo agent of `herd worker` (and a test double): answers every task with
/// `{"echo": payload, "pid": its process id, "agent": its name}`. A payload object with
/// `"delay_ms": N` is answered N ms later (from the actor clock, the agent stays responsive),
/// so tasks can be in flight when a worker dies.
class echo_agent : public agent {
public:
  using agent::agent;

protected:
  void handle_async(const task& t, task_completion done) override;
  caf::message_handler extra_handlers() override;

private:
  struct delayed {
    task_completion done;
    nlohmann::json result;
  };
  std::map<uint64_t, delayed> delayed_;
  uint64_t next_delayed_ = 0;
};

} // namespace herd
