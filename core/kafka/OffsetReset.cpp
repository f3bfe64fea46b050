#include "kafka/OffsetReset.h"

#include "kafka/Handles.h"

#include <algorithm>
#include <chrono>

namespace kcl {
namespace {

// Subscribes `rk` to the topics of `offsets`, waits until it owns every listed partition, commits `offsets` as a
// member and leaves. _STATE when another member kept part of the partitions.
rd_kafka_resp_err_t commitAsOnlyMember(rd_kafka_t *rk, rd_kafka_topic_partition_list_t *offsets, int timeoutMs)
{
    TopicPartitionListHandle topics(rd_kafka_topic_partition_list_new(4));
    for (int i = 0; i < offsets->cnt; ++i)
        if (!rd_kafka_topic_partition_list_find(topics.get(), offsets->elems[i].topic, RD_KAFKA_PARTITION_UA))
            rd_kafka_topic_partition_list_add(topics.get(), offsets->elems[i].topic, RD_KAFKA_PARTITION_UA);
    rd_kafka_poll_set_consumer(rk);
    if (auto err = rd_kafka_subscribe(rk, topics.get()))
        return err;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(std::max(timeoutMs, 30000));
    rd_kafka_resp_err_t result = RD_KAFKA_RESP_ERR__TIMED_OUT;
    while (std::chrono::steady_clock::now() < deadline) {
        MessageHandle msg(rd_kafka_consumer_poll(rk, 100)); // serves the join; records are not looked at
        rd_kafka_topic_partition_list_t *raw = nullptr;
        if (rd_kafka_assignment(rk, &raw) != RD_KAFKA_RESP_ERR_NO_ERROR)
            continue;
        TopicPartitionListHandle assigned(raw);
        if (assigned->cnt == 0)
            continue;
        bool all = true;
        for (int i = 0; i < offsets->cnt && all; ++i)
            all = rd_kafka_topic_partition_list_find(assigned.get(), offsets->elems[i].topic, offsets->elems[i].partition);
        result = all ? rd_kafka_commit(rk, offsets, 0) : RD_KAFKA_RESP_ERR__STATE;
        // Members that just left may still be leaving on the coordinator: the group rebalances once more and a
        // commit of the previous generation is refused. Poll on (rejoin) and commit again.
        if (result != RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID && result != RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION &&
            result != RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS)
            break;
    }
    rd_kafka_unsubscribe(rk);
    return result;
}

} // namespace

KafkaError resetGroupOffsets(const std::map<std::string, std::string> &clusterProperties, const std::string &groupId,
                             const std::vector<std::string> &topics, OffsetResetTarget target,
                             OffsetResetResult *result, int timeoutMs)
{
    KafkaHandle rk;
    try {
        auto props = clusterProperties;
        props["group.id"] = groupId;
        props["client.id"] = groupId + "-offset-reset";
        props["enable.auto.commit"] = "false";
        rk = makeHandle(RD_KAFKA_CONSUMER, makeConf(props));
    } catch (const std::exception &ex) {
        return KafkaError::fromCode(RD_KAFKA_RESP_ERR__INVALID_ARG, std::string("the reset client could not start: ") + ex.what());
    }
    TopicPartitionListHandle list(rd_kafka_topic_partition_list_new(16));
    for (const auto &topic : topics) {
        rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk.get(), topic.c_str(), nullptr);
        const rd_kafka_metadata_t *raw = nullptr;
        const auto err = rd_kafka_metadata(rk.get(), 0, rkt, &raw, timeoutMs);
        rd_kafka_topic_destroy(rkt);
        MetadataHandle md(raw);
        if (err)
            return KafkaError::fromCode(err, "the partitions of " + topic + " could not be read");
        if (md->topic_cnt != 1 || md->topics[0].err)
            return KafkaError::fromCode(md->topic_cnt == 1 ? md->topics[0].err : RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART,
                                        "topic " + topic + " is not on the cluster");
        for (int p = 0; p < md->topics[0].partition_cnt; ++p) {
            std::int64_t low = 0, high = 0;
            if (auto e = rd_kafka_query_watermark_offsets(rk.get(), topic.c_str(), p, &low, &high, timeoutMs))
                return KafkaError::fromCode(e, "the offsets of " + topic + " [" + std::to_string(p) + "] could not be read");
            rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), p)->offset =
                target == OffsetResetTarget::Earliest ? low : high;
        }
    }
    // What was committed before, for the report of how far the group moved.
    TopicPartitionListHandle before(rd_kafka_topic_partition_list_copy(list.get()));
    const bool haveBefore = rd_kafka_committed(rk.get(), before.get(), timeoutMs) == RD_KAFKA_RESP_ERR_NO_ERROR;
    rd_kafka_resp_err_t err = rd_kafka_commit(rk.get(), list.get(), 0);
    if (err == RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID || err == RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION) {
        // The embedded (mock) cluster keeps a group after its last member left and takes commits from members only:
        // join as the group's only member, then commit. On a real cluster this path also runs when members are
        // still there, and then the assignment is partial and the reset is refused below.
        err = commitAsOnlyMember(rk.get(), list.get(), timeoutMs);
        if (err == RD_KAFKA_RESP_ERR__STATE)
            return KafkaError::fromCode(err, "group " + groupId + " still has other members: stop them first "
                                                                    "(Kafka refuses a reset while the group has members)");
    }
    if (err)
        return KafkaError::fromCode(err, "the new offsets of group " + groupId +
                                             " were not accepted (Kafka refuses a reset while the group has members)");
    for (int i = 0; i < list->cnt; ++i)
        if (auto err = list->elems[i].err)
            return KafkaError::fromCode(err, "the new offset of " + std::string(list->elems[i].topic) + " [" +
                                                 std::to_string(list->elems[i].partition) + "] was not accepted");
    if (result) {
        result->partitions = list->cnt;
        result->moved = 0;
        for (int i = 0; haveBefore && i < list->cnt; ++i)
            if (before->elems[i].offset >= 0)
                result->moved += list->elems[i].offset - before->elems[i].offset;
    }
    rd_kafka_consumer_close(rk.get());
    return {};
}

} // namespace kcl
