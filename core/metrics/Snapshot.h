#pragma once
// An immutable picture of the pipeline, published a few times a second by the engine thread and shared
// read-only (std::shared_ptr<const Snapshot>) with the ui and the headless CLI. Plain values, no pointers
// into memory that a worker still mutates.
#include "metrics/LagReport.h"
#include "metrics/WriteSideStats.h"
#include "metrics/SearchStats.h"
#include "metrics/ServiceStats.h"
#include "labs/LabProgress.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace kcl {

struct TopicPartitionRef {
    std::string topic;
    std::int32_t partition = 0;
    bool operator==(const TopicPartitionRef &) const = default;
    auto operator<=>(const TopicPartitionRef &) const = default;
};

struct TopicRates {
    std::string topic;
    int partitions = 0;
    double msgsInPerSec = 0, bytesInPerSec = 0;   // produced by our clients (acknowledged)
    double msgsOutPerSec = 0, bytesOutPerSec = 0; // consumed by our group members
    std::int64_t totalIn = 0, totalOut = 0;       // since start
};

struct MemberInfo {
    std::string clientId;                          // e.g. "notification-service-2"
    std::vector<TopicPartitionRef> assignment;     // as its own rebalance callback reported it
    std::int64_t consumed = 0;
    bool joined = false;                           // has received its first assignment
    std::int64_t fetchRestarts = 0;                // fetchers woken after a full queue (kafka/FetchRestarter.h)
};

struct RebalanceEvent {
    std::int64_t atMs = 0;
    std::string clientId;
    std::string kind;                              // "assigned" or "revoked"
    int partitions = 0;
};

struct LatencySummary {
    std::int64_t count = 0;
    double p50 = 0, p90 = 0, p99 = 0, max = 0;     // milliseconds
};

// The CQRS read side under load (core/pipeline/ReadLoad.h), when a lab or the user starts it.
struct ReadLoadStats {
    bool running = false;
    int readers = 0;
    std::int64_t searches = 0;            // answered searches (all readers)
    std::int64_t searchErrors = 0;
    LatencySummary searchLatency;         // round trip, last 10 s
    std::int64_t probesPosted = 0;        // probe messages committed to PostgreSQL
    std::int64_t probesFound = 0;         // of which a search found
    std::int64_t probesWaiting = 0;       // posted, not found yet
    std::int64_t oldestWaitingMs = 0;     // age of the oldest probe not found yet
    LatencySummary searchableDelay;       // post committed until a search finds it, last 60 s
    std::string lastError;
};

struct GroupInfo {
    std::string groupId;
    std::string service;                           // the pipeline service running the group, e.g. "notification-service"
    int processingDelayMs = 0;                     // artificial slowness per record ("slow a consumer")
    std::vector<MemberInfo> members;
    int rebalances = 0;                            // assignment callbacks with ASSIGN across members
    double consumedPerSec = 0;
    std::int64_t consumedTotal = 0;
    std::int64_t parseErrors = 0;                  // events that could not be parsed (sent to the DLT)
    std::int64_t periodicCommits = 0;              // commit rounds of the members (about one a second each)
    std::int64_t commitFallbacks = 0;              // of them: waited 5 s for the service's producer, then flushed it
    std::vector<RebalanceEvent> recentRebalances;  // bounded
    LatencySummary consumeLatency;                 // record created (CreateTime) to handled
};

struct NotificationRecord {
    std::string notificationId, recipientId, authorId, channelId, messageId, text;
    std::int64_t createdAtMs = 0, notifiedAtMs = 0;
    double latencyMs = 0;                          // created (event timestamp) to notified
};

struct BrokerState {
    std::int32_t id = 0;
    bool up = true;
};

struct ErrorRecord {
    std::int64_t atMs = 0;
    std::string source;                            // "producer", "notification-service-1", ...
    std::string errorName;                         // librdkafka's name, e.g. "_TRANSPORT"
    std::string message;                           // a readable sentence
};

// A record of the tailed topic (the Events page), decoded.
struct TailRecord {
    std::string topic;
    std::int32_t partition = 0;
    std::int64_t offset = 0;
    std::int64_t timestampMs = 0;
    std::string key;
    std::string value;                             // the raw value (cut at EventTail::kMaxValueBytes)
    bool valueCut = false;
    std::vector<std::pair<std::string, std::string>> headers;
    bool parsed = false;
    std::string eventType;                         // when parsed
    std::string summary;                           // when parsed: one line; otherwise the parse error
};

struct Snapshot {
    std::int64_t atMs = 0;                         // wall clock when taken
    double uptimeSec = 0;
    std::string clusterDescription;                // "embedded (3 brokers)", "127.0.0.1:9092", ...
    std::vector<BrokerState> brokers;
    std::vector<TopicRates> topics;
    std::vector<GroupInfo> groups;

    double producedPerSec = 0;                     // acknowledged by the cluster, all topics
    std::int64_t producedTotal = 0;
    std::int64_t deliveryFailures = 0;
    double workloadRate = 0;                       // the rate the workload is asked for (events/s)
    bool workloadRunning = false;
    bool workloadKeyed = true;                     // message events keyed by channel (false: no key)
    std::vector<std::string> availableServices;    // services this pipeline can run (start with members > 0)

    std::vector<NotificationRecord> recentNotifications; // newest last, bounded
    std::int64_t notificationsTotal = 0;             // every notification sent, repeats included
    std::int64_t notificationsDistinct = 0;          // distinct (message, recipient) notifications
    std::int64_t notificationDuplicates = 0;         // repeats after a rebalance (at-least-once)
    std::int64_t mentionsProduced = 0;             // mentions in acknowledged message.created events
    LatencySummary notificationLatency;            // over a sliding window
    LatencySummary produceAckLatency;

    std::vector<ErrorRecord> recentErrors;         // bounded: the last 100, oldest first
    std::int64_t errorsRecorded = 0;               // every error ever recorded, so a reader can tell the new ones
    std::int64_t deadLettered = 0;                 // records any service sent to the dead-letter topic
    std::int64_t orderViolations = 0;              // per-channel order broken (seen by notification-service)
    std::int64_t offsetResets = 0;                 // group offset resets done by the pipeline

    LagReportPtr lag;                              // the lag monitor's latest cycle (null until the first)
    WriteSideStats writeSide;                      // the CQRS write side (mode "direct" when it is off)

    std::string tailTopic;                         // the topic the Events page tails ("" when none)
    std::vector<TailRecord> tail;                  // its newest records, oldest first, bounded
    std::string tailError;
    SearchStats search;                            // the search indexer (running = false when not started)
    ReadLoadStats readLoad;                        // searches and write-to-searchable probes (running = false when off)
    ServiceStats services;                         // analytics, archive, state rebuilder
    LabProgressPtr lab;                            // the running lab's progress (the last lab's after its end)
};

using SnapshotPtr = std::shared_ptr<const Snapshot>;

} // namespace kcl
