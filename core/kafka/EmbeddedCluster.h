#pragma once
// The embedded cluster: librdkafka's mock cluster (rdkafka_mock.h) running inside the app.
// It speaks the Kafka protocol on loopback ports, has consumer groups, and can inject faults. It lacks
// CreateTopics/ListGroups/DescribeGroups, so topics are created through the mock API here.
// Thread-safety: call from one thread (the engine thread); the mock runs its own internal thread.
#include "kafka/Handles.h"
#include "kafka/KafkaError.h"
#include "metrics/Snapshot.h"

#include <string>
#include <vector>

namespace kcl {

class EmbeddedCluster {
public:
    explicit EmbeddedCluster(int brokers = 3); // throws KafkaConfigError
    ~EmbeddedCluster();
    EmbeddedCluster(const EmbeddedCluster &) = delete;
    EmbeddedCluster &operator=(const EmbeddedCluster &) = delete;

    const std::string &bootstrapServers() const { return m_bootstrap; }
    int brokerCount() const { return m_brokers; }

    KafkaError createTopic(const std::string &topic, int partitions, int replicationFactor);
    // Broker ids are 1..brokerCount(). A broker set down keeps its partitions' leadership: they stall until it
    // is up again (the mock does not elect a new leader), unless setPartitionLeader moves them.
    KafkaError setBrokerUp(int brokerId, bool up);
    KafkaError setBrokerRttMs(int brokerId, int rttMs);
    KafkaError setPartitionLeader(const std::string &topic, int partition, int brokerId);
    // The broker that coordinates a consumer group (its joins, heartbeats and commits).
    KafkaError setGroupCoordinator(const std::string &group, int brokerId);
    // The next `count` requests of the given API key fail with `error` (e.g. Produce=0, Fetch=1).
    void pushRequestErrors(int apiKey, rd_kafka_resp_err_t error, int count);
    // Drops the errors pushed for the API key that no request has taken yet.
    void clearRequestErrors(int apiKey);
    // The broker answers its next `count` requests of the API key `delayMs` later than it would (no error).
    KafkaError delayResponses(int brokerId, int apiKey, int delayMs, int count);

    std::vector<BrokerState> brokers() const { return m_state; }

    // True when these bootstrap servers are an embedded cluster's that is alive in this process.
    static bool serves(const std::string &bootstrapServers);
    // For a consumer that joins groups on an embedded cluster: its coordinator's answer to the metadata request the
    // group leader sends before its SyncGroup is held kLeaderSyncHoldMs, so that every follower syncs first. The mock
    // ends a sync when the leader's assignment arrives; a follower later than that is refused and a new rebalance
    // round (5 s) begins (see EmbeddedCluster.cpp).
    static void orderGroupSyncs(rd_kafka_conf_t *conf);
    static constexpr int kLeaderSyncHoldMs = 200;

private:
    KafkaError checkBroker(int brokerId) const;
    int m_brokers;
    KafkaHandle m_owner;          // the client handle the mock cluster is attached to (never polled)
    rd_kafka_mock_cluster_t *m_mock = nullptr; // destroyed in the destructor before m_owner
    std::string m_bootstrap;
    std::vector<BrokerState> m_state;
};

} // namespace kcl
