#include "http_calls.hpp"

#include <chrono>

#include <spdlog/logger.h>

#include "herd/core/logging.hpp"
#include "herd/http/http_classifier.hpp"
#include "herd/http/rate_limit_headers.hpp"

namespace herd {

http_calls::http_calls(std::string name, std::shared_ptr<const http_codec> codec,
                       caf::weak_actor_ptr service,
                       const std::shared_ptr<metrics_registry>& metrics)
    : service_name_(std::move(name)), codec_(std::move(codec)), service_(std::move(service)),
      log_(component_logger("http_service")), metrics_(metrics) {
  if (metrics_)
    durations_ = &metrics_->histogram("herd_http_request_duration_seconds",
                                      "Time of an HTTP exchange with a downstream service.",
                                      {{"service", service_name_}});
}

uint64_t http_calls::add(const caf::mailbox_element& request) {
  waiting_call call;
  if (request.sender) {
    call.reply_to = request.sender;
    call.caller = request.sender->address();
    call.reply_id = request.mid;
    call.stages = request.stages;
  }
  std::lock_guard<std::mutex> guard{mtx_};
  auto tag = next_tag_++;
  calls_.emplace(tag, std::move(call));
  return tag;
}

void http_calls::started(uint64_t tag, uint64_t client_id) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto i = calls_.find(tag);
  if (i != calls_.end())
    i->second.client_id = client_id;
}

void http_calls::complete(uint64_t tag, const http_response& response) {
  waiting_call call;
  counter* requests = nullptr;
  {
    std::lock_guard<std::mutex> guard{mtx_};
    auto i = calls_.find(tag);
    if (i == calls_.end())
      return; // dropped: its caller is gone, or the service stopped
    call = std::move(i->second);
    calls_.erase(i);
    requests = requests_counter(response);
  }
  if (requests != nullptr) {
    requests->inc();
    durations_->observe(std::chrono::duration<double>(response.elapsed).count());
  }
  auto result = codec_->decode(response);
  result.limit = rate_limit_headers::published(response, http_classifier::arrival_of(response));
  if (!result.ok()) {
    result.error.service = service_name_;
    if (result.error.status_code == 0)
      result.error.status_code = response.status;
    log_->debug("{}: {}", service_name_, to_string(result.error));
  }
  reply(call, std::move(result));
}

std::vector<uint64_t> http_calls::drop_caller(const caf::actor_addr& caller) {
  std::vector<uint64_t> running;
  std::lock_guard<std::mutex> guard{mtx_};
  for (auto i = calls_.begin(); i != calls_.end();) {
    if (i->second.caller != caller) {
      ++i;
      continue;
    }
    if (i->second.client_id != 0)
      running.push_back(i->second.client_id);
    i = calls_.erase(i);
  }
  return running;
}

std::vector<uint64_t> http_calls::end_all(const outcome& result) {
  std::unordered_map<uint64_t, waiting_call> calls;
  {
    std::lock_guard<std::mutex> guard{mtx_};
    calls.swap(calls_);
  }
  std::vector<uint64_t> running;
  for (auto& [tag, call] : calls) {
    if (call.client_id != 0)
      running.push_back(call.client_id);
    reply(call, result);
  }
  return running;
}

void http_calls::reply(waiting_call& call, outcome result) const {
  if (!call.reply_to)
    return;
  // As a response promise delivers, but from any thread: no execution unit, so the receiver is
  // scheduled through the scheduler's thread-safe queue.
  auto sender = service_.lock();
  if (call.stages.empty()) {
    call.reply_to->enqueue(caf::make_mailbox_element(std::move(sender), call.reply_id.response_id(),
                                                     {}, std::move(result)),
                           nullptr);
    return;
  }
  auto next = std::move(call.stages.back());
  call.stages.pop_back();
  next->enqueue(caf::make_mailbox_element(std::move(call.reply_to), call.reply_id,
                                          std::move(call.stages), std::move(result)),
                nullptr);
}

counter* http_calls::requests_counter(const http_response& response) {
  if (!metrics_)
    return nullptr;
  auto transport_failed = response.error != http_error::none;
  auto key = transport_failed ? -static_cast<int32_t>(response.error) : response.status;
  auto i = requests_by_result_.find(key);
  if (i == requests_by_result_.end()) {
    auto result = transport_failed ? to_string(response.error) : std::to_string(response.status);
    auto& made = metrics_->counter(
        "herd_http_requests_total",
        "HTTP exchanges with downstream services, by status code or transport error.",
        {{"service", service_name_}, {"result", result}});
    i = requests_by_result_.emplace(key, &made).first;
  }
  return i->second;
}

} // namespace herd
