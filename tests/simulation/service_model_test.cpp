// The simulated service: capacity per second, outages, overload answers, latency.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

#include "herd/core/json_reader.hpp"
#include "herd/simulation/service_model.hpp"
#include "simulation/scenario_json.hpp"

namespace {

herd::scenario make(nlohmann::json doc) {
  return herd::scenario::from_json(herd::json_reader{doc});
}

} // namespace

BOOST_AUTO_TEST_SUITE(simulation_service)

BOOST_AUTO_TEST_CASE(calls_beyond_the_capacity_of_a_second_are_rejected) {
  auto doc = herd::test::small_scenario();
  doc["service"]["error_rate"] = 0;
  doc["service"]["overload"] = {{"status", 429}, {"retry_after_s", 5}};
  auto s = make(doc);
  herd::service_model service{s, 1};
  int ok = 0;
  int rejected = 0;
  for (int i = 0; i < 100; ++i) {
    auto answer = service.call(1.0 + i * 0.001); // 100 calls within one second
    if (answer.ok) {
      ++ok;
    } else {
      ++rejected;
      BOOST_TEST(answer.status == 429);
      BOOST_TEST(answer.overloaded);
      BOOST_TEST(answer.retry_after_s == 5.0);
      BOOST_TEST((answer.category == herd::failure_category::rate_limited));
    }
  }
  BOOST_TEST(ok == 40);
  BOOST_TEST(rejected == 60);
  // The next second has the full capacity again.
  BOOST_TEST(service.call(2.0).ok);
}

BOOST_AUTO_TEST_CASE(overload_can_answer_503_without_retry_after) {
  auto doc = herd::test::small_scenario();
  doc["service"]["error_rate"] = 0;
  doc["service"]["overload"]["status"] = 503;
  auto s = make(doc);
  herd::service_model service{s, 1};
  for (int i = 0; i < 40; ++i)
    service.call(2.5);
  auto answer = service.call(2.5);
  BOOST_TEST(answer.status == 503);
  BOOST_TEST((answer.category == herd::failure_category::unavailable));
  BOOST_TEST(answer.retry_after_s == 0.0);
}

BOOST_AUTO_TEST_CASE(every_call_in_an_outage_fails_with_503) {
  auto s = make(herd::test::small_scenario()); // outage [5, 9)
  herd::service_model service{s, 1};
  for (double t = 5.0; t < 9.0; t += 0.25) {
    auto answer = service.call(t);
    BOOST_TEST(!answer.ok);
    BOOST_TEST(answer.status == 503);
    BOOST_TEST(!answer.overloaded);
  }
  BOOST_TEST(service.capacity_at(6) == 0.0);
  BOOST_TEST(service.capacity_at(9) == 40.0);
}

BOOST_AUTO_TEST_CASE(latency_has_the_configured_mean_and_p99) {
  auto s = make(herd::test::small_scenario()); // mean 100 ms, p99 800 ms
  herd::service_model service{s, 3};
  std::vector<double> xs;
  for (int i = 0; i < 200000; ++i)
    xs.push_back(service.latency() * 1000);
  double sum = 0;
  for (auto x : xs)
    sum += x;
  std::sort(xs.begin(), xs.end());
  BOOST_TEST(std::abs(sum / xs.size() - 100) < 5);
  BOOST_TEST(std::abs(xs[xs.size() * 99 / 100] - 800) < 60);
}

BOOST_AUTO_TEST_SUITE_END()
