// The main window on the embedded cluster: the real engine on its own thread (EngineThread), the workload
// running for about ten seconds, and checks made through the item models (not pixels). Saves screenshots to
// <build>/screenshots; with KCL_UPDATE_DOCS_SCREENSHOTS=1 also to docs/screenshots (the README's images).
#include "QuietOffscreen.h"
#include "ClusterBar.h"
#include "ConsumerGroupModels.h"
#include "ConsumerGroupsPage.h"
#include "EngineClient.h"
#include "GuiProbe.h"
#include "ErrorBanner.h"
#include "MainWindow.h"
#include "NotificationModel.h"
#include "NotificationsPage.h"
#include "ThroughputPage.h"
#include "ThroughputTableModel.h"
#include "TimeSeriesChart.h"
#include "Toast.h"
#include "Translations.h"
#include "WorkloadControls.h"
#include "pipeline/EngineThread.h"
#include "pipeline/NotificationService.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QTabWidget>
#include <QTest>
#include <QTimer>
#include <algorithm>
#include <ctime>

using namespace kcl;
using namespace kcl::ui;
using kcl::testing::LoopProbe;
using kcl::testing::threadCpuMs;

namespace {

void saveScreenshot(QWidget *window, const QString &name)
{
    const QPixmap shot = window->grab();
    QVERIFY(!shot.isNull());
    QDir().mkpath(QStringLiteral(KCL_SCREENSHOT_DIR));
    QVERIFY(shot.save(QStringLiteral(KCL_SCREENSHOT_DIR "/%1.png").arg(name)));
    if (qEnvironmentVariable("KCL_UPDATE_DOCS_SCREENSHOTS") == QLatin1String("1")) {
        const QString docs = QStringLiteral(KCL_SOURCE_DIR "/docs/screenshots");
        QDir().mkpath(docs);
        QVERIFY(shot.save(QStringLiteral("%1/%2.png").arg(docs, name)));
    }
}

const GroupInfo *notificationGroup(const Snapshot &s)
{
    for (const GroupInfo &g : s.groups)
        if (g.groupId == kNotificationGroup)
            return &g;
    return nullptr;
}

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        kcl::test::dropOffscreenSizeHintWarnings();
        installTranslator(*qApp, QStringLiteral("ko"));
        QApplication::setFont(QFont(QStringLiteral("Noto Sans CJK KR"), 9));
    }

    void liveDashboard_onEmbeddedCluster()
    {
        PipelineOptions options;            // embedded cluster, 3 brokers, 6 partitions
        // KCL_UI_TEST_RATE raises the rate to measure the GUI thread's cost under load (the figures are printed).
        const double envRate = qEnvironmentVariable("KCL_UI_TEST_RATE").toDouble();
        options.workloadRate = envRate > 0 ? envRate : 400;
        options.mentionProbability = 0.3;
        options.notificationMembers = 2;
        EngineThread engine(options);        // declared first: outlives the window
        MainWindow window(engine.engine());
        window.resize(1400, 860);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        ThroughputTableModel *throughput = window.throughputPage()->model();
        NotificationModel *notifications = window.notificationsPage()->model();
        QAbstractItemModelTester t1(throughput, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t2(notifications, QAbstractItemModelTester::FailureReportingMode::QtTest);

        QElapsedTimer clock;
        clock.start();
        const double cpuAtStart = threadCpuMs();
        LoopProbe probe;
        engine.start();

        // The topics appear with their figures.
        QTRY_VERIFY_WITH_TIMEOUT(throughput->rowCount() >= 5, 30000);
        for (const char *topic : {"platform.messages.created", "platform.messages.updated", "platform.messages.deleted",
                                  "platform.notifications.sent", "platform.users.activity"})
            QVERIFY2(throughput->rowForTopic(QString::fromLatin1(topic)) >= 0, topic);

        // Notifications arrive in the feed, newest first.
        QTRY_VERIFY_WITH_TIMEOUT(notifications->rowCount() > 0, 30000);

        // Add a member of the notification service through the controls, as a user would.
        window.workloadControls()->requestMembers(3);
        QTRY_VERIFY_WITH_TIMEOUT(window.engineClient()->latest() && notificationGroup(*window.engineClient()->latest()) &&
                                     notificationGroup(*window.engineClient()->latest())->members.size() == 3,
                                 30000);

        // The workload follows the controls: rate, stop and start (the engine confirms through the snapshots).
        auto latest = [&] { return window.engineClient()->latest(); };
        window.workloadControls()->requestRate(250);
        QTRY_VERIFY_WITH_TIMEOUT(latest()->workloadRate == 250, 10000);
        window.workloadControls()->requestRunning(false);
        QTRY_VERIFY_WITH_TIMEOUT(!latest()->workloadRunning, 10000);
        const std::int64_t producedWhenStopped = latest()->producedTotal;
        QTest::qWait(1500);
        QVERIFY(latest()->producedTotal - producedWhenStopped < 250); // only what was in flight
        window.workloadControls()->requestRunning(true);
        QTRY_VERIFY_WITH_TIMEOUT(latest()->workloadRunning && latest()->producedPerSec > 0, 10000);
        window.workloadControls()->requestRate(int(options.workloadRate));
        QTRY_VERIFY_WITH_TIMEOUT(latest()->workloadRate == options.workloadRate, 10000);

        // The rebalance may have produced transient commit errors in the banner; the user reads and dismisses it.
        window.errorBanner()->dismiss();

        // Let it run about ten seconds in all, so the charts have history (longer for the README's images, so
        // the latency window no longer holds the start-up and the rebalance).
        const bool docs = qEnvironmentVariable("KCL_UPDATE_DOCS_SCREENSHOTS") == QLatin1String("1");
        while (clock.elapsed() < (docs ? 40000 : 12000))
            QTest::qWait(250);

        const int created = throughput->rowForTopic(QStringLiteral("platform.messages.created"));
        const int sent = throughput->rowForTopic(QStringLiteral("platform.notifications.sent"));
        auto raw = [&](int row, int column) {
            return throughput->index(row, column).data(ThroughputTableModel::RawValueRole).toDouble();
        };
        QVERIFY(raw(created, ThroughputTableModel::InPerSec) > 0);
        QVERIFY(raw(created, ThroughputTableModel::TotalOut) > 0);    // the notification service consumes it
        QVERIFY(raw(created, ThroughputTableModel::TotalIn) > 100);
        QVERIFY(raw(sent, ThroughputTableModel::TotalIn) > 0);       // notifications published
        QCOMPARE(int(raw(created, ThroughputTableModel::Partitions)), 6);

        // Chart history: one series per topic in each chart, with points.
        const ThroughputHistory &history = window.throughputPage()->history();
        QVERIFY(history.size(QStringLiteral("platform.messages.created")) >= 5);
        QVERIFY(history.size(QStringLiteral("platform.messages.created")) <= history.capacity());
        TimeSeriesChart *inChart = window.throughputPage()->inChart();
        QCOMPARE(inChart->seriesCount(), history.topics().size());
        QVERIFY(inChart->pointCount(QStringLiteral("platform.messages.created")) >= 5);
        QVERIFY(window.throughputPage()->outChart()->pointCount(QStringLiteral("platform.messages.created")) >= 5);

        // The feed: rows hold real notifications with a latency; bounded.
        QVERIFY(notifications->rowCount() <= notifications->maxRows());
        const QModelIndex top = notifications->index(0, NotificationModel::Recipient);
        QVERIFY(top.data().toString().startsWith(QStringLiteral("user_")));
        QVERIFY(notifications->index(0, NotificationModel::LatencyMs).data(NotificationModel::RawValueRole).toDouble() >= 0);
        QVERIFY(latest());
        QVERIFY(latest()->notificationsTotal > 0);
        QVERIFY(window.mentionToast()->shownCount() > 0);

        // The cluster bar shows the cluster and its brokers.
        QVERIFY(!window.clusterBar()->valueText(ClusterBar::Cluster).isEmpty());
        QVERIFY(window.clusterBar()->valueText(ClusterBar::Brokers).contains(QStringLiteral("3")));

        // Refreshes are coalesced: never more than the timer allows, whatever the snapshot count.
        const double seconds = clock.elapsed() / 1000.0;
        QVERIFY(window.engineClient()->refreshes() <= quint64(seconds * 1000.0 / window.engineClient()->refreshIntervalMs()) + 2);

        // Consumer groups: the notification service with its three members; every partition of its topic
        // owned by exactly one member (as the lag monitor reports it from the cluster).
        ConsumerGroupsModel *groups = window.consumerGroupsPage()->groupsModel();
        PartitionLagModel *partitions = window.consumerGroupsPage()->partitionsModel();
        QAbstractItemModelTester t3(groups, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t4(partitions, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QString group = QString::fromLatin1(kNotificationGroup);
        QTRY_VERIFY_WITH_TIMEOUT(groups->rowForGroup(group) >= 0 && groups->row(groups->rowForGroup(group)).totalLag >= 0 &&
                                     groups->row(groups->rowForGroup(group)).members == 3,
                                 20000);
        window.consumerGroupsPage()->selectGroup(group);
        QTRY_VERIFY_WITH_TIMEOUT(partitions->rowCount() >= 6, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (int r = 0; r < partitions->rowCount(); ++r)
                    if (partitions->index(r, PartitionLagModel::Owner).data(PartitionLagModel::RawValueRole).toString().isEmpty())
                        return false;
                return true;
            }(),
            20000);

        QVERIFY(window.consumerGroupsPage()->lagHistory().size(group) >= 2);
        // Behind another tab the chart waits; chosen, it shows the history kept meanwhile.
        window.showPage(MainWindow::ConsumerGroupsTab);
        QVERIFY(window.consumerGroupsPage()->lagChart()->pointCount(group) >= 2);

        // What the GUI thread cost, for the record (issue 6 turns these into bounds and docs/benchmarks.md).
        const double guiCpuShare = (threadCpuMs() - cpuAtStart) / double(clock.elapsed());
        qInfo("GUI thread: %.1f%% of a core over %.1f s; event-loop delay p50 %lld ms, p99 %lld ms, max %lld ms; "
              "%llu snapshots, %llu refreshes",
              guiCpuShare * 100, clock.elapsed() / 1000.0, probe.percentile(0.5), probe.percentile(0.99),
              probe.percentile(1.0), window.engineClient()->snapshotsReceived(), window.engineClient()->refreshes());
        QVERIFY2(guiCpuShare < 0.5, "the GUI thread should stay far from a full core at 400 events/s");

        // Screenshots: Korean (the default for our users) and English.
        window.showPage(MainWindow::ThroughputTab);
        QTest::qWait(400);
        saveScreenshot(&window, QStringLiteral("main-window"));
        window.showPage(MainWindow::NotificationsTab);
        QTest::qWait(400);
        saveScreenshot(&window, QStringLiteral("main-window-notifications"));
        window.showPage(MainWindow::ConsumerGroupsTab);
        QTest::qWait(400);
        saveScreenshot(&window, QStringLiteral("main-window-groups"));
        switchLanguage(QStringLiteral("en"));
        window.showPage(MainWindow::ThroughputTab);
        QTRY_COMPARE(window.tabs()->tabText(0), QStringLiteral("Throughput"));
        QTest::qWait(400);
        saveScreenshot(&window, QStringLiteral("main-window-en"));
        switchLanguage(QStringLiteral("ko"));

        // When the workload stops, the consumers catch up: lag falls to zero (as the cluster reports it).
        window.workloadControls()->requestRunning(false);
        auto groupLag = [&] {
            const int row = groups->rowForGroup(group);
            return row < 0 ? qint64(-1) : groups->row(row).totalLag;
        };
        QTRY_COMPARE_WITH_TIMEOUT(groupLag(), qint64(0), 30000);
    }

    // Responsiveness (issue 6): the workload at the cluster's limit, six members, 60 partitions per topic, the
    // Consumer groups page in view (the busiest: a row per partition). A probe timer on the GUI thread measures how
    // late it fires. The bound is generous (p99 50 ms); the figures themselves are kcl-bench-gui's, in
    // docs/benchmarks.md. Under the sanitizers the figures are printed but not bounded (everything runs 2-5x slower).
    void staysResponsiveAtTheMaximumRate()
    {
        PipelineOptions options;
        options.workloadRate = 1e7; // as fast as the cluster acknowledges
        options.partitions = 60;
        options.notificationMembers = 6;
        EngineThread engine(options);
        MainWindow window(engine.engine());
        window.resize(1400, 860);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.showPage(MainWindow::ConsumerGroupsTab);
        engine.start();
        auto latest = [&] { return window.engineClient()->latest(); };
        QTRY_VERIFY_WITH_TIMEOUT(latest() && notificationGroup(*latest()) && notificationGroup(*latest())->members.size() == 6 &&
                                     latest()->producedPerSec > 1000,
                                 60000);
        window.consumerGroupsPage()->selectGroup(QString::fromLatin1(kNotificationGroup));
        LoopProbe probe;
        const double cpuAtStart = threadCpuMs();
        QElapsedTimer clock;
        clock.start();
        const std::int64_t producedAtStart = latest()->producedTotal;
        while (clock.elapsed() < 15000)
            QTest::qWait(100);
        const double guiCpuShare = (threadCpuMs() - cpuAtStart) / double(clock.elapsed());
        const double rate = double(latest()->producedTotal - producedAtStart) * 1000.0 / double(clock.elapsed());
        qInfo("maximum rate (%.0f events/s acknowledged), 6 members, 60 partitions per topic: GUI thread %.1f%% of a core; "
              "event-loop delay p50 %lld ms, p99 %lld ms, max %lld ms over %zu samples",
              rate, guiCpuShare * 100, probe.percentile(0.5), probe.percentile(0.99), probe.percentile(1.0), probe.samples());
        QVERIFY(probe.samples() > 500); // the timer ran: the loop was not starved for seconds
#ifndef KCL_SANITIZED_BUILD
        QVERIFY2(probe.percentile(0.99) <= 50, "the GUI thread fell behind: p99 event-loop delay above 50 ms");
#endif
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
