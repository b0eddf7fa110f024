#include "herd/admission/rate_source.hpp"

namespace herd {

std::string to_string(rate_source x) {
  switch (x) {
  case rate_source::unlimited:
    return "unlimited";
  case rate_source::configured:
    return "configured";
  case rate_source::published:
    return "published";
  case rate_source::learned:
    return "learned";
  }
  return "unlimited";
}

} // namespace herd
