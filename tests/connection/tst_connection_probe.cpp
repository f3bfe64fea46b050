// ConnectionProbe without a real broker: the embedded cluster answers with its brokers; a closed port on 127.0.0.1
// gives "unreachable" (named by librdkafka's error) well within the timeout; the asynchronous probe reports through
// its queued signal, can be cancelled, and can be destroyed mid-run without waiting for its timeout.
#include "TcpFixtures.h"
#include "cluster/ConnectionProbe.h"
#include "kafka/EmbeddedCluster.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

using namespace kcl;

namespace {

using kcl::testing::closedPort;
using kcl::testing::SilentServer;

ClusterProfile externalAt(const QString &bootstrap)
{
    ClusterProfile p;
    p.kind = ClusterProfile::Kind::External;
    p.bootstrapServers = bootstrap.toStdString();
    return p;
}

} // namespace

class TestConnectionProbe : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void embeddedClusterAnswers()
    {
        EmbeddedCluster cluster(3);
        const ConnectionProbeResult r = ConnectionProbe::run(ClusterProfile::embedded(3), 8000, cluster.bootstrapServers());
        QVERIFY2(r.ok(), r.error.sentence().c_str());
        QCOMPARE(r.brokerCount, 3);
        QCOMPARE(r.bootstrap, QString::fromStdString(cluster.bootstrapServers()));
        QVERIFY(!r.error);
    }

    void closedPortIsUnreachable()
    {
        const quint16 port = closedPort();
        QVERIFY(port != 0);
        const QString bootstrap = QStringLiteral("127.0.0.1:%1").arg(port);
        QElapsedTimer t;
        t.start();
        const ConnectionProbeResult r = ConnectionProbe::run(externalAt(bootstrap), 6000);
        QCOMPARE(int(r.outcome), int(ConnectionProbeResult::Outcome::Unreachable));
        QVERIFY2(r.error.name == "_ALL_BROKERS_DOWN" || r.error.name == "_TRANSPORT" || r.error.name == "_TIMED_OUT",
                 r.error.name.c_str());
        QVERIFY(!r.error.sentence().empty());
        QCOMPARE(r.bootstrap, bootstrap);
        QVERIFY2(t.elapsed() < 6000 + 1500, qPrintable(QString::number(t.elapsed())));
        qInfo("closed port: %s after %.2f s", r.error.sentence().c_str(), r.elapsedSec);
    }

    void asynchronousProbeReportsThroughItsSignal()
    {
        EmbeddedCluster cluster(1);
        ConnectionProbe probe;
        QSignalSpy spy(&probe, &ConnectionProbe::finished);
        QVERIFY(probe.probe(ClusterProfile::embedded(1), 8000, cluster.bootstrapServers()));
        QVERIFY(probe.isRunning());
        QVERIFY(!probe.probe(ClusterProfile::embedded(1), 8000, cluster.bootstrapServers())); // one at a time
        QTRY_COMPARE_WITH_TIMEOUT(spy.count(), 1, 10000);
        const auto r = spy.at(0).at(0).value<ConnectionProbeResult>();
        QVERIFY2(r.ok(), r.error.sentence().c_str());
        QCOMPARE(r.brokerCount, 1);
        QVERIFY(!probe.isRunning());
        // A second probe on the same object.
        QVERIFY(probe.probe(externalAt(QStringLiteral("127.0.0.1:%1").arg(closedPort())), 4000));
        QTRY_COMPARE_WITH_TIMEOUT(spy.count(), 2, 8000);
        QCOMPARE(int(spy.at(1).at(0).value<ConnectionProbeResult>().outcome), int(ConnectionProbeResult::Outcome::Unreachable));
    }

    void cancelEndsTheProbeAtOnce()
    {
        SilentServer silent;
        ConnectionProbe probe;
        QSignalSpy spy(&probe, &ConnectionProbe::finished);
        QVERIFY(probe.probe(externalAt(silent.bootstrap()), 30000));
        QTest::qWait(300);
        QElapsedTimer t;
        t.start();
        probe.cancel();
        QTRY_COMPARE_WITH_TIMEOUT(spy.count(), 1, 3000);
        QCOMPARE(int(spy.at(0).at(0).value<ConnectionProbeResult>().outcome), int(ConnectionProbeResult::Outcome::Cancelled));
        QVERIFY2(t.elapsed() < 2000, qPrintable(QString::number(t.elapsed())));
    }

    void destroyedWhileRunning()
    {
        QElapsedTimer t;
        t.start();
        {
            SilentServer silent;
            ConnectionProbe probe;
            QVERIFY(probe.probe(externalAt(silent.bootstrap()), 30000));
            QTest::qWait(200);
        } // cancels and joins: no thread or handle left, no signal to a dead object
        QVERIFY2(t.elapsed() < 3000, qPrintable(QString::number(t.elapsed())));
        QTest::qWait(100); // a posted result, had one escaped, would be delivered (and crash) here
    }

    void refusedConfigurationIsReported()
    {
        ClusterProfile p = externalAt(QStringLiteral("127.0.0.1:9092"));
        p.securityProtocol = "SSL";
        p.sslCaLocation = "/nonexistent/ca.pem";
        const ConnectionProbeResult r = ConnectionProbe::run(p, 3000);
        QCOMPARE(int(r.outcome), int(ConnectionProbeResult::Outcome::TlsError));
        QCOMPARE(r.error.name, std::string("_SSL"));
    }
};

QTEST_GUILESS_MAIN(TestConnectionProbe)
#include "tst_connection_probe.moc"
