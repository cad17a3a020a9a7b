// An inspection between two tallyd processes, through their operator APIs only: Russia's node
// requests an inspection of a US site, the US node opens the site from its own declaration store,
// both draw and keep their secrets, the designated items are opened, Russia's inspectors record
// what they saw; each step is checked by the node against its own log and its verified mirror of
// the other's, and every partner-only document travels signed to the other node's inbox. Both
// nodes run in treaty time (`--clock operator`), set by the test as an exercise would.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "e2e/cli_runner.h"
#include "e2e/node_runner.h"
#include "tally/crypto/encoding.h"
#include "tally/escrow/notification.h"
#include "tally/server/http_client.h"
#include "tally/tlog/entry.h"

namespace tally::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using server::HttpClient;

constexpr char kInspection[] = "RU-2020-07";

int64_t At(const char* hhmm) {
  std::tm tm{};
  tm.tm_year = 2020 - 1900;
  tm.tm_mon = 9;  // October
  tm.tm_mday = 1;
  tm.tm_hour = std::stoi(std::string(hhmm, 2));
  tm.tm_min = std::stoi(std::string(hhmm + 3, 2));
  return static_cast<int64_t>(timegm(&tm));
}

class NodeInspection : public ::testing::Test {
 protected:
  // One US inventory for the suite (3,400 items), declared through the US node in each test.
  static void SetUpTestSuite() {
    suite_ = new TempDir();
    auto gen =
        RunTally({"inventory", "generate", "--party", "US", "--out", suite_->File("us.csv")});
    ASSERT_EQ(gen.exit_code, 0) << gen.err;
  }
  static void TearDownTestSuite() {
    delete suite_;
    suite_ = nullptr;
  }

  void SetUp() override {
    net_ = t_.File("network.toml");
    us_ = InitParty(t_, "us", "US", "tally.example/us", net_);
    ru_ = InitParty(t_, "ru", "RU", "tally.example/ru", net_);
    const int us_port = FreePort(), ru_port = FreePort();
    ASSERT_NE(us_port, 0);
    ASSERT_NE(ru_port, 0);
    std::ofstream(net_) << Network({Entry(us_, "http://127.0.0.1:" + std::to_string(us_port)),
                                    Entry(ru_, "http://127.0.0.1:" + std::to_string(ru_port))});
    const std::vector<std::string> flags = {"--clock", "operator", "--poll-ms", "50"};
    us_node_ =
        std::make_unique<NodeProcess>(us_.dir, flags, "127.0.0.1:" + std::to_string(us_port));
    ru_node_ =
        std::make_unique<NodeProcess>(ru_.dir, flags, "127.0.0.1:" + std::to_string(ru_port));
    ASSERT_TRUE(us_node_->started()) << ReadAll(us_node_->stderr_path());
    ASSERT_TRUE(ru_node_->started()) << ReadAll(ru_node_->stderr_path());
    us_token_ = OperatorToken(us_.dir);
    ru_token_ = OperatorToken(ru_.dir);
    // The United States declares through its node before the inspection: the node commits the
    // inventory in a store of its own and logs the statement, in treaty time.
    std::tm tm{};
    tm.tm_year = 2020 - 1900;
    tm.tm_mon = 8;
    tm.tm_mday = 20;
    ASSERT_EQ(Post("US", "/api/clock", {{"now", static_cast<int64_t>(timegm(&tm))}}).status, 200);
    auto declared = client_.Post(Node("US").Url("/api/declarations"),
                                 ReadAll(suite_->File("us.csv")), "text/csv", Operator("US"));
    ASSERT_TRUE(declared.ok());
    ASSERT_EQ(declared->status, 201) << declared->body;
    EXPECT_EQ(json::parse(declared->body)["index"], 0);
    // Russia's node must hold the statement before it requests: the request cites what it saw.
    ASSERT_TRUE(Eventually([&] {
      auto status = client_.Get(Node("RU").Url("/api/status"));
      if (!status.ok()) return false;
      const json doc = json::parse(status->body);  // kept: the loop reads into it
      for (const auto& f : doc["followed"]) {
        if (f["party"] == "US" && f.value("size", 0) == 1) return true;
      }
      return false;
    })) << client_.Get(Node("RU").Url("/api/status"))->body;
  }

  NodeProcess& Node(const std::string& party) { return party == "US" ? *us_node_ : *ru_node_; }
  std::vector<server::HttpHeader> Operator(const std::string& party) {
    return {{"authorization", "Bearer " + (party == "US" ? us_token_ : ru_token_)}};
  }

  server::HttpResponse Post(const std::string& party, const std::string& path, const json& body) {
    auto r = client_.Post(Node(party).Url(path), body.dump(), "application/json", Operator(party));
    EXPECT_TRUE(r.ok()) << path;
    return r.ok() ? *r : server::HttpResponse{};
  }
  // A step at treaty time `hhmm` on 2020-10-01. A step that follows the other party's waits for
  // this node's mirror to have it: 409 until then, so it is retried (up to 20 s).
  json Step(const std::string& party, const char* hhmm, const std::string& step, json body) {
    EXPECT_EQ(Post(party, "/api/clock", {{"now", At(hhmm)}}).status, 200);
    body["id"] = kInspection;
    server::HttpResponse last;
    Eventually([&] {
      last = Post(party, "/api/inspections/" + step, body);
      return last.status != 409;
    });
    EXPECT_EQ(last.status, 201) << party << " " << step << ": " << last.body;
    return last.status == 201 ? json::parse(last.body) : json::object();
  }
  json Show(const std::string& party) {
    auto r = client_.Get(Node(party).Url(std::string("/api/inspections/") + kInspection),
                         Operator(party));
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(r->status, 200) << r->body;
    return r->status == 200 ? json::parse(r->body) : json::object();
  }

  // Request through the designated opening; returns the inspectors' view of the record.
  json Designate() {
    json request = Step("RU", "08:00", "request",
                        {{"type", "type-one"}, {"inspected", "US"}, {"site", "Minot AFB"}});
    EXPECT_EQ(request["kind"], "inspection-request");
    json site = Step("US", "09:00", "open", {{"phase", "site"}});
    EXPECT_EQ(site["delivered_to"], "RU");
    EXPECT_EQ(site["delivered"], true) << site.dump();
    Step("RU", "09:10", "commit", json::object());
    Step("US", "09:11", "commit", json::object());
    Step("US", "09:20", "reveal", json::object());
    Step("RU", "09:21", "reveal", json::object());
    json designated = Step("US", "10:00", "open", {{"phase", "designated"}});
    EXPECT_EQ(designated["delivered"], true) << designated.dump();
    json record;
    Eventually([&] {
      record = Show("RU");
      return record.value("stage", "") == "opened";
    });
    return record;
  }

  static inline TempDir* suite_ = nullptr;
  TempDir t_;
  std::string net_;
  InitOut us_, ru_;
  std::unique_ptr<NodeProcess> us_node_, ru_node_;
  std::string us_token_, ru_token_;
  HttpClient client_;
};

TEST_F(NodeInspection, TwoNodesRunAnInspectionThroughTheirApis) {
  json record = Designate();
  ASSERT_FALSE(record["designated"].empty()) << record.dump(1);
  ASSERT_EQ(record["declared"].size(), record["designated"].size());
  EXPECT_EQ(record["committed"].size(), 2u);
  EXPECT_EQ(record["revealed"].size(), 2u);
  // The secrets stay on the node that drew them (0600), the documents with their owner and in
  // the partner's inbox, nowhere else.
  for (const auto& [dir, party] : {std::pair{us_.dir, "US"}, std::pair{ru_.dir, "RU"}}) {
    const std::string secret = dir + "/private/secrets/" + kInspection + ".secret";
    struct stat st {};
    ASSERT_EQ(::stat(secret.c_str(), &st), 0) << party;
    EXPECT_EQ(st.st_mode & 0777, 0600u) << party;
  }
  EXPECT_EQ(std::distance(fs::directory_iterator(ru_.dir + "/inbox/US"), fs::directory_iterator()),
            2);
  // The inspectors find what was declared: consistent on both nodes.
  json observed = json::array();
  for (const auto& d : record["declared"]) {
    observed.push_back({{"uid", d["uid"]}, {"status", d["status"]}, {"warheads", d["warheads"]}});
  }
  json findings = Step("RU", "12:00", "findings", {{"observed", observed}});
  EXPECT_EQ(findings["delivered"], true) << findings.dump();
  EXPECT_EQ(Show("RU")["verdict"], "consistent") << Show("RU").dump(1);
  json us_view;
  EXPECT_TRUE(Eventually([&] {
    us_view = Show("US");
    return us_view.value("verdict", "") == "consistent";
  })) << us_view.dump(1);
  // The same inspection replayed by the CLI from what the Russian node holds (the documents the
  // US node delivered, its own findings) gives the same verdict.
  std::vector<std::string> args = {"inspection", "status",         "--id",
                                   kInspection,  "--log",          ru_.dir + "/log",
                                   "--log",      us_.dir + "/log", "--json"};
  for (const auto& e : fs::directory_iterator(ru_.dir + "/inbox/US")) {
    args.insert(args.end(), {"--bundle", e.path().string()});
  }
  for (const auto& e : fs::directory_iterator(ru_.dir + "/private/documents/" + kInspection)) {
    args.insert(args.end(), {"--findings", e.path().string()});
  }
  auto cli = RunTally(args, "", {"TALLY_NETWORK=" + net_});
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_EQ(json::parse(cli.out)["verdict"], "consistent") << cli.out;
}

TEST_F(NodeInspection, ADiscrepancyIsFoundOnBothNodes) {
  json record = Designate();
  ASSERT_FALSE(record["declared"].empty());
  json observed = json::array();
  for (const auto& d : record["declared"]) {
    observed.push_back({{"uid", d["uid"]}, {"status", d["status"]}, {"warheads", d["warheads"]}});
  }
  observed[0]["warheads"] = observed[0]["warheads"].get<int>() + 1;  // one RV more than declared
  Step("RU", "12:00", "findings", {{"observed", observed}});
  json us_view;
  EXPECT_TRUE(Eventually([&] {
    us_view = Show("US");
    return us_view.value("verdict", "") == "inconsistent";
  })) << us_view.dump(1);
  ASSERT_FALSE(us_view["discrepancies"].empty());
  EXPECT_EQ(us_view["discrepancies"][0]["uid"], observed[0]["uid"]);
}

TEST_F(NodeInspection, WritesAreTheOperatorsOwnAndFollowTheRules) {
  // No token, the other node's token: 401; reading a record needs the token too.
  auto anon = client_.Post(Node("RU").Url("/api/inspections/request"), "{}", "application/json");
  ASSERT_TRUE(anon.ok());
  EXPECT_EQ(anon->status, 401);
  auto foreign = client_.Post(Node("RU").Url("/api/inspections/request"), "{}", "application/json",
                              Operator("US"));
  EXPECT_EQ(foreign->status, 401);
  auto read = client_.Get(Node("RU").Url(std::string("/api/inspections/") + kInspection));
  EXPECT_EQ(read->status, 401);
  // Before its operator sets treaty time, the node dates nothing.
  auto early =
      Post("RU", "/api/inspections/request",
           {{"id", kInspection}, {"type", "type-one"}, {"inspected", "US"}, {"site", "Minot AFB"}});
  EXPECT_EQ(early.status, 409) << early.body;
  // Bodies are exactly the documented object; errors name the field.
  EXPECT_EQ(Post("RU", "/api/clock", {{"now", At("08:00")}}).status, 200);
  auto unknown = Post("RU", "/api/inspections/request",
                      {{"id", kInspection},
                       {"type", "type-one"},
                       {"inspected", "US"},
                       {"site", "Minot AFB"},
                       {"party", "US"}});
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(json::parse(unknown.body)["field"], "body.party") << unknown.body;
  auto bad_id = Post("RU", "/api/inspections/commit", {{"id", "../../log.private/log"}});
  EXPECT_EQ(bad_id.status, 400);
  EXPECT_EQ(json::parse(bad_id.body)["field"], "body.id");
  // Treaty time never goes back.
  auto back = Post("RU", "/api/clock", {{"now", At("07:00")}});
  EXPECT_EQ(back.status, 409) << back.body;
  // The inspected party cannot open a site before the inspector asked, nor commit twice.
  EXPECT_EQ(Post("US", "/api/clock", {{"now", At("08:30")}}).status, 200);
  auto no_request = Post("US", "/api/inspections/open", {{"id", kInspection}, {"phase", "site"}});
  EXPECT_EQ(no_request.status, 409) << no_request.body;
  Step("RU", "08:40", "request",
       {{"type", "type-one"}, {"inspected", "US"}, {"site", "Minot AFB"}});
  Step("US", "09:00", "open", {{"phase", "site"}});
  Step("RU", "09:10", "commit", json::object());
  auto twice = Post("RU", "/api/inspections/commit", {{"id", kInspection}});
  EXPECT_EQ(twice.status, 409) << twice.body;
  // A reveal without a commitment of this node is refused, and so is a party opening what it
  // does not hold: Russia has no declaration store.
  EXPECT_EQ(Post("US", "/api/clock", {{"now", At("09:12")}}).status, 200);
  auto reveal = Post("US", "/api/inspections/reveal", {{"id", kInspection}});
  EXPECT_EQ(reveal.status, 409) << reveal.body;
  auto ru_open = Post("RU", "/api/inspections/open", {{"id", kInspection}, {"phase", "site"}});
  EXPECT_GE(ru_open.status, 400) << ru_open.body;
  EXPECT_LT(ru_open.status, 500) << ru_open.body;
  // A declaration the escrow refuses says why, and leaves no store and no entry behind.
  auto count = [](const std::string& d) {
    return std::distance(fs::directory_iterator(d), fs::directory_iterator());
  };
  const auto stores_before = count(us_.dir + "/private/stores");
  auto bad = client_.Post(Node("US").Url("/api/declarations"), "uid,kind\nUS-X,not-a-kind\n",
                          "text/csv", Operator("US"));
  ASSERT_TRUE(bad.ok());
  EXPECT_EQ(bad->status, 400) << bad->body;
  EXPECT_EQ(count(us_.dir + "/private/stores"), stores_before);
  auto unauth = client_.Post(Node("US").Url("/api/declarations"), "x", "text/csv");
  EXPECT_EQ(unauth->status, 401);
  // The stores are the node's alone: 0700.
  struct stat st {};
  ASSERT_EQ(::stat((us_.dir + "/private/stores").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0077, 0u);
}

// A node in service dates by the wall clock, and its operator cannot set it.
TEST(NodeClock, AWallClockNodeRefusesToBeSet) {
  TempDir t;
  const std::string net = t.File("network.toml");
  auto us = InitParty(t, "us", "US", "tally.example/us", net);
  std::ofstream(net) << Network({Entry(us, "")});
  NodeProcess node(us.dir, {"--no-mirror"});
  ASSERT_TRUE(node.started()) << ReadAll(node.stderr_path());
  const std::string token = OperatorToken(us.dir);
  HttpClient client;
  auto clock = client.Get(node.Url("/api/clock"));
  ASSERT_TRUE(clock.ok());
  const json doc = json::parse(clock->body);
  EXPECT_EQ(doc["mode"], "wall");
  EXPECT_NEAR(doc["now"].get<double>(), static_cast<double>(std::time(nullptr)), 5);
  auto set = client.Post(node.Url("/api/clock"), R"({"now": 1601539200})", "application/json",
                         {{"authorization", "Bearer " + token}});
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(set->status, 409) << set->body;
  auto anon = client.Post(node.Url("/api/clock"), R"({"now": 1601539200})", "application/json");
  EXPECT_EQ(anon->status, 401);
}

// POST /api/entries: the operator feeds its party's entries made elsewhere; the node logs only its
// own party's, in order, from the size the caller names, and moves its treaty clock with them.
TEST(NodeEntries, OnlyItsOwnPartysEntriesInOrderFromTheNamedSize) {
  TempDir t;
  const std::string net = t.File("network.toml");
  auto us = InitParty(t, "us", "US", "tally.example/us", net);
  auto ru = InitParty(t, "ru", "RU", "tally.example/ru", net);
  std::ofstream(net) << Network({Entry(us, ""), Entry(ru, "")});
  NodeProcess node(us.dir, {"--no-mirror", "--clock", "operator"});
  ASSERT_TRUE(node.started()) << ReadAll(node.stderr_path());
  const std::string token = OperatorToken(us.dir);
  const std::vector<server::HttpHeader> op = {{"authorization", "Bearer " + token}};
  auto entry = [](const std::string& party, int64_t time, const std::string& uid) {
    escrow::Notification n;
    n.party = party;
    n.uid = uid;
    n.event = Date::FromDays(time / 86400);
    n.notified = n.event;
    n.detail = "within Minot AFB";
    auto bytes = tlog::EncodeEntry({static_cast<uint16_t>(tlog::EntryKind::kNotification), party,
                                    time, escrow::NotificationToJson(n)});
    return crypto::Base64Encode(*bytes);
  };
  const int64_t t0 = At("08:00");
  HttpClient client;
  auto post = [&](const json& body, std::vector<server::HttpHeader> headers) {
    auto r = client.Post(node.Url("/api/entries"), body.dump(), "application/json", headers);
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : server::HttpResponse{};
  };
  auto field = [](const server::HttpResponse& r) {
    return json::parse(r.body, nullptr, false).value("field", "");
  };
  // Unauthenticated: 401.
  EXPECT_EQ(post({{"from", 0}, {"entries", {entry("US", t0, "US-ICBM-1")}}}, {}).status, 401);
  // Another party's entry, on this party's log: refused, nothing written.
  auto foreign = post({{"from", 0}, {"entries", {entry("RU", t0, "RU-ICBM-1")}}}, op);
  EXPECT_EQ(foreign.status, 400) << foreign.body;
  EXPECT_EQ(field(foreign), "body.entries[0]");
  // Not base64, or not an entry.
  EXPECT_EQ(field(post({{"from", 0}, {"entries", {"!!"}}}, op)), "body.entries[0]");
  EXPECT_EQ(post({{"from", 0}, {"entries", {"aGVsbG8="}}}, op).status, 400);
  // A size other than the log's: 409 with the log's size, so a caller resumes exactly there.
  auto ahead = post({{"from", 5}, {"entries", {entry("US", t0, "US-ICBM-1")}}}, op);
  EXPECT_EQ(ahead.status, 409);
  EXPECT_EQ(json::parse(ahead.body)["size"], 0);
  // Accepted: logged, and the treaty clock moved to the entry's time.
  auto ok = post({{"from", 0}, {"entries", {entry("US", t0, "US-ICBM-1")}}}, op);
  ASSERT_EQ(ok.status, 201) << ok.body;
  EXPECT_EQ(json::parse(ok.body)["size"], 1);
  EXPECT_EQ(json::parse(client.Get(node.Url("/api/clock"))->body)["now"], t0);
  // The same batch again (a lost answer): 409, size 1; nothing appended twice.
  auto again = post({{"from", 0}, {"entries", {entry("US", t0, "US-ICBM-1")}}}, op);
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(json::parse(again.body)["size"], 1);
  // Backdated, out of order within a batch, or a batch with a bad entry: all refused whole.
  auto back = post({{"from", 1}, {"entries", {entry("US", t0 - 60, "US-ICBM-2")}}}, op);
  EXPECT_EQ(back.status, 400) << back.body;
  auto mixed = post(
      {{"from", 1}, {"entries", {entry("US", t0 + 60, "US-ICBM-2"), entry("US", t0 + 30, "x")}}},
      op);
  EXPECT_EQ(mixed.status, 400);
  EXPECT_EQ(field(mixed), "body.entries[1]");
  auto after = post({{"from", 1}, {"entries", {entry("US", t0 + 60, "US-ICBM-2")}}}, op);
  EXPECT_EQ(after.status, 201) << after.body;
  EXPECT_EQ(json::parse(after.body)["size"], 2);
  // Documents go to another party only, never to itself.
  auto self = post({{"from", 2}, {"deliver", {{{"to", "US"}, {"document", "e30="}}}}}, op);
  EXPECT_EQ(field(self), "body.deliver[0].to");
  auto unknown = post({{"from", 2}, {"x", 1}}, op);
  EXPECT_EQ(field(unknown), "body.x");
}

}  // namespace
}  // namespace tally::testing
