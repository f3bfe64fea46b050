// Kafka of the lab stack, checked with Kafka's own tools (kafka-collab-lab stack tool ...), no app clients:
//  - stack (own throwaway 3-broker stack on free ports): lose one broker: producers with acks=all keep going after
//    leader election, every acknowledged record is read back, the broker comes back and rejoins the ISR.
#include "StackTestUtil.h"
#include "cluster/LabStack.h"

#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSet>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

using kcl::LabStack;

using namespace kcl::stacktest;

class TestStackFailover : public QObject {
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

    // --- stack: a throwaway 3-broker stack of our own; stops one broker
    void stackSurvivesLossOfOneBroker()
    {
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        LabStack s;
        QProcessEnvironment env;
        env.insert(QStringLiteral("KCL_STACK_HOME"), tmp.filePath(QStringLiteral("stack")));
        env.insert(QStringLiteral("KCL_STACK_LIB"), sharedLibDir());
        // node N uses base+N-1
        const int kafkaBase = freePortRange(3);
        int ctrlBase = freePortRange(3);
        while (ctrlBase != 0 && qAbs(ctrlBase - kafkaBase) < 3)
            ctrlBase = freePortRange(3);
        int saslBase = freePortRange(3);
        while (saslBase != 0 && (qAbs(saslBase - kafkaBase) < 3 || qAbs(saslBase - ctrlBase) < 3))
            saslBase = freePortRange(3);
        int sslBase = freePortRange(3);
        while (sslBase != 0 && (qAbs(sslBase - kafkaBase) < 3 || qAbs(sslBase - ctrlBase) < 3 || qAbs(sslBase - saslBase) < 3))
            sslBase = freePortRange(3);
        QVERIFY(kafkaBase != 0 && ctrlBase != 0 && saslBase != 0 && sslBase != 0);
        env.insert(QStringLiteral("KCL_KAFKA_SASL_PORT"), QString::number(saslBase));
        env.insert(QStringLiteral("KCL_KAFKA_SSL_PORT"), QString::number(sslBase));
        env.insert(QStringLiteral("KCL_KAFKA_PORT"), QString::number(kafkaBase));
        env.insert(QStringLiteral("KCL_KAFKA_CONTROLLER_PORT"), QString::number(ctrlBase));
        s.setEnvironment(env);
        const QString bootstrap = QStringLiteral("127.0.0.1:%1,127.0.0.1:%2,127.0.0.1:%3").arg(kafkaBase).arg(kafkaBase + 1).arg(kafkaBase + 2);

        struct Down {
            LabStack &s;
            ~Down() { s.run({QStringLiteral("down")}, 90000); }
        } down{s};

        LabStack::Result r = s.run({QStringLiteral("up"), QStringLiteral("--brokers"), QStringLiteral("3")}, 240000);
        QVERIFY2(r.exitCode == 0, qPrintable(r.output()));
        qInfo("%s", qPrintable(r.out.trimmed()));

        const QString topic = QStringLiteral("failover");
        r = tool(s, {QStringLiteral("kafka-topics"), QStringLiteral("--create"), QStringLiteral("--topic"), topic,
                     QStringLiteral("--partitions"), QStringLiteral("3"), QStringLiteral("--replication-factor"), QStringLiteral("3"),
                     QStringLiteral("--config"), QStringLiteral("min.insync.replicas=2")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.output()));

        // lose broker 2
        r = s.run({QStringLiteral("stop-broker"), QStringLiteral("2")}, 60000);
        QVERIFY2(r.exitCode == 0, qPrintable(r.output()));
        LabStack::Status st = s.queryStatus();
        QCOMPARE(st.components.value(1).name, QStringLiteral("kafka-2"));
        QCOMPARE(st.components.value(1).state, QStringLiteral("stopped"));

        // acks=all producer keeps going on the two remaining brokers (new leaders elected)
        const int n = 20000;
        r = tool(s, {QStringLiteral("kafka-producer-perf-test"), QStringLiteral("--topic"), topic, QStringLiteral("--num-records"),
                     QString::number(n), QStringLiteral("--record-size"), QStringLiteral("200"), QStringLiteral("--throughput"),
                     QStringLiteral("-1"), QStringLiteral("--producer-props"), QStringLiteral("bootstrap.servers=%1").arg(bootstrap),
                     QStringLiteral("acks=all"), QStringLiteral("enable.idempotence=true"), QStringLiteral("delivery.timeout.ms=60000")});
        QVERIFY2(r.exitCode == 0 && r.out.contains(QStringLiteral("%1 records sent").arg(n)), qPrintable(r.output()));
        r = tool(s, {QStringLiteral("kafka-topics"), QStringLiteral("--describe"), QStringLiteral("--topic"), topic});
        const QMap<int, Partition> parts = parseDescribe(r.out);
        QCOMPARE(parts.size(), 3);
        for (const Partition &p : parts) {
            QVERIFY2(p.leader == 1 || p.leader == 3, qPrintable(r.out));
            QVERIFY2(!p.isr.contains(2), qPrintable(r.out));
        }

        // nothing acknowledged is lost: all of them are read back
        r = tool(s, {QStringLiteral("kafka-get-offsets"), QStringLiteral("--topic"), topic});
        qint64 total = 0;
        const QStringList lines = r.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        for (const QString &l : lines)
            total += l.section(QLatin1Char(':'), 2, 2).toLongLong();
        QVERIFY2(r.exitCode == 0 && total == n, qPrintable(r.output()));
        r = tool(s, {QStringLiteral("kafka-consumer-perf-test"), QStringLiteral("--topic"), topic, QStringLiteral("--messages"),
                     QString::number(n), QStringLiteral("--group"), QStringLiteral("failover-check"), QStringLiteral("--timeout"),
                     QStringLiteral("60000")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.output()));
        const QStringList rows = r.out.trimmed().split(QLatin1Char('\n'));
        QVERIFY2(rows.size() >= 2 && rows.last().section(QLatin1Char(','), 4, 4).trimmed().toLongLong() == n, qPrintable(r.out));

        // the broker comes back and catches up
        r = s.run({QStringLiteral("start-broker"), QStringLiteral("2")}, 180000);
        QVERIFY2(r.exitCode == 0, qPrintable(r.output()));
        bool rejoined = false;
        for (int attempt = 0; attempt < 30 && !rejoined; ++attempt) {
            r = tool(s, {QStringLiteral("kafka-topics"), QStringLiteral("--describe"), QStringLiteral("--topic"), topic});
            const QMap<int, Partition> after = parseDescribe(r.out);
            rejoined = after.size() == 3;
            for (const Partition &p : after)
                rejoined = rejoined && p.isr.contains(2);
            if (!rejoined)
                QTest::qWait(1000);
        }
        QVERIFY2(rejoined, qPrintable(r.out));
        QVERIFY(s.queryStatus().allHealthy());
    }
};

QTEST_GUILESS_MAIN(TestStackFailover)
#include "tst_stack_failover.moc"
