#include "tally/node/node_init.h"

#include <sys/stat.h>

#include <filesystem>

#include "tally/base/file.h"
#include "tally/node/node_log.h"
#include "tally/node/trust.h"
#include "tally/tlog/key_file.h"
#include "tally/tlog/witness.h"

namespace tally::node {

Result<InitResult> InitNode(const InitOptions& o, crypto::RandomSource& random) {
  const NodeLayout layout{o.dir};
  if (FileExists(layout.Config())) {
    return AlreadyExists(layout.Config() + ": already a node directory; refusing to overwrite it");
  }
  if (o.party.empty() == o.witness_name.empty()) {
    return InvalidArgument("node init: give either --party ID or --witness NAME");
  }
  InitResult out;
  std::string key_prefix;
  if (!o.party.empty()) {
    out.origin = o.origin;
    // The network may list the party already (its origin); it must not pin other keys for it.
    if (FileExists(o.network)) {
      TALLY_ASSIGN_OR_RETURN(auto trust, Trust::Load(o.network));
      if (const PartyInfo* p = trust->FindParty(o.party)) {
        if (out.origin.empty()) out.origin = p->origin;
        if (out.origin != p->origin) {
          return FieldError(
              "--origin", "origin",
              "the origin " + o.network + " lists for " + o.party + " (\"" + p->origin + "\")",
              out.origin);
        }
        return InvalidArgument(o.network + ": already pins a log key for " + o.party +
                               "; a new node has new keys: remove the party's entry first");
      }
    }
    if (out.origin.empty()) {
      return InvalidArgument("node init: --origin is required (" + o.party +
                             " is not in the network file yet)");
    }
    if (!tlog::IsValidKeyName(out.origin)) {
      return FieldError("--origin", "origin", "a key name (no spaces, no '+')", out.origin);
    }
    key_prefix = out.origin;
  } else {
    if (!tlog::IsValidKeyName(o.witness_name)) {
      return FieldError("--witness", "witness", "a key name (no spaces, no '+')", o.witness_name);
    }
    key_prefix = o.witness_name;
  }
  TALLY_RETURN_IF_ERROR(MakeDirectories(o.dir));
  TALLY_RETURN_IF_ERROR(MakeDirectories(layout.Private()));
  ::chmod(layout.Private().c_str(), 0700);
  for (const auto& d : {layout.Mirrors(), layout.Alarms(), layout.dir + "/run"}) {
    TALLY_RETURN_IF_ERROR(MakeDirectories(d));
  }
  if (!o.party.empty()) {
    TALLY_ASSIGN_OR_RETURN(out.log_key, InitNodeLog(layout, out.origin, random));
  }
  const std::string witness_name = o.party.empty() ? o.witness_name : out.origin + "/witness";
  TALLY_ASSIGN_OR_RETURN(out.witness_key,
                         tlog::Witness::Init(layout.Witness(), witness_name, random));
  TALLY_ASSIGN_OR_RETURN(auto node_signer,
                         tlog::Ed25519NoteSigner::Generate(key_prefix + "/node", random));
  TALLY_RETURN_IF_ERROR(tlog::WriteSecretKeyFile(layout.NodeKey(), node_signer->SignerKey()));
  out.node_key = node_signer->VerifierKey();

  NodeConfig config;
  config.party = o.party;
  config.witness_name = o.witness_name;
  // Absolute, so that the node finds it whatever directory tallyd starts in.
  config.network = std::filesystem::absolute(o.network).lexically_normal().string();
  config.listen = o.listen;
  // The config is written last: a directory without it is not a node (init can be rerun).
  TALLY_RETURN_IF_ERROR(WriteFileAtomic(layout.Config(), FormatNodeConfig(config)));

  const std::string url = "http://" + o.listen + "/";
  if (!o.party.empty()) {
    out.network_entry = "[[parties]]\nid = \"" + o.party + "\"\norigin = \"" + out.origin +
                        "\"\nlog_key = \"" + out.log_key + "\"\nwitness_key = \"" +
                        out.witness_key + "\"\nnode_key = \"" + out.node_key + "\"\nurl = \"" +
                        url + "\"\n";
  } else {
    out.network_entry = "[[witnesses]]\nname = \"" + o.witness_name + "\"\nkey = \"" +
                        out.witness_key + "\"\nurl = \"" + url + "\"\n";
  }
  return out;
}

}  // namespace tally::node
