#include "tally/scenario/scenario.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "tally/model/state.h"
#include "tally/toml/strict_reader.h"

namespace tally::scenario {
namespace {

std::string Num(double x) {
  std::string s = std::to_string(x);
  s.erase(s.find_last_not_of('0') + 1);
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

constexpr std::string_view kFormatDoc = "docs/formats/scenario.md";

// Scenario files read through the strict TOML reader, plus what scenarios need beyond it:
// numbers that may be integers or floats, loose dates ("2030", "2030-06") and distributions.
class Reader {
 public:
  explicit Reader(toml::Reader r) : r_(std::move(r)) {}

  toml::Reader& base() { return r_; }
  Status Error(const ::toml::node& n, std::string_view key, std::string_view expected) const {
    return r_.Error(n, key, expected);
  }
  Status ErrorGot(const ::toml::node& n, std::string_view key, std::string_view expected,
                  std::string_view got) const {
    return FieldError(r_.Where(n), r_.Key(key), expected, got);
  }
  Status Missing(std::string_view key, std::string_view expected) const {
    return r_.Missing(key, expected);
  }
  const ::toml::node* Node(std::string_view key) { return r_.Node(key); }

  Result<std::optional<std::string>> OptString(std::string_view key) { return r_.OptString(key); }
  Result<std::string> String(std::string_view key) {
    const ::toml::node* n = r_.table().get(key);
    TALLY_ASSIGN_OR_RETURN(auto s, r_.OptString(key));
    if (!s) return r_.Missing(key, "a non-empty string");
    if (s->empty()) return r_.Error(*n, key, "a non-empty string");
    return *s;
  }
  Result<std::vector<std::string>> Strings(std::string_view key) { return r_.Strings(key); }

  Result<std::optional<double>> OptNumber(std::string_view key, bool non_negative) {
    const ::toml::node* n = Node(key);
    if (!n) return std::optional<double>();
    auto x = NumberOf(*n);
    if (!x) return Error(*n, key, "a number");
    if (non_negative && *x < 0) return Error(*n, key, "a non-negative number");
    return x;
  }

  Result<std::optional<Date>> OptDate(std::string_view key) { return r_.OptDate(key, true); }
  Result<Date> RequiredDate(std::string_view key) {
    TALLY_ASSIGN_OR_RETURN(auto d, OptDate(key));
    if (!d) return Missing(key, "a date YYYY-MM-DD");
    return *d;
  }

  // A number, or { dist = "normal", mean, sd } / { dist = "uniform", low, high }.
  Result<std::optional<Param>> OptParam(std::string_view key, bool non_negative) {
    const ::toml::node* n = Node(key);
    if (!n) return std::optional<Param>();
    Param p;
    if (auto x = NumberOf(*n)) {
      if (non_negative && *x < 0) return Error(*n, key, "a non-negative number");
      p.a = *x;
      return std::optional<Param>(p);
    }
    const ::toml::table* t = n->as_table();
    if (!t) return Error(*n, key, "a number or { dist = ... }");
    const std::string k(key);
    auto field = [&](const char* f) -> Result<double> {
      const ::toml::node* x = t->get(f);
      if (!x) return ErrorGot(*n, k + "." + f, "a number", "nothing (the key is required)");
      auto v = NumberOf(*x);
      if (!v) return Error(*x, k + "." + f, "a number");
      return *v;
    };
    const ::toml::node* dist = t->get("dist");
    const std::string dist_name =
        dist && dist->is_string() ? dist->as_string()->get() : std::string();
    std::set<std::string> allowed;
    if (dist_name == "normal") {
      p.kind = Param::Kind::kNormal;
      TALLY_ASSIGN_OR_RETURN(p.a, field("mean"));
      TALLY_ASSIGN_OR_RETURN(p.b, field("sd"));
      if (p.b < 0) return Error(*t->get("sd"), k + ".sd", "sd >= 0");
      allowed = {"dist", "mean", "sd"};
    } else if (dist_name == "uniform") {
      p.kind = Param::Kind::kUniform;
      TALLY_ASSIGN_OR_RETURN(p.a, field("low"));
      TALLY_ASSIGN_OR_RETURN(p.b, field("high"));
      if (p.b < p.a) return Error(*t->get("high"), k + ".high", "high >= low");
      allowed = {"dist", "low", "high"};
    } else if (dist) {
      return Error(*dist, k + ".dist", "\"normal\" or \"uniform\"");
    } else {
      return ErrorGot(*n, k + ".dist", "\"normal\" or \"uniform\"",
                      "nothing (the key is required)");
    }
    for (const auto& [name, value] : *t) {
      if (!allowed.count(std::string(name.str()))) {
        return ErrorGot(value, k + "." + std::string(name.str()), "one of the distribution's keys",
                        "an unknown key");
      }
    }
    if (non_negative && p.a < 0) {
      return ErrorGot(*n, key, "a non-negative value", p.Describe());
    }
    return std::optional<Param>(p);
  }

  Status Finish() const { return r_.Finish(); }

 private:
  static std::optional<double> NumberOf(const ::toml::node& n) {
    if (auto i = n.as_integer()) return static_cast<double>(i->get());
    if (auto f = n.as_floating_point()) {
      if (!std::isfinite(f->get())) return std::nullopt;
      return f->get();
    }
    return std::nullopt;
  }

  toml::Reader r_;
};

Result<std::string> StateCode(Reader& r, std::string_view key) {
  TALLY_ASSIGN_OR_RETURN(std::string name, r.String(key));
  const auto state = model::FindState(name);
  if (!state) {
    return r.Error(*r.base().table().get(key), key, "a known state (US, RU, CN, ...)");
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
  TALLY_ASSIGN_OR_RETURN(::toml::table root, toml::Parse(text, name));
  Scenario sc;
  sc.file = name;
  // Unknown tables and keys first: a misspelt key is a better message than the required key it
  // hides.
  static const std::map<std::string, std::set<std::string>> kAllowed = {
      {"scenario", {"name", "description", "start", "end", "step", "members", "seed", "treaties"}},
      {"party",
       {"id", "state", "quantity", "initial", "growth", "fatigue", "min", "max", "max_rate",
        "source"}},
      {"reaction", {"party", "to", "coefficient", "source"}},
      {"phase", {"party", "from", "until", "growth", "cap", "source"}},
      {"limit", {"id", "name", "quantity", "parties", "max", "from", "until", "source"}},
  };
  auto check_keys = [&](const ::toml::table& t, const std::string& path,
                        const std::set<std::string>& allowed) -> Status {
    for (const auto& [key, value] : t) {
      if (!allowed.count(std::string(key.str()))) {
        return FieldError(name + ":" + std::to_string(key.source().begin.line),
                          path + "." + std::string(key.str()),
                          "a known key (see " + std::string(kFormatDoc) + ")", "an unknown key");
      }
    }
    return Status::Ok();
  };
  for (const auto& [key, value] : root) {
    const std::string k(key.str());
    auto allowed = kAllowed.find(k);
    if (allowed == kAllowed.end()) {
      return FieldError(
          name + ":" + std::to_string(key.source().begin.line), k,
          "[scenario], [[party]], [[reaction]], [[phase]] or [[limit]]",
          "an unknown " +
              std::string(value.is_table() || value.is_array_of_tables() ? "table" : "key"));
    }
    const bool single = k == "scenario";
    if (single ? !value.is_table() : !value.is_array_of_tables()) {
      return FieldError(name + ":" + std::to_string(toml::LineOf(value)), k,
                        single ? "a table [scenario]" : "an array of tables [[" + k + "]]",
                        std::string(toml::TypeName(value)));
    }
    if (single) {
      TALLY_RETURN_IF_ERROR(check_keys(*value.as_table(), k, allowed->second));
    } else {
      const ::toml::array& arr = *value.as_array();
      for (size_t i = 0; i < arr.size(); ++i) {
        TALLY_RETURN_IF_ERROR(check_keys(*arr.get(i)->as_table(), k + "[" + std::to_string(i) + "]",
                                         allowed->second));
      }
    }
  }

  toml::Reader top(root, "", &name, kFormatDoc);
  TALLY_ASSIGN_OR_RETURN(auto header, top.OptTable("scenario"));
  if (!header) {
    return FieldError(name + ":1", "scenario", "a [scenario] table", "nothing");
  }
  {
    Reader r(std::move(*header));
    TALLY_ASSIGN_OR_RETURN(sc.name, r.String("name"));
    TALLY_ASSIGN_OR_RETURN(auto description, r.OptString("description"));
    sc.description = description.value_or("");
    TALLY_ASSIGN_OR_RETURN(sc.start, r.RequiredDate("start"));
    TALLY_ASSIGN_OR_RETURN(sc.end, r.RequiredDate("end"));
    const ::toml::node& end_node = *r.Node("end");
    if (sc.end <= sc.start) {
      return r.Error(end_node, "end", "a date after start " + sc.start.ToString());
    }
    if (sc.end > sc.start.AddYears(200)) {
      return r.Error(end_node, "end", "at most 200 years after start");
    }
    TALLY_ASSIGN_OR_RETURN(auto step, r.OptString("step"));
    if (step && *step != "month" && *step != "year") {
      return r.Error(*r.Node("step"), "step", "\"month\" or \"year\"");
    }
    sc.yearly = step && *step == "year";
    TALLY_ASSIGN_OR_RETURN(auto members, r.OptNumber("members", true));
    if (members) {
      if (*members < 1 || *members > 1e6 || std::floor(*members) != *members) {
        return r.Error(*r.Node("members"), "members", "an integer 1..1000000");
      }
      sc.members = static_cast<int>(*members);
    }
    TALLY_ASSIGN_OR_RETURN(auto seed, r.OptNumber("seed", true));
    if (seed) {
      if (std::floor(*seed) != *seed || *seed > 9.007199254740992e15) {
        return r.Error(*r.Node("seed"), "seed", "a non-negative integer below 2^53");
      }
      sc.seed = static_cast<uint64_t>(*seed);
    }
    TALLY_ASSIGN_OR_RETURN(sc.treaties, r.Strings("treaties"));
    TALLY_RETURN_IF_ERROR(r.Finish());
  }

  TALLY_ASSIGN_OR_RETURN(auto parties, top.Tables("party"));
  if (parties.empty()) {
    return FieldError(name + ":1", "party", "at least one [[party]]", "nothing");
  }
  for (toml::Reader& table : parties) {
    Reader r(std::move(table));
    Series s;
    s.line = toml::LineOf(r.base().table());
    TALLY_ASSIGN_OR_RETURN(s.state, StateCode(r, "state"));
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
      return r.Error(*r.Node("max"), "max", "max >= min " + Num(s.min));
    }
    TALLY_ASSIGN_OR_RETURN(s.max_rate, r.OptNumber("max_rate", true));
    TALLY_ASSIGN_OR_RETURN(s.source, r.String("source"));
    TALLY_RETURN_IF_ERROR(r.Finish());
    if (sc.SeriesIndex(s.id) >= 0) {
      const ::toml::node* at = r.Node("id");
      return r.ErrorGot(at ? *at : r.base().table(), "id", "a unique series id",
                        "\"" + s.id + "\" again");
    }
    sc.series.push_back(std::move(s));
  }

  // A reference to a series by id, checked once every series is known.
  auto series_ref = [&](Reader& r, std::string_view key) -> Result<std::string> {
    TALLY_ASSIGN_OR_RETURN(std::string id, r.String(key));
    if (sc.SeriesIndex(id) < 0) {
      return r.Error(*r.Node(key), key, "the id of a [[party]]");
    }
    return id;
  };

  TALLY_ASSIGN_OR_RETURN(auto reactions, top.Tables("reaction"));
  for (toml::Reader& table : reactions) {
    Reader r(std::move(table));
    Reaction x;
    x.line = toml::LineOf(r.base().table());
    TALLY_ASSIGN_OR_RETURN(x.series, series_ref(r, "party"));
    TALLY_ASSIGN_OR_RETURN(x.to, series_ref(r, "to"));
    TALLY_ASSIGN_OR_RETURN(auto k, r.OptParam("coefficient", false));
    if (!k) return r.Missing("coefficient", "a number per year");
    x.coefficient = *k;
    TALLY_ASSIGN_OR_RETURN(x.source, r.String("source"));
    TALLY_RETURN_IF_ERROR(r.Finish());
    sc.reactions.push_back(std::move(x));
  }

  TALLY_ASSIGN_OR_RETURN(auto phases, top.Tables("phase"));
  for (toml::Reader& table : phases) {
    Reader r(std::move(table));
    Phase p;
    p.line = toml::LineOf(r.base().table());
    TALLY_ASSIGN_OR_RETURN(p.series, series_ref(r, "party"));
    TALLY_ASSIGN_OR_RETURN(p.from, r.RequiredDate("from"));
    TALLY_ASSIGN_OR_RETURN(p.until, r.OptDate("until"));
    if (p.until && *p.until <= p.from) {
      return r.Error(*r.Node("until"), "until", "a date after from " + p.from.ToString());
    }
    TALLY_ASSIGN_OR_RETURN(p.growth, r.OptParam("growth", false));
    TALLY_ASSIGN_OR_RETURN(p.cap, r.OptNumber("cap", true));
    if (!p.growth && !p.cap) return r.Missing("growth", "growth or cap (a phase changes one)");
    TALLY_ASSIGN_OR_RETURN(p.source, r.String("source"));
    TALLY_RETURN_IF_ERROR(r.Finish());
    sc.phases.push_back(std::move(p));
  }

  TALLY_ASSIGN_OR_RETURN(auto limits, top.Tables("limit"));
  for (toml::Reader& table : limits) {
    Reader r(std::move(table));
    const int line = toml::LineOf(r.base().table());
    LimitLine l;
    TALLY_ASSIGN_OR_RETURN(l.id, r.String("id"));
    TALLY_ASSIGN_OR_RETURN(auto limit_name, r.OptString("name"));
    l.name = limit_name.value_or(l.id);
    TALLY_ASSIGN_OR_RETURN(l.quantity, r.String("quantity"));
    TALLY_ASSIGN_OR_RETURN(auto limit_parties, r.Strings("parties"));
    for (size_t i = 0; i < limit_parties.size(); ++i) {
      const auto state = model::FindState(limit_parties[i]);
      if (!state) {
        return r.Error(*r.Node("parties")->as_array()->get(i), "parties[" + std::to_string(i) + "]",
                       "a known state (US, RU, CN, ...)");
      }
      l.parties.emplace_back(state->code);
    }
    TALLY_ASSIGN_OR_RETURN(auto max, r.OptNumber("max", true));
    if (!max) return r.Missing("max", "a non-negative ceiling");
    l.max = *max;
    TALLY_ASSIGN_OR_RETURN(l.from, r.OptDate("from"));
    TALLY_ASSIGN_OR_RETURN(l.until, r.OptDate("until"));
    if (l.from && l.until && *l.until <= *l.from) {
      return r.Error(*r.Node("until"), "until", "a date after from " + l.from->ToString());
    }
    TALLY_ASSIGN_OR_RETURN(std::string source, r.String("source"));
    l.source = source + " (" + name + ":" + std::to_string(line) + ")";
    TALLY_RETURN_IF_ERROR(r.Finish());
    sc.limits.push_back(std::move(l));
  }
  TALLY_RETURN_IF_ERROR(top.Finish());

  if (static_cast<double>(sc.Dates().size()) * static_cast<double>(sc.series.size()) > 1e6) {
    return FieldError(name + ":1", "scenario.end", "at most 1,000,000 steps x series",
                      std::to_string(sc.Dates().size()) + " x " + std::to_string(sc.series.size()));
  }
  return sc;
}

}  // namespace tally::scenario
