#pragma once

// Checks shared by the fuzz targets: what an importer or the daemon hands
// on must be something the next step can take. A failed check traps, which
// libFuzzer reports as a crash with the input that caused it.
#include <string>

#include <google/protobuf/message.h>

#include "daemon/core/identifiers.h"
#include "daemon/transport/codec.h"

namespace warmth::fuzz {

inline void Check(bool ok) {
  if (!ok) {
    __builtin_trap();
  }
}

// Serializes and parses back: fails on invalid UTF-8 in a string field,
// which the receiving side would refuse (and with it the whole request).
inline void RoundTrips(const google::protobuf::Message& message) {
  std::string bytes;
  std::unique_ptr<google::protobuf::Message> back(message.New());
  Check(message.SerializeToString(&bytes) && back->ParseFromString(bytes));
}

// An interaction an importer sends: the daemon's codec must accept it, or
// the batch that carries it fails as a whole.
inline void Sendable(const v1::Interaction& interaction) {
  RoundTrips(interaction);
  Check(transport::ToInteraction(interaction).ok());
}

}  // namespace warmth::fuzz
