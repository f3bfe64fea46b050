#include "pipeline/DeadLetter.h"

#include "events/Topics.h"
#include "kafka/GroupMember.h"
#include "metrics/PipelineMetrics.h"

namespace kcl {

std::map<std::string, std::string> withDeadLetterLimits(std::map<std::string, std::string> producerProperties)
{
    producerProperties["message.max.bytes"] = std::to_string(kDeadLetterMaxBytes);
    return producerProperties;
}

std::unique_ptr<Producer> makeServiceProducer(const std::map<std::string, std::string> &producerProperties,
                                              const std::string &clientId, PipelineMetrics &metrics,
                                              const std::vector<std::string_view> &topics)
{
    auto producer = std::make_unique<Producer>(withDeadLetterLimits(producerProperties), clientId, metrics);
    producer->keepFailedDeliveries();
    producer->warmUp(topics);
    return producer;
}

bool acknowledgedBeforeCommit(Producer &producer, PipelineMetrics &metrics, const std::string &clientId,
                              const std::string &what)
{
    if (producer.flushDelivered(10000))
        return true;
    metrics.recordError(clientId, "_TIMED_OUT", what + " were not all acknowledged within 10 s; nothing committed this time");
    return false;
}

void sendToDeadLetter(Producer &producer, const rd_kafka_message_t &record, const std::string &service,
                      const std::string &field, const std::string &reason, GroupState &group,
                      PipelineMetrics &metrics)
{
    DeadLetterSource source;
    source.topic = record.rkt ? rd_kafka_topic_name(record.rkt) : "";
    source.key.assign(static_cast<const char *>(record.key), record.key ? record.key_len : 0);
    source.value.assign(static_cast<const char *>(record.payload), record.payload ? record.len : 0);
    source.partition = record.partition;
    source.offset = record.offset;
    sendToDeadLetter(producer, source, service, field, reason, group, metrics);
}

void sendToDeadLetter(Producer &producer, const DeadLetterSource &record, const std::string &service,
                      const std::string &field, const std::string &reason, GroupState &group,
                      PipelineMetrics &metrics)
{
    const std::string &value = record.value;
    const std::string &key = record.key;
    const std::string &sourceTopic = record.topic;
    const std::vector<std::pair<std::string, std::string>> headers = {
        {kDeadLetterHeaderField, field},
        {kDeadLetterHeaderReason, reason},
        {kDeadLetterHeaderTopic, sourceTopic},
        {kDeadLetterHeaderPartition, std::to_string(record.partition)},
        {kDeadLetterHeaderOffset, std::to_string(record.offset)},
        {kDeadLetterHeaderService, service},
    };
    // The dead-letter topic must not lose what it is given: retry while the local queue is full.
    KafkaError e;
    for (int attempt = 0; attempt < 1000; ++attempt) {
        e = producer.produce(topics::kDeadLetter, key, value, 0, headers);
        if (e.code != RD_KAFKA_RESP_ERR__QUEUE_FULL)
            break;
        producer.poll(10);
    }
    group.parseErrors.fetch_add(1, std::memory_order_relaxed);
    metrics.deadLettered.fetch_add(1, std::memory_order_relaxed);
    if (e)
        metrics.recordError(producer.clientId(), e.name, "sending a record to the dead-letter topic failed: " + e.sentence());
    else
        metrics.recordError(service, "_BAD_MSG",
                            "a record of " + sourceTopic + " [" + std::to_string(record.partition) + "] at offset " +
                                std::to_string(record.offset) + " went to the dead-letter topic: " +
                                (field.empty() ? reason : field + ": " + reason));
}

} // namespace kcl
