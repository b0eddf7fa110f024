#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <caf/all.hpp>
#include <nlohmann/json.hpp>

#include "herd/core/atoms.hpp"
#include "herd/core/metrics_registry.hpp"
#include "herd/dispatch/agent.hpp"
#include "herd/dispatch/liveness_board.hpp"

namespace herd::test {

/// The sum of the series of metric `name` of supervisor `label` ("" = all series).
inline double metric_total(const metrics_registry& metrics, const std::string& name,
                           const std::string& label = "") {
  return label.empty() ? metrics.total(name) : metrics.total(name, {{"supervisor", label}});
}

/// What happened, in order: "start:<id>" and "stop:<id>" entries.
using event_log = std::shared_ptr<std::vector<std::string>>;

/// A plain child for supervisor tests: `(ok_atom)` exits normally, `(delete_atom)` crashes;
/// logs its stop (its factory logs the start, at spawn time).
inline caf::behavior test_worker(caf::event_based_actor* self, std::string id, event_log log) {
  self->attach_functor([id, log] { log->push_back("stop:" + id); });
  return {
      [self](caf::ok_atom) { self->quit(); },
      [self](caf::delete_atom) { self->quit(caf::sec::runtime_error); },
  };
}

/// Takes its first task and "hangs": it stops processing its mailbox (no heartbeats, exits
/// wait) until `(call_atom)` arrives, as if its handler ran that long; then it reports the task
/// (a late result) and honours an exit it was sent meanwhile. `kill` still works at once.
class hanging_agent : public agent {
public:
  using agent::agent;

protected:
  void handle_async(const task&, task_completion done) override {
    held_ = done;
    hung_ = true;
    set_default_handler(caf::skip);
    set_exit_handler([this](caf::exit_msg& em) {
      if (hung_)
        pending_exit_ = em.reason;
      else
        quit(em.reason);
    });
    become(caf::keep_behavior, caf::behavior{[this](call_atom) {
             hung_ = false;
             unbecome();
             set_default_handler(caf::print_and_drop);
             if (held_)
               held_->succeed("late");
             if (pending_exit_)
               quit(*pending_exit_);
           }});
  }

private:
  bool hung_ = false;
  std::optional<task_completion> held_;
  std::optional<caf::error> pending_exit_;
};

/// Finishes each task `delay` later from its own mailbox: a slow but live handler, which keeps
/// heartbeating meanwhile.
class slow_agent : public agent {
public:
  slow_agent(caf::actor_config& cfg, duration delay) : agent(cfg), delay_(delay) {}

protected:
  void handle_async(const task&, task_completion done) override {
    held_.push_back(done);
    delayed_send(this, delay_, call_atom::value);
  }
  caf::message_handler extra_handlers() override {
    return {[this](call_atom) {
      if (!held_.empty()) {
        held_.front().succeed("slow but done");
        held_.erase(held_.begin());
      }
    }};
  }

private:
  duration delay_;
  std::vector<task_completion> held_;
};

/// Stamps its liveness board slot around each task. With `hang`, the handler "never returns":
/// the slot stays busy (in virtual time the actor cannot really block); otherwise the handler
/// returns at once and the task finishes `delay` later from its mailbox (slow but live).
class board_agent : public agent {
public:
  board_agent(caf::actor_config& cfg, std::shared_ptr<liveness_board> board, size_t slot, bool hang,
              duration delay)
      : agent(cfg), board_(std::move(board)), slot_(slot), hang_(hang), delay_(delay) {}

protected:
  void handle_async(const task&, task_completion done) override {
    board_->enter(slot_, clock().now().time_since_epoch().count());
    if (hang_)
      return;
    held_.push_back(done);
    delayed_send(this, delay_, call_atom::value);
    board_->leave(slot_);
  }
  caf::message_handler extra_handlers() override {
    return {[this](call_atom) {
      board_->enter(slot_, clock().now().time_since_epoch().count());
      if (!held_.empty()) {
        held_.front().succeed("done");
        held_.erase(held_.begin());
      }
      board_->leave(slot_);
    }};
  }

private:
  std::shared_ptr<liveness_board> board_;
  size_t slot_;
  bool hang_;
  duration delay_;
  std::vector<task_completion> held_;
};

} // namespace herd::test
