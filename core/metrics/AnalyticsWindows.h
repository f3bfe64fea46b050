#pragma once
// Event-time 1-minute tumbling windows over the collaboration events (the analytics service's state). A window
// starts at the event's envelope timestamp floored to the minute (UTC). The watermark is the highest event time
// seen minus the allowed lateness; a window closes when the watermark passes its end. An event for a closed window
// is still added to it and counted as late, never dropped; only an event older than every kept window (memory is
// bounded to the last N windows) cannot be added, and is counted as expired. Thread-safe: members of the group
// add events while the engine thread takes summaries.
#include "events/Event.h"
#include "metrics/ServiceStats.h"

#include <map>
#include <mutex>
#include <set>
#include <string>

namespace kcl {

inline constexpr std::int64_t kAnalyticsWindowMs = 60'000;

class AnalyticsWindows {
public:
    enum class Outcome { OnTime, Late, Expired, Ignored };

    explicit AnalyticsWindows(std::int64_t allowedLatenessMs = 10'000, std::size_t keptWindows = 60);

    // message.created / .updated / .deleted and user.activity count; other event types are Ignored.
    Outcome add(const Event &event);
    // `summaryWindows` newest windows, each with its top `topN` lists (ties broken by name).
    AnalyticsStats stats(std::size_t summaryWindows = 10, std::size_t topN = 5) const;
    // The window that starts at `startMs`, all counts (not only the top ones); false when it is not kept.
    bool window(std::int64_t startMs, AnalyticsWindowStats &out, std::size_t topN = SIZE_MAX) const;

    static std::int64_t windowStart(std::int64_t eventTimeMs);
    static CountByName top(const std::map<std::string, std::int64_t> &counts, std::size_t n);

private:
    struct Window {
        std::map<std::string, std::int64_t> perChannel, perAuthor, mentioned;
        std::set<std::string> activeUsers;
        std::int64_t messages = 0, activities = 0, late = 0;
        bool closed = false;
    };
    AnalyticsWindowStats summarize(std::int64_t start, const Window &w, std::size_t topN) const;
    void advanceWatermark(std::int64_t eventTimeMs);

    const std::int64_t m_latenessMs;
    const std::size_t m_keep;
    mutable std::mutex m_mutex;
    std::map<std::int64_t, Window> m_windows; // by start
    std::int64_t m_maxEventTimeMs = INT64_MIN;
    std::int64_t m_events = 0, m_late = 0, m_expired = 0, m_closed = 0;
};

} // namespace kcl
