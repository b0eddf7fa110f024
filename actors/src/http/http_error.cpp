#include "herd/http/http_error.hpp"

#include "herd/core/enum_name.hpp"

namespace herd {

std::string to_string(http_error x) {
  switch (x) {
  case http_error::none:
    return "none";
  case http_error::invalid_url:
    return "invalid_url";
  case http_error::dns:
    return "dns";
  case http_error::connection_refused:
    return "connection_refused";
  case http_error::connect_timeout:
    return "connect_timeout";
  case http_error::timeout:
    return "timeout";
  case http_error::connection_reset:
    return "connection_reset";
  case http_error::tls:
    return "tls";
  case http_error::too_large:
    return "too_large";
  case http_error::cancelled:
    return "cancelled";
  case http_error::shutting_down:
    return "shutting_down";
  case http_error::other:
    return "other";
  }
  return "other";
}

std::optional<http_error> parse_http_error(std::string_view name) {
  return parse_enum_name<http_error>(name, all_http_errors);
}

} // namespace herd
