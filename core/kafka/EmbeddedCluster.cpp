#include "kafka/EmbeddedCluster.h"

namespace kcl {

EmbeddedCluster::EmbeddedCluster(int brokers)
    : m_brokers(brokers)
{
    if (brokers < 1 || brokers > 9)
        throw KafkaConfigError("the embedded cluster needs 1 to 9 brokers, not " + std::to_string(brokers));
    // The owner handle only hosts the mock; it never connects anywhere itself.
    m_owner = makeHandle(RD_KAFKA_PRODUCER, makeConf({{"client.id", "kcl-embedded-cluster"}, {"log_level", "3"}}));
    m_mock = rd_kafka_mock_cluster_new(m_owner.get(), brokers);
    if (!m_mock)
        throw KafkaConfigError("librdkafka could not start the embedded (mock) cluster");
    m_bootstrap = rd_kafka_mock_cluster_bootstraps(m_mock);
    for (int i = 1; i <= brokers; ++i)
        m_state.push_back({i, true});
}

EmbeddedCluster::~EmbeddedCluster()
{
    if (m_mock)
        rd_kafka_mock_cluster_destroy(m_mock);
}

KafkaError EmbeddedCluster::createTopic(const std::string &topic, int partitions, int replicationFactor)
{
    if (replicationFactor > m_brokers)
        replicationFactor = m_brokers;
    return KafkaError::fromCode(rd_kafka_mock_topic_create(m_mock, topic.c_str(), partitions, replicationFactor));
}

KafkaError EmbeddedCluster::checkBroker(int brokerId) const
{
    if (brokerId < 1 || brokerId > m_brokers)
        return KafkaError::fromCode(RD_KAFKA_RESP_ERR__INVALID_ARG,
                                    "broker " + std::to_string(brokerId) + " does not exist in the embedded cluster (1.." +
                                        std::to_string(m_brokers) + ")");
    return {};
}

KafkaError EmbeddedCluster::setBrokerUp(int brokerId, bool up)
{
    if (auto e = checkBroker(brokerId))
        return e;
    const auto err = up ? rd_kafka_mock_broker_set_up(m_mock, brokerId) : rd_kafka_mock_broker_set_down(m_mock, brokerId);
    if (!err)
        m_state[brokerId - 1].up = up;
    return KafkaError::fromCode(err);
}

KafkaError EmbeddedCluster::setBrokerRttMs(int brokerId, int rttMs)
{
    if (auto e = checkBroker(brokerId))
        return e;
    return KafkaError::fromCode(rd_kafka_mock_broker_set_rtt(m_mock, brokerId, rttMs));
}

KafkaError EmbeddedCluster::setPartitionLeader(const std::string &topic, int partition, int brokerId)
{
    if (auto e = checkBroker(brokerId))
        return e;
    return KafkaError::fromCode(rd_kafka_mock_partition_set_leader(m_mock, topic.c_str(), partition, brokerId));
}

KafkaError EmbeddedCluster::setGroupCoordinator(const std::string &group, int brokerId)
{
    if (auto e = checkBroker(brokerId))
        return e;
    return KafkaError::fromCode(rd_kafka_mock_coordinator_set(m_mock, "group", group.c_str(), brokerId));
}

void EmbeddedCluster::pushRequestErrors(int apiKey, rd_kafka_resp_err_t error, int count)
{
    std::vector<rd_kafka_resp_err_t> errs(static_cast<std::size_t>(count), error);
    rd_kafka_mock_push_request_errors_array(m_mock, static_cast<int16_t>(apiKey), errs.size(), errs.data());
}

void EmbeddedCluster::clearRequestErrors(int apiKey)
{
    rd_kafka_mock_clear_request_errors(m_mock, static_cast<int16_t>(apiKey));
}

} // namespace kcl
