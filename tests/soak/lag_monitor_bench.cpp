// kcl-lagbench: one LagMonitor cycle for many partitions and groups on a real cluster, against the time Kafka's
// own `kafka-consumer-groups --describe --all-groups` takes for the same answer. Prints and records figures.
//   kcl-lagbench [--bootstrap 127.0.0.1:9092] [--topics 10] [--partitions 100] [--groups 10] [--out FILE.json]
#include "kafka/ClusterAdmin.h"
#include "kafka/Handles.h"
#include "kafka/Producer.h"
#include "metrics/LagMonitor.h"
#include "metrics/PipelineMetrics.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    std::string bootstrap = "127.0.0.1:9092";
    int topics = 10, partitions = 100, groups = 10;
    QString outPath;
    const QStringList a = QCoreApplication::arguments();
    for (int i = 1; i + 1 < a.size(); i += 2) {
        if (a[i] == QStringLiteral("--bootstrap")) bootstrap = a[i + 1].toStdString();
        else if (a[i] == QStringLiteral("--topics")) topics = a[i + 1].toInt();
        else if (a[i] == QStringLiteral("--partitions")) partitions = a[i + 1].toInt();
        else if (a[i] == QStringLiteral("--groups")) groups = a[i + 1].toInt();
        else if (a[i] == QStringLiteral("--out")) outPath = a[i + 1];
    }
    const std::map<std::string, std::string> props{{"bootstrap.servers", bootstrap}, {"log_level", "3"}};
    const std::string tag = std::to_string(QRandomGenerator::global()->generate() % 100000);
    std::vector<std::string> names;
    for (int t = 0; t < topics; ++t)
        names.push_back("kcl-lagbench-" + tag + "-" + std::to_string(t));
    kcl::ClusterAdmin admin(props);
    if (auto e = admin.ensureTopics(names, partitions, 1, 60000)) {
        std::fprintf(stderr, "creating topics: %s\n", e.sentence().c_str());
        return 1;
    }
    kcl::PipelineMetrics metrics;
    {
        kcl::Producer p(props, "lagbench-producer", metrics);
        for (const auto &n : names)
            for (int part = 0; part < partitions; ++part)
                for (int i = 0; i < 3; ++i) {
                    rd_kafka_producev(p.handle(), RD_KAFKA_V_TOPIC(n.c_str()), RD_KAFKA_V_PARTITION(part),
                                      RD_KAFKA_V_VALUE(const_cast<char *>("x"), 1), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
                    p.poll(0);
                }
        p.flush(60000);
    }
    // Each group commits an offset on every partition of one topic (group g reads topic g % topics).
    for (int g = 0; g < groups; ++g) {
        auto cp = props;
        cp["group.id"] = "kcl-lagbench-" + tag + "-g" + std::to_string(g);
        kcl::KafkaHandle rk = kcl::makeHandle(RD_KAFKA_CONSUMER, kcl::makeConf(cp));
        kcl::TopicPartitionListHandle list(rd_kafka_topic_partition_list_new(partitions));
        for (int part = 0; part < partitions; ++part)
            rd_kafka_topic_partition_list_add(list.get(), names[static_cast<std::size_t>(g % topics)].c_str(), part)->offset = 1;
        if (auto err = rd_kafka_commit(rk.get(), list.get(), 0))
            std::fprintf(stderr, "commit for group %d: %s\n", g, rd_kafka_err2name(err));
        rd_kafka_consumer_close(rk.get());
    }
    kcl::LagMonitor::Options o;
    o.clusterProperties = props;
    kcl::LagMonitor mon(o);
    std::vector<double> cycles;
    std::size_t rows = 0;
    for (int i = 0; i < 11; ++i) {
        const kcl::LagReport r = mon.cycle();
        if (i == 0)
            continue; // the first cycle connects to every broker
        cycles.push_back(r.cycleMs);
        rows = 0;
        for (const auto &g : r.groups)
            rows += g.rows.size();
    }
    std::sort(cycles.begin(), cycles.end());
    const double median = cycles[cycles.size() / 2];
    QElapsedTimer t;
    t.start();
    QProcess tool;
    tool.start(QStringLiteral("bash"), {QStringLiteral(KCL_RESOURCES_DIR "/stack/labstack.sh"), QStringLiteral("tool"),
                                        QStringLiteral("kafka-consumer-groups"), QStringLiteral("--bootstrap-server"),
                                        QString::fromStdString(bootstrap), QStringLiteral("--describe"), QStringLiteral("--all-groups")});
    tool.waitForFinished(300000);
    const double toolMs = static_cast<double>(t.elapsed());
    const auto toolLines = QString::fromUtf8(tool.readAllStandardOutput()).count(QStringLiteral("kcl-lagbench-") + QString::fromStdString(tag) + QStringLiteral("-g"));
    std::printf("lag monitor cycle: median %.1f ms (min %.1f, max %.1f) for %zu partition rows in %d groups over %d topics x %d partitions\n",
                median, cycles.front(), cycles.back(), rows, groups, topics, partitions);
    std::printf("kafka-consumer-groups --describe --all-groups: %.0f ms (JVM start included), %lld rows of these groups\n", toolMs,
                static_cast<long long>(toolLines));
    nlohmann::json out{{"cycle_ms_median", median}, {"cycle_ms_min", cycles.front()}, {"cycle_ms_max", cycles.back()},
                       {"rows", rows}, {"groups", groups}, {"topics", topics}, {"partitions_per_topic", partitions},
                       {"kafka_consumer_groups_ms", toolMs}, {"tool_rows", toolLines}};
    if (!outPath.isEmpty()) {
        QFile f(outPath);
        if (f.open(QIODevice::WriteOnly))
            f.write(QByteArray::fromStdString(out.dump(2)));
    }
    return 0;
}
