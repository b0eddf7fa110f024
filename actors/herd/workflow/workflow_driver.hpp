#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <caf/expected.hpp>
#include <caf/response_promise.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "herd/core/metrics_registry.hpp"
#include "herd/core/subscriber_list.hpp"
#include "herd/core/wall_time.hpp"
#include "herd/workflow/protocol.hpp"
#include "herd/workflow/workflow_config.hpp"
#include "herd/workflow/workflow_peers.hpp"
#include "herd/workflow/workflow_run.hpp"
#include "herd/workflow/workflow_store.hpp"

namespace spdlog {
class logger;
}

namespace herd {

/// Runs workflows: a thin shell over `workflow_run` (the decisions) and `workflow_store` (the
/// durability). Each step's task goes to the dispatcher like any task; its outcome is committed
/// to the store before the next step is submitted, so a new driver on the same store (after a
/// crash or a restart) skips the finished steps and feeds their results forward. A step that
/// waits for a person is raised in the escalation queue; the run resumes with the person's value
/// from `wf_resume_atom` (the runtime API, `herd workflow resume`) or from a resolution of that
/// escalation (`herd escalations resolve <run>/<step> --note VALUE`: the note, as JSON if it
/// parses, else as a string). Every `poll_interval` it picks up the commands `herd workflow`
/// wrote to the store and the resolved escalations. The store's writes are small and run in the
/// handler (like the escalation queue's).
///
/// Protocol: see herd/workflow/protocol.hpp. Subscribers get `(wf_ended_atom, record)` once per
/// run and `(wf_warning_atom, run_id, message)` when a run nears a cap.
class workflow_driver : public workflow_driver_actor::base {
public:
  /// A driver storing runs in `store` (required: throws `std::invalid_argument` without it or
  /// without a dispatcher in `peers`), capped and polling as `config` says, stamping records
  /// with `wall_clock`.
  workflow_driver(caf::actor_config& cfg, workflow_config config,
                  std::unique_ptr<workflow_store> store, workflow_peers peers,
                  std::shared_ptr<metrics_registry> metrics,
                  std::function<int64_t()> wall_clock = herd::wall_now_ms);
  ~workflow_driver() override;

  const char* name() const override { return "herd.workflow_driver"; }

protected:
  behavior_type make_behavior() override;
  /// Answers the waiters of unfinished workflows with `request_receiver_down`; lets go of its
  /// peers.
  void on_exit() override;

private:
  caf::expected<workflow_record> start(const std::string& workflow, const std::string& id,
                                       const std::string& input);
  caf::expected<workflow_record> resume(const std::string& id, const std::string& value,
                                        const std::string& note);
  caf::expected<workflow_record> cancel(const std::string& id, const std::string& why);
  caf::expected<workflow_record> stored(const std::string& id);
  caf::expected<int64_t> recover();
  void resume_runs_of(const std::string& workflow);
  caf::error activate(const workflow_record& record);
  void advance(const std::string& id);
  void submit(const std::string& id, const workflow_action& action);
  void raise(const std::string& id, const workflow_action& action);
  void on_result(const std::string& id, const std::string& step, bool compensation,
                 const outcome& result);
  bool commit(workflow_run& run);
  void answer_awaiting(const workflow_record& record);
  void poll();
  void check_escalation(const std::string& id);
  caf::error store_failed(const std::exception& e);

  workflow_config config_;
  std::unique_ptr<workflow_store> store_;
  workflow_peers peers_;
  std::shared_ptr<metrics_registry> metrics_;
  std::function<int64_t()> wall_clock_;
  std::shared_ptr<spdlog::logger> log_;
  std::map<std::string, workflow_definition> catalog_;
  std::map<std::string, workflow_run> runs_;
  std::map<std::string, std::vector<caf::response_promise>> awaiting_;
  /// Runs whose escalation is on its way to the escalation queue: awaited like running ones.
  std::set<std::string> raising_;
  subscriber_list subscribers_;

  counter* started_metric_;
  counter* warnings_metric_;
  gauge* active_metric_;
};

/// The value a resolution note gives a waiting step: the text after the last "resolved: " of
/// an escalation's notes, as JSON text if it parses, else as a JSON string.
std::string person_value_of(const std::string& notes);

} // namespace herd
