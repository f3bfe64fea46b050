#pragma once
// The search indexer (group "search-indexer"): message.created / .updated / .deleted events into the search node's
// `messages` index through _bulk, so students can search what was said.
//
// Idempotent: the document id is the message_id and every write is an "index" with version_type=external and
// version = event timestamp * 4 + kind (created 0, updated 1, deleted 2; the kind breaks ties within one ms, a delete
// wins). The node keeps the highest version, so a replay, a duplicate or an older event that arrives late (the three
// topics are not ordered with each other) answers 409 and changes nothing; a 409 counts as done, not as a failure.
// Deletes are soft: a message.deleted writes a document {deleted: true, no content} with its own external version,
// and every query excludes deleted documents. A real DELETE would leave only a tombstone, which the node forgets
// after index.gc_deletes (60 s by default); a created event replayed after that (a new group, a reset) would bring
// the message back. The soft-delete document never expires, so "never resurrect" holds for any replay.
//
// Offsets are the handler's own (MessageHandler::storesOwnOffsets): a record's offset is stored only after the bulk
// that carries it was answered per document (written, 409, or dead-lettered with the node's reason). When the node is
// down or answers 429/5xx the buffer is kept and the same bulk is retried with capped exponential backoff; once the
// buffer is full the member pauses its partitions (lag grows, nothing is lost, nothing is committed early). On
// revocation the unacknowledged rest is dropped: the next owner re-reads it from the last commit.
#include "events/Event.h"
#include "kafka/GroupMember.h"
#include "kafka/Producer.h"
#include "metrics/SearchCounters.h"
#include "pipeline/DeadLetter.h"
#include "sinks/SearchClient.h"

#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace kcl {

inline constexpr const char *kSearchIndexerGroup = "search-indexer";

struct SearchIndexerOptions {
    std::string searchUrl = "http://127.0.0.1:9200";
    std::string index = kSearchIndexDefault;
    int batchSize = 500;           // documents per _bulk
    int maxBufferAgeMs = 150;      // a partial batch is sent once its oldest record is this old
    int maxBuffered = 4000;        // records held before the member pauses its partitions
    int requestTimeoutMs = 10000;
    int backoffInitialMs = 100;
    int backoffMaxMs = 5000;
};

// The external version of an event's document (see above).
std::int64_t searchVersion(std::int64_t timestampMs, EventType type);

class SearchIndexer : public MessageHandler {
public:
    SearchIndexer(SearchIndexerOptions options, std::unique_ptr<Producer> deadLetters, std::shared_ptr<GroupState> group,
                  PipelineMetrics &metrics, SearchCounters &counters, std::string clientId);
    ~SearchIndexer() override;

    void handle(const rd_kafka_message_t &record) override;
    void tick() override;
    bool prepareCommit() override;
    Producer *commitGate() override { return m_deadLetters.get(); }
    void finishBeforeLastCommit() override;
    bool storesOwnOffsets() const override { return true; }
    void attachOffsetStore(OffsetStore store) override { m_storeOffsets = std::move(store); }
    bool saturated() const override { return static_cast<int>(m_buffer.size()) >= m_options.maxBuffered; }
    void partitionsRevoked(const std::vector<TopicPartitionRef> &partitions) override;

    // Builds one indexer per member, on the member's thread (its own HTTP client and dead-letter producer).
    static HandlerFactory factory(SearchIndexerOptions options, std::map<std::string, std::string> producerProperties,
                                  std::shared_ptr<GroupState> group, PipelineMetrics &metrics, SearchCounters &counters);

private:
    struct Entry {
        DeadLetterSource source;                // kept for the dead-letter topic if the node rejects the document
        std::optional<BulkIndexAction> action;  // none: nothing to write (another event type, or dead-lettered)
        EventType type = EventType::MessageCreated;
    };
    // Sends the buffer's first batch; true when it was answered (the batch is then done and its offsets stored).
    bool flushBatch();
    // Sends batches while one is due (full or old enough) and the node is not in backoff; unless forced, for at most
    // kFlushBudget (the member's commit interval).
    void flushDue(bool force);
    static constexpr std::chrono::milliseconds kFlushBudget{1000};
    // Created events that lost on version to an edit of their message indexed first (the edit has no creation time):
    // writes the creation time into those documents that still lack it, at their own version. False with *error when
    // the node did not answer (the batch is then sent again).
    bool fillCreationTimes(const std::map<QString, qint64> &createdAtById, QString *error);
    void nodeFailed(const QString &error);
    void nodeAnswered();
    void storeOffsetsOf(std::size_t entries);

    SearchIndexerOptions m_options;
    std::unique_ptr<Producer> m_deadLetters;
    std::shared_ptr<GroupState> m_group;
    PipelineMetrics &m_metrics;
    SearchCounters &m_counters;
    std::string m_clientId;
    SearchClient m_client;
    OffsetStore m_storeOffsets;
    std::deque<Entry> m_buffer;
    int m_actionsBuffered = 0;
    std::chrono::steady_clock::time_point m_oldest{};     // when the buffer's first record arrived
    std::chrono::steady_clock::time_point m_nextAttempt{}; // backoff: no request before this
    int m_backoffMs = 0;
    bool m_indexReady = false;
    int m_nodeState = kSearchNodeUnknown; // a SearchNodeState; errors are recorded when it changes
};

} // namespace kcl
