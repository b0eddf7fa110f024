#pragma once

#include <ostream>

#include "herd/core/failure_category.hpp"

namespace herd {

/// Lets BOOST_TEST print a category when a comparison fails.
inline std::ostream& boost_test_print_type(std::ostream& out, failure_category x) {
  return out << to_string(x);
}

} // namespace herd
