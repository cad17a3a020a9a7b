// KalmanSmoother: the Kalman filter and the Rauch–Tung–Striebel smoother for a linear-Gaussian
// state-space model with scalar observations, over a fixed grid of T steps.
//
//   x_0 ~ N(m0, P0)                       (prior before any observation at step 0)
//   x_t = F_t x_{t-1} + w_t,  w_t ~ N(0, Q_t)       t = 1..T-1
//   y   = h' x_t + v,         v ~ N(0, r)           any number of observations per step
//
// The state dimension N is a template parameter so that small models (N = 2, level and rate) use
// fixed-size Eigen matrices and allocate nothing per step; N = Eigen::Dynamic also works.
// Observations at one step are applied one after another (sequential scalar updates), which is
// exact for independent observation errors.
//
// Errors: kInvalidArgument when an observation names a step outside [0, T) or has r <= 0, or the
// observations are not sorted by step. Thread safety: stateless functions; outputs are owned by
// the caller.
#ifndef TALLY_ESTIMATE_KALMAN_H_
#define TALLY_ESTIMATE_KALMAN_H_

#include <Eigen/Core>
#include <Eigen/LU>
#include <cmath>
#include <numbers>
#include <span>
#include <string>
#include <vector>

#include "tally/base/status.h"

namespace tally::estimate {

template <int N>
struct KalmanTypes {
  using Vec = Eigen::Matrix<double, N, 1>;
  using Mat = Eigen::Matrix<double, N, N>;
  struct Observation {
    size_t step;
    Vec h;
    double y;
    double r;  // observation error variance
  };
  struct Output {
    std::vector<Vec> filtered_mean, predicted_mean, smoothed_mean;
    std::vector<Mat> filtered_cov, predicted_cov, smoothed_cov;
    double log_likelihood = 0;  // of the observations, from the innovations
  };
};

// Runs the filter forward and the RTS smoother backward. `transition(t, F, Q)` fills the step
// t-1 -> t matrices for t in [1, T). With `smooth` false only the filtered and predicted moments
// are kept (the smoothed vectors stay empty), which is what forecasting and likelihood need.
template <int N, typename TransitionFn>
Status KalmanSmooth(const typename KalmanTypes<N>::Vec& m0, const typename KalmanTypes<N>::Mat& p0,
                    size_t steps, TransitionFn&& transition,
                    std::span<const typename KalmanTypes<N>::Observation> observations,
                    typename KalmanTypes<N>::Output* out, bool smooth = true) {
  using Vec = typename KalmanTypes<N>::Vec;
  using Mat = typename KalmanTypes<N>::Mat;
  for (size_t i = 0; i < observations.size(); ++i) {
    const auto& o = observations[i];
    if (o.step >= steps) return InvalidArgument("kalman: observation step outside the grid");
    if (!(o.r > 0) || !std::isfinite(o.y)) {
      return InvalidArgument("kalman: observation variance must be positive and value finite");
    }
    if (i > 0 && observations[i - 1].step > o.step) {
      return InvalidArgument("kalman: observations must be sorted by step");
    }
  }
  out->filtered_mean.resize(steps);
  out->filtered_cov.resize(steps);
  out->predicted_mean.resize(steps);
  out->predicted_cov.resize(steps);
  out->log_likelihood = 0;
  Vec m = m0;
  Mat p = p0;
  Mat f, q;
  size_t next = 0;
  constexpr double kLog2Pi = 1.8378770664093453;
  for (size_t t = 0; t < steps; ++t) {
    if (t > 0) {
      transition(t, f, q);
      m = f * m;
      p = f * p * f.transpose() + q;
    }
    out->predicted_mean[t] = m;
    out->predicted_cov[t] = p;
    for (; next < observations.size() && observations[next].step == t; ++next) {
      const auto& o = observations[next];
      const Vec ph = p * o.h;
      const double s = o.h.dot(ph) + o.r;
      const double innovation = o.y - o.h.dot(m);
      const Vec k = ph / s;
      m += k * innovation;
      p -= k * ph.transpose();
      p = 0.5 * (p + p.transpose());  // keep symmetric against rounding
      out->log_likelihood += -0.5 * (kLog2Pi + std::log(s) + innovation * innovation / s);
    }
    out->filtered_mean[t] = m;
    out->filtered_cov[t] = p;
  }
  if (!smooth) {
    out->smoothed_mean.clear();
    out->smoothed_cov.clear();
    return Status::Ok();
  }
  out->smoothed_mean = out->filtered_mean;
  out->smoothed_cov = out->filtered_cov;
  for (size_t t = steps; t-- > 1;) {
    transition(t, f, q);
    // C = P_{t-1|t-1} F' P_{t|t-1}^{-1}
    const Mat c = out->filtered_cov[t - 1] * f.transpose() * out->predicted_cov[t].inverse();
    out->smoothed_mean[t - 1] =
        out->filtered_mean[t - 1] + c * (out->smoothed_mean[t] - out->predicted_mean[t]);
    Mat ps = out->filtered_cov[t - 1] +
             c * (out->smoothed_cov[t] - out->predicted_cov[t]) * c.transpose();
    out->smoothed_cov[t - 1] = 0.5 * (ps + ps.transpose());
  }
  return Status::Ok();
}

}  // namespace tally::estimate

#endif  // TALLY_ESTIMATE_KALMAN_H_
