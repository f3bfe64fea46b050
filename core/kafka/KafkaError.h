#pragma once
// Errors in two tiers (STYLE.md #12): KafkaError is a value for per-message and asynchronous errors;
// KafkaConfigError is thrown only while constructing handles (bad configuration, handle creation failed).
#include <librdkafka/rdkafka.h>

#include <stdexcept>
#include <string>

namespace kcl {

struct KafkaError {
    rd_kafka_resp_err_t code = RD_KAFKA_RESP_ERR_NO_ERROR;
    std::string name;        // librdkafka's name, e.g. "_TRANSPORT", "UNKNOWN_TOPIC_OR_PART"
    std::string detail;      // librdkafka's own text (may be technical)
    bool fatal = false;
    bool retriable = false;

    static KafkaError fromCode(rd_kafka_resp_err_t code, std::string detail = {});
    static KafkaError fromError(const rd_kafka_error_t *error); // does not take ownership
    explicit operator bool() const { return code != RD_KAFKA_RESP_ERR_NO_ERROR; }
    // A sentence a student understands, naming the error: "_TRANSPORT: the connection to a broker was lost ..."
    std::string sentence() const;
};

// A plain-language explanation of the common error codes ("" when we have none).
std::string explainKafkaError(rd_kafka_resp_err_t code);

class KafkaConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

} // namespace kcl
