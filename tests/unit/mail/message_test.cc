// mail::ParseMessage and Classify on messages written here, byte by byte.
#include "clients/mail/message.h"

#include <gtest/gtest.h>

#include "clients/common/format.h"
#include "clients/mail/progress.h"
#include "tests/support/support.h"

namespace warmth::mail {
namespace {

using testing::At;

const core::TimePoint kNow = At("2026-11-21T12:00:00Z");
const core::TimePoint kMtime = At("2026-01-02T03:04:05Z");

std::string Message(const std::string& headers, const std::string& body = "Hello.\n") {
  return headers + "\n" + body;
}

MessageFacts Parse(const std::string& bytes) {
  auto facts = ParseMessage(bytes);
  EXPECT_TRUE(facts.ok()) << facts.status().message();
  return facts.ok() ? *facts : MessageFacts{};
}

Me MeAt(std::vector<std::string> addresses) {
  return Me{std::move(addresses)};
}

std::vector<std::string> TagsOf(const v1::Interaction& in) {
  return {in.tags().begin(), in.tags().end()};
}

TEST(ParseMessage, ReadsAddressesIdAndDate) {
  const auto f =
      Parse(Message("From: =?UTF-8?Q?J=C3=B6rg_M=C3=BCller?= <Joerg@Example.COM>\n"
                    "To: Ann <ann@example.org>, \"Smith, Bob\" <bob@example.net>\n"
                    "Cc: carol@example.com, Ann <ANN@example.org>\n"
                    "Date: Tue, 17 Nov 2009 18:04:31 -0800\n"
                    "Message-ID: <abc.123@host.example>\n"
                    "Subject: =?ISO-8859-1?Q?Gr=FC=DFe?=\n"));
  EXPECT_EQ(f.from, "joerg@example.com");
  EXPECT_EQ(f.to,
            (std::vector<std::string>{"ann@example.org", "bob@example.net", "carol@example.com"}));
  EXPECT_EQ(f.message_id, "abc.123@host.example");
  ASSERT_TRUE(f.date.has_value());
  EXPECT_EQ(*f.date, At("2009-11-18T02:04:31Z"));
  EXPECT_TRUE(f.list_marker.empty());
  EXPECT_EQ(f.content_hash.size(), 32u);
}

TEST(ParseMessage, CrlfAndLfGiveTheSameFacts) {
  const std::string lf = Message(
      "From: a@example.com\nTo: b@example.com\nMessage-ID: <x@y>\n"
      "Date: Wed, 01 Jan 2020 10:00:00 +0000\n");
  std::string crlf;
  for (char c : lf) {
    if (c == '\n') {
      crlf += '\r';
    }
    crlf += c;
  }
  const auto a = Parse(lf);
  const auto b = Parse(crlf);
  EXPECT_EQ(a.from, b.from);
  EXPECT_EQ(a.to, b.to);
  EXPECT_EQ(a.message_id, b.message_id);
  EXPECT_EQ(a.date, b.date);
}

TEST(ParseMessage, SkipsALeadingMboxEnvelopeLine) {
  const std::string body = Message("From: a@example.com\nTo: b@example.com\nMessage-ID: <m1@x>\n");
  const auto plain = Parse(body);
  const auto enveloped = Parse("From a@example.com Mon Sep 17 00:00:00 2001\n" + body);
  EXPECT_EQ(enveloped.from, "a@example.com");
  EXPECT_EQ(enveloped.message_id, "m1@x");
  // The envelope is the delivery's, not the message's: same identity.
  EXPECT_EQ(enveloped.content_hash, plain.content_hash);
}

TEST(ParseMessage, ObsoleteFromFieldWithSpaceBeforeTheColonIsAHeader) {
  const auto f = Parse(Message("From  : John Doe <jdoe@machine.example>\nTo: mary@example.net\n"));
  EXPECT_EQ(f.from, "jdoe@machine.example");
}

TEST(ParseMessage, ListAutoSubmittedAndReportMarkers) {
  EXPECT_EQ(Parse(Message("From: a@x.org\nList-Id: <dev.lists.x.org>\n")).list_marker, "List-Id");
  EXPECT_EQ(Parse(Message("From: a@x.org\nList-Unsubscribe: <mailto:u@x.org>\n")).list_marker,
            "List-Unsubscribe");
  EXPECT_EQ(Parse(Message("From: a@x.org\nPrecedence: Bulk\n")).list_marker, "Precedence: bulk");
  EXPECT_EQ(Parse(Message("From: a@x.org\nPrecedence: first-class\n")).list_marker, "");
  EXPECT_EQ(Parse(Message("From: a@x.org\nAuto-Submitted: auto-replied\n")).auto_submitted,
            "auto-replied");
  EXPECT_EQ(Parse(Message("From: a@x.org\nAuto-Submitted: no\n")).auto_submitted, "");
  EXPECT_TRUE(Parse(Message("From: a@x.org\nContent-Type: multipart/report; "
                            "report-type=delivery-status; boundary=b\n",
                            "--b\n\nx\n--b--\n"))
                  .report);
}

TEST(ParseMessage, NewestReceivedDateAndDeliveredTo) {
  const auto f =
      Parse(Message("Received: from b by c; Tue, 17 Nov 2009 10:00:00 +0000\n"
                    "Received: from a by b; Tue, 17 Nov 2009 09:00:00 +0000\n"
                    "Delivered-To: Me@Example.com\n"
                    "From: a@x.org\n"));
  ASSERT_TRUE(f.received.has_value());
  EXPECT_EQ(*f.received, At("2009-11-17T10:00:00Z"));
  EXPECT_EQ(f.delivered_to, std::vector<std::string>{"me@example.com"});
  EXPECT_FALSE(f.date.has_value());
}

TEST(ParseMessage, AddressesWithoutADomainAreNotContacts) {
  const auto f = Parse(Message("From: gpoo at example.com (Germ\xC3\xA1n)\nTo: XX\n"));
  EXPECT_EQ(f.from, "");
  EXPECT_TRUE(f.to.empty());
}

TEST(ParseMessage, CorruptInputIsAClearErrorNeverACrash) {
  // Empty, garbage, a header line of 10 MB.
  auto empty = ParseMessage("");
  EXPECT_FALSE(empty.ok());
  std::string garbage;
  for (int i = 0; i < 100000; ++i) {
    garbage += static_cast<char>((i * 7919 + 13) % 256);
  }
  auto g = ParseMessage(garbage);
  if (!g.ok()) {
    EXPECT_NE(g.status().message().find("unparseable"), std::string::npos);
  }
  std::string huge = "From: a@example.com\nX-Long: " + std::string(10 << 20, 'a') + "\n\nbody\n";
  auto h = ParseMessage(huge);
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.status().message(), "unparseable: header block larger than 1 MiB");
  // Truncated mid-header: still the fields that are there.
  auto t = ParseMessage("From: a@example.com\nTo: b@exa");
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->from, "a@example.com");
}

TEST(Classify, FromMeIsOutboundToEveryCounterpart) {
  const auto f = Parse(Message(
      "From: Me <me@example.com>\nTo: ann@example.org, me@example.com\nCc: bob@example.net\n"
      "Date: Wed, 01 Jan 2020 10:00:00 +0000\nMessage-ID: <out@x>\n"));
  const Verdict v = Classify(f, MeAt({"me@example.com"}), kMtime, kNow);
  ASSERT_EQ(v.skip, Skip::kNone);
  ASSERT_EQ(v.interactions.size(), 1u);
  const auto& in = v.interactions[0];
  EXPECT_EQ(in.direction(), v1::OUTBOUND);
  EXPECT_EQ(in.channel(), v1::EMAIL);
  EXPECT_EQ(in.event_id(), "mail:out@x");
  EXPECT_EQ(std::vector<std::string>(in.contacts().begin(), in.contacts().end()),
            (std::vector<std::string>{"ann@example.org", "bob@example.net"}));
  EXPECT_EQ(client::FromProto(in.occurred_at()), At("2020-01-01T10:00:00Z"));
  EXPECT_EQ(in.source(), "warmth-mail");
}

TEST(Classify, ToMeIsInboundFromTheSender) {
  const auto f =
      Parse(Message("From: Ann <ann@example.org>\nTo: me@example.com, x@example.org\n"
                    "Message-ID: <in@x>\nDate: Wed, 01 Jan 2020 10:00:00 +0000\n"));
  const Verdict v = Classify(f, MeAt({"me@example.com"}), kMtime, kNow);
  ASSERT_EQ(v.interactions.size(), 1u);
  EXPECT_EQ(v.interactions[0].direction(), v1::INBOUND);
  ASSERT_EQ(v.interactions[0].contacts_size(), 1);
  EXPECT_EQ(v.interactions[0].contacts(0), "ann@example.org");
}

TEST(Classify, SkipsWhatIsNotPersonalMail) {
  struct Case {
    const char* name;
    std::string headers;
    Skip skip;
  };
  const std::vector<Case> cases = {
      {"list id", "From: a@x.org\nTo: me@example.com\nList-Id: <l.x.org>\n", Skip::kMailingList},
      {"unsubscribe", "From: a@x.org\nTo: me@example.com\nList-Unsubscribe: <https://x>\n",
       Skip::kMailingList},
      {"precedence list", "From: a@x.org\nTo: me@example.com\nPrecedence: list\n",
       Skip::kMailingList},
      {"precedence junk", "From: a@x.org\nTo: me@example.com\nPrecedence: junk\n",
       Skip::kMailingList},
      {"auto-generated", "From: a@x.org\nTo: me@example.com\nAuto-Submitted: auto-generated\n",
       Skip::kAutoSubmitted},
      {"noreply", "From: No Reply <noreply@x.org>\nTo: me@example.com\n", Skip::kNoReply},
      {"no-reply", "From: no-reply@x.org\nTo: me@example.com\n", Skip::kNoReply},
      {"do_not_reply", "From: Do_Not_Reply@x.org\nTo: me@example.com\n", Skip::kNoReply},
      {"mailer-daemon", "From: MAILER-DAEMON@x.org\nTo: me@example.com\n", Skip::kNoReply},
      {"not to me", "From: a@x.org\nTo: list@x.org\n", Skip::kNotAddressedToMe},
      {"only to me", "From: me@example.com\nTo: me@example.com\n", Skip::kNoCounterpart},
      {"no sender", "To: me@example.com\nSubject: hi\n", Skip::kNoSender},
  };
  for (const auto& c : cases) {
    const Verdict v = Classify(Parse(Message(c.headers)), MeAt({"me@example.com"}), kMtime, kNow);
    EXPECT_EQ(v.skip, c.skip) << c.name;
    EXPECT_TRUE(v.interactions.empty()) << c.name;
  }
  // Accepted, for contrast: Auto-Submitted "no", Delivered-To me (Bcc).
  EXPECT_EQ(Classify(Parse(Message("From: a@x.org\nTo: me@example.com\nAuto-Submitted: no\n")),
                     MeAt({"me@example.com"}), kMtime, kNow)
                .skip,
            Skip::kNone);
  EXPECT_EQ(Classify(Parse(Message("From: a@x.org\nTo: l@x.org\nDelivered-To: me@example.com\n")),
                     MeAt({"me@example.com"}), kMtime, kNow)
                .skip,
            Skip::kNone);
  // Nobody known as me: everything is received.
  EXPECT_EQ(Classify(Parse(Message("From: a@x.org\nTo: l@x.org\n")), MeAt({}), kMtime, kNow).skip,
            Skip::kNone);
}

TEST(Classify, TimeFallsBackFromDateToReceivedToTheFileTime) {
  const Me me = MeAt({"me@example.com"});
  const auto time_of = [&](const std::string& headers) {
    const Verdict v =
        Classify(Parse(Message("From: a@x.org\nTo: me@example.com\n" + headers)), me, kMtime, kNow);
    EXPECT_EQ(v.interactions.size(), 1u) << headers;
    return v.interactions.empty() ? core::TimePoint{}
                                  : client::FromProto(v.interactions[0].occurred_at());
  };
  const std::string received = "Received: by x; Sat, 05 Mar 2011 08:00:00 +0000\n";
  EXPECT_EQ(time_of("Date: Fri, 04 Mar 2011 10:00:00 +0100\n" + received),
            At("2011-03-04T09:00:00Z"));
  EXPECT_EQ(time_of("Date: garbage\n" + received), At("2011-03-05T08:00:00Z"));
  EXPECT_EQ(time_of("Date: Thu Jan 01 00:00:10 +0000\n" + received), At("2011-03-05T08:00:00Z"))
      << "a Date with no year lands in 1970: broken";
  EXPECT_EQ(time_of("Date: Sat, 01 Jan 2050 00:00:00 +0000\n" + received),
            At("2011-03-05T08:00:00Z"))
      << "a Date in the future: broken";
  EXPECT_EQ(time_of(""), kMtime);
}

TEST(Classify, EventIdIsStableAndFitsTheContract) {
  const Me me = MeAt({"me@example.com"});
  const std::string long_id(300, 'x');
  const auto id_of = [&](const std::string& bytes) {
    const Verdict v = Classify(Parse(bytes), me, kMtime, kNow);
    EXPECT_FALSE(v.interactions.empty());
    return v.interactions.empty() ? std::string() : v.interactions[0].event_id();
  };
  const std::string with_long =
      Message("From: a@x.org\nTo: me@example.com\nMessage-ID: <" + long_id + "@x>\n");
  const std::string a = id_of(with_long);
  EXPECT_LE(a.size(), 128u);
  EXPECT_EQ(a.rfind("mail:#", 0), 0u) << a;
  EXPECT_EQ(a, id_of(with_long));
  const std::string no_id_1 = Message("From: a@x.org\nTo: me@example.com\n", "one\n");
  const std::string no_id_2 = Message("From: a@x.org\nTo: me@example.com\n", "two\n");
  EXPECT_EQ(id_of(no_id_1), id_of(no_id_1));
  EXPECT_NE(id_of(no_id_1), id_of(no_id_2));
  EXPECT_EQ(id_of(no_id_1).rfind("mail:~", 0), 0u);
}

TEST(Classify, MoreThanAHundredRecipientsMakeSeveralInteractions) {
  std::string to = "To: ";
  for (int i = 0; i < 150; ++i) {
    to += (i > 0 ? ", " : "") + std::string("p") + std::to_string(i) + "@x.org";
  }
  const Verdict v =
      Classify(Parse(Message("From: me@example.com\n" + to + "\nMessage-ID: <big@x>\n")),
               MeAt({"me@example.com"}), kMtime, kNow);
  ASSERT_EQ(v.interactions.size(), 2u);
  EXPECT_EQ(v.interactions[0].contacts_size(), 100);
  EXPECT_EQ(v.interactions[1].contacts_size(), 50);
  EXPECT_EQ(v.interactions[0].event_id(), "mail:big@x");
  EXPECT_EQ(v.interactions[1].event_id(), "mail:big@x#2");
  EXPECT_EQ(TagsOf(v.interactions[1]), std::vector<std::string>{"new-thread"});
}

TEST(Classify, MailFromMeThatOpensAThreadIsTaggedNewThread) {
  struct Case {
    const char* name;
    std::string headers;
    std::vector<std::string> tags;
  };
  const std::string from_me = "From: me@example.com\nTo: val@example.org\nMessage-ID: <t@x>\n";
  const std::vector<Case> cases = {
      {"no In-Reply-To, no References", from_me, {"new-thread"}},
      {"In-Reply-To", from_me + "In-Reply-To: <p@x>\n", {}},
      {"References", from_me + "References: <a@x> <p@x>\n", {}},
      {"both", from_me + "In-Reply-To: <p@x>\nReferences: <p@x>\n", {}},
      {"empty In-Reply-To", from_me + "In-Reply-To: \n", {"new-thread"}},
      {"to me: never tagged", "From: val@example.org\nTo: me@example.com\n", {}},
  };
  for (const auto& c : cases) {
    const Verdict v = Classify(Parse(Message(c.headers)), MeAt({"me@example.com"}), kMtime, kNow);
    ASSERT_EQ(v.interactions.size(), 1u) << c.name;
    EXPECT_EQ(TagsOf(v.interactions[0]), c.tags) << c.name;
  }
}

TEST(Classify, XWarmthTagsInMailFromMeSetsItsTags) {
  struct Case {
    const char* name;
    std::string headers;
    std::vector<std::string> tags;
  };
  const std::string reply =
      "From: me@example.com\nTo: val@example.org\nMessage-ID: <t@x>\nIn-Reply-To: <p@x>\n";
  const std::vector<Case> cases = {
      {"one tag", reply + "X-Warmth-Tags: pitch\n", {"pitch"}},
      {"commas, spaces, case",
       reply + "x-warmth-tags:  Pitch,follow-up ,, ask  me\n",
       {"pitch", "follow-up", "ask", "me"}},
      {"two fields, repeats",
       reply + "X-Warmth-Tags: pitch\nX-Warmth-Tags: PITCH, ask\n",
       {"pitch", "ask"}},
      {"a new thread too",
       "From: me@example.com\nTo: val@example.org\nX-Warmth-Tags: pitch\n",
       {"pitch", "new-thread"}},
      {"new-thread named",
       "From: me@example.com\nTo: v@example.org\nX-Warmth-Tags: new-thread\n",
       {"new-thread"}},
      {"empty", reply + "X-Warmth-Tags:\n", {}},
      {"over 64 bytes: dropped",
       reply + "X-Warmth-Tags: " + std::string(65, 'x') + " ok\n",
       {"ok"}},
      {"someone else's header",
       "From: val@example.org\nTo: me@example.com\nX-Warmth-Tags: pitch\n",
       {}},
  };
  for (const auto& c : cases) {
    const Verdict v = Classify(Parse(Message(c.headers)), MeAt({"me@example.com"}), kMtime, kNow);
    ASSERT_EQ(v.interactions.size(), 1u) << c.name;
    EXPECT_EQ(TagsOf(v.interactions[0]), c.tags) << c.name;
  }
  // Never more than the daemon takes (32 tags).
  std::string many = "X-Warmth-Tags:";
  for (int i = 0; i < 40; ++i) {
    many += " t" + std::to_string(i);
  }
  const Verdict v =
      Classify(Parse(Message("From: me@example.com\nTo: v@example.org\n" + many + "\n")),
               MeAt({"me@example.com"}), kMtime, kNow);
  ASSERT_EQ(v.interactions.size(), 1u);
  EXPECT_EQ(v.interactions[0].tags_size(), 32);
  EXPECT_EQ(v.interactions[0].tags(31), "new-thread");
}

TEST(ParseMessage, ListPostAndListIdNameTheListAddress) {
  struct Case {
    const char* name;
    std::string headers;
    std::vector<std::string> lists;
  };
  const std::string from = "From: ann@example.org\nTo: dev@lists.example.org, bob@example.net\n";
  const std::vector<Case> cases = {
      {"List-Post",
       from + "List-Post: <mailto:Dev@Lists.Example.org>\n",
       {"dev@lists.example.org"}},
      {"List-Post with subject, two URLs",
       from + "List-Post: <https://x.example/post>, <mailto:dev@lists.example.org?subject=x>\n",
       {"dev@lists.example.org"}},
      {"List-Post NO", from + "List-Post: NO (posting not allowed)\n", {}},
      {"List-Id matches a recipient",
       from + "List-Id: Developers <dev.lists.example.org>\n",
       {"dev@lists.example.org"}},
      {"List-Id matches nobody", from + "List-Id: <other.lists.example.org>\n", {}},
      {"List-Id without an id (the notmuch corpus)",
       from + "List-Id: \"Use and development of the notmuch mail system.\"\n",
       {}},
      {"both, once",
       from + "List-Id: <dev.lists.example.org>\nList-Post: <mailto:dev@lists.example.org>\n",
       {"dev@lists.example.org"}},
      {"no list fields", from, {}},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(Parse(Message(c.headers)).list_addresses, c.lists) << c.name;
  }
}

TEST(Classify, AMailingListIsNoCounterpart) {
  const Me me = MeAt({"me@example.com"});
  KnownLists lists;
  lists.addresses = {"team@lists.example.com"};
  const auto classify = [&](const std::string& headers) {
    return Classify(Parse(Message(headers)), me, kMtime, kNow, lists);
  };
  // Only to a list: skipped, and said so.
  Verdict v = classify("From: me@example.com\nTo: Team <TEAM@lists.example.com>\n");
  EXPECT_EQ(v.skip, Skip::kOnlyToList);
  EXPECT_EQ(SkipName(v.skip), "only to a mailing list");
  // To a list and a person: the person only.
  v = classify("From: me@example.com\nTo: team@lists.example.com\nCc: bob@example.net\n");
  ASSERT_EQ(v.interactions.size(), 1u);
  EXPECT_EQ(v.interactions[0].contacts_size(), 1);
  EXPECT_EQ(v.interactions[0].contacts(0), "bob@example.net");
  // From a list address (a list that sends without list fields): list mail.
  EXPECT_EQ(classify("From: team@lists.example.com\nTo: me@example.com\n").skip,
            Skip::kMailingList);
  // A list the message itself names counts without being known.
  EXPECT_EQ(Classify(Parse(Message("From: me@example.com\nTo: dev@lists.example.org\n"
                                   "List-Post: <mailto:dev@lists.example.org>\n")),
                     me, kMtime, kNow)
                .skip,
            Skip::kOnlyToList);
  // Only to myself and a list: still only to a list.
  EXPECT_EQ(classify("From: me@example.com\nTo: me@example.com, team@lists.example.com\n").skip,
            Skip::kOnlyToList);
}

TEST(IsNoReplyAddress, Table) {
  for (const char* yes : {"noreply@x.org", "no-reply@x.org", "No_Reply@x.org", "donotreply@x.org",
                          "do-not-reply@x.org", "mailer-daemon@x.org", "postmaster@x.org",
                          "notifications-noreply@x.org"}) {
    EXPECT_TRUE(IsNoReplyAddress(yes)) << yes;
  }
  for (const char* no : {"ann@x.org", "reply@x.org", "norbert@x.org", "bounce.lover@x.org"}) {
    EXPECT_FALSE(IsNoReplyAddress(no)) << no;
  }
}

TEST(Progress, LineShowsBarRateAndEta) {
  EXPECT_EQ(Progress::Line(500, 1000, "messages", 2.0, -1),
            "[############            ]  50%  500/1000 messages  250 messages/s  ETA 0:02");
  EXPECT_EQ(Progress::Line(7, 0, "messages", 1.0, -1), "7 messages  7 messages/s");
  EXPECT_EQ(Progress::Clock(3725), "1:02:05");
}

}  // namespace
}  // namespace warmth::mail
