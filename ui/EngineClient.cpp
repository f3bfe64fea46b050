#include "EngineClient.h"

#include "BackgroundReleaser.h"

#include "labs/Lab.h"
#include "pipeline/PipelineEngine.h"

#include <utility>

namespace kcl::ui {

EngineClient::EngineClient(PipelineEngine *engine, QObject *parent) : QObject(parent), m_engine(engine)
{
    qRegisterMetaType<kcl::SnapshotPtr>("kcl::SnapshotPtr");
    qRegisterMetaType<kcl::SearchResponsePtr>("kcl::SearchResponsePtr");
    m_refreshTimer.setInterval(200); // 5 Hz: smooth enough for 1 s charts, cheap for the GUI thread
    m_refreshTimer.setTimerType(Qt::CoarseTimer);
    connect(&m_refreshTimer, &QTimer::timeout, this, &EngineClient::onRefreshTimer);
    m_refreshTimer.start();
    if (engine) {
        connect(engine, &PipelineEngine::snapshotReady, this, &EngineClient::acceptSnapshot, Qt::QueuedConnection);
        connect(engine, &PipelineEngine::errorOccurred, this, &EngineClient::errorOccurred, Qt::QueuedConnection);
        connect(engine, &PipelineEngine::started, this, &EngineClient::engineStarted, Qt::QueuedConnection);
        connect(engine, &PipelineEngine::stopped, this, &EngineClient::engineStopped, Qt::QueuedConnection);
        connect(engine, &PipelineEngine::eventProduced, this, &EngineClient::eventProduced, Qt::QueuedConnection);
        connect(engine, &PipelineEngine::searchFinished, this, &EngineClient::searchFinished, Qt::QueuedConnection);
    }
}

void EngineClient::setWorkloadRate(double eventsPerSecond)
{
    if (PipelineEngine *engine = m_engine.data())
        QMetaObject::invokeMethod(engine, [engine, eventsPerSecond] { engine->setWorkloadRate(eventsPerSecond); },
                                  Qt::QueuedConnection);
}

void EngineClient::setWorkloadRunning(bool running)
{
    if (PipelineEngine *engine = m_engine.data())
        QMetaObject::invokeMethod(engine, [engine, running] { engine->setWorkloadRunning(running); },
                                  Qt::QueuedConnection);
}

void EngineClient::setGroupMembers(const QString &groupId, int members)
{
    if (PipelineEngine *engine = m_engine.data())
        QMetaObject::invokeMethod(engine, [engine, groupId, members] { engine->setGroupMembers(groupId, members); },
                                  Qt::QueuedConnection);
}

void EngineClient::runLab(const Lab &lab, const std::optional<ClusterProfile> &cluster)
{
    if (PipelineEngine *engine = m_engine.data())
        QMetaObject::invokeMethod(engine, [engine, lab, cluster] { engine->runLab(lab, cluster); }, Qt::QueuedConnection);
}

void EngineClient::stopLab()
{
    if (PipelineEngine *engine = m_engine.data())
        QMetaObject::invokeMethod(engine, [engine] { engine->stopLab(); }, Qt::QueuedConnection);
}

void EngineClient::start()
{
    if (PipelineEngine *engine = m_engine.data())
        QMetaObject::invokeMethod(engine, [engine] { engine->start(); }, Qt::QueuedConnection);
}

void EngineClient::stop()
{
    if (PipelineEngine *engine = m_engine.data())
        QMetaObject::invokeMethod(engine, [engine] { engine->stop(); }, Qt::QueuedConnection);
}

void EngineClient::connectTo(const ClusterProfile &cluster)
{
    if (PipelineEngine *engine = m_engine.data())
        QMetaObject::invokeMethod(engine, [engine, cluster] { engine->connectTo(cluster); }, Qt::QueuedConnection);
}

ClusterProfile EngineClient::clusterProfile() const
{
    const PipelineEngine *engine = m_engine.data();
    return engine ? engine->clusterProfile() : ClusterProfile{};
}

void EngineClient::setProcessingDelayMs(const QString &groupId, int ms)
{
    if (PipelineEngine *engine = m_engine.data())
        QMetaObject::invokeMethod(engine, [engine, groupId, ms] { engine->setProcessingDelayMs(groupId, ms); },
                                  Qt::QueuedConnection);
}

void EngineClient::setWorkloadKeyed(bool keyed)
{
    if (PipelineEngine *engine = m_engine.data())
        QMetaObject::invokeMethod(engine, [engine, keyed] { engine->setWorkloadKeyed(keyed); }, Qt::QueuedConnection);
}

void EngineClient::resetGroupOffsets(const QString &groupId, const QString &to)
{
    if (PipelineEngine *engine = m_engine.data())
        QMetaObject::invokeMethod(engine, [engine, groupId, to] { engine->resetGroupOffsets(groupId, to); },
                                  Qt::QueuedConnection);
}

void EngineClient::injectPoison(const QString &topic, int count)
{
    if (PipelineEngine *engine = m_engine.data())
        QMetaObject::invokeMethod(engine, [engine, topic, count] { engine->injectPoison(topic, count); }, Qt::QueuedConnection);
}

void EngineClient::replayState()
{
    if (PipelineEngine *engine = m_engine.data())
        QMetaObject::invokeMethod(engine, [engine] { engine->replayState(); }, Qt::QueuedConnection);
}

void EngineClient::setBrokerUp(int brokerId, bool up)
{
    if (PipelineEngine *engine = m_engine.data())
        QMetaObject::invokeMethod(engine, [engine, brokerId, up] { engine->setBrokerUp(brokerId, up); },
                                  Qt::QueuedConnection);
}

void EngineClient::setTailTopic(const QString &topic)
{
    if (PipelineEngine *engine = m_engine.data())
        QMetaObject::invokeMethod(engine, [engine, topic] { engine->setTailTopic(topic); }, Qt::QueuedConnection);
}

void EngineClient::produceEventJson(const QString &json)
{
    if (PipelineEngine *engine = m_engine.data())
        QMetaObject::invokeMethod(engine, [engine, json] { engine->produceEventJson(json); }, Qt::QueuedConnection);
}

void EngineClient::search(const QString &text, const QString &channel, const QString &author)
{
    if (PipelineEngine *engine = m_engine.data())
        QMetaObject::invokeMethod(engine, [engine, text, channel, author] { engine->search(text, channel, author); },
                                  Qt::QueuedConnection);
}

void EngineClient::setRefreshIntervalMs(int ms)
{
    m_refreshTimer.setInterval(ms);
}

void EngineClient::acceptSnapshot(kcl::SnapshotPtr snapshot)
{
    if (!snapshot)
        return;
    // The previous snapshot is most likely its last owner's: freed off the GUI thread (BackgroundReleaser).
    guiReleaser().release(std::exchange(m_latest, std::move(snapshot)));
    m_dirty = true;
    ++m_received;
}

void EngineClient::onRefreshTimer()
{
    if (!m_dirty)
        return;
    m_dirty = false;
    ++m_refreshes;
    Q_EMIT refreshDue(m_latest);
}

} // namespace kcl::ui
