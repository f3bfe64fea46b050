// The lag monitor against a cluster (embedded or the real local stack, same code). On the real stack the
// figures are compared, row by row, with Kafka's own kafka-consumer-groups --describe.
#include "TestCluster.h"

#include "cli/GroupsCommand.h"
#include "events/Event.h"
#include "kafka/ClusterAdmin.h"
#include "kafka/Producer.h"
#include "metrics/LagMonitor.h"
#include "metrics/PipelineMetrics.h"
#include "pipeline/ConsumerGroupService.h"
#include "pipeline/WorkloadGenerator.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>
#include <atomic>
#include <map>
#include <thread>
#include <sys/resource.h>

using namespace kcl;
using namespace kcl::test;

namespace {

void produce(const TestCluster &c, PipelineMetrics &m, const std::string &topic, int n, std::uint64_t seed,
             const std::map<std::string, std::string> &extra = {})
{
    auto props = c.producerProperties();
    for (const auto &[k, v] : extra)
        props[k] = v;
    Producer p(props, "lag-test-producer", m);
    WorkloadShape shape;
    shape.mix = {100, 0, 0, 0};
    WorkloadGenerator g(seed, shape);
    for (int i = 0; i < n; ++i) {
        const Event e = g.next(wallClockMs());
        while (p.produce(topic, e.key(), serialize(e)).code == RD_KAFKA_RESP_ERR__QUEUE_FULL)
            p.poll(10);
    }
    QVERIFY(p.flush(60000));
}

const GroupLagReport *findGroup(const LagReport &r, const std::string &id)
{
    for (const auto &g : r.groups)
        if (g.groupId == id)
            return &g;
    return nullptr;
}

} // namespace

class LagMonitorTest : public QObject {
    Q_OBJECT
    std::unique_ptr<TestCluster> m_cluster;

    std::unique_ptr<LagMonitor> makeMonitor(const std::string &onlyGroup)
    {
        LagMonitor::Options o;
        o.clusterProperties = {{"bootstrap.servers", m_cluster->bootstrap()}};
        o.embedded = m_cluster->isEmbedded();
        o.onlyGroup = onlyGroup;
        o.windowCycles = 4;
        return std::make_unique<LagMonitor>(o);
    }
    static void feed(LagMonitor &mon, ConsumerGroupService &svc)
    {
        mon.setOwnGroups({{svc.groupId(), svc.topics(), svc.info().members}});
    }

private Q_SLOTS:
    void initTestCase()
    {
        try {
            m_cluster = std::make_unique<TestCluster>();
        } catch (const std::exception &e) {
            QFAIL(e.what());
        }
    }

    // Lag is end offset minus committed offset, from the cluster; a stopped group shows its lag and STOPPED.
    void lagOfActiveThenStoppedGroup()
    {
        PipelineMetrics metrics;
        const std::string topic = m_cluster->createTopic("kcl-test-lag", 6);
        const std::string groupId = "kcl-test-lag-" + topic;
        RecordSink sink;
        ConsumerGroupService svc(groupId, {topic}, m_cluster->consumerProperties(), metrics);
        svc.setHandlerFactory(sink.factory());
        svc.setMembers(2);
        // Produce once both members own partitions: the embedded cluster refuses commits during a rebalance
        // (REBALANCE_IN_PROGRESS), so records handled just before one would be handled again (at-least-once).
        auto bothAssigned = [&] {
            const auto info = svc.info();
            return info.members.size() == 2 && !info.members[0].assignment.empty() && !info.members[1].assignment.empty();
        };
        QTRY_VERIFY_WITH_TIMEOUT(bothAssigned(), 30000);
        produce(*m_cluster, metrics, topic, 600, 3);
        QTRY_COMPARE_WITH_TIMEOUT(sink.size(), std::size_t(600), 60000);
        auto mon = makeMonitor(groupId);
        // Commits happen every second: wait for lag 0 as the cluster reports it.
        LagReport r;
        auto caughtUp = [&] {
            feed(*mon, svc);
            r = mon->cycle();
            const GroupLagReport *g = findGroup(r, groupId);
            if (!g || g->rows.size() != 6)
                return false;
            for (const auto &row : g->rows)
                if (row.logEnd > 0 && (!row.committed || *row.committed != row.logEnd))
                    return false;
            return true;
        };
        QTRY_VERIFY_WITH_TIMEOUT(caughtUp(), 20000);
        const GroupLagReport *g = findGroup(r, groupId);
        std::int64_t ends = 0;
        std::set<std::string> owners;
        for (const auto &row : g->rows) {
            if (row.logEnd > 0) { // a partition that never received a record has nothing to commit
                QVERIFY(row.committed.has_value());
                QCOMPARE(*row.committed, row.logEnd);
            }
            ends += row.logEnd;
            owners.insert(row.clientId);
        }
        QCOMPARE(ends, std::int64_t(600));
        QCOMPARE(owners.size(), std::size_t(2)); // both members own partitions
        QCOMPARE(g->members.size(), std::size_t(2));
        QCOMPARE(g->status, GroupStatus::Ok);
        QVERIFY(r.cycleMs > 0);
        bool topicSeen = false;
        for (const auto &t : r.topics)
            if (t.topic == topic) {
                topicSeen = true;
                QCOMPARE(t.messages, std::int64_t(600));
                QCOMPARE(t.partitions, 6);
            }
        QVERIFY(topicSeen);

        // Members leave; 300 more events wait.
        svc.setMembers(0);
        QTRY_VERIFY_WITH_TIMEOUT((svc.reap(), svc.info().members.empty()), 30000);
        svc.stopAll();
        produce(*m_cluster, metrics, topic, 300, 4);
        for (int i = 0; i < 4; ++i) {
            feed(*mon, svc);
            r = mon->cycle();
            QTest::qWait(300);
        }
        g = findGroup(r, groupId);
        QVERIFY(g);
        QCOMPARE(g->totalLag, std::int64_t(300));
        QCOMPARE(g->status, GroupStatus::Stopped);
        QVERIFY(g->statusReason.find("no active members") != std::string::npos);
        for (const auto &row : g->rows) {
            if (row.committed)
                QVERIFY(row.timeLagKnown && (row.lag == 0 || row.timeLagSec > 0));
            else
                QVERIFY(!row.lag.has_value());
        }
        QVERIFY(g->rebalances >= 1); // the members leaving changed the membership
        // The CLI's JSON carries the same figures; a partition with no commit is null, not 0.
        const auto j = lagReportJson(r);
        QCOMPARE(j["groups"][0]["total_lag"].get<std::int64_t>(), std::int64_t(300));
    }

    // A partition the group never committed shows no lag (unknown), as kafka-consumer-groups shows "-".
    void partitionWithoutCommitIsUnknown()
    {
        PipelineMetrics metrics;
        const std::string topic = m_cluster->createTopic("kcl-test-nocommit", 2);
        const std::string groupId = "kcl-test-nocommit-" + topic;
        produce(*m_cluster, metrics, topic, 50, 5);
        // Commit partition 0 only, with a plain consumer.
        auto props = m_cluster->consumerProperties();
        props["group.id"] = groupId;
        KafkaHandle rk = makeHandle(RD_KAFKA_CONSUMER, makeConf(props));
        TopicPartitionListHandle offsets(rd_kafka_topic_partition_list_new(1));
        rd_kafka_topic_partition_list_add(offsets.get(), topic.c_str(), 0)->offset = 3;
        QCOMPARE(rd_kafka_commit(rk.get(), offsets.get(), 0), RD_KAFKA_RESP_ERR_NO_ERROR);
        rd_kafka_consumer_close(rk.get());
        rk.reset();
        auto mon = makeMonitor(groupId);
        if (m_cluster->isEmbedded())
            mon->setOwnGroups({{groupId, {topic}, {}}});
        const LagReport r = mon->cycle();
        const GroupLagReport *g = findGroup(r, groupId);
        QVERIFY2(g, "group not reported");
        std::map<int, const PartitionLagRow *> rows;
        for (const auto &row : g->rows)
            rows[row.partition] = &row;
        QVERIFY(rows.count(0));
        QCOMPARE(*rows[0]->committed, std::int64_t(3));
        QCOMPARE(*rows[0]->lag, rows[0]->logEnd - 3);
        if (rows.count(1)) { // the embedded path asks for every partition; a real cluster lists committed ones
            QVERIFY(!rows[1]->committed.has_value());
            QVERIFY(!rows[1]->lag.has_value());
        }
    }

    // The cluster's side of "out": what every group read per second, from committed-offset deltas; and a group that
    // goes away is forgotten (memory follows the cluster, not its history).
    void clusterReadRateAndForgottenGroups()
    {
        PipelineMetrics metrics;
        const std::string topic = m_cluster->createTopic("kcl-test-readrate", 1);
        const std::string groupId = "kcl-test-readrate-" + topic;
        produce(*m_cluster, metrics, topic, 50, 6);
        auto props = m_cluster->consumerProperties();
        props["group.id"] = groupId;
        KafkaHandle rk = makeHandle(RD_KAFKA_CONSUMER, makeConf(props));
        auto commit = [&](std::int64_t offset) {
            TopicPartitionListHandle offsets(rd_kafka_topic_partition_list_new(1));
            rd_kafka_topic_partition_list_add(offsets.get(), topic.c_str(), 0)->offset = offset;
            return rd_kafka_commit(rk.get(), offsets.get(), 0);
        };
        auto mon = makeMonitor(groupId);
        if (m_cluster->isEmbedded())
            mon->setOwnGroups({{groupId, {topic}, {}}});
        auto readRate = [&](const LagReport &r) {
            for (const auto &t : r.topics)
                if (t.topic == topic)
                    return t.consumedPerSec;
            return -1.0;
        };
        QCOMPARE(commit(10), RD_KAFKA_RESP_ERR_NO_ERROR);
        const std::int64_t firstStart = wallClockMs();
        LagReport r = mon->cycle();
        const std::int64_t firstEnd = wallClockMs();
        QVERIFY2(findGroup(r, groupId), "group not reported");
        QCOMPARE(readRate(r), 0.0); // nothing to compare with yet
        QTest::qWait(500);
        QCOMPARE(commit(40), RD_KAFKA_RESP_ERR_NO_ERROR);
        const std::int64_t secondStart = wallClockMs();
        r = mon->cycle();
        const std::int64_t secondEnd = wallClockMs();
        // 30 records read between the two cycles' clocks, which lie within these bounds.
        const double rate = readRate(r);
        QVERIFY2(rate >= 30.0 * 1000 / double(secondEnd - firstStart) - 1e-9 &&
                     rate <= 30.0 * 1000 / double(std::max<std::int64_t>(1, secondStart - firstEnd)) + 1e-9,
                 qPrintable(QString::number(rate)));
        bool inJson = false;
        const auto json = lagReportJson(r);
        for (const auto &t : json["topics"])
            if (t["topic"] == topic) {
                QCOMPARE(t["consumed_per_s"].get<double>(), rate);
                inJson = true;
            }
        QVERIFY(inJson);
        r = mon->cycle();
        QCOMPARE(readRate(r), 0.0); // no commit since: nothing read
        QCOMPARE(mon->trackedState().groupPartitions, std::size_t(1));
        QCOMPARE(mon->trackedState().groupSeries, std::size_t(1));
        rd_kafka_consumer_close(rk.get());
        rk.reset();

        // The group goes away: on a real cluster it is deleted, on the embedded one the app stops running it.
        if (m_cluster->isEmbedded()) {
            mon->setOwnGroups({});
        } else {
            ClusterAdmin admin({{"bootstrap.servers", m_cluster->bootstrap()}});
            const KafkaError e = admin.deleteGroups({groupId});
            QVERIFY2(!e, e.sentence().c_str());
        }
        r = mon->cycle();
        QCOMPARE(mon->trackedState().groupPartitions, std::size_t(0));
        if (m_cluster->isEmbedded()) {
            QVERIFY(!findGroup(r, groupId));
            QCOMPARE(mon->trackedState().groupSeries, std::size_t(0));
            QVERIFY(mon->lagHistory(groupId).empty());
        } else if (const GroupLagReport *g = findGroup(r, groupId)) {
            // The monitor was asked for this group by name, and Kafka still describes it (Empty, no offsets).
            QVERIFY(g->rows.empty());
        }
    }

    // Embedded only: with a broker down the monitor keeps cycling and says what it cannot know.
    void brokerDownIsReportedNotStale()
    {
        if (!m_cluster->isEmbedded())
            QSKIP("embedded only: the real-stack equivalent is tst_pipeline_real's broker-loss test");
        PipelineMetrics metrics;
        const std::string topic = m_cluster->createTopic("kcl-test-lagdown", 6);
        const std::string groupId = "kcl-test-lagdown-" + topic;
        produce(*m_cluster, metrics, topic, 120, 6);
        auto mon = makeMonitor(groupId);
        mon->setOwnGroups({{groupId, {topic}, {}}});
        LagReport r = mon->cycle();
        QVERIFY(findGroup(r, groupId));
        // The mock cluster picks each partition's leader at random, so the broker stopped is the one that leads
        // partition 0 (any fixed broker would lead none of the six partitions in about one run in eleven).
        int down = -1;
        for (const auto &t : r.topics)
            if (t.topic == topic && !t.leaderPerPartition.empty())
                down = t.leaderPerPartition[0];
        QVERIFY2(down > 0, "the first cycle knows no leader of partition 0");
        // The partitions it leads, from the metadata of the cycle before it stops (the mock keeps leadership on a
        // down broker; the cycle after may have to fall back on an older layout).
        std::set<int> ledByDown;
        auto collectLedByDown = [&](const LagReport &report) {
            for (const auto &t : report.topics)
                if (t.topic == topic)
                    for (std::size_t p = 0; p < t.leaderPerPartition.size(); ++p)
                        if (t.leaderPerPartition[p] == down)
                            ledByDown.insert(int(p));
        };
        collectLedByDown(r);
        for (int b = 1; b <= 3; ++b)
            QVERIFY(!m_cluster->embedded()->setBrokerUp(b, b != down));
        r = mon->cycle();
        const GroupLagReport *g = findGroup(r, groupId);
        QVERIFY(g);
        QVERIFY2(!r.errors.empty(), "a down broker must be reported");
        for (const auto &e : r.errors)
            qInfo("error: %s", e.c_str());
        collectLedByDown(r);
        QString rows;
        for (const auto &row : g->rows)
            rows += QStringLiteral("\n  p%1 end=%2 error='%3'").arg(row.partition).arg(row.logEnd).arg(QString::fromStdString(row.error));
        QVERIFY2(g->rows.size() == 6, qPrintable(QStringLiteral("every partition of the group's topic has a row:%1").arg(rows)));
        QVERIFY(ledByDown.count(0));
        for (const auto &row : g->rows)
            if (ledByDown.count(row.partition))
                QVERIFY2(!row.error.empty(), qPrintable(QStringLiteral("p%1 is led by the down broker %2 but shows no error:%3").arg(row.partition).arg(down).arg(rows)));
        QVERIFY(!m_cluster->embedded()->setBrokerUp(down, true));
        QTRY_VERIFY_WITH_TIMEOUT((r = mon->cycle(), r.errors.empty()), 30000);
        g = findGroup(r, groupId);
        for (const auto &row : g->rows)
            QVERIFY(row.error.empty());
    }

    // Embedded only (the mock injects the error): the monitor's group client gets NOT_COORDINATOR for committed
    // offsets, as a real cluster answers while group coordinators move after a broker stops or returns. With the
    // client configured as it was before (no group of its own), librdkafka 2.0 crashed the whole app here (SIGSEGV
    // in its main thread, the crash of the real broker-failure lab); now each answer is an error for that group.
    void notCoordinatorForCommittedOffsetsIsAnError()
    {
        if (!m_cluster->isEmbedded())
            QSKIP("embedded only: the error is injected by the mock cluster");
        PipelineMetrics metrics;
        const std::string topic = m_cluster->createTopic("kcl-test-notcoord", 3);
        const int offsetFetchApiKey = 9;
        m_cluster->embedded()->pushRequestErrors(offsetFetchApiKey, RD_KAFKA_RESP_ERR_NOT_COORDINATOR, 3);
        KafkaHandle rk = makeHandle(RD_KAFKA_CONSUMER, makeConf(LagMonitor::adminClientProperties({{"bootstrap.servers", m_cluster->bootstrap()}})));
        QueueHandle queue(rd_kafka_queue_new(rk.get()));
        for (int attempt = 0; attempt < 3; ++attempt) {
            TopicPartitionListHandle parts(rd_kafka_topic_partition_list_new(1));
            rd_kafka_topic_partition_list_add(parts.get(), topic.c_str(), 0);
            rd_kafka_ListConsumerGroupOffsets_t *req = rd_kafka_ListConsumerGroupOffsets_new("kcl-test-notcoord-group", parts.get());
            rd_kafka_ListConsumerGroupOffsets(rk.get(), &req, 1, nullptr, queue.get());
            rd_kafka_ListConsumerGroupOffsets_destroy(req);
            EventHandle ev(rd_kafka_queue_poll(queue.get(), 10000));
            QVERIFY2(ev, "no answer within 10 s");
            QCOMPARE(rd_kafka_event_error(ev.get()), RD_KAFKA_RESP_ERR_NOT_COORDINATOR);
        }
    }

    // Real 3-broker stack only: a broker of the cluster stops while the monitor runs. The monitor goes on cycling at
    // its usual cost (librdkafka 2.0 would otherwise reconnect to the dead broker thousands of times a second for
    // its group listing, a whole core, and starve the machine), still lists the group, and its cycles stay short.
    void realBrokerLossKeepsTheMonitorCheap()
    {
        if (m_cluster->isEmbedded())
            QSKIP("real stack only: the embedded cluster's broker loss is brokerDownIsReportedNotStale");
        if (m_cluster->brokers() < 3)
            QSKIP("single-broker stack: broker loss needs the 3-broker layout (labstack.sh up --brokers 3)");
        const QString script = QStringLiteral(KCL_RESOURCES_DIR "/stack/labstack.sh");
        const std::string topic = m_cluster->createTopic("kcl-test-lagloss", 6);
        const std::string groupId = "kcl-test-lagloss-" + topic;
        commitOffsets(groupId, topic, {0, 1, 2, 3, 4, 5}, 0);
        auto mon = makeMonitor(groupId);
        QVERIFY(findGroup(mon->cycle(), groupId));

        struct Restart { // broker 2 comes back even when a check below fails: the tests after this one need it
            QString script;
            ~Restart() { QProcess::execute(QStringLiteral("bash"), {script, QStringLiteral("start-broker"), QStringLiteral("2")}); }
        } restart{script};
        QCOMPARE(QProcess::execute(QStringLiteral("bash"), {script, QStringLiteral("stop-broker"), QStringLiteral("2")}), 0);

        const auto cpuSeconds = [] {
            rusage ru{};
            getrusage(RUSAGE_SELF, &ru);
            return double(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) + double(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
        };
        const double cpuAtStop = cpuSeconds();
        QElapsedTimer wall;
        wall.start();
        qint64 longestCycleMs = 0;
        int cycles = 0;
        bool listed = false;
        while (wall.elapsed() < 15000) { // the monitor's own pace: a cycle a second
            QElapsedTimer t;
            t.start();
            const LagReport r = mon->cycle();
            longestCycleMs = std::max(longestCycleMs, t.elapsed());
            ++cycles;
            listed = findGroup(r, groupId) != nullptr;
            QTest::qWait(int(std::max<qint64>(0, 1000 - t.elapsed())));
        }
        const double cpu = cpuSeconds() - cpuAtStop;
        qInfo("broker 2 down for %.1f s: %d cycles, the longest %lld ms, %.2f s of CPU", wall.elapsed() / 1000.0, cycles,
              longestCycleMs, cpu);
        QVERIFY2(listed, "the group is no longer listed with one broker of three down");
        QVERIFY2(cpu < 3.0, qPrintable(QStringLiteral("%1 s of CPU in 15 s with a broker down: the monitor's clients spin").arg(cpu)));
        QVERIFY2(longestCycleMs < 8000, qPrintable(QStringLiteral("a cycle took %1 ms").arg(longestCycleMs)));
    }

    // Real stack only: every row equals what kafka-consumer-groups --describe reports at the same quiescent moment:
    // an active group, the same group stopped, after an offset reset, a partly committed group, and a topic
    // written by a transactional producer (with an open transaction: end offset != last stable offset).
    void sameAsKafkaConsumerGroupsTool()
    {
        if (m_cluster->isEmbedded())
            QSKIP("real stack only: the tool needs ListGroups/DescribeGroups, which the embedded cluster lacks");
        PipelineMetrics metrics;
        const std::string topic = m_cluster->createTopic("kcl-test-tool", 6);
        const std::string groupId = "kcl-test-tool-" + topic;
        produce(*m_cluster, metrics, topic, 900, 8);
        RecordSink sink;
        ConsumerGroupService svc(groupId, {topic}, m_cluster->consumerProperties(), metrics);
        svc.setHandlerFactory(sink.factory());
        svc.setMembers(2);
        QTRY_VERIFY_WITH_TIMEOUT(sink.size() >= 300, 60000);
        svc.setProcessingDelayMs(100000); // members stay in the group but stop progressing
        QTest::qWait(3000);             // let the last commits land: quiescent
        QString diff;
        diff = compareWithTool(groupId, "active group");
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
        svc.setProcessingDelayMs(0);
        svc.stopAll();
        diff = compareWithTool(groupId, "stopped group");
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
        // Offset reset: rewind every partition to 0 (as --reset-offsets --to-earliest would).
        commitOffsets(groupId, topic, {0, 1, 2, 3, 4, 5}, 0);
        diff = compareWithTool(groupId, "after an offset reset");
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
        // A partly committed group: only partitions 1 and 4.
        commitOffsets(groupId + "-partly", topic, {1, 4}, 5);
        diff = compareWithTool(groupId + "-partly", "partly committed group");
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
    }

    void transactionalTopicLag()
    {
        if (m_cluster->isEmbedded())
            QSKIP("real stack only: compared with Kafka's own tool");
        PipelineMetrics metrics;
        const std::string topic = m_cluster->createTopic("kcl-test-txn", 1);
        const std::string groupId = "kcl-test-txn-" + topic;
        auto props = m_cluster->producerProperties();
        props["transactional.id"] = "kcl-test-txn-" + topic;
        KafkaHandle rk = makeHandle(RD_KAFKA_PRODUCER, makeConf(props));
        auto check = [](rd_kafka_error_t *e) {
            ErrorHandle owned(e);
            if (e)
                QFAIL(rd_kafka_error_string(e));
        };
        check(rd_kafka_init_transactions(rk.get(), 30000));
        check(rd_kafka_begin_transaction(rk.get()));
        for (int i = 0; i < 100; ++i)
            rd_kafka_producev(rk.get(), RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_VALUE(const_cast<char *>("x"), 1),
                              RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
        check(rd_kafka_commit_transaction(rk.get(), 30000));
        // A read_committed member reads all 100 and commits.
        RecordSink sink;
        auto cprops = m_cluster->consumerProperties();
        cprops["isolation.level"] = "read_committed";
        ConsumerGroupService svc(groupId, {topic}, cprops, metrics);
        svc.setHandlerFactory(sink.factory());
        svc.setMembers(1);
        QTRY_COMPARE_WITH_TIMEOUT(sink.size(), std::size_t(100), 60000);
        QTest::qWait(2500);
        svc.stopAll();
        // An open transaction: 50 more records, not committed yet.
        check(rd_kafka_begin_transaction(rk.get()));
        for (int i = 0; i < 50; ++i)
            rd_kafka_producev(rk.get(), RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_VALUE(const_cast<char *>("y"), 1),
                              RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
        QCOMPARE(rd_kafka_flush(rk.get(), 30000), RD_KAFKA_RESP_ERR_NO_ERROR);
        LagReport r;
        const QString diff = compareWithTool(groupId, "transactional topic, open transaction", &r);
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
        const GroupLagReport *g = findGroup(r, groupId);
        QVERIFY(g && g->rows.size() == 1);
        const PartitionLagRow &row = g->rows.front();
        // High watermark: 100 records + 1 commit marker + 50 open; last stable offset stops before the open ones.
        QCOMPARE(row.logEnd, std::int64_t(151));
        QCOMPARE(row.lastStable, std::int64_t(101));
        QVERIFY(row.committed.has_value());
        QCOMPARE(*row.lagCommitted, row.lastStable - *row.committed); // what a read_committed consumer can still read
        QVERIFY(*row.lag > *row.lagCommitted);
        check(rd_kafka_abort_transaction(rk.get(), 30000));
    }

    // A group that has read a committed transaction to the end: a librdkafka consumer commits the offset after the
    // last record, so the commit marker stays behind it (lag 1, committed offset still). After a full status window
    // the group is OK (it was STALLED), the row says only markers remain, and the lag figures stay Kafka's.
    void transactionMarkersOnlyIsOk()
    {
        if (m_cluster->isEmbedded())
            QSKIP("real stack only: librdkafka's mock cluster writes no transaction markers (its EndTxn only answers), "
                  "so there a caught-up group has lag 0; the control case transactionalLikeStallStaysStalled runs on both");
        PipelineMetrics metrics;
        const std::string topic = m_cluster->createTopic("kcl-test-txnok", 1);
        const std::string groupId = "kcl-test-txnok-" + topic;
        auto props = m_cluster->producerProperties();
        props["transactional.id"] = "kcl-test-txnok-" + topic;
        KafkaHandle rk = makeHandle(RD_KAFKA_PRODUCER, makeConf(props));
        auto check = [](rd_kafka_error_t *e) {
            ErrorHandle owned(e);
            if (e)
                QFAIL(rd_kafka_error_string(e));
        };
        check(rd_kafka_init_transactions(rk.get(), 30000));
        check(rd_kafka_begin_transaction(rk.get()));
        for (int i = 0; i < 40; ++i)
            rd_kafka_producev(rk.get(), RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_VALUE(const_cast<char *>("x"), 1),
                              RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
        check(rd_kafka_commit_transaction(rk.get(), 30000));
        RecordSink sink;
        auto cprops = m_cluster->consumerProperties();
        cprops["isolation.level"] = "read_committed";
        ConsumerGroupService svc(groupId, {topic}, cprops, metrics);
        svc.setHandlerFactory(sink.factory());
        svc.setMembers(1); // stays in the group: without members the verdict would be STOPPED, not STALLED
        QTRY_COMPARE_WITH_TIMEOUT(sink.size(), std::size_t(40), 60000);
        auto mon = makeMonitor(groupId);
        LagReport r;
        auto committedAll = [&] {
            feed(*mon, svc);
            r = mon->cycle();
            const GroupLagReport *g = findGroup(r, groupId);
            return g && g->rows.size() == 1 && g->rows[0].committed == std::int64_t(40);
        };
        QTRY_VERIFY_WITH_TIMEOUT(committedAll(), 20000);
        for (int i = 0; i < 6; ++i) { // more than the window of 4 cycles
            QTest::qWait(300);
            feed(*mon, svc);
            r = mon->cycle();
            const GroupLagReport *g = findGroup(r, groupId);
            QVERIFY(g && g->rows.size() == 1);
            QVERIFY2(g->status == GroupStatus::Ok, g->statusReason.c_str());
        }
        const GroupLagReport *g = findGroup(r, groupId);
        const PartitionLagRow &row = g->rows.front();
        QCOMPARE(*row.committed, std::int64_t(40));
        QCOMPARE(row.logEnd, std::int64_t(41));     // 40 records + the commit marker
        QCOMPARE(row.lastStable, std::int64_t(41));
        QCOMPARE(*row.lag, std::int64_t(1));        // unchanged: what kafka-consumer-groups shows
        QCOMPARE(*row.lagCommitted, std::int64_t(1));
        QVERIFY(row.markersOnly);
        QVERIFY2(g->statusReason.find("only transaction markers remain after the committed offset") != std::string::npos,
                 g->statusReason.c_str());
        const auto j = lagReportJson(r);
        QCOMPARE(j["groups"][0]["partitions"][0]["markers_only"].get<bool>(), true);
        QCOMPARE(j["groups"][0]["partitions"][0]["lag"].get<std::int64_t>(), std::int64_t(1));
        svc.stopAll();
    }

    // The control case, on an ordinary topic: a member in the group is stuck on the last record, so the committed
    // offset stays 1 short, exactly the numbers of the transactional case. That is a real stall: STALLED, and the
    // row does not claim markers.
    void transactionalLikeStallStaysStalled()
    {
        PipelineMetrics metrics;
        const std::string topic = m_cluster->createTopic("kcl-test-stuck1", 1);
        const std::string groupId = "kcl-test-stuck1-" + topic;
        produce(*m_cluster, metrics, topic, 39, 11);
        std::atomic<bool> hold{true};
        std::atomic<int> handled{0};
        struct Holding : MessageHandler {
            std::atomic<bool> *hold;
            std::atomic<int> *handled;
            void handle(const rd_kafka_message_t &m) override
            {
                while (m.offset >= 39 && hold->load()) // the 40th record blocks its member until the test ends
                    std::this_thread::sleep_for(std::chrono::milliseconds(10));
                handled->fetch_add(1);
            }
        };
        ConsumerGroupService svc(groupId, {topic}, m_cluster->consumerProperties(), metrics);
        svc.setHandlerFactory([&](const std::string &) -> std::unique_ptr<MessageHandler> {
            auto h = std::make_unique<Holding>();
            h->hold = &hold;
            h->handled = &handled;
            return h;
        });
        svc.setMembers(1);
        QTRY_COMPARE_WITH_TIMEOUT(handled.load(), 39, 60000);
        auto mon = makeMonitor(groupId);
        LagReport r;
        auto committed = [&](std::int64_t offset) {
            feed(*mon, svc);
            r = mon->cycle();
            const GroupLagReport *g = findGroup(r, groupId);
            return g && g->rows.size() == 1 && g->rows[0].committed == offset;
        };
        QTRY_VERIFY_WITH_TIMEOUT(committed(39), 20000);
        produce(*m_cluster, metrics, topic, 1, 12); // the record the member gets stuck on
        struct Release { // the member's thread must not stay blocked when a check fails
            std::atomic<bool> &hold;
            ~Release() { hold.store(false); }
        } release{hold};
        for (int i = 0; i < 6; ++i) {
            QTest::qWait(300);
            feed(*mon, svc);
            r = mon->cycle();
        }
        const GroupLagReport *g = findGroup(r, groupId);
        QVERIFY(g && g->rows.size() == 1);
        const PartitionLagRow &row = g->rows.front();
        QCOMPARE(*row.committed, std::int64_t(39));
        QCOMPARE(row.logEnd, std::int64_t(40));
        QCOMPARE(*row.lag, std::int64_t(1));
        QVERIFY(!row.markersOnly);
        for (const auto &e : r.errors) // the partition was read and a record found, not left undecided
            QVERIFY2(e.find("transaction markers") == std::string::npos, e.c_str());
        QVERIFY2(g->status == GroupStatus::Stalled, g->statusReason.c_str());
        QCOMPARE(lagReportJson(r)["groups"][0]["partitions"][0]["markers_only"].get<bool>(), false);
        hold.store(false);
        svc.stopAll();
    }

private:
    static void commitOffsets(const std::string &groupId, const std::string &topic, std::vector<int> partitions, std::int64_t offset)
    {
        std::map<std::string, std::string> props{{"bootstrap.servers", qEnvironmentVariableIsEmpty("KCL_TEST_BOOTSTRAP") ? "127.0.0.1:9092" : qgetenv("KCL_TEST_BOOTSTRAP").toStdString()},
                                                 {"group.id", groupId}, {"log_level", "3"}};
        KafkaHandle rk = makeHandle(RD_KAFKA_CONSUMER, makeConf(props));
        TopicPartitionListHandle list(rd_kafka_topic_partition_list_new(static_cast<int>(partitions.size())));
        for (int p : partitions)
            rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), p)->offset = offset;
        QCOMPARE(rd_kafka_commit(rk.get(), list.get(), 0), RD_KAFKA_RESP_ERR_NO_ERROR);
        rd_kafka_consumer_close(rk.get());
    }

    // Empty string when every row matches; otherwise what differs.
    QString compareWithTool(const std::string &groupId, const char *scenario, LagReport *report = nullptr)
    {
        auto mon = makeMonitor(groupId);
        const LagReport r = mon->cycle();
        if (report)
            *report = r;
        QProcess tool;
        tool.start(QStringLiteral("bash"), {QStringLiteral(KCL_RESOURCES_DIR "/stack/labstack.sh"), QStringLiteral("tool"),
                                            QStringLiteral("kafka-consumer-groups"), QStringLiteral("--bootstrap-server"),
                                            QString::fromStdString(m_cluster->bootstrap()), QStringLiteral("--describe"),
                                            QStringLiteral("--group"), QString::fromStdString(groupId)});
        if (!tool.waitForFinished(120000))
            return QStringLiteral("kafka-consumer-groups did not finish");
        const QString text = QString::fromUtf8(tool.readAllStandardOutput());
        if (tool.exitCode() != 0)
            return QStringLiteral("kafka-consumer-groups failed: ") + text + QString::fromUtf8(tool.readAllStandardError());
        // GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG CONSUMER-ID HOST CLIENT-ID
        std::map<int, QStringList> toolRows;
        for (const QString &line : text.split(QLatin1Char('\n'))) {
            const QStringList f = line.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts);
            if (f.size() >= 9 && f[0] == QString::fromStdString(groupId))
                toolRows[f[2].toInt()] = f;
        }
        const GroupLagReport *g = findGroup(r, groupId);
        if (g && g->rows.empty())
            return QStringLiteral("%1: no rows at all (a comparison of nothing proves nothing):\n%2").arg(QLatin1String(scenario), text);
        if (!g || toolRows.size() != g->rows.size())
            return QStringLiteral("%1: row count differs (ours %2):\n%3").arg(QLatin1String(scenario)).arg(g ? int(g->rows.size()) : -1).arg(text);
        for (const auto &row : g->rows) {
            const QStringList &f = toolRows.at(row.partition);
            const QStringList ours{QString::fromStdString(groupId), QString::fromStdString(row.topic), QString::number(row.partition),
                                   row.committed ? QString::number(*row.committed) : QStringLiteral("-"), QString::number(row.logEnd),
                                   row.lag ? QString::number(*row.lag) : QStringLiteral("-"),
                                   row.consumerId.empty() ? QStringLiteral("-") : QString::fromStdString(row.consumerId),
                                   row.host.empty() ? QStringLiteral("-") : QString::fromStdString(row.host),
                                   row.clientId.empty() ? QStringLiteral("-") : QString::fromStdString(row.clientId)};
            if (f.mid(0, 9) != ours)
                return QStringLiteral("%1\nours: %2\ntool: %3").arg(QLatin1String(scenario), ours.join(QLatin1Char(' ')), f.join(QLatin1Char(' ')));
        }
        qInfo("%s: %d rows equal kafka-consumer-groups --describe", scenario, int(g->rows.size()));
        return {};
    }
};

QTEST_GUILESS_MAIN(LagMonitorTest)
#include "tst_lagmonitor.moc"
