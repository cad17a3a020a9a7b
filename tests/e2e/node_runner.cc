#include "e2e/node_runner.h"

#include <gtest/gtest.h>

namespace tally::testing {

InitOut InitParty(const TempDir& t, const std::string& name, const std::string& party,
                  const std::string& origin, const std::string& network) {
  auto r = RunTally({"node", "init", t.File(name), "--network", network, "--party", party,
                     "--origin", origin, "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return {t.File(name), nlohmann::json::parse(r.out)};
}

InitOut InitWitness(const TempDir& t, const std::string& name, const std::string& key_name,
                    const std::string& network) {
  auto r = RunTally(
      {"node", "init", t.File(name), "--network", network, "--witness", key_name, "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return {t.File(name), nlohmann::json::parse(r.out)};
}

std::string Entry(const InitOut& n, const std::string& url) {
  std::string e = n.doc["network_entry"];
  const size_t at = e.find("url = \"");
  if (at != std::string::npos) e = e.substr(0, at) + "url = \"" + url + "\"\n";
  if (url.empty() && at != std::string::npos) e = e.substr(0, at);
  return e;
}

std::string Network(const std::vector<std::string>& entries, int k) {
  std::string out = "format = \"tally-network/1\"\nname = \"e2e\"\n\n[policy]\ncosignatures = " +
                    std::to_string(k) + "\n\n";
  for (const auto& e : entries) out += e + "\n";
  return out;
}

std::string OperatorToken(const std::string& node_dir) {
  std::string token = ReadAll(node_dir + "/private/operator.token");
  while (!token.empty() && token.back() == '\n') token.pop_back();
  return token;
}

int FreePort() { return node::FreeLoopbackPort(); }

}  // namespace tally::testing
