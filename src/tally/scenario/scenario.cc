#include "tally/scenario/scenario.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "tally/model/state.h"
#include "tally/scenario/toml_lite.h"

namespace tally::scenario {
namespace {

std::string Num(double x) {
  std::string s = std::to_string(x);
  s.erase(s.find_last_not_of('0') + 1);
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

std::string Got(const TomlValue& v) {
  switch (v.type) {
    case TomlValue::Type::kString:
      return "\"" + v.text + "\"";
    case TomlValue::Type::kNumber:
      return Num(v.number);
    case TomlValue::Type::kBool:
      return v.boolean ? "true" : "false";
    default:
      return std::string(v.TypeName());
  }
}

// Reads the keys of one table, remembering which were used so that Finish can reject the rest.
class Reader {
 public:
  Reader(const std::string& file, const TomlTable& table) : file_(file), table_(table) {}

  Status KeyError(int line, std::string_view key, std::string_view expected,
                  std::string_view got) const {
    return InvalidArgument(file_ + ":" + std::to_string(line) + ": key '" + std::string(key) +
                           "': expected " + std::string(expected) + ", got " + std::string(got));
  }

  const TomlValue* Take(std::string_view key) {
    used_.insert(std::string(key));
    return table_.Find(key);
  }

  Result<std::optional<std::string>> OptString(std::string_view key) {
    const TomlValue* v = Take(key);
    if (!v) return std::optional<std::string>();
    if (v->type != TomlValue::Type::kString) return KeyError(v->line, key, "a string", Got(*v));
    return std::optional<std::string>(v->text);
  }
  Result<std::string> String(std::string_view key) {
    TALLY_ASSIGN_OR_RETURN(auto s, OptString(key));
    if (!s || s->empty()) return Missing(key, "a non-empty string");
    return *s;
  }
  Result<std::optional<double>> OptNumber(std::string_view key, bool non_negative) {
    const TomlValue* v = Take(key);
    if (!v) return std::optional<double>();
    if (v->type != TomlValue::Type::kNumber) return KeyError(v->line, key, "a number", Got(*v));
    if (non_negative && v->number < 0) {
      return KeyError(v->line, key, "a non-negative number", Got(*v));
    }
    return std::optional<double>(v->number);
  }
  Result<std::optional<Date>> OptDate(std::string_view key) {
    const TomlValue* v = Take(key);
    if (!v) return std::optional<Date>();
    if (v->type != TomlValue::Type::kString) {
      return KeyError(v->line, key, "a date YYYY-MM-DD", Got(*v));
    }
    auto d = Date::ParseLoose(v->text);
    if (!d) return KeyError(v->line, key, "a possible date YYYY, YYYY-MM or YYYY-MM-DD", Got(*v));
    return std::optional<Date>(*d);
  }
  Result<Date> RequiredDate(std::string_view key) {
    TALLY_ASSIGN_OR_RETURN(auto d, OptDate(key));
    if (!d) return Missing(key, "a date YYYY-MM-DD");
    return *d;
  }
  Result<std::vector<std::string>> Strings(std::string_view key) {
    const TomlValue* v = Take(key);
    std::vector<std::string> out;
    if (!v) return out;
    if (v->type != TomlValue::Type::kArray) {
      return KeyError(v->line, key, "an array of strings", Got(*v));
    }
    for (const auto& item : v->items) {
      if (item.type != TomlValue::Type::kString) {
        return KeyError(v->line, key, "an array of strings", "an element " + Got(item));
      }
      out.push_back(item.text);
    }
    return out;
  }
  // A number, or { dist = "normal", mean, sd } / { dist = "uniform", low, high }.
  Result<std::optional<Param>> OptParam(std::string_view key, bool non_negative) {
    const TomlValue* v = Take(key);
    if (!v) return std::optional<Param>();
    Param p;
    if (v->type == TomlValue::Type::kNumber) {
      if (non_negative && v->number < 0) {
        return KeyError(v->line, key, "a non-negative number", Got(*v));
      }
      p.a = v->number;
      return std::optional<Param>(p);
    }
    if (v->type != TomlValue::Type::kTable) {
      return KeyError(v->line, key, "a number or { dist = ... }", Got(*v));
    }
    const TomlValue* dist = v->Find("dist");
    auto field = [&](const char* f) -> Result<double> {
      const TomlValue* x = v->Find(f);
      if (!x || x->type != TomlValue::Type::kNumber) {
        return KeyError(v->line, std::string(key) + "." + f, "a number",
                        x ? Got(*x) : std::string("nothing"));
      }
      return x->number;
    };
    std::set<std::string> allowed;
    if (dist && dist->type == TomlValue::Type::kString && dist->text == "normal") {
      p.kind = Param::Kind::kNormal;
      TALLY_ASSIGN_OR_RETURN(p.a, field("mean"));
      TALLY_ASSIGN_OR_RETURN(p.b, field("sd"));
      if (p.b < 0) return KeyError(v->line, std::string(key) + ".sd", "sd >= 0", Num(p.b));
      allowed = {"dist", "mean", "sd"};
    } else if (dist && dist->type == TomlValue::Type::kString && dist->text == "uniform") {
      p.kind = Param::Kind::kUniform;
      TALLY_ASSIGN_OR_RETURN(p.a, field("low"));
      TALLY_ASSIGN_OR_RETURN(p.b, field("high"));
      if (p.b < p.a) return KeyError(v->line, std::string(key) + ".high", "high >= low", Num(p.b));
      allowed = {"dist", "low", "high"};
    } else {
      return KeyError(v->line, std::string(key) + ".dist", "\"normal\" or \"uniform\"",
                      dist ? Got(*dist) : std::string("nothing"));
    }
    for (const auto& [k, x] : v->fields) {
      if (!allowed.count(k)) {
        return KeyError(x.line, std::string(key) + "." + k, "one of the distribution's keys",
                        "an unknown key");
      }
    }
    if (non_negative && (p.kind == Param::Kind::kUniform ? p.a < 0 : p.a < 0)) {
      return KeyError(v->line, key, "a non-negative value", p.Describe());
    }
    return std::optional<Param>(p);
  }

  Status Missing(std::string_view key, std::string_view expected) const {
    return KeyError(table_.line, key, expected,
                    "nothing (required in [" +
                        (table_.is_array ? "[" + table_.name + "]" : table_.name) + "])");
  }

  Status Finish() const {
    for (const auto& [key, value] : table_.entries) {
      if (!used_.count(key)) {
        return InvalidArgument(file_ + ":" + std::to_string(value.line) + ": key '" + key +
                               "': unknown key in [" +
                               (table_.is_array ? "[" + table_.name + "]" : table_.name) + "]");
      }
    }
    return Status::Ok();
  }

 private:
  const std::string& file_;
  const TomlTable& table_;
  std::set<std::string> used_;
};

Result<std::string> StateCode(Reader& r, const TomlTable& t, std::string_view key) {
  TALLY_ASSIGN_OR_RETURN(std::string name, r.String(key));
  const auto state = model::FindState(name);
  if (!state) {
    const TomlValue* v = t.Find(key);
    return r.KeyError(v ? v->line : t.line, key, "a known state (US, RU, CN, ...)",
                      "\"" + name + "\"");
  }
  return std::string(state->code);
}

}  // namespace

double Param::Draw(stats::Rng& rng) const {
  switch (kind) {
    case Kind::kConstant:
      return a;
    case Kind::kNormal:
      return rng.Normal(a, b);
    case Kind::kUniform:
      return rng.Uniform(a, b);
  }
  return a;
}

std::string Param::Describe() const {
  switch (kind) {
    case Kind::kConstant:
      return Num(a);
    case Kind::kNormal:
      return "normal(" + Num(a) + ", " + Num(b) + ")";
    case Kind::kUniform:
      return "uniform(" + Num(a) + ", " + Num(b) + ")";
  }
  return Num(a);
}

bool LimitLine::Applies(std::string_view state, Date d) const {
  if (from && d < *from) return false;
  if (until && d >= *until) return false;
  if (parties.empty()) return true;
  return std::find(parties.begin(), parties.end(), state) != parties.end();
}

std::vector<Date> Scenario::Dates() const {
  std::vector<Date> out;
  for (int i = 0;; ++i) {
    const Date d = yearly ? start.AddYears(i) : start.AddMonths(i);
    if (d > end) break;
    out.push_back(d);
  }
  return out;
}

int Scenario::SeriesIndex(std::string_view id) const {
  for (size_t i = 0; i < series.size(); ++i) {
    if (series[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

Result<Scenario> ParseScenario(std::string_view text, const std::string& name) {
  TALLY_ASSIGN_OR_RETURN(TomlDocument doc, ParseTomlLite(text, name));
  Scenario sc;
  sc.file = name;
  bool have_header = false;
  // Unknown keys first: a misspelt key is a better message than the required key it hides.
  static const std::map<std::string, std::set<std::string>> kAllowed = {
      {"", {}},
      {"scenario", {"name", "description", "start", "end", "step", "members", "seed", "treaties"}},
      {"party",
       {"id", "state", "quantity", "initial", "growth", "fatigue", "min", "max", "max_rate",
        "source"}},
      {"reaction", {"party", "to", "coefficient", "source"}},
      {"phase", {"party", "from", "until", "growth", "cap", "source"}},
      {"limit", {"id", "name", "quantity", "parties", "max", "from", "until", "source"}},
  };
  for (const TomlTable& t : doc.tables) {
    auto allowed = kAllowed.find(t.name);
    if (allowed == kAllowed.end()) continue;  // reported as an unknown table below
    for (const auto& [key, value] : t.entries) {
      if (!allowed->second.count(key)) {
        return InvalidArgument(name + ":" + std::to_string(value.line) + ": key '" + key +
                               "': unknown key in [" + (t.is_array ? "[" + t.name + "]" : t.name) +
                               "]");
      }
    }
  }
  for (const TomlTable& t : doc.tables) {
    Reader r(name, t);
    if (t.name.empty()) {
      TALLY_RETURN_IF_ERROR(r.Finish());  // nothing belongs at the top level
      continue;
    }
    if (t.name == "scenario" && !t.is_array) {
      have_header = true;
      TALLY_ASSIGN_OR_RETURN(sc.name, r.String("name"));
      TALLY_ASSIGN_OR_RETURN(auto description, r.OptString("description"));
      sc.description = description.value_or("");
      TALLY_ASSIGN_OR_RETURN(sc.start, r.RequiredDate("start"));
      TALLY_ASSIGN_OR_RETURN(sc.end, r.RequiredDate("end"));
      const TomlValue* end_value = t.Find("end");
      if (sc.end <= sc.start) {
        return r.KeyError(end_value->line, "end", "a date after start " + sc.start.ToString(),
                          sc.end.ToString());
      }
      if (sc.end > sc.start.AddYears(200)) {
        return r.KeyError(end_value->line, "end", "at most 200 years after start",
                          sc.end.ToString());
      }
      TALLY_ASSIGN_OR_RETURN(auto step, r.OptString("step"));
      if (step && *step != "month" && *step != "year") {
        return r.KeyError(t.Find("step")->line, "step", "\"month\" or \"year\"",
                          "\"" + *step + "\"");
      }
      sc.yearly = step && *step == "year";
      TALLY_ASSIGN_OR_RETURN(auto members, r.OptNumber("members", true));
      if (members) {
        if (*members < 1 || *members > 1e6 || std::floor(*members) != *members) {
          return r.KeyError(t.Find("members")->line, "members", "an integer 1..1000000",
                            Num(*members));
        }
        sc.members = static_cast<int>(*members);
      }
      TALLY_ASSIGN_OR_RETURN(auto seed, r.OptNumber("seed", true));
      if (seed) {
        if (std::floor(*seed) != *seed || *seed > 9.007199254740992e15) {
          return r.KeyError(t.Find("seed")->line, "seed", "a non-negative integer below 2^53",
                            Num(*seed));
        }
        sc.seed = static_cast<uint64_t>(*seed);
      }
      TALLY_ASSIGN_OR_RETURN(sc.treaties, r.Strings("treaties"));
      TALLY_RETURN_IF_ERROR(r.Finish());
    } else if (t.name == "party" && t.is_array) {
      Series s;
      s.line = t.line;
      TALLY_ASSIGN_OR_RETURN(s.state, StateCode(r, t, "state"));
      TALLY_ASSIGN_OR_RETURN(auto id, r.OptString("id"));
      s.id = id.value_or(s.state);
      TALLY_ASSIGN_OR_RETURN(s.quantity, r.String("quantity"));
      TALLY_ASSIGN_OR_RETURN(auto initial, r.OptParam("initial", true));
      if (!initial) return r.Missing("initial", "a non-negative count");
      s.initial = *initial;
      TALLY_ASSIGN_OR_RETURN(auto growth, r.OptParam("growth", false));
      s.growth = growth.value_or(Param{});
      TALLY_ASSIGN_OR_RETURN(auto fatigue, r.OptParam("fatigue", true));
      s.fatigue = fatigue.value_or(Param{});
      TALLY_ASSIGN_OR_RETURN(auto min, r.OptNumber("min", true));
      s.min = min.value_or(0);
      TALLY_ASSIGN_OR_RETURN(s.max, r.OptNumber("max", true));
      if (s.max && *s.max < s.min) {
        return r.KeyError(t.Find("max")->line, "max", "max >= min " + Num(s.min), Num(*s.max));
      }
      TALLY_ASSIGN_OR_RETURN(s.max_rate, r.OptNumber("max_rate", true));
      TALLY_ASSIGN_OR_RETURN(s.source, r.String("source"));
      TALLY_RETURN_IF_ERROR(r.Finish());
      if (sc.SeriesIndex(s.id) >= 0) {
        return r.KeyError(t.line, "id", "a unique series id", "\"" + s.id + "\" again");
      }
      sc.series.push_back(std::move(s));
    } else if (t.name == "reaction" && t.is_array) {
      Reaction x;
      x.line = t.line;
      TALLY_ASSIGN_OR_RETURN(x.series, r.String("party"));
      TALLY_ASSIGN_OR_RETURN(x.to, r.String("to"));
      TALLY_ASSIGN_OR_RETURN(auto k, r.OptParam("coefficient", false));
      if (!k) return r.Missing("coefficient", "a number per year");
      x.coefficient = *k;
      TALLY_ASSIGN_OR_RETURN(x.source, r.String("source"));
      TALLY_RETURN_IF_ERROR(r.Finish());
      sc.reactions.push_back(std::move(x));
    } else if (t.name == "phase" && t.is_array) {
      Phase p;
      p.line = t.line;
      TALLY_ASSIGN_OR_RETURN(p.series, r.String("party"));
      TALLY_ASSIGN_OR_RETURN(p.from, r.RequiredDate("from"));
      TALLY_ASSIGN_OR_RETURN(p.until, r.OptDate("until"));
      if (p.until && *p.until <= p.from) {
        return r.KeyError(t.Find("until")->line, "until", "a date after from " + p.from.ToString(),
                          p.until->ToString());
      }
      TALLY_ASSIGN_OR_RETURN(p.growth, r.OptParam("growth", false));
      TALLY_ASSIGN_OR_RETURN(p.cap, r.OptNumber("cap", true));
      if (!p.growth && !p.cap) return r.Missing("growth", "growth or cap (a phase changes one)");
      TALLY_ASSIGN_OR_RETURN(p.source, r.String("source"));
      TALLY_RETURN_IF_ERROR(r.Finish());
      sc.phases.push_back(std::move(p));
    } else if (t.name == "limit" && t.is_array) {
      LimitLine l;
      TALLY_ASSIGN_OR_RETURN(l.id, r.String("id"));
      TALLY_ASSIGN_OR_RETURN(auto limit_name, r.OptString("name"));
      l.name = limit_name.value_or(l.id);
      TALLY_ASSIGN_OR_RETURN(l.quantity, r.String("quantity"));
      TALLY_ASSIGN_OR_RETURN(auto parties, r.Strings("parties"));
      for (const auto& p : parties) {
        const auto state = model::FindState(p);
        if (!state) {
          return r.KeyError(t.Find("parties")->line, "parties", "known states", "\"" + p + "\"");
        }
        l.parties.emplace_back(state->code);
      }
      TALLY_ASSIGN_OR_RETURN(auto max, r.OptNumber("max", true));
      if (!max) return r.Missing("max", "a non-negative ceiling");
      l.max = *max;
      TALLY_ASSIGN_OR_RETURN(l.from, r.OptDate("from"));
      TALLY_ASSIGN_OR_RETURN(l.until, r.OptDate("until"));
      if (l.from && l.until && *l.until <= *l.from) {
        return r.KeyError(t.Find("until")->line, "until", "a date after from", l.until->ToString());
      }
      TALLY_ASSIGN_OR_RETURN(std::string source, r.String("source"));
      l.source = source + " (" + name + ":" + std::to_string(t.line) + ")";
      TALLY_RETURN_IF_ERROR(r.Finish());
      sc.limits.push_back(std::move(l));
    } else {
      return InvalidArgument(name + ":" + std::to_string(t.line) + ": key '" + t.name +
                             "': unknown table (expected [scenario], [[party]], [[reaction]], "
                             "[[phase]] or [[limit]])");
    }
  }
  if (!have_header) {
    return InvalidArgument(name + ":1: key 'scenario': expected a [scenario] table, got nothing");
  }
  if (sc.series.empty()) {
    return InvalidArgument(name + ":1: key 'party': expected at least one [[party]], got nothing");
  }
  for (const auto& x : sc.reactions) {
    for (const auto* id : {&x.series, &x.to}) {
      if (sc.SeriesIndex(*id) < 0) {
        return InvalidArgument(name + ":" + std::to_string(x.line) + ": key '" +
                               (id == &x.series ? "party" : "to") +
                               "': expected the id of a [[party]], got \"" + *id + "\"");
      }
    }
  }
  for (const auto& p : sc.phases) {
    if (sc.SeriesIndex(p.series) < 0) {
      return InvalidArgument(name + ":" + std::to_string(p.line) +
                             ": key 'party': expected the id of a [[party]], got \"" + p.series +
                             "\"");
    }
  }
  if (static_cast<double>(sc.Dates().size()) * static_cast<double>(sc.series.size()) > 1e6) {
    return InvalidArgument(name + ":1: key 'end': expected at most 1,000,000 steps x series");
  }
  return sc;
}

}  // namespace tally::scenario
