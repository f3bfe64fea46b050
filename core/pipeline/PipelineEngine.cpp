#include "pipeline/PipelineEngine.h"

#include "pipeline/SearchRunner.h"

#include "pipeline/Pipeline.h"

#include <QMutex>
#include <QTimer>

namespace kcl {

PipelineEngine::PipelineEngine(PipelineOptions options, QObject *parent)
    : QObject(parent), m_options(std::move(options)), m_latestMutex(new QMutex)
{
    qRegisterMetaType<kcl::SnapshotPtr>("kcl::SnapshotPtr");
}

PipelineEngine::~PipelineEngine()
{
    m_searchRunner.reset(); // before anything its callback reaches
    m_pipeline.reset();
    delete m_latestMutex;
}

SnapshotPtr PipelineEngine::latestSnapshot() const
{
    QMutexLocker lock(m_latestMutex);
    return m_latest;
}

void PipelineEngine::start()
{
    if (m_pipeline)
        return;
    auto pipeline = std::make_unique<Pipeline>(m_options);
    try {
        pipeline->start();
    } catch (const std::exception &ex) {
        Q_EMIT errorOccurred(QStringLiteral("cluster"), QStringLiteral("_INVALID_ARG"), QString::fromUtf8(ex.what()));
        return;
    }
    m_pipeline = std::move(pipeline);
    if (!m_snapshotTimer) {
        m_snapshotTimer = new QTimer(this); // created on the engine thread: it fires there
        connect(m_snapshotTimer, &QTimer::timeout, this, &PipelineEngine::publishSnapshot);
    }
    m_snapshotTimer->start(m_options.snapshotIntervalMs);
    Q_EMIT started(m_pipeline->clusterDescription());
}

void PipelineEngine::stop()
{
    if (m_snapshotTimer)
        m_snapshotTimer->stop();
    if (m_pipeline) {
        publishSnapshot(); // the final figures
        m_pipeline.reset();
    }
    Q_EMIT stopped();
}

void PipelineEngine::publishSnapshot()
{
    if (!m_pipeline)
        return;
    SnapshotPtr snap = m_pipeline->buildSnapshot();
    {
        QMutexLocker lock(m_latestMutex);
        m_latest = snap;
    }
    Q_EMIT snapshotReady(snap);
}

namespace {
void reportIfError(PipelineEngine *engine, const KafkaError &e, const QString &source)
{
    if (e)
        Q_EMIT engine->errorOccurred(source, QString::fromStdString(e.name), QString::fromStdString(e.sentence()));
}
} // namespace

void PipelineEngine::setWorkloadRate(double eventsPerSecond)
{
    m_options.workloadRate = eventsPerSecond;
    if (m_pipeline)
        m_pipeline->setWorkloadRate(eventsPerSecond);
}

void PipelineEngine::setWorkloadRunning(bool running)
{
    m_options.startWorkload = running;
    if (m_pipeline)
        m_pipeline->setWorkloadRunning(running);
}

void PipelineEngine::setGroupMembers(const QString &groupId, int members)
{
    if (m_pipeline)
        reportIfError(this, m_pipeline->setGroupMembers(groupId.toStdString(), members), groupId);
}

void PipelineEngine::setBrokerUp(int brokerId, bool up)
{
    if (m_pipeline)
        reportIfError(this, m_pipeline->setBrokerUp(brokerId, up), QStringLiteral("cluster"));
}

void PipelineEngine::setProcessingDelayMs(const QString &groupId, int ms)
{
    if (m_pipeline)
        reportIfError(this, m_pipeline->setProcessingDelayMs(groupId.toStdString(), ms), groupId);
}

void PipelineEngine::setWorkloadKeyed(bool keyed)
{
    if (m_pipeline)
        m_pipeline->setWorkloadKeyed(keyed);
}

void PipelineEngine::resetGroupOffsets(const QString &groupId, const QString &to)
{
    if (m_pipeline)
        reportIfError(this, m_pipeline->resetGroupOffsets(groupId.toStdString(), to.toStdString()), groupId);
}

void PipelineEngine::setTailTopic(const QString &topic)
{
    if (m_pipeline)
        m_pipeline->setTailTopic(topic.toStdString());
}

void PipelineEngine::produceEventJson(const QString &json)
{
    if (!m_pipeline)
        return;
    std::string description;
    const KafkaError e = m_pipeline->produceEventJson(json.toStdString(), &description);
    if (e)
        reportIfError(this, e, QStringLiteral("manual-producer"));
    else
        Q_EMIT eventProduced(QString::fromStdString(description));
}

void PipelineEngine::search(const QString &text, const QString &channel, const QString &author)
{
    if (m_options.cluster.searchUrl.empty()) {
        auto r = std::make_shared<SearchResponse>();
        r->error = QStringLiteral("no search node is configured: use the local lab stack, or start the app with --search-url URL");
        Q_EMIT searchFinished(r);
        return;
    }
    if (!m_searchRunner)
        m_searchRunner = std::make_unique<SearchRunner>(
            QString::fromStdString(m_options.cluster.searchUrl), QString::fromStdString(m_options.searchIndex),
            [this](const SearchQuery &, const SearchResponse &response) {
                Q_EMIT searchFinished(std::make_shared<const SearchResponse>(response));
            });
    SearchQuery q;
    q.text = text;
    q.channel = channel;
    q.author = author;
    q.limit = 20;
    m_searchRunner->query(q);
}

void PipelineEngine::setBrokerRttMs(int brokerId, int rttMs)
{
    if (m_pipeline)
        reportIfError(this, m_pipeline->setBrokerRttMs(brokerId, rttMs), QStringLiteral("cluster"));
}

} // namespace kcl
