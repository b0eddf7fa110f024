// email_triage: graceful degradation (issue #15) as the seed tells it. Emails are triaged by a
// primary model ("sonnet"); while it is down they fall to a lighter model ("haiku", asked for
// with the tier's own request parameters), then to rules for the simple cases, and what no tier
// could handle goes to a person (the escalation queue): "better slow than silent". Prints which
// tier served each email.
//
// The two models are in-process services here (swap in `rt.add_http_service` for real ones): the
// primary is down from its 2nd call to its 5th (503 each time), the lighter one has a small context
// window (a long email is refused as context_window). No task kind needs user code for its
// service tiers: `herd::service_agent` calls the service of the task's current tier.
//
// Build it in your own project with:
//   find_package(herd REQUIRED)
//   target_link_libraries(email_triage PRIVATE herd::herd)
#include <atomic>
#include <filesystem>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include <herd/dispatch/service_agent.hpp> // not (yet) in the umbrella
#include <herd/herd.hpp>

namespace {

/// When a model fails a request: the failure, or none (it answers).
using failure_rule = std::function<std::optional<herd::failure>(const nlohmann::json& request)>;

/// A model as an in-process service: answers `(call_atom, request[, deadline])` with a triage
/// label (and the model asked for), or with the failure `fails` returns for the request.
caf::behavior model(caf::event_based_actor*, std::string name, failure_rule fails) {
  auto answer = [name, fails](const std::string& text) {
    auto request = nlohmann::json::parse(text);
    if (auto why = fails(request))
      return herd::outcome::fail(why->from(name, 0));
    auto body = request.value("body", std::string{});
    auto label = body.find("invoice") != std::string::npos ? "billing" : "support";
    return herd::outcome::success({{"label", label}, {"model", request.value("model", name)}});
  };
  return {
      [answer](herd::call_atom, const std::string& request) { return answer(request); },
      [answer](herd::call_atom, const std::string& request, herd::time_point) {
        return answer(request);
      },
  };
}

/// Words in an email's body.
size_t words(const nlohmann::json& request) {
  std::istringstream in{request.value("body", std::string{})};
  size_t n = 0;
  for (std::string word; in >> word;)
    ++n;
  return n;
}

/// An outage: the model's calls `first` to `last` (counting from 1) answer 503.
failure_rule down_for_calls(int first, int last) {
  auto calls = std::make_shared<std::atomic<int>>(0);
  return [calls, first, last](const nlohmann::json&) -> std::optional<herd::failure> {
    auto n = ++*calls;
    if (n >= first && n <= last)
      return herd::failure::unavailable("503: overloaded");
    return std::nullopt;
  };
}

/// A small context window: an email of more than `max_words` words is refused.
failure_rule context_window(size_t max_words) {
  return [max_words](const nlohmann::json& request) -> std::optional<herd::failure> {
    if (words(request) > max_words)
      return herd::failure::make(herd::failure_category::context_window, "too long for haiku");
    return std::nullopt;
  };
}

/// The rules for simple cases: unsubscribes and password resets need no model. Anything else
/// fails, and the chain moves on to a person.
herd::outcome triage_rules(const herd::task& t) {
  auto body = t.payload_json().value("body", std::string{});
  for (auto keyword : {"unsubscribe", "password reset"})
    if (body.find(keyword) != std::string::npos)
      return herd::outcome::success({{"label", "auto"}, {"rule", keyword}});
  return herd::outcome::fail(herd::failure::permanent("no rule matches"));
}

/// How an email was served, for the printout.
std::string served(const herd::outcome& o) {
  if (o.status == herd::outcome_status::escalated)
    return "a person (escalated: it waits in the escalation queue)";
  if (!o.ok())
    return "nobody: " + to_string(o.status) + " (" + o.error.message + ")";
  auto tier = o.served_by.empty() ? std::string{"sonnet"} : o.served_by;
  return tier + (o.degraded ? " (degraded)" : "") + " -> " + o.result;
}

} // namespace

int main() {
  // The escalation queue (the human tier) keeps its records in SQLite: a file of our own.
  auto db = (std::filesystem::temp_directory_path() /
             ("email-triage-" + std::to_string(::getpid()) + ".db"))
                .string();
  herd::runtime_config config;
  config.log_level = "error";
  auto& policy = config.policies["email"];
  policy = herd::failure_policy::preset("read_only");
  policy.max_attempts = 4; // one budget across every tier
  policy.backoff = {herd::backoff_kind::full_jitter, herd::from_ms(10), 2.0, herd::from_ms(100)};
  herd::fallback_chain chain;
  chain.tiers = {herd::fallback_tier::service("sonnet"),
                 herd::fallback_tier::service("haiku", {{"model", "claude-haiku"}}),
                 herd::fallback_tier::rule("triage_rules"), herd::fallback_tier::human()};
  chain.attempts_per_tier = 1;
  config.fallbacks.chains["email"] = chain;
  herd::dead_letter_queue_config dead_letters;
  dead_letters.db = db;
  config.dead_letters = dead_letters;

  {
    herd::runtime rt{config};
    rt.add_service("sonnet", rt.system().spawn(model, std::string{"sonnet"}, down_for_calls(2, 5)));
    rt.add_service("haiku", rt.system().spawn(model, std::string{"haiku"}, context_window(12)));
    rt.add_rule("triage_rules", triage_rules);
    rt.spawn_pool<herd::service_agent>("triage", 2);

    std::vector<std::string> emails{
        "Your invoice 443 is overdue, please pay by Friday.",
        "Hi, the export button does nothing since this morning.",
        "Please unsubscribe me from this newsletter, I never signed up for it and I do not "
        "want it anymore, thank you.",
        "I tried the password reset link twice and it says expired; the second mail never came "
        "either, can you help?",
        "Long story: our team moved offices, the VPN changed, half of us cannot log in, the "
        "other half see old data, and the dashboard shows someone else's invoice.",
        "Where is invoice 512?",
    };
    for (size_t i = 0; i < emails.size(); ++i) {
      // One at a time, so the primary's outage falls on the same emails every run.
      auto t = herd::task::make("email-" + std::to_string(i + 1), "email", {{"body", emails[i]}},
                                "triage", "sonnet");
      auto result = rt.run(t, herd::from_ms(30000));
      std::cout << t.id << ": ";
      if (result)
        std::cout << served(*result) << '\n';
      else
        std::cout << "refused: " << rt.system().render(result.error()) << '\n';
    }
    rt.shutdown(herd::from_ms(5000));
  }
  std::error_code ignored;
  for (auto suffix : {"", "-wal", "-shm"})
    std::filesystem::remove(db + suffix, ignored);
  return 0;
}
