#pragma once
// A producer handle owned by exactly one thread: that thread produces and calls poll() to serve delivery
// reports. Delivery reports and errors are recorded into PipelineMetrics (the callbacks never block and
// never throw). The destructor flushes for up to 5 s, then destroys the handle.
#include "kafka/Handles.h"
#include "kafka/KafkaError.h"

#include <algorithm>
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace kcl {

struct PipelineMetrics;

class Producer {
public:
    Producer(std::map<std::string, std::string> properties, std::string clientId, PipelineMetrics &metrics);
    ~Producer();
    Producer(const Producer &) = delete;
    Producer &operator=(const Producer &) = delete;

    // Enqueues one record. `mentions` is counted into metrics when the record is acknowledged.
    // Returns _QUEUE_FULL when the local queue is full (poll and retry), or another error.
    KafkaError produce(std::string_view topic, std::string_view key, std::string_view value, int mentions = 0,
                       const std::vector<std::pair<std::string, std::string>> &headers = {});
    int poll(int timeoutMs = 0);
    bool flush(int timeoutMs);
    int outstanding() const;
    // Asks for the topics' metadata once, so the first record does not wait ~1 s for it.
    void warmUp(const std::vector<std::string_view> &topics, int timeoutMs = 5000);
    rd_kafka_t *handle() const { return m_rk.get(); }
    const std::string &clientId() const { return m_clientId; }
    std::int64_t acknowledged() const { return m_acked; }
    std::int64_t failed() const { return m_failed; }
    // For producers a consumer's commit depends on (dead letters, notifications): a record whose delivery failed
    // (any error: the topic is gone, too few in-sync replicas, the delivery timed out) is kept and sent again by
    // flushDelivered(), so an offset is never committed past a record that was lost on its way out.
    void keepFailedDeliveries() { m_keepFailed = true; }
    // Flushes and sends kept records again until everything produced so far is acknowledged (true), or the time is up
    // (false: what is left stays queued or kept for the next call).
    bool flushDelivered(int timeoutMs);
    // Sends the kept records again without waiting for anything (flushDelivered() without the flush); returns how
    // many were enqueued. What the local queue refuses stays kept.
    std::size_t resendKept();
    std::size_t keptForRedelivery() const { return m_kept.size(); }
    // A mark of everything produced so far, and whether all of it is acknowledged now (never blocks; serve the
    // delivery reports with poll() first). A consumer commits the offsets it stored at the mark once this holds,
    // without flushing: its own latency does not pay for the acknowledgements. False while a failed record waits
    // for flushDelivered() to send it again.
    std::uint64_t deliveryMark() const { return m_nextSeq; }
    bool acknowledgedThrough(std::uint64_t mark) const
    {
        return m_kept.empty() && m_flightBase >= std::max(mark, m_resendFloor);
    }

private:
    static void onDelivery(rd_kafka_t *, const rd_kafka_message_t *msg, void *opaque);
    static void onError(rd_kafka_t *, int err, const char *reason, void *opaque);
    std::string m_clientId;
    PipelineMetrics &m_metrics;
    KafkaHandle m_rk;
    std::int64_t m_acked = 0;  // touched only by the owning thread (delivery reports run inside poll())
    std::int64_t m_failed = 0;
    std::int64_t m_lastErrorLogMs = 0;
    struct KeptRecord {
        std::string topic, key, value;
        std::vector<std::pair<std::string, std::string>> headers;
        int mentions = 0;
    };
    bool m_keepFailed = false;
    std::vector<KeptRecord> m_kept; // failed deliveries waiting to be sent again (keepFailedDeliveries())
    // Records in flight by sequence number (the opaque carries it): m_flights[i] is record m_flightBase + i. Settled
    // ones are popped from the front, so every record below m_flightBase has its delivery report.
    struct Flight {
        std::uint64_t enqueuedMicros = 0;
        bool settled = false;
    };
    std::deque<Flight> m_flights;
    std::uint64_t m_flightBase = 0;
    std::uint64_t m_nextSeq = 0;
    std::uint64_t m_resendFloor = 0; // records sent again by flushDelivered() are all below this
    // Acknowledgement latencies of the delivery reports of one poll()/flush(), added to the metrics in one go
    // (one lock per poll instead of one per record).
    std::vector<double> m_ackLatencies;
    void publishAckLatencies();
    // Topic handles by name: produce() hands librdkafka the handle, not the name, which spares a copy of the name
    // and librdkafka's lookup of it under a lock for every record. Declared after m_rk: destroyed before it.
    struct CachedTopic {
        std::string name;
        TopicHandle handle;
    };
    std::vector<CachedTopic> m_topics;
    rd_kafka_topic_t *topicHandle(std::string_view name);
};

} // namespace kcl
