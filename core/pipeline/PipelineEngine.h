#pragma once
// PipelineEngine: the one object the ui and the headless CLI talk to. It lives on its own thread (the engine
// thread, see EngineThread), owns the cluster connection, the backend workload and the consumer services,
// executes commands received as queued calls, and publishes an immutable Snapshot a few times a second.
// No slot blocks for long: member threads are stopped asynchronously and reaped later.
#include "cluster/ClusterProfile.h"
#include "metrics/Snapshot.h"
#include "pipeline/WriteMode.h"
#include "sinks/SearchClient.h"
#include "pipeline/ServiceOptions.h"

#include <QObject>
#include <QString>
#include <chrono>
#include <memory>
#include <optional>

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
    // The CQRS write side: in outbox or naive mode the workload's message events go through PostgreSQL (activity
    // events stay direct); in outbox mode the outbox relay runs with the pipeline.
    WriteMode writeMode = WriteMode::Direct;
    std::string sqlConnection;              // libpq-style; "" = the cluster profile's
    std::string sqlSchema = "kcl";
    bool dropSqlSchemaAtStop = false;       // a lab's schema of its own (sql_schema = own), dropped when it ends
    // The search indexer: members started with the pipeline (0 = none; it needs cluster.searchUrl) and its index.
    int searchIndexerMembers = 0;
    std::string searchIndex = "messages";
    ServiceOptions services;                // analytics, archive, state rebuilder
};

class Pipeline; // the engine's inner parts (core/pipeline/Pipeline.h)
class SearchRunner;
using SearchResponsePtr = std::shared_ptr<const SearchResponse>;
struct Lab;
class LabSession;

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
    void setProcessingDelayMs(const QString &groupId, int ms); // slow a service's members (0: full speed)
    void setWorkloadKeyed(bool keyed);              // message events keyed by channel, or without a key
    // Rewinds ("earliest") or fast-forwards ("latest") a service's group. Its members leave and rejoin: the engine
    // thread waits for them to close (a few seconds; snapshots pause meanwhile, the GUI does not).
    void resetGroupOffsets(const QString &groupId, const QString &to);
    void injectPoison(const QString &topic, int count); // records that are not events (see Pipeline::injectPoison)
    void replayState();                             // a new state-rebuilder group replays from the beginning
    void setTailTopic(const QString &topic);        // the Events page's live tail ("" stops it)
    void produceEventJson(const QString &json);     // emits eventProduced or errorOccurred
    // A query over the search index (the CQRS read side), run off this thread; emits searchFinished.
    void search(const QString &text, const QString &channel, const QString &author);
    // Labs (see core/labs/LabSession.h): restarts the pipeline with the lab's settings (on `cluster` when given,
    // e.g. the local lab stack), then performs its steps and judges its checks as snapshots are built. Every
    // snapshot carries the lab's progress (Snapshot::lab), the final one too after the end, until the next lab.
    void runLab(const kcl::Lab &lab, const std::optional<kcl::ClusterProfile> &cluster = std::nullopt);
    void stopLab();
    // Moves the engine to another cluster: stops the pipeline (and a running lab; emits stopped()) and starts it on
    // `cluster` with the current settings (emits started() or errorOccurred()). The connection dialog checks the
    // cluster with a ConnectionProbe first; this does not wait for it.
    void connectTo(const kcl::ClusterProfile &cluster);

public:
    ClusterProfile clusterProfile() const;          // the cluster the engine uses now; safe from any thread

Q_SIGNALS:
    void labFinished(kcl::LabProgressPtr progress); // finished, stopped, or could not run (progress->error)
    void started(const QString &clusterDescription);
    void stopped();
    void snapshotReady(kcl::SnapshotPtr snapshot);
    void errorOccurred(const QString &source, const QString &errorName, const QString &message);
    void eventProduced(const QString &description);
    void searchFinished(kcl::SearchResponsePtr response); // emitted from the search worker's thread

private:
    void publishSnapshot();
    PipelineOptions m_options;
    std::unique_ptr<Pipeline> m_pipeline;
    std::unique_ptr<SearchRunner> m_searchRunner; // made on the first search
    std::string m_searchRunnerTarget;             // the node and index it queries
    QTimer *m_snapshotTimer = nullptr;
    QMutex *m_latestMutex = nullptr;
    SnapshotPtr m_latest;
    std::unique_ptr<LabSession> m_labSession;
    std::chrono::steady_clock::time_point m_labStartedAt;
    LabProgressPtr m_labProgress;
    std::uint64_t m_labRuns = 0;
    std::chrono::steady_clock::time_point m_lastHeapTrimCheck; // see HeapTrimmer: memory a backlog freed goes back
    void endLab(const QString &reason);
};

} // namespace kcl

Q_DECLARE_METATYPE(kcl::SnapshotPtr)
Q_DECLARE_METATYPE(kcl::SearchResponsePtr)
Q_DECLARE_METATYPE(kcl::LabProgressPtr)
