#include "cli/CompareCommand.h"

#include "cli/WriteSideReport.h"
#include "cluster/ClusterProfile.h"
#include "kafka/ClusterAdmin.h"
#include "kafka/EmbeddedCluster.h"
#include "metrics/LatencyWindow.h"
#include "metrics/PipelineMetrics.h"
#include "pipeline/ConsumerGroupService.h"
#include "pipeline/OutboxRelay.h"
#include "pipeline/PipelineEngine.h"
#include "pipeline/ReadLoad.h"
#include "pipeline/SearchIndexer.h"
#include "pipeline/WriteSide.h"
#include "sinks/HttpJsonClient.h"
#include "sinks/SearchClient.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QUrl>
#include <nlohmann/json.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

namespace kcl {
namespace {

using Clock = std::chrono::steady_clock;

// The words the posts are made of and the readers search for, so every search has matching documents.
constexpr std::array<const char *, 12> kWords = {"deploy", "release", "standup", "review", "incident", "rollback",
                                                 "design", "metrics", "kafka", "latency", "coffee", "roadmap"};
constexpr int kProbeIntervalMs = 250;
constexpr int kProbeGraceMs = 15000;  // how long probes still unfound at the end are searched for
constexpr int kWarmUpTimeoutMs = 60000;

int usage(const QString &message, QTextStream &err)
{
    err << "kafka-collab-lab compare: " << message << "\nTry 'kafka-collab-lab compare --help'.\n";
    return 2;
}

double msSince(Clock::time_point t)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

struct Samples {
    std::vector<double> ms;
    std::vector<double> tookMs; // searches only: the node's own time
    std::int64_t errors = 0;
    QString lastError;
    void fail(const QString &error)
    {
        ++errors;
        lastError = error;
    }
};

struct ProbeResult {
    int posted = 0;
    int found = 0;
    std::vector<double> delaysMs;
    Samples failures; // posts or searches that failed
};

struct Percentiles {
    double p50 = 0, p99 = 0, max = 0;
};
Percentiles percentilesOf(const std::vector<double> &v)
{
    Percentiles p;
    p.p50 = percentile(v, 50);
    p.p99 = percentile(v, 99);
    p.max = percentile(v, 100);
    return p;
}

QString randomContent(QRandomGenerator &rng)
{
    QStringList words;
    for (int i = 0; i < 4; ++i)
        words << QString::fromLatin1(kWords[rng.bounded(static_cast<int>(kWords.size()))]);
    return words.join(QLatin1Char(' '));
}

std::string openWriteSide(WriteSide &side)
{
    QString error;
    return side.open(&error) ? std::string() : error.toStdString();
}

// The write workload: posts at `rate` per second through its own write side (own PostgreSQL connection).
void writeWorkload(const WriteSideOptions &options, double rate, const std::atomic<bool> &stop, Samples &result)
{
    WriteSideCounters counters;
    WriteSide side(options, counters);
    if (const std::string e = openWriteSide(side); !e.empty()) {
        result.fail(QString::fromStdString(e));
        return;
    }
    QRandomGenerator rng(QRandomGenerator::global()->generate());
    const auto start = Clock::now();
    for (std::int64_t i = 0; !stop.load(); ++i) {
        std::this_thread::sleep_until(start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(i / rate)));
        if (stop.load())
            break;
        const Event e = WriteModel::newMessage("ch_compare", "user_" + std::to_string(rng.bounded(1, 50)),
                                               randomContent(rng).toStdString(), {}, wallClockMs());
        const auto t = Clock::now();
        const WriteResult r = side.submit(e);
        if (r.ok)
            result.ms.push_back(msSince(t));
        else
            result.fail(r.error);
    }
}

// One reader: searches for the posts' words with its own client until stopped.
void readWorkload(const QString &url, const QString &index, const std::atomic<bool> &stop, Samples &result)
{
    SearchClient client(url, index, 5000);
    QRandomGenerator rng(QRandomGenerator::global()->generate());
    while (!stop.load()) {
        SearchQuery q;
        q.text = QString::fromLatin1(kWords[rng.bounded(static_cast<int>(kWords.size()))]);
        const SearchResponse r = client.search(q);
        if (r.ok()) {
            result.ms.push_back(r.roundTripMs);
            result.tookMs.push_back(r.tookMs);
        } else {
            result.fail(r.error);
            std::this_thread::sleep_for(std::chrono::milliseconds(50)); // a failing node is not hammered
        }
    }
}

// A probe's posts and findings, counted into `result`.
void postInto(SearchProbe &probe, ProbeResult &result)
{
    if (const QString e = probe.post(); e.isEmpty())
        ++result.posted;
    else
        result.failures.fail(e);
}
void checkInto(SearchProbe &probe, ProbeResult &result)
{
    probe.check(
        [&result](double ms) {
            result.delaysMs.push_back(ms);
            ++result.found;
        },
        [&result](const QString &e) { result.failures.fail(e); });
}

void probeWorkload(const WriteSideOptions &options, const QString &url, const QString &index, const QString &prefix,
                   const std::atomic<bool> &stop, ProbeResult &result)
{
    WriteSideCounters counters;
    WriteSide side(options, counters);
    if (const std::string e = openWriteSide(side); !e.empty()) {
        result.failures.fail(QString::fromStdString(e));
        return;
    }
    SearchClient client(url, index, 5000);
    SearchProbe probe(side, client, prefix, QStringLiteral("ch_compare"));
    auto nextPost = Clock::now();
    while (!stop.load()) {
        if (Clock::now() >= nextPost) {
            postInto(probe, result);
            nextPost += std::chrono::milliseconds(kProbeIntervalMs);
        }
        checkInto(probe, result);
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    const auto graceStart = Clock::now();
    while (probe.waiting() > 0 && msSince(graceStart) < kProbeGraceMs) {
        checkInto(probe, result);
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

// The index's refresh interval as the node reports it ("1s" is the node's default).
QString refreshIntervalOf(const QString &url, const QString &index)
{
    HttpJsonClient http(url, 5000);
    const HttpResult r = http.request("GET", QStringLiteral("/%1/_settings?include_defaults=true").arg(index));
    if (!r.ok())
        return QStringLiteral("unknown");
    const QJsonObject root = QJsonDocument::fromJson(r.body).object().value(index).toObject();
    for (const char *part : {"settings", "defaults"}) {
        const QString v = root.value(QLatin1String(part)).toObject().value(QStringLiteral("index")).toObject()
                              .value(QStringLiteral("refresh_interval")).toString();
        if (!v.isEmpty())
            return v;
    }
    return QStringLiteral("unknown");
}

nlohmann::json latencyJson(const Percentiles &p)
{
    return {{"p50_ms", p.p50}, {"p99_ms", p.p99}, {"max_ms", p.max}};
}

QString ms(double v)
{
    return QString::number(v, 'f', 1) + QStringLiteral(" ms");
}

} // namespace

int runCompareCommand(const QStringList &args, QTextStream &out, QTextStream &err)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "CQRS write vs read (exercise 3): posts through PostgreSQL + outbox to Kafka, the search indexer, searches and "
        "a write-to-searchable probe, side by side."));
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help."));
    const QCommandLineOption cluster(QStringLiteral("cluster"), QStringLiteral("embedded, local (default), guide or HOST:PORT[,HOST:PORT]."), QStringLiteral("X"), QStringLiteral("local"));
    const QCommandLineOption searchUrl(QStringLiteral("search-url"), QStringLiteral("The search node (default http://127.0.0.1:9200)."), QStringLiteral("URL"), QStringLiteral("http://127.0.0.1:9200"));
    const QCommandLineOption searchIndex(QStringLiteral("search-index"), QStringLiteral("The index to write and search (default: a new one for this run, deleted at the end)."), QStringLiteral("NAME"));
    const QCommandLineOption duration(QStringLiteral("duration"), QStringLiteral("Seconds to run the workloads (default 20)."), QStringLiteral("S"), QStringLiteral("20"));
    const QCommandLineOption writeRate(QStringLiteral("write-rate"), QStringLiteral("Posts per second (default 50)."), QStringLiteral("N"), QStringLiteral("50"));
    const QCommandLineOption readers(QStringLiteral("readers"), QStringLiteral("Reader threads searching (default 2)."), QStringLiteral("N"), QStringLiteral("2"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print the figures as JSON."));
    for (const auto &o : {help, cluster, searchUrl, searchIndex, duration, writeRate, readers, json})
        p.addOption(o);
    p.addOptions(sqlOptions());
    p.addOptions(clusterSecurityOptions());
    if (!p.parse(QStringList{QStringLiteral("compare")} + args))
        return usage(p.errorText(), err);
    if (p.isSet(help)) {
        const QString text = p.helpText();
        out << "Usage: kafka-collab-lab compare [options]" << text.mid(text.indexOf(QLatin1Char('\n')))
            << "\nNew messages become searchable at the index's next refresh (index.refresh_interval, 1 s by default); "
               "a bulk with ?refresh=wait_for would make each write wait for it instead.\n";
        return 0;
    }
    if (!p.positionalArguments().isEmpty())
        return usage(QStringLiteral("unexpected argument '%1'").arg(p.positionalArguments().first()), err);
    bool ok = false;
    const double durationSec = p.value(duration).toDouble(&ok);
    if (!ok || durationSec < 1 || durationSec > 3600)
        return usage(QStringLiteral("--duration must be from 1 to 3600 seconds, not '%1'").arg(p.value(duration)), err);
    const double rate = p.value(writeRate).toDouble(&ok);
    if (!ok || rate < 1 || rate > 10000)
        return usage(QStringLiteral("--write-rate must be from 1 to 10000 posts per second, not '%1'").arg(p.value(writeRate)), err);
    const int readerCount = p.value(readers).toInt(&ok);
    if (!ok || readerCount < 1 || readerCount > 64)
        return usage(QStringLiteral("--readers must be from 1 to 64, not '%1'").arg(p.value(readers)), err);
    const QUrl url(p.value(searchUrl), QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")) || url.host().isEmpty())
        return usage(QStringLiteral("--search-url must be an http(s) URL such as http://127.0.0.1:9200, not '%1'").arg(p.value(searchUrl)), err);
    if (p.isSet(searchIndex) && p.value(searchIndex).isEmpty())
        return usage(QStringLiteral("--search-index must not be empty"), err);
    QString error;
    auto profile = ClusterProfile::fromCliArgument(p.value(cluster), &error);
    if (!profile)
        return usage(QStringLiteral("--cluster: ") + error, err);
    if (!applyClusterSecurityOptions(p, *profile, &error))
        return usage(error, err);
    PipelineOptions po; // carries the parsed --sql and --sql-schema
    if (!applySqlOptions(p, po, &error))
        return usage(error, err);

    const QString tag = QString::number(QDateTime::currentMSecsSinceEpoch(), 36) +
                        QString::number(QRandomGenerator::global()->bounded(1 << 20), 36);
    const bool ownIndex = !p.isSet(searchIndex);
    const QString index = ownIndex ? QStringLiteral("kcl-compare-") + tag : p.value(searchIndex);
    const QString nodeUrl = p.value(searchUrl);

    // The write side's PostgreSQL first: this connection (this thread's) also posts the warm-up messages.
    WriteSideOptions wo;
    wo.mode = WriteMode::Outbox;
    wo.sqlConnection = po.sqlConnection;
    wo.schema = QString::fromStdString(po.sqlSchema);
    WriteSideCounters warmUpCounters;
    WriteSide warmUpSide(wo, warmUpCounters);
    if (!warmUpSide.open(&error)) {
        err << "kafka-collab-lab compare: " << error << "\n";
        return 1;
    }
    SearchClient search(nodeUrl, index, 5000);
    if (!search.ping(&error) || !search.ensureIndex(&error)) {
        err << "kafka-collab-lab compare: the search node at " << nodeUrl << " cannot be used: " << error << "\n";
        return 1;
    }
    struct IndexCleanup { // the run's own index goes when the command ends, however it ends
        SearchClient &client;
        bool owned;
        ~IndexCleanup()
        {
            QString ignored;
            if (owned)
                client.deleteIndex(&ignored);
        }
    } indexCleanup{search, ownIndex};

    std::unique_ptr<EmbeddedCluster> embedded;
    std::string bootstrap = profile->bootstrapServers;
    const MessageTopics topics;
    try {
        if (profile->kind == ClusterProfile::Kind::Embedded) {
            embedded = std::make_unique<EmbeddedCluster>(profile->embeddedBrokers);
            bootstrap = embedded->bootstrapServers();
            for (const auto &t : {topics.created, topics.updated, topics.deleted})
                embedded->createTopic(t, 6, std::min(3, profile->embeddedBrokers));
        } else {
            ClusterAdmin admin(profile->clientProperties(bootstrap));
            ClusterMetadata md;
            if (!admin.metadata(md, 5000)) {
                const int rf = std::max(1, std::min<int>(3, static_cast<int>(md.brokers.size())));
                admin.ensureTopics({topics.created, topics.updated, topics.deleted}, 6, rf, 10000);
            } else {
                err << "kafka-collab-lab compare: Kafka at " << QString::fromStdString(bootstrap)
                    << " did not answer within 5 s; start it (resources/stack/labstack.sh up) or use --cluster embedded.\n";
                return 1;
            }
        }
    } catch (const std::exception &ex) {
        err << "kafka-collab-lab compare: the Kafka client could not start: " << ex.what() << "\n";
        return 1;
    }
    const auto clientProperties = profile->clientProperties(bootstrap);

    WriteSideCounters relayCounters;
    OutboxRelayOptions ro;
    ro.sqlConnection = wo.sqlConnection;
    ro.schema = wo.schema;
    ro.producerProperties = clientProperties;
    ro.clientId = "compare-outbox-relay";
    OutboxRelay relay(ro, relayCounters);
    relay.start();

    // The indexer's own group starts at the end of the topics: older messages are not this run's business.
    PipelineMetrics metrics;
    SearchIndexerOptions so;
    so.searchUrl = nodeUrl.toStdString();
    so.index = index.toStdString();
    auto consumerProperties = clientProperties;
    consumerProperties["log_level"] = "3";
    ConsumerGroupService indexer("kcl-compare-" + tag.toStdString(), {topics.created, topics.updated, topics.deleted},
                                 consumerProperties, metrics);
    indexer.setAutoOffsetReset("latest");
    indexer.setHandlerFactory(SearchIndexer::factory(so, clientProperties, indexer.state(), metrics, metrics.search));
    indexer.setMembers(1);

    // Warm-up: until a posted message is searchable, the pipeline is not measuring anything (the group joins, the
    // relay's producer connects). A warm-up post that arrives before the group's start offset is re-posted.
    {
        ProbeResult warmUp;
        SearchProbe probe(warmUpSide, search, QStringLiteral("kclwarm") + tag + QStringLiteral("n"), QStringLiteral("ch_compare"));
        const auto started = Clock::now();
        auto nextPost = started;
        while (warmUp.found == 0 && msSince(started) < kWarmUpTimeoutMs) {
            if (Clock::now() >= nextPost) {
                postInto(probe, warmUp);
                nextPost += std::chrono::seconds(2);
            }
            checkInto(probe, warmUp);
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        if (warmUp.found == 0) {
            const SearchStats s = metrics.search.summary();
            err << "kafka-collab-lab compare: no posted message became searchable within " << kWarmUpTimeoutMs / 1000
                << " s (outbox relayed " << relayCounters.relayed.load() << ", relay: "
                << QString::fromStdString(relayCounters.lastError()) << "; indexer: " << QString::fromStdString(s.lastError)
                << "; " << warmUp.failures.lastError << ")\n";
            return 1;
        }
    }

    std::atomic<bool> stop{false};
    Samples writes;
    std::vector<Samples> reads(static_cast<std::size_t>(readerCount));
    ProbeResult probes;
    const std::int64_t relayedBefore = relayCounters.relayed.load();
    const std::int64_t indexedBefore = metrics.search.summary().indexed;
    const auto started = Clock::now();
    std::vector<std::thread> threads;
    threads.emplace_back(writeWorkload, std::cref(wo), rate, std::cref(stop), std::ref(writes));
    for (auto &r : reads)
        threads.emplace_back(readWorkload, nodeUrl, index, std::cref(stop), std::ref(r));
    std::thread probeThread(probeWorkload, std::cref(wo), nodeUrl, index, QStringLiteral("kclprobe") + tag + QStringLiteral("n"),
                            std::cref(stop), std::ref(probes));
    std::this_thread::sleep_for(std::chrono::duration<double>(durationSec));
    stop = true;
    for (auto &t : threads)
        t.join();
    const double seconds = msSince(started) / 1000.0;
    probeThread.join(); // finishes looking for the last probes (bounded by kProbeGraceMs)
    relay.stop();
    const SearchStats indexStats = metrics.search.summary();
    indexer.stopAll();

    Samples allReads;
    for (const auto &r : reads) {
        allReads.ms.insert(allReads.ms.end(), r.ms.begin(), r.ms.end());
        allReads.tookMs.insert(allReads.tookMs.end(), r.tookMs.begin(), r.tookMs.end());
        allReads.errors += r.errors;
        if (!r.lastError.isEmpty())
            allReads.lastError = r.lastError;
    }
    const Percentiles post = percentilesOf(writes.ms), round = percentilesOf(allReads.ms), took = percentilesOf(allReads.tookMs),
                      visible = percentilesOf(probes.delaysMs);
    const double writesPerSec = static_cast<double>(writes.ms.size()) / seconds;
    const double searchesPerSec = static_cast<double>(allReads.ms.size()) / seconds;
    const QString refresh = refreshIntervalOf(nodeUrl, index);
    const std::int64_t relayed = relayCounters.relayed.load() - relayedBefore;
    const std::int64_t indexed = indexStats.indexed - indexedBefore;
    const bool allFound = probes.posted > 0 && probes.found == probes.posted;
    const QString refreshNote = QStringLiteral(
        "a new message becomes searchable at the index's next refresh (index.refresh_interval, here %1; the node's "
        "default is 1s); lower it, or bulk with ?refresh=wait_for to make each write wait for visibility").arg(refresh);

    if (p.isSet(json)) {
        const nlohmann::json report = {
            {"duration_s", seconds},
            {"cluster", bootstrap},
            {"sql", parseSqlConnection(wo.sqlConnection, &error)->describe().toStdString()},
            {"sql_schema", po.sqlSchema},
            {"search_url", nodeUrl.toStdString()},
            {"search_index", index.toStdString()},
            {"refresh_interval", refresh.toStdString()},
            {"writes", {{"count", writes.ms.size()}, {"per_s", writesPerSec}, {"rate_asked", rate}, {"latency", latencyJson(post)},
                        {"relayed", relayed}, {"indexed", indexed}, {"errors", writes.errors},
                        {"relay_failures", relayCounters.relayFailures.load()}, {"last_error", writes.lastError.toStdString()}}},
            {"searches", {{"count", allReads.ms.size()}, {"per_s", searchesPerSec}, {"readers", readerCount},
                          {"round_trip", latencyJson(round)}, {"took", latencyJson(took)}, {"errors", allReads.errors},
                          {"last_error", allReads.lastError.toStdString()}}},
            {"write_to_searchable", {{"probes", probes.posted}, {"found", probes.found}, {"interval_ms", kProbeIntervalMs},
                                     {"latency", latencyJson(visible)}, {"errors", probes.failures.errors},
                                     {"last_error", probes.failures.lastError.toStdString()}}},
            {"indexer", {{"bulk_failures", indexStats.bulkFailures}, {"dead_lettered", indexStats.deadLettered},
                         {"last_error", indexStats.lastError}}},
            {"note", refreshNote.toStdString()},
        };
        out << QString::fromStdString(report.dump(2)) << "\n";
    } else {
        out << "CQRS write vs read for " << QString::number(seconds, 'f', 1) << " s (Kafka " << QString::fromStdString(bootstrap)
            << ", PostgreSQL schema " << QString::fromStdString(po.sqlSchema) << ", search " << nodeUrl << " index " << index << ")\n"
            << "write side  (PostgreSQL + outbox -> Kafka): " << writes.ms.size() << " posts = "
            << QString::number(writesPerSec, 'f', 1) << "/s (asked " << rate << "/s), post latency p50 " << ms(post.p50)
            << ", p99 " << ms(post.p99) << "; relayed " << relayed << ", indexed " << indexed << "; errors " << writes.errors << "\n"
            << "read side   (search node, " << readerCount << " readers): " << allReads.ms.size() << " searches = "
            << QString::number(searchesPerSec, 'f', 1) << "/s, round trip p50 " << ms(round.p50) << ", p99 " << ms(round.p99)
            << " (node took p50 " << ms(took.p50) << ", p99 " << ms(took.p99) << "); errors " << allReads.errors << "\n"
            << "write-to-searchable (a probe every " << kProbeIntervalMs << " ms): " << probes.found << "/" << probes.posted
            << " found, p50 " << ms(visible.p50) << ", p99 " << ms(visible.p99) << ", max " << ms(visible.max)
            << "; errors " << probes.failures.errors << "\n"
            << "  " << refreshNote << "\n";
        for (const QString &e : {writes.lastError, allReads.lastError, probes.failures.lastError, QString::fromStdString(indexStats.lastError)})
            if (!e.isEmpty())
                out << "  last error: " << e << "\n";
    }
    if (!allFound)
        err << "kafka-collab-lab compare: " << (probes.posted - probes.found) << " of " << probes.posted
            << " probes were not searchable within " << kProbeGraceMs / 1000 << " s after the run\n";
    return allFound ? 0 : 1;
}

} // namespace kcl
