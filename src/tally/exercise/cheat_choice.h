// Which items a cheating party's physical cheats touch, chosen once per run from the seed.
//
// overloaded-missile N: N deployed missiles that carry warheads and have room for one more (by
// their capacity), shuffled from the seed. hidden-reserve N: a storage site (items there, none
// deployed, no warheads and no hosts) with at least two candidate items; up to N of them, in uid
// order, are kept off the declaration and one stays, so the site is still one inspectors can
// choose. A cheat with nothing to act on chooses nothing (cheat_outcomes.h: nothing to find).
#ifndef TALLY_EXERCISE_CHEAT_CHOICE_H_
#define TALLY_EXERCISE_CHEAT_CHOICE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "tally/exercise/cheat.h"
#include "tally/exercise/cheat_outcomes.h"
#include "tally/model/inventory.h"

namespace tally::exercise {

// The summed amount of `party`'s cheats of `kind` (a cheat named twice adds up).
int64_t CheatAmount(const std::vector<Cheat>& cheats, const std::string& party, CheatKind kind);
bool HasCheat(const std::vector<Cheat>& cheats, const std::string& party, CheatKind kind);

// Fills side.overloaded, side.hidden and side.hidden_site from `inv` (the party's first
// declared inventory) and sets side.chose_cheats.
void ChooseCheats(const std::vector<Cheat>& cheats, uint64_t seed, const model::Inventory& inv,
                  Side& side);

}  // namespace tally::exercise

#endif  // TALLY_EXERCISE_CHEAT_CHOICE_H_
