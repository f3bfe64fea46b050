// kcl-soak: runs the whole pipeline (workload, notification service, lag monitor, snapshots at 4 Hz) for a long
// time at a high rate and records the process's resident memory each minute, to show that memory stays flat.
// Like the app's engine thread, it gives freed memory back every 10 s (HeapTrimmer), and it records what malloc
// holds in use, so a fill tells from a leak.
// A program that prints and records figures, not a pass/fail test.
//   kcl-soak [--minutes 60] [--rate 20000] [--out FILE.json]
#include "metrics/HeapTrimmer.h"
#include "pipeline/Pipeline.h"

#include <QCoreApplication>
#include <QFile>
#include <QThread>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    double minutes = 60, rate = 20000;
    QString outPath;
    const QStringList a = QCoreApplication::arguments();
    for (int i = 1; i + 1 < a.size(); i += 2) {
        if (a[i] == QStringLiteral("--minutes"))
            minutes = a[i + 1].toDouble();
        else if (a[i] == QStringLiteral("--rate"))
            rate = a[i + 1].toDouble();
        else if (a[i] == QStringLiteral("--out"))
            outPath = a[i + 1];
    }
    kcl::PipelineOptions o;
    o.workloadRate = rate;
    o.notificationMembers = 2;
    kcl::Pipeline pipeline(o);
    pipeline.start();
    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    nlohmann::json samples = nlohmann::json::array();
    int nextMinute = 0;
    std::uint64_t rounds = 0;
    kcl::SnapshotPtr last;
    while (std::chrono::duration<double>(Clock::now() - start).count() < minutes * 60) {
        last = pipeline.buildSnapshot();
        const double elapsedMin = std::chrono::duration<double>(Clock::now() - start).count() / 60;
        if (++rounds % 40 == 0) // every 10 s, as PipelineEngine does
            kcl::HeapTrimmer::trimIfWorthIt();
        if (elapsedMin >= nextMinute) {
            const long rss = static_cast<long>(kcl::HeapTrimmer::residentBytes() / 1024);
            const auto heap = kcl::HeapTrimmer::heapFigures();
            std::printf("minute %3d  rss %7.1f MiB (heap in use %.1f MiB)  produced %lld (%.0f/s)  notifications %lld  lag-monitor cycle %.1f ms\n",
                        nextMinute, rss / 1024.0, double(heap.inUseBytes) / (1 << 20), static_cast<long long>(last->producedTotal),
                        last->producedPerSec, static_cast<long long>(last->notificationsTotal), last->lag ? last->lag->cycleMs : 0.0);
            std::fflush(stdout);
            samples.push_back({{"minute", nextMinute}, {"rss_kib", rss}, {"heap_in_use_kib", heap.inUseBytes / 1024},
                               {"produced", last->producedTotal}, {"produced_per_s", last->producedPerSec},
                               {"notifications", last->notificationsTotal}});
            ++nextMinute;
        }
        QThread::msleep(250);
    }
    pipeline.stop();
    nlohmann::json out{{"rate", rate}, {"minutes", minutes}, {"samples", samples}};
    if (samples.size() > 5) {
        const double at5 = samples[5]["rss_kib"].get<double>();
        const double atEnd = samples.back()["rss_kib"].get<double>();
        out["growth_after_minute_5_mib"] = (atEnd - at5) / 1024.0;
        std::printf("growth between minute 5 and %d: %.1f MiB\n", samples.back()["minute"].get<int>(), (atEnd - at5) / 1024.0);
    }
    if (!outPath.isEmpty()) {
        QFile f(outPath);
        if (f.open(QIODevice::WriteOnly))
            f.write(QByteArray::fromStdString(out.dump(2)));
    }
    return 0;
}
