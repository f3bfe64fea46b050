// `kafka-collab-lab compare` against the lab stack's PostgreSQL and search node (Kafka embedded): the figures of a
// short run are present and sane, bad options exit 2 naming the option, an unreachable node exits 1.
#include "AppProcess.h"
#include "sinks/SearchClient.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QtTest>

namespace {
const QString kSearchUrl = QStringLiteral("http://127.0.0.1:9200");
const QString kSql = QStringLiteral("host=127.0.0.1 port=5433 dbname=kcl user=kcl password=kcl");
const char *kStackHint = "the lab stack is not reachable (PostgreSQL 127.0.0.1:5433, search node 127.0.0.1:9200): "
                         "start it with 'bash resources/stack/labstack.sh up'";
} // namespace

class TstCompare : public QObject {
    Q_OBJECT

    using Run = kcl::testing::AppRun;
    QString m_tag = QString::number(QDateTime::currentMSecsSinceEpoch(), 36) +
                    QString::number(QRandomGenerator::global()->bounded(1 << 20), 36);
    QString m_schema = QStringLiteral("kcl_cmp_") + m_tag;
    QString m_index = QStringLiteral("kcl-test-compare-") + m_tag;

    static Run run(const QStringList &args, int timeoutMs)
    {
        return kcl::testing::runApp(QStringList{QStringLiteral("compare")} + args, timeoutMs);
    }
    bool openSql(QSqlDatabase &db)
    {
        db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), QStringLiteral("tst_compare"));
        db.setHostName(QStringLiteral("127.0.0.1"));
        db.setPort(5433);
        db.setDatabaseName(QStringLiteral("kcl"));
        db.setUserName(QStringLiteral("kcl"));
        db.setPassword(QStringLiteral("kcl"));
        return db.open();
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(QFile::exists(qEnvironmentVariable("KCL_APP")), "KCL_APP must name the built kafka-collab-lab");
        QString error;
        kcl::SearchClient node(kSearchUrl, m_index, 5000);
        QVERIFY2(node.ping(&error), kStackHint);
        {
            QSqlDatabase db;
            QVERIFY2(openSql(db), kStackHint);
        }
        QSqlDatabase::removeDatabase(QStringLiteral("tst_compare"));
    }

    void cleanupTestCase()
    {
        QString error;
        kcl::SearchClient node(kSearchUrl, m_index, 5000);
        node.deleteIndex(&error);
        {
            QSqlDatabase db;
            if (openSql(db))
                QSqlQuery(db).exec(QStringLiteral("DROP SCHEMA IF EXISTS %1 CASCADE").arg(m_schema));
        }
        QSqlDatabase::removeDatabase(QStringLiteral("tst_compare"));
    }

    void badOptionsExit2NamingTheOption_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("named");
        QTest::newRow("duration") << QStringList{QStringLiteral("--duration"), QStringLiteral("0")} << QStringLiteral("--duration");
        QTest::newRow("write-rate") << QStringList{QStringLiteral("--write-rate"), QStringLiteral("fast")} << QStringLiteral("--write-rate");
        QTest::newRow("readers") << QStringList{QStringLiteral("--readers"), QStringLiteral("0")} << QStringLiteral("--readers");
        QTest::newRow("search-url") << QStringList{QStringLiteral("--search-url"), QStringLiteral("nowhere")} << QStringLiteral("--search-url");
        QTest::newRow("sql-schema") << QStringList{QStringLiteral("--sql-schema"), QStringLiteral("Bad-Name")} << QStringLiteral("--sql-schema");
        QTest::newRow("unknown") << QStringList{QStringLiteral("--bogus")} << QStringLiteral("bogus");
    }
    void badOptionsExit2NamingTheOption()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, named);
        const Run r = run(args, 30000);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(named), qPrintable(r.err));
    }

    void unreachableSearchNodeExits1()
    {
        const Run r = run({QStringLiteral("--cluster"), QStringLiteral("embedded"), QStringLiteral("--sql"), kSql,
                           QStringLiteral("--sql-schema"), m_schema, QStringLiteral("--search-url"),
                           QStringLiteral("http://127.0.0.1:1"), QStringLiteral("--search-index"), m_index},
                          60000);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("search node")), qPrintable(r.err));
    }

    void shortRunReportsSaneFigures()
    {
        const Run r = run({QStringLiteral("--cluster"), QStringLiteral("embedded"), QStringLiteral("--sql"), kSql,
                           QStringLiteral("--sql-schema"), m_schema, QStringLiteral("--search-url"), kSearchUrl,
                           QStringLiteral("--search-index"), m_index, QStringLiteral("--duration"), QStringLiteral("10"),
                           QStringLiteral("--write-rate"), QStringLiteral("20"), QStringLiteral("--readers"),
                           QStringLiteral("2"), QStringLiteral("--json")},
                          150000);
        QVERIFY2(r.exitCode == 0, qPrintable(QStringLiteral("exit %1\n%2\n%3").arg(r.exitCode).arg(r.out, r.err)));
        QJsonParseError parseError;
        const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8(), &parseError).object();
        QVERIFY2(parseError.error == QJsonParseError::NoError, qPrintable(r.out));
        const QJsonObject writes = o.value(QStringLiteral("writes")).toObject();
        const QJsonObject searches = o.value(QStringLiteral("searches")).toObject();
        const QJsonObject probes = o.value(QStringLiteral("write_to_searchable")).toObject();
        QVERIFY2(writes.value(QStringLiteral("count")).toInt() > 0, qPrintable(r.out));
        QVERIFY(writes.value(QStringLiteral("per_s")).toDouble() > 0);
        QVERIFY(writes.value(QStringLiteral("latency")).toObject().value(QStringLiteral("p50_ms")).toDouble() > 0);
        QVERIFY2(searches.value(QStringLiteral("count")).toInt() > 0, qPrintable(r.out));
        QVERIFY(searches.value(QStringLiteral("round_trip")).toObject().value(QStringLiteral("p50_ms")).toDouble() > 0);
        const int posted = probes.value(QStringLiteral("probes")).toInt();
        QVERIFY2(posted >= 20, qPrintable(r.out)); // one every 250 ms for 10 s
        QCOMPARE(probes.value(QStringLiteral("found")).toInt(), posted);
        const double p50 = probes.value(QStringLiteral("latency")).toObject().value(QStringLiteral("p50_ms")).toDouble();
        QVERIFY2(p50 > 0 && p50 < 10000, qPrintable(r.out));
        QVERIFY(probes.value(QStringLiteral("latency")).toObject().value(QStringLiteral("max_ms")).toDouble() >= p50);
        QVERIFY(!o.value(QStringLiteral("refresh_interval")).toString().isEmpty());
        // The posts went through the outbox: PostgreSQL holds them, each marked sent.
        qlonglong outboxRows = -1;
        {
            QSqlDatabase db;
            QVERIFY(openSql(db));
            QSqlQuery q(db);
            if (q.exec(QStringLiteral("SELECT count(*) FROM %1.outbox").arg(m_schema)) && q.next())
                outboxRows = q.value(0).toLongLong();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("tst_compare"));
        QVERIFY(outboxRows >= writes.value(QStringLiteral("count")).toInt() + posted);
    }
};

QTEST_GUILESS_MAIN(TstCompare)
#include "tst_compare.moc"
