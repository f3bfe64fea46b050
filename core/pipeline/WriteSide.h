#pragma once
// The command side of CQRS: a message change is written to PostgreSQL and its event reaches Kafka, in one of two
// ways (the lab compares them):
//   outbox: the row change and the outbox row commit in ONE transaction; the OutboxRelay publishes later. If Kafka
//           is down the event waits in the outbox: nothing is lost.
//   naive:  the guide's two steps: commit the row, then produce the event directly. If Kafka is down at that moment
//           the produce times out (a short message.timeout.ms) and the event is lost while the row stays; each such
//           loss is counted (naiveLost).
// A WriteSide belongs to the thread that opened it (its SQL connection and, in naive mode, its producer).
#include "pipeline/WriteSideCounters.h"
#include "sinks/WriteModel.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace kcl {

struct PipelineMetrics;
class TrackedProducer;

enum class WriteMode { Direct, Outbox, Naive };
std::string_view writeModeName(WriteMode mode); // "direct", "outbox", "naive"
std::optional<WriteMode> writeModeFromName(std::string_view name);

struct WriteSideOptions {
    WriteMode mode = WriteMode::Outbox;
    std::string sqlConnection;
    QString schema = QStringLiteral("kcl");
    MessageTopics topics;
    std::map<std::string, std::string> producerProperties; // naive mode's producer (bootstrap, security)
    int naiveMessageTimeoutMs = 3000;                        // how long the naive produce waits for Kafka
};

class WriteSide {
public:
    WriteSide(WriteSideOptions options, WriteSideCounters &counters, PipelineMetrics *metrics = nullptr);
    ~WriteSide(); // naive mode: waits up to naiveMessageTimeoutMs for events in flight (then they count as lost)
    WriteSide(const WriteSide &) = delete;
    WriteSide &operator=(const WriteSide &) = delete;

    // Connects to PostgreSQL, migrates the schema, starts the naive producer. False with a readable sentence.
    bool open(QString *error);
    // Applies the change (see WriteModel::apply) and, in naive mode, produces its event right after the commit.
    // The result says whether PostgreSQL took the change; the naive event's fate shows in the counters later.
    WriteResult submit(const Event &event);
    // Serves the naive producer's delivery reports (call often); no-op in outbox mode.
    void poll();
    // Naive mode: waits until every event produced so far is acknowledged or lost; true when none is in flight.
    bool flush(int timeoutMs);
    WriteMode mode() const { return m_options.mode; }
    WriteModel &model() { return m_model; }

private:
    void collectNaiveDeliveries();
    WriteSideOptions m_options;
    WriteSideCounters &m_counters;
    PipelineMetrics *m_metrics;
    WriteModel m_model;
    std::unique_ptr<TrackedProducer> m_naiveProducer;
};

} // namespace kcl
