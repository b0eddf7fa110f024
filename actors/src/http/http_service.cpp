#include "herd/http/http_service.hpp"

#include "http_calls.hpp"

namespace herd {

http_service::http_service(caf::actor_config& cfg, std::string name,
                           std::shared_ptr<http_client> client,
                           std::shared_ptr<const http_codec> codec,
                           std::shared_ptr<metrics_registry> metrics)
    : http_service_actor::base(cfg), service_name_(name), client_(std::move(client)), codec_(codec),
      calls_(std::make_shared<http_calls>(std::move(name), std::move(codec),
                                          caf::weak_actor_ptr{ctrl()}, std::move(metrics))) {
  set_down_handler([this](caf::down_msg& msg) { on_caller_down(msg); });
}

http_service::~http_service() = default;

http_service::behavior_type http_service::make_behavior() {
  return {
      [this](call_atom, const std::string& request_json) { return on_call(request_json); },
  };
}

caf::result<outcome> http_service::on_call(const std::string& request_json) {
  auto encoded = codec_->encode(request_json);
  if (auto why = std::get_if<failure>(&encoded)) {
    why->service = service_name_;
    return outcome::fail(std::move(*why));
  }
  auto& request = *current_mailbox_element();
  if (request.sender && callers_.insert(request.sender->address()).second)
    monitor(request.sender);
  auto tag = calls_->add(request);
  // The I/O thread answers the caller itself (http_calls::complete); the calls table outlives
  // this actor, so an exchange that ends after it stopped finds its call gone and does nothing.
  auto client_id = client_->start(
      std::move(std::get<http_request>(encoded)),
      [calls = calls_, tag](http_response response) { calls->complete(tag, response); });
  calls_->started(tag, client_id);
  return caf::delegated<outcome>{};
}

void http_service::on_caller_down(const caf::down_msg& msg) {
  callers_.erase(msg.source);
  for (auto id : calls_->drop_caller(msg.source))
    client_->cancel(id);
}

void http_service::on_exit() {
  auto why = failure::unavailable("service stopping").because("shutting_down");
  why.service = service_name_;
  for (auto id : calls_->end_all(outcome::fail(std::move(why))))
    client_->cancel(id);
  callers_.clear();
  client_.reset();
  codec_.reset();
  http_service_actor::base::on_exit();
}

} // namespace herd
