// warmthd: the warmth daemon, and `warmthd replay` (daemon/app/cli.h).
#include <iostream>

#include "daemon/app/cli.h"

int main(int argc, char** argv) {
  try {
    return warmth::app::Main(argc, argv, std::cin, std::cout, std::cerr);
  } catch (...) {
    // Only a failure to print the failure gets here.
    return 1;
  }
}
