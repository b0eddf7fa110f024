#include "herd/dead_letters/dead_letter_queue.hpp"
#include "herd/dispatch/protocol.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <caf/send.hpp>
#include <caf/system_messages.hpp>
#include <spdlog/logger.h>

#include "herd/core/atoms.hpp"
#include "herd/core/logging.hpp"
#include "herd/core/settlement.hpp"
#include "herd/core/wall_time.hpp"
#include "herd/dead_letters/dead_letter_errc.hpp"
#include "herd/dead_letters/dead_letter_reason.hpp"
#include "herd/dead_letters/protocol.hpp"

namespace herd {

dead_letter_queue::dead_letter_queue(caf::actor_config& cfg, dead_letter_queue_config config,
                                     std::unique_ptr<dead_letter_store> store,
                                     caf::actor dispatcher,
                                     std::shared_ptr<metrics_registry> metrics,
                                     std::function<int64_t()> wall_clock)
    : dead_letter_queue_actor::base(cfg), config_(std::move(config)), store_(std::move(store)),
      dispatcher_(std::move(dispatcher)),
      metrics_(metrics ? std::move(metrics) : std::make_shared<metrics_registry>()),
      wall_clock_(std::move(wall_clock)), log_(component_logger("dead_letter_queue")) {
  if (!dispatcher_)
    throw std::invalid_argument("a dead-letter queue needs a dispatcher to replay to");
  auto& m = *metrics_;
  stored_metric_ = &m.counter("herd_dlq_stored_total", "Dead letters committed to the store");
  commits_metric_ = &m.counter("herd_dlq_commits_total",
                               "Transactions that stored dead letters (one per group commit)");
  replayed_metric_ =
      &m.counter("herd_dlq_replayed_total", "Dead letters sent back to the dispatcher by a replay");
  alerts_metric_ = &m.counter("herd_dlq_alerts_total",
                              "Times the dead-letter depth reached its alert threshold");
  // Every reason's series exists from the start (0 when none waits).
  for (auto reason :
       {dead_letter_reason::exhausted, dead_letter_reason::non_retryable,
        dead_letter_reason::budget_exhausted, dead_letter_reason::escalation_timeout,
        dead_letter_reason::poison, dead_letter_reason::handed_back, dead_letter_reason::overflow})
    depth_gauge(to_string(reason));
}

gauge& dead_letter_queue::depth_gauge(const std::string& reason) {
  auto& slot = depth_metrics_[reason];
  if (slot == nullptr)
    slot = &metrics_->gauge("herd_dlq_depth",
                            "Dead letters waiting for someone (pending, replaying, poison), by "
                            "reason",
                            {{"reason", reason}});
  return *slot;
}

dead_letter_queue::behavior_type dead_letter_queue::make_behavior() {
  set_down_handler([this](caf::down_msg& msg) {
    subscribers_.drop(msg.source);
    depth_watches_.erase(
        std::remove_if(depth_watches_.begin(), depth_watches_.end(),
                       [&](const depth_watch& x) { return x.who.address() == msg.source; }),
        depth_watches_.end());
  });
  recover();
  count_depth();
  if (config_.poll_interval.count() > 0)
    delayed_send(this, config_.poll_interval, dlq_poll_atom::value);
  return {
      [this](dead_letter_atom, task& t, dead_letter_reason reason) {
        return on_add(t, reason, std::nullopt);
      },
      [this](dlq_settle_atom, task& t, dead_letter_reason reason, const std::string& why) {
        return on_add(t, reason, settlement_of(t, outcome_status::dead_lettered, why));
      },
      [this](dlq_flush_atom) {
        flush_scheduled_ = false;
        flush();
      },
      [this](dlq_query_atom,
             const dead_letter_filter& filter) -> caf::result<std::vector<dead_letter>> {
        try {
          std::vector<std::string> corrupt;
          auto letters = store_->query(filter, corrupt);
          report_corrupt(corrupt);
          return letters;
        } catch (const std::exception& e) {
          return failed(e);
        }
      },
      [this](dlq_get_atom, const std::string& id) -> caf::result<dead_letter> {
        try {
          if (auto letter = store_->get(id))
            return std::move(*letter);
          return caf::make_error(dead_letter_errc::no_such_letter, "task \"" + id + "\"");
        } catch (const std::exception& e) {
          return failed(e);
        }
      },
      [this](dlq_stats_atom) -> caf::result<dead_letter_stats> {
        try {
          auto stats = store_->stats();
          stats.store_error = store_error_;
          return stats;
        } catch (const std::exception& e) {
          return failed(e);
        }
      },
      [this](dlq_replay_atom, dead_letter_filter& filter,
             double rate) -> caf::result<replay_request> {
        try {
          auto request = store_->add_replay_request(filter, rate > 0 ? rate : config_.replay_rate,
                                                    "running", wall_clock_());
          return start_replay(std::move(request));
        } catch (const std::exception& e) {
          return failed(e);
        }
      },
      [this](dlq_progress_atom, int64_t id) -> caf::result<replay_request> {
        if (auto i = replays_.find(id); i != replays_.end())
          return i->second.request;
        try {
          if (auto request = store_->replay_request_of(id))
            return std::move(*request);
          return caf::make_error(dead_letter_errc::no_such_replay, "replay " + std::to_string(id));
        } catch (const std::exception& e) {
          return failed(e);
        }
      },
      [this](dlq_cancel_atom, int64_t id) { return cancel(id); },
      [this](dlq_pace_atom, int64_t id) { pace(id); },
      [this](dlq_poll_atom) {
        poll();
        delayed_send(this, config_.poll_interval, dlq_poll_atom::value);
      },
      [this](dlq_resolve_atom, const std::string& id,
             const std::string& note) -> caf::result<bool> {
        try {
          auto found = store_->resolve(id, note, wall_clock_());
          count_depth();
          return found;
        } catch (const std::exception& e) {
          return failed(e);
        }
      },
      [this](dlq_purge_atom, const dead_letter_filter& filter) -> caf::result<int64_t> {
        try {
          auto removed = store_->purge(filter);
          count_depth();
          return removed;
        } catch (const std::exception& e) {
          return failed(e);
        }
      },
      [this](subscribe_atom, const caf::actor& subscriber) {
        if (subscribers_.add(subscriber))
          monitor(subscriber);
      },
      [this](unsubscribe_atom, const caf::actor& subscriber) {
        if (subscribers_.remove(subscriber))
          demonitor(subscriber);
      },
      [this](subscribe_atom, const caf::actor& subscriber, int64_t threshold) {
        if (!subscriber || threshold <= 0)
          return;
        monitor(subscriber);
        depth_watches_.push_back({subscriber, threshold, false});
        publish_depth(); // a depth already at the threshold alerts at once
      },
  };
}

caf::error dead_letter_queue::failed(const std::exception& e) {
  log_->error("{}", e.what());
  store_error_ = e.what();
  return caf::make_error(dead_letter_errc::store_failed, std::string{e.what()});
}

void dead_letter_queue::on_exit() {
  flush(); // answers every waiting sender: waiting_ holds the senders of the open batch only
  dispatcher_ = nullptr;
  subscribers_ = subscriber_list{};
  depth_watches_.clear();
}

// -- storing (group commit) -------------------------------------------------------------------

caf::result<caf::ok_atom> dead_letter_queue::on_add(task& t, dead_letter_reason reason,
                                                    std::optional<outcome> settlement) {
  if (settlement)
    settlements_.push_back(std::move(*settlement));
  auto now_ms = wall_clock_();
  // Stored times are wall-clock UTC: the task's actor-clock times move over.
  t.shift_times(wall_offset(clock().now(), now_ms));
  auto letter = dead_letter::make(std::move(t), reason, now_ms);
  if (letter.work.replays >= config_.max_replays)
    letter.status = dead_letter_status::poison;
  batch_.push_back(std::move(letter));
  waiting_.push_back(make_response_promise());
  auto promise = waiting_.back();
  if (static_cast<int64_t>(batch_.size()) >= config_.max_batch) {
    flush();
  } else if (!flush_scheduled_) {
    // Everything already in the mailbox comes before this message: one commit for all of it.
    flush_scheduled_ = true;
    send(this, dlq_flush_atom::value);
  }
  return promise;
}

void dead_letter_queue::flush() {
  if (batch_.empty())
    return;
  auto batch = std::move(batch_);
  auto waiting = std::move(waiting_);
  auto settlements = std::move(settlements_);
  batch_.clear();
  waiting_.clear();
  settlements_.clear();
  std::optional<std::map<std::string, int64_t>> depth_change;
  try {
    depth_change = store_->add(batch);
  } catch (const std::exception& e) {
    auto err = failed(e);
    for (auto& promise : waiting)
      promise.deliver(err);
    return;
  }
  store_error_.clear();
  stored_metric_->inc(batch.size());
  commits_metric_->inc();
  for (auto& letter : batch)
    log_->debug("dead-lettered task {} ({}, {}{})", letter.work.id, to_string(letter.reason),
                to_string(letter.status),
                letter.work.replays > 0 ? ", replays " + std::to_string(letter.work.replays) : "");
  for (auto& promise : waiting)
    promise.deliver(caf::ok_atom::value);
  for (auto& settlement : settlements)
    caf::anon_send(dispatcher_, settle_atom::value, std::move(settlement));
  // Counting is a scan of every waiting letter: the batch's change is added instead, unless
  // another process changed the letters since they were counted.
  if (!depth_change || changed_elsewhere()) {
    count_depth();
    return;
  }
  for (auto& [reason, change] : *depth_change)
    depth_[reason] += change;
  publish_depth();
}

// -- replay -----------------------------------------------------------------------------------

replay_request dead_letter_queue::start_replay(replay_request request) {
  auto now_ms = wall_clock_();
  bool poison_too = !request.filter.ids.empty() || request.filter.status == "poison";
  replay_run run;
  std::vector<std::string> ids;
  std::vector<std::string> corrupt;
  // Back on the actor clock: a deadline stored before a reboot stays the same wall time.
  auto to_actor_clock = -wall_offset(clock().now(), now_ms);
  for (auto& letter : store_->query(request.filter, corrupt)) {
    if (letter.status == dead_letter_status::pending ||
        (poison_too && letter.status == dead_letter_status::poison)) {
      ids.push_back(letter.work.id);
      letter.work.shift_times(to_actor_clock);
      run.tasks.push_back(std::move(letter.work));
      run.reasons.push_back(letter.reason);
    }
  }
  report_corrupt(corrupt);
  store_->set_status(ids, dead_letter_status::replaying, now_ms);
  request.total = static_cast<int64_t>(ids.size());
  request.sent = 0;
  request.state = "running";
  store_->update_replay_request(request, now_ms);
  log_->info("replay {} started: {} letters at {}/s", request.id, request.total, request.rate);
  run.request = request;
  run.start = clock().now();
  auto id = request.id;
  replays_.emplace(id, std::move(run));
  pace(id);
  if (auto i = replays_.find(id); i != replays_.end())
    return i->second.request;
  return store_->replay_request_of(id).value_or(request);
}

void dead_letter_queue::pace(int64_t id) {
  auto i = replays_.find(id);
  if (i == replays_.end())
    return; // cancelled: a stale tick
  auto& run = i->second;
  auto& request = run.request;
  auto now = clock().now();
  auto elapsed = std::chrono::duration<double>(now - run.start).count();
  auto due = std::min(request.total, static_cast<int64_t>(std::floor(elapsed * request.rate)) + 1);
  std::vector<std::string> sent;
  for (; request.sent < due; ++request.sent) {
    auto& t = run.tasks[static_cast<size_t>(request.sent)];
    t.attempt = 1;
    t.replays += 1;
    sent.push_back(t.id);
    caf::anon_send(dispatcher_, resubmit_atom::value, t);
    watch(std::move(t));
    auto reason = run.reasons[static_cast<size_t>(request.sent)];
    --depth_[to_string(reason)]; // replayed: no longer waiting
  }
  replayed_metric_->inc(sent.size());
  try {
    store_->mark_replayed(sent, wall_clock_());
    publish_depth();
    if (request.sent == request.total) {
      finish(run, "done");
      return;
    }
    store_->update_replay_request(request, wall_clock_());
  } catch (const std::exception& e) {
    failed(e);
  }
  auto next = run.start + std::chrono::duration_cast<duration>(std::chrono::duration<double>(
                              static_cast<double>(request.sent) / request.rate));
  auto delay = std::max(std::chrono::duration_cast<duration>(next - now), from_ms(min_pace_ms));
  delayed_send(this, delay, dlq_pace_atom::value, id);
}

void dead_letter_queue::watch(task t) {
  // The submit of an id the dispatcher holds joins its waiters: the reply is the replay's end.
  auto id = t.id;
  request(dispatcher_, caf::infinite, submit_atom::value, std::move(t))
      .then(
          [this, id](outcome& result) {
            if (!result.ok())
              return; // failed again: it comes back as a dead letter
            try {
              if (store_->mark_succeeded(id, wall_clock_()))
                log_->info("replayed task {} succeeded", id);
            } catch (const std::exception& e) {
              failed(e);
            }
          },
          [](caf::error&) {});
}

void dead_letter_queue::report_corrupt(const std::vector<std::string>& corrupt) {
  for (auto& problem : corrupt)
    log_->error("{}: {} (skipped)", store_->file(), problem);
}

caf::result<replay_request> dead_letter_queue::cancel(int64_t id) {
  try {
    if (auto i = replays_.find(id); i != replays_.end()) {
      auto& run = i->second;
      std::vector<std::string> rest;
      for (auto k = static_cast<size_t>(run.request.sent); k < run.tasks.size(); ++k)
        rest.push_back(run.tasks[k].id);
      store_->set_status(rest, dead_letter_status::pending, wall_clock_());
      auto result = run.request;
      result.state = "cancelled";
      finish(run, "cancelled");
      return result;
    }
    auto request = store_->replay_request_of(id);
    if (!request)
      return caf::make_error(dead_letter_errc::no_such_replay, "replay " + std::to_string(id));
    if (!request->finished()) {
      request->state = "cancelled";
      store_->update_replay_request(*request, wall_clock_());
    }
    return std::move(*request);
  } catch (const std::exception& e) {
    return failed(e);
  }
}

void dead_letter_queue::finish(replay_run& run, const std::string& state) {
  run.request.state = state;
  store_->update_replay_request(run.request, wall_clock_());
  log_->info("replay {} {}: {} of {} sent", run.request.id, state, run.request.sent,
             run.request.total);
  auto id = run.request.id;
  replays_.erase(id);
  count_depth();
}

// -- requests from the database ---------------------------------------------------------------

void dead_letter_queue::poll() {
  try {
    if (changed_elsewhere())
      count_depth();
    for (auto& request : store_->replay_requests("cancel"))
      cancel(request.id);
    auto requested = store_->replay_requests("requested");
    std::reverse(requested.begin(), requested.end()); // oldest first
    for (auto& request : requested)
      start_replay(std::move(request));
  } catch (const std::exception& e) {
    failed(e);
  }
}

void dead_letter_queue::recover() {
  try {
    dead_letter_filter replaying;
    replaying.status = to_string(dead_letter_status::replaying);
    std::vector<std::string> ids;
    std::vector<std::string> corrupt;
    for (auto& letter : store_->query(replaying, corrupt))
      ids.push_back(letter.work.id);
    report_corrupt(corrupt);
    store_->set_status(ids, dead_letter_status::pending, wall_clock_());
    for (auto& request : store_->replay_requests("running")) {
      request.state = "requested";
      store_->update_replay_request(request, wall_clock_());
    }
    if (!ids.empty())
      log_->warn("{} letters were left replaying by a previous run; back to pending", ids.size());
  } catch (const std::exception& e) {
    failed(e);
  }
}

void dead_letter_queue::count_depth() {
  try {
    counted_version_ = store_->data_version();
    depth_ = store_->depth_by_reason();
  } catch (const std::exception& e) {
    failed(e);
    return;
  }
  publish_depth();
}

bool dead_letter_queue::changed_elsewhere() const {
  try {
    return store_->data_version() != counted_version_;
  } catch (const std::exception&) {
    return true; // counting again reports the store's failure
  }
}

void dead_letter_queue::publish_depth() {
  int64_t depth = 0;
  for (auto& [reason, n] : depth_) {
    depth += n;
    depth_gauge(reason); // a reason this build does not know still shows
  }
  for (auto& [reason, series] : depth_metrics_) {
    auto i = depth_.find(reason);
    series->set(i == depth_.end() ? 0.0 : static_cast<double>(i->second));
  }
  for (auto& watch : depth_watches_) {
    if (depth < watch.threshold) {
      watch.alerted = false;
    } else if (!watch.alerted) {
      watch.alerted = true;
      caf::anon_send(watch.who, dlq_alert_atom::value, depth, watch.threshold);
    }
  }
  if (config_.depth_alert <= 0)
    return;
  if (depth < config_.depth_alert) {
    alerted_ = false;
    return;
  }
  if (alerted_)
    return;
  alerted_ = true;
  alerts_metric_->inc();
  log_->warn("dead-letter depth {} reached the alert threshold {}", depth, config_.depth_alert);
  for (auto& subscriber : subscribers_.all())
    caf::anon_send(subscriber, dlq_alert_atom::value, depth, config_.depth_alert);
}

} // namespace herd
