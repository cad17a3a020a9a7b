#include "tally/dashboard/svg_chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace tally::dashboard {
namespace {

constexpr int kLeft = 64, kRight = 120, kTop = 34, kBottom = 30;

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  std::string s = buf;
  if (s.ends_with(".0")) s.resize(s.size() - 2);
  return s;
}

double NiceStep(double range, int target) {
  const double raw = range / std::max(1, target);
  const double mag = std::pow(10, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (m * mag >= raw) return m * mag;
  }
  return 10 * mag;
}

struct Scale {
  double d0, d1, r0, r1;
  bool log = false;
  double operator()(double v) const {
    if (log) {
      const double lv = std::log10(std::max(v, 1.0));
      return r0 + (lv - d0) / (d1 - d0) * (r1 - r0);
    }
    return r0 + (v - d0) / (d1 - d0) * (r1 - r0);
  }
};

}  // namespace

std::string Thousands(double v) {
  long long n = std::llround(v);
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (n < 0 ? "-" : "") + out;
}

std::string XmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string RenderSvg(const LineChart& c) {
  double x0 = std::numeric_limits<double>::max(), x1 = std::numeric_limits<double>::lowest();
  double y1 = 0;
  auto see = [&](double x, double y) {
    x0 = std::min(x0, x);
    x1 = std::max(x1, x);
    y1 = std::max(y1, y);
  };
  for (const auto& s : c.series)
    for (const auto& p : s.points) see(p.x, p.y);
  for (const auto& b : c.bands)
    for (size_t i = 0; i < b.x.size(); ++i) see(b.x[i], b.high[i]);
  for (const auto& r : c.rules) y1 = std::max(y1, r.y);
  if (c.x_min) x0 = *c.x_min;
  if (c.x_max) x1 = *c.x_max;
  if (c.y_max) y1 = *c.y_max;
  if (x0 >= x1) x1 = x0 + 1;
  if (y1 <= 0) y1 = 1;

  const int w = c.width, h = c.height;
  Scale xs{x0, x1, double(kLeft), double(w - kRight)};
  Scale ys;
  std::vector<double> yticks;
  if (c.log_y) {
    const double top = std::ceil(std::log10(y1 * 1.05));
    ys = {0, top, double(h - kBottom), double(kTop), true};
    for (int e = 0; e <= top; ++e) yticks.push_back(std::pow(10, e));
  } else {
    const double step = NiceStep(y1, 5);
    const double top = std::ceil(y1 * 1.05 / step) * step;
    ys = {0, top, double(h - kBottom), double(kTop)};
    for (double v = 0; v <= top + step / 2; v += step) yticks.push_back(v);
  }

  std::string o;
  o.reserve(4096 + 64 * c.series.size() * 80);
  o += "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" viewBox=\"0 0 " +
       std::to_string(w) + " " + std::to_string(h) + "\" width=\"" + std::to_string(w) +
       "\" height=\"" + std::to_string(h) + "\" aria-label=\"" + XmlEscape(c.title) + "\">";
  o += "<title>" + XmlEscape(c.title) + "</title>";
  o += "<defs><pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
       "patternTransform=\"rotate(45)\"><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" "
       "stroke=\"#555\" stroke-width=\"1\" stroke-opacity=\"0.35\"/></pattern></defs>";
  o += "<text x=\"" + std::to_string(kLeft) + "\" y=\"14\" class=\"ylabel\">" +
       XmlEscape(c.y_label) + "</text>";
  // Axes and grid.
  o += "<g class=\"axis y\">";
  for (double v : yticks) {
    const std::string y = Num(ys(v));
    o += "<line x1=\"" + std::to_string(kLeft) + "\" x2=\"" + std::to_string(w - kRight) +
         "\" y1=\"" + y + "\" y2=\"" + y + "\" stroke=\"#ddd\"/>";
    o += "<text x=\"" + std::to_string(kLeft - 6) + "\" y=\"" + y +
         "\" text-anchor=\"end\" dy=\"0.32em\">" + Thousands(v) + "</text>";
  }
  o += "</g><g class=\"axis x\">";
  const double xstep = NiceStep(x1 - x0, 8);
  for (double v = std::ceil(x0 / xstep) * xstep; v <= x1 + 1e-9; v += xstep) {
    const std::string x = Num(xs(v));
    o += "<line x1=\"" + x + "\" x2=\"" + x + "\" y1=\"" + std::to_string(h - kBottom) +
         "\" y2=\"" + std::to_string(h - kBottom + 4) + "\" stroke=\"#555\"/>";
    o += "<text x=\"" + x + "\" y=\"" + std::to_string(h - kBottom + 16) +
         "\" text-anchor=\"middle\">" + Num(v) + "</text>";
  }
  o += "<line x1=\"" + std::to_string(kLeft) + "\" x2=\"" + std::to_string(w - kRight) +
       "\" y1=\"" + std::to_string(h - kBottom) + "\" y2=\"" + std::to_string(h - kBottom) +
       "\" stroke=\"#555\"/></g>";

  for (const auto& b : c.bands) {
    if (b.x.empty()) continue;
    std::string d = "M";
    for (size_t i = 0; i < b.x.size(); ++i) {
      d += (i ? "L" : "") + Num(xs(b.x[i])) + "," + Num(ys(b.high[i]));
    }
    for (size_t i = b.x.size(); i-- > 0;) d += "L" + Num(xs(b.x[i])) + "," + Num(ys(b.low[i]));
    d += "Z";
    o += "<path class=\"band\" d=\"" + d + "\" fill=\"" + b.color + "\" fill-opacity=\"" +
         Num(b.opacity) + "\"><title>" + XmlEscape(b.label) + "</title></path>";
    o += "<path d=\"" + d + "\" fill=\"url(#hatch)\" pointer-events=\"none\"/>";
  }
  for (const auto& r : c.rules) {
    const std::string y = Num(ys(r.y));
    o += "<g class=\"rule\"><line x1=\"" + std::to_string(kLeft) + "\" x2=\"" +
         std::to_string(w - kRight) + "\" y1=\"" + y + "\" y2=\"" + y +
         "\" stroke=\"#b00\" stroke-width=\"1.5\" stroke-dasharray=\"6 3\"><title>" +
         XmlEscape(r.label) + "</title></line><text x=\"" + std::to_string(w - kRight + 4) +
         "\" y=\"" + y + "\" dy=\"0.32em\" fill=\"#b00\">" + XmlEscape(r.label) + "</text></g>";
  }
  for (const auto& m : c.markers) {
    const std::string x = Num(xs(m.x));
    o += "<g class=\"marker\"><line x1=\"" + x + "\" x2=\"" + x + "\" y1=\"" +
         std::to_string(kTop) + "\" y2=\"" + std::to_string(h - kBottom) +
         "\" stroke=\"#333\" stroke-dasharray=\"2 3\"/><text x=\"" + x + "\" y=\"" +
         std::to_string(kTop - 4) + "\" text-anchor=\"middle\">" + XmlEscape(m.label) +
         "</text></g>";
  }
  for (const auto& s : c.series) {
    if (s.points.empty()) continue;
    std::string d;
    for (size_t i = 0; i < s.points.size(); ++i) {
      const bool joined = i > 0 && !(s.max_gap && s.points[i].x - s.points[i - 1].x > *s.max_gap);
      d += (joined ? "L" : "M") + Num(xs(s.points[i].x)) + "," + Num(ys(s.points[i].y));
    }
    o += "<path class=\"line\" data-series=\"" + XmlEscape(s.label) + "\" d=\"" + d +
         "\" fill=\"none\" stroke=\"" + s.color + "\" stroke-width=\"2\"" +
         (s.dashed ? " stroke-dasharray=\"5 3\"" : "") + "><title>" + XmlEscape(s.label) +
         "</title></path>";
    if (s.dots) {
      for (const auto& p : s.points) {
        o += "<circle class=\"dot\" cx=\"" + Num(xs(p.x)) + "\" cy=\"" + Num(ys(p.y)) +
             "\" r=\"3\" fill=\"" + s.color + "\"><title>" +
             XmlEscape(p.title.empty() ? s.label + " " + Num(p.x) + ": " + Thousands(p.y)
                                       : p.title) +
             "</title></circle>";
      }
    }
  }
  // Direct labels at the series' ends, pushed apart (at least 11 px) so that none overlaps.
  struct EndLabel {
    double x, y;
    const ChartSeries* s;
  };
  std::vector<EndLabel> labels;
  for (const auto& s : c.series) {
    if (!s.points.empty()) labels.push_back({xs(s.points.back().x), ys(s.points.back().y), &s});
  }
  std::sort(labels.begin(), labels.end(),
            [](const EndLabel& a, const EndLabel& b) { return a.y < b.y; });
  for (size_t i = 1; i < labels.size(); ++i) {
    labels[i].y = std::max(labels[i].y, labels[i - 1].y + 11);
  }
  for (const auto& l : labels) {
    o += "<text class=\"label\" x=\"" + Num(l.x + 4) + "\" y=\"" + Num(l.y) +
         "\" dy=\"0.32em\" fill=\"" + l.s->color + "\">" + XmlEscape(l.s->label) + "</text>";
  }
  o += "</svg>";
  return o;
}

std::string RenderSvg(const Timeline& t) {
  constexpr int kRow = 22, kLabel = 170;
  const int h = kTop + kBottom + kRow * static_cast<int>(t.rows.size());
  Scale xs{t.x_min, t.x_max, double(kLabel), double(t.width - 20)};
  std::string o =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart timeline\" "
      "role=\"img\" viewBox=\"0 0 " +
      std::to_string(t.width) + " " + std::to_string(h) + "\" width=\"" + std::to_string(t.width) +
      "\" height=\"" + std::to_string(h) + "\" aria-label=\"" + XmlEscape(t.title) + "\"><title>" +
      XmlEscape(t.title) + "</title>";
  const double step = NiceStep(t.x_max - t.x_min, 8);
  for (double v = std::ceil(t.x_min / step) * step; v <= t.x_max; v += step) {
    const std::string x = Num(xs(v));
    o += "<line x1=\"" + x + "\" x2=\"" + x + "\" y1=\"" + std::to_string(kTop) + "\" y2=\"" +
         std::to_string(h - kBottom) + "\" stroke=\"#eee\"/><text x=\"" + x + "\" y=\"" +
         std::to_string(h - kBottom + 16) + "\" text-anchor=\"middle\">" + Num(v) + "</text>";
  }
  for (size_t i = 0; i < t.rows.size(); ++i) {
    const int y = kTop + kRow * static_cast<int>(i);
    o += "<text x=\"" + std::to_string(kLabel - 6) + "\" y=\"" + std::to_string(y + kRow / 2) +
         "\" dy=\"0.32em\" text-anchor=\"end\">" + XmlEscape(t.rows[i].label) + "</text>";
    for (const auto& s : t.rows[i].spans) {
      const double a = xs(s.start), b = xs(std::max(s.end, s.start));
      o += "<rect class=\"span\" x=\"" + Num(a) + "\" y=\"" + std::to_string(y + 4) +
           "\" width=\"" + Num(std::max(2.0, b - a)) + "\" height=\"" + std::to_string(kRow - 8) +
           "\" fill=\"" + s.color + "\"><title>" + XmlEscape(s.title) + "</title></rect>";
    }
  }
  for (const auto& m : t.markers) {
    const std::string x = Num(xs(m.x));
    o += "<g class=\"marker\"><line x1=\"" + x + "\" x2=\"" + x + "\" y1=\"" +
         std::to_string(kTop - 6) + "\" y2=\"" + std::to_string(h - kBottom) +
         "\" stroke=\"#b00\" stroke-dasharray=\"2 3\"/><text x=\"" + x + "\" y=\"" +
         std::to_string(kTop - 10) + "\" text-anchor=\"middle\" fill=\"#b00\">" +
         XmlEscape(m.label) + "</text></g>";
  }
  return o + "</svg>";
}

}  // namespace tally::dashboard
