#include "herd/simulation/service_actor.hpp"

#include <chrono>

#include "herd/core/atoms.hpp"
#include "herd/core/held_promises.hpp"

namespace herd {

service_actor::service_actor(caf::actor_config& cfg, const scenario& config, std::string name,
                             uint64_t seed, time_point start,
                             std::shared_ptr<run_recorder> recorder)
    : caf::event_based_actor(cfg), model_(config, seed), service_(std::move(name)), start_(start),
      recorder_(std::move(recorder)) {}

outcome service_actor::answer_of(const service_answer& x) const {
  if (x.ok)
    return outcome::success();
  failure why;
  switch (x.status) {
  case 429:
    why = failure::rate_limited("too many requests", duration{0});
    break;
  case 503:
    why = failure::unavailable(x.overloaded ? "overloaded" : "service outage");
    break;
  default:
    why = failure::transient("internal error");
  }
  why.retry_after =
      std::chrono::duration_cast<duration>(std::chrono::duration<double>(x.retry_after_s));
  why.from(service_, x.status);
  return outcome::fail(std::move(why));
}

caf::behavior service_actor::make_behavior() {
  return {
      [this](call_atom, const std::string&) -> caf::result<outcome> {
        auto now_s = std::chrono::duration<double>(clock().now() - start_).count();
        auto x = model_.call(now_s);
        recorder_->on_call(now_s, x.ok);
        auto id = next_id_++;
        auto promise = make_response_promise();
        waiting_.emplace(id, std::make_pair(promise, answer_of(x)));
        delayed_send(
            this, std::chrono::duration_cast<duration>(std::chrono::duration<double>(x.latency_s)),
            tick_atom::value, id);
        return promise;
      },
      [this](tick_atom, uint64_t id) {
        auto i = waiting_.find(id);
        if (i == waiting_.end())
          return;
        i->second.first.deliver(std::move(i->second.second));
        waiting_.erase(i);
      },
  };
}

void service_actor::on_exit() {
  for (auto& [_, held] : waiting_)
    abandon(held.first);
  waiting_.clear();
}

} // namespace herd
