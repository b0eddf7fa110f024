// herd's HTTP path against a server herd did not write: Python's standard http.server
// (tests/actors/http/python_rate_limit_server.py) answering 429 and 503 with Retry-After, called
// through a real http_service actor on a real actor system and socket.
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <csignal>
#include <memory>
#include <string>

#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>

#include "herd/http/http_service.hpp"
#include "herd/http/json_http_codec.hpp"
#include "herd/runtime/announce.hpp"

using namespace std::chrono_literals;

namespace {

/// The Python server as a child process: started on a free port, stopped by closing its stdin.
class python_server {
public:
  python_server() {
    int to_child[2];
    int from_child[2];
    BOOST_REQUIRE(pipe(to_child) == 0 && pipe(from_child) == 0);
    pid_ = fork();
    BOOST_REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      dup2(to_child[0], STDIN_FILENO);
      dup2(from_child[1], STDOUT_FILENO);
      close(to_child[1]);
      close(from_child[0]);
      execlp("python3", "python3", HERD_TESTS_SOURCE_DIR "/actors/http/python_rate_limit_server.py",
             static_cast<char*>(nullptr));
      _exit(127);
    }
    close(to_child[0]);
    close(from_child[1]);
    stdin_ = to_child[1];
    stdout_ = from_child[0];
    std::string line;
    pollfd wait{stdout_, POLLIN, 0};
    char c = 0;
    while (line.find('\n') == std::string::npos && poll(&wait, 1, 10000) > 0 &&
           read(stdout_, &c, 1) == 1)
      line += c;
    BOOST_REQUIRE_MESSAGE(line.rfind("port ", 0) == 0, "python3 did not start: " + line);
    port_ = std::stoi(line.substr(5));
  }

  ~python_server() {
    close(stdin_);
    close(stdout_);
    int status = 0;
    for (int i = 0; i < 50 && waitpid(pid_, &status, WNOHANG) == 0; ++i)
      usleep(100 * 1000);
    if (waitpid(pid_, &status, WNOHANG) == 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
    }
  }

  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

private:
  pid_t pid_ = -1;
  int stdin_ = -1;
  int stdout_ = -1;
  int port_ = 0;
};

struct fixture {
  python_server server;
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  std::shared_ptr<herd::http_client> client = std::make_shared<herd::http_client>();
  herd::http_service_actor service;

  fixture() {
    herd::announce_types(cfg);
    sys = std::make_unique<caf::actor_system>(cfg);
    herd::http_endpoint endpoint;
    endpoint.base_url = server.base_url();
    endpoint.total_timeout = 5s;
    service = sys->spawn<herd::http_service>(
        "python", client, std::make_shared<herd::json_http_codec>(std::move(endpoint)));
  }

  ~fixture() {
    caf::anon_send_exit(service, caf::exit_reason::user_shutdown);
    client->stop();
  }

  herd::outcome call(const std::string& path) {
    caf::scoped_actor self{*sys};
    herd::outcome result;
    self->request(service, std::chrono::seconds(10), herd::call_atom::value,
                  std::string{R"({"method": "GET", "path": ")"} + path + "\"}")
        .receive([&](herd::outcome& x) { result = std::move(x); },
                 [&](caf::error& e) { BOOST_FAIL("no outcome: " + sys->render(e)); });
    return result;
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(http_external_server, fixture)

BOOST_AUTO_TEST_CASE(a_429_with_retry_after_seconds_is_rate_limited_for_that_long) {
  auto result = call("/429");
  BOOST_TEST(!result.ok());
  BOOST_TEST(herd::to_string(result.error.category) == "rate_limited");
  BOOST_TEST(result.error.status_code == 429);
  BOOST_TEST(result.error.service == "python");
  BOOST_TEST(herd::to_ms(result.error.retry_after) == 2000);
  BOOST_TEST(result.error.message.find("slow down") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_429_with_an_http_date_waits_until_that_date) {
  auto result = call("/429-date");
  BOOST_TEST(herd::to_string(result.error.category) == "rate_limited");
  // The date is 3 s after the server's clock, in whole seconds: 1-3 s from here.
  BOOST_TEST(herd::to_ms(result.error.retry_after) >= 1000);
  BOOST_TEST(herd::to_ms(result.error.retry_after) <= 3000);
}

BOOST_AUTO_TEST_CASE(a_503_with_retry_after_is_unavailable_and_keeps_the_wait) {
  auto result = call("/503");
  BOOST_TEST(herd::to_string(result.error.category) == "unavailable");
  BOOST_TEST(result.error.status_code == 503);
  BOOST_TEST(herd::to_ms(result.error.retry_after) == 1000);
}

BOOST_AUTO_TEST_CASE(a_200_completes_and_the_connection_is_kept_alive) {
  auto first = call("/ok");
  BOOST_REQUIRE(first.ok());
  BOOST_TEST(first.result_json()["body"]["ok"] == true);
  BOOST_TEST(call("/ok").ok());
  BOOST_TEST(herd::to_string(call("/404").error.category) == "permanent");
  BOOST_TEST(client->stats().connections_opened == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
