#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <caf/expected.hpp>

#include "herd/core/outcome.hpp"
#include "herd/core/task.hpp"
#include "herd/core/time.hpp"
#include "herd/distribution/node_credentials.hpp"
#include "herd/distribution/node_info.hpp"
#include "herd/distribution/protocol.hpp"
#include "herd/runtime/runtime_config.hpp"

namespace caf {
class actor_system;
}

namespace herd {

class system_config;

/// A client process's side of a fleet (see docs/distribution.md): submits tasks to the
/// coordinator whose node endpoint listens at `host`:`port`, over CAF's io middleman, and
/// receives their outcomes. It presents the application id and the shared secret of
/// `config.node` with every call (the coordinator refuses wrong ones with `node_errc::refused`)
/// and runs an actor system of its own with the same middleman heartbeats as every node.
///
/// It connects on first use, through the middleman actor with `node.request_timeout` (never a
/// blocking `remote_actor()`); a call that meets a dropped connection dials again, up to 3 times
/// 100-300 ms apart (a coordinator restarting on its journal takes a moment). Calls
/// block the calling thread (never call them from an actor's handler) and may come from several
/// threads at once.
///
///     herd::client c{config, "127.0.0.1", 4100};
///     auto id = c.enqueue(herd::task::make("t-1", "summarize", payload, "llm"));
///     auto result = c.run(herd::task::make("t-2", "summarize", payload, "llm"));
class client {
public:
  /// A client of the coordinator at `host`:`port`, configured by `config.node`. Throws
  /// `config_error` when `config.node.secret_env` names an unset variable.
  client(const runtime_config& config, std::string host, uint16_t port);
  /// Stops its actor system.
  ~client();

  client(const client&) = delete;
  client& operator=(const client&) = delete;

  /// Hands `t` over and returns its id once the coordinator accepted it (with a journal at
  /// durability "sync": once it is durable), without waiting for its outcome. Errors:
  /// `node_errc::refused`, `node_errc::unreachable`, the dispatcher's refusals (intake_full,
  /// unknown_pool, ...), `errc::timeout` after `timeout` (default 30 s). A duplicate id is
  /// acknowledged as well (it runs once).
  caf::expected<std::string> enqueue(task t, duration timeout = from_ms(30000));
  /// Submits `t` and waits up to `timeout` (default 24 h) for its final outcome. Errors as for
  /// `enqueue`; after `errc::timeout` or `node_errc::unreachable` the task may still run:
  /// submitting it again under its id returns its recorded result once it ended.
  caf::expected<outcome> run(task t, duration timeout = from_ms(24LL * 3600 * 1000));
  /// The coordinator's worker nodes (`herd nodes`), or why there is no answer.
  caf::expected<std::vector<node_info>> nodes();
  /// The coordinator's address, "host:port".
  std::string address() const;
  /// `e` as a sentence, e.g. "node error: refused (a client presented a wrong shared secret)".
  std::string render(const caf::error& e) const;

private:
  /// The endpoint, dialled now if there is none.
  caf::expected<node_endpoint_actor> endpoint();
  /// Forgets `dead` (after it dropped) so the next call dials again.
  void forget(const node_endpoint_actor& dead);
  /// The reply of the endpoint to `xs...` within `timeout` (dialling again up to 3 times when
  /// the connection it had dropped), or `unreachable` or `timeout`.
  template <class T, class... Ts>
  caf::expected<T> ask(duration timeout, Ts&&... xs);
  /// The reply of `endpoint` to the message `args` within `timeout`, or `unreachable` when the
  /// connection drops meanwhile.
  template <class T, class Args>
  caf::expected<T> ask_once(const node_endpoint_actor& endpoint, duration timeout,
                            const Args& args);

  std::string host_;
  uint16_t port_;
  node_credentials credentials_;
  node_config node_;
  std::unique_ptr<system_config> cfg_;
  std::unique_ptr<caf::actor_system> sys_;
  std::mutex mutex_;
  node_endpoint_actor endpoint_; // under mutex_
};

} // namespace herd
