#include "pipeline/ReadLoad.h"

#include "metrics/PipelineMetrics.h"
#include "pipeline/WriteSideCounters.h"
#include "sinks/WriteModel.h"

#include <QRandomGenerator>

namespace kcl {

SearchProbe::SearchProbe(WriteSide &side, SearchClient &client, QString tokenPrefix, QString channel)
    : m_side(side), m_client(client), m_prefix(std::move(tokenPrefix)), m_channel(std::move(channel))
{
}

QString SearchProbe::post()
{
    // One word the analyzer keeps whole (letters and digits), unique per probe and per run.
    const QString token = m_prefix + QString::number(m_next++);
    const Event e = WriteModel::newMessage(m_channel.toStdString(), "user_probe", (QStringLiteral("probe ") + token).toStdString(), {},
                                           wallClockMs());
    const auto t = Clock::now();
    const WriteResult r = m_side.submit(e);
    if (!r.ok)
        return r.error;
    m_waiting.push_back({token, t});
    return {};
}

void SearchProbe::check(const std::function<void(double)> &found, const std::function<void(const QString &)> &failed)
{
    for (auto it = m_waiting.begin(); it != m_waiting.end();) {
        SearchQuery q;
        q.text = it->token;
        q.limit = 1;
        const SearchResponse r = m_client.search(q);
        if (!r.ok()) {
            failed(r.error);
            ++it;
        } else if (r.total > 0) {
            found(std::chrono::duration<double, std::milli>(Clock::now() - it->posted).count());
            it = m_waiting.erase(it);
        } else {
            ++it;
        }
    }
}

double SearchProbe::oldestWaitingMs() const
{
    return m_waiting.empty() ? 0 : std::chrono::duration<double, std::milli>(Clock::now() - m_waiting.front().posted).count();
}

ReadLoad::ReadLoad(ReadLoadOptions options) : m_options(std::move(options)) {}

ReadLoad::~ReadLoad() { stop(); }

void ReadLoad::start()
{
    if (!m_threads.empty())
        return;
    m_stop = false;
    for (int i = 0; i < m_options.readers; ++i)
        m_threads.emplace_back([this] { readLoop(); });
    if (m_options.probe && !m_options.writeSide.sqlConnection.empty())
        m_threads.emplace_back([this] { probeLoop(); });
}

void ReadLoad::stop()
{
    m_stop = true;
    for (auto &t : m_threads)
        t.join();
    m_threads.clear();
}

void ReadLoad::fail(const QString &error)
{
    std::lock_guard lock(m_errorMutex);
    m_lastError = error.toStdString();
}

void ReadLoad::readLoop()
{
    SearchClient client(m_options.searchUrl, m_options.index, 5000);
    QRandomGenerator rng(QRandomGenerator::global()->generate());
    while (!m_stop.load()) {
        SearchQuery q;
        if (!m_options.words.empty())
            q.text = m_options.words[rng.bounded(static_cast<quint32>(m_options.words.size()))];
        const SearchResponse r = client.search(q);
        if (r.ok()) {
            m_searches.fetch_add(1, std::memory_order_relaxed);
            m_searchLatency.add(r.roundTripMs);
        } else {
            m_searchErrors.fetch_add(1, std::memory_order_relaxed);
            fail(r.error);
            std::this_thread::sleep_for(std::chrono::milliseconds(100)); // a failing node is not hammered
        }
    }
}

void ReadLoad::probeLoop()
{
    WriteSideCounters counters; // the probe's own: the pipeline's write figures stay the workload's
    WriteSide side(m_options.writeSide, counters);
    QString error;
    if (!side.open(&error)) {
        fail(QStringLiteral("the search probe cannot write: ") + error);
        return;
    }
    SearchClient client(m_options.searchUrl, m_options.index, 5000);
    SearchProbe probe(side, client, QStringLiteral("kclprobe%1x").arg(QRandomGenerator::global()->generate()));
    auto nextPost = SearchProbe::Clock::now();
    while (!m_stop.load()) {
        if (SearchProbe::Clock::now() >= nextPost) {
            if (const QString e = probe.post(); e.isEmpty())
                m_probesPosted.fetch_add(1, std::memory_order_relaxed);
            else
                fail(e);
            nextPost += std::chrono::milliseconds(m_options.probeIntervalMs);
        }
        probe.check(
            [this](double ms) {
                m_probesFound.fetch_add(1, std::memory_order_relaxed);
                m_searchableDelay.add(ms);
            },
            [this](const QString &e) { fail(e); });
        side.poll();
        m_probesWaiting.store(static_cast<std::int64_t>(probe.waiting()), std::memory_order_relaxed);
        m_oldestWaitingMs.store(static_cast<std::int64_t>(probe.oldestWaitingMs()), std::memory_order_relaxed);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

ReadLoadStats ReadLoad::stats() const
{
    ReadLoadStats s;
    s.running = !m_threads.empty();
    s.readers = m_options.readers;
    s.searches = m_searches.load();
    s.searchErrors = m_searchErrors.load();
    s.searchLatency = m_searchLatency.summary();
    s.probesPosted = m_probesPosted.load();
    s.probesFound = m_probesFound.load();
    s.probesWaiting = m_probesWaiting.load();
    s.oldestWaitingMs = m_oldestWaitingMs.load();
    s.searchableDelay = m_searchableDelay.summary();
    std::lock_guard lock(m_errorMutex);
    s.lastError = m_lastError;
    return s;
}

} // namespace kcl
