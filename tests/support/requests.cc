#include "tests/support/requests.h"

#include "daemon/transport/codec.h"

namespace warmth::testing {

v1::Request IngestRequest(const std::string& event_id, const std::string& who, v1::Channel channel,
                          core::TimePoint at) {
  v1::Request r;
  auto* in = r.mutable_ingest()->add_interactions();
  in->set_event_id(event_id);
  in->add_contacts(who);
  in->set_channel(channel);
  in->set_direction(v1::MUTUAL);
  transport::ToProto(at, in->mutable_occurred_at());
  return r;
}

v1::Request UpsertContactRequest(const std::string& id, v1::Circle circle,
                                 const std::vector<std::string>& identifiers) {
  v1::Request r;
  auto* contact = r.mutable_upsert_contact()->mutable_contact();
  contact->set_id(id);
  contact->set_circle(circle);
  for (const auto& identifier : identifiers) {
    contact->add_identifiers(identifier);
  }
  return r;
}

}  // namespace warmth::testing
