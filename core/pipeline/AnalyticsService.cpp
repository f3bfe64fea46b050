#include "pipeline/AnalyticsService.h"

#include "events/Event.h"
#include "metrics/PipelineMetrics.h"
#include "pipeline/DeadLetter.h"

namespace kcl {

AnalyticsHandler::AnalyticsHandler(AnalyticsWindows &windows, std::unique_ptr<Producer> deadLetters,
                                   std::shared_ptr<GroupState> group, PipelineMetrics &metrics)
    : m_windows(windows), m_deadLetters(std::move(deadLetters)), m_group(std::move(group)), m_metrics(metrics),
      m_clientId(m_deadLetters->clientId())
{
}

HandlerFactory AnalyticsHandler::factory(std::map<std::string, std::string> producerProperties,
                                         std::shared_ptr<GroupState> group, PipelineMetrics &metrics)
{
    return [props = std::move(producerProperties), group, &metrics](const std::string &clientId) {
        auto producer = makeServiceProducer(props, clientId + "-producer", metrics, {topics::kDeadLetter});
        return std::make_unique<AnalyticsHandler>(metrics.services.analytics, std::move(producer), group, metrics);
    };
}

void AnalyticsHandler::handle(const rd_kafka_message_t &record)
{
    const std::string_view bytes(static_cast<const char *>(record.payload), record.payload ? record.len : 0);
    ParseResult parsed = parseEvent(bytes);
    if (!parsed.ok()) {
        sendToDeadLetter(*m_deadLetters, record, kAnalyticsGroup, parsed.error->field, parsed.error->reason, *m_group,
                         m_metrics);
        return;
    }
    if (m_windows.add(*parsed.event) == AnalyticsWindows::Outcome::Ignored)
        sendToDeadLetter(*m_deadLetters, record, kAnalyticsGroup, "event_type",
                         "analytics counts message and user activity events, not " +
                             std::string(eventTypeName(parsed.event->type)),
                         *m_group, m_metrics);
}

void AnalyticsHandler::tick() { m_deadLetters->poll(0); }

bool AnalyticsHandler::prepareCommit()
{
    return acknowledgedBeforeCommit(*m_deadLetters, m_metrics, m_clientId, "dead letters");
}

} // namespace kcl
