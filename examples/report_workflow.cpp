// report_workflow: a workflow resumed after a kill (issue #16). A weekly report runs four steps,
// fetch data -> analyze -> generate -> upload, each result committed to SQLite before the next
// step starts. The first process is SIGKILLed in the middle of "generate"; a second process on
// the same database registers the workflow, which resumes the unfinished run: fetch and analyze
// are not run again (their recorded results are fed forward), generate runs again (a step a crash
// interrupted is at-least-once, so it gets the idempotency key "<run>/<step>" for downstream
// calls) and upload finishes the run. Prints which process ran which step.
//
// Build it in your own project with:
//   find_package(herd REQUIRED)
//   target_link_libraries(report_workflow PRIVATE herd::herd)
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include <sys/wait.h>
#include <unistd.h>

#include <herd/herd.hpp>

namespace {

std::string temp_file(const std::string& name) {
  return (std::filesystem::temp_directory_path() / (name + "-" + std::to_string(::getpid())))
      .string();
}

herd::workflow_definition weekly_report() {
  herd::workflow_definition def;
  def.name = "weekly_report";
  for (auto step : {"fetch", "analyze", "generate", "upload"})
    def.step(step, "report_" + std::string{step}, "reports");
  return def;
}

/// Runs a runtime on `db`; the agents log "<process> <step>" lines to `journal`. When `crash` is
/// set, the process kills itself (SIGKILL: no cleanup, no shutdown) inside "generate".
int run(const std::string& db, const std::string& journal, const std::string& process, bool crash) {
  auto def = weekly_report();
  herd::runtime_config config;
  config.log_level = "error";
  config.fallback_policy = "read_only";
  config.workflows.db = db;
  herd::runtime rt{config};
  rt.add_rule("reports", [=](const herd::task& t) {
    auto payload = t.payload_json();
    auto step = payload["step"].get<std::string>();
    {
      std::ofstream log{journal, std::ios::app};
      log << process << " " << step << " key=" << payload["idempotency_key"].get<std::string>()
          << "\n";
    }
    if (crash && step == "generate")
      ::raise(SIGKILL);
    auto results = payload["results"];
    if (step == "fetch")
      return herd::outcome::success({{"rows", 1200}});
    if (step == "analyze")
      return herd::outcome::success({{"growth", 0.07}, {"rows", results["fetch"]["rows"]}});
    if (step == "generate")
      return herd::outcome::success(
          {{"pdf", "report-w48.pdf"}, {"growth", results["analyze"]["growth"]}});
    return herd::outcome::success(
        {{"url", "s3://reports/" + results["generate"]["pdf"].get<std::string>()}});
  });
  if (auto err = rt.register_workflow(def)) { // resumes the workflow's unfinished runs
    std::cerr << process << ": " << rt.system().render(err) << "\n";
    return 1;
  }
  auto r = rt.start_workflow("weekly_report", "week-48", {{"week", 48}});
  if (r)
    r = rt.await_workflow("week-48", herd::from_ms(30000));
  if (!r) {
    std::cerr << process << ": " << rt.system().render(r.error()) << "\n";
    return 1;
  }
  std::cout << process << ": run week-48 " << to_string(r->status) << "\n";
  for (auto& s : r->steps)
    std::cout << "  " << s.name << ": " << to_string(s.state) << ", " << s.runs
              << (s.runs == 1 ? " run" : " runs") << " -> " << s.result << "\n";
  rt.shutdown(herd::from_ms(2000));
  return r->status == herd::workflow_status::completed ? 0 : 1;
}

} // namespace

int main() {
  auto db = temp_file("report-workflow") + ".db";
  auto journal = temp_file("report-workflow") + ".log";
  // The first process: killed in the middle of "generate".
  auto child = ::fork();
  if (child == 0)
    ::_exit(run(db, journal, "first", true));
  int status = 0;
  ::waitpid(child, &status, 0);
  bool killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
  std::cout << "first process: " << (killed ? "killed by SIGKILL in generate" : "not killed?")
            << "\n";
  // The second process: the same database, the same code.
  auto rc = run(db, journal, "second", false);
  std::cout << "steps run, in order:\n";
  std::ifstream in{journal};
  for (std::string line; std::getline(in, line);)
    std::cout << "  " << line << "\n";
  for (auto suffix : {"", "-wal", "-shm"})
    std::filesystem::remove(db + suffix);
  std::filesystem::remove(journal);
  return killed ? rc : 1;
}
