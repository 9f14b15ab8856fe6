// warmctl report and warmctl chart against a real warmthd: a known history
// logged with --at in the past, the numbers and pictures checked.
#include <chrono>
#include <cmath>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "tests/support/process.h"
#include "tests/support/support.h"

namespace warmth {
namespace {

namespace pb = ::google::protobuf;
using testing::DaemonProcess;
using testing::TempDir;

class ReportTest : public ::testing::Test {
 protected:
  testing::CommandResult Warmctl(const std::vector<std::string>& args) {
    return daemon_.RunClient(testing::WarmctlPath(), args);
  }
  void Ok(const std::vector<std::string>& args) {
    const auto r = Warmctl(args);
    ASSERT_EQ(r.exit_code, 0) << args[0] << " " << args[1] << ": " << r.err;
  }

  // How many nudges `warmctl nudges` lists, waiting up to 5 s for `want`.
  int WaitForPending(int want) {
    int seen = 0;
    for (int i = 0; i < 50; ++i) {
      const auto r = Warmctl({"nudges", "--json"});
      seen = 0;
      for (std::size_t p = r.out.find("\"state\":\"PENDING\""); p != std::string::npos;
           p = r.out.find("\"state\":\"PENDING\"", p + 1)) {
        ++seen;
      }
      if (seen >= want) {
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return seen;
  }

  // The id of `contact`'s pending nudge.
  std::string NudgeOf(const std::string& contact) {
    const auto r = Warmctl({"nudges", "--contact", contact, "--json"});
    const std::string key = "\"id\":\"";
    const auto p = r.out.find(key);
    if (p == std::string::npos) {
      return "";
    }
    return r.out.substr(p + key.size(), r.out.find('"', p + key.size()) - p - key.size());
  }

  TempDir dir_;
  DaemonProcess daemon_{dir_};
};

double Num(const pb::Struct& s, const std::string& a, const std::string& b) {
  return s.fields().at(a).struct_value().fields().at(b).number_value();
}

// Six inner contacts (one muted), two close, one network, two unsorted;
// live, online and other interactions at known distances from now; four
// COOLING nudges, one done, one dismissed, one snoozed, one left pending.
TEST_F(ReportTest, CountsLiveContactCirclesSharesAndNudges) {
  ASSERT_TRUE(daemon_.Start());
  for (const char* id : {"ann", "ben", "cat", "gus", "hal"}) {
    Ok({"contact", "add", id, "--circle", "inner"});
  }
  Ok({"contact", "add", "ivy", "--circle", "inner", "--mute"});
  Ok({"contact", "add", "dan", "--name", "Dan Roe", "--circle", "close"});
  Ok({"contact", "add", "eve", "--circle", "close"});
  Ok({"contact", "add", "fay", "--circle", "network"});
  Ok({"log", "ann", "--channel", "in_person", "--at", "10d ago"});  // 22.3, cooled
  Ok({"log", "ben", "--channel", "call", "--at", "2d ago"});        // 36.9
  Ok({"log", "gus", "--channel", "in_person", "--at", "60d ago"});  // cooled
  Ok({"log", "hal", "--channel", "letter", "--at", "5d ago"});      // 15.2, other
  Ok({"log", "dan", "--channel", "video", "--at", "100d ago"});     // 3.5, cooled
  Ok({"log", "eve", "--channel", "email", "--at", "5d ago"});       // 7.1, online
  Ok({"log", "fay", "--channel", "call", "--at", "200d ago"});      // 20.8, cooled
  for (const char* ago : {"20d ago", "21d ago", "22d ago"}) {
    Ok({"log", "x@example.com", "--channel", "email", "--direction", "inbound", "--at", ago});
  }
  // A call that did not connect: not live, not online.
  Ok({"log", "tel:+12025550100", "--missed", "--at", "1d ago"});
  // An online interaction older than 90 days: counts for nothing here.
  Ok({"log", "x@example.com", "--channel", "email", "--direction", "inbound", "--at", "120d ago"});

  ASSERT_EQ(WaitForPending(4), 4) << "COOLING for ann, gus, dan and fay";
  const std::string gus = NudgeOf("gus");
  ASSERT_FALSE(gus.empty());
  Ok({"dismiss", gus});
  Ok({"snooze", "dan", "3d"});
  Ok({"done", "fay", "--call"});  // a live call now: fay 56.4

  auto r = Warmctl({"report", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(r.out.find('\n'), r.out.size() - 1) << "one line: " << r.out;
  pb::Struct report;
  ASSERT_TRUE(pb::util::JsonStringToMessage(r.out, &report).ok()) << r.out;
  EXPECT_EQ(Num(report, "contacts", "withCircle"), 9);
  EXPECT_EQ(Num(report, "contacts", "unsorted"), 2);
  EXPECT_EQ(Num(report, "spokeLive", "days30"), 3) << "ann, ben, fay";
  EXPECT_EQ(Num(report, "spokeLive", "days90"), 4) << "and gus";
  EXPECT_EQ(Num(report, "spokeLive", "days365"), 5) << "and dan";
  EXPECT_EQ(Num(report, "interactions90d", "live"), 4);
  EXPECT_EQ(Num(report, "interactions90d", "online"), 4);
  EXPECT_EQ(Num(report, "interactions90d", "other"), 2) << "the letter and the missed call";
  EXPECT_DOUBLE_EQ(Num(report, "interactions90d", "liveShare"), 0.5);
  EXPECT_EQ(Num(report, "nudges30d", "published"), 4);
  EXPECT_EQ(Num(report, "nudges30d", "done"), 1);
  EXPECT_EQ(Num(report, "nudges30d", "dismissed"), 1);
  EXPECT_EQ(Num(report, "nudges30d", "snoozed"), 1);
  EXPECT_EQ(Num(report, "nudges30d", "ignored"), 2);
  EXPECT_EQ(Num(report, "nudges30d", "pending"), 1);

  const auto& circles = report.fields().at("circles").list_value().values();
  ASSERT_EQ(circles.size(), 4);
  const std::vector<std::vector<std::string>> want = {{"INNER", "6", "6", "5", "over"},
                                                      {"CLOSE", "2", "8", "15", "within"},
                                                      {"NETWORK", "1", "9", "50", "within"},
                                                      {"ACQUAINTANCE", "0", "9", "150", "within"}};
  for (int i = 0; i < 4; ++i) {
    const auto& f = circles[i].struct_value().fields();
    EXPECT_EQ(f.at("circle").string_value(), want[i][0]);
    EXPECT_EQ(f.at("size").number_value(), std::stod(want[i][1])) << want[i][0];
    EXPECT_EQ(f.at("layer").number_value(), std::stod(want[i][2])) << want[i][0];
    EXPECT_EQ(f.at("dunbar").number_value(), std::stod(want[i][3])) << want[i][0];
    EXPECT_EQ(f.at("verdict").string_value(), want[i][4]) << want[i][0];
  }
  const auto ids = [&](const std::string& key) {
    std::vector<std::string> out;
    for (const auto& v : report.fields().at(key).list_value().values()) {
      out.push_back(v.struct_value().fields().at("id").string_value());
    }
    return out;
  };
  EXPECT_EQ(ids("warmest"), (std::vector<std::string>{"fay", "ben", "ann"}));
  // Inner and close below the threshold, not muted (ivy): never in a live
  // contact first (coldest first), then the longest since one; at most 5.
  EXPECT_EQ(ids("neglected"), (std::vector<std::string>{"cat", "eve", "hal", "dan", "gus"}));
  const auto& neglected = report.fields().at("neglected").list_value().values();
  EXPECT_EQ(neglected[0].struct_value().fields().count("lastLiveAt"), 0u) << "cat: none";
  EXPECT_EQ(neglected[3].struct_value().fields().at("displayName").string_value(), "Dan Roe");
  EXPECT_EQ(neglected[3].struct_value().fields().count("lastLiveAt"), 1u) << "dan: 100 d ago";

  r = Warmctl({"report"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* line : {
           "Contacts:     9 with a circle, 2 unsorted\n",
           "Spoke live:   3 in 30 d, 4 in 90 d, 5 in 365 d",
           "Live share:   50% live in 90 d (4 live, 4 online, 2 other)\n",
           "  inner           6   layer    6 of ~5    over\n",
           "  close           2   layer    8 of ~15   within\n",
           "   3.5  Dan Roe (dan), close, last live 100 d ago\n",
           "   0.0  cat, inner, no live contact in 365 d\n",
           "Nudges in 30 d: 4 published, 1 acted on, 2 ignored (1 dismissed, 1 snoozed), 1 "
           "pending\n",
       }) {
    EXPECT_NE(r.out.find(line), std::string::npos) << line << "\n" << r.out;
  }
}

TEST_F(ReportTest, AnEmptyStoreReportsZerosAndNobody) {
  ASSERT_TRUE(daemon_.Start());
  auto r = Warmctl({"report"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Contacts:     0 with a circle, 0 unsorted\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("no live or online interactions in 90 d"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Nudges in 30 d: 0 published"), std::string::npos) << r.out;
  r = Warmctl({"report", "--json"});
  pb::Struct report;
  ASSERT_TRUE(pb::util::JsonStringToMessage(r.out, &report).ok()) << r.out;
  EXPECT_EQ(Num(report, "interactions90d", "liveShare"), 0);
  EXPECT_EQ(report.fields().at("neglected").list_value().values_size(), 0);
}

// --data's lines: "mark ID TIME CHANNEL WARMTH" and "sample ID TIME WARMTH".
struct ChartData {
  double threshold = -1;
  std::vector<std::pair<std::string, double>> marks;  // channel, warmth just after
  std::vector<double> samples;
};

ChartData ParseData(const std::string& text) {
  ChartData d;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream f(line);
    std::string kind;
    std::string id;
    std::string at;
    std::string channel;
    double w = 0;
    f >> kind;
    if (kind == "threshold") {
      f >> d.threshold;
    } else if (kind == "mark") {
      f >> id >> at >> channel >> w;
      d.marks.emplace_back(channel, w);
    } else if (kind == "sample") {
      f >> id >> at >> w;
      d.samples.push_back(w);
    }
  }
  return d;
}

// XPath over gnuplot's SVG: one <g> per plot, titled with its legend text,
// holding the legend's sample point and then one <use> per data point.
class Svg {
 public:
  explicit Svg(const std::string& path)
      : doc_(xmlReadFile(path.c_str(), nullptr, XML_PARSE_NONET)) {
    if (doc_ != nullptr) {
      ctx_ = xmlXPathNewContext(doc_);
      xmlXPathRegisterNs(ctx_, BAD_CAST "s", BAD_CAST "http://www.w3.org/2000/svg");
    }
  }
  ~Svg() {
    xmlXPathFreeContext(ctx_);
    xmlFreeDoc(doc_);
  }
  Svg(const Svg&) = delete;
  Svg& operator=(const Svg&) = delete;
  bool ok() const { return doc_ != nullptr; }
  int Count(const std::string& xpath) {
    xmlXPathObjectPtr r = xmlXPathEvalExpression(BAD_CAST xpath.c_str(), ctx_);
    const int n = r != nullptr && r->nodesetval != nullptr ? r->nodesetval->nodeNr : -1;
    xmlXPathFreeObject(r);
    return n;
  }
  // Data points of the plot titled `title` (its legend sample not counted).
  int Points(const std::string& title) {
    return Count("//s:g[s:title='" + title + "']//s:use") - 1;
  }

 private:
  xmlDocPtr doc_ = nullptr;
  xmlXPathContextPtr ctx_ = nullptr;
};

class ChartTest : public ReportTest {
 protected:
  void SetUp() override {
    if (testing::RunCommand({"sh", "-c", "command -v gnuplot"}).exit_code != 0) {
      GTEST_SKIP() << "gnuplot is not installed";
    }
    ASSERT_TRUE(daemon_.Start());
  }
};

// Ann (close, half-life 30 d): in person 10 days ago, an e-mail 6 days ago,
// a missed call 3 days ago, a call now.
TEST_F(ChartTest, TheSeriesFollowsTheModelAndEndsAtTheDaemonsWarmth) {
  Ok({"contact", "add", "ann", "--name", "Ann Lee", "--circle", "close"});
  Ok({"log", "ann", "--channel", "in_person", "--at", "10d ago"});
  Ok({"log", "ann", "--channel", "email", "--at", "6d ago"});
  Ok({"log", "ann", "--missed", "--at", "3d ago"});
  Ok({"log", "ann", "--channel", "call"});
  const auto shown = Warmctl({"contact", "show", "ann", "--json"});
  pb::Struct info;
  ASSERT_TRUE(pb::util::JsonStringToMessage(shown.out, &info).ok()) << shown.out;
  const double now_warmth = info.fields().at("warmth").number_value();

  const auto r = Warmctl({"chart", "ann", "--data"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const ChartData d = ParseData(r.out);
  EXPECT_EQ(d.threshold, 30);
  ASSERT_EQ(d.marks.size(), 4u) << r.out;
  EXPECT_EQ(d.marks[0].first, "in_person");
  EXPECT_NEAR(d.marks[0].second, 60.0, 1e-3);
  // 60 · 2^(−4/30) = 54.70, plus 8 · (1 − 0.5470): 58.33.
  EXPECT_EQ(d.marks[1].first, "email");
  EXPECT_NEAR(d.marks[1].second, 58.327, 0.01);
  // No warmth for a call that did not connect: on the curve, 3 days later.
  EXPECT_EQ(d.marks[2].first, "missed_call");
  EXPECT_NEAR(d.marks[2].second, 58.327 * std::pow(2.0, -3.0 / 30), 0.01);
  EXPECT_EQ(d.marks[3].first, "call");
  EXPECT_NEAR(d.marks[3].second, now_warmth, 0.01) << "what contact show says now";
  // Every 6 h over 11 days, and just before and after each interaction.
  EXPECT_GE(d.samples.size(), 11u * 4);
  EXPECT_LE(d.samples.size(), 11u * 4 + 2 * 4 + 2);

  // From --since on, the same warmth: what came before still counts.
  const auto since = ParseData(Warmctl({"chart", "ann", "--data", "--since", "4d ago"}).out);
  ASSERT_EQ(since.marks.size(), 2u);
  EXPECT_NEAR(since.marks[1].second, d.marks[3].second, 1e-3);
  EXPECT_NEAR(since.samples.front(), 58.327 * std::pow(2.0, -2.0 / 30), 0.01);
}

TEST_F(ChartTest, AnSvgWithTheThresholdAndOneMarkerPerInteraction) {
  Ok({"contact", "add", "ann", "--name", "Ann Lee", "--circle", "inner"});
  Ok({"log", "ann", "--channel", "in_person", "--at", "20d ago"});
  Ok({"log", "ann", "--channel", "call", "--at", "12d ago"});
  Ok({"log", "ann", "--channel", "call", "--at", "5d ago"});
  Ok({"log", "ann", "--channel", "message", "--at", "2d ago"});
  const std::string out = dir_.File("ann chart.svg");
  auto r = Warmctl({"chart", "ann", "--out", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "Wrote " + out + "\n");
  Svg svg(out);
  ASSERT_TRUE(svg.ok()) << "not XML:\n" << testing::ReadFile(out).substr(0, 400);
  EXPECT_EQ(svg.Count("//s:g[s:title='warmth']//s:path"), 1) << "the curve";
  EXPECT_EQ(svg.Count("//s:g[s:title='threshold 30']//s:path[@stroke-dasharray]"), 1) << "dashed";
  EXPECT_EQ(svg.Points("in person"), 1);
  EXPECT_EQ(svg.Points("call"), 2);
  EXPECT_EQ(svg.Points("message"), 1);
  EXPECT_EQ(svg.Count("//s:g[s:title='e-mail']"), 0) << "no e-mail, no legend entry";

  // Small multiples: one panel per contact of the circle, one legend.
  Ok({"contact", "add", "bob", "--circle", "inner"});
  Ok({"log", "bob", "--channel", "video", "--at", "3d ago"});
  Ok({"contact", "add", "cy", "--circle", "close"});
  const std::string png = dir_.File("inner.png");
  r = Warmctl({"chart", "--circle", "inner", "--out", png});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(testing::ReadFile(png).substr(1, 3), "PNG");
  r = Warmctl({"chart", "--circle", "inner", "--out", dir_.File("inner.svg")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Svg panels(dir_.File("inner.svg"));
  ASSERT_TRUE(panels.ok());
  EXPECT_EQ(panels.Count("//s:g[s:title='warmth']"), 2) << "ann and bob, not cy";
  EXPECT_EQ(panels.Count("//s:text[contains(., 'bob, inner')]"), 1);
}

TEST_F(ChartTest, BadArgumentsAreUsageErrors) {
  Ok({"contact", "add", "ann", "--circle", "inner"});
  EXPECT_EQ(Warmctl({"chart"}).exit_code, 2);
  EXPECT_EQ(Warmctl({"chart", "ann", "--circle", "inner"}).exit_code, 2);
  EXPECT_EQ(Warmctl({"chart", "ann", "--out", dir_.File("a.pdf")}).exit_code, 2);
  EXPECT_EQ(Warmctl({"chart", "--circle", "middle"}).exit_code, 2);
  auto r = Warmctl({"chart", "nobody", "--out", dir_.File("n.svg")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "warmctl: contact_id: no such contact\n");
}

}  // namespace
}  // namespace warmth
