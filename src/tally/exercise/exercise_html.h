// ExerciseHtml: the end of `tally exercise` as one self-contained HTML file — what a treaty team
// sends to others: the run's compliance at every data date (declared and physically held),
// every inspection's verdict, each cheat with what caught it and the probability it had, and
// for each party and limit a chart of the estimate the others can make of it over the run with
// the regime and without it (50 % is not drawn; 90 % bands), the declared and actual counts at
// each data date as dots and the limit as a rule, each chart with its table.
//
// Self-contained: no script, no external reference, a Content-Security-Policy of
// default-src 'none' (inline style only), so it opens from file:// and makes no request.
// Thread safety: pure function.
#ifndef TALLY_EXERCISE_EXERCISE_HTML_H_
#define TALLY_EXERCISE_EXERCISE_HTML_H_

#include <string>

#include "tally/exercise/exercise.h"

namespace tally::exercise {

std::string ExerciseHtml(const ExerciseResult& result, const inspection::TreatyLookup& treaties);

}  // namespace tally::exercise

#endif  // TALLY_EXERCISE_EXERCISE_HTML_H_
