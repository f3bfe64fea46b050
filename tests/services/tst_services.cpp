// Broker-facing tests of the analytics, archive and state-rebuilder services, on the embedded cluster and on the
// real local lab stack (same code, see TestCluster.h):
//  - poison events (not JSON, wrong types, unknown event_type, 1 MB content) interleaved with good ones: each one
//    reaches the dead-letter topic once per service with the headers, and every service handles every good event;
//  - the analytics service counts a run's events into event-time windows;
//  - the state rebuilder replays the topics, says when it caught up, and equals the events' latest state; on a real
//    cluster its compacted topic holds that latest state (tombstones for deleted messages).
#include "ArchiveLines.h"
#include "TestCluster.h"

#include "events/Event.h"
#include "kafka/Producer.h"
#include "metrics/PipelineMetrics.h"
#include "pipeline/AnalyticsService.h"
#include "pipeline/ArchiveService.h"
#include "pipeline/ConsumerGroupService.h"
#include "pipeline/DeadLetter.h"
#include "pipeline/NotificationService.h"
#include "pipeline/StateRebuilder.h"
#include "pipeline/WorkloadGenerator.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>
#include <set>

using namespace kcl;
using namespace kcl::test;
namespace fs = std::filesystem;

namespace {

struct DeadLetterRecord {
    std::map<std::string, std::string> headers;
    std::string value;
};

// Collects the dead-letter records whose source topic is one of this test's topics (thread-safe).
class DeadLetterSink {
public:
    explicit DeadLetterSink(std::set<std::string> sourceTopics) : m_sources(std::move(sourceTopics)) {}
    std::vector<DeadLetterRecord> records() const
    {
        std::lock_guard lock(m_mutex);
        return m_records;
    }
    HandlerFactory factory()
    {
        return [this](const std::string &) -> std::unique_ptr<MessageHandler> {
            struct Recorder : MessageHandler {
                DeadLetterSink *sink = nullptr;
                void handle(const rd_kafka_message_t &m) override
                {
                    DeadLetterRecord r;
                    rd_kafka_headers_t *hdrs = nullptr;
                    if (rd_kafka_message_headers(&m, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR) {
                        const char *name;
                        const void *value;
                        size_t size;
                        for (size_t i = 0; rd_kafka_header_get_all(hdrs, i, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR; ++i)
                            r.headers[name] = value ? std::string(static_cast<const char *>(value), size) : std::string();
                    }
                    if (!sink->m_sources.count(r.headers[kDeadLetterHeaderTopic]))
                        return;
                    if (m.payload)
                        r.value.assign(static_cast<const char *>(m.payload), m.len);
                    std::lock_guard lock(sink->m_mutex);
                    sink->m_records.push_back(std::move(r));
                }
            };
            auto h = std::make_unique<Recorder>();
            h->sink = this;
            return h;
        };
    }

private:
    std::set<std::string> m_sources;
    mutable std::mutex m_mutex;
    std::vector<DeadLetterRecord> m_records;
};

// Waits (serving events) until `done` holds or `ms` passed; true when it holds. Unlike QTRY, it never waits longer.
bool waitFor(const std::function<bool()> &done, int ms)
{
    QElapsedTimer clock;
    clock.start();
    while (!done()) {
        if (clock.elapsed() > ms)
            return false;
        QTest::qWait(50);
    }
    return true;
}

// On a failure, what the services reported says why.
struct DumpErrorsOnFailure {
    PipelineMetrics &metrics;
    ~DumpErrorsOnFailure()
    {
        if (QTest::currentTestFailed())
            for (const auto &e : metrics.errors.copy())
                qWarning("%s: %s: %s", e.source.c_str(), e.errorName.c_str(), e.message.c_str());
    }
};

void produceOrThrow(Producer &producer, const std::string &topic, const std::string &key, const std::string &value)
{
    for (;;) {
        const auto e = producer.produce(topic, key, value);
        if (e.code == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
            producer.poll(10);
            continue;
        }
        if (e)
            throw std::runtime_error("producing to " + topic + ": " + e.sentence());
        return;
    }
}

} // namespace

class ServicesTest : public QObject {
    Q_OBJECT

    std::unique_ptr<TestCluster> m_cluster;
    std::unique_ptr<ClusterAdmin> m_admin; // real cluster only

    // A fresh topic with a unique name and the given configs (ignored by the embedded cluster).
    std::string createTopic(const std::string &base, int partitions, const std::map<std::string, std::string> &configs)
    {
        const std::string name = base + "-" + std::to_string(QRandomGenerator::global()->generate());
        const int rf = std::min(3, m_cluster->brokers());
        const KafkaError e = m_cluster->isEmbedded() ? m_cluster->embedded()->createTopic(name, partitions, rf)
                                                     : m_admin->ensureTopics({name}, partitions, rf, 15000, configs);
        if (e)
            throw std::runtime_error("creating topic " + name + ": " + e.sentence());
        m_cluster->waitUntilVisible(name);
        return name;
    }

private Q_SLOTS:
    void initTestCase()
    {
        try {
            m_cluster = std::make_unique<TestCluster>();
            if (m_cluster->isEmbedded()) {
                QVERIFY(!m_cluster->embedded()->createTopic(std::string(topics::kDeadLetter), 3, 3));
                QVERIFY(!m_cluster->embedded()->createTopic(std::string(topics::kNotificationsSent), 3, 3));
            } else {
                m_admin = std::make_unique<ClusterAdmin>(std::map<std::string, std::string>{{"bootstrap.servers", m_cluster->bootstrap()}});
                // As Pipeline::start does: the lab's topics exist (this test may be the first to run on a fresh
                // stack), and the dead-letter topic takes records of any size a service may route.
                const int rf = std::min(3, m_cluster->brokers());
                const auto made = m_admin->ensureTopics({std::string(topics::kDeadLetter), std::string(topics::kNotificationsSent)},
                                                        3, rf);
                QVERIFY2(!made, made.sentence().c_str());
                m_cluster->waitUntilVisible(std::string(topics::kDeadLetter));
                m_cluster->waitUntilVisible(std::string(topics::kNotificationsSent));
                const auto e = m_admin->alterTopicConfigs(std::string(topics::kDeadLetter),
                                                          {{"max.message.bytes", std::to_string(kDeadLetterMaxBytes)}});
                QVERIFY2(!e, e.sentence().c_str());
            }
        } catch (const std::exception &e) {
            QFAIL(e.what());
        }
    }

    void poisonEventsReachTheDeadLetterTopicOncePerServiceAndEveryServiceKeepsGoing()
    {
        const std::map<std::string, std::string> big{{"max.message.bytes", std::to_string(kDeadLetterMaxBytes)}};
        const std::string created = createTopic("kcl-test-poison-created", 3, big);
        const std::string updated = createTopic("kcl-test-poison-updated", 3, big);
        const std::string activity = createTopic("kcl-test-poison-activity", 3, big);
        const std::string tag = std::to_string(QRandomGenerator::global()->generate());
        PipelineMetrics metrics;
        DumpErrorsOnFailure dumpErrors{metrics};
        QTemporaryDir archiveDir;
        QVERIFY(archiveDir.isValid());
        const auto producerProps = m_cluster->producerProperties();
        const auto consumerProps = m_cluster->consumerProperties();

        ConsumerGroupService notification("kcl-test-notification-" + tag, {created}, consumerProps, metrics);
        notification.setHandlerFactory(NotificationHandler::factory(producerProps, notification.state(), metrics));
        ConsumerGroupService analytics("kcl-test-analytics-" + tag, {created, updated, activity}, consumerProps, metrics);
        analytics.setHandlerFactory(AnalyticsHandler::factory(producerProps, analytics.state(), metrics));
        ConsumerGroupService archive("kcl-test-archive-" + tag, {created, updated, activity}, consumerProps, metrics);
        archive.setHandlerFactory(ArchiveHandler::factory(archiveDir.path().toStdString(), producerProps, archive.state(), metrics));
        auto rebuilt = std::make_shared<RebuilderShared>();
        ConsumerGroupService rebuilder("kcl-test-rebuilder-" + tag, {created, updated}, consumerProps, metrics);
        rebuilder.setHandlerFactory(StateRebuilderHandler::factory(rebuilt, {created, updated}, consumerProps, producerProps,
                                                                   {}, rebuilder.state(), metrics));
        for (auto *svc : {&notification, &analytics, &archive, &rebuilder})
            svc->setMembers(1);

        // The poison classes, then good events, on the topic every service reads (and good ones on the others).
        using nlohmann::json;
        const json payload = {{"message_id", "msg_poison_" + tag}, {"channel_id", "ch_dev"}, {"author_id", "user_001"},
                              {"content", "x"}, {"mentions", json::array()}, {"attachments", json::array()}};
        json wrongTypes = {{"event_type", "message.created"}, {"event_id", "evt_types_" + tag}, {"timestamp", "yesterday"},
                           {"payload", payload}};
        wrongTypes["payload"]["mentions"] = {42};
        const json unknownType = {{"event_type", "message.exploded"}, {"event_id", "evt_unknown_" + tag},
                                  {"timestamp", 1790000040000}, {"payload", payload}};
        json huge = {{"event_type", "message.created"}, {"event_id", "evt_huge_" + tag}, {"timestamp", 1790000040000},
                     {"payload", payload}};
        huge["payload"]["content"] = std::string(1 << 20, 'x'); // 1 MiB: over the parser's limits
        const std::vector<std::string> poison = {"this is not JSON " + tag, wrongTypes.dump(), unknownType.dump(), huge.dump()};
        WorkloadShape shape;
        shape.mentionProbability = 1.0;
        WorkloadGenerator gen(QRandomGenerator::global()->generate64(), shape);
        std::vector<std::string> goodCreatedIds, goodMentioningIds; // the latter are notified
        std::map<std::string, std::string> goodTopicOf; // event id -> topic
        {
            auto props = producerProps;
            props["message.max.bytes"] = std::to_string(kDeadLetterMaxBytes);
            Producer producer(props, "poison-producer", metrics);
            for (const auto &p : poison) {
                produceOrThrow(producer, created, "ch_dev", p);
                for (int i = 0; i < 10; ++i) { // good events after each poison one, on every topic
                    const Event e = gen.next(wallClockMs());
                    const std::string topic = e.type == EventType::MessageCreated   ? created
                                              : e.type == EventType::MessageUpdated ? updated
                                              : e.type == EventType::UserActivity   ? activity
                                                                                    : std::string();
                    if (topic.empty())
                        continue; // deletes are not part of this test
                    produceOrThrow(producer, topic, e.key(), serialize(e));
                    goodTopicOf[e.eventId] = topic;
                    if (const auto *c = std::get_if<MessageCreated>(&e.payload)) {
                        goodCreatedIds.push_back(c->messageId);
                        if (!c->mentions.empty()) // the generator may draw only the author, who is not mentioned
                            goodMentioningIds.push_back(c->messageId);
                    }
                }
            }
            QVERIFY(producer.flush(60000));
            QCOMPARE(producer.failed(), std::int64_t(0));
        }
        const std::int64_t good = static_cast<std::int64_t>(goodTopicOf.size());
        const auto goodOn = [&](std::initializer_list<std::string> topicsRead) {
            std::int64_t n = 0;
            for (const auto &[id, t] : goodTopicOf)
                n += std::find(topicsRead.begin(), topicsRead.end(), t) != topicsRead.end() ? 1 : 0;
            return n;
        };
        QVERIFY(!goodCreatedIds.empty());

        // Where each poison record landed (partition, offset), read back from the source topic.
        RecordSink source;
        ConsumerGroupService sourceReader("kcl-test-poison-source-" + tag, {created}, consumerProps, metrics);
        sourceReader.setHandlerFactory(source.factory());
        sourceReader.setMembers(1);
        DeadLetterSink dlt({created, updated, activity});
        ConsumerGroupService dltReader("kcl-test-poison-dlt-" + tag, {std::string(topics::kDeadLetter)}, consumerProps, metrics);
        dltReader.setHandlerFactory(dlt.factory());
        dltReader.setMembers(1);

        // Every good event is handled by every service after the poison ones.
        const fs::path archivePath = archiveDir.path().toStdString();
        std::set<std::string> notifiedMessages;
        auto notifiedAll = [&] {
            notifiedMessages.clear();
            for (const auto &n : metrics.notifications.copy())
                notifiedMessages.insert(n.messageId);
            return std::all_of(goodMentioningIds.begin(), goodMentioningIds.end(),
                               [&](const std::string &id) { return notifiedMessages.count(id) > 0; });
        };
        auto rebuiltAll = [&] {
            return std::all_of(goodCreatedIds.begin(), goodCreatedIds.end(),
                               [&](const std::string &id) { return rebuilt->store.find(id).has_value(); });
        };
        const bool handled = waitFor([&] {
            return countArchivedLines(archivePath) >= static_cast<std::size_t>(good) &&
                   metrics.services.analytics.stats().events >= good && rebuiltAll() && notifiedAll();
        }, 90000);
        const std::string progress = "of " + std::to_string(good) + " good events: archived " +
                                     std::to_string(countArchivedLines(archivePath)) + ", counted by analytics " +
                                     std::to_string(metrics.services.analytics.stats().events) + ", rebuilt all: " +
                                     (rebuiltAll() ? "yes" : "no") + ", notified all: " + (notifiedAll() ? "yes" : "no") +
                                     "; archived/good per topic: created " + std::to_string(countArchivedLines(archivePath, created + "-")) +
                                     "/" + std::to_string(goodOn({created})) + ", updated " +
                                     std::to_string(countArchivedLines(archivePath, updated + "-")) + "/" +
                                     std::to_string(goodOn({updated})) + ", activity " +
                                     std::to_string(countArchivedLines(archivePath, activity + "-")) + "/" +
                                     std::to_string(goodOn({activity})) + "; archive group: " + [&] {
                                         const GroupInfo g = archive.info();
                                         std::string d = std::to_string(g.rebalances) + " rebalance(s), consumed " +
                                                         std::to_string(g.consumedTotal) + ", parse errors " +
                                                         std::to_string(g.parseErrors);
                                         for (const MemberInfo &m : g.members)
                                             d += ", " + m.clientId + " owns " + std::to_string(m.assignment.size()) +
                                                  " partition(s), consumed " + std::to_string(m.consumed);
                                         return d;
                                     }();
        qInfo("%s", progress.c_str());
        QVERIFY2(handled, progress.c_str());
        QCOMPARE(countArchivedLines(archivePath), static_cast<std::size_t>(good));
        QCOMPARE(metrics.services.analytics.stats().events, good);
        for (const auto &id : goodCreatedIds)
            QVERIFY2(rebuilt->store.find(id), ("the rebuilder did not apply " + id).c_str());
        notifiedAll();
        QVERIFY(!goodMentioningIds.empty());
        for (const auto &id : goodMentioningIds)
            QVERIFY2(notifiedMessages.count(id), ("no notification for " + id).c_str());

        // Each poison record: on the dead-letter topic once per service, with the headers naming it.
        QVERIFY(waitFor([&] { return source.size() >= poison.size() + static_cast<std::size_t>(goodOn({created})); }, 60000));
        const std::vector<std::string> services{kNotificationGroup, kAnalyticsGroup, kArchiveGroup, kRebuilderGroup};
        QVERIFY2(waitFor([&] { return dlt.records().size() >= poison.size() * services.size(); }, 60000),
                 ("dead letters: " + std::to_string(dlt.records().size())).c_str());
        QTest::qWait(2000); // nothing more may arrive
        const auto dead = dlt.records();
        QCOMPARE(dead.size(), poison.size() * services.size());
        std::map<std::pair<std::string, std::string>, int> perServiceAndValue;
        for (const auto &r : dead) {
            const std::string &service = r.headers.at(kDeadLetterHeaderService);
            QVERIFY2(std::find(services.begin(), services.end(), service) != services.end(), service.c_str());
            QVERIFY2(std::find(poison.begin(), poison.end(), r.value) != poison.end(), "a good event was dead-lettered");
            QVERIFY(!r.headers.at(kDeadLetterHeaderReason).empty());
            QVERIFY(r.headers.count(kDeadLetterHeaderField));
            QCOMPARE(r.headers.at(kDeadLetterHeaderTopic), created);
            bool located = false;
            for (const auto &s : source.records())
                located = located || (s.value == r.value && std::to_string(s.partition) == r.headers.at(kDeadLetterHeaderPartition) &&
                                      std::to_string(s.offset) == r.headers.at(kDeadLetterHeaderOffset));
            QVERIFY2(located, "the source partition/offset headers do not name the poison record");
            ++perServiceAndValue[{service, r.value}];
        }
        for (const auto &service : services)
            for (const auto &p : poison)
                QCOMPARE(perServiceAndValue[std::make_pair(service, p)], 1);
        QCOMPARE(metrics.deadLettered.load(), static_cast<std::int64_t>(poison.size() * services.size()));
        for (auto *svc : {&notification, &analytics, &archive, &rebuilder})
            QCOMPARE(svc->info().parseErrors, static_cast<std::int64_t>(poison.size()));
        for (auto *svc : {&notification, &analytics, &archive, &rebuilder, &sourceReader, &dltReader})
            svc->stopAll();
    }

    // A dead letter whose delivery fails (embedded: every produce request is answered NOT_ENOUGH_REPLICAS until the
    // delivery times out; real: the broker refuses the batch) is not lost: the
    // record it stands for is not committed while it fails, the service keeps counting good events, and once the
    // topic takes writes again the dead letter lands and everything is committed. Before, the failed delivery was
    // only logged and the poison record committed, so it was found nowhere.
    void deadLetterThatFailsIsSentAgainAndNothingPassesItUncommitted()
    {
        const std::string topic = createTopic("kcl-test-dlt-fails", 1, {});
        const std::string tag = std::to_string(QRandomGenerator::global()->generate());
        const std::string group = "kcl-test-dlt-fails-" + tag;
        PipelineMetrics metrics;
        DumpErrorsOnFailure dumpErrors{metrics};
        auto serviceProducerProps = m_cluster->producerProperties();
        serviceProducerProps["message.timeout.ms"] = "2000"; // a delivery fails within seconds, not 5 minutes
        ConsumerGroupService analytics(group, {topic}, m_cluster->consumerProperties(), metrics);
        analytics.setHandlerFactory(AnalyticsHandler::factory(serviceProducerProps, analytics.state(), metrics));
        analytics.setMembers(1);
        DeadLetterSink dlt({topic});
        ConsumerGroupService dltReader("kcl-test-dlt-fails-reader-" + tag, {std::string(topics::kDeadLetter)},
                                       m_cluster->consumerProperties(), metrics);
        dltReader.setHandlerFactory(dlt.factory());
        dltReader.setMembers(1);
        WorkloadGenerator gen(QRandomGenerator::global()->generate64());
        auto produceGood = [&](int n) {
            Producer producer(m_cluster->producerProperties(), "dlt-fails-producer", metrics);
            for (int i = 0; i < n; ++i) {
                Event e = gen.next(wallClockMs());
                produceOrThrow(producer, topic, e.key(), serialize(e));
            }
            QVERIFY(producer.flush(30000));
            QCOMPARE(producer.failed(), std::int64_t(0));
        };
        auto committed = [&] { return m_cluster->committedOffsets(group, topic, 1).at(0); };

        produceGood(5);
        QVERIFY2(waitFor([&] { return committed() == 5; }, 60000), std::to_string(committed()).c_str());
        // Nothing was dead-lettered, so the commit gate's mark held at once: no round waited and flushed.
        QVERIFY(analytics.info().periodicCommits >= 1);
        QCOMPARE(analytics.info().commitFallbacks, std::int64_t(0));

        // The service stops; the poison record and good ones are written; the dead-letter topic stops taking writes
        // (after the test's own events went out, so only the service's producer meets the failure); the service
        // starts again and reads them.
        analytics.stopAll(); // joins the member: it has left the group and handles nothing more
        const std::string poison = "not an event " + tag;
        {
            Producer producer(m_cluster->producerProperties(), "dlt-fails-producer", metrics);
            produceOrThrow(producer, topic, "ch_dev", poison);
            for (int i = 0; i < 5; ++i) {
                Event e = gen.next(wallClockMs());
                produceOrThrow(producer, topic, e.key(), serialize(e));
            }
            QVERIFY(producer.flush(30000));
        }
        const std::int64_t failuresBefore = metrics.deliveryFailures.load();
        struct DeadLetterTopicFault {
            TestCluster &cluster;
            ClusterAdmin *admin;
            bool on = false;
            KafkaError set(bool fail)
            {
                on = fail;
                if (cluster.isEmbedded()) {
                    if (fail) // every produce request fails like this until cleared (the service is the only producer)
                        cluster.embedded()->pushRequestErrors(0 /* Produce */, RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS, 100000);
                    else
                        cluster.embedded()->clearRequestErrors(0);
                    return {};
                }
                // On the real broker the topic refuses every batch as too large (MESSAGE_TOO_LARGE from the broker,
                // not retried; Kafka 4 does not enforce a min.insync.replicas above the replication factor).
                return admin->alterTopicConfigs(std::string(topics::kDeadLetter),
                                                {{"max.message.bytes", fail ? "1" : std::to_string(kDeadLetterMaxBytes)}});
            }
            ~DeadLetterTopicFault()
            {
                if (on)
                    set(false); // never leave the lab's dead-letter topic broken for the next test
            }
        } fault{*m_cluster, m_admin.get()};
        // (The order matters on the embedded cluster: the fault is pushed after the test's producer has flushed.)
        if (const auto e = fault.set(true))
            QFAIL(e.sentence().c_str());
        if (!m_cluster->isEmbedded())
            QTest::qWait(2000); // the brokers apply a topic config change a moment after the controller accepts it
        analytics.setMembers(1);
        QVERIFY2(waitFor([&] { return metrics.deliveryFailures.load() > failuresBefore; }, 30000),
                 ("the dead letter never failed: the fault did not take (" + std::to_string(dlt.records().size()) +
                  " delivered)").c_str());
        QVERIFY(waitFor([&] { return metrics.services.analytics.stats().events >= 10; }, 30000)); // it keeps going
        QTest::qWait(4000); // several commits were due
        QCOMPARE(committed(), std::int64_t(5)); // the poison record (offset 5) and all after it: not committed
        QVERIFY(dlt.records().empty());

        if (const auto e = fault.set(false))
            QFAIL(e.sentence().c_str());
        QVERIFY2(waitFor([&] { return !dlt.records().empty() && committed() == 11; }, 60000),
                 ("dead letters " + std::to_string(dlt.records().size()) + ", committed " + std::to_string(committed())).c_str());
        // Only a flush sends the kept dead letter again: the rounds that waited for it fell back to one.
        QVERIFY(analytics.info().commitFallbacks >= 1);
        for (const auto &r : dlt.records()) { // at least once: a resend after an unknown outcome may add a copy
            QCOMPARE(r.value, poison);
            QCOMPARE(r.headers.at(kDeadLetterHeaderService), std::string(kAnalyticsGroup));
            QCOMPARE(r.headers.at(kDeadLetterHeaderOffset), std::string("5"));
        }
        qInfo("the dead letter failed %lld times before it landed; %zu copies landed",
              static_cast<long long>(metrics.deliveryFailures.load() - failuresBefore), dlt.records().size());
        // The 5 good events after the poison record were held back from the commit with it; a rebalance while they
        // were held lets the next member count them again (at least once), never fewer.
        QVERIFY(metrics.services.analytics.stats().events >= 10);
        analytics.stopAll();
        dltReader.stopAll();
    }

    // The periodic commit of a service waits for a mark of its producer instead of flushing it: the mark must hold
    // only once every record produced before it is acknowledged, and never while a failed record waits to be sent
    // again (then only flushDelivered() clears it).
    void producerMarkHoldsOnlyWhenEverythingBeforeItIsAcknowledged()
    {
        const std::string topic = createTopic("kcl-test-mark", 3, {});
        PipelineMetrics metrics;
        auto props = m_cluster->producerProperties();
        props["message.timeout.ms"] = "2000";
        Producer producer(props, "mark-producer", metrics);
        producer.keepFailedDeliveries();
        QVERIFY(producer.acknowledgedThrough(producer.deliveryMark())); // nothing sent yet
        for (int i = 0; i < 200; ++i)
            QVERIFY(!producer.produce(topic, "k" + std::to_string(i % 7), "v" + std::to_string(i)));
        const std::uint64_t mark = producer.deliveryMark();
        QCOMPARE(mark, std::uint64_t(200));
        QVERIFY(!producer.acknowledgedThrough(mark)); // no delivery report served yet
        QVERIFY(waitFor([&] { producer.poll(10); return producer.acknowledgedThrough(mark); }, 30000));
        QCOMPARE(producer.acknowledged(), std::int64_t(200));

        // A record that fails: settled, but kept for sending again, so no mark holds until it lands.
        const bool embedded = m_cluster->isEmbedded();
        if (embedded)
            m_cluster->embedded()->pushRequestErrors(0 /* Produce */, RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS, 100000);
        else
            QVERIFY(!m_admin->alterTopicConfigs(topic, {{"max.message.bytes", "1"}}));
        if (!embedded)
            QTest::qWait(2000); // the brokers apply a topic config change a moment after the controller accepts it
        QVERIFY(!producer.produce(topic, "k", std::string(64, 'x')));
        const std::uint64_t afterFailure = producer.deliveryMark();
        QVERIFY(waitFor([&] { producer.poll(10); return producer.keptForRedelivery() == 1; }, 30000));
        QVERIFY(!producer.acknowledgedThrough(afterFailure));
        QVERIFY(!producer.acknowledgedThrough(mark)); // an older mark does not pass a kept record either
        if (embedded)
            m_cluster->embedded()->clearRequestErrors(0);
        else
            QVERIFY(!m_admin->alterTopicConfigs(topic, {{"max.message.bytes", "1048588"}}));
        if (!embedded)
            QTest::qWait(2000);
        QVERIFY(waitFor([&] { return producer.flushDelivered(1000); }, 30000));
        QCOMPARE(producer.keptForRedelivery(), std::size_t(0));
        QVERIFY(producer.acknowledgedThrough(producer.deliveryMark()));
    }

    void analyticsCountsARunIntoEventTimeWindows()
    {
        const std::string created = createTopic("kcl-test-analytics-created", 3, {});
        const std::string activity = createTopic("kcl-test-analytics-activity", 3, {});
        PipelineMetrics metrics;
        // Events two minutes apart in event time, the older ones produced last: late, yet counted.
        const std::int64_t base = AnalyticsWindows::windowStart(wallClockMs()) - 10 * kAnalyticsWindowMs;
        std::map<std::string, std::int64_t> perChannel;
        int lateExpected = 0;
        {
            Producer producer(m_cluster->producerProperties(), "analytics-producer", metrics);
            WorkloadShape shape;
            shape.mix = {80, 0, 0, 20};
            WorkloadGenerator gen(QRandomGenerator::global()->generate64(), shape);
            for (int i = 0; i < 300; ++i) {
                const bool late = i >= 250;
                const Event e = gen.next(late ? base + 1000 + i : base + 3 * kAnalyticsWindowMs + i);
                lateExpected += late ? 1 : 0;
                if (const auto *c = std::get_if<MessageCreated>(&e.payload); c && !late)
                    ++perChannel[c->channelId];
                produceOrThrow(producer, e.type == EventType::UserActivity ? activity : created, e.key(), serialize(e));
                if (i == 249) { // the late ones arrive after the window ends are known
                    QVERIFY(producer.flush(30000));
                }
            }
            QVERIFY(producer.flush(30000));
        }
        // One partition per topic would order them; with three, only the flush above makes them arrive later.
        ConsumerGroupService analytics("kcl-test-analytics-" + created, {created, activity}, m_cluster->consumerProperties(), metrics);
        analytics.setHandlerFactory(AnalyticsHandler::factory(m_cluster->producerProperties(), analytics.state(), metrics));
        analytics.setMembers(1);
        QTRY_COMPARE_WITH_TIMEOUT(metrics.services.analytics.stats().events, std::int64_t(300), 60000);
        AnalyticsWindowStats current;
        QVERIFY(metrics.services.analytics.window(base + 3 * kAnalyticsWindowMs, current));
        std::int64_t messages = 0;
        for (const auto &[channel, n] : current.topChannels) {
            QCOMPARE(n, perChannel[channel]);
            messages += n;
        }
        QCOMPARE(current.topChannels.size(), perChannel.size());
        QCOMPARE(current.messages, messages);
        QVERIFY(current.activeUsers > 0);
        const AnalyticsStats s = metrics.services.analytics.stats();
        qInfo("analytics: %lld events, %lld late, watermark %lld", static_cast<long long>(s.events),
              static_cast<long long>(s.lateEvents), static_cast<long long>(s.watermarkMs));
        // Late events are counted in their own (old) window. Arrival order across partitions is not fixed, so only
        // the ones read after a newer event are late: at least those read last.
        AnalyticsWindowStats old;
        QVERIFY(metrics.services.analytics.window(base, old));
        QCOMPARE(old.messages + old.activities, std::int64_t(lateExpected));
        QVERIFY(s.lateEvents > 0);
        QCOMPARE(old.lateEvents, s.lateEvents);
        analytics.stopAll();
    }

    void rebuilderCatchesUpAndEqualsTheEventsLatestState()
    {
        const bool real = !m_cluster->isEmbedded();
        const std::string created = createTopic("kcl-test-rebuild-created", 3, {});
        const std::string updated = createTopic("kcl-test-rebuild-updated", 3, {});
        const std::string deleted = createTopic("kcl-test-rebuild-deleted", 3, {});
        // On a real cluster the latest state goes to a compacted topic; the embedded cluster has no compaction.
        const std::string stateTopic = real ? createTopic("kcl-test-rebuild-state", 3, {{"cleanup.policy", "compact"}}) : "";
        PipelineMetrics metrics;
        std::map<std::string, MessageState> expected; // in produce order, timestamps increasing: last write wins
        {
            Producer producer(m_cluster->producerProperties(), "rebuild-producer", metrics);
            WorkloadShape shape;
            shape.mix = {60, 25, 15, 0};
            WorkloadGenerator gen(QRandomGenerator::global()->generate64(), shape);
            std::int64_t ts = wallClockMs() - 100000;
            for (int i = 0; i < 1500; ++i) {
                const Event e = gen.next(ts += 3);
                std::string topic;
                if (const auto *c = std::get_if<MessageCreated>(&e.payload)) {
                    topic = created;
                    expected[c->messageId] = {c->channelId, c->authorId, c->content, c->mentions, e.timestampMs, e.timestampMs, false};
                } else if (const auto *u = std::get_if<MessageUpdated>(&e.payload)) {
                    topic = updated;
                    auto &s = expected[u->messageId];
                    if (!s.deleted) {
                        s.content = u->content;
                        s.mentions = u->mentions;
                        s.updatedAtMs = e.timestampMs;
                    }
                } else if (const auto *d = std::get_if<MessageDeleted>(&e.payload)) {
                    topic = deleted;
                    auto &s = expected[d->messageId];
                    if (!s.deleted) {
                        s.deleted = true;
                        s.updatedAtMs = e.timestampMs;
                    }
                }
                produceOrThrow(producer, topic, e.key(), serialize(e));
            }
            QVERIFY(producer.flush(60000));
        }
        auto shared = std::make_shared<RebuilderShared>();
        const std::vector<std::string> sources{created, updated, deleted};
        ConsumerGroupService rebuilder("kcl-test-rebuilder-" + created, sources, m_cluster->consumerProperties(), metrics);
        rebuilder.setHandlerFactory(StateRebuilderHandler::factory(shared, sources, m_cluster->consumerProperties(),
                                                                   m_cluster->producerProperties(), stateTopic,
                                                                   rebuilder.state(), metrics));
        rebuilder.setMembers(2);
        QTRY_VERIFY_WITH_TIMEOUT(metrics.services.rebuilder.caughtUp.load(), 60000);
        // Caught up means everything that existed at the start was read (some twice: the second member's join moves
        // partitions whose last records were read but not yet committed).
        QVERIFY(rebuilder.info().consumedTotal >= 1500);
        const auto state = shared->store.copy();
        QCOMPARE(state.size(), expected.size());
        for (const auto &[id, s] : expected) {
            QVERIFY2(state.count(id), id.c_str());
            QVERIFY2(state.at(id) == s, ("state of " + id + " differs: rebuilt " + messageStateJson(id, state.at(id)) +
                                         ", expected " + messageStateJson(id, s)).c_str());
        }
        QCOMPARE(metrics.services.rebuilder.messages.load(), static_cast<std::int64_t>(expected.size()));
        rebuilder.stopAll(); // flushes what it published

        if (!real) {
            QCOMPARE(metrics.services.rebuilder.statePublished.load(), std::int64_t(0));
            return;
        }
        // The compacted topic's latest record per message is its state (a tombstone when deleted).
        std::map<std::string, std::pair<bool, std::string>> latest; // id -> (tombstone, value)
        RecordSink stateSink;
        ConsumerGroupService reader("kcl-test-state-reader-" + created, {stateTopic}, m_cluster->consumerProperties(), metrics);
        reader.setHandlerFactory(stateSink.factory());
        reader.setMembers(1);
        const auto published = static_cast<std::size_t>(metrics.services.rebuilder.statePublished.load());
        QTRY_COMPARE_WITH_TIMEOUT(stateSink.size(), published, 60000);
        auto records = stateSink.records();
        std::sort(records.begin(), records.end(), [](const auto &a, const auto &b) {
            return std::tie(a.partition, a.offset) < std::tie(b.partition, b.offset);
        });
        for (const auto &r : records)
            latest[r.key] = {r.value.empty(), r.value};
        QCOMPARE(latest.size(), expected.size());
        for (const auto &[id, s] : expected) {
            QVERIFY(latest.count(id));
            if (s.deleted)
                QVERIFY2(latest[id].first, ("no tombstone for deleted " + id).c_str());
            else
                QCOMPARE(latest[id].second, messageStateJson(id, s));
        }
        reader.stopAll();
    }
};

QTEST_GUILESS_MAIN(ServicesTest)
#include "tst_services.moc"
