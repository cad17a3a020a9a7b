// `tally inspect commit|seed|select`: joint randomness by commit-reveal, and selections anyone
// can recompute from the resulting seed (docs/formats/joint-randomness.md).
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "tally/base/file.h"
#include "tally/cli/command.h"
#include "tally/cli/secret_file.h"
#include "tally/crypto/encoding.h"
#include "tally/crypto/random.h"
#include "tally/inspect/joint_randomness.h"
#include "tally/inspect/sampler.h"

namespace tally::cli {
namespace {

using nlohmann::json;

Result<std::array<uint8_t, 32>> Hex32(std::string_view field, std::string_view text) {
  auto bytes = crypto::HexDecode(text);
  if (!bytes || bytes->size() != 32) {
    return InvalidArgument(std::string(field) + ": expected 64 hex digits (32 bytes), got \"" +
                           std::string(text) + "\"");
  }
  std::array<uint8_t, 32> out;
  std::copy(bytes->begin(), bytes->end(), out.begin());
  return out;
}

// "PARTY=HEX"
Result<std::pair<std::string, std::array<uint8_t, 32>>> PartyHex(std::string_view flag,
                                                                 const std::string& spec) {
  const size_t eq = spec.find('=');
  if (eq == std::string::npos || eq == 0) {
    return InvalidArgument(std::string(flag) + ": expected PARTY=HEX, got \"" + spec + "\"");
  }
  TALLY_ASSIGN_OR_RETURN(auto value,
                         Hex32(std::string(flag) + " " + spec.substr(0, eq), spec.substr(eq + 1)));
  return std::pair{spec.substr(0, eq), value};
}

struct CommitArgs {
  std::string round, party, secret_file;
  bool reveal = false, json = false;
};

int RunCommit(Context& ctx, const CommitArgs& a) {
  // A new secret only when committing; a reveal needs the one committed to.
  auto loaded = LoadOrCreateSecret(a.secret_file, !a.reveal);
  if (!loaded.ok()) return Fail(ctx, loaded.error());
  const inspect::Secret& secret = *loaded;
  const auto commitment = inspect::CommitmentFor(a.round, a.party, secret);
  json doc = {
      {"round", a.round}, {"party", a.party}, {"commitment", crypto::HexEncode(commitment)}};
  // The secret leaves the file only when the party chooses to reveal it.
  if (a.reveal) doc["secret"] = crypto::HexEncode(secret);
  if (a.json) {
    *ctx.out << doc.dump(2) << "\n";
  } else {
    *ctx.out << (a.reveal ? doc["secret"] : doc["commitment"]).get<std::string>() << "\n";
  }
  return kExitOk;
}

struct SeedArgs {
  std::string round, beacon;
  std::vector<std::string> commits, reveals;
  int64_t deadline = 0, now = 0;
  bool json = false;
};

int RunSeed(Context& ctx, const SeedArgs& a) {
  inspect::RoundSpec spec{a.round, {}, a.deadline, {}};
  std::vector<std::pair<std::string, std::array<uint8_t, 32>>> commits, reveals;
  for (const auto& c : a.commits) {
    auto pc = PartyHex("--commit", c);
    if (!pc) return Fail(ctx, pc.error());
    spec.parties.push_back(pc->first);
    commits.push_back(*pc);
  }
  for (const auto& r : a.reveals) {
    auto pr = PartyHex("--reveal", r);
    if (!pr) return Fail(ctx, pr.error());
    reveals.push_back(*pr);
  }
  if (!a.beacon.empty()) {
    auto b = Hex32("--beacon", a.beacon);
    if (!b) return Fail(ctx, b.error());
    spec.beacon = *b;
  }
  auto round = inspect::Round::Create(spec);
  if (!round) return Fail(ctx, round.error());
  for (const auto& [party, c] : commits) {
    Status s = round->Commit(party, c, 0);
    if (!s.ok()) return Fail(ctx, s);
  }
  for (const auto& [party, secret] : reveals) {
    Status s = round->Reveal(party, secret, a.now);
    if (!s.ok()) return Fail(ctx, s);
  }
  auto outcome = round->Finish(a.now);
  if (!outcome) return Fail(ctx, outcome.error());
  json doc = {{"round", a.round},
              {"seed", crypto::HexEncode(outcome->seed)},
              {"fallback", outcome->fallback},
              {"refused", outcome->refused}};
  if (a.json) {
    *ctx.out << doc.dump(2) << "\n";
  } else {
    *ctx.out << crypto::HexEncode(outcome->seed) << "\n";
    for (const auto& p : outcome->refused) {
      *ctx.err << "tally: " << p
               << " did not reveal by the deadline; fallback seed from the beacon\n";
    }
  }
  return kExitOk;
}

struct SelectArgs {
  std::string seed, label = "items", from;
  uint64_t count = 0, population = 0;
  bool json = false;
};

int RunSelect(Context& ctx, const SelectArgs& a) {
  auto seed = Hex32("--seed", a.seed);
  if (!seed) return Fail(ctx, seed.error());
  json doc = {{"seed", a.seed}, {"label", a.label}, {"count", a.count}};
  std::vector<std::string> lines;
  if (!a.from.empty()) {
    auto text = a.from == "-"
                    ? Result<std::string>(std::string(std::istreambuf_iterator<char>(*ctx.in), {}))
                    : ReadFile(a.from);
    if (!text) return Fail(ctx, text.error());
    std::istringstream in(*text);
    std::vector<std::string> candidates;
    for (std::string line; std::getline(in, line);) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (!line.empty()) candidates.push_back(line);
    }
    auto picked = inspect::SelectIdentifiers(*seed, a.label, candidates, a.count);
    if (!picked) return Fail(ctx, picked.error().WithContext(a.from));
    doc["selected"] = *picked;
    lines = *picked;
  } else {
    auto picked = inspect::SelectIndices(*seed, a.label, a.population, a.count);
    if (!picked) return Fail(ctx, picked.error());
    doc["selected"] = *picked;
    for (uint64_t i : *picked) lines.push_back(std::to_string(i));
  }
  if (a.json) {
    *ctx.out << doc.dump(2) << "\n";
  } else {
    for (const auto& l : lines) *ctx.out << l << "\n";
  }
  return kExitOk;
}

}  // namespace

void AddInspectRandomCommands(CLI::App& inspect, Context& ctx) {
  auto commit_args = std::make_shared<CommitArgs>();
  auto* commit = inspect.add_subcommand(
      "commit", "Draw a secret for a randomness round; print its commitment (or --reveal it)");
  commit->add_option("--round", commit_args->round, "Round identifier")->required();
  commit->add_option("--party", commit_args->party, "Your party code")->required();
  commit
      ->add_option("--secret-file", commit_args->secret_file,
                   "Where the secret lives (created 0600)")
      ->required();
  commit->add_flag("--reveal", commit_args->reveal,
                   "Print the secret to reveal it (after every commitment is logged)");
  commit->add_flag("--json", commit_args->json, "One JSON document on stdout");
  commit->callback([&ctx, commit_args] { RunCommit(ctx, *commit_args); });

  auto seed_args = std::make_shared<SeedArgs>();
  auto* seed = inspect.add_subcommand(
      "seed", "Check every reveal against its commitment and derive the joint seed");
  seed->add_option("--round", seed_args->round, "Round identifier")->required();
  seed->add_option("--commit", seed_args->commits, "PARTY=COMMITMENT, one per party")->required();
  seed->add_option("--reveal", seed_args->reveals, "PARTY=SECRET for each party that revealed");
  seed->add_option("--deadline", seed_args->deadline, "Reveal deadline (seconds, treaty time)");
  seed->add_option("--now", seed_args->now, "Current treaty time (seconds)");
  seed->add_option("--beacon", seed_args->beacon, "Beacon fixed on the log before the round (hex)");
  seed->add_flag("--json", seed_args->json, "One JSON document on stdout");
  seed->callback([&ctx, seed_args] { RunSeed(ctx, *seed_args); });

  auto select_args = std::make_shared<SelectArgs>();
  auto* select = inspect.add_subcommand("select", "Recompute a selection from a seed");
  select->add_option("--seed", select_args->seed, "The joint seed (64 hex digits)")->required();
  select->add_option("--label", select_args->label, "Purpose label, e.g. sites or items/<site>");
  select->add_option("--count,-k", select_args->count, "How many to select")->required();
  auto* from = select->add_option("--from", select_args->from,
                                  "Candidate identifiers, one per line (- for stdin)");
  select->add_option("--population", select_args->population, "Select indices of [0, N) instead")
      ->excludes(from);
  select->add_flag("--json", select_args->json, "One JSON document on stdout");
  select->callback([&ctx, select_args] { RunSelect(ctx, *select_args); });
}

}  // namespace tally::cli
