#pragma once
// The cluster a broker-facing test runs against, chosen by the environment so the same test code runs on
// the embedded cluster and on the real local lab stack:
//   KCL_TEST_CLUSTER=embedded (default) | local      KCL_TEST_BOOTSTRAP (default 127.0.0.1:9092 for local)
// On a real cluster every test uses topics with a unique name, so runs never see each other's data.
#include "kafka/ClusterAdmin.h"
#include "kafka/EmbeddedCluster.h"
#include "kafka/GroupMember.h"
#include "kafka/Handles.h"
#include "kafka/KafkaError.h"
#include "pipeline/PipelineEngine.h"

#include <QRandomGenerator>
#include <QString>
#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace kcl::test {

class TestCluster {
public:
    TestCluster()
    {
        const QByteArray kind = qgetenv("KCL_TEST_CLUSTER");
        if (kind.isEmpty() || kind == "embedded") {
            m_embedded = std::make_unique<EmbeddedCluster>(3);
            m_bootstrap = m_embedded->bootstrapServers();
        } else if (kind == "local") {
            const QByteArray b = qgetenv("KCL_TEST_BOOTSTRAP");
            m_bootstrap = b.isEmpty() ? "127.0.0.1:9092" : b.toStdString();
            m_admin = std::make_unique<ClusterAdmin>(std::map<std::string, std::string>{{"bootstrap.servers", m_bootstrap}});
            ClusterMetadata md;
            if (auto e = m_admin->metadata(md, 10000))
                throw std::runtime_error("the local lab stack at " + m_bootstrap + " is not reachable (" + e.sentence() +
                                         "); start it with 'kafka-collab-lab stack up' or run 'ctest -LE real'");
            m_brokers = static_cast<int>(md.brokers.size());
        } else {
            throw std::runtime_error("KCL_TEST_CLUSTER must be 'embedded' or 'local', not '" + kind.toStdString() + "'");
        }
    }
    bool isEmbedded() const { return m_embedded != nullptr; }
    EmbeddedCluster *embedded() const { return m_embedded.get(); }
    const std::string &bootstrap() const { return m_bootstrap; }
    int brokers() const { return m_embedded ? m_embedded->brokerCount() : m_brokers; }

    ClusterProfile profile() const
    {
        if (m_embedded)
            return ClusterProfile::embedded(3);
        ClusterProfile p;
        p.kind = ClusterProfile::Kind::Local;
        p.bootstrapServers = m_bootstrap;
        return p;
    }

    // A fresh topic with a unique name; returns its name.
    std::string createTopic(const std::string &base, int partitions)
    {
        const std::string name = base + "-" + std::to_string(QRandomGenerator::global()->generate());
        const int rf = std::min(3, brokers());
        KafkaError e = m_embedded ? m_embedded->createTopic(name, partitions, rf) : m_admin->ensureTopics({name}, partitions, rf);
        if (e)
            throw std::runtime_error("creating topic " + name + ": " + e.sentence());
        waitUntilVisible(name);
        return name;
    }

    // A real cluster creates a topic asynchronously: a consumer that subscribes before every broker knows it sees
    // "Subscribed topic not available" and picks it up only at its next metadata refresh (minutes later).
    void waitUntilVisible(const std::string &topic)
    {
        if (m_embedded)
            return;
        for (int attempt = 0; attempt < 150; ++attempt) {
            ClusterMetadata md;
            if (!m_admin->metadata(md, 2000)) {
                const auto it = md.leadersByTopic.find(topic);
                if (it != md.leadersByTopic.end() && !it->second.empty() &&
                    std::none_of(it->second.begin(), it->second.end(), [](std::int32_t leader) { return leader < 0; }))
                    return;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        throw std::runtime_error("topic " + topic + " was created but did not appear in the cluster's metadata within 15 s");
    }

    std::map<std::string, std::string> producerProperties() const
    {
        return {{"bootstrap.servers", m_bootstrap}, {"acks", "all"}, {"linger.ms", "5"}, {"log_level", "3"}};
    }
    // The group's committed offset per partition of `topic` (RD_KAFKA_OFFSET_INVALID, -1001, when none), asked of the
    // cluster through a handle that never joins the group. Throws when the cluster does not answer.
    std::map<int, std::int64_t> committedOffsets(const std::string &group, const std::string &topic, int partitions) const
    {
        auto props = consumerProperties();
        props["group.id"] = group;
        props["enable.auto.commit"] = "false";
        KafkaHandle rk = makeHandle(RD_KAFKA_CONSUMER, makeConf(props));
        TopicPartitionListHandle list(rd_kafka_topic_partition_list_new(partitions));
        for (int p = 0; p < partitions; ++p)
            rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), p);
        const auto err = rd_kafka_committed(rk.get(), list.get(), 10000);
        rd_kafka_consumer_close(rk.get());
        if (err)
            throw std::runtime_error("reading the committed offsets of " + group + ": " + KafkaError::fromCode(err).sentence());
        std::map<int, std::int64_t> out;
        for (int i = 0; i < list->cnt; ++i)
            out[list->elems[i].partition] = list->elems[i].offset;
        return out;
    }
    std::map<std::string, std::string> consumerProperties() const
    {
        std::map<std::string, std::string> p{{"bootstrap.servers", m_bootstrap}, {"log_level", "3"},
                                             {"session.timeout.ms", "6000"}, {"heartbeat.interval.ms", "1000"}};
        p["fetch.wait.max.ms"] = m_embedded ? "10" : "100";
        return p;
    }

private:
    std::unique_ptr<EmbeddedCluster> m_embedded;
    std::unique_ptr<ClusterAdmin> m_admin;
    std::string m_bootstrap;
    int m_brokers = 1;
};

struct ConsumedRecord {
    std::string topic, key, value, clientId;
    int partition = 0;
    std::int64_t offset = 0;
};

// Collects every record the members of a group handle (thread-safe).
class RecordSink {
public:
    void add(ConsumedRecord r)
    {
        std::lock_guard lock(m_mutex);
        m_records.push_back(std::move(r));
    }
    std::vector<ConsumedRecord> records() const
    {
        std::lock_guard lock(m_mutex);
        return m_records;
    }
    std::size_t size() const
    {
        std::lock_guard lock(m_mutex);
        return m_records.size();
    }

    HandlerFactory factory()
    {
        return [this](const std::string &clientId) -> std::unique_ptr<MessageHandler> {
            struct Recorder : MessageHandler {
                RecordSink *sink;
                std::string clientId;
                void handle(const rd_kafka_message_t &m) override
                {
                    ConsumedRecord r;
                    r.topic = rd_kafka_topic_name(m.rkt);
                    r.partition = m.partition;
                    r.offset = m.offset;
                    r.clientId = clientId;
                    if (m.key)
                        r.key.assign(static_cast<const char *>(m.key), m.key_len);
                    if (m.payload)
                        r.value.assign(static_cast<const char *>(m.payload), m.len);
                    sink->add(std::move(r));
                }
            };
            auto h = std::make_unique<Recorder>();
            h->sink = this;
            h->clientId = clientId;
            return h;
        };
    }

private:
    mutable std::mutex m_mutex;
    std::vector<ConsumedRecord> m_records;
};

} // namespace kcl::test
