#include "pipeline/EventTail.h"

#include "kafka/AssignOnlyConsumer.h"
#include "kafka/KafkaError.h"

#include <variant>

namespace kcl {

std::string describeEvent(const Event &e)
{
    struct Describe {
        std::string operator()(const MessageCreated &m) const
        {
            return m.messageId + " in " + m.channelId + " by " + m.authorId + ": " + m.content;
        }
        std::string operator()(const MessageUpdated &m) const
        {
            return m.messageId + " in " + m.channelId + " edited: " + m.content;
        }
        std::string operator()(const MessageDeleted &m) const
        {
            return m.messageId + " in " + m.channelId + " deleted by " + m.deletedBy;
        }
        std::string operator()(const NotificationSent &n) const
        {
            return "to " + n.recipientId + " about " + n.messageId + " (" + std::to_string(n.notifiedAtMs - n.createdAtMs) + " ms)";
        }
        std::string operator()(const UserActivity &a) const
        {
            return a.userId + " " + a.action + (a.channelId.empty() ? std::string() : " " + a.channelId);
        }
    };
    return std::string(eventTypeName(e.type)) + " " + std::visit(Describe{}, e.payload);
}

Event sampleEvent(EventType type, std::int64_t timestampMs)
{
    Event e;
    e.type = type;
    e.timestampMs = timestampMs;
    e.eventId = "evt_manual_" + std::to_string(timestampMs);
    switch (type) {
    case EventType::MessageCreated:
        e.payload = MessageCreated{"msg_manual_" + std::to_string(timestampMs), "ch_dev", "user_001",
                                   "@user_002 배포 완료했습니다, review please", {"user_002"}, {}};
        break;
    case EventType::MessageUpdated:
        e.payload = MessageUpdated{"msg_manual_1", "ch_dev", "user_001", "배포 완료 (수정됨)", {}, timestampMs};
        break;
    case EventType::MessageDeleted:
        e.payload = MessageDeleted{"msg_manual_1", "ch_dev", "user_001"};
        break;
    case EventType::NotificationSent:
        e.payload = NotificationSent{"ntf_manual_1", "user_002", "msg_manual_1", "ch_dev", "user_001",
                                     "새 멘션", "@user_002 배포 완료했습니다", timestampMs, timestampMs};
        break;
    case EventType::UserActivity:
        e.payload = UserActivity{"user_001", "join_channel", "ch_dev"};
        break;
    }
    return e;
}

EventTail::EventTail(std::map<std::string, std::string> clusterProperties) : m_properties(std::move(clusterProperties))
{
    m_thread = std::thread([this] { run(); });
}

EventTail::~EventTail()
{
    m_stop.store(true);
    if (m_thread.joinable())
        m_thread.join();
}

void EventTail::setTopic(const std::string &topic, int backlogPerPartition)
{
    std::lock_guard lock(m_mutex);
    m_topic = topic;
    m_backlog = std::max(0, backlogPerPartition);
    ++m_generation;
    m_records.clear();
    m_error.clear();
}

std::string EventTail::topic() const
{
    std::lock_guard lock(m_mutex);
    return m_topic;
}

std::vector<TailRecord> EventTail::records() const
{
    std::lock_guard lock(m_mutex);
    return {m_records.begin(), m_records.end()};
}

std::string EventTail::lastError() const
{
    std::lock_guard lock(m_mutex);
    return m_error;
}

void EventTail::run()
{
    KafkaHandle rk;
    try {
        rk = makeAssignOnlyConsumer(m_properties, "kcl-event-tail", false);
    } catch (const std::exception &ex) {
        std::lock_guard lock(m_mutex);
        m_error = std::string("the event tail could not start: ") + ex.what();
        return;
    }
    std::uint64_t assignedGeneration = 0;
    std::string assignedTopic;
    while (!m_stop.load()) {
        std::string wanted;
        int backlog = 0;
        std::uint64_t generation = 0;
        {
            std::lock_guard lock(m_mutex);
            wanted = m_topic;
            backlog = m_backlog;
            generation = m_generation;
        }
        if (generation != assignedGeneration) {
            rd_kafka_assign(rk.get(), nullptr);
            assignedTopic.clear();
            std::string error;
            if (!wanted.empty()) {
                rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk.get(), wanted.c_str(), nullptr);
                const rd_kafka_metadata_t *raw = nullptr;
                const auto err = rd_kafka_metadata(rk.get(), 0, rkt, &raw, 5000);
                rd_kafka_topic_destroy(rkt);
                MetadataHandle md(raw);
                if (err || !md || md->topic_cnt != 1 || md->topics[0].err || md->topics[0].partition_cnt == 0) {
                    error = KafkaError::fromCode(err ? err : (md && md->topic_cnt == 1 ? md->topics[0].err : RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART))
                                .sentence() + " (topic " + wanted + ")";
                } else {
                    TopicPartitionListHandle list(rd_kafka_topic_partition_list_new(md->topics[0].partition_cnt));
                    for (int p = 0; p < md->topics[0].partition_cnt; ++p)
                        rd_kafka_topic_partition_list_add(list.get(), wanted.c_str(), p)->offset = RD_KAFKA_OFFSET_TAIL(backlog);
                    if (auto e = rd_kafka_assign(rk.get(), list.get()))
                        error = KafkaError::fromCode(e).sentence();
                    else
                        assignedTopic = wanted;
                }
            }
            std::lock_guard lock(m_mutex);
            if (generation == m_generation)
                m_error = error;
            // On an error, the same topic is tried again after a pause (e.g. a broker still coming up).
            if (error.empty() || generation != m_generation)
                assignedGeneration = generation;
        }
        if (assignedTopic.empty()) {
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            continue;
        }
        MessageHandle msg(rd_kafka_consumer_poll(rk.get(), 100));
        if (!msg)
            continue;
        if (msg->err) {
            std::lock_guard lock(m_mutex);
            m_error = KafkaError::fromCode(msg->err, rd_kafka_message_errstr(msg.get())).sentence();
            continue;
        }
        TailRecord r;
        r.topic = rd_kafka_topic_name(msg->rkt);
        r.partition = msg->partition;
        r.offset = msg->offset;
        r.timestampMs = rd_kafka_message_timestamp(msg.get(), nullptr);
        if (msg->key)
            r.key.assign(static_cast<const char *>(msg->key), msg->key_len);
        const std::string_view value(static_cast<const char *>(msg->payload), msg->payload ? msg->len : 0);
        const ParseResult parsed = parseEvent(value);
        r.parsed = parsed.ok();
        if (parsed.ok()) {
            r.eventType = std::string(eventTypeName(parsed.event->type));
            r.summary = describeEvent(*parsed.event);
        } else {
            r.summary = parsed.error->toString();
        }
        r.valueCut = value.size() > kMaxValueBytes;
        r.value.assign(value.substr(0, kMaxValueBytes));
        rd_kafka_headers_t *hdrs = nullptr;
        if (rd_kafka_message_headers(msg.get(), &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR && hdrs) {
            const char *name = nullptr;
            const void *val = nullptr;
            size_t size = 0;
            for (size_t i = 0; rd_kafka_header_get_all(hdrs, i, &name, &val, &size) == RD_KAFKA_RESP_ERR_NO_ERROR; ++i)
                r.headers.emplace_back(name, val ? std::string(static_cast<const char *>(val), size) : std::string());
        }
        std::lock_guard lock(m_mutex);
        if (generation != m_generation || r.topic != m_topic)
            continue; // a record of the topic tailed before the switch
        m_records.push_back(std::move(r));
        while (m_records.size() > kCapacity)
            m_records.pop_front();
    }
    rd_kafka_assign(rk.get(), nullptr);
    rd_kafka_consumer_close(rk.get());
}

} // namespace kcl
