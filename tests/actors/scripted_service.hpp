#pragma once

#include <memory>
#include <string>
#include <vector>

#include <caf/event_based_actor.hpp>
#include <caf/response_promise.hpp>

#include "herd/core/atoms.hpp"
#include "herd/core/failure_category.hpp"
#include "herd/core/held_promises.hpp"
#include "herd/core/outcome.hpp"

namespace herd::test {

/// What a scripted service does with the next calls; tests change it between calls.
struct service_script {
  /// "ok", a failure category name ("transient", "permanent", ...), "hang" (never answers
  /// until released) or "delay" (answers ok after `delay`).
  std::string mode = "ok";
  /// The delay of mode "delay".
  duration delay{0};
  /// Calls received so far.
  int calls = 0;
};

/// A downstream service actor that answers `(call_atom, request)` as its script says.
/// `(caf::put_atom, mode)` answers every held call as `mode` ("ok" or a category).
class scripted_service : public caf::event_based_actor {
public:
  scripted_service(caf::actor_config& cfg, std::shared_ptr<service_script> script)
      : caf::event_based_actor(cfg), script_(std::move(script)) {}

protected:
  caf::behavior make_behavior() override {
    return {
        [this](call_atom, const std::string& request) -> caf::result<outcome> {
          ++script_->calls;
          if (script_->mode == "hang" || script_->mode == "delay") {
            held_.push_back(make_response_promise());
            if (script_->mode == "delay")
              delayed_send(this, script_->delay, tick_atom::value, uint64_t{held_.size() - 1});
            return held_.back();
          }
          return answer(script_->mode, request);
        },
        [this](tick_atom, uint64_t index) {
          if (held_[index].pending())
            held_[index].deliver(answer("ok", "delayed"));
        },
        [this](caf::put_atom, const std::string& mode) {
          for (auto& promise : held_)
            if (promise.pending())
              promise.deliver(answer(mode, "released"));
        },
    };
  }

  /// A held promise keeps this actor alive: answered when it stops.
  void on_exit() override { abandon_all(held_); }

private:
  static outcome answer(const std::string& mode, const std::string& request) {
    if (mode == "ok")
      return outcome::success({{"echo", request}});
    return outcome::fail(failure::make(*parse_failure_category(mode), "scripted " + mode));
  }

  std::shared_ptr<service_script> script_;
  std::vector<caf::response_promise> held_;
};

} // namespace herd::test
