#include "metrics/ServiceMetrics.h"

namespace kcl {

void ServiceMetrics::setArchiveDirectory(std::string dir)
{
    std::lock_guard lock(m_mutex);
    m_archiveDirectory = std::move(dir);
}

void ServiceMetrics::setRebuilderComparison(std::int64_t differences, std::string summary)
{
    rebuilder.differences.store(differences);
    std::lock_guard lock(m_mutex);
    m_lastComparison = std::move(summary);
}

void ServiceMetrics::resetRebuilder()
{
    for (auto *c : {&rebuilder.applied, &rebuilder.stale, &rebuilder.messages, &rebuilder.deleted, &rebuilder.statePublished})
        c->store(0);
    rebuilder.caughtUp.store(false);
    rebuilder.differences.store(-1);
    std::lock_guard lock(m_mutex);
    m_lastComparison.clear();
}

void ServiceMetrics::setStateTopic(std::string topic)
{
    std::lock_guard lock(m_mutex);
    m_stateTopic = std::move(topic);
}

void ServiceMetrics::setStateCensus(StateTopicCensus census)
{
    std::lock_guard lock(m_mutex);
    m_census = std::move(census);
}

ServiceStats ServiceMetrics::stats() const
{
    ServiceStats s;
    s.archive.lines = archive.lines.load();
    s.archive.bytes = archive.bytes.load();
    s.archive.duplicatesSkipped = archive.duplicatesSkipped.load();
    s.archive.flushes = archive.flushes.load();
    s.archive.repairedTails = archive.repairedTails.load();
    s.analytics = analytics.stats();
    s.rebuilder.applied = rebuilder.applied.load();
    s.rebuilder.stale = rebuilder.stale.load();
    s.rebuilder.messages = rebuilder.messages.load();
    s.rebuilder.deleted = rebuilder.deleted.load();
    s.rebuilder.caughtUp = rebuilder.caughtUp.load();
    s.rebuilder.differences = rebuilder.differences.load();
    s.rebuilder.statePublished = rebuilder.statePublished.load();
    s.rebuilder.statePublishedTotal = rebuilder.statePublishedTotal.load();
    std::lock_guard lock(m_mutex);
    s.archive.directory = m_archiveDirectory;
    s.rebuilder.lastComparison = m_lastComparison;
    s.rebuilder.stateTopic = m_stateTopic;
    s.rebuilder.census = m_census;
    return s;
}

} // namespace kcl
