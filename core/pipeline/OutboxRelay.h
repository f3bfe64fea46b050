#pragma once
// The outbox relay: the CQRS write side's way to Kafka. Its own thread, its own PostgreSQL connection and its own
// idempotent producer (enable.idempotence=true, acks=all). It takes unsent outbox rows in id order, a batch at a time
// (FOR UPDATE SKIP LOCKED: two relays never publish the same row at once), produces them keyed as stored, waits for
// Kafka's delivery reports, and marks sent_at_ms only on the rows Kafka acknowledged (at-least-once: a row is
// published again if the relay dies between the acknowledgement and the mark). While Kafka is down the rows wait;
// the relay backs off (no spinning), reports pending rows and the oldest one's age, and they flow when Kafka returns.
#include "pipeline/WriteSideCounters.h"

#include <QString>
#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>

namespace kcl {

struct PipelineMetrics;
class SqlSession;
class TrackedProducer;

struct OutboxRelayOptions {
    std::string sqlConnection;                         // libpq-style
    QString schema = QStringLiteral("kcl");
    std::map<std::string, std::string> producerProperties; // bootstrap, security; idempotence and acks are forced
    int batchSize = 500;
    int idlePollMs = 20;          // how often an empty outbox is looked at again
    int messageTimeoutMs = 10000; // how long one batch may wait for Kafka before it is retried
    int maxBackoffMs = 5000;      // longest pause between attempts while Kafka or PostgreSQL is down
    int statsIntervalMs = 500;    // how often pending rows are counted
    std::string clientId = "outbox-relay";
};

class OutboxRelay {
public:
    OutboxRelay(OutboxRelayOptions options, WriteSideCounters &counters, PipelineMetrics *metrics = nullptr);
    ~OutboxRelay(); // stops and joins
    OutboxRelay(const OutboxRelay &) = delete;
    OutboxRelay &operator=(const OutboxRelay &) = delete;

    void start();
    void stop(); // gives up the batch in flight (its unacknowledged rows stay unsent), then returns
    // Which Kafka the relay produces to from its next connection on (tests: a closed port first, then the broker).
    // Takes effect at once: the current producer is dropped after its batch.
    void setProducerProperties(std::map<std::string, std::string> properties);
    std::int64_t relayed() const { return m_counters.relayed.load(); }
    // The relay producer's configuration: `given` (bootstrap, security) with idempotence and acks=all forced over
    // whatever it says (the outbox's at-least-once with no duplicates depends on them) and the batch timeout.
    static std::map<std::string, std::string> producerProperties(std::map<std::string, std::string> given,
                                                                 int messageTimeoutMs);
    bool running() const { return m_thread.joinable(); }

private:
    void run();
    enum class BatchOutcome { Empty, Relayed, KafkaFailed, SqlFailed };
    BatchOutcome relayBatch(SqlSession &sql, TrackedProducer &producer, QString *error);
    void refreshPending(SqlSession &sql);
    void pause(int ms);
    OutboxRelayOptions m_options;
    WriteSideCounters &m_counters;
    PipelineMetrics *m_metrics;
    std::mutex m_mutex; // guards m_newProperties and the pause
    std::condition_variable m_wake;
    std::map<std::string, std::string> m_newProperties;
    bool m_propertiesChanged = false;
    std::atomic<bool> m_stop{false};
    std::uint64_t m_batchNumber = 0;      // relay thread only
    std::set<std::string> m_warmTopics;   // topics whose metadata the current producer has (relay thread only)
    std::thread m_thread;
};

} // namespace kcl
