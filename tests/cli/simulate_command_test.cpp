// `herd simulate`: files stay inside --out whatever the scenario's name, and it fails clearly.
#include <boost/test/unit_test.hpp>

#include "simulate_command.hpp"

#include <fstream>
#include <sstream>

#include "actors/dead_letters/dlq_test_support.hpp"
#include "simulation/scenario_json.hpp"

namespace {

struct simulate_fixture {
  herd::test::temp_dir dir;
  std::string out;
  std::string err;

  /// Writes the small scenario under `name`, with one classic strategy (quick); returns its path.
  std::string scenario_named(const std::string& name) {
    auto doc = herd::test::small_scenario();
    doc["name"] = name;
    doc["strategies"] = {"immediate"};
    auto path = dir.file("scenario.json");
    std::ofstream{path} << doc.dump();
    return path;
  }

  /// Runs `herd simulate ARGS`; returns the exit code, output in `out` and `err`.
  int simulate(const std::vector<std::string>& args) {
    std::ostringstream o;
    std::ostringstream e;
    auto rc = herd::cli::run_simulate_command(args, o, e);
    out = o.str();
    err = e.str();
    return rc;
  }

  /// Every file under the temporary folder, relative to it.
  std::vector<std::string> files() const {
    std::vector<std::string> result;
    for (auto& f : std::filesystem::recursive_directory_iterator(dir.path))
      if (f.is_regular_file())
        result.push_back(std::filesystem::relative(f.path(), dir.path).string());
    std::sort(result.begin(), result.end());
    return result;
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(simulate_command, simulate_fixture)

BOOST_AUTO_TEST_CASE(a_name_with_slashes_and_quotes_writes_only_inside_out) {
  auto scenario = scenario_named("../../up'; system('touch pwned'); '");
  std::filesystem::create_directories(dir.path / "a" / "out");
  BOOST_TEST(simulate({scenario, "--out", dir.file("a/out")}) == 0, err);
  for (auto& f : files())
    BOOST_TEST_CONTEXT(f) {
      BOOST_TEST((f == "scenario.json" || f.rfind("a/out/", 0) == 0));
    }
  auto stem = "a/out/_._.._up___system__touch_pwned_____";
  auto written = files();
  BOOST_TEST(std::count(written.begin(), written.end(), stem + std::string{"-immediate.csv"}) == 1);
  BOOST_TEST(std::count(written.begin(), written.end(), stem + std::string{"-calls.png"}) == 1);
  BOOST_TEST(!std::filesystem::exists("pwned")); // gnuplot ran no command from the name
}

BOOST_AUTO_TEST_CASE(a_missing_out_folder_fails_before_the_run) {
  auto scenario = scenario_named("small");
  BOOST_TEST(simulate({scenario, "--out", dir.file("missing")}) == 2);
  BOOST_TEST(err.find("--out " + dir.file("missing") + ": no such folder") != std::string::npos);
  BOOST_TEST(out.empty()); // nothing ran
  BOOST_TEST(simulate({"--aws-occ", "--clients", "10", "--trials", "1", "--out",
                       dir.file("missing")}) == 2);
}

BOOST_AUTO_TEST_CASE(deeply_nested_scenario_is_an_error_not_a_crash) {
  auto path = dir.file("deep.json");
  std::ofstream{path} << "{\"service\": " << std::string(70000, '[') << std::string(70000, ']')
                      << "}";
  BOOST_TEST(simulate({path}) == 2);
  BOOST_TEST(err.find("nested deeper than 64 levels") != std::string::npos);
  BOOST_TEST(err.size() < 500u);
}

BOOST_AUTO_TEST_CASE(progress_starts_before_the_first_simulated_second) {
  BOOST_TEST(simulate({scenario_named("small")}) == 0);
  BOOST_TEST(err.find("herd simulate small: immediate, 0 simulated s") == 0u);
}

BOOST_AUTO_TEST_CASE(help_is_printed_and_exits_zero) {
  BOOST_TEST(simulate({"--help"}) == 0);
  BOOST_TEST(out.find("usage: herd simulate") == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
