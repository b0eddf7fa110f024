// Fuzzes what herd makes of an HTTP answer: the input is "STATUS\nname: value\n...\n\nBODY".
// The classifier and the rate-limit headers never throw and give waits in [0, 1 day]; the OpenAI,
// Anthropic and plain JSON codecs turn any answer into an outcome, and the chat codecs' API key
// never shows in a failure even when the body echoes it.
#include "fuzz_input.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>

#include "herd/http/anthropic_codec.hpp"
#include "herd/http/http_classifier.hpp"
#include "herd/http/http_endpoint.hpp"
#include "herd/http/json_http_codec.hpp"
#include "herd/http/openai_codec.hpp"
#include "herd/http/rate_limit_headers.hpp"

namespace {

const std::string api_key = "sk-fuzz-SECRETKEY-1234";

/// The response the input describes.
herd::http_response response_of(const std::string& text) {
  herd::http_response response;
  auto split = text.find("\n\n");
  auto head = text.substr(0, split);
  response.body = split == std::string::npos ? std::string{} : text.substr(split + 2);
  size_t start = 0;
  bool first = true;
  while (start <= head.size()) {
    auto end = std::min(head.find('\n', start), head.size());
    auto line = head.substr(start, end - start);
    start = end + 1;
    if (first) {
      first = false;
      int32_t status = 0;
      for (char c : line.substr(0, 4))
        if (std::isdigit(static_cast<unsigned char>(c)))
          status = status * 10 + (c - '0');
      response.status = status;
      if (line == "timeout")
        response.error = herd::http_error::timeout;
      continue;
    }
    auto colon = line.find(':');
    if (colon == std::string::npos)
      continue;
    auto name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    auto value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    response.headers.emplace_back(std::move(name), std::move(value));
  }
  response.received_ms = 1'796'000'000'000;
  return response;
}

void check_wait(const std::optional<herd::duration>& wait) {
  if (wait)
    herd::fuzz::check(*wait >= herd::duration{0} && *wait <= herd::rate_limit_headers::max_wait,
                      "a header wait outside [0, 1 day]");
}

void check_outcome(const herd::outcome& x) {
  herd::fuzz::check(x.ok() || (x.error.message.find(api_key) == std::string::npos &&
                               x.error.reason.find(api_key) == std::string::npos),
                    "the API key shows in a failure");
  herd::fuzz::check(x.error.retry_after >= herd::duration{0}, "a negative retry-after");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace herd;
  static const auto codecs = [] {
    http_endpoint endpoint;
    endpoint.base_url = "http://127.0.0.1:1";
    std::vector<std::unique_ptr<http_codec>> result;
    result.push_back(std::make_unique<openai_codec>(endpoint, api_key, "gpt-4o-mini", 0));
    result.push_back(std::make_unique<anthropic_codec>(endpoint, api_key, "claude", 1024));
    result.push_back(std::make_unique<json_http_codec>(endpoint));
    return result;
  }();
  auto response = response_of(fuzz::text_of(data, size));
  auto now = http_classifier::arrival_of(response);
  check_wait(rate_limit_headers::requested_wait(response, now));
  check_wait(rate_limit_headers::rate_limit_wait(response, now));
  auto limit = rate_limit_headers::published(response, now);
  fuzz::check(limit.reset >= duration{0}, "a negative window reset");
  if (auto classified = http_classifier::classify(response, now))
    fuzz::check(classified->retry_after >= duration{0}, "a negative retry-after");
  (void)http_classifier::escaped_excerpt(response.body);
  // The chat codecs hold the key; the plain JSON codec has none to hide.
  check_outcome(codecs[0]->decode(response));
  check_outcome(codecs[1]->decode(response));
  (void)codecs[2]->decode(response);
  return 0;
}
