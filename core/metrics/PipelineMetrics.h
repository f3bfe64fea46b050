#pragma once
// Counters shared by the pipeline's threads. Writers touch atomics or take a short lock to append; the
// engine thread reads them to build snapshots. Nothing here calls into librdkafka (callbacks record here,
// so no lock is ever held across an rd_kafka_* call).
#include "events/Topics.h"
#include "metrics/LatencyWindow.h"
#include "metrics/SearchCounters.h"
#include "metrics/ServiceMetrics.h"
#include "metrics/Snapshot.h"

#include <array>
#include <atomic>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_set>

namespace kcl {

int topicIndex(std::string_view topic); // index into topics::kAll, or -1

struct TopicCounters {
    std::array<std::atomic<std::int64_t>, topics::kAll.size()> messages{};
    std::array<std::atomic<std::int64_t>, topics::kAll.size()> bytes{};
    void add(std::string_view topic, std::int64_t payloadBytes, std::int64_t count = 1)
    {
        const int i = topicIndex(topic);
        if (i < 0)
            return;
        messages[i].fetch_add(count, std::memory_order_relaxed);
        bytes[i].fetch_add(payloadBytes, std::memory_order_relaxed);
    }
};

// A bounded list with a short lock: recent notifications, recent errors.
template <typename T>
class BoundedLog {
public:
    explicit BoundedLog(std::size_t capacity) : m_capacity(capacity) {}
    void push(T value)
    {
        std::lock_guard lock(m_mutex);
        m_items.push_back(std::move(value));
        while (m_items.size() > m_capacity)
            m_items.pop_front();
        ++m_total;
    }
    // The items kept; *total (when given) counts every item ever pushed, read under the same lock.
    std::vector<T> copy(std::int64_t *total = nullptr) const
    {
        std::lock_guard lock(m_mutex);
        if (total)
            *total = m_total;
        return {m_items.begin(), m_items.end()};
    }
    std::int64_t total() const
    {
        std::lock_guard lock(m_mutex);
        return m_total;
    }

private:
    std::size_t m_capacity;
    mutable std::mutex m_mutex;
    std::deque<T> m_items;
    std::int64_t m_total = 0;
};

// The most recent `capacity` ids, to tell a first delivery from a repeat: consumers are at-least-once, so a
// rebalance can hand a member records that another member already handled. Bounded (FIFO eviction) so memory stays
// flat; repeats come from the uncommitted tail, seconds old, far inside the bound.
class RecentIds {
public:
    explicit RecentIds(std::size_t capacity) : m_capacity(capacity) {}
    bool insert(const std::string &id) // true when `id` was not seen among the recent ones
    {
        std::lock_guard lock(m_mutex);
        if (!m_set.insert(id).second)
            return false;
        m_order.push_back(id);
        while (m_order.size() > m_capacity) {
            m_set.erase(m_order.front());
            m_order.pop_front();
        }
        return true;
    }

private:
    std::size_t m_capacity;
    std::mutex m_mutex;
    std::unordered_set<std::string> m_set;
    std::deque<std::string> m_order;
};

struct PipelineMetrics {
    TopicCounters produced;     // acknowledged by the cluster (all of our producers)
    TopicCounters consumed;     // handled by our group members
    std::atomic<std::int64_t> deliveryFailures{0};
    std::atomic<std::int64_t> mentionsProduced{0}; // mentions in acknowledged message.created events
    LatencyWindow produceAckLatency;
    LatencyWindow notificationLatency;
    BoundedLog<NotificationRecord> notifications{200};
    RecentIds notificationIds{200000};
    std::atomic<std::int64_t> notificationsDistinct{0};  // first delivery of a (message, recipient) notification
    std::atomic<std::int64_t> notificationDuplicates{0}; // the same notification again (at-least-once redelivery)
    BoundedLog<ErrorRecord> errors{100};
    std::atomic<std::int64_t> deadLettered{0};           // records any service sent to the dead-letter topic
    std::atomic<std::int64_t> orderViolations{0};        // a channel's message handled after a newer one of it
    std::atomic<std::int64_t> offsetResets{0};
    SearchCounters search;                               // the search indexer (all its members)
    ServiceMetrics services;                             // analytics, archive, state rebuilder

    void recordError(std::string source, const std::string &errorName, std::string message);
};

std::int64_t wallClockMs();

} // namespace kcl
