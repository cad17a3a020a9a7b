#include "tally/node/cosign_client.h"

#include "tally/merkle/proof.h"
#include "tally/tlog/checkpoint.h"
#include "tally/tlog/note.h"
#include "tally/tlog/tile_reader.h"
#include "tally/tlog/witness.h"

namespace tally::node {

Result<std::string> RequestCosignature(server::HttpClient& client, const std::string& witness_url,
                                       const std::string& log_dir, const std::string& note) {
  TALLY_ASSIGN_OR_RETURN(tlog::Note parsed, tlog::ParseNote(note));
  TALLY_ASSIGN_OR_RETURN(tlog::Checkpoint cp, tlog::ParseCheckpoint(parsed.text));
  const std::string url = server::JoinUrl(witness_url, "add-checkpoint");
  tlog::AddCheckpointRequest request{0, {}, note};
  for (int attempt = 0; attempt < 3; ++attempt) {
    TALLY_ASSIGN_OR_RETURN(auto r, client.Post(url, request.Format(), "text/plain"));
    if (r.status == 200) return r.body;
    if (r.status != 409 || !r.Header("content-type") ||
        *r.Header("content-type") != "text/x.tlog.size") {
      return Unavailable(url + ": HTTP " + std::to_string(r.status) + ": " + r.body.substr(0, 300));
    }
    std::string size_text = r.body;
    if (!size_text.empty() && size_text.back() == '\n') size_text.pop_back();
    TALLY_ASSIGN_OR_RETURN(uint64_t held, tlog::ParseDecimal(size_text, url, "size"));
    if (held == request.old_size) {
      return VerificationFailed(url + ": the witness holds size " + std::to_string(held) +
                                " with another root than this checkpoint's: a fork");
    }
    if (held > cp.size) {
      return VerificationFailed(url + ": the witness already cosigned size " +
                                std::to_string(held) + ", larger than this checkpoint's " +
                                std::to_string(cp.size));
    }
    request.old_size = held;
    request.proof.clear();
    if (held > 0 && held < cp.size) {
      tlog::TileReader reader(log_dir, cp.size, /*strict=*/false);
      TALLY_ASSIGN_OR_RETURN(request.proof, merkle::ConsistencyProof(held, cp.size, reader));
    }
  }
  return Unavailable(url + ": the witness kept moving; try again");
}

}  // namespace tally::node
