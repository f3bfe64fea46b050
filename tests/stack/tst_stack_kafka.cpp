// Kafka of the lab stack, checked with Kafka's own tools (kafka-collab-lab stack tool ...), no app clients:
//  - real (the shared stack must run, 3 brokers): a topic created with replication factor 3 has its leaders spread
//    over all three brokers, and every replica in sync; the reference tools answer.
// (Broker loss on a throwaway stack: tst_stack_failover.)
#include "StackTestUtil.h"
#include "cluster/LabStack.h"

#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSet>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

using kcl::LabStack;

using namespace kcl::stacktest;

class TestStackKafka : public QObject {
    Q_OBJECT
    QString m_bootstrap;

    LabStack::Result tool(LabStack &s, const QStringList &args, int timeoutMs = 120000)
    {
        return s.run(QStringList{QStringLiteral("tool")} + args, timeoutMs);
    }

private slots:
    void initTestCase()
    {
        m_bootstrap = qEnvironmentVariable("KCL_TEST_BOOTSTRAP", QStringLiteral("127.0.0.1:9092,127.0.0.1:9093,127.0.0.1:9094"));
    }

    // --- real: the shared stack (CI: labstack.sh up --brokers 3 --with search,sql)
    void realLeadersSpreadWithReplicationFactor3()
    {
        LabStack s;
        LabStack::Result r = tool(s, {QStringLiteral("kafka-broker-api-versions"), QStringLiteral("--bootstrap-server"), m_bootstrap});
        QVERIFY2(r.exitCode == 0,
                 qPrintable(QStringLiteral("the lab stack's Kafka at %1 is not reachable. Start it with 'kafka-collab-lab stack up "
                                           "--brokers 3 --with search,sql', or exclude real tests: ctest -LE real\n%2")
                                .arg(m_bootstrap, r.output().right(2000))));
        QSet<int> brokers;
        static const QRegularExpression idRe(QStringLiteral(R"(\(id: (\d+) rack)"));
        for (auto it = idRe.globalMatch(r.out); it.hasNext();)
            brokers.insert(it.next().captured(1).toInt());
        QVERIFY2(brokers.size() == 3, qPrintable(QStringLiteral("expected the 3-broker layout, found brokers %1").arg(r.out.left(500))));

        const QString topic = unique("kcl-rf3");
        r = tool(s, {QStringLiteral("kafka-topics"), QStringLiteral("--bootstrap-server"), m_bootstrap, QStringLiteral("--create"),
                     QStringLiteral("--topic"), topic, QStringLiteral("--partitions"), QStringLiteral("6"),
                     QStringLiteral("--replication-factor"), QStringLiteral("3")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.output()));
        QMap<int, Partition> parts;
        // metadata propagates to all brokers asynchronously; retry briefly until every ISR is complete
        for (int attempt = 0; attempt < 10; ++attempt) {
            r = tool(s, {QStringLiteral("kafka-topics"), QStringLiteral("--bootstrap-server"), m_bootstrap, QStringLiteral("--describe"),
                         QStringLiteral("--topic"), topic});
            parts = parseDescribe(r.out);
            bool complete = parts.size() == 6;
            for (const Partition &p : std::as_const(parts))
                complete = complete && p.isr.size() == 3;
            if (complete)
                break;
            QTest::qWait(500);
        }
        QCOMPARE(parts.size(), 6);
        QSet<int> leaders;
        for (auto it = parts.cbegin(); it != parts.cend(); ++it) {
            QCOMPARE(it->replicas.size(), 3);
            QCOMPARE(QSet<int>(it->replicas.cbegin(), it->replicas.cend()), brokers);
            QVERIFY2(it->isr.size() == 3, qPrintable(r.out));
            leaders.insert(it->leader);
        }
        QVERIFY2(leaders == brokers, qPrintable(QStringLiteral("leaders not spread over all brokers:\n%1").arg(r.out)));

        r = tool(s, {QStringLiteral("kafka-topics"), QStringLiteral("--bootstrap-server"), m_bootstrap, QStringLiteral("--delete"),
                     QStringLiteral("--topic"), topic});
        QVERIFY2(r.exitCode == 0, qPrintable(r.output()));
    }

    // The 3-broker layout is a real 3-voter KRaft quorum, and nothing of the stack listens beyond loopback.
    void realQuorumOfThreeVotersOnLoopbackOnly()
    {
        LabStack s;
        LabStack::Result r = tool(s, {QStringLiteral("kafka-metadata-quorum"), QStringLiteral("--bootstrap-server"), m_bootstrap,
                                      QStringLiteral("describe"), QStringLiteral("--status")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.output()));
        QString voters;
        for (const QString &line : r.out.split(QLatin1Char('\n')))
            if (line.startsWith(QStringLiteral("CurrentVoters:")))
                voters = line;
        static const QRegularExpression idRe(QStringLiteral(R"("id":\s*(\d+))"));
        QSet<int> ids;
        for (auto it = idRe.globalMatch(voters); it.hasNext();)
            ids.insert(it.next().captured(1).toInt());
        QVERIFY2(ids == (QSet<int>{1, 2, 3}), qPrintable(QStringLiteral("expected voters 1, 2, 3:\n%1").arg(r.out)));
        QVERIFY2(!voters.contains(QStringLiteral("0.0.0.0")), qPrintable(voters));

        QString error;
        const LabStack::Status st = s.queryStatus(&error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QSet<int> ports;
        for (const auto &c : st.components)
            for (int p : c.ports)
                ports.insert(p);
        QVERIFY2(ports.size() >= 3, "the shared stack reports no ports");
        QProcess ss;
        ss.start(QStringLiteral("ss"), {QStringLiteral("-ltnH")});
        QVERIFY(ss.waitForFinished(10000));
        int checked = 0;
        for (const QString &line : QString::fromUtf8(ss.readAllStandardOutput()).split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
            const QStringList f = line.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts);
            if (f.size() < 4)
                continue;
            const QString local = f[3];
            const int colon = local.lastIndexOf(QLatin1Char(':'));
            if (!ports.contains(local.mid(colon + 1).toInt()))
                continue;
            const QString host = local.left(colon);
            ++checked;
            QVERIFY2(host == QStringLiteral("127.0.0.1") || host == QStringLiteral("[::ffff:127.0.0.1]") || host == QStringLiteral("[::1]"),
                     qPrintable(QStringLiteral("a stack port listens beyond loopback: %1").arg(line)));
        }
        QVERIFY2(checked >= ports.size(), qPrintable(QStringLiteral("only %1 listening sockets for %2 ports").arg(checked).arg(ports.size())));
    }
};

QTEST_GUILESS_MAIN(TestStackKafka)
#include "tst_stack_kafka.moc"
