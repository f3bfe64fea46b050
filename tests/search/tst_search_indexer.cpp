// The search indexer end to end: events on Kafka (embedded or the real broker, TestCluster) into the REAL search node
// through _bulk. Every run has its own topics, groups and index, so runs never see each other's data.
#include "TestCluster.h"

#include "cluster/ClusterProfile.h"
#include "cluster/LabStack.h"
#include "events/Event.h"
#include "events/Topics.h"
#include "kafka/ClusterAdmin.h"
#include "kafka/Handles.h"
#include "kafka/Producer.h"
#include "metrics/PipelineMetrics.h"
#include "pipeline/ConsumerGroupService.h"
#include "pipeline/SearchIndexer.h"
#include "pipeline/WorkloadGenerator.h"
#include "sinks/SearchClient.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QTest>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <set>

using namespace kcl;
using namespace kcl::test;

namespace {

// Forwards TCP connections from a local port to the search node; close() refuses and cuts every connection (the
// node "goes down" for the indexer only; the shared node itself is never stopped), open() serves again on the same port.
class TcpForwarder : public QObject {
public:
    explicit TcpForwarder(quint16 targetPort) : m_target(targetPort)
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *in = m_server.nextPendingConnection()) {
                auto *out = new QTcpSocket(in);
                out->connectToHost(QHostAddress::LocalHost, m_target); // writes before connected are buffered
                connect(in, &QTcpSocket::readyRead, out, [in, out] { out->write(in->readAll()); });
                connect(out, &QTcpSocket::readyRead, in, [this, in, out] {
                    const QByteArray data = out->readAll();
                    // A slow node: each answer reaches the client m_delayMs late, in order per connection.
                    const qint64 now = QDateTime::currentMSecsSinceEpoch();
                    const qint64 at = std::max(now + m_delayMs, in->property("releaseAt").toLongLong());
                    in->setProperty("releaseAt", at);
                    if (at <= now)
                        in->write(data);
                    else
                        QTimer::singleShot(static_cast<int>(at - now), in, [in, data] { in->write(data); });
                });
                connect(out, &QTcpSocket::disconnected, in, [in] { in->disconnectFromHost(); });
                connect(out, &QTcpSocket::errorOccurred, in, [in] { in->disconnectFromHost(); }); // e.g. refused
                connect(in, &QTcpSocket::disconnected, in, [in] { in->deleteLater(); });
                m_sockets << QPointer<QTcpSocket>(in);
            }
        });
    }
    bool open()
    {
        if (!m_server.listen(QHostAddress::LocalHost, m_port))
            return false;
        m_port = m_server.serverPort();
        return true;
    }
    void close()
    {
        m_server.close();
        for (auto &s : m_sockets)
            if (s)
                s->abort();
        m_sockets.clear();
    }
    QString url() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_port); }
    void setResponseDelayMs(int ms) { m_delayMs = ms; }

private:
    int m_delayMs = 0;
    QTcpServer m_server;
    quint16 m_target;
    quint16 m_port = 0;
    QList<QPointer<QTcpSocket>> m_sockets;
};

struct Expected {
    std::int64_t version = 0;
    Event event;
};

std::string messageIdOf(const Event &e)
{
    if (const auto *c = std::get_if<MessageCreated>(&e.payload))
        return c->messageId;
    if (const auto *u = std::get_if<MessageUpdated>(&e.payload))
        return u->messageId;
    if (const auto *d = std::get_if<MessageDeleted>(&e.payload))
        return d->messageId;
    return {};
}

std::string contentOf(const Event &e)
{
    if (const auto *c = std::get_if<MessageCreated>(&e.payload))
        return c->content;
    if (const auto *u = std::get_if<MessageUpdated>(&e.payload))
        return u->content;
    return {};
}

// The latest event of every message (the highest version wins, as in the indexer).
std::map<std::string, Expected> latestPerMessage(const std::vector<Event> &events)
{
    std::map<std::string, Expected> out;
    for (const auto &e : events) {
        const std::string id = messageIdOf(e);
        if (id.empty())
            continue;
        const std::int64_t v = searchVersion(e.timestampMs, e.type);
        auto &x = out[id];
        if (v > x.version)
            x = {v, e};
    }
    return out;
}

struct SeenRecord {
    std::string topic, key, value;
    int partition = 0;
    std::int64_t offset = 0;
    std::map<std::string, std::string> headers;
};

// Collects records with their headers (dead letters carry their reason there).
class HeaderSink {
public:
    std::vector<SeenRecord> records() const
    {
        std::lock_guard lock(m_mutex);
        return m_records;
    }
    HandlerFactory factory()
    {
        return [this](const std::string &) -> std::unique_ptr<MessageHandler> {
            struct H : MessageHandler {
                HeaderSink *sink;
                void handle(const rd_kafka_message_t &m) override
                {
                    SeenRecord r;
                    r.topic = rd_kafka_topic_name(m.rkt);
                    r.partition = m.partition;
                    r.offset = m.offset;
                    if (m.key)
                        r.key.assign(static_cast<const char *>(m.key), m.key_len);
                    if (m.payload)
                        r.value.assign(static_cast<const char *>(m.payload), m.len);
                    rd_kafka_headers_t *hdrs = nullptr;
                    if (rd_kafka_message_headers(&m, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR && hdrs) {
                        const char *name;
                        const void *value;
                        size_t size;
                        for (size_t i = 0; rd_kafka_header_get_all(hdrs, i, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR; ++i)
                            r.headers[name] = value ? std::string(static_cast<const char *>(value), size) : std::string();
                    }
                    std::lock_guard lock(sink->m_mutex);
                    sink->m_records.push_back(std::move(r));
                }
            };
            auto h = std::make_unique<H>();
            h->sink = this;
            return h;
        };
    }

private:
    mutable std::mutex m_mutex;
    std::vector<SeenRecord> m_records;
};

std::string unique(const std::string &base) { return base + "-" + std::to_string(QRandomGenerator::global()->generate()); }

} // namespace

class SearchIndexerTest : public QObject {
    Q_OBJECT
    std::unique_ptr<TestCluster> m_cluster;
    PipelineMetrics m_metrics;
    QString m_searchUrl;
    std::vector<QString> m_indexes; // deleted at the end
    // (a) and (b) share one run: its topics, index and events.
    std::map<EventType, std::string> m_topics;
    QString m_index;
    std::vector<Event> m_events;

    // Every record of `topics` read back from the start by a new group: waits (60 s at most) for `count` of them.
    std::vector<SeenRecord> readBack(const std::string &groupBase, const std::vector<std::string> &topics, std::size_t count)
    {
        HeaderSink sink;
        ConsumerGroupService reader(unique(groupBase), topics, m_cluster->consumerProperties(), m_metrics);
        reader.setHandlerFactory(sink.factory());
        reader.setMembers(1);
        QElapsedTimer waited;
        waited.start();
        while (sink.records().size() < count && waited.elapsed() < 60000)
            QTest::qWait(50);
        reader.stopAll();
        return sink.records();
    }

    std::map<EventType, std::string> createTopics(const std::string &base)
    {
        return {{EventType::MessageCreated, m_cluster->createTopic(base + "-created", 3)},
                {EventType::MessageUpdated, m_cluster->createTopic(base + "-updated", 3)},
                {EventType::MessageDeleted, m_cluster->createTopic(base + "-deleted", 3)}};
    }

    static std::vector<std::string> topicList(const std::map<EventType, std::string> &topics)
    {
        std::vector<std::string> out;
        for (const auto &[type, name] : topics)
            out.push_back(name);
        return out;
    }

    void produce(const std::map<EventType, std::string> &topics, const std::vector<Event> &events)
    {
        Producer producer(m_cluster->producerProperties(), "search-test-producer", m_metrics);
        for (const auto &e : events) {
            const std::string json = serialize(e);
            while (producer.produce(topics.at(e.type), e.key(), json).code == RD_KAFKA_RESP_ERR__QUEUE_FULL)
                producer.poll(10);
        }
        QVERIFY(producer.flush(60000));
        QCOMPARE(producer.acknowledged(), static_cast<std::int64_t>(events.size()));
    }

    std::unique_ptr<ConsumerGroupService> startIndexer(const std::string &group, const std::map<EventType, std::string> &topics,
                                                       const QString &url, const QString &index, int members)
    {
        auto svc = std::make_unique<ConsumerGroupService>(group, topicList(topics), m_cluster->consumerProperties(), m_metrics);
        SearchIndexerOptions o;
        o.searchUrl = url.toStdString();
        o.index = index.toStdString();
        o.batchSize = 200;
        o.maxBuffered = 1000;
        o.backoffMaxMs = 1000;
        o.requestTimeoutMs = 5000;
        svc->setHandlerFactory(SearchIndexer::factory(o, m_cluster->producerProperties(), svc->state(), m_metrics, m_metrics.search));
        svc->setMembers(members);
        return svc;
    }

    QString newIndex(const char *base)
    {
        const QString name = QStringLiteral("%1-%2").arg(QLatin1String(base)).arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
        m_indexes.push_back(name);
        return name;
    }

    // True when the index holds exactly `expected`: every message with its latest version, live ones with their
    // latest content, deleted ones marked deleted, nothing else.
    bool indexMatches(SearchClient &client, const std::map<std::string, Expected> &expected, QString *why)
    {
        QString error;
        if (!client.refresh(&error)) {
            *why = error;
            return false;
        }
        auto docs = client.all(10000, &error);
        if (!docs) {
            *why = error;
            return false;
        }
        std::map<QString, SearchDocument> byId;
        for (auto &d : *docs)
            byId[d.id] = d;
        if (byId.size() != expected.size()) {
            *why = QStringLiteral("%1 documents, %2 messages").arg(byId.size()).arg(expected.size());
            return false;
        }
        for (const auto &[id, x] : expected) {
            auto it = byId.find(QString::fromStdString(id));
            if (it == byId.end()) {
                *why = QStringLiteral("message %1 is missing").arg(QString::fromStdString(id));
                return false;
            }
            const SearchDocument &d = it->second;
            const bool deleted = x.event.type == EventType::MessageDeleted;
            if (d.version != x.version || d.deleted != deleted ||
                (!deleted && d.content != QString::fromStdString(contentOf(x.event)))) {
                *why = QStringLiteral("message %1: version %2 (expected %3), deleted %4, content '%5'")
                           .arg(d.id).arg(d.version).arg(x.version).arg(d.deleted).arg(d.content);
                return false;
            }
        }
        return true;
    }

    std::map<std::pair<std::string, int>, std::int64_t> committed(const std::string &group,
                                                                 const std::map<EventType, std::string> &topics)
    {
        auto props = m_cluster->consumerProperties();
        props["group.id"] = group;
        KafkaHandle rk = makeHandle(RD_KAFKA_CONSUMER, makeConf(props));
        TopicPartitionListHandle list(rd_kafka_topic_partition_list_new(9));
        for (const auto &[type, t] : topics)
            for (int p = 0; p < 3; ++p)
                rd_kafka_topic_partition_list_add(list.get(), t.c_str(), p);
        std::map<std::pair<std::string, int>, std::int64_t> out;
        if (rd_kafka_committed(rk.get(), list.get(), 10000) == RD_KAFKA_RESP_ERR_NO_ERROR)
            for (int i = 0; i < list->cnt; ++i)
                out[{list->elems[i].topic, list->elems[i].partition}] = list->elems[i].offset;
        rd_kafka_consumer_close(rk.get());
        return out;
    }

    // The group's committed offsets at one moment, and the index (id -> version) read right after.
    struct CommitSample {
        std::map<std::pair<std::string, int>, std::int64_t> committed;
        std::map<QString, std::int64_t> versionById;
    };
    CommitSample sampleCommitsAndIndex(const std::string &group, const std::map<EventType, std::string> &topics, SearchClient &index)
    {
        CommitSample sample;
        sample.committed = committed(group, topics);
        QString error;
        if (index.refresh(&error))
            if (const auto docs = index.all(10000, &error))
                for (const auto &d : *docs)
                    sample.versionById[d.id] = d.version;
        return sample;
    }
    // Every record below a sample's committed offset is in that sample's index, at its version or a later one (an
    // offset is committed only once the node answered for the record). Empty when so; *checked counts the records.
    static QString commitsCoveredByIndex(const std::vector<CommitSample> &samples, const std::vector<SeenRecord> &records,
                                         std::int64_t *checked)
    {
        for (const auto &sample : samples) {
            for (const auto &r : records) {
                const auto it = sample.committed.find({r.topic, r.partition});
                if (it == sample.committed.end() || r.offset >= it->second)
                    continue;
                const ParseResult p = parseEvent(r.value);
                if (!p.ok())
                    return QStringLiteral("a test record does not parse");
                const auto v = sample.versionById.find(QString::fromStdString(messageIdOf(*p.event)));
                if (v == sample.versionById.end() || v->second < searchVersion(p.event->timestampMs, p.event->type))
                    return QStringLiteral("offset %1 of %2 [%3] was committed before the index held its record")
                        .arg(r.offset).arg(QString::fromStdString(r.topic)).arg(r.partition);
                ++*checked;
            }
        }
        return {};
    }

    std::vector<Event> workloadEvents(int count, std::uint64_t seed)
    {
        WorkloadShape shape;
        shape.mix = {60, 25, 15, 0};
        WorkloadGenerator gen(seed, shape);
        std::vector<Event> events;
        const std::int64_t base = wallClockMs();
        for (int i = 0; i < count; ++i) // 1 ms apart: every event of a message has its own version
            events.push_back(gen.next(base + i));
        return events;
    }

private Q_SLOTS:
    void initTestCase()
    {
        try {
            m_cluster = std::make_unique<TestCluster>();
        } catch (const std::exception &e) {
            QFAIL(e.what());
        }
        m_searchUrl = qEnvironmentVariable("KCL_TEST_SEARCH_URL", QString::fromStdString(ClusterProfile::local().searchUrl));
        SearchClient probe(m_searchUrl);
        QString error;
        QVERIFY2(probe.ping(&error), qPrintable(error + QStringLiteral(" Or exclude real tests: ctest -LE real")));
        // The indexer's dead letters go to the guide's dead-letter topic.
        if (m_cluster->isEmbedded()) {
            QVERIFY(!m_cluster->embedded()->createTopic(std::string(topics::kDeadLetter), 3, 3));
        } else {
            ClusterAdmin admin({{"bootstrap.servers", m_cluster->bootstrap()}});
            QVERIFY(!admin.ensureTopics({std::string(topics::kDeadLetter)}, 3, std::min(3, m_cluster->brokers())));
            // As Pipeline::start does: the lab's dead-letter topic takes records of any size a service may route.
            const auto e = admin.alterTopicConfigs(std::string(topics::kDeadLetter),
                                                   {{"max.message.bytes", std::to_string(kDeadLetterMaxBytes)}});
            QVERIFY2(!e, e.sentence().c_str());
        }
    }

    // (a) ~2,000 events with edits and deletes: at quiescence the index holds exactly the messages, live ones with
    // their latest content, deleted ones marked and never found by a search.
    void indexHoldsLatestLiveMessages()
    {
        m_topics = createTopics("kcl-search-a");
        m_index = newIndex("kcl-test-messages");
        m_events = workloadEvents(2000, QRandomGenerator::global()->generate64());
        const auto expected = latestPerMessage(m_events);
        int deletedCount = 0;
        for (const auto &[id, x] : expected)
            deletedCount += x.event.type == EventType::MessageDeleted ? 1 : 0;
        QVERIFY(deletedCount > 10);
        produce(m_topics, m_events);
        auto svc = startIndexer(unique("kcl-test-search-a"), m_topics, m_searchUrl, m_index, 2);
        SearchClient client(m_searchUrl, m_index);
        QString why;
        QTRY_VERIFY2_WITH_TIMEOUT(indexMatches(client, expected, &why), qPrintable(why), 90000);
        QString error;
        QCOMPARE(client.count(true, &error).value_or(-1), static_cast<qint64>(expected.size()) - deletedCount);
        // A deleted message is not searchable by its old content.
        for (const auto &e : m_events) {
            if (e.type != EventType::MessageCreated || expected.at(messageIdOf(e)).event.type != EventType::MessageDeleted)
                continue;
            SearchQuery q;
            q.text = QString::fromStdString(contentOf(e));
            q.limit = 100;
            const SearchResponse r = client.search(q);
            QVERIFY2(r.ok(), qPrintable(r.error));
            for (const auto &hit : r.hits)
                QVERIFY2(hit.document.id != QString::fromStdString(messageIdOf(e)), "a deleted message was found");
            break;
        }
        svc->stopAll();
    }

    // (b) A new group reads everything again from the beginning: every write is a 409 and the index is unchanged
    // (same documents, same versions).
    void replayFromTheBeginningChangesNothing()
    {
        QVERIFY(!m_events.empty());
        const auto expected = latestPerMessage(m_events);
        const std::int64_t conflictsBefore = m_metrics.search.versionConflicts.load();
        const std::int64_t writesBefore = m_metrics.search.indexed.load() + m_metrics.search.deleted.load();
        auto svc = startIndexer(unique("kcl-test-search-b"), m_topics, m_searchUrl, m_index, 1);
        QTRY_COMPARE_WITH_TIMEOUT(m_metrics.search.versionConflicts.load() - conflictsBefore,
                                  static_cast<std::int64_t>(m_events.size()), 90000);
        QCOMPARE(m_metrics.search.indexed.load() + m_metrics.search.deleted.load(), writesBefore);
        SearchClient client(m_searchUrl, m_index);
        QString why;
        QVERIFY2(indexMatches(client, expected, &why), qPrintable(why));
        svc->stopAll();
    }

    // (c) The node becomes unreachable for ~10 s while events flow, then comes back: nothing is missing at the end,
    // and while it was away the group's committed offsets never passed a record the index did not hold.
    void nodeCutMidRunLosesNothing()
    {
        const auto topicsC = createTopics("kcl-search-c");
        const QString index = newIndex("kcl-test-messages-cut");
        const std::vector<Event> events = workloadEvents(1500, QRandomGenerator::global()->generate64());
        const QUrl node(m_searchUrl);
        TcpForwarder proxy(static_cast<quint16>(node.port(9200)));
        QVERIFY(proxy.open());
        const std::string group = unique("kcl-test-search-c");
        auto svc = startIndexer(group, topicsC, proxy.url(), index, 1);
        const std::vector<Event> first(events.begin(), events.begin() + 500);
        produce(topicsC, first);
        SearchClient direct(m_searchUrl, index);
        QString why;
        QTRY_VERIFY2_WITH_TIMEOUT(indexMatches(direct, latestPerMessage(first), &why), qPrintable(why), 60000);

        proxy.close();
        const std::int64_t retriesBefore = m_metrics.search.retries.load();
        std::vector<CommitSample> whileCut; // each with the index as it stood while the node was unreachable
        for (int chunk = 0; chunk < 5; ++chunk) { // 1,000 more events over ~10 s
            produce(topicsC, std::vector<Event>(events.begin() + 500 + chunk * 200, events.begin() + 700 + chunk * 200));
            QTest::qWait(1500);
            whileCut.push_back(sampleCommitsAndIndex(group, topicsC, direct));
        }
        QVERIFY(m_metrics.search.retries.load() > retriesBefore);
        QCOMPARE(m_metrics.search.nodeUp.load(), 0);

        QVERIFY(proxy.open());
        QTRY_VERIFY2_WITH_TIMEOUT(indexMatches(direct, latestPerMessage(events), &why), qPrintable(why), 90000);
        QTRY_COMPARE_WITH_TIMEOUT(m_metrics.search.nodeUp.load(), 1, 10000);

        // Every record below a committed offset (taken while cut) was in the index then.
        const std::vector<SeenRecord> all = readBack("kcl-test-search-c-reader", topicList(topicsC), events.size());
        QCOMPARE(all.size(), events.size());
        std::int64_t checked = 0, lag = 0;
        const QString uncovered = commitsCoveredByIndex(whileCut, all, &checked);
        QVERIFY2(uncovered.isEmpty(), qPrintable(uncovered));
        for (const auto &[tp, offset] : whileCut.back().committed)
            lag += offset < 0 ? 0 : offset;
        QVERIFY(checked > 0);
        QVERIFY2(lag < 1500, "the committed offsets moved on while the node was unreachable");
        svc->stopAll();
    }

    // (c2) The REAL node is stopped (labstack.sh stop-search, the process ends) while a batch is being indexed, stays
    // down while more events arrive, and is started again: nothing is missing at the end, and no offset committed
    // while it was down passed a record the index held when it stopped. The indexer reaches the node through a
    // forwarder kept closed for a moment after the restart, so the index can be read exactly as the stop left it
    // before the indexer writes again.
    void nodeStoppedAndRestartedLosesNothing()
    {
        if (qEnvironmentVariableIsSet("KCL_TEST_SEARCH_URL"))
            QSKIP("KCL_TEST_SEARCH_URL names a node this test cannot stop; it stops the local lab stack's node");
        LabStack stack;
        QVERIFY2(!stack.scriptPath().isEmpty(), "labstack.sh not found");
        // Runs a labstack.sh command without blocking this thread (the forwarder lives on it).
        const auto stackCommand = [&stack](const QString &command, int timeoutMs) -> QString {
            int exitCode = -1;
            QString output;
            QMetaObject::Connection c = connect(&stack, &LabStack::finished, [&](int code, const QString &out) {
                exitCode = code;
                output = out;
            });
            if (!stack.start({command}))
                return QStringLiteral("labstack.sh %1 did not start").arg(command);
            QElapsedTimer t;
            t.start();
            while (exitCode < 0 && t.elapsed() < timeoutMs)
                QTest::qWait(100);
            disconnect(c);
            if (exitCode < 0) {
                stack.cancel();
                return QStringLiteral("labstack.sh %1 did not finish within %2 s").arg(command).arg(timeoutMs / 1000);
            }
            qInfo("labstack.sh %s: %s", qPrintable(command), qPrintable(output.trimmed()));
            return exitCode == 0 ? QString() : QStringLiteral("labstack.sh %1 failed (%2): %3").arg(command).arg(exitCode).arg(output);
        };
        // Whatever happens below, the node is running again for the tests after this one.
        struct Restart {
            LabStack *stack;
            ~Restart()
            {
                const LabStack::Result r = stack->run({QStringLiteral("start-search")}, 240000);
                if (r.exitCode != 0)
                    qWarning("labstack.sh start-search: %s", qPrintable(r.output()));
            }
        } restartAtEnd{&stack};

        const auto topicsR = createTopics("kcl-search-r");
        const QString index = newIndex("kcl-test-messages-restart");
        const std::vector<Event> events = workloadEvents(1500, QRandomGenerator::global()->generate64());
        const QUrl node(m_searchUrl);
        TcpForwarder proxy(static_cast<quint16>(node.port(9200)));
        QVERIFY(proxy.open());
        const std::string group = unique("kcl-test-search-r");
        auto svc = startIndexer(group, topicsR, proxy.url(), index, 1);
        const std::vector<Event> first(events.begin(), events.begin() + 500);
        produce(topicsR, first);
        SearchClient direct(m_searchUrl, index);
        QString why;
        QTRY_VERIFY2_WITH_TIMEOUT(indexMatches(direct, latestPerMessage(first), &why), qPrintable(why), 60000);

        // The second 500 are being indexed when the node goes.
        const std::int64_t writesBefore = m_metrics.search.indexed.load() + m_metrics.search.deleted.load();
        produce(topicsR, std::vector<Event>(events.begin() + 500, events.begin() + 1000));
        QElapsedTimer busy;
        busy.start();
        while (m_metrics.search.indexed.load() + m_metrics.search.deleted.load() == writesBefore && busy.elapsed() < 20000)
            QTest::qWait(5);
        QString error = stackCommand(QStringLiteral("stop-search"), 60000);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        proxy.close(); // refused from now on, as the dead node's port is; the forwarder stays closed across the restart
        QVERIFY2(!direct.ping(&error), "the node still answers after stop-search");
        const LabStack::Status down = stack.queryStatus(&error);
        const auto search = std::find_if(down.components.begin(), down.components.end(),
                                         [](const LabStack::Component &c) { return c.name == QLatin1String("search"); });
        QVERIFY2(search != down.components.end() && search->state == QLatin1String("stopped"), "stack status does not show the search node stopped");

        const std::int64_t retriesBefore = m_metrics.search.retries.load();
        std::vector<CommitSample> whileDown; // committed offsets only: the node cannot be read while it is down
        produce(topicsR, std::vector<Event>(events.begin() + 1000, events.end()));
        for (int i = 0; i < 4; ++i) {
            QTest::qWait(1500);
            whileDown.push_back({committed(group, topicsR), {}});
        }
        QVERIFY(m_metrics.search.retries.load() > retriesBefore);
        QCOMPARE(m_metrics.search.nodeUp.load(), 0);

        error = stackCommand(QStringLiteral("start-search"), 240000);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        // The index exactly as the stop left it (only the indexer writes it, and it cannot reach the node yet):
        // every acknowledged write survived the restart, and every offset committed while down is covered by it.
        QTRY_VERIFY_WITH_TIMEOUT(direct.refresh(&error), 60000);
        const CommitSample atStop = sampleCommitsAndIndex(group, topicsR, direct);
        QVERIFY2(atStop.versionById.size() >= latestPerMessage(first).size(), "documents indexed before the stop are gone");
        for (auto &sample : whileDown)
            sample.versionById = atStop.versionById;
        whileDown.push_back(atStop);
        QVERIFY(proxy.open());
        QTRY_VERIFY2_WITH_TIMEOUT(indexMatches(direct, latestPerMessage(events), &why), qPrintable(why), 90000);
        QTRY_COMPARE_WITH_TIMEOUT(m_metrics.search.nodeUp.load(), 1, 30000);

        const std::vector<SeenRecord> all = readBack("kcl-test-search-r-reader", topicList(topicsR), events.size());
        QCOMPARE(all.size(), events.size());
        std::int64_t checked = 0, committedWhileDown = 0;
        const QString uncovered = commitsCoveredByIndex(whileDown, all, &checked);
        QVERIFY2(uncovered.isEmpty(), qPrintable(uncovered));
        for (const auto &[tp, offset] : whileDown.back().committed)
            committedWhileDown += std::max<std::int64_t>(0, offset);
        qInfo("node restart: %zu documents survived it, %lld committed offsets while down (%lld record checks)",
              atStop.versionById.size(), static_cast<long long>(committedWhileDown), static_cast<long long>(checked));
        QVERIFY(checked > 0);
        QVERIFY2(committedWhileDown < static_cast<std::int64_t>(events.size()), "the commits passed events that arrived while the node was down");
        svc->stopAll();
    }

    // A slow node (every answer 1.5 s late, within the request timeout): indexing slows down, the buffer fills and the
    // member pauses, nothing is retried and the node is not reported down; every offset committed meanwhile is one
    // the index held. Slower than the timeout (8 s late, 5 s timeout): the batch is retried, the node reported down,
    // and when the answers come in time again everything lands once.
    void slowNodeHoldsCommitsBackAndLosesNothing()
    {
        const auto topicsS = createTopics("kcl-search-s");
        const QString index = newIndex("kcl-test-messages-slow");
        const std::vector<Event> events = workloadEvents(2000, QRandomGenerator::global()->generate64());
        const QUrl node(m_searchUrl);
        TcpForwarder proxy(static_cast<quint16>(node.port(9200)));
        QVERIFY(proxy.open());
        proxy.setResponseDelayMs(1500);
        const std::string group = unique("kcl-test-search-s");
        const std::int64_t retriesBefore = m_metrics.search.retries.load();
        auto svc = startIndexer(group, topicsS, proxy.url(), index, 1);
        const std::vector<Event> first(events.begin(), events.begin() + 1500);
        produce(topicsS, first);
        SearchClient direct(m_searchUrl, index);
        std::vector<CommitSample> whileSlow;
        const auto committedCount = [](const CommitSample &c) {
            std::int64_t n = 0;
            for (const auto &[tp, offset] : c.committed)
                n += std::max<std::int64_t>(0, offset);
            return n;
        };
        bool partlyCommitted = false; // a sample taken mid-way: some offsets committed, the index not complete
        for (int i = 0; i < 40 && (whileSlow.empty() || committedCount(whileSlow.back()) < static_cast<std::int64_t>(first.size())); ++i) {
            QTest::qWait(1000);
            whileSlow.push_back(sampleCommitsAndIndex(group, topicsS, direct));
            const std::int64_t n = committedCount(whileSlow.back());
            qInfo("slow node, %d s: %lld records committed, %zu documents in the index", i + 1, static_cast<long long>(n),
                  whileSlow.back().versionById.size());
            partlyCommitted = partlyCommitted || (n > 0 && n < static_cast<std::int64_t>(first.size()));
        }
        QVERIFY2(partlyCommitted, "no sample caught the indexer part-way: the commit check would prove nothing");
        // 200-document batches answered 1.5 s late: at most ~130 documents a second reach the index.
        QVERIFY2(whileSlow.front().versionById.size() < latestPerMessage(first).size(),
                 "the slow node did not slow indexing down: the test proves nothing");
        QString why;
        QTRY_VERIFY2_WITH_TIMEOUT(indexMatches(direct, latestPerMessage(first), &why), qPrintable(why), 90000);
        // Slow is not down: nothing was retried.
        QVERIFY2(m_metrics.search.retries.load() == retriesBefore,
                 qPrintable(QStringLiteral("%1 retries; the last error: %2")
                                .arg(m_metrics.search.retries.load() - retriesBefore)
                                .arg(QString::fromStdString(m_metrics.search.summary().lastError))));
        QCOMPARE(m_metrics.search.nodeUp.load(), 1);

        // Slower than the request timeout: retried, reported down; answers in time again: everything lands.
        proxy.setResponseDelayMs(8000);
        produce(topicsS, std::vector<Event>(events.begin() + 1500, events.end()));
        QTRY_VERIFY_WITH_TIMEOUT(m_metrics.search.retries.load() > retriesBefore, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(m_metrics.search.nodeUp.load(), 0, 30000);
        whileSlow.push_back(sampleCommitsAndIndex(group, topicsS, direct));
        proxy.setResponseDelayMs(0);
        QTRY_VERIFY2_WITH_TIMEOUT(indexMatches(direct, latestPerMessage(events), &why), qPrintable(why), 90000);
        QTRY_COMPARE_WITH_TIMEOUT(m_metrics.search.nodeUp.load(), 1, 30000);

        const std::vector<SeenRecord> all = readBack("kcl-test-search-s-reader", topicList(topicsS), events.size());
        QCOMPARE(all.size(), events.size());
        std::int64_t checked = 0;
        const QString uncovered = commitsCoveredByIndex(whileSlow, all, &checked);
        QVERIFY2(uncovered.isEmpty(), qPrintable(uncovered));
        qInfo("%lld committed records checked against the index while the node was slow", static_cast<long long>(checked));
        QVERIFY(checked > 0);
        svc->stopAll();
    }

    // (d) A document the node rejects (an index made beforehand with a conflicting mapping) goes to the dead-letter
    // topic with the node's reason; so does an unparseable record; the indexer keeps going.
    void rejectedDocumentGoesToDeadLetter()
    {
        const auto topicsD = createTopics("kcl-search-d");
        const QString index = newIndex("kcl-test-messages-dlt");
        HttpJsonClient http(m_searchUrl);
        const HttpResult made = http.request(
            "PUT", QLatin1Char('/') + index,
            R"({"settings":{"number_of_shards":1,"number_of_replicas":0},"mappings":{"properties":{"author":{"type":"integer"}}}})");
        QVERIFY2(made.ok(), made.body.constData());
        const std::int64_t ts = wallClockMs();
        auto created = [&](const std::string &id, const std::string &author, std::int64_t at) {
            Event e;
            e.type = EventType::MessageCreated;
            e.eventId = "evt_" + id;
            e.timestampMs = at;
            e.payload = MessageCreated{id, "ch_dev", author, "hello " + id, {}, {}};
            return e;
        };
        const std::string tag = std::to_string(QRandomGenerator::global()->generate());
        const std::string rejected = "msg_rejected_" + tag;
        produce(topicsD, {created("msg_ok1_" + tag, "42", ts), created(rejected, "user_007", ts + 1)});
        {
            Producer producer(m_cluster->producerProperties(), "search-test-poison", m_metrics);
            QVERIFY(!producer.produce(topicsD.at(EventType::MessageCreated), "ch_dev", "{not json " + tag));
            QVERIFY(producer.flush(10000));
        }
        produce(topicsD, {created("msg_ok2_" + tag, "7", ts + 2)});
        auto svc = startIndexer(unique("kcl-test-search-d"), topicsD, m_searchUrl, index, 1);
        SearchClient client(m_searchUrl, index);
        QString error;
        QTRY_VERIFY_WITH_TIMEOUT(client.get(QString::fromStdString("msg_ok2_" + tag), &error).has_value(), 60000);
        QVERIFY(client.get(QString::fromStdString("msg_ok1_" + tag), &error).has_value());
        QVERIFY(!client.get(QString::fromStdString(rejected), &error).has_value());

        HeaderSink dlt;
        ConsumerGroupService reader(unique("kcl-test-search-d-dlt"), {std::string(topics::kDeadLetter)},
                                    m_cluster->consumerProperties(), m_metrics);
        reader.setHandlerFactory(dlt.factory());
        reader.setMembers(1);
        auto ours = [&] {
            std::vector<SeenRecord> out;
            for (auto &r : dlt.records())
                if (r.headers[kDeadLetterHeaderTopic] == topicsD.at(EventType::MessageCreated))
                    out.push_back(r);
            return out;
        };
        QTRY_COMPARE_WITH_TIMEOUT(ours().size(), std::size_t(2), 60000);
        bool sawRejected = false, sawUnparseable = false;
        for (auto &r : ours()) {
            QCOMPARE(r.headers[kDeadLetterHeaderService], std::string(kSearchIndexerGroup));
            if (r.value.find(rejected) != std::string::npos) {
                sawRejected = true;
                QVERIFY2(r.headers[kDeadLetterHeaderReason].find("failed to parse") != std::string::npos,
                         r.headers[kDeadLetterHeaderReason].c_str());
                QCOMPARE(r.headers[kDeadLetterHeaderField], std::string("search.mapper_parsing_exception"));
            } else if (r.value.find("{not json " + tag) != std::string::npos) {
                sawUnparseable = true;
            }
        }
        QVERIFY(sawRejected);
        QVERIFY(sawUnparseable);
        reader.stopAll();
        svc->stopAll();
    }

    // (d2) The node's disk blocks, set as OpenSearch sets them when the disk fills (the high watermark's create-index
    // block, then the flood-stage watermark's read-only block on the index): the indexer says which block and what
    // to do, holds the records (none goes to the dead-letter topic, no offset is committed past them) and, once the
    // blocks are released, indexes everything.
    void diskBlocksHoldTheRecordsAndLoseNothing()
    {
        const auto topicsG = createTopics("kcl-search-g");
        const QString index = newIndex("kcl-test-messages-blocked");
        const std::vector<Event> events = workloadEvents(600, QRandomGenerator::global()->generate64());
        const std::vector<Event> first(events.begin(), events.begin() + 300);
        const std::vector<Event> second(events.begin() + 300, events.end());
        HttpJsonClient http(m_searchUrl);
        auto put = [&](const QString &path, const QByteArray &body) {
            const HttpResult r = http.request("PUT", path, body);
            return r.ok() ? QString() : http.describeFailure(QStringLiteral("PUT ") + path, path, r);
        };
        const QByteArray releaseCluster = R"({"persistent":{"cluster.blocks.create_index":null}})";
        const QString indexSettings = QLatin1Char('/') + index + QStringLiteral("/_settings");
        const QByteArray releaseIndex = R"({"index.blocks.read_only_allow_delete":null})";
        auto release = qScopeGuard([&] { // whatever fails, the node must not stay blocked for the other tests
            put(QStringLiteral("/_cluster/settings"), releaseCluster);
            put(indexSettings, releaseIndex);
        });
        const auto lastError = [&] { return QString::fromStdString(m_metrics.search.summary().lastError); };
        const std::int64_t deadBefore = m_metrics.search.deadLettered.load();
        const std::string group = unique("kcl-test-search-g");
        SearchClient direct(m_searchUrl, index);
        QString why;

        // The high watermark's block: the index cannot be made.
        QString failed = put(QStringLiteral("/_cluster/settings"), R"({"persistent":{"cluster.blocks.create_index":true}})");
        QVERIFY2(failed.isEmpty(), qPrintable(failed));
        produce(topicsG, first);
        auto svc = startIndexer(group, topicsG, m_searchUrl, index, 1);
        QTRY_VERIFY2_WITH_TIMEOUT(lastError().contains(QLatin1String("index_create_block_exception")), qPrintable(lastError()), 30000);
        QVERIFY2(lastError().contains(QLatin1String("creating the index")) && lastError().contains(QLatin1String("watermark")),
                 qPrintable(lastError()));
        QCOMPARE(m_metrics.search.nodeUp.load(), int(kSearchNodeRefusing)); // it answers: not down
        QTest::qWait(2000);
        QCOMPARE(http.request("GET", QLatin1Char('/') + index).status, 404);
        for (const auto &[tp, offset] : committed(group, topicsG))
            QVERIFY2(offset <= 0, "an offset was committed while the index could not be made");
        failed = put(QStringLiteral("/_cluster/settings"), releaseCluster);
        QVERIFY2(failed.isEmpty(), qPrintable(failed));
        QTRY_VERIFY2_WITH_TIMEOUT(indexMatches(direct, latestPerMessage(first), &why), qPrintable(why), 60000);

        // The flood-stage watermark's block: the index is read-only, every write answers 429 cluster_block_exception.
        failed = put(indexSettings, R"({"index.blocks.read_only_allow_delete":true})");
        QVERIFY2(failed.isEmpty(), qPrintable(failed));
        const std::int64_t retriesBefore = m_metrics.search.retries.load();
        produce(topicsG, second);
        QTRY_VERIFY2_WITH_TIMEOUT(lastError().contains(QLatin1String("cluster_block_exception")) &&
                                      m_metrics.search.retries.load() > retriesBefore + 1,
                                  qPrintable(lastError()), 30000);
        QVERIFY2(lastError().contains(QLatin1String("HTTP 429")) && lastError().contains(QLatin1String("watermark")),
                 qPrintable(lastError()));
        QCOMPARE(m_metrics.search.nodeUp.load(), int(kSearchNodeRefusing));
        std::vector<CommitSample> whileBlocked{sampleCommitsAndIndex(group, topicsG, direct)};
        QTest::qWait(2000);
        whileBlocked.push_back(sampleCommitsAndIndex(group, topicsG, direct));
        QCOMPARE(m_metrics.search.deadLettered.load(), deadBefore);
        failed = put(indexSettings, releaseIndex);
        QVERIFY2(failed.isEmpty(), qPrintable(failed));
        QTRY_VERIFY2_WITH_TIMEOUT(indexMatches(direct, latestPerMessage(events), &why), qPrintable(why), 60000);
        QTRY_COMPARE_WITH_TIMEOUT(m_metrics.search.nodeUp.load(), 1, 10000);
        QCOMPARE(m_metrics.search.deadLettered.load(), deadBefore);

        // No offset committed while blocked passed a record the index did not hold then.
        const std::vector<SeenRecord> all = readBack("kcl-test-search-g-reader", topicList(topicsG), events.size());
        QCOMPARE(all.size(), events.size());
        std::int64_t checked = 0;
        const QString uncovered = commitsCoveredByIndex(whileBlocked, all, &checked);
        QVERIFY2(uncovered.isEmpty(), qPrintable(uncovered));
        QVERIFY(checked > 0);
        svc->stopAll();
    }

    // (e) The query: match on content (Korean bigrams), channel and author filters, newest first, highlighting,
    // deleted messages and old contents excluded.
    void searchFiltersOrdersHighlightsAndExcludesDeleted()
    {
        const auto topicsE = createTopics("kcl-search-e");
        const QString index = newIndex("kcl-test-messages-query");
        const std::string tag = std::to_string(QRandomGenerator::global()->generate());
        const std::int64_t ts = wallClockMs();
        std::vector<Event> events;
        auto add = [&](EventType type, Payload payload, std::int64_t at) {
            Event e;
            e.type = type;
            e.eventId = "evt_" + std::to_string(events.size()) + "_" + tag;
            e.timestampMs = at;
            e.payload = std::move(payload);
            events.push_back(std::move(e));
        };
        const std::string m1 = "m1_" + tag, m2 = "m2_" + tag, m3 = "m3_" + tag, m4 = "m4_" + tag;
        add(EventType::MessageCreated, MessageCreated{m1, "ch_dev", "user_001", "카프카 스트리밍 실습을 시작합니다", {}, {}}, ts);
        add(EventType::MessageCreated, MessageCreated{m2, "ch_design", "user_002", "카프카 컨슈머 그룹 질문", {}, {}}, ts + 10);
        add(EventType::MessageCreated, MessageCreated{m3, "ch_dev", "user_003", "카프카 파티션 리밸런스", {}, {}}, ts + 20);
        add(EventType::MessageCreated, MessageCreated{m4, "ch_dev", "user_001", "점심 메뉴 추천", {}, {}}, ts + 30);
        // The creates are indexed before the delete and the edit are written: they are on other topics, and an edit
        // indexed before its create has no creation time until the create comes (docs/search.md, "Edits and
        // created_at"; editIndexedBeforeItsCreateGetsItsCreationTime); this test is about the query.
        const std::vector<Event> creates = events;
        produce(topicsE, creates);
        auto svc = startIndexer(unique("kcl-test-search-e"), topicsE, m_searchUrl, index, 1);
        SearchClient client(m_searchUrl, index);
        QString why;
        QTRY_VERIFY2_WITH_TIMEOUT(indexMatches(client, latestPerMessage(creates), &why), qPrintable(why), 60000);
        add(EventType::MessageDeleted, MessageDeleted{m3, "ch_dev", "user_003"}, ts + 40);
        add(EventType::MessageUpdated, MessageUpdated{m4, "ch_dev", "user_001", "카프카 오프셋 커밋 정리", {}, ts + 50}, ts + 50);
        produce(topicsE, std::vector<Event>(events.begin() + static_cast<std::ptrdiff_t>(creates.size()), events.end()));
        QTRY_VERIFY2_WITH_TIMEOUT(indexMatches(client, latestPerMessage(events), &why), qPrintable(why), 60000);

        SearchQuery q;
        q.text = QStringLiteral("카프카");
        SearchResponse r = client.search(q);
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r.total, qint64(3)); // m1, m2, and m4 by its edited content; not the deleted m3
        // Newest first by creation time; m4 keeps its creation time through its edit.
        QCOMPARE(r.hits.at(0).document.id, QString::fromStdString(m4));
        QCOMPARE(r.hits.at(1).document.id, QString::fromStdString(m2));
        QCOMPARE(r.hits.at(2).document.id, QString::fromStdString(m1));
        QVERIFY2(r.hits.at(2).highlighted.contains(QStringLiteral("<em>")), qPrintable(r.hits.at(2).highlighted));
        QVERIFY(r.roundTripMs > 0);

        q.channel = QStringLiteral("ch_dev");
        r = client.search(q);
        QCOMPARE(r.total, qint64(2));
        q.author = QStringLiteral("user_001");
        q.channel.clear();
        r = client.search(q);
        QCOMPARE(r.total, qint64(2));
        q.text = QStringLiteral("점심"); // m4's old content: replaced by the edit
        r = client.search(q);
        QCOMPARE(r.total, qint64(0));
        q.text = QStringLiteral("리밸런스"); // the deleted message
        q.author.clear();
        r = client.search(q);
        QCOMPARE(r.total, qint64(0));
        svc->stopAll();
    }

    // (e2) The three topics are not ordered with each other: an edit indexed before its message's create has no
    // creation time. The create then loses on version, but still gives the document its creation time, keeping the
    // edited content and version; a message deleted before its create comes stays deleted.
    void editIndexedBeforeItsCreateGetsItsCreationTime()
    {
        const auto topicsE2 = createTopics("kcl-search-e2");
        const QString index = newIndex("kcl-test-messages-late-create");
        const std::string tag = std::to_string(QRandomGenerator::global()->generate());
        const std::int64_t ts = wallClockMs();
        const std::string edited = "e1_" + tag, gone = "e2_" + tag, plain = "e3_" + tag;
        auto event = [&](EventType type, Payload payload, std::int64_t at, const char *n) {
            Event e;
            e.type = type;
            e.eventId = "evt_" + std::string(n) + "_" + tag;
            e.timestampMs = at;
            e.payload = std::move(payload);
            return e;
        };
        const std::vector<Event> early{
            event(EventType::MessageUpdated, MessageUpdated{edited, "ch_dev", "user_001", "카프카 편집된 내용", {}, ts + 50}, ts + 50, "u1"),
            event(EventType::MessageUpdated, MessageUpdated{gone, "ch_dev", "user_002", "곧 지워질 메시지", {}, ts + 60}, ts + 60, "u2"),
            event(EventType::MessageDeleted, MessageDeleted{gone, "ch_dev", "user_002"}, ts + 70, "d2")};
        const std::vector<Event> creates{
            event(EventType::MessageCreated, MessageCreated{edited, "ch_dev", "user_001", "카프카 원래 내용", {}, {}}, ts, "c1"),
            event(EventType::MessageCreated, MessageCreated{gone, "ch_dev", "user_002", "지워진 메시지의 원문", {}, {}}, ts + 1, "c2"),
            event(EventType::MessageCreated, MessageCreated{plain, "ch_dev", "user_003", "카프카 오래된 메시지", {}, {}}, ts - 1000, "c3")};
        produce(topicsE2, early);
        auto svc = startIndexer(unique("kcl-test-search-e2"), topicsE2, m_searchUrl, index, 1);
        SearchClient client(m_searchUrl, index);
        QString why, error;
        QTRY_VERIFY2_WITH_TIMEOUT(indexMatches(client, latestPerMessage(early), &why), qPrintable(why), 60000);
        QCOMPARE(client.get(QString::fromStdString(edited), &error).value_or(SearchDocument{}).createdAtMs, qint64(0));

        const std::int64_t conflictsBefore = m_metrics.search.versionConflicts.load();
        produce(topicsE2, creates);
        std::vector<Event> all = early;
        all.insert(all.end(), creates.begin(), creates.end());
        QTRY_VERIFY2_WITH_TIMEOUT(indexMatches(client, latestPerMessage(all), &why), qPrintable(why), 60000);
        QTRY_VERIFY_WITH_TIMEOUT(m_metrics.search.versionConflicts.load() - conflictsBefore >= 2, 60000);
        const auto doc = client.get(QString::fromStdString(edited), &error);
        QVERIFY2(doc, qPrintable(error));
        QCOMPARE(doc->createdAtMs, qint64(ts)); // from the late create
        QCOMPARE(doc->updatedAtMs, qint64(ts + 50)); // the edit's, as before
        QCOMPARE(doc->content, QStringLiteral("카프카 편집된 내용")); // the edit's content, not the create's
        QCOMPARE(doc->version, qint64(searchVersion(ts + 50, EventType::MessageUpdated)));
        const auto deleted = client.get(QString::fromStdString(gone), &error);
        QVERIFY2(deleted, qPrintable(error));
        QVERIFY(deleted->deleted);
        QVERIFY(deleted->content.isEmpty());
        QCOMPARE(deleted->version, qint64(searchVersion(ts + 70, EventType::MessageDeleted)));
        // Newest first by creation time: the edited message before the older one (without its creation time it
        // would sort last).
        QVERIFY(client.refresh(&error));
        SearchQuery q;
        q.text = QStringLiteral("카프카");
        const SearchResponse r = client.search(q);
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r.total, qint64(2));
        QCOMPARE(r.hits.at(0).document.id, QString::fromStdString(edited));
        QCOMPARE(r.hits.at(1).document.id, QString::fromStdString(plain));
        svc->stopAll();
    }

    // (f) Poison events (not JSON, wrong types, unknown event_type, 1 MB content) between good ones on one partition:
    // each reaches the dead-letter topic once, with headers naming the indexer, the error and the source
    // topic/partition/offset, and every good event after them is indexed. The 1 MB one needs the dead-letter
    // producer's raised size limit (withDeadLetterLimits): without it librdkafka refuses it locally and it is lost.
    void poisonEventsReachTheDeadLetterTopicAndIndexingGoesOn()
    {
        const std::string tag = std::to_string(QRandomGenerator::global()->generate());
        std::map<EventType, std::string> topicsF = createTopics("kcl-search-f");
        if (!m_cluster->isEmbedded()) { // the created topic takes the 1 MB record (a real broker's limit is ~1 MB)
            ClusterAdmin admin({{"bootstrap.servers", m_cluster->bootstrap()}});
            const auto e = admin.alterTopicConfigs(topicsF.at(EventType::MessageCreated),
                                                   {{"max.message.bytes", std::to_string(kDeadLetterMaxBytes)}});
            QVERIFY2(!e, e.sentence().c_str());
        }
        const std::string createdTopic = topicsF.at(EventType::MessageCreated);
        const QString index = newIndex("kcl-test-messages-poison");

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

        // Each poison record, then good messages, all keyed "ch_dev": one partition, so the good ones come after it.
        std::vector<std::string> goodIds;
        {
            auto props = m_cluster->producerProperties();
            props["message.max.bytes"] = std::to_string(kDeadLetterMaxBytes);
            Producer producer(props, "search-test-poison", m_metrics);
            const std::int64_t ts = wallClockMs();
            for (const auto &p : poison) {
                QVERIFY(!producer.produce(createdTopic, "ch_dev", p));
                for (int i = 0; i < 3; ++i) {
                    const std::string id = "msg_good_" + std::to_string(goodIds.size()) + "_" + tag;
                    Event e;
                    e.type = EventType::MessageCreated;
                    e.eventId = "evt_" + id;
                    e.timestampMs = ts + static_cast<std::int64_t>(goodIds.size());
                    e.payload = MessageCreated{id, "ch_dev", "user_001", "good " + id, {}, {}};
                    QCOMPARE(e.key(), std::string("ch_dev"));
                    QVERIFY(!producer.produce(createdTopic, e.key(), serialize(e)));
                    goodIds.push_back(id);
                }
            }
            QVERIFY(producer.flush(60000));
            QCOMPARE(producer.failed(), std::int64_t(0));
        }

        const std::int64_t deadBefore = m_metrics.search.deadLettered.load();
        const std::string group = unique("kcl-test-search-f");
        auto svc = startIndexer(group, topicsF, m_searchUrl, index, 1);
        SearchClient client(m_searchUrl, index);
        QString error;
        for (const auto &id : goodIds)
            QTRY_VERIFY2_WITH_TIMEOUT(client.get(QString::fromStdString(id), &error).has_value(),
                                      qPrintable(QString::fromStdString(id) + QStringLiteral(" not indexed ") + error), 60000);

        // Where each poison record landed, read back from the source topic.
        HeaderSink source;
        ConsumerGroupService sourceReader(unique("kcl-test-search-f-source"), {createdTopic}, m_cluster->consumerProperties(), m_metrics);
        sourceReader.setHandlerFactory(source.factory());
        sourceReader.setMembers(1);
        HeaderSink dlt;
        ConsumerGroupService dltReader(unique("kcl-test-search-f-dlt"), {std::string(topics::kDeadLetter)},
                                       m_cluster->consumerProperties(), m_metrics);
        dltReader.setHandlerFactory(dlt.factory());
        dltReader.setMembers(1);
        auto ours = [&] {
            std::vector<SeenRecord> out;
            for (auto &r : dlt.records())
                if (r.headers[kDeadLetterHeaderTopic] == createdTopic)
                    out.push_back(r);
            return out;
        };
        QTRY_COMPARE_WITH_TIMEOUT(source.records().size(), poison.size() + goodIds.size(), 60000);
        QTRY_VERIFY2_WITH_TIMEOUT(ours().size() >= poison.size(),
                                  qPrintable(QStringLiteral("%1 of %2 poison records on the dead-letter topic")
                                                 .arg(ours().size()).arg(poison.size())), 60000);
        QTest::qWait(2000); // nothing more may arrive
        const auto dead = ours();
        QCOMPARE(dead.size(), poison.size());
        std::map<std::string, int> perValue;
        for (const auto &r : dead) {
            QCOMPARE(r.headers.at(kDeadLetterHeaderService), std::string(kSearchIndexerGroup));
            QVERIFY(r.headers.count(kDeadLetterHeaderField));
            QVERIFY(!r.headers.at(kDeadLetterHeaderReason).empty());
            QVERIFY2(std::find(poison.begin(), poison.end(), r.value) != poison.end(), "a good event was dead-lettered");
            bool located = false;
            for (const auto &s : source.records())
                located = located || (s.value == r.value && std::to_string(s.partition) == r.headers.at(kDeadLetterHeaderPartition) &&
                                      std::to_string(s.offset) == r.headers.at(kDeadLetterHeaderOffset));
            QVERIFY2(located, "the source partition/offset headers do not name the poison record");
            ++perValue[r.value];
        }
        for (const auto &p : poison)
            QCOMPARE(perValue[p], 1);
        QCOMPARE(m_metrics.search.deadLettered.load() - deadBefore, static_cast<std::int64_t>(poison.size()));
        // Every good message is in the index, and nothing else.
        QVERIFY2(client.refresh(&error), qPrintable(error));
        QCOMPARE(client.count(false, &error).value_or(-1), static_cast<qint64>(goodIds.size()));
        sourceReader.stopAll();
        dltReader.stopAll();
        svc->stopAll();
    }

    // (g) The index's content field uses a CJK analyzer: Korean has no spaces between a noun and its particle, so
    // "카프카를" must be found by "카프카" (the standard analyzer keeps "카프카를" as one token, and finds nothing).
    void contentIsAnalyzedForKorean()
    {
        const QString index = newIndex("kcl-test-messages-cjk");
        SearchClient client(m_searchUrl, index);
        QString error;
        QVERIFY2(client.ensureIndex(&error), qPrintable(error));

        HttpJsonClient http(m_searchUrl);
        const HttpResult mapped = http.request("GET", QLatin1Char('/') + index + QStringLiteral("/_mapping"));
        QVERIFY2(mapped.ok(), mapped.body.constData());
        const QJsonObject content = QJsonDocument::fromJson(mapped.body)
                                        .object()[index].toObject()[QStringLiteral("mappings")].toObject()
                                        [QStringLiteral("properties")].toObject()[QStringLiteral("content")].toObject();
        QCOMPARE(content[QStringLiteral("type")].toString(), QStringLiteral("text"));
        QCOMPARE(content[QStringLiteral("analyzer")].toString(), QStringLiteral("cjk"));

        const std::string tag = std::to_string(QRandomGenerator::global()->generate());
        SearchDocument korean;
        korean.id = QString::fromStdString("msg_ko_" + tag);
        korean.channel = QStringLiteral("ch_dev");
        korean.author = QStringLiteral("user_001");
        korean.content = QStringLiteral("카프카를 배우는 중");
        korean.createdAtMs = korean.updatedAtMs = wallClockMs();
        SearchDocument other = korean;
        other.id = QString::fromStdString("msg_other_" + tag);
        other.content = QStringLiteral("점심 메뉴 추천");
        const BulkResult written = client.bulk({{korean, 1}, {other, 1}});
        QVERIFY2(written.ok(), qPrintable(written.error));
        QCOMPARE(written.items.size(), std::size_t(2));
        QVERIFY(written.items[0].applied() && written.items[1].applied());
        QVERIFY2(client.refresh(&error), qPrintable(error));

        SearchQuery q;
        q.text = QStringLiteral("카프카");
        SearchResponse r = client.search(q);
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r.total, qint64(1));
        QCOMPARE(r.hits.at(0).document.id, korean.id);
        q.text = QStringLiteral("배우");
        r = client.search(q);
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r.total, qint64(1));
        QCOMPARE(r.hits.at(0).document.id, korean.id);
    }

    void cleanupTestCase()
    {
        for (const auto &index : m_indexes) {
            SearchClient client(m_searchUrl, index);
            QString error;
            if (!client.deleteIndex(&error))
                qWarning("%s", qPrintable(error));
        }
    }
};

QTEST_GUILESS_MAIN(SearchIndexerTest)
#include "tst_search_indexer.moc"
