#include "tally/exercise/cheat.h"

#include <array>
#include <cctype>
#include <charconv>

namespace tally::exercise {
namespace {

struct KindName {
  CheatKind kind;
  std::string_view name;
  int64_t default_amount;
};

constexpr std::array<KindName, 6> kKinds = {{
    {CheatKind::kOverloadedMissile, "overloaded-missile", 40},
    {CheatKind::kHiddenReserve, "hidden-reserve", 20},
    {CheatKind::kRefuseReveal, "refuse-reveal", 1},
    {CheatKind::kSwapDeclaration, "swap-declaration", 1},
    {CheatKind::kLateNotification, "late-notification", 3},
    {CheatKind::kForkedLog, "forked-log", 1},
}};

std::string KindList() {
  std::string out;
  for (const KindName& k : kKinds) {
    if (!out.empty()) out += ", ";
    out += k.name;
  }
  return out;
}

}  // namespace

std::string_view CheatName(CheatKind kind) {
  for (const KindName& k : kKinds) {
    if (k.kind == kind) return k.name;
  }
  return "unknown";
}

std::optional<CheatKind> ParseCheatKind(std::string_view name) {
  for (const KindName& k : kKinds) {
    if (k.name == name) return k.kind;
  }
  return std::nullopt;
}

const std::vector<CheatKind>& AllCheatKinds() {
  static const std::vector<CheatKind> all = [] {
    std::vector<CheatKind> v;
    for (const KindName& k : kKinds) v.push_back(k.kind);
    return v;
  }();
  return all;
}

int64_t DefaultCheatAmount(CheatKind kind) {
  for (const KindName& k : kKinds) {
    if (k.kind == kind) return k.default_amount;
  }
  return 1;
}

Result<Cheat> ParseCheat(std::string_view text, const std::vector<std::string>& parties) {
  const std::string quoted = "cheat \"" + std::string(text.substr(0, 80)) + "\"";
  const size_t colon = text.find(':');
  if (colon == std::string_view::npos) {
    return InvalidArgument(quoted + ": expected PARTY:KIND[:N], e.g. RU:overloaded-missile:40");
  }
  std::string party(text.substr(0, colon));
  for (char& c : party) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  bool known = false;
  std::string list;
  for (const std::string& p : parties) {
    known = known || p == party;
    list += (list.empty() ? "" : ", ") + p;
  }
  if (!known) {
    return InvalidArgument(quoted + ": party \"" + party + "\" is not in the exercise (" + list +
                           ")");
  }
  std::string_view rest = text.substr(colon + 1);
  std::string_view amount_text;
  if (const size_t c2 = rest.find(':'); c2 != std::string_view::npos) {
    amount_text = rest.substr(c2 + 1);
    rest = rest.substr(0, c2);
  }
  const auto kind = ParseCheatKind(rest);
  if (!kind) {
    return InvalidArgument(quoted + ": unknown kind \"" + std::string(rest.substr(0, 40)) +
                           "\" (known: " + KindList() + ")");
  }
  Cheat cheat{party, *kind, DefaultCheatAmount(*kind)};
  if (!amount_text.empty()) {
    int64_t n = 0;
    const auto [end, ec] =
        std::from_chars(amount_text.data(), amount_text.data() + amount_text.size(), n);
    if (ec != std::errc() || end != amount_text.data() + amount_text.size() || n < 1 ||
        n > 100000) {
      return InvalidArgument(quoted + ": the size must be a whole number from 1 to 100000, not \"" +
                             std::string(amount_text.substr(0, 20)) + "\"");
    }
    if (*kind == CheatKind::kSwapDeclaration && n != 1) {
      return InvalidArgument(quoted + ": swap-declaration takes no size");
    }
    cheat.amount = n;
  }
  return cheat;
}

std::string CheatToString(const Cheat& cheat) {
  return cheat.party + ":" + std::string(CheatName(cheat.kind)) + ":" +
         std::to_string(cheat.amount);
}

}  // namespace tally::exercise
