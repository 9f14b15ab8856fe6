#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/config.h"
#include "warmth/v1/warmth.pb.h"

namespace warmth::push {

namespace v1 = ::warmth::v1;

// One HTTP request, independent of how it is sent.
struct HttpRequest {
  std::string method;  // "POST" or "PUT"
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;  // (name, value), in order
  std::string body;
};

// What a push carries besides the nudge.
struct PushContext {
  std::string token;  // from the target's token_file; empty: none
  std::string phone;  // the first contact's number in E.164 ("+4917…"); empty: none
};

// The request that delivers `nudge` to `target`:
//  ntfy     POST <url>, the nudge text as body; Title, Priority (4 for the
//           kinds tied to a day, else 3), Tags, Click (when configured),
//           Actions with a `view` action calling `tel:<phone>` when there is
//           a phone; Authorization: Bearer <token> when there is a token.
//  gotify   POST <url>/message with X-Gotify-Key; JSON title, message,
//           priority (8 or 5).
//  matrix   PUT <homeserver>/_matrix/client/v3/rooms/<room>/send/
//           m.room.message/<txn id>; the txn id is made from the nudge id, so
//           a retry is the same event to the homeserver. An m.text message.
//  webhook  POST <url>, the nudge in protobuf's JSON mapping;
//           Authorization: Bearer <token> when there is a token.
// Header values never contain CR or LF.
HttpRequest RequestFor(const base::PushTarget& target, const v1::Nudge& nudge,
                       const PushContext& context);

// RFC 3986 percent-encoding of everything but the unreserved characters.
std::string PercentEncode(std::string_view text);

// A header value as sent: CR, LF and other control characters become
// spaces, leading and trailing spaces go; UTF-8 is kept as it is (ntfy and
// the other servers read header bytes as UTF-8).
std::string HeaderValue(std::string_view text);

}  // namespace warmth::push
