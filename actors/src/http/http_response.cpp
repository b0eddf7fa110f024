#include "herd/http/http_response.hpp"

#include <strings.h>

namespace herd {

std::optional<std::string_view> http_response::header(std::string_view name) const {
  for (auto& [key, value] : headers)
    if (key.size() == name.size() && strncasecmp(key.data(), name.data(), name.size()) == 0)
      return std::string_view{value};
  return std::nullopt;
}

bool operator==(const http_response& x, const http_response& y) {
  return x.status == y.status && x.headers == y.headers && x.body == y.body && x.error == y.error &&
         x.error_message == y.error_message && x.elapsed == y.elapsed &&
         x.reused_connection == y.reused_connection && x.received_ms == y.received_ms;
}

} // namespace herd
