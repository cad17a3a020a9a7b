// kill -9 a node while it cosigns and mirrors, again and again: after each restart its witness
// holds at least every size it acknowledged (it never cosigns a tree inconsistent with one it
// cosigned before the crash), its mirror still verifies, and it catches up with the log.
// TALLY_NODE_CRASH_ITERATIONS sets the number of kills (default 12; the soak runs 100).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "e2e/cli_runner.h"
#include "e2e/node_runner.h"
#include "tally/server/http_client.h"

namespace tally::testing {
namespace {

namespace fs = std::filesystem;

int Iterations() {
  const char* env = std::getenv("TALLY_NODE_CRASH_ITERATIONS");
  return env ? std::max(1, std::atoi(env)) : 12;
}

nlohmann::json Init(const std::vector<std::string>& args) {
  auto r = RunTally(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return nlohmann::json::parse(r.out);
}

std::string Entry(const nlohmann::json& doc, const std::string& url) {
  std::string e = doc["network_entry"];
  return e.substr(0, e.find("url = \"")) + "url = \"" + url + "\"\n";
}

uint64_t SizeOf(const std::string& note) { return std::stoull(note.substr(note.find('\n') + 1)); }

TEST(NodeCrashSlow, WitnessAndMirrorSurviveKill9) {
  TempDir t;
  const std::string net = t.File("network.toml");
  const std::string us = t.File("us"), ru = t.File("ru");
  auto us_doc = Init({"node", "init", us, "--network", net, "--party", "US", "--origin",
                      "tally.example/us", "--json"});
  auto ru_doc = Init({"node", "init", ru, "--network", net, "--party", "RU", "--origin",
                      "tally.example/ru", "--json"});
  const std::string head = "format = \"tally-network/1\"\nname = \"crash\"\n\n";
  std::ofstream(net) << head << Entry(us_doc, "") << "\n" << Entry(ru_doc, "");
  std::string us_addr;
  {
    NodeProcess probe(us, {"--no-mirror"});
    ASSERT_TRUE(probe.started());
    us_addr = probe.address();
  }
  std::ofstream(net) << head << Entry(us_doc, "http://" + us_addr + "/") << "\n"
                     << Entry(ru_doc, "");
  NodeProcess usn(us, {"--no-mirror"}, us_addr);
  ASSERT_TRUE(usn.started());
  std::mt19937 rng(13);
  uint64_t acked = 0;
  std::string acked_note;
  int appended = 0;
  for (int i = 0; i < Iterations(); ++i) {
    std::string lines;
    const int n = 1 + static_cast<int>(rng() % 300);
    for (int k = 0; k < n; ++k) lines += "e" + std::to_string(appended++) + "\n";
    ASSERT_EQ(RunTally({"log", "append", us + "/log", "--raw"}, lines).exit_code, 0);
    NodeProcess node(ru, {"--poll-ms", "20"});
    ASSERT_TRUE(node.started()) << ReadAll(node.stderr_path());
    // A witness client cosigns the current checkpoint while the mirror fetches and cosigns.
    server::HttpClient client(std::chrono::seconds(5));
    const std::string note = ReadAll(us + "/log/checkpoint");
    std::thread ask([&] {
      auto line = RunTally({"log", "cosign", us + "/log", "--witness", node.Url("/")});
      if (line.exit_code == 0) {
        acked = SizeOf(note);
        acked_note = note;
      }
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(rng() % 120));
    node.Kill9();
    ask.join();
    // Restarted: the witness holds at least what it acknowledged; the mirror still verifies.
    NodeProcess again(ru, {"--no-mirror"});
    ASSERT_TRUE(again.started()) << ReadAll(again.stderr_path());
    auto held = client.Post(again.Url("/add-checkpoint"), "old 0\n\n" + note, "text/plain");
    ASSERT_TRUE(held.ok());
    if (held->status == 409) {
      EXPECT_GE(std::stoull(held->body), acked) << "iteration " << i;
    } else {
      EXPECT_EQ(held->status, 200) << held->body;  // it held nothing yet
      EXPECT_EQ(acked, 0u);
    }
    for (const auto& e : fs::directory_iterator(ru + "/mirrors")) {
      if (!fs::exists(e.path() / "checkpoint")) continue;
      auto mon = RunTally(
          {"log", "monitor", e.path().string(), "--vkey", us_doc["log_key"].get<std::string>()});
      EXPECT_EQ(mon.exit_code, 0) << "iteration " << i << ": " << mon.err;
    }
    EXPECT_EQ(again.Stop(), 0);
  }
  // Finally the mirror catches up with the whole log.
  NodeProcess last(ru, {"--poll-ms", "20"});
  ASSERT_TRUE(last.started());
  server::HttpClient client;
  const uint64_t size = SizeOf(ReadAll(us + "/log/checkpoint"));
  bool caught_up = false;
  for (int k = 0; k < 400 && !caught_up; ++k) {
    auto v = client.Get(last.Url("/view"));
    if (v.ok()) {
      const auto checkpoints_doc = nlohmann::json::parse(v->body);
      for (const auto& c : checkpoints_doc["checkpoints"]) {
        if (c["origin"] == "tally.example/us" && SizeOf(c["note"]) == size) caught_up = true;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(caught_up);
  EXPECT_EQ(RunTally({"node", "status", ru}).exit_code, 0);
}

}  // namespace
}  // namespace tally::testing
