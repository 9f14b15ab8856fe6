#pragma once

#include <stdexcept>

namespace warmth::app {

// Raised while starting: the store is damaged or newer, the data directory is
// in use, an endpoint cannot be bound. main() logs it and exits 78.
class StartupError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace warmth::app
