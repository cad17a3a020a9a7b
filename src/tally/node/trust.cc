#include "tally/node/trust.h"

namespace tally::node {

Result<std::unique_ptr<Trust>> Trust::Load(const std::string& path) {
  TALLY_ASSIGN_OR_RETURN(network::Network net, network::Network::Load(path));
  return std::unique_ptr<Trust>(new Trust(std::move(net), path));
}

Result<std::unique_ptr<Trust>> Trust::Parse(std::string_view text, const std::string& name) {
  TALLY_ASSIGN_OR_RETURN(network::Network net, network::Network::Parse(text, name));
  return std::unique_ptr<Trust>(new Trust(std::move(net), name));
}

const tlog::NoteVerifier* Trust::LogKey(std::string_view origin) const {
  const PartyInfo* p = net_.FindByOrigin(origin);
  return p ? net_.LogKey(p->id) : nullptr;
}

}  // namespace tally::node
