#pragma once
// A pipeline service = one consumer group with N members, each a GroupMember on its own thread.
// Members are added and removed live; a removed member is asked to stop and reaped once its thread
// finished, so no caller waits for a consumer to close. Call from one thread (the engine thread).
#include "kafka/GroupMember.h"

#include <deque>
#include <memory>
#include <string>
#include <vector>

namespace kcl {

class ConsumerGroupService {
public:
    ConsumerGroupService(std::string groupId, std::vector<std::string> topics,
                         std::map<std::string, std::string> clusterProperties, PipelineMetrics &metrics);
    // How each member builds its handler (on the member's thread). Set before the first member is added.
    void setHandlerFactory(HandlerFactory factory) { m_factory = std::move(factory); }
    ~ConsumerGroupService(); // stops and joins every member

    const std::string &groupId() const { return m_groupId; }
    const std::vector<std::string> &topics() const { return m_topics; }
    void setMembers(int count);           // 0..64
    int memberCount() const { return static_cast<int>(m_members.size()); }
    // Each running member's consumer properties, oldest member first.
    std::vector<std::map<std::string, std::string>> memberProperties() const;
    void setProcessingDelayMs(int ms);    // for every member, now and later
    void setAutoOffsetReset(std::string reset) { m_autoOffsetReset = std::move(reset); } // for members added later
    void reap();                          // joins members that finished stopping
    void stopAll();                       // requests stop of every member and joins them (blocks)
    GroupInfo info() const;
    std::shared_ptr<GroupState> state() const { return m_state; }

private:
    std::string m_groupId;
    std::vector<std::string> m_topics;
    std::map<std::string, std::string> m_properties;
    HandlerFactory m_factory;
    PipelineMetrics &m_metrics;
    std::shared_ptr<GroupState> m_state;
    std::vector<std::unique_ptr<GroupMember>> m_members;
    std::deque<std::unique_ptr<GroupMember>> m_retiring;
    int m_nextMemberNumber = 1;
    int m_delayMs = 0;
    std::string m_autoOffsetReset = "earliest";
};

} // namespace kcl
