// bench_http: calls per second through an `http_service` (openai_codec encode + decode included,
// one shared `http_client`) against the in-process mock LLM server, next to a raw single-threaded
// libcurl multi loop POSTing the same body with the same headers to the same server, with the same
// calls in flight and the same per-host connection cap. Rounds alternate herd/raw (interleaved,
// so drift hits both alike); each side reports its median with min and max, and `ratio` is the
// median of the per-round herd/raw ratios. Then it starts 10,000 calls at once through a fresh
// service on a mock that never answers them (`x-mock-fault: hang`), waits until the client counts
// them all in flight and reports the heap growth per call (glibc mallinfo2: uordblks + hblkhd,
// all arenas) and the VmRSS growth per call; then the same for the client alone.
//
// usage: bench_http [--calls N] [--in-flight K] [--connections C] [--rounds R] [--threads T]
//                   [--held H] [--json]
#include <malloc.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <future>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <caf/all.hpp>
#include <curl/curl.h>
#include <nlohmann/json.hpp>

#include "bench_flags.hpp"
#include "bench_forks.hpp"
#include "bench_stats.hpp"
#include "herd/herd.hpp"
#include "herd/http/http_client.hpp"
#include "herd/http/http_service.hpp"
#include "herd/http/openai_codec.hpp"
#include "herd/mock_llm/mock_llm_server.hpp"

namespace {

using go_atom = caf::atom_constant<caf::atom("go")>;
using done_atom = caf::atom_constant<caf::atom("done")>;

struct options {
  int64_t calls = 20000;
  int in_flight = 64;
  int connections = 16;
  int rounds = 5;
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  int64_t held = 10000;
  bool json = false;
};

const char* usage = "usage: bench_http [--calls N per side and round (20000)] "
                    "[--in-flight K (64)] [--connections C per host (16)] [--rounds R (5)] "
                    "[--threads T scheduler threads (hardware threads)] "
                    "[--held H calls held open for the memory figure (10000)] [--json]";

/// The chat payload every call sends (the codec adds the model).
const std::string payload = R"({"messages":[{"role":"user","content":"Say hello to the herd."}]})";

/// Keeps `in_flight` calls to `target` going until `calls` have answered, then tells the boss
/// how many were not `ok`.
caf::behavior driver(caf::event_based_actor* self, caf::actor target, int64_t calls,
                     int in_flight) {
  struct state {
    int64_t issued = 0;
    int64_t answered = 0;
    int64_t failed = 0;
    caf::actor boss;
    std::function<void()> fire;
  };
  auto st = std::make_shared<state>();
  auto answer = [=](bool ok) {
    st->failed += ok ? 0 : 1;
    if (++st->answered == calls)
      self->send(st->boss, done_atom::value, st->failed);
    else if (st->issued < calls)
      st->fire();
  };
  st->fire = [=] {
    ++st->issued;
    self->request(target, caf::infinite, herd::call_atom::value, payload)
        .then([=](herd::outcome& x) { answer(x.ok()); },
              [=](caf::error& err) {
                std::cerr << "bench_http: call failed: " << to_string(err) << "\n";
                answer(false);
              });
  };
  return {[=](go_atom, const caf::actor& from) {
    st->boss = from;
    st->issued = st->answered = st->failed = 0;
    for (int i = 0; i < in_flight && st->issued < calls; ++i)
      st->fire();
  }};
}

/// What one side of one round did.
struct round_result {
  double calls_per_s = 0;
  /// CPU time of the whole process (mock and idle scheduler threads included) per call, µs.
  double cpu_us_per_call = 0;
  int64_t failures = 0;
};

/// `opt.calls` calls through `service`, `opt.in_flight` at once.
round_result herd_round(caf::actor_system& sys, const caf::actor& service, const options& opt) {
  caf::scoped_actor self{sys};
  auto d = sys.spawn(driver, service, opt.calls, opt.in_flight);
  auto cpu_start = cpu_seconds();
  auto start = std::chrono::steady_clock::now();
  self->send(d, go_atom::value, caf::actor_cast<caf::actor>(self));
  round_result result;
  self->receive([&](done_atom, int64_t failed) { result.failures = failed; });
  auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result.cpu_us_per_call = (cpu_seconds() - cpu_start) * 1e6 / static_cast<double>(opt.calls);
  self->send_exit(d, caf::exit_reason::user_shutdown);
  result.calls_per_s = static_cast<double>(opt.calls) / seconds;
  return result;
}

/// A raw libcurl multi loop on this thread: `opt.calls` exchanges of `request`, `opt.in_flight`
/// at once, at most `opt.connections` connections; a call fails unless it answers 200.
round_result raw_round(const herd::http_request& request, const std::string& user_agent,
                       const options& opt) {
  auto multi = curl_multi_init();
  curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, static_cast<long>(opt.connections));
  curl_slist* headers = nullptr;
  for (auto& [name, value] : request.headers)
    headers = curl_slist_append(headers, (name + ": " + value).c_str());
  std::vector<std::string> sinks(static_cast<size_t>(opt.in_flight));
  auto write = +[](char* data, size_t size, size_t n, void* user) {
    static_cast<std::string*>(user)->append(data, size * n);
    return size * n;
  };
  int64_t started = 0;
  int64_t finished = 0;
  round_result result;
  auto launch = [&](CURL* easy, size_t slot) {
    sinks[slot].clear();
    curl_easy_setopt(easy, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(easy, CURLOPT_USERAGENT, user_agent.c_str());
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, request.body.c_str());
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE, static_cast<long>(request.body.size()));
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, write);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &sinks[slot]);
    curl_easy_setopt(easy, CURLOPT_PRIVATE, reinterpret_cast<void*>(slot));
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_multi_add_handle(multi, easy);
    ++started;
  };
  auto cpu_start = cpu_seconds();
  auto begin = std::chrono::steady_clock::now();
  for (size_t slot = 0; slot < sinks.size() && started < opt.calls; ++slot)
    launch(curl_easy_init(), slot);
  while (finished < opt.calls) {
    int running = 0;
    curl_multi_perform(multi, &running);
    int queued = 0;
    while (auto msg = curl_multi_info_read(multi, &queued)) {
      if (msg->msg != CURLMSG_DONE)
        continue;
      auto easy = msg->easy_handle;
      long status = 0;
      curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
      result.failures += (msg->data.result == CURLE_OK && status == 200) ? 0 : 1;
      void* slot = nullptr;
      curl_easy_getinfo(easy, CURLINFO_PRIVATE, &slot);
      curl_multi_remove_handle(multi, easy);
      ++finished;
      if (started < opt.calls)
        launch(easy, reinterpret_cast<size_t>(slot));
      else
        curl_easy_cleanup(easy);
    }
    if (finished < opt.calls)
      curl_multi_poll(multi, nullptr, 0, 100, nullptr);
  }
  auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  result.cpu_us_per_call = (cpu_seconds() - cpu_start) * 1e6 / static_cast<double>(opt.calls);
  curl_slist_free_all(headers);
  curl_multi_cleanup(multi);
  result.calls_per_s = static_cast<double>(opt.calls) / seconds;
  return result;
}

/// Bytes allocated from the heap now, in every arena (small blocks and mmapped ones).
int64_t heap_bytes() {
  auto info = mallinfo2();
  return static_cast<int64_t>(info.uordblks + info.hblkhd);
}

/// This process's resident set, bytes.
int64_t rss_bytes() {
  std::ifstream status{"/proc/self/status"};
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmRSS:", 0) == 0)
      return std::atoll(line.c_str() + 6) * 1024;
  return 0;
}

/// Waits (up to 60 s) until `client` counts `n` requests in flight and its I/O thread has handed
/// them all to curl: a request to `marker_url` (another server, so the per-host cap does not hold
/// it back) ending proves that every earlier one has been taken in.
bool wait_in_flight(herd::http_client& client, uint64_t n, const std::string& marker_url) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (client.stats().in_flight < n) {
    if (std::chrono::steady_clock::now() > deadline)
      return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  herd::http_request marker;
  marker.method = "GET";
  marker.url = marker_url + "/health";
  std::promise<int> status;
  client.start(marker, [&](herd::http_response x) { status.set_value(x.status); });
  auto answer = status.get_future();
  return answer.wait_until(deadline) == std::future_status::ready && answer.get() == 200;
}

/// Heap and RSS growth per held call.
struct held_cost {
  int64_t heap_per_call = 0;
  int64_t rss_per_call = 0;
};

/// Holds `opt.held` calls open through a fresh `http_service` and client on a mock that never
/// answers them; the cost includes the caller's pending requests.
held_cost service_cost(caf::actor_system& sys, const std::string& url,
                       const std::string& marker_url, const options& opt) {
  herd::http_client_config config;
  config.max_connections_per_host = opt.connections;
  auto client = std::make_shared<herd::http_client>(config);
  herd::http_endpoint endpoint;
  endpoint.base_url = url;
  endpoint.headers.emplace_back("x-mock-fault", "hang");
  auto codec = std::make_shared<herd::openai_codec>(endpoint, "", "mock-model", 0);
  auto service = caf::actor_cast<caf::actor>(sys.spawn<herd::http_service>("llm", client, codec));
  auto heap_before = heap_bytes();
  auto rss_before = rss_bytes();
  // A driver sending every call at once and never topping up.
  auto holder = sys.spawn(driver, service, opt.held, static_cast<int>(opt.held));
  caf::scoped_actor self{sys};
  self->send(holder, go_atom::value, caf::actor_cast<caf::actor>(self));
  if (!wait_in_flight(*client, static_cast<uint64_t>(opt.held), marker_url)) {
    std::cerr << "bench_http: only " << client->stats().in_flight << " of " << opt.held
              << " calls got in flight\n";
    std::exit(1);
  }
  held_cost cost{(heap_bytes() - heap_before) / opt.held, (rss_bytes() - rss_before) / opt.held};
  // End them without waiting for the mock: the service answers them "service stopping".
  self->send_exit(holder, caf::exit_reason::user_shutdown);
  self->send_exit(service, caf::exit_reason::user_shutdown);
  client->stop();
  return cost;
}

/// The same for `opt.held` requests started on a bare client.
held_cost client_cost(const herd::http_request& request, const std::string& marker_url,
                      const options& opt) {
  herd::http_client_config config;
  config.max_connections_per_host = opt.connections;
  herd::http_client client{config};
  auto held = request;
  held.headers.emplace_back("x-mock-fault", "hang");
  auto heap_before = heap_bytes();
  auto rss_before = rss_bytes();
  for (int64_t i = 0; i < opt.held; ++i)
    client.start(held, [](herd::http_response) {});
  if (!wait_in_flight(client, static_cast<uint64_t>(opt.held), marker_url))
    std::exit(1);
  held_cost cost{(heap_bytes() - heap_before) / opt.held, (rss_bytes() - rss_before) / opt.held};
  client.stop();
  return cost;
}

/// Microseconds one thread spends on the codec per call: `encode` of the payload and `decode`
/// of `response` (a real answer of the mock), so the figure shows the codec's share of a call.
double codec_us_per_call(const herd::http_codec& codec, const herd::http_response& response) {
  constexpr int n = 20000;
  int ok = 0;
  auto start = cpu_seconds();
  for (int i = 0; i < n; ++i) {
    auto encoded = codec.encode(payload);
    ok += std::holds_alternative<herd::http_request>(encoded) && codec.decode(response).ok();
  }
  auto us = (cpu_seconds() - start) * 1e6 / n;
  return ok == n ? us : -1;
}

bool parse(int argc, char** argv, options& opt) {
  bench_flags flags;
  flags.count("--calls", opt.calls)
      .count("--in-flight", opt.in_flight)
      .count("--connections", opt.connections)
      .count("--rounds", opt.rounds)
      .count("--threads", opt.threads)
      .count("--held", opt.held)
      .flag("--json", opt.json);
  return flags.parse(argc, argv);
}

} // namespace

int main(int argc, char** argv) {
  if (auto code = run_forks(argc, argv))
    return *code;
  options opt;
  if (!parse(argc, argv, opt)) {
    std::cerr << usage << "\n";
    return argc > 1 && std::string{argv[1]} == "--help" ? 0 : 2;
  }
  herd::set_log_level("warn");
  curl_global_init(CURL_GLOBAL_DEFAULT);
  herd::mock_llm_profile profile; // no faults, no latency
  profile.threads = std::max<int64_t>(profile.threads, 2 * opt.connections);
  herd::mock_llm_server mock{profile};
  mock.start();

  caf::actor_system_config cfg;
  herd::announce_types(cfg);
  cfg.set("scheduler.max-threads", opt.threads);
  caf::actor_system sys{cfg};

  herd::http_client_config config;
  config.max_connections_per_host = opt.connections;
  auto client = std::make_shared<herd::http_client>(config);
  herd::http_endpoint endpoint;
  endpoint.base_url = mock.url();
  auto codec = std::make_shared<herd::openai_codec>(endpoint, "", "mock-model", 0);
  auto service = caf::actor_cast<caf::actor>(sys.spawn<herd::http_service>("llm", client, codec));
  // The raw loop sends exactly what the codec sends.
  auto encoded = codec->encode(payload);
  auto request = std::get<herd::http_request>(encoded);

  std::vector<double> herd_rates, raw_rates, ratios, herd_cpu, raw_cpu, cpu_ratios;
  int64_t herd_failures = 0, raw_failures = 0;
  for (int round = 0; round <= opt.rounds; ++round) { // round 0 warms both sides up
    auto h = herd_round(sys, service, opt);
    auto r = raw_round(request, config.user_agent, opt);
    herd_failures += h.failures;
    raw_failures += r.failures;
    if (round == 0)
      continue;
    herd_rates.push_back(h.calls_per_s);
    raw_rates.push_back(r.calls_per_s);
    ratios.push_back(h.calls_per_s / r.calls_per_s);
    herd_cpu.push_back(h.cpu_us_per_call);
    raw_cpu.push_back(r.cpu_us_per_call);
    cpu_ratios.push_back(r.cpu_us_per_call / h.cpu_us_per_call);
  }
  std::promise<herd::http_response> sample;
  client->start(request, [&](herd::http_response x) { sample.set_value(std::move(x)); });
  auto codec_us = codec_us_per_call(*codec, sample.get_future().get());
  caf::anon_send_exit(service, caf::exit_reason::user_shutdown);
  auto connections_opened = client->stats().connections_opened;
  client->stop();

  herd::mock_llm_server marker_server;
  marker_server.start();
  auto service_held = service_cost(sys, mock.url(), marker_server.url(), opt);
  auto client_held = client_cost(request, marker_server.url(), opt);

  auto herd_s = summarize(herd_rates);
  auto raw_s = summarize(raw_rates);
  auto ratio_s = summarize(ratios);
  nlohmann::json entry = {
      {"herd_path", "http_service (openai_codec encode + decode) -> http_client -> mock"},
      {"calls", opt.calls},
      {"in_flight", opt.in_flight},
      {"connections", opt.connections},
      {"rounds", opt.rounds},
      {"threads", opt.threads},
      {"herd_calls_per_s", rounded(herd_s.median, 0)},
      {"herd_calls_per_s_min", rounded(herd_s.min, 0)},
      {"herd_calls_per_s_max", rounded(herd_s.max, 0)},
      {"raw_calls_per_s", rounded(raw_s.median, 0)},
      {"raw_calls_per_s_min", rounded(raw_s.min, 0)},
      {"raw_calls_per_s_max", rounded(raw_s.max, 0)},
      {"ratio", rounded(ratio_s.median, 3)},
      {"ratio_min", rounded(ratio_s.min, 3)},
      {"ratio_max", rounded(ratio_s.max, 3)},
      {"ratio_of_medians", rounded(herd_s.median / raw_s.median, 3)},
      {"herd_cpu_us_per_call", rounded(summarize(herd_cpu).median, 1)},
      {"raw_cpu_us_per_call", rounded(summarize(raw_cpu).median, 1)},
      {"cpu_ratio", rounded(summarize(cpu_ratios).median, 3)},
      {"cpu_ratio_min", rounded(summarize(cpu_ratios).min, 3)},
      {"cpu_ratio_max", rounded(summarize(cpu_ratios).max, 3)},
      {"codec_cpu_us_per_call", rounded(codec_us, 1)},
      {"herd_failures", herd_failures},
      {"raw_failures", raw_failures},
      {"herd_connections_opened", connections_opened},
      {"held_calls", opt.held},
      {"bytes_per_in_flight_call", service_held.heap_per_call},
      {"rss_bytes_per_in_flight_call", service_held.rss_per_call},
      {"client_bytes_per_in_flight_call", client_held.heap_per_call},
      {"client_rss_bytes_per_in_flight_call", client_held.rss_per_call},
      {"bytes_measure", "glibc mallinfo2 uordblks + hblkhd delta (all arenas); rss = VmRSS delta; "
                        "the service figure includes the caller's pending requests"}};
  if (opt.json) {
    std::cout << nlohmann::json{{"benchmark", "bench_http"}, {"results", {entry}}}.dump() << "\n";
  } else {
    std::cout << "through http_service (codec included): " << herd_s.median << " calls/s ("
              << herd_s.min << ".." << herd_s.max << ")\n"
              << "raw libcurl multi loop:                " << raw_s.median << " calls/s ("
              << raw_s.min << ".." << raw_s.max << ")\n"
              << "ratio (median of rounds): " << ratio_s.median << " (" << ratio_s.min << ".."
              << ratio_s.max << "), of medians " << herd_s.median / raw_s.median << "\n"
              << "process CPU per call (mock included): herd " << summarize(herd_cpu).median
              << " us, raw " << summarize(raw_cpu).median << " us\n"
              << "openai_codec encode + decode: " << codec_us << " us per call\n"
              << "failures: herd " << herd_failures << ", raw " << raw_failures << "\n"
              << opt.held << " calls in flight: " << service_held.heap_per_call
              << " heap bytes per call (" << service_held.rss_per_call
              << " RSS) through the service; " << client_held.heap_per_call << " ("
              << client_held.rss_per_call << " RSS) on the client alone\n";
  }
  mock.stop();
  curl_global_cleanup();
  return herd_failures + raw_failures == 0 ? 0 : 1;
}
