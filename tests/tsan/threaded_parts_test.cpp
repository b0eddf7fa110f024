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
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "herd/core/metrics_registry.hpp"
#include "herd/dispatch/liveness_board.hpp"
#include "herd/http/http_client.hpp"

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

BOOST_AUTO_TEST_SUITE_END()
