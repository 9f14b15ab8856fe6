// warmth-notify: the desktop notifier.
#include <iostream>

#include "clients/notify/notifier.h"

int main(int argc, char** argv) {
  return warmth::notify::Run(argc, argv, std::cout, std::cerr);
}
