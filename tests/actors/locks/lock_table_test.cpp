// The lock table without a scheduler: exclusive holders, FIFO waiters, leases, fencing tokens,
// stale holders, bounded waits and holders that die or are isolated.
#include <boost/test/unit_test.hpp>

#include "herd/core/config_error.hpp"
#include "herd/core/json_reader.hpp"
#include "herd/locks/lock_table.hpp"

using herd::duration;
using herd::failure_category;
using herd::from_ms;
using herd::lock_reply;
using herd::lock_table;
using herd::time_point;

namespace {

/// Leases of 1 s, two waiters per lock, waits of 5 s.
herd::locks_config small_config() {
  herd::locks_config c;
  c.lease = from_ms(1000);
  c.max_waiters = 2;
  c.wait_timeout = from_ms(5000);
  return c;
}

struct table_fixture {
  lock_table table{small_config()};
  time_point now = time_point{} + from_ms(1000000);
  uint64_t tickets = 0;

  /// Acquires `name` for `holder`; the reply, or none when queued (its ticket is `tickets`).
  std::optional<lock_reply> acquire(const std::string& name, const std::string& holder,
                                    duration lease = duration{0}, duration wait = duration{0}) {
    return table.acquire(name, holder, lease, wait, ++tickets, now);
  }

  /// The one answer given since the last call.
  lock_table::answer only_answer() {
    auto answers = table.take_answers();
    BOOST_REQUIRE_EQUAL(answers.size(), 1u);
    return answers.front();
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(lock_table_suite, table_fixture)

BOOST_AUTO_TEST_CASE(a_free_lock_is_granted_with_a_lease_and_a_token) {
  auto r = acquire("account:1", "a");
  BOOST_REQUIRE(r && r->ok);
  BOOST_TEST(r->grant.name == "account:1");
  BOOST_TEST(r->grant.token > 0u);
  BOOST_TEST((r->grant.expires == now + from_ms(1000)));
  BOOST_TEST(table.held() == 1u);
  // Another lock is independent.
  auto other = acquire("account:2", "b");
  BOOST_REQUIRE(other && other->ok);
  BOOST_TEST(table.held() == 2u);
}

BOOST_AUTO_TEST_CASE(a_held_lock_is_exclusive_and_waiters_get_it_first_come_first_served) {
  auto first = acquire("r", "a");
  BOOST_REQUIRE(first && first->ok);
  BOOST_TEST(!acquire("r", "b")); // ticket 2
  BOOST_TEST(!acquire("r", "c")); // ticket 3
  BOOST_TEST(table.waiting() == 2u);
  BOOST_TEST(table.take_answers().empty());
  auto released = table.release("r", first->grant.token, now);
  BOOST_TEST(released.ok);
  auto second = only_answer();
  BOOST_TEST(second.ticket == 2u);
  BOOST_REQUIRE(second.reply.ok);
  BOOST_TEST(second.reply.grant.token > first->grant.token);
  BOOST_TEST(table.release("r", second.reply.grant.token, now).ok);
  auto third = only_answer();
  BOOST_TEST(third.ticket == 3u);
  BOOST_TEST(third.reply.grant.token > second.reply.grant.token);
  BOOST_TEST(table.held() == 1u);
  BOOST_TEST(table.waiting() == 0u);
}

BOOST_AUTO_TEST_CASE(an_expired_lease_passes_the_lock_to_the_next_waiter_with_a_higher_token) {
  auto first = acquire("r", "a");
  BOOST_TEST(!acquire("r", "b"));
  BOOST_TEST((table.next_deadline() == now + from_ms(1000)));
  now += from_ms(999);
  table.expire(now);
  BOOST_TEST(table.take_answers().empty());
  now += from_ms(1);
  table.expire(now);
  auto next = only_answer();
  BOOST_REQUIRE(next.reply.ok);
  BOOST_TEST(next.reply.grant.token > first->grant.token);
  BOOST_TEST((next.reply.grant.expires == now + from_ms(1000)));
  BOOST_TEST(table.expiries() == 1u);
}

BOOST_AUTO_TEST_CASE(a_stale_holder_is_told_it_lost_the_lock) {
  auto first = acquire("r", "a");
  now += from_ms(1000);
  table.expire(now);
  auto second = acquire("r", "b");
  BOOST_REQUIRE(second && second->ok);
  for (auto reply : {table.release("r", first->grant.token, now),
                     table.renew("r", first->grant.token, duration{0}, now),
                     table.check("r", first->grant.token)}) {
    BOOST_TEST(!reply.ok);
    BOOST_TEST((reply.error.category == failure_category::timeout));
    BOOST_TEST(reply.error.reason == "lock_lost");
  }
  // The stale release changed nothing: b still holds the lock.
  BOOST_TEST(table.check("r", second->grant.token).ok);
  BOOST_TEST(table.held() == 1u);
  // A token never handed out is a permanent error, not a lost lock.
  auto bogus = table.release("r", second->grant.token + 100, now);
  BOOST_TEST(bogus.error.reason == "lock_unknown_token");
  BOOST_TEST((bogus.error.category == failure_category::permanent));
}

BOOST_AUTO_TEST_CASE(a_renewal_extends_the_lease) {
  auto r = acquire("r", "a");
  now += from_ms(900);
  auto renewed = table.renew("r", r->grant.token, from_ms(2000), now);
  BOOST_REQUIRE(renewed.ok);
  BOOST_TEST((renewed.grant.expires == now + from_ms(2000)));
  now += from_ms(1500);
  table.expire(now);
  BOOST_TEST(table.check("r", r->grant.token).ok);
  now += from_ms(500);
  table.expire(now);
  BOOST_TEST(!table.check("r", r->grant.token).ok);
  BOOST_TEST(table.held() == 0u);
}

BOOST_AUTO_TEST_CASE(a_full_wait_queue_is_a_rate_limited_failure_with_the_remaining_lease) {
  acquire("r", "a", from_ms(3000));
  BOOST_TEST(!acquire("r", "b"));
  BOOST_TEST(!acquire("r", "c"));
  now += from_ms(1000);
  auto refused = acquire("r", "d");
  BOOST_REQUIRE(refused);
  BOOST_TEST(!refused->ok);
  BOOST_TEST((refused->error.category == failure_category::rate_limited));
  BOOST_TEST(refused->error.reason == "lock_queue_full");
  BOOST_TEST(refused->error.retry_after.count() == from_ms(2000).count());
  BOOST_TEST(table.queue_full() == 1u);
  BOOST_TEST(table.waiting() == 2u);
}

BOOST_AUTO_TEST_CASE(a_wait_that_runs_out_is_a_timeout_failure) {
  acquire("r", "a", from_ms(60000));
  BOOST_TEST(!acquire("r", "b", duration{0}, from_ms(300)));
  BOOST_TEST(!acquire("r", "c")); // waits 5 s
  now += from_ms(300);
  table.expire(now);
  auto timed_out = only_answer();
  BOOST_TEST(timed_out.ticket == 2u);
  BOOST_TEST(!timed_out.reply.ok);
  BOOST_TEST((timed_out.reply.error.category == failure_category::timeout));
  BOOST_TEST(timed_out.reply.error.reason == "lock_wait_timeout");
  BOOST_TEST(table.waiting() == 1u);
  BOOST_TEST(table.wait_timeouts() == 1u);
}

BOOST_AUTO_TEST_CASE(a_holder_that_dies_loses_its_locks_and_waits) {
  auto held = acquire("r1", "a");
  acquire("r2", "a");
  acquire("r3", "b");
  BOOST_TEST(!acquire("r1", "b")); // ticket 4: gets r1 when a dies
  BOOST_TEST(!acquire("r3", "a")); // ticket 5: a's wait, dropped
  BOOST_TEST(table.release_holder("a", now) == 2u);
  auto answers = table.take_answers();
  BOOST_REQUIRE_EQUAL(answers.size(), 2u);
  for (auto& a : answers) {
    if (a.ticket == 4u) {
      BOOST_TEST(a.reply.ok);
      BOOST_TEST(a.reply.grant.token > held->grant.token);
    } else {
      BOOST_TEST(a.ticket == 5u);
      BOOST_TEST(a.reply.error.reason == "lock_holder_gone");
    }
  }
  BOOST_TEST(table.held() == 2u); // r1 (b), r3 (b)
  BOOST_TEST(table.waiting() == 0u);
  BOOST_TEST(table.revocations() == 2u);
}

BOOST_AUTO_TEST_CASE(tokens_strictly_increase_across_every_lock_and_start_where_told) {
  lock_table later{small_config(), 5000};
  uint64_t last = 0;
  for (int i = 0; i < 50; ++i) {
    auto r = later.acquire("r" + std::to_string(i % 3), "h", duration{0}, duration{0}, i, now);
    if (r && r->ok) {
      BOOST_TEST(r->grant.token >= 5000u);
      BOOST_TEST(r->grant.token > last);
      last = r->grant.token;
      later.release(r->grant.name, r->grant.token, now);
    }
  }
  BOOST_TEST(later.grants() == 50u);
}

BOOST_AUTO_TEST_CASE(clear_answers_every_waiter) {
  acquire("r", "a");
  BOOST_TEST(!acquire("r", "b"));
  table.clear();
  auto a = only_answer();
  BOOST_TEST(a.reply.error.reason == "lock_manager_stopped");
  BOOST_TEST(table.held() == 0u);
  BOOST_TEST((table.next_deadline() == time_point::max()));
}

BOOST_AUTO_TEST_CASE(the_config_reads_its_json_form_and_names_bad_fields) {
  auto doc = nlohmann::json::parse(R"({"lease_ms": 500, "max_waiters": 3, "wait_timeout_ms": 0})");
  auto c = herd::locks_config::from_json(herd::json_reader{doc, "/locks"});
  BOOST_TEST(c.lease.count() == from_ms(500).count());
  BOOST_TEST(c.max_waiters == 3u);
  BOOST_TEST(c.wait_timeout.count() == 0);
  BOOST_TEST(c.to_json() == doc);
  auto expect_error = [](const char* text, const std::string& path) {
    auto bad = nlohmann::json::parse(text);
    try {
      herd::locks_config::from_json(herd::json_reader{bad, "/locks"});
      BOOST_ERROR("no error for " << text);
    } catch (const herd::config_error& e) {
      BOOST_TEST(std::string{e.what()}.find(path) != std::string::npos, e.what());
    }
  };
  expect_error(R"({"lease_ms": 0})", "/locks/lease_ms");
  expect_error(R"({"max_waiters": -1})", "/locks/max_waiters");
  expect_error(R"({"wait_timeout_ms": "soon"})", "/locks/wait_timeout_ms");
  expect_error(R"({"lease": 5})", "/locks/lease");
}

BOOST_AUTO_TEST_SUITE_END()
