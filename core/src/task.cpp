#include "herd/core/task.hpp"

#include "herd/core/epoch_range.hpp"
#include "herd/core/json_reader.hpp"

namespace herd {

task task::make(std::string id, std::string kind, nlohmann::json payload, std::string pool,
                std::string service) {
  task result;
  result.id = std::move(id);
  result.kind = std::move(kind);
  result.pool = std::move(pool);
  result.service = std::move(service);
  result.set_payload(payload);
  return result;
}

nlohmann::json task::payload_json() const {
  return nlohmann::json::parse(payload, nullptr, false);
}

void task::set_payload(const nlohmann::json& value) {
  payload = value.is_null() ? "null" : value.dump();
}

void task::shift_times(duration offset) {
  auto shift = [offset](time_point& t) {
    if (t != time_point{})
      t += offset;
  };
  shift(created);
  shift(deadline);
  for (auto& entry : history)
    shift(entry.time);
}

const failure& task::last_failure() const {
  static const failure none;
  return history.empty() ? none : history.back().error;
}

bool operator==(const task& x, const task& y) {
  return x.id == y.id && x.kind == y.kind && x.pool == y.pool && x.service == y.service &&
         x.payload == y.payload && x.idempotency_key == y.idempotency_key &&
         x.attempt == y.attempt && x.replays == y.replays && x.created == y.created &&
         x.deadline == y.deadline && x.history == y.history && x.route == y.route;
}

void to_json(nlohmann::json& j, const task& x) {
  j = nlohmann::json{{"id", x.id},
                     {"kind", x.kind},
                     {"pool", x.pool},
                     {"service", x.service},
                     {"payload", x.payload_json()},
                     {"idempotency_key", x.idempotency_key},
                     {"attempt", x.attempt},
                     {"replays", x.replays},
                     {"created_ms", to_epoch_ms(x.created)},
                     {"deadline_ms", to_epoch_ms(x.deadline)},
                     {"history", x.history}};
  if (x.route.on_chain())
    j["route"] = x.route;
}

void from_json(const nlohmann::json& j, task& x) {
  json_reader in{j};
  in.only_keys({"id", "kind", "pool", "service", "payload", "idempotency_key", "attempt", "replays",
                "created_ms", "deadline_ms", "history", "route"});
  if (!in.has("id"))
    in.fail("id", "a task id");
  x.id = in.string("id", "");
  x.kind = in.string("kind", "");
  x.pool = in.string("pool", "default");
  x.service = in.string("service", "");
  x.set_payload(in.has("payload") ? j.at("payload") : nlohmann::json(nullptr));
  x.idempotency_key = in.string("idempotency_key", "");
  x.attempt = static_cast<int32_t>(in.integer("attempt", 1, 1, INT32_MAX));
  x.replays = static_cast<int32_t>(in.integer("replays", 0, 0, INT32_MAX));
  x.created = from_epoch_ms(in.integer("created_ms", 0, -max_epoch_ms, max_epoch_ms));
  x.deadline = from_epoch_ms(in.integer("deadline_ms", 0, -max_epoch_ms, max_epoch_ms));
  x.history.clear();
  if (in.has("history"))
    for (auto& element : in.at("history").elements())
      x.history.push_back(element.value().get<attempt_record>());
  x.route = in.has("route") ? j.at("route").get<tier_route>() : tier_route{};
}

} // namespace herd
