// The state rebuilder against the REAL PostgreSQL write model and Kafka of the local lab stack (label: real).
// The test builds the write model itself (its own schema with the fixed messages table), produces the matching
// events to its own topics, replays them, and checks that the comparison finds no difference, then that it finds
// a deliberately altered, a removed and an added row. When the stack does not run the test FAILS and says why.
#include "TestCluster.h"

#include "cluster/ClusterProfile.h"
#include "kafka/Producer.h"
#include "metrics/PipelineMetrics.h"
#include "pipeline/ConsumerGroupService.h"
#include "pipeline/StateRebuilder.h"
#include "pipeline/WorkloadGenerator.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <nlohmann/json.hpp>

using namespace kcl;
using namespace kcl::test;

class RebuilderSqlTest : public QObject {
    Q_OBJECT
    std::unique_ptr<TestCluster> m_cluster;
    std::string m_sql;
    QString m_schema;

    QSqlDatabase open()
    {
        QSqlDatabase db = QSqlDatabase::database(QStringLiteral("writer"), false);
        if (db.isValid())
            return db;
        db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), QStringLiteral("writer"));
        QMap<QString, QString> c;
        for (const QString &kv : QString::fromStdString(m_sql).split(QLatin1Char(' '), Qt::SkipEmptyParts))
            c.insert(kv.section(QLatin1Char('='), 0, 0), kv.section(QLatin1Char('='), 1));
        db.setHostName(c.value(QStringLiteral("host")));
        db.setPort(c.value(QStringLiteral("port")).toInt());
        db.setDatabaseName(c.value(QStringLiteral("dbname")));
        db.setUserName(c.value(QStringLiteral("user")));
        db.setPassword(c.value(QStringLiteral("password")));
        db.setConnectOptions(QStringLiteral("connect_timeout=5"));
        db.open();
        return db;
    }

    bool exec(const QString &sql, const QVariantList &values = {})
    {
        QSqlQuery q(open());
        bool ok = false;
        if (values.isEmpty()) { // DDL cannot be a prepared statement
            ok = q.exec(sql);
        } else {
            q.prepare(sql);
            for (const auto &v : values)
                q.addBindValue(v);
            ok = q.exec();
        }
        if (!ok) {
            qWarning("%s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
            return false;
        }
        return true;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL")),
                 "Qt's PostgreSQL driver QPSQL is missing: sudo apt-get install libqt6sql6-psql");
        m_sql = qEnvironmentVariable("KCL_TEST_SQL", QString::fromStdString(ClusterProfile::local().sqlConnection)).toStdString();
        QVERIFY2(open().isOpen(), ("the lab stack's PostgreSQL (" + m_sql + ") is not reachable: " +
                                   open().lastError().text().toStdString() +
                                   "; start it with 'kafka-collab-lab stack up --with sql', or run 'ctest -LE real'").c_str());
        try {
            m_cluster = std::make_unique<TestCluster>();
        } catch (const std::exception &e) {
            QFAIL(e.what());
        }
        m_schema = QStringLiteral("kcl_test_rebuild_%1").arg(QRandomGenerator::global()->generate());
        QVERIFY(exec(QStringLiteral("CREATE SCHEMA %1").arg(m_schema)));
        QVERIFY(exec(QStringLiteral("CREATE TABLE %1.messages (message_id text PRIMARY KEY, channel_id text NOT NULL, "
                                    "author_id text NOT NULL, content text NOT NULL, mentions jsonb NOT NULL DEFAULT '[]', "
                                    "created_at_ms bigint NOT NULL, updated_at_ms bigint NOT NULL, "
                                    "deleted boolean NOT NULL DEFAULT false)").arg(m_schema)));
    }

    void cleanupTestCase()
    {
        if (!m_schema.isEmpty())
            exec(QStringLiteral("DROP SCHEMA %1 CASCADE").arg(m_schema));
        QSqlDatabase::database(QStringLiteral("writer"), false).close();
        QSqlDatabase::removeDatabase(QStringLiteral("writer"));
    }

    void replayEqualsTheWriteModelAndAnAlteredRowIsFound()
    {
        const std::string created = m_cluster->createTopic("kcl-test-wm-created", 3);
        const std::string updated = m_cluster->createTopic("kcl-test-wm-updated", 3);
        const std::string deleted = m_cluster->createTopic("kcl-test-wm-deleted", 3);
        PipelineMetrics metrics;
        // The write side: each event applied to the table as it is produced (the CQRS writer's rules: soft delete,
        // updated_at = the last change's timestamp, no edit after a delete).
        {
            Producer producer(m_cluster->producerProperties(), "wm-producer", metrics);
            WorkloadShape shape;
            shape.mix = {60, 25, 15, 0};
            WorkloadGenerator gen(QRandomGenerator::global()->generate64(), shape);
            std::int64_t ts = wallClockMs() - 100000;
            QVERIFY(open().transaction());
            for (int i = 0; i < 600; ++i) {
                const Event e = gen.next(ts += 2);
                std::string topic;
                bool ok = true;
                if (const auto *c = std::get_if<MessageCreated>(&e.payload)) {
                    topic = created;
                    ok = exec(QStringLiteral("INSERT INTO %1.messages VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, false)").arg(m_schema),
                              {QString::fromStdString(c->messageId), QString::fromStdString(c->channelId),
                               QString::fromStdString(c->authorId), QString::fromStdString(c->content),
                               QString::fromStdString(nlohmann::json(c->mentions).dump()), qint64(e.timestampMs),
                               qint64(e.timestampMs)});
                } else if (const auto *u = std::get_if<MessageUpdated>(&e.payload)) {
                    topic = updated;
                    ok = exec(QStringLiteral("UPDATE %1.messages SET content = ?, mentions = ?::jsonb, updated_at_ms = ? "
                                             "WHERE message_id = ? AND NOT deleted").arg(m_schema),
                              {QString::fromStdString(u->content), QString::fromStdString(nlohmann::json(u->mentions).dump()),
                               qint64(e.timestampMs), QString::fromStdString(u->messageId)});
                } else if (const auto *d = std::get_if<MessageDeleted>(&e.payload)) {
                    topic = deleted;
                    ok = exec(QStringLiteral("UPDATE %1.messages SET deleted = true, updated_at_ms = ? "
                                             "WHERE message_id = ? AND NOT deleted").arg(m_schema),
                              {qint64(e.timestampMs), QString::fromStdString(d->messageId)});
                }
                QVERIFY(ok);
                while (producer.produce(topic, e.key(), serialize(e)).code == RD_KAFKA_RESP_ERR__QUEUE_FULL)
                    producer.poll(10);
            }
            QVERIFY(open().commit());
            QVERIFY(producer.flush(60000));
        }
        auto shared = std::make_shared<RebuilderShared>();
        shared->writeModelSql = m_sql; // the service compares by itself once caught up (as in the pipeline)
        shared->writeModelSchema = m_schema.toStdString();
        const std::vector<std::string> sources{created, updated, deleted};
        ConsumerGroupService rebuilder("kcl-test-wm-rebuilder-" + created, sources, m_cluster->consumerProperties(), metrics);
        rebuilder.setHandlerFactory(StateRebuilderHandler::factory(shared, sources, m_cluster->consumerProperties(),
                                                                   m_cluster->producerProperties(), {}, rebuilder.state(), metrics));
        rebuilder.setMembers(1);
        QTRY_VERIFY_WITH_TIMEOUT(metrics.services.rebuilder.caughtUp.load(), 60000);
        QTRY_VERIFY_WITH_TIMEOUT(metrics.services.rebuilder.differences.load() >= 0, 30000);
        QCOMPARE(metrics.services.rebuilder.differences.load(), std::int64_t(0));
        QVERIFY(metrics.services.stats().rebuilder.lastComparison.find("0 difference") == 0);
        rebuilder.stopAll();
        const auto state = shared->store.copy();
        QVERIFY(state.size() > 100);

        std::vector<StateDifference> diffs;
        std::string error;
        QVERIFY2(compareWithWriteModel(state, m_sql, m_schema.toStdString(), diffs, error), error.c_str());
        for (const auto &d : diffs)
            qWarning("%s", d.toString().c_str());
        QCOMPARE(diffs.size(), std::size_t(0));

        // Alter one row, remove another and add one the events never made: each is reported.
        const std::string altered = state.begin()->first, removed = std::next(state.begin())->first;
        QVERIFY(exec(QStringLiteral("UPDATE %1.messages SET content = 'tampered' WHERE message_id = ?").arg(m_schema),
                     {QString::fromStdString(altered)}));
        QVERIFY(exec(QStringLiteral("DELETE FROM %1.messages WHERE message_id = ?").arg(m_schema), {QString::fromStdString(removed)}));
        QVERIFY(exec(QStringLiteral("INSERT INTO %1.messages VALUES ('msg_ghost', 'ch_dev', 'user_001', 'boo', '[]', 1, 1, false)")
                         .arg(m_schema)));
        QVERIFY2(compareWithWriteModel(state, m_sql, m_schema.toStdString(), diffs, error), error.c_str());
        QCOMPARE(diffs.size(), std::size_t(3));
        std::map<std::string, StateDifference> byId;
        for (const auto &d : diffs)
            byId[d.messageId] = d;
        QCOMPARE(byId[altered].kind, std::string("different"));
        QCOMPARE(byId[altered].field, std::string("content"));
        QCOMPARE(byId[altered].writeModel, std::string("tampered"));
        QCOMPARE(byId[removed].kind, std::string("extra"));
        QCOMPARE(byId["msg_ghost"].kind, std::string("missing"));

        // An unreachable write model is an error, not "no difference".
        QVERIFY(!compareWithWriteModel(state, m_sql, "no_such_schema_" + m_schema.toStdString(), diffs, error));
        QVERIFY(!error.empty());
    }
};

QTEST_GUILESS_MAIN(RebuilderSqlTest)
#include "tst_rebuilder_sql.moc"
