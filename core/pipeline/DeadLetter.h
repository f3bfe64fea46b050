#pragma once
// The dead-letter topic: every service sends a record it cannot parse or apply there, with headers that name the
// service, the failing field, the reason and the record's source (topic, partition, offset), and keeps going.
// Shared by every service so the headers are the same everywhere (a lab or a student reads them back).
#include "kafka/Producer.h"

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace kcl {

struct GroupState;
struct PipelineMetrics;

// Header names on every dead-lettered record.
inline constexpr const char *kDeadLetterHeaderField = "kcl.error.field";
inline constexpr const char *kDeadLetterHeaderReason = "kcl.error.reason";
inline constexpr const char *kDeadLetterHeaderTopic = "kcl.source.topic";
inline constexpr const char *kDeadLetterHeaderPartition = "kcl.source.partition";
inline constexpr const char *kDeadLetterHeaderOffset = "kcl.source.offset";
inline constexpr const char *kDeadLetterHeaderService = "kcl.service";

// A consumed record kept after its rd_kafka_message_t is gone (e.g. buffered until a bulk request answered).
struct DeadLetterSource {
    std::string topic, key, value;
    std::int32_t partition = 0;
    std::int64_t offset = 0;
};
void sendToDeadLetter(Producer &producer, const DeadLetterSource &record, const std::string &service,
                      const std::string &field, const std::string &reason, GroupState &group,
                      PipelineMetrics &metrics);
// The dead-letter topic also takes records too large to be events (the poison "1 MB content"): producers that
// dead-letter raise their local size limit to this, and on a real cluster the topic's max.message.bytes too.
inline constexpr int kDeadLetterMaxBytes = 4 * 1024 * 1024;
std::map<std::string, std::string> withDeadLetterLimits(std::map<std::string, std::string> producerProperties);
// The producer of a consuming service (its output and its dead letters): dead-letter size limits, failed deliveries
// kept and sent again (the service's prepareCommit() calls flushDelivered(), so no commit passes a lost record), and
// the metadata of `topics` fetched up front.
std::unique_ptr<Producer> makeServiceProducer(const std::map<std::string, std::string> &producerProperties,
                                              const std::string &clientId, PipelineMetrics &metrics,
                                              const std::vector<std::string_view> &topics);
// The check every consuming service's prepareCommit() makes: true once everything `producer` sent (`what`, e.g.
// "dead letters") is acknowledged; otherwise records why (after 10 s) and says no, so nothing is committed this time.
bool acknowledgedBeforeCommit(Producer &producer, PipelineMetrics &metrics, const std::string &clientId,
                              const std::string &what);

// Sends `record` (key and value unchanged) to the dead-letter topic with the reason in headers, retrying while the
// producer's local queue is full. Counts it in `group.parseErrors` (per group) and `metrics.deadLettered` (all
// services), and records a readable error naming the service.
void sendToDeadLetter(Producer &producer, const rd_kafka_message_t &record, const std::string &service,
                      const std::string &field, const std::string &reason, GroupState &group,
                      PipelineMetrics &metrics);

} // namespace kcl
