#pragma once
// The live tail of one topic (the Events page): a thread with its own consumer handle, outside any group (it never
// commits and never joins, so it changes no group's offsets or assignment), assigned to every partition of the chosen
// topic from a little before its end. It keeps the newest records, decoded with the strict parser, in a bounded list
// that the engine copies into each snapshot.
#include "events/Event.h"
#include "metrics/Snapshot.h"

#include <atomic>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <thread>

namespace kcl {

class EventTail {
public:
    static constexpr std::size_t kCapacity = 100;       // records kept
    static constexpr std::size_t kMaxValueBytes = 8192; // a longer value is kept cut, and said so

    explicit EventTail(std::map<std::string, std::string> clusterProperties);
    ~EventTail(); // stops and joins

    // Starts tailing `topic` (empty: stop tailing), from up to `backlogPerPartition` records before each end.
    void setTopic(const std::string &topic, int backlogPerPartition = 10);
    std::string topic() const;
    std::vector<TailRecord> records() const; // oldest first
    std::string lastError() const;

private:
    void run();
    std::map<std::string, std::string> m_properties;
    mutable std::mutex m_mutex;
    std::string m_topic;            // wanted (guarded)
    int m_backlog = 10;
    std::uint64_t m_generation = 0; // bumped by setTopic: the thread reassigns
    std::deque<TailRecord> m_records;
    std::string m_error;
    std::atomic<bool> m_stop{false};
    std::thread m_thread;
};

// A complete, valid example of an event type (the Events page's form starts from it), at `timestampMs`.
Event sampleEvent(EventType type, std::int64_t timestampMs);

// One line that says what an event is, e.g. "message.created msg_1 in ch_dev by user_004: @user_002 배포 완료".
std::string describeEvent(const Event &event);

} // namespace kcl
