// The memory watchdog in virtual time with a scripted memory reading: above the soft limit an
// alert event and metric, above the hard limit submits are refused with a clear reason until
// memory falls below it; freed memory goes back to the system every release interval.
#include <cstring>
#include <memory>
#include <vector>

#include "herd/core/config_error.hpp"
#include <caf/all.hpp>

#include "herd/core/errc.hpp"
#include "herd/core/json_reader.hpp"
#include "herd/supervision/memory_watchdog.hpp"
#include "herd/supervision/proc_memory_probe.hpp"
#include "supervision/pool_fixture.hpp"

using namespace herd;
using namespace herd::test;

#if defined(__SANITIZE_ADDRESS__)
#define HERD_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HERD_TEST_ASAN 1
#endif
#endif
#ifndef HERD_TEST_ASAN
#define HERD_TEST_ASAN 0
#endif

namespace {

/// Reports whatever the test wrote in `bytes`; each release counts in `releases` and gives back
/// 1 MiB.
class scripted_probe : public memory_probe {
public:
  scripted_probe(std::shared_ptr<uint64_t> bytes, std::shared_ptr<int> releases)
      : bytes_(std::move(bytes)), releases_(std::move(releases)) {}
  uint64_t resident_bytes() override { return *bytes_; }
  uint64_t release_free_memory() override {
    ++*releases_;
    return 1 << 20;
  }

private:
  std::shared_ptr<uint64_t> bytes_;
  std::shared_ptr<int> releases_;
};

struct watchdog_fixture : pool_fixture {
  std::shared_ptr<uint64_t> resident = std::make_shared<uint64_t>(10 << 20);
  std::shared_ptr<int> releases = std::make_shared<int>(0);
  memory_watchdog_config limits;
  caf::actor watchdog;

  watchdog_fixture() {
    limits.soft_limit_bytes = 100 << 20;
    limits.hard_limit_bytes = 200 << 20;
    limits.check_interval = from_ms(1000);
    work = from_ms(10);
    watchdog = caf::actor_cast<caf::actor>(sys.spawn<memory_watchdog>(
        limits, std::make_shared<scripted_probe>(resident, releases),
        [d = dispatcher] { return d; }, metrics));
    extra.push_back(watchdog);
    caf::anon_send(watchdog, subscribe_atom::value, recorder);
    start_pool(1);
  }

  /// Submits one task; its outcome, or the error that refused it.
  caf::expected<outcome> run_one() {
    submit(1);
    vt.advance(from_ms(100));
    std::optional<caf::expected<outcome>> result;
    self->receive([&](outcome& o) { result = std::move(o); },
                  [&](caf::error& e) { result = std::move(e); },
                  caf::after(std::chrono::seconds(0)) >> [] {});
    BOOST_REQUIRE(result);
    return std::move(*result);
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(memory_watchdog_suite, watchdog_fixture)

BOOST_AUTO_TEST_CASE(soft_limit_raises_an_alert_and_intake_goes_on) {
  *resident = 150 << 20;
  vt.advance(from_ms(1000));
  BOOST_TEST(count(supervision_event_kind::memory_soft_limit) == 1u);
  BOOST_TEST(metrics->total("herd_memory_soft_limit_total") == 1.0);
  BOOST_TEST(metrics->total("herd_memory_resident_bytes") == static_cast<double>(150 << 20));
  vt.advance(from_ms(3000)); // still above: one alert per crossing
  BOOST_TEST(count(supervision_event_kind::memory_soft_limit) == 1u);
  auto o = run_one();
  BOOST_REQUIRE(o);
  BOOST_TEST(o->ok());
}

BOOST_AUTO_TEST_CASE(hard_limit_pauses_intake_until_memory_falls) {
  *resident = 250 << 20;
  vt.advance(from_ms(1000));
  BOOST_TEST(count(supervision_event_kind::memory_hard_limit) == 1u);
  BOOST_TEST(metrics->total("herd_memory_intake_paused") == 1.0);
  auto refused = run_one();
  BOOST_REQUIRE(!refused);
  BOOST_TEST((refused.error() == errc::memory_pressure));
  auto text = sys.render(refused.error());
  BOOST_TEST(text.find("above the hard limit of 200 MiB") != std::string::npos, text);
  // Memory falls below the hard limit (still above the soft one): intake resumes.
  *resident = 150 << 20;
  vt.advance(from_ms(1000));
  BOOST_TEST(count(supervision_event_kind::memory_recovered) == 1u);
  BOOST_TEST(metrics->total("herd_memory_intake_paused") == 0.0);
  auto accepted = run_one();
  BOOST_REQUIRE(accepted);
  BOOST_TEST(accepted->ok());
  auto s = stats();
  BOOST_TEST(s.rejected == 1u);
  BOOST_TEST(s.balanced());
}

BOOST_AUTO_TEST_CASE(freed_memory_goes_back_to_the_system_every_minute) {
  // The default interval: a long-running process does not keep what a burst once took.
  vt.advance(from_ms(59000));
  BOOST_TEST(*releases == 0);
  vt.advance(from_ms(2000));
  BOOST_TEST(*releases == 1);
  BOOST_TEST(metrics->total("herd_memory_released_bytes_total") == static_cast<double>(1 << 20));
  vt.advance(from_ms(60000));
  BOOST_TEST(*releases == 2);
}

BOOST_AUTO_TEST_CASE(config_releases_by_default_limits_nothing_and_names_bad_fields) {
  memory_watchdog_config defaults;
  BOOST_TEST(defaults.soft_limit_bytes == 0u);
  BOOST_TEST(defaults.hard_limit_bytes == 0u);
  BOOST_TEST(to_ms(defaults.release_interval) == 60000);
  BOOST_TEST(defaults.enabled());
  auto never = nlohmann::json::parse(R"({"release_interval_ms": 0})");
  BOOST_TEST(!memory_watchdog_config::from_json(json_reader{never, "/memory"}).enabled());
  auto bad = nlohmann::json::parse(R"({"soft_limit_bytes": 300, "hard_limit_bytes": 200})");
  try {
    memory_watchdog_config::from_json(json_reader{bad, "/memory"});
    BOOST_FAIL("expected a config_error");
  } catch (const config_error& e) {
    BOOST_TEST(std::string{e.what()}.find("/memory/hard_limit_bytes") != std::string::npos,
               e.what());
  }
}

BOOST_AUTO_TEST_CASE(the_process_probe_reads_a_resident_size) {
  proc_memory_probe probe;
  BOOST_TEST(probe.resident_bytes() > 0u);
}

BOOST_AUTO_TEST_CASE(the_process_probe_gives_freed_memory_back) {
  // 64 MiB in 1 KiB blocks, then 15 of every 16 freed: the free runs lie between live blocks,
  // not at the top of the heap, so glibc keeps their pages resident until they are trimmed.
  std::vector<std::unique_ptr<char[]>> blocks(64 * 1024);
  for (auto& b : blocks) {
    b.reset(new char[1024]);
    std::memset(b.get(), 1, 1024);
  }
  for (size_t i = 0; i < blocks.size(); ++i)
    if (i % 16 != 0)
      blocks[i].reset();
  proc_memory_probe probe;
  auto released = probe.release_free_memory();
#if HERD_TEST_ASAN
  // AddressSanitizer's allocator is not glibc's: nothing to trim there.
  BOOST_TEST_MESSAGE("released " << released << " bytes under AddressSanitizer");
#else
  BOOST_TEST(released > (16u << 20), "released " << released << " bytes");
#endif
}

BOOST_AUTO_TEST_SUITE_END()
