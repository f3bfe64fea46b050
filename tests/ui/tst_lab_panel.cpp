// The lab panel in the main window on the embedded cluster: a short lab selected and run from the panel, its
// steps advancing, its checks turning passed or failed as the engine's snapshots say, the page it points to
// brought forward, Stop, the report exported with its pictures; a lab whose needs are not met offers the local
// lab stack (here a stand-in script: the shared stack is never started or stopped by tests). Checks go through
// the models and widgets, not pixels. Saves a screenshot of the panel to <build>/screenshots.
#include "QuietOffscreen.h"
#include "ConsumerGroupsPage.h"
#include "EngineClient.h"
#include "LabModels.h"
#include "LabPanel.h"
#include "MainWindow.h"
#include "NotificationsPage.h"
#include "ThroughputPage.h"
#include "Translations.h"
#include "labs/Lab.h"
#include "pipeline/EngineThread.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace kcl;
using namespace kcl::ui;

namespace {

// 8 s: two members from 2 s (the groups page), notifications at the end, and a check that must fail on a healthy
// pipeline (no delivery failure happens) so that red is tested too.
const char *kQuickLab = R"LAB([lab]
id = quick
title.en = Quick lab
title.ko = 짧은 실습
explain.en = A short lab for the test.
explain.ko = 테스트용 짧은 실습입니다.
needs = embedded
duration = 8
rate = 150
members = 1
mention_probability = 0.4
[step]
at = 2
action = set-members
group = notification-service
members = 2
page = groups
[check]
metric = group.notification-service.members
op = ==
value = 2
when = ever
page = groups
explain.en = Two members.
explain.ko = 멤버 둘.
[check]
metric = notifications_total
op = >
value = 20
when = end
page = notifications
explain.en = Notifications arrive.
explain.ko = 알림이 옵니다.
[check]
metric = delivery_failures
op = >
value = 0
when = end
page = throughput
explain.en = Fails on a healthy pipeline.
explain.ko = 건강한 파이프라인에서는 실패합니다.
)LAB";

const char *kRealLab = R"LAB([lab]
id = needs-real
title.en = Needs a real cluster
title.ko = 실제 클러스터 필요
explain.en = Runs on the local lab stack.
explain.ko = 로컬 실습 스택에서 실행합니다.
needs = real
duration = 5
[check]
metric = produced_total
op = >
value = 0
explain.en = Something produced.
explain.ko = 무언가 생산됨.
)LAB";

void writeFile(const QString &path, const QByteArray &text)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(text);
}

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

LabCheckProgress::State checkState(LabCheckModel *m, int row)
{
    return LabCheckProgress::State(m->index(row, LabCheckModel::State).data(LabCheckModel::StateRole).toInt());
}

LabStepProgress::State stepState(LabStepModel *m, int row)
{
    return LabStepProgress::State(m->index(row, LabStepModel::State).data(LabStepModel::StateRole).toInt());
}

} // namespace

class TestLabPanel : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    int m_shippedLabs = 0;

private Q_SLOTS:
    void initTestCase()
    {
        kcl::test::dropOffscreenSizeHintWarnings();
        QVERIFY(m_dir.isValid());
        QDir(m_dir.path()).mkpath(QStringLiteral("labs"));
        writeFile(m_dir.filePath(QStringLiteral("labs/00-quick.lab")), kQuickLab);
        writeFile(m_dir.filePath(QStringLiteral("labs/99-needs-real.lab")), kRealLab);
        // The shipped labs too, so the list is the one students see.
        const QDir shipped(QStringLiteral(KCL_RESOURCES_DIR "/labs"));
        m_shippedLabs = int(shipped.entryList({QStringLiteral("*.lab")}, QDir::Files).size());
        for (const QString &name : shipped.entryList({QStringLiteral("*.lab")}, QDir::Files))
            QVERIFY(QFile::copy(shipped.filePath(name), m_dir.filePath(QStringLiteral("labs/") + name)));
        // A stand-in for labstack.sh: says what it does, as the real one does, and succeeds.
        writeFile(m_dir.filePath(QStringLiteral("fake-labstack.sh")),
                  "echo \"fake labstack: $*\"\necho 'kafka-1: starting'\nsleep 0.3\necho 'kafka-1: up'\nexit 0\n");
        qputenv("KCL_LABS_DIR", m_dir.filePath(QStringLiteral("labs")).toUtf8());
        qputenv("KCL_STACK_SCRIPT", m_dir.filePath(QStringLiteral("fake-labstack.sh")).toUtf8());
        installTranslator(*qApp, QStringLiteral("ko"));
        QApplication::setFont(QFont(QStringLiteral("Noto Sans CJK KR"), 9));
    }

    void labRunsFromThePanel()
    {
        PipelineOptions options; // embedded cluster, 3 brokers
        options.workloadRate = 100;
        EngineThread engine(options); // declared first: outlives the window
        MainWindow window(engine.engine());
        window.resize(1600, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        LabPanel *panel = window.labPanel();
        QVERIFY(panel->loadErrors().isEmpty());
        QCOMPARE(panel->labs().size(), std::size_t(m_shippedLabs + 2));
        QCOMPARE(panel->labList()->count(), m_shippedLabs + 2);
        QVERIFY(panel->labList()->item(0)->text().contains(QStringLiteral("짧은 실습"))); // the title in Korean
        QVERIFY(panel->labList()->item(0)->text().contains(QStringLiteral("embedded")));  // and its needs
        QAbstractItemModelTester t1(panel->stepModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t2(panel->checkModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);

        engine.start();
        QTRY_VERIFY_WITH_TIMEOUT(window.engineClient()->latest(), 30000);

        // Selected: the steps and checks are listed, all pending; the lab can run on the embedded cluster.
        QVERIFY(panel->selectLab(QStringLiteral("quick")));
        QCOMPARE(panel->stepModel()->rowCount(), 1);
        QCOMPARE(panel->checkModel()->rowCount(), 3);
        for (int r = 0; r < 3; ++r)
            QCOMPARE(checkState(panel->checkModel(), r), LabCheckProgress::State::Pending);
        QVERIFY(panel->missingNeedsText().isEmpty());
        QVERIFY(panel->runButton()->isEnabled());
        QVERIFY(!panel->exportButton()->isEnabled());
        window.showPage(MainWindow::ThroughputTab);

        QSignalSpy finished(panel, &LabPanel::labFinished);
        QTest::mouseClick(panel->runButton(), Qt::LeftButton);
        QVERIFY(!panel->runButton()->isEnabled());
        QVERIFY(panel->stopButton()->isEnabled());

        // The step is performed at 2 s, and its page (consumer groups) comes forward.
        QTRY_COMPARE_WITH_TIMEOUT(stepState(panel->stepModel(), 0), LabStepProgress::State::Done, 20000);
        QCOMPARE(panel->stepModel()->currentStep(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(window.tabs()->currentWidget(), static_cast<QWidget *>(window.consumerGroupsPage()), 5000);
        QVERIFY(panel->progressBar()->value() > 0);
        // The "ever" check turns green while the lab still runs, when the snapshots show two members.
        QTRY_COMPARE_WITH_TIMEOUT(checkState(panel->checkModel(), 0), LabCheckProgress::State::Passed, 20000);
        QVERIFY(panel->lastProgress() && !panel->lastProgress()->over());
        QCOMPARE(checkState(panel->checkModel(), 1), LabCheckProgress::State::Pending); // end checks wait for the end
        QCOMPARE(panel->lastProgress()->checks[0].state, LabCheckProgress::State::Passed);

        // The end: judged on the drained pipeline, as the final snapshot says.
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 40000);
        QCOMPARE(finished.at(0).at(0).toBool(), false); // one check fails by design
        const LabProgressPtr final = panel->lastProgress();
        QCOMPARE(final->phase, LabProgress::Phase::Finished);
        QCOMPARE(checkState(panel->checkModel(), 1), LabCheckProgress::State::Passed);
        QCOMPARE(checkState(panel->checkModel(), 2), LabCheckProgress::State::Failed);
        for (int r = 0; r < 3; ++r)
            QCOMPARE(checkState(panel->checkModel(), r), final->checks[std::size_t(r)].state);
        QVERIFY(*final->checks[1].value > 20);
        QCOMPARE(*final->checks[2].value, 0.0);
        QCOMPARE(panel->checkModel()->index(2, LabCheckModel::Value).data().toString(), QStringLiteral("0"));
        QCOMPARE(panel->checkModel()->index(2, 0).data(LabCheckModel::DetailRole).toString(), QStringLiteral("끝의 값: 0"));
        QVERIFY(final->checks[0].decidedAtSec >= 2); // two members only after the step at 2 s
        QCOMPARE(panel->progressBar()->value(), 1000);
        QVERIFY(panel->runButton()->isEnabled());
        QVERIFY(panel->exportButton()->isEnabled());
        // The snapshots carry the same result the panel shows.
        const SnapshotPtr latest = window.engineClient()->latest();
        QVERIFY(latest && latest->lab);
        QCOMPARE(latest->lab->runId, final->runId);
        QCOMPARE(latest->lab->passed, false);

        saveScreenshot(&window, QStringLiteral("main-window-labs"));

        // The report: Markdown with the checks, the step log, the figures, and a picture of each page the lab names.
        QTemporaryDir out;
        QString error;
        const QStringList files = panel->exportReport(out.filePath(QStringLiteral("quick-report.md")), &error);
        QVERIFY2(!files.isEmpty(), qPrintable(error));
        QCOMPARE(files.size(), 4); // the report and groups, notifications, throughput
        QFile md(files.first());
        QVERIFY(md.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(md.readAll());
        QVERIFY(text.contains(QStringLiteral("**Result: FAILED**")));
        QVERIFY(text.contains(QStringLiteral("✅")) && text.contains(QStringLiteral("❌")));
        QVERIFY(text.contains(QStringLiteral("`delivery_failures > 0` (end) | value at the end: 0")));
        QVERIFY(text.contains(QStringLiteral("## Steps")) && text.contains(QStringLiteral("set-members group=notification-service members=2")));
        QVERIFY(text.contains(QStringLiteral("## Figures at the end")));
        for (const char *page : {"groups", "notifications", "throughput"}) {
            const QString png = QStringLiteral("quick-report-%1.png").arg(QLatin1String(page));
            QVERIFY2(text.contains(QStringLiteral("](%1)").arg(png)), page);
            const QImage image(out.filePath(png));
            QVERIFY2(!image.isNull() && image.width() > 200 && image.height() > 100, page);
        }

        // Run again and stop it: the lab ends as stopped, undecided checks stay pending.
        finished.clear();
        QTest::mouseClick(panel->runButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(panel->lastProgress() && panel->lastProgress()->runId > final->runId, 20000);
        QCOMPARE(checkState(panel->checkModel(), 2), LabCheckProgress::State::Pending); // the new run's, not the last one's
        QTest::mouseClick(panel->stopButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
        QCOMPARE(panel->lastProgress()->phase, LabProgress::Phase::Stopped);
        QCOMPARE(checkState(panel->checkModel(), 2), LabCheckProgress::State::Pending);
        QVERIFY(panel->runButton()->isEnabled());

        // A lab that needs a real cluster: what is missing, and the local lab stack one click away.
        QVERIFY(panel->selectLab(QStringLiteral("needs-real")));
        QVERIFY(!panel->missingNeedsText().isEmpty());
        QVERIFY(!panel->runButton()->isEnabled());
        QVERIFY(panel->stackButton()->isVisibleTo(panel));
        QTest::mouseClick(panel->stackButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(panel->localStackReady(), 10000);
        QVERIFY(!panel->stackButton()->isVisibleTo(panel));
        QVERIFY(panel->runButton()->isEnabled()); // Run would now use the local lab stack
        QVERIFY(panel->stackStatusLabel()->text().contains(QStringLiteral("127.0.0.1")));

        // Korean and English, live.
        QCOMPARE(panel->runButton()->text(), QStringLiteral("실행"));
        QCOMPARE(panel->checkModel()->headerData(LabCheckModel::State, Qt::Horizontal).toString(), QStringLiteral("결과"));
        switchLanguage(QStringLiteral("en"));
        QTRY_COMPARE(panel->runButton()->text(), QStringLiteral("Run"));
        QCOMPARE(panel->checkModel()->headerData(LabCheckModel::State, Qt::Horizontal).toString(), QStringLiteral("Result"));
        QVERIFY(panel->labList()->item(0)->text().startsWith(QStringLiteral("Quick lab")));
        switchLanguage(QStringLiteral("ko"));
    }
};

QTEST_MAIN(TestLabPanel)
#include "tst_lab_panel.moc"
