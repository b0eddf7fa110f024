#include "stop_signals.hpp"

#include <pthread.h>

namespace herd::cli {

stop_signals::stop_signals() {
  sigemptyset(&signals_);
  sigaddset(&signals_, SIGINT);
  sigaddset(&signals_, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals_, &previous_);
}

stop_signals::~stop_signals() {
  pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
}

const char* stop_signals::wait() {
  int signal = 0;
  sigwait(&signals_, &signal);
  return signal == SIGINT ? "SIGINT" : "SIGTERM";
}

} // namespace herd::cli
