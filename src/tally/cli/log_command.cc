// `tally log init|append|checkpoint|prove|get`: one party's tamper-evident log (docs/log.md).
// verify is in log_verify_command.cc; witness and monitor in log_witness_command.cc.
#include "tally/cli/log_command.h"

#include <chrono>
#include <iterator>
#include <nlohmann/json.hpp>

#include "tally/base/date.h"
#include "tally/base/file.h"
#include "tally/base/text.h"
#include "tally/crypto/encoding.h"
#include "tally/merkle/proof.h"
#include "tally/tlog/entry.h"
#include "tally/tlog/log_writer.h"
#include "tally/tlog/proof_bundle.h"
#include "tally/tlog/tile_reader.h"

namespace tally::cli {

Result<std::string> ReadInput(Context& ctx, const std::string& path) {
  if (path == "-") {
    return std::string(std::istreambuf_iterator<char>(*ctx.in), std::istreambuf_iterator<char>());
  }
  return ReadFile(path);
}

Result<VerifierSet> LoadVerifiers(const std::vector<std::string>& vkeys) {
  VerifierSet set;
  for (const std::string& v : vkeys) {
    std::vector<std::string> lines;
    if (!v.empty() && v[0] == '@') {
      TALLY_ASSIGN_OR_RETURN(std::string text, ReadFile(v.substr(1)));
      for (size_t start = 0; start < text.size();) {
        size_t nl = text.find('\n', start);
        if (nl == std::string::npos) nl = text.size();
        if (nl > start) lines.push_back(text.substr(start, nl - start));
        start = nl + 1;
      }
    } else {
      lines.push_back(v);
    }
    for (const auto& line : lines) {
      auto parsed = tlog::ParseVerifierKey(line);
      if (!parsed.ok()) return parsed.error().WithContext("--vkey");
      set.owned.push_back(std::move(*parsed));
      set.ptrs.push_back(set.owned.back().get());
    }
  }
  if (set.ptrs.empty()) return InvalidArgument("--vkey: give at least one verifier key");
  return set;
}

void AddTrustFlags(CLI::App* command, TrustFlags& flags, std::string_view vkey_flag) {
  command->add_option(std::string(vkey_flag), flags.vkeys,
                      "Pin a verifier key instead of the network file (key text or @file); "
                      "repeatable");
  command->add_option("--network", flags.network,
                      "Network file (default: $TALLY_NETWORK, else ./network.toml)");
  command->add_option("--cosignatures", flags.cosignatures,
                      "Witness cosignatures a checkpoint needs (default: the network's policy)");
}

Result<Trust> Trust::Load(const TrustFlags& flags) {
  Trust t;
  t.cosignatures_ = flags.cosignatures;
  if (!flags.vkeys.empty()) {
    if (!flags.network.empty()) {
      return InvalidArgument("--vkey and --network: give the keys one way");
    }
    TALLY_ASSIGN_OR_RETURN(t.pinned_, LoadVerifiers(flags.vkeys));
    return t;
  }
  auto net = network::LoadNetwork(flags.network);
  if (!net.ok()) {
    return net.error().WithContext("--network");
  }
  t.network_.emplace(std::move(*net));
  return t;
}

Result<network::LogTrust> Trust::For(std::string_view origin) const {
  const std::optional<size_t> k =
      cosignatures_ < 0 ? std::nullopt : std::optional<size_t>(static_cast<size_t>(cosignatures_));
  if (network_) return network_->TrustFor(origin, k);
  network::LogTrust trust;
  for (const tlog::NoteVerifier* v : pinned_.ptrs) {
    if (v->type() == tlog::kKeyTypeCosignatureV1) {
      trust.witnesses.push_back(v);
    } else if (v->name() == origin) {
      trust.log_keys.push_back(v);
    }
  }
  if (trust.log_keys.empty()) {
    return VerificationFailed("--vkey: no log key named after the origin \"" +
                              std::string(origin.substr(0, 80)) +
                              "\"; a checkpoint is the log's only under the key of its origin");
  }
  trust.required_cosignatures = k.value_or(0);
  return trust;
}

Result<tlog::OpenedCheckpoint> Trust::Open(std::string_view note) const {
  const size_t nl = note.find('\n');
  TALLY_ASSIGN_OR_RETURN(network::LogTrust trust,
                         For(note.substr(0, nl == std::string_view::npos ? 0 : nl)));
  return tlog::OpenCheckpoint(note, trust.Keys());
}

std::vector<const tlog::NoteVerifier*> Trust::AllKeys() const {
  if (!network_) return pinned_.ptrs;
  std::vector<const tlog::NoteVerifier*> all;
  for (const auto& p : network_->description().parties) {
    for (const tlog::NoteVerifier* k :
         {network_->LogKey(p.id), network_->WitnessKey(p.id), network_->NodeKey(p.id)}) {
      if (k) all.push_back(k);
    }
  }
  for (const auto& w : network_->description().witnesses) {
    for (const tlog::NoteVerifier* k : network_->WitnessesOf("")) {
      if (k->name() == w.name) all.push_back(k);
    }
  }
  return all;
}

Result<std::string> OwnerOf(const network::Network& net, const std::string& log_dir) {
  TALLY_ASSIGN_OR_RETURN(std::string note, ReadFile(tlog::LogPaths::Checkpoint(log_dir)));
  auto verified = net.VerifyCheckpoint(note, 0);
  if (!verified.ok()) return verified.error().WithContext(tlog::LogPaths::Checkpoint(log_dir));
  return verified->owner->id;
}

Result<int64_t> ParseTimeFlag(const std::string& text, std::string_view flag) {
  if (text.empty()) {
    return static_cast<int64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                    std::chrono::system_clock::now().time_since_epoch())
                                    .count());
  }
  const auto bad = [&] {
    return FieldError(flag, "time", "seconds since 1970, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ",
                      "\"" + text + "\"");
  };
  if (text.find('-', 1) == std::string::npos) {
    try {
      size_t used = 0;
      const long long v = std::stoll(text, &used);
      if (used != text.size()) return bad();
      return static_cast<int64_t>(v);
    } catch (...) {
      return bad();
    }
  }
  auto date = Date::Parse(text.substr(0, 10));
  if (!date.ok()) return bad();
  int64_t seconds = date->days() * 86400;
  if (text.size() > 10) {
    int h, m, s;
    char z;
    if (text.size() != 20 || text[10] != 'T' ||
        std::sscanf(text.c_str() + 11, "%2d:%2d:%2d%c", &h, &m, &s, &z) != 4 || z != 'Z' ||
        h > 23 || m > 59 || s > 60) {
      return bad();
    }
    seconds += h * 3600 + m * 60 + s;
  }
  return seconds;
}

namespace {

struct LogArgs {
  std::string dir;
  std::string origin;
  bool raw = false;
  std::string kind;
  std::string network;
  std::string time;
  size_t batch = 1000;
  uint64_t index = 0;
  bool has_index = false;
  uint64_t size = 0;
  std::vector<uint64_t> consistency;
  bool bundle = false;
  bool json = false;
};

// The log's own verifier key (DIR/vkey) and the checkpoint it signed.
struct OpenedLog {
  tlog::Checkpoint checkpoint;
  std::string note;
};

Result<OpenedLog> ReadLog(const std::string& dir) {
  TALLY_ASSIGN_OR_RETURN(std::string vkey, ReadFile(tlog::LogPaths::VerifierKey(dir)));
  while (!vkey.empty() && vkey.back() == '\n') vkey.pop_back();
  TALLY_ASSIGN_OR_RETURN(auto verifier, tlog::ParseVerifierKey(vkey));
  TALLY_ASSIGN_OR_RETURN(std::string note, ReadFile(tlog::LogPaths::Checkpoint(dir)));
  const tlog::NoteVerifier* keys[] = {verifier.get()};
  auto opened = tlog::OpenNote(note, keys);
  if (!opened.ok()) return opened.error().WithContext(tlog::LogPaths::Checkpoint(dir));
  auto cp = tlog::ParseCheckpoint(opened->note.text);
  if (!cp.ok()) return DataLoss(tlog::LogPaths::Checkpoint(dir) + ": " + cp.error().message());
  return OpenedLog{*cp, note};
}

int RunInit(Context& ctx, const LogArgs& a) {
  auto vkey = tlog::LogWriter::Init(a.dir, a.origin);
  if (!vkey.ok()) return Fail(ctx, vkey.error());
  if (a.json) {
    *ctx.out << nlohmann::json{{"dir", a.dir}, {"origin", a.origin}, {"vkey", *vkey}}.dump(2)
             << "\n";
  } else {
    *ctx.out << *vkey << "\n";
  }
  return kExitOk;
}

int RunAppend(Context& ctx, const LogArgs& a) {
  if (a.raw == !a.kind.empty()) {
    return Fail(ctx, InvalidArgument("log append: give either --raw or --kind"));
  }
  if (a.batch == 0) return Fail(ctx, FieldError("--batch", "batch", "at least 1", "0"));
  auto input = ReadInput(ctx, "-");
  if (!input.ok()) return Fail(ctx, input.error());
  std::vector<std::string> entries;
  for (size_t start = 0; start < input->size();) {
    size_t nl = input->find('\n', start);
    if (nl == std::string::npos) nl = input->size();
    entries.push_back(input->substr(start, nl - start));
    start = nl + 1;
  }
  std::vector<tlog::Entry> typed;
  if (!a.raw) {
    auto kind = tlog::KindFromName(a.kind);
    if (!kind.ok()) return Fail(ctx, kind.error().WithContext("--kind"));
    auto time = ParseTimeFlag(a.time, "--time");
    if (!time.ok()) return Fail(ctx, time.error());
    // A typed entry speaks for the log's owner, whom the network names; never for a flag's party.
    auto net = network::LoadNetwork(a.network);
    if (!net.ok()) return Fail(ctx, net.error().WithContext("--network"));
    auto owner = OwnerOf(*net, a.dir);
    if (!owner.ok()) return Fail(ctx, owner.error());
    for (size_t i = 0; i < entries.size(); ++i) {
      typed.push_back({*kind, *owner, *time, entries[i]});
      auto e = tlog::EncodeEntry(typed.back());
      if (!e.ok()) return Fail(ctx, e.error().WithContext("stdin:" + std::to_string(i + 1)));
      entries[i] = std::move(*e);
    }
  }
  // Validate everything before writing anything.
  for (size_t i = 0; i < entries.size(); ++i) {
    if (entries[i].size() > tlog::kMaxEntrySize) {
      return Fail(ctx, FieldError("stdin:" + std::to_string(i + 1), "entry", "at most 65535 bytes",
                                  std::to_string(entries[i].size()) + " bytes"));
    }
  }
  auto log = tlog::LogWriter::Open(a.dir);
  if (!log.ok()) return Fail(ctx, log.error());
  nlohmann::json indexes = nlohmann::json::array();
  for (size_t start = 0; start < entries.size(); start += a.batch) {
    const size_t n = std::min(a.batch, entries.size() - start);
    auto first = a.raw ? (*log)->Append(std::span<const std::string>(entries).subspan(start, n))
                       : (*log)->AppendTyped(std::span<const tlog::Entry>(typed).subspan(start, n));
    if (!first.ok()) return Fail(ctx, first.error());
    // Printed only once the batch is durable and covered by a signed checkpoint.
    if (a.json) {
      for (size_t i = 0; i < n; ++i) indexes.push_back(*first + i);
    } else {
      std::string out;
      for (size_t i = 0; i < n; ++i) out += std::to_string(*first + i) + "\n";
      *ctx.out << out << std::flush;
    }
  }
  if (a.json) {
    *ctx.out << nlohmann::json{{"indexes", indexes},
                               {"size", (*log)->size()},
                               {"root", merkle::HashToBase64((*log)->checkpoint().root)}}
                    .dump(2)
             << "\n";
  }
  return kExitOk;
}

int RunCheckpoint(Context& ctx, const LogArgs& a) {
  auto log = ReadLog(a.dir);
  if (!log.ok()) return Fail(ctx, log.error());
  if (a.json) {
    *ctx.out << nlohmann::json{{"origin", log->checkpoint.origin},
                               {"size", log->checkpoint.size},
                               {"root", merkle::HashToBase64(log->checkpoint.root)},
                               {"note", log->note}}
                    .dump(2)
             << "\n";
  } else {
    *ctx.out << log->note;
  }
  return kExitOk;
}

int RunProve(Context& ctx, const LogArgs& a) {
  auto log = ReadLog(a.dir);
  if (!log.ok()) return Fail(ctx, log.error());
  const uint64_t latest = log->checkpoint.size;
  if (!a.consistency.empty()) {
    const uint64_t m = a.consistency[0], n = a.consistency[1];
    if (n > latest) {
      return Fail(ctx, InvalidArgument("--consistency: size " + std::to_string(n) +
                                       " is beyond the log's size " + std::to_string(latest)));
    }
    tlog::TileReader reader(a.dir, n, /*strict=*/false);
    auto proof = merkle::ConsistencyProof(m, n, reader);
    if (!proof.ok()) return Fail(ctx, proof.error());
    tlog::TileReader old_reader(a.dir, m, false);
    auto root1 = merkle::TreeHash(m, old_reader);
    auto root2 = merkle::TreeHash(n, reader);
    if (!root1.ok() || !root2.ok()) return Fail(ctx, root1.ok() ? root2.error() : root1.error());
    *ctx.out << nlohmann::json{{"size1", m},
                               {"size2", n},
                               {"root1", merkle::HashToBase64(*root1)},
                               {"root2", merkle::HashToBase64(*root2)},
                               {"proof", merkle::ProofToBase64(*proof)}}
                    .dump(2)
             << "\n";
    return kExitOk;
  }
  if (!a.has_index)
    return Fail(ctx, InvalidArgument("log prove: give --index I or --consistency M N"));
  const uint64_t size = a.size == 0 ? latest : a.size;
  if (size > latest) {
    return Fail(ctx, InvalidArgument("--size: " + std::to_string(size) +
                                     " is beyond the log's size " + std::to_string(latest)));
  }
  if (a.bundle && size != latest) {
    return Fail(ctx,
                InvalidArgument("--bundle: a bundle carries the latest checkpoint; drop --size"));
  }
  tlog::TileReader reader(a.dir, size, /*strict=*/false);
  auto proof = merkle::InclusionProof(a.index, size, reader);
  if (!proof.ok()) return Fail(ctx, proof.error());
  auto root = merkle::TreeHash(size, reader);
  if (!root.ok()) return Fail(ctx, root.error());
  merkle::Hash leaf;
  if (Status s = reader.ReadHashes(std::vector<merkle::NodeId>{{0, a.index}}, {&leaf, 1});
      !s.ok()) {
    return Fail(ctx, s);
  }
  if (a.bundle) {
    auto entries = reader.ReadEntries(a.index / tlog::kTileWidth);
    if (!entries.ok()) return Fail(ctx, entries.error());
    tlog::ProofBundle b{(*entries)[a.index % tlog::kTileWidth], a.index, *proof, log->note};
    *ctx.out << b.Format();
    return kExitOk;
  }
  *ctx.out << nlohmann::json{{"index", a.index},
                             {"size", size},
                             {"leaf_hash", merkle::HashToBase64(leaf)},
                             {"root", merkle::HashToBase64(*root)},
                             {"proof", merkle::ProofToBase64(*proof)}}
                  .dump(2)
           << "\n";
  return kExitOk;
}

// UTF-8 without control characters other than newline and tab.
bool PrintableText(std::string_view s) {
  if (!IsUtf8(s)) return false;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\n' && c != '\t') || u == 0x7f) return false;
  }
  return true;
}

int RunGet(Context& ctx, const LogArgs& a) {
  auto log = ReadLog(a.dir);
  if (!log.ok()) return Fail(ctx, log.error());
  if (a.index >= log->checkpoint.size) {
    return Fail(ctx,
                NotFound("--index: " + std::to_string(a.index) + " is not below the log's size " +
                         std::to_string(log->checkpoint.size)));
  }
  tlog::TileReader reader(a.dir, log->checkpoint.size, false);
  auto entries = reader.ReadEntries(a.index / tlog::kTileWidth);
  if (!entries.ok()) return Fail(ctx, entries.error());
  const std::string& e = (*entries)[a.index % tlog::kTileWidth];
  // Serve only what the signed checkpoint covers: the entry's leaf must prove into its root.
  auto proof = merkle::InclusionProof(a.index, log->checkpoint.size, reader);
  if (!proof.ok()) return Fail(ctx, proof.error());
  if (Status s = merkle::VerifyInclusion(a.index, log->checkpoint.size, merkle::LeafHash(e), *proof,
                                         log->checkpoint.root);
      !s.ok()) {
    return Fail(ctx, VerificationFailed(a.dir + ": entry " + std::to_string(a.index) +
                                        " does not match the signed checkpoint (the log was "
                                        "changed after it was signed): " +
                                        s.message()));
  }
  if (!a.json) {
    // Text entries print as they are; typed or binary ones as a summary a terminal can show.
    if (PrintableText(e)) {
      *ctx.out << e << (e.empty() || e.back() != '\n' ? "\n" : "");
      return kExitOk;
    }
    if (auto typed = tlog::DecodeEntry(e); typed.ok()) {
      auto name = tlog::KindName(typed->kind);
      *ctx.out << "entry " << a.index << ": "
               << (name ? std::string(*name) : std::to_string(typed->kind)) << ", party "
               << typed->party << ", time " << typed->time << "\n";
      if (PrintableText(typed->payload)) {
        *ctx.out << typed->payload << "\n";
      } else {
        *ctx.out << "payload (base64): " << crypto::Base64Encode(typed->payload) << "\n";
      }
      return kExitOk;
    }
    *ctx.out << "entry " << a.index << " (binary, base64): " << crypto::Base64Encode(e) << "\n";
    return kExitOk;
  }
  nlohmann::json j{{"index", a.index},
                   {"leaf_hash", merkle::HashToBase64(merkle::LeafHash(e))},
                   {"base64", crypto::Base64Encode(e)}};
  if (auto typed = tlog::DecodeEntry(e); typed.ok()) {
    auto name = tlog::KindName(typed->kind);
    j["kind"] = name ? std::string(*name) : std::to_string(typed->kind);
    j["party"] = typed->party;
    j["time"] = typed->time;
    j["payload_base64"] = crypto::Base64Encode(typed->payload);
  }
  *ctx.out << j.dump(2) << "\n";
  return kExitOk;
}

}  // namespace

void AddLogCommand(CLI::App& app, Context& ctx) {
  auto* log = app.add_subcommand(
      "log", "The tamper-evident log: RFC 9162 tree, C2SP checkpoints, tiles, witnesses");
  log->require_subcommand(1);

  auto init_args = std::make_shared<LogArgs>();
  auto* init = log->add_subcommand("init", "Create a log and its signing key; print its vkey");
  init->add_option("dir", init_args->dir, "Directory of the log")->required();
  init->add_option("--origin", init_args->origin, "The log's origin, e.g. tally.example/us")
      ->required();
  init->add_flag("--json", init_args->json, "Print JSON");
  init->callback([&ctx, init_args] { RunInit(ctx, *init_args); });

  auto append_args = std::make_shared<LogArgs>();
  auto* append = log->add_subcommand(
      "append", "Append stdin's lines as entries (durable, one checkpoint per batch)");
  append->add_option("dir", append_args->dir, "Directory of the log")->required();
  append->add_flag("--raw", append_args->raw, "Each line's bytes are one entry");
  append->add_option("--kind", append_args->kind,
                     "Typed entries of this kind; each line is a payload");
  append->add_option("--network", append_args->network,
                     "Network file naming the log's owner, the party of typed entries "
                     "(default: $TALLY_NETWORK, else ./network.toml)");
  append->add_option("--time", append_args->time, "Time of typed entries (default now)");
  append->add_option("--batch", append_args->batch, "Entries per checkpoint (default 1000)");
  append->add_flag("--json", append_args->json, "Print JSON");
  append->callback([&ctx, append_args] { RunAppend(ctx, *append_args); });

  auto cp_args = std::make_shared<LogArgs>();
  auto* cp = log->add_subcommand("checkpoint", "Print the latest signed checkpoint");
  cp->add_option("dir", cp_args->dir, "Directory of the log")->required();
  cp->add_flag("--json", cp_args->json, "Print JSON");
  cp->callback([&ctx, cp_args] { RunCheckpoint(ctx, *cp_args); });

  auto prove_args = std::make_shared<LogArgs>();
  auto* prove = log->add_subcommand("prove", "Print an inclusion or consistency proof (JSON)");
  prove->add_option("dir", prove_args->dir, "Directory of the log")->required();
  prove->add_option_function<uint64_t>(
      "--index",
      [prove_args](uint64_t i) {
        prove_args->index = i;
        prove_args->has_index = true;
      },
      "Entry index for an inclusion proof");
  prove->add_option("--size", prove_args->size, "Tree size (default: the latest checkpoint's)");
  prove->add_option("--consistency", prove_args->consistency, "Sizes M N: prove M is a prefix of N")
      ->expected(2);
  prove->add_flag("--bundle", prove_args->bundle,
                  "Print a tlog-proof bundle (entry + proof + checkpoint) instead");
  prove->callback([&ctx, prove_args] { RunProve(ctx, *prove_args); });

  auto get_args = std::make_shared<LogArgs>();
  auto* get = log->add_subcommand("get", "Print one entry");
  get->add_option("dir", get_args->dir, "Directory of the log")->required();
  get->add_option("--index", get_args->index, "Entry index")->required();
  get->add_flag("--json", get_args->json, "Print JSON (with the typed fields if it is typed)");
  get->callback([&ctx, get_args] { RunGet(ctx, *get_args); });

  AddLogVerifyCommand(*log, ctx);
  AddLogWitnessCommands(*log, ctx);
}

}  // namespace tally::cli
