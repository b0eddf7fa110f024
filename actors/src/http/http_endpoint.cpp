#include "herd/http/http_endpoint.hpp"

#include "herd/core/json_reader.hpp"

namespace herd {

std::string http_endpoint::url_for(std::string_view path) const {
  std::string_view base = base_url;
  while (!base.empty() && base.back() == '/')
    base.remove_suffix(1);
  auto second_slash = path.find('/', 1);
  if (second_slash != std::string_view::npos) {
    auto first_segment = path.substr(0, second_slash); // "/v1"
    if (base.size() >= first_segment.size() &&
        base.substr(base.size() - first_segment.size()) == first_segment)
      path.remove_prefix(second_slash);
  }
  std::string url{base};
  url += path;
  return url;
}

http_request http_endpoint::request(std::string method, std::string_view path,
                                    std::string body) const {
  http_request result;
  result.method = std::move(method);
  result.url = url_for(path);
  result.headers = headers;
  result.body = std::move(body);
  result.connect_timeout = connect_timeout;
  result.total_timeout = total_timeout;
  result.max_response_bytes = max_response_bytes;
  return result;
}

std::optional<std::string> http_endpoint::url_problem(std::string_view url) {
  std::string_view rest;
  if (url.substr(0, 7) == "http://")
    rest = url.substr(7);
  else if (url.substr(0, 8) == "https://")
    rest = url.substr(8);
  else
    return std::string{"expected an http:// or https:// URL"};
  for (char c : url)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
      return std::string{"expected a URL without spaces or control characters"};
  auto authority = rest.substr(0, rest.find_first_of("/?#"));
  auto at = authority.rfind('@');
  if (at != std::string_view::npos)
    return std::string{"expected a URL without user:password (give the key in api_key_env)"};
  auto host = authority;
  if (!host.empty() && host.front() == '[')
    host = host.substr(0, host.find(']') == std::string_view::npos ? 0 : host.find(']') + 1);
  else
    host = host.substr(0, host.find(':'));
  if (host.empty() || host == "[]")
    return std::string{"expected a URL with a host"};
  if (rest.find_first_of("?#") != std::string_view::npos)
    return std::string{"expected a base URL without query or fragment"};
  return std::nullopt;
}

std::vector<std::pair<std::string, std::string>>
http_endpoint::headers_from_json(const json_reader& in, std::string_view key) {
  std::vector<std::pair<std::string, std::string>> result;
  auto headers = in.at(std::string{key});
  if (!headers.value().is_object())
    in.fail(std::string{key}, "an object of header names and string values");
  for (auto& name : headers.keys()) {
    auto value = headers.string(name, "");
    if (name.empty() || name.find_first_of(" :\r\n") != std::string::npos ||
        value.find_first_of("\r\n") != std::string::npos)
      headers.fail(name, "a header name and a single-line value");
    result.emplace_back(name, std::move(value));
  }
  return result;
}

} // namespace herd
