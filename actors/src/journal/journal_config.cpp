#include "herd/journal/journal_config.hpp"

#include <nlohmann/json.hpp>

#include "herd/core/json_reader.hpp"

namespace herd {

std::string journal_config::file_beside(const std::string& dead_letters_db) const {
  if (!file.empty())
    return file;
  return dead_letters_db.empty() ? std::string{} : dead_letters_db + ".tasks";
}

journal_config journal_config::from_json(const json_reader& in) {
  in.only_keys({"file", "durability", "retention", "max_batch"});
  journal_config result;
  result.file = in.string("file", result.file);
  result.durability =
      in.choice("durability", to_string(result.durability), {"none", "sync"}) == "sync"
          ? durability_level::sync
          : durability_level::none;
  if (in.has("retention")) {
    auto retention = in.at("retention");
    retention.only_keys({"max_completed", "max_age_ms"});
    result.max_completed =
        retention.integer("max_completed", result.max_completed, 0, int64_t{1} << 40);
    result.max_age = retention.millis("max_age_ms", result.max_age);
  }
  result.max_batch = in.integer("max_batch", result.max_batch, 1, 1000000);
  return result;
}

nlohmann::json journal_config::to_json() const {
  return {{"file", file},
          {"durability", to_string(durability)},
          {"retention", {{"max_completed", max_completed}, {"max_age_ms", to_ms(max_age)}}},
          {"max_batch", max_batch}};
}

std::string to_string(journal_config::durability_level x) {
  return x == journal_config::durability_level::sync ? "sync" : "none";
}

} // namespace herd
