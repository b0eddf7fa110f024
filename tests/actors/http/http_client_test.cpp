// The HTTP client against a real cpp-httplib server on 127.0.0.1 (real sockets; the only waits
// are bounded waits for completions and, in slow handlers, the server's own wait).
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

#include <arpa/inet.h>
#include <malloc.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "actors/http/http_test_support.hpp"
#include "actors/http/loopback_server.hpp"
#include "herd/core/config_error.hpp"
#include "herd/core/json_reader.hpp"
#include "herd/http/http_client.hpp"
#include "http/http_transfer.hpp"

using namespace std::chrono_literals;

namespace herd {

/// Boost.Test prints an http_error by its name.
inline std::ostream& boost_test_print_type(std::ostream& out, http_error x) {
  return out << to_string(x);
}

} // namespace herd

namespace {

/// A local HTTP server on an ephemeral port with the handlers the tests need.
struct test_server : herd::test::loopback_server {
  /// Handlers currently running and the most seen at once (for /concurrent).
  std::atomic<int> running{0};
  std::atomic<int> most_running{0};
  /// Requests the slow handler has taken so far.
  std::atomic<int> slow_taken{0};

  test_server() {
    server.new_task_queue = [] { return new httplib::ThreadPool(48); };
    server.set_keep_alive_max_count(100000);
    server.set_keep_alive_timeout(1);
    server.set_tcp_nodelay(true); // else Nagle + delayed ACKs cost 40 ms per response
    server.Get("/hello", [](const httplib::Request& req, httplib::Response& res) {
      res.set_header("X-Herd-Test", "  padded value  ");
      res.set_content("hello " + req.get_header_value("User-Agent"), "text/plain");
    });
    server.Post("/echo", [](const httplib::Request& req, httplib::Response& res) {
      res.set_content(req.body + "|" + req.get_header_value("Content-Type") + "|" +
                          req.get_header_value("X-Api-Key"),
                      "text/plain");
    });
    server.Get("/busy", [](const httplib::Request&, httplib::Response& res) {
      res.status = 429;
      res.set_header("Retry-After", "7");
      res.set_content(R"({"error":"rate limited"})", "application/json");
    });
    server.Get("/moved",
               [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/hello"); });
    server.Get("/big", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(std::string(100000, 'x'), "text/plain");
    });
    server.Get("/concurrent", [this](const httplib::Request&, httplib::Response& res) {
      auto now = ++running;
      for (auto seen = most_running.load(); now > seen;)
        if (most_running.compare_exchange_weak(seen, now))
          break;
      std::this_thread::sleep_for(50ms); // the server's handler, not the test
      --running;
      res.set_content("done", "text/plain");
    });
    auto slow = [this](const httplib::Request&, httplib::Response& res) {
      ++slow_taken;
      hold(); // released at teardown
      res.set_content("late", "text/plain");
    };
    server.Get("/slow", slow);
    server.Post("/slow", slow);
    start();
  }

  /// The handlers use this object's members: stop them first.
  ~test_server() { stop(); }
};

/// Waits (bounded) for one completion.
struct awaited {
  std::promise<herd::http_response> promise;
  std::future<herd::http_response> future = promise.get_future();

  herd::http_client::completion callback() {
    return [this](herd::http_response response) { promise.set_value(std::move(response)); };
  }

  herd::http_response get(std::chrono::milliseconds limit = 5s) {
    BOOST_REQUIRE(future.wait_for(limit) == std::future_status::ready);
    return future.get();
  }
};

/// Milliseconds since `began`.
int64_t ms_since(std::chrono::steady_clock::time_point began) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               began)
      .count();
}

herd::http_request get_request(std::string url) {
  herd::http_request request;
  request.method = "GET";
  request.url = std::move(url);
  return request;
}

/// One request, awaited.
herd::http_response exchange(herd::http_client& client, herd::http_request request) {
  awaited result;
  client.start(std::move(request), result.callback());
  return result.get();
}

/// Counts completions per request and wakes the waiter when all have come.
struct completion_counter {
  std::mutex mutex;
  std::condition_variable cv;
  std::vector<int> calls;
  size_t ended = 0;
  std::vector<herd::http_response> responses;

  explicit completion_counter(size_t n) : calls(n, 0), responses(n) {}

  herd::http_client::completion callback(size_t index) {
    return [this, index](herd::http_response response) {
      std::lock_guard<std::mutex> guard{mutex};
      if (++calls[index] == 1) {
        responses[index] = std::move(response);
        ++ended;
      }
      cv.notify_all();
    };
  }

  bool wait_all(std::chrono::milliseconds limit) {
    std::unique_lock<std::mutex> lock{mutex};
    return cv.wait_for(lock, limit, [this] { return ended == calls.size(); });
  }
};

} // namespace

BOOST_AUTO_TEST_SUITE(http_client)

BOOST_AUTO_TEST_CASE(a_200_brings_status_body_and_lower_case_trimmed_headers) {
  test_server server;
  herd::http_client_config config;
  config.user_agent = "herd-test/1";
  herd::http_client client{config};
  auto response = exchange(client, get_request(server.url("/hello")));
  BOOST_TEST(response.error == herd::http_error::none);
  BOOST_TEST(response.status == 200);
  BOOST_TEST(response.ok());
  BOOST_TEST(response.body == "hello herd-test/1");
  BOOST_TEST(response.header("X-HERD-TEST").value_or("?") == "padded value");
  bool all_lower = true;
  for (auto& [name, value] : response.headers)
    all_lower =
        all_lower && std::none_of(name.begin(), name.end(), [](char c) { return std::isupper(c); });
  BOOST_TEST(all_lower);
  BOOST_TEST(response.header("content-type").value_or("?") == "text/plain");
  BOOST_TEST(response.elapsed.count() > 0);
  auto stats = client.stats();
  BOOST_TEST(stats.started == 1u);
  BOOST_TEST(stats.finished == 1u);
  BOOST_TEST(stats.in_flight == 0u);
}

BOOST_AUTO_TEST_CASE(a_post_sends_body_headers_and_a_json_content_type) {
  test_server server;
  herd::http_client client;
  herd::http_request request;
  request.url = server.url("/echo");
  request.body = R"({"q":1})";
  request.headers = {{"X-Api-Key", "secret-123"}};
  auto response = exchange(client, request);
  BOOST_TEST(response.status == 200);
  BOOST_TEST(response.body == R"({"q":1}|application/json|secret-123)");
}

BOOST_AUTO_TEST_CASE(a_header_with_a_line_break_is_refused_without_showing_its_value) {
  test_server server;
  herd::http_client client;
  herd::http_request request;
  request.url = server.url("/echo");
  request.headers = {{"Authorization", "Bearer sk-secret\r\nX-Evil: 1"}};
  auto response = exchange(client, request);
  BOOST_TEST(response.error == herd::http_error::other);
  BOOST_TEST(response.error_message.find("Authorization") != std::string::npos);
  BOOST_TEST(response.error_message.find("sk-secret") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_429_with_retry_after_passes_through_as_a_response) {
  test_server server;
  herd::http_client client;
  auto response = exchange(client, get_request(server.url("/busy")));
  BOOST_TEST(response.error == herd::http_error::none);
  BOOST_TEST(response.status == 429);
  BOOST_TEST(!response.ok());
  BOOST_TEST(response.header("retry-after").value_or("?") == "7");
  BOOST_TEST(response.body == R"({"error":"rate limited"})");
}

BOOST_AUTO_TEST_CASE(a_redirect_is_returned_not_followed) {
  test_server server;
  herd::http_client client;
  auto response = exchange(client, get_request(server.url("/moved")));
  BOOST_TEST(response.error == herd::http_error::none);
  BOOST_TEST(response.status == 302);
  BOOST_TEST(response.header("location").value_or("?") == "/hello");
}

BOOST_AUTO_TEST_CASE(a_second_sequential_request_reuses_the_connection) {
  test_server server;
  herd::http_client client;
  auto first = exchange(client, get_request(server.url("/hello")));
  auto second = exchange(client, get_request(server.url("/hello")));
  auto third = exchange(client, get_request(server.url("/busy")));
  BOOST_TEST(first.status == 200);
  BOOST_TEST(!first.reused_connection);
  BOOST_TEST(second.reused_connection);
  BOOST_TEST(third.reused_connection);
  BOOST_TEST(client.stats().connections_opened == 1u);
}

BOOST_AUTO_TEST_CASE(the_per_host_cap_queues_excess_requests_inside_the_client) {
  test_server server;
  herd::http_client_config config;
  config.max_connections_per_host = 2;
  herd::http_client client{config};
  completion_counter counter{6};
  for (size_t i = 0; i < 6; ++i)
    client.start(get_request(server.url("/concurrent")), counter.callback(i));
  BOOST_REQUIRE(counter.wait_all(5s));
  for (auto& response : counter.responses)
    BOOST_TEST(response.status == 200);
  BOOST_TEST(server.most_running.load() == 2);
  BOOST_TEST(client.stats().connections_opened == 2u);
}

BOOST_AUTO_TEST_CASE(a_closed_port_is_connection_refused) {
  int closed_port = 0;
  {
    test_server server; // a port that was just free, now closed again
    closed_port = server.port;
  }
  herd::http_client client;
  auto response =
      exchange(client, get_request("http://127.0.0.1:" + std::to_string(closed_port) + "/hello"));
  BOOST_TEST(response.error == herd::http_error::connection_refused);
  BOOST_TEST(response.status == 0);
  BOOST_TEST(!response.error_message.empty());
}

BOOST_AUTO_TEST_CASE(an_unresolvable_name_is_a_dns_error) {
  if (!herd::test::resolver_fails_fast()) {
    BOOST_TEST_MESSAGE("skipped: this machine's resolver does not answer at once");
    return;
  }
  herd::http_client client;
  auto response = exchange(client, get_request("http://no-such-host.invalid/hello"));
  BOOST_TEST(response.error == herd::http_error::dns, response.error_message);
}

BOOST_AUTO_TEST_CASE(ftp_and_garbage_are_invalid_urls) {
  herd::http_client client;
  auto ftp = exchange(client, get_request("ftp://127.0.0.1/file"));
  BOOST_TEST(ftp.error == herd::http_error::invalid_url, ftp.error_message);
  auto garbage = exchange(client, get_request("not a url"));
  BOOST_TEST(garbage.error == herd::http_error::invalid_url, garbage.error_message);
  auto file = exchange(client, get_request("file:///etc/passwd"));
  BOOST_TEST(file.error == herd::http_error::invalid_url, file.error_message);
  BOOST_TEST(file.body.empty());
}

BOOST_AUTO_TEST_CASE(a_slow_server_is_a_timeout_after_the_total_timeout) {
  test_server server;
  herd::http_client client;
  auto request = get_request(server.url("/slow"));
  request.total_timeout = herd::from_ms(200);
  auto response = exchange(client, request);
  BOOST_TEST(response.error == herd::http_error::timeout, response.error_message);
  BOOST_TEST(herd::to_ms(response.elapsed) >= 200);
  BOOST_TEST(herd::to_ms(response.elapsed) < 1500);
}

BOOST_AUTO_TEST_CASE(a_listener_that_never_accepts_is_a_connect_timeout) {
  // A socket listening with a full backlog: Linux drops further SYNs, so connects hang.
  int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  BOOST_REQUIRE(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  BOOST_REQUIRE(::listen(listener, 0) == 0);
  socklen_t length = sizeof address;
  ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length);
  std::vector<int> fillers;
  for (int i = 0; i < 4; ++i) {
    int filler = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    ::connect(filler, reinterpret_cast<sockaddr*>(&address), sizeof address);
    fillers.push_back(filler);
  }
  herd::http_client client;
  auto request = get_request("http://127.0.0.1:" + std::to_string(ntohs(address.sin_port)) + "/");
  request.connect_timeout = herd::from_ms(200);
  request.total_timeout = herd::from_ms(3000);
  auto response = exchange(client, request);
  BOOST_TEST(response.error == herd::http_error::connect_timeout, response.error_message);
  BOOST_TEST(herd::to_ms(response.elapsed) < 2000);
  for (int filler : fillers)
    ::close(filler);
  ::close(listener);
}

BOOST_AUTO_TEST_CASE(a_body_over_the_size_limit_is_too_large) {
  test_server server;
  herd::http_client_config config;
  config.max_response_bytes = 1000;
  herd::http_client client{config};
  auto response = exchange(client, get_request(server.url("/big")));
  BOOST_TEST(response.error == herd::http_error::too_large, response.error_message);
  BOOST_TEST(response.body.empty());
  // The per-request limit overrides the client's.
  auto request = get_request(server.url("/big"));
  request.max_response_bytes = 200000;
  auto allowed = exchange(client, request);
  BOOST_TEST(allowed.status == 200);
  BOOST_TEST(allowed.body.size() == 100000u);
}

BOOST_AUTO_TEST_CASE(https_to_a_plain_http_port_is_a_tls_error) {
  test_server server;
  herd::http_client client;
  auto response =
      exchange(client, get_request("https://127.0.0.1:" + std::to_string(server.port) + "/hello"));
  // curl 7.88 with OpenSSL reports CURLE_SSL_CONNECT_ERROR ("wrong version number") here.
  BOOST_TEST(response.error == herd::http_error::tls, to_string(response.error)
                                                          << ": " << response.error_message);
}

BOOST_AUTO_TEST_CASE(cancel_ends_a_request_at_once_with_cancelled) {
  test_server server;
  herd::http_client client;
  completion_counter counter{1};
  auto began = std::chrono::steady_clock::now();
  auto id = client.start(get_request(server.url("/slow")), counter.callback(0));
  BOOST_TEST(id != 0u);
  // Cancelled once the request has reached the server.
  BOOST_REQUIRE(herd::test::wait_until([&] { return server.slow_taken > 0; }, 1000ms));
  client.cancel(id);
  BOOST_REQUIRE(counter.wait_all(1s));
  BOOST_TEST(ms_since(began) < 1000); // the handler answers after 2 s
  BOOST_TEST(counter.responses[0].error == herd::http_error::cancelled);
  client.cancel(id); // ended already: nothing happens
  client.cancel(12345);
  client.stop();
  BOOST_TEST(counter.calls[0] == 1);
  BOOST_TEST(client.stats().cancelled == 1u);
  BOOST_TEST(client.stats().connections_opened == 1u); // counted though the exchange never ended
  BOOST_TEST(client.stats().finished == 1u);
}

BOOST_AUTO_TEST_CASE(stop_ends_requests_in_flight_with_shutting_down_promptly) {
  test_server server;
  herd::http_client client;
  completion_counter counter{5};
  for (size_t i = 0; i < 5; ++i)
    client.start(get_request(server.url("/slow")), counter.callback(i));
  auto began = std::chrono::steady_clock::now();
  client.stop();
  BOOST_TEST(ms_since(began) < 1000);
  BOOST_REQUIRE(counter.wait_all(0ms)); // all ended before stop returned
  for (size_t i = 0; i < 5; ++i) {
    BOOST_TEST(counter.calls[i] == 1);
    BOOST_TEST(counter.responses[i].error == herd::http_error::shutting_down);
  }
  client.stop(); // idempotent
  // After stop: done runs at once, with shutting_down.
  completion_counter late{1};
  BOOST_TEST(client.start(get_request(server.url("/hello")), late.callback(0)) != 0u);
  BOOST_REQUIRE(late.wait_all(0ms));
  BOOST_TEST(late.responses[0].error == herd::http_error::shutting_down);
  BOOST_TEST(client.stats().in_flight == 0u);
}

BOOST_AUTO_TEST_CASE(stop_and_start_from_inside_a_completion_do_not_deadlock) {
  test_server server;
  herd::http_client client;
  completion_counter counter{2};
  std::promise<herd::http_response> restarted;
  client.start(get_request(server.url("/slow")), counter.callback(1));
  client.start(get_request(server.url("/hello")), [&](herd::http_response response) {
    client.stop();
    client.start(get_request(server.url("/hello")),
                 [&](herd::http_response late) { restarted.set_value(std::move(late)); });
    counter.callback(0)(std::move(response));
  });
  BOOST_REQUIRE(counter.wait_all(2s));
  BOOST_TEST(counter.responses[0].status == 200);
  BOOST_TEST(counter.responses[1].error == herd::http_error::shutting_down);
  auto late = restarted.get_future();
  BOOST_REQUIRE(late.wait_for(0ms) == std::future_status::ready);
  BOOST_TEST(late.get().error == herd::http_error::shutting_down);
}

BOOST_AUTO_TEST_CASE(a_thousand_concurrent_requests_all_complete_exactly_once) {
  test_server server;
  herd::http_client_config config;
  config.max_connections_per_host = 16;
  herd::http_client client{config};
  constexpr size_t n = 1000;
  completion_counter counter{n};
  for (size_t i = 0; i < n; ++i)
    client.start(get_request(server.url("/hello")), counter.callback(i));
  BOOST_REQUIRE(counter.wait_all(8s));
  client.stop();
  size_t ok = 0;
  for (size_t i = 0; i < n; ++i) {
    BOOST_TEST(counter.calls[i] == 1);
    ok += counter.responses[i].status == 200 ? 1 : 0;
  }
  BOOST_TEST(ok == n);
  auto stats = client.stats();
  BOOST_TEST(stats.started == n);
  BOOST_TEST(stats.finished == n);
  BOOST_TEST(stats.connections_opened <= 16u);
}

BOOST_AUTO_TEST_CASE(ten_thousand_requests_in_flight_cost_little_memory_each) {
  test_server slow_server;
  test_server fast_server;
  herd::http_client_config config;
  config.max_connections_per_host = 1; // one exchange runs, the rest wait inside curl
  herd::http_client client{config};
  constexpr size_t n = 10000;
  completion_counter counter{n};
  auto heap_before = mallinfo2().uordblks;
  for (size_t i = 0; i < n; ++i) {
    auto request = get_request(slow_server.url("/slow"));
    request.headers = {{"Authorization", "Bearer sk-0123456789abcdef"}};
    request.body = R"({"model":"m","messages":[{"role":"user","content":"hi"}]})";
    request.method = "POST";
    client.start(std::move(request), counter.callback(i));
  }
  // A later request ending means the I/O thread has taken every earlier one into curl.
  auto marker = exchange(client, get_request(fast_server.url("/hello")));
  BOOST_TEST(marker.status == 200);
  auto heap_after = mallinfo2().uordblks;
  auto per_call = (heap_after - std::min(heap_after, heap_before)) / n;
  BOOST_TEST_MESSAGE("bytes_per_in_flight_call " << per_call << " at " << n << " in flight");
  BOOST_TEST(client.stats().in_flight == n);
  BOOST_TEST(per_call < 20u * 1024u); // measured: ~13.1 KB (curl easy handle ~9 KB + 4 KiB buffer)
  client.stop();
  BOOST_REQUIRE(counter.wait_all(0ms));
}

BOOST_AUTO_TEST_CASE(curl_results_map_to_transport_errors) {
  using herd::http_error;
  using herd::http_transfer;
  BOOST_TEST(http_transfer::classify(CURLE_OK, false, true) == http_error::none);
  // A timeout before the request went out is a connect timeout; after, a (total) timeout.
  BOOST_TEST(http_transfer::classify(CURLE_OPERATION_TIMEDOUT, false, false) ==
             http_error::connect_timeout);
  BOOST_TEST(http_transfer::classify(CURLE_OPERATION_TIMEDOUT, false, true) == http_error::timeout);
  BOOST_TEST(http_transfer::classify(CURLE_COULDNT_RESOLVE_PROXY, false, false) == http_error::dns);
  BOOST_TEST(http_transfer::classify(CURLE_GOT_NOTHING, false, true) ==
             http_error::connection_reset);
  BOOST_TEST(http_transfer::classify(CURLE_PARTIAL_FILE, false, true) ==
             http_error::connection_reset);
  BOOST_TEST(http_transfer::classify(CURLE_PEER_FAILED_VERIFICATION, false, false) ==
             http_error::tls);
  BOOST_TEST(http_transfer::classify(CURLE_FILESIZE_EXCEEDED, false, true) ==
             http_error::too_large);
  BOOST_TEST(http_transfer::classify(CURLE_WRITE_ERROR, true, true) == http_error::too_large);
  BOOST_TEST(http_transfer::classify(CURLE_WRITE_ERROR, false, true) == http_error::other);
  BOOST_TEST(http_transfer::classify(CURLE_OUT_OF_MEMORY, false, true) == http_error::other);
}

BOOST_AUTO_TEST_CASE(config_reads_every_key) {
  auto doc = nlohmann::json::parse(R"({"max_connections_per_host": 4, "max_connections": 40,
    "connect_timeout_ms": 1500, "timeout_ms": 30000, "max_response_bytes": 65536,
    "user_agent": "herd-bot/2"})");
  auto config = herd::http_client_config::from_json(herd::json_reader{doc});
  BOOST_TEST(config.max_connections_per_host == 4);
  BOOST_TEST(config.max_connections == 40);
  BOOST_TEST(herd::to_ms(config.connect_timeout) == 1500);
  BOOST_TEST(herd::to_ms(config.total_timeout) == 30000);
  BOOST_TEST(config.max_response_bytes == 65536);
  BOOST_TEST(config.user_agent == "herd-bot/2");
  auto defaults = herd::http_client_config::from_json(herd::json_reader{nlohmann::json::object()});
  BOOST_TEST(defaults.max_connections_per_host == 32);
  BOOST_TEST(herd::to_ms(defaults.total_timeout) == 60000);
}

BOOST_AUTO_TEST_CASE(config_errors_name_the_json_path) {
  auto error_of = [](const std::string& text) {
    auto doc = nlohmann::json::parse(text);
    try {
      herd::http_client_config::from_json(herd::json_reader{doc, "/http"});
    } catch (const herd::config_error& e) {
      return e;
    }
    throw std::logic_error("no config_error for " + text);
  };
  auto unknown = error_of(R"({"max_conections": 3})");
  BOOST_TEST(unknown.path() == "/http/max_conections");
  BOOST_TEST(unknown.reason().find("unknown key") != std::string::npos);
  BOOST_TEST(error_of(R"({"max_connections_per_host": 0})").path() ==
             "/http/max_connections_per_host");
  BOOST_TEST(error_of(R"({"timeout_ms": "soon"})").path() == "/http/timeout_ms");
  BOOST_TEST(error_of(R"({"connect_timeout_ms": 0})").path() == "/http/connect_timeout_ms");
  BOOST_TEST(error_of(R"({"user_agent": "a\r\nb"})").path() == "/http/user_agent");
}

BOOST_AUTO_TEST_SUITE_END()
