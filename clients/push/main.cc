// warmth-push: nudges to your phone.
#include <iostream>

#include "clients/push/pusher.h"

int main(int argc, char** argv) {
  return warmth::push::Run(argc, argv, std::cout, std::cerr);
}
