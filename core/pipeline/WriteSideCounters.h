#pragma once
// Live counters of the CQRS write side, written by the thread that posts (the workload or a CLI command) and by the
// outbox relay's thread; the engine thread summarises them into WriteSideStats for each snapshot.
#include "metrics/LatencyWindow.h"
#include "metrics/WriteSideStats.h"

#include <atomic>
#include <mutex>
#include <string>

namespace kcl {

class WriteSideCounters {
public:
    std::atomic<std::int64_t> posted{0};
    std::atomic<std::int64_t> writeErrors{0};
    std::atomic<std::int64_t> relayed{0};
    std::atomic<std::int64_t> relayFailures{0};
    std::atomic<std::int64_t> pending{0};
    std::atomic<std::int64_t> oldestPendingCreatedMs{0}; // 0 when nothing is pending
    std::atomic<std::int64_t> naivePublished{0};
    std::atomic<std::int64_t> naiveLost{0};
    std::atomic<bool> kafkaReachable{true};
    LatencyWindow postLatency;
    LatencyWindow relayLag;

    void setLastError(std::string sentence)
    {
        std::lock_guard lock(m_mutex);
        m_lastError = std::move(sentence);
    }
    std::string lastError() const
    {
        std::lock_guard lock(m_mutex);
        return m_lastError;
    }
    WriteSideStats summary(std::string mode, std::int64_t nowMs) const;

private:
    mutable std::mutex m_mutex;
    std::string m_lastError;
};

} // namespace kcl
