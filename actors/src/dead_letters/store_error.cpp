#include "herd/dead_letters/store_error.hpp"

namespace herd {

store_error::store_error(std::string file, std::string problem)
    : std::runtime_error(file + ": " + problem), file_(std::move(file)),
      problem_(std::move(problem)) {}

} // namespace herd
