#pragma once
// The engine's inner parts, used from one thread (the engine thread): the cluster connection (embedded mock
// cluster or bootstrap servers), the backend workload, the consumer services, the shared metrics, and the
// snapshot builder. PipelineEngine wraps it in a QObject; tests and benchmarks may use it directly.
#include "kafka/ClusterAdmin.h"
#include "kafka/EmbeddedCluster.h"
#include "metrics/LagMonitor.h"
#include "metrics/PipelineMetrics.h"
#include "pipeline/BackendWorkload.h"
#include "pipeline/ConsumerGroupService.h"
#include "pipeline/EventTail.h"
#include "pipeline/OutboxRelay.h"
#include "pipeline/ReadLoad.h"
#include "pipeline/PipelineEngine.h"

#include <chrono>
#include <vector>
#include <deque>
#include <map>
#include <memory>
#include <string>

class QThread;

namespace kcl {

class Pipeline {
public:
    explicit Pipeline(PipelineOptions options);
    ~Pipeline();

    // Starts the embedded cluster (if chosen), creates the topics, starts the configured services.
    // Throws KafkaConfigError with a readable reason when the cluster cannot be used.
    void start();
    void stop();

    const std::string &bootstrapServers() const { return m_bootstrap; }
    EmbeddedCluster *embedded() const { return m_embedded.get(); }
    PipelineMetrics &metrics() { return m_metrics; }
    BackendWorkload *workload() const { return m_workload.get(); }
    ConsumerGroupService *service(const std::string &groupId) const;
    // The services (consumer groups) this pipeline can run on its cluster, by name.
    std::vector<std::string> availableServices() const;
    // Artificial processing delay per record for every member of a running service ("slow a consumer").
    KafkaError setProcessingDelayMs(const std::string &groupId, int ms);
    LagMonitor *lagMonitor() const { return m_lagMonitor.get(); }

    // Client properties for this cluster (bootstrap, security, timings suited to it).
    std::map<std::string, std::string> producerProperties() const;
    std::map<std::string, std::string> consumerProperties() const;

    void setWorkloadRate(double rate);
    void setWorkloadRunning(bool running);
    // Starts the group's service on first use; 0 members stops all of them.
    KafkaError setGroupMembers(const std::string &groupId, int members);
    // Embedded: the mock broker stops/starts at once. Local lab stack: labstack.sh stop-broker/start-broker N runs on a
    // thread of its own (a failure shows in the snapshot's errors). External clusters: refused.
    KafkaError setBrokerUp(int brokerId, bool up);
    KafkaError setBrokerRttMs(int brokerId, int rttMs);
    // Rewinds ("earliest") or fast-forwards ("latest") a service group's committed offsets: its members leave
    // (blocks until they have closed), the offsets are committed, and as many members as before rejoin.
    KafkaError resetGroupOffsets(const std::string &groupId, const std::string &to);
    // Message events keyed by channel (the default: per-channel order) or sent without a key (spread over partitions).
    void setWorkloadKeyed(bool keyed);

    // The Events page: tail `topic` ("" stops), and produce one event given as the guide's JSON envelope (parsed
    // strictly first; sent to its event type's topic with the key PRODUCT.md gives it). The produce is acknowledged
    // asynchronously: a failure shows in the snapshot's errors.
    void setTailTopic(const std::string &topic);
    KafkaError produceEventJson(const std::string &json, std::string *description = nullptr);

    // Labs: `count` records on `topic` that are valid JSON but not an event (a poison message), keyed "poison-N".
    KafkaError injectPoison(const std::string &topic, int count);
    // Event sourcing: drops the running state rebuilder (if any) and starts a new one, in a group of its own that
    // replays the message topics from the beginning.
    KafkaError replayState(int members = 1);
    // Compaction: reads the compacted latest-state topic from its start, on a thread of its own, and reports its
    // records, keys and tombstones in the snapshot (services.rebuilder.census). Real clusters only.
    KafkaError censusStateTopic();
    // The CQRS read side under load: `readers` threads searching the index, plus (in a CQRS write mode) a probe
    // measuring write-to-searchable delay. 0 stops it. Needs the cluster profile's search node.
    KafkaError setReaders(int readers);
    // The PostgreSQL of the write side and of the rebuilder's comparison (libpq style).
    std::string sqlConnection() const;

    std::shared_ptr<Snapshot> buildSnapshot();
    QString clusterDescription() const;

private:
    void forgetReplayGroup(const ConsumerGroupService &rebuilder); // deletes a stopped replay's group (real cluster)
    std::unique_ptr<ConsumerGroupService> makeService(const std::string &groupId);
    KafkaError ensureManualProducer();
    void dropOwnSqlSchema(); // PipelineOptions::dropSqlSchemaAtStop
    int m_poisonInjected = 0;
    std::unique_ptr<ReadLoad> m_readLoad;
    std::map<std::int32_t, BrokerState> m_knownBrokers; // real clusters: every broker seen, up or not
    std::vector<std::unique_ptr<QThread>> m_brokerCommands; // local lab stack: stop-broker / start-broker, in order
    std::unique_ptr<QThread> m_census;                      // the running (or last) census of the state topic
    std::unique_ptr<ConsumerGroupService> makeDataService(const std::string &groupId); // PipelineServices.cpp
    PipelineOptions m_options;
    PipelineMetrics m_metrics;
    std::unique_ptr<EmbeddedCluster> m_embedded;
    std::unique_ptr<ClusterAdmin> m_admin;
    std::string m_bootstrap;
    std::unique_ptr<BackendWorkload> m_workload;
    std::unique_ptr<LagMonitor> m_lagMonitor;
    std::unique_ptr<EventTail> m_tail;
    std::unique_ptr<Producer> m_manualProducer;  // events produced by hand; owned and polled by the engine thread
    std::map<std::string, std::unique_ptr<ConsumerGroupService>> m_services;
    std::chrono::steady_clock::time_point m_startedAt;
    // The CQRS write side, when PipelineOptions::writeMode is not direct: migrations, the workload's message writer
    // and (outbox mode) the relay.
    void startWriteSide();
    std::unique_ptr<WriteSideCounters> m_writeCounters;
    std::unique_ptr<OutboxRelay> m_outboxRelay;

    // Rate computation: totals sampled at each snapshot; rates over the last second.
    struct Totals {
        std::chrono::steady_clock::time_point at;
        std::vector<std::int64_t> inMsgs, inBytes, outMsgs, outBytes;
        std::map<std::string, std::int64_t> groupConsumed;
        std::int64_t produced = 0;
    };
    std::deque<Totals> m_history;
    ClusterMetadata m_metadata;
    std::chrono::steady_clock::time_point m_lastMetadata{};
};

} // namespace kcl
