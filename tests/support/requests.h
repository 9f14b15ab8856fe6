#pragma once

#include <string>
#include <vector>

#include "daemon/core/time.h"
#include "warmth/v1/warmth.pb.h"

// Requests as clients send them, for tests of the service and the daemon.
namespace warmth::testing {

// An ingest of one MUTUAL interaction with `who` at `at`.
v1::Request IngestRequest(const std::string& event_id, const std::string& who, v1::Channel channel,
                          core::TimePoint at);

// An upsert of contact `id` in `circle` with these identifiers.
v1::Request UpsertContactRequest(const std::string& id, v1::Circle circle,
                                 const std::vector<std::string>& identifiers = {});

}  // namespace warmth::testing
