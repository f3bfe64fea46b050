#pragma once
// The errors recorded since the reader last looked: the GUI's error banner and the headless runs' error lines show
// each recorded error once. By count, not by time: two errors can share a millisecond.
#include "metrics/Snapshot.h"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace kcl {

class ErrorFeed {
public:
    struct News {
        std::vector<ErrorRecord> errors; // new since the last call, oldest first
        std::int64_t missed = 0;         // new ones the snapshot no longer kept (more than its bound in between)
    };

    News take(const Snapshot &s)
    {
        News news;
        if (s.errorsRecorded < m_seen)
            m_seen = 0; // a new pipeline (the app connected again): its count starts from 0
        const std::int64_t fresh = s.errorsRecorded - m_seen;
        m_seen = s.errorsRecorded;
        const auto kept = static_cast<std::int64_t>(s.recentErrors.size());
        const std::int64_t shown = std::min(fresh, kept);
        news.missed = fresh - shown;
        news.errors.assign(s.recentErrors.end() - shown, s.recentErrors.end());
        return news;
    }

private:
    std::int64_t m_seen = 0;
};

} // namespace kcl
