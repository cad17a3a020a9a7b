// SvgChart: line charts with uncertainty bands and limit lines, rendered as inline SVG text.
//
// What the HTML report draws (the web front end draws the same with Observable Plot). Each
// series ends in a direct label (readable without colour); dashed series and patterned bands
// differ by more than hue. Every mark carries a <title> (its value and source, shown on hover by
// browsers) and a class: "line" per series path, "dot" per marked point, "band" per interval,
// "rule" per limit line, so that tests can count marks. The y axis is linear from zero or log10.
// Text is XML-escaped; the output is a complete <svg> element with role="img" and an aria-label.
// Pure functions; thread-safe.
#ifndef TALLY_DASHBOARD_SVG_CHART_H_
#define TALLY_DASHBOARD_SVG_CHART_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tally::dashboard {

struct ChartPoint {
  double x = 0;
  double y = 0;
  std::string title;  // hover text; empty: "x: y"
};

struct ChartSeries {
  std::string label;
  std::string color;
  std::vector<ChartPoint> points;
  bool dashed = false;
  bool dots = false;  // a circle per point (sparse data: exchanges, estimates)
  // Points farther apart than this in x are not joined: a run of missing exchanges is a gap in
  // the line, not a straight line through it. Unset: every point is joined.
  std::optional<double> max_gap;
};

struct ChartBand {
  std::string label;
  std::string color;
  double opacity = 0.25;
  std::vector<double> x, low, high;
};

struct ChartRule {
  std::string label;
  double y = 0;
};

struct ChartMarker {  // a vertical line: "last verified exchange", "New START expires"
  std::string label;
  double x = 0;
};

struct LineChart {
  std::string title;
  std::string y_label;
  int width = 760;
  int height = 340;
  bool log_y = false;
  std::optional<double> x_min, x_max, y_max;
  std::vector<ChartSeries> series;
  std::vector<ChartBand> bands;
  std::vector<ChartRule> rules;
  std::vector<ChartMarker> markers;
};

std::string RenderSvg(const LineChart& chart);

// A timeline: one row per item, spans from start to end (end missing: to `x_max`).
struct TimelineSpan {
  double start = 0, end = 0;
  std::string color;
  std::string title;
};
struct TimelineRow {
  std::string label;
  std::vector<TimelineSpan> spans;
};
struct Timeline {
  std::string title;
  int width = 760;
  double x_min = 0, x_max = 0;
  std::vector<TimelineRow> rows;
  std::vector<ChartMarker> markers;
};
std::string RenderSvg(const Timeline& timeline);

std::string XmlEscape(std::string_view text);
// 1234567 -> "1,234,567" (rounded to the nearest integer).
std::string Thousands(double value);

}  // namespace tally::dashboard

#endif  // TALLY_DASHBOARD_SVG_CHART_H_
