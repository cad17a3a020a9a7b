#include "tally/node/alarms.h"

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "tally/base/file.h"
#include "tally/crypto/encoding.h"
#include "tally/crypto/sha256.h"
#include "tally/jsondoc/reader.h"

namespace tally::node {
namespace {

nlohmann::json ToJsonValue(const Alarm& a) {
  return nlohmann::json{{"kind", a.kind},     {"origin", a.origin},
                        {"detail", a.detail}, {"seen_by", a.seen_by},
                        {"time", a.time},     {"checkpoints", a.checkpoints}};
}

}  // namespace

Result<std::string> AlarmBook::Raise(const Alarm& alarm) {
  std::vector<std::string> notes = alarm.checkpoints;
  std::sort(notes.begin(), notes.end());
  crypto::Sha256 h;
  h.Update(alarm.kind + "\n" + alarm.origin + "\n");
  for (const auto& n : notes) {
    h.Update(std::to_string(n.size()) + "\n");
    h.Update(n);
  }
  const auto digest = h.Final();
  const std::string path =
      dir_ + "/" + crypto::HexEncode(std::span<const uint8_t>(digest).first(8)) + ".json";
  std::lock_guard<std::mutex> lock(mu_);
  if (FileExists(path)) return path;
  TALLY_RETURN_IF_ERROR(MakeDirectories(dir_));
  TALLY_RETURN_IF_ERROR(WriteFileAtomic(
      path,
      ToJsonValue(alarm).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n"));
  return path;
}

Result<std::vector<Alarm>> AlarmBook::List() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<Alarm> out;
  std::error_code ec;
  if (!std::filesystem::is_directory(dir_, ec)) return out;
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(dir_, ec)) {
    if (e.path().extension() == ".json") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    TALLY_ASSIGN_OR_RETURN(std::string text, ReadFile(f));
    auto parsed = jsondoc::ParseJson(text, f);
    if (!parsed.ok() || !parsed->is_object()) return DataLoss(f + ": not an alarm document");
    const nlohmann::json& j = *parsed;
    Alarm a;
    a.kind = j.value("kind", "");
    a.origin = j.value("origin", "");
    a.detail = j.value("detail", "");
    a.seen_by = j.value("seen_by", "");
    a.time = j.value("time", uint64_t{0});
    if (j.contains("checkpoints") && j["checkpoints"].is_array()) {
      for (const auto& c : j["checkpoints"]) {
        if (c.is_string()) a.checkpoints.push_back(c.get<std::string>());
      }
    }
    out.push_back(std::move(a));
  }
  std::sort(out.begin(), out.end(), [](const Alarm& x, const Alarm& y) { return x.time < y.time; });
  return out;
}

std::string AlarmBook::ToJson(const std::vector<Alarm>& alarms) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& a : alarms) list.push_back(ToJsonValue(a));
  return nlohmann::json{{"alarms", list}}.dump(2, ' ', false,
                                               nlohmann::json::error_handler_t::replace);
}

}  // namespace tally::node
