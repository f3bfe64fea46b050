#include "pipeline/ArchiveService.h"

#include "events/Event.h"
#include "metrics/PipelineMetrics.h"
#include "pipeline/DeadLetter.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <utility>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <unistd.h>

namespace kcl {
namespace fs = std::filesystem;

namespace {

std::string fileName(const std::string &topic, int partition) { return topic + "-" + std::to_string(partition) + ".jsonl"; }

// Reads [from, to) of an open file descriptor.
bool readRange(int fd, std::int64_t from, std::int64_t to, std::string &out)
{
    out.resize(static_cast<std::size_t>(to - from));
    std::size_t done = 0;
    while (done < out.size()) {
        const ssize_t n = ::pread(fd, out.data() + done, out.size() - done, static_cast<off_t>(from) + static_cast<off_t>(done));
        if (n <= 0) {
            if (n < 0 && errno == EINTR)
                continue;
            return false;
        }
        done += static_cast<std::size_t>(n);
    }
    return true;
}

// The offset on the last complete line of one archive file, -1 when it has none. Reads backwards in chunks until
// the start of that line is found, so only the tail of a large file is read.
std::int64_t lastArchivedOffset(const fs::path &file, bool repair, bool &repaired)
{
    const int fd = ::open(file.c_str(), repair ? O_RDWR : O_RDONLY);
    if (fd < 0)
        return -1;
    struct FdCloser { int fd; ~FdCloser() { ::close(fd); } } closer{fd};
    const off_t size = ::lseek(fd, 0, SEEK_END);
    if (size <= 0)
        return -1;
    constexpr std::int64_t kChunk = 64 * 1024;
    std::string tail; // the bytes [tailStart, size)
    std::int64_t tailStart = size;
    std::int64_t lastNewline = -1;   // absolute position of the file's last '\n'
    std::int64_t lineStart = -1;     // absolute start of the last complete line
    while (tailStart > 0 && lineStart < 0) {
        const std::int64_t from = std::max<std::int64_t>(0, tailStart - kChunk);
        std::string chunk;
        if (!readRange(fd, from, tailStart, chunk))
            return -1;
        tail.insert(0, chunk);
        tailStart = from;
        if (lastNewline < 0) {
            const auto p = tail.rfind('\n');
            if (p != std::string::npos)
                lastNewline = tailStart + static_cast<std::int64_t>(p);
        }
        if (lastNewline >= 0) {
            const std::size_t rel = static_cast<std::size_t>(lastNewline - tailStart);
            const auto prev = rel == 0 ? std::string::npos : tail.rfind('\n', rel - 1);
            if (prev != std::string::npos)
                lineStart = tailStart + static_cast<std::int64_t>(prev) + 1;
            else if (tailStart == 0)
                lineStart = 0;
        }
    }
    if (repair && lastNewline + 1 < size) {
        // A crash between the start and the end of a line: the record was never committed, so it is read again.
        if (::ftruncate(fd, static_cast<off_t>(lastNewline + 1)) == 0) {
            ::fsync(fd);
            repaired = true;
        }
    }
    if (lastNewline < 0 || lineStart < 0)
        return -1;
    const std::string_view line(tail.data() + (lineStart - tailStart), static_cast<std::size_t>(lastNewline - lineStart));
    const auto doc = nlohmann::json::parse(line, nullptr, false);
    if (doc.is_discarded() || !doc.is_object() || !doc.contains("offset") || !doc["offset"].is_number_integer())
        return -1;
    return doc["offset"].get<std::int64_t>();
}

void fsyncDirectory(const fs::path &dir)
{
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

} // namespace

fs::path defaultArchiveDirectory()
{
    const char *xdg = std::getenv("XDG_DATA_HOME");
    fs::path base;
    if (xdg && *xdg)
        base = xdg;
    else if (const char *home = std::getenv("HOME"); home && *home)
        base = fs::path(home) / ".local" / "share";
    else
        base = fs::temp_directory_path();
    return base / "kafka-collab-lab" / "archive";
}

std::string archiveDatePartition(std::int64_t timestampMs)
{
    const std::time_t seconds = static_cast<std::time_t>(timestampMs >= 0 ? timestampMs / 1000 : (timestampMs - 999) / 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char buf[32];
    std::strftime(buf, sizeof buf, "dt=%Y-%m-%d", &utc);
    return buf;
}

std::int64_t highestArchivedOffset(const fs::path &directory, const std::string &topic, int partition, bool repair,
                                   int *repairedTails)
{
    std::int64_t highest = -1;
    std::error_code ec;
    const std::string name = fileName(topic, partition);
    for (const auto &entry : fs::directory_iterator(directory, ec)) {
        if (!entry.is_directory(ec) || entry.path().filename().string().rfind("dt=", 0) != 0)
            continue;
        const fs::path file = entry.path() / name;
        if (!fs::exists(file, ec))
            continue;
        bool repaired = false;
        highest = std::max(highest, lastArchivedOffset(file, repair, repaired));
        if (repaired && repairedTails)
            ++*repairedTails;
    }
    return highest;
}

ArchiveHandler::ArchiveHandler(fs::path directory, std::unique_ptr<Producer> deadLetters,
                               std::shared_ptr<GroupState> group, PipelineMetrics &metrics)
    : m_directory(std::move(directory)), m_deadLetters(std::move(deadLetters)), m_group(std::move(group)),
      m_metrics(metrics), m_clientId(m_deadLetters->clientId())
{
}

ArchiveHandler::~ArchiveHandler() { closeAll(true); }

HandlerFactory ArchiveHandler::factory(fs::path directory, std::map<std::string, std::string> producerProperties,
                                       std::shared_ptr<GroupState> group, PipelineMetrics &metrics)
{
    return [directory = std::move(directory), props = std::move(producerProperties), group,
            &metrics](const std::string &clientId) {
        std::error_code ec;
        fs::create_directories(directory, ec);
        if (ec)
            throw KafkaConfigError("the archive directory " + directory.string() + " cannot be created: " + ec.message());
        auto producer = makeServiceProducer(props, clientId + "-producer", metrics, {topics::kDeadLetter});
        return std::make_unique<ArchiveHandler>(directory, std::move(producer), group, metrics);
    };
}

std::FILE *ArchiveHandler::fileFor(const std::string &topic, int partition, const std::string &datePartition,
                                   std::string *error)
{
    const fs::path dir = m_directory / datePartition;
    const fs::path path = dir / fileName(topic, partition);
    if (auto it = m_open.find(path.string()); it != m_open.end())
        return it->second;
    std::error_code ec;
    const bool newDir = !fs::exists(dir, ec);
    fs::create_directories(dir, ec);
    const bool newFile = !fs::exists(path, ec);
    std::FILE *f = std::fopen(path.c_str(), "ab");
    if (!f) {
        *error = "the archive file " + path.string() + " cannot be opened: " + std::strerror(errno);
        return nullptr;
    }
    // A new file's (and new directory's) name must reach the disk too, or a power loss could lose synced lines.
    if (newFile)
        fsyncDirectory(dir);
    if (newDir)
        fsyncDirectory(m_directory);
    m_open.emplace(path.string(), f);
    return f;
}

bool ArchiveHandler::append(const Line &line, std::string *error)
{
    std::FILE *f = fileFor(line.topic, line.partition, line.datePartition, error);
    if (!f)
        return false;
    if (std::fwrite(line.text.data(), 1, line.text.size(), f) != line.text.size()) {
        *error = "writing the archive line of " + line.topic + " [" + std::to_string(line.partition) + "] at offset " +
                 std::to_string(line.offset) + " failed: " + std::strerror(errno);
        return false;
    }
    m_dirty = true;
    m_metrics.services.archive.lines.fetch_add(1, std::memory_order_relaxed);
    m_metrics.services.archive.bytes.fetch_add(static_cast<std::int64_t>(line.text.size()), std::memory_order_relaxed);
    return true;
}

void ArchiveHandler::writeFailed(const std::string &error)
{
    // Lines written since the last sync may or may not be on disk: write them again, after what a partial write left
    // (writePending() skips offsets already there). They come before the kept ones: they were handled first.
    std::string ignored;
    closeAll(false, &ignored);
    m_pending.insert(m_pending.begin(), std::make_move_iterator(m_unsynced.begin()), std::make_move_iterator(m_unsynced.end()));
    m_unsynced.clear();
    m_highest.clear(); // what is on disk is read again from the files' tails
    m_backoffMs = m_backoffMs == 0 ? 100 : std::min(m_backoffMs * 2, 2000);
    m_nextRetry = std::chrono::steady_clock::now() + std::chrono::milliseconds(m_backoffMs);
    if (!m_failing) { // once per state change, not per retry
        m_failing = true;
        m_metrics.recordError(m_clientId, "_FS",
                              error + ". The record and every one after it are kept in memory and written again (every " +
                                  "2 s at most); no offset is committed until they are on disk.");
    }
}

bool ArchiveHandler::writePending()
{
    // On disk per partition: a failed write may have left part of the kept lines (and a cut line, repaired here).
    std::map<std::pair<std::string, int>, std::int64_t> onDisk;
    std::string error;
    while (!m_pending.empty()) {
        const Line &line = m_pending.front();
        const auto key = std::make_pair(line.topic, line.partition);
        auto it = onDisk.find(key);
        if (it == onDisk.end()) {
            int repaired = 0;
            it = onDisk.emplace(key, highestArchivedOffset(m_directory, line.topic, line.partition, true, &repaired)).first;
            m_metrics.services.archive.repairedTails.fetch_add(repaired, std::memory_order_relaxed);
        }
        if (line.offset > it->second) {
            if (!append(line, &error)) {
                writeFailed(error);
                return false;
            }
            it->second = line.offset;
            m_unsynced.push_back(std::move(m_pending.front()));
        }
        m_pending.pop_front();
    }
    // Seen by handle() for the next records: the highest offset on disk or written now.
    for (const auto &[key, offset] : onDisk)
        m_highest[key] = std::max(m_highest.count(key) ? m_highest[key] : -1, offset);
    return true;
}

void ArchiveHandler::handle(const rd_kafka_message_t &record)
{
    const std::string topic = rd_kafka_topic_name(record.rkt);
    const auto partitionKey = std::make_pair(topic, static_cast<int>(record.partition));
    m_handledUpTo[partitionKey] = record.offset + 1; // whatever happens to it below is settled by the next commit
    auto highest = m_highest.find(partitionKey);
    if (highest == m_highest.end()) {
        int repaired = 0;
        const std::int64_t onDisk = highestArchivedOffset(m_directory, topic, record.partition, true, &repaired);
        m_metrics.services.archive.repairedTails.fetch_add(repaired, std::memory_order_relaxed);
        highest = m_highest.emplace(partitionKey, onDisk).first;
    }
    if (record.offset <= highest->second) { // archived before a crash or by the partition's previous owner
        m_metrics.services.archive.duplicatesSkipped.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    const std::string_view bytes(static_cast<const char *>(record.payload), record.payload ? record.len : 0);
    ParseResult parsed = parseEvent(bytes);
    if (!parsed.ok()) {
        sendToDeadLetter(*m_deadLetters, record, kArchiveGroup, parsed.error->field, parsed.error->reason, *m_group,
                         m_metrics);
        return;
    }
    rd_kafka_timestamp_type_t tsType;
    std::int64_t timestamp = rd_kafka_message_timestamp(&record, &tsType);
    if (timestamp < 0)
        timestamp = parsed.event->timestampMs;
    nlohmann::ordered_json head;
    head["topic"] = topic;
    head["partition"] = record.partition;
    head["offset"] = record.offset;
    head["timestamp"] = timestamp;
    if (record.key)
        head["key"] = std::string(static_cast<const char *>(record.key), record.key_len);
    else
        head["key"] = nullptr;
    std::string line = head.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    line.pop_back(); // the closing brace: the event follows
    line += ",\"event\":";
    line += serialize(*parsed.event);
    line += "}\n";
    highest->second = record.offset;
    Line l{topic, static_cast<int>(record.partition), record.offset, archiveDatePartition(timestamp), std::move(line)};
    if (!m_pending.empty()) { // an earlier line is not written yet: this one waits behind it
        m_pending.push_back(std::move(l));
        return;
    }
    std::string error;
    if (!append(l, &error)) {
        m_pending.push_back(std::move(l));
        writeFailed(error);
        return;
    }
    m_unsynced.push_back(std::move(l));
}

void ArchiveHandler::tick()
{
    m_deadLetters->poll(0);
    if (!m_pending.empty() && std::chrono::steady_clock::now() >= m_nextRetry)
        writePending();
}

bool ArchiveHandler::closeAll(bool sync, std::string *error)
{
    bool ok = true;
    for (auto &[path, f] : m_open) {
        if (std::fflush(f) != 0 || (sync && ::fsync(::fileno(f)) != 0)) {
            if (ok && error)
                *error = "flushing the archive file " + path + " failed: " + std::strerror(errno);
            ok = false;
        }
        if (std::fclose(f) != 0 && ok) { // NFS and the like report a failed write only here
            if (error)
                *error = "closing the archive file " + path + " failed: " + std::strerror(errno);
            ok = false;
        }
    }
    m_open.clear();
    return ok;
}

bool ArchiveHandler::prepareCommit()
{
    // Offsets are committed right after this returns true: every line they cover must be on disk first.
    const bool last = std::exchange(m_lastCommit, false);
    if (!m_pending.empty() && !writePending())
        return false;
    std::string error;
    if (!closeAll(true, &error)) {
        writeFailed(error);
        return false;
    }
    m_unsynced.clear();
    if (m_failing) {
        m_failing = false;
        m_backoffMs = 0;
        m_metrics.recordError(m_clientId, "_RECOVERED", "the archive writes to " + m_directory.string() +
                                                            " again; every kept line is on disk and committed");
    }
    if (m_dirty) {
        m_metrics.services.archive.flushes.fetch_add(1, std::memory_order_relaxed);
        m_dirty = false;
    }
    // The partition may move to another member before the next record: read its files' tails again then.
    m_highest.clear();
    if (last) { // the partitions leave (or the member stops): wait for the dead letters, as every service does
        if (!acknowledgedBeforeCommit(*m_deadLetters, m_metrics, m_clientId, "dead letters"))
            return false;
        for (const auto &batch : m_awaitingAcks)
            store(batch.offsets);
        m_awaitingAcks.clear();
        store(m_handledUpTo);
        m_handledUpTo.clear();
        m_ackWaitReported = false;
        return true;
    }
    // Every line handled so far is on disk; its offsets wait (without blocking the member) for the dead letters sent
    // before them. Commits store only acknowledged batches: what this commit sends may be an older batch, or nothing.
    if (!m_handledUpTo.empty()) {
        m_awaitingAcks.push_back({m_deadLetters->deliveryMark(), std::move(m_handledUpTo), std::chrono::steady_clock::now()});
        m_handledUpTo.clear();
    }
    m_deadLetters->poll(0);
    m_deadLetters->resendKept(); // a dead letter whose delivery failed goes out again; its offsets wait for it
    storeAcknowledged();
    return true;
}

void ArchiveHandler::store(const HandledOffsets &offsets)
{
    if (!m_storeOffsets || offsets.empty())
        return;
    std::vector<OffsetToStore> list;
    for (const auto &[key, next] : offsets)
        list.push_back({key.first, key.second, next});
    m_storeOffsets(list);
}

void ArchiveHandler::storeAcknowledged()
{
    HandledOffsets ready; // later batches hold later offsets of the same partitions
    while (!m_awaitingAcks.empty() && m_deadLetters->acknowledgedThrough(m_awaitingAcks.front().mark)) {
        for (const auto &[key, next] : m_awaitingAcks.front().offsets)
            ready[key] = next;
        m_awaitingAcks.pop_front();
    }
    store(ready);
    if (m_awaitingAcks.empty()) {
        m_ackWaitReported = false;
    } else if (!m_ackWaitReported && std::chrono::steady_clock::now() - m_awaitingAcks.front().since > std::chrono::seconds(10)) {
        m_ackWaitReported = true; // once until they are acknowledged, not every second
        m_metrics.recordError(m_clientId, "_TIMED_OUT",
                              "dead letters were not all acknowledged within 10 s; the archive goes on writing, but "
                              "offsets after them are committed only once they are");
    }
}

void ArchiveHandler::partitionsRevoked(const std::vector<TopicPartitionRef> &partitions)
{
    // Called after the last commit attempt for these partitions: their next owner re-reads what was not committed,
    // so lines still kept for them are dropped (writing them later would duplicate the new owner's).
    const auto lost = [&](const Line &l) {
        return std::find(partitions.begin(), partitions.end(), TopicPartitionRef{l.topic, l.partition}) != partitions.end();
    };
    m_pending.erase(std::remove_if(m_pending.begin(), m_pending.end(), lost), m_pending.end());
    m_unsynced.erase(std::remove_if(m_unsynced.begin(), m_unsynced.end(), lost), m_unsynced.end());
    for (const auto &tp : partitions) {
        m_handledUpTo.erase({tp.topic, tp.partition});
        for (auto &batch : m_awaitingAcks)
            batch.offsets.erase({tp.topic, tp.partition});
    }
    m_highest.clear();
}

} // namespace kcl
