#include "kafka/KafkaError.h"

namespace kcl {

KafkaError KafkaError::fromCode(rd_kafka_resp_err_t code, std::string detail)
{
    KafkaError e;
    e.code = code;
    e.name = rd_kafka_err2name(code);
    e.detail = detail.empty() ? std::string(rd_kafka_err2str(code)) : std::move(detail);
    switch (code) {
    case RD_KAFKA_RESP_ERR__TRANSPORT:
    case RD_KAFKA_RESP_ERR__TIMED_OUT:
    case RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT:
    case RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION:
    case RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE:
    case RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS:
    case RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND:
    case RD_KAFKA_RESP_ERR__QUEUE_FULL:
    case RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN:
    case RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE:
    case RD_KAFKA_RESP_ERR_NOT_COORDINATOR:
        e.retriable = true;
        break;
    case RD_KAFKA_RESP_ERR__FATAL:
        e.fatal = true;
        break;
    default:
        break;
    }
    return e;
}

KafkaError KafkaError::fromError(const rd_kafka_error_t *error)
{
    if (!error)
        return {};
    KafkaError e = fromCode(rd_kafka_error_code(error), rd_kafka_error_string(error));
    e.fatal = rd_kafka_error_is_fatal(error);
    e.retriable = rd_kafka_error_is_retriable(error);
    return e;
}

std::string explainKafkaError(rd_kafka_resp_err_t code)
{
    switch (code) {
    case RD_KAFKA_RESP_ERR__TRANSPORT:
        return "the connection to a broker was lost or refused; the client reconnects by itself";
    case RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN:
        return "no broker of the cluster can be reached; check that the cluster runs and the address is right";
    case RD_KAFKA_RESP_ERR__RESOLVE:
        return "a broker's host name could not be resolved; check the bootstrap servers";
    case RD_KAFKA_RESP_ERR__AUTHENTICATION:
    case RD_KAFKA_RESP_ERR_SASL_AUTHENTICATION_FAILED:
        return "the cluster refused the credentials; check the SASL mechanism, user name and password";
    case RD_KAFKA_RESP_ERR__SSL:
        return "the TLS handshake failed; check the CA file and the broker's certificate";
    case RD_KAFKA_RESP_ERR__TIMED_OUT:
        return "the cluster did not answer in time (a broker may be down or slow)";
    case RD_KAFKA_RESP_ERR__MSG_TIMED_OUT:
        return "the event was not acknowledged within message.timeout.ms and was given up";
    case RD_KAFKA_RESP_ERR__QUEUE_FULL:
        return "the producer's local queue is full: events are produced faster than the cluster accepts them";
    case RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART:
    case RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC:
        return "the topic does not exist on this cluster";
    case RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION:
    case RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE:
        return "a partition's leader moved or is unavailable; the client retries once a new leader is known";
    case RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS:
        return "too few in-sync replicas to accept a write with acks=all";
    case RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE:
    case RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET:
        return "the consumer's position is no longer in the log (retention removed it); it resets to auto.offset.reset";
    case RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE:
        return "this cluster does not support the request (the embedded cluster lacks some admin APIs)";
    case RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE:
        return "the event is larger than the broker accepts";
    default:
        return {};
    }
}

std::string KafkaError::sentence() const
{
    std::string s = name + ": ";
    const std::string plain = explainKafkaError(code);
    s += plain.empty() ? detail : plain + " (" + detail + ")";
    return s;
}

} // namespace kcl
