// GroupMember's offset control for handlers whose sink acknowledges later (the search indexer): offsets stored by the
// handler itself, a prepareCommit that refuses, and back-pressure by pausing. The same code runs on the embedded
// cluster and on the real local lab stack (see TestCluster.h): ctest registers it twice.
#include "TestCluster.h"

#include "kafka/Handles.h"
#include "kafka/Producer.h"
#include "metrics/PipelineMetrics.h"

#include <QTest>
#include <atomic>
#include <map>
#include <set>

using namespace kcl;
using namespace kcl::test;

namespace {

// Records what it is handed; stores offsets itself only up to `ackBelow` per partition (when it stores its own),
// refuses commits when told to, and reports saturation when told to.
struct ControlledSink {
    std::mutex mutex;
    std::map<int, std::set<std::int64_t>> offsets; // partition -> handled offsets
    std::atomic<bool> ownOffsets{false};
    std::atomic<bool> refuseCommit{false};
    std::atomic<bool> saturated{false};
    std::int64_t ackBelow = 0;
    std::atomic<int> storedForForeignPartition{-1};
    std::string foreignTopic;

    std::size_t handled()
    {
        std::lock_guard lock(mutex);
        std::size_t n = 0;
        for (const auto &[p, set] : offsets)
            n += set.size();
        return n;
    }

    HandlerFactory factory()
    {
        return [this](const std::string &) -> std::unique_ptr<MessageHandler> {
            struct Handler : MessageHandler {
                ControlledSink *sink;
                OffsetStore store;
                void handle(const rd_kafka_message_t &m) override
                {
                    {
                        std::lock_guard lock(sink->mutex);
                        sink->offsets[m.partition].insert(m.offset);
                    }
                    if (!store)
                        return;
                    if (m.offset < sink->ackBelow)
                        store({{rd_kafka_topic_name(m.rkt), m.partition, m.offset + 1}});
                    // A partition this member does not own: skipped, not an error, not a crash.
                    sink->storedForForeignPartition.store(store({{sink->foreignTopic, 0, 5}}));
                }
                bool prepareCommit() override { return !sink->refuseCommit.load(); }
                bool storesOwnOffsets() const override { return sink->ownOffsets.load(); }
                void attachOffsetStore(OffsetStore s) override { store = std::move(s); }
                bool saturated() const override { return sink->saturated.load(); }
            };
            auto h = std::make_unique<Handler>();
            h->sink = this;
            return h;
        };
    }
};

} // namespace

class OffsetControlTest : public QObject {
    Q_OBJECT
    std::unique_ptr<TestCluster> m_cluster;
    PipelineMetrics m_metrics;

    void produce(const std::string &topic, int count, int firstKey)
    {
        Producer producer(m_cluster->producerProperties(), "offsetcontrol-producer", m_metrics);
        for (int i = 0; i < count; ++i)
            QVERIFY(!producer.produce(topic, "key-" + std::to_string(firstKey + i), "value-" + std::to_string(i)));
        QVERIFY(producer.flush(30000));
        QCOMPARE(producer.acknowledged(), std::int64_t(count));
    }

    std::map<int, std::int64_t> committed(const std::string &group, const std::string &topic, int partitions)
    {
        return m_cluster->committedOffsets(group, topic, partitions);
    }

    std::unique_ptr<GroupMember> member(const std::string &group, const std::string &topic, ControlledSink &sink,
                                        std::shared_ptr<GroupState> state)
    {
        GroupMember::Config c;
        c.groupId = group;
        c.clientId = group + "-1";
        c.topics = {topic};
        c.properties = m_cluster->consumerProperties();
        return std::make_unique<GroupMember>(c, sink.factory(), state, m_metrics);
    }

    static std::string unique(const std::string &base)
    {
        return base + "-" + std::to_string(QRandomGenerator::global()->generate());
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

    // The handler acknowledges the first 10 records of each partition only: exactly those are committed, and a store
    // for a partition the member does not own changes nothing.
    void onlyAcknowledgedOffsetsAreCommitted()
    {
        const int partitions = 3;
        const std::string topic = m_cluster->createTopic("kcl-offsetctl-ack", partitions);
        const std::string group = unique("kcl-test-offsetctl-ack");
        produce(topic, 120, 0);
        ControlledSink sink;
        sink.ownOffsets = true;
        sink.ackBelow = 10;
        sink.foreignTopic = unique("kcl-not-subscribed");
        auto state = std::make_shared<GroupState>();
        auto m = member(group, topic, sink, state);
        QTRY_COMPARE_WITH_TIMEOUT(sink.handled(), std::size_t(120), 60000);
        QCOMPARE(sink.storedForForeignPartition.load(), 0);
        m->requestStop();
        m->join(); // commits on close
        const auto got = committed(group, topic, partitions);
        QCOMPARE(int(got.size()), partitions);
        std::lock_guard lock(sink.mutex);
        for (int p = 0; p < partitions; ++p) {
            const auto handledHere = static_cast<std::int64_t>(sink.offsets[p].size());
            const std::int64_t expected = handledHere == 0 ? RD_KAFKA_OFFSET_INVALID : std::min<std::int64_t>(10, handledHere);
            QCOMPARE(got.at(p), expected);
        }
    }

    // prepareCommit() says no: nothing is committed although every record was handled and stored.
    void refusedCommitCommitsNothing()
    {
        const std::string topic = m_cluster->createTopic("kcl-offsetctl-refuse", 2);
        const std::string group = unique("kcl-test-offsetctl-refuse");
        produce(topic, 40, 0);
        ControlledSink sink;
        sink.refuseCommit = true;
        auto state = std::make_shared<GroupState>();
        auto m = member(group, topic, sink, state);
        QTRY_COMPARE_WITH_TIMEOUT(sink.handled(), std::size_t(40), 60000);
        QTest::qWait(1500); // at least one periodic commit attempt
        m->requestStop();
        m->join();
        for (const auto &[p, offset] : committed(group, topic, 2))
            QCOMPARE(offset, std::int64_t(RD_KAFKA_OFFSET_INVALID));
    }

    // A saturated handler: the member pauses its partitions, keeps its membership, records wait in Kafka (the committed
    // offset stays behind the log end), and once the handler has room again every record arrives exactly once.
    void saturatedHandlerPausesWithoutLosingRecords()
    {
        const int partitions = 3;
        const std::string topic = m_cluster->createTopic("kcl-offsetctl-pause", partitions);
        const std::string group = unique("kcl-test-offsetctl-pause");
        ControlledSink sink;
        auto state = std::make_shared<GroupState>();
        auto m = member(group, topic, sink, state);
        QTRY_VERIFY_WITH_TIMEOUT(m->info().assignment.size() == std::size_t(partitions), 30000);
        produce(topic, 50, 0);
        QTRY_COMPARE_WITH_TIMEOUT(sink.handled(), std::size_t(50), 60000);
        sink.saturated = true;
        QTRY_VERIFY_WITH_TIMEOUT(m->paused(), 5000);
        const int rebalancesBefore = state->rebalances;
        produce(topic, 150, 1000);
        QTest::qWait(3000); // several fetch cycles: a paused member must not receive them
        QCOMPARE(sink.handled(), std::size_t(50));
        std::int64_t committedTotal = 0;
        for (const auto &[p, offset] : committed(group, topic, partitions))
            committedTotal += std::max<std::int64_t>(0, offset);
        QCOMPARE(committedTotal, std::int64_t(50)); // lag = the 150 waiting records
        QVERIFY(m->info().joined);
        QCOMPARE(state->rebalances, rebalancesBefore); // still a member: polling went on
        sink.saturated = false;
        QTRY_COMPARE_WITH_TIMEOUT(sink.handled(), std::size_t(200), 60000);
        QVERIFY(!m->paused());
        m->requestStop();
        m->join();
        std::int64_t finalTotal = 0;
        for (const auto &[p, offset] : committed(group, topic, partitions))
            finalTotal += std::max<std::int64_t>(0, offset);
        QCOMPARE(finalTotal, std::int64_t(200));
        std::lock_guard lock(sink.mutex);
        for (const auto &[p, set] : sink.offsets) // no gap: offsets 0..n-1 on every partition
            QCOMPARE(*set.rbegin() + 1, static_cast<std::int64_t>(set.size()));
    }
};

QTEST_GUILESS_MAIN(OffsetControlTest)
#include "tst_offsetcontrol.moc"
