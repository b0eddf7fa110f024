#include "mock_llm_command.hpp"

#include <algorithm>
#include <ostream>
#include <stdexcept>

#include "herd/core/config_error.hpp"
#include "herd/mock_llm/mock_llm_server.hpp"
#include "stop_signals.hpp"

namespace herd::cli {

const char* const mock_llm_usage =
    R"(usage: herd mock-llm [--port N] [--host H] [--profile FILE] [--capacity R] [--error-rate X]
                     [--hang-rate X] [--reset-rate X] [--truncated-rate X] [--malformed-rate X]
                     [--trickle-rate X] [--trickle-ms MS] [--latency-ms MIN[:MAX]]
                     [--outage START_MS:LENGTH_MS] [--seed N] [--context-window TOKENS]
                     [--api-key KEY] [--threads N]
A fault-injecting OpenAI/Anthropic-compatible server: POST /v1/chat/completions,
POST /v1/messages, GET /stats (what it received, per second since start), POST /stats/reset,
GET /health. Prints "mock-llm listening on http://HOST:PORT" and serves until SIGINT/SIGTERM.
  --port N             port (default 8089; 0 = a free port, printed)
  --host H             address to bind (default 127.0.0.1)
  --profile FILE       JSON profile (keys: capacity_per_s, outages [{start_ms, length_ms}],
                       latency {min_ms, max_ms}, error_rate, hang_rate, reset_rate,
                       truncated_rate, malformed_rate, trickle_rate, trickle_ms, seed,
                       context_window_tokens, content_policy_marker, api_key, threads,
                       overload_status (429 or 503), overload_retry_after_s ("window",
                       "none" or seconds), publish_limits (x-ratelimit-* on every answer));
                       the flags below override it
  --capacity R         calls served per second since start; beyond: 429 with retry-after,
                       retry-after-ms, x-ratelimit-* (default 0 = unlimited)
  --error-rate X       share of calls answered 500 (default 0); likewise --hang-rate (never
                       answered), --reset-rate (closed without a response), --truncated-rate
                       (JSON cut in half), --malformed-rate (not JSON), --trickle-rate (body in
                       8 pieces --trickle-ms apart, default 100); the rates add up to at most 1
  --latency-ms MIN[:MAX]
                       latency uniform in [MIN, MAX] ms before each answer (default 0)
  --outage START_MS:LENGTH_MS
                       answer 503 in this window after start (more in a profile)
  --seed N             seed of the fault draws (default 1)
  --context-window TOKENS
                       prompts of more words are refused with 400 (default 0 = no limit)
  --api-key KEY        require this key (authorization: Bearer KEY / x-api-key: KEY)
  --threads N          worker threads = connections served at once (default 64)
A message containing MOCK_CONTENT_POLICY is refused as a content-policy violation.
A request header x-mock-fault chooses that call's fault: ';'-separated pairs of
  status=N | hang | reset | truncated | malformed | trickle=MS | oversized=BYTES, plus
  latency=MS and response headers retry-after=V, retry-after-ms=V, x-NAME=V, e.g.
  "status=429; retry-after=2", "status=429; retry-after=Wed, 21 Oct 2026 07:28:00 GMT",
  "status=500; x-should-retry=true", "status=429; x-ratelimit-reset-requests=6m0s".
)";

namespace {

/// "A:B" as two integers in [0, max] (B defaults to A when `single_ok`).
std::pair<int64_t, int64_t> pair_of(const command_line& cmd, const std::string& name,
                                    bool single_ok) {
  auto text = cmd.get(name);
  auto colon = text.find(':');
  auto fail = [&]() -> std::pair<int64_t, int64_t> {
    throw std::invalid_argument("--" + name + " expects " +
                                (single_ok ? "MIN[:MAX]" : "START_MS:LENGTH_MS") +
                                " in ms, got \"" + text + "\"");
  };
  if (colon == std::string::npos && !single_ok)
    return fail();
  try {
    size_t used = 0;
    auto first_text = text.substr(0, colon);
    auto first = std::stoll(first_text, &used);
    if (used != first_text.size() || first < 0)
      return fail();
    if (colon == std::string::npos)
      return {first, first};
    auto second_text = text.substr(colon + 1);
    auto second = std::stoll(second_text, &used);
    if (used != second_text.size() || second < 0)
      return fail();
    return {first, second};
  } catch (const std::logic_error&) {
    return fail();
  }
}

} // namespace

mock_llm_profile mock_llm_profile_of(const command_line& cmd) {
  mock_llm_profile p;
  if (cmd.has("profile"))
    p = mock_llm_profile::from_json(json_reader{read_json_file(cmd.get("profile"))});
  p.capacity_per_s = cmd.integer("capacity", p.capacity_per_s, 0, 1000000000);
  for (auto& r : mock_llm_profile::rates())
    p.*r.member = cmd.number(std::string{r.name} + "-rate", p.*r.member, 0, 1);
  p.trickle_ms = cmd.integer("trickle-ms", p.trickle_ms, 0, 600000);
  if (cmd.has("latency-ms")) {
    auto [min, max] = pair_of(cmd, "latency-ms", true);
    if (max < min)
      throw std::invalid_argument("--latency-ms expects MIN <= MAX, got \"" +
                                  cmd.get("latency-ms") + "\"");
    p.latency_min_ms = min;
    p.latency_max_ms = max;
  }
  if (cmd.has("outage")) {
    auto [start, length] = pair_of(cmd, "outage", false);
    p.outages.push_back({start, length});
  }
  p.seed = static_cast<uint64_t>(cmd.integer("seed", static_cast<int64_t>(p.seed), 0, INT64_MAX));
  p.context_window_tokens = cmd.integer("context-window", p.context_window_tokens, 0, 1000000000);
  p.api_key = cmd.get("api-key", p.api_key);
  p.threads = cmd.integer("threads", p.threads, 1, 4096);
  p.validate();
  return p;
}

int run_mock_llm_command(const std::vector<std::string>& args, std::ostream& out,
                         std::ostream& err) {
  mock_llm_profile profile;
  std::string host;
  int port = 0;
  try {
    command_line cmd{args, {"help"}};
    auto& positionals = cmd.positionals();
    if (cmd.has("help") ||
        std::find(positionals.begin(), positionals.end(), "-h") != positionals.end()) {
      out << mock_llm_usage;
      return 0;
    }
    cmd.only({"port", "host", "profile", "capacity", "error-rate", "hang-rate", "reset-rate",
              "truncated-rate", "malformed-rate", "trickle-rate", "trickle-ms", "latency-ms",
              "outage", "seed", "context-window", "api-key", "threads"});
    if (!cmd.positionals().empty())
      throw std::invalid_argument("unexpected argument \"" + cmd.positionals().front() + "\"");
    profile = mock_llm_profile_of(cmd);
    host = cmd.get("host", "127.0.0.1");
    port = static_cast<int>(cmd.integer("port", 8089, 0, 65535));
  } catch (const std::exception& e) {
    err << "herd mock-llm: " << e.what() << "\n(herd mock-llm --help for usage)\n";
    return 2;
  }
  stop_signals signals; // before the server's threads start
  int code = 0;
  try {
    mock_llm_server server{profile};
    server.start(host, port);
    out << "mock-llm listening on " << server.url() << std::endl;
    auto signal = signals.wait();
    server.stop();
    out << "mock-llm stopped (" << signal << ")" << std::endl;
  } catch (const std::exception& e) {
    err << "herd " << e.what() << '\n';
    code = 1;
  }
  return code;
}

} // namespace herd::cli
