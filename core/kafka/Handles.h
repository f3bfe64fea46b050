#pragma once
// RAII owners for librdkafka's handle types: one unique_ptr type per handle, each with its deleter.
// Handles that need an orderly close (consumers: close then destroy; producers: flush then destroy) have
// owning classes of their own (GroupMember, Producer); these are the building blocks.
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <map>
#include <memory>
#include <string>

namespace kcl {

template <auto Fn>
struct CDeleter {
    template <typename T>
    void operator()(T *p) const noexcept { if (p) Fn(p); }
};

using KafkaHandle = std::unique_ptr<rd_kafka_t, CDeleter<&rd_kafka_destroy>>;
using ConfHandle = std::unique_ptr<rd_kafka_conf_t, CDeleter<&rd_kafka_conf_destroy>>;
using TopicPartitionListHandle =
    std::unique_ptr<rd_kafka_topic_partition_list_t, CDeleter<&rd_kafka_topic_partition_list_destroy>>;
using TopicHandle = std::unique_ptr<rd_kafka_topic_t, CDeleter<&rd_kafka_topic_destroy>>;
using MessageHandle = std::unique_ptr<rd_kafka_message_t, CDeleter<&rd_kafka_message_destroy>>;
using ErrorHandle = std::unique_ptr<rd_kafka_error_t, CDeleter<&rd_kafka_error_destroy>>;
using EventHandle = std::unique_ptr<rd_kafka_event_t, CDeleter<&rd_kafka_event_destroy>>;
using QueueHandle = std::unique_ptr<rd_kafka_queue_t, CDeleter<&rd_kafka_queue_destroy>>;
using AdminOptionsHandle = std::unique_ptr<rd_kafka_AdminOptions_t, CDeleter<&rd_kafka_AdminOptions_destroy>>;
using NewTopicHandle = std::unique_ptr<rd_kafka_NewTopic_t, CDeleter<&rd_kafka_NewTopic_destroy>>;
using MetadataHandle = std::unique_ptr<const rd_kafka_metadata_t, CDeleter<&rd_kafka_metadata_destroy>>;
using MockClusterHandle = std::unique_ptr<rd_kafka_mock_cluster_t, CDeleter<&rd_kafka_mock_cluster_destroy>>;

// Builds a configuration from properties; throws KafkaConfigError naming the property on failure.
ConfHandle makeConf(const std::map<std::string, std::string> &properties);
// Creates a client handle (takes ownership of conf); throws KafkaConfigError with librdkafka's reason.
KafkaHandle makeHandle(rd_kafka_type_t type, ConfHandle conf);

} // namespace kcl
