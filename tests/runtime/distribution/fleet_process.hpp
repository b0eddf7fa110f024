#pragma once

// A `herd worker` process for the multi-process tests: started with fork + exec, its output
// in a file, stopped or killed by signal, reaped with a timeout.
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <sched.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

namespace herd::test {

/// A child process running `herd ARGS...` with stdout and stderr in `log`.
class fleet_process {
public:
  /// Starts `HERD_CLI_PATH args...`, writing both streams to `log`; in the network namespace
  /// whose file is `netns` (e.g. /var/run/netns/NAME) unless it is empty.
  fleet_process(const std::vector<std::string>& args, std::string log, std::string netns = {})
      : log_(std::move(log)) {
    std::vector<std::string> argv_text{HERD_CLI_PATH};
    argv_text.insert(argv_text.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& arg : argv_text)
      argv.push_back(arg.data());
    argv.push_back(nullptr);
    pid_ = ::fork();
    if (pid_ == 0) {
      int fd = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (fd >= 0) {
        ::dup2(fd, 1);
        ::dup2(fd, 2);
        ::close(fd);
      }
      if (!netns.empty()) {
        int ns = ::open(netns.c_str(), O_RDONLY | O_CLOEXEC);
        if (ns < 0 || ::setns(ns, CLONE_NEWNET) != 0)
          std::_Exit(126);
      }
      ::execv(argv[0], argv.data());
      std::_Exit(127);
    }
  }
  /// Kills and reaps the process if it still runs.
  ~fleet_process() {
    if (pid_ > 0 && !exited_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  fleet_process(const fleet_process&) = delete;
  fleet_process& operator=(const fleet_process&) = delete;

  /// Its process id.
  pid_t pid() const { return pid_; }
  /// Sends `sig`.
  void signal(int sig) const { ::kill(pid_, sig); }
  /// Waits up to `timeout_ms` for the exit; its exit code, -1 for a signal, -2 for a timeout.
  int wait_exit(int64_t timeout_ms) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds{timeout_ms};
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        exited_ = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds{20});
    }
    return -2;
  }
  /// What it printed so far.
  std::string output() const {
    std::ifstream in{log_};
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

private:
  std::string log_;
  pid_t pid_ = -1;
  bool exited_ = false;
};

/// Runs `command` through the shell, quietly; true if it succeeded (the tests' `ip` and
/// `openssl` steps).
inline bool shell(const std::string& command) {
  return std::system((command + " >/dev/null 2>&1").c_str()) == 0;
}

/// Polls `done` every 20 ms until it holds or `timeout_ms` passed (real processes: no
/// virtual time); returns its last answer.
template <class F>
bool eventually(F done, int64_t timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds{timeout_ms};
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline)
      return done();
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
  }
  return true;
}

} // namespace herd::test
