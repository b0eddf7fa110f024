// Every message type survives CAF's binary serializer unchanged (what crosses a process
// boundary through the io middleman).
#include <set>
#include <string>

#include <boost/test/unit_test.hpp>
#include <boost/type_traits/has_equal_to.hpp>
#include <caf/all.hpp>

#include "actors/dead_letters/dlq_test_support.hpp"
#include "herd/core/outcome.hpp"
#include "herd/core/task.hpp"
#include "herd/dead_letters/dead_letter_stats.hpp"
#include "herd/dead_letters/replay_request.hpp"
#include "herd/dispatch/agent_settings.hpp"
#include "herd/dispatch/dispatcher_config.hpp"
#include "herd/dispatch/dispatcher_stats.hpp"
#include "herd/dispatch/pool_load.hpp"
#include "herd/distribution/node_info.hpp"
#include "herd/distribution/node_registration.hpp"
#include "herd/locks/lock_reply.hpp"
#include "herd/locks/lock_request.hpp"
#include "herd/locks/locks_config.hpp"
#include "herd/retry/failure_policy.hpp"
#include "herd/runtime/announce.hpp"
#include "herd/workflow/workflow_definition.hpp"
#include "herd/workflow/workflow_record.hpp"
#include "serialization_fixture.hpp"

namespace {

herd::failure sample_failure() {
  auto f = herd::failure::rate_limited("slow down", herd::from_ms(5000));
  f.from("llm", 429);
  return f;
}

herd::task sample_task() {
  auto t = herd::task::make("t-42", "read_only", {{"prompt", "hello"}, {"n", 3}}, "llm");
  t.service = "openai";
  t.idempotency_key = "idem-42";
  t.attempt = 3;
  t.replays = 1;
  t.created = herd::from_epoch_ms(1000);
  t.deadline = herd::from_epoch_ms(91000);
  t.history.push_back({1, herd::from_epoch_ms(2000), "llm-1", sample_failure()});
  t.history.push_back({2, herd::from_epoch_ms(4000), "llm-2",
                       herd::failure::timeout("no answer").from("openai", 504)});
  return t;
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(serialization, serialization_fixture)

BOOST_AUTO_TEST_CASE(failure_roundtrips) {
  auto f = sample_failure();
  BOOST_TEST((roundtrip(f) == f));
  BOOST_TEST((message_roundtrip(f) == f));
}

BOOST_AUTO_TEST_CASE(task_roundtrips_with_history) {
  auto t = sample_task();
  auto copy = message_roundtrip(t);
  BOOST_TEST((copy == t));
  BOOST_TEST(copy.history.size() == 2u);
  BOOST_TEST(copy.payload_json()["prompt"] == "hello");
}

BOOST_AUTO_TEST_CASE(outcome_roundtrips) {
  auto ok = herd::outcome::success({{"answer", 42}});
  ok.task_id = "t-1";
  ok.agent = "llm-1";
  ok.attempt = 2;
  BOOST_TEST((message_roundtrip(ok) == ok));
  // Served by a lower tier of a fallback chain: both fields travel and show in the JSON form.
  auto degraded = ok;
  degraded.served_by = "haiku";
  degraded.degraded = true;
  BOOST_TEST(!(degraded == ok));
  auto copy = message_roundtrip(degraded);
  BOOST_TEST(copy.served_by == "haiku");
  BOOST_TEST(copy.degraded);
  BOOST_TEST((copy == degraded));
  nlohmann::json shown = degraded;
  BOOST_TEST(shown["served_by"] == "haiku");
  BOOST_TEST(shown["degraded"] == true);
  nlohmann::json plain = ok;
  BOOST_TEST(plain["served_by"] == "");
  BOOST_TEST(plain["degraded"] == false);
  auto bad = herd::outcome::fail(sample_failure());
  bad.status = herd::outcome_status::dead_lettered;
  BOOST_TEST((message_roundtrip(bad) == bad));
}

BOOST_AUTO_TEST_CASE(policies_and_configs_roundtrip) {
  for (auto& name : herd::failure_policy::preset_names()) {
    auto p = herd::failure_policy::preset(name);
    BOOST_TEST((message_roundtrip(p) == p), name);
  }
  herd::dispatcher_config c;
  c.intake_capacity = 7;
  c.lease_timeout = herd::from_ms(1234);
  auto copy = message_roundtrip(c);
  BOOST_TEST(copy.intake_capacity == 7);
  BOOST_TEST(copy.lease_timeout.count() == c.lease_timeout.count());
}

BOOST_AUTO_TEST_CASE(stats_and_settings_roundtrip) {
  herd::dispatcher_stats s;
  s.accepted = 10;
  s.completed = 7;
  s.queued = 3;
  auto copy = message_roundtrip(s);
  BOOST_TEST(copy.accepted == 10u);
  BOOST_TEST(copy.balanced());
  herd::agent_settings a;
  a.name = "llm-1";
  a.pool = "llm";
  a.heartbeat_interval = herd::from_ms(250);
  a.recycling.max_tasks = 100;
  a.recycling.max_age = herd::from_ms(3600000);
  a.recycling.max_resident_bytes = 1 << 20;
  auto a2 = message_roundtrip(a);
  BOOST_TEST(a2.name == "llm-1");
  BOOST_TEST(a2.heartbeat_interval.count() == a.heartbeat_interval.count());
  BOOST_TEST(a2.recycling.max_tasks == 100);
  BOOST_TEST(a2.recycling.max_age.count() == a.recycling.max_age.count());
  BOOST_TEST(a2.recycling.max_resident_bytes == uint64_t{1} << 20);
}

BOOST_AUTO_TEST_CASE(pool_load_roundtrips) {
  herd::pool_load load;
  load.pool = "llm";
  load.queued = 12;
  load.leased = 3;
  load.agents = 4;
  load.busy = 2;
  auto copy = message_roundtrip(load);
  BOOST_TEST(copy.pool == "llm");
  BOOST_TEST(copy.queued == 12u);
  BOOST_TEST(copy.leased == 3u);
  BOOST_TEST(copy.agents == 4u);
  BOOST_TEST(copy.busy == 2u);
}

BOOST_AUTO_TEST_CASE(lock_protocol_roundtrips) {
  herd::lock_request r;
  r.name = "account:42";
  r.holder_name = "llm-3";
  r.lease = herd::from_ms(1500);
  r.wait_timeout = herd::from_ms(250);
  auto r2 = message_roundtrip(r);
  BOOST_TEST(r2.name == "account:42");
  BOOST_TEST(r2.holder_name == "llm-3");
  BOOST_TEST(r2.lease.count() == r.lease.count());
  BOOST_TEST(r2.wait_timeout.count() == r.wait_timeout.count());
  auto granted = herd::lock_reply::granted({"account:42", 7, herd::from_epoch_ms(5000)});
  auto g2 = message_roundtrip(granted);
  BOOST_TEST(g2.ok);
  BOOST_TEST((g2.grant == granted.grant));
  auto refused = herd::lock_reply::failed(
      herd::failure::rate_limited("queue full", herd::from_ms(300)).because("lock_queue_full"));
  auto f2 = message_roundtrip(refused);
  BOOST_TEST(!f2.ok);
  BOOST_TEST((f2.error == refused.error));
  herd::locks_config c;
  c.max_waiters = 3;
  c.lease = herd::from_ms(700);
  auto c2 = message_roundtrip(c);
  BOOST_TEST(c2.max_waiters == 3u);
  BOOST_TEST(c2.lease.count() == c.lease.count());
}

BOOST_AUTO_TEST_CASE(dead_letter_protocol_roundtrips) {
  auto x = herd::test::letter("t", 1000, herd::dead_letter_reason::poison);
  x.status = herd::dead_letter_status::poison;
  x.note = "n";
  BOOST_TEST((message_roundtrip(x) == x));
  herd::dead_letter_filter f;
  f.ids = {"a"};
  f.text = "reset";
  f.since_ms = 5;
  BOOST_TEST((message_roundtrip(f) == f));
  herd::replay_request r;
  r.id = 7;
  r.filter = f;
  r.rate = 2.5;
  r.state = "running";
  r.sent = 4;
  auto r2 = message_roundtrip(r);
  BOOST_TEST((r2.filter == f));
  BOOST_TEST(r2.rate == 2.5);
  BOOST_TEST(r2.state == "running");
  BOOST_TEST(r2.sent == 4);
  herd::escalation e;
  e.work = herd::test::failed_task("e");
  e.reason = "policy";
  e.status = herd::escalation_status::resubmitted;
  BOOST_TEST((message_roundtrip(e) == e));
  herd::dead_letter_stats st;
  st.total = 3;
  st.by_reason["exhausted"] = 2;
  BOOST_TEST((message_roundtrip(st) == st));
}

BOOST_AUTO_TEST_CASE(workflow_types_roundtrip) {
  herd::workflow_definition def;
  def.name = "order";
  def.step("payment", "payment", "payments").compensation = "refund";
  def.steps.back().own_policy = true;
  def.steps.back().policy = herd::failure_policy::preset("payment");
  def.person("approve").critical = false;
  BOOST_TEST((message_roundtrip(def) == def));
  herd::workflow_record r;
  r.id = "o-1";
  r.workflow = "order";
  r.input = R"({"sku":"a"})";
  r.status = herd::workflow_status::waiting;
  r.executions = 2;
  r.stored_bytes = 40;
  r.warned_bytes = true;
  herd::step_record s;
  s.name = "payment";
  s.state = herd::step_state::compensated;
  s.attempts = 3;
  s.runs = 2;
  s.result = R"({"charged":10})";
  s.started_ms = 1000;
  s.ended_ms = 2000;
  r.steps.push_back(s);
  BOOST_TEST((message_roundtrip(r) == r));
}

BOOST_AUTO_TEST_CASE(task_json_roundtrips) {
  auto t = sample_task();
  nlohmann::json j = t;
  auto back = j.get<herd::task>();
  BOOST_TEST((back == t));
}

BOOST_AUTO_TEST_CASE(every_announced_type_crosses_a_process_boundary) {
  // Each type of the one announced list, in a type-erased message as the middleman sends it,
  // comes back as the same type (and equal, where the type compares).
  std::set<std::string> names;
  size_t types = 0;
  herd::for_each_announced_type([&](auto type, const char* name) {
    using value_type = typename decltype(type)::type;
    BOOST_TEST_CONTEXT(name) {
      BOOST_TEST(names.insert(name).second);
      BOOST_TEST(sys.types().portable_name(caf::make_rtti_pair<value_type>()) == name);
      value_type original{};
      auto copy = message_roundtrip(original);
      if constexpr (boost::has_equal_to<value_type>::value)
        BOOST_TEST((copy == original));
    }
    ++types;
  });
  BOOST_TEST(types >= 30u);
}

BOOST_AUTO_TEST_CASE(node_registration_and_info_roundtrip) {
  herd::node_registration r;
  r.credentials.app_id = "herd";
  r.credentials.secret = "s3cret";
  r.name = "alpha";
  r.pool = "remote";
  // Live agent handles cross in the distribution_fleet suite (real processes); here, a slot.
  r.agents = {caf::actor{}};
  auto copy = message_roundtrip(r);
  BOOST_TEST((copy == r));
  BOOST_TEST(copy.agents.size() == 1u);
  BOOST_TEST((message_roundtrip(r.credentials) == r.credentials));
  herd::node_info info;
  info.name = "alpha";
  info.pool = "remote";
  info.agents = {"remote-1", "remote-2"};
  info.registered_ms = 1000;
  info.last_contact_ms = 2000;
  info.connected = false;
  info.lost_reason = "connection lost";
  BOOST_TEST((message_roundtrip(info) == info));
  BOOST_TEST((message_roundtrip(std::vector<herd::node_info>{info, info}).size() == 2u));
}

BOOST_AUTO_TEST_CASE(every_error_category_renders_by_name) {
  herd::for_each_error_category([&](caf::atom_value category, herd::error_renderer) {
    caf::error e{1, category};
    auto text = sys.render(e);
    BOOST_TEST_CONTEXT(caf::to_string(category) << ": " << text) {
      // CAF renders a category nobody registered as "error(code, category)".
      BOOST_TEST(!text.empty());
      BOOST_TEST(text.find("error(") == std::string::npos);
    }
  });
}

BOOST_AUTO_TEST_SUITE_END()
