#include "kafka/Handles.h"

#include "kafka/KafkaError.h"

#include <cstdlib>

namespace kcl {

ConfHandle makeConf(const std::map<std::string, std::string> &properties)
{
    ConfHandle conf(rd_kafka_conf_new());
    char err[512];
    for (const auto &[k, v] : properties) {
        if (rd_kafka_conf_set(conf.get(), k.c_str(), v.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK)
            throw KafkaConfigError("configuration property '" + k + "' = '" + v + "' was refused: " + err);
    }
    // KCL_KAFKA_DEBUG=cgrp,mock (librdkafka's debug contexts) makes every client the app creates log to stderr:
    // how a rebalance or a mock broker behaved is otherwise invisible.
    if (const char *debug = std::getenv("KCL_KAFKA_DEBUG"); debug && *debug) {
        if (rd_kafka_conf_set(conf.get(), "debug", debug, err, sizeof err) != RD_KAFKA_CONF_OK)
            throw KafkaConfigError(std::string("KCL_KAFKA_DEBUG='") + debug + "' was refused: " + err);
        rd_kafka_conf_set(conf.get(), "log_level", "7", err, sizeof err);
    }
    return conf;
}

KafkaHandle makeHandle(rd_kafka_type_t type, ConfHandle conf)
{
    char err[512];
    rd_kafka_t *rk = rd_kafka_new(type, conf.get(), err, sizeof err);
    if (!rk)
        throw KafkaConfigError(std::string("could not create a Kafka client: ") + err); // conf still ours
    conf.release(); // rd_kafka_new took ownership
    return KafkaHandle(rk);
}

} // namespace kcl
