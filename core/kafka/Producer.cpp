#include "kafka/Producer.h"

#include "metrics/PipelineMetrics.h"

#include <algorithm>
#include <chrono>

namespace kcl {
namespace {
// The record's opaque carries its sequence number (m_flights holds its enqueue time) and its mention count (low
// 8 bits), so the delivery report needs no allocation per record.
std::uint64_t steadyMicros()
{
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now().time_since_epoch())
            .count());
}
} // namespace

Producer::Producer(std::map<std::string, std::string> properties, std::string clientId, PipelineMetrics &metrics)
    : m_clientId(std::move(clientId)), m_metrics(metrics)
{
    properties["client.id"] = m_clientId;
    ConfHandle conf = makeConf(properties);
    rd_kafka_conf_set_opaque(conf.get(), this);
    rd_kafka_conf_set_dr_msg_cb(conf.get(), &Producer::onDelivery);
    rd_kafka_conf_set_error_cb(conf.get(), &Producer::onError);
    m_rk = makeHandle(RD_KAFKA_PRODUCER, std::move(conf));
}

Producer::~Producer()
{
    if (m_rk) {
        rd_kafka_flush(m_rk.get(), 5000);
        publishAckLatencies();
    }
}

rd_kafka_topic_t *Producer::topicHandle(std::string_view name)
{
    for (const auto &t : m_topics)
        if (t.name == name)
            return t.handle.get();
    const std::string owned(name);
    TopicHandle rkt(rd_kafka_topic_new(m_rk.get(), owned.c_str(), nullptr));
    if (!rkt)
        return nullptr;
    m_topics.push_back({owned, std::move(rkt)});
    return m_topics.back().handle.get();
}

void Producer::publishAckLatencies()
{
    m_metrics.produceAckLatency.addMany(m_ackLatencies);
    m_ackLatencies.clear();
}

KafkaError Producer::produce(std::string_view topic, std::string_view key, std::string_view value, int mentions,
                             const std::vector<std::pair<std::string, std::string>> &headers)
{
    const std::uint64_t opaque = (m_nextSeq << 8) | static_cast<std::uint64_t>(std::clamp(mentions, 0, 255));
    const std::uint64_t enqueuedMicros = steadyMicros();
    rd_kafka_headers_t *hdrs = nullptr;
    if (!headers.empty()) {
        hdrs = rd_kafka_headers_new(headers.size());
        for (const auto &[k, v] : headers)
            rd_kafka_header_add(hdrs, k.data(), static_cast<ssize_t>(k.size()), v.data(), static_cast<ssize_t>(v.size()));
    }
    rd_kafka_topic_t *rkt = topicHandle(topic);
    if (!rkt) {
        if (hdrs)
            rd_kafka_headers_destroy(hdrs);
        return KafkaError::fromCode(rd_kafka_last_error());
    }
    rd_kafka_resp_err_t err;
    if (hdrs) {
        err = rd_kafka_producev(m_rk.get(), RD_KAFKA_V_RKT(rkt),
                                RD_KAFKA_V_KEY(key.data(), key.size()),
                                RD_KAFKA_V_VALUE(const_cast<char *>(value.data()), value.size()),
                                RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                RD_KAFKA_V_OPAQUE(reinterpret_cast<void *>(opaque)), RD_KAFKA_V_HEADERS(hdrs),
                                RD_KAFKA_V_END);
        if (err)
            rd_kafka_headers_destroy(hdrs); // ownership passes to librdkafka only on success
    } else {
        err = rd_kafka_producev(m_rk.get(), RD_KAFKA_V_RKT(rkt),
                                RD_KAFKA_V_KEY(key.data(), key.size()),
                                RD_KAFKA_V_VALUE(const_cast<char *>(value.data()), value.size()),
                                RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                RD_KAFKA_V_OPAQUE(reinterpret_cast<void *>(opaque)), RD_KAFKA_V_END);
    }
    if (!err) {
        m_flights.push_back({enqueuedMicros, false});
        ++m_nextSeq;
    }
    return KafkaError::fromCode(err);
}

int Producer::poll(int timeoutMs)
{
    const int served = rd_kafka_poll(m_rk.get(), timeoutMs);
    publishAckLatencies();
    return served;
}

bool Producer::flush(int timeoutMs)
{
    const bool flushed = rd_kafka_flush(m_rk.get(), timeoutMs) == RD_KAFKA_RESP_ERR_NO_ERROR;
    publishAckLatencies();
    return flushed;
}

bool Producer::flushDelivered(int timeoutMs)
{
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    const auto msLeft = [&] {
        return static_cast<int>(std::max<std::int64_t>(
            0, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count()));
    };
    for (;;) {
        if (!flush(msLeft()))
            return false;
        if (m_kept.empty())
            return true;
        if (msLeft() == 0)
            return false;
        poll(std::min(100, msLeft())); // a short pause: a refusing topic is not hammered
        resendKept();
    }
}

std::size_t Producer::resendKept()
{
    std::vector<KeptRecord> kept;
    kept.swap(m_kept);
    std::size_t sent = 0;
    for (; sent < kept.size(); ++sent) {
        const KeptRecord &r = kept[sent];
        const auto e = produce(r.topic, r.key, r.value, r.mentions, r.headers);
        if (e) // the local queue is full, or the client refuses it now: keep it and the rest for the next round
            break;
    }
    m_kept.insert(m_kept.begin(), std::make_move_iterator(kept.begin() + static_cast<std::ptrdiff_t>(sent)),
                  std::make_move_iterator(kept.end()));
    if (sent > 0)
        m_resendFloor = m_nextSeq;
    return sent;
}

int Producer::outstanding() const { return rd_kafka_outq_len(m_rk.get()); }

void Producer::warmUp(const std::vector<std::string_view> &topics, int timeoutMs)
{
    for (auto t : topics) {
        const std::string name(t);
        rd_kafka_topic_t *rkt = rd_kafka_topic_new(m_rk.get(), name.c_str(), nullptr);
        if (!rkt)
            continue;
        const rd_kafka_metadata_t *md = nullptr;
        if (rd_kafka_metadata(m_rk.get(), 0, rkt, &md, timeoutMs) == RD_KAFKA_RESP_ERR_NO_ERROR)
            MetadataHandle owned(md);
        rd_kafka_topic_destroy(rkt);
    }
}

void Producer::onDelivery(rd_kafka_t *, const rd_kafka_message_t *msg, void *opaque)
{
    // Runs inside poll()/flush() on the owning thread. Records and returns.
    auto *self = static_cast<Producer *>(opaque);
    if (!self)
        return;
    const auto packed = reinterpret_cast<std::uint64_t>(msg->_private);
    std::uint64_t enqueuedMicros = 0;
    if (const std::uint64_t seq = packed >> 8; seq >= self->m_flightBase && seq - self->m_flightBase < self->m_flights.size()) {
        Flight &f = self->m_flights[static_cast<std::size_t>(seq - self->m_flightBase)];
        f.settled = true;
        enqueuedMicros = f.enqueuedMicros;
        while (!self->m_flights.empty() && self->m_flights.front().settled) {
            self->m_flights.pop_front();
            ++self->m_flightBase;
        }
    }
    if (msg->err) {
        ++self->m_failed;
        self->m_metrics.deliveryFailures.fetch_add(1, std::memory_order_relaxed);
        if (self->m_keepFailed) {
            KeptRecord r;
            r.topic = rd_kafka_topic_name(msg->rkt);
            r.key.assign(static_cast<const char *>(msg->key), msg->key ? msg->key_len : 0);
            r.value.assign(static_cast<const char *>(msg->payload), msg->payload ? msg->len : 0);
            r.mentions = static_cast<int>(packed & 0xff);
            rd_kafka_headers_t *hdrs = nullptr;
            if (rd_kafka_message_headers(msg, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR && hdrs) {
                const char *name = nullptr;
                const void *value = nullptr;
                size_t size = 0;
                for (size_t i = 0; rd_kafka_header_get_all(hdrs, i, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR; ++i)
                    r.headers.emplace_back(name, std::string(static_cast<const char *>(value), value ? size : 0));
            }
            self->m_kept.push_back(std::move(r));
        }
        const auto e = KafkaError::fromCode(msg->err);
        const std::int64_t now = wallClockMs();
        if (now - self->m_lastErrorLogMs > 1000) { // one entry a second is enough to explain a burst
            self->m_lastErrorLogMs = now;
            self->m_metrics.recordError(self->m_clientId, e.name,
                                        std::string(self->m_keepFailed ? "a record was not delivered (it is kept and sent "
                                                                         "again; nothing is committed until it is): "
                                                                       : "an event was not delivered: ") +
                                            e.sentence());
        }
        return;
    }
    ++self->m_acked;
    const char *topic = rd_kafka_topic_name(msg->rkt);
    self->m_metrics.produced.add(topic, static_cast<std::int64_t>(msg->len));
    const int mentions = static_cast<int>(packed & 0xff);
    if (mentions)
        self->m_metrics.mentionsProduced.fetch_add(mentions, std::memory_order_relaxed);
    if (enqueuedMicros > 0)
        self->m_ackLatencies.push_back(static_cast<double>(steadyMicros() - enqueuedMicros) / 1000.0);
}

void Producer::onError(rd_kafka_t *, int err, const char *reason, void *opaque)
{
    auto *self = static_cast<Producer *>(opaque);
    if (!self)
        return;
    const auto e = KafkaError::fromCode(static_cast<rd_kafka_resp_err_t>(err), reason ? reason : "");
    self->m_metrics.recordError(self->m_clientId, e.name, e.sentence());
}

} // namespace kcl
