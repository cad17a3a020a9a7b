// `tally log verify`: offline checks anyone can run with the network file or only the log's
// verifier key(s): a signed note, an entry's inclusion under a checkpoint, an old checkpoint's
// consistency with a newer one, or a proof bundle. A checkpoint verifies only under the key named
// after its origin. Exit 0 verified, 1 failed verification, 2 bad input.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "tally/base/file.h"
#include "tally/base/text.h"
#include "tally/cli/log_command.h"
#include "tally/jsondoc/reader.h"
#include "tally/merkle/proof.h"
#include "tally/tlog/checkpoint.h"
#include "tally/tlog/proof_bundle.h"

namespace tally::cli {
namespace {

struct VerifyArgs {
  TrustFlags trust;
  std::string note;
  std::string checkpoint;
  std::string old_checkpoint;
  std::string proof;
  std::string entry;
  std::string entry_text;
  bool has_entry_text = false;
  std::string bundle;
  bool json = false;
};

Result<tlog::Checkpoint> OpenCheckpoint(const std::string& path, const Trust& trust,
                                        std::vector<std::string>* signers = nullptr) {
  TALLY_ASSIGN_OR_RETURN(std::string note, ReadFile(path));
  auto opened = trust.Open(note);
  if (!opened.ok()) return opened.error().WithContext(path);
  if (signers) {
    signers->push_back(opened->checkpoint.origin);
    for (const auto& c : opened->cosigners) signers->push_back(c.name);
  }
  return opened->checkpoint;
}

// Reads the JSON a `tally log prove` printed.
Result<nlohmann::json> ReadProofJson(const std::string& path) {
  TALLY_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  return jsondoc::ParseJson(text, path);
}

Result<std::vector<merkle::Hash>> ProofHashes(const nlohmann::json& j, const std::string& path) {
  if (!j.contains("proof") || !j["proof"].is_array()) {
    return FieldError(path, "proof", "an array of base64 hashes", "none");
  }
  std::vector<std::string> lines;
  for (const auto& x : j["proof"]) {
    if (!x.is_string()) return FieldError(path, "proof", "base64 strings", jsondoc::Describe(x));
    lines.push_back(x.get<std::string>());
  }
  return merkle::ProofFromBase64(lines, path + ": proof");
}

// Proof JSON has one encoding, the one `tally log prove` prints: exactly these keys, each of its
// type. Unknown keys, wrong types and hashes that are not base64 SHA-256 are refused (exit 2).
Status CheckProofShape(const nlohmann::json& j, const std::string& path, bool consistency) {
  if (!j.is_object()) {
    return FieldError(path, "(document)", "a JSON object as `tally log prove` prints",
                      jsondoc::KindOf(j));
  }
  const std::vector<std::string> numbers = consistency ? std::vector<std::string>{"size1", "size2"}
                                                       : std::vector<std::string>{"index", "size"};
  const std::vector<std::string> hashes = consistency
                                              ? std::vector<std::string>{"root1", "root2"}
                                              : std::vector<std::string>{"leaf_hash", "root"};
  for (const auto& [key, v] : j.items()) {
    const bool number = std::find(numbers.begin(), numbers.end(), key) != numbers.end();
    const bool hash = std::find(hashes.begin(), hashes.end(), key) != hashes.end();
    if (key == "proof") continue;  // checked by ProofHashes
    if (number) {
      if (!v.is_number_unsigned()) {
        return FieldError(path, key, "an unsigned integer", jsondoc::Describe(v));
      }
    } else if (hash) {
      if (!v.is_string() || !merkle::HashFromBase64(v.get<std::string>(), key).ok()) {
        return FieldError(path, key, "a base64 SHA-256 hash", jsondoc::Describe(v));
      }
    } else {
      std::vector<std::string> known = numbers;
      known.insert(known.end(), hashes.begin(), hashes.end());
      known.push_back("proof");
      return FieldError(path, key,
                        std::string("a key of ") +
                            (consistency ? "a consistency" : "an inclusion") + " proof (" +
                            known[0] + ", " + known[1] + ", " + known[2] + ", " + known[3] +
                            ", proof)" + DidYouMean(key, known),
                        QuoteText(key));
    }
  }
  return Status::Ok();
}

// A hash the proof file claims must be the one the signed checkpoint or the entry gives.
Status CheckClaimedHash(const nlohmann::json& j, const char* key, const merkle::Hash& actual,
                        const std::string& path, std::string_view what) {
  if (!j.contains(key)) return Status::Ok();
  auto claimed = merkle::HashFromBase64(j[key].get<std::string>(), key);
  if (claimed.ok() && *claimed == actual) return Status::Ok();
  return VerificationFailed(path + ": field '" + key + "' is " + j[key].get<std::string>() +
                            ", not " + std::string(what) + " " + merkle::HashToBase64(actual));
}

Result<uint64_t> JsonUint(const nlohmann::json& j, const char* field, const std::string& path) {
  if (!j.contains(field) || !j[field].is_number_unsigned()) {
    return FieldError(path, field, "an unsigned integer",
                      j.contains(field) ? jsondoc::Describe(j[field]) : "none");
  }
  return j[field].get<uint64_t>();
}

Status Run(Context& ctx, const VerifyArgs& a, nlohmann::json& out) {
  TALLY_ASSIGN_OR_RETURN(Trust trust, Trust::Load(a.trust));
  if (!a.bundle.empty()) {
    TALLY_ASSIGN_OR_RETURN(std::string text, ReadInput(ctx, a.bundle));
    auto bundle = tlog::ParseProofBundle(text);
    if (!bundle.ok()) return bundle.error().WithContext(a.bundle);
    std::optional<std::string> entry;
    if (!a.entry.empty()) {
      TALLY_ASSIGN_OR_RETURN(entry, ReadFile(a.entry));
    } else if (a.has_entry_text) {
      entry = a.entry_text;
    }
    const size_t nl = bundle->checkpoint_note.find('\n');
    TALLY_ASSIGN_OR_RETURN(network::LogTrust keys,
                           trust.For(bundle->checkpoint_note.substr(0, nl)));
    auto verified = tlog::VerifyProofBundle(*bundle, keys.Keys(), entry);
    if (!verified.ok()) return verified.error().WithContext(a.bundle);
    const auto& v = *verified;
    out = {{"verified", "inclusion"},
           {"origin", v.checkpoint.origin},
           {"size", v.checkpoint.size},
           {"index", v.index},
           {"root", merkle::HashToBase64(v.checkpoint.root)}};
    return Status::Ok();
  }
  if (!a.note.empty()) {
    TALLY_ASSIGN_OR_RETURN(std::string note, ReadInput(ctx, a.note));
    auto opened = tlog::OpenNote(note, trust.AllKeys());
    if (!opened.ok()) return opened.error().WithContext(a.note);
    nlohmann::json names = nlohmann::json::array();
    for (const auto& s : opened->verified) names.push_back(s.name);
    out = {{"verified", "note"}, {"signers", names}, {"text", opened->note.text}};
    return Status::Ok();
  }
  if (a.checkpoint.empty()) {
    return InvalidArgument("log verify: give --note, --bundle, or --checkpoint with --proof");
  }
  std::vector<std::string> signers;
  TALLY_ASSIGN_OR_RETURN(tlog::Checkpoint cp, OpenCheckpoint(a.checkpoint, trust, &signers));
  if (a.proof.empty()) {
    if (!a.old_checkpoint.empty()) return InvalidArgument("--old: needs --proof");
    out = {{"verified", "checkpoint"},
           {"origin", cp.origin},
           {"size", cp.size},
           {"root", merkle::HashToBase64(cp.root)},
           {"signers", signers}};
    return Status::Ok();
  }
  TALLY_ASSIGN_OR_RETURN(nlohmann::json pj, ReadProofJson(a.proof));
  TALLY_RETURN_IF_ERROR(CheckProofShape(pj, a.proof, !a.old_checkpoint.empty()));
  TALLY_ASSIGN_OR_RETURN(auto proof, ProofHashes(pj, a.proof));
  if (!a.old_checkpoint.empty()) {
    TALLY_ASSIGN_OR_RETURN(tlog::Checkpoint old, OpenCheckpoint(a.old_checkpoint, trust));
    if (old.origin != cp.origin) {
      return VerificationFailed("--old: origin \"" + old.origin + "\" differs from \"" + cp.origin +
                                "\"");
    }
    // Sizes come from the signed checkpoints; the proof file's claims must agree with them.
    if (pj.contains("size1") && (JsonUint(pj, "size1", a.proof).value_or(0) != old.size ||
                                 JsonUint(pj, "size2", a.proof).value_or(0) != cp.size)) {
      return VerificationFailed(a.proof + ": the proof is for sizes " + pj["size1"].dump() +
                                " -> " + pj["size2"].dump() + ", not the checkpoints' " +
                                std::to_string(old.size) + " -> " + std::to_string(cp.size));
    }
    TALLY_RETURN_IF_ERROR(
        CheckClaimedHash(pj, "root1", old.root, a.proof, "the --old checkpoint's root"));
    TALLY_RETURN_IF_ERROR(CheckClaimedHash(pj, "root2", cp.root, a.proof, "the checkpoint's root"));
    TALLY_RETURN_IF_ERROR(merkle::VerifyConsistency(old.size, cp.size, proof, old.root, cp.root));
    out = {{"verified", "consistency"},
           {"origin", cp.origin},
           {"size1", old.size},
           {"size2", cp.size}};
    return Status::Ok();
  }
  std::string entry;
  if (!a.entry.empty()) {
    TALLY_ASSIGN_OR_RETURN(entry, ReadFile(a.entry));
  } else if (a.has_entry_text) {
    entry = a.entry_text;
  } else {
    return InvalidArgument("log verify: inclusion needs --entry FILE or --entry-text TEXT");
  }
  TALLY_ASSIGN_OR_RETURN(uint64_t index, JsonUint(pj, "index", a.proof));
  if (pj.contains("size") && JsonUint(pj, "size", a.proof).value_or(0) != cp.size) {
    return VerificationFailed(a.proof + ": the proof is for size " + pj["size"].dump() +
                              ", the checkpoint's size is " + std::to_string(cp.size));
  }
  TALLY_RETURN_IF_ERROR(CheckClaimedHash(pj, "root", cp.root, a.proof, "the checkpoint's root"));
  TALLY_RETURN_IF_ERROR(CheckClaimedHash(
      pj, "leaf_hash", merkle::LeafHash(entry), a.proof,
      "the leaf hash of the entry given (the inclusion proof is for another entry)"));
  TALLY_RETURN_IF_ERROR(
      merkle::VerifyInclusion(index, cp.size, merkle::LeafHash(entry), proof, cp.root));
  out = {{"verified", "inclusion"}, {"origin", cp.origin}, {"size", cp.size}, {"index", index}};
  return Status::Ok();
}

}  // namespace

void AddLogVerifyCommand(CLI::App& log, Context& ctx) {
  auto a = std::make_shared<VerifyArgs>();
  auto* v = log.add_subcommand(
      "verify", "Check a note, an inclusion, a consistency or a proof bundle, offline");
  AddTrustFlags(v, a->trust);
  v->add_option("--note", a->note, "A signed note to check (- for stdin)");
  v->add_option("--checkpoint", a->checkpoint, "A signed checkpoint (the newer one)");
  v->add_option("--old", a->old_checkpoint, "An older signed checkpoint (consistency)");
  v->add_option("--proof", a->proof, "Proof JSON printed by `tally log prove`");
  v->add_option("--entry", a->entry, "File holding the entry's exact bytes");
  v->add_option_function<std::string>(
      "--entry-text",
      [a](const std::string& t) {
        a->entry_text = t;
        a->has_entry_text = true;
      },
      "The entry's bytes as an argument");
  v->add_option("--bundle", a->bundle, "A proof bundle from `tally log prove --bundle` (- stdin)");
  v->add_flag("--json", a->json, "Print JSON");
  v->callback([&ctx, a] {
    nlohmann::json out;
    Status s = Run(ctx, *a, out);
    if (!s.ok()) {
      if (a->json) {
        *ctx.out << nlohmann::json{{"ok", false},
                                   {"code", std::string(StatusCodeName(s.code()))},
                                   {"error", s.message()}}
                        .dump(2)
                 << "\n";
      }
      Fail(ctx, s);
      return;
    }
    out["ok"] = true;
    if (a->json) {
      *ctx.out << out.dump(2) << "\n";
      return;
    }
    std::string line = "verified " + out["verified"].get<std::string>();
    if (out.contains("origin")) line += ": " + out["origin"].get<std::string>();
    if (out.contains("index")) line += " index " + out["index"].dump();
    if (out.contains("size1"))
      line += " size " + out["size1"].dump() + " -> " + out["size2"].dump();
    if (out.contains("size")) line += " size " + out["size"].dump();
    if (out.contains("signers")) line += " signed by " + out["signers"].dump();
    *ctx.out << line << "\n";
  });
}

}  // namespace tally::cli
