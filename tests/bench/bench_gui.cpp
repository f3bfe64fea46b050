// kcl-bench-gui: what the main window costs while the pipeline runs (on the embedded cluster by default). It opens the window
// (offscreen when there is no display), starts the engine with the given rate, partitions and groups, waits for the
// warm-up, then measures for the given time: the GUI thread's CPU share, the event-loop delay (how late a 10 ms
// timer fires: p50/p99/max), the events/s the cluster acknowledged, and the process's resident memory. It prints
// one line and writes the figures as JSON (--json FILE). A benchmark: it never fails on a figure.
// For long runs (--report-every S) it also prints and records one line per interval: resident memory, events/s and
// the event-loop delay of that interval, so memory growth and the cost of a long chart history show over time.
//
// On a real cluster (--cluster local|HOST:PORT) the lag monitor covers every group there, so --idle-groups N adds N
// groups without members (offsets committed on every partition of the guide's topics) to reach, for example, the
// issue's 10 groups over 1,000 partitions: --cluster local --partitions 167 --services --idle-groups 6.
//
//   kcl-bench-gui [--rate N|max] [--partitions P] [--members M] [--services] [--seconds S] [--page NAME]
//                 [--chart-minutes 5|15|60] [--report-every S] [--cluster embedded|local|HOST:PORT] [--idle-groups N]
//                 [--json FILE]
#include "EngineClient.h"
#include "GuiProbe.h"
#include "DashboardPage.h"
#include "MainWindow.h"
#include "ThroughputPage.h"
#include "Translations.h"
#include "events/Topics.h"
#include "kafka/OffsetReset.h"
#include "metrics/HeapTrimmer.h"
#include "pipeline/EngineThread.h"
#include "pipeline/NotificationService.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QTabWidget>
#include <QTest>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <string>
#include <unistd.h>

using namespace kcl;
using namespace kcl::ui;

namespace {

double residentMiB() { return double(HeapTrimmer::residentBytes()) / (1024.0 * 1024.0); }

// What malloc holds (HeapTrimmer::heapFigures), to tell live growth from memory freed but kept by the allocator,
// which resident memory alone cannot: in use = allocated and not freed; free = freed inside the heaps.
struct HeapFigures {
    double inUseMiB = 0;
    double freeMiB = 0;
};

HeapFigures heapFigures()
{
    const auto h = HeapTrimmer::heapFigures();
    constexpr double MiB = 1024.0 * 1024.0;
    return {double(h.inUseBytes) / MiB, double(h.freeBytes) / MiB};
}

nlohmann::json trimJson()
{
    const auto c = HeapTrimmer::counters();
    return {{"trims", c.trims}, {"returned_mib", double(c.bytesReturned) / (1024.0 * 1024.0)}, {"max_trim_ms", double(c.maxTrimMicros) / 1000.0}};
}

// Groups with committed offsets and no members: each at the log start of every partition of the guide's topics, so
// each is a group the lag monitor lists, describes and computes lag for every cycle, like a stopped service's group.
std::string commitIdleGroups(const ClusterProfile &cluster, int count)
{
    const std::vector<std::string> guideTopics(topics::kAll.begin(), topics::kAll.end());
    for (int g = 1; g <= count; ++g) {
        const std::string group = "kcl-bench-idle-" + std::to_string(g);
        if (const auto e = resetGroupOffsets(cluster.clientProperties(""), group, guideTopics, OffsetResetTarget::Earliest, nullptr, 15000))
            return "commit for " + group + ": " + e.sentence();
    }
    return {};
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCommandLineParser p;
    p.addHelpOption();
    const QCommandLineOption rate(QStringLiteral("rate"), QStringLiteral("Events/s, or max (default 1000)."), QStringLiteral("N"), QStringLiteral("1000"));
    const QCommandLineOption partitions(QStringLiteral("partitions"), QStringLiteral("Partitions per topic (default 6)."), QStringLiteral("P"), QStringLiteral("6"));
    const QCommandLineOption members(QStringLiteral("members"), QStringLiteral("notification-service members (default 6)."), QStringLiteral("M"), QStringLiteral("6"));
    const QCommandLineOption services(QStringLiteral("services"), QStringLiteral("Also run analytics, archive and the state rebuilder (more groups)."));
    const QCommandLineOption seconds(QStringLiteral("seconds"), QStringLiteral("Measured time after a 10 s warm-up (default 30)."), QStringLiteral("S"), QStringLiteral("30"));
    const QCommandLineOption page(QStringLiteral("page"), QStringLiteral("The tab shown: throughput (default), groups, notifications, overview, pipeline."), QStringLiteral("NAME"), QStringLiteral("throughput"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Write the figures to FILE."), QStringLiteral("FILE"));
    const QCommandLineOption chartMinutes(QStringLiteral("chart-minutes"), QStringLiteral("The throughput charts' window: 5 (default), 15 or 60 minutes."), QStringLiteral("M"), QStringLiteral("5"));
    const QCommandLineOption cluster(QStringLiteral("cluster"), QStringLiteral("embedded (default), local or HOST:PORT[,HOST:PORT]."), QStringLiteral("X"), QStringLiteral("embedded"));
    const QCommandLineOption idleGroups(QStringLiteral("idle-groups"), QStringLiteral("Real clusters: add N groups without members (default 0)."), QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption reportEvery(QStringLiteral("report-every"), QStringLiteral("Print and record one line every S seconds (default: only at the end)."), QStringLiteral("S"), QStringLiteral("0"));
    const QCommandLineOption slowMs(QStringLiteral("slow-ms"), QStringLiteral("Slow notification-service: N ms per record from the start (default 0), so the group falls behind and its members' pre-fetch fills."), QStringLiteral("N"), QStringLiteral("0"));
    for (const auto &o : {rate, partitions, members, services, seconds, page, json, chartMinutes, reportEvery, cluster, idleGroups, slowMs})
        p.addOption(o);
    p.process(app);

    const bool max = p.value(rate) == QStringLiteral("max");
    PipelineOptions options;
    options.workloadRate = max ? 1e7 : p.value(rate).toDouble(); // "max": as fast as the cluster acknowledges
    options.partitions = std::max(1, p.value(partitions).toInt());
    options.notificationMembers = std::max(1, p.value(members).toInt());
    QString clusterError;
    const auto profile = ClusterProfile::fromCliArgument(p.value(cluster), &clusterError);
    if (!profile) {
        std::fprintf(stderr, "kcl-bench-gui: %s\n", qPrintable(clusterError));
        return 2;
    }
    options.cluster = *profile;
    const int idle = std::max(0, p.value(idleGroups).toInt());
    if (idle > 0 && options.cluster.kind == ClusterProfile::Kind::Embedded) {
        std::fprintf(stderr, "kcl-bench-gui: --idle-groups needs a real cluster (--cluster local or HOST:PORT): "
                             "the embedded cluster's monitor sees only the app's own groups\n");
        return 2;
    }
    if (p.isSet(services)) {
        options.services.analyticsMembers = 1;
        options.services.archiveMembers = 1;
        options.services.archiveDirectory = (QDir::tempPath() + QStringLiteral("/kcl-bench-gui-archive")).toStdString();
        options.services.rebuilderMembers = 1;
    }
    installTranslator(app, QStringLiteral("ko"));

    EngineThread engine(options); // declared first: outlives the window
    MainWindow window(engine.engine());
    window.resize(1400, 860);
    window.show();
    if (!QTest::qWaitForWindowExposed(&window)) {
        std::fprintf(stderr, "kcl-bench-gui: the window was never exposed\n");
        return 1;
    }
    if (DashboardPage *shown = window.pageNamed(p.value(page)))
        window.tabs()->setCurrentWidget(shown);
    if (auto *throughput = qobject_cast<ThroughputPage *>(window.pageNamed(QStringLiteral("throughput"))))
        throughput->setWindowMinutes(p.value(chartMinutes).toInt());
    engine.start();
    if (const int slow = std::max(0, p.value(slowMs).toInt()); slow > 0)
        QMetaObject::invokeMethod(engine.engine(), "setProcessingDelayMs", Qt::QueuedConnection,
                                  Q_ARG(QString, QString::fromLatin1(kNotificationGroup)), Q_ARG(int, slow));
    QTest::qWait(10000); // warm-up: the cluster, the groups' first rebalances, the charts' first points
    if (idle > 0) {
        // Before the measurement: this blocks the GUI thread for the commits.
        if (const std::string e = commitIdleGroups(options.cluster, idle); !e.empty()) {
            std::fprintf(stderr, "kcl-bench-gui: the idle groups could not be made: %s\n", e.c_str());
            return 1;
        }
        QTest::qWait(5000); // the lag monitor's next cycles take them in
    }

    // The probe is emptied every interval (its samples would otherwise grow the memory being measured); the whole
    // run's delays go into a histogram of 1 ms bins (the last bin: 1 s and more).
    kcl::testing::LoopProbe probe;
    std::array<std::uint64_t, 1001> delayHistogram{};
    std::uint64_t delaySamples = 0;
    const auto drainProbe = [&] {
        for (const qint64 d : probe.delays())
            ++delayHistogram[std::size_t(std::min<qint64>(d, 1000))];
        delaySamples += probe.delays().size();
        probe.reset();
    };
    const auto overallDelay = [&](double q) -> qint64 {
        if (delaySamples == 0)
            return 0;
        const auto rank = std::min<std::uint64_t>(delaySamples - 1, std::uint64_t(q * double(delaySamples)));
        std::uint64_t seen = 0;
        for (std::size_t ms = 0; ms < delayHistogram.size(); ++ms)
            if ((seen += delayHistogram[ms]) > rank)
                return qint64(ms);
        return 1000;
    };
    const auto first = window.engineClient()->latest();
    const std::int64_t producedBefore = first ? first->producedTotal : 0;
    const double cpuBefore = kcl::testing::threadCpuMs();
    QElapsedTimer clock;
    clock.start();
    const int measureMs = std::max(1, p.value(seconds).toInt()) * 1000;
    const qint64 intervalMs = std::max(0, p.value(reportEvery).toInt()) * 1000LL;
    nlohmann::json intervals = nlohmann::json::array();
    qint64 intervalStart = 0;
    std::int64_t intervalProduced = producedBefore;
    double intervalCpu = cpuBefore;
    while (clock.elapsed() < measureMs) {
        QTest::qWait(100);
        if (intervalMs > 0 && clock.elapsed() - intervalStart >= intervalMs) {
            const qint64 now = clock.elapsed();
            const auto snap = window.engineClient()->latest();
            const std::int64_t produced = snap ? snap->producedTotal : intervalProduced;
            const double cpu = kcl::testing::threadCpuMs();
            const double span = double(now - intervalStart);
            const HeapFigures heap = heapFigures();
            // Records the cluster's logs hold, per topic (end minus log start, from the lag monitor): on the embedded
            // cluster those logs live in this process, so their fill shows in the heap until librdkafka's mock
            // retention (about 5 MB or 100,000 message sets per partition) starts dropping the oldest.
            nlohmann::json held = nlohmann::json::object();
            std::int64_t heldTotal = 0;
            // And how far behind the groups are: a group that is behind keeps its members' pre-fetch full.
            std::int64_t groupLag = 0;
            if (snap && snap->lag) {
                for (const auto &t : snap->lag->topics) {
                    held[t.topic] = t.messages;
                    heldTotal += t.messages;
                }
                for (const auto &g : snap->lag->groups)
                    groupLag += g.totalLag;
            }
            const nlohmann::json line = {{"t_s", double(now) / 1000},
                                         {"cluster_holds_records", heldTotal},
                                         {"cluster_holds_per_topic", held},
                                         {"group_lag_records", groupLag},
                                         {"resident_mib", residentMiB()},
                                         {"heap_in_use_mib", heap.inUseMiB},
                                         {"heap_free_mib", heap.freeMiB},
                                         {"heap_trims", trimJson()},
                                         {"produced_per_s", double(produced - intervalProduced) * 1000.0 / span},
                                         {"gui_cpu_share", (cpu - intervalCpu) / span},
                                         {"loop_delay_ms", {{"p50", probe.percentile(0.5)}, {"p99", probe.percentile(0.99)}, {"max", probe.percentile(1.0)}}}};
            std::printf("kcl-bench-gui: %6.0f s: resident %.0f MiB (heap in use %.0f, freed but kept %.0f; %llu trims so far, the longest %.1f ms), cluster holds %lld records, groups behind by %lld, %.0f events/s, GUI thread %.1f%%, event-loop delay p50 %lld / p99 %lld / max %lld ms\n",
                        line["t_s"].get<double>(), line["resident_mib"].get<double>(), heap.inUseMiB, heap.freeMiB,
                        static_cast<unsigned long long>(HeapTrimmer::counters().trims), double(HeapTrimmer::counters().maxTrimMicros) / 1000.0,
                        static_cast<long long>(heldTotal), static_cast<long long>(groupLag),
                        line["produced_per_s"].get<double>(),
                        line["gui_cpu_share"].get<double>() * 100, probe.percentile(0.5), probe.percentile(0.99), probe.percentile(1.0));
            std::fflush(stdout);
            intervals.push_back(line);
            drainProbe();
            intervalStart = now;
            intervalProduced = produced;
            intervalCpu = cpu;
        }
    }
    drainProbe();
    const double elapsedMs = double(clock.elapsed());
    const double guiCpu = (kcl::testing::threadCpuMs() - cpuBefore) / elapsedMs;
    const auto last = window.engineClient()->latest();
    const double producedPerSec = last ? double(last->producedTotal - producedBefore) * 1000.0 / elapsedMs : 0;
    int groups = 0, allPartitions = 0, monitoredGroups = 0, lagRows = 0;
    double monitorCycleMs = 0;
    if (last) {
        groups = int(last->groups.size());
        for (const auto &t : last->topics)
            allPartitions += t.partitions;
        if (last->lag) {
            monitoredGroups = int(last->lag->groups.size());
            for (const auto &g : last->lag->groups)
                lagRows += int(g.rows.size());
            monitorCycleMs = last->lag->cycleMs;
        }
    }
    const double rss = residentMiB();

    std::printf("kcl-bench-gui: rate %s, %d partitions in all, %d groups, page %s: produced %.0f events/s; GUI thread "
                "%.1f%% of a core; event-loop delay p50 %lld ms, p99 %lld ms, max %lld ms (%zu samples over %.0f s); "
                "%llu snapshots, %llu refreshes; resident %.0f MiB; lag monitor: %d groups, %d partition rows, last cycle %.0f ms\n",
                qPrintable(p.value(rate)), allPartitions, groups, qPrintable(p.value(page)), producedPerSec, guiCpu * 100,
                overallDelay(0.5), overallDelay(0.99), overallDelay(1.0), static_cast<std::size_t>(delaySamples), elapsedMs / 1000,
                static_cast<unsigned long long>(window.engineClient()->snapshotsReceived()),
                static_cast<unsigned long long>(window.engineClient()->refreshes()), rss, monitoredGroups, lagRows, monitorCycleMs);
    if (p.isSet(json)) {
        const nlohmann::json j = {{"rate", p.value(rate).toStdString()},
                                  {"partitions_per_topic", options.partitions},
                                  {"partitions_total", allPartitions},
                                  {"groups", groups},
                                  {"cluster", options.cluster.describe().toStdString()},
                                  {"idle_groups", idle},
                                  {"monitored_groups", monitoredGroups},
                                  {"lag_rows", lagRows},
                                  {"monitor_cycle_ms", monitorCycleMs},
                                  {"members", options.notificationMembers},
                                  {"page", p.value(page).toStdString()},
                                  {"seconds", elapsedMs / 1000},
                                  {"produced_per_s", producedPerSec},
                                  {"gui_cpu_share", guiCpu},
                                  {"loop_delay_ms", {{"p50", overallDelay(0.5)}, {"p99", overallDelay(0.99)}, {"max", overallDelay(1.0)}}},
                                  {"chart_minutes", p.value(chartMinutes).toInt()},
                                  {"resident_mib", rss},
                                  {"heap_in_use_mib", heapFigures().inUseMiB},
                                  {"heap_free_mib", heapFigures().freeMiB},
                                  {"heap_trims", trimJson()},
                                  {"intervals", intervals}};
        QFile f(p.value(json));
        if (f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            f.write(QByteArray::fromStdString(j.dump(2) + "\n"));
    }
    return 0;
}
