#include "herd/simulation/live_herd.hpp"

#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <thread>

#include <caf/send.hpp>
#include <unistd.h>

#include "herd/runtime/runtime.hpp"
#include "herd/simulation/calling_agent.hpp"
#include "herd/simulation/herd_simulation.hpp"
#include "herd/simulation/task_source.hpp"

namespace herd {

namespace {

const char* const service_name = herd_simulation::service();

/// A folder of its own for the run's dead-letter database, removed with everything in it.
class scratch_folder {
public:
  scratch_folder() {
    static std::atomic<uint64_t> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("herd-live-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    std::filesystem::create_directories(path_);
  }
  ~scratch_folder() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  scratch_folder(const scratch_folder&) = delete;
  scratch_folder& operator=(const scratch_folder&) = delete;
  const std::filesystem::path& path() const { return path_; }

private:
  std::filesystem::path path_;
};

} // namespace

live_herd::live_herd(const scenario& config, std::string strategy, const arrival_schedule& arrivals,
                     mock_llm_server& mock, std::shared_ptr<run_recorder> recorder)
    : config_(&config), strategy_(std::move(strategy)), arrivals_(&arrivals), mock_(&mock),
      recorder_(std::move(recorder)) {}

bool live_herd::run(double wall_limit_s, const progress_fn& progress) {
  const auto& s = *config_;
  scratch_folder scratch;
  auto rc = herd_simulation::configure(s, strategy_ == "herd_blind");
  rc.dead_letters->db = (scratch.path() / "dead_letters.db").string();
  // One connection per agent at most, as the classic fleet has: herd is not held back by the
  // client's default cap per host, nor helped by it.
  rc.http_client.max_connections_per_host = static_cast<int32_t>(s.agents);
  rc.http_client.max_connections = static_cast<int32_t>(s.agents) + 16;
  std::optional<herd::runtime> rt{std::in_place, rc};
  mock_->start("127.0.0.1", 0);
  http_service_config service;
  service.type = "openai";
  service.base_url = mock_->url();
  service.model = "mock-small";
  service.api_key_required = false;
  rt->add_http_service(service_name, service);
  auto breaker = rt->breaker_for(service_name);
  if (!breaker)
    throw std::runtime_error("herd simulate --live: no breaker: " +
                             rt->system().render(breaker.error()));
  rt->spawn_pool<calling_agent>("agents", static_cast<size_t>(s.agents), *breaker);
  auto& sys = rt->system();
  auto dispatcher = caf::actor_cast<caf::actor>(rt->dispatcher());
  auto start = sys.clock().now();
  auto source =
      sys.spawn<task_source>(dispatcher, arrivals_->times(), start, s.kind,
                             std::string{service_name}, recorder_, nlohmann::json("live run"));
  auto n = arrivals_->size();
  auto seconds = [&] { return std::chrono::duration<double>(sys.clock().now() - start).count(); };
  for (auto now_s = 0.0; recorder_->ended_total() < n && now_s < wall_limit_s; now_s = seconds()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    recorder_->close_until(std::floor(now_s));
    if (progress)
      progress(now_s);
  }
  recorder_->close_until(std::ceil(seconds()) + 1);
  auto stats = rt->stats();
  caf::anon_send_exit(source, caf::exit_reason::user_shutdown);
  rt->shutdown(from_ms(5000));
  rt.reset();
  return stats.balanced() && stats.pending() == 0 && stats.accepted == n &&
         stats.completed == recorder_->ended(task_end::completed) &&
         stats.dead_lettered == recorder_->ended(task_end::dead_lettered) &&
         stats.escalated == recorder_->ended(task_end::escalated);
}

} // namespace herd
