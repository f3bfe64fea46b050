#pragma once
// LagMonitor: consumer lag, time lag, group status, rebalances and per-topic throughput, from the cluster's own
// answers (never from our consumers' positions). Its rd_kafka_t handles are used by exactly one thread: the
// monitor thread (startThread) or, for the CLI, the thread that calls cycle().
//
// A cycle on a real cluster: ListConsumerGroups, one DescribeConsumerGroups for all groups, ListConsumerGroupOffsets
// for each group (librdkafka 2.0.2 takes one group per request; they are sent together and awaited together),
// and end/start offsets of every partition in one ListOffsets request per partition leader (offsets_for_times),
// once as read_uncommitted (high watermark) and once as read_committed (last stable offset).
// On the embedded cluster (no ListGroups/DescribeGroups) it covers the app's own groups: membership from their
// rebalance callbacks (setOwnGroups), offsets from OffsetFetch through a never-subscribed handle with the group's
// id (rd_kafka_committed), and says so.
#include "kafka/Handles.h"
#include "metrics/LagReport.h"
#include "metrics/RingBuffer.h"
#include "metrics/Snapshot.h"

#include <atomic>
#include <compare>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

namespace kcl {

class LagMonitor {
public:
    struct OwnGroup {
        std::string groupId;
        std::vector<std::string> topics;
        std::vector<MemberInfo> members;
    };
    struct Options {
        std::map<std::string, std::string> clusterProperties;
        bool embedded = false;
        std::optional<std::string> onlyGroup;  // restrict to one group
        int windowCycles = 10;                  // status window (Burrow's default of 10 offsets)
        int requestTimeoutMs = 5000;
        std::size_t historySamples = 3600;      // lag/throughput history per series (1 h at 1 s)
    };
    explicit LagMonitor(Options options); // throws KafkaConfigError
    // The configuration of the client that lists groups and fetches their committed offsets (the tests use it to
    // show that a NOT_COORDINATOR answer does not crash it).
    static std::map<std::string, std::string> adminClientProperties(std::map<std::string, std::string> cluster);
    ~LagMonitor();
    LagMonitor(const LagMonitor &) = delete;
    LagMonitor &operator=(const LagMonitor &) = delete;

    // One monitor cycle on the calling thread (which must be the only one using this monitor).
    LagReport cycle();

    void startThread(int intervalMs = 1000);
    void stopThread();
    // Around a planned broker stop (labs on the local lab stack): librdkafka 2.0's admin client can crash when a
    // broker goes away under one of its group requests (its issue #4605). pauseGroupRequests(true) returns once no
    // group request is in flight; while paused, cycles reuse the groups and committed offsets of the last cycle.
    // renewClients() makes the next cycle start with new clients (which know only the brokers still up).
    // Any thread.
    void pauseGroupRequests(bool paused);
    void renewClients();
    LagReportPtr latest() const;
    void setOwnGroups(std::vector<OwnGroup> groups); // thread-safe; used on the embedded cluster

    struct Point { std::int64_t atMs; double value; };
    std::vector<Point> lagHistory(const std::string &groupId) const;   // total lag over time (bounded)
    std::vector<Point> rateHistory(const std::string &topic) const;    // messages/s over time (bounded)
    // How many partitions, groups and topics the monitor keeps state for (tests: it follows the cluster, so a
    // deleted topic or group is forgotten instead of kept for the life of the app).
    struct TrackedState { std::size_t partitions = 0, groupPartitions = 0, groupSeries = 0, topicSeries = 0; };
    TrackedState trackedState() const; // on the thread that runs cycle()

private:
    struct GroupView {
        std::string groupId, state, assignor;
        std::vector<GroupMemberRow> members;
        std::set<std::pair<std::string, std::int32_t>> partitions; // to report (committed or assigned)
        std::map<std::pair<std::string, std::int32_t>, std::int64_t> committed;
        std::vector<std::string> topics; // embedded: subscribed topics
        std::string error;
    };
    void listAndDescribeGroups(std::vector<GroupView> &groups, LagReport &report);
    void ownGroupViews(std::vector<GroupView> &groups);
    void fetchCommitted(std::vector<GroupView> &groups, const std::map<std::string, int> &partitionsByTopic,
                        LagReport &report);
    std::map<std::pair<std::string, std::int32_t>, std::int64_t>
    queryOffsets(rd_kafka_t *rk, const std::set<std::pair<std::string, std::int32_t>> &parts, std::int64_t spec,
                 const std::map<std::pair<std::string, std::int32_t>, std::int32_t> &leaders, LagReport &report,
                 const char *what);
    void trackRebalances(GroupLagReport &g, const GroupView &v, std::int64_t now);
    // librdkafka's error callback (its background thread): records the last client-level error (authentication,
    // TLS, brokers down), which says why a request timed out; it only records, under its own lock.
    static void onClientError(rd_kafka_t *rk, int err, const char *reason, void *opaque);
    std::string takeClientError();
    // (Re)creates m_rk and m_rkCommitted. librdkafka 2.0 keeps every broker it has ever seen: after a broker stops,
    // its admin requests (ListConsumerGroups fans out to every known broker) reconnect to the dead one thousands of
    // times a second until they time out, and a timed-out admin request can crash it (librdkafka #4605). Fresh
    // handles know only the brokers the cluster still lists.
    void createHandles();
    // Transaction markers: for each partition (with its committed offset), whether only markers lie between the
    // committed offset and the last stable offset. Reads them with m_rkProbe (read_committed, assigned at the committed
    // offsets, all partitions at once): a record means "records remain", partition EOF without one means "only
    // markers". Verdicts are cached per (partition, committed, last stable, end), so a partition that stays put costs
    // one read, not one per cycle. Returns the partitions with a conclusive "only markers" verdict.
    struct ProbeKey {
        std::string topic;
        std::int32_t partition;
        std::int64_t committed, lastStable, end;
        auto operator<=>(const ProbeKey &) const = default;
    };
    struct ProbeVerdict {
        bool markersOnly = false;
        bool conclusive = false;  // false: neither a record nor the end arrived in time; asked again later
        std::int64_t atMs = 0;
    };
    std::set<ProbeKey> markersOnly(const std::vector<ProbeKey> &candidates, std::int64_t now, LagReport &report);

    Options m_options;
    KafkaHandle m_rk;          // read_uncommitted: high watermarks, metadata, admin requests
    KafkaHandle m_rkCommitted; // read_committed: last stable offsets
    KafkaHandle m_rkProbe;     // read_committed, made on first use: reads what lies after committed offsets
    std::map<ProbeKey, ProbeVerdict> m_probeCache; // bounded (probeCacheSize), the oldest verdicts go first
    static constexpr std::size_t probeCacheSize = 4096;
    std::set<std::int32_t> m_handleBrokers; // the brokers m_rk has learned of from the cluster's metadata
    std::atomic<bool> m_groupRequestsPaused{false}, m_renewClients{false};
    std::mutex m_groupRequestMutex;          // held by the cycle thread while group requests are in flight
    std::map<std::string, KafkaHandle> m_groupHandles; // embedded: one never-subscribed handle per group for OffsetFetch
    // state kept across cycles (touched only by the cycle thread)
    std::map<std::pair<std::string, std::int32_t>, OffsetTimeHistory> m_endHistory;
    std::map<std::string, std::map<std::pair<std::string, std::int32_t>, std::vector<LagSample>>> m_windows;
    std::map<std::string, std::map<std::string, std::string>> m_lastMembers; // group -> consumerId -> clientId
    std::map<std::string, std::string> m_lastAssignment; // group -> canonical assignment text
    std::map<std::string, std::vector<RebalanceRecord>> m_rebalances; // timeline, the last 100
    std::map<std::string, RebalanceWindow> m_rebalanceWindows;        // frequency over the last minute/hour
    std::map<std::string, int> m_rebalanceCount;
    std::map<std::pair<std::string, std::int32_t>, std::pair<std::int64_t, std::int64_t>> m_lastEnd; // end, atMs
    // (group, topic, partition) -> committed offset, atMs: the previous cycle's, for the cluster-side read rate.
    std::map<std::tuple<std::string, std::string, std::int32_t>, std::pair<std::int64_t, std::int64_t>> m_lastCommitted;
    std::vector<GroupView> m_lastGroups;                                 // real clusters: the last groups listed
    std::map<std::string, int> m_lastPartitionsByTopic;                  // the last metadata that arrived
    std::map<std::pair<std::string, std::int32_t>, std::int32_t> m_lastLeaders;
    std::map<std::pair<std::string, std::int32_t>, std::pair<std::vector<std::int32_t>, std::vector<std::int32_t>>> m_lastReplicas;

    mutable std::mutex m_mutex; // guards the members below
    LagReportPtr m_latest;
    std::vector<OwnGroup> m_ownGroups;
    std::map<std::string, RingBuffer<Point>> m_lagSeries, m_rateSeries;

    std::mutex m_clientErrorMutex; // guards m_clientError only; never held across a librdkafka call
    std::string m_clientError;

    std::atomic<bool> m_stop{false};
    std::thread m_thread;
};

} // namespace kcl
