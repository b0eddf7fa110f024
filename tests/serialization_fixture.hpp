#pragma once

#include <vector>

#include <boost/test/unit_test.hpp>
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/binary_deserializer.hpp>
#include <caf/binary_serializer.hpp>
#include <caf/message.hpp>

#include "herd/runtime/announce.hpp"

/// An actor system on the test coordinator with every herd type announced, and round trips
/// through CAF's binary serializer (what crosses a process boundary).
struct serialization_fixture {
  caf::actor_system_config cfg;
  caf::actor_system sys{init(cfg)};

  static caf::actor_system_config& init(caf::actor_system_config& c) {
    c.set("scheduler.policy", caf::atom("testing"));
    herd::announce_types(c);
    return c;
  }

  /// Round-trips `x` through the binary serializer.
  template <class T>
  T roundtrip(const T& x) {
    std::vector<char> buf;
    caf::binary_serializer sink{sys, buf};
    auto copy = x;
    if (auto err = sink(copy))
      BOOST_FAIL("serialization failed: " << sys.render(err));
    T result;
    caf::binary_deserializer source{sys, buf};
    if (auto err = source(result))
      BOOST_FAIL("deserialization failed: " << sys.render(err));
    return result;
  }

  /// Round-trips `x` inside a type-erased message, as the middleman does.
  template <class T>
  T message_roundtrip(const T& x) {
    auto msg = caf::make_message(x);
    std::vector<char> buf;
    caf::binary_serializer sink{sys, buf};
    if (auto err = sink(msg))
      BOOST_FAIL("message serialization failed: " << sys.render(err));
    caf::message result;
    caf::binary_deserializer source{sys, buf};
    if (auto err = source(result))
      BOOST_FAIL("message deserialization failed: " << sys.render(err));
    BOOST_REQUIRE(result.match_element<T>(0));
    return result.get_as<T>(0);
  }
};
