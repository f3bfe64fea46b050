#pragma once
// The analytics service (group "analytics"): counts message.created / .updated / .deleted and user.activity
// events into event-time 1-minute tumbling windows (see metrics/AnalyticsWindows.h): messages per channel and per
// user, mentions per user, active users; late events are counted, not dropped. A record that does not parse, or
// an event type analytics does not count (e.g. notification.sent on a message topic), goes to the dead-letter topic.
#include "kafka/GroupMember.h"
#include "kafka/Producer.h"

#include <map>
#include <memory>
#include <string>

namespace kcl {

inline constexpr const char *kAnalyticsGroup = "analytics";

class AnalyticsWindows;

class AnalyticsHandler : public MessageHandler {
public:
    AnalyticsHandler(AnalyticsWindows &windows, std::unique_ptr<Producer> deadLetters, std::shared_ptr<GroupState> group,
                     PipelineMetrics &metrics);
    void handle(const rd_kafka_message_t &record) override;
    void tick() override;
    bool prepareCommit() override;
    Producer *commitGate() override { return m_deadLetters.get(); }

    // Every member adds to the same windows (metrics.services.analytics), so the watermark is the group's.
    static HandlerFactory factory(std::map<std::string, std::string> producerProperties,
                                  std::shared_ptr<GroupState> group, PipelineMetrics &metrics);

private:
    AnalyticsWindows &m_windows;
    std::unique_ptr<Producer> m_deadLetters;
    std::shared_ptr<GroupState> m_group;
    PipelineMetrics &m_metrics;
    std::string m_clientId;
};

} // namespace kcl
