#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>

#include <nlohmann/json.hpp>

namespace herd {

/// What the mock received, in total and per whole second since its start, for `GET /stats`.
/// Thread-safe. Its memory is bounded however long the mock runs: seconds older than
/// `per_second_window` are forgotten, and so are connections idle for `connection_idle_seconds`.
class mock_llm_stats {
public:
  /// Counts one API call that arrived in `second` (whole seconds since start) and was answered
  /// `status` (0 when it got no response: hang or reset), with fault `fault` ("none", ...)
  /// decided because of `cause` ("capacity", "outage", "x-mock-fault", ...; "" for none), on
  /// the client connection `connection` (e.g. "127.0.0.1:50312").
  void record(int64_t second, int status, const std::string& fault, const std::string& cause,
              const std::string& connection);

  /// `{"requests": N, "by_status": {"200": N, ...}, "by_fault": {"none": N, ...},
  /// "by_cause": {"capacity": N, "none": N, ...}, "connections": N (distinct client
  /// connections the calls came on: fewer than calls when connections are kept alive),
  /// "per_second": [{"second": S, "requests": N, "by_status": {...}}, ...]}`, seconds
  /// ascending, only seconds that saw calls and only the last `per_second_window` of them;
  /// status 0 shows as "none".
  nlohmann::json to_json() const;

  /// Forgets everything counted so far.
  void reset();

  /// How many whole seconds `per_second` covers, back from the latest call: 600.
  static constexpr int64_t per_second_window = 600;
  /// A connection silent for longer than this (60 s; cpp-httplib closes idle keep-alive
  /// connections after 5 s) is forgotten, and calls on its address and port count as a new one.
  static constexpr int64_t connection_idle_seconds = 60;

private:
  struct counts {
    int64_t requests = 0;
    std::map<std::string, int64_t> by_status;
  };

  // Drops the seconds and idle connections that fell out of their windows (once a second).
  void forget_before(int64_t second);

  mutable std::mutex mutex_;
  counts total_;
  std::map<std::string, int64_t> by_fault_;
  std::map<std::string, int64_t> by_cause_;
  std::unordered_map<std::string, int64_t> connections_; // address:port -> last second seen
  int64_t connection_count_ = 0;
  std::map<int64_t, counts> per_second_;
  int64_t next_trim_ = 0; // the first second whose call trims again
};

} // namespace herd
