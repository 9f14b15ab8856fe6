#include "daemon/transport/json.h"

#include <charconv>
#include <limits>
#include <string>
#include <vector>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/duration.pb.h>
#include <google/protobuf/timestamp.pb.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/time_util.h>

namespace warmth::transport {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;
using simdjson::dom::element;
using simdjson::dom::element_type;

// The fast path either fills the field exactly as protobuf would, or gives
// up (false) and lets protobuf's parser decide.
bool SetValue(Message& m, const FieldDescriptor* f, element v);

template <typename T>
bool ToInteger(element v, T& out) {
  if (v.type() == element_type::INT64) {
    const std::int64_t x = v.get_int64().value_unsafe();
    if (x < static_cast<std::int64_t>(std::numeric_limits<T>::min()) ||
        (x > 0 && static_cast<std::uint64_t>(x) > std::numeric_limits<T>::max())) {
      return false;
    }
    out = static_cast<T>(x);
    return true;
  }
  if (v.type() == element_type::UINT64) {
    const std::uint64_t x = v.get_uint64().value_unsafe();
    if (x > static_cast<std::uint64_t>(std::numeric_limits<T>::max())) {
      return false;
    }
    out = static_cast<T>(x);
    return true;
  }
  if (v.type() == element_type::STRING) {  // quoted integers, as int64 is printed
    const std::string_view s = v.get_string().value_unsafe();
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && end == s.data() + s.size() && !s.empty() && s[0] != '+';
  }
  return false;
}

// By json_name ("occurredAt") or by the name in the .proto ("occurred_at").
const FieldDescriptor* FindField(const Descriptor* d, std::string_view key) {
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (f->json_name() == key || f->name() == key) {
      return f;
    }
  }
  return nullptr;
}

bool FillObject(Message& m, simdjson::dom::object object) {
  const Descriptor* d = m.GetDescriptor();
  const Reflection* r = m.GetReflection();
  std::vector<int> seen;
  for (const auto field : object) {
    const FieldDescriptor* f = FindField(d, field.key);
    if (f == nullptr || f->is_map() || field.value.is_null()) {
      return false;
    }
    for (int n : seen) {
      if (n == f->number()) {
        return false;
      }
    }
    seen.push_back(f->number());
    if (const auto* oneof = f->containing_oneof(); oneof != nullptr && r->HasOneof(m, oneof)) {
      return false;
    }
    if (f->is_repeated()) {
      simdjson::dom::array items;
      if (field.value.get_array().get(items) != simdjson::SUCCESS) {
        return false;
      }
      for (const element item : items) {
        if (item.is_null() || !SetValue(m, f, item)) {
          return false;
        }
      }
    } else if (!SetValue(m, f, field.value)) {
      return false;
    }
  }
  return true;
}

bool FillWellKnown(Message& m, element v) {
  if (v.type() != element_type::STRING) {
    return false;
  }
  const std::string s(v.get_string().value_unsafe());
  const std::string& type = m.GetDescriptor()->full_name();
  if (type == "google.protobuf.Timestamp") {
    return google::protobuf::util::TimeUtil::FromString(
        s, static_cast<google::protobuf::Timestamp*>(&m));
  }
  if (type == "google.protobuf.Duration") {
    return google::protobuf::util::TimeUtil::FromString(
        s, static_cast<google::protobuf::Duration*>(&m));
  }
  return false;
}

bool SetMessage(Message& m, const FieldDescriptor* f, element v) {
  const Reflection* r = m.GetReflection();
  const std::string& type = f->message_type()->full_name();
  Message* sub = f->is_repeated() ? r->AddMessage(&m, f) : r->MutableMessage(&m, f);
  if (type == "google.protobuf.Timestamp" || type == "google.protobuf.Duration") {
    return FillWellKnown(*sub, v);
  }
  simdjson::dom::object object;
  if (type.rfind("google.protobuf.", 0) == 0 || v.get_object().get(object) != simdjson::SUCCESS) {
    return false;  // Any, Struct, wrappers…: protobuf knows them
  }
  return FillObject(*sub, object);
}

bool SetEnum(Message& m, const FieldDescriptor* f, element v) {
  if (v.type() != element_type::STRING) {
    return false;
  }
  const auto* value = f->enum_type()->FindValueByName(std::string(v.get_string().value_unsafe()));
  if (value == nullptr) {
    return false;
  }
  const Reflection* r = m.GetReflection();
  f->is_repeated() ? r->AddEnumValue(&m, f, value->number())
                   : r->SetEnumValue(&m, f, value->number());
  return true;
}

bool SetFloating(Message& m, const FieldDescriptor* f, element v) {
  double x = 0;
  if (v.type() == element_type::DOUBLE) {
    x = v.get_double().value_unsafe();
  } else if (v.type() == element_type::INT64) {
    x = static_cast<double>(v.get_int64().value_unsafe());
  } else if (v.type() == element_type::UINT64) {
    x = static_cast<double>(v.get_uint64().value_unsafe());
  } else {
    return false;  // "NaN", "Infinity", quoted numbers
  }
  const Reflection* r = m.GetReflection();
  const bool rep = f->is_repeated();
  if (f->cpp_type() == FieldDescriptor::CPPTYPE_FLOAT) {
    if (x > std::numeric_limits<float>::max() || x < -std::numeric_limits<float>::max()) {
      return false;
    }
    rep ? r->AddFloat(&m, f, static_cast<float>(x)) : r->SetFloat(&m, f, static_cast<float>(x));
  } else {
    rep ? r->AddDouble(&m, f, x) : r->SetDouble(&m, f, x);
  }
  return true;
}

// One integer field of type T, through the reflection's Add or Set for T.
template <typename T, typename Add, typename Set>
bool SetInteger(Message& m, const FieldDescriptor* f, element v, Add add, Set set) {
  T x = 0;
  if (!ToInteger(v, x)) {
    return false;
  }
  const Reflection* r = m.GetReflection();
  f->is_repeated() ? (r->*add)(&m, f, x) : (r->*set)(&m, f, x);
  return true;
}

bool SetValue(Message& m, const FieldDescriptor* f, element v) {
  const Reflection* r = m.GetReflection();
  const bool rep = f->is_repeated();
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_MESSAGE:
      return SetMessage(m, f, v);
    case FieldDescriptor::CPPTYPE_STRING: {
      if (f->type() == FieldDescriptor::TYPE_BYTES || v.type() != element_type::STRING) {
        return false;
      }
      const std::string s(v.get_string().value_unsafe());
      rep ? r->AddString(&m, f, s) : r->SetString(&m, f, s);
      return true;
    }
    case FieldDescriptor::CPPTYPE_ENUM:
      return SetEnum(m, f, v);
    case FieldDescriptor::CPPTYPE_BOOL: {
      if (v.type() != element_type::BOOL) {
        return false;
      }
      const bool b = v.get_bool().value_unsafe();
      rep ? r->AddBool(&m, f, b) : r->SetBool(&m, f, b);
      return true;
    }
    case FieldDescriptor::CPPTYPE_INT32:
      return SetInteger<std::int32_t>(m, f, v, &Reflection::AddInt32, &Reflection::SetInt32);
    case FieldDescriptor::CPPTYPE_INT64:
      return SetInteger<std::int64_t>(m, f, v, &Reflection::AddInt64, &Reflection::SetInt64);
    case FieldDescriptor::CPPTYPE_UINT32:
      return SetInteger<std::uint32_t>(m, f, v, &Reflection::AddUInt32, &Reflection::SetUInt32);
    case FieldDescriptor::CPPTYPE_UINT64:
      return SetInteger<std::uint64_t>(m, f, v, &Reflection::AddUInt64, &Reflection::SetUInt64);
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT:
      return SetFloating(m, f, v);
  }
  return false;
}

}  // namespace

core::Status JsonParser::Parse(std::string_view json, google::protobuf::Message& out) {
  out.Clear();
  element root;
  simdjson::dom::object object;
  if (parser_.parse(json.data(), json.size()).get(root) == simdjson::SUCCESS &&
      root.get_object().get(object) == simdjson::SUCCESS && FillObject(out, object)) {
    ++fast_;
    return core::Status::Ok();
  }
  ++slow_;
  out.Clear();
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto status = google::protobuf::util::JsonStringToMessage(std::string(json), &out, options);
  if (!status.ok()) {
    return core::Status::InvalidArgument(std::string{status.message()});
  }
  return core::Status::Ok();
}

}  // namespace warmth::transport
