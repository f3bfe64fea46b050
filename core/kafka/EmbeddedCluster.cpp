#include "kafka/EmbeddedCluster.h"

#include <chrono>
#include <cstring>
#include <mutex>
#include <set>
#include <thread>

namespace kcl {
namespace {

std::mutex g_liveMutex;
std::set<std::string> g_liveBootstraps; // of the embedded clusters alive in this process

constexpr int16_t kMetadataApiKey = 3;
constexpr char kSyncOrderInterceptor[] = "kcl-group-sync-order";

// librdkafka's mock (2.0.2, and upstream still) ends a group's sync as soon as the leader's SyncGroup brings the
// assignments, whether or not every follower has sent its own SyncGroup; a follower that comes later is answered
// INVALID_REQUEST, rejoins, and a new round starts (session.timeout.ms - 1 s). On a busy machine (a CI run under
// AddressSanitizer) a follower that read its JoinGroup answer 3 ms after the leader was enough, round after round:
// six notification-service members consumed nothing for 20 s and a lab failed. A real broker waits for every member.
// Between its JoinGroup and its SyncGroup the leader, and only the leader, asks its coordinator for metadata (for the
// assignor); holding that answer here, on the client's coordinator thread, which has nothing else to do during the
// join, lets the followers' SyncGroups arrive first. Runs on a librdkafka broker thread.
rd_kafka_resp_err_t holdLeaderMetadata(rd_kafka_t *, int, const char *brokername, int32_t, int16_t apiKey, int16_t,
                                       int32_t, size_t, int64_t, rd_kafka_resp_err_t err, void *)
{
    if (apiKey == kMetadataApiKey && !err && brokername && std::strncmp(brokername, "GroupCoordinator", 16) == 0)
        std::this_thread::sleep_for(std::chrono::milliseconds(EmbeddedCluster::kLeaderSyncHoldMs));
    return RD_KAFKA_RESP_ERR_NO_ERROR;
}

rd_kafka_resp_err_t addLeaderMetadataHold(rd_kafka_t *rk, const rd_kafka_conf_t *, void *, char *, size_t)
{
    return rd_kafka_interceptor_add_on_response_received(rk, kSyncOrderInterceptor, &holdLeaderMetadata, nullptr);
}

} // namespace

bool EmbeddedCluster::serves(const std::string &bootstrapServers)
{
    std::lock_guard lock(g_liveMutex);
    return g_liveBootstraps.count(bootstrapServers) > 0;
}

void EmbeddedCluster::orderGroupSyncs(rd_kafka_conf_t *conf)
{
    rd_kafka_conf_interceptor_add_on_new(conf, kSyncOrderInterceptor, &addLeaderMetadataHold, nullptr);
}

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
    std::lock_guard lock(g_liveMutex);
    g_liveBootstraps.insert(m_bootstrap);
}

EmbeddedCluster::~EmbeddedCluster()
{
    {
        std::lock_guard lock(g_liveMutex);
        g_liveBootstraps.erase(m_bootstrap);
    }
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

KafkaError EmbeddedCluster::delayResponses(int brokerId, int apiKey, int delayMs, int count)
{
    if (auto e = checkBroker(brokerId))
        return e;
    for (int i = 0; i < count; ++i)
        if (const auto err = rd_kafka_mock_broker_push_request_error_rtts(m_mock, brokerId, static_cast<int16_t>(apiKey), 1,
                                                                          RD_KAFKA_RESP_ERR_NO_ERROR, delayMs))
            return KafkaError::fromCode(err);
    return {};
}

void EmbeddedCluster::clearRequestErrors(int apiKey)
{
    rd_kafka_mock_clear_request_errors(m_mock, static_cast<int16_t>(apiKey));
}

} // namespace kcl
