#include "herd/simulation/occ_scheduler_harness.hpp"

#include <chrono>
#include <cmath>
#include <map>
#include <stdexcept>
#include <string>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>
#include <spdlog/logger.h>

#include "herd/core/failure.hpp"
#include "herd/core/logging.hpp"
#include "herd/core/outcome.hpp"
#include "herd/core/task.hpp"
#include "herd/core/virtual_time.hpp"
#include "herd/dispatch/protocol.hpp"
#include "herd/retry/protocol.hpp"
#include "herd/retry/retry_scheduler.hpp"
#include "herd/runtime/announce.hpp"
#include "herd/simulation/occ_experiment.hpp"

namespace herd {

namespace {

struct testing_config : caf::actor_system_config {
  testing_config() {
    set("scheduler.policy", caf::atom("testing"));
    announce_types(*this);
  }
};

/// What the scheduler sent the dispatcher.
struct dispatcher_inbox {
  std::vector<task> released;
  std::vector<outcome> settled;
};

/// The dispatcher's side of the dispatcher <-> retry scheduler protocol.
caf::behavior dispatcher_stand_in(caf::event_based_actor*, std::shared_ptr<dispatcher_inbox> in) {
  return {
      [in](resubmit_atom, task& t) { in->released.push_back(std::move(t)); },
      [in](settle_atom, outcome& x) { in->settled.push_back(std::move(x)); },
  };
}

duration from_double_ms(double ms) {
  return std::chrono::duration_cast<duration>(std::chrono::duration<double, std::milli>(ms));
}

} // namespace

struct occ_scheduler_harness::actors {
  testing_config cfg;
  caf::actor_system sys{cfg};
  virtual_time vt{sys};
  time_point start;
  std::shared_ptr<dispatcher_inbox> inbox = std::make_shared<dispatcher_inbox>();
  caf::actor dispatcher;
  retry_scheduler_actor scheduler;
  std::vector<task> tasks;
};

failure_policy occ_scheduler_harness::policy() {
  auto result = failure_policy::preset("default");
  result.max_attempts = 1000000;
  result.backoff = occ_experiment::policy_of("full_jitter");
  return result;
}

retry_scheduler_config occ_scheduler_harness::settings(uint64_t seed) {
  retry_scheduler_config result;
  result.seed = seed;
  // A conditional write succeeds when no other write lands between its read and itself: two
  // hops (about 20 ms) after the read. Retries released 25 ms apart, one at a time, rarely
  // overlap; the pacer's own decrease still answers if they do.
  result.pacing.initial_rate = 40;
  result.pacing.max_rate = 40;
  result.pacing.burst = 1;
  // Conflicts are not an outage: the budget lets the paced retries through even before the
  // first successes refund it.
  result.budget.min_retries_per_s = 40;
  return result;
}

occ_scheduler_harness::occ_scheduler_harness(int32_t clients, uint64_t seed)
    : actors_(std::make_unique<actors>()) {
  auto& a = *actors_;
  a.sys.await_actors_before_shutdown(false);
  // Start away from the clock's epoch (time zero means "none" in task deadlines).
  a.vt.coordinator().clock().current_time += std::chrono::hours(1);
  a.start = a.vt.now();
  a.dispatcher = a.sys.spawn(dispatcher_stand_in, a.inbox);
  retry_scheduler_peers peers;
  peers.dispatcher = a.dispatcher;
  // Without dead-letter and escalation queues the scheduler says so at info level, once per
  // trial here; what it says later (a task that ends) still shows.
  auto log = component_logger("retry_scheduler");
  auto level = log->level();
  log->set_level(std::max(level, spdlog::level::warn));
  a.scheduler = a.sys.spawn<retry_scheduler>(
      settings(seed), std::map<std::string, failure_policy>{{kind(), policy()}}, peers, nullptr);
  log->set_level(level);
  for (int32_t c = 0; c < clients; ++c) {
    auto t = task::make("client-" + std::to_string(c), kind(), nullptr, "default", service());
    t.payload = std::to_string(c);
    t.created = a.start;
    a.tasks.push_back(std::move(t));
  }
  a.vt.run();
}

occ_scheduler_harness::~occ_scheduler_harness() {
  auto& a = *actors_;
  caf::anon_send_exit(a.scheduler, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(a.dispatcher, caf::exit_reason::user_shutdown);
  a.vt.run();
}

void occ_scheduler_harness::advance_to(double at_ms) {
  auto& a = *actors_;
  auto target = a.start + from_double_ms(at_ms);
  if (target > a.vt.now())
    a.vt.advance(target - a.vt.now());
}

std::vector<int32_t> occ_scheduler_harness::write_failed(int32_t client, double at_ms) {
  advance_to(at_ms);
  auto& a = *actors_;
  auto& t = a.tasks.at(static_cast<size_t>(client));
  auto why = failure::transient("the row's version changed since it was read")
                 .because("conflict")
                 .from(service());
  t.history.push_back(attempt_record{t.attempt, a.vt.now(), t.id, std::move(why)});
  caf::anon_send(a.scheduler, retry_atom::value, t);
  a.vt.run();
  return collect();
}

std::vector<int32_t> occ_scheduler_harness::write_succeeded(double at_ms) {
  advance_to(at_ms);
  auto& a = *actors_;
  caf::anon_send(a.scheduler, observe_atom::value, std::string{service()}, int32_t{1}, int32_t{0});
  a.vt.run();
  return collect();
}

std::optional<double> occ_scheduler_harness::next_timer_ms() const {
  auto& a = *actors_;
  if (!a.vt.has_timer())
    return std::nullopt;
  auto due = a.vt.coordinator().clock().schedule().begin()->first;
  return std::chrono::duration<double, std::milli>(due - a.start).count();
}

std::vector<int32_t> occ_scheduler_harness::fire_next_timer() {
  actors_->vt.next_timer();
  return collect();
}

std::vector<int32_t> occ_scheduler_harness::collect() {
  auto& a = *actors_;
  if (!a.inbox->settled.empty())
    throw std::runtime_error("the retry scheduler ended the task of a client: " +
                             to_string(a.inbox->settled.front().error));
  std::vector<int32_t> result;
  for (auto& t : a.inbox->released) {
    auto client = std::stoi(t.payload);
    result.push_back(client);
    a.tasks.at(static_cast<size_t>(client)) = std::move(t);
  }
  releases_ += result.size();
  a.inbox->released.clear();
  return result;
}

} // namespace herd
