#include "herd/simulation/task_source.hpp"

#include <chrono>

#include "herd/core/atoms.hpp"
#include "herd/core/outcome.hpp"
#include "herd/core/task.hpp"
#include "herd/dispatch/protocol.hpp"

namespace herd {

namespace {

task_end end_of(outcome_status status) {
  switch (status) {
  case outcome_status::completed:
    return task_end::completed;
  case outcome_status::dead_lettered:
    return task_end::dead_lettered;
  case outcome_status::escalated:
    return task_end::escalated;
  default:
    return task_end::failed;
  }
}

} // namespace

task_source::task_source(caf::actor_config& cfg, caf::actor dispatcher,
                         std::vector<double> arrivals, time_point start, std::string kind,
                         std::string service, std::shared_ptr<run_recorder> recorder,
                         nlohmann::json payload)
    : caf::event_based_actor(cfg), dispatcher_(std::move(dispatcher)),
      arrivals_(std::move(arrivals)), start_(start), kind_(std::move(kind)),
      service_(std::move(service)), recorder_(std::move(recorder)), payload_(std::move(payload)) {}

double task_source::seconds_since_start() const {
  return std::chrono::duration<double>(clock().now() - start_).count();
}

caf::behavior task_source::make_behavior() {
  submit_due();
  return {[this](tick_atom, uint64_t) { submit_due(); }};
}

void task_source::submit_due() {
  auto now_s = seconds_since_start();
  for (; next_ < arrivals_.size() && arrivals_[next_] <= now_s; ++next_) {
    auto arrived = arrivals_[next_];
    auto t = task::make("t-" + std::to_string(next_), kind_, payload_, "agents");
    t.service = service_;
    t.created = clock().now();
    recorder_->on_arrival();
    request(dispatcher_, caf::infinite, submit_atom::value, std::move(t))
        .then(
            [this, arrived](outcome& o) {
              auto now = seconds_since_start();
              // An empty served_by: no chain, or its first tier, i.e. the service named here.
              recorder_->on_end(now, end_of(o.status), now - arrived,
                                o.served_by.empty() ? service_ : o.served_by);
            },
            [this, arrived](caf::error&) {
              auto now = seconds_since_start();
              recorder_->on_end(now, task_end::failed, now - arrived);
            });
  }
  if (next_ < arrivals_.size()) {
    auto wait = std::chrono::duration_cast<duration>(
        std::chrono::duration<double>(arrivals_[next_] - now_s));
    delayed_send(this, std::max(wait, duration{1}), tick_atom::value, uint64_t{next_});
  }
}

} // namespace herd
