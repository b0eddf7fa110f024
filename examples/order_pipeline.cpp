// order_pipeline: a durable workflow (issue #16) as the seed tells it. Each order runs the steps
// validate -> inventory -> reserve -> payment -> confirmation email -> analytics, each a task
// kind with its own failure policy, each step's result committed to SQLite before the next runs:
//
//   validate   a bad order goes to a person at once; the person's fix is the step's result
//   inventory  a timeout is retried; still failing after 3 attempts: support (a person)
//   reserve    stock unavailable: a person decides (no retry); undone by "release"
//   payment    never retried: a failure goes to a person at once; undone by "refund"
//   email      retried up to 10 times, then dead-lettered (and the order fails: undo!)
//   analytics  not critical, no retry: a failure is recorded and the order completes
//
// Prints how each order ended and what each step did. The runs live in a temp SQLite file;
// `herd workflow list --db FILE` and `herd workflow show RUN --db FILE` read it.
//
// Build it in your own project with:
//   find_package(herd REQUIRED)
//   target_link_libraries(order_pipeline PRIVATE herd::herd)
#include <atomic>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <unistd.h>

#include <herd/herd.hpp>

namespace {

/// A policy that never retries and sends every failure to `action`.
herd::failure_policy once(herd::terminal_action action) {
  herd::failure_policy p = herd::failure_policy::preset("default");
  p.max_attempts = 1;
  p.on_exhausted = action;
  p.on_non_retryable = action;
  return p;
}

/// Retries up to `attempts` in all with short backoff, then `action`.
herd::failure_policy retried(int32_t attempts, herd::terminal_action action) {
  herd::failure_policy p = herd::failure_policy::preset("default");
  p.max_attempts = attempts;
  p.backoff = {herd::backoff_kind::full_jitter, herd::from_ms(5), 2.0, herd::from_ms(20)};
  p.on_exhausted = action;
  p.on_non_retryable = action;
  return p;
}

herd::workflow_definition order_pipeline() {
  using herd::terminal_action;
  herd::workflow_definition def;
  def.name = "order";
  auto policy = [](herd::workflow_step& step, herd::failure_policy p) {
    step.own_policy = true;
    step.policy = std::move(p);
  };
  policy(def.step("validate", "validate", "validate"), once(terminal_action::escalate));
  policy(def.step("inventory", "inventory", "inventory"), retried(3, terminal_action::escalate));
  auto& reserve = def.step("reserve", "reserve", "reserve");
  reserve.compensation = "release";
  policy(reserve, once(terminal_action::escalate));
  auto& payment = def.step("payment", "payment", "payment");
  payment.compensation = "refund";
  policy(payment, once(terminal_action::escalate));
  policy(def.step("email", "email", "email"), retried(10, terminal_action::dead_letter));
  auto& analytics = def.step("analytics", "analytics", "analytics");
  analytics.critical = false;
  policy(analytics, once(terminal_action::dead_letter));
  return def;
}

/// The order of a step's task.
nlohmann::json order_of(const herd::task& t) {
  return t.payload_json()["input"];
}

/// Counts calls by key.
std::map<std::string, int>& calls() {
  static std::map<std::string, int> n;
  return n;
}
std::mutex calls_mtx;

int call(const herd::task& t) {
  std::lock_guard<std::mutex> guard{calls_mtx};
  return ++calls()[t.id];
}

/// The step of `r` that waits for a person.
std::string waiting_step(const herd::workflow_record& r) {
  for (auto& s : r.steps)
    if (s.state == herd::step_state::waiting)
      return s.name;
  return "-";
}

void print(const herd::workflow_record& r) {
  std::cout << r.id << ": " << to_string(r.status);
  if (!r.failed_step.empty())
    std::cout << " at " << r.failed_step;
  std::cout << "\n";
  for (auto& s : r.steps) {
    std::cout << "  " << s.name << ": " << to_string(s.state);
    if (s.attempts > 0)
      std::cout << " after " << s.attempts << (s.attempts == 1 ? " attempt" : " attempts");
    if (s.state == herd::step_state::completed)
      std::cout << " -> " << s.result;
    std::cout << "\n";
  }
}

} // namespace

int main() {
  auto db = (std::filesystem::temp_directory_path() /
             ("order-pipeline-" + std::to_string(::getpid()) + ".db"))
                .string();
  auto def = order_pipeline();
  herd::runtime_config config;
  config.log_level = "error";
  for (auto& [kind, policy] : def.policies()) // policies are fixed when the runtime boots
    config.policies[kind] = policy;
  config.policies["release"] = once(herd::terminal_action::dead_letter);
  config.policies["refund"] = once(herd::terminal_action::dead_letter);
  herd::dead_letter_queue_config dead_letters;
  dead_letters.db = db; // the escalations, dead letters and workflow runs
  config.dead_letters = dead_letters;
  int rc = 0;
  {
    herd::runtime rt{config};
    // One rule agent per task kind stands in for the real work; each step's handler gets the
    // idempotency key "<run>/<step>" in its payload for the calls it makes downstream.
    rt.add_rule("validate", [](const herd::task& t) {
      auto order = order_of(t);
      if (order.value("quantity", 0) <= 0)
        return herd::outcome::fail(herd::failure::permanent("bad order: quantity 0"));
      return herd::outcome::success({{"valid", true}});
    });
    rt.add_rule("inventory", [](const herd::task& t) {
      if (order_of(t).value("slow_inventory", false) && call(t) <= 2)
        return herd::outcome::fail(herd::failure::timeout("warehouse API timed out"));
      return herd::outcome::success({{"in_stock", 7}});
    });
    rt.add_rule("reserve", [](const herd::task& t) {
      return herd::outcome::success(
          {{"reservation", "R-" + t.payload_json()["run"].get<std::string>()}});
    });
    rt.add_rule("payment", [](const herd::task& t) {
      if (order_of(t).value("card", "") == "declined")
        return herd::outcome::fail(herd::failure::permanent("card declined"));
      // The quantity a person fixed in validate wins over the order's.
      auto validated = t.payload_json()["results"]["validate"];
      auto quantity = validated.value("quantity", order_of(t).value("quantity", 0));
      return herd::outcome::success({{"charged", quantity * 10}});
    });
    rt.add_rule("email", [](const herd::task& t) {
      if (order_of(t).value("email", "") == "bounces") {
        call(t);
        return herd::outcome::fail(herd::failure::transient("SMTP 451: try again later"));
      }
      return herd::outcome::success({{"sent", true}});
    });
    rt.add_rule("analytics", [](const herd::task&) {
      return herd::outcome::fail(herd::failure::unavailable("analytics warehouse offline"));
    });
    rt.add_rule("release", [](const herd::task&) { return herd::outcome::success("released"); });
    rt.add_rule("refund", [](const herd::task&) { return herd::outcome::success("refunded"); });
    if (auto err = rt.register_workflow(def)) {
      std::cerr << "register: " << rt.system().render(err) << "\n";
      return 1;
    }

    std::map<std::string, nlohmann::json> orders = {
        {"order-1", {{"quantity", 2}}},
        {"order-2", {{"quantity", 0}}},
        {"order-3", {{"quantity", 1}, {"slow_inventory", true}}},
        {"order-4", {{"quantity", 1}, {"card", "declined"}}},
        {"order-5", {{"quantity", 3}, {"email", "bounces"}}},
    };
    // What the person decides when an order waits for one.
    std::map<std::string, nlohmann::json> decisions = {
        {"order-2", {{"valid", true}, {"quantity", 1}, {"fixed_by", "ops"}}},
        {"order-4", {{"charged", 10}, {"paid_by", "phone"}}},
    };
    for (auto& [id, input] : orders) {
      auto r = rt.start_workflow("order", id, input);
      if (r)
        r = rt.await_workflow(id, herd::from_ms(30000));
      while (r && r->status == herd::workflow_status::waiting) {
        std::cout << id << ": waits for a person at " << waiting_step(*r) << "\n";
        r = rt.resume_workflow(id, decisions[id], "decided in the example");
        if (r)
          r = rt.await_workflow(id, herd::from_ms(30000));
      }
      if (!r) {
        std::cerr << id << ": " << rt.system().render(r.error()) << "\n";
        rc = 1;
        continue;
      }
      print(*r);
    }
    std::cout << "email attempts for order-5: " << calls()["order-5/email"] << "\n";
    rt.shutdown(herd::from_ms(5000));
  }
  std::cout << "runs stored in " << db << " (herd workflow list --db " << db << ")\n";
  for (auto suffix : {"", "-wal", "-shm"})
    std::filesystem::remove(db + suffix);
  return rc;
}
