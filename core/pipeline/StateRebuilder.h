#pragma once
// The state rebuilder (group "state-rebuilder" + a suffix per replay, from the earliest offsets): event sourcing.
// It replays message.created / .updated / .deleted into the latest state of every message and compares that with
// the PostgreSQL write model (<schema>.messages). The three topics are separate, so their relative order is not
// guaranteed: the event timestamp is the version; an older event never overwrites a newer one; a delete is final.
// On a real cluster it also publishes each message's latest state to a compacted topic keyed by message_id
// (a tombstone when deleted), so the topic converges to the latest-state view.
#include "events/Event.h"
#include "kafka/GroupMember.h"
#include "kafka/Producer.h"

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace kcl {

inline constexpr const char *kRebuilderGroup = "state-rebuilder";
inline constexpr const char *kMessagesStateTopic = "platform.messages.state";

struct MessageState {
    std::string channelId, authorId, content;
    std::vector<std::string> mentions;
    std::int64_t createdAtMs = 0;  // the message.created event's timestamp (0 until it is seen)
    std::int64_t updatedAtMs = 0;  // the newest applied change (created, updated or deleted)
    bool deleted = false;
    bool operator==(const MessageState &) const = default;
};

// The rebuilt state. Thread-safe (members of the group apply concurrently; the engine thread reads).
class MessageStateStore {
public:
    enum class Outcome { Applied, Stale, NotAMessageEvent };
    Outcome apply(const Event &event);
    std::map<std::string, MessageState> copy() const;
    std::optional<MessageState> find(const std::string &messageId) const;
    std::size_t size() const;
    std::size_t deletedCount() const;

private:
    struct Versioned {
        MessageState state;
        std::int64_t contentVersion = INT64_MIN; // timestamp of the event whose content is kept
        std::int64_t deletedAtMs = INT64_MAX;    // edits at or after the delete are ignored; older ones still count
    };
    mutable std::mutex m_mutex;
    std::map<std::string, Versioned> m_messages;
    std::size_t m_deleted = 0;
};

// {"message_id","channel_id","author_id","content","mentions","created_at_ms","updated_at_ms","deleted"}
std::string messageStateJson(const std::string &messageId, const MessageState &s);

// "Caught up": the replay has read every record that existed when it began (the end offsets taken then).
class ReplayProgress {
public:
    // Targets: for each (topic, partition), the end offset (next offset to be written) when the replay began.
    void setTargets(std::map<std::pair<std::string, int>, std::int64_t> endOffsets);
    bool hasTargets() const;
    void recordRead(const std::string &topic, int partition, std::int64_t offset);
    bool caughtUp() const;

private:
    mutable std::mutex m_mutex;
    bool m_hasTargets = false;
    std::map<std::pair<std::string, int>, std::int64_t> m_remaining; // target end offset, removed once reached
};

// The end offsets of every partition of `topics` (a short-lived handle of its own). Blocks up to timeoutMs.
KafkaError queryEndOffsets(const std::map<std::string, std::string> &clusterProperties,
                           const std::vector<std::string> &topics,
                           std::map<std::pair<std::string, int>, std::int64_t> &out, int timeoutMs = 10000);

struct StateDifference {
    std::string messageId;
    std::string kind;   // "missing" (in the write model, not rebuilt), "extra" (rebuilt, not in it), "different"
    std::string field;  // for "different": the column, e.g. "content"
    std::string writeModel, rebuilt; // the two values, as text
    std::string toString() const;
};

// Reads <schema>.messages through Qt Sql (QPSQL) on a connection of its own (libpq keyword string, e.g.
// "host=127.0.0.1 port=5433 dbname=kcl user=kcl password=kcl") and lists every difference with `state`.
// Returns false with `error` set when the write model cannot be read.
bool compareWithWriteModel(const std::map<std::string, MessageState> &state, const std::string &sqlConnection,
                           const std::string &schema, std::vector<StateDifference> &differences, std::string &error);

struct RebuilderShared {
    MessageStateStore store;
    ReplayProgress progress;
    // Compared with the write model once, by the first member that sees the replay caught up ("" = never).
    std::string writeModelSql, writeModelSchema;
    std::atomic<bool> compared{false};
};

class StateRebuilderHandler : public MessageHandler {
public:
    // `stateTopic` empty: the latest state is not published (the embedded cluster has no compaction).
    StateRebuilderHandler(std::shared_ptr<RebuilderShared> shared, std::unique_ptr<Producer> producer,
                          std::string stateTopic, std::shared_ptr<GroupState> group, PipelineMetrics &metrics);
    void handle(const rd_kafka_message_t &record) override;
    void tick() override;
    bool prepareCommit() override;
    Producer *commitGate() override { return m_producer.get(); }

    // The first member to start takes the end offsets of `topics` as the replay's target.
    static HandlerFactory factory(std::shared_ptr<RebuilderShared> shared, std::vector<std::string> topics,
                                  std::map<std::string, std::string> clusterProperties,
                                  std::map<std::string, std::string> producerProperties, std::string stateTopic,
                                  std::shared_ptr<GroupState> group, PipelineMetrics &metrics);

private:
    void publish(const std::string &messageId);
    void compareOnce();
    std::shared_ptr<RebuilderShared> m_shared;
    std::unique_ptr<Producer> m_producer;
    std::string m_stateTopic;
    std::shared_ptr<GroupState> m_group;
    PipelineMetrics &m_metrics;
    std::string m_clientId;
};

} // namespace kcl
