// The app against the lab stack's TLS listener (real: the shared stack must run; labstack.sh gives every broker an
// SSL listener at KCL_KAFKA_SSL_PORT, 9392 + N - 1, with a certificate for 127.0.0.1 signed by the stack's own CA,
// conf/tls/ca.pem, printed by 'labstack.sh paths'). Through the built binary, as a user would: with that CA the lag
// monitor and the whole headless pipeline work; with another CA, or plaintext spoken to the TLS port, the app fails
// with exit 3 and a message that names the cause, instead of hanging or reporting an empty cluster.
#include "AppProcess.h"
#include "cluster/LabStack.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

class TestStackTls : public QObject {
    Q_OBJECT
    QString m_bootstrap;
    QString m_ca;

    using Run = kcl::testing::AppRun;
    static Run app(const QStringList &args, int timeoutMs = 120000) { return kcl::testing::runApp(args, timeoutMs); }
    QStringList tls(const QString &ca) const
    {
        return {QStringLiteral("--cluster"), m_bootstrap, QStringLiteral("--ssl-ca"), ca};
    }
    // The app's own one-line verdict on stderr (librdkafka's log lines start with '%').
    static QString verdict(const QString &err)
    {
        QString line;
        for (const QString &l : err.split(QLatin1Char('\n')))
            if (l.startsWith(QStringLiteral("kafka-collab-lab groups:")))
                line = l;
        return line;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(QFile::exists(qEnvironmentVariable("KCL_APP")), "KCL_APP must name the built kafka-collab-lab");
        m_bootstrap = qEnvironmentVariable("KCL_TEST_TLS_BOOTSTRAP", QStringLiteral("127.0.0.1:9392"));
        m_ca = qEnvironmentVariable("KCL_TEST_TLS_CA");
        if (m_ca.isEmpty()) {
            const kcl::LabStack::Result paths = kcl::LabStack().run({QStringLiteral("paths")}, 30000);
            const auto m = QRegularExpression(QStringLiteral("CA certificate (\\S+)")).match(paths.out);
            QVERIFY2(m.hasMatch(), qPrintable(QStringLiteral("'labstack.sh paths' names no CA certificate:\n") + paths.output()));
            m_ca = m.captured(1);
        }
        QVERIFY2(QFile::exists(m_ca), qPrintable(m_ca + QStringLiteral(" does not exist: is the lab stack up "
                                                                        "('kafka-collab-lab stack up --brokers 3 --with search,sql')?")));
    }

    void groupsOverTls()
    {
        const Run r = app(QStringList{QStringLiteral("groups")} + tls(m_ca) + QStringList{QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, qPrintable(QStringLiteral("exit %1\n%2\n%3").arg(r.exitCode).arg(r.out.left(1000), r.err.right(2000))));
        QJsonParseError pe;
        const QJsonDocument doc = QJsonDocument::fromJson(r.out.toUtf8(), &pe);
        QVERIFY2(pe.error == QJsonParseError::NoError && doc.isObject(), qPrintable(r.out.left(500)));
        QVERIFY2(doc.object().value(QStringLiteral("groups")).isArray(), qPrintable(r.out.left(500)));
        QVERIFY2(doc.object().value(QStringLiteral("errors")).toArray().isEmpty(), qPrintable(r.out.left(2000)));
    }

    // A CA that did not sign the broker's certificate: the handshake fails, and the app says so.
    void otherCaSaysTheCertificateCouldNotBeVerified()
    {
        QTemporaryDir tmp;
        const QString otherCa = tmp.filePath(QStringLiteral("other-ca.pem"));
        QProcess openssl;
        openssl.start(QStringLiteral("openssl"), {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                                                  QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-keyout"),
                                                  tmp.filePath(QStringLiteral("other.key")), QStringLiteral("-out"), otherCa,
                                                  QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
                                                  QStringLiteral("/CN=not the lab stack's CA")});
        QVERIFY(openssl.waitForFinished(60000) && openssl.exitCode() == 0);
        const Run r = app(QStringList{QStringLiteral("groups")} + tls(otherCa));
        QVERIFY2(!r.timedOut, "the app hung on a certificate it cannot verify");
        QVERIFY2(r.exitCode == 3, qPrintable(QStringLiteral("exit %1\n%2").arg(r.exitCode).arg(r.err.right(2000))));
        const QString line = verdict(r.err);
        QVERIFY2(line.contains(QStringLiteral("_SSL")) && line.contains(QStringLiteral("TLS handshake failed")) &&
                     line.contains(QStringLiteral("certificate verify failed")),
                 qPrintable(r.err.right(2000)));
    }

    // Plaintext spoken to the TLS port: no answer that looks like a cluster; exit 3 with the transport error.
    void plaintextToTheTlsPortFailsClearly()
    {
        const Run r = app({QStringLiteral("groups"), QStringLiteral("--cluster"), m_bootstrap});
        QVERIFY2(!r.timedOut, "the app hung speaking plaintext to a TLS listener");
        QVERIFY2(r.exitCode == 3, qPrintable(QStringLiteral("exit %1\n%2").arg(r.exitCode).arg(r.err.right(2000))));
        QVERIFY2(verdict(r.err).contains(QStringLiteral("the cluster did not answer")), qPrintable(r.err.right(2000)));
    }

    // The whole pipeline (workload producer, notification service members, their producer) over TLS.
    void headlessPipelineOverTls()
    {
        QTemporaryDir tmp;
        const QString report = tmp.filePath(QStringLiteral("report.json"));
        const Run r = app(QStringList{QStringLiteral("--headless"), QStringLiteral("--duration"), QStringLiteral("8"),
                                      QStringLiteral("--rate"), QStringLiteral("50"), QStringLiteral("--report"), report}
                              + tls(m_ca),
                          180000);
        QVERIFY2(r.exitCode == 0, qPrintable(QStringLiteral("exit %1\n%2\n%3").arg(r.exitCode).arg(r.out.right(3000), r.err.right(2000))));
        QVERIFY2(r.out.contains(QStringLiteral(", SSL)")), qPrintable(r.out.left(1000)));
        QFile f(report);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonObject o = QJsonDocument::fromJson(f.readAll()).object();
        QVERIFY2(o.value(QStringLiteral("produced_total")).toInteger() > 100, QJsonDocument(o).toJson().left(600).constData());
        QCOMPARE(o.value(QStringLiteral("delivery_failures")).toInteger(), 0);
        QVERIFY2(o.value(QStringLiteral("mentions_produced")).toInteger() > 0, "no mention was produced: the check below proves nothing");
        QVERIFY2(o.value(QStringLiteral("all_mentions_notified")).toBool(), QJsonDocument(o).toJson().left(1500).constData());
    }
};

QTEST_GUILESS_MAIN(TestStackTls)
#include "tst_stack_tls.moc"
