// kcl-bench-write: the CQRS write path's figures (docs/benchmarks.md, "Write path"). Posts N messages through
// PostgreSQL + outbox + relay to Kafka, as the write side does it, and prints:
//   messages/s   from the first post to the last outbox row acknowledged by Kafka (relay running all along)
//   post         the command's own latency: the transaction with the row and the outbox row, to its commit
//   post-to-ack  outbox row created (the event's timestamp) to Kafka's acknowledgement (sent_at_ms), per row
// With --mode naive the same posts are written the guide's way (commit, then produce) for comparison: messages/s to
// the last acknowledgement, post latency (commit + enqueue), and events lost (none unless Kafka fails).
//
//   kcl-bench-write [--cluster embedded|local|HOST:PORT] [--sql CONN] [--count N] [--writers W]
//                   [--mode outbox|naive|both] [--out FILE]
//
// Each run uses a fresh schema (dropped at the end) and, on a real cluster, fresh topics. A benchmark prints and
// records figures; it never passes or fails on them.
#include "cluster/ClusterProfile.h"
#include "kafka/ClusterAdmin.h"
#include "kafka/EmbeddedCluster.h"
#include "metrics/LatencyWindow.h"
#include "metrics/PipelineMetrics.h"
#include "pipeline/OutboxRelay.h"
#include "pipeline/WriteSide.h"
#include "sinks/WriteModel.h"

#include <QCoreApplication>
#include <QRandomGenerator>
#include <QSqlQuery>
#include <QThread>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

using namespace kcl;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
    std::string cluster = "embedded";
    std::string sql = ClusterProfile::local().sqlConnection;
    int count = 5000;
    int writers = 1;
    std::string mode = "both";
    std::string out;
};

[[noreturn]] void usage(const std::string &why)
{
    std::cerr << "kcl-bench-write: " << why << "\nusage: kcl-bench-write [--cluster embedded|local|HOST:PORT] [--sql CONN] "
                 "[--count N] [--writers W] [--mode outbox|naive|both] [--out FILE]\n";
    std::exit(2);
}

double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

struct Figures {
    std::string mode;
    int count = 0, writers = 0;
    double messagesPerSec = 0;
    LatencySummary post, postToAck;
    std::int64_t lost = 0;
    nlohmann::json json() const
    {
        auto l = [](const LatencySummary &s) {
            return nlohmann::json{{"count", s.count}, {"p50_ms", s.p50}, {"p90_ms", s.p90}, {"p99_ms", s.p99}, {"max_ms", s.max}};
        };
        return {{"mode", mode}, {"count", count}, {"writers", writers}, {"messages_per_s", messagesPerSec},
                {"post_latency", l(post)}, {"post_to_ack_latency", l(postToAck)}, {"lost", lost}};
    }
};

LatencySummary summarise(std::vector<double> v)
{
    LatencySummary s;
    s.count = static_cast<std::int64_t>(v.size());
    if (v.empty())
        return s;
    s.p50 = percentile(v, 50);
    s.p90 = percentile(v, 90);
    s.p99 = percentile(v, 99);
    s.max = percentile(v, 100);
    return s;
}

// Posts `count` messages from `writers` threads (each its own connection); returns per-post latencies (ms).
std::vector<double> postAll(const WriteSideOptions &wo, WriteSideCounters &counters, int count, int writers)
{
    std::vector<double> latencies;
    std::mutex mutex;
    std::vector<std::thread> threads;
    for (int w = 0; w < writers; ++w) {
        threads.emplace_back([&, w] {
            WriteSide side(wo, counters);
            QString error;
            if (!side.open(&error)) {
                std::cerr << "kcl-bench-write: " << error.toStdString() << "\n";
                std::exit(1);
            }
            std::vector<double> mine;
            for (int i = w; i < count; i += writers) {
                const Event e = WriteModel::newMessage("ch_" + std::to_string(i % 12), "user_" + std::to_string(i % 50),
                                                       "benchmark message " + std::to_string(i) + " 배포 완료", {}, wallClockMs());
                const auto t0 = Clock::now();
                const WriteResult r = side.submit(e);
                mine.push_back(seconds(Clock::now() - t0) * 1000);
                if (!r.ok) {
                    std::cerr << "kcl-bench-write: " << r.error.toStdString() << "\n";
                    std::exit(1);
                }
                side.poll();
            }
            side.flush(60000);
            std::lock_guard lock(mutex);
            latencies.insert(latencies.end(), mine.begin(), mine.end());
        });
    }
    for (auto &t : threads)
        t.join();
    return latencies;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc)
                usage(a + " needs a value");
            return argv[++i];
        };
        if (a == "--cluster") o.cluster = value();
        else if (a == "--sql") o.sql = value();
        else if (a == "--count") o.count = std::max(1, std::atoi(value().c_str()));
        else if (a == "--writers") o.writers = std::clamp(std::atoi(value().c_str()), 1, 64);
        else if (a == "--mode") o.mode = value();
        else if (a == "--out") o.out = value();
        else usage("unknown option " + a);
    }
    if (o.mode != "outbox" && o.mode != "naive" && o.mode != "both")
        usage("--mode must be outbox, naive or both");
    QString error;
    auto profile = ClusterProfile::fromCliArgument(QString::fromStdString(o.cluster), &error);
    if (!profile)
        usage("--cluster: " + error.toStdString());

    std::unique_ptr<EmbeddedCluster> embedded;
    std::string bootstrap = profile->bootstrapServers;
    const std::string tag = std::to_string(QRandomGenerator::global()->generate());
    MessageTopics topics;
    topics.created = "kcl-bench-write.created." + tag;
    topics.updated = "kcl-bench-write.updated." + tag;
    topics.deleted = "kcl-bench-write.deleted." + tag;
    if (profile->kind == ClusterProfile::Kind::Embedded) {
        embedded = std::make_unique<EmbeddedCluster>(3);
        bootstrap = embedded->bootstrapServers();
        for (const auto &t : {topics.created, topics.updated, topics.deleted})
            embedded->createTopic(t, 6, 3);
    } else {
        ClusterAdmin admin(profile->clientProperties(bootstrap));
        ClusterMetadata md;
        if (auto e = admin.metadata(md, 10000)) {
            std::cerr << "kcl-bench-write: Kafka at " << bootstrap << " did not answer: " << e.sentence() << "\n";
            return 1;
        }
        const int rf = std::max(1, std::min<int>(3, static_cast<int>(md.brokers.size())));
        if (auto e = admin.ensureTopics({topics.created, topics.updated, topics.deleted}, 6, rf)) {
            std::cerr << "kcl-bench-write: creating the topics failed: " << e.sentence() << "\n";
            return 1;
        }
    }
    auto producerProps = profile->clientProperties(bootstrap);
    producerProps["log_level"] = "3";

    SqlSession admin(o.sql, QStringLiteral("bench-admin"));
    if (!admin.open(&error)) {
        std::cerr << "kcl-bench-write: " << error.toStdString() << "\n";
        return 1;
    }
    std::printf("write path: %d messages, %d writer(s), Kafka %s, PostgreSQL %s\n", o.count, o.writers,
                profile->kind == ClusterProfile::Kind::Embedded ? "embedded (3 brokers)" : bootstrap.c_str(),
                parseSqlConnection(o.sql, nullptr)->describe().toStdString().c_str());
    std::vector<Figures> results;
    for (const std::string mode : {"outbox", "naive"}) {
        if (o.mode != "both" && o.mode != mode)
            continue;
        const QString schema = QStringLiteral("kcl_bench_write_%1_%2").arg(QString::fromStdString(mode), QString::fromStdString(tag));
        WriteSideOptions wo;
        wo.mode = mode == "outbox" ? WriteMode::Outbox : WriteMode::Naive;
        wo.sqlConnection = o.sql;
        wo.schema = schema;
        wo.topics = topics;
        wo.producerProperties = producerProps;
        wo.naiveMessageTimeoutMs = 30000;
        {
            WriteModel migrate(o.sql, schema, topics); // migrations outside the timed part
            if (!migrate.open(&error)) {
                std::cerr << "kcl-bench-write: " << error.toStdString() << "\n";
                return 1;
            }
        }
        WriteSideCounters counters;
        std::unique_ptr<OutboxRelay> relay;
        if (wo.mode == WriteMode::Outbox) {
            OutboxRelayOptions ro;
            ro.sqlConnection = o.sql;
            ro.schema = schema;
            ro.producerProperties = producerProps;
            ro.idlePollMs = 5;
            relay = std::make_unique<OutboxRelay>(ro, counters);
            relay->start();
        }
        const auto t0 = Clock::now();
        std::vector<double> post = postAll(wo, counters, o.count, o.writers);
        if (relay) {
            while (counters.relayed.load() < o.count && seconds(Clock::now() - t0) < 300)
                std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        const double elapsed = seconds(Clock::now() - t0);
        relay.reset();
        Figures f;
        f.mode = mode;
        f.count = o.count;
        f.writers = o.writers;
        f.messagesPerSec = o.count / elapsed;
        f.post = summarise(std::move(post));
        if (wo.mode == WriteMode::Outbox) {
            std::vector<double> lag;
            QSqlQuery q(admin.db());
            q.exec(QStringLiteral("SELECT sent_at_ms - created_at_ms FROM %1.outbox WHERE sent_at_ms IS NOT NULL").arg(schema));
            while (q.next())
                lag.push_back(q.value(0).toDouble());
            f.postToAck = summarise(std::move(lag));
            f.lost = o.count - counters.relayed.load();
        } else {
            f.lost = counters.naiveLost.load();
        }
        std::printf("%-6s %8.0f messages/s | post p50 %.2f ms p99 %.2f ms", mode.c_str(), f.messagesPerSec, f.post.p50, f.post.p99);
        if (f.postToAck.count)
            std::printf(" | post-to-ack p50 %.0f ms p99 %.0f ms (n=%lld)", f.postToAck.p50, f.postToAck.p99,
                        static_cast<long long>(f.postToAck.count));
        std::printf(" | lost %lld\n", static_cast<long long>(f.lost));
        std::fflush(stdout);
        results.push_back(f);
        QSqlQuery drop(admin.db());
        drop.exec(QStringLiteral("DROP SCHEMA %1 CASCADE").arg(schema));
    }
    if (!o.out.empty()) {
        nlohmann::json j = nlohmann::json::array();
        for (const auto &f : results)
            j.push_back(f.json());
        std::ofstream(o.out) << j.dump(2) << "\n";
    }
    return 0;
}
