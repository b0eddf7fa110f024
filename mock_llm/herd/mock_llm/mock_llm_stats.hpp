#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

namespace herd {

/// What the mock received, in total and per whole second since its start, for `GET /stats`.
/// Thread-safe.
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
  /// ascending, only seconds that saw calls; status 0 shows as "none".
  nlohmann::json to_json() const;

  /// Forgets everything counted so far.
  void reset();

private:
  struct counts {
    int64_t requests = 0;
    std::map<std::string, int64_t> by_status;
  };

  mutable std::mutex mutex_;
  counts total_;
  std::map<std::string, int64_t> by_fault_;
  std::map<std::string, int64_t> by_cause_;
  std::set<std::string> connections_;
  std::map<int64_t, counts> per_second_;
};

} // namespace herd
