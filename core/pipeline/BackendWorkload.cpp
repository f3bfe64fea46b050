#include "pipeline/BackendWorkload.h"

#include "metrics/PipelineMetrics.h"

#include <algorithm>
#include <chrono>

namespace kcl {

BackendWorkload::BackendWorkload(std::map<std::string, std::string> producerProperties, std::uint64_t seed,
                                 WorkloadShape shape, PipelineMetrics &metrics)
    : m_properties(std::move(producerProperties)), m_seed(seed), m_shape(shape), m_metrics(metrics)
{
    m_mentionProbability.store(shape.mentionProbability);
}

BackendWorkload::~BackendWorkload() { stop(); }

void BackendWorkload::start(double eventsPerSecond)
{
    if (m_thread.joinable())
        return;
    setRate(eventsPerSecond);
    m_stop.store(false);
    m_thread = std::thread([this] { run(); });
}

void BackendWorkload::stop()
{
    m_stop.store(true);
    if (m_thread.joinable())
        m_thread.join();
}

void BackendWorkload::run()
{
    std::unique_ptr<Producer> producer;
    try {
        producer = std::make_unique<Producer>(m_properties, "backend-workload", m_metrics);
    } catch (const std::exception &ex) {
        m_metrics.recordError("backend-workload", "_INVALID_ARG", std::string("the producer could not start: ") + ex.what());
        return;
    }
    producer->warmUp({topics::kMessagesCreated, topics::kMessagesUpdated, topics::kMessagesDeleted, topics::kUsersActivity});
    std::unique_ptr<MessageWriter> writer = m_writerFactory ? m_writerFactory() : nullptr;
    WorkloadGenerator generator(m_seed, m_shape);
    using Clock = std::chrono::steady_clock;
    auto last = Clock::now();
    double credit = 0; // token bucket: events we may send now
    std::string pendingKey, pendingValue, pendingTopic;
    int pendingMentions = 0;
    bool havePending = false;

    while (!m_stop.load()) {
        const auto now = Clock::now();
        const double rate = m_rate.load();
        const double elapsed = std::chrono::duration<double>(now - last).count();
        last = now;
        const bool limited = m_limit.load() && m_enqueued.load() >= m_limit.load();
        if (m_running.load() && !limited)
            credit = std::min(credit + rate * elapsed, std::max(1.0, rate * 0.05)); // at most 50 ms of burst
        else
            credit = 0;
        int sent = 0;
        while (credit >= 1 && !m_stop.load()) {
            if (m_limit.load() && m_enqueued.load() >= m_limit.load())
                break;
            if (!havePending) {
                generator.setMentionProbability(m_mentionProbability.load());
                Event e = generator.next(wallClockMs());
                if (writer && e.type != EventType::UserActivity) {
                    writer->write(e);
                    m_enqueued.fetch_add(1, std::memory_order_relaxed);
                    credit -= 1;
                    continue;
                }
                // The topic and the value are written into the same strings event after event: their buffers are reused.
                pendingTopic.assign(topicFor(e.type));
                if (m_keyed.load() || e.type == EventType::UserActivity)
                    pendingKey = e.key();
                else
                    pendingKey.clear();
                serializeInto(e, pendingValue);
                const auto *c = std::get_if<MessageCreated>(&e.payload);
                pendingMentions = c ? static_cast<int>(c->mentions.size()) : 0;
                havePending = true;
            }
            const auto err = producer->produce(pendingTopic, pendingKey, pendingValue, pendingMentions);
            if (err.code == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
                producer->poll(5); // back-pressure: the cluster is slower than the asked rate
                break;
            }
            havePending = false;
            if (err) {
                m_metrics.deliveryFailures.fetch_add(1);
                m_metrics.recordError("backend-workload", err.name, "an event could not be sent: " + err.sentence());
            } else {
                m_enqueued.fetch_add(1, std::memory_order_relaxed);
            }
            credit -= 1;
            if (++sent % 1000 == 0)
                producer->poll(0);
        }
        producer->poll(0);
        if (writer)
            writer->poll();
        m_acked.store(producer->acknowledged());
        const bool nothingToDo = !m_running.load() || (m_limit.load() && m_enqueued.load() >= m_limit.load());
        m_idle.store(nothingToDo && producer->outstanding() == 0);
        if (rate < 20000 || nothingToDo || credit < 1) {
            // Sleep until about one event is due (at most 5 ms, so rate changes and stop are quick).
            const double dueSec = rate > 0 ? (1.0 - credit) / rate : 0.005;
            std::this_thread::sleep_for(std::chrono::microseconds(
                static_cast<long>(std::clamp(dueSec, 0.0001, 0.005) * 1e6)));
        }
    }
    producer->flush(5000);
    m_acked.store(producer->acknowledged());
    m_idle.store(producer->outstanding() == 0);
}

} // namespace kcl
