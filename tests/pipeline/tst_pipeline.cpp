// Broker-facing tests of the foundation. The same code runs on the embedded cluster and on the real local
// lab stack (see TestCluster.h): ctest registers it twice.
#include "TestCluster.h"

#include "events/Event.h"
#include "kafka/OffsetReset.h"
#include "kafka/Producer.h"
#include "metrics/PipelineMetrics.h"
#include "pipeline/ConsumerGroupService.h"
#include "pipeline/NotificationService.h"
#include "pipeline/Pipeline.h"
#include "pipeline/StateRebuilder.h"
#include "pipeline/StateTopicCensus.h"
#include "pipeline/WorkloadGenerator.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QTest>
#include <map>
#include <optional>
#include <set>
#include <thread>

using namespace kcl;
using namespace kcl::test;

namespace {

// True when the members' own rebalance callbacks report every partition of `topic` owned by exactly one member.
bool ownedExactlyOnce(const GroupInfo &g, const std::string &topic, int partitions, int expectedMembers)
{
    if (static_cast<int>(g.members.size()) != expectedMembers)
        return false;
    std::map<int, int> owners;
    for (const auto &m : g.members)
        for (const auto &tp : m.assignment)
            if (tp.topic == topic)
                ++owners[tp.partition];
    if (static_cast<int>(owners.size()) != partitions)
        return false;
    for (const auto &[p, n] : owners)
        if (n != 1)
            return false;
    // Every member that can get a partition has one: min(members, partitions) distinct owners.
    int owning = 0;
    for (const auto &m : g.members)
        owning += m.assignment.empty() ? 0 : 1;
    return owning == std::min(expectedMembers, partitions);
}

void pump(int ms)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < ms)
        QTest::qWait(50);
}

// Produces `count` message.created events (guide-shaped) to `topic`, keyed by channel; returns them in order.
std::vector<Event> produceMessages(const TestCluster &cluster, PipelineMetrics &metrics, const std::string &topic,
                                   int count, std::uint64_t seed, const std::function<void(int)> &onEach = {})
{
    Producer producer(cluster.producerProperties(), "test-producer", metrics);
    producer.warmUp({topic});
    WorkloadShape shape;
    shape.mix = {100, 0, 0, 0};
    WorkloadGenerator gen(seed, shape);
    std::vector<Event> sent;
    for (int i = 0; i < count; ++i) {
        Event e = gen.next(wallClockMs());
        const std::string json = serialize(e);
        while (producer.produce(topic, e.key(), json).code == RD_KAFKA_RESP_ERR__QUEUE_FULL)
            producer.poll(10);
        sent.push_back(std::move(e));
        producer.poll(0);
        if (onEach)
            onEach(i);
    }
    if (!producer.flush(120000))
        throw std::runtime_error("flush timed out");
    if (producer.acknowledged() != count)
        throw std::runtime_error("only " + std::to_string(producer.acknowledged()) + " of " + std::to_string(count) +
                                 " events were acknowledged");
    return sent;
}

} // namespace

class PipelineTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        try {
            m_cluster = std::make_unique<TestCluster>();
        } catch (const std::exception &e) {
            QFAIL(e.what());
        }
        qInfo("cluster: %s (%d brokers)", m_cluster->bootstrap().c_str(), m_cluster->brokers());
    }

    // Each event consumed exactly once at quiescence; per-key (channel) order preserved.
    void exactlyOnceAndPerKeyOrder()
    {
        PipelineMetrics metrics;
        const std::string topic = m_cluster->createTopic("kcl-test-order", 6);
        RecordSink sink;
        ConsumerGroupService group("kcl-test-order-" + topic, {topic}, m_cluster->consumerProperties(), metrics);
        group.setHandlerFactory(sink.factory());
        group.setMembers(2);
        QTRY_VERIFY_WITH_TIMEOUT(ownedExactlyOnce(group.info(), topic, 6, 2), 30000);

        const int n = 5000;
        const auto sent = produceMessages(*m_cluster, metrics, topic, n, 7);
        QCOMPARE(metrics.produceAckLatency.totalCount(), std::int64_t(n)); // one acknowledgement latency per record
        QTRY_COMPARE_WITH_TIMEOUT(sink.size(), std::size_t(n), 60000);
        pump(1500); // quiescence: nothing more may arrive
        const auto got = sink.records();
        QCOMPARE(got.size(), std::size_t(n));

        std::map<std::string, std::size_t> indexById;
        for (std::size_t i = 0; i < sent.size(); ++i)
            indexById[sent[i].eventId] = i;
        std::set<std::string> seen;
        std::map<std::string, std::size_t> lastIndexByKey;
        for (const auto &r : got) {
            const ParseResult p = parseEvent(r.value);
            QVERIFY2(p.ok(), p.error ? p.error->toString().c_str() : "");
            QVERIFY2(seen.insert(p.event->eventId).second, ("duplicate " + p.event->eventId).c_str());
            QCOMPARE(r.key, p.event->key());
            const std::size_t idx = indexById.at(p.event->eventId);
            auto it = lastIndexByKey.find(r.key);
            if (it != lastIndexByKey.end())
                QVERIFY2(idx > it->second, ("out of order within channel " + r.key).c_str());
            lastIndexByKey[r.key] = idx;
        }
        QCOMPARE(seen.size(), std::size_t(n));
        QVERIFY(group.info().consumedTotal == n);
    }

    // A member catching up on a backlog larger than its queue keeps fetching (kafka/FetchRestarter.h). With room for
    // 500 records, 40,000 waiting records take some 60 fills of the queue; librdkafka 2.0.2 alone pauses until a
    // broker thread next wakes (up to a second) after each (about 10 s in all on the embedded cluster), the member
    // wakes the fetchers instead (0.3 s).
    void memberCatchingUpKeepsFetching()
    {
        PipelineMetrics metrics;
        const std::string topic = m_cluster->createTopic("kcl-test-catchup", 6);
        const int n = 40000;
        {
            auto props = m_cluster->producerProperties();
            props["batch.num.messages"] = "100"; // small record batches: a real broker returns at least one per fetch
            Producer producer(props, "test-producer", metrics);
            producer.warmUp({topic});
            WorkloadGenerator gen(21);
            for (int i = 0; i < n; ++i) {
                const Event e = gen.next(wallClockMs());
                const std::string json = serialize(e);
                while (producer.produce(topic, e.key(), json).code == RD_KAFKA_RESP_ERR__QUEUE_FULL)
                    producer.poll(10);
                producer.poll(0);
            }
            QVERIFY(producer.flush(120000));
            QCOMPARE(producer.acknowledged(), std::int64_t(n));
        }
        auto props = m_cluster->consumerProperties();
        props["queued.min.messages"] = "500";
        RecordSink sink;
        ConsumerGroupService group("kcl-test-catchup-" + topic, {topic}, props, metrics);
        group.setHandlerFactory(sink.factory());
        group.setMembers(1);
        QTRY_VERIFY_WITH_TIMEOUT(sink.size() > 0, 30000);
        QElapsedTimer t;
        t.start();
        QTRY_COMPARE_WITH_TIMEOUT(sink.size(), std::size_t(n), 90000);
        const qint64 ms = t.elapsed();
        const GroupInfo info = group.info();
        QCOMPARE(info.members.size(), std::size_t(1));
        qInfo("caught up on %d records in %lld ms with %lld fetch restarts", n, static_cast<long long>(ms),
              static_cast<long long>(info.members[0].fetchRestarts));
        QVERIFY(info.members[0].fetchRestarts > 0);
        QVERIFY2(ms < 4000, ("catching up took " + std::to_string(ms) + " ms").c_str());
    }

    // Members added and removed live: after each rebalance every partition is owned by exactly one member.
    void membersJoinAndLeave()
    {
        PipelineMetrics metrics;
        const std::string topic = m_cluster->createTopic("kcl-test-members", 6);
        RecordSink sink;
        ConsumerGroupService group("kcl-test-members-" + topic, {topic}, m_cluster->consumerProperties(), metrics);
        group.setHandlerFactory(sink.factory());
        // Members share the group's pre-fetch budget by the group's size when they join: 1 of 1 gets the full
        // bound, the 2 added to make 3 get a third of the budget, those added to make 8 get the floor.
        const auto prefetchOfMembers = [&group] {
            std::vector<std::string> kib;
            for (const auto &props : group.memberProperties())
                kib.push_back(props.count("queued.max.messages.kbytes") ? props.at("queued.max.messages.kbytes") : "");
            return kib;
        };
        const std::string full = std::to_string(GroupMember::kPrefetchKiB);
        const std::string third = std::to_string(GroupMember::kGroupPrefetchBudgetKiB / 3);
        const std::string floor = std::to_string(GroupMember::kMinPrefetchKiB);
        group.setMembers(1);
        QCOMPARE(prefetchOfMembers(), std::vector<std::string>({full}));
        QTRY_VERIFY_WITH_TIMEOUT(ownedExactlyOnce(group.info(), topic, 6, 1), 30000);
        group.setMembers(3);
        QCOMPARE(prefetchOfMembers(), std::vector<std::string>({full, third, third}));
        QTRY_VERIFY_WITH_TIMEOUT(ownedExactlyOnce(group.info(), topic, 6, 3), 45000);
        group.setMembers(8); // more members than partitions: two stay idle
        QCOMPARE(prefetchOfMembers(), std::vector<std::string>({full, third, third, floor, floor, floor, floor, floor}));
        QTRY_VERIFY_WITH_TIMEOUT(ownedExactlyOnce(group.info(), topic, 6, 8), 45000);
        int idle = 0;
        for (const auto &m : group.info().members)
            idle += m.assignment.empty() ? 1 : 0;
        QCOMPARE(idle, 2);
        group.setMembers(2);
        QTRY_VERIFY_WITH_TIMEOUT(ownedExactlyOnce(group.info(), topic, 6, 2), 45000);
        QTRY_VERIFY_WITH_TIMEOUT((group.reap(), true) && group.info().rebalances >= 4, 10000);
        // Records still flow to the remaining members.
        produceMessages(*m_cluster, metrics, topic, 300, 11);
        QTRY_COMPARE_WITH_TIMEOUT(sink.size(), std::size_t(300), 30000);
    }

    // The notification service: every acknowledged mention yields exactly one notification.
    void everyMentionYieldsOneNotification()
    {
        PipelineOptions o;
        o.cluster = m_cluster->profile();
        if (m_cluster->isEmbedded())
            o.cluster.embeddedBrokers = 3;
        o.startWorkload = false;
        o.notificationMembers = 2;
        o.seed = QRandomGenerator::global()->generate64() & 0xffffff; // unique ids on a shared real cluster
        o.mentionProbability = 0.5;
        if (!m_cluster->isEmbedded()) // a real cluster keeps earlier runs' groups: one of our own (from the log start)
            o.groupIdSuffix = "-test-" + std::to_string(o.seed);
        Pipeline pipeline(o);
        pipeline.start();
        auto *svc = pipeline.service(kNotificationGroup);
        QVERIFY(svc);
        QTRY_VERIFY_WITH_TIMEOUT(ownedExactlyOnce(svc->info(), std::string(topics::kMessagesCreated), o.partitions, 2), 30000);

        const int n = 2000;
        pipeline.workload()->setEventLimit(n);
        pipeline.workload()->setRate(2000);
        pipeline.workload()->setRunning(true);
        QTRY_VERIFY_WITH_TIMEOUT(pipeline.workload()->enqueued() == std::uint64_t(n) && pipeline.workload()->idle(), 60000);
        QCOMPARE(pipeline.workload()->acknowledged(), std::int64_t(n));

        // The expected (message, recipient) pairs, from the same deterministic generator.
        WorkloadShape shape;
        shape.mentionProbability = o.mentionProbability;
        WorkloadGenerator gen(o.seed, shape);
        std::set<std::pair<std::string, std::string>> expected;
        for (int i = 0; i < n; ++i) {
            const Event e = gen.next(0);
            if (const auto *c = std::get_if<MessageCreated>(&e.payload))
                for (const auto &u : c->mentions)
                    expected.insert({c->messageId, u});
        }
        QVERIFY(expected.size() > 100);
        QTRY_COMPARE_WITH_TIMEOUT(pipeline.metrics().mentionsProduced.load(), std::int64_t(expected.size()), 30000);

        // Read platform.notifications.sent back with an independent group and count per pair.
        RecordSink sink;
        ConsumerGroupService reader("kcl-test-notification-reader-" + std::to_string(o.seed),
                                    {std::string(topics::kNotificationsSent)}, pipeline.consumerProperties(),
                                    pipeline.metrics());
        reader.setHandlerFactory(sink.factory());
        reader.setMembers(1);
        const std::string idPrefix = [&] {
            char buf[32];
            std::snprintf(buf, sizeof buf, "msg_%llx_", static_cast<unsigned long long>(o.seed & 0xffffff));
            return std::string(buf);
        }();
        auto countOurs = [&] {
            std::map<std::pair<std::string, std::string>, int> counts;
            for (const auto &r : sink.records()) {
                const ParseResult p = parseEvent(r.value);
                if (!p.ok())
                    continue;
                const auto *ns = std::get_if<NotificationSent>(&p.event->payload);
                if (ns && ns->messageId.rfind(idPrefix, 0) == 0) {
                    ++counts[{ns->messageId, ns->recipientId}];
                    if (r.key != ns->recipientId)
                        counts[{"bad-key", r.key}] += 1000;
                }
            }
            return counts;
        };
        QTRY_COMPARE_WITH_TIMEOUT(countOurs().size(), expected.size(), 60000);
        qInfo("read back %zu notification records", sink.size());
        pump(1500);
        const auto counts = countOurs();
        for (const auto &[pair, c] : counts) {
            QVERIFY2(expected.count(pair), ("unexpected notification " + pair.first + " -> " + pair.second).c_str());
            QVERIFY2(c == 1, ("notification count " + std::to_string(c) + " for " + pair.first + " -> " + pair.second).c_str());
        }
        const auto latency = pipeline.metrics().notificationLatency.summary();
        qInfo("notifications: %zu, latency p50 %.1f ms, p99 %.1f ms", counts.size(), latency.p50, latency.p99);
        reader.stopAll();
        pipeline.stop();
    }

    // An offset reset rewinds a group like `kafka-consumer-groups --reset-offsets --to-earliest --execute`: with its
    // members gone, the committed offsets go back to the log start and the rejoined group reads everything again.
    void offsetResetRewindsTheGroup()
    {
        PipelineMetrics metrics;
        const std::string topic = m_cluster->createTopic("kcl-test-reset", 6);
        const std::string groupId = "kcl-test-reset-" + topic;
        RecordSink sink;
        ConsumerGroupService group(groupId, {topic}, m_cluster->consumerProperties(), metrics);
        group.setHandlerFactory(sink.factory());
        group.setMembers(1);
        QTRY_VERIFY_WITH_TIMEOUT(ownedExactlyOnce(group.info(), topic, 6, 1), 30000);
        const int n = 600;
        produceMessages(*m_cluster, metrics, topic, n, 11);
        QTRY_COMPARE_WITH_TIMEOUT(sink.size(), std::size_t(n), 60000);
        group.stopAll(); // commits on close

        OffsetResetResult result;
        const KafkaError e = resetGroupOffsets(m_cluster->consumerProperties(), groupId, {topic},
                                               OffsetResetTarget::Earliest, &result);
        QVERIFY2(!e, e.sentence().c_str());
        QCOMPARE(result.partitions, 6);
        QCOMPARE(result.moved, std::int64_t(-n)); // every partition went from its end back to its start

        group.setMembers(1);
        QTRY_COMPARE_WITH_TIMEOUT(sink.size(), std::size_t(2 * n), 60000);
        std::map<std::pair<int, std::int64_t>, int> seen;
        for (const auto &r : sink.records())
            ++seen[{r.partition, r.offset}];
        QCOMPARE(seen.size(), std::size_t(n));
        for (const auto &[at, count] : seen)
            QCOMPARE(count, 2); // each record exactly once before and once after the reset
        group.stopAll();

        // To the end: nothing is read again.
        QVERIFY(!resetGroupOffsets(m_cluster->consumerProperties(), groupId, {topic}, OffsetResetTarget::Latest, &result));
        QCOMPARE(result.moved, std::int64_t(0)); // it was already at the end
    }

    // Messages keyed by channel keep their per-channel order through the notification service; without a key
    // they spread over the partitions and a member sees a channel's messages out of order.
    void perChannelOrderKeptOnlyWithKeys()
    {
        for (const bool keyed : {true, false}) {
            PipelineOptions o;
            o.cluster = m_cluster->profile();
            o.startWorkload = false;
            o.notificationMembers = 1;
            o.seed = QRandomGenerator::global()->generate64() & 0xffffff;
            o.groupIdSuffix = "-order-" + std::to_string(o.seed);
            o.newGroupOffsetReset = "latest"; // only this run's events (a real cluster keeps earlier runs' records)
            Pipeline pipeline(o);
            pipeline.start();
            auto *svc = pipeline.service(kNotificationGroup);
            QVERIFY(svc);
            QTRY_VERIFY_WITH_TIMEOUT(ownedExactlyOnce(svc->info(), std::string(topics::kMessagesCreated), o.partitions, 1), 30000);
            pump(1500);
            pipeline.setWorkloadKeyed(keyed);
            const int n = 3000;
            pipeline.workload()->setEventLimit(n);
            pipeline.workload()->setRate(3000);
            pipeline.workload()->setRunning(true);
            QTRY_VERIFY_WITH_TIMEOUT(pipeline.workload()->enqueued() == std::uint64_t(n) && pipeline.workload()->idle(), 60000);
            QTRY_VERIFY_WITH_TIMEOUT(svc->info().consumedTotal >= pipeline.metrics().produced.messages[0].load(), 30000);
            const auto violations = pipeline.metrics().orderViolations.load();
            qInfo("%s: %lld of %lld message.created events handled after a newer one of their channel", keyed ? "keyed" : "unkeyed",
                  static_cast<long long>(violations), static_cast<long long>(svc->info().consumedTotal));
            if (keyed)
                QCOMPARE(violations, std::int64_t(0));
            else
                QVERIFY2(violations > 0, "without keys a channel's messages should arrive out of order");
            pipeline.stop();
        }
    }

    // A poison record does not stop the notification service: it is counted and sent to the dead-letter topic
    // with the reason, and the events after it are still notified.
    void poisonRecordGoesToDeadLetter()
    {
        PipelineOptions o;
        o.cluster = m_cluster->profile();
        o.startWorkload = false;
        o.notificationMembers = 1;
        if (!m_cluster->isEmbedded())
            o.groupIdSuffix = "-test-" + std::to_string(QRandomGenerator::global()->generate());
        Pipeline pipeline(o);
        pipeline.start();
        auto *svc = pipeline.service(kNotificationGroup);
        QTRY_VERIFY_WITH_TIMEOUT(ownedExactlyOnce(svc->info(), std::string(topics::kMessagesCreated), o.partitions, 1), 30000);
        const std::string tag = std::to_string(QRandomGenerator::global()->generate());
        {
            Producer producer(pipeline.producerProperties(), "poison-producer", pipeline.metrics());
            QVERIFY(!producer.produce(topics::kMessagesCreated, "ch_dev", "{\"event_type\": \"message.created\", oops " + tag));
            Event good;
            good.type = EventType::MessageCreated;
            good.eventId = "evt_after_poison_" + tag;
            good.timestampMs = wallClockMs();
            good.payload = MessageCreated{"msg_after_poison_" + tag, "ch_dev", "user_001", "after the poison", {"user_002"}, {}};
            QVERIFY(!producer.produce(topics::kMessagesCreated, "ch_dev", serialize(good)));
            QVERIFY(producer.flush(10000));
        }
        RecordSink dlt;
        ConsumerGroupService reader("kcl-test-dlt-" + tag, {std::string(topics::kDeadLetter)}, pipeline.consumerProperties(),
                                    pipeline.metrics());
        reader.setHandlerFactory(dlt.factory());
        reader.setMembers(1);
        auto ours = [&] {
            std::vector<ConsumedRecord> out;
            for (const auto &r : dlt.records())
                if (r.value.find(tag) != std::string::npos)
                    out.push_back(r);
            return out;
        };
        QTRY_COMPARE_WITH_TIMEOUT(ours().size(), std::size_t(1), 30000);
        QCOMPARE(ours().front().key, std::string("ch_dev"));
        QTRY_VERIFY_WITH_TIMEOUT(svc->info().parseErrors >= 1, 10000);
        // The event after the poison one is still notified: read platform.notifications.sent back.
        RecordSink sent;
        ConsumerGroupService sentReader("kcl-test-dlt-sent-" + tag, {std::string(topics::kNotificationsSent)},
                                        pipeline.consumerProperties(), pipeline.metrics());
        sentReader.setHandlerFactory(sent.factory());
        sentReader.setMembers(1);
        auto notified = [&] {
            for (const auto &r : sent.records())
                if (r.value.find("msg_after_poison_" + tag) != std::string::npos)
                    return true;
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(notified(), 90000);
        sentReader.stopAll();
        bool explained = false;
        for (const auto &e : pipeline.metrics().errors.copy())
            explained = explained || (e.errorName == "_BAD_MSG" && e.message.find("dead-letter") != std::string::npos);
        QVERIFY(explained);
        reader.stopAll();
    }

    // The census of a topic (the compaction lab reads the latest-state topic back with it): every record from the
    // log start to the end as it was when the census began, its distinct keys and its tombstones; on a real
    // cluster a topic that does not exist is an error, not a census of nothing.
    void censusCountsRecordsKeysAndTombstones()
    {
        PipelineMetrics metrics;
        const std::string topic = m_cluster->createTopic("kcl-test-census", 3);
        {
            Producer producer(m_cluster->producerProperties(), "census-producer", metrics);
            for (int i = 0; i < 100; ++i)
                QVERIFY(!producer.produce(topic, "k" + std::to_string(i), "v1"));
            for (int i = 0; i < 50; ++i)
                QVERIFY(!producer.produce(topic, "k" + std::to_string(i), "v2"));
            for (int i = 0; i < 10; ++i)
                QVERIFY(!producer.produce(topic, "k" + std::to_string(i), std::string_view())); // a tombstone
            QVERIFY(producer.flush(30000));
        }
        const StateTopicCensus c = censusTopic(m_cluster->consumerProperties(), topic, 30000);
        QVERIFY2(c.done, c.error.c_str());
        QCOMPARE(c.records, std::int64_t(160));
        QCOMPARE(c.keys, std::int64_t(100));
        QCOMPARE(c.tombstones, std::int64_t(10));

        if (m_cluster->isEmbedded())
            return; // the mock cluster creates any topic a client asks about
        const StateTopicCensus missing = censusTopic(m_cluster->consumerProperties(), topic + "-missing", 10000);
        QVERIFY(!missing.done);
        QVERIFY2(missing.error.find(topic + "-missing") != std::string::npos, missing.error.c_str());
    }

    // Real cluster only (the embedded one cannot list groups): each replay reads in a group of its own, and once
    // it stops (a new replay, or the pipeline stopping) its group is deleted, so finished replays do not pile up in
    // the cluster's group listing as STOPPED groups with ever-growing lag.
    void finishedReplayGroupsAreDeleted()
    {
        if (m_cluster->isEmbedded())
            QSKIP("real stack only: the embedded cluster cannot list consumer groups");
        PipelineOptions o;
        o.cluster = m_cluster->profile();
        o.notificationMembers = 0;
        o.startWorkload = false;
        o.seed = QRandomGenerator::global()->generate64() & 0xffffff;
        o.groupIdSuffix = "-replaytest-" + std::to_string(o.seed);
        Pipeline pipeline(o);
        pipeline.start();
        pipeline.workload()->setEventLimit(100); // the topics have something to replay, whatever ran before
        pipeline.workload()->setRate(1000);
        pipeline.workload()->setRunning(true);
        QTRY_VERIFY_WITH_TIMEOUT(pipeline.workload()->acknowledged() == 100, 30000);

        // A replay that has read and committed: its group is on the cluster.
        const auto replayOnce = [&]() -> std::string {
            if (KafkaError e = pipeline.replayState(1))
                return "replay refused: " + e.sentence();
            auto *rebuilder = pipeline.service(kRebuilderGroup);
            if (!rebuilder)
                return "no rebuilder";
            const std::string id = rebuilder->groupId();
            QElapsedTimer t;
            t.start();
            while (rebuilder->info().consumedTotal < 100 && t.elapsed() < 60000)
                QTest::qWait(100);
            QTest::qWait(2500); // a commit (every second) has gone out
            return id;
        };
        const std::string first = replayOnce();
        QVERIFY2(first.rfind(kRebuilderGroup, 0) == 0, first.c_str());
        const auto listed = [&](const std::string &id) { const auto g = listGroups(); return g && g->count(id) > 0; };
        const auto unlisted = [&](const std::string &id) { const auto g = listGroups(); return g && g->count(id) == 0; };
        QTRY_VERIFY2_WITH_TIMEOUT(listed(first), first.c_str(), 20000);

        const std::string second = replayOnce();
        QVERIFY2(second.rfind(kRebuilderGroup, 0) == 0 && second != first, second.c_str());
        QTRY_VERIFY_WITH_TIMEOUT(listed(second), 20000);
        QVERIFY2(unlisted(first), ("the first replay's group is still listed: " + first).c_str());

        pipeline.stop();
        QVERIFY2(unlisted(second), ("the last replay's group is still listed after stop: " + second).c_str());
        for (const auto &e : pipeline.metrics().errors.copy())
            QVERIFY2(e.message.find("deleting the finished replay") == std::string::npos, e.message.c_str());
    }

    // A broker stops and starts again while events are produced with acks=all: nothing acknowledged is lost.
    void brokerDownAndUpLosesNothing()
    {
        if (!m_cluster->isEmbedded())
            return brokerLossOnRealCluster();
        PipelineMetrics metrics;
        const std::string topic = m_cluster->createTopic("kcl-test-broker", 6);
        EmbeddedCluster *mock = m_cluster->embedded();
        const int n = 3000;
        std::thread toggler;
        const auto sent = produceMessages(*m_cluster, metrics, topic, n, 13, [&](int i) {
            if (i == n / 3)
                QVERIFY(!mock->setBrokerUp(2, false));
            if (i == n / 3 + 1)
                std::this_thread::sleep_for(std::chrono::milliseconds(2000)); // events queue for the stalled leader
            if (i == 2 * n / 3)
                QVERIFY(!mock->setBrokerUp(2, true));
        });
        QCOMPARE(int(sent.size()), n);
        RecordSink sink;
        ConsumerGroupService group("kcl-test-broker-" + topic, {topic}, m_cluster->consumerProperties(), metrics);
        group.setHandlerFactory(sink.factory());
        group.setMembers(1);
        // The producer is not idempotent: a batch whose acknowledgement the stopped broker never sent is sent again,
        // so a few events may arrive twice (at-least-once). What counts is that every acknowledged one arrives.
        std::set<std::string> ids;
        auto everySentArrived = [&] {
            ids.clear();
            for (const auto &r : sink.records())
                ids.insert(parseEvent(r.value).event->eventId);
            return ids.size() >= std::size_t(n);
        };
        QTRY_VERIFY_WITH_TIMEOUT(everySentArrived(), 60000);
        for (const auto &e : sent)
            QVERIFY2(ids.count(e.eventId), ("lost " + e.eventId).c_str());
        QCOMPARE(ids.size(), std::size_t(n)); // nothing arrived that was not sent
        qInfo("%zu records for %d events (%zu duplicates from retries)", sink.size(), n, sink.size() - ids.size());
    }

private:
    // The consumer groups the cluster lists (real clusters only); nullopt when the listing failed.
    std::optional<std::set<std::string>> listGroups()
    {
        std::set<std::string> out;
        auto props = m_cluster->consumerProperties();
        props["group.id"] = "kcl-test-group-lister"; // see LagMonitor::adminClientProperties
        KafkaHandle rk = makeHandle(RD_KAFKA_CONSUMER, makeConf(props));
        QueueHandle queue(rd_kafka_queue_new(rk.get()));
        rd_kafka_ListConsumerGroups(rk.get(), nullptr, queue.get());
        EventHandle ev(rd_kafka_queue_poll(queue.get(), 15000));
        if (!ev || rd_kafka_event_error(ev.get()))
            return std::nullopt;
        size_t n = 0;
        const rd_kafka_ConsumerGroupListing_t **list =
            rd_kafka_ListConsumerGroups_result_valid(rd_kafka_event_ListConsumerGroups_result(ev.get()), &n);
        for (size_t i = 0; i < n; ++i)
            out.insert(rd_kafka_ConsumerGroupListing_group_id(list[i]));
        return out;
    }
    void brokerLossOnRealCluster();
    std::unique_ptr<TestCluster> m_cluster;
};

// On the real stack the broker-failure test needs the 3-broker layout and the stack's stop-broker command. The
// group consumes from the start: it must go on receiving while the broker is down (after leader election), the
// producer (acks=all) must go on being acknowledged, and at the end nothing acknowledged is missing.
void PipelineTest::brokerLossOnRealCluster()
{
    if (m_cluster->brokers() < 3)
        QSKIP("single-broker stack: broker loss needs the 3-broker layout (labstack.sh up --brokers 3)");
    PipelineMetrics metrics;
    const std::string topic = m_cluster->createTopic("kcl-test-broker", 6);
    const QString script = QStringLiteral(KCL_RESOURCES_DIR "/stack/labstack.sh");
    const int n = 3000;
    RecordSink sink;
    ConsumerGroupService group("kcl-test-broker-" + topic, {topic}, m_cluster->consumerProperties(), metrics);
    group.setHandlerFactory(sink.factory());
    group.setMembers(1);

    // Waits (serving the event loop) until the group has consumed at least `want` records; false after `ms`.
    const auto consumedAtLeast = [&](std::size_t want, int ms) {
        QElapsedTimer t;
        t.start();
        while (sink.size() < want && t.elapsed() < ms)
            QTest::qWait(50);
        return sink.size() >= want;
    };
    bool runningBefore = false, stopped = false, continuedWhileDown = false, restarted = false;
    std::size_t atStop = 0, whileDown = 0;
    const auto sent = produceMessages(*m_cluster, metrics, topic, n, 13, [&](int i) {
        if (i == n / 3 - 1) {
            runningBefore = consumedAtLeast(std::size_t(n / 3) * 9 / 10, 60000); // the group reads before the loss
            atStop = sink.size();
            stopped = QProcess::execute(QStringLiteral("bash"), {script, QStringLiteral("stop-broker"), QStringLiteral("2")}) == 0;
        }
        if (i == 2 * n / 3 - 1) {
            // Broker 2 is still down: what was produced during the outage reaches the consumer through the new leaders.
            continuedWhileDown = consumedAtLeast(std::size_t(2 * n / 3) * 9 / 10, 90000);
            whileDown = sink.size();
            restarted = QProcess::execute(QStringLiteral("bash"), {script, QStringLiteral("start-broker"), QStringLiteral("2")}) == 0;
        }
    });
    QVERIFY2(runningBefore, "the group did not consume before the broker was stopped");
    QVERIFY2(stopped, "labstack.sh stop-broker 2 failed");
    QVERIFY2(continuedWhileDown, qPrintable(QStringLiteral("with broker 2 down the group stopped consuming: %1 records at the stop, "
                                                           "%2 of %3 produced so far after 90 s").arg(atStop).arg(sink.size()).arg(2 * n / 3)));
    QVERIFY2(restarted, "labstack.sh start-broker 2 failed");
    qInfo("consumed %zu before the stop, %zu with broker 2 down", atStop, whileDown);
    QTRY_VERIFY_WITH_TIMEOUT(sink.size() >= std::size_t(n), 90000);
    std::set<std::string> ids;
    for (const auto &r : sink.records())
        ids.insert(parseEvent(r.value).event->eventId);
    for (const auto &e : sent)
        QVERIFY2(ids.count(e.eventId), ("lost " + e.eventId).c_str());
}

QTEST_GUILESS_MAIN(PipelineTest)
#include "tst_pipeline.moc"
