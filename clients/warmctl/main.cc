#include <iostream>

#include "clients/warmctl/warmctl.h"

int main(int argc, char** argv) {
  return warmth::warmctl::Run(argc, argv, std::cout, std::cerr);
}
