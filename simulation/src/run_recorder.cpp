#include "herd/simulation/run_recorder.hpp"

#include <algorithm>
#include <cmath>

namespace herd {

run_recorder::second& run_recorder::at(double t_s) {
  auto index = static_cast<size_t>(std::max(0.0, std::floor(t_s)));
  if (index >= series_.size())
    series_.resize(index + 1);
  return series_[index];
}

void run_recorder::on_call(double t_s, bool ok) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto& s = at(t_s);
  ++s.calls;
  ++calls_;
  if (!ok) {
    ++s.failed;
    ++failed_;
  }
}

void run_recorder::on_arrival() {
  std::lock_guard<std::mutex> guard{mtx_};
  ++arrived_;
}

void run_recorder::on_end(double t_s, task_end how, double latency_s,
                          const std::string& served_by) {
  std::lock_guard<std::mutex> guard{mtx_};
  ++ended_[static_cast<size_t>(how)];
  last_end_ = std::max(last_end_, t_s);
  if (how == task_end::completed) {
    ++at(t_s).completed;
    latencies_.push_back(latency_s);
    ++served_[served_by];
  }
}

void run_recorder::close_until(double t_s) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto end = static_cast<size_t>(std::max(0.0, std::floor(t_s)));
  if (end > series_.size())
    series_.resize(end);
  auto ended = ended_[0] + ended_[1] + ended_[2] + ended_[3];
  for (; closed_ < end; ++closed_)
    series_[closed_].backlog = arrived_ - ended;
}

std::vector<run_recorder::second> run_recorder::series() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return {series_.begin(), series_.begin() + static_cast<std::ptrdiff_t>(closed_)};
}

uint64_t run_recorder::arrived() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return arrived_;
}

uint64_t run_recorder::ended(task_end how) const {
  std::lock_guard<std::mutex> guard{mtx_};
  return ended_[static_cast<size_t>(how)];
}

uint64_t run_recorder::ended_total() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return ended_[0] + ended_[1] + ended_[2] + ended_[3];
}

uint64_t run_recorder::calls() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return calls_;
}

uint64_t run_recorder::failed_calls() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return failed_;
}

std::vector<double> run_recorder::latencies() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return latencies_;
}

double run_recorder::last_end() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return last_end_;
}

std::map<std::string, uint64_t> run_recorder::served() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return served_;
}

} // namespace herd
