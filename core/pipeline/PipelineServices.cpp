// Pipeline's analytics, archive and state-rebuilder services (kept apart from Pipeline.cpp, which other
// services change too).
#include "pipeline/AnalyticsService.h"
#include "pipeline/ArchiveService.h"
#include "pipeline/Pipeline.h"
#include "pipeline/StateRebuilder.h"

#include "events/Topics.h"

namespace kcl {

std::unique_ptr<ConsumerGroupService> Pipeline::makeDataService(const std::string &groupId)
{
    using std::string;
    if (groupId == kAnalyticsGroup) {
        auto svc = std::make_unique<ConsumerGroupService>(
            groupId + m_options.groupIdSuffix,
            std::vector<string>{string(topics::kMessagesCreated), string(topics::kMessagesUpdated),
                                string(topics::kMessagesDeleted), string(topics::kUsersActivity)},
            consumerProperties(), m_metrics);
        svc->setAutoOffsetReset(m_options.newGroupOffsetReset);
        svc->setHandlerFactory(AnalyticsHandler::factory(producerProperties(), svc->state(), m_metrics));
        return svc;
    }
    if (groupId == kArchiveGroup) {
        const std::filesystem::path dir = m_options.services.archiveDirectory.empty()
                                              ? defaultArchiveDirectory()
                                              : std::filesystem::path(m_options.services.archiveDirectory);
        m_metrics.services.setArchiveDirectory(dir.string());
        auto svc = std::make_unique<ConsumerGroupService>(
            groupId + m_options.groupIdSuffix,
            std::vector<string>{string(topics::kMessagesCreated), string(topics::kMessagesUpdated),
                                string(topics::kMessagesDeleted), string(topics::kNotificationsSent),
                                string(topics::kUsersActivity)},
            consumerProperties(), m_metrics);
        svc->setAutoOffsetReset(m_options.newGroupOffsetReset);
        svc->setHandlerFactory(ArchiveHandler::factory(dir, producerProperties(), svc->state(), m_metrics));
        return svc;
    }
    if (groupId == kRebuilderGroup) {
        const std::vector<string> sources{string(topics::kMessagesCreated), string(topics::kMessagesUpdated),
                                          string(topics::kMessagesDeleted)};
        // A group of its own per replay: it always starts from the beginning of the topics.
        auto svc = std::make_unique<ConsumerGroupService>(
            groupId + m_options.groupIdSuffix + "-" + std::to_string(wallClockMs()), sources, consumerProperties(), m_metrics);
        svc->setAutoOffsetReset("earliest");
        string stateTopic;
        if (m_admin && m_options.services.publishLatestState) {
            const int rf = std::max(1, std::min<int>(3, static_cast<int>(m_metadata.brokers.size())));
            // Compaction at lab speed: a segment closes every 5 s (the cleaner never touches the open one) and is
            // cleaned as soon as 1% of the log is dirty, so a student sees older states go within a minute. An
            // existing topic (an earlier run) gets the same configs.
            const std::map<string, string> configs{{"cleanup.policy", "compact"}, {"segment.ms", "5000"},
                                                   {"min.cleanable.dirty.ratio", "0.01"}};
            KafkaError e = m_admin->ensureTopics({kMessagesStateTopic}, m_options.partitions, rf, 15000, configs);
            if (!e)
                e = m_admin->alterTopicConfigs(kMessagesStateTopic, configs);
            if (e)
                m_metrics.recordError(groupId, e.name, "creating the compacted topic " + string(kMessagesStateTopic) +
                                                           " failed: " + e.sentence());
            else
                stateTopic = kMessagesStateTopic;
        } else if (m_embedded) {
            m_metrics.recordError(groupId, "_NOT_IMPLEMENTED",
                                  "the latest-state topic is not published on the embedded cluster: it has no log "
                                  "compaction (use the local lab stack)");
        }
        m_metrics.services.setStateTopic(stateTopic);
        auto shared = std::make_shared<RebuilderShared>();
        // Compared with the write model this pipeline writes (a CQRS write mode), or with the one the options name.
        shared->writeModelSql = sqlConnection();
        if (!m_options.services.writeModelSchema.empty() && !m_options.cluster.sqlConnection.empty())
            shared->writeModelSchema = m_options.services.writeModelSchema;
        else if (m_options.writeMode != WriteMode::Direct)
            shared->writeModelSchema = m_options.sqlSchema;
        svc->setHandlerFactory(StateRebuilderHandler::factory(shared, sources,
                                                              consumerProperties(), producerProperties(), stateTopic,
                                                              svc->state(), m_metrics));
        return svc;
    }
    return nullptr;
}

} // namespace kcl
