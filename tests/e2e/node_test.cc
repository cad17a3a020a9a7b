// tallyd end to end: `tally node init`, the node serving its log as tlog-tiles (byte for byte the
// files, the same as nginx serving the folder), nothing secret reachable, the tlog-witness
// endpoint's every answer, mirrors that verify and cosign, and a split view caught as a fork.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "e2e/cli_runner.h"
#include "e2e/node_runner.h"
#include "tally/crypto/encoding.h"
#include "tally/node/http_signature.h"
#include "tally/server/http_client.h"
#include "tally/tlog/key_file.h"

namespace tally::testing {
namespace {

namespace fs = std::filesystem;
using server::HttpClient;

void Append(const std::string& node_dir, const std::string& lines) {
  auto r = RunTally({"log", "append", node_dir + "/log", "--raw"}, lines);
  ASSERT_EQ(r.exit_code, 0) << r.err;
}

std::string Lines(int from, int count) {
  std::string s;
  for (int i = from; i < from + count; ++i) s += "entry " + std::to_string(i) + "\n";
  return s;
}

std::vector<std::string> ServedFiles(const std::string& log_dir) {
  std::vector<std::string> out = {"checkpoint"};
  for (const auto& e : fs::recursive_directory_iterator(log_dir + "/tile")) {
    if (e.is_regular_file()) out.push_back(fs::relative(e.path(), log_dir).string());
  }
  return out;
}

TEST(Node, InitServesTheLogAsTlogTilesAndStopsCleanly) {
  TempDir t;
  const std::string net = t.File("network.toml");
  auto us = InitParty(t, "us", "US", "tally.example/us", net);
  // The keys stay private, the served folder holds nothing secret.
  EXPECT_EQ(fs::status(us.dir + "/private").permissions() & fs::perms::all, fs::perms::owner_all);
  EXPECT_EQ(fs::status(us.dir + "/private/node.key").permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
  // Not listed in the network yet: refuses to start.
  std::ofstream(net) << Network({});
  {
    NodeProcess refused(us.dir);
    EXPECT_FALSE(refused.started());
  }
  std::ofstream(net) << Network({Entry(us, "")});
  NodeProcess node(us.dir);
  ASSERT_TRUE(node.started()) << ReadAll(node.stderr_path());
  EXPECT_EQ(ReadAll(us.dir + "/run/ready"), node.address() + "\n");
  Append(us.dir, Lines(0, 300));
  HttpClient client;
  auto health = client.Get(node.Url("/healthz"));
  ASSERT_TRUE(health.ok());
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(nlohmann::json::parse(health->body)["party"], "US");
  // The dashboard at / and its data, beside the log (issue 15).
  auto index = client.Get(node.Url("/"));
  ASSERT_TRUE(index.ok());
  EXPECT_EQ(index->status, 200);
  EXPECT_NE(index->body.find("<html"), std::string::npos);
  auto forces = client.Get(node.Url("/api/forces.json"));
  ASSERT_TRUE(forces.ok());
  EXPECT_EQ(forces->status, 200);
  EXPECT_FALSE(nlohmann::json::parse(forces->body)["points"].empty());
  // The Log page reads the node's own log at / (base ""), under the key the network pins.
  auto regime = client.Get(node.Url("/api/regime.json"));
  ASSERT_TRUE(regime.ok());
  ASSERT_EQ(regime->status, 200);
  const auto logs = nlohmann::json::parse(regime->body)["logs"];
  ASSERT_EQ(logs.size(), 1u);
  EXPECT_EQ(logs[0]["party"], "US");
  EXPECT_EQ(logs[0]["base"], "");
  EXPECT_EQ(logs[0]["key"], us.doc["log_key"]);
  // Inspections replayed from the logs alone: none here, and the page is told why records stop.
  auto inspections = client.Get(node.Url("/api/inspections.json"));
  ASSERT_TRUE(inspections.ok());
  ASSERT_EQ(inspections->status, 200) << inspections->body;
  const auto ins = nlohmann::json::parse(inspections->body);
  EXPECT_TRUE(ins["inspections"].empty());
  EXPECT_EQ(ins["treaty"], "new-start");
  EXPECT_NE(ins["note"].get<std::string>().find("logs alone"), std::string::npos);
  for (const auto& rel : ServedFiles(us.dir + "/log")) {
    auto r = client.Get(node.Url("/" + rel));
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r->status, 200) << rel;
    EXPECT_EQ(r->body, ReadAll(us.dir + "/log/" + rel)) << rel;
    const std::string cc = *r->Header("cache-control");
    if (rel == "checkpoint") {
      EXPECT_EQ(*r->Header("content-type"), "text/plain; charset=utf-8");
      EXPECT_EQ(cc, "no-cache");
    } else {
      EXPECT_EQ(*r->Header("content-type"), "application/octet-stream");
      if (rel.find(".p/") == std::string::npos) {
        EXPECT_EQ(cc, "public, max-age=31536000, immutable") << rel;
      } else {
        EXPECT_EQ(cc.find("immutable"), std::string::npos) << rel;
      }
    }
  }
  // Not canonical, not covered by the checkpoint, or not a tile: 404.
  for (const char* path : {"/tile/0/0", "/tile/0/001", "/tile/0/000.p/0", "/tile/0/001.p/45",
                           "/tile/1/000", "/tile/entries/002.p/1", "/tile/0/x000/000", "/vkey",
                           "/tile/", "/tile/0/000/", "/log.key"}) {
    auto r = client.Get(node.Url(path));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->status, 404) << path;
    EXPECT_EQ(*r->Header("content-type"), "application/problem+json") << path;
  }
  // `tally log monitor` reads the node over HTTP and verifies every tile.
  auto mon = RunTally(
      {"log", "monitor", node.Url("/"), "--vkey", us.doc["log_key"].get<std::string>(), "--json"});
  ASSERT_EQ(mon.exit_code, 0) << mon.err;
  EXPECT_EQ(nlohmann::json::parse(mon.out)["size"], 300);
  EXPECT_EQ(node.Stop(), 0);
  const std::string log = ReadAll(node.stderr_path());
  EXPECT_NE(log.find("\"event\":\"listening\""), std::string::npos);
  EXPECT_NE(log.find("\"event\":\"stopped\""), std::string::npos);
  // Every stderr line is one JSON object.
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    EXPECT_FALSE(nlohmann::json::parse(line, nullptr, false).is_discarded()) << line;
  }
}

TEST(Node, PartyApiLogsNotificationsForTheOperatorOnly) {
  TempDir t;
  const std::string net = t.File("network.toml");
  auto us = InitParty(t, "us", "US", "tally.example/us", net);
  std::ofstream(net) << Network({Entry(us, "")});
  NodeProcess node(us.dir);
  ASSERT_TRUE(node.started()) << ReadAll(node.stderr_path());
  const std::string token = OperatorToken(us.dir);
  EXPECT_EQ(fs::status(us.dir + "/private/operator.token").permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
  HttpClient client;
  const std::string body = R"({"type":"movement","uid":"US-ICBM-000001","event":"2021-03-02",)"
                           R"("detail":"within Minot AFB"})";
  auto post = [&](const std::string& b, const std::string& auth) {
    std::vector<server::HttpHeader> headers;
    if (!auth.empty()) headers.push_back({"authorization", auth});
    return client.Post(node.Url("/api/notifications"), b, "application/json", headers).value();
  };
  // No token, a wrong one, another party's node key signature: 401, nothing logged.
  EXPECT_EQ(post(body, "").status, 401);
  EXPECT_EQ(post(body, "Bearer " + std::string(64, '0')).status, 401);
  EXPECT_EQ(post(body, "Bearer " + token.substr(0, 63)).status, 401);
  // The operator: logged on the party's own log, as `tally notify add` does.
  auto ok = post(body, "Bearer " + token);
  ASSERT_EQ(ok.status, 201) << ok.body;
  auto doc = nlohmann::json::parse(ok.body);
  EXPECT_EQ(doc["index"], 0);
  EXPECT_EQ(doc["due"], "2021-03-07");
  EXPECT_EQ(doc["late"], true);  // notified today, by the node's clock
  auto status = client.Get(node.Url("/api/status")).value();
  EXPECT_EQ(nlohmann::json::parse(status.body)["size"], 1);
  // Bad bodies name their field; an entry dated before the log's latest is a conflict.
  auto unknown =
      post(R"({"type":"movement","uid":"x","event":"2021-03-02","party":"RU"})", "Bearer " + token);
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(nlohmann::json::parse(unknown.body)["field"], "body.party");
  auto bad_date = post(R"({"type":"movement","uid":"x","event":"2021-02-30"})", "Bearer " + token);
  EXPECT_EQ(bad_date.status, 400);
  EXPECT_EQ(nlohmann::json::parse(bad_date.body)["field"], "body.event");
  // The node's clock dates it: no backdating a late notification, no future-dating the log shut.
  auto backdated =
      post(R"({"type":"movement","uid":"x","event":"2021-03-01","notified":"2021-03-02"})",
           "Bearer " + token);
  EXPECT_EQ(backdated.status, 400) << backdated.body;
  EXPECT_EQ(nlohmann::json::parse(backdated.body)["field"], "body.notified");
  auto future = post(R"({"type":"movement","uid":"x","event":"2062-03-01"})", "Bearer " + token);
  EXPECT_EQ(future.status, 400) << future.body;
  EXPECT_EQ(nlohmann::json::parse(future.body)["field"], "body.event");
  EXPECT_EQ(post("[1]", "Bearer " + token).status, 400);
  // Quotas from the node's own log (no request yet): every type at zero used.
  auto quotas = client.Get(node.Url("/api/quotas?treaty=new-start&date=2021-06-01")).value();
  ASSERT_EQ(quotas.status, 200) << quotas.body;
  auto q = nlohmann::json::parse(quotas.body);
  ASSERT_FALSE(q["quotas"].empty());
  for (const auto& row : q["quotas"]) EXPECT_EQ(row["used"], 0);
  EXPECT_EQ(client.Get(node.Url("/api/quotas?treaty=nope")).value().status, 400);
  // The routes are in the OpenAPI document.
  auto api = client.Get(node.Url("/openapi.json")).value();
  EXPECT_NE(api.body.find("/api/notifications"), std::string::npos);
  auto log = RunTally({"log", "get", us.dir + "/log", "--index", "0", "--json"});
  ASSERT_EQ(log.exit_code, 0) << log.err;
  EXPECT_NE(log.out.find("notification"), std::string::npos) << log.out;
}

TEST(Node, NothingServedIsSecret) {
  TempDir t;
  const std::string net = t.File("network.toml");
  auto us = InitParty(t, "us", "US", "tally.example/us", net);
  std::ofstream(net) << Network({Entry(us, "")});
  NodeProcess node(us.dir);
  ASSERT_TRUE(node.started()) << ReadAll(node.stderr_path());
  Append(us.dir, Lines(0, 10));
  // Every secret file of the node directory, by every path a traversal could take.
  std::vector<std::string> secrets;
  for (const auto& e : fs::recursive_directory_iterator(us.dir)) {
    if (e.is_regular_file() && (e.path().filename().string().ends_with(".key") ||
                                e.path().filename() == "operator.token")) {
      secrets.push_back(ReadAll(e.path().string()));
    }
  }
  ASSERT_GE(secrets.size(), 4u);
  std::vector<std::string> paths;
  for (const auto& e : fs::recursive_directory_iterator(us.dir)) {
    const std::string rel = fs::relative(e.path(), us.dir).string();
    paths.push_back("/" + rel);
    for (const char* prefix : {"/tile/../", "/tile/0/../../", "/tile/%2e%2e/", "/tile/..%2f..%2f",
                               "/tile/entries/../../../", "/log/", "/%2e%2e/", "//"}) {
      paths.push_back(std::string(prefix) + rel);
    }
  }
  HttpClient client;
  for (const auto& p : paths) {
    auto r = client.Get(node.Url(p));
    if (!r.ok()) continue;
    for (const auto& s : secrets) {
      ASSERT_EQ(r->body.find(s.substr(s.rfind('+') + 1, 40)), std::string::npos) << p;
    }
    EXPECT_EQ(r->body.find("PRIVATE+KEY"), std::string::npos) << p;
    if (p != "/alarms") {  // the alarms route, not the folder
      EXPECT_NE(r->status, 200) << p;
    }
  }
  // And every route the OpenAPI document lists answers without a secret.
  auto doc = client.Get(node.Url("/openapi.json"));
  ASSERT_TRUE(doc.ok());
  auto api = nlohmann::json::parse(doc->body);
  EXPECT_EQ(api["openapi"], "3.1.0");
  for (const auto& [path, ops] : api["paths"].items()) {
    std::string concrete = path;
    if (auto b = concrete.find('{'); b != std::string::npos)
      concrete = concrete.substr(0, b) + "0/000";
    for (const auto& [method, op] : ops.items()) {
      auto r = method == "get" ? client.Get(node.Url(concrete))
                               : client.Post(node.Url(concrete), "old 0\n\n", "text/plain");
      ASSERT_TRUE(r.ok()) << path;
      EXPECT_LT(r->status, 500) << path;
      EXPECT_EQ(r->body.find("PRIVATE+KEY"), std::string::npos) << path;
    }
  }
}

TEST(Node, WitnessAnswersAsTlogWitnessSays) {
  TempDir t;
  const std::string net = t.File("network.toml");
  auto us = InitParty(t, "us", "US", "tally.example/us", net);
  auto ru = InitParty(t, "ru", "RU", "tally.example/ru", net);
  std::ofstream(net) << Network({Entry(us, ""), Entry(ru, "")});
  Append(us.dir, Lines(0, 5));
  NodeProcess node(ru.dir, {"--no-mirror"});
  ASSERT_TRUE(node.started()) << ReadAll(node.stderr_path());
  HttpClient client;
  auto post = [&](const std::string& body) {
    auto r = client.Post(node.Url("/add-checkpoint"), body, "text/plain");
    EXPECT_TRUE(r.ok());
    return *r;
  };
  const std::string cp5 = ReadAll(us.dir + "/log/checkpoint");
  // 200: a cosignature line by RU's witness key.
  auto ok = post("old 0\n\n" + cp5);
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_TRUE(ok.body.starts_with("\xe2\x80\x94 tally.example/ru/witness ")) << ok.body;
  auto verify = RunTally({"log", "verify", "--vkey", us.doc["log_key"].get<std::string>(), "--vkey",
                          ru.doc["witness_key"].get<std::string>(), "--note",
                          t.Write("cosigned", cp5 + ok.body)});
  EXPECT_EQ(verify.exit_code, 0) << verify.err;
  // 409 with the size it holds when the old size is stale.
  Append(us.dir, Lines(5, 7));
  const std::string cp12 = ReadAll(us.dir + "/log/checkpoint");
  auto stale = post("old 0\n\n" + cp12);
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(stale.body, "5\n");
  EXPECT_EQ(*stale.Header("content-type"), "text/x.tlog.size");
  // 400: old above new. 404: an origin the network does not list. 403: not signed by the key.
  EXPECT_EQ(post("old 13\n\n" + cp12).status, 400);
  EXPECT_EQ(post("garbage").status, 400);
  TempDir other;
  ASSERT_EQ(
      RunTally({"log", "init", other.File("x"), "--origin", "tally.example/unknown"}).exit_code, 0);
  EXPECT_EQ(post("old 0\n\n" + ReadAll(other.File("x/checkpoint"))).status, 404);
  ASSERT_EQ(RunTally({"log", "init", other.File("y"), "--origin", "tally.example/us"}).exit_code,
            0);
  EXPECT_EQ(post("old 0\n\n" + ReadAll(other.File("y/checkpoint"))).status, 403);
  // 422: a proof that does not verify (kept as evidence).
  auto bad = post("old 5\n" + std::string(43, 'A') + "=\n\n" + cp12);
  EXPECT_EQ(bad.status, 422);
  // The real proof: `tally log prove` gives it; 200.
  auto proof = RunTally({"log", "prove", us.dir + "/log", "--consistency", "5", "12"});
  ASSERT_EQ(proof.exit_code, 0) << proof.err;
  std::string body = "old 5\n";
  const auto proof_doc = nlohmann::json::parse(proof.out);
  for (const auto& h : proof_doc["proof"]) body += h.get<std::string>() + "\n";
  auto real12 = post(body + "\n" + cp12);
  EXPECT_EQ(real12.status, 200) << real12.body;
  // 409 for a second root at the size it holds (a fork), and an alarm.
  // The fork is the same log with its key: the served tree and its private directory beside it.
  fs::copy(us.dir + "/log", t.File("fork"), fs::copy_options::recursive);
  fs::copy(us.dir + "/log.private", t.File("fork.private"), fs::copy_options::recursive);
  fs::remove(t.File("fork.private/lock"));
  auto forked = RunTally({"log", "append", t.File("fork"), "--raw"}, Lines(100, 1));
  ASSERT_EQ(forked.exit_code, 0) << forked.err;
  Append(us.dir, Lines(12, 1));
  auto grow = RunTally({"log", "prove", us.dir + "/log", "--consistency", "12", "13"});
  std::string real = "old 12\n";
  const auto grow_doc = nlohmann::json::parse(grow.out);
  for (const auto& h : grow_doc["proof"]) real += h.get<std::string>() + "\n";
  EXPECT_EQ(post(real + "\n" + ReadAll(us.dir + "/log/checkpoint")).status, 200);
  auto fork = post("old 13\n\n" + ReadAll(t.File("fork/checkpoint")));
  EXPECT_EQ(fork.status, 409);
  EXPECT_EQ(fork.body, "13\n");
  auto alarms = client.Get(node.Url("/alarms"));
  ASSERT_TRUE(alarms.ok());
  auto list = nlohmann::json::parse(alarms->body)["alarms"];
  ASSERT_GE(list.size(), 1u);
  EXPECT_EQ(list.back()["origin"], "tally.example/us");
  EXPECT_EQ(list.back()["checkpoints"].size(), 2u);
  // A log asks the node for its cosignature as any tlog-witness client would.
  Append(us.dir, Lines(13, 4));
  auto cosigned = RunTally({"log", "cosign", us.dir + "/log", "--witness", node.Url("/")});
  ASSERT_EQ(cosigned.exit_code, 0) << cosigned.err;
  auto both = RunTally({"log", "verify", "--vkey", us.doc["log_key"].get<std::string>(), "--vkey",
                        ru.doc["witness_key"].get<std::string>(), "--note",
                        t.Write("cosigned17", cosigned.out), "--json"});
  EXPECT_EQ(both.exit_code, 0) << both.err;
  EXPECT_NE(cosigned.out.find("\n17\n"), std::string::npos);
  EXPECT_EQ(node.Stop(), 0);
  EXPECT_EQ(RunTally({"node", "status", ru.dir}).exit_code, 1);
}

TEST(Node, MirrorsVerifyCosignAndCatchASplitView) {
  TempDir t;
  const std::string net = t.File("network.toml");
  auto us = InitParty(t, "us", "US", "tally.example/us", net);
  auto ru = InitParty(t, "ru", "RU", "tally.example/ru", net);
  auto w = InitWitness(t, "w", "tally.example/witness", net);
  std::ofstream(net) << Network({Entry(us, ""), Entry(ru, ""), Entry(w, "")});
  Append(us.dir, Lines(0, 600));
  // Learn each node's port, then write the network with the URLs and restart on those ports.
  std::string us_addr, ru_addr, w_addr;
  {
    NodeProcess a(us.dir, {"--no-mirror"}), b(ru.dir, {"--no-mirror"}), c(w.dir, {"--no-mirror"});
    ASSERT_TRUE(a.started() && b.started() && c.started());
    us_addr = a.address();
    ru_addr = b.address();
    w_addr = c.address();
  }
  std::ofstream(net) << Network({Entry(us, "http://" + us_addr + "/"),
                                 Entry(ru, "http://" + ru_addr + "/"),
                                 Entry(w, "http://" + w_addr + "/")});
  NodeProcess usn(us.dir, {"--poll-ms", "100"}, us_addr);
  NodeProcess run(ru.dir, {"--poll-ms", "100"}, ru_addr);
  NodeProcess wn(w.dir, {"--poll-ms", "100"}, w_addr);
  ASSERT_TRUE(usn.started() && run.started() && wn.started()) << ReadAll(run.stderr_path());
  HttpClient client;
  auto view_size = [&](const NodeProcess& n, const std::string& origin) -> int64_t {
    auto r = client.Get(n.Url("/view"));
    if (!r.ok() || r->status != 200) return -1;
    const auto checkpoints_doc = nlohmann::json::parse(r->body);
    for (const auto& c : checkpoints_doc["checkpoints"]) {
      if (c["origin"] == origin) {
        std::string note = c["note"];
        return std::stoll(note.substr(note.find('\n') + 1));
      }
    }
    return -1;
  };
  ASSERT_TRUE(Eventually([&] { return view_size(run, "tally.example/us") == 600; }))
      << ReadAll(run.stderr_path());
  ASSERT_TRUE(Eventually([&] { return view_size(wn, "tally.example/us") == 600; }));
  Append(us.dir, Lines(600, 77));
  ASSERT_TRUE(Eventually([&] { return view_size(run, "tally.example/us") == 677; }));
  // The mirror is a log folder any replay can read: the monitor verifies it.
  std::string mirror;
  for (const auto& e : fs::directory_iterator(ru.dir + "/mirrors")) mirror = e.path().string();
  auto mon = RunTally({"log", "monitor", mirror, "--vkey", us.doc["log_key"].get<std::string>()});
  EXPECT_EQ(mon.exit_code, 0) << mon.err;
  // Each witness cosigned what its mirror verified.
  EXPECT_TRUE(Eventually([&] {
    auto r = client.Post(wn.Url("/add-checkpoint"),
                         "old 0\n\n" + ReadAll(us.dir + "/log/checkpoint"), "text/plain");
    return r.ok() && r->status == 409 && r->body == "677\n";
  }));
  EXPECT_EQ(RunTally({"node", "status", ru.dir}).exit_code, 0);
  // RU's party API reads the verified mirror as a replay would.
  auto quotas = client.Get(run.Url("/api/quotas?date=2021-06-01")).value();
  ASSERT_EQ(quotas.status, 200) << quotas.body;
  EXPECT_TRUE(nlohmann::json::parse(quotas.body)["unread"].empty()) << quotas.body;
  auto followed = nlohmann::json::parse(client.Get(run.Url("/api/status")).value().body);
  bool saw_us = false;
  for (const auto& f : followed["followed"]) {
    if (f["party"] == "US") {
      EXPECT_EQ(f["size"], 677);
      saw_us = true;
    }
  }
  EXPECT_TRUE(saw_us) << followed.dump();

  // The split view: US shows RU a forked log (same key, other entries) while the witness keeps
  // the real one. RU's mirror refuses the fork; RU's check of the witness's view raises the alarm.
  run.Stop();
  fs::copy(us.dir, t.File("us-fork"), fs::copy_options::recursive);
  fs::remove(t.File("us-fork/run/ready"));
  ASSERT_EQ(RunTally({"log", "append", t.File("us-fork/log"), "--raw"}, Lines(1000, 23)).exit_code,
            0);
  Append(us.dir, Lines(677, 23));  // the real log, same size 700, another root
  NodeProcess evil(t.File("us-fork"), {"--no-mirror"});
  ASSERT_TRUE(evil.started()) << ReadAll(evil.stderr_path());
  const std::string ru_net = t.File("ru-network.toml");
  std::ofstream(ru_net) << Network({Entry(us, evil.Url("/")), Entry(ru, "http://" + ru_addr + "/"),
                                    Entry(w, "http://" + w_addr + "/")});
  ASSERT_TRUE(Eventually([&] { return view_size(wn, "tally.example/us") == 700; }));
  NodeProcess ru2(ru.dir, {"--poll-ms", "100", "--network", ru_net}, ru_addr);
  ASSERT_TRUE(ru2.started()) << ReadAll(ru2.stderr_path());
  ASSERT_TRUE(Eventually([&] {
    auto r = client.Get(ru2.Url("/alarms"));
    return r.ok() && !nlohmann::json::parse(r->body)["alarms"].empty();
  })) << ReadAll(ru2.stderr_path());
  auto alarms = nlohmann::json::parse(client.Get(ru2.Url("/alarms"))->body)["alarms"];
  EXPECT_EQ(alarms[0]["kind"], "fork");
  EXPECT_EQ(alarms[0]["origin"], "tally.example/us");
  ASSERT_EQ(alarms[0]["checkpoints"].size(), 2u);
  // Both checkpoints are signed by US's log key (anyone can check the evidence).
  for (const auto& note : alarms[0]["checkpoints"]) {
    auto v = RunTally({"log", "verify", "--vkey", us.doc["log_key"].get<std::string>(), "--note",
                       t.Write("evidence", note.get<std::string>())});
    EXPECT_EQ(v.exit_code, 0) << v.err;
  }
  auto status = RunTally({"node", "status", ru.dir, "--json"});
  EXPECT_EQ(status.exit_code, 1);
  EXPECT_EQ(ru2.Stop(), 0);
}

// nginx from Debian serves the node's log folder; a tlog client verifies it, and every file it
// serves is byte for byte what tallyd serves.
TEST(Node, NginxServesTheSameTilesAsTheNode) {
  const char* nginx = fs::exists("/usr/sbin/nginx") ? "/usr/sbin/nginx" : nullptr;
  if (!nginx) GTEST_SKIP() << "nginx is not installed (scripts/setup installs it)";
  TempDir t;
  const std::string net = t.File("network.toml");
  auto us = InitParty(t, "us", "US", "tally.example/us", net);
  std::ofstream(net) << Network({Entry(us, "")});
  Append(us.dir, Lines(0, 600));
  NodeProcess node(us.dir, {"--no-mirror"});
  ASSERT_TRUE(node.started());
  // nginx cannot listen on port 0 and report it: the kernel picks a free port for a socket that
  // is closed just before nginx binds it.
  const int port = FreePort();
  ASSERT_NE(port, 0);
  const std::string conf = t.Write(
      "nginx.conf",
      "worker_processes 1;\ndaemon off;\nuser root;\npid " + t.File("nginx.pid") + ";\nerror_log " +
          t.File("nginx.err") +
          ";\nevents {}\nhttp {\n  access_log off;\n  client_body_temp_path " + t.File("b") +
          ";\n  proxy_temp_path " + t.File("p") + ";\n  fastcgi_temp_path " + t.File("f") +
          ";\n  uwsgi_temp_path " + t.File("u") + ";\n  scgi_temp_path " + t.File("s") +
          ";\n  server {\n    listen 127.0.0.1:" + std::to_string(port) + ";\n    root " + us.dir +
          "/log;\n    location = /checkpoint { default_type \"text/plain; charset=utf-8\"; }\n"
          "    location / { default_type application/octet-stream; }\n  }\n}\n");
  const pid_t pid = fork();
  if (pid == 0) {
    execl(nginx, nginx, "-c", conf.c_str(), "-p", t.path().c_str(), nullptr);
    _exit(127);
  }
  HttpClient client;
  const std::string base = "http://127.0.0.1:" + std::to_string(port);
  ASSERT_TRUE(Eventually([&] {
    auto r = client.Get(base + "/checkpoint");
    return r.ok() && r->status == 200;
  })) << ReadAll(t.File("nginx.err"));
  for (const auto& rel : ServedFiles(us.dir + "/log")) {
    auto a = client.Get(base + "/" + rel);
    auto b = client.Get(node.Url("/" + rel));
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(a->status, 200) << rel;
    EXPECT_EQ(a->body, b->body) << rel;
  }
  auto mon = RunTally(
      {"log", "monitor", base + "/", "--vkey", us.doc["log_key"].get<std::string>(), "--json"});
  EXPECT_EQ(mon.exit_code, 0) << mon.err;
  EXPECT_EQ(nlohmann::json::parse(mon.out)["size"], 600);
  kill(pid, SIGTERM);
  waitpid(pid, nullptr, 0);
}

TEST(Node, SignedWritesBetweenNodes) {
  TempDir t;
  const std::string net = t.File("network.toml");
  auto us = InitParty(t, "us", "US", "tally.example/us", net);
  auto ru = InitParty(t, "ru", "RU", "tally.example/ru", net);
  std::ofstream(net) << Network({Entry(us, ""), Entry(ru, "")});
  NodeProcess node(ru.dir, {"--no-mirror"});
  ASSERT_TRUE(node.started()) << ReadAll(node.stderr_path());
  const std::string doc = t.Write("findings.json", "{\"partner only\": true}\n");
  auto sent = RunTally({"node", "send", us.dir, "--to", node.Url("/"), "--file", doc});
  ASSERT_EQ(sent.exit_code, 0) << sent.err << sent.out;
  const auto stored = nlohmann::json::parse(sent.out);
  EXPECT_EQ(stored["from"], "US");
  const std::string path = ru.dir + "/inbox/US/" + stored["sha256"].get<std::string>();
  EXPECT_EQ(ReadAll(path), ReadAll(doc));
  EXPECT_EQ(fs::status(path).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
  HttpClient client;
  // Unsigned: 401, as problem+json naming the header.
  auto unsigned_post = client.Post(node.Url("/inbox/US"), "x", "application/octet-stream");
  ASSERT_TRUE(unsigned_post.ok());
  EXPECT_EQ(unsigned_post->status, 401);
  EXPECT_EQ(nlohmann::json::parse(unsigned_post->body)["field"], "header.signature");
  // Signed with US's node key by hand: accepted once, the replay refused.
  auto skey = tlog::ReadSecretKeyFile(us.dir + "/private/node.key");
  ASSERT_TRUE(skey.ok());
  auto signer = tlog::Ed25519NoteSigner::FromSignerKey(crypto::AsText(skey->bytes()));
  ASSERT_TRUE(signer.ok());
  auto post_signed = [&](const std::string& path_part, const std::string& body) {
    std::vector<server::HttpHeader> h;
    node::SignRequest(**signer, "US", static_cast<int64_t>(std::time(nullptr)), "POST", path_part,
                      body, h);
    return h;
  };
  auto h = post_signed("/inbox/US", "second");
  auto first = client.Send("POST", node.Url("/inbox/US"), h, "second");
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->status, 201);
  auto replay = client.Send("POST", node.Url("/inbox/US"), h, "second");
  ASSERT_TRUE(replay.ok());
  EXPECT_EQ(replay->status, 401);
  // Wrongly signed (the body changed after signing): 401.
  auto tampered = client.Send("POST", node.Url("/inbox/US"), post_signed("/inbox/US", "a"), "b");
  EXPECT_EQ(tampered->status, 401);
  // Cross-party: US signs a delivery claiming to come from RU: 403.
  auto cross = client.Send("POST", node.Url("/inbox/RU"), post_signed("/inbox/RU", "c"), "c");
  EXPECT_EQ(cross->status, 403);
  // Oversize bodies are refused before they are read.
  auto big =
      client.Post(node.Url("/inbox/US"), std::string(2 << 20, 'x'), "application/octet-stream");
  ASSERT_TRUE(big.ok());
  EXPECT_EQ(big->status, 413);
}

}  // namespace
}  // namespace tally::testing
