#include "distribution/node_worker.hpp"

#include "distribution/node_transport.hpp"

#include <set>

#include <caf/io/middleman.hpp>
#include <caf/io/middleman_actor.hpp>
#include <caf/system_messages.hpp>
#include <spdlog/logger.h>

#include "herd/core/logging.hpp"
#include "herd/distribution/node_errc.hpp"

namespace herd {

node_worker::node_worker(caf::actor_config& cfg, node_config config, worker_options options,
                         std::string secret, std::vector<caf::actor> agents,
                         std::shared_ptr<worker_status> status)
    : caf::event_based_actor(cfg), config_(std::move(config)), options_(std::move(options)),
      secret_(std::move(secret)), agents_(std::move(agents)), status_(std::move(status)),
      log_(component_logger("worker")), backoff_(options_.seed) {
  reconnect_.kind = backoff_kind::full_jitter;
  reconnect_.base = config_.reconnect_min;
  reconnect_.cap = config_.reconnect_max;
  reconnect_.multiplier = 2.0;
}

caf::behavior node_worker::make_behavior() {
  set_down_handler([this](caf::down_msg& msg) {
    if (!endpoint_ || msg.source != endpoint_.address())
      return;
    endpoint_ = nullptr;
    status_->disconnected();
    redial("lost the coordinator: " + system().render(msg.reason));
  });
  send(this, node_dial_atom::value, generation_);
  return {
      [this](node_dial_atom, uint64_t generation) {
        if (generation == generation_ && !endpoint_)
          dial();
      },
      [this](node_tick_atom, uint64_t generation) {
        if (generation != generation_ || !endpoint_)
          return;
        send(endpoint_, node_ping_atom::value, options_.name);
        delayed_send(this, config_.heartbeat_interval, node_tick_atom::value, generation_);
      },
  };
}

void node_worker::on_exit() {
  endpoint_ = nullptr;
  agents_.clear();
  status_ = nullptr;
}

void node_worker::dial() {
  auto generation = generation_;
  request(node_transport::middleman(system(), config_), config_.request_timeout,
          caf::connect_atom::value, options_.host, options_.port)
      .then(
          [this, generation](const caf::node_id&, caf::strong_actor_ptr& ptr,
                             const std::set<std::string>&) {
            if (generation != generation_)
              return;
            if (!ptr) {
              redial("nothing is published at " + options_.host + ":" +
                     std::to_string(options_.port));
              return;
            }
            enlist(caf::actor_cast<node_endpoint_actor>(std::move(ptr)));
          },
          [this, generation](caf::error& e) {
            if (generation == generation_)
              redial("cannot reach " + options_.host + ":" + std::to_string(options_.port) + ": " +
                     system().render(e));
          });
}

void node_worker::enlist(node_endpoint_actor endpoint) {
  node_registration r;
  r.credentials = {config_.app_id, secret_};
  r.name = options_.name;
  r.pool = options_.pool;
  r.agents = agents_;
  auto generation = generation_;
  request(endpoint, config_.request_timeout, node_join_atom::value, std::move(r))
      .then(
          [this, endpoint, generation](node_info& info) {
            if (generation != generation_)
              return;
            endpoint_ = endpoint;
            monitor(endpoint_);
            failures_ = 0;
            log_->info("registered with {}:{} as {}: {} agents in pool {}", options_.host,
                       options_.port, info.name, info.agents.size(), info.pool);
            status_->registered(std::move(info));
            delayed_send(this, config_.heartbeat_interval, node_tick_atom::value, generation_);
          },
          [this, generation](caf::error& e) {
            if (generation != generation_)
              return;
            if (e == node_errc::refused) {
              auto why = system().render(e);
              log_->error("the coordinator refused this worker: {}", why);
              status_->refused(why);
              quit(e);
              return;
            }
            redial("registration failed: " + system().render(e));
          });
}

void node_worker::redial(const std::string& why) {
  ++generation_;
  ++failures_;
  auto delay = backoff_.next(reconnect_, "coordinator", failures_);
  log_->warn("{}; dialling again in {} ms", why, to_ms(delay));
  delayed_send(this, delay, node_dial_atom::value, generation_);
}

} // namespace herd
