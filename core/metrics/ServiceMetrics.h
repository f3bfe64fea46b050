#pragma once
// Live counters of the analytics, archive and state-rebuilder services, shared by their group members (atomics
// and short locks) and copied into a Snapshot by the engine thread.
#include "metrics/AnalyticsWindows.h"
#include "metrics/ServiceStats.h"

#include <atomic>
#include <mutex>

namespace kcl {

struct ArchiveCounters {
    std::atomic<std::int64_t> lines{0}, bytes{0}, duplicatesSkipped{0}, flushes{0}, repairedTails{0};
};

struct RebuilderCounters {
    std::atomic<std::int64_t> applied{0}, stale{0}, messages{0}, deleted{0}, statePublished{0};
    std::atomic<std::int64_t> statePublishedTotal{0}; // not reset by a replay
    std::atomic<bool> caughtUp{false};
    std::atomic<std::int64_t> differences{-1};
};

struct ServiceMetrics {
    ArchiveCounters archive;
    AnalyticsWindows analytics;
    RebuilderCounters rebuilder;

    // Set when the services start (engine thread) and read for snapshots: under the lock.
    void setArchiveDirectory(std::string dir);
    void setRebuilderComparison(std::int64_t differences, std::string summary);
    void setStateTopic(std::string topic);
    void setStateCensus(StateTopicCensus census);
    // A new replay starts from nothing (its members have stopped: nobody writes the rebuilder's counters).
    void resetRebuilder();
    ServiceStats stats() const;

private:
    mutable std::mutex m_mutex;
    std::string m_archiveDirectory, m_lastComparison, m_stateTopic;
    StateTopicCensus m_census;
};

} // namespace kcl
