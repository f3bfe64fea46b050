// The subcommands that need the real local lab stack, run as a student runs them (a separate process):
// - `groups --json`, compared row by row with Kafka's own `kafka-consumer-groups --describe`, run the same way
//   (`kafka-collab-lab stack tool ...`; the tool needs ListGroups/DescribeGroups, which the embedded cluster lacks):
//   a group whose members are in it but hold still, and a group without members committed on only some partitions
//   (both list just those; one is committed at 0, so its lag is the whole partition);
// - `post`, in both write modes: the row is in PostgreSQL and the event on platform.messages.created, and an
//   unreachable database or a missing option gives a clear message and exit status 1 / 2.
#include "TestCluster.h"

#include "cluster/ClusterProfile.h"
#include "events/Event.h"
#include "events/Topics.h"
#include "sinks/WriteModel.h"
#include "kafka/Producer.h"
#include "metrics/PipelineMetrics.h"
#include "pipeline/ConsumerGroupService.h"
#include "pipeline/WorkloadGenerator.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QTest>

using namespace kcl;
using namespace kcl::test;

class CliRealTest : public QObject {
    Q_OBJECT
    std::unique_ptr<TestCluster> m_cluster;

    static QString app() { return qEnvironmentVariable("KCL_APP"); }

    // Runs the app with `args`; its standard output, or a failure naming the command.
    static QString runApp(const QStringList &args, QString *failure)
    {
        QProcess p;
        p.start(app(), args);
        if (!p.waitForFinished(120000)) {
            p.kill();
            p.waitForFinished();
            *failure = QStringLiteral("kafka-collab-lab %1 did not finish in 120 s").arg(args.join(QLatin1Char(' ')));
            return {};
        }
        if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
            *failure = QStringLiteral("kafka-collab-lab %1 failed (%2): %3")
                           .arg(args.join(QLatin1Char(' ')))
                           .arg(p.exitCode())
                           .arg(QString::fromUtf8(p.readAllStandardError()));
        return QString::fromUtf8(p.readAllStandardOutput());
    }

    static std::string sqlConnection()
    {
        const QByteArray env = qgetenv("KCL_TEST_SQL");
        return env.isEmpty() ? ClusterProfile::local().sqlConnection : env.toStdString();
    }

    // The event of `messageId` on platform.messages.created, read from `from` (offsets per partition) on; null when
    // it is not there within 20 s.
    std::optional<Event> findCreated(const std::map<int, std::int64_t> &from, const std::string &messageId, std::string *key)
    {
        auto props = m_cluster->consumerProperties();
        props["group.id"] = "kcl-test-cli-post-reader"; // assign() only: never joins, never commits
        props["enable.auto.commit"] = "false";
        KafkaHandle rk = makeHandle(RD_KAFKA_CONSUMER, makeConf(props));
        const std::string topic(topics::kMessagesCreated);
        TopicPartitionListHandle list(rd_kafka_topic_partition_list_new(static_cast<int>(from.size())));
        for (const auto &[p, o] : from)
            rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), p)->offset = o;
        if (rd_kafka_assign(rk.get(), list.get()))
            return std::nullopt;
        std::optional<Event> found;
        QElapsedTimer clock;
        clock.start();
        while (!found && clock.elapsed() < 20000) {
            rd_kafka_message_t *m = rd_kafka_consumer_poll(rk.get(), 200);
            if (!m)
                continue;
            MessageHandle owned(m);
            if (m->err)
                continue;
            ParseResult r = parseEvent(std::string_view(static_cast<const char *>(m->payload), m->len));
            if (!r.ok())
                continue;
            if (const auto *c = std::get_if<MessageCreated>(&r.event->payload); c && c->messageId == messageId) {
                key->assign(static_cast<const char *>(m->key), m->key ? m->key_len : 0);
                found = *r.event;
            }
        }
        rd_kafka_consumer_close(rk.get());
        return found;
    }

    // End offsets of platform.messages.created now, per partition.
    std::map<int, std::int64_t> createdEndOffsets()
    {
        auto props = m_cluster->consumerProperties();
        props["group.id"] = "kcl-test-cli-post-reader";
        KafkaHandle rk = makeHandle(RD_KAFKA_CONSUMER, makeConf(props));
        const std::string topic(topics::kMessagesCreated);
        const rd_kafka_metadata_t *md = nullptr;
        std::map<int, std::int64_t> out;
        rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk.get(), topic.c_str(), nullptr);
        if (rd_kafka_metadata(rk.get(), 0, rkt, &md, 10000) == RD_KAFKA_RESP_ERR_NO_ERROR) {
            MetadataHandle owned(md);
            for (int i = 0; md->topic_cnt == 1 && i < md->topics[0].partition_cnt; ++i) {
                const int p = md->topics[0].partitions[i].id;
                std::int64_t lo = 0, hi = 0;
                if (rd_kafka_query_watermark_offsets(rk.get(), topic.c_str(), p, &lo, &hi, 10000) == RD_KAFKA_RESP_ERR_NO_ERROR)
                    out[p] = hi;
            }
        }
        rd_kafka_topic_destroy(rkt);
        rd_kafka_consumer_close(rk.get());
        return out;
    }

    // Empty when every row of both outputs agrees; otherwise what differs.
    QString diffWithTool(const std::string &group, const char *scenario)
    {
        QString failure;
        const QString json = runApp({QStringLiteral("groups"), QStringLiteral("--cluster"), QString::fromStdString(m_cluster->bootstrap()),
                                     QStringLiteral("--group"), QString::fromStdString(group), QStringLiteral("--json")},
                                    &failure);
        if (!failure.isEmpty())
            return failure;
        const QString table = runApp({QStringLiteral("stack"), QStringLiteral("tool"), QStringLiteral("kafka-consumer-groups"),
                                      QStringLiteral("--bootstrap-server"), QString::fromStdString(m_cluster->bootstrap()),
                                      QStringLiteral("--describe"), QStringLiteral("--group"), QString::fromStdString(group)},
                                     &failure);
        if (!failure.isEmpty())
            return failure;
        // GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG CONSUMER-ID HOST CLIENT-ID
        std::map<int, QStringList> toolRows;
        for (const QString &line : table.split(QLatin1Char('\n'))) {
            const QStringList f = line.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts);
            if (f.size() >= 9 && f[0] == QString::fromStdString(group))
                toolRows[f[2].toInt()] = f.mid(0, 9);
        }
        QJsonArray groups = QJsonDocument::fromJson(json.toUtf8()).object().value(QStringLiteral("groups")).toArray();
        if (groups.size() != 1)
            return QStringLiteral("%1: groups --json lists %2 groups:\n%3").arg(QLatin1String(scenario)).arg(groups.size()).arg(json);
        const QJsonArray rows = groups.first().toObject().value(QStringLiteral("partitions")).toArray();
        if (rows.isEmpty() || static_cast<std::size_t>(rows.size()) != toolRows.size())
            return QStringLiteral("%1: %2 rows in groups --json, %3 in the tool's table:\n%4\n%5")
                .arg(QLatin1String(scenario)).arg(rows.size()).arg(toolRows.size()).arg(json, table);
        const auto cell = [](const QJsonValue &v) {
            return v.isNull() ? QStringLiteral("-") : v.isDouble() ? QString::number(static_cast<qint64>(v.toDouble())) : v.toString();
        };
        for (const auto &v : rows) {
            const QJsonObject r = v.toObject();
            const int partition = r.value(QStringLiteral("partition")).toInt();
            const QStringList ours{QString::fromStdString(group), r.value(QStringLiteral("topic")).toString(), QString::number(partition),
                                   cell(r.value(QStringLiteral("current_offset"))), cell(r.value(QStringLiteral("log_end_offset"))),
                                   cell(r.value(QStringLiteral("lag"))), cell(r.value(QStringLiteral("consumer_id"))),
                                   cell(r.value(QStringLiteral("host"))), cell(r.value(QStringLiteral("client_id")))};
            const auto it = toolRows.find(partition);
            if (it == toolRows.end() || it->second != ours)
                return QStringLiteral("%1, partition %2\ngroups --json: %3\ntool:          %4")
                    .arg(QLatin1String(scenario)).arg(partition).arg(ours.join(QLatin1Char(' ')),
                                                                    it == toolRows.end() ? QStringLiteral("(no row)") : it->second.join(QLatin1Char(' ')));
        }
        qInfo("%s: %d rows of groups --json equal kafka-consumer-groups --describe", scenario, int(rows.size()));
        return {};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(QFile::exists(app()), "KCL_APP must name the built kafka-collab-lab");
        try {
            m_cluster = std::make_unique<TestCluster>();
        } catch (const std::exception &e) {
            QFAIL(e.what());
        }
        if (m_cluster->isEmbedded())
            QSKIP("real stack only: kafka-consumer-groups needs ListGroups/DescribeGroups");
    }

    void groupsJsonEqualsKafkaConsumerGroupsDescribe()
    {
        const std::string topic = m_cluster->createTopic("kcl-test-groups-cli", 4);
        const std::string group = "kcl-test-groups-cli-" + topic;
        PipelineMetrics metrics;
        {
            Producer producer(m_cluster->producerProperties(), "groups-cli-producer", metrics);
            WorkloadGenerator gen(7);
            for (int i = 0; i < 400; ++i) {
                const Event e = gen.next(wallClockMs());
                while (producer.produce(topic, e.key(), serialize(e)).code == RD_KAFKA_RESP_ERR__QUEUE_FULL)
                    producer.poll(10);
            }
            QVERIFY(producer.flush(30000));
            QCOMPARE(producer.acknowledged(), std::int64_t(400));
        }
        // Two members read part of the topic, then hold still (in the group, assigned, not progressing).
        RecordSink sink;
        ConsumerGroupService svc(group, {topic}, m_cluster->consumerProperties(), metrics);
        svc.setHandlerFactory(sink.factory());
        svc.setMembers(2);
        QTRY_VERIFY_WITH_TIMEOUT(sink.size() >= 100, 60000);
        svc.setProcessingDelayMs(100000);
        QTest::qWait(3000); // the last commits land
        QString diff = diffWithTool(group, "members holding still");
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
        svc.setProcessingDelayMs(0);
        svc.stopAll();

        // Another group committed on partitions 1 and 3 only, with no member.
        const std::string partly = group + "-partly";
        {
            auto props = m_cluster->consumerProperties();
            props["group.id"] = partly;
            KafkaHandle rk = makeHandle(RD_KAFKA_CONSUMER, makeConf(props));
            TopicPartitionListHandle list(rd_kafka_topic_partition_list_new(2));
            rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), 1)->offset = 5;
            rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), 3)->offset = 0;
            QCOMPARE(rd_kafka_commit(rk.get(), list.get(), 0), RD_KAFKA_RESP_ERR_NO_ERROR);
            rd_kafka_consumer_close(rk.get());
        }
        diff = diffWithTool(partly, "partly committed group without members");
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
    }

    void postWritesTheRowAndTheEventInBothModes_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::newRow("outbox") << QStringLiteral("outbox");
        QTest::newRow("naive") << QStringLiteral("naive");
    }
    void postWritesTheRowAndTheEventInBothModes()
    {
        QFETCH(QString, mode);
        const QString tag = QStringLiteral("%1").arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
        const QString schema = QStringLiteral("kcl_test_post_") + tag;
        SqlSession sql(sqlConnection(), QStringLiteral("test-post-checks"));
        QString error;
        QVERIFY2(sql.open(&error), qPrintable(error));
        struct DropSchema {
            SqlSession &sql;
            QString schema;
            ~DropSchema() { QSqlQuery(sql.db()).exec(QStringLiteral("DROP SCHEMA IF EXISTS %1 CASCADE").arg(schema)); }
        } drop{sql, schema};

        // Where the event will be: after today's end offsets (none on a fresh stack, where post creates the topic).
        std::map<int, std::int64_t> before = createdEndOffsets();
        const QString text = QStringLiteral("카프카 CLI 글 ") + tag;
        QString failure;
        const QString out = runApp({QStringLiteral("post"), text, QStringLiteral("--channel"), QStringLiteral("ch_cli"), QStringLiteral("--author"),
                                    QStringLiteral("user_001"), QStringLiteral("--mention"), QStringLiteral("user_002"), QStringLiteral("--mode"), mode,
                                    QStringLiteral("--cluster"), QString::fromStdString(m_cluster->bootstrap()), QStringLiteral("--sql"),
                                    QString::fromStdString(sqlConnection()), QStringLiteral("--sql-schema"), schema},
                                   &failure);
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        const auto id = QRegularExpression(QStringLiteral("message_id=(msg_[0-9a-f]+) mode=%1 ").arg(mode)).match(out);
        QVERIFY2(id.hasMatch(), qPrintable(out));
        const std::string messageId = id.captured(1).toStdString();

        QSqlQuery q(sql.db());
        QVERIFY(q.prepare(QStringLiteral("SELECT channel_id, author_id, content, mentions::text FROM %1.messages WHERE message_id = ?").arg(schema)));
        q.addBindValue(QString::fromStdString(messageId));
        QVERIFY2(q.exec() && q.next(), qPrintable(QStringLiteral("no row for %1 in %2.messages").arg(id.captured(1), schema)));
        QCOMPARE(q.value(0).toString(), QStringLiteral("ch_cli"));
        QCOMPARE(q.value(1).toString(), QStringLiteral("user_001"));
        QCOMPARE(q.value(2).toString(), text);
        QVERIFY2(q.value(3).toString().contains(QStringLiteral("user_002")), qPrintable(q.value(3).toString()));

        if (before.empty()) { // the topic did not exist: read it from the start
            before = createdEndOffsets();
            QVERIFY2(!before.empty(), "post did not create platform.messages.created");
            for (auto &[p, o] : before)
                o = 0;
        }
        std::string key;
        const std::optional<Event> event = findCreated(before, messageId, &key);
        QVERIFY2(event, ("the event of " + messageId + " is not on platform.messages.created").c_str());
        const auto &created = std::get<MessageCreated>(event->payload);
        QCOMPARE(QString::fromStdString(created.content), text);
        QCOMPARE(created.authorId, std::string("user_001"));
        QCOMPARE(created.mentions, std::vector<std::string>{"user_002"});
        QCOMPARE(key, std::string("ch_cli")); // keyed by channel: a channel's messages stay in order
    }

    void postErrorsAreClear()
    {
        QProcess p;
        p.start(app(), {QStringLiteral("post"), QStringLiteral("x"), QStringLiteral("--channel"), QStringLiteral("ch_cli"), QStringLiteral("--author"),
                        QStringLiteral("user_001"), QStringLiteral("--sql"),
                        QStringLiteral("host=127.0.0.1 port=1 dbname=kcl user=kcl password=kcl connect_timeout=2")});
        QVERIFY(p.waitForFinished(60000));
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QCOMPARE(p.exitCode(), 1);
        QVERIFY2(err.contains(QStringLiteral("127.0.0.1:1")) && err.contains(QStringLiteral("stack up --with sql")), qPrintable(err));

        p.start(app(), {QStringLiteral("post"), QStringLiteral("x"), QStringLiteral("--author"), QStringLiteral("user_001")});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 2);
        QVERIFY2(QString::fromUtf8(p.readAllStandardError()).contains(QStringLiteral("--channel")), "the missing option is not named");
    }
};

QTEST_GUILESS_MAIN(CliRealTest)
#include "tst_cli_real.moc"
