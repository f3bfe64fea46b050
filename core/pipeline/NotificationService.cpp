#include "pipeline/NotificationService.h"

#include "events/Event.h"
#include "metrics/PipelineMetrics.h"
#include "pipeline/DeadLetter.h"

#include <algorithm>
#include <chrono>

namespace kcl {

NotificationHandler::NotificationHandler(std::unique_ptr<Producer> producer, std::shared_ptr<GroupState> group,
                                         PipelineMetrics &metrics)
    : m_producer(std::move(producer)), m_group(std::move(group)), m_metrics(metrics), m_clientId(m_producer->clientId())
{
}

HandlerFactory NotificationHandler::factory(std::map<std::string, std::string> producerProperties,
                                            std::shared_ptr<GroupState> group, PipelineMetrics &metrics)
{
    return [props = std::move(producerProperties), group, &metrics](const std::string &clientId) {
        auto producer = makeServiceProducer(props, clientId + "-producer", metrics,
                                            {topics::kNotificationsSent, topics::kDeadLetter});
        return std::make_unique<NotificationHandler>(std::move(producer), group, metrics);
    };
}

void NotificationHandler::handle(const rd_kafka_message_t &record)
{
    const std::string_view bytes(static_cast<const char *>(record.payload), record.payload ? record.len : 0);
    ParseResult parsed = parseEvent(bytes);
    if (!parsed.ok()) {
        sendToDeadLetter(*m_producer, record, kNotificationGroup, parsed.error->field, parsed.error->reason, *m_group,
                         m_metrics);
        return;
    }
    const Event &event = *parsed.event;
    const auto *created = std::get_if<MessageCreated>(&event.payload);
    if (!created)
        return; // other event types on this topic carry no mentions
    auto [highest, firstInPartition] = m_highestOffset.try_emplace(record.partition, record.offset);
    const bool redelivered = !firstInPartition && record.offset <= highest->second;
    if (!redelivered) { // a re-delivery counts as a duplicate notification below, not as an order violation
        highest->second = record.offset;
        if (auto [it, first] = m_newestByChannel.try_emplace(created->channelId, event.timestampMs); !first) {
            if (event.timestampMs < it->second)
                m_metrics.orderViolations.fetch_add(1, std::memory_order_relaxed);
            else
                it->second = event.timestampMs;
        }
    }
    std::vector<std::string> recipients = created->mentions;
    std::sort(recipients.begin(), recipients.end());
    recipients.erase(std::unique(recipients.begin(), recipients.end()), recipients.end()); // one per user
    for (const auto &recipient : recipients) {
        const std::int64_t notifiedAt = wallClockMs();
        NotificationSent n;
        n.notificationId = "ntf_" + created->messageId + "_" + recipient;
        n.recipientId = recipient;
        n.messageId = created->messageId;
        n.channelId = created->channelId;
        n.authorId = created->authorId;
        n.title = kMentionTitle;
        n.body = created->content;
        n.createdAtMs = event.timestampMs;
        n.notifiedAtMs = notifiedAt;
        Event out;
        out.type = EventType::NotificationSent;
        out.eventId = "evt_" + n.notificationId;
        out.timestampMs = notifiedAt;
        out.payload = n;
        const std::string json = serialize(out);
        for (int attempt = 0; attempt < 1000; ++attempt) {
            const auto e = m_producer->produce(topics::kNotificationsSent, recipient, json);
            if (e.code != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
                if (e)
                    m_metrics.recordError(m_clientId, e.name, "publishing a notification failed: " + e.sentence());
                break;
            }
            m_producer->poll(10);
        }
        if (m_metrics.notificationIds.insert(n.notificationId))
            m_metrics.notificationsDistinct.fetch_add(1, std::memory_order_relaxed);
        else
            m_metrics.notificationDuplicates.fetch_add(1, std::memory_order_relaxed);
        const double latency = static_cast<double>(notifiedAt - event.timestampMs);
        m_metrics.notificationLatency.add(latency);
        m_metrics.notifications.push(NotificationRecord{n.notificationId, recipient, n.authorId, n.channelId,
                                                        n.messageId, n.body, n.createdAtMs, notifiedAt, latency});
    }
    ++m_sequence;
}

void NotificationHandler::tick() { m_producer->poll(0); }

bool NotificationHandler::prepareCommit()
{
    // Offsets may only be committed once the notifications (and dead letters) they caused are acknowledged.
    return acknowledgedBeforeCommit(*m_producer, m_metrics, m_clientId, "notifications");
}

} // namespace kcl
