#include "kafka/ClusterAdmin.h"

namespace kcl {

ClusterAdmin::ClusterAdmin(const std::map<std::string, std::string> &clusterProperties)
{
    auto props = clusterProperties;
    props["client.id"] = "kcl-admin";
    m_rk = makeHandle(RD_KAFKA_PRODUCER, makeConf(props));
}

KafkaError ClusterAdmin::ensureTopics(const std::vector<std::string> &topics, int partitions, int replicationFactor,
                                      int timeoutMs, const std::map<std::string, std::string> &configs)
{
    std::vector<NewTopicHandle> owned;
    std::vector<rd_kafka_NewTopic_t *> raw;
    char err[512];
    for (const auto &t : topics) {
        NewTopicHandle nt(rd_kafka_NewTopic_new(t.c_str(), partitions, replicationFactor, err, sizeof err));
        if (!nt)
            return KafkaError::fromCode(RD_KAFKA_RESP_ERR__INVALID_ARG, "topic " + t + ": " + err);
        for (const auto &[name, value] : configs)
            if (auto e = rd_kafka_NewTopic_set_config(nt.get(), name.c_str(), value.c_str()))
                return KafkaError::fromCode(e, "topic " + t + ": config " + name + "=" + value);
        raw.push_back(nt.get());
        owned.push_back(std::move(nt));
    }
    QueueHandle queue(rd_kafka_queue_new(m_rk.get()));
    AdminOptionsHandle options(rd_kafka_AdminOptions_new(m_rk.get(), RD_KAFKA_ADMIN_OP_CREATETOPICS));
    rd_kafka_AdminOptions_set_operation_timeout(options.get(), timeoutMs, err, sizeof err);
    rd_kafka_AdminOptions_set_request_timeout(options.get(), timeoutMs, err, sizeof err);
    rd_kafka_CreateTopics(m_rk.get(), raw.data(), raw.size(), options.get(), queue.get());
    EventHandle ev(rd_kafka_queue_poll(queue.get(), timeoutMs + 2000));
    if (!ev)
        return KafkaError::fromCode(RD_KAFKA_RESP_ERR__TIMED_OUT, "creating topics timed out");
    if (auto e = rd_kafka_event_error(ev.get()))
        return KafkaError::fromCode(e, rd_kafka_event_error_string(ev.get()));
    const auto *result = rd_kafka_event_CreateTopics_result(ev.get());
    size_t n = 0;
    const rd_kafka_topic_result_t **results = rd_kafka_CreateTopics_result_topics(result, &n);
    for (size_t i = 0; i < n; ++i) {
        const auto code = rd_kafka_topic_result_error(results[i]);
        if (code && code != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
            const char *msg = rd_kafka_topic_result_error_string(results[i]);
            return KafkaError::fromCode(code, std::string("topic ") + rd_kafka_topic_result_name(results[i]) + ": " +
                                                  (msg ? msg : ""));
        }
    }
    return {};
}

KafkaError ClusterAdmin::alterTopicConfigs(const std::string &topic, const std::map<std::string, std::string> &configs,
                                           int timeoutMs)
{
    using ConfigResourceHandle = std::unique_ptr<rd_kafka_ConfigResource_t, CDeleter<&rd_kafka_ConfigResource_destroy>>;
    ConfigResourceHandle resource(rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, topic.c_str()));
    for (const auto &[name, value] : configs)
        if (auto e = rd_kafka_ConfigResource_set_config(resource.get(), name.c_str(), value.c_str()))
            return KafkaError::fromCode(e, "topic " + topic + ": config " + name + "=" + value);
    char err[512];
    QueueHandle queue(rd_kafka_queue_new(m_rk.get()));
    AdminOptionsHandle options(rd_kafka_AdminOptions_new(m_rk.get(), RD_KAFKA_ADMIN_OP_ALTERCONFIGS));
    rd_kafka_AdminOptions_set_request_timeout(options.get(), timeoutMs, err, sizeof err);
    rd_kafka_ConfigResource_t *raw = resource.get();
    rd_kafka_AlterConfigs(m_rk.get(), &raw, 1, options.get(), queue.get());
    EventHandle ev(rd_kafka_queue_poll(queue.get(), timeoutMs + 2000));
    if (!ev)
        return KafkaError::fromCode(RD_KAFKA_RESP_ERR__TIMED_OUT, "changing the configs of topic " + topic + " timed out");
    if (auto e = rd_kafka_event_error(ev.get()))
        return KafkaError::fromCode(e, rd_kafka_event_error_string(ev.get()));
    size_t n = 0;
    const rd_kafka_ConfigResource_t **results =
        rd_kafka_AlterConfigs_result_resources(rd_kafka_event_AlterConfigs_result(ev.get()), &n);
    for (size_t i = 0; i < n; ++i)
        if (auto code = rd_kafka_ConfigResource_error(results[i])) {
            const char *msg = rd_kafka_ConfigResource_error_string(results[i]);
            return KafkaError::fromCode(code, "topic " + topic + ": " + (msg ? msg : ""));
        }
    return {};
}

KafkaError ClusterAdmin::deleteGroups(const std::vector<std::string> &groups, int timeoutMs)
{
    if (groups.empty())
        return {};
    using DeleteGroupHandle = std::unique_ptr<rd_kafka_DeleteGroup_t, CDeleter<&rd_kafka_DeleteGroup_destroy>>;
    std::vector<DeleteGroupHandle> owned;
    std::vector<rd_kafka_DeleteGroup_t *> raw;
    for (const auto &g : groups) {
        owned.emplace_back(rd_kafka_DeleteGroup_new(g.c_str()));
        raw.push_back(owned.back().get());
    }
    char err[512];
    QueueHandle queue(rd_kafka_queue_new(m_rk.get()));
    AdminOptionsHandle options(rd_kafka_AdminOptions_new(m_rk.get(), RD_KAFKA_ADMIN_OP_DELETEGROUPS));
    rd_kafka_AdminOptions_set_request_timeout(options.get(), timeoutMs, err, sizeof err);
    rd_kafka_DeleteGroups(m_rk.get(), raw.data(), raw.size(), options.get(), queue.get());
    EventHandle ev(rd_kafka_queue_poll(queue.get(), timeoutMs + 2000));
    if (!ev)
        return KafkaError::fromCode(RD_KAFKA_RESP_ERR__TIMED_OUT, "deleting consumer groups timed out");
    if (auto e = rd_kafka_event_error(ev.get()))
        return KafkaError::fromCode(e, rd_kafka_event_error_string(ev.get()));
    size_t n = 0;
    const rd_kafka_group_result_t **results = rd_kafka_DeleteGroups_result_groups(rd_kafka_event_DeleteGroups_result(ev.get()), &n);
    for (size_t i = 0; i < n; ++i)
        if (const rd_kafka_error_t *e = rd_kafka_group_result_error(results[i]);
            e && rd_kafka_error_code(e) != RD_KAFKA_RESP_ERR_GROUP_ID_NOT_FOUND)
            return KafkaError::fromCode(rd_kafka_error_code(e), std::string("group ") + rd_kafka_group_result_name(results[i]) + ": " +
                                                                    rd_kafka_error_string(e));
    return {};
}

KafkaError ClusterAdmin::metadata(ClusterMetadata &out, int timeoutMs)
{
    const rd_kafka_metadata_t *md = nullptr;
    if (auto err = rd_kafka_metadata(m_rk.get(), 1, nullptr, &md, timeoutMs))
        return KafkaError::fromCode(err);
    MetadataHandle owned(md);
    out = {};
    for (int i = 0; i < md->broker_cnt; ++i)
        out.brokers.push_back({md->brokers[i].id, true});
    for (int i = 0; i < md->topic_cnt; ++i) {
        const auto &t = md->topics[i];
        if (t.err)
            continue;
        out.partitionsByTopic[t.topic] = t.partition_cnt;
        auto &leaders = out.leadersByTopic[t.topic];
        leaders.resize(static_cast<std::size_t>(t.partition_cnt), -1);
        for (int p = 0; p < t.partition_cnt; ++p)
            if (t.partitions[p].id >= 0 && t.partitions[p].id < t.partition_cnt)
                leaders[static_cast<std::size_t>(t.partitions[p].id)] = t.partitions[p].leader;
    }
    return {};
}

} // namespace kcl
