#pragma once
// One member of a consumer group: its own rd_kafka_t, created, polled, closed and destroyed on its own
// thread (so members can be added and removed live and rebalances are real). The member's MessageHandler is
// built on that thread too, so anything the handler owns (e.g. a producer) has the same single owner.
// Offsets: stored after the handler returns (at-least-once), committed every second and on revocation/close,
// each time after what the handler produced is acknowledged: the periodic commit of a handler with a commitGate()
// waits for that without blocking; the others, and every last commit, call prepareCommit() (which flushes what the
// handler produced, and may refuse the commit).
// A handler whose sink acknowledges later (e.g. a search node fed in bulk) stores its own offsets instead, through the
// OffsetStore it is given, once the sink acknowledged the records; while it says it is saturated the member pauses its
// partitions and keeps polling (heartbeats and rebalances are served, the poll interval is never exceeded).
#include "kafka/Handles.h"
#include "kafka/KafkaError.h"
#include "metrics/LatencyWindow.h"
#include "metrics/Snapshot.h"

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace kcl {

struct PipelineMetrics;
class Producer;

// The next offset to read on one partition: everything before it is acknowledged by the handler's sink.
struct OffsetToStore {
    std::string topic;
    std::int32_t partition = 0;
    std::int64_t nextOffset = 0;
};
// Stores offsets for the next commit. Call on the member's thread only (from handle(), tick(), prepareCommit()).
// Partitions this member no longer owns are skipped (their new owner re-reads them); returns how many were stored.
using OffsetStore = std::function<int(const std::vector<OffsetToStore> &)>;

class MessageHandler {
public:
    virtual ~MessageHandler() = default;
    // Called for each record on the member's thread. Must not throw (exceptions are caught and counted).
    virtual void handle(const rd_kafka_message_t &record) = 0;
    // Called every poll cycle (about every 50 ms), e.g. to serve an owned producer.
    virtual void tick() {}
    // Called before every commit (each second, on revocation, on close): flush what the offsets cover, and say
    // false when it is not acknowledged yet (nothing is committed this time).
    virtual bool prepareCommit() { return true; }
    // The producer whose records the stored offsets depend on (notifications, dead letters, latest-state records),
    // when prepareCommit() only waits for its acknowledgements. Then the periodic commit does not flush: it takes a
    // mark of what that producer sent and the offsets stored at that moment, and commits them once the mark is
    // acknowledged (a flush would hold the member's records back for a round trip every second). After
    // GroupMember::kCommitWaitLimit without that, it falls back to prepareCommit(), which also sends failed records again.
    virtual Producer *commitGate() { return nullptr; }
    // Called before the last commit for partitions this member gives up (revocation, close), before prepareCommit():
    // send what is still buffered, so the next owner re-reads little. The periodic commit does not wait for that.
    virtual void finishBeforeLastCommit() {}
    // True: the member does not store offsets after handle(); the handler stores them through the OffsetStore given
    // to attachOffsetStore() (before the first record) when its sink acknowledged the records.
    virtual bool storesOwnOffsets() const { return false; }
    virtual void attachOffsetStore(OffsetStore) {}
    // True while the handler cannot take more records (e.g. its buffer is full because its sink is down): the member
    // pauses its partitions until it is false again. Records already fetched may still arrive and must be accepted.
    virtual bool saturated() const { return false; }
    // The member lost these partitions (after its last commit for them): drop what was not acknowledged yet.
    virtual void partitionsRevoked(const std::vector<TopicPartitionRef> &) {}
};
using HandlerFactory = std::function<std::unique_ptr<MessageHandler>(const std::string &clientId)>;

// Shared by the members of one group: rebalance timeline and counters (short locks only).
struct GroupState {
    std::string groupId;
    std::mutex mutex;
    std::vector<RebalanceEvent> timeline;  // bounded (last 200)
    int rebalances = 0;
    std::int64_t lastAssignMs = 0;
    std::atomic<std::int64_t> consumed{0};
    std::atomic<std::int64_t> parseErrors{0};
    // Periodic commit rounds of the members, and of them those that waited kCommitWaitLimit for the commit gate's
    // acknowledgements and flushed instead (GroupMember::commitPeriodically): how often the fallback blocks a member.
    std::atomic<std::int64_t> periodicCommits{0};
    std::atomic<std::int64_t> commitFallbacks{0};
    LatencyWindow consumeLatency;          // record timestamp (CreateTime) to handled, ms
    void recordRebalance(const std::string &clientId, bool assigned, int partitions);
};

class GroupMember {
public:
    struct Config {
        std::string groupId;
        std::string clientId;
        std::vector<std::string> topics;
        std::map<std::string, std::string> properties; // cluster properties (bootstrap, security, timings)
        std::string autoOffsetReset = "earliest";
        int processingDelayMs = 0;                      // artificial slowness per record ("slow a consumer")
        int membersInGroup = 1;                         // the group's size the member joins with: its pre-fetch share
    };
    // librdkafka pre-fetches up to 64 MiB per consumer by default (queued.max.messages.kbytes), and a member that
    // falls behind fills that queue and keeps the pages. A lab runs many members in one process, so each gets this
    // bound unless the cluster profile sets its own. Half the default: one member parsing every event on the embedded
    // cluster (kcl-bench --only consume) reads 133k events/s with 32 MiB as with 64, but 90k with 16 and 49k with 8,
    // because the fetches are cut to the bound (fetch.max.bytes follows it).
    static constexpr int kPrefetchKiB = 32 * 1024;
    // A group that falls behind keeps every member's pre-fetch full (the bound counts payload bytes; librdkafka's
    // per-record overhead comes on top): 6 notification-service members at 32 MiB held 60 to 140 MiB more heap
    // than with this budget (docs/benchmarks.md). So a group shares one budget: each member gets budget / members,
    // at most kPrefetchKiB (one or two members keep the full consume rate) and at least kMinPrefetchKiB.
    static constexpr int kGroupPrefetchBudgetKiB = 64 * 1024;
    static constexpr int kMinPrefetchKiB = 8 * 1024;
    static int prefetchKiBFor(int membersInGroup);
    // How long a periodic commit waits for its commit gate's acknowledgements before it flushes instead.
    static constexpr std::chrono::seconds kCommitWaitLimit{5};
    // The librdkafka properties a member's consumer is made with: the cluster's, plus the member's own.
    static std::map<std::string, std::string> consumerProperties(const Config &config);

    GroupMember(Config config, HandlerFactory factory, std::shared_ptr<GroupState> group, PipelineMetrics &metrics);
    ~GroupMember(); // requests stop and joins
    GroupMember(const GroupMember &) = delete;
    GroupMember &operator=(const GroupMember &) = delete;

    void requestStop() { m_stop.store(true); }
    bool finished() const { return m_finished.load(); }
    void join();
    void setProcessingDelayMs(int ms) { m_delayMs.store(ms); }
    const std::string &clientId() const { return m_config.clientId; }
    // The librdkafka properties this member's consumer is made with (its pre-fetch share among them).
    std::map<std::string, std::string> madeWith() const { return consumerProperties(m_config); }
    MemberInfo info() const;
    std::int64_t consumed() const { return m_consumed.load(); }
    bool paused() const { return m_paused.load(); } // partitions paused for a saturated handler
    // How often the member woke its leaders' fetchers after its queue had reached librdkafka's limit (FetchRestarter.h).
    std::int64_t fetchRestarts() const { return m_fetchRestarts.load(); }

private:
    void run(HandlerFactory factory);
    static void onRebalance(rd_kafka_t *rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t *parts, void *opaque);
    static void onError(rd_kafka_t *, int err, const char *reason, void *opaque);
    void commitStored(rd_kafka_t *rk, bool last); // last: revocation or close (synchronous, after finishBeforeLastCommit)
    void commitPeriodically(rd_kafka_t *rk, std::chrono::steady_clock::time_point now);
    void reportCommitError(rd_kafka_resp_err_t err);
    void noteStored(std::string topic, std::int32_t partition, std::int64_t nextOffset);
    int storeOffsets(rd_kafka_t *rk, const std::vector<OffsetToStore> &offsets);
    // The offsets on partitions this member owns now, as a librdkafka list (empty when there is none).
    TopicPartitionListHandle ownedOffsetList(const std::vector<OffsetToStore> &offsets) const;
    void setPaused(rd_kafka_t *rk, bool paused);
    void restartFetching(rd_kafka_t *rk);
    void leaveGroup(rd_kafka_t *rk);

    Config m_config;
    std::shared_ptr<GroupState> m_group;
    PipelineMetrics &m_metrics;
    std::atomic<bool> m_stop{false};
    std::atomic<bool> m_finished{false};
    std::atomic<int> m_delayMs{0};
    std::atomic<std::int64_t> m_consumed{0};
    std::atomic<bool> m_paused{false};
    std::atomic<std::int64_t> m_fetchRestarts{0};
    std::atomic<int> m_rebalanceCallbacks{0}; // how many times onRebalance ran (leaveGroup waits for quiet)
    mutable std::mutex m_infoMutex;
    std::vector<TopicPartitionRef> m_assignment;
    bool m_joined = false;
    MessageHandler *m_handler = nullptr; // owned by run()'s stack; used by the rebalance callback on the same thread
    // The periodic commit (member thread only): offsets stored since the last revocation, and a commit waiting for
    // its gate's mark (see MessageHandler::commitGate).
    struct PendingCommit {
        std::uint64_t mark = 0;
        std::vector<OffsetToStore> offsets;
        std::chrono::steady_clock::time_point since;
    };
    std::map<TopicPartitionRef, std::int64_t> m_storedOffsets;
    bool m_storedSinceSnapshot = false;
    std::optional<PendingCommit> m_pendingCommit;
    std::chrono::steady_clock::time_point m_lastCommit;
    std::thread m_thread;
};

} // namespace kcl
