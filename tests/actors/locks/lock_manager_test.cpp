// The lock manager actor in virtual time: holders are actors that ask for locks, hold them and
// release them; leases end on the actor clock, dead holders lose their locks, and the
// acquire-work-release helper releases also when the work fails.
#include <memory>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "herd/locks/lock_manager.hpp"
#include "herd/locks/locked_work.hpp"
#include "herd/locks/protocol.hpp"
#include "virtual_time_fixture.hpp"

using herd::duration;
using herd::failure_category;
using herd::from_ms;
using herd::lock_reply;

namespace {

using replies = std::shared_ptr<std::vector<lock_reply>>;

/// A holder: `(lock_acquire_atom, name, lease, wait)` and `(lock_release_atom, name, token)`
/// go to the manager from it; every reply lands in `out`.
caf::behavior holder(caf::event_based_actor* self, herd::lock_manager_actor locks, std::string who,
                     replies out) {
  auto keep = [out](lock_reply& r) { out->push_back(std::move(r)); };
  auto lost = [out](caf::error&) {
    out->push_back(lock_reply::failed(herd::failure::unknown("error")));
  };
  return {
      [=](herd::lock_acquire_atom, const std::string& name, duration lease, duration wait) {
        herd::lock_request r;
        r.name = name;
        r.holder_name = who;
        r.lease = lease;
        r.wait_timeout = wait;
        self->request(locks, caf::infinite, herd::lock_acquire_atom::value, r).then(keep, lost);
      },
      [=](herd::lock_release_atom, const std::string& name, uint64_t token) {
        self->request(locks, caf::infinite, herd::lock_release_atom::value, name, token)
            .then(keep, lost);
      },
  };
}

struct manager_fixture : herd::test::virtual_time_fixture {
  herd::locks_config config;
  herd::lock_manager_actor locks;

  manager_fixture() {
    config.lease = from_ms(1000);
    config.max_waiters = 2;
    config.wait_timeout = from_ms(5000);
    locks = sys.spawn<herd::lock_manager>(config, metrics);
  }

  ~manager_fixture() {
    caf::anon_send_exit(locks, caf::exit_reason::user_shutdown);
    vt.run();
  }

  /// A holder named `who` and the replies it gets.
  std::pair<caf::actor, replies> spawn_holder(const std::string& who) {
    auto out = std::make_shared<std::vector<lock_reply>>();
    return {sys.spawn(holder, locks, who, out), out};
  }

  /// `h` asks for `name` (lease and wait: the defaults unless given).
  void ask(const caf::actor& h, const std::string& name, duration lease = duration{0},
           duration wait = duration{0}) {
    caf::anon_send(h, herd::lock_acquire_atom::value, name, lease, wait);
    vt.run();
  }

  double metric(const std::string& name, const herd::metric_labels& labels = {}) {
    return metrics->total(name, labels);
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(lock_manager_suite, manager_fixture)

BOOST_AUTO_TEST_CASE(one_holder_at_a_time_and_waiters_in_order_with_rising_tokens) {
  auto [a, a_out] = spawn_holder("a");
  auto [b, b_out] = spawn_holder("b");
  auto [c, c_out] = spawn_holder("c");
  ask(a, "r");
  ask(b, "r");
  ask(c, "r");
  BOOST_REQUIRE_EQUAL(a_out->size(), 1u);
  BOOST_TEST(a_out->front().ok);
  BOOST_TEST(b_out->empty()); // waiting
  BOOST_TEST(c_out->empty());
  BOOST_TEST(metric("herd_locks_held") == 1.0);
  BOOST_TEST(metric("herd_lock_waiters") == 2.0);
  auto first = a_out->front().grant.token;
  caf::anon_send(a, herd::lock_release_atom::value, std::string{"r"}, first);
  vt.run();
  BOOST_REQUIRE_EQUAL(b_out->size(), 1u); // b came before c
  BOOST_TEST(c_out->empty());
  BOOST_TEST(b_out->front().grant.token > first);
  caf::anon_send(b, herd::lock_release_atom::value, std::string{"r"}, b_out->front().grant.token);
  vt.run();
  BOOST_REQUIRE_EQUAL(c_out->size(), 1u);
  BOOST_TEST(c_out->front().grant.token > b_out->front().grant.token);
  BOOST_TEST(metric("herd_lock_grants_total") == 3.0);
  BOOST_TEST(metric("herd_lock_waiters") == 0.0);
}

BOOST_AUTO_TEST_CASE(an_expired_lease_goes_to_the_next_waiter_and_the_stale_holder_hears_it) {
  auto [a, a_out] = spawn_holder("a");
  auto [b, b_out] = spawn_holder("b");
  ask(a, "r");
  ask(b, "r");
  vt.advance(from_ms(999));
  BOOST_TEST(b_out->empty());
  vt.advance(from_ms(1));
  BOOST_REQUIRE_EQUAL(b_out->size(), 1u);
  BOOST_TEST(b_out->front().ok);
  BOOST_TEST(b_out->front().grant.token > a_out->front().grant.token);
  BOOST_TEST(metric("herd_lock_expiries_total") == 1.0);
  // a, late, releases: it is told it lost the lock, and b keeps it.
  caf::anon_send(a, herd::lock_release_atom::value, std::string{"r"}, a_out->front().grant.token);
  vt.run();
  BOOST_REQUIRE_EQUAL(a_out->size(), 2u);
  BOOST_TEST(!a_out->back().ok);
  BOOST_TEST(a_out->back().error.reason == "lock_lost");
  BOOST_TEST((a_out->back().error.category == failure_category::timeout));
  self->send(locks, herd::lock_check_atom::value, std::string{"r"}, b_out->front().grant.token);
  vt.run();
  auto check = next<lock_reply>();
  BOOST_REQUIRE(check);
  BOOST_TEST(check->ok);
}

BOOST_AUTO_TEST_CASE(a_holder_that_dies_releases_its_lock_to_the_next_waiter) {
  auto [a, a_out] = spawn_holder("a");
  auto [b, b_out] = spawn_holder("b");
  ask(a, "r", from_ms(60000));
  ask(b, "r");
  caf::anon_send_exit(a, caf::exit_reason::kill);
  vt.run();
  BOOST_REQUIRE_EQUAL(b_out->size(), 1u);
  BOOST_TEST(b_out->front().ok);
  BOOST_TEST(b_out->front().grant.token > a_out->front().grant.token);
  BOOST_TEST(metric("herd_lock_revocations_total") == 1.0);
}

BOOST_AUTO_TEST_CASE(a_revoked_incarnation_loses_its_locks_and_a_later_one_keeps_its_own) {
  auto [old_a, old_out] = spawn_holder("agent-7");
  auto [b, b_out] = spawn_holder("b");
  auto [new_a, new_out] = spawn_holder("agent-7"); // restarted under the same name
  ask(old_a, "r", from_ms(60000));
  ask(b, "r");
  ask(new_a, "s", from_ms(60000));
  caf::anon_send(locks, herd::lock_revoke_atom::value, std::string{"agent-7"}, old_a.id());
  vt.run();
  BOOST_REQUIRE_EQUAL(b_out->size(), 1u);
  BOOST_TEST(old_out->front().ok);
  BOOST_TEST(b_out->front().ok); // r went to the next waiter
  BOOST_TEST(new_out->front().ok);
  BOOST_TEST(metric("herd_locks_held") == 2.0); // r by b, s still by the new incarnation
  BOOST_TEST(metric("herd_lock_revocations_total") == 1.0);
}

BOOST_AUTO_TEST_CASE(the_death_of_an_old_incarnation_spares_the_locks_of_a_new_one) {
  auto [old_a, old_out] = spawn_holder("agent-7");
  auto [new_a, new_out] = spawn_holder("agent-7");
  ask(old_a, "r", from_ms(60000));
  ask(new_a, "s", from_ms(60000));
  caf::anon_send_exit(old_a, caf::exit_reason::kill); // an abandoned hung incarnation, killed
  vt.run();
  BOOST_REQUIRE_EQUAL(old_out->size(), 1u);
  BOOST_REQUIRE_EQUAL(new_out->size(), 1u);
  BOOST_TEST(metric("herd_locks_held") == 1.0); // s, by the new incarnation
  BOOST_TEST(metric("herd_lock_revocations_total") == 1.0);
}

BOOST_AUTO_TEST_CASE(a_full_queue_and_a_wait_that_runs_out_are_classified_failures) {
  auto [a, a_out] = spawn_holder("a");
  auto [b, b_out] = spawn_holder("b");
  auto [c, c_out] = spawn_holder("c");
  auto [d, d_out] = spawn_holder("d");
  ask(a, "r", from_ms(60000));
  ask(b, "r", duration{0}, from_ms(200));
  ask(c, "r");
  ask(d, "r"); // a third waiter: max_waiters is 2
  BOOST_REQUIRE_EQUAL(d_out->size(), 1u);
  BOOST_TEST((d_out->front().error.category == failure_category::rate_limited));
  BOOST_TEST(d_out->front().error.reason == "lock_queue_full");
  BOOST_TEST(d_out->front().error.retry_after.count() > 0);
  vt.advance(from_ms(200));
  BOOST_REQUIRE_EQUAL(b_out->size(), 1u);
  BOOST_TEST((b_out->front().error.category == failure_category::timeout));
  BOOST_TEST(b_out->front().error.reason == "lock_wait_timeout");
  BOOST_TEST(c_out->empty()); // still waiting
  BOOST_TEST(metric("herd_lock_refusals_total", {{"reason", "queue_full"}}) == 1.0);
  BOOST_TEST(metric("herd_lock_refusals_total", {{"reason", "wait_timeout"}}) == 1.0);
}

BOOST_AUTO_TEST_CASE(waiters_hear_when_the_manager_stops) {
  auto [a, a_out] = spawn_holder("a");
  auto [b, b_out] = spawn_holder("b");
  ask(a, "r");
  ask(b, "r");
  caf::anon_send_exit(locks, caf::exit_reason::user_shutdown);
  vt.run();
  BOOST_REQUIRE_EQUAL(b_out->size(), 1u);
  BOOST_TEST(!b_out->front().ok);
  BOOST_TEST((b_out->front().error.category == failure_category::unavailable));
}

// -- acquire, work, release in one call ---------------------------------------------------------

namespace {

using outcomes = std::shared_ptr<std::vector<herd::outcome>>;

/// Runs `work` under lock "r" on each `(caf::ok_atom)`; outcomes land in `out`. A work that
/// keeps its `done` in `later` finishes on `(caf::get_atom)`.
caf::behavior worker(caf::event_based_actor* self, herd::lock_manager_actor locks,
                     herd::locked_work::work_fn work, outcomes out,
                     std::shared_ptr<std::function<void(herd::outcome)>> later) {
  return {
      [=](caf::ok_atom) {
        herd::lock_request r;
        r.name = "r";
        r.holder_name = "worker";
        herd::locked_work::run(self, locks, r, work,
                               [out](herd::outcome o) { out->push_back(std::move(o)); });
      },
      [=](caf::get_atom) {
        if (later && *later)
          (*later)(herd::outcome::success());
      },
  };
}

std::shared_ptr<std::function<void(herd::outcome)>> no_later() {
  return nullptr;
}

} // namespace

BOOST_AUTO_TEST_CASE(locked_work_passes_the_token_and_releases_after_success_and_failure) {
  auto out = std::make_shared<std::vector<herd::outcome>>();
  auto tokens = std::make_shared<std::vector<uint64_t>>();
  int calls = 0;
  auto work = [&, tokens](const herd::lock_grant& g, std::function<void(herd::outcome)> done) {
    tokens->push_back(g.token);
    BOOST_TEST(metric("herd_locks_held") == 1.0); // held while the work runs
    if (++calls == 2)
      throw std::runtime_error("disk full");
    done(herd::outcome::success(g.token));
  };
  auto w = sys.spawn(worker, locks, herd::locked_work::work_fn{work}, out, no_later());
  for (int i = 0; i < 2; ++i) {
    caf::anon_send(w, caf::ok_atom_v);
    vt.run();
  }
  BOOST_REQUIRE_EQUAL(out->size(), 2u);
  BOOST_TEST((*out)[0].ok());
  BOOST_TEST(((*out)[1].error.category == failure_category::unknown));
  BOOST_TEST((*out)[1].error.message.find("disk full") != std::string::npos);
  BOOST_TEST((*tokens)[1] > (*tokens)[0]);
  BOOST_TEST(metric("herd_locks_held") == 0.0); // released both times
  BOOST_TEST(metric("herd_lock_grants_total") == 2.0);
  caf::anon_send_exit(w, caf::exit_reason::user_shutdown);
}

BOOST_AUTO_TEST_CASE(locked_work_whose_lease_ran_out_reports_the_lost_lock) {
  auto out = std::make_shared<std::vector<herd::outcome>>();
  auto later = std::make_shared<std::function<void(herd::outcome)>>();
  auto work = [later](const herd::lock_grant&, std::function<void(herd::outcome)> done) {
    *later = std::move(done); // finishes on the worker's `(caf::get_atom)`, after the lease
  };
  auto w = sys.spawn(worker, locks, herd::locked_work::work_fn{work}, out, later);
  caf::anon_send(w, caf::ok_atom_v);
  vt.run();
  vt.advance(from_ms(1000));
  BOOST_TEST(metric("herd_lock_expiries_total") == 1.0);
  caf::anon_send(w, caf::get_atom_v);
  vt.run();
  BOOST_REQUIRE_EQUAL(out->size(), 1u);
  BOOST_TEST(out->front().error.reason == "lock_lost");
  BOOST_TEST((out->front().error.category == failure_category::timeout));
  caf::anon_send_exit(w, caf::exit_reason::user_shutdown);
}

BOOST_AUTO_TEST_CASE(locked_work_without_a_manager_fails_unavailable) {
  auto out = std::make_shared<std::vector<herd::outcome>>();
  herd::locked_work::work_fn work = [](const herd::lock_grant&,
                                       std::function<void(herd::outcome)> done) {
    done(herd::outcome::success());
  };
  auto w = sys.spawn(worker, herd::lock_manager_actor{}, work, out, no_later());
  caf::anon_send(w, caf::ok_atom_v);
  vt.run();
  BOOST_REQUIRE_EQUAL(out->size(), 1u);
  BOOST_TEST((out->front().error.category == failure_category::unavailable));
  caf::anon_send_exit(w, caf::exit_reason::user_shutdown);
}

BOOST_AUTO_TEST_SUITE_END()
