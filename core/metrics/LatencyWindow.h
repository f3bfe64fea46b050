#pragma once
// Latency samples over a sliding time window, bounded in memory (a ring of the most recent samples).
// Writers (service threads) add under a short lock; the engine thread summarises.
#include "metrics/Snapshot.h"

#include <chrono>
#include <cstdint>
#include <mutex>
#include <vector>

namespace kcl {

class LatencyWindow {
public:
    explicit LatencyWindow(std::size_t capacity = 20000, std::chrono::milliseconds window = std::chrono::seconds(10));
    void add(double latencyMs);
    void addMany(const std::vector<double> &latenciesMs); // one lock for all (e.g. one poll's delivery reports)
    // Percentiles over the samples of the last `window`; count is how many samples that is.
    LatencySummary summary() const;
    std::int64_t totalCount() const;
    void clear();

private:
    struct Sample { std::int64_t atMs; double ms; };
    static std::int64_t nowMs();
    std::size_t m_capacity;
    std::chrono::milliseconds m_window;
    mutable std::mutex m_mutex;
    std::vector<Sample> m_ring;
    std::size_t m_next = 0;
    std::int64_t m_total = 0;
};

// Percentile by nearest rank over an unsorted copy (p in 0..100).
double percentile(std::vector<double> values, double p);

} // namespace kcl
