#include "herd/core/metrics_registry.hpp"

#include <algorithm>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace herd {

namespace {

std::string type_name(int type) {
  static const char* names[] = {"counter", "gauge", "histogram"};
  return names[type];
}

std::string escape_label(const std::string& value) {
  std::string result;
  for (auto c : value) {
    if (c == '\\' || c == '"')
      result += '\\';
    if (c == '\n') {
      result += "\\n";
      continue;
    }
    result += c;
  }
  return result;
}

std::string label_text(const metric_labels& labels, const std::string& extra = "") {
  std::string result;
  for (auto& [key, value] : labels)
    result += (result.empty() ? "" : ",") + key + "=\"" + escape_label(value) + "\"";
  if (!extra.empty())
    result += (result.empty() ? "" : ",") + extra;
  return result.empty() ? "" : "{" + result + "}";
}

nlohmann::json label_object(const metric_labels& labels) {
  auto result = nlohmann::json::object();
  for (auto& [key, value] : labels)
    result[key] = value;
  return result;
}

std::string number_text(double x) {
  std::ostringstream out;
  out.precision(17);
  out << x;
  return out.str();
}

} // namespace

metrics_registry::family& metrics_registry::family_of(const std::string& name, kind type,
                                                      const std::string& help) {
  auto [i, added] = families_.try_emplace(name);
  if (added) {
    i->second.type = type;
    i->second.help = help;
  } else if (i->second.type != type) {
    throw std::logic_error("metric " + name + " is a " +
                           type_name(static_cast<int>(i->second.type)) + ", not a " +
                           type_name(static_cast<int>(type)));
  }
  return i->second;
}

herd::counter& metrics_registry::counter(const std::string& name, const std::string& help,
                                         const metric_labels& labels) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto& slot = family_of(name, kind::counter, help).counters[labels];
  if (!slot)
    slot = std::make_unique<herd::counter>();
  return *slot;
}

herd::gauge& metrics_registry::gauge(const std::string& name, const std::string& help,
                                     const metric_labels& labels) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto& slot = family_of(name, kind::gauge, help).gauges[labels];
  if (!slot)
    slot = std::make_unique<herd::gauge>();
  return *slot;
}

herd::histogram& metrics_registry::histogram(const std::string& name, const std::string& help,
                                             const metric_labels& labels,
                                             std::vector<double> upper_bounds) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto& slot = family_of(name, kind::histogram, help).histograms[labels];
  if (!slot)
    slot = std::make_unique<herd::histogram>(std::move(upper_bounds));
  return *slot;
}

double metrics_registry::total(const std::string& name, const metric_labels& filter) const {
  std::lock_guard<std::mutex> guard{mtx_};
  auto i = families_.find(name);
  if (i == families_.end())
    return 0;
  auto matches = [&](const metric_labels& labels) {
    return std::all_of(filter.begin(), filter.end(), [&](const auto& label) {
      return std::find(labels.begin(), labels.end(), label) != labels.end();
    });
  };
  double result = 0;
  for (auto& [labels, c] : i->second.counters)
    result += matches(labels) ? c->total() : 0;
  for (auto& [labels, g] : i->second.gauges)
    result += matches(labels) ? g->value() : 0;
  return result;
}

nlohmann::json metrics_registry::snapshot() const {
  std::lock_guard<std::mutex> guard{mtx_};
  auto result = nlohmann::json::object();
  for (auto& [name, fam] : families_) {
    auto series = nlohmann::json::array();
    for (auto& [labels, c] : fam.counters)
      series.push_back(
          {{"labels", label_object(labels)},
           {"value", c->amount() == 0 ? nlohmann::json(c->value()) : nlohmann::json(c->total())}});
    for (auto& [labels, g] : fam.gauges)
      series.push_back({{"labels", label_object(labels)}, {"value", g->value()}});
    for (auto& [labels, h] : fam.histograms)
      series.push_back({{"labels", label_object(labels)},
                        {"count", h->count()},
                        {"sum", h->sum()},
                        {"upper_bounds", h->upper_bounds()},
                        {"buckets", h->bucket_counts()}});
    result[name] = {
        {"type", type_name(static_cast<int>(fam.type))}, {"help", fam.help}, {"series", series}};
  }
  return result;
}

std::string metrics_registry::prometheus() const {
  std::lock_guard<std::mutex> guard{mtx_};
  std::ostringstream out;
  for (auto& [name, fam] : families_) {
    out << "# HELP " << name << ' ' << fam.help << '\n';
    out << "# TYPE " << name << ' ' << type_name(static_cast<int>(fam.type)) << '\n';
    for (auto& [labels, c] : fam.counters)
      if (c->amount() == 0)
        out << name << label_text(labels) << ' ' << c->value() << '\n'; // exact beyond 2^53
      else
        out << name << label_text(labels) << ' ' << number_text(c->total()) << '\n';
    for (auto& [labels, g] : fam.gauges)
      out << name << label_text(labels) << ' ' << number_text(g->value()) << '\n';
    for (auto& [labels, h] : fam.histograms) {
      auto counts = h->bucket_counts();
      uint64_t cumulative = 0;
      for (size_t i = 0; i < counts.size(); ++i) {
        cumulative += counts[i];
        auto le = i < h->upper_bounds().size() ? number_text(h->upper_bounds()[i]) : "+Inf";
        out << name << "_bucket" << label_text(labels, "le=\"" + le + "\"") << ' ' << cumulative
            << '\n';
      }
      out << name << "_sum" << label_text(labels) << ' ' << number_text(h->sum()) << '\n';
      out << name << "_count" << label_text(labels) << ' ' << h->count() << '\n';
    }
  }
  return out.str();
}

} // namespace herd
