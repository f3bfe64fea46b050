#pragma once
// Simulates the collaboration platform's backend: users, channels, messages with mentions, edits, deletes
// and user activity. Deterministic for a seed: the same seed gives the same sequence of event types, ids,
// keys, contents and mentions (only timestamps come from the clock that is passed in).
#include "events/Event.h"

#include <cstdint>
#include <deque>
#include <random>
#include <string>
#include <vector>

namespace kcl {

struct WorkloadMix {            // relative weights of the event kinds
    double created = 70, updated = 8, deleted = 4, activity = 18;
};

struct WorkloadShape {
    int users = 50;
    int channels = 12;
    double mentionProbability = 0.3; // chance that a new message mentions someone (1..3 users)
    WorkloadMix mix;
};

class WorkloadGenerator {
public:
    explicit WorkloadGenerator(std::uint64_t seed, WorkloadShape shape = {});
    Event next(std::int64_t timestampMs);
    void setMentionProbability(double p) { m_shape.mentionProbability = p; }
    void setMix(const WorkloadMix &mix) { m_shape.mix = mix; }
    const WorkloadShape &shape() const { return m_shape; }
    std::uint64_t generated() const { return m_count; }

    static std::string userId(int i);    // "user_001"
    static std::string channelId(int i); // "ch_dev", "ch_design", ... then "ch_13"...
    static std::vector<std::string> contentWords(); // the words message contents are made of (Korean and English)

private:
    Event makeCreated(std::int64_t ts);
    std::string makeContent(int words);
    std::string nextEventId();
    std::string messageId(std::uint64_t number) const; // "msg_<seed tag>_<number>"
    std::mt19937_64 m_rng;
    WorkloadShape m_shape;
    std::uint64_t m_seedTag;
    std::uint64_t m_count = 0;
    std::uint64_t m_messageCount = 0;
    // Ids by number, not as strings: a delete erases from the middle, which moves every later entry.
    struct Live { std::uint64_t number; int channel, author; };
    std::deque<Live> m_recent; // recent messages that edits and deletes refer to (bounded)
};

} // namespace kcl
