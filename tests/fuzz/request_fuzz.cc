// Fuzz target: one API request frame, handled as the daemon handles it
// (DecodeRequest, then Service::Handle on an in-memory engine holding a few
// contacts), then a year of simulated time so that whatever it scheduled
// falls due. Fails (traps) on a crash, an exception, an INTERNAL error, or a
// reply the daemon could not send or a client could not decode.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <google/protobuf/stubs/logging.h>

#include "base/config.h"
#include "base/phone.h"
#include "daemon/app/service.h"
#include "daemon/core/engine.h"
#include "daemon/transport/codec.h"

namespace {

using namespace warmth;  // NOLINT(google-build-using-namespace): a fuzz target

const core::TimePoint kNow = core::FromUnixMicros(1'795'000'000'000'000);  // 2026-11-19

void CheckReply(const v1::Reply& reply) {
  if (reply.has_error() && reply.error().code() == v1::Error::INTERNAL) {
    __builtin_trap();
  }
  std::string bytes;
  v1::Reply back;
  if (!reply.SerializeToString(&bytes) || !back.ParseFromString(bytes)) {
    __builtin_trap();
  }
}

void Setup(core::Engine& engine) {
  core::Contact ann;
  ann.id = "ann";
  ann.display_name = "Ann Lee";
  ann.identifiers = {"ann@example.com", "tel:+49 171 1234567"};
  ann.circle = core::Circle::kInner;
  ann.city = "Rome";
  ann.birthday = core::Birthday{3, 14, 1990};
  ann.tags = {"climbing"};
  (void)engine.UpsertContact(ann, kNow);
  core::Contact bob;
  bob.id = "bob";
  bob.circle = core::Circle::kClose;
  bob.family = true;
  (void)engine.UpsertContact(bob, kNow);
  core::Interaction met;
  met.event_id = "met";
  met.contacts = {"ann", "bob"};
  met.channel = core::Channel::kInPerson;
  met.direction = core::Direction::kMutual;
  met.occurred_at = kNow - 20 * core::kDay;
  (void)engine.Ingest({&met, 1}, kNow);
  core::Interaction mail;
  mail.event_id = "mail";
  mail.contacts = {"carol@example.com"};
  mail.channel = core::Channel::kEmail;
  mail.direction = core::Direction::kOutbound;
  mail.tags = {"pitch"};
  mail.occurred_at = kNow - 3 * core::kDay;
  (void)engine.Ingest({&mail, 1}, kNow);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  google::protobuf::SetLogHandler(nullptr);  // no line per invalid UTF-8 string
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const date::time_zone* zone = base::ResolveTimeZone("UTC");
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  v1::Request request;
  const core::Status decoded = transport::DecodeRequest(bytes, request);
  if (!decoded.ok()) {
    // As Daemon::Serve answers it.
    v1::Reply reply;
    transport::ToProto(decoded, reply.mutable_error());
    reply.set_request_id(request.request_id());
    CheckReply(reply);
    return 0;
  }
  // A region, so that national numbers are read as the daemon reads them.
  static const core::PhoneNormalizer phone = base::PhoneNormalizerFor("DE");
  core::Engine engine(core::EngineOptions{}, zone, phone);
  engine.FinishLoad(kNow);
  Setup(engine);
  engine.TakeJournal();
  app::Service service(&engine, nullptr, app::ServiceInfo{"fuzz", ":memory:", "", "", "UTC", kNow});
  CheckReply(service.Handle(request, kNow));
  // Let a year pass: every nudge the request scheduled is published.
  core::TimePoint t = kNow;
  for (int i = 0; i < 1000; ++i) {
    const auto next = engine.NextDue(t);
    if (!next || *next > kNow + 365 * core::kDay) {
      break;
    }
    t = std::max(t, *next);
    for (const core::Nudge& nudge : engine.TakeDue(t)) {
      v1::Nudge proto;
      transport::ToProto(nudge, &proto);
      std::string out;
      v1::Nudge back;
      if (!proto.SerializeToString(&out) || !back.ParseFromString(out)) {
        __builtin_trap();
      }
    }
  }
  // And the requests that read state see it whole.
  v1::Request list;
  list.mutable_list_contacts()->set_include_unsorted(true);
  CheckReply(service.Handle(list, t));
  v1::Request nudges;
  nudges.mutable_list_nudges();
  CheckReply(service.Handle(nudges, t));
  engine.TakeJournal();
  return 0;
}
