#include "herd/http/http_service.hpp"

#include <caf/actor_cast.hpp>
#include <caf/send.hpp>

#include "herd/core/logging.hpp"
#include "herd/http/http_classifier.hpp"
#include "herd/http/rate_limit_headers.hpp"

namespace herd {

http_service::http_service(caf::actor_config& cfg, std::string name,
                           std::shared_ptr<http_client> client,
                           std::shared_ptr<const http_codec> codec,
                           std::shared_ptr<metrics_registry> metrics)
    : http_service_actor::base(cfg), service_name_(std::move(name)), client_(std::move(client)),
      codec_(std::move(codec)), log_(component_logger("http_service")),
      metrics_(std::move(metrics)) {
  if (metrics_)
    durations_ = &metrics_->histogram("herd_http_request_duration_seconds",
                                      "Time of an HTTP exchange with a downstream service.",
                                      {{"service", service_name_}});
  set_down_handler([this](caf::down_msg& msg) { on_caller_down(msg); });
}

http_service::behavior_type http_service::make_behavior() {
  return {
      [this](call_atom, const std::string& request_json) { return on_call(request_json); },
      [this](http_done_atom, uint64_t tag, http_response& response) { on_done(tag, response); },
  };
}

caf::result<outcome> http_service::on_call(const std::string& request_json) {
  auto encoded = codec_->encode(request_json);
  if (auto why = std::get_if<failure>(&encoded))
    return failed(std::move(*why));
  auto tag = next_tag_++;
  auto& call = running_[tag];
  // Before the promise: making it takes the sender out of the current message.
  if (auto caller = current_sender()) {
    call.caller = caller->address();
    if (callers_.insert(call.caller).second)
      monitor(caller);
  }
  call.promise = make_response_promise<outcome>();
  // The I/O thread holds only a weak reference: a stopped service is not kept alive by the
  // exchanges it started, and their ends are dropped.
  caf::weak_actor_ptr self_ref{ctrl()};
  call.client_id = client_->start(
      std::move(std::get<http_request>(encoded)), [self_ref, tag](http_response response) {
        if (auto strong = self_ref.lock())
          caf::anon_send(caf::actor_cast<caf::actor>(strong), http_done_atom::value, tag,
                         std::move(response));
      });
  return call.promise;
}

void http_service::on_done(uint64_t tag, http_response& response) {
  auto i = running_.find(tag);
  if (i == running_.end())
    return; // cancelled: its caller is gone
  auto call = std::move(i->second);
  running_.erase(i);
  record(response);
  auto result = codec_->decode(response);
  result.limit = rate_limit_headers::published(response, http_classifier::arrival_of(response));
  if (!result.ok()) {
    result.error.service = service_name_;
    if (result.error.status_code == 0)
      result.error.status_code = response.status;
    log_->debug("{}: {}", service_name_, to_string(result.error));
  }
  call.promise.deliver(std::move(result));
}

void http_service::on_caller_down(const caf::down_msg& msg) {
  callers_.erase(msg.source);
  for (auto i = running_.begin(); i != running_.end();) {
    if (i->second.caller != msg.source) {
      ++i;
      continue;
    }
    client_->cancel(i->second.client_id);
    i = running_.erase(i);
  }
}

void http_service::record(const http_response& response) {
  if (!metrics_)
    return;
  auto transport_failed = response.error != http_error::none;
  auto key = transport_failed ? -static_cast<int32_t>(response.error) : response.status;
  auto i = requests_by_result_.find(key);
  if (i == requests_by_result_.end()) {
    auto result = transport_failed ? to_string(response.error) : std::to_string(response.status);
    auto& requests = metrics_->counter(
        "herd_http_requests_total",
        "HTTP exchanges with downstream services, by status code or transport error.",
        {{"service", service_name_}, {"result", result}});
    i = requests_by_result_.emplace(key, &requests).first;
  }
  i->second->inc();
  durations_->observe(std::chrono::duration<double>(response.elapsed).count());
}

outcome http_service::failed(failure why) const {
  why.service = service_name_;
  return outcome::fail(std::move(why));
}

void http_service::on_exit() {
  for (auto& [tag, call] : running_) {
    client_->cancel(call.client_id);
    auto why = failure::unavailable("service stopping").because("shutting_down");
    call.promise.deliver(failed(std::move(why)));
  }
  running_.clear();
  callers_.clear();
  client_.reset();
  codec_.reset();
  http_service_actor::base::on_exit();
}

} // namespace herd
