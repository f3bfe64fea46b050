#pragma once
// The notification service (group "notification-service"): for every mentioned user of a message.created
// event, one notification titled "새 멘션" ("New mention"), published to platform.notifications.sent keyed
// by the recipient, kept in the live feed with its created-to-notified latency. Events that do not parse
// are counted and sent to the dead-letter topic with the reason; the service keeps going.
#include "kafka/GroupMember.h"
#include "kafka/Producer.h"

#include <memory>
#include <unordered_map>
#include <string>

namespace kcl {

inline constexpr const char *kNotificationGroup = "notification-service";
inline constexpr const char *kMentionTitle = "새 멘션"; // the guide's title; the ui shows its translation

class NotificationHandler : public MessageHandler {
public:
    NotificationHandler(std::unique_ptr<Producer> producer, std::shared_ptr<GroupState> group, PipelineMetrics &metrics);
    void handle(const rd_kafka_message_t &record) override;
    void tick() override;
    bool prepareCommit() override;
    Producer *commitGate() override { return m_producer.get(); }

    static HandlerFactory factory(std::map<std::string, std::string> producerProperties,
                                  std::shared_ptr<GroupState> group, PipelineMetrics &metrics);

private:
    std::unique_ptr<Producer> m_producer;
    std::shared_ptr<GroupState> m_group;
    PipelineMetrics &m_metrics;
    std::uint64_t m_sequence = 0;
    // Newest message.created timestamp handled per channel: an older one after it means the channel's order was
    // broken (messages keyed by channel share a partition and keep their order; unkeyed ones do not).
    std::unordered_map<std::string, std::int64_t> m_newestByChannel;
    // Highest offset handled per partition: a record at or below it is a re-delivery after a rebalance (at-least-once),
    // not a message arriving out of order, and is left out of the order check.
    std::unordered_map<std::int32_t, std::int64_t> m_highestOffset;
    std::string m_clientId;
};

} // namespace kcl
