#pragma once
// Consumer-lag arithmetic, time-lag estimation and group status rules: pure functions and small value types,
// unit-tested without a cluster. The LagMonitor feeds them with the cluster's own answers.
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

namespace kcl {

// Lag of one partition = end offset (high watermark, or last stable offset for read_committed) minus the
// group's committed offset. No committed offset: lag is unknown (shown "-", as kafka-consumer-groups does),
// never zero.
struct PartitionLag {
    std::optional<std::int64_t> committed;
    std::int64_t logStart = 0;
    std::int64_t logEnd = 0;
    std::optional<std::int64_t> lag;           // logEnd - committed, when committed is known
    bool committedBelowLogStart = false;       // retention removed records the group never read
    bool committedBeyondLogEnd = false;        // e.g. the topic was truncated or recreated
};
PartitionLag computeLag(std::optional<std::int64_t> committed, std::int64_t logStart, std::int64_t logEnd);

// Offset/time history of one partition's end offset, sampled each monitor cycle (bounded). Estimates when the
// end offset passed a given offset, so "seconds behind" = now - that moment (the kafka-lag-exporter method:
// linear interpolation between the two samples around the offset). An estimate, and marked as one.
class OffsetTimeHistory {
public:
    explicit OffsetTimeHistory(std::size_t capacity = 300) : m_capacity(capacity) {}
    void add(std::int64_t endOffset, std::int64_t atMs);
    struct Estimate {
        double seconds = 0;     // estimated time lag
        bool lowerBound = false; // the offset is older than the history: at least this many seconds
        bool known = false;      // false with fewer than 1 sample
    };
    Estimate timeLag(std::int64_t committedOffset, std::int64_t nowMs) const;
    std::size_t size() const { return m_samples.size(); }

private:
    struct Sample { std::int64_t offset; std::int64_t atMs; };
    std::size_t m_capacity;
    std::deque<Sample> m_samples; // offsets non-decreasing (a drop resets the history)
};

// Group status over a sliding window of samples (Burrow's evaluation rules, adapted to what the cluster
// tells us: committed offsets, end offsets, and whether the group has members).
enum class GroupStatus { Ok, Warning, Error, Stalled, Stopped };
const char *groupStatusName(GroupStatus s); // "OK", "WARNING", ...

struct LagSample {                 // one partition at one monitor cycle
    std::int64_t atMs = 0;
    std::optional<std::int64_t> committed;
    std::int64_t lag = 0;          // 0 when committed is unknown and the partition is empty
    // Between the committed offset and the end lies nothing a read_committed consumer can read, only transaction
    // markers (a librdkafka consumer commits the offset after its last record, never past the marker that ends the
    // transaction). Found by reading the partition (LagMonitor), never guessed from the numbers.
    bool markersOnly = false;
};
struct StatusVerdict {
    GroupStatus status = GroupStatus::Ok;
    std::string reason;            // a sentence a student understands
};
// partitions: one window (oldest first) per partition, all of the same group; hasMembers: the group has
// active members now. Windows with fewer than 2 samples only support the STOPPED and OK verdicts.
// A partition whose newest sample is markersOnly has been read to the end: it counts as keeping up, and its lag
// (the markers) is not counted as events that wait.
StatusVerdict evaluateGroupStatus(const std::vector<std::vector<LagSample>> &partitions, bool hasMembers);

// Rebalance frequency of one group: the moments the monitor saw a rebalance, kept for one hour (older moments are
// dropped when a new one is added, so memory is bounded by the monitor cycles in an hour, whatever the count
// since the start). A moment exactly 60 s (3600 s) old still counts in the last minute (hour); a moment after
// `nowMs` (the wall clock stepped back) counts as now.
class RebalanceWindow {
public:
    static constexpr std::int64_t minuteMs = 60'000;
    static constexpr std::int64_t hourMs = 3'600'000;
    void add(std::int64_t atMs);
    struct Counts {
        int lastMinute = 0;
        int lastHour = 0;
    };
    Counts counts(std::int64_t nowMs) const;
    std::size_t size() const { return m_at.size(); }

private:
    std::deque<std::int64_t> m_at; // in the order added
};

} // namespace kcl
