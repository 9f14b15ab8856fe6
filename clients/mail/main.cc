#include <iostream>

#include <unistd.h>

#include "clients/mail/mail.h"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  const warmth::mail::Io io{std::cin, std::cout, std::cerr, ::isatty(STDERR_FILENO) == 1};
  return warmth::mail::Run(argc, argv, io);
}
