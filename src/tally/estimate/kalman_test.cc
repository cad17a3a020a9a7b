#include "tally/estimate/kalman.h"

#include <gtest/gtest.h>

#include <vector>

namespace tally::estimate {
namespace {

using K1 = KalmanTypes<1>;

// A scalar random walk observed at two steps, checked against the closed-form posterior.
TEST(KalmanTest, ScalarRandomWalkMatchesClosedForm) {
  K1::Vec m0;
  m0 << 0;
  K1::Mat p0;
  p0 << 100;
  auto transition = [](size_t, K1::Mat& f, K1::Mat& q) {
    f << 1;
    q << 1;
  };
  K1::Vec h;
  h << 1;
  std::vector<K1::Observation> obs = {{0, h, 10.0, 4.0}, {2, h, 12.0, 4.0}};
  K1::Output out;
  ASSERT_TRUE(KalmanSmooth<1>(m0, p0, 4, transition, obs, &out).ok());
  // Step 0: posterior of a N(0,100) prior and y=10 with variance 4.
  const double p_post0 = 1.0 / (1.0 / 100 + 1.0 / 4);
  EXPECT_NEAR(out.filtered_cov[0](0, 0), p_post0, 1e-12);
  EXPECT_NEAR(out.filtered_mean[0](0), p_post0 * 10 / 4, 1e-12);
  // Step 2 prediction adds two units of process variance.
  EXPECT_NEAR(out.predicted_cov[2](0, 0), p_post0 + 2, 1e-12);
  // Step 3 is after the last observation: smoothed equals filtered there.
  EXPECT_NEAR(out.smoothed_mean[3](0), out.filtered_mean[3](0), 1e-12);
  EXPECT_NEAR(out.smoothed_cov[3](0, 0), out.filtered_cov[3](0, 0), 1e-12);
  // Step 1 lies between the observations: the smoother pulls it between them and narrows it.
  EXPECT_GT(out.smoothed_mean[1](0), out.filtered_mean[0](0));
  EXPECT_LT(out.smoothed_mean[1](0), 12.0);
  EXPECT_LT(out.smoothed_cov[1](0, 0), out.filtered_cov[1](0, 0));
}

// The RTS smoother equals the batch posterior (Gaussian conditioning on all data) for a short
// random walk, computed here by brute force.
TEST(KalmanTest, SmootherEqualsBatchPosterior) {
  const int t_max = 5;
  const double p0 = 9, q = 2, r = 3;
  const std::vector<std::pair<int, double>> data = {{0, 1.0}, {2, 4.0}, {4, 2.5}};
  // Prior covariance of the random walk x_t = x_0 + sum w.
  Eigen::MatrixXd sigma(t_max, t_max);
  for (int i = 0; i < t_max; ++i) {
    for (int j = 0; j < t_max; ++j) sigma(i, j) = p0 + q * std::min(i, j);
  }
  Eigen::MatrixXd h = Eigen::MatrixXd::Zero(3, t_max);
  Eigen::VectorXd y(3);
  for (int k = 0; k < 3; ++k) {
    h(k, data[k].first) = 1;
    y(k) = data[k].second;
  }
  const Eigen::MatrixXd s = h * sigma * h.transpose() + r * Eigen::MatrixXd::Identity(3, 3);
  const Eigen::MatrixXd gain = sigma * h.transpose() * s.inverse();
  const Eigen::VectorXd mean = gain * y;
  const Eigen::MatrixXd cov = sigma - gain * h * sigma;

  K1::Vec m0;
  m0 << 0;
  K1::Mat pp;
  pp << p0;
  K1::Vec hv;
  hv << 1;
  std::vector<K1::Observation> obs;
  for (auto [t, v] : data) obs.push_back({static_cast<size_t>(t), hv, v, r});
  K1::Output out;
  ASSERT_TRUE(KalmanSmooth<1>(
                  m0, pp, t_max,
                  [&](size_t, K1::Mat& f, K1::Mat& qq) {
                    f << 1;
                    qq << q;
                  },
                  obs, &out)
                  .ok());
  for (int t = 0; t < t_max; ++t) {
    EXPECT_NEAR(out.smoothed_mean[t](0), mean(t), 1e-10) << t;
    EXPECT_NEAR(out.smoothed_cov[t](0, 0), cov(t, t), 1e-10) << t;
  }
}

TEST(KalmanTest, RejectsBadObservations) {
  K1::Vec m0 = K1::Vec::Zero();
  K1::Mat p0 = K1::Mat::Identity();
  K1::Vec h;
  h << 1;
  auto tr = [](size_t, K1::Mat& f, K1::Mat& q) {
    f << 1;
    q << 1;
  };
  K1::Output out;
  std::vector<K1::Observation> outside = {{5, h, 1.0, 1.0}};
  EXPECT_FALSE(KalmanSmooth<1>(m0, p0, 3, tr, outside, &out).ok());
  std::vector<K1::Observation> zero_var = {{0, h, 1.0, 0.0}};
  EXPECT_FALSE(KalmanSmooth<1>(m0, p0, 3, tr, zero_var, &out).ok());
  std::vector<K1::Observation> unsorted = {{2, h, 1.0, 1.0}, {1, h, 1.0, 1.0}};
  EXPECT_FALSE(KalmanSmooth<1>(m0, p0, 3, tr, unsorted, &out).ok());
}

}  // namespace
}  // namespace tally::estimate
