// The write side's pure parts, no database or cluster: the SQL connection string, schema names, write modes, and the
// write side's figures in the headless line, the JSON report and the lab metrics.
#include "cli/WriteSideReport.h"
#include "pipeline/OutboxRelay.h"
#include "pipeline/WriteMode.h"
#include "sinks/WriteModel.h"

#include <QTest>

using namespace kcl;

class TestCqrsUnits : public QObject {
    Q_OBJECT
private slots:
    void connectionString()
    {
        QString error;
        auto info = parseSqlConnection("host=127.0.0.1 port=5433 dbname=kcl user=kcl password='p w\\'d' connect_timeout=3", &error);
        QVERIFY2(info, qPrintable(error));
        QCOMPARE(info->host, QStringLiteral("127.0.0.1"));
        QCOMPARE(info->port, 5433);
        QCOMPARE(info->database, QStringLiteral("kcl"));
        QCOMPARE(info->user, QStringLiteral("kcl"));
        QCOMPARE(info->password, QStringLiteral("p w'd"));
        QCOMPARE(info->connectTimeoutSec, 3);
        QCOMPARE(info->describe(), QStringLiteral("kcl@127.0.0.1:5433/kcl")); // never the password

        QVERIFY(!parseSqlConnection("host=127.0.0.1 port=70000 dbname=kcl user=kcl", &error));
        QVERIFY2(error.contains(QStringLiteral("port=")), qPrintable(error));
        QVERIFY(!parseSqlConnection("host=127.0.0.1 dbname=kcl user=kcl sslrootcert=/x", &error));
        QVERIFY2(error.contains(QStringLiteral("unknown key 'sslrootcert'")), qPrintable(error));
        QVERIFY(!parseSqlConnection("host=127.0.0.1 port=5433", &error));
        QVERIFY2(error.contains(QStringLiteral("dbname=")), qPrintable(error));
        QVERIFY(!parseSqlConnection("just words", &error));
    }

    // The relay's producer is idempotent with acks=all whatever the cluster profile says (a profile tuned for
    // throughput may carry acks=1 or idempotence off): otherwise a retry could duplicate or reorder an outbox row's
    // event, or a row be marked sent with its event on the leader only.
    void outboxRelayProducerIsIdempotentWithAcksAll()
    {
        const std::map<std::string, std::string> profile{{"bootstrap.servers", "127.0.0.1:9092"},
                                                         {"enable.idempotence", "false"},
                                                         {"acks", "1"},
                                                         {"linger.ms", "20"}};
        const auto p = OutboxRelay::producerProperties(profile, 7000);
        QCOMPARE(p.at("enable.idempotence"), std::string("true"));
        QCOMPARE(p.at("acks"), std::string("all"));
        QCOMPARE(p.at("message.timeout.ms"), std::string("7000"));
        QCOMPARE(p.at("bootstrap.servers"), std::string("127.0.0.1:9092")); // the profile's own settings stay
        QCOMPARE(p.at("linger.ms"), std::string("20"));
        const auto bare = OutboxRelay::producerProperties({{"bootstrap.servers", "127.0.0.1:9092"}}, 10000);
        QCOMPARE(bare.at("enable.idempotence"), std::string("true"));
        QCOMPARE(bare.at("acks"), std::string("all"));
    }

    void schemaNames()
    {
        QVERIFY(isValidSchemaName(QStringLiteral("kcl")));
        QVERIFY(isValidSchemaName(QStringLiteral("kcl_test_cqrs_0a1b2c3d_1")));
        QVERIFY(!isValidSchemaName(QStringLiteral("Kcl")));
        QVERIFY(!isValidSchemaName(QStringLiteral("1kcl")));
        QVERIFY(!isValidSchemaName(QStringLiteral("kcl; DROP TABLE x")));
        QVERIFY(!isValidSchemaName(QString(64, QLatin1Char('a'))));
    }

    void migrationsAreOrdered()
    {
        int last = 0;
        for (const Migration &m : writeModelMigrations()) {
            QCOMPARE(m.version, last + 1);
            last = m.version;
            QVERIFY(!m.statements.empty());
        }
        QCOMPARE(last, 2);
    }

    void writeModes()
    {
        for (WriteMode m : {WriteMode::Direct, WriteMode::Outbox, WriteMode::Naive})
            QCOMPARE(writeModeFromName(writeModeName(m)), std::optional<WriteMode>(m));
        QVERIFY(!writeModeFromName("dual"));
    }

    void figures()
    {
        WriteSideStats s;
        QVERIFY(writeSideLine(s).isEmpty()); // direct: nothing to show
        QVERIFY(!writeSideMetric(s, QStringLiteral("outbox.relay_lag.p99"))); // no samples: no value
        s.mode = "outbox";
        s.posted = 10;
        s.relayed = 7;
        s.pending = 3;
        s.oldestPendingAgeMs = 1200;
        s.relayLag = {7, 12, 40, 41};
        s.kafkaReachable = false;
        const QString line = writeSideLine(s);
        QVERIFY2(line.contains(QStringLiteral("outbox posted=10 relayed=7 pending=3 oldest=1200ms")), qPrintable(line));
        QVERIFY2(line.contains(QStringLiteral("Kafka not answering")), qPrintable(line));
        QCOMPARE(writeSideMetric(s, QStringLiteral("outbox.pending")), std::optional<double>(3));
        QCOMPARE(writeSideMetric(s, QStringLiteral("outbox.relayed")), std::optional<double>(7));
        QCOMPARE(writeSideMetric(s, QStringLiteral("outbox.oldest_pending_age_ms")), std::optional<double>(1200));
        QCOMPARE(writeSideMetric(s, QStringLiteral("outbox.relay_lag.p99")), std::optional<double>(40));
        QCOMPARE(writeSideMetric(s, QStringLiteral("write.posted")), std::optional<double>(10));
        QVERIFY(!writeSideMetric(s, QStringLiteral("outbox.nonsense")));
        QVERIFY(!writeSideMetric(s, QStringLiteral("group.x.members")));
        const auto j = writeSideJson(s);
        QCOMPARE(j["pending"].get<std::int64_t>(), 3);
        QCOMPARE(j["relay_lag"]["p99_ms"].get<double>(), 40.0);
        QCOMPARE(j["kafka_reachable"].get<bool>(), false);

        s.mode = "naive";
        s.naivePublished = 5;
        s.naiveLost = 5;
        QVERIFY2(writeSideLine(s).contains(QStringLiteral("naive posted=10 published=5 LOST=5")), qPrintable(writeSideLine(s)));
        QCOMPARE(writeSideMetric(s, QStringLiteral("naive.lost")), std::optional<double>(5));
    }
};

QTEST_GUILESS_MAIN(TestCqrsUnits)
#include "tst_cqrs_units.moc"
