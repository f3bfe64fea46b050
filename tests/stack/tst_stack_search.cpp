// Search smoke test against the REAL search node of the local lab stack (label: real). The stack must already run
// (CI: labstack.sh up --brokers 3 --with search,sql); when it does not, the test FAILS and says how to start it.
// Plain REST through Qt Network, which is all the app's search code uses (same calls on Elasticsearch/OpenSearch).
#include "cluster/ClusterProfile.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QTimer>
#include <QtTest>

namespace {

struct Http {
    int status = 0;
    QByteArray body;
    QString error;
};

} // namespace

class TestStackSearch : public QObject {
    Q_OBJECT
    QNetworkAccessManager m_nam;
    QString m_base;
    QString m_index;

    Http call(const QByteArray &verb, const QString &path, const QByteArray &body = {})
    {
        QNetworkRequest req(QUrl(m_base + path));
        req.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        req.setTransferTimeout(15000);
        QNetworkReply *reply = m_nam.sendCustomRequest(req, verb, body);
        QEventLoop loop;
        connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        QTimer::singleShot(20000, &loop, &QEventLoop::quit);
        loop.exec();
        Http h;
        h.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        h.body = reply->readAll();
        if (reply->error() != QNetworkReply::NoError && h.status == 0)
            h.error = reply->errorString();
        reply->deleteLater();
        return h;
    }

    static QJsonObject json(const Http &h) { return QJsonDocument::fromJson(h.body).object(); }

private slots:
    void initTestCase()
    {
        m_base = qEnvironmentVariable("KCL_TEST_SEARCH_URL", QString::fromStdString(kcl::ClusterProfile::local().searchUrl));
        m_index = QStringLiteral("kcl-smoke-%1").arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
        const Http h = call("GET", QStringLiteral("/_cluster/health"));
        QVERIFY2(h.status == 200,
                 qPrintable(QStringLiteral("the lab stack's search node at %1 is not reachable (%2). Start it with "
                                           "'kafka-collab-lab stack up --with search' (or resources/stack/labstack.sh up "
                                           "--brokers 3 --with search,sql), or exclude real tests: ctest -LE real")
                                .arg(m_base, h.error.isEmpty() ? QStringLiteral("HTTP %1").arg(h.status) : h.error)));
        const QString status = json(h).value(QStringLiteral("status")).toString();
        QVERIFY2(status == QLatin1String("green") || status == QLatin1String("yellow"),
                 qPrintable(QStringLiteral("cluster health is '%1'").arg(status)));
    }

    void indexAndSearchKorean()
    {
        Http h = call("PUT", QStringLiteral("/%1").arg(m_index),
                      R"({"settings":{"number_of_shards":1,"number_of_replicas":0},
                          "mappings":{"properties":{"channel_id":{"type":"keyword"},"text":{"type":"text"},
                                                    "timestamp":{"type":"long"}}}})");
        QVERIFY2(h.status == 200, h.body.constData());

        const QByteArray doc = QJsonDocument(QJsonObject{
            {QStringLiteral("channel_id"), QStringLiteral("ch-general")},
            {QStringLiteral("text"), QStringLiteral("@지민 새 멘션: 카프카 스트리밍 실습을 시작합니다")},
            {QStringLiteral("timestamp"), 1700000000000.0}}).toJson(QJsonDocument::Compact);
        h = call("PUT", QStringLiteral("/%1/_doc/msg-1").arg(m_index), doc);
        QVERIFY2(h.status == 201 || h.status == 200, h.body.constData());
        // a second, unrelated document: the query must not find it
        h = call("PUT", QStringLiteral("/%1/_doc/msg-2").arg(m_index),
                 QByteArray(R"({"channel_id":"ch-random","text":"lunch at noon","timestamp":1700000000001})"));
        QVERIFY2(h.status == 201 || h.status == 200, h.body.constData());

        h = call("POST", QStringLiteral("/%1/_refresh").arg(m_index));
        QVERIFY2(h.status == 200, h.body.constData());

        const QByteArray query = QJsonDocument(QJsonObject{
            {QStringLiteral("query"), QJsonObject{{QStringLiteral("match"),
                QJsonObject{{QStringLiteral("text"), QStringLiteral("카프카")}}}}}}).toJson(QJsonDocument::Compact);
        h = call("POST", QStringLiteral("/%1/_search").arg(m_index), query);
        QVERIFY2(h.status == 200, h.body.constData());
        const QJsonObject hits = json(h).value(QStringLiteral("hits")).toObject();
        QCOMPARE(hits.value(QStringLiteral("total")).toObject().value(QStringLiteral("value")).toInt(), 1);
        const QJsonObject first = hits.value(QStringLiteral("hits")).toArray().at(0).toObject();
        QCOMPARE(first.value(QStringLiteral("_id")).toString(), QStringLiteral("msg-1"));
        QVERIFY(first.value(QStringLiteral("_source")).toObject().value(QStringLiteral("text")).toString()
                    .contains(QStringLiteral("새 멘션")));

        h = call("GET", QStringLiteral("/%1/_count").arg(m_index));
        QCOMPARE(json(h).value(QStringLiteral("count")).toInt(), 2);
    }

    // The lab node ignores OpenSearch's disk watermarks (on a shared disk they blocked index creation mid-run): with
    // watermarks no disk can meet and the node's disk statistics refreshed, it still creates indices and writes.
    void diskWatermarksDoNotBlockTheLabNode()
    {
        const QByteArray reset = R"({"transient":{"cluster.routing.allocation.disk.watermark.low":null,
            "cluster.routing.allocation.disk.watermark.high":null,"cluster.routing.allocation.disk.watermark.flood_stage":null,
            "cluster.info.update.interval":null},"persistent":{"cluster.blocks.create_index":null}})";
        auto restore = qScopeGuard([&] { call("PUT", QStringLiteral("/_cluster/settings"), reset); });
        // Free space the node would need: 1,000 TB, so every watermark is passed. The disk statistics are read every
        // 10 s at most (the shortest interval allowed).
        Http h = call("PUT", QStringLiteral("/_cluster/settings"),
                      R"({"transient":{"cluster.routing.allocation.disk.watermark.low":"1000tb",
                          "cluster.routing.allocation.disk.watermark.high":"999tb",
                          "cluster.routing.allocation.disk.watermark.flood_stage":"998tb",
                          "cluster.info.update.interval":"10s"}})");
        QVERIFY2(h.status == 200, h.body.constData());
        QTest::qWait(13000);
        h = call("PUT", QStringLiteral("/%1-full-disk").arg(m_index));
        QVERIFY2(h.status == 200, h.body.constData());
        call("DELETE", QStringLiteral("/%1-full-disk").arg(m_index));
        h = call("PUT", QStringLiteral("/%1/_doc/msg-3").arg(m_index),
                 QByteArray(R"({"channel_id":"ch-random","text":"the disk is full","timestamp":1700000000002})"));
        QVERIFY2(h.status == 201 || h.status == 200, h.body.constData());
        h = call("GET", QStringLiteral("/_cluster/settings?flat_settings=true"));
        QVERIFY2(!h.body.contains("cluster.blocks.create_index\":\"true"), h.body.constData());
    }

    void deleteIndex()
    {
        Http h = call("DELETE", QStringLiteral("/%1").arg(m_index));
        QVERIFY2(h.status == 200, h.body.constData());
        h = call("GET", QStringLiteral("/%1").arg(m_index));
        QCOMPARE(h.status, 404);
        m_index.clear();
    }

    void cleanupTestCase()
    {
        if (!m_index.isEmpty())
            call("DELETE", QStringLiteral("/%1").arg(m_index));
    }
};

QTEST_GUILESS_MAIN(TestStackSearch)
#include "tst_stack_search.moc"
