#include "pipeline/WriteSide.h"

#include "kafka/TrackedProducer.h"
#include "metrics/PipelineMetrics.h"

#include <chrono>

namespace kcl {

std::string_view writeModeName(WriteMode mode)
{
    switch (mode) {
    case WriteMode::Direct: return "direct";
    case WriteMode::Outbox: return "outbox";
    case WriteMode::Naive: return "naive";
    }
    return "direct";
}

std::optional<WriteMode> writeModeFromName(std::string_view name)
{
    for (WriteMode m : {WriteMode::Direct, WriteMode::Outbox, WriteMode::Naive})
        if (writeModeName(m) == name)
            return m;
    return std::nullopt;
}

WriteSideStats WriteSideCounters::summary(std::string mode, std::int64_t nowMs) const
{
    WriteSideStats s;
    s.mode = std::move(mode);
    s.posted = posted.load();
    s.writeErrors = writeErrors.load();
    s.relayed = relayed.load();
    s.relayFailures = relayFailures.load();
    s.pending = pending.load();
    const std::int64_t oldest = oldestPendingCreatedMs.load();
    s.oldestPendingAgeMs = (oldest > 0 && s.pending > 0) ? std::max<std::int64_t>(0, nowMs - oldest) : 0;
    s.naivePublished = naivePublished.load();
    s.naiveLost = naiveLost.load();
    s.kafkaReachable = kafkaReachable.load();
    s.postLatency = postLatency.summary();
    s.relayLag = relayLag.summary();
    s.lastError = lastError();
    return s;
}

WriteSide::WriteSide(WriteSideOptions options, WriteSideCounters &counters, PipelineMetrics *metrics)
    : m_options(std::move(options)), m_counters(counters), m_metrics(metrics),
      m_model(m_options.sqlConnection, m_options.schema, m_options.topics)
{
}

WriteSide::~WriteSide()
{
    if (m_naiveProducer)
        flush(m_options.naiveMessageTimeoutMs + 1000);
}

bool WriteSide::open(QString *error)
{
    if (m_options.mode == WriteMode::Direct) {
        if (error)
            *error = QStringLiteral("the write side needs the outbox or the naive mode (direct writes no SQL)");
        return false;
    }
    if (!m_model.open(error))
        return false;
    if (m_options.mode == WriteMode::Naive && !m_naiveProducer) {
        auto p = m_options.producerProperties;
        p["acks"] = "all";
        p["message.timeout.ms"] = std::to_string(m_options.naiveMessageTimeoutMs);
        p.try_emplace("linger.ms", "5");
        p.try_emplace("log_level", "3");
        try {
            m_naiveProducer = std::make_unique<TrackedProducer>(p, "naive-write", m_metrics);
        } catch (const std::exception &ex) {
            if (error)
                *error = QStringLiteral("the naive mode's producer could not start: ") + QString::fromUtf8(ex.what());
            return false;
        }
    }
    return true;
}

WriteResult WriteSide::submit(const Event &event)
{
    const auto started = std::chrono::steady_clock::now();
    WriteResult r = m_model.apply(event, m_options.mode == WriteMode::Outbox);
    if (!r.ok) {
        m_counters.writeErrors.fetch_add(1);
        m_counters.setLastError(r.error.toStdString());
        return r;
    }
    m_counters.posted.fetch_add(1);
    m_counters.postLatency.add(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count());
    if (m_naiveProducer) {
        // Step two of the naive write: the row is committed whatever happens here.
        const std::string value = serialize(r.event);
        const KafkaError e = m_naiveProducer->produce(m_options.topics.forType(r.event.type), r.event.key(), value, 0);
        if (e) {
            m_counters.naiveLost.fetch_add(1);
            m_counters.setLastError("naive write: the row is committed but its event was not sent: " + e.sentence());
        }
        collectNaiveDeliveries();
    }
    return r;
}

void WriteSide::collectNaiveDeliveries()
{
    m_naiveProducer->poll(0);
    for (const DeliveryResult &d : m_naiveProducer->takeDeliveries()) {
        if (!d.error) {
            m_counters.naivePublished.fetch_add(1);
            m_counters.kafkaReachable.store(true);
        } else {
            m_counters.naiveLost.fetch_add(1);
            m_counters.kafkaReachable.store(false);
            m_counters.setLastError("naive write: an event was lost after its row committed: " + d.error.sentence());
        }
    }
}

void WriteSide::poll()
{
    if (m_naiveProducer)
        collectNaiveDeliveries();
}

bool WriteSide::flush(int timeoutMs)
{
    if (!m_naiveProducer)
        return true;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (m_naiveProducer->inFlight() > 0 && std::chrono::steady_clock::now() < deadline) {
        m_naiveProducer->poll(20);
        collectNaiveDeliveries();
    }
    collectNaiveDeliveries();
    return m_naiveProducer->inFlight() == 0;
}

} // namespace kcl
