// Sample summaries: quantiles of plain and weighted samples, and the normal distribution's CDF
// and quantile function, as Monte Carlo bands and interval checks need them.
//
// Quantile uses linear interpolation between order statistics (Hyndman & Fan type 7, the default
// of R and NumPy), so figures can be compared with a NumPy peer. All functions are pure.
#ifndef TALLY_STATS_SUMMARY_H_
#define TALLY_STATS_SUMMARY_H_

#include <cstdint>
#include <span>
#include <vector>

namespace tally::stats {

// The p-quantile (0 <= p <= 1) of an ascending-sorted, non-empty sample.
double QuantileSorted(std::span<const double> sorted, double p);
// Reorders `sample` in place (partial selection, not a full sort) and returns its quantiles at
// each of `ps` (any order); NaN for an empty sample.
std::vector<double> Quantiles(std::span<double> sample, std::span<const double> ps);
// The quantiles Quantiles gives, equal to the last bit (the same order statistics, the same
// interpolation), without reordering the sample and several times faster on large ones, for
// callers that summarise many samples (an ensemble's every date and series). One pass buckets the
// values by their position between the sample's min and max; bucketing is monotone, so the counts
// say which bucket holds each order statistic needed, and only those few buckets' values are
// selected among. Samples holding NaN, an infinity or a negative zero (where equal values differ
// in bits, so the selection algorithm would decide which comes out) and small samples go through
// Quantiles itself on a copy. Keeps its buffers between calls so that the caller allocates once.
// Thread safety: a plain value with mutable buffers; give each thread its own.
class QuantileSelector {
 public:
  // Writes the quantiles of `sample` at each of `ps` (0 <= p <= 1, any order) into `out`, which
  // must be as long as `ps`; NaN for an empty sample.
  void Select(std::span<const double> sample, std::span<const double> ps, std::span<double> out);

 private:
  std::vector<int32_t> bucket_;   // per value: its bucket
  std::vector<uint32_t> counts_;  // per bucket (several interleaved histograms while counting)
  std::vector<int32_t> slot_;     // per bucket: its segment of picked_, or -1 when not needed
  std::vector<double> picked_;    // the values of the needed buckets, segment after segment
  std::vector<size_t> segment_start_, segment_fill_;
  std::vector<size_t> ranks_;  // order statistics needed, ascending, each once
  std::vector<size_t> rank_segment_, rank_offset_;
  std::vector<double> rank_values_;
  std::vector<double> copy_;  // Quantiles' input when it decides
};

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
