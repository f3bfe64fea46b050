#pragma once
// Administrative calls on a real cluster (topic creation, metadata) through a handle of its own, owned and
// used by one thread (the engine thread). Calls block up to their timeout: never call from the GUI thread.
// Not for the embedded cluster: it has no CreateTopics (use EmbeddedCluster::createTopic).
#include "kafka/Handles.h"
#include "kafka/KafkaError.h"
#include "metrics/Snapshot.h"

#include <map>
#include <string>
#include <vector>

namespace kcl {

struct ClusterMetadata {
    std::vector<BrokerState> brokers;                 // brokers the cluster reports (all "up")
    std::map<std::string, int> partitionsByTopic;
    std::map<std::string, std::vector<std::int32_t>> leadersByTopic; // leader broker per partition
};

class ClusterAdmin {
public:
    explicit ClusterAdmin(const std::map<std::string, std::string> &clusterProperties); // throws KafkaConfigError
    // Creates the topics that do not exist yet, with `configs` (e.g. cleanup.policy=compact); "already exists" is
    // not an error (an existing topic keeps its configs: see alterTopicConfigs).
    KafkaError ensureTopics(const std::vector<std::string> &topics, int partitions, int replicationFactor,
                            int timeoutMs = 15000, const std::map<std::string, std::string> &configs = {});
    // Sets configs of an existing topic. librdkafka 2.0 has only the non-incremental AlterConfigs: the topic's
    // other dynamic (non-default) configs return to their defaults, so pass every config the topic needs.
    KafkaError alterTopicConfigs(const std::string &topic, const std::map<std::string, std::string> &configs,
                                 int timeoutMs = 15000);
    KafkaError metadata(ClusterMetadata &out, int timeoutMs = 2000);
    // Deletes consumer groups (with their committed offsets); a group that does not exist (any more) is not an
    // error. A group with members is refused by the cluster (NON_EMPTY_GROUP).
    KafkaError deleteGroups(const std::vector<std::string> &groups, int timeoutMs = 10000);

private:
    KafkaHandle m_rk;
};

} // namespace kcl
