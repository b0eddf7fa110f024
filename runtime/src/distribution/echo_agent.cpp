#include "herd/distribution/echo_agent.hpp"

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "herd/distribution/protocol.hpp"

namespace herd {

void echo_agent::handle_async(const task& t, task_completion done) {
  auto payload = t.payload_json();
  nlohmann::json result{
      {"echo", payload}, {"pid", static_cast<int64_t>(::getpid())}, {"agent", settings().name}};
  int64_t delay = 0;
  if (payload.is_object() && payload.contains("delay_ms") && payload["delay_ms"].is_number())
    delay = payload["delay_ms"].get<int64_t>();
  if (delay <= 0) {
    done.succeed(result);
    return;
  }
  auto id = next_delayed_++;
  delayed_.emplace(id, delayed{done, std::move(result)});
  delayed_send(this, from_ms(delay), echo_done_atom::value, id);
}

caf::message_handler echo_agent::extra_handlers() {
  return {
      [this](echo_done_atom, uint64_t id) {
        auto i = delayed_.find(id);
        if (i == delayed_.end())
          return;
        auto entry = std::move(i->second);
        delayed_.erase(i);
        entry.done.succeed(entry.result);
      },
  };
}

} // namespace herd
