// A process writing dead letters is killed with SIGKILL: every letter it acknowledged is in the
// database afterwards, and the database is sound.
#include <csignal>
#include <cstdint>
#include <set>

#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>

#include "actors/dead_letters/dlq_test_support.hpp"
#include "herd/dead_letters/dead_letter_store.hpp"

using namespace herd;

namespace {

/// Reads one acknowledgement (the number of letters acknowledged so far); false at EOF.
bool read_ack(int fd, int64_t& acked) {
  auto* p = reinterpret_cast<char*>(&acked);
  size_t got = 0;
  while (got < sizeof(acked)) {
    auto n = ::read(fd, p + got, sizeof(acked) - got);
    if (n <= 0)
      return false;
    got += static_cast<size_t>(n);
  }
  return true;
}

/// The child: writes batches of letters forever, acknowledging each after its commit.
[[noreturn]] void write_until_killed(const std::string& db, int fd, int64_t batch_size) {
  try {
    dead_letter_store store{db};
    for (int64_t next = 0;;) {
      std::vector<dead_letter> batch;
      for (int64_t i = 0; i < batch_size; ++i, ++next)
        batch.push_back(test::letter("k-" + std::to_string(next), next));
      store.add(batch);
      if (::write(fd, &next, sizeof(next)) != sizeof(next))
        ::_exit(2);
    }
  } catch (...) {
    ::_exit(3);
  }
}

} // namespace

BOOST_AUTO_TEST_SUITE(dlq_crash)

BOOST_AUTO_TEST_CASE(every_acknowledged_letter_survives_sigkill) {
  test::temp_dir dir;
  auto db = dir.file("crash.db");
  int fds[2];
  BOOST_REQUIRE(::pipe(fds) == 0);
  auto child = ::fork();
  BOOST_REQUIRE(child >= 0);
  if (child == 0) {
    ::close(fds[0]);
    write_until_killed(db, fds[1], 16);
  }
  ::close(fds[1]);
  int64_t acked = 0;
  for (int i = 0; i < 50; ++i)
    BOOST_REQUIRE_MESSAGE(read_ack(fds[0], acked), "the writer died before it was killed");
  BOOST_REQUIRE(::kill(child, SIGKILL) == 0);
  int status = 0;
  BOOST_REQUIRE(::waitpid(child, &status, 0) == child);
  BOOST_TEST(WIFSIGNALED(status));
  // Acknowledgements written before the kill count too.
  for (int64_t more = 0; read_ack(fds[0], more);)
    acked = more;
  ::close(fds[0]);
  BOOST_TEST_MESSAGE(acked << " letters acknowledged before SIGKILL");
  dead_letter_store store{db, dead_letter_store::open_mode::existing};
  BOOST_TEST(store.integrity_check() == "ok");
  std::set<std::string> stored;
  for (auto& x : test::query(store, {}))
    stored.insert(x.work.id);
  int64_t missing = 0;
  for (int64_t i = 0; i < acked; ++i)
    missing += stored.count("k-" + std::to_string(i)) == 0 ? 1 : 0;
  BOOST_TEST(missing == 0);
  BOOST_TEST(static_cast<int64_t>(stored.size()) >= acked);
}

BOOST_AUTO_TEST_SUITE_END()
