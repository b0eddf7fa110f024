#pragma once

#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "actors/test_agents.hpp"
#include "dispatch/dispatcher.hpp"
#include "herd/dispatch/protocol.hpp"
#include "herd/supervision/protocol.hpp"
#include "herd/supervision/supervision_event.hpp"
#include "herd/supervision/supervisor.hpp"
#include "virtual_time_fixture.hpp"

namespace herd::test {

/// Takes `work` of virtual time per task (one at a time, in order), counts every run by task
/// id and reports `resident_bytes()` from a shared cell.
class timed_agent : public agent {
public:
  timed_agent(caf::actor_config& cfg, run_counter runs, duration work,
              std::shared_ptr<uint64_t> bytes)
      : agent(cfg), runs_(std::move(runs)), work_(work), bytes_(std::move(bytes)) {}

  uint64_t resident_bytes() const override { return bytes_ ? *bytes_ : 0; }

protected:
  void handle_async(const task& t, task_completion done) override {
    ++(*runs_)[t.id];
    pending_.push_back(done);
    delayed_send(this, work_, call_atom::value);
  }

  caf::message_handler extra_handlers() override {
    return {[this](call_atom) {
      if (pending_.empty())
        return;
      auto done = pending_.front();
      pending_.pop_front();
      done.succeed("done");
    }};
  }

private:
  run_counter runs_;
  duration work_;
  std::shared_ptr<uint64_t> bytes_;
  std::deque<task_completion> pending_;
};

/// Records the supervision events it is sent.
inline caf::behavior event_recorder(caf::event_based_actor*,
                                    std::shared_ptr<std::vector<supervision_event>> events) {
  return {
      [events](sup_event_atom, const supervision_event& e) { events->push_back(e); },
      [](restarted_atom, const std::string&, const caf::actor&, const caf::actor&) {},
  };
}

/// A dispatcher and a pool "p" of timed agents under a supervisor, on the test coordinator; an
/// event recorder subscribed to the supervisor.
struct pool_fixture : virtual_time_fixture {
  dispatcher_config config;
  run_counter runs = std::make_shared<std::map<std::string, int>>();
  std::shared_ptr<uint64_t> bytes = std::make_shared<uint64_t>(0);
  std::shared_ptr<std::vector<supervision_event>> events =
      std::make_shared<std::vector<supervision_event>>();
  duration work = from_ms(1000);
  int32_t concurrency = 1;
  recycle_policy recycling;
  dispatcher_actor dispatcher;
  caf::actor sup;
  caf::actor recorder;
  std::vector<caf::actor> extra; // stopped at the end too
  int next_agent = 0;
  int submitted = 0;

  pool_fixture() {
    config.lease_timeout = from_ms(600000);
    config.intake_capacity = 10000;
    dispatcher = sys.spawn<herd::dispatcher>(config, metrics, failed_attempts::end_task);
    recorder = sys.spawn(event_recorder, events);
  }

  ~pool_fixture() {
    for (auto& x : extra)
      caf::anon_send_exit(x, caf::exit_reason::kill);
    if (sup)
      caf::anon_send_exit(sup, caf::exit_reason::kill);
    caf::anon_send_exit(dispatcher, caf::exit_reason::kill);
    caf::anon_send_exit(recorder, caf::exit_reason::kill);
    vt.run();
  }

  /// The spec of a fresh agent of pool "p", named "p-<n>", joining the dispatcher at each start.
  child_spec agent_spec() {
    auto name = "p-" + std::to_string(++next_agent);
    child_spec spec;
    spec.id = name;
    spec.shutdown_timeout = from_ms(1000);
    spec.start = [this, name](caf::actor_system& s) {
      auto a = s.spawn<timed_agent>(runs, work, bytes);
      agent_settings settings;
      settings.name = name;
      settings.pool = "p";
      settings.recycling = recycling;
      caf::anon_send(a, setup_atom::value, settings);
      caf::anon_send(dispatcher, join_atom::value, std::string{"p"}, a, name, concurrency);
      return a;
    };
    return spec;
  }

  /// Starts the pool's supervisor with `n` agents.
  void start_pool(int n) {
    std::vector<child_spec> specs;
    for (int i = 0; i < n; ++i)
      specs.push_back(agent_spec());
    supervisor_config sc;
    sc.name = "pool:p";
    sup = caf::actor_cast<caf::actor>(sys.spawn<supervisor>(sc, std::move(specs), metrics));
    caf::anon_send(sup, subscribe_atom::value, recorder);
    vt.run();
  }

  /// Submits `n` tasks "t<k>" to pool "p"; their outcomes go to `self`.
  void submit(int n) {
    for (int i = 0; i < n; ++i)
      self->send(dispatcher, submit_atom::value,
                 task::make("t" + std::to_string(submitted++), "read_only", nullptr, "p"));
    vt.run();
  }

  /// The supervisor's running children.
  size_t running() {
    self->send(sup, children_atom::value);
    vt.run();
    auto kids = next<std::vector<caf::actor>>();
    BOOST_REQUIRE(kids);
    size_t n = 0;
    for (auto& k : *kids)
      n += k ? 1 : 0;
    return n;
  }

  /// The dispatcher's accounting.
  dispatcher_stats stats() {
    self->send(dispatcher, dispatcher_stats_atom::value);
    vt.run();
    auto s = next<dispatcher_stats>();
    BOOST_REQUIRE(s);
    return *s;
  }

  /// How many recorded events are of `kind`.
  size_t count(supervision_event_kind kind) const {
    size_t n = 0;
    for (auto& e : *events)
      n += e.kind == kind ? 1 : 0;
    return n;
  }

  /// True if every submitted task ran exactly once.
  bool each_ran_once() const {
    if (runs->size() != static_cast<size_t>(submitted))
      return false;
    for (auto& [id, n] : *runs)
      if (n != 1)
        return false;
    return true;
  }

  /// Drops the outcomes in `self`'s mailbox; returns how many there were.
  size_t drain_outcomes() {
    size_t n = 0;
    while (next<outcome>())
      ++n;
    return n;
  }
};

} // namespace herd::test
