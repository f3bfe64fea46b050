// The CLI side of search: a headless run on the embedded cluster indexing into the REAL search node (--search-url,
// its own index), then `kafka-collab-lab search` finding what was indexed (text and JSON), a clear message and exit 1
// when the node cannot be reached, exit 2 naming the option for bad options.
#include "AppProcess.h"
#include "cluster/ClusterProfile.h"
#include "sinks/SearchClient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace kcl;

class SearchCliTest : public QObject {
    Q_OBJECT
    QString m_searchUrl;
    QString m_index;

    using Run = kcl::testing::AppRun;
    static Run run(const QStringList &args, int timeoutMs = 60000) { return kcl::testing::runApp(args, timeoutMs); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(QFile::exists(qEnvironmentVariable("KCL_APP")), "KCL_APP must name the built kafka-collab-lab");
        m_searchUrl = qEnvironmentVariable("KCL_TEST_SEARCH_URL", QString::fromStdString(ClusterProfile::local().searchUrl));
        m_index = QStringLiteral("kcl-test-cli-%1").arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
        SearchClient probe(m_searchUrl);
        QString error;
        QVERIFY2(probe.ping(&error), qPrintable(error + QStringLiteral(" Or exclude real tests: ctest -LE real")));
    }

    void headlessRunIndexesAndSearchFindsIt()
    {
        QTemporaryDir dir;
        const QString report = dir.filePath(QStringLiteral("report.json"));
        const Run r = run({QStringLiteral("--headless"), QStringLiteral("--duration"), QStringLiteral("6"), QStringLiteral("--rate"),
                           QStringLiteral("200"), QStringLiteral("--search-url"), m_searchUrl, QStringLiteral("--search-index"),
                           m_index, QStringLiteral("--report"), report},
                          120000);
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        QVERIFY2(r.out.contains(QStringLiteral("search indexed=")), qPrintable(r.out));
        QFile f(report);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonObject search = QJsonDocument::fromJson(f.readAll()).object().value(QStringLiteral("search")).toObject();
        QVERIFY2(search.value(QStringLiteral("indexed")).toInt() > 100, QJsonDocument(search).toJson().constData());
        QVERIFY(search.value(QStringLiteral("node_up")).toBool());
        QCOMPARE(search.value(QStringLiteral("node_state")).toString(), QStringLiteral("up"));
        QCOMPARE(search.value(QStringLiteral("index")).toString(), m_index);

        // Look for a word of an indexed message (not a mention, not the "(수정됨)" mark of an edit).
        SearchClient client(m_searchUrl, m_index);
        QString error;
        QVERIFY2(client.refresh(&error), qPrintable(error));
        const auto docs = client.all(50, &error);
        QVERIFY2(docs && !docs->empty(), qPrintable(error));
        QString word;
        for (const auto &d : *docs)
            if (!d.deleted)
                for (const QString &w : d.content.split(QLatin1Char(' ')))
                    if (!w.isEmpty() && !w.startsWith(QLatin1Char('@')) && !w.contains(QLatin1Char('(')))
                        word = w;
        QVERIFY(!word.isEmpty());
        Run s = run({QStringLiteral("search"), word, QStringLiteral("--search-url"), m_searchUrl, QStringLiteral("--index"), m_index,
                     QStringLiteral("--limit"), QStringLiteral("5")});
        QVERIFY2(s.exitCode == 0, qPrintable(s.out + s.err));
        const QStringList lines = s.out.trimmed().split(QLatin1Char('\n'));
        QVERIFY2(lines.first().contains(QStringLiteral("hits for \"%1\"").arg(word)), qPrintable(s.out));
        QVERIFY2(lines.first().contains(QStringLiteral("round trip")), qPrintable(s.out));
        QVERIFY2(lines.size() >= 2 && lines.size() <= 6, qPrintable(s.out));
        QVERIFY2(lines.at(1).contains(QLatin1Char('[')), qPrintable(s.out)); // the match is marked
        QVERIFY2(QString(lines.at(1)).remove(QLatin1Char('[')).remove(QLatin1Char(']')).contains(word), qPrintable(s.out));

        s = run({QStringLiteral("search"), word, QStringLiteral("--search-url"), m_searchUrl, QStringLiteral("--index"), m_index,
                 QStringLiteral("--json"), QStringLiteral("--limit"), QStringLiteral("20")});
        QVERIFY2(s.exitCode == 0, qPrintable(s.out + s.err));
        const QJsonObject j = QJsonDocument::fromJson(s.out.toUtf8()).object();
        const QJsonArray hits = j.value(QStringLiteral("hits")).toArray();
        QVERIFY(!hits.isEmpty());
        QVERIFY(j.value(QStringLiteral("round_trip_ms")).toDouble() > 0);
        double previous = 1e300;
        for (const auto &h : hits) { // newest first
            const QJsonObject o = h.toObject();
            QVERIFY(o.value(QStringLiteral("highlighted")).toString().contains(QStringLiteral("<em>")));
            const double at = o.value(QStringLiteral("created_at_ms")).toDouble();
            if (at > 0) {
                QVERIFY(at <= previous);
                previous = at;
            }
        }
        // --cluster local names the local lab stack's node: the same hits as its URL gives.
        if (m_searchUrl == QString::fromStdString(ClusterProfile::local().searchUrl)) {
            const auto ids = [](const QJsonArray &list) {
                QStringList out;
                for (const auto &h : list)
                    out << h.toObject().value(QStringLiteral("id")).toString();
                return out;
            };
            const Run c = run({QStringLiteral("search"), word, QStringLiteral("--cluster"), QStringLiteral("local"), QStringLiteral("--index"),
                               m_index, QStringLiteral("--json"), QStringLiteral("--limit"), QStringLiteral("20")});
            QVERIFY2(c.exitCode == 0, qPrintable(c.out + c.err));
            const QJsonObject cj = QJsonDocument::fromJson(c.out.toUtf8()).object();
            QCOMPARE(cj.value(QStringLiteral("total")).toInt(), j.value(QStringLiteral("total")).toInt());
            QCOMPARE(ids(cj.value(QStringLiteral("hits")).toArray()), ids(hits));
        }
        s = run({QStringLiteral("search"), word, QStringLiteral("--search-url"), m_searchUrl, QStringLiteral("--index"), m_index,
                 QStringLiteral("--json"), QStringLiteral("--channel"), QStringLiteral("no-such-channel")});
        QCOMPARE(QJsonDocument::fromJson(s.out.toUtf8()).object().value(QStringLiteral("total")).toInt(), 0);
    }

    // A node that answers but blocks index creation (what OpenSearch does past its high disk watermark): the headless
    // run's line says REFUSING, not DOWN, and the indexer's error is printed as it happens, with the block and the fix.
    void refusingNodeIsNamedWithItsReason()
    {
        HttpJsonClient http(m_searchUrl);
        auto release = qScopeGuard([&] {
            http.request("PUT", QStringLiteral("/_cluster/settings"), R"({"persistent":{"cluster.blocks.create_index":null}})");
        });
        const HttpResult blocked =
            http.request("PUT", QStringLiteral("/_cluster/settings"), R"({"persistent":{"cluster.blocks.create_index":true}})");
        QVERIFY2(blocked.ok(), blocked.body.constData());
        const QString index = m_index + QStringLiteral("-blocked");
        const Run r = run({QStringLiteral("--headless"), QStringLiteral("--duration"), QStringLiteral("4"), QStringLiteral("--rate"),
                           QStringLiteral("50"), QStringLiteral("--search-url"), m_searchUrl, QStringLiteral("--search-index"), index},
                          120000);
        QVERIFY2(r.out.contains(QStringLiteral("node=REFUSING")), qPrintable(r.out));
        QVERIFY2(!r.out.contains(QStringLiteral("node=DOWN")), qPrintable(r.out));
        const QString line = QStringLiteral("error [search-indexer-1] HTTP_403: creating the index '%1' failed").arg(index);
        QVERIFY2(r.err.contains(line), qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("index_create_block_exception")) && r.err.contains(QStringLiteral("watermark")),
                 qPrintable(r.err));
        QCOMPARE(r.err.count(line), 1); // once per state change, not once per retry
        QVERIFY2(!r.err.contains(QStringLiteral("recovered [search-indexer-1]")), qPrintable(r.err)); // still blocked
    }

    void unreachableNodeExitsOne()
    {
        const Run r = run({QStringLiteral("search"), QStringLiteral("카프카"), QStringLiteral("--search-url"), QStringLiteral("http://127.0.0.1:1")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("http://127.0.0.1:1")) && r.err.contains(QStringLiteral("could not be reached")),
                 qPrintable(r.err));
    }

    void badOptionsExitTwo_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("named");
        QTest::newRow("limit") << QStringList{QStringLiteral("x"), QStringLiteral("--limit"), QStringLiteral("abc")} << QStringLiteral("--limit");
        QTest::newRow("url") << QStringList{QStringLiteral("x"), QStringLiteral("--search-url"), QStringLiteral("ftp://h")} << QStringLiteral("--search-url");
        QTest::newRow("cluster") << QStringList{QStringLiteral("x"), QStringLiteral("--cluster"), QStringLiteral("embedded")} << QStringLiteral("--search-url");
        QTest::newRow("no text") << QStringList{} << QStringLiteral("text");
        QTest::newRow("unknown") << QStringList{QStringLiteral("x"), QStringLiteral("--bogus")} << QStringLiteral("bogus");
    }
    void badOptionsExitTwo()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, named);
        const Run r = run(QStringList{QStringLiteral("search")} + args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(named), qPrintable(r.err));
    }

    void cleanupTestCase()
    {
        SearchClient client(m_searchUrl, m_index);
        QString error;
        if (!client.deleteIndex(&error))
            qWarning("%s", qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(SearchCliTest)
#include "tst_search_cli.moc"
