#include "metrics/LagMath.h"

#include <algorithm>

namespace kcl {

PartitionLag computeLag(std::optional<std::int64_t> committed, std::int64_t logStart, std::int64_t logEnd)
{
    PartitionLag p;
    p.committed = committed;
    p.logStart = logStart;
    p.logEnd = logEnd;
    if (committed) {
        // Same arithmetic as kafka-consumer-groups: end - committed, even when the committed offset lies outside
        // the log; the flags say why such a number is odd.
        p.lag = logEnd - *committed;
        p.committedBelowLogStart = *committed < logStart;
        p.committedBeyondLogEnd = *committed > logEnd;
    }
    return p;
}

void OffsetTimeHistory::add(std::int64_t endOffset, std::int64_t atMs)
{
    if (!m_samples.empty() && endOffset < m_samples.back().offset)
        m_samples.clear(); // the log was truncated or recreated: old history no longer describes it
    if (!m_samples.empty() && endOffset == m_samples.back().offset && m_samples.size() >= 2 &&
        m_samples[m_samples.size() - 2].offset == endOffset) {
        m_samples.back().atMs = atMs; // a flat run keeps its first and last point only
        return;
    }
    m_samples.push_back({endOffset, atMs});
    while (m_samples.size() > m_capacity)
        m_samples.pop_front();
}

OffsetTimeHistory::Estimate OffsetTimeHistory::timeLag(std::int64_t committedOffset, std::int64_t nowMs) const
{
    Estimate e;
    if (m_samples.empty())
        return e;
    e.known = true;
    const Sample &last = m_samples.back();
    if (committedOffset >= last.offset)
        return e; // caught up with the newest end offset we know
    // The first sample whose offset is beyond the committed offset: the end passed it between that one and
    // the sample before.
    auto it = std::upper_bound(m_samples.begin(), m_samples.end(), committedOffset,
                               [](std::int64_t off, const Sample &s) { return off < s.offset; });
    double producedAtMs;
    if (it == m_samples.begin()) {
        // Older than the whole history: we only know it is at least as old as the first sample.
        producedAtMs = static_cast<double>(it->atMs);
        e.lowerBound = true;
    } else {
        const Sample &a = *(it - 1);
        const Sample &b = *it;
        // The end offset reached a.offset at a.atMs and b.offset at b.atMs; committed lies in [a.offset, b.offset).
        const double frac = static_cast<double>(committedOffset - a.offset) / static_cast<double>(b.offset - a.offset);
        producedAtMs = static_cast<double>(a.atMs) + frac * static_cast<double>(b.atMs - a.atMs);
    }
    e.seconds = std::max(0.0, (static_cast<double>(nowMs) - producedAtMs) / 1000.0);
    return e;
}

const char *groupStatusName(GroupStatus s)
{
    switch (s) {
    case GroupStatus::Ok: return "OK";
    case GroupStatus::Warning: return "WARNING";
    case GroupStatus::Error: return "ERROR";
    case GroupStatus::Stalled: return "STALLED";
    case GroupStatus::Stopped: return "STOPPED";
    }
    return "?";
}

StatusVerdict evaluateGroupStatus(const std::vector<std::vector<LagSample>> &partitions, bool hasMembers)
{
    std::int64_t totalLag = 0; // events that wait (markers excluded: nobody can read them)
    int stuck = 0, moving = 0, behind = 0, lagging = 0, markersOnly = 0;
    for (const auto &w : partitions) {
        if (w.empty())
            continue;
        // Read to the end: what is left are transaction markers, which no consumer ever receives, so the committed
        // offset cannot move past them until the next transaction's records arrive.
        if (w.back().markersOnly && w.back().lag > 0) {
            ++markersOnly;
            continue;
        }
        totalLag += w.back().lag;
        // Rule 1: any zero lag in the window means the partition is keeping up.
        if (std::any_of(w.begin(), w.end(), [](const LagSample &s) { return s.lag == 0; }))
            continue;
        ++lagging;
        if (w.size() < 2)
            continue;
        const bool committedMoved = w.front().committed != w.back().committed;
        if (!committedMoved) {
            ++stuck; // Rule 2: offsets did not move over the window while lag > 0
            continue;
        }
        ++moving;
        // Rule 3: offsets move, but lag grew (or held) in every interval: falling behind.
        bool growing = true;
        for (std::size_t i = 1; i < w.size(); ++i)
            growing = growing && w[i].lag >= w[i - 1].lag;
        if (growing && w.back().lag > w.front().lag)
            ++behind;
    }
    if (!hasMembers && totalLag > 0)
        return {GroupStatus::Stopped, "The group has no active members and " + std::to_string(totalLag) +
                                          " events wait: nobody is consuming. Start a member to drain the lag."};
    if (stuck > 0 && moving == 0)
        return {GroupStatus::Stalled, "The group has members, but none of its committed offsets moved during the window "
                                      "while " + std::to_string(totalLag) + " events wait: its consumers are stuck "
                                      "(blocked, too slow per record, or failing to commit)."};
    if (stuck > 0)
        return {GroupStatus::Error, std::to_string(stuck) + " partition(s) have lag but their committed offset stopped "
                                    "moving during the window, while other partitions progress: a member is stuck or "
                                    "its partitions are not being consumed."};
    if (behind > 0)
        return {GroupStatus::Warning, "Lag grew in every interval of the window on " + std::to_string(behind) +
                                          " partition(s): the consumers are slower than the producers. Add members "
                                          "(up to the partition count) or make processing faster."};
    const std::string markers =
        markersOnly == 0 ? std::string()
                         : " On " + std::to_string(markersOnly) + " partition(s) only transaction markers remain after the "
                           "committed offset: the group has read every record there (a consumer commits the offset after "
                           "its last record, and the marker that ends a transaction is never delivered), so this lag stays "
                           "and is harmless.";
    if (lagging > 0 && totalLag > 0)
        return {GroupStatus::Ok, "The consumers are progressing; lag is not growing." + markers};
    if (markersOnly > 0)
        return {GroupStatus::Ok, "The consumers keep up." + markers};
    return {GroupStatus::Ok, "The consumers keep up: lag reached zero during the window."};
}

void RebalanceWindow::add(std::int64_t atMs)
{
    std::erase_if(m_at, [atMs](std::int64_t t) { return atMs - t > hourMs; });
    m_at.push_back(atMs);
}

RebalanceWindow::Counts RebalanceWindow::counts(std::int64_t nowMs) const
{
    Counts c;
    for (const std::int64_t t : m_at) {
        const std::int64_t age = std::max<std::int64_t>(0, nowMs - t);
        c.lastMinute += age <= minuteMs ? 1 : 0;
        c.lastHour += age <= hourMs ? 1 : 0;
    }
    return c;
}

} // namespace kcl
