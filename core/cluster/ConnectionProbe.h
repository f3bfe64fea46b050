#pragma once
// ConnectionProbe: "can the app reach this cluster with these settings?", answered off the GUI thread.
// probe() starts a thread of its own that makes a client handle with the profile's properties, requests the
// cluster's metadata until an answer, a decisive error (authentication, TLS, every bootstrap broker down) or the
// timeout, and reports back through the queued signal finished(). That thread owns the rd_kafka_t; the probe owns
// the thread: cancel() makes it give up within a fraction of a second, and the destructor cancels and joins it, so
// a probe destroyed mid-run (its dialog closed) never leaves a thread or a handle behind.
//
// The result carries what happened as data (outcome, librdkafka's error as a KafkaError, broker count, controller);
// the ui words it for the student, in their language.
#include "cluster/ClusterProfile.h"
#include "kafka/KafkaError.h"

#include <QMetaType>
#include <QObject>
#include <QString>
#include <atomic>
#include <memory>
#include <thread>

namespace kcl {

struct ConnectionProbeResult {
    enum class Outcome {
        Ok,                   // metadata arrived: brokerCount, controllerId
        Unreachable,          // no broker answered: _TRANSPORT, _ALL_BROKERS_DOWN, _RESOLVE or _TIMED_OUT
        AuthenticationFailed, // the cluster refused the SASL credentials: _AUTHENTICATION
        TlsError,             // the TLS handshake or the CA file failed: _SSL
        InvalidConfiguration, // librdkafka refused a property (error.detail says which)
        Cancelled,
    };
    Outcome outcome = Outcome::Cancelled;
    QString bootstrap;        // the servers probed
    KafkaError error;         // empty for Ok and Cancelled; name + librdkafka's text otherwise
    int brokerCount = 0;
    int controllerId = -1;    // -1: the cluster did not say (the embedded cluster has no controller)
    double elapsedSec = 0;
    bool ok() const { return outcome == Outcome::Ok; }
};

class ConnectionProbe : public QObject {
    Q_OBJECT
public:
    explicit ConnectionProbe(QObject *parent = nullptr);
    ~ConnectionProbe() override; // cancels a running probe and waits for its thread (well under a second)

    // Starts probing `profile` (Local/External; an embedded profile needs its running cluster's bootstrap in
    // `bootstrap`). False when a probe still runs: cancel() it and wait for finished().
    bool probe(const ClusterProfile &profile, int timeoutMs = 6000, const std::string &bootstrap = {});
    void cancel();
    bool isRunning() const { return m_running; }

    // The probe itself, blocking the calling thread up to timeoutMs (or until *cancelled). For core code already
    // off the GUI thread, and for tests.
    static ConnectionProbeResult run(const ClusterProfile &profile, int timeoutMs, const std::string &bootstrap = {},
                                     const std::atomic<bool> *cancelled = nullptr);

Q_SIGNALS:
    void finished(const kcl::ConnectionProbeResult &result); // on the probe's (the owner's) thread

private:
    void joinWorker();
    std::thread m_worker;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    bool m_running = false;
};

} // namespace kcl

Q_DECLARE_METATYPE(kcl::ConnectionProbeResult)
