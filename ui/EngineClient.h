#pragma once
// EngineClient: the ui's one door to the engine. Commands go out as queued calls on the engine thread (never a
// blocking call from the GUI thread); snapshots come back through the queued snapshotReady signal and are only
// stored (a dirty flag). One timer on the GUI thread then hands the newest snapshot to the pages, a few times a
// second, so the cost of a refresh never depends on the message rate.
#include "cluster/ClusterProfile.h"
#include "metrics/Snapshot.h"
#include "pipeline/PipelineEngine.h"

#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

namespace kcl {
class PipelineEngine;
struct Lab;
}

namespace kcl::ui {

class EngineClient : public QObject {
    Q_OBJECT
public:
    // engine may be null (pages shown without a pipeline, e.g. in tests); then commands are dropped.
    explicit EngineClient(PipelineEngine *engine, QObject *parent = nullptr);

    void setWorkloadRate(double eventsPerSecond);
    void setWorkloadRunning(bool running);
    void setGroupMembers(const QString &groupId, int members);
    void setProcessingDelayMs(const QString &groupId, int ms);
    void setWorkloadKeyed(bool keyed);
    void resetGroupOffsets(const QString &groupId, const QString &to);
    void setBrokerUp(int brokerId, bool up);
    void injectPoison(const QString &topic, int count);
    void replayState();
    void setTailTopic(const QString &topic);
    void produceEventJson(const QString &json);
    void search(const QString &text, const QString &channel, const QString &author);
    // Labs run on the engine thread (PipelineEngine::runLab); their progress comes back in the snapshots.
    void runLab(const Lab &lab, const std::optional<ClusterProfile> &cluster = std::nullopt);
    void stopLab();
    // The pipeline: start (on the engine's cluster), stop, or restart on another cluster (PipelineEngine::connectTo).
    void start();
    void stop();
    void connectTo(const ClusterProfile &cluster);
    // The engine's cluster (embedded when there is no engine).
    ClusterProfile clusterProfile() const;

    void setRefreshIntervalMs(int ms);
    int refreshIntervalMs() const { return m_refreshTimer.interval(); }
    SnapshotPtr latest() const { return m_latest; }
    quint64 snapshotsReceived() const { return m_received; }
    quint64 refreshes() const { return m_refreshes; }

public Q_SLOTS:
    // Called (queued) for each snapshot the engine publishes; also usable directly by tests.
    void acceptSnapshot(kcl::SnapshotPtr snapshot);

Q_SIGNALS:
    // Emitted by the refresh timer at most once per interval, only when a new snapshot arrived.
    void refreshDue(kcl::SnapshotPtr snapshot);
    void errorOccurred(const QString &source, const QString &errorName, const QString &message);
    void engineStarted(const QString &clusterDescription);
    void engineStopped();
    void eventProduced(const QString &description);
    void searchFinished(kcl::SearchResponsePtr response);

private:
    void onRefreshTimer();
    QPointer<PipelineEngine> m_engine;
    QTimer m_refreshTimer;
    SnapshotPtr m_latest;
    bool m_dirty = false;
    quint64 m_received = 0, m_refreshes = 0;
};

} // namespace kcl::ui
