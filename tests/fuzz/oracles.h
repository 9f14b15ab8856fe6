#pragma once

// Checks shared by the fuzz targets: what an importer or the daemon hands
// on must be something the next step can take. A failed check traps, which
// libFuzzer reports as a crash with the input that caused it.
#include <map>
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

// The names a call-log or chat importer learned (identifier -> the name the
// export gave): each must name a contact on the wire, so invalid UTF-8 in a
// name fails here rather than in the daemon.
inline void NamesSendable(const std::map<std::string, std::string>& names) {
  for (const auto& [identifier, name] : names) {
    v1::Contact contact;
    contact.set_id("c");
    contact.add_identifiers(identifier);
    contact.set_display_name(name);
    RoundTrips(contact);
  }
}

}  // namespace warmth::fuzz
