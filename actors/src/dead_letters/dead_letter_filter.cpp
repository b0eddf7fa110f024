#include "herd/dead_letters/dead_letter_filter.hpp"

#include <nlohmann/json.hpp>

#include "herd/core/json_reader.hpp"
#include "herd/dead_letters/dead_letter.hpp"

namespace herd {

dead_letter_filter dead_letter_filter::of_ids(std::vector<std::string> ids) {
  dead_letter_filter result;
  result.ids = std::move(ids);
  return result;
}

dead_letter_filter dead_letter_filter::from_json(const json_reader& in) {
  in.only_keys(
      {"ids", "kind", "reason", "service", "status", "since_ms", "until_ms", "text", "limit"});
  dead_letter_filter result;
  if (in.has("ids"))
    for (auto& id : in.at("ids").elements()) {
      if (!id.value().is_string())
        id.fail("a task id (string)");
      result.ids.push_back(id.value().get<std::string>());
    }
  result.kind = in.string("kind", "");
  result.reason = in.string("reason", "");
  if (!result.reason.empty() && !parse_dead_letter_reason(result.reason))
    in.fail("reason", "a dead-letter reason (exhausted, non_retryable, budget_exhausted, "
                      "escalation_timeout, poison, handed_back, overflow)");
  result.service = in.string("service", "");
  result.status = in.string("status", "");
  if (!result.status.empty() && !parse_dead_letter_status(result.status))
    in.fail("status", "a status (pending, replaying, replayed, resolved, poison)");
  result.since_ms = in.integer("since_ms", 0);
  result.until_ms = in.integer("until_ms", 0);
  result.text = in.string("text", "");
  result.limit = in.integer("limit", 0, 0);
  return result;
}

nlohmann::json dead_letter_filter::to_json() const {
  auto result = nlohmann::json::object();
  if (!ids.empty())
    result["ids"] = ids;
  for (auto [key, value] :
       {std::pair{"kind", &kind}, std::pair{"reason", &reason}, std::pair{"service", &service},
        std::pair{"status", &status}, std::pair{"text", &text}})
    if (!value->empty())
      result[key] = *value;
  for (auto [key, value] : {std::pair{"since_ms", since_ms}, std::pair{"until_ms", until_ms},
                            std::pair{"limit", limit}})
    if (value != 0)
      result[key] = value;
  return result;
}

bool operator==(const dead_letter_filter& x, const dead_letter_filter& y) {
  return x.ids == y.ids && x.kind == y.kind && x.reason == y.reason && x.service == y.service &&
         x.status == y.status && x.since_ms == y.since_ms && x.until_ms == y.until_ms &&
         x.text == y.text && x.limit == y.limit;
}

} // namespace herd
