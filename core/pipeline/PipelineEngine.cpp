#include "pipeline/PipelineEngine.h"

#include "labs/LabRunner.h"
#include "labs/LabSession.h"
#include "metrics/HeapTrimmer.h"
#include "pipeline/Pipeline.h"
#include "pipeline/SearchRunner.h"

#include <QMutex>
#include <QTimer>

namespace kcl {

PipelineEngine::PipelineEngine(PipelineOptions options, QObject *parent)
    : QObject(parent), m_options(std::move(options)), m_latestMutex(new QMutex)
{
    qRegisterMetaType<kcl::SnapshotPtr>("kcl::SnapshotPtr");
    qRegisterMetaType<kcl::LabProgressPtr>("kcl::LabProgressPtr");
}

PipelineEngine::~PipelineEngine()
{
    m_searchRunner.reset(); // before anything its callback reaches
    m_labSession.reset();
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
    endLab(QStringLiteral("the pipeline stopped"));
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
    const double labSec = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_labStartedAt).count();
    if (m_labSession)
        m_labSession->performDue(labSec);
    std::shared_ptr<Snapshot> built = m_pipeline->buildSnapshot();
    bool labEnded = false;
    if (m_labSession) {
        m_labSession->observe(labSec, *built);
        m_labProgress = m_labSession->progress();
        labEnded = m_labSession->over();
        if (labEnded)
            m_labSession.reset();
    }
    built->lab = m_labProgress;
    SnapshotPtr snap = std::move(built);
    {
        QMutexLocker lock(m_latestMutex);
        m_latest = snap;
    }
    Q_EMIT snapshotReady(snap);
    if (labEnded)
        Q_EMIT labFinished(m_labProgress);
    // On this thread, not the GUI's: a trim holds each malloc arena's lock while it runs (a few ms at most, measured
    // in docs/benchmarks.md), so allocations elsewhere may wait that long, once in a while.
    const auto now = std::chrono::steady_clock::now();
    if (now - m_lastHeapTrimCheck >= std::chrono::seconds(10)) {
        m_lastHeapTrimCheck = now;
        HeapTrimmer::trimIfWorthIt();
    }
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

void PipelineEngine::injectPoison(const QString &topic, int count)
{
    if (m_pipeline)
        reportIfError(this, m_pipeline->injectPoison(topic.toStdString(), count), QStringLiteral("manual-producer"));
}

void PipelineEngine::replayState()
{
    if (m_pipeline)
        reportIfError(this, m_pipeline->replayState(), QStringLiteral("state-rebuilder"));
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
    const std::string where = m_options.cluster.searchUrl + "/" + m_options.searchIndex;
    if (m_searchRunner && m_searchRunnerTarget != where) // a lab may have moved the engine to another cluster
        m_searchRunner.reset();
    m_searchRunnerTarget = where;
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

ClusterProfile PipelineEngine::clusterProfile() const
{
    QMutexLocker lock(m_latestMutex);
    return m_options.cluster;
}

void PipelineEngine::runLab(const Lab &lab, const std::optional<ClusterProfile> &cluster)
{
    endLab(QStringLiteral("another lab started"));
    const std::uint64_t runId = ++m_labRuns;
    const ClusterProfile target = cluster ? *cluster : clusterProfile();
    auto cannotRun = [&](const QString &why) {
        auto p = std::make_shared<LabProgress>(*LabSession(lab, {}).progress()); // its steps and checks, all pending
        p->runId = runId;
        p->phase = LabProgress::Phase::Stopped;
        p->error = why.toStdString();
        m_labProgress = p;
        Q_EMIT labFinished(m_labProgress);
    };
    if (const QString unmet = LabRunner::unmetNeeds(lab, target); !unmet.isEmpty()) {
        cannotRun(unmet);
        return;
    }
    // A fresh pipeline: the checks read counters since the start (rebalances, notifications, mentions), which
    // must count this lab only; the lab's rate, members and mention probability become the pipeline's settings.
    if (m_snapshotTimer)
        m_snapshotTimer->stop();
    m_pipeline.reset();
    {
        QMutexLocker lock(m_latestMutex);
        m_options = LabRunner::pipelineOptions(lab, target, m_options);
    }
    start();
    if (!m_pipeline) {
        cannotRun(QStringLiteral("the pipeline did not start on %1 (see the error banner)").arg(target.describe()));
        return;
    }
    m_labSession = std::make_unique<LabSession>(lab, [this](const LabStep &st) {
        return m_pipeline ? LabSession::performOn(*m_pipeline, st) : QStringLiteral("the pipeline is not running");
    });
    m_labSession->setRunId(runId);
    m_labStartedAt = std::chrono::steady_clock::now();
    m_labProgress = m_labSession->progress();
    publishSnapshot(); // the steps due at 0 s, and the lab's progress at once
}

void PipelineEngine::connectTo(const ClusterProfile &cluster)
{
    stop();
    {
        QMutexLocker lock(m_latestMutex);
        m_options.cluster = cluster;
    }
    start();
}

void PipelineEngine::stopLab()
{
    endLab(QStringLiteral("stopped by the user"));
}

void PipelineEngine::endLab(const QString &reason)
{
    if (!m_labSession)
        return;
    m_labSession->stop(reason);
    m_labProgress = m_labSession->progress();
    m_labSession.reset();
    publishSnapshot();
    Q_EMIT labFinished(m_labProgress);
}

} // namespace kcl
