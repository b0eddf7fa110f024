#include "herd/journal/journal_writer.hpp"

#include <chrono>
#include <exception>
#include <future>

#include <spdlog/logger.h>

#include "herd/core/logging.hpp"
#include "herd/core/wall_time.hpp"
#include "herd/dead_letters/store_error.hpp"
#include "herd/journal/task_journal.hpp"

namespace herd {

journal_writer::journal_writer(std::unique_ptr<task_journal> journal, journal_config config,
                               std::shared_ptr<metrics_registry> metrics)
    : file_(journal->file()), config_(std::move(config)), journal_(std::move(journal)),
      log_(component_logger("journal")) {
  if (metrics) {
    commits_metric_ = &metrics->counter("herd_journal_commits_total",
                                        "Transactions the task journal committed (group commits)");
    errors_metric_ = &metrics->counter("herd_journal_write_errors_total",
                                       "Task journal batches that failed to commit");
    batch_metric_ =
        &metrics->histogram("herd_journal_batch_records", "Records per task journal commit", {},
                            {1, 4, 16, 64, 256, 1024, 4096, 16384});
    latency_metric_ = &metrics->histogram(
        "herd_journal_commit_seconds", "Time to write and sync one task journal commit", {},
        {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1});
    unfinished_metric_ = &metrics->gauge("herd_journal_unfinished_tasks",
                                         "Accepted tasks in the task journal not yet settled");
    unfinished_metric_->set(static_cast<double>(journal_->unfinished_count()));
  }
  pending_.reserve(1024);
  thread_ = std::thread{[this] { loop(); }};
}

journal_writer::~journal_writer() {
  close();
}

uint64_t journal_writer::append(journal_record&& x) {
  std::lock_guard<std::mutex> guard{mtx_};
  pending_.push_back(std::move(x));
  auto seq = ++appended_;
  if (pending_.size() == 1)
    wake_.notify_one();
  return seq;
}

uint64_t journal_writer::appended() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return appended_;
}

void journal_writer::listen(listener fn) {
  std::lock_guard<std::mutex> guard{mtx_};
  listener_ = std::move(fn);
}

void journal_writer::run(const std::function<void(task_journal&)>& fn) {
  std::promise<void> done;
  auto finished = done.get_future();
  {
    std::lock_guard<std::mutex> guard{mtx_};
    if (closed_ || stopping_)
      throw store_error(file_, "the journal is closed");
    jobs_.push_back(job{appended_, [&fn, &done](task_journal& journal) {
                          try {
                            fn(journal);
                            done.set_value();
                          } catch (...) {
                            done.set_exception(std::current_exception());
                          }
                        }});
    wake_.notify_one();
  }
  finished.get();
}

journal_recovery journal_writer::recover(int64_t max_completed) {
  journal_recovery result;
  run([&](task_journal& journal) { result = journal.recover(max_completed); });
  return result;
}

void journal_writer::flush() {
  run([](task_journal&) {});
}

void journal_writer::close() {
  {
    std::lock_guard<std::mutex> guard{mtx_};
    if (closed_)
      return;
    closed_ = true;
    stopping_ = true;
    wake_.notify_one();
  }
  if (thread_.joinable())
    thread_.join();
  journal_.reset(); // closes the file and releases the lock
}

void journal_writer::loop() {
  std::vector<journal_record> batch;
  batch.reserve(1024);
  for (;;) {
    std::vector<job> ready;
    uint64_t last = 0;
    listener tell;
    {
      std::unique_lock<std::mutex> lock{mtx_};
      wake_.wait(lock, [this] { return stopping_ || !pending_.empty() || !jobs_.empty(); });
      auto max_batch = static_cast<size_t>(config_.max_batch);
      if (pending_.size() <= max_batch) {
        batch.swap(pending_);
      } else {
        batch.assign(std::make_move_iterator(pending_.begin()),
                     std::make_move_iterator(pending_.begin() + max_batch));
        pending_.erase(pending_.begin(), pending_.begin() + max_batch);
      }
      taken_ += batch.size();
      last = taken_;
      for (auto i = jobs_.begin(); i != jobs_.end();) {
        if (i->after <= taken_) {
          ready.push_back(std::move(*i));
          i = jobs_.erase(i);
        } else {
          ++i;
        }
      }
      if (batch.empty() && ready.empty() && stopping_)
        return;
      tell = listener_;
    }
    if (!batch.empty()) {
      std::string error;
      auto start = std::chrono::steady_clock::now();
      try {
        journal_->write(batch, wall_now_ms());
      } catch (const std::exception& e) {
        error = e.what();
      }
      auto seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (error.empty()) {
        if (commits_metric_ != nullptr) {
          commits_metric_->inc();
          batch_metric_->observe(static_cast<double>(batch.size()));
          latency_metric_->observe(seconds);
          double delta = 0;
          for (auto& x : batch)
            if (x.what == journal_record::type::accepted)
              ++delta;
            else if (x.what == journal_record::type::settled &&
                     x.result.status != outcome_status::handed_back)
              --delta;
          unfinished_metric_->inc(delta);
        }
      } else {
        log_->error("task journal write of {} records failed: {}", batch.size(), error);
        if (errors_metric_ != nullptr)
          errors_metric_->inc();
      }
      if (tell)
        tell(last, error);
      batch.clear();
    }
    for (auto& j : ready)
      j.fn(*journal_);
  }
}

} // namespace herd
