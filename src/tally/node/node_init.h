// InitNode: creates a node directory (node_config.h) with fresh keys: for a party, its log
// (Ed25519 log key named after the origin), its witness key ("<origin>/witness", type 0x04) and
// its node key ("<origin>/node", type 0x01, signs its calls to other nodes); for a third-party
// witness, the witness key (named as given) and a node key ("<name>/node").
//
// Keys are generated here and never leave NODE/private (0700, files 0600). What the regime must
// learn is returned: the public keys, and the network-file lines that pin them
// (`tally network add` or an edit of the file). tallyd refuses to start until the network lists
// this node's keys under its party or witness name.
// Errors: AlreadyExists (DIR holds a node), InvalidArgument (a bad origin or name; the party is
// listed with other keys already), IoError.
// Thread safety: reentrant (on distinct directories).
#ifndef TALLY_NODE_NODE_INIT_H_
#define TALLY_NODE_NODE_INIT_H_

#include <string>

#include "tally/base/result.h"
#include "tally/crypto/random.h"
#include "tally/node/node_config.h"

namespace tally::node {

struct InitOptions {
  std::string dir;
  std::string network;       // path written into node.toml
  std::string party;         // party mode
  std::string origin;        // party mode: the log's origin (default: the network's, if listed)
  std::string witness_name;  // witness-only mode
  std::string listen = "127.0.0.1:8401";
};

struct InitResult {
  std::string origin;         // party mode
  std::string log_key;        // party mode
  std::string witness_key;    // vkey
  std::string node_key;       // vkey
  std::string network_entry;  // the TOML lines of the network file that pin these keys
};

Result<InitResult> InitNode(const InitOptions& options,
                            crypto::RandomSource& random = crypto::SystemRandom());

}  // namespace tally::node

#endif  // TALLY_NODE_NODE_INIT_H_
