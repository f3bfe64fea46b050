// The app against the lab stack's SASL listener (real: the shared stack must run; labstack.sh gives every broker a
// SASL_PLAINTEXT listener at KCL_KAFKA_SASL_PORT, 9292 + N - 1, user kcl, password kcl-secret, PLAIN and
// SCRAM-SHA-256). Through the built binary, as a user would: the right password works, for the lag monitor and for
// the whole headless pipeline; a wrong one fails with a message that says authentication failed, instead of hanging
// or reporting an empty cluster. SCRAM: librdkafka before 2.6.1 (Debian 12 has 2.0.2) sends a proof Kafka 4.x
// rejects (confluentinc/librdkafka#4895; the Java client authenticates with the same account), so with such a
// librdkafka the app must say so up front and fail as an authentication error; with a fixed one it must work.
#include "AppProcess.h"

#include <QJsonDocument>
#include <librdkafka/rdkafka.h>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

class TestStackSasl : public QObject {
    Q_OBJECT
    QString m_bootstrap;

    using Run = kcl::testing::AppRun;
    static Run app(const QStringList &args, const QString &password, int timeoutMs = 120000)
    {
        QProcessEnvironment env = kcl::testing::appEnvironment();
        env.insert(QStringLiteral("KCL_SASL_PASSWORD"), password);
        return kcl::testing::runApp(args, timeoutMs, env);
    }
    QStringList sasl(const QString &mechanism) const
    {
        return {QStringLiteral("--cluster"), m_bootstrap, QStringLiteral("--sasl-mechanism"), mechanism,
                QStringLiteral("--sasl-username"), QStringLiteral("kcl")};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(QFile::exists(qEnvironmentVariable("KCL_APP")), "KCL_APP must name the built kafka-collab-lab");
        m_bootstrap = qEnvironmentVariable("KCL_TEST_SASL_BOOTSTRAP",
                                           QStringLiteral("127.0.0.1:9292,127.0.0.1:9293,127.0.0.1:9294"));
    }

    void groupsOverSasl_data()
    {
        QTest::addColumn<QString>("mechanism");
        QTest::newRow("PLAIN") << "PLAIN";
        QTest::newRow("SCRAM-SHA-256") << "SCRAM-SHA-256";
    }
    void groupsOverSasl()
    {
        QFETCH(QString, mechanism);
        const Run r = app(QStringList{QStringLiteral("groups")} + sasl(mechanism) + QStringList{QStringLiteral("--json")},
                          QStringLiteral("kcl-secret"));
        if (mechanism.startsWith(QLatin1String("SCRAM")) && rd_kafka_version() < 0x020601ff) {
            QVERIFY2(r.err.contains(QStringLiteral("fixed in librdkafka 2.6.1")), qPrintable(r.err.left(2000)));
            QVERIFY2(r.exitCode == 3 && r.err.contains(QStringLiteral("uthenticat")),
                     qPrintable(QStringLiteral("exit %1\n%2").arg(r.exitCode).arg(r.err.left(2000))));
            return;
        }
        QVERIFY2(r.exitCode == 0, qPrintable(QStringLiteral("exit %1\n%2\n%3").arg(r.exitCode).arg(r.out, r.err)));
        QJsonParseError pe;
        const QJsonDocument doc = QJsonDocument::fromJson(r.out.toUtf8(), &pe);
        QVERIFY2(pe.error == QJsonParseError::NoError && doc.isObject(), qPrintable(r.out.left(500)));
        QVERIFY2(doc.object().contains(QStringLiteral("groups")), qPrintable(r.out.left(500)));
    }

    void wrongPasswordSaysAuthenticationFailed_data() { groupsOverSasl_data(); }
    void wrongPasswordSaysAuthenticationFailed()
    {
        QFETCH(QString, mechanism);
        const Run r = app(QStringList{QStringLiteral("groups")} + sasl(mechanism), QStringLiteral("not-the-password"));
        QVERIFY2(r.exitCode == 3, qPrintable(QStringLiteral("exit %1\n%2\n%3").arg(r.exitCode).arg(r.out, r.err)));
        // The app's own message (not only librdkafka's log line) says why: authentication failed.
        QString line;
        for (const QString &l : r.err.split(QLatin1Char('\n')))
            if (l.startsWith(QStringLiteral("kafka-collab-lab groups: the cluster did not answer")))
                line = l;
        QVERIFY2(line.contains(QStringLiteral("the client reports:")) && line.contains(QStringLiteral("uthenticat")),
                 qPrintable(r.err.right(1500)));
    }

    // The whole pipeline (workload producer, notification service members, their producer) over SASL.
    void headlessPipelineOverSasl()
    {
        QTemporaryDir tmp;
        const QString report = tmp.filePath(QStringLiteral("report.json"));
        const QStringList args = QStringList{QStringLiteral("--headless"), QStringLiteral("--duration"), QStringLiteral("8"),
                                             QStringLiteral("--rate"), QStringLiteral("50"), QStringLiteral("--report"), report}
                                 + sasl(QStringLiteral("PLAIN"));
        Run r = app(args, QStringLiteral("kcl-secret"), 180000);
        if (r.exitCode == -1 && !r.timedOut) {
            // Seen once in about ten runs here: a segfault inside librdkafka 2.0.2's own main thread (rdk:main, in
            // librdkafka.so, not in our code). Recorded loudly and retried once; a second crash fails the test.
            qWarning("the headless run crashed (signal); librdkafka 2.0.2 known instability? retrying once. stderr tail: %s",
                     qPrintable(r.err.right(600)));
            r = app(args, QStringLiteral("kcl-secret"), 180000);
        }
        QVERIFY2(r.exitCode == 0, qPrintable(QStringLiteral("exit %1\n%2\n%3").arg(r.exitCode).arg(r.out.right(3000), r.err.right(2000))));
        QVERIFY2(r.out.contains(QStringLiteral("SASL_PLAINTEXT PLAIN as kcl")), qPrintable(r.out.left(1000)));
        QFile f(report);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonObject o = QJsonDocument::fromJson(f.readAll()).object();
        QVERIFY2(!o.isEmpty(), "the report is not JSON");
        qInfo("report: %s", QJsonDocument(o).toJson(QJsonDocument::Compact).left(400).constData());
    }
};

QTEST_GUILESS_MAIN(TestStackSasl)
#include "tst_stack_sasl.moc"
