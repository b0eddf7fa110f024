#include "herd/distribution/client.hpp"

#include "distribution/node_transport.hpp"

#include <future>
#include <set>
#include <thread>
#include <tuple>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/io/middleman.hpp>
#include <caf/io/middleman_actor.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/system_messages.hpp>

#include "herd/core/errc.hpp"
#include "herd/distribution/node_errc.hpp"
#include "herd/runtime/system_config.hpp"

namespace herd {

client::client(const runtime_config& config, std::string host, uint16_t port)
    : host_(std::move(host)),
      port_(port), credentials_{config.node.app_id,
                                config.node.secret()}, // throws before anything starts
      node_(config.node), cfg_(std::make_unique<system_config>(config)),
      sys_(std::make_unique<caf::actor_system>(*cfg_)) {
  // nop
}

client::~client() {
  {
    std::lock_guard<std::mutex> guard{mutex_};
    endpoint_ = nullptr;
  }
  sys_.reset(); // waits for its actors
}

std::string client::address() const {
  return host_ + ":" + std::to_string(port_);
}

std::string client::render(const caf::error& e) const {
  return sys_->render(e);
}

caf::expected<std::string> client::enqueue(task t, duration timeout) {
  return ask<std::string>(timeout, node_enqueue_atom::value, credentials_, std::move(t));
}

caf::expected<outcome> client::run(task t, duration timeout) {
  return ask<outcome>(timeout, node_submit_atom::value, credentials_, std::move(t));
}

caf::expected<std::vector<node_info>> client::nodes() {
  return ask<std::vector<node_info>>(node_.request_timeout, nodes_atom::value, credentials_);
}

caf::expected<node_endpoint_actor> client::endpoint() {
  std::lock_guard<std::mutex> guard{mutex_};
  if (endpoint_)
    return endpoint_;
  caf::scoped_actor self{*sys_};
  caf::error failure;
  self->request(node_transport::middleman(*sys_, node_), node_.request_timeout,
                caf::connect_atom::value, host_, port_)
      .receive(
          [&](const caf::node_id&, caf::strong_actor_ptr& ptr, const std::set<std::string>&) {
            endpoint_ = caf::actor_cast<node_endpoint_actor>(std::move(ptr));
          },
          [&](caf::error& e) { failure = std::move(e); });
  if (endpoint_)
    return endpoint_;
  return caf::make_error(node_errc::unreachable,
                         "cannot reach " + address() + ": " +
                             (failure ? sys_->render(failure) : "nothing is published there"));
}

void client::forget(const node_endpoint_actor& dead) {
  std::lock_guard<std::mutex> guard{mutex_};
  if (endpoint_ == dead)
    endpoint_ = nullptr;
}

namespace {

/// Dials after a dropped connection before a call gives up (a restarting coordinator may take a
/// moment to listen again, and the first dial may still meet the old connection).
constexpr int max_redials = 3;

/// True if `e` says the connection (not the coordinator's answer) failed.
bool lost_connection(const caf::error& e) {
  return e == node_errc::unreachable || e == caf::sec::request_receiver_down ||
         e == caf::sec::connection_timeout || e == caf::sec::no_route_to_receiving_node ||
         e == caf::sec::cannot_connect_to_node;
}

} // namespace

template <class T, class... Ts>
caf::expected<T> client::ask(duration timeout, Ts&&... xs) {
  auto args = std::make_tuple(std::forward<Ts>(xs)...);
  // A connection that dropped since the last call is noticed by the first request to it: then
  // dial again, a few times with a short pause (a resubmitted task runs once: its id is its
  // idempotency key). A first dial that fails is answered at once.
  bool had_connection = false;
  for (int attempt = 0;; ++attempt) {
    auto dest = endpoint();
    caf::error e;
    if (dest) {
      had_connection = true;
      auto result = ask_once<T>(*dest, timeout, args);
      if (result)
        return result;
      e = std::move(result.error());
      if (e == caf::sec::request_timeout)
        return caf::make_error(errc::timeout, "no answer from " + address() + " within " +
                                                  std::to_string(to_ms(timeout)) + " ms");
      if (!lost_connection(e))
        return caf::expected<T>{std::move(e)};
      forget(*dest);
    } else {
      e = std::move(dest.error());
    }
    if (!had_connection)
      return caf::expected<T>{std::move(e)};
    if (attempt >= max_redials)
      return caf::make_error(node_errc::unreachable,
                             "lost the connection to " + address() + " (" + sys_->render(e) +
                                 "; dialled " + std::to_string(max_redials) + " times again)");
    std::this_thread::sleep_for(std::chrono::milliseconds(100 * (attempt + 1)));
  }
}

template <class T, class Args>
caf::expected<T> client::ask_once(const node_endpoint_actor& endpoint, duration timeout,
                                  const Args& args) {
  auto promise = std::make_shared<std::promise<caf::expected<T>>>();
  auto reply = promise->get_future();
  // Requests to a remote actor are not answered when its connection drops: the asker watches
  // the endpoint and answers `unreachable` itself then.
  // The promise is a spawn argument: see request_reply in runtime/src/ask.hpp.
  using promise_ptr = std::shared_ptr<std::promise<caf::expected<T>>>;
  sys_->spawn(
      [=](caf::event_based_actor* self, promise_ptr promise) {
        auto answered = std::make_shared<bool>(false);
        auto answer = [promise, answered, self](caf::expected<T> x) {
          if (*answered)
            return;
          *answered = true;
          promise->set_value(std::move(x));
          self->quit();
        };
        self->monitor(endpoint);
        self->set_down_handler([answer](caf::down_msg&) {
          answer(
              caf::make_error(node_errc::unreachable, "the connection to the coordinator dropped"));
        });
        std::apply([&](auto&... x) { return self->request(endpoint, timeout, x...); }, args)
            .then([answer](T& x) { answer(std::move(x)); },
                  [answer](caf::error& e) { answer(std::move(e)); });
      },
      promise);
  return reply.get();
}

} // namespace herd
