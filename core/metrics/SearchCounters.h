#pragma once
// The search indexer's counters, written by its members (atomics, short locks); summary() is the Snapshot's copy.
#include "metrics/LatencyWindow.h"
#include "metrics/SearchStats.h"

#include <atomic>
#include <mutex>

namespace kcl {

struct SearchCounters {
    std::atomic<bool> running{false};
    std::atomic<std::int64_t> indexed{0}, deleted{0}, versionConflicts{0}, bulkRequests{0}, bulkFailures{0},
        retries{0}, deadLettered{0}, buffered{0};
    std::atomic<int> nodeUp{-1};
    LatencyWindow bulkLatency;

    void setTarget(std::string url, std::string index)
    {
        std::lock_guard lock(m_mutex);
        m_url = std::move(url);
        m_index = std::move(index);
    }
    void setLastError(std::string error)
    {
        std::lock_guard lock(m_mutex);
        m_lastError = std::move(error);
    }
    SearchStats summary() const
    {
        SearchStats s;
        s.running = running.load();
        s.indexed = indexed.load();
        s.deleted = deleted.load();
        s.versionConflicts = versionConflicts.load();
        s.bulkRequests = bulkRequests.load();
        s.bulkFailures = bulkFailures.load();
        s.retries = retries.load();
        s.deadLettered = deadLettered.load();
        s.buffered = buffered.load();
        s.nodeUp = nodeUp.load();
        const LatencySummary bulk = bulkLatency.summary();
        s.bulkLatencySamples = bulk.count;
        s.bulkP50Ms = bulk.p50;
        s.bulkP99Ms = bulk.p99;
        s.bulkMaxMs = bulk.max;
        std::lock_guard lock(m_mutex);
        s.url = m_url;
        s.index = m_index;
        s.lastError = m_lastError;
        return s;
    }

private:
    mutable std::mutex m_mutex;
    std::string m_url, m_index, m_lastError;
};

} // namespace kcl
