#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include <curl/curl.h>

#include "herd/http/http_client.hpp"
#include "herd/http/http_client_config.hpp"
#include "herd/http/http_request.hpp"
#include "herd/http/http_response.hpp"

namespace herd {

/// One exchange of an `http_client` on its I/O thread: owns the curl easy handle, the request
/// (curl reads the body and header list in place), the response as it arrives, and the
/// completion. Small on purpose: no buffer is preallocated; the body grows as bytes arrive (or is
/// reserved once from a Content-Length within the size limit).
class http_transfer {
public:
  /// A transfer of `request` with id `id`, falling back on `config` (which must outlive it) for
  /// zero limits.
  http_transfer(uint64_t id, http_request request, http_client::completion done,
                const http_client_config& config);
  /// Frees the easy handle and the header list.
  ~http_transfer();

  http_transfer(const http_transfer&) = delete;
  http_transfer& operator=(const http_transfer&) = delete;

  /// Configures an easy handle (`reused`, reset, when the client has an idle one, else a new
  /// one); false (and the error in `response()`) when the request cannot be made (a malformed
  /// header, curl out of memory).
  bool prepare(CURL* reused = nullptr);
  /// Gives the easy handle up (reset, for another transfer), once it is out of curl's multi
  /// handle; null when there is none.
  CURL* release_handle();

  /// The request's id.
  uint64_t id() const { return id_; }
  /// The easy handle (null before `prepare`).
  CURL* handle() const { return easy_; }

  /// Fills the response from curl's result `code` once the exchange ended.
  void finish(CURLcode code);
  /// The number of new connections the exchange opened so far (0 when it reused one or never
  /// connected).
  uint64_t connections_opened() const;
  /// Ends the response with a transport error of our own (cancelled, shutting_down, ...).
  void fail(http_error error, std::string message);

  /// The response so far (complete after `finish` or `fail`).
  http_response& response() { return response_; }
  /// Hands over the completion (the transfer calls nothing itself).
  http_client::completion take_completion() { return std::move(done_); }

  /// The transport error a curl result means, given whether our size limit cut the body and
  /// whether the request went out (a timeout before it did is a connect timeout).
  static http_error classify(CURLcode code, bool size_limit_hit, bool request_sent);

private:
  static size_t on_body(char* data, size_t size, size_t count, void* self);
  static size_t on_header(char* data, size_t size, size_t count, void* self);
  void add_header_line(std::string_view line);
  duration elapsed() const;

  uint64_t id_;
  http_request request_;
  http_client::completion done_;
  const http_client_config& config_;
  int64_t max_response_bytes_;
  std::chrono::steady_clock::time_point started_;
  CURL* easy_ = nullptr;
  curl_slist* header_list_ = nullptr;
  bool size_limit_hit_ = false;
  http_response response_;
  char error_buffer_[CURL_ERROR_SIZE];
};

} // namespace herd
