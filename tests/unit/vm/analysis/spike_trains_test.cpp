// Spike-train measures against cases with known answers: regular trains (CV 0), Poisson trains
// (CV 1), counts and rates worked out by hand, and spikes stamped at bin edges.
#include "vm/analysis/spike_trains.h"

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include <doctest/doctest.h>

#include "vm/random/counter_rng.h"

using namespace snn::analysis;

namespace {

struct Recording {
  std::vector<std::uint32_t> neuron;
  std::vector<double> time;
  SpikeData view(std::uint32_t n) const { return SpikeData{neuron, time, n}; }
};

}  // namespace

TEST_CASE("counts and mean rate") {
  Recording r;
  r.neuron = {0, 2, 2, 1, 2};
  r.time = {0.1, 0.2, 0.3, 0.3, 0.5};
  SpikeData spikes = r.view(4);
  CHECK(spikeCount(spikes) == 5);
  CHECK(spikeCountPerNeuron(spikes) == std::vector<std::uint64_t>{1, 1, 3, 0});
  CHECK(meanRate(spikes, 0.5) == doctest::Approx(5.0 / (4 * 0.5)));
  CHECK(std::isnan(meanRate(spikes, 0.0)));
  CHECK_THROWS_AS(meanRate(r.view(0), 1.0), std::out_of_range);  // index 0 in 0 neurons
  CHECK(std::isnan(meanRate(Recording{}.view(0), 1.0)));
}

TEST_CASE("spike data is checked") {
  Recording r;
  r.neuron = {0, 5};
  r.time = {0.1, 0.2};
  CHECK_THROWS_AS(spikeCount(r.view(5)), std::out_of_range);
  CHECK_NOTHROW(spikeCount(r.view(6)));
  r.time.pop_back();
  CHECK_THROWS_AS(meanRate(r.view(6), 1.0), std::invalid_argument);
}

TEST_CASE("a regular train has CV 0, and too few ISIs give NaN and are left out") {
  Recording r;
  for (int k = 0; k < 50; ++k) {  // neuron 0: every 10 ms; neuron 1: every 7 ms
    r.neuron.push_back(0);
    r.time.push_back(k * 0.01);
    r.neuron.push_back(1);
    r.time.push_back(k * 0.007 + 0.001);
  }
  r.neuron.insert(r.neuron.end(), {2, 2, 3});  // neuron 2: one ISI; neuron 3: none
  r.time.insert(r.time.end(), {0.1, 0.3, 0.2});
  std::vector<double> cv = cvIsiPerNeuron(r.view(5));
  CHECK(cv[0] < 1e-9);
  CHECK(cv[1] < 1e-9);
  CHECK(std::isnan(cv[2]));
  CHECK(std::isnan(cv[3]));
  CHECK(std::isnan(cv[4]));
  CHECK(cvIsi(r.view(5)) < 1e-9);
  // Order of the recording does not matter.
  std::swap(r.time[0], r.time[98]);
  std::swap(r.neuron[0], r.neuron[98]);
  CHECK(cvIsi(r.view(5)) < 1e-9);
}

TEST_CASE("CV of a known two-interval train, and of Poisson trains") {
  Recording two;
  two.neuron = {0, 0, 0, 0, 0};
  two.time = {0.0, 0.1, 0.4, 0.5, 0.8};  // ISIs 0.1, 0.3, 0.1, 0.3: mean 0.2, std 0.1
  CHECK(cvIsi(two.view(1)) == doctest::Approx(0.5).epsilon(1e-12));

  Recording poisson;
  const double rate = 20.0;
  const std::uint32_t neurons = 200;
  for (std::uint32_t i = 0; i < neurons; ++i) {
    double t = 0;
    for (std::uint64_t k = 0; k < 500; ++k) {
      t += -std::log(snn::random::uniformOpenClosed(11, 0, i, 0, k)) / rate;
      poisson.neuron.push_back(i);
      poisson.time.push_back(t);
    }
  }
  CHECK(cvIsi(poisson.view(neurons)) == doctest::Approx(1.0).epsilon(0.01));
}

TEST_CASE("population rate: per-bin counts over N * width, times at bin edges") {
  const double dt = 1e-4;
  Recording r;
  // Spikes stamped k * dt as a simulation computes them (a product, not a sum).
  for (int k : {0, 3, 3, 7, 9999}) {
    r.neuron.push_back(static_cast<std::uint32_t>(k % 4));
    r.time.push_back(k * dt);
  }
  r.neuron.push_back(0);
  r.time.push_back(10000 * dt);  // past the last bin
  std::vector<double> rate = populationRate(r.view(4), 0.0, dt, 10000);
  REQUIRE(rate.size() == 10000);
  CHECK(rate[0] == doctest::Approx(1 / (4 * dt)));
  CHECK(rate[3] == doctest::Approx(2 / (4 * dt)));
  CHECK(rate[7] == doctest::Approx(1 / (4 * dt)));
  CHECK(rate[9999] == doctest::Approx(1 / (4 * dt)));
  double integral = 0;
  for (double x : rate) integral += x * dt;
  CHECK(integral == doctest::Approx(5.0 / 4));
  // Every k * dt lands in bin k, for all k up to a long run.
  Recording edges;
  for (int k = 0; k < 100000; ++k) {
    edges.neuron.push_back(0);
    edges.time.push_back(k * dt);
  }
  std::vector<double> flat = populationRate(edges.view(1), 0.0, dt, 100000);
  for (double x : flat) REQUIRE(x == doctest::Approx(1 / dt));
  // Wider bins and an offset start.
  std::vector<double> wide = populationRate(edges.view(1), 0.5, 10 * dt, 10);
  for (double x : wide) CHECK(x == doctest::Approx(1 / dt));
  CHECK_THROWS_AS(populationRate(edges.view(1), 0.0, 0.0, 10), std::invalid_argument);
}
