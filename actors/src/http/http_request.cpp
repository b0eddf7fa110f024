#include "herd/http/http_request.hpp"

namespace herd {

bool operator==(const http_request& x, const http_request& y) {
  return x.method == y.method && x.url == y.url && x.headers == y.headers && x.body == y.body &&
         x.connect_timeout == y.connect_timeout && x.total_timeout == y.total_timeout &&
         x.max_response_bytes == y.max_response_bytes;
}

} // namespace herd
