#include "kafka/GroupMember.h"

#include "kafka/EmbeddedCluster.h"
#include "kafka/FetchRestarter.h"
#include "kafka/Handles.h"
#include "kafka/Producer.h"
#include "metrics/PipelineMetrics.h"

#include <algorithm>
#include <chrono>
#include <cstring>

namespace kcl {

void GroupState::recordRebalance(const std::string &clientId, bool assigned, int partitions)
{
    const std::int64_t now = wallClockMs();
    std::lock_guard lock(mutex);
    // Members of one group receive their assignments of one generation within moments of each other (one
    // SyncGroup round), while the next rebalance is noticed only at a heartbeat (>= 1 s later): assignments
    // less than 300 ms apart are counted as one rebalance. (librdkafka 2.0.2 does not expose the generation id.)
    if (assigned) {
        if (now - lastAssignMs > 300)
            ++rebalances;
        lastAssignMs = now;
    }
    timeline.push_back({now, clientId, assigned ? "assigned" : "revoked", partitions});
    if (timeline.size() > 200)
        timeline.erase(timeline.begin());
}

GroupMember::GroupMember(Config config, HandlerFactory factory, std::shared_ptr<GroupState> group,
                         PipelineMetrics &metrics)
    : m_config(std::move(config)), m_group(std::move(group)), m_metrics(metrics)
{
    m_delayMs.store(m_config.processingDelayMs);
    m_thread = std::thread([this, f = std::move(factory)]() mutable { run(std::move(f)); });
}

GroupMember::~GroupMember()
{
    requestStop();
    join();
}

void GroupMember::join()
{
    if (m_thread.joinable())
        m_thread.join();
}

MemberInfo GroupMember::info() const
{
    MemberInfo mi;
    mi.clientId = m_config.clientId;
    mi.consumed = m_consumed.load();
    mi.fetchRestarts = m_fetchRestarts.load();
    std::lock_guard lock(m_infoMutex);
    mi.assignment = m_assignment;
    mi.joined = m_joined;
    return mi;
}

void GroupMember::commitStored(rd_kafka_t *rk, bool last)
{
    if (m_handler && last)
        m_handler->finishBeforeLastCommit();
    if (m_handler && !m_handler->prepareCommit())
        return; // the handler's sink has not acknowledged what the stored offsets cover: commit nothing now
    reportCommitError(rd_kafka_commit(rk, nullptr, last ? 0 : 1)); // the stored offsets; the last one waits for the answer
}

void GroupMember::reportCommitError(rd_kafka_resp_err_t err)
{
    // No stored offset to commit, or the group is rebalancing (the new owner resumes from the last commit):
    // both are normal, not errors to show.
    if (err && err != RD_KAFKA_RESP_ERR__NO_OFFSET && err != RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS &&
        err != RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION) {
        const auto e = KafkaError::fromCode(err);
        m_metrics.recordError(m_config.clientId, e.name, "committing offsets failed: " + e.sentence());
    }
}

void GroupMember::noteStored(std::string topic, std::int32_t partition, std::int64_t nextOffset)
{
    m_storedOffsets[TopicPartitionRef{std::move(topic), partition}] = nextOffset;
    m_storedSinceSnapshot = true;
}

void GroupMember::commitPeriodically(rd_kafka_t *rk, std::chrono::steady_clock::time_point now)
{
    Producer *gate = m_handler ? m_handler->commitGate() : nullptr;
    if (gate && m_pendingCommit) {
        gate->poll(0); // serve its delivery reports
        if (gate->acknowledgedThrough(m_pendingCommit->mark)) {
            const auto list = ownedOffsetList(m_pendingCommit->offsets);
            m_pendingCommit.reset();
            if (list) {
                m_group->periodicCommits.fetch_add(1, std::memory_order_relaxed);
                reportCommitError(rd_kafka_commit(rk, list.get(), 1));
            }
        } else if (now - m_pendingCommit->since > kCommitWaitLimit) {
            m_pendingCommit.reset();
            m_lastCommit = now;
            m_group->periodicCommits.fetch_add(1, std::memory_order_relaxed);
            m_group->commitFallbacks.fetch_add(1, std::memory_order_relaxed);
            commitStored(rk, false); // flushes, and sends failed records again
            return;
        }
    }
    if (now - m_lastCommit <= std::chrono::seconds(1))
        return;
    m_lastCommit = now;
    if (!gate) {
        m_group->periodicCommits.fetch_add(1, std::memory_order_relaxed);
        commitStored(rk, false);
        return;
    }
    if (m_pendingCommit || !m_storedSinceSnapshot)
        return;
    PendingCommit pending{gate->deliveryMark(), {}, now};
    for (const auto &[tp, next] : m_storedOffsets)
        pending.offsets.push_back({tp.topic, tp.partition, next});
    m_storedSinceSnapshot = false;
    m_pendingCommit = std::move(pending);
}

TopicPartitionListHandle GroupMember::ownedOffsetList(const std::vector<OffsetToStore> &offsets) const
{
    std::vector<const OffsetToStore *> owned;
    {
        std::lock_guard lock(m_infoMutex);
        for (const auto &o : offsets)
            if (std::find(m_assignment.begin(), m_assignment.end(), TopicPartitionRef{o.topic, o.partition}) !=
                m_assignment.end())
                owned.push_back(&o);
    }
    if (owned.empty())
        return {};
    TopicPartitionListHandle list(rd_kafka_topic_partition_list_new(static_cast<int>(owned.size())));
    for (const auto *o : owned)
        rd_kafka_topic_partition_list_add(list.get(), o->topic.c_str(), o->partition)->offset = o->nextOffset;
    return list;
}

int GroupMember::storeOffsets(rd_kafka_t *rk, const std::vector<OffsetToStore> &offsets)
{
    const auto list = ownedOffsetList(offsets);
    if (!list)
        return 0;
    // A partition lost between our check and this call fails on its own (its element carries the error); the others
    // are stored.
    rd_kafka_offsets_store(rk, list.get());
    int stored = 0;
    for (int i = 0; i < list->cnt; ++i)
        if (!list->elems[i].err) {
            ++stored;
            noteStored(list->elems[i].topic, list->elems[i].partition, list->elems[i].offset);
        }
    return stored;
}

void GroupMember::setPaused(rd_kafka_t *rk, bool paused)
{
    rd_kafka_topic_partition_list_t *raw = nullptr;
    if (rd_kafka_assignment(rk, &raw) != RD_KAFKA_RESP_ERR_NO_ERROR || !raw)
        return;
    TopicPartitionListHandle assigned(raw);
    if (assigned->cnt == 0) { // nothing to pause yet: the loop tries again once partitions are assigned
        m_paused.store(false);
        return;
    }
    const auto err = paused ? rd_kafka_pause_partitions(rk, assigned.get()) : rd_kafka_resume_partitions(rk, assigned.get());
    if (err) {
        const auto e = KafkaError::fromCode(err);
        m_metrics.recordError(m_config.clientId, e.name,
                              std::string(paused ? "pausing" : "resuming") + " the partitions failed: " + e.sentence());
        return;
    }
    m_paused.store(paused);
}

void GroupMember::onRebalance(rd_kafka_t *rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t *parts,
                              void *opaque)
{
    // Runs inside consumer_poll() on the member's own thread.
    auto *self = static_cast<GroupMember *>(opaque);
    self->m_rebalanceCallbacks.fetch_add(1);
    std::vector<TopicPartitionRef> list;
    for (int i = 0; i < parts->cnt; ++i)
        list.push_back({parts->elems[i].topic, parts->elems[i].partition});
    if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
        rd_kafka_assign(rk, parts);
        {
            std::lock_guard lock(self->m_infoMutex);
            self->m_assignment = std::move(list);
            self->m_joined = true;
        }
        self->m_group->recordRebalance(self->m_config.clientId, true, parts->cnt);
    } else {
        self->commitStored(rk, true);
        self->m_pendingCommit.reset(); // its offsets were covered by this commit, or belong to the next owner now
        self->m_storedOffsets.clear();
        self->m_storedSinceSnapshot = false;
        if (self->m_paused.load()) // the next assignment starts unpaused; the loop pauses it again if still saturated
            self->setPaused(rk, false);
        if (self->m_handler)
            self->m_handler->partitionsRevoked(list);
        rd_kafka_assign(rk, nullptr);
        {
            std::lock_guard lock(self->m_infoMutex);
            self->m_assignment.clear();
        }
        self->m_group->recordRebalance(self->m_config.clientId, false, parts->cnt);
    }
}

void GroupMember::restartFetching(rd_kafka_t *rk)
{
    // A ListOffsets request for the latest offset of each assigned partition: librdkafka sends one to each leader,
    // and the I/O of it wakes the leader's broker thread, which then sees the queue's room and fetches again.
    TopicPartitionListHandle parts;
    {
        std::lock_guard lock(m_infoMutex);
        if (m_assignment.empty())
            return;
        parts.reset(rd_kafka_topic_partition_list_new(static_cast<int>(m_assignment.size())));
        for (const auto &tp : m_assignment)
            rd_kafka_topic_partition_list_add(parts.get(), tp.topic.c_str(), tp.partition)->offset = RD_KAFKA_OFFSET_END;
    }
    // The wake-up is the request reaching the broker threads, not the answer: a short bound on the wait keeps a
    // member whose leader is down serving its group (an unreachable leader's partitions are not fetched anyway).
    rd_kafka_offsets_for_times(rk, parts.get(), 200);
    m_fetchRestarts.fetch_add(1, std::memory_order_relaxed);
}

void GroupMember::leaveGroup(rd_kafka_t *rk)
{
    // librdkafka 2.0.2 aborts in rd_kafka_consumer_close when the group is still in the middle of a rebalance
    // (rdkafka_cgrp.c: "assert: !rd_kafka_assignment_in_progress"), which happens when every member of a busy group
    // leaves at once. So leave in two steps: unsubscribe, and poll (serving our revoke callback, and the results of
    // commits in flight) until nothing is assigned and no rebalance callback has run for 200 ms; only then close.
    if (const auto err = rd_kafka_unsubscribe(rk)) {
        const auto e = KafkaError::fromCode(err);
        m_metrics.recordError(m_config.clientId, e.name, "leaving the group failed: " + e.sentence());
        return;
    }
    using Clock = std::chrono::steady_clock;
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    auto quietSince = Clock::now();
    int callbacksSeen = m_rebalanceCallbacks.load();
    while (Clock::now() < deadline) {
        // Records still fetched are not handled: their partitions are being given up, and their offsets are not
        // stored, so the next owner reads them (at least once).
        if (rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 50))
            rd_kafka_message_destroy(m);
        if (const int seen = m_rebalanceCallbacks.load(); seen != callbacksSeen) {
            callbacksSeen = seen;
            quietSince = Clock::now();
        }
        rd_kafka_topic_partition_list_t *raw = nullptr;
        const bool empty = rd_kafka_assignment(rk, &raw) == RD_KAFKA_RESP_ERR_NO_ERROR && raw && raw->cnt == 0;
        TopicPartitionListHandle assigned(raw);
        if (empty && Clock::now() - quietSince >= std::chrono::milliseconds(200))
            return;
    }
}

void GroupMember::onError(rd_kafka_t *, int err, const char *reason, void *opaque)
{
    auto *self = static_cast<GroupMember *>(opaque);
    const auto e = KafkaError::fromCode(static_cast<rd_kafka_resp_err_t>(err), reason ? reason : "");
    self->m_metrics.recordError(self->m_config.clientId, e.name, e.sentence());
}

int GroupMember::prefetchKiBFor(int membersInGroup)
{
    return std::clamp(kGroupPrefetchBudgetKiB / std::max(1, membersInGroup), kMinPrefetchKiB, kPrefetchKiB);
}

std::map<std::string, std::string> GroupMember::consumerProperties(const Config &config)
{
    auto props = config.properties;
    props.try_emplace("queued.max.messages.kbytes", std::to_string(prefetchKiBFor(config.membersInGroup)));
    props["group.id"] = config.groupId;
    props["client.id"] = config.clientId;
    props["enable.auto.offset.store"] = "false";
    // Commits are ours (every second, on revocation, on close), each after the handler's prepareCommit():
    // an offset is never committed before what the record caused is acknowledged.
    props["enable.auto.commit"] = "false";
    props["auto.offset.reset"] = config.autoOffsetReset;
    return props;
}

void GroupMember::run(HandlerFactory factory)
{
    KafkaHandle rk;
    std::unique_ptr<MessageHandler> handler;
    try {
        ConfHandle conf = makeConf(consumerProperties(m_config));
        rd_kafka_conf_set_opaque(conf.get(), this);
        rd_kafka_conf_set_rebalance_cb(conf.get(), &GroupMember::onRebalance);
        rd_kafka_conf_set_error_cb(conf.get(), &GroupMember::onError);
        if (const auto it = m_config.properties.find("bootstrap.servers");
            it != m_config.properties.end() && EmbeddedCluster::serves(it->second))
            EmbeddedCluster::orderGroupSyncs(conf.get());
        rk = makeHandle(RD_KAFKA_CONSUMER, std::move(conf));
        handler = factory(m_config.clientId);
    } catch (const std::exception &ex) {
        m_metrics.recordError(m_config.clientId, "_INVALID_ARG", std::string("the consumer could not start: ") + ex.what());
        m_finished.store(true);
        return;
    }
    m_handler = handler.get();
    const bool ownOffsets = handler && handler->storesOwnOffsets();
    if (ownOffsets)
        handler->attachOffsetStore([this, raw = rk.get()](const std::vector<OffsetToStore> &offsets) {
            return storeOffsets(raw, offsets);
        });
    rd_kafka_poll_set_consumer(rk.get());
    TopicPartitionListHandle topics(rd_kafka_topic_partition_list_new(static_cast<int>(m_config.topics.size())));
    for (const auto &t : m_config.topics)
        rd_kafka_topic_partition_list_add(topics.get(), t.c_str(), RD_KAFKA_PARTITION_UA);
    if (auto err = rd_kafka_subscribe(rk.get(), topics.get())) {
        const auto e = KafkaError::fromCode(err);
        m_metrics.recordError(m_config.clientId, e.name, "subscribing failed: " + e.sentence());
    }

    m_lastCommit = std::chrono::steady_clock::now();
    // Records are taken in batches (the first waited for, up to 999 more already fetched): counters, latency samples and
    // offset stores are updated once per batch and partition, not once per record.
    QueueHandle queue(rd_kafka_queue_get_consumer(rk.get()));
    std::vector<rd_kafka_message_t *> batch(1000);
    const auto props = consumerProperties(m_config);
    const auto numberProp = [&props](const char *key, std::int64_t fallback) {
        const auto it = props.find(key);
        try {
            return it == props.end() ? fallback : static_cast<std::int64_t>(std::stoll(it->second));
        } catch (const std::exception &) {
            return fallback;
        }
    };
    FetchRestarter restarter(numberProp("queued.min.messages", 100000), numberProp("queued.max.messages.kbytes", 65536));
    std::int64_t recordsSeen = 0, bytesSeen = 0;
    int rebalancesSeen = m_rebalanceCallbacks.load();
    struct Last { rd_kafka_topic_t *rkt; std::int32_t partition; std::int64_t offset; };
    std::vector<Last> lastPerPartition;
    while (!m_stop.load()) {
        // Wait (up to 50 ms) for the first record only, then take what is already there without waiting:
        // rd_kafka_consume_batch_queue with a timeout waits for a full batch, which would add its timeout to
        // every record's latency at lab rates. A slowed member takes small batches, so it still serves
        // rebalances within about 100 ms.
        const int delay = m_delayMs.load();
        const std::size_t max = delay > 0 ? std::clamp<std::size_t>(100 / static_cast<std::size_t>(delay), 1, batch.size()) : batch.size();
        ssize_t n = 0;
        if (rd_kafka_message_t *first = rd_kafka_consumer_poll(rk.get(), 50)) { // serves rebalance callbacks too
            batch[0] = first;
            n = 1;
            if (max > 1) {
                const ssize_t more = rd_kafka_consume_batch_queue(queue.get(), 0, batch.data() + 1, max - 1);
                n += more > 0 ? more : 0;
            }
        }
        if (handler)
            handler->tick();
        // Back-pressure: a saturated handler stops the fetching, not the polling (heartbeats, rebalances go on).
        if (const bool saturated = handler && handler->saturated(); saturated != m_paused.load())
            setPaused(rk.get(), saturated);
        commitPeriodically(rk.get(), std::chrono::steady_clock::now());
        if (n <= 0)
            continue;
        std::vector<MessageHandle> owned;
        owned.reserve(static_cast<std::size_t>(n));
        for (ssize_t i = 0; i < n; ++i)
            owned.emplace_back(batch[static_cast<std::size_t>(i)]);
        lastPerPartition.clear();
        std::int64_t handled = 0, bytes = 0, batchBytes = 0, createTs = -1;
        const char *topicName = nullptr;
        for (const auto &msg : owned) {
            if (msg->err) {
                if (msg->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
                    const auto e = KafkaError::fromCode(msg->err, rd_kafka_message_errstr(msg.get()));
                    m_metrics.recordError(m_config.clientId, e.name, e.sentence());
                }
                continue;
            }
            if (const int delay = m_delayMs.load(); delay > 0)
                std::this_thread::sleep_for(std::chrono::milliseconds(delay));
            try {
                handler->handle(*msg);
            } catch (const std::exception &ex) {
                m_metrics.recordError(m_config.clientId, "_APPLICATION", std::string("the handler failed: ") + ex.what());
            } catch (...) {
                m_metrics.recordError(m_config.clientId, "_APPLICATION", "the handler failed with an unknown exception");
            }
            auto it = std::find_if(lastPerPartition.begin(), lastPerPartition.end(),
                                   [&](const Last &l) { return l.rkt == msg->rkt && l.partition == msg->partition; });
            if (it == lastPerPartition.end())
                lastPerPartition.push_back({msg->rkt, msg->partition, msg->offset});
            else
                it->offset = std::max(it->offset, msg->offset);
            // Counters are per topic: flush them when the topic changes within the batch.
            const char *name = rd_kafka_topic_name(msg->rkt);
            if (topicName && std::strcmp(topicName, name) != 0) {
                m_metrics.consumed.add(topicName, bytes, handled);
                m_consumed.fetch_add(handled, std::memory_order_relaxed);
                m_group->consumed.fetch_add(handled, std::memory_order_relaxed);
                handled = bytes = 0;
            }
            topicName = name;
            ++handled;
            bytes += static_cast<std::int64_t>(msg->len);
            batchBytes += static_cast<std::int64_t>(msg->len);
            rd_kafka_timestamp_type_t tsType;
            const std::int64_t ts = rd_kafka_message_timestamp(msg.get(), &tsType);
            if (tsType == RD_KAFKA_TIMESTAMP_CREATE_TIME && ts > 0)
                createTs = ts;
        }
        if (!ownOffsets)
            for (const auto &l : lastPerPartition) {
                rd_kafka_offset_store(l.rkt, l.partition, l.offset); // stores offset + 1
                noteStored(rd_kafka_topic_name(l.rkt), l.partition, l.offset + 1);
            }
        if (topicName) {
            m_metrics.consumed.add(topicName, bytes, handled);
            m_consumed.fetch_add(handled, std::memory_order_relaxed);
            m_group->consumed.fetch_add(handled, std::memory_order_relaxed);
        }
        if (createTs > 0) // one latency sample per batch: its newest record
            m_group->consumeLatency.add(static_cast<double>(wallClockMs() - createTs));
        recordsSeen += n;
        bytesSeen += batchBytes;
        const double avgBytes = static_cast<double>(bytesSeen) / static_cast<double>(recordsSeen);
        if (const int seen = m_rebalanceCallbacks.load(); seen != rebalancesSeen) { // a new assignment starts with an empty queue
            rebalancesSeen = seen;
            restarter.reset();
        }
        const std::size_t queued = rd_kafka_queue_length(queue.get());
        if (!m_paused.load() && restarter.shouldWake(n + static_cast<std::int64_t>(queued), static_cast<std::int64_t>(queued), avgBytes))
            restartFetching(rk.get());
    }
    // Orderly leave: flush what the handler produced, commit, leave the group, then close.
    commitStored(rk.get(), true);
    leaveGroup(rk.get());
    rd_kafka_consumer_close(rk.get());
    m_handler = nullptr;
    handler.reset();
    rk.reset();
    {
        std::lock_guard lock(m_infoMutex);
        m_assignment.clear();
    }
    m_finished.store(true);
}

} // namespace kcl
