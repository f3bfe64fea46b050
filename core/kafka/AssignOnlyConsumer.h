#pragma once
// A consumer that reads partitions it assigns itself and is never a member of a group: rd_kafka_consumer_poll needs
// a group id, but this one never joins and never commits, so the cluster never sees a group. Throws
// KafkaConfigError like makeHandle.
#include "kafka/Handles.h"

#include <map>
#include <string>

namespace kcl {

inline KafkaHandle makeAssignOnlyConsumer(std::map<std::string, std::string> props, const std::string &clientId,
                                          bool partitionEof)
{
    props["client.id"] = clientId;
    props["group.id"] = clientId;
    props["enable.auto.commit"] = "false";
    props["enable.auto.offset.store"] = "false";
    props["enable.partition.eof"] = partitionEof ? "true" : "false";
    props["log_level"] = "3";
    return makeHandle(RD_KAFKA_CONSUMER, makeConf(props));
}

} // namespace kcl
