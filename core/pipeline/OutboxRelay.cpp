#include "pipeline/OutboxRelay.h"

#include "kafka/TrackedProducer.h"
#include "metrics/PipelineMetrics.h"
#include "sinks/WriteModel.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>
#include <QVariant>
#include <chrono>

namespace kcl {

OutboxRelay::OutboxRelay(OutboxRelayOptions options, WriteSideCounters &counters, PipelineMetrics *metrics)
    : m_options(std::move(options)), m_counters(counters), m_metrics(metrics)
{
    m_newProperties = m_options.producerProperties;
}

OutboxRelay::~OutboxRelay() { stop(); }

void OutboxRelay::start()
{
    if (m_thread.joinable())
        return;
    m_stop.store(false);
    m_thread = std::thread([this] { run(); });
}

void OutboxRelay::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop.store(true);
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

void OutboxRelay::setProducerProperties(std::map<std::string, std::string> properties)
{
    std::lock_guard lock(m_mutex);
    m_newProperties = std::move(properties);
    m_propertiesChanged = true;
}

void OutboxRelay::pause(int ms)
{
    std::unique_lock lock(m_mutex);
    m_wake.wait_for(lock, std::chrono::milliseconds(ms), [this] { return m_stop.load(); });
}

void OutboxRelay::refreshPending(SqlSession &sql)
{
    QSqlQuery q(sql.db());
    if (q.exec(QStringLiteral("SELECT count(*), COALESCE(min(created_at_ms), 0) FROM %1.outbox WHERE sent_at_ms IS NULL")
                   .arg(m_options.schema)) &&
        q.next()) {
        m_counters.pending.store(q.value(0).toLongLong());
        m_counters.oldestPendingCreatedMs.store(q.value(1).toLongLong());
    }
}

std::map<std::string, std::string> OutboxRelay::producerProperties(std::map<std::string, std::string> given,
                                                                   int messageTimeoutMs)
{
    given["enable.idempotence"] = "true"; // no duplicates or reordering from the producer's own retries
    given["acks"] = "all";                // a row is marked sent only once every in-sync replica has its event
    given["message.timeout.ms"] = std::to_string(messageTimeoutMs);
    given.try_emplace("linger.ms", "5");
    given.try_emplace("log_level", "3");
    return given;
}

void OutboxRelay::run()
{
    if (!isValidSchemaName(m_options.schema)) { // it is pasted into the relay's statements
        m_counters.setLastError("the outbox relay does not start: '" + m_options.schema.toStdString() +
                                "' is not a schema name the app uses (lower-case letters, digits and '_')");
        return;
    }
    SqlSession sql(m_options.sqlConnection, QStringLiteral("outbox-relay"));
    std::unique_ptr<TrackedProducer> producer;
    std::map<std::string, std::string> properties;
    int backoffMs = 0;
    auto nextStats = std::chrono::steady_clock::now();
    auto backOff = [&](const QString &why) {
        m_counters.setLastError(why.toStdString());
        backoffMs = std::min(m_options.maxBackoffMs, std::max(200, backoffMs * 2));
        pause(backoffMs);
    };
    while (!m_stop.load()) {
        QString error;
        if (!sql.isOpen() && !sql.open(&error)) {
            backOff(QStringLiteral("the outbox relay cannot reach PostgreSQL: ") + error);
            continue;
        }
        {
            std::lock_guard lock(m_mutex);
            if (m_propertiesChanged || !producer) {
                properties = m_newProperties;
                m_propertiesChanged = false;
                producer.reset();
            }
        }
        if (!producer) {
            try {
                producer = std::make_unique<TrackedProducer>(producerProperties(properties, m_options.messageTimeoutMs),
                                                             m_options.clientId, m_metrics);
                m_warmTopics.clear();
            } catch (const std::exception &ex) {
                backOff(QStringLiteral("the outbox relay's producer could not start: ") + QString::fromUtf8(ex.what()));
                continue;
            }
        }
        const auto now = std::chrono::steady_clock::now();
        if (now >= nextStats) {
            refreshPending(sql);
            nextStats = now + std::chrono::milliseconds(m_options.statsIntervalMs);
        }
        switch (relayBatch(sql, *producer, &error)) {
        case BatchOutcome::Empty:
            backoffMs = 0;
            m_counters.pending.store(0);
            m_counters.oldestPendingCreatedMs.store(0);
            pause(m_options.idlePollMs);
            break;
        case BatchOutcome::Relayed:
            backoffMs = 0;
            break;
        case BatchOutcome::KafkaFailed:
            refreshPending(sql);
            backOff(error);
            break;
        case BatchOutcome::SqlFailed:
            sql.close(); // reconnect on the next turn
            backOff(error);
            break;
        }
    }
}

OutboxRelay::BatchOutcome OutboxRelay::relayBatch(SqlSession &sql, TrackedProducer &producer, QString *error)
{
    QSqlDatabase &db = sql.db();
    if (!db.transaction()) {
        *error = QStringLiteral("the outbox relay could not start a transaction: ") + db.lastError().text();
        return BatchOutcome::SqlFailed;
    }
    struct Row {
        qlonglong id;
        QByteArray topic, key, payload;
        std::int64_t createdAtMs;
        std::optional<DeliveryResult> result;
    };
    std::vector<Row> rows;
    {
        QSqlQuery q(db);
        q.setForwardOnly(true);
        if (!q.exec(QStringLiteral("SELECT id, topic, event_key, payload, created_at_ms FROM %1.outbox WHERE sent_at_ms IS NULL "
                                   "ORDER BY id LIMIT %2 FOR UPDATE SKIP LOCKED")
                        .arg(m_options.schema)
                        .arg(m_options.batchSize))) {
            *error = QStringLiteral("the outbox relay could not read the outbox: ") + q.lastError().text();
            db.rollback();
            return BatchOutcome::SqlFailed;
        }
        while (q.next())
            rows.push_back({q.value(0).toLongLong(), q.value(1).toString().toUtf8(), q.value(2).toString().toUtf8(),
                            q.value(3).toString().toUtf8(), q.value(4).toLongLong(), std::nullopt});
    }
    if (rows.empty()) {
        db.commit();
        return BatchOutcome::Empty;
    }
    // Produce in id order. The tag is this batch's number (high half) and the row's index: a late report of an
    // earlier, abandoned batch is never taken for one of these rows.
    const std::uint64_t batch = ++m_batchNumber;
    std::size_t reported = 0;
    auto collect = [&] {
        for (auto &d : producer.takeDeliveries()) {
            const std::size_t index = d.tag & 0xffffffffu;
            if ((d.tag >> 32) == batch && index < rows.size() && !rows[index].result) {
                rows[index].result = std::move(d);
                ++reported;
            }
        }
    };
    for (const Row &r : rows)
        if (m_warmTopics.insert(r.topic.toStdString()).second)
            producer.warmUp(r.topic.toStdString(), 2000);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const Row &r = rows[i];
        KafkaError e;
        while ((e = producer.produce(std::string_view(r.topic.constData(), static_cast<std::size_t>(r.topic.size())),
                                     std::string_view(r.key.constData(), static_cast<std::size_t>(r.key.size())),
                                     std::string_view(r.payload.constData(), static_cast<std::size_t>(r.payload.size())),
                                     (batch << 32) | i))
                   .code == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
            producer.poll(10);
            collect();
        }
        if (e) {
            rows[i].result = DeliveryResult{i, e, wallClockMs()};
            ++reported;
        }
    }
    // Every record gets a report within message.timeout.ms; the margin covers the last poll.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(m_options.messageTimeoutMs + 3000);
    bool purged = false;
    auto nextStats = std::chrono::steady_clock::now() + std::chrono::milliseconds(m_options.statsIntervalMs);
    while (reported < rows.size() && std::chrono::steady_clock::now() < deadline) {
        if (std::chrono::steady_clock::now() >= nextStats) {
            // Kafka is slow or down: keep the pending figures current while the batch waits (a new statement in
            // READ COMMITTED sees the rows committed meanwhile).
            refreshPending(sql);
            nextStats += std::chrono::milliseconds(m_options.statsIntervalMs);
        }
        if (m_stop.load() && !purged) {
            // Stopping while Kafka does not answer: give the batch up now rather than after message.timeout.ms; its
            // rows stay unsent and the next relay publishes them.
            producer.purge();
            purged = true;
        }
        producer.poll(20);
        collect();
    }
    QStringList acked;
    std::int64_t ackedCount = 0;
    KafkaError firstFailure;
    std::int64_t failed = 0;
    for (const Row &r : rows) {
        if (r.result && !r.result->error) {
            acked << QStringLiteral("(%1,%2)").arg(r.id).arg(r.result->ackedAtMs);
            ++ackedCount;
        } else {
            ++failed;
            if (!firstFailure)
                firstFailure = r.result ? r.result->error
                                        : KafkaError::fromCode(RD_KAFKA_RESP_ERR__TIMED_OUT, "no delivery report in time");
        }
    }
    if (ackedCount > 0) {
        QSqlQuery mark(db);
        if (!mark.exec(QStringLiteral("UPDATE %1.outbox AS o SET sent_at_ms = v.acked FROM (VALUES %2) AS v(id, acked) "
                                      "WHERE o.id = v.id").arg(m_options.schema, acked.join(QLatin1Char(','))))) {
            *error = QStringLiteral("the outbox relay could not mark %1 delivered rows as sent (they will be published "
                                    "again): %2").arg(ackedCount).arg(mark.lastError().text());
            db.rollback();
            return BatchOutcome::SqlFailed;
        }
    }
    if (!db.commit()) {
        *error = QStringLiteral("the outbox relay could not commit the sent marks (the rows will be published again): ") +
                 db.lastError().text();
        db.rollback();
        return BatchOutcome::SqlFailed;
    }
    for (const Row &r : rows) {
        if (!r.result || r.result->error)
            continue;
        m_counters.relayLag.add(static_cast<double>(r.result->ackedAtMs - r.createdAtMs));
        if (m_metrics) { // the notification check compares notified mentions with acknowledged ones
            const ParseResult p = parseEvent(std::string_view(r.payload.constData(), static_cast<std::size_t>(r.payload.size())));
            if (const auto *c = p.ok() ? std::get_if<MessageCreated>(&p.event->payload) : nullptr)
                m_metrics->mentionsProduced.fetch_add(static_cast<std::int64_t>(c->mentions.size()));
        }
    }
    m_counters.relayed.fetch_add(ackedCount);
    if (failed == 0) {
        m_counters.kafkaReachable.store(true);
        m_counters.setLastError({});
        return BatchOutcome::Relayed;
    }
    m_counters.relayFailures.fetch_add(failed);
    m_counters.kafkaReachable.store(false);
    const KafkaError &cause = producer.lastClientError() ? producer.lastClientError() : firstFailure;
    *error = QStringLiteral("%1 of %2 outbox rows were not acknowledged by Kafka (%3); they stay in the outbox and are "
                            "sent again when Kafka answers")
                 .arg(failed)
                 .arg(rows.size())
                 .arg(QString::fromStdString(cause.sentence()));
    return BatchOutcome::KafkaFailed;
}

} // namespace kcl
