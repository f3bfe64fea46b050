#pragma once
// The archive service (group "archive"): appends every event to date-partitioned JSON-lines files,
//   <directory>/dt=YYYY-MM-DD/<topic>-<partition>.jsonl   (the record's timestamp, UTC)
// one line per record: {"topic","partition","offset","timestamp","key","event":<the parsed envelope>}.
// A record that does not parse goes to the dead-letter topic and is not archived.
// No gap: lines are flushed and fsynced in prepareCommit(), so an offset is committed only once its line is on disk.
// A record that went to the dead-letter topic is committed only once that dead letter is acknowledged; the periodic
// commit does not wait for it (it stores the offsets handled so far with a mark of the dead letters sent, and stores
// them once the mark is acknowledged), so a slow or unavailable dead-letter topic never stops the archiving. Only the
// last commit before partitions leave the member waits (up to 10 s).
// A line that cannot be written (the directory is unwritable, the disk full, fsync fails) is kept in memory with every
// line after it; nothing is committed (prepareCommit() says no) and the partitions pause until a retry writes and
// syncs them all, so the committed offsets never pass a record that is not on disk.
// No duplicate: the first time a member handles a partition after taking it (or after each commit, since the
// partition may have moved to another member and back), it reads the highest offset already archived for it
// from the tails of its files (dropping an incomplete last line a crash left) and skips records at or below it.
#include "kafka/GroupMember.h"
#include "kafka/Producer.h"

#include <chrono>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace kcl {

inline constexpr const char *kArchiveGroup = "archive";

// ${XDG_DATA_HOME:-~/.local/share}/kafka-collab-lab/archive
std::filesystem::path defaultArchiveDirectory();
// "dt=YYYY-MM-DD" for a timestamp (ms since the epoch, UTC).
std::string archiveDatePartition(std::int64_t timestampMs);
// The highest offset archived for topic/partition under `directory`, -1 when none. With `repair`, an incomplete last
// line (a crash in the middle of a write) is cut off each file first; `repairedTails` counts those cuts.
std::int64_t highestArchivedOffset(const std::filesystem::path &directory, const std::string &topic, int partition,
                                   bool repair, int *repairedTails = nullptr);

class ArchiveHandler : public MessageHandler {
public:
    ArchiveHandler(std::filesystem::path directory, std::unique_ptr<Producer> deadLetters,
                   std::shared_ptr<GroupState> group, PipelineMetrics &metrics);
    ~ArchiveHandler() override;
    ArchiveHandler(const ArchiveHandler &) = delete;
    ArchiveHandler &operator=(const ArchiveHandler &) = delete;

    void handle(const rd_kafka_message_t &record) override;
    void tick() override;
    bool prepareCommit() override;
    void finishBeforeLastCommit() override { m_lastCommit = true; }
    bool saturated() const override { return !m_pending.empty(); }
    void partitionsRevoked(const std::vector<TopicPartitionRef> &partitions) override;
    // Offsets are stored here, in prepareCommit(), only once every line they cover is synced and every dead letter
    // acknowledged: an offset the member stored after handle() could otherwise outlive the lines it stood for.
    bool storesOwnOffsets() const override { return true; }
    void attachOffsetStore(OffsetStore store) override { m_storeOffsets = std::move(store); }

    static HandlerFactory factory(std::filesystem::path directory, std::map<std::string, std::string> producerProperties,
                                  std::shared_ptr<GroupState> group, PipelineMetrics &metrics);

private:
    struct Line {
        std::string topic;
        int partition = 0;
        std::int64_t offset = 0;
        std::string datePartition, text;
    };
    std::FILE *fileFor(const std::string &topic, int partition, const std::string &datePartition, std::string *error);
    // Appends one line to its file; false with *error when it could not.
    bool append(const Line &line, std::string *error);
    // Writes the kept lines in order (skipping those a partial write already put on disk); true when none is left.
    bool writePending();
    // Flushes (and with sync, fsyncs) and closes every open file; false with *error when one failed.
    bool closeAll(bool sync, std::string *error = nullptr);
    // A write or sync failed: keep what is not surely on disk and say so (once, not per retry).
    void writeFailed(const std::string &error);
    // Stores the offsets of every batch in m_awaitingAcks whose dead letters are all acknowledged now (never waits).
    void storeAcknowledged();
    using HandledOffsets = std::map<std::pair<std::string, int>, std::int64_t>;
    void store(const HandledOffsets &offsets);


    std::filesystem::path m_directory;
    std::unique_ptr<Producer> m_deadLetters;
    std::shared_ptr<GroupState> m_group;
    PipelineMetrics &m_metrics;
    std::string m_clientId;
    // (topic, partition) -> highest offset on disk or written since; forgotten at each commit (see above).
    std::map<std::pair<std::string, int>, std::int64_t> m_highest;
    // (topic, partition) -> the next offset after the last record handled (archived, skipped or dead-lettered); stored
    // by prepareCommit() once all of it is on disk or acknowledged.
    HandledOffsets m_handledUpTo;
    OffsetStore m_storeOffsets;
    // Offsets whose lines are on disk, waiting for the dead letters sent before them (mark: the dead-letter producer's
    // deliveryMark() when they were synced), oldest first.
    struct AwaitingAcks {
        std::uint64_t mark = 0;
        HandledOffsets offsets;
        std::chrono::steady_clock::time_point since;
    };
    std::deque<AwaitingAcks> m_awaitingAcks;
    bool m_lastCommit = false;    // set by finishBeforeLastCommit(): the next prepareCommit() waits for the dead letters
    bool m_ackWaitReported = false;
    // Open files by path; all flushed, synced and closed before each commit.
    std::map<std::string, std::FILE *> m_open;
    bool m_dirty = false;
    // Lines written since the last successful sync (their fate is unknown if the sync fails), and lines not written
    // yet because a write or sync failed (in record order; every later line of the member waits behind them).
    std::vector<Line> m_unsynced;
    std::deque<Line> m_pending;
    std::chrono::steady_clock::time_point m_nextRetry{};
    int m_backoffMs = 0;
    bool m_failing = false;
};

} // namespace kcl
