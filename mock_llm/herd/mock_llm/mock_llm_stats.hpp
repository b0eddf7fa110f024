#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

namespace herd {

/// What the mock received, in total and per whole second since its start, for `GET /stats`.
/// Thread-safe.
class mock_llm_stats {
public:
  /// Counts one API call that arrived in `second` (whole seconds since start) and was answered
  /// `status` (0 when it got no response: hang or reset), with fault `fault` ("none", ...)
  /// decided because of `cause` ("capacity", "outage", "x-mock-fault", ...; "" for none).
  void record(int64_t second, int status, const std::string& fault, const std::string& cause);

  /// `{"requests": N, "by_status": {"200": N, ...}, "by_fault": {"none": N, ...},
  /// "by_cause": {"capacity": N, "none": N, ...},
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
  std::map<int64_t, counts> per_second_;
};

} // namespace herd
