// Fuzzes the header value parsers behind Retry-After and the providers' rate-limit headers, and
// the base-URL check: every input parses or is refused; no duration is negative.
#include "fuzz_input.hpp"

#include "herd/http/http_endpoint.hpp"
#include "herd/http/rate_limit_headers.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace herd;
  auto text = fuzz::text_of(data, size);
  if (auto seconds = rate_limit_headers::parse_seconds(text))
    fuzz::check(*seconds >= duration{0}, "negative seconds");
  if (auto go = rate_limit_headers::parse_go_duration(text))
    fuzz::check(*go >= duration{0}, "a negative Go duration");
  (void)rate_limit_headers::parse_http_date(text);
  (void)rate_limit_headers::parse_rfc3339(text);
  (void)http_endpoint::url_problem(text);
  return 0;
}
