#pragma once

#include <chrono>
#include <cstdint>
#include <future>
#include <memory>
#include <thread>

#include <netdb.h>
#include <ostream>
#include <string>
#include <variant>

#include <boost/test/unit_test.hpp>

#include "herd/core/failure_category.hpp"
#include "herd/http/http_codec.hpp"
#include "herd/http/http_request.hpp"
#include "herd/http/http_response.hpp"

namespace herd {

/// Lets BOOST_TEST print a category when a comparison fails.
inline std::ostream& boost_test_print_type(std::ostream& out, failure_category x) {
  return out << to_string(x);
}

namespace test {

/// The value of the request header `name` (exact name), "" if it has none.
inline std::string header_of(const http_request& r, const std::string& name) {
  for (auto& [key, value] : r.headers)
    if (key == name)
      return value;
  return "";
}

/// What `codec` makes of `payload`; fails the test when it refuses it.
inline http_request encoded(const http_codec& codec, const std::string& payload) {
  auto result = codec.encode(payload);
  if (auto* why = std::get_if<failure>(&result))
    BOOST_FAIL("encode failed: " << to_string(*why));
  return std::get<http_request>(result);
}

/// True when this machine's resolver says at once (within a second) that a name under
/// `.invalid` does not exist. Where DNS is unreachable a lookup waits for the resolver's own
/// timeout instead, and a test of the `dns` classification cannot tell it from a timeout.
inline bool resolver_fails_fast() {
  auto answer = std::make_shared<std::promise<bool>>();
  auto answered = answer->get_future();
  std::thread{[answer] {
    addrinfo* found = nullptr;
    auto rc = getaddrinfo("no-such-host.invalid", "80", nullptr, &found);
    if (found != nullptr)
      freeaddrinfo(found);
    answer->set_value(rc != 0);
  }}.detach();
  return answered.wait_for(std::chrono::seconds(1)) == std::future_status::ready && answered.get();
}

/// Waits until `done()` holds, at most `limit`; returns whether it does. For state of real
/// threads and sockets (an HTTP client's counters) that no event reports: it looks every
/// millisecond, so a test waits no longer than the state takes to change.
template <class Predicate>
bool wait_until(Predicate done, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return done();
}

/// A complete response with `status` and `body`.
inline http_response response_with(int32_t status, std::string body) {
  http_response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

} // namespace test

} // namespace herd
