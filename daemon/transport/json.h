#pragma once

#include <cstdint>
#include <string_view>

#include <google/protobuf/message.h>
#include <simdjson.h>

#include "daemon/core/status.h"

namespace warmth::transport {

// Parses one JSON object in protobuf's JSON mapping into a message.
//
// protobuf 3.21's own parser costs about 45 µs per timeline line here (it
// goes through a type resolver and an intermediate binary encoding), which
// alone makes a year of replay take seconds. This parser walks a simdjson DOM
// with protobuf reflection for the plain part of the mapping — objects,
// arrays, strings, numbers, booleans, enum names, Timestamp and Duration
// strings, field names in lowerCamelCase or as in the .proto — and hands
// anything else (null, bytes, enum numbers, quoted floats, other well-known
// types, unknown or repeated keys) to protobuf's parser, which is also the
// one that words every error. The two agree on every message: see
// tests/unit/transport/json_test.cc. One thread.
class JsonParser {
 public:
  // Clears `out` and fills it. kInvalidArgument with protobuf's message when
  // the text is not that message in JSON.
  core::Status Parse(std::string_view json, google::protobuf::Message& out);

  std::int64_t fast_parses() const { return fast_; }
  std::int64_t slow_parses() const { return slow_; }

 private:
  simdjson::dom::parser parser_;
  std::int64_t fast_ = 0;
  std::int64_t slow_ = 0;
};

}  // namespace warmth::transport
