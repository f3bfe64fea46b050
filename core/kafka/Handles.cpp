#include "kafka/Handles.h"

#include "kafka/KafkaError.h"

namespace kcl {

ConfHandle makeConf(const std::map<std::string, std::string> &properties)
{
    ConfHandle conf(rd_kafka_conf_new());
    char err[512];
    for (const auto &[k, v] : properties) {
        if (rd_kafka_conf_set(conf.get(), k.c_str(), v.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK)
            throw KafkaConfigError("configuration property '" + k + "' = '" + v + "' was refused: " + err);
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
