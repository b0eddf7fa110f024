// The supervision protocol's message types survive CAF's binary serializer, their JSON forms
// keep the documented keys, and every supervision_errc code has a name.
#include <boost/test/unit_test.hpp>
#include <caf/all.hpp>
#include <nlohmann/json.hpp>

#include "herd/runtime/announce.hpp"
#include "herd/supervision/health_view.hpp"
#include "herd/supervision/protocol.hpp"
#include "herd/supervision/supervision_errc.hpp"
#include "herd/supervision/supervision_event.hpp"
#include "serialization_fixture.hpp"

using namespace herd;

BOOST_FIXTURE_TEST_SUITE(supervision_protocol, serialization_fixture)

BOOST_AUTO_TEST_CASE(a_supervision_event_roundtrips_and_keeps_its_json_keys) {
  supervision_event x{supervision_event_kind::gave_up, "pool:p", "p-1", "too many restarts",
                      from_epoch_ms(1234)};
  auto copy = message_roundtrip(x);
  BOOST_TEST((copy.kind == x.kind));
  BOOST_TEST(copy.source == x.source);
  BOOST_TEST(copy.name == x.name);
  BOOST_TEST(copy.detail == x.detail);
  BOOST_TEST((copy.at == x.at));
  auto j = copy.to_json();
  BOOST_TEST(j["event"] == "gave_up");
  BOOST_TEST(j["source"] == "pool:p");
  BOOST_TEST(j["at_ms"] == 1234);
  BOOST_TEST((parse_supervision_event_kind("gave_up") == supervision_event_kind::gave_up));
  BOOST_TEST(!parse_supervision_event_kind("escalated"));
}

BOOST_AUTO_TEST_CASE(a_health_view_roundtrips) {
  health_view v;
  v.detector = failure_detector_kind::phi;
  v.now = from_epoch_ms(5000);
  agent_health a;
  a.name = "a";
  a.state = health_state::isolated;
  a.heartbeats = 3;
  a.phi = 9.5;
  a.board_watched = true;
  a.busy = from_ms(1800);
  v.agents.push_back(a);
  auto copy = message_roundtrip(v);
  BOOST_TEST((copy.detector == failure_detector_kind::phi));
  BOOST_REQUIRE(copy.agents.size() == 1u);
  BOOST_TEST((copy.agents[0].state == health_state::isolated));
  BOOST_TEST(copy.agents[0].phi == 9.5);
  auto j = copy.to_json();
  BOOST_TEST(j["detector"] == "phi");
  BOOST_TEST(j["agents"][0]["busy_ms"] == 1800);
  BOOST_TEST(j["agents"][0]["state"] == "isolated");
  BOOST_TEST(!j["agents"][0].contains("missed_intervals"));
}

BOOST_AUTO_TEST_CASE(every_supervision_errc_code_has_a_name) {
  // Codes are dense from none; the first unnamed one ends them.
  size_t named = 0;
  for (int code = 0; code < 256; ++code) {
    auto name = to_string(static_cast<supervision_errc>(code));
    if (name.rfind("supervision_errc(", 0) == 0)
      break;
    BOOST_TEST(!name.empty());
    ++named;
  }
  BOOST_TEST(named > static_cast<size_t>(supervision_errc::start_failed));
  for (size_t code = named; code < 256; ++code)
    BOOST_TEST(to_string(static_cast<supervision_errc>(code)).rfind("supervision_errc(", 0) == 0);
  auto rendered = sys.render(caf::make_error(supervision_errc::child_hung, "worker"));
  BOOST_TEST(rendered.find("child_hung") != std::string::npos, rendered);
}

BOOST_AUTO_TEST_SUITE_END()
