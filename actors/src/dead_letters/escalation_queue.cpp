#include "herd/dead_letters/escalation_queue.hpp"
#include "herd/dispatch/protocol.hpp"

#include <iostream>
#include <stdexcept>

#include <caf/send.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/logger.h>

#include "herd/core/atoms.hpp"
#include "herd/core/logging.hpp"
#include "herd/core/settlement.hpp"
#include "herd/core/wall_time.hpp"
#include "herd/dead_letters/dead_letter_errc.hpp"
#include "herd/dead_letters/protocol.hpp"

namespace herd {

escalation_queue::escalation_queue(caf::actor_config& cfg, dead_letter_queue_config config,
                                   std::unique_ptr<dead_letter_store> store,
                                   dead_letter_queue_actor dead_letters, caf::actor dispatcher,
                                   std::shared_ptr<metrics_registry> metrics, escalation_hook hook,
                                   std::function<int64_t()> wall_clock)
    : escalation_queue_actor::base(cfg), config_(std::move(config)), store_(std::move(store)),
      dead_letters_(std::move(dead_letters)), dispatcher_(std::move(dispatcher)),
      metrics_(metrics ? std::move(metrics) : std::make_shared<metrics_registry>()),
      hook_(std::move(hook)), wall_clock_(std::move(wall_clock)),
      log_(component_logger("escalation_queue")) {
  if (!dead_letters_)
    throw std::invalid_argument("an escalation queue needs a dead-letter queue to time out to");
  if (!dispatcher_)
    throw std::invalid_argument("an escalation queue needs a dispatcher to resubmit to");
  if (!config_.escalation_log.empty() && config_.escalation_log != "-") {
    log_file_.open(config_.escalation_log, std::ios::app);
    if (!log_file_)
      log_->error("cannot open the escalation log {}", config_.escalation_log);
  }
  auto& m = *metrics_;
  escalated_metric_ = &m.counter("herd_escalations_total", "Tasks handed to a person");
  timed_out_metric_ = &m.counter("herd_escalations_timed_out_total",
                                 "Escalations nobody answered in time (sent to the DLQ)");
  open_metric_ = &m.gauge("herd_escalations_open", "Escalations waiting for a person");
}

void escalation_queue::on_exit() {
  dead_letters_ = nullptr;
  dispatcher_ = nullptr;
  hook_ = nullptr;
}

escalation_queue::behavior_type escalation_queue::make_behavior() {
  try {
    std::vector<std::string> corrupt;
    for (auto& x : store_->escalations(escalation_status::open, corrupt))
      arm(x.work.id);
    report_corrupt(corrupt);
  } catch (const std::exception& e) {
    failed(e);
  }
  count_open();
  if (config_.poll_interval.count() > 0)
    delayed_send(this, config_.poll_interval, esc_poll_atom::value);
  return {
      [this](escalate_atom, task& t, const std::string& reason) { return on_escalate(t, reason); },
      [this](esc_poll_atom) {
        poll();
        delayed_send(this, config_.poll_interval, esc_poll_atom::value);
      },
      [this](esc_query_atom, const std::string& status) -> caf::result<std::vector<escalation>> {
        auto wanted = parse_escalation_status(status);
        if (!status.empty() && !wanted)
          return caf::make_error(dead_letter_errc::invalid_request,
                                 "unknown escalation status \"" + status + "\"");
        try {
          std::vector<std::string> corrupt;
          auto result = store_->escalations(wanted, corrupt);
          report_corrupt(corrupt);
          return result;
        } catch (const std::exception& e) {
          return failed(e);
        }
      },
      [this](esc_resolve_atom, const std::string& id, const std::string& note) {
        return close(id, escalation_status::resolved, "", note);
      },
      [this](esc_amend_atom, const std::string& id, const std::string& payload_json,
             const std::string& note) {
        return close(id, escalation_status::resubmitted, payload_json, note);
      },
      [this](esc_expire_atom, const std::string& id, uint64_t generation) {
        on_expire(id, generation);
      },
  };
}

caf::error escalation_queue::failed(const std::exception& e) {
  log_->error("{}", e.what());
  return caf::make_error(dead_letter_errc::store_failed, std::string{e.what()});
}

caf::result<caf::ok_atom> escalation_queue::on_escalate(task& t, const std::string& reason) {
  auto settlement = settlement_of(t, outcome_status::escalated, reason);
  escalation x;
  x.work = std::move(t);
  x.reason = reason;
  x.escalated_ms = wall_clock_();
  x.updated_ms = x.escalated_ms;
  x.work.shift_times(wall_offset(clock().now(), x.escalated_ms)); // stored on the wall clock
  try {
    // Escalated before (e.g. amended, resubmitted, failed again): nothing of it is lost.
    if (auto before = store_->get_escalation(x.work.id)) {
      x.work.history = grown_history(std::move(before->work.history), x.work.history);
      x.note =
          append_note(before->note, x.escalated_ms,
                      "escalated again after it was " + to_string(before->status) + ": " + reason);
    }
    store_->put_escalation(x);
  } catch (const std::exception& e) {
    return failed(e);
  }
  escalated_metric_->inc();
  caf::anon_send(dispatcher_, settle_atom::value, std::move(settlement));
  arm(x.work.id);
  count_open();
  announce(x);
  return caf::ok_atom::value;
}

void escalation_queue::announce(const escalation& x) {
  log_->warn("task {} escalated: {}", x.work.id, x.reason);
  if (hook_) {
    try {
      hook_(x);
    } catch (const std::exception& e) {
      log_->error("the escalation hook threw: {}", e.what());
    }
  }
  if (config_.escalation_log.empty())
    return;
  auto line = nlohmann::json(x).dump() + "\n";
  if (config_.escalation_log == "-")
    std::cout << line << std::flush;
  else if (log_file_)
    log_file_ << line << std::flush;
}

caf::result<bool> escalation_queue::close(const std::string& id, escalation_status status,
                                          const std::string& payload_json,
                                          const std::string& note) {
  try {
    auto x = store_->get_escalation(id);
    if (!x || x->status != escalation_status::open)
      return false;
    if (status == escalation_status::resubmitted) {
      if (!payload_json.empty()) {
        auto payload = nlohmann::json::parse(payload_json, nullptr, false);
        if (payload.is_discarded())
          return caf::make_error(dead_letter_errc::invalid_request,
                                 "the new payload of task \"" + id + "\" is not valid JSON");
        x->work.set_payload(payload);
      }
      x->work.attempt = 1;
    }
    x->status = status;
    x->updated_ms = wall_clock_();
    x->note = append_note(x->note, x->updated_ms, to_string(status) + ": " + note);
    store_->put_escalation(*x);
    timers_.erase(id);
    count_open();
    if (status == escalation_status::resubmitted)
      caf::anon_send(dispatcher_, resubmit_atom::value, on_actor_clock(x->work));
    log_->info("escalation of task {} {}: {}", id, to_string(status), note);
    return true;
  } catch (const std::exception& e) {
    return failed(e);
  }
}

void escalation_queue::poll() {
  try {
    std::vector<std::string> corrupt;
    for (auto& x : store_->escalations(escalation_status::resubmitting, corrupt)) {
      x.status = escalation_status::resubmitted;
      x.updated_ms = wall_clock_();
      store_->put_escalation(x);
      timers_.erase(x.work.id);
      caf::anon_send(dispatcher_, resubmit_atom::value, on_actor_clock(x.work));
      log_->info("escalation of task {} resubmitted by herd escalations", x.work.id);
    }
    // Decided from outside (herd escalations resolve): no longer waiting.
    std::unordered_map<std::string, uint64_t> still_open;
    for (auto& x : store_->escalations(escalation_status::open, corrupt))
      if (auto i = timers_.find(x.work.id); i != timers_.end())
        still_open.insert(*i);
    timers_ = std::move(still_open);
    report_corrupt(corrupt);
  } catch (const std::exception& e) {
    failed(e);
  }
  count_open();
}

void escalation_queue::arm(const std::string& id) {
  auto generation = ++generation_;
  timers_[id] = generation;
  delayed_send(this, config_.escalation_timeout, esc_expire_atom::value, id, generation);
}

void escalation_queue::on_expire(const std::string& id, uint64_t generation) {
  auto i = timers_.find(id);
  if (i == timers_.end() || i->second != generation)
    return; // answered meanwhile: a stale timer
  std::optional<escalation> x;
  try {
    x = store_->get_escalation(id);
  } catch (const std::exception& e) {
    failed(e);
  }
  if (!x || x->status != escalation_status::open) {
    timers_.erase(i);
    return;
  }
  request(dead_letters_, caf::infinite, dead_letter_atom::value, on_actor_clock(x->work),
          dead_letter_reason::escalation_timeout)
      .then(
          [this, id, generation](caf::ok_atom) {
            auto j = timers_.find(id);
            if (j == timers_.end() || j->second != generation)
              return;
            timers_.erase(j);
            try {
              if (auto y = store_->get_escalation(id)) {
                y->status = escalation_status::timed_out;
                y->updated_ms = wall_clock_();
                store_->put_escalation(*y);
              }
            } catch (const std::exception& e) {
              failed(e);
            }
            timed_out_metric_->inc();
            count_open();
            log_->warn("escalation of task {} timed out; sent to the dead-letter queue", id);
          },
          [this, id](caf::error& err) {
            log_->error("escalation of task {} timed out but the dead-letter queue refused it: {}; "
                        "it stays open",
                        id, to_string(err));
            arm(id);
          });
}

void escalation_queue::report_corrupt(const std::vector<std::string>& corrupt) {
  for (auto& problem : corrupt)
    log_->error("{}: {} (skipped)", store_->file(), problem);
}

task escalation_queue::on_actor_clock(task t) {
  t.shift_times(-wall_offset(clock().now(), wall_clock_()));
  return t;
}

void escalation_queue::count_open() {
  open_metric_->set(static_cast<double>(timers_.size()));
}

} // namespace herd
