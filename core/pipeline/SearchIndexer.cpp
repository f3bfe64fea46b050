#include "pipeline/SearchIndexer.h"

#include "events/Topics.h"
#include "metrics/PipelineMetrics.h"

#include <algorithm>
#include <map>

namespace kcl {

std::int64_t searchVersion(std::int64_t timestampMs, EventType type)
{
    const int kind = type == EventType::MessageDeleted ? 2 : type == EventType::MessageUpdated ? 1 : 0;
    return timestampMs * 4 + kind;
}

SearchIndexer::SearchIndexer(SearchIndexerOptions options, std::unique_ptr<Producer> deadLetters,
                             std::shared_ptr<GroupState> group, PipelineMetrics &metrics, SearchCounters &counters,
                             std::string clientId)
    : m_options(std::move(options)), m_deadLetters(std::move(deadLetters)), m_group(std::move(group)),
      m_metrics(metrics), m_counters(counters), m_clientId(std::move(clientId)),
      m_client(QString::fromStdString(m_options.searchUrl), QString::fromStdString(m_options.index),
               m_options.requestTimeoutMs)
{
}

SearchIndexer::~SearchIndexer()
{
    m_counters.buffered.fetch_sub(static_cast<std::int64_t>(m_buffer.size()), std::memory_order_relaxed);
}

HandlerFactory SearchIndexer::factory(SearchIndexerOptions options, std::map<std::string, std::string> producerProperties,
                                      std::shared_ptr<GroupState> group, PipelineMetrics &metrics, SearchCounters &counters)
{
    counters.setTarget(options.searchUrl, options.index);
    counters.running.store(true);
    return [options = std::move(options), props = std::move(producerProperties), group, &metrics,
            &counters](const std::string &clientId) {
        // The dead-letter topic also takes records too large to be events (a 1 MB poison record): without the raised
        // local limit librdkafka refuses it (MSG_SIZE_TOO_LARGE) and it would be committed without being kept anywhere;
        // a dead letter whose delivery fails is sent again before the next commit.
        auto producer = makeServiceProducer(props, clientId + "-deadletter", metrics, {topics::kDeadLetter});
        return std::make_unique<SearchIndexer>(options, std::move(producer), group, metrics, counters, clientId);
    };
}

void SearchIndexer::handle(const rd_kafka_message_t &record)
{
    Entry entry;
    entry.source.topic = rd_kafka_topic_name(record.rkt);
    entry.source.partition = record.partition;
    entry.source.offset = record.offset;
    entry.source.key.assign(static_cast<const char *>(record.key), record.key ? record.key_len : 0);
    entry.source.value.assign(static_cast<const char *>(record.payload), record.payload ? record.len : 0);
    const ParseResult parsed = parseEvent(entry.source.value);
    if (!parsed.ok()) {
        // Its offset is still stored only after the records before it on its partition were indexed.
        sendToDeadLetter(*m_deadLetters, entry.source, kSearchIndexerGroup, parsed.error->field, parsed.error->reason,
                         *m_group, m_metrics);
        m_counters.deadLettered.fetch_add(1, std::memory_order_relaxed);
    } else {
        const Event &event = *parsed.event;
        entry.type = event.type;
        SearchDocument doc;
        if (const auto *c = std::get_if<MessageCreated>(&event.payload)) {
            doc.id = QString::fromStdString(c->messageId);
            doc.channel = QString::fromStdString(c->channelId);
            doc.author = QString::fromStdString(c->authorId);
            doc.content = QString::fromStdString(c->content);
            doc.createdAtMs = event.timestampMs;
        } else if (const auto *u = std::get_if<MessageUpdated>(&event.payload)) {
            // The edit does not carry the creation time: flushBatch() looks it up.
            doc.id = QString::fromStdString(u->messageId);
            doc.channel = QString::fromStdString(u->channelId);
            doc.author = QString::fromStdString(u->authorId);
            doc.content = QString::fromStdString(u->content);
        } else if (const auto *d = std::get_if<MessageDeleted>(&event.payload)) {
            doc.id = QString::fromStdString(d->messageId);
            doc.channel = QString::fromStdString(d->channelId);
            doc.deleted = true;
        }
        if (!doc.id.isEmpty()) {
            doc.updatedAtMs = event.timestampMs;
            entry.action = BulkIndexAction{std::move(doc), searchVersion(event.timestampMs, event.type)};
            ++m_actionsBuffered;
        }
    }
    if (m_buffer.empty())
        m_oldest = std::chrono::steady_clock::now();
    m_buffer.push_back(std::move(entry));
    m_counters.buffered.fetch_add(1, std::memory_order_relaxed);
    // Sent from tick(), between polls: sending here, once per full batch of a poll's records, kept the member from
    // its periodic commit for as many round trips as the poll held batches (seconds, with a slow node).
}

void SearchIndexer::tick()
{
    m_deadLetters->poll(0);
    flushDue(false);
}

void SearchIndexer::flushDue(bool force)
{
    using namespace std::chrono;
    // The member commits about once a second, between polls: unless forced, stop sending after a second's worth of
    // round trips, so a slow node delays the commit of what it has answered by one batch, not by the whole buffer.
    const auto started = steady_clock::now();
    while (!m_buffer.empty()) {
        const auto now = steady_clock::now();
        if (now < m_nextAttempt)
            return;
        if (!force && now - started >= kFlushBudget)
            return;
        const bool full = m_actionsBuffered >= m_options.batchSize;
        const bool old = now - m_oldest >= milliseconds(m_options.maxBufferAgeMs);
        if (!force && !full && !old)
            return;
        if (!flushBatch())
            return;
        m_oldest = now; // what is left arrived after the batch was due; give it its own age from now
    }
}

bool SearchIndexer::flushBatch()
{
    if (!m_indexReady) {
        QString error;
        if (!m_client.ensureIndex(&error)) {
            nodeFailed(error);
            return false;
        }
        m_indexReady = true;
    }
    // The batch: the buffer's prefix with up to batchSize documents (records without a document ride along, so
    // offsets stay in order per partition).
    std::size_t entries = 0;
    std::vector<BulkIndexAction> actions;
    std::vector<std::size_t> entryOfAction;
    while (entries < m_buffer.size() && static_cast<int>(actions.size()) < m_options.batchSize) {
        if (m_buffer[entries].action) {
            actions.push_back(*m_buffer[entries].action);
            entryOfAction.push_back(entries);
        }
        ++entries;
    }
    if (!actions.empty()) {
        // An edit replaces the whole document but does not carry the creation time: take it from a created event in
        // this batch, or from the document already indexed. (An edit indexed before its created event has none until
        // that event comes: see fillCreationTimes.)
        std::map<QString, qint64> createdAt;
        QStringList unknown;
        for (const auto &a : actions)
            if (a.document.createdAtMs > 0)
                createdAt[a.document.id] = a.document.createdAtMs;
        for (const auto &a : actions)
            if (a.document.createdAtMs == 0 && !a.document.deleted && !createdAt.count(a.document.id))
                unknown << a.document.id;
        if (!unknown.isEmpty()) {
            QString error;
            const auto known = m_client.createdAtOf(unknown, &error);
            if (!known) {
                nodeFailed(error);
                return false;
            }
            createdAt.insert(known->begin(), known->end());
        }
        for (auto &a : actions)
            if (a.document.createdAtMs == 0 && !a.document.deleted)
                if (const auto it = createdAt.find(a.document.id); it != createdAt.end())
                    a.document.createdAtMs = it->second;
        const BulkResult result = m_client.bulk(actions);
        if (!result.ok()) {
            m_counters.bulkFailures.fetch_add(1, std::memory_order_relaxed);
            nodeFailed(result.error);
            return false;
        }
        std::map<QString, qint64> lateCreates;
        for (std::size_t i = 0; i < result.items.size(); ++i)
            if (result.items[i].versionConflict() && m_buffer[entryOfAction[i]].type == EventType::MessageCreated)
                lateCreates[actions[i].document.id] = actions[i].document.createdAtMs;
        if (QString error; !fillCreationTimes(lateCreates, &error)) {
            nodeFailed(error); // the whole batch again: its writes answer 409 this time
            return false;
        }
        m_counters.bulkRequests.fetch_add(1, std::memory_order_relaxed);
        m_counters.bulkLatency.add(result.http.roundTripMs);
        // Each answered document is done: its action leaves the entry (the entry stays, for its offset). Documents
        // the node cannot take now (overloaded, or a block such as the flood-stage watermark's) keep theirs and the
        // batch is sent again after a backoff; sending them to the dead-letter topic would lose them from the index.
        const BulkItemResult *held = nullptr;
        int heldCount = 0;
        for (std::size_t i = 0; i < result.items.size(); ++i) {
            const BulkItemResult &item = result.items[i];
            Entry &entry = m_buffer[entryOfAction[i]];
            if (item.retryable()) {
                held = held ? held : &item;
                ++heldCount;
                continue;
            }
            if (item.applied()) {
                (entry.type == EventType::MessageDeleted ? m_counters.deleted : m_counters.indexed)
                    .fetch_add(1, std::memory_order_relaxed);
            } else if (item.versionConflict()) {
                m_counters.versionConflicts.fetch_add(1, std::memory_order_relaxed); // already there, or newer
            } else {
                // The node refused this one document (mapping, size...): it will refuse it again; keep going.
                sendToDeadLetter(*m_deadLetters, entry.source, kSearchIndexerGroup, "search." + item.errorType.toStdString(),
                                 "the search node " + m_options.searchUrl + " rejected document '" +
                                     entry.action->document.id.toStdString() + "' (HTTP " + std::to_string(item.status) +
                                     "): " + item.errorReason.toStdString(),
                                 *m_group, m_metrics);
                m_counters.deadLettered.fetch_add(1, std::memory_order_relaxed);
            }
            entry.action.reset();
            --m_actionsBuffered;
        }
        if (held) {
            const QString reason = held->errorType + QStringLiteral(": ") + held->errorReason;
            nodeFailed(QStringLiteral("the search node at %1 could not take %2 of the %3 documents of a bulk request "
                                      "for now (HTTP %4, %5).%6")
                           .arg(QString::fromStdString(m_options.searchUrl))
                           .arg(heldCount)
                           .arg(actions.size())
                           .arg(held->status)
                           .arg(reason, HttpJsonClient::adviceFor(held->status, reason)));
            return false;
        }
        nodeAnswered();
    }
    storeOffsetsOf(entries);
    m_buffer.erase(m_buffer.begin(), m_buffer.begin() + static_cast<std::ptrdiff_t>(entries));
    m_counters.buffered.fetch_sub(static_cast<std::int64_t>(entries), std::memory_order_relaxed);
    return true;
}

bool SearchIndexer::fillCreationTimes(const std::map<QString, qint64> &createdAtById, QString *error)
{
    QStringList ids;
    for (const auto &[id, at] : createdAtById)
        ids << id;
    // A write between our read and our write (a newer edit or delete of the same message, from another member) makes
    // ours answer 409: read those documents again, a few times at most.
    for (int attempt = 0; attempt < 3 && !ids.isEmpty(); ++attempt) {
        const auto docs = m_client.getMany(ids, error);
        if (!docs)
            return false;
        std::vector<BulkIndexAction> fills;
        for (const auto &d : *docs) {
            if (d.deleted || d.createdAtMs > 0)
                continue; // a deleted message stays deleted; a creation time already there is the same one
            BulkIndexAction fill{d, d.version, true};
            fill.document.createdAtMs = createdAtById.at(d.id);
            fills.push_back(std::move(fill));
        }
        ids.clear();
        if (fills.empty())
            return true;
        const BulkResult result = m_client.bulk(fills);
        if (!result.ok()) {
            *error = result.error;
            return false;
        }
        for (std::size_t i = 0; i < result.items.size(); ++i)
            if (result.items[i].versionConflict())
                ids << fills[i].document.id;
    }
    return true;
}

void SearchIndexer::storeOffsetsOf(std::size_t entries)
{
    std::map<std::pair<std::string, std::int32_t>, std::int64_t> next;
    for (std::size_t i = 0; i < entries; ++i) {
        const auto &s = m_buffer[i].source;
        auto &n = next[{s.topic, s.partition}];
        n = std::max(n, s.offset + 1);
    }
    std::vector<OffsetToStore> offsets;
    for (const auto &[tp, offset] : next)
        offsets.push_back({tp.first, tp.second, offset});
    if (m_storeOffsets && !offsets.empty())
        m_storeOffsets(offsets);
}

void SearchIndexer::nodeFailed(const QString &error)
{
    m_backoffMs = m_backoffMs == 0 ? m_options.backoffInitialMs : std::min(m_backoffMs * 2, m_options.backoffMaxMs);
    m_nextAttempt = std::chrono::steady_clock::now() + std::chrono::milliseconds(m_backoffMs);
    m_counters.retries.fetch_add(1, std::memory_order_relaxed);
    m_counters.setLastError(error.toStdString());
    // A node that answers with an error is not down: it is up and refusing (a disk block, overload), which asks for
    // a different fix. The code then is the HTTP status, as no librdkafka name fits.
    const int status = m_client.lastStatus();
    const int state = status > 0 ? kSearchNodeRefusing : kSearchNodeDown;
    if (m_nodeState != state) { // once per state change, not per retry
        m_nodeState = state;
        m_counters.nodeUp.store(state);
        m_metrics.recordError(m_clientId, status > 0 ? "HTTP_" + std::to_string(status) : std::string("_TRANSPORT"),
                              error.toStdString() + " The records are kept and retried with backoff (up to " +
                                  std::to_string(m_options.backoffMaxMs) + " ms); no offset is committed past them.");
    }
}

void SearchIndexer::nodeAnswered()
{
    m_backoffMs = 0;
    m_nextAttempt = {};
    if (m_nodeState == kSearchNodeDown || m_nodeState == kSearchNodeRefusing)
        m_metrics.recordError(m_clientId, "_RECOVERED",
                              "the search node at " + m_options.searchUrl + " takes the writes again; indexing resumed");
    m_nodeState = kSearchNodeUp;
    m_counters.nodeUp.store(kSearchNodeUp);
}

bool SearchIndexer::prepareCommit()
{
    // Offsets are stored only for answered batches, so committing them is always safe; the periodic commit sends
    // nothing first (tick() does). A record that went to the dead-letter topic is committed only once that topic
    // acknowledged it.
    return acknowledgedBeforeCommit(*m_deadLetters, m_metrics, m_clientId, "dead letters");
}

void SearchIndexer::finishBeforeLastCommit()
{
    flushDue(true); // unless the node is in backoff: then the next owner re-reads what is left
}

void SearchIndexer::partitionsRevoked(const std::vector<TopicPartitionRef> &partitions)
{
    // Called after the last commit for these partitions: what is still buffered is re-read by their next owner.
    const auto lost = [&](const Entry &e) {
        return std::find(partitions.begin(), partitions.end(), TopicPartitionRef{e.source.topic, e.source.partition}) !=
               partitions.end();
    };
    std::int64_t dropped = 0;
    for (auto it = m_buffer.begin(); it != m_buffer.end();) {
        if (lost(*it)) {
            m_actionsBuffered -= it->action ? 1 : 0;
            it = m_buffer.erase(it);
            ++dropped;
        } else {
            ++it;
        }
    }
    m_counters.buffered.fetch_sub(dropped, std::memory_order_relaxed);
}

} // namespace kcl
