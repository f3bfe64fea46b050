#pragma once
// What the LagMonitor reports each cycle: plain values, shared read-only.
#include "metrics/LagMath.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kcl {

struct PartitionLagRow {
    std::string topic;
    std::int32_t partition = 0;
    std::optional<std::int64_t> committed;   // none: the group has not committed an offset for this partition
    std::int64_t logStart = -1;              // -1 when unknown
    std::int64_t logEnd = -1;                // high watermark (what kafka-consumer-groups shows)
    std::int64_t lastStable = -1;            // last stable offset (read_committed consumers read up to here)
    std::optional<std::int64_t> lag;         // logEnd - committed
    std::optional<std::int64_t> lagCommitted;// lastStable - committed (lag of a read_committed consumer)
    double timeLagSec = 0;                   // estimate, see OffsetTimeHistory
    bool timeLagKnown = false;
    bool timeLagLowerBound = false;
    bool committedBelowLogStart = false;
    // The group has read everything here: between the committed offset and the last stable offset lie only
    // transaction markers (no record a read_committed consumer can read), found by reading the partition. lag and
    // lagCommitted keep their values (they match kafka-consumer-groups); the group status counts it as caught up.
    bool markersOnly = false;
    std::string consumerId, host, clientId;  // "" when no member owns the partition
    std::string error;                       // why a figure is missing, if it is
};

struct GroupMemberRow {
    std::string consumerId, clientId, host;
    std::vector<std::pair<std::string, std::int32_t>> assignment;
};

// A change of a group's membership or assignment seen between two monitor cycles (librdkafka 2.0.2 does not
// report the generation id, so a rebalance that ends with the same members and partitions is not seen).
struct RebalanceRecord {
    std::int64_t atMs = 0;                   // the cycle that saw it (wall clock)
    std::vector<std::string> joined, left;   // client ids
    int membersAfter = 0;
};

struct GroupLagReport {
    std::string groupId;
    std::string state;                       // Stable, PreparingRebalance, CompletingRebalance, Empty, Dead, Unknown
    std::string assignor;
    std::vector<GroupMemberRow> members;
    std::vector<PartitionLagRow> rows;       // sorted by topic, partition
    std::int64_t totalLag = 0;               // over rows with a known lag
    double maxTimeLagSec = 0;                // estimate; 0 when no partition's time lag is known
    bool maxTimeLagKnown = false;            // some partition has a time-lag estimate
    bool maxTimeLagLowerBound = false;       // the largest one is "at least" (older than the history)
    GroupStatus status = GroupStatus::Ok;
    std::string statusReason;
    int rebalances = 0;                      // observed by the monitor since it started
    int rebalancesLastMinute = 0, rebalancesLastHour = 0; // see RebalanceWindow
    std::vector<RebalanceRecord> recentRebalances; // the join/leave timeline, newest last, the last 20
};

struct TopicThroughputRow {
    std::string topic;
    int partitions = 0;
    double messagesPerSec = 0;               // from end-offset deltas: every producer counts
    // Read by every group, from committed-offset deltas (the cluster's side of "out"; a group counts when it
    // commits, so the figure moves in steps of the groups' commit intervals). Kafka's protocol carries no byte
    // counts: bytes/s come only from the app's own clients (or a broker's JMX metrics, which the app does not read).
    double consumedPerSec = 0;
    std::int64_t messages = 0;               // sum over partitions of (end - start): what the log holds
    std::vector<std::int64_t> messagesPerPartition;
    std::vector<std::int32_t> leaderPerPartition;
    std::vector<std::vector<std::int32_t>> replicasPerPartition; // broker ids, the preferred leader first
    std::vector<std::vector<std::int32_t>> isrPerPartition;      // in-sync replicas as the cluster reports them
    double skew = 0;                         // max / mean of messagesPerPartition (1 = even)
};

struct LagReport {
    std::int64_t atMs = 0;
    double cycleMs = 0;                      // how long the cycle took
    std::string coverage;                    // what the monitor can and cannot see on this cluster
    std::vector<GroupLagReport> groups;
    std::vector<TopicThroughputRow> topics;
    std::map<std::int32_t, int> leadersPerBroker;
    std::vector<std::string> errors;         // this cycle's problems, in sentences
};

using LagReportPtr = std::shared_ptr<const LagReport>;

} // namespace kcl
