#include "tally/network/network.h"

#include <cstdlib>
#include <map>
#include <set>

#include "tally/base/file.h"
#include "tally/toml/strict_reader.h"

namespace tally::network {
namespace {

constexpr std::string_view kFormatDoc = "docs/formats/network.md";

bool ValidPartyId(std::string_view id) {
  if (id.empty() || id.size() > 32) return false;
  for (char c : id) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

bool ValidTreatyId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return false;
  }
  return true;
}

bool ValidUrl(std::string_view url) {
  if (url.size() > 2048) return false;
  for (char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return false;
  }
  return url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
}

// The base64 key part of a vkey ("name+id+base64"; names hold no '+', base64 may), which
// identifies the key itself.
std::string KeyMaterial(std::string_view vkey) {
  const size_t first = vkey.find('+');
  const size_t second = first == std::string_view::npos ? first : vkey.find('+', first + 1);
  return second == std::string_view::npos ? std::string(vkey)
                                          : std::string(vkey.substr(second + 1));
}

std::string Quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned char>(c));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::string Shown(std::string_view s) {
  return s.size() <= 80 ? "\"" + std::string(s) + "\""
                        : "\"" + std::string(s.substr(0, 80)) + "\"...";
}

}  // namespace

struct Network::Keys {
  std::vector<std::unique_ptr<tlog::NoteVerifier>> log, witness, node;  // parallel to parties
  std::vector<std::unique_ptr<tlog::NoteVerifier>> third_party;         // parallel to witnesses
};

Network::Network() : keys_(std::make_unique<Keys>()) {}
Network::Network(Network&&) noexcept = default;
Network& Network::operator=(Network&&) noexcept = default;
Network::~Network() = default;

Result<Network> Network::Make(Description d, const std::string& where) {
  Network n;
  const auto bad = [&](const std::string& field, std::string_view expected,
                       const std::string& got) { return FieldError(where, field, expected, got); };
  if (d.name.empty() || d.name.size() > 128 || d.name.find('\n') != std::string::npos) {
    return bad("name", "a single line of 1-128 bytes", Shown(d.name));
  }
  if (!d.treaty.empty() && !ValidTreatyId(d.treaty)) {
    return bad("treaty", "a treaty id (lower-case letters, digits, '-', '_')", Shown(d.treaty));
  }
  std::set<std::string> ids, origins, names, material;
  const auto claim = [&](const std::string& field, const tlog::NoteVerifier& v,
                         const std::string& vkey) -> Status {
    if (!names.insert(v.name()).second) {
      return bad(field, "a key name used once in the file", Shown(v.name()) + ", used before");
    }
    if (!material.insert(KeyMaterial(vkey)).second) {
      return bad(field, "a key listed once (one key, one role)", "a key listed before");
    }
    return Status::Ok();
  };
  const auto parse_key = [&](const std::string& field, const std::string& vkey, uint8_t type,
                             std::string_view what) -> Result<std::unique_ptr<tlog::NoteVerifier>> {
    auto v = tlog::ParseVerifierKey(vkey);
    if (!v.ok()) return bad(field, what, Shown(vkey));
    if ((*v)->type() != type) {
      return bad(field, what,
                 "a key of type 0x0" + std::to_string((*v)->type()) + " (" + Shown(vkey) + ")");
    }
    return std::move(*v);
  };
  for (size_t i = 0; i < d.parties.size(); ++i) {
    const Party& p = d.parties[i];
    const std::string f = "parties[" + std::to_string(i) + "]";
    if (!ValidPartyId(p.id)) return bad(f + ".id", "1-32 of [A-Za-z0-9._-]", Shown(p.id));
    if (!ids.insert(p.id).second) return bad(f + ".id", "a party listed once", Shown(p.id));
    if (!tlog::IsValidKeyName(p.origin) || p.origin.size() > 255) {
      return bad(f + ".origin", "a log origin (a key name: no spaces, no '+')", Shown(p.origin));
    }
    if (!origins.insert(p.origin).second) {
      return bad(f + ".origin", "an origin no other party has", Shown(p.origin));
    }
    TALLY_ASSIGN_OR_RETURN(auto log, parse_key(f + ".log_key", p.log_key, tlog::kKeyTypeEd25519,
                                               "an Ed25519 log verifier key (type 0x01)"));
    if (log->name() != p.origin) {
      return bad(f + ".log_key", "a key named after the origin " + Shown(p.origin),
                 "a key named " + Shown(log->name()));
    }
    TALLY_RETURN_IF_ERROR(claim(f + ".log_key", *log, p.log_key));
    std::unique_ptr<tlog::NoteVerifier> witness, node;
    if (!p.witness_key.empty()) {
      TALLY_ASSIGN_OR_RETURN(
          witness, parse_key(f + ".witness_key", p.witness_key, tlog::kKeyTypeCosignatureV1,
                             "a tlog-cosignature/v1 key (type 0x04)"));
      TALLY_RETURN_IF_ERROR(claim(f + ".witness_key", *witness, p.witness_key));
    }
    if (!p.node_key.empty()) {
      TALLY_ASSIGN_OR_RETURN(node, parse_key(f + ".node_key", p.node_key, tlog::kKeyTypeEd25519,
                                             "an Ed25519 node key (type 0x01)"));
      TALLY_RETURN_IF_ERROR(claim(f + ".node_key", *node, p.node_key));
    }
    if (!p.url.empty() && !ValidUrl(p.url)) {
      return bad(f + ".url", "an http:// or https:// URL", Shown(p.url));
    }
    n.keys_->log.push_back(std::move(log));
    n.keys_->witness.push_back(std::move(witness));
    n.keys_->node.push_back(std::move(node));
  }
  for (size_t i = 0; i < d.witnesses.size(); ++i) {
    const ThirdPartyWitness& w = d.witnesses[i];
    const std::string f = "witnesses[" + std::to_string(i) + "]";
    if (!tlog::IsValidKeyName(w.name)) {
      return bad(f + ".name", "a key name (no spaces, no '+')", Shown(w.name));
    }
    TALLY_ASSIGN_OR_RETURN(auto key, parse_key(f + ".key", w.key, tlog::kKeyTypeCosignatureV1,
                                               "a tlog-cosignature/v1 key (type 0x04)"));
    if (key->name() != w.name) {
      return bad(f + ".key", "a key named " + Shown(w.name), "a key named " + Shown(key->name()));
    }
    TALLY_RETURN_IF_ERROR(claim(f + ".key", *key, w.key));
    if (!w.url.empty() && !ValidUrl(w.url)) {
      return bad(f + ".url", "an http:// or https:// URL", Shown(w.url));
    }
    n.keys_->third_party.push_back(std::move(key));
  }
  n.description_ = std::move(d);
  for (const Party& p : n.description_.parties) {
    const size_t cosigners = n.WitnessesOf(p.origin).size();
    if (n.description_.cosignatures > cosigners) {
      return bad("policy.cosignatures",
                 "at most the " + std::to_string(cosigners) + " witnesses of " + p.id + "'s log",
                 std::to_string(n.description_.cosignatures));
    }
  }
  return n;
}

Result<Network> Network::Parse(std::string_view text, const std::string& file) {
  TALLY_ASSIGN_OR_RETURN(::toml::table root, toml::Parse(text, file));
  toml::Reader r(root, "", &file, kFormatDoc);
  Description d;
  TALLY_ASSIGN_OR_RETURN(std::string format, r.String("format", true));
  if (format != kNetworkFormat) {
    return r.Error(*root.get("format"), "format", "\"" + std::string(kNetworkFormat) + "\"");
  }
  TALLY_ASSIGN_OR_RETURN(d.name, r.String("name", true));
  TALLY_ASSIGN_OR_RETURN(d.treaty, r.String("treaty"));
  TALLY_ASSIGN_OR_RETURN(auto policy, r.OptTable("policy"));
  if (policy) {
    TALLY_ASSIGN_OR_RETURN(auto k, policy->OptInt("cosignatures"));
    d.cosignatures = static_cast<uint64_t>(k.value_or(0));
    TALLY_RETURN_IF_ERROR(policy->Finish());
  }
  // Each table's line, so that a rule Make() checks names the line it breaks.
  std::vector<std::string> party_where, witness_where;
  TALLY_ASSIGN_OR_RETURN(auto parties, r.Tables("parties"));
  for (toml::Reader& pr : parties) {
    Party p;
    TALLY_ASSIGN_OR_RETURN(p.id, pr.String("id", true));
    TALLY_ASSIGN_OR_RETURN(p.origin, pr.String("origin", true));
    TALLY_ASSIGN_OR_RETURN(p.log_key, pr.String("log_key", true));
    TALLY_ASSIGN_OR_RETURN(p.witness_key, pr.String("witness_key"));
    TALLY_ASSIGN_OR_RETURN(p.node_key, pr.String("node_key"));
    TALLY_ASSIGN_OR_RETURN(p.url, pr.String("url"));
    TALLY_RETURN_IF_ERROR(pr.Finish());
    party_where.push_back(pr.Here());
    d.parties.push_back(std::move(p));
  }
  TALLY_ASSIGN_OR_RETURN(auto witnesses, r.Tables("witnesses"));
  for (toml::Reader& wr : witnesses) {
    ThirdPartyWitness w;
    TALLY_ASSIGN_OR_RETURN(w.name, wr.String("name", true));
    TALLY_ASSIGN_OR_RETURN(w.key, wr.String("key", true));
    TALLY_ASSIGN_OR_RETURN(w.url, wr.String("url"));
    TALLY_RETURN_IF_ERROR(wr.Finish());
    witness_where.push_back(wr.Here());
    d.witnesses.push_back(std::move(w));
  }
  TALLY_RETURN_IF_ERROR(r.Finish());
  auto made = Make(d, file);
  if (made.ok()) return made;
  // Point at the table the rule is about: "net.toml: field 'parties[1].origin'" becomes
  // "net.toml:14: field 'parties[1].origin'".
  std::string m = made.error().message();
  const std::string prefix = file + ": field '";
  if (m.rfind(prefix, 0) == 0) {
    const std::string rest = m.substr(prefix.size());
    std::string where = r.Here();
    for (size_t i = 0; i < party_where.size(); ++i) {
      if (rest.rfind("parties[" + std::to_string(i) + "]", 0) == 0) where = party_where[i];
    }
    for (size_t i = 0; i < witness_where.size(); ++i) {
      if (rest.rfind("witnesses[" + std::to_string(i) + "]", 0) == 0) where = witness_where[i];
    }
    if (rest.rfind("policy", 0) == 0 && policy) where = policy->Here();
    m = where + ": field '" + rest;
  }
  return Status(made.error().code(), m);
}

Result<Network> Network::Load(const std::string& path) {
  TALLY_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  return Parse(text, path);
}

std::string Network::ToToml() const {
  const Description& d = description_;
  std::string s =
      "# A tally network file: the parties of one regime and the keys that speak for\n"
      "# them (docs/formats/network.md). Written by tally network; keep it identical\n"
      "# on every node.\n";
  s += "format = " + Quoted(kNetworkFormat) + "\n";
  s += "name = " + Quoted(d.name) + "\n";
  if (!d.treaty.empty()) s += "treaty = " + Quoted(d.treaty) + "\n";
  s += "\n[policy]\ncosignatures = " + std::to_string(d.cosignatures) + "\n";
  for (const Party& p : d.parties) {
    s += "\n[[parties]]\nid = " + Quoted(p.id) + "\norigin = " + Quoted(p.origin) +
         "\nlog_key = " + Quoted(p.log_key) + "\n";
    if (!p.witness_key.empty()) s += "witness_key = " + Quoted(p.witness_key) + "\n";
    if (!p.node_key.empty()) s += "node_key = " + Quoted(p.node_key) + "\n";
    if (!p.url.empty()) s += "url = " + Quoted(p.url) + "\n";
  }
  for (const ThirdPartyWitness& w : d.witnesses) {
    s += "\n[[witnesses]]\nname = " + Quoted(w.name) + "\nkey = " + Quoted(w.key) + "\n";
    if (!w.url.empty()) s += "url = " + Quoted(w.url) + "\n";
  }
  return s;
}

const Party* Network::FindParty(std::string_view id) const {
  for (const Party& p : description_.parties) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

const Party* Network::FindByOrigin(std::string_view origin) const {
  for (const Party& p : description_.parties) {
    if (p.origin == origin) return &p;
  }
  return nullptr;
}

const ThirdPartyWitness* Network::FindWitness(std::string_view name) const {
  for (const ThirdPartyWitness& w : description_.witnesses) {
    if (w.name == name) return &w;
  }
  return nullptr;
}

namespace {
template <typename T>
const tlog::NoteVerifier* KeyOf(const std::vector<Party>& parties,
                                const std::vector<std::unique_ptr<T>>& keys, std::string_view id) {
  for (size_t i = 0; i < parties.size(); ++i) {
    if (parties[i].id == id) return keys[i].get();
  }
  return nullptr;
}
}  // namespace

const tlog::NoteVerifier* Network::LogKey(std::string_view party) const {
  return KeyOf(description_.parties, keys_->log, party);
}
const tlog::NoteVerifier* Network::WitnessKey(std::string_view party) const {
  return KeyOf(description_.parties, keys_->witness, party);
}
const tlog::NoteVerifier* Network::NodeKey(std::string_view party) const {
  return KeyOf(description_.parties, keys_->node, party);
}

std::vector<const tlog::NoteVerifier*> Network::WitnessesOf(std::string_view origin) const {
  std::vector<const tlog::NoteVerifier*> out;
  for (size_t i = 0; i < description_.parties.size(); ++i) {
    if (description_.parties[i].origin != origin && keys_->witness[i]) {
      out.push_back(keys_->witness[i].get());
    }
  }
  for (const auto& k : keys_->third_party) out.push_back(k.get());
  return out;
}

Result<LogTrust> Network::TrustFor(std::string_view origin, std::optional<size_t> required) const {
  const Party* owner = FindByOrigin(origin);
  if (!owner) {
    return NotFound("origin " + Shown(origin) + " is not the log of any party of network \"" +
                    description_.name + "\"");
  }
  LogTrust t;
  t.owner = owner;
  t.log_keys.push_back(LogKey(owner->id));
  t.witnesses = WitnessesOf(origin);
  t.required_cosignatures = required.value_or(description_.cosignatures);
  return t;
}

Result<VerifiedCheckpoint> Network::VerifyCheckpoint(std::string_view note,
                                                     std::optional<size_t> required) const {
  // The origin is the note's first line; only that party's key may make it the log's.
  const size_t nl = note.find('\n');
  const std::string_view origin = note.substr(0, nl == std::string_view::npos ? 0 : nl);
  TALLY_ASSIGN_OR_RETURN(LogTrust trust, TrustFor(origin, required));
  TALLY_ASSIGN_OR_RETURN(tlog::OpenedCheckpoint opened, tlog::OpenCheckpoint(note, trust.Keys()));
  return VerifiedCheckpoint{trust.owner, std::move(opened)};
}

Result<std::string> ResolveNetworkPath(const std::string& flag) {
  if (!flag.empty()) return flag;
  if (const char* env = std::getenv("TALLY_NETWORK"); env && *env) return std::string(env);
  if (FileExists("network.toml")) return std::string("network.toml");
  return NotFound(
      "no network file: pass --network FILE, set TALLY_NETWORK, or create ./network.toml "
      "(tally network init; docs/formats/network.md)");
}

Result<Network> LoadNetwork(const std::string& flag) {
  TALLY_ASSIGN_OR_RETURN(std::string path, ResolveNetworkPath(flag));
  auto n = Network::Load(path);
  if (n.ok() || !flag.empty()) return n;
  const char* env = std::getenv("TALLY_NETWORK");
  return n.error().WithContext(env && *env ? "$TALLY_NETWORK" : "./network.toml");
}

}  // namespace tally::network
