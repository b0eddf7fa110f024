#pragma once

#include <cstdint>
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

/// A complete response with `status` and `body`.
inline http_response response_with(int32_t status, std::string body) {
  http_response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

} // namespace test

} // namespace herd
