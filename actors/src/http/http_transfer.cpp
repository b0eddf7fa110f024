#include "http_transfer.hpp"

#include "herd/core/wall_time.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>

namespace herd {

namespace {

std::string_view trim(std::string_view text) {
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && is_space(text.front()))
    text.remove_prefix(1);
  while (!text.empty() && is_space(text.back()))
    text.remove_suffix(1);
  return text;
}

bool equals_ignoring_case(std::string_view x, std::string_view y) {
  return x.size() == y.size() && std::equal(x.begin(), x.end(), y.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) ==
                  std::tolower(static_cast<unsigned char>(b));
         });
}

/// The size of curl's receive buffer per exchange (curl's default: 16 KiB).
constexpr long receive_buffer_bytes = 4096;

long to_curl_ms(duration value, duration fallback) {
  auto ms = to_ms(value > duration{0} ? value : fallback);
  return static_cast<long>(std::max<int64_t>(ms, 1));
}

} // namespace

http_transfer::http_transfer(uint64_t id, http_request request, http_client::completion done,
                             const http_client_config& config)
    : id_(id), request_(std::move(request)), done_(std::move(done)), config_(config),
      max_response_bytes_(request_.max_response_bytes > 0 ? request_.max_response_bytes
                                                          : config.max_response_bytes),
      started_(std::chrono::steady_clock::now()) {
  error_buffer_[0] = '\0';
}

http_transfer::~http_transfer() {
  if (easy_ != nullptr)
    curl_easy_cleanup(easy_);
  if (header_list_ != nullptr)
    curl_slist_free_all(header_list_);
}

CURL* http_transfer::release_handle() {
  auto result = easy_;
  easy_ = nullptr;
  if (result != nullptr)
    curl_easy_reset(result);
  return result;
}

bool http_transfer::prepare(CURL* reused) {
  easy_ = reused != nullptr ? reused : curl_easy_init();
  if (easy_ == nullptr) {
    fail(http_error::other, "curl_easy_init failed (out of memory)");
    return false;
  }
  bool has_content_type = false;
  bool has_expect = false;
  for (auto& [name, value] : request_.headers) {
    // A line break would smuggle a header (or a second request) in; the value may be a secret,
    // so only the name is named.
    if (name.empty() || name.find_first_of(":\r\n") != std::string::npos ||
        value.find_first_of("\r\n") != std::string::npos) {
      fail(http_error::other, "invalid request header \"" + name.substr(0, 64) + "\"");
      return false;
    }
    has_content_type = has_content_type || equals_ignoring_case(name, "content-type");
    has_expect = has_expect || equals_ignoring_case(name, "expect");
    // "Name;" is curl's way to send a header with an empty value.
    auto line = value.empty() ? name + ";" : name + ": " + value;
    auto appended = curl_slist_append(header_list_, line.c_str());
    if (appended == nullptr) {
      fail(http_error::other, "curl_slist_append failed (out of memory)");
      return false;
    }
    header_list_ = appended;
  }
  // curl would otherwise label a body as a form and wait for "100 Continue" on large ones.
  if (!request_.body.empty() && !has_content_type)
    header_list_ = curl_slist_append(header_list_, "Content-Type: application/json");
  if (!has_expect)
    header_list_ = curl_slist_append(header_list_, "Expect:");

  curl_easy_setopt(easy_, CURLOPT_PRIVATE, this);
  curl_easy_setopt(easy_, CURLOPT_URL, request_.url.c_str());
  curl_easy_setopt(easy_, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy_, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy_, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(easy_, CURLOPT_ERRORBUFFER, error_buffer_);
  // curl allocates its receive buffer (16 KiB by default) before a request even waits for a
  // connection; 4 KiB keeps 10,000 waiting requests at ~13 KB each instead of ~25 KB.
  curl_easy_setopt(easy_, CURLOPT_BUFFERSIZE, receive_buffer_bytes);
  curl_easy_setopt(easy_, CURLOPT_USERAGENT, config_.user_agent.c_str());
  curl_easy_setopt(easy_, CURLOPT_HTTPHEADER, header_list_);
  curl_easy_setopt(easy_, CURLOPT_CONNECTTIMEOUT_MS,
                   to_curl_ms(request_.connect_timeout, config_.connect_timeout));
  curl_easy_setopt(easy_, CURLOPT_TIMEOUT_MS,
                   to_curl_ms(request_.total_timeout, config_.total_timeout));
  curl_easy_setopt(easy_, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(max_response_bytes_));
  curl_easy_setopt(easy_, CURLOPT_WRITEFUNCTION, &http_transfer::on_body);
  curl_easy_setopt(easy_, CURLOPT_WRITEDATA, this);
  curl_easy_setopt(easy_, CURLOPT_HEADERFUNCTION, &http_transfer::on_header);
  curl_easy_setopt(easy_, CURLOPT_HEADERDATA, this);

  auto& method = request_.method;
  if (method == "GET" && request_.body.empty()) {
    curl_easy_setopt(easy_, CURLOPT_HTTPGET, 1L);
  } else if (method == "HEAD") {
    curl_easy_setopt(easy_, CURLOPT_NOBODY, 1L);
  } else {
    // The body stays in `request_` for the whole exchange: curl reads it in place, no copy.
    curl_easy_setopt(easy_, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request_.body.size()));
    curl_easy_setopt(easy_, CURLOPT_POSTFIELDS, request_.body.data());
    if (method != "POST")
      curl_easy_setopt(easy_, CURLOPT_CUSTOMREQUEST, method.c_str());
  }
  return true;
}

size_t http_transfer::on_body(char* data, size_t size, size_t count, void* self) {
  auto& transfer = *static_cast<http_transfer*>(self);
  auto bytes = size * count;
  auto& body = transfer.response_.body;
  if (static_cast<int64_t>(body.size() + bytes) > transfer.max_response_bytes_) {
    transfer.size_limit_hit_ = true;
    return bytes == 0 ? 1 : 0; // anything but `bytes` aborts the transfer
  }
  if (body.empty()) {
    curl_off_t length = -1;
    curl_easy_getinfo(transfer.easy_, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
    if (length > 0 && length <= transfer.max_response_bytes_)
      body.reserve(static_cast<size_t>(length));
  }
  body.append(data, bytes);
  return bytes;
}

size_t http_transfer::on_header(char* data, size_t size, size_t count, void* self) {
  auto bytes = size * count;
  static_cast<http_transfer*>(self)->add_header_line(std::string_view{data, bytes});
  return bytes;
}

void http_transfer::add_header_line(std::string_view line) {
  auto& headers = response_.headers;
  if (line.rfind("HTTP/", 0) == 0) {
    // A new status line: only the final response's headers count (after 100 Continue or a 3xx).
    headers.clear();
    return;
  }
  if (!line.empty() && (line.front() == ' ' || line.front() == '\t')) {
    // An obsolete folded continuation of the previous header's value.
    if (!headers.empty() && !trim(line).empty())
      headers.back().second.append(" ").append(trim(line));
    return;
  }
  auto colon = line.find(':');
  if (colon == std::string_view::npos)
    return; // the blank line ending the headers
  std::string name{trim(line.substr(0, colon))};
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  headers.emplace_back(std::move(name), std::string{trim(line.substr(colon + 1))});
}

duration http_transfer::elapsed() const {
  return std::chrono::duration_cast<duration>(std::chrono::steady_clock::now() - started_);
}

http_error http_transfer::classify(CURLcode code, bool size_limit_hit, bool request_sent) {
  switch (code) {
  case CURLE_OK:
    return http_error::none;
  case CURLE_URL_MALFORMAT:
  case CURLE_UNSUPPORTED_PROTOCOL:
    return http_error::invalid_url;
  case CURLE_COULDNT_RESOLVE_HOST:
  case CURLE_COULDNT_RESOLVE_PROXY:
    return http_error::dns;
  case CURLE_COULDNT_CONNECT:
    return http_error::connection_refused;
  case CURLE_OPERATION_TIMEDOUT:
    return request_sent ? http_error::timeout : http_error::connect_timeout;
  case CURLE_RECV_ERROR:
  case CURLE_SEND_ERROR:
  case CURLE_GOT_NOTHING:
  case CURLE_PARTIAL_FILE:
  case CURLE_WEIRD_SERVER_REPLY:
  case CURLE_HTTP2:
  case CURLE_HTTP2_STREAM:
    return http_error::connection_reset;
  case CURLE_SSL_CONNECT_ERROR:
  case CURLE_SSL_ENGINE_NOTFOUND:
  case CURLE_SSL_ENGINE_SETFAILED:
  case CURLE_SSL_CERTPROBLEM:
  case CURLE_SSL_CIPHER:
  case CURLE_PEER_FAILED_VERIFICATION:
  case CURLE_SSL_ENGINE_INITFAILED:
  case CURLE_SSL_CACERT_BADFILE:
  case CURLE_SSL_SHUTDOWN_FAILED:
  case CURLE_SSL_CRL_BADFILE:
  case CURLE_SSL_ISSUER_ERROR:
  case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
  case CURLE_SSL_INVALIDCERTSTATUS:
  case CURLE_SSL_CLIENTCERT:
    return http_error::tls;
  case CURLE_FILESIZE_EXCEEDED:
    return http_error::too_large;
  case CURLE_WRITE_ERROR:
    return size_limit_hit ? http_error::too_large : http_error::other;
  default:
    return http_error::other;
  }
}

void http_transfer::finish(CURLcode code) {
  long status = 0;
  long request_bytes = 0;
  curl_easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_getinfo(easy_, CURLINFO_REQUEST_SIZE, &request_bytes);
  response_.elapsed = elapsed();
  response_.received_ms = wall_now_ms();
  response_.error = classify(code, size_limit_hit_, request_bytes > 0);
  if (response_.error == http_error::none) {
    response_.status = static_cast<int32_t>(status);
    response_.reused_connection = connections_opened() == 0;
  } else {
    response_.status = 0;
    response_.body.clear();
    response_.body.shrink_to_fit();
    if (response_.error == http_error::too_large)
      response_.error_message =
          "response body larger than " + std::to_string(max_response_bytes_) + " bytes";
    else
      response_.error_message = error_buffer_[0] != '\0' ? std::string{error_buffer_}
                                                         : std::string{curl_easy_strerror(code)};
  }
}

uint64_t http_transfer::connections_opened() const {
  long connections = 0;
  if (easy_ != nullptr)
    curl_easy_getinfo(easy_, CURLINFO_NUM_CONNECTS, &connections);
  return static_cast<uint64_t>(std::max(connections, 0L));
}

void http_transfer::fail(http_error error, std::string message) {
  response_.status = 0;
  response_.body.clear();
  response_.error = error;
  response_.error_message = std::move(message);
  response_.elapsed = elapsed();
  response_.received_ms = wall_now_ms();
}

} // namespace herd
