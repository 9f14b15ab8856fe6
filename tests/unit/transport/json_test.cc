// The fast JSON path must read exactly what protobuf's own parser reads.
#include "daemon/transport/json.h"

#include <fstream>
#include <random>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include "tests/support/support.h"
#include "warmth/v1/warmth.pb.h"

namespace warmth::transport {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// Fills `m` with random values, every field type our messages use.
void Randomize(Message& m, std::mt19937& rng, int depth) {
  const auto* d = m.GetDescriptor();
  const auto* r = m.GetReflection();
  std::uniform_int_distribution<int> coin(0, 2);
  const std::string type = d->full_name();
  if (type == "google.protobuf.Timestamp") {
    r->SetInt64(&m, d->FindFieldByName("seconds"),
                std::uniform_int_distribution<std::int64_t>(0, 4'000'000'000)(rng));
    r->SetInt32(&m, d->FindFieldByName("nanos"),
                coin(rng) == 0 ? 0 : std::uniform_int_distribution<int>(0, 999'999'999)(rng));
    return;
  }
  if (type == "google.protobuf.Duration") {
    r->SetInt64(&m, d->FindFieldByName("seconds"),
                std::uniform_int_distribution<std::int64_t>(0, 10'000'000)(rng));
    return;
  }
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (f->containing_oneof() != nullptr && r->HasOneof(m, f->containing_oneof())) {
      continue;
    }
    if (coin(rng) == 0) {
      continue;
    }
    const int n = f->is_repeated() ? std::uniform_int_distribution<int>(0, 3)(rng) : 1;
    for (int k = 0; k < n; ++k) {
      switch (f->cpp_type()) {
        case FieldDescriptor::CPPTYPE_MESSAGE:
          if (depth < 4) {
            Randomize(f->is_repeated() ? *r->AddMessage(&m, f) : *r->MutableMessage(&m, f), rng,
                      depth + 1);
          }
          break;
        case FieldDescriptor::CPPTYPE_STRING: {
          static const std::vector<std::string> kStrings = {
              "", "bob", "Ann \"the\" Lee", "\xc3\xa9t\xc3\xa9", "a\\b\n", "tel:+1 555"};
          const std::string& s = kStrings[rng() % kStrings.size()];
          f->is_repeated() ? r->AddString(&m, f, s) : r->SetString(&m, f, s);
          break;
        }
        case FieldDescriptor::CPPTYPE_ENUM: {
          const auto* v =
              f->enum_type()->value(static_cast<int>(rng() % f->enum_type()->value_count()));
          f->is_repeated() ? r->AddEnumValue(&m, f, v->number())
                           : r->SetEnumValue(&m, f, v->number());
          break;
        }
        case FieldDescriptor::CPPTYPE_BOOL:
          f->is_repeated() ? r->AddBool(&m, f, coin(rng) == 1) : r->SetBool(&m, f, coin(rng) == 1);
          break;
        case FieldDescriptor::CPPTYPE_INT32: {
          const int v = std::uniform_int_distribution<int>(-5, 5000)(rng);
          f->is_repeated() ? r->AddInt32(&m, f, v) : r->SetInt32(&m, f, v);
          break;
        }
        case FieldDescriptor::CPPTYPE_INT64: {
          const std::int64_t v = std::uniform_int_distribution<std::int64_t>(-1, 1LL << 60)(rng);
          f->is_repeated() ? r->AddInt64(&m, f, v) : r->SetInt64(&m, f, v);
          break;
        }
        case FieldDescriptor::CPPTYPE_DOUBLE: {
          const double v = std::uniform_real_distribution<double>(-1, 100)(rng);
          f->is_repeated() ? r->AddDouble(&m, f, v) : r->SetDouble(&m, f, v);
          break;
        }
        default:
          break;
      }
    }
  }
}

void ExpectSameAsProtobuf(const std::string& json, const google::protobuf::Message& prototype,
                          JsonParser& parser) {
  std::unique_ptr<Message> fast(prototype.New());
  std::unique_ptr<Message> slow(prototype.New());
  const core::Status a = parser.Parse(json, *fast);
  const auto b = google::protobuf::util::JsonStringToMessage(json, slow.get());
  ASSERT_EQ(a.ok(), b.ok()) << json << "\n" << a.message();
  if (a.ok()) {
    EXPECT_EQ(fast->SerializeAsString(), slow->SerializeAsString()) << json;
  }
}

TEST(JsonParser, AgreesWithProtobufOnRandomEntries) {
  std::mt19937 rng(42);
  JsonParser parser;
  for (int i = 0; i < 3000; ++i) {
    v1::TimelineEntry entry;
    Randomize(entry, rng, 0);
    google::protobuf::util::JsonPrintOptions options;
    options.preserve_proto_field_names = i % 2 == 0;
    options.always_print_enums_as_ints = i % 7 == 0;
    options.always_print_primitive_fields = i % 3 == 0;
    std::string json;
    ASSERT_TRUE(google::protobuf::util::MessageToJsonString(entry, &json, options).ok());
    ExpectSameAsProtobuf(json, entry, parser);
  }
  // Most lines take the fast path (enums as numbers do not).
  EXPECT_GT(parser.fast_parses(), 2000);
}

TEST(JsonParser, HandsUnusualInputToProtobuf) {
  JsonParser parser;
  const v1::TimelineEntry prototype;
  for (
      const char* json :
      {R"({"at":"2026-01-01T00:00:00Z","request":{"status":{}}})",
       R"({"at":"2026-01-01T00:00:00+02:00","request":{"requestId":null}})",
       R"({"at":"2026-01-01T00:00:00.5Z","request":{"ingest":{"interactions":[{"channel":2}]}}})",
       R"({"at":"2026-01-01T00:00:00Z","request":{"snooze":{"duration":"3600.5s"}}})",
       R"({"at":"2026-01-01T00:00:00Z","request":{"snooze":{"duration":"-3s"}}})",
       R"({"at":"2026-01-01T00:00:00Z","request":{"ingest":{},"status":{}}})",
       R"({"at":"2026-01-01T00:00:00Z","at":"2026-01-02T00:00:00Z"})",
       R"({"at":"2026-01-01T00:00:00Z","request":{"ingest":{"interactions":[{"channel":"PIGEON"}]}}})",
       R"({"at":"2026-01-01T00:00:00Z","bogus":1})", R"({"at":"2026-13-01T00:00:00Z"})",
       R"({"at":"2026-01-01T00:00:00Z","request":{"listContacts":{"limit":"12"}}})",
       R"({"at":"2026-01-01T00:00:00Z","request":{"listContacts":{"limit":1.5}}})",
       R"({"at":"2026-01-01T00:00:00Z","request":{"listContacts":{"limit":99999999999}}})",
       R"({"at":"2026-01-01T00:00:00Z","request":{"listContacts":{"includeUnsorted":"true"}}})",
       R"([1,2])", R"(not json)", R"({"at":)", R"({})"}) {
    ExpectSameAsProtobuf(json, prototype, parser);
  }
}

TEST(JsonParser, EveryLineOfTheShippedTimelines) {
  JsonParser parser;
  int lines = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(WARMTH_SOURCE_DIR)) {
    const std::string path = entry.path().string();
    if (entry.path().extension() != ".jsonl" || path.find("/build") != std::string::npos ||
        path.find("expected") != std::string::npos) {
      continue;
    }
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) {
        ExpectSameAsProtobuf(line, v1::TimelineEntry(), parser);
        ++lines;
      }
    }
  }
  EXPECT_GT(lines, 0);
}

}  // namespace
}  // namespace warmth::transport
