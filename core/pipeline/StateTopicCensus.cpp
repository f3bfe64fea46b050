#include "pipeline/StateTopicCensus.h"

#include "kafka/AssignOnlyConsumer.h"
#include "kafka/KafkaError.h"
#include "metrics/PipelineMetrics.h"

#include <chrono>
#include <unordered_set>
#include <vector>

namespace kcl {

StateTopicCensus censusTopic(const std::map<std::string, std::string> &clusterProperties, const std::string &topic,
                             int timeoutMs)
{
    StateTopicCensus c;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    const auto remainingMs = [&] {
        return int(std::max<std::int64_t>(0, std::chrono::duration_cast<std::chrono::milliseconds>(
                                                 deadline - std::chrono::steady_clock::now()).count()));
    };
    KafkaHandle rk;
    try {
        rk = makeAssignOnlyConsumer(clusterProperties, "kcl-state-census", true); // EOF events: the end is reached
    } catch (const std::exception &ex) {
        c.error = std::string("the census client could not start: ") + ex.what();
        return c;
    }
    rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk.get(), topic.c_str(), nullptr);
    const rd_kafka_metadata_t *raw = nullptr;
    const auto mdErr = rd_kafka_metadata(rk.get(), 0, rkt, &raw, std::min(remainingMs(), 10000));
    rd_kafka_topic_destroy(rkt);
    MetadataHandle md(raw);
    if (mdErr || !md || md->topic_cnt != 1 || md->topics[0].err || md->topics[0].partition_cnt == 0) {
        const auto err = mdErr ? mdErr : (md && md->topic_cnt == 1 ? md->topics[0].err : RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART);
        c.error = "the topic " + topic + " could not be described: " + KafkaError::fromCode(err).sentence();
        return c;
    }
    const int partitions = md->topics[0].partition_cnt;
    // The end of every partition now: records written after it are not counted (the topic keeps growing).
    std::vector<std::int64_t> end(static_cast<std::size_t>(partitions), 0);
    TopicPartitionListHandle list(rd_kafka_topic_partition_list_new(partitions));
    int open = 0;
    for (int p = 0; p < partitions; ++p) {
        std::int64_t low = 0, high = 0;
        if (auto err = rd_kafka_query_watermark_offsets(rk.get(), topic.c_str(), p, &low, &high, std::min(remainingMs(), 10000))) {
            c.error = "the offsets of " + topic + " [" + std::to_string(p) + "] are unknown: " + KafkaError::fromCode(err).sentence();
            return c;
        }
        end[static_cast<std::size_t>(p)] = high;
        if (high > low) {
            rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), p)->offset = low;
            ++open;
        }
    }
    if (open > 0)
        if (auto err = rd_kafka_assign(rk.get(), list.get())) {
            c.error = "reading " + topic + " failed: " + KafkaError::fromCode(err).sentence();
            return c;
        }
    std::unordered_set<std::string> keys;
    std::vector<bool> done(static_cast<std::size_t>(partitions), true); // empty partitions are done already
    for (int i = 0; i < list->cnt; ++i)
        done[static_cast<std::size_t>(list->elems[i].partition)] = false;
    while (open > 0) {
        if (remainingMs() == 0) {
            c.error = "the census of " + topic + " did not reach the end within " + std::to_string(timeoutMs / 1000) + " s";
            break;
        }
        MessageHandle msg(rd_kafka_consumer_poll(rk.get(), std::min(remainingMs(), 200)));
        if (!msg)
            continue;
        const auto p = static_cast<std::size_t>(msg->partition);
        if (p >= done.size() || done[p])
            continue;
        if (msg->err && msg->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
            c.error = "reading " + topic + " failed: " + KafkaError::fromCode(msg->err, rd_kafka_message_errstr(msg.get())).sentence();
            break;
        }
        if (!msg->err && msg->offset < end[p]) {
            ++c.records;
            if (!msg->payload)
                ++c.tombstones;
            keys.emplace(msg->key ? std::string(static_cast<const char *>(msg->key), msg->key_len) : std::string());
        }
        // Compaction leaves gaps in the offsets: the end is reached at EOF or at the last offset before the end.
        if (msg->err == RD_KAFKA_RESP_ERR__PARTITION_EOF || msg->offset + 1 >= end[p]) {
            done[p] = true;
            --open;
        }
    }
    rd_kafka_assign(rk.get(), nullptr);
    c.keys = static_cast<std::int64_t>(keys.size());
    c.done = c.error.empty();
    c.atMs = wallClockMs();
    return c;
}

} // namespace kcl
