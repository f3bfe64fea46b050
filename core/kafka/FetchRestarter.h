#pragma once
// librdkafka 2.0.2 stops fetching for a consumer once its queue holds queued.min.messages records or
// queued.max.messages.kbytes, and looks at the queue again only when a broker thread next wakes up: on network
// I/O, or after at most a second (rdkafka_fetcher.c, rdkafka_broker.c; 2.4 added fetch.queue.backoff.ms for it).
// A member that handles records more slowly than it fetches them -- one catching up on a backlog, a replay --
// drains its queue in tens of milliseconds and then idles for the rest of that second: one member parsing every
// event read 190,000 records/s where it can handle 1,000,000 (docs/benchmarks.md).
//
// FetchRestarter says when a member's queue, having reached the limit, has drained to half of it; the member then
// sends its partitions' leaders a small request (ListOffsets, through rd_kafka_offsets_for_times), whose I/O wakes
// their broker threads, which see the room and fetch again. A member that keeps up never reaches the limit and
// never sends one.
#include <algorithm>
#include <cstdint>

namespace kcl {

class FetchRestarter
{
public:
    FetchRestarter(std::int64_t queuedMinMessages, std::int64_t queuedMaxKiB)
        : m_minMessages(std::max<std::int64_t>(1, queuedMinMessages)), m_maxBytes(std::max<std::int64_t>(1, queuedMaxKiB) * 1024)
    {
    }

    // The records at which librdkafka stops fetching, for records of `avgRecordBytes` on average.
    std::int64_t limitRecords(double avgRecordBytes) const
    {
        const double bytesLimit = static_cast<double>(m_maxBytes) / std::max(1.0, avgRecordBytes);
        return std::max<std::int64_t>(1, std::min(m_minMessages, static_cast<std::int64_t>(bytesLimit)));
    }

    // After each batch: the records queued when it was taken (it included) and those still queued after it.
    // True when the fetchers are to be woken now.
    bool shouldWake(std::int64_t queuedBefore, std::int64_t queuedAfter, double avgRecordBytes)
    {
        const std::int64_t limit = limitRecords(avgRecordBytes);
        if (queuedBefore * 10 >= limit * 8) // at 80% the fetch that brought it there has most likely crossed the limit
            m_reachedLimit = true;
        if (m_reachedLimit && queuedAfter * 2 <= limit) {
            m_reachedLimit = false;
            return true;
        }
        return false;
    }

    void reset() { m_reachedLimit = false; }

private:
    std::int64_t m_minMessages;
    std::int64_t m_maxBytes;
    bool m_reachedLimit = false;
};

} // namespace kcl
