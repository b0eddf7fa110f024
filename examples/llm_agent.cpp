// llm_agent: an agent that summarizes text with a real LLM provider (OpenAI's chat completions
// API) through the service's circuit breaker. Works against `herd mock-llm` out of the box:
//
//   herd mock-llm --port 8080 &
//   llm_agent                              # base URL http://127.0.0.1:8080
//   OPENAI_API_KEY=sk-... llm_agent https://api.openai.com gpt-4o-mini
//
// The base URL comes from argv[1], else the environment variable LLM_BASE_URL, else
// http://127.0.0.1:8080; the model from argv[2] (default gpt-4o-mini). The key comes from
// OPENAI_API_KEY; a 127.0.0.1 or localhost URL runs without one. herd classifies every answer
// (429 with Retry-After, 5xx, timeouts, context window, content policy), retries what may
// succeed later and dead-letters the rest.
//
// Build it in your own project with:
//   find_package(herd REQUIRED)
//   target_link_libraries(llm_agent PRIVATE herd::herd)
#include <cstdlib>
#include <future>
#include <iostream>
#include <string>
#include <vector>

#include <herd/herd.hpp>

/// An agent that asks the LLM service for a one-sentence summary of the task's "text" and
/// finishes the task with it. The call goes to the service's breaker, which fails fast while
/// the provider is down instead of piling up calls.
class summarizer : public herd::agent {
public:
  summarizer(caf::actor_config& cfg, caf::actor llm) : herd::agent(cfg), llm_(std::move(llm)) {}

protected:
  void handle_async(const herd::task& t, herd::task_completion done) override {
    nlohmann::json payload{
        {"messages",
         {{{"role", "system"}, {"content", "Summarize the user's text in one sentence."}},
          {{"role", "user"}, {"content", t.payload_json().value("text", "")}}}},
        {"max_tokens", 100}};
    // With the task's deadline (none: the epoch), admission control refuses a call that would
    // wait for its turn past it.
    request(llm_, std::chrono::seconds{90}, herd::call_atom::value, payload.dump(), t.deadline)
        .then(
            [done](herd::outcome& answer) {
              if (!answer.ok()) // classified by herd: the retry policy decides what happens
                return done.finish(std::move(answer));
              auto text = answer.result_json().value("text", "");
              done.finish(herd::outcome::success({{"summary", text}}));
            },
            [done](caf::error& e) {
              done.fail(herd::failure::timeout("no answer from the LLM service: " + to_string(e)));
            });
  }

private:
  caf::actor llm_;
};

/// True for a URL on this machine (a local mock needs no key).
bool is_local(const std::string& url) {
  for (auto prefix : {"http://127.0.0.1", "http://localhost", "http://[::1]"})
    if (url.rfind(prefix, 0) == 0)
      return true;
  return false;
}

int main(int argc, char** argv) {
  std::string base_url = "http://127.0.0.1:8080";
  if (argc > 1)
    base_url = argv[1];
  else if (auto* env = std::getenv("LLM_BASE_URL"))
    base_url = env;
  std::string model = argc > 2 ? argv[2] : "gpt-4o-mini";

  herd::runtime_config config;
  try {
    // The same object a herd.json would hold; the key is read from OPENAI_API_KEY, never from
    // the file.
    config = herd::runtime_config::from_json({{"log_level", "warn"},
                                              {"services",
                                               {{"llm",
                                                 {{"type", "openai"},
                                                  {"base_url", base_url},
                                                  {"model", model},
                                                  {"api_key_required", !is_local(base_url)}}}}}});
  } catch (const herd::config_error& e) { // e.g. /services/llm/api_key_env: ... is not set
    std::cerr << "llm_agent: " << e.what() << '\n';
    return 2;
  }
  herd::runtime rt{config};
  auto breaker = rt.breaker_for("llm");
  if (!breaker) {
    std::cerr << "llm_agent: no breaker: " << rt.system().render(breaker.error()) << '\n';
    return 1;
  }
  rt.spawn_pool<summarizer>("summarizers", 2, *breaker);

  std::vector<std::string> texts = {
      "The quarterly report shows revenue up twelve percent while costs stayed flat.",
      "Our on-call engineer restarted the payment gateway after a certificate expired.",
      "The new onboarding flow cut the time to first message from ten minutes to two.",
  };
  std::vector<std::pair<std::string, std::future<caf::expected<herd::outcome>>>> pending;
  for (size_t i = 0; i < texts.size(); ++i) {
    auto t = herd::task::make("summary-" + std::to_string(i + 1), "read_only", {{"text", texts[i]}},
                              "summarizers");
    t.service = "llm"; // retries and breaker decisions are about this service
    auto id = t.id;
    pending.emplace_back(id, rt.submit(std::move(t)));
  }
  for (auto& [id, future] : pending) {
    auto result = future.get();
    if (!result)
      std::cout << id << ": refused: " << rt.system().render(result.error()) << '\n';
    else if (result->ok())
      std::cout << id << ": summary: " << result->result_json()["summary"].get<std::string>()
                << '\n';
    else
      std::cout << id << ": " << to_string(result->error) << '\n';
  }
  auto report = rt.shutdown(herd::from_ms(5000));
  std::cout << "completed " << report.stats.completed << ", failed " << report.stats.failed << '\n';
  return report.stats.balanced() ? 0 : 1;
}

// Expected output against `herd mock-llm` (which echoes the first 8 words):
//   summary-1: summary: mock answer: The quarterly report shows revenue up twelve percent
//   summary-2: summary: mock answer: Our on-call engineer restarted the payment gateway after
//   summary-3: summary: mock answer: The new onboarding flow cut the time to
//   completed 3, failed 0
