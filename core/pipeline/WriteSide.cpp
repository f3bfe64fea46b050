#include "pipeline/WriteSide.h"

#include "kafka/TrackedProducer.h"
#include "metrics/PipelineMetrics.h"

#include <chrono>

namespace kcl {

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
    const auto figures = [](const LatencySummary &l) { return WriteSideLatency{l.count, l.p50, l.p99, l.max}; };
    s.postLatency = figures(postLatency.summary());
    s.relayLag = figures(relayLag.summary());
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
            for (const auto &t : {m_options.topics.created, m_options.topics.updated, m_options.topics.deleted})
                m_naiveProducer->warmUp(t, 2000);
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
        const auto *created = std::get_if<MessageCreated>(&r.event.payload);
        const std::uint64_t mentions = created ? created->mentions.size() : 0; // the tag: counted when acknowledged
        const KafkaError e = m_naiveProducer->produce(m_options.topics.forType(r.event.type), r.event.key(), value, mentions);
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
            if (m_metrics)
                m_metrics->mentionsProduced.fetch_add(static_cast<std::int64_t>(d.tag));
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

WorkloadWriter::WorkloadWriter(WriteSideOptions options, WriteSideCounters &counters, PipelineMetrics *metrics,
                               std::string runTag)
    : m_side(std::move(options), counters, metrics), m_counters(counters), m_runTag(std::move(runTag))
{
}

void WorkloadWriter::write(const Event &messageEvent)
{
    const auto now = std::chrono::steady_clock::now();
    if (!m_open && now >= m_nextOpen) {
        QString error;
        m_open = m_side.open(&error);
        if (!m_open) {
            m_nextOpen = now + std::chrono::seconds(2);
            m_counters.setLastError("the write side cannot use PostgreSQL: " + error.toStdString());
        }
    }
    if (!m_open) {
        m_counters.writeErrors.fetch_add(1);
        return;
    }
    Event e = messageEvent;
    std::visit([&](auto &p) {
        if constexpr (requires { p.messageId; })
            p.messageId += "_" + m_runTag;
    }, e.payload);
    m_side.submit(e); // refusals and failures are counted by the write side
}

} // namespace kcl
