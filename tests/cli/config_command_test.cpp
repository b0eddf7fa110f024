// `herd config`: what an operator sees for good and bad configuration files.
#include "config_command.hpp"
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "actors/dead_letters/dlq_test_support.hpp"
#include "herd/core/config_error.hpp"
#include "herd/runtime/runtime_config.hpp"

namespace {

struct config_fixture {
  herd::test::temp_dir dir;
  std::string out;
  std::string err;

  /// Writes `text` to `name` in the temporary folder; returns its path.
  std::string write(const std::string& name, const std::string& text) {
    auto path = dir.file(name);
    std::filesystem::create_directories(std::filesystem::path{path}.parent_path());
    std::ofstream{path} << text;
    return path;
  }

  /// Runs `herd config ARGS`; returns the exit code, output in `out` and `err`.
  int config(const std::vector<std::string>& args) {
    std::ostringstream o;
    std::ostringstream e;
    auto rc = herd::cli::run_config_command(args, o, e);
    out = o.str();
    err = e.str();
    return rc;
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(config_command, config_fixture)

BOOST_AUTO_TEST_CASE(show_prints_every_key_including_dead_letters) {
  BOOST_TEST(config({"show"}) == 0);
  auto shown = nlohmann::json::parse(out);
  BOOST_TEST(shown.contains("dead_letters"));
  BOOST_TEST(shown["dead_letters"].is_null());
  // What show prints reads back as the same configuration.
  auto file = write("shown.json", out);
  BOOST_TEST(config({"show", file}) == 0);
  BOOST_TEST(nlohmann::json::parse(out) == shown);
  BOOST_TEST(config({"show", write("dl.json", R"({"dead_letters": {"db": "/tmp/x.db"}})")}) == 0);
  BOOST_TEST(nlohmann::json::parse(out)["dead_letters"]["db"] == "/tmp/x.db");
}

BOOST_AUTO_TEST_CASE(a_relative_database_is_beside_the_config_file) {
  auto file = write("etc/herd/service.json", R"({"dead_letters": {"db": "letters.db"}})");
  auto config = herd::runtime_config::load(file);
  BOOST_TEST(config.dead_letters->db == dir.file("etc/herd/letters.db"));
  auto absolute = write("abs.json", R"({"dead_letters": {"db": "/var/lib/herd/letters.db"}})");
  BOOST_TEST(herd::runtime_config::load(absolute).dead_letters->db == "/var/lib/herd/letters.db");
  auto memory = write("mem.json", R"({"dead_letters": {"db": ":memory:"}})");
  BOOST_TEST(herd::runtime_config::load(memory).dead_letters->db == ":memory:");
}

BOOST_AUTO_TEST_CASE(deeply_nested_json_is_an_error_not_a_crash) {
  auto file =
      write("deep.json", "{\"retry\": " + std::string(70000, '[') + std::string(70000, ']') + "}");
  BOOST_TEST(config({"check", file}) == 1);
  BOOST_TEST(err.find("nested deeper than 64 levels") != std::string::npos);
  BOOST_TEST(err.size() < 500u);
  BOOST_TEST(config({"show", file}) == 1);
}

BOOST_AUTO_TEST_CASE(a_duplicate_key_is_an_error_naming_its_path) {
  auto file = write("dup.json", R"({"dispatcher": {"intake_capacity": 5, "intake_capacity": 6}})");
  BOOST_TEST(config({"check", file}) == 1);
  BOOST_TEST(err.find("/dispatcher/intake_capacity: duplicate key") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(min_calls_above_window_size_is_an_error_naming_its_path) {
  auto file =
      write("b.json", R"({"breakers": {"defaults": {"window_size": 10, "min_calls": 30}}})");
  BOOST_TEST(config({"check", file}) == 1);
  BOOST_TEST(err.find("/breakers/defaults/min_calls: expected an integer <= window_size (10)") !=
             std::string::npos);
  // Only the window size given: the default min_calls (20) does not fit it.
  file = write("w.json", R"({"breakers": {"defaults": {"window_size": 10}}})");
  BOOST_TEST(config({"check", file}) == 1);
  BOOST_TEST(err.find("/breakers/defaults/window_size: expected an integer >= min_calls (20)") !=
             std::string::npos);
  // A time window has no such bound.
  file = write("t.json", R"({"breakers": {"defaults": {"window": "time", "window_size": 10}}})");
  BOOST_TEST(config({"check", file}) == 0);
}

BOOST_AUTO_TEST_CASE(the_journal_is_checked_and_its_relative_file_is_beside_the_config) {
  auto file = write("etc/j.json", R"({"journal": {"durability": "sync", "file": "tasks.db"}})");
  BOOST_TEST(config({"check", file}) == 0);
  BOOST_TEST(herd::runtime_config::load(file).journal_file() == dir.file("etc/tasks.db"));
  auto bad = write("bad.json", R"({"journal": {"durability": "fsync"}})");
  BOOST_TEST(config({"check", bad}) == 1);
  BOOST_TEST(err.find("/journal/durability") != std::string::npos, err);
  std::filesystem::create_directories(dir.file("folder"));
  auto folder = write("folder.json", R"({"journal": {"durability": "sync", "file": "folder"}})");
  BOOST_TEST(config({"check", folder}) == 1);
  BOOST_TEST(err.find("/journal/file") != std::string::npos, err);
}

BOOST_AUTO_TEST_CASE(help_is_printed_and_exits_zero) {
  BOOST_TEST(config({"--help"}) == 0);
  BOOST_TEST(out.find("usage: herd config check FILE") == 0u);
  BOOST_TEST(config({"check", "--help"}) == 0);
}

BOOST_AUTO_TEST_SUITE_END()
