#include "herd/distribution/worker.hpp"

#include <unistd.h>

#include <caf/exit_reason.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include "distribution/node_worker.hpp"
#include "distribution/worker_status.hpp"
#include "herd/core/errc.hpp"
#include "herd/core/logging.hpp"
#include "herd/distribution/node_errc.hpp"
#include "herd/runtime/system_config.hpp"

namespace herd {

worker::worker(const runtime_config& config, worker_options options, agent_factory make)
    : options_(std::move(options)) {
  set_log_level(config.log_level);
  auto secret = config.node.secret(); // throws before anything starts
  if (options_.name.empty())
    options_.name = "worker-" + std::to_string(::getpid());
  if (options_.seed == 0)
    options_.seed = static_cast<uint64_t>(::getpid());
  cfg_ = std::make_unique<system_config>(config);
  sys_ = std::make_unique<caf::actor_system>(*cfg_);
  status_ = std::make_shared<worker_status>();
  for (int32_t i = 0; i < options_.agents; ++i)
    agents_.push_back(make(*sys_));
  link_ = sys_->spawn<node_worker>(config.node, options_, std::move(secret), agents_, status_);
}

worker::~worker() {
  stop();
}

caf::expected<node_info> worker::await_registration(duration timeout) {
  std::string why;
  auto info = status_->await(to_ms(timeout), why);
  if (info)
    return std::move(*info);
  if (!why.empty())
    return caf::make_error(node_errc::refused, why);
  return caf::make_error(errc::timeout, "not registered with " + options_.host + ":" +
                                            std::to_string(options_.port) + " within " +
                                            std::to_string(to_ms(timeout)) + " ms");
}

bool worker::registered() const {
  return status_->is_registered();
}

int64_t worker::registrations() const {
  return status_->registrations();
}

void worker::stop() {
  if (!sys_)
    return;
  if (link_)
    caf::anon_send_exit(link_, caf::exit_reason::user_shutdown);
  for (auto& agent : agents_)
    caf::anon_send_exit(agent, caf::exit_reason::user_shutdown);
  link_ = nullptr;
  agents_.clear();
  sys_.reset(); // waits for its actors
  cfg_.reset();
}

} // namespace herd
