#pragma once
// The command side of CQRS: a message change is written to PostgreSQL and its event reaches Kafka, in one of two
// ways (the lab compares them):
//   outbox: the row change and the outbox row commit in ONE transaction; the OutboxRelay publishes later. If Kafka
//           is down the event waits in the outbox: nothing is lost.
//   naive:  the guide's two steps: commit the row, then produce the event directly. If Kafka is down at that moment
//           the produce times out (a short message.timeout.ms) and the event is lost while the row stays; each such
//           loss is counted (naiveLost).
// A WriteSide belongs to the thread that opened it (its SQL connection and, in naive mode, its producer).
#include "pipeline/BackendWorkload.h"
#include "pipeline/WriteMode.h"
#include "pipeline/WriteSideCounters.h"
#include "sinks/WriteModel.h"

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace kcl {

struct PipelineMetrics;
class TrackedProducer;

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

// The backend workload's message events through the write side. Message ids get this run's tag, so a second run
// with the same seed does not collide with the rows of the first. While PostgreSQL cannot be reached, events are
// counted as write errors and the connection is tried again every 2 s.
class WorkloadWriter : public MessageWriter {
public:
    WorkloadWriter(WriteSideOptions options, WriteSideCounters &counters, PipelineMetrics *metrics, std::string runTag);
    void write(const Event &messageEvent) override;
    void poll() override { m_side.poll(); }

private:
    WriteSide m_side;
    WriteSideCounters &m_counters;
    std::string m_runTag;
    bool m_open = false;
    std::chrono::steady_clock::time_point m_nextOpen{};
};

} // namespace kcl
