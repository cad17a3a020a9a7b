// `tally exercise`: a treaty year of the verification regime between the parties, with cheats,
// and what the regime caught (library: exercise/exercise.h), carried by one tallyd per party
// (exercise/node_run.h) unless --in-process.
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <sstream>

#include "tally/base/file.h"
#include "tally/cli/command.h"
#include "tally/cli/text_table.h"
#include "tally/exercise/exercise.h"
#include "tally/exercise/exercise_html.h"
#include "tally/model/state.h"
#include "tally/treaty/treaty_set.h"

namespace tally::cli {
namespace {

struct ExerciseArgs {
  std::string treaty = "new-start", parties, out, html;
  std::vector<std::string> cheats;
  int year = 0, years = 1;  // year 0: the treaty's default (exercise::DefaultTreatyYear)
  int64_t items_scale = 1, items_per_party = 0;
  uint64_t seed = 1, runs = 1;
  int notifications = 900;
  bool json = false, in_process = false, chaos = false, witness = false;
  std::string tallyd;
};

// tallyd beside this tally binary (both are built into, and installed to, one folder), else
// $TALLYD.
std::string DefaultTallyd() {
  char self[PATH_MAX];
  const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
  if (n > 0) {
    self[n] = '\0';
    const std::string beside = (std::filesystem::path(self).parent_path() / "tallyd").string();
    if (::access(beside.c_str(), X_OK) == 0) return beside;
  }
  const char* env = std::getenv("TALLYD");
  return env ? env : "";
}

std::vector<std::string> SplitParties(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : text + ",") {
    if (c == ',') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else if (c != ' ') {
      cur += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
  }
  return out;
}

std::string Percent(double p) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f %%", 100.0 * p);
  return buf;
}

void PrintText(std::ostream& out, const exercise::ExerciseResult& r,
               const inspection::TreatyLookup& treaties) {
  const exercise::TreatyYearRun& run = r.run;
  const treaty::Treaty* t = treaties(r.options.treaty);
  out << "tally exercise: " << (t ? t->name : r.options.treaty) << ", treaty year"
      << (r.options.years > 1 ? "s " + std::to_string(r.options.year) + "-" +
                                    std::to_string(r.options.year + r.options.years - 1)
                              : " " + std::to_string(r.options.year))
      << " (" << run.begins.ToString() << " to " << run.ends.ToString() << "), parties";
  for (const std::string& p : r.options.parties) out << " " << p;
  out << ", seed " << r.options.seed
      << (r.nodes ? ", one tallyd per party (nodes as processes)\n" : ", in process\n");
  out << "Inventories: item level, generated from the embedded force structure, the same for "
         "every data date of the year:\n";
  for (const exercise::PartyStructure& s : run.structures) {
    out << "  " << s.party << ": " << s.source << " (" << s.file << ", as of " << s.as_of.ToString()
        << ")";
    if (run.begins > s.as_of) out << "; extrapolated to " << run.begins.ToString();
    if (s.scale > 1) {
      out << "; every count x" << s.scale << ", " << WithThousands(static_cast<long long>(s.items))
          << " items (synthetic)";
    }
    out << "\n";
  }
  out << "\n";

  out << "Compliance at each data date (as declared / as physically held)\n";
  TextTable table({"party", "data date", "limit", "max>", "declared>", "actual>", "verdict"});
  for (const exercise::ComplianceRow& row : run.compliance) {
    for (const exercise::LimitCount& l : row.limits) {
      table.AddRow({row.party, row.as_of.ToString(), l.limit, WithThousands(l.max),
                    WithThousands(l.declared), WithThousands(l.actual),
                    row.declared_verdict == row.actual_verdict
                        ? row.declared_verdict
                        : row.declared_verdict + " / actually " + row.actual_verdict});
    }
  }
  table.Print(out);

  size_t consistent = 0;
  std::vector<std::string> flagged;
  for (const std::string& id : run.inspections) {
    auto rec = inspection::Replay(treaties, run.source, id, 0);
    if (!rec.ok()) {
      flagged.push_back(id + ": " + rec.error().message());
      continue;
    }
    if (rec->Verdict() == "consistent") {
      ++consistent;
      continue;
    }
    std::string line = id + " (" + rec->type_name + " of " + rec->request.inspected + " at " +
                       rec->request.site + "): " + rec->Verdict();
    for (const auto& d : rec->discrepancies) line += "; " + d.kind + ": " + d.what;
    for (const auto& v : rec->procedural) line += "; " + v.kind + ": " + v.what;
    flagged.push_back(line);
  }
  out << "\nInspections: " << run.inspections.size() << ", " << consistent << " consistent, "
      << flagged.size() << " not\n";
  for (const std::string& f : flagged) out << "  " << f << "\n";

  if (!run.outcomes.empty()) {
    out << "\nCheats\n";
    for (const exercise::CheatOutcome& o : run.outcomes) {
      if (!o.not_applied.empty()) {
        out << "  " << exercise::CheatToString(o.cheat) << ": not applied (" << o.not_applied
            << ")\n";
        continue;
      }
      out << "  " << exercise::CheatToString(o.cheat) << ": "
          << (o.caught
                  ? "CAUGHT on " + (o.when ? o.when->ToString() : std::string("?")) + " by " + o.by
                  : std::string("not caught"))
          << "\n";
      if (o.caught) {
        out << "    what was seen: " << o.finding << "\n";
        out << "    evidence: " << o.evidence << "\n";
      }
      out << "    probability the regime catches it: " << Percent(o.probability) << " (" << o.model
          << ")\n";
    }
  }
  if (!r.year_end.empty()) {
    out << "\nYear-end estimates of each party's forces on " << run.ends.ToString()
        << " (median and 90 % interval): from the shipped evidence dated before "
        << run.begins.ToString() << ", without and with the year's data exchanges\n";
    TextTable est({"party", "limit", "without the regime", "with the regime", "narrower>",
                   "declared>", "actual>"});
    auto show = [](const exercise::Interval& i) {
      return WithThousands(std::llround(i.median)) + " (" + WithThousands(std::llround(i.p05)) +
             "-" + WithThousands(std::llround(i.p95)) + ")";
    };
    std::vector<std::string> missed, unavailable;
    for (const exercise::YearEndEstimate& y : r.year_end) {
      if (!y.available) {
        unavailable.push_back(y.party + " " + y.limit + ": " + y.reason);
        continue;
      }
      char ratio[32];
      std::snprintf(ratio, sizeof ratio, "%.0fx",
                    y.with->Width() > 0 ? y.without->Width() / y.with->Width() : 0.0);
      est.AddRow({y.party, y.limit, show(*y.without), show(*y.with), ratio,
                  WithThousands(y.declared), WithThousands(y.actual)});
      for (const auto& [name, i] : {std::pair{"without", &*y.without}, {"with", &*y.with}}) {
        if (!i->Covers(static_cast<double>(y.actual))) {
          missed.push_back(y.party + " " + y.limit + ": the actual " + WithThousands(y.actual) +
                           " is outside the interval " + name + " the regime");
        }
      }
    }
    est.Print(out);
    for (const std::string& m : missed) out << "  " << m << "\n";
    for (const std::string& u : unavailable) out << "  not estimated: " << u << "\n";
  }
  if (!r.rates.empty()) {
    out << "\nOver " << r.runs << " seeds (" << r.options.seed << " to "
        << r.options.seed + r.runs - 1 << "): caught against the computed probability\n";
    TextTable rates({"cheat", "caught", "rate", "95 % interval", "computed", "agrees"});
    for (const exercise::CatchRate& c : r.rates) {
      rates.AddRow({exercise::CheatToString(c.cheat),
                    std::to_string(c.caught) + "/" + std::to_string(c.runs), Percent(c.rate),
                    Percent(c.low) + " to " + Percent(c.high), Percent(c.probability),
                    c.agrees ? "yes" : "NO"});
    }
    rates.Print(out);
  }
  if (r.nodes) {
    const exercise::NodeRunResult& n = *r.nodes;
    out << "\nNodes (" << n.network_file
        << "): the year's entries sent to each party's node in "
           "treaty time, partner-only documents delivered signed between nodes, every inspection "
           "replayed by each node that took part from what it holds\n";
    TextTable nodes({"node", "url", "entries", "same as in process", "mirrors verified", "alarms",
                     "appends", "documents sent", "restarts", "stopped"});
    for (const exercise::NodeReport& x : n.nodes) {
      nodes.AddRow({x.party, x.url, std::to_string(x.entries), x.log_identical ? "yes" : "NO",
                    x.mirrors_complete ? "yes" : "NO", std::to_string(x.alarms),
                    std::to_string(x.requests), std::to_string(x.documents_sent),
                    std::to_string(x.restarts),
                    x.exit_code == 0 ? "cleanly" : "exit " + std::to_string(x.exit_code)});
    }
    if (n.witness) {
      const exercise::NodeReport& w = *n.witness;
      nodes.AddRow({"witness", w.url, "-", "-", w.mirrors_complete ? "yes" : "NO",
                    std::to_string(w.alarms), "-", "-", "-",
                    w.exit_code == 0 ? "cleanly" : "exit " + std::to_string(w.exit_code)});
    }
    nodes.Print(out);
    out << "Verdicts: " << n.verdicts_expected - n.disagreements.size() << " of "
        << n.verdicts_expected << " node replays agree with the in-process replay\n";
    for (const exercise::VerdictCheck& v : n.disagreements) {
      out << "  DISAGREES: " << v.inspection << " on " << v.party << "'s node: " << v.got
          << " (in process: " << v.expected << ")\n";
    }
    for (const std::string& e : n.events) out << "Event: " << e << "\n";
    char secs[96];
    std::snprintf(secs, sizeof secs, "%.2f s (publish %.2f s, settle and replays %.2f s)",
                  n.total_seconds, n.publish_seconds, n.settle_seconds);
    out << "Nodes: " << (n.ok() ? "all checks hold" : "A CHECK FAILED") << "; " << secs << "\n";
  }
  if (!r.logs.empty()) {
    out << "\nWritten: ";
    for (const std::string& l : r.logs) out << l << " ";
    out << "(logs), " << r.network_file << ", " << r.documents_dir << "/ (partner-only)\n";
    out << "Replay any inspection: tally inspection verdict --network " << r.network_file;
    for (const std::string& l : r.logs) out << " --log " << l;
    out << " --bundle " << r.documents_dir << "/<sha256>.json --id " << run.inspections.front()
        << "\n";
  }
}

int Run(Context& ctx, const ExerciseArgs& a) {
  auto treaties = treaty::LoadDefaultTreaties();
  if (!treaties.ok()) return Fail(ctx, treaties.error());
  auto set = std::make_shared<treaty::TreatySet>(std::move(*treaties));
  const inspection::TreatyLookup lookup = [set](const std::string& id) { return set->Find(id); };
  if (!lookup(a.treaty)) {
    return Fail(ctx, InvalidArgument("--treaty: unknown treaty \"" + a.treaty +
                                     "\" (tally treaty list shows the known ones)"));
  }
  exercise::TreatyYearOptions o;
  o.treaty = a.treaty;
  o.parties = a.parties.empty() ? lookup(a.treaty)->parties : SplitParties(a.parties);
  if (o.parties.size() < 2) {
    return Fail(ctx, InvalidArgument("--parties: expected at least two parties, e.g. US,RU"));
  }
  {
    // Bad parties are usage errors, said before anything runs.
    std::string named;
    for (const std::string& p : lookup(a.treaty)->parties) named += (named.empty() ? "" : ",") + p;
    for (const std::string& p : o.parties) {
      if (std::string e = model::StateCodeExpectation(p); !e.empty()) {
        return Fail(ctx, InvalidArgument("--parties: \"" + p + "\": " + e));
      }
      const auto& of = lookup(a.treaty)->parties;
      if (std::find(of.begin(), of.end(), p) == of.end()) {
        return Fail(ctx, InvalidArgument("--parties: " + p + " is not a party of " + a.treaty +
                                         " (its parties: " + named + ")"));
      }
    }
  }
  o.year = a.year > 0 ? a.year : exercise::DefaultTreatyYear(*lookup(a.treaty));
  o.years = a.years;
  o.items_scale = a.items_scale;
  o.items_per_party = a.items_per_party;
  o.seed = a.seed;
  o.notifications_per_party = a.notifications;
  for (const std::string& text : a.cheats) {
    auto cheat = exercise::ParseCheat(text, o.parties);
    if (!cheat.ok()) return Fail(ctx, cheat.error().WithContext("--cheat"));
    o.cheats.push_back(*cheat);
  }
  if (::isatty(STDERR_FILENO)) {
    *ctx.err << "tally exercise: running " << a.runs << " treaty year" << (a.runs > 1 ? "s" : "")
             << "...\n";
  }
  auto result = exercise::RunExercise(o, a.runs, lookup);
  if (!result.ok()) return Fail(ctx, result.error());
  result->year_end = exercise::EstimateYearEnd(*lookup(o.treaty), result->run);
  if (!a.out.empty()) {
    Status s = exercise::WriteExercise(*result, a.out);
    if (!s.ok()) return Fail(ctx, s.WithContext("--out"));
  }
  if (a.chaos && a.in_process) {
    return Fail(ctx, InvalidArgument("--chaos: kills a node, and --in-process runs none"));
  }
  if (!a.in_process) {
    exercise::NodeRunOptions n;
    n.tallyd = a.tallyd.empty() ? DefaultTallyd() : a.tallyd;
    n.chaos = a.chaos;
    n.witness = a.witness;
    for (const exercise::Cheat& c : o.cheats) {
      if (c.kind != exercise::CheatKind::kForkedLog) continue;
      if (!n.forked_log.empty()) {
        return Fail(ctx, InvalidArgument("--cheat: one forked-log cheat per run"));
      }
      n.forked_log = c.party;
      n.witness = true;  // the fork is caught against a witness's view
    }
    std::string temp;
    if (!a.out.empty()) {
      n.dir = a.out + "/nodes";
    } else {
      const char* tmpdir = std::getenv("TMPDIR");
      std::string pattern =
          std::string(tmpdir && *tmpdir ? tmpdir : "/tmp") + "/tally-exercise-XXXXXX";
      if (!::mkdtemp(pattern.data())) {
        return Fail(ctx, IoError(pattern + ": cannot make a folder for the nodes"));
      }
      temp = n.dir = pattern;
    }
    if (::isatty(STDERR_FILENO)) *ctx.err << "tally exercise: starting one tallyd per party...\n";
    auto nodes = exercise::RunOnNodes(result->run, o, lookup, n);
    if (!nodes.ok()) {
      return Fail(ctx, nodes.error().WithContext("nodes in " + n.dir));
    }
    result->nodes = std::move(*nodes);
    exercise::ApplyNodeOutcomes(*result);
    if (!result->nodes->ok()) ctx.exit_code = kExitFinding;
    // A folder of its own making goes once the nodes agreed; kept, and named, when they did not.
    if (!temp.empty() && result->nodes->ok()) {
      std::error_code ec;
      std::filesystem::remove_all(temp, ec);
    }
  }
  // The HTML report once everything is known (the nodes' outcomes included): to --html, and
  // into --out's folder beside the logs.
  std::vector<std::string> html_paths;
  if (!a.html.empty()) html_paths.push_back(a.html);
  if (!a.out.empty()) html_paths.push_back(a.out + "/report.html");
  if (!html_paths.empty()) {
    const std::string html = exercise::ExerciseHtml(*result, lookup);
    for (const std::string& path : html_paths) {
      Status s = WriteFileAtomic(path, html);
      if (!s.ok()) return Fail(ctx, s.WithContext(path == a.html ? "--html" : "--out"));
    }
  }
  if (a.json) {
    *ctx.out << exercise::ExerciseJson(*result, lookup) << "\n";
  } else {
    PrintText(*ctx.out, *result, lookup);
  }
  for (const exercise::CatchRate& r : result->rates) {
    if (!r.agrees) ctx.exit_code = kExitFinding;
  }
  return ctx.exit_code;
}

}  // namespace

void AddExerciseCommand(CLI::App& app, Context& ctx) {
  auto a = std::make_shared<ExerciseArgs>();
  CLI::App* cmd = app.add_subcommand(
      "exercise", "Run a treaty year of the verification regime between the parties, with cheats");
  cmd->add_option("--treaty", a->treaty, "Treaty id")->capture_default_str();
  cmd->add_option("--parties", a->parties,
                  "Parties, comma-separated (default: the treaty's parties)");
  cmd->add_option("--year", a->year,
                  "Treaty year (1 = from entry into force; default: New START 11, the year after "
                  "the 2020-09-01 data; a later treaty the first year its limits bind)")
      ->check(CLI::Range(1, 50));
  cmd->add_option("--years", a->years, "Consecutive treaty years, each with its quotas")
      ->capture_default_str()
      ->check(CLI::Range(1, 50));
  cmd->add_option("--items-scale", a->items_scale,
                  "Every force-structure count times K (large inventories; limits then break)")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  cmd->add_option("--items-per-party", a->items_per_party,
                  "Instead of --items-scale: scale each party to about N items (its own "
                  "multiplier; synthetic, limits then break)")
      ->check(CLI::Range(1, 1000000));
  cmd->add_option("--seed", a->seed, "Seed: the same seed gives the same logs")
      ->capture_default_str();
  cmd->add_option("--cheat", a->cheats,
                  "PARTY:KIND[:N], repeatable; KIND: overloaded-missile, hidden-reserve, "
                  "refuse-reveal, swap-declaration, late-notification, forked-log");
  cmd->add_option("--runs", a->runs,
                  "Run this many seeds and set each cheat's catch rate against its computed "
                  "probability (exit 1 when they disagree)")
      ->capture_default_str()
      ->check(CLI::Range(1, 10000));
  cmd->add_option("--notifications", a->notifications, "Movements notified per party")
      ->capture_default_str()
      ->check(CLI::Range(0, 100000));
  cmd->add_option("--html", a->html,
                  "Also write the report as one self-contained HTML file (charts of the "
                  "estimates with and without the regime; --out DIR writes DIR/report.html)");
  cmd->add_option("--out", a->out,
                  "Write the logs, the network file and the handed-over documents to this new "
                  "folder");
  cmd->add_flag("--in-process", a->in_process,
                "Run without nodes: no tallyd, no sockets (the year and its logs are the same)");
  cmd->add_flag("--chaos", a->chaos,
                "Kill one node with SIGKILL mid-append; it restarts and the "
                "year resumes");
  cmd->add_option("--tallyd", a->tallyd, "The tallyd binary (default: the one beside tally)");
  cmd->add_flag("--witness", a->witness,
                "Also run a third party's witness-only node that follows and cosigns every log "
                "(on with a forked-log cheat)");
  cmd->add_flag("--json", a->json, "Print one JSON document");
  cmd->callback([&ctx, a] { Run(ctx, *a); });
}

}  // namespace tally::cli
