#include "tally/dashboard/regime_data.h"

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>

#include "tally/base/file.h"
#include "tally/inspection/party_log.h"
#include "tally/inspection/record_json.h"
#include "tally/network/network.h"
#include "tally/tlog/tile.h"
#include "tally/treaty/treaty_set.h"

namespace tally::dashboard {
namespace {

using nlohmann::ordered_json;

void Put(DashboardDocuments& docs, std::string path, std::string body, std::string type) {
  docs.by_path[std::move(path)] = {std::make_shared<const std::string>(std::move(body)),
                                   std::move(type)};
}

// The files a tree of `size` has, read from `dir`: every tile it covers at its width, so that a
// file beyond the checkpoint (a torn append) is never published.
Status AddTiles(DashboardDocuments& docs, const std::string& base, const std::string& dir,
                uint64_t size) {
  for (int level = tlog::kEntriesLevel; level < 8; ++level) {
    const int width_level = level == tlog::kEntriesLevel ? 0 : level;
    for (uint64_t n = 0;; ++n) {
      const int width = tlog::TileWidthAt(width_level, n, size);
      if (width == 0) break;
      const std::string path = tlog::TilePath({level, n, width});
      TALLY_ASSIGN_OR_RETURN(std::string bytes, ReadFile(dir + "/" + path));
      Put(docs, base + path, std::move(bytes), "application/octet-stream");
    }
  }
  return Status::Ok();
}

std::string KeyName(const std::string& vkey) { return vkey.substr(0, vkey.find('+')); }

}  // namespace

std::string RegimeJson(const network::Network& net, const std::map<std::string, std::string>& base,
                       const std::map<std::string, uint64_t>& sizes) {
  const network::Description& d = net.description();
  ordered_json logs = ordered_json::array();
  for (const network::Party& party : d.parties) {
    auto b = base.find(party.id);
    if (b == base.end()) continue;
    // The cosigners of this log, as network::Network::WitnessesOf orders them.
    ordered_json witnesses = ordered_json::array();
    for (const network::Party& other : d.parties) {
      if (other.id != party.id && !other.witness_key.empty()) {
        witnesses.push_back({{"name", KeyName(other.witness_key)}, {"key", other.witness_key}});
      }
    }
    for (const network::ThirdPartyWitness& w : d.witnesses) {
      witnesses.push_back({{"name", w.name}, {"key", w.key}});
    }
    ordered_json log{
        {"party", party.id}, {"origin", party.origin}, {"key", party.log_key}, {"base", b->second}};
    if (auto s = sizes.find(party.id); s != sizes.end()) log["size"] = s->second;
    log["witnesses"] = witnesses;
    logs.push_back(std::move(log));
  }
  return ordered_json{
      {"network", d.name}, {"treaty", d.treaty}, {"cosignatures", d.cosignatures}, {"logs", logs}}
      .dump();
}

Status AddRegimeDocuments(const RegimeInputs& in, DashboardDocuments& docs) {
  TALLY_ASSIGN_OR_RETURN(network::Network net, network::Network::Load(in.network));
  const network::Description& d = net.description();
  inspection::ReplaySource source;
  std::map<std::string, std::string> bases;
  std::map<std::string, uint64_t> sizes;
  for (const std::string& dir : in.logs) {
    auto log = inspection::ReadPartyLog(dir, net);
    if (!log.ok()) return log.error().WithContext(dir);
    if (const inspection::PartyLog* twice = inspection::FindLog(source.logs, log->owner())) {
      return InvalidArgument(dir + " and " + twice->source() + " are both " + log->owner() +
                             "'s log; give one log per party");
    }
    const network::Party* party = net.FindParty(log->owner());
    const std::string base = "/logs/" + party->id + "/";
    Put(docs, base + "checkpoint", log->checkpoint_note(), "text/plain; charset=utf-8");
    TALLY_RETURN_IF_ERROR(AddTiles(docs, base, dir, log->size()).WithContext(dir));
    bases[party->id] = base.substr(1);
    sizes[party->id] = log->size();
    source.logs.push_back(std::move(*log));
  }
  for (const std::string& folder : in.documents) {
    std::error_code ec;
    std::filesystem::directory_iterator it(folder, ec), end;
    if (ec) return IoError(folder + ": " + ec.message());
    for (; it != end; it.increment(ec)) {
      if (!it->is_regular_file()) continue;
      TALLY_ASSIGN_OR_RETURN(std::string bytes, ReadFile(it->path().string()));
      source.documents.Add(std::move(bytes));
    }
    if (ec) return IoError(folder + ": " + ec.message());
  }
  source.Index();
  Put(docs, "/api/regime.json", RegimeJson(net, bases, sizes), "application/json");

  TALLY_ASSIGN_OR_RETURN(treaty::TreatySet treaties, treaty::LoadDefaultTreaties());
  const std::string treaty_id = d.treaty.empty() ? "new-start" : d.treaty;
  TALLY_ASSIGN_OR_RETURN(const treaty::Treaty* t, treaties.Get(treaty_id));
  const inspection::TreatyLookup lookup = [&treaties](const std::string& id) {
    return treaties.Find(id);
  };
  const int64_t now = inspection::LatestEntryTime(source.logs).value_or(0);
  TALLY_ASSIGN_OR_RETURN(ordered_json overview, inspection::OverviewJson(lookup, source, *t, now));
  Put(docs, "/api/inspections.json", overview.dump(), "application/json");
  return Status::Ok();
}

}  // namespace tally::dashboard
