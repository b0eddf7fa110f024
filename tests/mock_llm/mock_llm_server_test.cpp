// herd mock-llm over real sockets (httplib::Client against the server on a free port): both
// APIs, capacity, outages, every x-mock-fault form, /stats, and a prompt stop while calls hang.
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <future>
#include <thread>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "herd/mock_llm/mock_llm_server.hpp"

using herd::mock_llm_profile;
using herd::mock_llm_server;
using nlohmann::json;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

namespace {

const std::string chat =
    R"({"model": "gpt-mock", "messages": [{"role": "user", "content": "hello mock"}]})";

/// A server on a free port and a client of it.
struct served {
  explicit served(mock_llm_profile profile = {}) : server(profile) {
    server.start();
    client = std::make_unique<httplib::Client>("127.0.0.1", server.port());
    client->set_read_timeout(10, 0);
    client->set_tcp_nodelay(true);
  }

  httplib::Result post(const std::string& path, const std::string& fault = "",
                       httplib::Headers headers = {}) {
    if (!fault.empty())
      headers.emplace("x-mock-fault", fault);
    return client->Post(path.c_str(), headers, chat, "application/json");
  }

  json stats() { return json::parse(client->Get("/stats")->body); }

  mock_llm_server server;
  std::unique_ptr<httplib::Client> client;
};

int64_t ms_since(steady_clock::time_point start) {
  return std::chrono::duration_cast<milliseconds>(steady_clock::now() - start).count();
}

} // namespace

BOOST_AUTO_TEST_SUITE(mock_llm_server_suite)

BOOST_AUTO_TEST_CASE(both_apis_answer_in_their_shapes) {
  served s;
  auto openai = s.post("/v1/chat/completions");
  BOOST_REQUIRE(openai);
  BOOST_TEST(openai->status == 200);
  auto o = json::parse(openai->body);
  BOOST_TEST(o["object"] == "chat.completion");
  BOOST_TEST(o["model"] == "gpt-mock");
  BOOST_TEST(o["choices"][0]["message"]["content"] == "mock answer: hello mock");
  BOOST_TEST(o["usage"]["total_tokens"] == 2 + 4);
  auto anthropic = s.post("/v1/messages");
  BOOST_REQUIRE(anthropic);
  auto a = json::parse(anthropic->body);
  BOOST_TEST(a["type"] == "message");
  BOOST_TEST(a["content"][0]["text"] == "mock answer: hello mock");
  BOOST_TEST(a["usage"]["input_tokens"] == 2);
  auto health = s.client->Get("/health");
  BOOST_REQUIRE(health);
  BOOST_TEST(health->status == 200);
}

BOOST_AUTO_TEST_CASE(the_api_key_is_checked_per_provider_header) {
  mock_llm_profile p;
  p.api_key = "sk-test";
  served s{p};
  BOOST_TEST(s.post("/v1/chat/completions")->status == 401);
  BOOST_TEST(s.post("/v1/chat/completions", "", {{"authorization", "Bearer sk-test"}})->status ==
             200);
  BOOST_TEST(s.post("/v1/messages", "", {{"authorization", "Bearer sk-test"}})->status == 401);
  BOOST_TEST(s.post("/v1/messages", "", {{"x-api-key", "sk-test"}})->status == 200);
}

BOOST_AUTO_TEST_CASE(beyond_capacity_calls_get_429_with_every_header_form) {
  mock_llm_profile p;
  p.capacity_per_s = 5;
  served s{p};
  int ok = 0, limited = 0;
  for (int i = 0; i < 20; ++i) {
    auto path = i % 2 ? "/v1/messages" : "/v1/chat/completions";
    auto r = s.post(path);
    BOOST_REQUIRE(r);
    if (r->status == 200) {
      ++ok;
      continue;
    }
    BOOST_TEST(r->status == 429);
    ++limited;
    auto retry_after = std::stoi(r->get_header_value("retry-after"));
    auto retry_after_ms = std::stoi(r->get_header_value("retry-after-ms"));
    BOOST_TEST(retry_after == 1);
    BOOST_TEST((retry_after_ms >= 1 && retry_after_ms <= 1000));
    BOOST_TEST(r->get_header_value("x-ratelimit-limit-requests") == "5");
    BOOST_TEST(r->get_header_value("x-ratelimit-remaining-requests") == "0");
    BOOST_TEST(r->get_header_value("x-ratelimit-reset-requests").find("ms") != std::string::npos);
    auto body = json::parse(r->body);
    if (i % 2) {
      BOOST_TEST(body["type"] == "error");
      BOOST_TEST(body["error"]["type"] == "rate_limit_error");
    } else {
      BOOST_TEST(body["error"]["type"] == "rate_limit_error");
      BOOST_TEST(body["error"]["code"] == "rate_limit_exceeded");
    }
  }
  // 20 quick calls span one second, or two when they straddle a boundary.
  BOOST_TEST((ok == 5 || ok == 10));
  BOOST_TEST(ok + limited == 20);
}

BOOST_AUTO_TEST_CASE(an_outage_answers_503_then_recovers) {
  mock_llm_profile p;
  p.outages = {{0, 300}};
  served s{p};
  auto first = s.post("/v1/messages");
  BOOST_REQUIRE(first);
  BOOST_TEST(first->status == 503);
  BOOST_TEST(json::parse(first->body)["error"]["type"] == "overloaded_error");
  auto start = steady_clock::now();
  int status = 503;
  while (status == 503 && ms_since(start) < 5000) {
    std::this_thread::sleep_for(milliseconds{20}); // polls a real server's real clock
    status = s.post("/v1/chat/completions")->status;
  }
  BOOST_TEST(status == 200);
  auto stats = s.stats();
  BOOST_TEST(stats["by_cause"]["outage"].get<int>() >= 1);
}

BOOST_AUTO_TEST_CASE(every_status_form_of_the_hook_is_answered) {
  served s;
  for (auto status : {401, 404, 408, 409, 422, 500, 503}) {
    auto r = s.post("/v1/chat/completions", "status=" + std::to_string(status));
    BOOST_REQUIRE(r);
    BOOST_TEST(r->status == status);
    BOOST_TEST(json::parse(r->body)["error"].is_object());
  }
  auto r = s.post("/v1/chat/completions", "status=429; retry-after=2");
  BOOST_TEST(r->status == 429);
  BOOST_TEST(r->get_header_value("retry-after") == "2");
  r = s.post("/v1/chat/completions", "status=429; retry-after-ms=1500");
  BOOST_TEST(r->get_header_value("retry-after-ms") == "1500");
  r = s.post("/v1/messages", "status=429; retry-after=Wed, 21 Oct 2026 07:28:00 GMT");
  BOOST_TEST(r->get_header_value("retry-after") == "Wed, 21 Oct 2026 07:28:00 GMT");
  r = s.post("/v1/chat/completions", "status=500; x-should-retry=true");
  BOOST_TEST(r->status == 500);
  BOOST_TEST(r->get_header_value("x-should-retry") == "true");
  r = s.post("/v1/chat/completions", "status=429; x-ratelimit-reset-requests=6m0s");
  BOOST_TEST(r->get_header_value("x-ratelimit-reset-requests") == "6m0s");
  r = s.post("/v1/chat/completions", "nonsense");
  BOOST_TEST(r->status == 400);
  BOOST_TEST(json::parse(r->body)["error"]["message"].get<std::string>().find("nonsense") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(body_faults_of_the_hook) {
  served s;
  auto truncated = s.post("/v1/chat/completions", "truncated");
  BOOST_REQUIRE(truncated);
  BOOST_TEST(truncated->status == 200);
  BOOST_TEST(json::accept(truncated->body) == false);
  BOOST_TEST(truncated->body.substr(0, 1) == "{");
  auto malformed = s.post("/v1/messages", "malformed");
  BOOST_TEST(malformed->status == 200);
  BOOST_TEST(json::accept(malformed->body) == false);
  auto oversized = s.post("/v1/chat/completions", "oversized=20000000");
  BOOST_REQUIRE(oversized);
  BOOST_TEST(oversized->body.size() == 20000000u);
  auto start = steady_clock::now();
  auto trickled = s.post("/v1/chat/completions", "trickle=40");
  BOOST_REQUIRE(trickled);
  BOOST_TEST(ms_since(start) >= 7 * 40);
  BOOST_TEST(json::parse(trickled->body)["object"] == "chat.completion");
  start = steady_clock::now();
  auto slow = s.post("/v1/messages", "latency=300");
  BOOST_REQUIRE(slow);
  BOOST_TEST(slow->status == 200);
  BOOST_TEST(ms_since(start) >= 300);
}

BOOST_AUTO_TEST_CASE(reset_closes_without_a_response_and_hang_never_answers) {
  served s;
  auto reset = s.post("/v1/chat/completions", "reset");
  BOOST_TEST(!reset);
  BOOST_TEST(s.post("/v1/chat/completions")->status == 200);
  s.client->set_read_timeout(0, 300000);
  auto start = steady_clock::now();
  auto hung = s.post("/v1/messages", "hang");
  BOOST_TEST(!hung);
  BOOST_TEST((hung.error() == httplib::Error::Read));
  BOOST_TEST(ms_since(start) >= 300);
  s.client->set_read_timeout(10, 0);
  // The hanging call's worker notices the client left; the server still answers.
  BOOST_TEST(s.post("/v1/chat/completions")->status == 200);
  auto stats = s.stats();
  BOOST_TEST(stats["by_status"]["none"] == 2);
  BOOST_TEST(stats["by_fault"]["hang"] == 1);
  BOOST_TEST(stats["by_fault"]["reset"] == 1);
}

BOOST_AUTO_TEST_CASE(a_hanging_call_frees_its_worker_when_the_client_leaves) {
  mock_llm_profile p;
  p.threads = 1;
  served s{p};
  s.client->set_read_timeout(0, 200000);
  BOOST_TEST(!s.post("/v1/messages", "hang"));
  // The only worker serves the next call, which it could not while the first one still hung.
  s.client->set_read_timeout(5, 0);
  auto next = s.post("/v1/chat/completions");
  BOOST_REQUIRE(next);
  BOOST_TEST(next->status == 200);
}

BOOST_AUTO_TEST_CASE(stats_count_per_second_and_reset) {
  served s;
  s.post("/v1/chat/completions");
  s.post("/v1/messages", "status=503");
  auto stats = s.stats();
  BOOST_TEST(stats["requests"] == 2);
  BOOST_TEST(stats["by_status"]["200"] == 1);
  BOOST_TEST(stats["by_status"]["503"] == 1);
  BOOST_TEST(stats["by_cause"]["x-mock-fault"] == 1);
  BOOST_TEST(stats["connections"] == 2); // this client does not keep connections alive
  BOOST_REQUIRE(stats["per_second"].size() >= 1u);
  int total = 0;
  for (auto& second : stats["per_second"]) {
    BOOST_TEST(second["second"].get<int>() >= 0);
    total += second["requests"].get<int>();
  }
  BOOST_TEST(total == 2);
  BOOST_TEST(s.client->Post("/stats/reset")->status == 200);
  stats = s.stats();
  BOOST_TEST(stats["requests"] == 0);
  BOOST_TEST(stats["per_second"].empty());
}

BOOST_AUTO_TEST_CASE(stats_are_readable_in_process_as_get_stats_answers) {
  served s;
  BOOST_TEST(s.server.stats()["requests"] == 0);
  s.post("/v1/chat/completions");
  s.post("/v1/chat/completions", "status=429; retry-after=1");
  auto in_process = s.server.stats();
  BOOST_TEST(in_process["by_status"]["429"] == 1);
  BOOST_TEST(in_process == s.stats());
}

BOOST_AUTO_TEST_CASE(one_connection_serves_many_calls) {
  served s;
  s.client->set_keep_alive(true);
  for (int i = 0; i < 200; ++i)
    BOOST_REQUIRE(s.post("/v1/chat/completions")->status == 200);
  auto stats = s.stats();
  BOOST_TEST(stats["requests"] == 200);
  BOOST_TEST(stats["connections"] == 1);
}

BOOST_AUTO_TEST_CASE(stop_is_prompt_while_calls_hang_and_connections_idle) {
  auto server = std::make_unique<mock_llm_server>();
  auto port = server->start();
  auto hang = [port] {
    httplib::Client c{"127.0.0.1", port};
    c.set_read_timeout(60, 0);
    return static_cast<bool>(
        c.Post("/v1/messages", {{"x-mock-fault", "hang"}}, chat, "application/json"));
  };
  auto first = std::async(std::launch::async, hang);
  auto second = std::async(std::launch::async, hang);
  httplib::Client idle{"127.0.0.1", port};
  idle.set_keep_alive(true);
  BOOST_REQUIRE(idle.Get("/health"));
  auto start = steady_clock::now();
  while (ms_since(start) < 5000) {
    auto r = idle.Get("/stats");
    if (r && json::parse(r->body)["requests"] == 2)
      break;
    std::this_thread::sleep_for(milliseconds{10}); // waits for the two calls to arrive
  }
  start = steady_clock::now();
  server->stop();
  BOOST_TEST(ms_since(start) < 1000);
  BOOST_TEST(first.get() == false);
  BOOST_TEST(second.get() == false);
  server.reset();
}

BOOST_AUTO_TEST_CASE(a_port_in_use_is_refused) {
  mock_llm_server a;
  auto port = a.start();
  mock_llm_server b;
  BOOST_CHECK_THROW(b.start("127.0.0.1", port), std::runtime_error);
}

BOOST_AUTO_TEST_SUITE_END()
