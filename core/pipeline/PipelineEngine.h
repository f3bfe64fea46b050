#pragma once
// PipelineEngine: the one object the ui and the headless CLI talk to. It lives on its own thread (the engine
// thread, see EngineThread), owns the cluster connection, the backend workload and the consumer services,
// executes commands received as queued calls, and publishes an immutable Snapshot a few times a second.
// No slot blocks for long: member threads are stopped asynchronously and reaped later.
#include "cluster/ClusterProfile.h"
#include "metrics/Snapshot.h"
#include "pipeline/ServiceOptions.h"

#include <QObject>
#include <QString>
#include <memory>

class QTimer;
class QMutex;

namespace kcl {

struct PipelineOptions {
    ClusterProfile cluster;                 // embedded by default
    int partitions = 6;                     // for topics the app creates
    double workloadRate = 100;              // events/s
    double mentionProbability = 0.3;
    std::uint64_t seed = 42;
    int notificationMembers = 1;            // members of notification-service started with the pipeline
    int snapshotIntervalMs = 250;
    // Appended to the services' Kafka group ids (tests on a shared real cluster use their own groups).
    std::string groupIdSuffix;
    // Where a service's brand-new group starts: "earliest" (nothing produced while it joins is missed) or "latest".
    std::string newGroupOffsetReset = "earliest";
    bool startWorkload = true;
    ServiceOptions services;                // analytics, archive, state rebuilder
};

class Pipeline; // the engine's inner parts (core/pipeline/Pipeline.h)

class PipelineEngine : public QObject {
    Q_OBJECT
public:
    explicit PipelineEngine(PipelineOptions options, QObject *parent = nullptr);
    ~PipelineEngine() override;

    // Latest snapshot; safe from any thread (may be null before the first one).
    SnapshotPtr latestSnapshot() const;

public Q_SLOTS:
    void start();                                   // brings up the cluster (embedded) and the services
    void stop();                                    // stops everything; emits stopped()
    void setWorkloadRate(double eventsPerSecond);   // 1 .. the cluster's limit
    void setWorkloadRunning(bool running);
    void setGroupMembers(const QString &groupId, int members); // adds or removes members live
    void setBrokerUp(int brokerId, bool up);        // embedded cluster only
    void setBrokerRttMs(int brokerId, int rttMs);   // embedded cluster only

Q_SIGNALS:
    void started(const QString &clusterDescription);
    void stopped();
    void snapshotReady(kcl::SnapshotPtr snapshot);
    void errorOccurred(const QString &source, const QString &errorName, const QString &message);

private:
    void publishSnapshot();
    PipelineOptions m_options;
    std::unique_ptr<Pipeline> m_pipeline;
    QTimer *m_snapshotTimer = nullptr;
    QMutex *m_latestMutex = nullptr;
    SnapshotPtr m_latest;
};

} // namespace kcl

Q_DECLARE_METATYPE(kcl::SnapshotPtr)
