#pragma once
// The backend workload: a thread that owns one producer and publishes the generator's events at a rate
// that can be changed live (1 event/s up to what the cluster takes; kUnlimitedRate means "as fast as it
// goes"). Keys as PRODUCT.md says (Event::key()). Pauses without losing its place.
#include "kafka/Producer.h"
#include "pipeline/WorkloadGenerator.h"

#include <atomic>
#include <functional>
#include <memory>
#include <map>
#include <thread>

namespace kcl {

inline constexpr double kUnlimitedRate = 1e9;

// Where message events go instead of the producer when the CQRS write side is on (PostgreSQL, then Kafka through
// the outbox or the naive two steps). Made and used on the workload's own thread.
class MessageWriter {
public:
    virtual ~MessageWriter() = default;
    virtual void write(const Event &messageEvent) = 0;
    virtual void poll() = 0; // serves delivery reports, between events
};
using MessageWriterFactory = std::function<std::unique_ptr<MessageWriter>()>;

class BackendWorkload {
public:
    BackendWorkload(std::map<std::string, std::string> producerProperties, std::uint64_t seed, WorkloadShape shape,
                    PipelineMetrics &metrics);
    ~BackendWorkload(); // stops, flushes (up to 5 s) and joins

    void start(double eventsPerSecond);
    void stop();
    void setRate(double eventsPerSecond) { m_rate.store(std::max(1.0, eventsPerSecond)); }
    double rate() const { return m_rate.load(); }
    void setRunning(bool running) { m_running.store(running); }
    bool running() const { return m_running.load(); }
    void setMentionProbability(double p) { m_mentionProbability.store(p); }
    // false: message events are sent without a key, so a channel's messages spread over partitions (the ordering lab).
    void setKeyed(bool keyed) { m_keyed.store(keyed); }
    bool keyed() const { return m_keyed.load(); }
    // Stop after this many events (0 = no limit); used by tests and benchmarks.
    void setEventLimit(std::uint64_t limit) { m_limit.store(limit); }
    std::uint64_t enqueued() const { return m_enqueued.load(); }
    std::int64_t acknowledged() const { return m_acked.load(); }
    bool idle() const { return m_idle.load(); } // nothing left to send and nothing in flight
    // Message events (created, updated, deleted) go through the writer this makes (call before start()).
    void setMessageWriter(MessageWriterFactory factory) { m_writerFactory = std::move(factory); }

private:
    void run();
    std::map<std::string, std::string> m_properties;
    std::uint64_t m_seed;
    WorkloadShape m_shape;
    PipelineMetrics &m_metrics;
    std::atomic<double> m_rate{100};
    std::atomic<double> m_mentionProbability{0.3};
    std::atomic<bool> m_running{true};
    std::atomic<bool> m_keyed{true};
    std::atomic<bool> m_stop{false};
    std::atomic<bool> m_idle{false};
    std::atomic<std::uint64_t> m_limit{0};
    std::atomic<std::uint64_t> m_enqueued{0};
    std::atomic<std::int64_t> m_acked{0};
    MessageWriterFactory m_writerFactory;
    std::thread m_thread;
};

} // namespace kcl
