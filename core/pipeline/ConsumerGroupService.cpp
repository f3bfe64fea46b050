#include "pipeline/ConsumerGroupService.h"

#include <algorithm>

namespace kcl {

ConsumerGroupService::ConsumerGroupService(std::string groupId, std::vector<std::string> topics,
                                           std::map<std::string, std::string> clusterProperties,
                                           PipelineMetrics &metrics)
    : m_groupId(std::move(groupId)), m_topics(std::move(topics)), m_properties(std::move(clusterProperties)),
      m_metrics(metrics), m_state(std::make_shared<GroupState>())
{
    m_state->groupId = m_groupId;
}

ConsumerGroupService::~ConsumerGroupService() { stopAll(); }

void ConsumerGroupService::setMembers(int count)
{
    count = std::clamp(count, 0, 64);
    while (memberCount() < count) {
        GroupMember::Config cfg;
        cfg.groupId = m_groupId;
        cfg.clientId = m_groupId + "-" + std::to_string(m_nextMemberNumber++);
        cfg.topics = m_topics;
        cfg.properties = m_properties;
        cfg.processingDelayMs = m_delayMs;
        cfg.autoOffsetReset = m_autoOffsetReset;
        cfg.membersInGroup = count; // members already running keep the share they joined with
        m_members.push_back(std::make_unique<GroupMember>(std::move(cfg), m_factory, m_state, m_metrics));
    }
    while (memberCount() > count) {
        m_members.back()->requestStop(); // the newest leaves first
        m_retiring.push_back(std::move(m_members.back()));
        m_members.pop_back();
    }
}

std::vector<std::map<std::string, std::string>> ConsumerGroupService::memberProperties() const
{
    std::vector<std::map<std::string, std::string>> all;
    for (const auto &m : m_members)
        all.push_back(m->madeWith());
    return all;
}

void ConsumerGroupService::setProcessingDelayMs(int ms)
{
    m_delayMs = std::max(0, ms);
    for (auto &m : m_members)
        m->setProcessingDelayMs(m_delayMs);
}

void ConsumerGroupService::reap()
{
    std::erase_if(m_retiring, [](const std::unique_ptr<GroupMember> &m) {
        if (!m->finished())
            return false;
        m->join(); // the thread has finished its work: this returns at once
        return true;
    });
}

void ConsumerGroupService::stopAll()
{
    for (auto &m : m_members)
        m->requestStop();
    for (auto &m : m_retiring)
        m->requestStop();
    m_members.clear(); // destructors join
    m_retiring.clear();
}

GroupInfo ConsumerGroupService::info() const
{
    GroupInfo gi;
    gi.groupId = m_groupId;
    for (const auto &m : m_members)
        gi.members.push_back(m->info());
    gi.consumedTotal = m_state->consumed.load();
    gi.parseErrors = m_state->parseErrors.load();
    gi.periodicCommits = m_state->periodicCommits.load();
    gi.commitFallbacks = m_state->commitFallbacks.load();
    gi.processingDelayMs = m_delayMs;
    gi.consumeLatency = m_state->consumeLatency.summary();
    std::lock_guard lock(m_state->mutex);
    gi.rebalances = m_state->rebalances;
    const auto &tl = m_state->timeline;
    gi.recentRebalances.assign(tl.size() > 50 ? tl.end() - 50 : tl.begin(), tl.end());
    return gi;
}

} // namespace kcl
