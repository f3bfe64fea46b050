// The pipeline controls page on the embedded cluster, driven through its widgets as a user would (buttons found by
// object name, clicked with QTest): members +/- and start/stop, a slowed consumer building lag and draining it, a
// broker stopped and started, messages sent without a key, and a group rewound. Every effect is read back from the
// engine's snapshots, not from the widgets that asked for it.
#include "EngineClient.h"
#include "MainWindow.h"
#include "PipelinePage.h"
#include "Translations.h"
#include "pipeline/EngineThread.h"
#include "pipeline/NotificationService.h"

#include <QApplication>
#include <QCheckBox>
#include <QDir>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QTest>
#include <QToolButton>

using namespace kcl;
using namespace kcl::ui;

namespace {

const GroupInfo *group(const SnapshotPtr &s, const std::string &service)
{
    if (!s)
        return nullptr;
    for (const GroupInfo &g : s->groups)
        if (g.service == service)
            return &g;
    return nullptr;
}

std::int64_t lagOf(const SnapshotPtr &s, const std::string &groupId)
{
    if (!s || !s->lag)
        return -1;
    for (const auto &g : s->lag->groups)
        if (g.groupId == groupId)
            return g.totalLag;
    return -1;
}

bool brokerUp(const SnapshotPtr &s, int id)
{
    for (const auto &b : s->brokers)
        if (b.id == id)
            return b.up;
    return false;
}

} // namespace

class TestPipelinePage : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        installTranslator(*qApp, QStringLiteral("ko"));
        QApplication::setFont(QFont(QStringLiteral("Noto Sans CJK KR"), 9));
    }

    void controlsDriveThePipeline()
    {
        PipelineOptions options; // embedded cluster, 3 brokers, 6 partitions
        options.workloadRate = 300;
        options.notificationMembers = 1;
        EngineThread engine(options);
        MainWindow window(engine.engine());
        window.resize(1400, 860);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        engine.start();
        PipelinePage *page = window.pipelinePage();
        QVERIFY(page);
        window.tabs()->setCurrentWidget(page);
        auto latest = [&] { return window.engineClient()->latest(); };
        const QString svc = QString::fromLatin1(kNotificationGroup);
        const std::string svcId = kNotificationGroup;

        QTRY_VERIFY_WITH_TIMEOUT(page->services().contains(svc), 30000);
        QTRY_COMPARE_WITH_TIMEOUT(page->shownMembers(svc), 1, 30000);

        // + adds a member: the group has two.
        auto *plus = page->findChild<QToolButton *>(svc + QStringLiteral(".plus"));
        QVERIFY(plus && plus->isEnabled());
        QTest::mouseClick(plus, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(group(latest(), svcId) && group(latest(), svcId)->members.size() == 2, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(page->shownMembers(svc), 2, 10000);

        // A delay of 20 ms per record: two members handle ~100/s of the ~200/s message.created: lag builds.
        auto *delay = page->findChild<QSpinBox *>(svc + QStringLiteral(".delay"));
        QVERIFY(delay);
        QTRY_VERIFY_WITH_TIMEOUT(delay->isEnabled(), 10000);
        delay->setValue(20);
        QTRY_VERIFY_WITH_TIMEOUT(group(latest(), svcId)->processingDelayMs == 20, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(lagOf(latest(), svcId) > 300, 30000);
        delay->setValue(0);
        QTRY_VERIFY_WITH_TIMEOUT(group(latest(), svcId)->processingDelayMs == 0, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(lagOf(latest(), svcId) >= 0 && lagOf(latest(), svcId) < 100, 45000);

        // Broker 2 stopped and started from its switch.
        auto *broker2 = page->findChild<QCheckBox *>(QStringLiteral("broker.2"));
        QVERIFY(broker2 && broker2->isEnabled() && broker2->isChecked());
        const QPoint indicator(8, broker2->height() / 2); // a check box takes clicks on its box and label only
        QTest::mouseClick(broker2, Qt::LeftButton, {}, indicator);
        QTRY_VERIFY_WITH_TIMEOUT(!brokerUp(latest(), 2), 10000);
        QTest::mouseClick(broker2, Qt::LeftButton, {}, indicator);
        QTRY_VERIFY_WITH_TIMEOUT(brokerUp(latest(), 2), 10000);

        // Without a key a channel's messages spread over partitions and arrive out of order.
        auto *keyed = page->findChild<QCheckBox *>(QStringLiteral("keyedByChannel"));
        QVERIFY(keyed && keyed->isChecked());
        QTest::mouseClick(keyed, Qt::LeftButton, {}, QPoint(8, keyed->height() / 2));
        QTRY_VERIFY_WITH_TIMEOUT(!latest()->workloadKeyed, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(latest()->orderViolations > 0, 30000);
        QTest::mouseClick(keyed, Qt::LeftButton, {}, QPoint(8, keyed->height() / 2));
        QTRY_VERIFY_WITH_TIMEOUT(latest()->workloadKeyed, 10000);

        // Rewind: the group's offsets go back to the start and it notifies the old mentions again.
        const std::int64_t duplicatesBefore = latest()->notificationDuplicates;
        auto *rewind = page->findChild<QPushButton *>(svc + QStringLiteral(".reset"));
        QVERIFY(rewind && rewind->isEnabled());
        QTest::mouseClick(rewind, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(latest()->offsetResets, std::int64_t(1), 30000);
        QTRY_VERIFY_WITH_TIMEOUT(latest()->notificationDuplicates > duplicatesBefore + 50, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(group(latest(), svcId) && group(latest(), svcId)->members.size() == 2, 30000);

        QDir().mkpath(QStringLiteral(KCL_SCREENSHOT_DIR));
        QVERIFY(window.grab().save(QStringLiteral(KCL_SCREENSHOT_DIR "/main-window-pipeline.png")));
        if (qEnvironmentVariable("KCL_UPDATE_DOCS_SCREENSHOTS") == QLatin1String("1"))
            QVERIFY(window.grab().save(QStringLiteral(KCL_SOURCE_DIR "/docs/screenshots/main-window-pipeline.png")));

        // Stop: the service leaves the cluster and the row says so.
        auto *startStop = page->findChild<QPushButton *>(svc + QStringLiteral(".startStop"));
        QVERIFY(startStop);
        QTest::mouseClick(startStop, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(group(latest(), svcId) && group(latest(), svcId)->members.empty(), 30000);
        QTRY_COMPARE_WITH_TIMEOUT(page->statusText(svc), QStringLiteral("멈춤"), 10000);
        QCOMPARE(page->shownMembers(svc), 0);
    }
};

QTEST_MAIN(TestPipelinePage)
#include "tst_pipeline_page.moc"
