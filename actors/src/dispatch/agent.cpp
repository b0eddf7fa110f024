#include "herd/dispatch/agent.hpp"

#include <algorithm>
#include <exception>

#include <nlohmann/json.hpp>

#include "herd/core/atoms.hpp"
#include "herd/core/errc.hpp"
#include "herd/core/wall_time.hpp"
#include "herd/degradation/call_guard.hpp"
#include "herd/dispatch/protocol.hpp"

namespace herd {

namespace {

std::string describe(const std::exception_ptr& eptr) {
  try {
    std::rethrow_exception(eptr);
  } catch (const std::exception& e) {
    return std::string{"exception: "} + e.what();
  } catch (...) {
    return "exception of unknown type";
  }
}

/// `request` with the tier's `params` (a JSON object, empty = none) merged in (RFC 7386); a
/// request that is not JSON goes as it is.
std::string merged_request(std::string request, const std::string& params) {
  if (params.empty())
    return request;
  auto patch = nlohmann::json::parse(params, nullptr, false);
  auto target = nlohmann::json::parse(request, nullptr, false);
  if (patch.is_discarded() || target.is_discarded())
    return request;
  target.merge_patch(patch);
  return target.dump();
}

} // namespace

agent::agent(caf::actor_config& cfg) : caf::event_based_actor(cfg) {
  // An exception in a response callback kills the actor (CAF 0.17 cannot resume it): report
  // every held task as `unknown` first, so nothing is lost, then exit with the error.
  set_exception_handler([this](std::exception_ptr& eptr) -> caf::error {
    auto reason = describe(eptr);
    fail_all_leases(reason);
    return caf::make_error(caf::sec::runtime_error, reason);
  });
}

const char* agent::name() const {
  return settings_.name.empty() ? "herd.agent" : settings_.name.c_str();
}

outcome agent::handle(const task&) {
  return outcome::fail(failure::permanent("herd::agent::handle is not implemented"));
}

void agent::handle_async(const task& t, task_completion done) {
  done.finish(handle(t));
}

caf::message_handler agent::extra_handlers() {
  return {};
}

void agent::on_setup() {
  // nop
}

caf::behavior agent::make_behavior() {
  caf::message_handler base{
      [this](setup_atom, agent_settings& settings) {
        settings_ = std::move(settings);
        born_ = clock().now();
        on_setup();
        schedule_heartbeat();
        // An idle agent grows old too: look again when its max_age is due.
        if (settings_.recycling.max_age.count() > 0)
          delayed_send(this, settings_.recycling.max_age, recycle_atom::value);
      },
      [this](lease_atom, const std::vector<uint64_t>& lease_ids, const std::vector<task>& tasks) {
        // Tasks that finish synchronously are reported together, in one message. The board
        // slot says "busy since now" until the handlers return: a hang shows there.
        if (settings_.board)
          settings_.board->enter(settings_.board_slot, clock().now().time_since_epoch().count());
        batching_ = true;
        batch_ids_.reserve(lease_ids.size());
        batch_outcomes_.reserve(lease_ids.size());
        for (size_t i = 0; i < lease_ids.size() && i < tasks.size(); ++i)
          start(lease_ids[i], tasks[i]);
        batching_ = false;
        if (batch_ids_.size() == 1) // no vectors for a batch of one
          send(batch_dispatcher_, report_atom::value, batch_ids_.front(),
               std::move(batch_outcomes_.front()));
        else if (!batch_ids_.empty())
          send(batch_dispatcher_, report_atom::value, std::move(batch_ids_),
               std::move(batch_outcomes_));
        batch_ids_.clear();
        batch_outcomes_.clear();
        if (settings_.board)
          settings_.board->leave(settings_.board_slot);
        check_recycling();
      },
      [this](recycle_atom) { check_recycling(); },
      [this](tick_atom, uint64_t sent) {
        // A tick scheduled before the last heartbeat belongs to an older chain (a second setup,
        // as when a remote agent joins again): dropped, so one chain of heartbeats remains.
        if (!settings_.heartbeat_target || sent != heartbeats_sent_)
          return;
        send(settings_.heartbeat_target, heartbeat_atom::value, settings_.name, ++heartbeats_sent_);
        schedule_heartbeat();
      },
  };
  return base.or_else(extra_handlers());
}

uint64_t agent::resident_bytes() const {
  return 0;
}

void agent::check_recycling() {
  if (!recycle_reason_.empty() || !settings_.recycling.enabled())
    return;
  auto why = settings_.recycling.due(tasks_finished_, clock().now() - born_, resident_bytes());
  if (why.empty())
    return;
  recycle_reason_ = why;
  auto retire = [this] {
    quit(caf::make_error(errc::recycled, settings_.name + " " + recycle_reason_));
  };
  auto dispatcher = recycle_dispatcher_;
  if (!dispatcher) {
    // It never held a lease (leases come from its dispatcher): nothing to finish.
    retire();
    return;
  }
  // The dispatcher leases nothing more and answers once every result is in (the reports sent
  // before this request arrive before it); leases already on their way still run here.
  request(dispatcher, caf::infinite, retire_atom::value, caf::actor_cast<caf::actor>(this))
      .then([retire](bool) { retire(); }, [retire](caf::error&) { retire(); });
}

void agent::on_exit() {
  settings_.heartbeat_target = nullptr;
  settings_.board = nullptr;
  settings_.guard = nullptr;
  settings_.locks = nullptr;
  leases_.clear();
  batch_dispatcher_ = nullptr;
  recycle_dispatcher_ = nullptr;
}

// -- guarded service calls ---------------------------------------------------------------------

void agent::call(const task& t, std::string body, std::function<void(outcome)> then,
                 duration timeout) {
  if (t.service.empty()) {
    then(outcome::fail(
        failure::permanent("task " + t.id + " of kind " + t.kind + " names no service to call")));
    return;
  }
  call(t, t.service, std::move(body), std::move(then), timeout);
}

void agent::call(const task& t, const std::string& service, std::string body,
                 std::function<void(outcome)> then, duration timeout) {
  auto guard = settings_.guard;
  if (!guard) {
    auto why = failure::unavailable("agent " + std::string{name()} +
                                    " has no call guard (it was not set up by a runtime)");
    then(outcome::fail(why.from(service)));
    return;
  }
  auto merged = merged_request(std::move(body), t.route.params);
  if (auto refused = guard->check(t, service, merged, wall_ms())) {
    then(outcome::fail(std::move(*refused)));
    return;
  }
  if (auto breaker = guard->cached_breaker(settings_.name, service)) {
    call_breaker(std::move(breaker), t, service, std::move(merged), std::move(then), timeout);
    return;
  }
  auto registry = guard->breakers();
  if (!registry) {
    then(outcome::fail(failure::unavailable("no breaker registry to reach " + service + " through")
                           .from(service)));
    return;
  }
  this->request(registry, timeout, caf::get_atom::value, settings_.name, service)
      .then(
          [this, guard, t, service, merged, then, timeout](caf::actor& breaker) mutable {
            guard->remember_breaker(settings_.name, service, breaker);
            call_breaker(std::move(breaker), t, service, std::move(merged), std::move(then),
                         timeout);
          },
          [this, service, then](caf::error& e) {
            then(outcome::fail(
                failure::unavailable("no breaker for " + service + ": " + system().render(e))
                    .from(service)));
          });
}

void agent::call_breaker(caf::actor breaker, const task& t, const std::string& service,
                         std::string body, std::function<void(outcome)> then, duration timeout) {
  auto guard = settings_.guard;
  this->request(breaker, timeout, call_atom::value, std::move(body), t.deadline)
      .then(
          [this, guard, t, service, then](outcome& answer) {
            guard->charge(t, service, answer, wall_ms());
            then(std::move(answer));
          },
          [this, guard, service, then](caf::error& e) {
            if (e == caf::sec::request_timeout) {
              auto why =
                  failure::timeout("no answer from " + service + " within the call's timeout");
              then(outcome::fail(why.from(service)));
              return;
            }
            guard->forget_breaker(settings_.name, service); // gone: ask the registry next time
            then(outcome::fail(
                failure::unavailable("the call to " + service + " failed: " + system().render(e))
                    .from(service)));
          });
}

void agent::charge(const task& t, double usd) {
  if (settings_.guard)
    settings_.guard->charge_usd(t, usd, wall_ms());
}

void agent::with_lock(const std::string& lock, duration lease, locked_work::work_fn work,
                      std::function<void(outcome)> then) {
  lock_request request;
  request.name = lock;
  request.holder = this;
  request.holder_name = settings_.name;
  request.lease = lease;
  locked_work::run(this, caf::actor_cast<lock_manager_actor>(settings_.locks), std::move(request),
                   std::move(work), std::move(then));
}

int64_t agent::wall_ms() {
  return settings_.guard ? settings_.guard->wall_ms(clock().now()) : wall_now_ms();
}

void agent::start(uint64_t lease_id, const task& t) {
  auto dispatcher = caf::actor_cast<caf::actor>(current_sender());
  if (settings_.recycling.enabled())
    recycle_dispatcher_ = dispatcher; // the one to retire from
  leases_.emplace_back(lease_id, std::move(dispatcher));
  task_completion done{this, lease_id};
  try {
    handle_async(t, done);
  } catch (...) {
    done.fail(failure::unknown(describe(std::current_exception())));
  }
}

bool agent::holds(uint64_t lease_id) const {
  return std::any_of(leases_.begin(), leases_.end(),
                     [=](const auto& lease) { return lease.first == lease_id; });
}

void agent::report(uint64_t lease_id, outcome result) {
  // From the back: a task that finishes at once holds the newest lease.
  auto i = std::find_if(leases_.rbegin(), leases_.rend(),
                        [=](const auto& lease) { return lease.first == lease_id; });
  if (i == leases_.rend())
    return;
  // The dispatcher fills in the task id, attempt and agent name from the lease.
  auto dispatcher = std::move(i->second);
  *i = std::move(leases_.back());
  leases_.pop_back();
  ++tasks_finished_;
  if (batching_) {
    batch_dispatcher_ = std::move(dispatcher);
    batch_ids_.push_back(lease_id);
    batch_outcomes_.push_back(std::move(result));
    return;
  }
  send(dispatcher, report_atom::value, lease_id, std::move(result));
  check_recycling();
}

void agent::fail_all_leases(const std::string& reason) {
  batching_ = false;
  while (!leases_.empty())
    report(leases_.back().first, outcome::fail(failure::unknown(reason)));
}

void agent::schedule_heartbeat() {
  if (settings_.heartbeat_target && !settings_.board && settings_.heartbeat_interval.count() > 0)
    delayed_send(this, settings_.heartbeat_interval, tick_atom::value, heartbeats_sent_);
}

} // namespace herd
