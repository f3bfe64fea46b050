#pragma once
// The CQRS read side under load, next to the write side (the guide's exercise 3 as a lab): N reader threads search
// the index for the words the messages are made of, and a probe posts a message with a unique token through the
// write side (PostgreSQL + outbox, or naive) every ~250 ms and searches until it is found: write-to-searchable delay.
// Each thread owns its HTTP client and SQL connection. Figures go into the snapshot as ReadLoadStats (Snapshot.h).
#include "metrics/LatencyWindow.h"
#include "pipeline/WriteSide.h"
#include "sinks/SearchClient.h"

#include <QString>
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace kcl {


// Posts messages with unique tokens through a write side and searches for each until it is found.
class SearchProbe {
public:
    using Clock = std::chrono::steady_clock;
    SearchProbe(WriteSide &side, SearchClient &client, QString tokenPrefix, QString channel = QStringLiteral("ch_probe"));
    // Posts the next probe; the error sentence, or empty when PostgreSQL took it.
    QString post();
    // One search per waiting probe; calls found(delayMs) for each found one, failed(error) for a failed search.
    void check(const std::function<void(double)> &found, const std::function<void(const QString &)> &failed);
    std::size_t waiting() const { return m_waiting.size(); }
    double oldestWaitingMs() const;

private:
    struct Waiting {
        QString token;
        Clock::time_point posted;
    };
    WriteSide &m_side;
    SearchClient &m_client;
    QString m_prefix, m_channel;
    int m_next = 0;
    std::vector<Waiting> m_waiting;
};

struct ReadLoadOptions {
    QString searchUrl;
    QString index;
    int readers = 2;
    std::vector<QString> words;           // what the readers search for (one per search, at random)
    bool probe = true;                    // needs a write side: writeSide.sqlConnection set
    WriteSideOptions writeSide;
    int probeIntervalMs = 250;
};

class ReadLoad {
public:
    explicit ReadLoad(ReadLoadOptions options);
    ~ReadLoad(); // stops and joins its threads
    ReadLoad(const ReadLoad &) = delete;
    ReadLoad &operator=(const ReadLoad &) = delete;
    void start();
    void stop();
    ReadLoadStats stats() const;

private:
    void readLoop();
    void probeLoop();
    void fail(const QString &error);
    ReadLoadOptions m_options;
    std::atomic<bool> m_stop{false};
    std::vector<std::thread> m_threads;
    std::atomic<std::int64_t> m_searches{0}, m_searchErrors{0}, m_probesPosted{0}, m_probesFound{0}, m_probesWaiting{0},
        m_oldestWaitingMs{0};
    LatencyWindow m_searchLatency;
    LatencyWindow m_searchableDelay{2000, std::chrono::seconds(60)};
    mutable std::mutex m_errorMutex;
    std::string m_lastError;
};

} // namespace kcl
