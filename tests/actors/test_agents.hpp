#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "herd/core/atoms.hpp"
#include "herd/dispatch/agent.hpp"

namespace herd::test {

/// Counts how often each task id ran, across agents.
using run_counter = std::shared_ptr<std::map<std::string, int>>;

/// Completes every task at once with {"echo": payload}; counts runs.
class echo_agent : public agent {
public:
  echo_agent(caf::actor_config& cfg, run_counter runs) : agent(cfg), runs_(std::move(runs)) {}

protected:
  outcome handle(const task& t) override {
    ++(*runs_)[t.id];
    return outcome::success({{"echo", t.payload_json()}});
  }

private:
  run_counter runs_;
};

/// Takes every task and never reports it (a hung handler, as the dispatcher sees it).
class silent_agent : public agent {
public:
  using agent::agent;

protected:
  void handle_async(const task&, task_completion done) override { held_ = done; }
  caf::message_handler extra_handlers() override {
    // ("finish") completes the task it holds: a late result.
    return {[this](call_atom) {
      if (held_)
        held_->succeed("late");
    }};
  }

private:
  std::optional<task_completion> held_;
};

/// Throws from `handle`.
class throwing_agent : public agent {
public:
  using agent::agent;

protected:
  outcome handle(const task&) override { throw std::runtime_error("model returned garbage"); }
};

/// Fails with the category named in the payload's "fail" field; fails the first attempt
/// (transient) when the payload has "flaky"; else succeeds.
class failing_agent : public agent {
public:
  using agent::agent;

protected:
  outcome handle(const task& t) override {
    auto payload = t.payload_json();
    if (payload.is_object() && payload.contains("flaky") && t.attempt == 1)
      return outcome::fail(failure::make(failure_category::transient, "first try fails"));
    if (payload.is_object() && payload.contains("fail"))
      return outcome::fail(failure::make(
          *parse_failure_category(payload["fail"].get<std::string>()), "asked to fail"));
    return outcome::success("ok");
  }
};

} // namespace herd::test
