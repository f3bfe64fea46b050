// ConnectionProbe against the shared local lab stack (real: it must run; unreachable is a failure, not a skip):
// the plain listener answers, and the SASL listener (9292, user kcl, password kcl-secret) refuses a wrong password
// as an authentication failure and accepts the right one. Override with KCL_TEST_BOOTSTRAP / KCL_TEST_SASL_BOOTSTRAP.
#include "cluster/ConnectionProbe.h"

#include <QTest>

using namespace kcl;

namespace {

ClusterProfile saslProfile(const QString &password)
{
    ClusterProfile p;
    p.kind = ClusterProfile::Kind::External;
    p.bootstrapServers = qEnvironmentVariable("KCL_TEST_SASL_BOOTSTRAP", QStringLiteral("127.0.0.1:9292")).toStdString();
    p.securityProtocol = "SASL_PLAINTEXT";
    p.saslMechanism = "PLAIN";
    p.saslUsername = "kcl";
    p.saslPassword = password.toStdString();
    return p;
}

} // namespace

class TestConnectionProbeReal : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void localStackAnswers()
    {
        ClusterProfile p = ClusterProfile::local();
        p.bootstrapServers = qEnvironmentVariable("KCL_TEST_BOOTSTRAP", QString::fromStdString(p.bootstrapServers)).toStdString();
        const ConnectionProbeResult r = ConnectionProbe::run(p, 8000);
        QVERIFY2(r.ok(), r.error.sentence().c_str());
        QVERIFY(r.brokerCount >= 1);
        QVERIFY2(r.controllerId >= 0, "a KRaft cluster names its active controller in metadata");
        qInfo("local stack: %d broker(s), controller %d, %.2f s", r.brokerCount, r.controllerId, r.elapsedSec);
    }

    void wrongPasswordIsAnAuthenticationFailure()
    {
        const ConnectionProbeResult r = ConnectionProbe::run(saslProfile(QStringLiteral("not-the-password")), 8000);
        QCOMPARE(int(r.outcome), int(ConnectionProbeResult::Outcome::AuthenticationFailed));
        QCOMPARE(r.error.name, std::string("_AUTHENTICATION"));
        qInfo("%s", r.error.sentence().c_str());
    }

    void rightPasswordConnects()
    {
        const ConnectionProbeResult r = ConnectionProbe::run(saslProfile(QStringLiteral("kcl-secret")), 8000);
        QVERIFY2(r.ok(), r.error.sentence().c_str());
    }
};

QTEST_GUILESS_MAIN(TestConnectionProbeReal)
#include "tst_connection_probe_real.moc"
