#include "kafka/TrackedProducer.h"

#include "metrics/PipelineMetrics.h"

namespace kcl {

TrackedProducer::TrackedProducer(std::map<std::string, std::string> properties, std::string clientId,
                                 PipelineMetrics *metrics)
    : m_clientId(std::move(clientId)), m_metrics(metrics)
{
    properties["client.id"] = m_clientId;
    ConfHandle conf = makeConf(properties);
    rd_kafka_conf_set_opaque(conf.get(), this);
    rd_kafka_conf_set_dr_msg_cb(conf.get(), &TrackedProducer::onDelivery);
    rd_kafka_conf_set_error_cb(conf.get(), &TrackedProducer::onError);
    m_rk = makeHandle(RD_KAFKA_PRODUCER, std::move(conf));
}

TrackedProducer::~TrackedProducer()
{
    if (m_rk)
        rd_kafka_flush(m_rk.get(), 2000);
}

KafkaError TrackedProducer::produce(std::string_view topic, std::string_view key, std::string_view value,
                                    std::uint64_t tag)
{
    const std::string topicName(topic);
    const rd_kafka_resp_err_t err = rd_kafka_producev(
        m_rk.get(), RD_KAFKA_V_TOPIC(topicName.c_str()), RD_KAFKA_V_KEY(key.data(), key.size()),
        RD_KAFKA_V_VALUE(const_cast<char *>(value.data()), value.size()), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
        RD_KAFKA_V_OPAQUE(reinterpret_cast<void *>(static_cast<std::uintptr_t>(tag))), RD_KAFKA_V_END);
    return KafkaError::fromCode(err);
}

void TrackedProducer::poll(int timeoutMs) { rd_kafka_poll(m_rk.get(), timeoutMs); }

void TrackedProducer::warmUp(const std::string &topic, int timeoutMs)
{
    rd_kafka_topic_t *rkt = rd_kafka_topic_new(m_rk.get(), topic.c_str(), nullptr);
    if (!rkt)
        return;
    const rd_kafka_metadata_t *md = nullptr;
    if (rd_kafka_metadata(m_rk.get(), 0, rkt, &md, timeoutMs) == RD_KAFKA_RESP_ERR_NO_ERROR)
        MetadataHandle owned(md);
    rd_kafka_topic_destroy(rkt);
}

void TrackedProducer::purge()
{
    rd_kafka_purge(m_rk.get(), RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
}

int TrackedProducer::inFlight() const { return rd_kafka_outq_len(m_rk.get()); }

std::vector<DeliveryResult> TrackedProducer::takeDeliveries()
{
    std::vector<DeliveryResult> out;
    out.swap(m_results);
    return out;
}

void TrackedProducer::onDelivery(rd_kafka_t *, const rd_kafka_message_t *msg, void *opaque)
{
    auto *self = static_cast<TrackedProducer *>(opaque);
    if (!self)
        return;
    DeliveryResult r;
    r.tag = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(msg->_private));
    r.ackedAtMs = wallClockMs();
    if (msg->err) {
        r.error = KafkaError::fromCode(msg->err);
    } else {
        self->m_lastClientError = {};
        if (self->m_metrics)
            self->m_metrics->produced.add(rd_kafka_topic_name(msg->rkt), static_cast<std::int64_t>(msg->len));
    }
    self->m_results.push_back(std::move(r));
}

void TrackedProducer::onError(rd_kafka_t *, int err, const char *reason, void *opaque)
{
    auto *self = static_cast<TrackedProducer *>(opaque);
    if (self)
        self->m_lastClientError = KafkaError::fromCode(static_cast<rd_kafka_resp_err_t>(err), reason ? reason : "");
}

} // namespace kcl
