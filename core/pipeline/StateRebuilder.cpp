#include "pipeline/StateRebuilder.h"

#include "kafka/Handles.h"
#include "metrics/PipelineMetrics.h"
#include "pipeline/DeadLetter.h"

#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>
#include <nlohmann/json.hpp>

#include <algorithm>

namespace kcl {

MessageStateStore::Outcome MessageStateStore::apply(const Event &event)
{
    std::lock_guard lock(m_mutex);
    const std::int64_t ts = event.timestampMs;
    if (const auto *c = std::get_if<MessageCreated>(&event.payload)) {
        auto [it, isNew] = m_messages.try_emplace(c->messageId);
        MessageState &s = it->second.state;
        if (!isNew && s.createdAtMs != 0)
            return Outcome::Stale; // the same creation again (at-least-once redelivery)
        s.createdAtMs = ts;
        s.channelId = c->channelId;
        s.authorId = c->authorId;
        // The creation is the oldest version: an update or delete already applied keeps its content.
        if (it->second.contentVersion == INT64_MIN) {
            s.content = c->content;
            s.mentions = c->mentions;
            it->second.contentVersion = ts;
        }
        s.updatedAtMs = std::max(s.updatedAtMs, ts);
        return Outcome::Applied;
    }
    if (const auto *u = std::get_if<MessageUpdated>(&event.payload)) {
        auto [it, isNew] = m_messages.try_emplace(u->messageId);
        Versioned &v = it->second;
        // A delete is final (no edit after it), but an edit older than the delete that arrives after it (another
        // topic) was made before the delete and still counts; an older edit never overwrites a newer one.
        if (!isNew && (ts >= v.deletedAtMs || ts < v.contentVersion))
            return Outcome::Stale;
        if (v.state.channelId.empty())
            v.state.channelId = u->channelId;
        if (v.state.authorId.empty())
            v.state.authorId = u->authorId;
        v.state.content = u->content;
        v.state.mentions = u->mentions;
        v.contentVersion = ts;
        v.state.updatedAtMs = std::max(v.state.updatedAtMs, ts);
        return Outcome::Applied;
    }
    if (const auto *d = std::get_if<MessageDeleted>(&event.payload)) {
        auto [it, isNew] = m_messages.try_emplace(d->messageId);
        MessageState &s = it->second.state;
        if (s.deleted)
            return Outcome::Stale;
        if (s.channelId.empty())
            s.channelId = d->channelId;
        s.deleted = true;
        it->second.deletedAtMs = ts;
        s.updatedAtMs = std::max(s.updatedAtMs, ts);
        ++m_deleted;
        return Outcome::Applied;
    }
    return Outcome::NotAMessageEvent;
}

std::map<std::string, MessageState> MessageStateStore::copy() const
{
    std::lock_guard lock(m_mutex);
    std::map<std::string, MessageState> out;
    for (const auto &[id, v] : m_messages)
        out.emplace(id, v.state);
    return out;
}

std::optional<MessageState> MessageStateStore::find(const std::string &messageId) const
{
    std::lock_guard lock(m_mutex);
    const auto it = m_messages.find(messageId);
    if (it == m_messages.end())
        return std::nullopt;
    return it->second.state;
}

std::size_t MessageStateStore::size() const
{
    std::lock_guard lock(m_mutex);
    return m_messages.size();
}

std::size_t MessageStateStore::deletedCount() const
{
    std::lock_guard lock(m_mutex);
    return m_deleted;
}

std::string messageStateJson(const std::string &messageId, const MessageState &s)
{
    nlohmann::ordered_json j;
    j["message_id"] = messageId;
    j["channel_id"] = s.channelId;
    j["author_id"] = s.authorId;
    j["content"] = s.content;
    j["mentions"] = s.mentions;
    j["created_at_ms"] = s.createdAtMs;
    j["updated_at_ms"] = s.updatedAtMs;
    j["deleted"] = s.deleted;
    return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

void ReplayProgress::setTargets(std::map<std::pair<std::string, int>, std::int64_t> endOffsets)
{
    std::lock_guard lock(m_mutex);
    if (m_hasTargets)
        return;
    m_remaining = std::move(endOffsets);
    m_hasTargets = true;
}

bool ReplayProgress::hasTargets() const
{
    std::lock_guard lock(m_mutex);
    return m_hasTargets;
}

void ReplayProgress::recordRead(const std::string &topic, int partition, std::int64_t offset)
{
    std::lock_guard lock(m_mutex);
    const auto it = m_remaining.find({topic, partition});
    if (it != m_remaining.end() && offset + 1 >= it->second)
        m_remaining.erase(it);
}

bool ReplayProgress::caughtUp() const
{
    std::lock_guard lock(m_mutex);
    return m_hasTargets && m_remaining.empty();
}

KafkaError queryEndOffsets(const std::map<std::string, std::string> &clusterProperties,
                           const std::vector<std::string> &topics,
                           std::map<std::pair<std::string, int>, std::int64_t> &out, int timeoutMs)
{
    auto props = clusterProperties;
    props["client.id"] = "kcl-rebuilder-offsets";
    KafkaHandle rk = makeHandle(RD_KAFKA_PRODUCER, makeConf(props));
    const rd_kafka_metadata_t *md = nullptr;
    if (auto err = rd_kafka_metadata(rk.get(), 1, nullptr, &md, timeoutMs))
        return KafkaError::fromCode(err, "reading the topics' partitions for the replay");
    MetadataHandle owned(md);
    out.clear();
    for (const auto &topic : topics) {
        const rd_kafka_metadata_topic_t *t = nullptr;
        for (int i = 0; i < md->topic_cnt; ++i)
            if (topic == md->topics[i].topic && !md->topics[i].err)
                t = &md->topics[i];
        if (!t)
            return KafkaError::fromCode(RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART, "topic " + topic + " does not exist");
        for (int p = 0; p < t->partition_cnt; ++p) {
            std::int64_t low = 0, high = 0;
            if (auto err = rd_kafka_query_watermark_offsets(rk.get(), topic.c_str(), t->partitions[p].id, &low, &high, timeoutMs))
                return KafkaError::fromCode(err, "reading the end offset of " + topic + " [" + std::to_string(t->partitions[p].id) + "]");
            if (high > low) // an empty partition has nothing to replay
                out[{topic, t->partitions[p].id}] = high;
        }
    }
    return {};
}

std::string StateDifference::toString() const
{
    if (kind == "different")
        return messageId + ": " + field + " differs (write model: " + writeModel + ", rebuilt: " + rebuilt + ")";
    if (kind == "missing")
        return messageId + ": in the write model but not rebuilt from the events";
    return messageId + ": rebuilt from the events but not in the write model";
}

namespace {

QMap<QString, QString> parseConnection(const std::string &s)
{
    QMap<QString, QString> m;
    for (const QString &kv : QString::fromStdString(s).split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        const int eq = kv.indexOf(QLatin1Char('='));
        if (eq > 0)
            m.insert(kv.left(eq), kv.mid(eq + 1));
    }
    return m;
}

std::string mentionsText(const std::vector<std::string> &m) { return nlohmann::json(m).dump(); }

} // namespace

bool compareWithWriteModel(const std::map<std::string, MessageState> &state, const std::string &sqlConnection,
                           const std::string &schema, std::vector<StateDifference> &differences, std::string &error)
{
    differences.clear();
    // The schema name is spliced into SQL: letters, digits and '_' only.
    if (!QRegularExpression(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$")).match(QString::fromStdString(schema)).hasMatch()) {
        error = "the schema name '" + schema + "' is not a plain SQL identifier";
        return false;
    }
    const QString name = QStringLiteral("kcl-rebuilder-%1").arg(QRandomGenerator::global()->generate());
    std::map<std::string, MessageState> writeModel;
    {
        const auto conn = parseConnection(sqlConnection);
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
        db.setHostName(conn.value(QStringLiteral("host"), QStringLiteral("127.0.0.1")));
        db.setPort(conn.value(QStringLiteral("port"), QStringLiteral("5432")).toInt());
        db.setDatabaseName(conn.value(QStringLiteral("dbname")));
        db.setUserName(conn.value(QStringLiteral("user")));
        db.setPassword(conn.value(QStringLiteral("password")));
        db.setConnectOptions(QStringLiteral("connect_timeout=5"));
        bool ok = db.open();
        if (!ok) {
            error = "the write model's PostgreSQL cannot be reached: " + db.lastError().text().toStdString();
        } else {
            QSqlQuery q(db);
            q.setForwardOnly(true);
            ok = q.exec(QStringLiteral("SELECT message_id, channel_id, author_id, content, mentions::text, created_at_ms, "
                                       "updated_at_ms, deleted FROM %1.messages").arg(QString::fromStdString(schema)));
            if (!ok)
                error = "reading " + schema + ".messages failed: " + q.lastError().text().toStdString();
            while (ok && q.next()) {
                MessageState s;
                s.channelId = q.value(1).toString().toStdString();
                s.authorId = q.value(2).toString().toStdString();
                s.content = q.value(3).toString().toStdString();
                const auto mentions = nlohmann::json::parse(q.value(4).toString().toStdString(), nullptr, false);
                if (mentions.is_array())
                    for (const auto &m : mentions)
                        if (m.is_string())
                            s.mentions.push_back(m.get<std::string>());
                s.createdAtMs = q.value(5).toLongLong();
                s.updatedAtMs = q.value(6).toLongLong();
                s.deleted = q.value(7).toBool();
                writeModel.emplace(q.value(0).toString().toStdString(), std::move(s));
            }
        }
        db.close();
        if (!ok) {
            db = QSqlDatabase();
            QSqlDatabase::removeDatabase(name);
            return false;
        }
    }
    QSqlDatabase::removeDatabase(name);

    auto differ = [&](const std::string &id, const char *field, const std::string &a, const std::string &b) {
        if (a != b)
            differences.push_back({id, "different", field, a, b});
    };
    for (const auto &[id, w] : writeModel) {
        const auto it = state.find(id);
        if (it == state.end()) {
            differences.push_back({id, "missing", {}, {}, {}});
            continue;
        }
        const MessageState &r = it->second;
        differ(id, "channel_id", w.channelId, r.channelId);
        differ(id, "author_id", w.authorId, r.authorId);
        differ(id, "content", w.content, r.content);
        differ(id, "mentions", mentionsText(w.mentions), mentionsText(r.mentions));
        differ(id, "created_at_ms", std::to_string(w.createdAtMs), std::to_string(r.createdAtMs));
        differ(id, "updated_at_ms", std::to_string(w.updatedAtMs), std::to_string(r.updatedAtMs));
        differ(id, "deleted", w.deleted ? "true" : "false", r.deleted ? "true" : "false");
    }
    for (const auto &[id, r] : state)
        if (!writeModel.count(id))
            differences.push_back({id, "extra", {}, {}, {}});
    return true;
}

StateRebuilderHandler::StateRebuilderHandler(std::shared_ptr<RebuilderShared> shared, std::unique_ptr<Producer> producer,
                                             std::string stateTopic, std::shared_ptr<GroupState> group,
                                             PipelineMetrics &metrics)
    : m_shared(std::move(shared)), m_producer(std::move(producer)), m_stateTopic(std::move(stateTopic)),
      m_group(std::move(group)), m_metrics(metrics), m_clientId(m_producer->clientId())
{
}

HandlerFactory StateRebuilderHandler::factory(std::shared_ptr<RebuilderShared> shared, std::vector<std::string> topics,
                                              std::map<std::string, std::string> clusterProperties,
                                              std::map<std::string, std::string> producerProperties,
                                              std::string stateTopic, std::shared_ptr<GroupState> group,
                                              PipelineMetrics &metrics)
{
    return [=, &metrics](const std::string &clientId) {
        if (!shared->progress.hasTargets()) {
            std::map<std::pair<std::string, int>, std::int64_t> ends;
            if (auto e = queryEndOffsets(clusterProperties, topics, ends))
                metrics.recordError(clientId, e.name, "the replay cannot know when it has caught up: " + e.sentence());
            else
                shared->progress.setTargets(std::move(ends));
        }
        metrics.services.rebuilder.caughtUp.store(shared->progress.caughtUp());
        std::vector<std::string_view> warm{topics::kDeadLetter};
        if (!stateTopic.empty())
            warm.push_back(stateTopic);
        auto producer = makeServiceProducer(producerProperties, clientId + "-producer", metrics, warm);
        return std::make_unique<StateRebuilderHandler>(shared, std::move(producer), stateTopic, group, metrics);
    };
}

void StateRebuilderHandler::handle(const rd_kafka_message_t &record)
{
    const std::string topic = rd_kafka_topic_name(record.rkt);
    m_shared->progress.recordRead(topic, record.partition, record.offset);
    const std::string_view bytes(static_cast<const char *>(record.payload), record.payload ? record.len : 0);
    ParseResult parsed = parseEvent(bytes);
    if (!parsed.ok()) {
        sendToDeadLetter(*m_producer, record, kRebuilderGroup, parsed.error->field, parsed.error->reason, *m_group, m_metrics);
        return;
    }
    auto &counters = m_metrics.services.rebuilder;
    switch (m_shared->store.apply(*parsed.event)) {
    case MessageStateStore::Outcome::Applied:
        counters.applied.fetch_add(1, std::memory_order_relaxed);
        publish(std::visit([](const auto &p) -> std::string {
                               if constexpr (requires { p.messageId; })
                                   return p.messageId;
                               else
                                   return {};
                           },
                           parsed.event->payload));
        break;
    case MessageStateStore::Outcome::Stale:
        counters.stale.fetch_add(1, std::memory_order_relaxed);
        break;
    case MessageStateStore::Outcome::NotAMessageEvent:
        sendToDeadLetter(*m_producer, record, kRebuilderGroup, "event_type",
                         "the state rebuilder applies message.created, .updated and .deleted, not " +
                             std::string(eventTypeName(parsed.event->type)),
                         *m_group, m_metrics);
        break;
    }
    counters.messages.store(static_cast<std::int64_t>(m_shared->store.size()), std::memory_order_relaxed);
    counters.deleted.store(static_cast<std::int64_t>(m_shared->store.deletedCount()), std::memory_order_relaxed);
}

void StateRebuilderHandler::publish(const std::string &messageId)
{
    if (m_stateTopic.empty() || messageId.empty())
        return;
    const auto state = m_shared->store.find(messageId);
    if (!state)
        return;
    // A deleted message becomes a tombstone (null value): compaction then removes it from the latest-state view.
    const std::string json = state->deleted ? std::string() : messageStateJson(messageId, *state);
    const std::string_view value = state->deleted ? std::string_view() : std::string_view(json);
    for (int attempt = 0; attempt < 1000; ++attempt) {
        const auto e = m_producer->produce(m_stateTopic, messageId, value);
        if (e.code != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
            if (e)
                m_metrics.recordError(m_clientId, e.name, "publishing the latest state of " + messageId + " failed: " + e.sentence());
            else {
                m_metrics.services.rebuilder.statePublished.fetch_add(1, std::memory_order_relaxed);
                m_metrics.services.rebuilder.statePublishedTotal.fetch_add(1, std::memory_order_relaxed);
            }
            break;
        }
        m_producer->poll(10);
    }
}

void StateRebuilderHandler::tick()
{
    m_producer->poll(0);
    const bool caughtUp = m_shared->progress.caughtUp();
    m_metrics.services.rebuilder.caughtUp.store(caughtUp, std::memory_order_relaxed);
    if (caughtUp && !m_shared->writeModelSchema.empty() && !m_shared->compared.exchange(true))
        compareOnce();
}

void StateRebuilderHandler::compareOnce()
{
    // The write side keeps writing while events flow: a difference can be an event one side has not reached yet.
    std::vector<StateDifference> differences;
    std::string error;
    if (!compareWithWriteModel(m_shared->store.copy(), m_shared->writeModelSql, m_shared->writeModelSchema, differences, error)) {
        m_metrics.recordError(m_clientId, "_FAIL", "comparing the rebuilt state with the write model failed: " + error);
        m_metrics.services.setRebuilderComparison(-1, error);
        return;
    }
    std::string summary = std::to_string(differences.size()) + " difference(s) with " + m_shared->writeModelSchema + ".messages";
    for (std::size_t i = 0; i < differences.size() && i < 5; ++i)
        summary += (i == 0 ? ": " : "; ") + differences[i].toString();
    m_metrics.services.setRebuilderComparison(static_cast<std::int64_t>(differences.size()), summary);
}

bool StateRebuilderHandler::prepareCommit()
{
    // The latest-state records (and dead letters) the offsets cover must be acknowledged first: a lost one would be
    // a key whose state the compacted topic never learns.
    return acknowledgedBeforeCommit(*m_producer, m_metrics, m_clientId, "the latest-state records");
}

} // namespace kcl
