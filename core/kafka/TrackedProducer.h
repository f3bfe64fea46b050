#pragma once
// A producer that tells its owner the fate of each record it enqueued: every record carries a tag (e.g. an outbox
// row id), and after poll() the owner takes the delivery results (acknowledged, or failed with the error). Owned and
// polled by exactly one thread. Acknowledged records are also counted into PipelineMetrics when one is given, so
// the dashboard's topic rates include them.
#include "kafka/Handles.h"
#include "kafka/KafkaError.h"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace kcl {

struct PipelineMetrics;

struct DeliveryResult {
    std::uint64_t tag = 0;
    KafkaError error;          // empty when Kafka acknowledged the record
    std::int64_t ackedAtMs = 0;
};

class TrackedProducer {
public:
    // Throws KafkaConfigError when the configuration is refused.
    TrackedProducer(std::map<std::string, std::string> properties, std::string clientId, PipelineMetrics *metrics = nullptr);
    ~TrackedProducer(); // waits up to 2 s for records in flight, then destroys the handle
    TrackedProducer(const TrackedProducer &) = delete;
    TrackedProducer &operator=(const TrackedProducer &) = delete;

    // Enqueues one record (copied); _QUEUE_FULL means poll and retry.
    KafkaError produce(std::string_view topic, std::string_view key, std::string_view value, std::uint64_t tag);
    void poll(int timeoutMs);
    // Asks for the topic's metadata once (up to timeoutMs), so its first record does not wait ~1 s for it.
    void warmUp(const std::string &topic, int timeoutMs);
    int inFlight() const;
    // Gives up the records not yet acknowledged: each gets a failed delivery result (_PURGE_QUEUE/_PURGE_INFLIGHT)
    // at the next poll. A purged record may still have reached Kafka: at-least-once callers send it again later.
    void purge();
    std::vector<DeliveryResult> takeDeliveries();
    // The last error librdkafka reported on its own (broker down, ...), cleared when a record is acknowledged.
    const KafkaError &lastClientError() const { return m_lastClientError; }
    const std::string &clientId() const { return m_clientId; }

private:
    static void onDelivery(rd_kafka_t *, const rd_kafka_message_t *msg, void *opaque);
    static void onError(rd_kafka_t *, int err, const char *reason, void *opaque);
    std::string m_clientId;
    PipelineMetrics *m_metrics;
    std::vector<DeliveryResult> m_results; // filled by callbacks inside poll(), on the owning thread
    KafkaError m_lastClientError;
    KafkaHandle m_rk;
};

} // namespace kcl
