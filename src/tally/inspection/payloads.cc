#include "tally/inspection/payloads.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "tally/crypto/encoding.h"
#include "tally/jsondoc/reader.h"
#include "tally/model/item.h"

namespace tally::inspection {
namespace {

using nlohmann::json;

// Never throws: bytes that are not UTF-8 (only possible in values given on a command line; parsed
// payloads are valid UTF-8) are written as U+FFFD.
std::string Dump(const json& v) { return v.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string Got(const json& v) {
  if (v.is_string()) {
    std::string s = v.get<std::string>();
    if (s.size() > 80) s = s.substr(0, 80) + "...";
    return Dump(json(s));
  }
  if (v.is_number_integer() || v.is_boolean() || v.is_null()) return Dump(v);
  if (v.is_number_float()) return "a float";
  if (v.is_array()) return "an array";
  if (v.is_object()) return "an object";
  return "something else";
}

// The deepest nesting of arrays and objects in `text`, outside strings.
int NestingDepth(std::string_view text) {
  int depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

bool ValidParty(std::string_view p) {
  if (p.empty() || p.size() > 32) return false;
  return std::all_of(p.begin(), p.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}

constexpr uint64_t kMaxLogSizeForFields = (uint64_t{1} << 63) - 1;

// A strict view of one JSON object: every getter names the field in errors; Finish() rejects keys
// no getter asked for.
class Fields {
 public:
  static Result<Fields> Parse(std::string_view text, std::string_view where,
                              std::string_view format) {
    // Payloads are at most two levels deep; deeper text is refused before it is parsed, so
    // that no input can exhaust the stack of the JSON value's destructor.
    if (NestingDepth(text) > 4) {
      return FieldError(where, "(payload)", "a JSON object at most 4 levels deep",
                        "deeper nesting");
    }
    TALLY_ASSIGN_OR_RETURN(json j, jsondoc::ParseJson(text, where));
    if (!j.is_object()) {
      return FieldError(where, "(payload)", "a JSON object", Got(j));
    }
    Fields f(std::move(j), where);
    TALLY_ASSIGN_OR_RETURN(std::string got, f.String("format"));
    if (got != format) {
      return FieldError(where, "format", "\"" + std::string(format) + "\"", Got(json(got)));
    }
    return f;
  }

  Result<const json*> Get(const std::string& key) {
    seen_.insert(key);
    auto it = j_.find(key);
    if (it == j_.end())
      return FieldError(where_, prefix_ + key, "a value", "nothing (the key is required)");
    return &*it;
  }
  Result<std::string> String(const std::string& key) {
    TALLY_ASSIGN_OR_RETURN(const json* v, Get(key));
    if (!v->is_string()) return FieldError(where_, prefix_ + key, "a string", Got(*v));
    return v->get<std::string>();
  }
  Result<std::string> Id(const std::string& key) {
    TALLY_ASSIGN_OR_RETURN(std::string s, String(key));
    if (!ValidInspectionId(s)) {
      return FieldError(where_, prefix_ + key, "an inspection id (1-64 of [A-Za-z0-9._-])",
                        Got(json(s)));
    }
    return s;
  }
  Result<std::string> Party(const std::string& key) {
    TALLY_ASSIGN_OR_RETURN(std::string s, String(key));
    if (!ValidParty(s)) {
      return FieldError(where_, prefix_ + key, "a party code (1-32 of [A-Za-z0-9._-])",
                        Got(json(s)));
    }
    return s;
  }
  Result<std::string> Text(const std::string& key) {
    TALLY_ASSIGN_OR_RETURN(std::string s, String(key));
    if (s.empty() || s.size() > 256) {
      return FieldError(where_, prefix_ + key, "a non-empty string of at most 256 bytes",
                        Got(json(s)));
    }
    return s;
  }
  Result<uint64_t> Uint(const std::string& key, uint64_t max) {
    TALLY_ASSIGN_OR_RETURN(const json* v, Get(key));
    return UintOf(*v, key, max);
  }
  Result<uint64_t> UintOf(const json& v, const std::string& key, uint64_t max) const {
    if (v.is_number_unsigned() && v.get<uint64_t>() <= max) return v.get<uint64_t>();
    if (v.is_number_integer() && !v.is_number_unsigned() && v.get<int64_t>() >= 0 &&
        static_cast<uint64_t>(v.get<int64_t>()) <= max) {
      return static_cast<uint64_t>(v.get<int64_t>());
    }
    return FieldError(where_, prefix_ + key, "an integer 0.." + std::to_string(max), Got(v));
  }
  Result<Hash32> Hex(const std::string& key) {
    TALLY_ASSIGN_OR_RETURN(std::string s, String(key));
    auto bytes = crypto::HexDecode(s);
    // Lower-case only, so that one value has one encoding.
    const bool lower =
        std::none_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'F'; });
    if (!bytes.ok() || bytes->size() != 32 || !lower) {
      return FieldError(where_, prefix_ + key, "64 lower-case hex digits", Got(json(s)));
    }
    Hash32 out;
    std::copy(bytes->begin(), bytes->end(), out.begin());
    return out;
  }
  Result<Citation> Seen(const std::string& key) {
    TALLY_ASSIGN_OR_RETURN(const json* v, Get(key));
    if (!v->is_object())
      return FieldError(where_, prefix_ + key, "an object {root, size}", Got(*v));
    Fields inner(*v, where_);
    inner.prefix_ = key + ".";
    Citation c;
    TALLY_ASSIGN_OR_RETURN(c.root, inner.Hex("root"));
    TALLY_ASSIGN_OR_RETURN(c.size, inner.Uint("size", kMaxLogSizeForFields));
    TALLY_RETURN_IF_ERROR(inner.Finish());
    return c;
  }
  Result<const json*> Array(const std::string& key, size_t max) {
    TALLY_ASSIGN_OR_RETURN(const json* v, Get(key));
    if (!v->is_array() || v->size() > max) {
      return FieldError(where_, prefix_ + key,
                        "an array of at most " + std::to_string(max) + " elements", Got(*v));
    }
    return v;
  }
  Status Finish() const {
    for (auto it = j_.begin(); it != j_.end(); ++it) {
      if (!seen_.count(it.key()))
        return FieldError(where_, prefix_ + it.key(), "a known key", "an unknown key");
    }
    return Status::Ok();
  }
  const std::string& where() const { return where_; }

 private:
  Fields(json j, std::string_view where) : j_(std::move(j)), where_(where) {}
  json j_;
  std::string where_;
  std::string prefix_;  // "seen." inside a nested object
  std::set<std::string> seen_;
};

std::string HexOf(const Hash32& h) { return crypto::HexEncode(h); }

// Findings list what was observed: at a site inspected whole, every item there. The bound is the
// generator's largest inventory (escrow::kMaxGeneratedItems), so a whole site of a scale exercise
// fits; below it a document of a few hundred megabytes at most, which is parsed before this check.
constexpr uint64_t kMaxLeaves = 2'000'000;

Status CheckRound(Fields& f, const std::string& inspection, const std::string& round) {
  if (round != RoundId(inspection)) {
    return FieldError(f.where(), "round", "\"" + RoundId(inspection) + "\"", Got(json(round)));
  }
  return Status::Ok();
}

json SeenJson(const Citation& c) { return json{{"root", HexOf(c.root)}, {"size", c.size}}; }

}  // namespace

bool ValidInspectionId(std::string_view id) {
  return id.size() <= 64 && ValidParty(id.substr(0, 32)) &&
         (id.size() <= 32 || ValidParty(id.substr(32)));
}

std::string_view OpeningPhaseName(OpeningPhase p) {
  return p == OpeningPhase::kSite ? "site" : "designated";
}

std::string RoundId(std::string_view inspection) {
  return "tally/inspection/" + std::string(inspection) + "/items";
}

bool IdBelongsTo(std::string_view id, std::string_view party) {
  return id.size() > party.size() + 1 && id.substr(0, party.size()) == party &&
         id[party.size()] == '-';
}

// nlohmann::json keeps object keys sorted and dump() writes no whitespace: the canonical form.
std::string EncodeRequest(const Request& p) {
  return Dump(json{{"format", kRequestFormat},
                   {"inspection", p.inspection},
                   {"treaty", p.treaty},
                   {"type", p.type},
                   {"inspected", p.inspected},
                   {"site", p.site},
                   {"seen", SeenJson(p.seen)}});
}

std::string EncodeOpening(const Opening& p) {
  return Dump(json{{"format", kOpeningFormat},
                   {"inspection", p.inspection},
                   {"phase", OpeningPhaseName(p.phase)},
                   {"bundle_sha256", HexOf(p.bundle_sha256)},
                   {"seen", SeenJson(p.seen)}});
}

std::string EncodeCommit(const RandomnessCommit& p) {
  return Dump(json{{"format", kCommitFormat},
                   {"inspection", p.inspection},
                   {"round", p.round},
                   {"commitment", HexOf(p.commitment)},
                   {"seen", SeenJson(p.seen)}});
}

std::string EncodeReveal(const RandomnessReveal& p) {
  return Dump(json{{"format", kRevealFormat},
                   {"inspection", p.inspection},
                   {"round", p.round},
                   {"secret", HexOf(p.secret)},
                   {"seen", SeenJson(p.seen)}});
}

std::string EncodeFinding(const Finding& p) {
  return Dump(json{{"format", kFindingFormat},
                   {"inspection", p.inspection},
                   {"findings_sha256", HexOf(p.findings_sha256)},
                   {"seen", SeenJson(p.seen)}});
}

std::string EncodeFindings(const Findings& p) {
  json observed = json::array();
  for (const Observation& o : p.observed) {
    observed.push_back({{"uid", o.uid}, {"status", o.status}, {"warheads", o.warheads}});
  }
  return Dump(
      json{{"format", kFindingsFormat}, {"inspection", p.inspection}, {"observed", observed}});
}

Result<Request> ParseRequest(std::string_view text, std::string_view where) {
  TALLY_ASSIGN_OR_RETURN(Fields f, Fields::Parse(text, where, kRequestFormat));
  Request p;
  TALLY_ASSIGN_OR_RETURN(p.inspection, f.Id("inspection"));
  TALLY_ASSIGN_OR_RETURN(p.treaty, f.Text("treaty"));
  TALLY_ASSIGN_OR_RETURN(p.type, f.Text("type"));
  TALLY_ASSIGN_OR_RETURN(p.inspected, f.Party("inspected"));
  TALLY_ASSIGN_OR_RETURN(p.site, f.Text("site"));
  TALLY_ASSIGN_OR_RETURN(p.seen, f.Seen("seen"));
  TALLY_RETURN_IF_ERROR(f.Finish());
  return p;
}

Result<Opening> ParseOpening(std::string_view text, std::string_view where) {
  TALLY_ASSIGN_OR_RETURN(Fields f, Fields::Parse(text, where, kOpeningFormat));
  Opening p;
  TALLY_ASSIGN_OR_RETURN(p.inspection, f.Id("inspection"));
  TALLY_ASSIGN_OR_RETURN(std::string phase, f.String("phase"));
  if (phase == "site") {
    p.phase = OpeningPhase::kSite;
  } else if (phase == "designated") {
    p.phase = OpeningPhase::kDesignated;
  } else {
    return FieldError(where, "phase", "\"site\" or \"designated\"", Got(json(phase)));
  }
  TALLY_ASSIGN_OR_RETURN(p.bundle_sha256, f.Hex("bundle_sha256"));
  TALLY_ASSIGN_OR_RETURN(p.seen, f.Seen("seen"));
  TALLY_RETURN_IF_ERROR(f.Finish());
  return p;
}

Result<RandomnessCommit> ParseCommit(std::string_view text, std::string_view where) {
  TALLY_ASSIGN_OR_RETURN(Fields f, Fields::Parse(text, where, kCommitFormat));
  RandomnessCommit p;
  TALLY_ASSIGN_OR_RETURN(p.inspection, f.Id("inspection"));
  TALLY_ASSIGN_OR_RETURN(p.round, f.String("round"));
  TALLY_RETURN_IF_ERROR(CheckRound(f, p.inspection, p.round));
  TALLY_ASSIGN_OR_RETURN(p.commitment, f.Hex("commitment"));
  TALLY_ASSIGN_OR_RETURN(p.seen, f.Seen("seen"));
  TALLY_RETURN_IF_ERROR(f.Finish());
  return p;
}

Result<RandomnessReveal> ParseReveal(std::string_view text, std::string_view where) {
  TALLY_ASSIGN_OR_RETURN(Fields f, Fields::Parse(text, where, kRevealFormat));
  RandomnessReveal p;
  TALLY_ASSIGN_OR_RETURN(p.inspection, f.Id("inspection"));
  TALLY_ASSIGN_OR_RETURN(p.round, f.String("round"));
  TALLY_RETURN_IF_ERROR(CheckRound(f, p.inspection, p.round));
  TALLY_ASSIGN_OR_RETURN(p.secret, f.Hex("secret"));
  TALLY_ASSIGN_OR_RETURN(p.seen, f.Seen("seen"));
  TALLY_RETURN_IF_ERROR(f.Finish());
  return p;
}

Result<Finding> ParseFinding(std::string_view text, std::string_view where) {
  TALLY_ASSIGN_OR_RETURN(Fields f, Fields::Parse(text, where, kFindingFormat));
  Finding p;
  TALLY_ASSIGN_OR_RETURN(p.inspection, f.Id("inspection"));
  TALLY_ASSIGN_OR_RETURN(p.findings_sha256, f.Hex("findings_sha256"));
  TALLY_ASSIGN_OR_RETURN(p.seen, f.Seen("seen"));
  TALLY_RETURN_IF_ERROR(f.Finish());
  return p;
}

Result<Findings> ParseFindings(std::string_view text, std::string_view where) {
  TALLY_ASSIGN_OR_RETURN(Fields f, Fields::Parse(text, where, kFindingsFormat));
  Findings p;
  TALLY_ASSIGN_OR_RETURN(p.inspection, f.Id("inspection"));
  TALLY_ASSIGN_OR_RETURN(const json* observed, f.Array("observed", kMaxLeaves));
  for (size_t i = 0; i < observed->size(); ++i) {
    const std::string at = "observed[" + std::to_string(i) + "]";
    const json& o = (*observed)[i];
    if (!o.is_object()) return FieldError(where, at, "an object", Got(o));
    Observation ob;
    for (auto it = o.begin(); it != o.end(); ++it) {
      const std::string key = at + "." + it.key();
      if (it.key() == "uid") {
        if (!it->is_string() || it->get<std::string>().empty() ||
            it->get<std::string>().size() > 256) {
          return FieldError(where, key, "a non-empty string of at most 256 bytes", Got(*it));
        }
        ob.uid = it->get<std::string>();
      } else if (it.key() == "status") {
        if (!it->is_string() || !model::ParseItemStatus(it->get<std::string>()) ||
            model::ItemStatusName(*model::ParseItemStatus(it->get<std::string>())) !=
                it->get<std::string>()) {
          return FieldError(where, key,
                            "an item status (deployed non_deployed test converted eliminated)",
                            Got(*it));
        }
        ob.status = it->get<std::string>();
      } else if (it.key() == "warheads") {
        TALLY_ASSIGN_OR_RETURN(uint64_t w, f.UintOf(*it, key, 1000));
        ob.warheads = static_cast<int64_t>(w);
      } else {
        return FieldError(where, key, "a known key (uid, status, warheads)", "an unknown key");
      }
    }
    for (const char* k : {"uid", "status", "warheads"}) {
      if (!o.contains(k)) {
        return FieldError(where, at + "." + k, "a value", "nothing (the key is required)");
      }
    }
    if (!p.observed.empty() && ob.uid <= p.observed.back().uid) {
      return FieldError(where, at + ".uid", "uids in ascending byte order, none twice",
                        Got(json(ob.uid)));
    }
    p.observed.push_back(std::move(ob));
  }
  TALLY_RETURN_IF_ERROR(f.Finish());
  return p;
}

}  // namespace tally::inspection
