// What each push target is sent for a nudge.
#include "clients/push/targets.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

namespace warmth::push {
namespace {

v1::Nudge CallBack() {
  v1::Nudge n;
  n.set_id("cb-3fa9c2e1b7");
  n.set_kind(v1::CALL_BACK);
  n.add_contact_ids("bob");
  n.add_contact_names("Stone, Bob");
  n.set_text("Bob called 3 hours ago.\n\"Call back?\"");
  n.set_suggested_channel(v1::CALL);
  n.set_state(v1::PENDING);
  return n;
}

std::string Header(const HttpRequest& r, const std::string& name) {
  for (const auto& [n, v] : r.headers) {
    if (n == name) {
      return v;
    }
  }
  return "<none>";
}

google::protobuf::Struct Parse(const std::string& json) {
  google::protobuf::Struct s;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(json, &s).ok()) << json;
  return s;
}

TEST(PushTargets, NtfyPostsTheTextWithTitlePriorityAndACallAction) {
  base::PushTarget t{"ntfy", "ntfy", "https://ntfy.sh/t", "", "", "https://example.org/"};
  const HttpRequest r = RequestFor(t, CallBack(), {"tk", "+491711234567"});
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.url, "https://ntfy.sh/t");
  EXPECT_EQ(r.body, "Bob called 3 hours ago.\n\"Call back?\"");
  EXPECT_EQ(Header(r, "Title"), "Call Stone, Bob back");
  EXPECT_EQ(Header(r, "Priority"), "4");
  EXPECT_EQ(Header(r, "Tags"), "telephone_receiver,call_back");
  EXPECT_EQ(Header(r, "Click"), "https://example.org/");
  // A comma would end ntfy's label early: the label stops before it.
  EXPECT_EQ(Header(r, "Actions"), "view, Call Stone, tel:+491711234567");
  EXPECT_EQ(Header(r, "Authorization"), "Bearer tk");
}

TEST(PushTargets, NtfyWithoutPhoneOrTokenHasNoActionAndNoAuthorization) {
  base::PushTarget t{"ntfy", "ntfy", "https://ntfy.sh/t", "", "", ""};
  v1::Nudge cooling = CallBack();
  cooling.set_kind(v1::COOLING);
  const HttpRequest r = RequestFor(t, cooling, {});
  EXPECT_EQ(Header(r, "Priority"), "3");
  EXPECT_EQ(Header(r, "Actions"), "<none>");
  EXPECT_EQ(Header(r, "Authorization"), "<none>");
  EXPECT_EQ(Header(r, "Click"), "<none>");
}

TEST(PushTargets, GotifyGetsJsonWithTitleMessageAndPriority) {
  base::PushTarget t{"gotify", "gotify", "https://g.example.org/", "", "", ""};
  const HttpRequest r = RequestFor(t, CallBack(), {"app-token", ""});
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.url, "https://g.example.org/message");
  EXPECT_EQ(Header(r, "X-Gotify-Key"), "app-token");
  const auto body = Parse(r.body);
  EXPECT_EQ(body.fields().at("title").string_value(), "Call Stone, Bob back");
  // Quotes and the line break survive the JSON escaping.
  EXPECT_EQ(body.fields().at("message").string_value(), "Bob called 3 hours ago.\n\"Call back?\"");
  EXPECT_EQ(body.fields().at("priority").number_value(), 8);
}

TEST(PushTargets, MatrixPutsOneTransactionPerNudge) {
  base::PushTarget t{"matrix", "matrix", "https://m.example.org", "!abc:example.org", "", ""};
  const HttpRequest r = RequestFor(t, CallBack(), {"syt", ""});
  EXPECT_EQ(r.method, "PUT");
  EXPECT_EQ(r.url,
            "https://m.example.org/_matrix/client/v3/rooms/%21abc%3Aexample.org/send/"
            "m.room.message/warmth-cb-3fa9c2e1b7");
  EXPECT_EQ(Header(r, "Authorization"), "Bearer syt");
  const auto body = Parse(r.body);
  EXPECT_EQ(body.fields().at("msgtype").string_value(), "m.text");
  EXPECT_EQ(body.fields().at("body").string_value(),
            "Call Stone, Bob back\nBob called 3 hours ago.\n\"Call back?\"");
  // A retry is the same request: the same transaction id.
  EXPECT_EQ(RequestFor(t, CallBack(), {"syt", ""}).url, r.url);
}

TEST(PushTargets, WebhookPostsTheNudgeAsProtobufJson) {
  base::PushTarget t{"webhook", "webhook", "https://h.example.org/x", "", "", ""};
  const HttpRequest r = RequestFor(t, CallBack(), {});
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(Header(r, "Content-Type"), "application/json");
  EXPECT_EQ(Header(r, "Authorization"), "<none>");
  v1::Nudge back;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(r.body, &back).ok()) << r.body;
  EXPECT_EQ(back.SerializeAsString(), CallBack().SerializeAsString());
}

TEST(PushTargets, PercentEncodingKeepsOnlyUnreservedCharacters) {
  EXPECT_EQ(PercentEncode("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(PercentEncode("!r:x.org/ ü"), "%21r%3Ax.org%2F%20%C3%BC");
}

TEST(PushTargets, HeaderValuesHaveNoLineBreaks) {
  EXPECT_EQ(HeaderValue(" Call\r\nX-Evil: 1 "), "Call  X-Evil: 1");
  EXPECT_EQ(HeaderValue("Anruf für Jürgen"), "Anruf für Jürgen");
  EXPECT_EQ(HeaderValue("\n"), "");
}

}  // namespace
}  // namespace warmth::push
