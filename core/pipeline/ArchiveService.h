#pragma once
// The archive service (group "archive"): appends every event to date-partitioned JSON-lines files,
//   <directory>/dt=YYYY-MM-DD/<topic>-<partition>.jsonl   (the record's timestamp, UTC)
// one line per record: {"topic","partition","offset","timestamp","key","event":<the parsed envelope>}.
// A record that does not parse goes to the dead-letter topic and is not archived.
// No gap: lines are flushed and fsynced in beforeCommit(), so an offset is committed only once its line is on disk.
// No duplicate: the first time a member handles a partition after taking it (or after each commit, since the
// partition may have moved to another member and back), it reads the highest offset already archived for it
// from the tails of its files (dropping an incomplete last line a crash left) and skips records at or below it.
#include "kafka/GroupMember.h"
#include "kafka/Producer.h"

#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

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
    void beforeCommit() override;

    static HandlerFactory factory(std::filesystem::path directory, std::map<std::string, std::string> producerProperties,
                                  std::shared_ptr<GroupState> group, PipelineMetrics &metrics);

private:
    std::FILE *fileFor(const std::string &topic, int partition, const std::string &datePartition);
    void closeAll(bool sync);

    std::filesystem::path m_directory;
    std::unique_ptr<Producer> m_deadLetters;
    std::shared_ptr<GroupState> m_group;
    PipelineMetrics &m_metrics;
    std::string m_clientId;
    // (topic, partition) -> highest offset on disk or written since; forgotten at each commit (see above).
    std::map<std::pair<std::string, int>, std::int64_t> m_highest;
    // Open files by path; all flushed, synced and closed before each commit.
    std::map<std::string, std::FILE *> m_open;
    bool m_dirty = false;
};

} // namespace kcl
