#define BOOST_TEST_MODULE herd
#include <boost/test/unit_test.hpp>
