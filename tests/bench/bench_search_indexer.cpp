// kcl-search-bench: search indexer throughput into the REAL search node through _bulk. Not a test: it measures and
// prints. N events (created/updated/deleted, the workload generator's shapes) are produced first to fresh topics on
// the embedded cluster or a real one; then the indexer group starts and the clock runs from its first record to the
// last document answered. Prints documents/s and the bulk round trip p50/p99, as text and as one JSON line.
//   kcl-search-bench [--events N] [--cluster embedded|HOST:PORT] [--search-url URL] [--batch B] [--members M]
#include "kafka/ClusterAdmin.h"
#include "kafka/EmbeddedCluster.h"
#include "kafka/Producer.h"
#include "metrics/PipelineMetrics.h"
#include "pipeline/ConsumerGroupService.h"
#include "pipeline/SearchIndexer.h"
#include "pipeline/WorkloadGenerator.h"
#include "sinks/SearchClient.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QRandomGenerator>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <thread>

using namespace kcl;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.addHelpOption();
    const QCommandLineOption events(QStringLiteral("events"), QStringLiteral("Events to index (default 20000)."), QStringLiteral("N"), QStringLiteral("20000"));
    const QCommandLineOption cluster(QStringLiteral("cluster"), QStringLiteral("embedded (default) or HOST:PORT."), QStringLiteral("X"), QStringLiteral("embedded"));
    const QCommandLineOption url(QStringLiteral("search-url"), QStringLiteral("The search node (default http://127.0.0.1:9200)."), QStringLiteral("URL"), QStringLiteral("http://127.0.0.1:9200"));
    const QCommandLineOption batch(QStringLiteral("batch"), QStringLiteral("Documents per _bulk (default 500)."), QStringLiteral("B"), QStringLiteral("500"));
    const QCommandLineOption members(QStringLiteral("members"), QStringLiteral("Indexer group members (default 1)."), QStringLiteral("M"), QStringLiteral("1"));
    p.addOptions({events, cluster, url, batch, members});
    p.process(app);
    const int n = p.value(events).toInt();
    const int batchSize = p.value(batch).toInt();
    const int memberCount = p.value(members).toInt();
    if (n < 1 || batchSize < 1 || memberCount < 1) {
        std::fprintf(stderr, "--events, --batch and --members must be positive whole numbers\n");
        return 2;
    }

    PipelineMetrics metrics;
    std::unique_ptr<EmbeddedCluster> embedded;
    std::string bootstrap;
    const std::string tag = std::to_string(QRandomGenerator::global()->generate());
    const std::vector<std::string> topicNames = {"kcl-bench-created-" + tag, "kcl-bench-updated-" + tag, "kcl-bench-deleted-" + tag};
    if (p.value(cluster) == QStringLiteral("embedded")) {
        embedded = std::make_unique<EmbeddedCluster>(3);
        bootstrap = embedded->bootstrapServers();
        for (const auto &t : topicNames)
            embedded->createTopic(t, 6, 3);
        embedded->createTopic(std::string(topics::kDeadLetter), 3, 3);
    } else {
        bootstrap = p.value(cluster).toStdString();
        ClusterAdmin admin({{"bootstrap.servers", bootstrap}});
        ClusterMetadata md;
        if (auto e = admin.metadata(md, 10000)) {
            std::fprintf(stderr, "the cluster at %s did not answer: %s\n", bootstrap.c_str(), e.sentence().c_str());
            return 1;
        }
        const int rf = std::min<int>(3, static_cast<int>(md.brokers.size()));
        if (auto e = admin.ensureTopics(topicNames, 6, rf)) {
            std::fprintf(stderr, "creating the topics failed: %s\n", e.sentence().c_str());
            return 1;
        }
    }
    const std::map<EventType, std::string> topicOf = {{EventType::MessageCreated, topicNames[0]},
                                                      {EventType::MessageUpdated, topicNames[1]},
                                                      {EventType::MessageDeleted, topicNames[2]}};
    const std::map<std::string, std::string> producerProps = {{"bootstrap.servers", bootstrap}, {"acks", "all"},
                                                              {"linger.ms", "5"}, {"log_level", "3"}};
    {
        Producer producer(producerProps, "search-bench-producer", metrics);
        WorkloadShape shape;
        shape.mix = {70, 20, 10, 0};
        WorkloadGenerator gen(42, shape);
        const std::int64_t base = wallClockMs();
        for (int i = 0; i < n; ++i) {
            const Event e = gen.next(base + i);
            const std::string json = serialize(e);
            while (producer.produce(topicOf.at(e.type), e.key(), json).code == RD_KAFKA_RESP_ERR__QUEUE_FULL)
                producer.poll(10);
        }
        if (!producer.flush(120000) || producer.acknowledged() != n) {
            std::fprintf(stderr, "only %lld of %d events were acknowledged\n", static_cast<long long>(producer.acknowledged()), n);
            return 1;
        }
    }

    const QString index = QStringLiteral("kcl-bench-messages-%1").arg(QString::fromStdString(tag));
    SearchIndexerOptions o;
    o.searchUrl = p.value(url).toStdString();
    o.index = index.toStdString();
    o.batchSize = batchSize;
    o.maxBuffered = std::max(4000, batchSize * 4);
    std::map<std::string, std::string> consumerProps = {{"bootstrap.servers", bootstrap}, {"log_level", "3"},
                                                        {"fetch.wait.max.ms", embedded ? "10" : "100"}};
    ConsumerGroupService svc("kcl-bench-search-" + tag, topicNames, consumerProps, metrics);
    svc.setHandlerFactory(SearchIndexer::factory(o, producerProps, svc.state(), metrics, metrics.search));
    using Clock = std::chrono::steady_clock;
    const auto started = Clock::now();
    svc.setMembers(memberCount);
    auto answered = [&] {
        return metrics.search.indexed.load() + metrics.search.deleted.load() + metrics.search.versionConflicts.load() +
               metrics.search.deadLettered.load();
    };
    Clock::time_point first{};
    while (answered() < n && Clock::now() - started < std::chrono::minutes(5)) {
        if (first == Clock::time_point{} && svc.state()->consumed.load() > 0)
            first = Clock::now();
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    const auto done = Clock::now();
    const SearchStats s = metrics.search.summary();
    svc.stopAll();
    SearchClient client(QString::fromStdString(o.searchUrl), index);
    QString error;
    client.deleteIndex(&error);
    if (answered() < n) {
        std::fprintf(stderr, "only %lld of %d documents were answered within 5 minutes (last error: %s)\n",
                     static_cast<long long>(answered()), n, s.lastError.c_str());
        return 1;
    }
    const double seconds = std::chrono::duration<double>(done - first).count();
    const double rate = n / seconds;
    std::printf("search indexer: %d events (%lld written, %lld soft deletes, %lld version conflicts) in %.2f s = %.0f documents/s; "
                "%lld bulk requests of up to %d, round trip p50 %.1f ms, p99 %.1f ms (last 10 s); %d member(s), Kafka %s\n",
                n, static_cast<long long>(s.indexed), static_cast<long long>(s.deleted),
                static_cast<long long>(s.versionConflicts), seconds, rate, static_cast<long long>(s.bulkRequests), batchSize,
                s.bulkP50Ms, s.bulkP99Ms, memberCount, embedded ? "embedded" : bootstrap.c_str());
    const nlohmann::json j = {{"events", n}, {"seconds", seconds}, {"documents_per_s", rate}, {"bulk_requests", s.bulkRequests},
                              {"batch", batchSize}, {"bulk_p50_ms", s.bulkP50Ms}, {"bulk_p99_ms", s.bulkP99Ms},
                              {"members", memberCount}, {"kafka", embedded ? "embedded" : bootstrap},
                              {"version_conflicts", s.versionConflicts}};
    std::printf("%s\n", j.dump().c_str());
    return 0;
}
