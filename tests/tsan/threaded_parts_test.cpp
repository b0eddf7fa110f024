// herd's own threaded parts under ThreadSanitizer, without CAF's scheduler (Debian's CAF is not
// instrumented, so suites that run actors would report CAF's internals): the liveness board that
// agents stamp while the health monitor scans it, the metrics registry that every actor writes
// while /metrics renders it, and the HTTP client's I/O thread with its request queue, fed and
// cancelled from many threads while it completes calls to a loopback server.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include <boost/test/unit_test.hpp>
#include <caf/mailbox_element.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "herd/core/metrics_registry.hpp"
#include "herd/dispatch/liveness_board.hpp"
#include "herd/http/http_client.hpp"
#include "http/http_calls.hpp"

using namespace herd;

namespace {

constexpr int writer_threads = 4;

/// Runs `fn(i)` on `n` threads at once and joins them.
template <class F>
void on_threads(int n, F fn) {
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i)
    threads.emplace_back([&fn, i] { fn(i); });
  for (auto& t : threads)
    t.join();
}

/// Decodes every response as a success (the calls table only needs `decode`).
class success_codec : public http_codec {
public:
  std::variant<http_request, failure> encode(const std::string&) const override {
    return failure::permanent("not used");
  }
  outcome decode(const http_response&) const override { return outcome::success(); }
};

} // namespace

BOOST_AUTO_TEST_SUITE(tsan_threaded_parts)

BOOST_AUTO_TEST_CASE(liveness_board_is_stamped_while_scanned) {
  liveness_board board{64};
  std::atomic<bool> stop{false};
  std::atomic<int64_t> hung_seen{0};
  std::thread scanner{[&] {
    while (!stop.load()) {
      for (size_t slot = 0; slot < board.capacity(); ++slot)
        if (board.hung(slot, 1'000'000, 10))
          ++hung_seen;
    }
  }};
  on_threads(writer_threads, [&](int) {
    for (int round = 0; round < 2000; ++round) {
      auto slot = board.acquire();
      board.enter(slot, round + 1);
      board.leave(slot);
      board.release(slot);
    }
  });
  stop = true;
  scanner.join();
  for (size_t slot = 0; slot < board.capacity(); ++slot)
    BOOST_TEST(board.busy_since(slot) == 0);
}

BOOST_AUTO_TEST_CASE(metrics_are_written_while_rendered) {
  metrics_registry registry;
  std::atomic<bool> stop{false};
  std::thread reader{[&] {
    while (!stop.load()) {
      (void)registry.prometheus();
      (void)registry.snapshot();
      (void)registry.total("herd_tsan_calls_total");
    }
  }};
  on_threads(writer_threads, [&](int i) {
    for (int n = 0; n < 2000; ++n) {
      metric_labels labels{{"agent", "a" + std::to_string(n % 8)}};
      registry.counter("herd_tsan_calls_total", "Calls.", labels).inc();
      registry.gauge("herd_tsan_depth", "Depth.", labels).set(n);
      registry.histogram("herd_tsan_latency_seconds", "Latency.", labels).observe(0.001 * i);
    }
  });
  stop = true;
  reader.join();
  BOOST_TEST(registry.total("herd_tsan_calls_total") == writer_threads * 2000);
}

BOOST_AUTO_TEST_CASE(http_client_is_fed_and_cancelled_from_many_threads) {
  httplib::Server server;
  server.Post("/echo", [](const httplib::Request& req, httplib::Response& res) {
    res.set_content(req.body, "application/json");
  });
  auto port = server.bind_to_any_port("127.0.0.1");
  std::thread serving{[&] { server.listen_after_bind(); }};
  while (!server.is_running())
    std::this_thread::yield();
  {
    http_client client;
    std::mutex mtx;
    std::condition_variable completed;
    std::map<int, int> calls_per_request; // completions per request, each must be 1
    std::atomic<int> ok{0};
    constexpr int per_thread = 100;
    on_threads(writer_threads, [&](int t) {
      for (int n = 0; n < per_thread; ++n) {
        http_request request;
        request.url = "http://127.0.0.1:" + std::to_string(port) + "/echo";
        request.body = "{\"n\": " + std::to_string(n) + "}";
        int key = t * per_thread + n;
        auto id = client.start(request, [&, key](http_response response) {
          if (response.ok())
            ++ok;
          std::lock_guard<std::mutex> guard{mtx};
          ++calls_per_request[key];
          completed.notify_all();
        });
        if (n % 10 == 0)
          client.cancel(id);
        (void)client.stats();
      }
    });
    {
      // Woken by each completion; at most 30 s in all.
      std::unique_lock<std::mutex> lock{mtx};
      completed.wait_for(lock, std::chrono::seconds(30),
                         [&] { return calls_per_request.size() == writer_threads * per_thread; });
    }
    client.stop();
    std::lock_guard<std::mutex> guard{mtx};
    BOOST_TEST(calls_per_request.size() == writer_threads * per_thread);
    for (auto& [key, calls] : calls_per_request)
      BOOST_TEST(calls == 1);
    BOOST_TEST(ok.load() > 0);
  }
  server.stop();
  serving.join();
}

BOOST_AUTO_TEST_CASE(http_calls_end_once_while_the_service_drops_them) {
  // The service's thread adds calls and now and then drops every waiting one (as when their
  // caller goes down); an I/O thread ends them as their exchanges end. Each call ends one way.
  auto metrics = std::make_shared<metrics_registry>();
  http_calls calls{"svc", std::make_shared<success_codec>(), caf::weak_actor_ptr{}, metrics};
  auto& answered =
      metrics->counter("herd_http_requests_total", "", {{"service", "svc"}, {"result", "200"}});
  constexpr uint64_t total = 2000;
  std::mutex mtx;
  std::condition_variable added;
  std::vector<uint64_t> ended_tags;
  bool adding = true;
  uint64_t dropped = 0;
  std::thread io{[&] {
    http_response response;
    response.status = 200;
    response.body = "{}";
    for (size_t next = 0;;) {
      std::unique_lock<std::mutex> lock{mtx};
      added.wait(lock, [&] { return next < ended_tags.size() || !adding; });
      if (next == ended_tags.size())
        return;
      auto tag = ended_tags[next++];
      lock.unlock();
      calls.complete(tag, response);
    }
  }};
  // No sender: the answer goes nowhere, so no CAF actor runs here.
  auto request = caf::make_mailbox_element(nullptr, caf::make_message_id(), {}, std::string{"x"});
  for (uint64_t n = 0; n < total; ++n) {
    auto tag = calls.add(*request);
    calls.started(tag, tag);
    {
      std::lock_guard<std::mutex> guard{mtx};
      ended_tags.push_back(tag);
    }
    added.notify_one();
    if (n % 50 == 49)
      dropped += calls.drop_caller(caf::actor_addr{}).size();
  }
  {
    std::lock_guard<std::mutex> guard{mtx};
    adding = false;
  }
  added.notify_one();
  io.join();
  BOOST_TEST(calls.end_all(outcome::success()).empty());
  BOOST_TEST(answered.value() + dropped == total);
  BOOST_TEST(dropped > 0);
}

BOOST_AUTO_TEST_SUITE_END()
