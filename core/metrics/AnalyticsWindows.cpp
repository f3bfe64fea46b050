#include "metrics/AnalyticsWindows.h"

#include <algorithm>

namespace kcl {

AnalyticsWindows::AnalyticsWindows(std::int64_t allowedLatenessMs, std::size_t keptWindows)
    : m_latenessMs(allowedLatenessMs), m_keep(std::max<std::size_t>(1, keptWindows))
{
}

std::int64_t AnalyticsWindows::windowStart(std::int64_t eventTimeMs)
{
    // Floor (not truncation toward zero), so a timestamp before 1970 still lands in the window that contains it.
    std::int64_t q = eventTimeMs / kAnalyticsWindowMs;
    if (eventTimeMs % kAnalyticsWindowMs < 0)
        --q;
    return q * kAnalyticsWindowMs;
}

CountByName AnalyticsWindows::top(const std::map<std::string, std::int64_t> &counts, std::size_t n)
{
    CountByName all(counts.begin(), counts.end()); // already by name: a stable sort keeps ties in name order
    std::stable_sort(all.begin(), all.end(), [](const auto &a, const auto &b) { return a.second > b.second; });
    if (all.size() > n)
        all.resize(n);
    return all;
}

void AnalyticsWindows::advanceWatermark(std::int64_t eventTimeMs)
{
    if (eventTimeMs <= m_maxEventTimeMs)
        return;
    m_maxEventTimeMs = eventTimeMs;
    const std::int64_t watermark = m_maxEventTimeMs - m_latenessMs;
    for (auto &[start, w] : m_windows)
        if (!w.closed && start + kAnalyticsWindowMs <= watermark) {
            w.closed = true;
            ++m_closed;
        }
}

AnalyticsWindows::Outcome AnalyticsWindows::add(const Event &event)
{
    std::string channel, author;
    std::vector<std::string> mentions;
    bool isMessage = false, isActivity = false;
    if (const auto *c = std::get_if<MessageCreated>(&event.payload)) {
        channel = c->channelId;
        author = c->authorId;
        mentions = c->mentions;
        isMessage = true;
    } else if (const auto *u = std::get_if<MessageUpdated>(&event.payload)) {
        author = u->authorId;
    } else if (const auto *d = std::get_if<MessageDeleted>(&event.payload)) {
        author = d->deletedBy;
    } else if (const auto *a = std::get_if<UserActivity>(&event.payload)) {
        author = a->userId;
        isActivity = true;
    } else {
        return Outcome::Ignored;
    }
    // A user mentioned twice in one message is one mention.
    std::sort(mentions.begin(), mentions.end());
    mentions.erase(std::unique(mentions.begin(), mentions.end()), mentions.end());

    const std::int64_t start = windowStart(event.timestampMs);
    std::lock_guard lock(m_mutex);
    const bool late = m_maxEventTimeMs != INT64_MIN && start + kAnalyticsWindowMs <= m_maxEventTimeMs - m_latenessMs;
    auto it = m_windows.find(start);
    if (it == m_windows.end()) {
        if (m_windows.size() >= m_keep && start < m_windows.begin()->first) {
            ++m_expired;
            ++m_late;
            return Outcome::Expired;
        }
        it = m_windows.emplace(start, Window{}).first;
        it->second.closed = late;
        if (late)
            ++m_closed;
        while (m_windows.size() > m_keep)
            m_windows.erase(m_windows.begin());
    }
    Window &w = it->second;
    if (isMessage) {
        ++w.messages;
        ++w.perChannel[channel];
        ++w.perAuthor[author];
        for (const auto &m : mentions)
            ++w.mentioned[m];
    }
    if (isActivity)
        ++w.activities;
    w.activeUsers.insert(author);
    ++m_events;
    if (late) {
        ++w.late;
        ++m_late;
    }
    advanceWatermark(event.timestampMs);
    return late ? Outcome::Late : Outcome::OnTime;
}

AnalyticsWindowStats AnalyticsWindows::summarize(std::int64_t start, const Window &w, std::size_t topN) const
{
    AnalyticsWindowStats s;
    s.startMs = start;
    s.closed = w.closed;
    s.messages = w.messages;
    s.activities = w.activities;
    s.lateEvents = w.late;
    s.activeUsers = static_cast<std::int64_t>(w.activeUsers.size());
    s.topChannels = top(w.perChannel, topN);
    s.topAuthors = top(w.perAuthor, topN);
    s.topMentioned = top(w.mentioned, topN);
    return s;
}

AnalyticsStats AnalyticsWindows::stats(std::size_t summaryWindows, std::size_t topN) const
{
    AnalyticsStats s;
    std::lock_guard lock(m_mutex);
    s.events = m_events;
    s.lateEvents = m_late;
    s.expiredEvents = m_expired;
    s.windowsClosed = m_closed;
    s.watermarkMs = m_maxEventTimeMs == INT64_MIN ? 0 : m_maxEventTimeMs - m_latenessMs;
    std::size_t skip = m_windows.size() > summaryWindows ? m_windows.size() - summaryWindows : 0;
    for (const auto &[start, w] : m_windows) {
        if (skip > 0) {
            --skip;
            continue;
        }
        s.recentWindows.push_back(summarize(start, w, topN));
    }
    return s;
}

bool AnalyticsWindows::window(std::int64_t startMs, AnalyticsWindowStats &out, std::size_t topN) const
{
    std::lock_guard lock(m_mutex);
    const auto it = m_windows.find(startMs);
    if (it == m_windows.end())
        return false;
    out = summarize(startMs, it->second, topN);
    return true;
}

} // namespace kcl
