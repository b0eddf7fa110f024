// The open-addressing id index: insert, find, erase with backward shift, handle reuse, growth,
// and agreement with std::unordered_map over a random workload.
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <random>
#include <string>
#include <unordered_map>

#include "dispatch/id_index.hpp"

BOOST_AUTO_TEST_SUITE(id_index)

BOOST_AUTO_TEST_CASE(inserts_finds_and_erases_ids) {
  herd::id_index index;
  BOOST_TEST(index.find("a") == herd::id_index::npos);
  auto [a, added_a] = index.insert("a");
  auto [b, added_b] = index.insert("b");
  BOOST_TEST(added_a);
  BOOST_TEST(added_b);
  BOOST_TEST(a != b);
  BOOST_TEST(index.insert("a").first == a);
  BOOST_TEST(!index.insert("a").second);
  BOOST_TEST(index.find("b") == b);
  BOOST_TEST(index.id(b) == "b");
  BOOST_TEST(index.size() == 2u);
  index.erase(a);
  BOOST_TEST(index.find("a") == herd::id_index::npos);
  BOOST_TEST(index.find("b") == b);
  BOOST_TEST(index.size() == 1u);
}

BOOST_AUTO_TEST_CASE(reuses_the_handles_of_erased_ids) {
  herd::id_index index;
  auto a = index.insert("a").first;
  index.insert("b");
  index.erase(a);
  auto c = index.insert("c").first;
  BOOST_TEST(c == a);
  BOOST_TEST(index.id(c) == "c");
  BOOST_TEST(index.handle_bound() == 2u);
}

BOOST_AUTO_TEST_CASE(grows_and_keeps_every_id) {
  herd::id_index index;
  for (int i = 0; i < 100000; ++i)
    index.insert("task-" + std::to_string(i));
  BOOST_TEST(index.size() == 100000u);
  for (int i = 0; i < 100000; ++i)
    BOOST_REQUIRE(index.id(index.find("task-" + std::to_string(i))) == "task-" + std::to_string(i));
  BOOST_TEST(index.find("task-100000") == herd::id_index::npos);
}

BOOST_AUTO_TEST_CASE(agrees_with_unordered_map_under_random_inserts_and_erases) {
  herd::id_index index;
  index.reserve(64); // a small table, so probe runs wrap around and erasures shift them
  std::unordered_map<std::string, uint32_t> model;
  std::mt19937 rng{42};
  for (int step = 0; step < 200000; ++step) {
    auto id = std::to_string(rng() % 50);
    auto found = index.find(id);
    auto i = model.find(id);
    BOOST_REQUIRE((found == herd::id_index::npos) == (i == model.end()));
    if (i != model.end()) {
      BOOST_REQUIRE(found == i->second);
      if (rng() % 2 == 0) {
        index.erase(found);
        model.erase(i);
      }
    } else {
      auto [handle, added] = index.insert(id);
      BOOST_REQUIRE(added);
      model.emplace(id, handle);
    }
    BOOST_REQUIRE(index.size() == model.size());
  }
}

BOOST_AUTO_TEST_SUITE_END()
