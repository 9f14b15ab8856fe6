#include "clients/push/targets.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include "clients/common/format.h"
#include "clients/notify/notification.h"

namespace warmth::push {
namespace {

// The nudge kinds tied to a day (a birthday, a pitch, a missed call) are
// urgent, as on the desktop (notify::ForNudge).
bool Urgent(const v1::Nudge& nudge) {
  return notify::ForNudge(nudge, core::kDay).urgency == notify::Urgency::kCritical;
}

std::string Lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return s;
}

// Drops the trailing slashes of a base URL, so that "/message" can follow.
std::string Base(const std::string& url) {
  std::string base = url;
  while (!base.empty() && base.back() == '/') {
    base.pop_back();
  }
  return base;
}

std::string JsonOf(const google::protobuf::Struct& value) {
  std::string out;
  // Only string and number fields: conversion cannot fail.
  (void)google::protobuf::util::MessageToJsonString(value, &out);
  return out;
}

// ntfy's Actions header separates fields by "," and actions by ";": a label
// with either is cut at it rather than quoted (ntfy's quoting differs
// between versions).
std::string ActionLabel(const std::string& text) {
  std::string label = text.substr(0, text.find_first_of(",;\""));
  while (!label.empty() && label.back() == ' ') {
    label.pop_back();
  }
  return label.empty() ? "Call" : label;
}

void AddAuthorization(HttpRequest& r, const PushContext& context) {
  if (!context.token.empty()) {
    r.headers.emplace_back("Authorization", "Bearer " + context.token);
  }
}

HttpRequest Ntfy(const base::PushTarget& target, const v1::Nudge& nudge,
                 const PushContext& context) {
  HttpRequest r{"POST", target.url, {}, nudge.text()};
  r.headers.emplace_back("Content-Type", "text/plain; charset=utf-8");
  r.headers.emplace_back("Title", HeaderValue(notify::Title(nudge)));
  r.headers.emplace_back("Priority", Urgent(nudge) ? "4" : "3");
  // "telephone_receiver" and "handshake" show as emoji; the kind as a tag.
  const bool meet = nudge.suggested_channel() == v1::IN_PERSON;
  r.headers.emplace_back("Tags", std::string(meet ? "handshake" : "telephone_receiver") + "," +
                                     Lower(v1::NudgeKind_Name(nudge.kind())));
  if (!target.click.empty()) {
    r.headers.emplace_back("Click", HeaderValue(target.click));
  }
  if (!context.phone.empty()) {
    const std::string name =
        nudge.contact_names_size() > 0 ? nudge.contact_names(0) : std::string();
    r.headers.emplace_back(
        "Actions", HeaderValue("view, " + ActionLabel(name.empty() ? "Call" : "Call " + name) +
                               ", tel:" + context.phone));
  }
  AddAuthorization(r, context);
  return r;
}

HttpRequest Gotify(const base::PushTarget& target, const v1::Nudge& nudge,
                   const PushContext& context) {
  google::protobuf::Struct body;
  auto& fields = *body.mutable_fields();
  fields["title"].set_string_value(notify::Title(nudge));
  fields["message"].set_string_value(nudge.text());
  fields["priority"].set_number_value(Urgent(nudge) ? 8 : 5);
  HttpRequest r{"POST", Base(target.url) + "/message", {}, JsonOf(body)};
  r.headers.emplace_back("Content-Type", "application/json");
  r.headers.emplace_back("X-Gotify-Key", context.token);
  return r;
}

HttpRequest Matrix(const base::PushTarget& target, const v1::Nudge& nudge,
                   const PushContext& context) {
  google::protobuf::Struct body;
  auto& fields = *body.mutable_fields();
  fields["msgtype"].set_string_value("m.text");
  fields["body"].set_string_value(notify::Title(nudge) + "\n" + nudge.text());
  // The transaction id is the nudge's: a retry after a lost answer is the
  // same transaction, which the homeserver does not post twice.
  const std::string txn = "warmth-" + PercentEncode(nudge.id());
  HttpRequest r{"PUT",
                Base(target.url) + "/_matrix/client/v3/rooms/" + PercentEncode(target.room) +
                    "/send/m.room.message/" + txn,
                {},
                JsonOf(body)};
  r.headers.emplace_back("Content-Type", "application/json");
  AddAuthorization(r, context);
  return r;
}

HttpRequest Webhook(const base::PushTarget& target, const v1::Nudge& nudge,
                    const PushContext& context) {
  HttpRequest r{"POST", target.url, {}, client::Json(nudge)};
  r.headers.emplace_back("Content-Type", "application/json");
  AddAuthorization(r, context);
  return r;
}

}  // namespace

HttpRequest RequestFor(const base::PushTarget& target, const v1::Nudge& nudge,
                       const PushContext& context) {
  if (target.kind == "ntfy") {
    return Ntfy(target, nudge, context);
  }
  if (target.kind == "gotify") {
    return Gotify(target, nudge, context);
  }
  if (target.kind == "matrix") {
    return Matrix(target, nudge, context);
  }
  return Webhook(target, nudge, context);
}

std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if ((u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || u == '-' ||
        u == '.' || u == '_' || u == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0xf];
    }
  }
  return out;
}

std::string HeaderValue(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    out += u < 0x20 || u == 0x7f ? ' ' : c;
  }
  const auto first = out.find_first_not_of(' ');
  if (first == std::string::npos) {
    return {};
  }
  return out.substr(first, out.find_last_not_of(' ') - first + 1);
}

}  // namespace warmth::push
