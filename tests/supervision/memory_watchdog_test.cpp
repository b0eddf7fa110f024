// The memory watchdog in virtual time with a scripted memory reading: above the soft limit an
// alert event and metric, above the hard limit submits are refused with a clear reason until
// memory falls below it.
#include "herd/core/config_error.hpp"
#include <caf/all.hpp>

#include "herd/core/errc.hpp"
#include "herd/core/json_reader.hpp"
#include "herd/supervision/memory_watchdog.hpp"
#include "herd/supervision/proc_memory_probe.hpp"
#include "supervision/pool_fixture.hpp"

using namespace herd;
using namespace herd::test;

namespace {

/// Reports whatever the test wrote in `bytes`.
class scripted_probe : public memory_probe {
public:
  explicit scripted_probe(std::shared_ptr<uint64_t> bytes) : bytes_(std::move(bytes)) {}
  uint64_t resident_bytes() override { return *bytes_; }

private:
  std::shared_ptr<uint64_t> bytes_;
};

struct watchdog_fixture : pool_fixture {
  std::shared_ptr<uint64_t> resident = std::make_shared<uint64_t>(10 << 20);
  memory_watchdog_config limits;
  caf::actor watchdog;

  watchdog_fixture() {
    limits.soft_limit_bytes = 100 << 20;
    limits.hard_limit_bytes = 200 << 20;
    limits.check_interval = from_ms(1000);
    work = from_ms(10);
    watchdog = caf::actor_cast<caf::actor>(sys.spawn<memory_watchdog>(
        limits, std::make_shared<scripted_probe>(resident), [d = dispatcher] { return d; },
        metrics));
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

BOOST_AUTO_TEST_CASE(config_is_off_by_default_and_names_bad_fields) {
  BOOST_TEST(!memory_watchdog_config{}.enabled());
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

BOOST_AUTO_TEST_SUITE_END()
