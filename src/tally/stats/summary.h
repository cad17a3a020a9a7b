// Sample summaries: quantiles of plain and weighted samples, and the normal distribution's CDF
// and quantile function, as Monte Carlo bands and interval checks need them.
//
// Quantile uses linear interpolation between order statistics (Hyndman & Fan type 7, the default
// of R and NumPy), so figures can be compared with a NumPy peer. All functions are pure.
#ifndef TALLY_STATS_SUMMARY_H_
#define TALLY_STATS_SUMMARY_H_

#include <span>
#include <vector>

namespace tally::stats {

// The p-quantile (0 <= p <= 1) of an ascending-sorted, non-empty sample.
double QuantileSorted(std::span<const double> sorted, double p);
// Reorders `sample` in place (partial selection, not a full sort) and returns its quantiles at
// each of `ps` (any order); NaN for an empty sample.
std::vector<double> Quantiles(std::span<double> sample, std::span<const double> ps);
// Quantiles of a weighted sample (weights >= 0, not all 0): the smallest value whose cumulative
// normalised weight reaches p. Does not modify its inputs.
std::vector<double> WeightedQuantiles(std::span<const double> values,
                                      std::span<const double> weights, std::span<const double> ps);

double NormalCdf(double z);
// The inverse of NormalCdf for 0 < p < 1 (Acklam's rational approximation refined by one Halley
// step; relative error below 1e-12).
double NormalQuantile(double p);

}  // namespace tally::stats

#endif  // TALLY_STATS_SUMMARY_H_
