#include "pipeline/ArchiveService.h"

#include "events/Event.h"
#include "metrics/PipelineMetrics.h"
#include "pipeline/DeadLetter.h"

#include <nlohmann/json.hpp>

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
        auto producer = std::make_unique<Producer>(withDeadLetterLimits(props), clientId + "-producer", metrics);
        producer->warmUp({topics::kDeadLetter});
        return std::make_unique<ArchiveHandler>(directory, std::move(producer), group, metrics);
    };
}

std::FILE *ArchiveHandler::fileFor(const std::string &topic, int partition, const std::string &datePartition)
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
        m_metrics.recordError(m_clientId, "_FS", "the archive file " + path.string() + " cannot be opened: " + std::strerror(errno));
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

void ArchiveHandler::handle(const rd_kafka_message_t &record)
{
    const std::string topic = rd_kafka_topic_name(record.rkt);
    const auto partitionKey = std::make_pair(topic, static_cast<int>(record.partition));
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
    std::FILE *f = fileFor(topic, record.partition, archiveDatePartition(timestamp));
    if (!f || std::fwrite(line.data(), 1, line.size(), f) != line.size()) {
        m_metrics.recordError(m_clientId, "_FS", "writing the archive line of " + topic + " [" +
                                                     std::to_string(record.partition) + "] at offset " +
                                                     std::to_string(record.offset) + " failed: " + std::strerror(errno));
        return;
    }
    m_dirty = true;
    highest->second = record.offset;
    m_metrics.services.archive.lines.fetch_add(1, std::memory_order_relaxed);
    m_metrics.services.archive.bytes.fetch_add(static_cast<std::int64_t>(line.size()), std::memory_order_relaxed);
}

void ArchiveHandler::tick() { m_deadLetters->poll(0); }

void ArchiveHandler::closeAll(bool sync)
{
    for (auto &[path, f] : m_open) {
        if (std::fflush(f) != 0 || (sync && ::fsync(::fileno(f)) != 0))
            m_metrics.recordError(m_clientId, "_FS", "flushing the archive file " + path + " failed: " + std::strerror(errno));
        std::fclose(f);
    }
    m_open.clear();
}

void ArchiveHandler::beforeCommit()
{
    // Offsets are committed right after this returns: every line they cover must be on disk first.
    closeAll(true);
    if (m_dirty) {
        m_metrics.services.archive.flushes.fetch_add(1, std::memory_order_relaxed);
        m_dirty = false;
    }
    if (!m_deadLetters->flush(10000))
        m_metrics.recordError(m_clientId, "_TIMED_OUT", "dead letters were not acknowledged within 10 s before a commit");
    // The partition may move to another member before the next record: read its files' tails again then.
    m_highest.clear();
}

} // namespace kcl
