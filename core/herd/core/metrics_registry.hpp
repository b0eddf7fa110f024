#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "herd/core/counter.hpp"
#include "herd/core/gauge.hpp"
#include "herd/core/histogram.hpp"

namespace herd {

/// Label names and values of one metric, e.g. {{"pool", "llm"}}.
using metric_labels = std::vector<std::pair<std::string, std::string>>;

/// The metrics of one runtime: named families of counters, gauges and histograms with labels.
/// Instruments live as long as the registry; their references stay valid, so actors look them
/// up once and then bump them without locking.
class metrics_registry {
public:
  /// The counter `name{labels}`, created on first use with `help`.
  herd::counter& counter(const std::string& name, const std::string& help,
                         const metric_labels& labels = {});
  /// The gauge `name{labels}`, created on first use with `help`.
  herd::gauge& gauge(const std::string& name, const std::string& help,
                     const metric_labels& labels = {});
  /// The histogram `name{labels}`, created on first use with `help` and `upper_bounds`
  /// (default: latency bounds in seconds).
  herd::histogram& histogram(const std::string& name, const std::string& help,
                             const metric_labels& labels = {},
                             std::vector<double> upper_bounds = histogram::latency_bounds());

  /// The sum over the series of counter or gauge `name` whose labels include `filter`
  /// (default: every series); 0 if there is none.
  double total(const std::string& name, const metric_labels& filter = {}) const;
  /// All values as JSON: {"NAME": {"type", "help", "series": [{"labels": {...}, "value"}]}}.
  nlohmann::json snapshot() const;
  /// All values in the Prometheus text exposition format (version 0.0.4).
  std::string prometheus() const;

private:
  enum class kind { counter, gauge, histogram };

  struct family {
    kind type;
    std::string help;
    std::map<metric_labels, std::unique_ptr<herd::counter>> counters;
    std::map<metric_labels, std::unique_ptr<herd::gauge>> gauges;
    std::map<metric_labels, std::unique_ptr<herd::histogram>> histograms;
  };

  family& family_of(const std::string& name, kind type, const std::string& help);

  mutable std::mutex mtx_;
  std::map<std::string, family> families_;
};

} // namespace herd
