// The pipeline controls page on the embedded cluster, driven through its widgets as a user would (buttons found by
// object name, clicked with QTest): members +/- and start/stop, a slowed consumer building lag and draining it, a
// broker stopped and started, messages sent without a key, and a group rewound. Every effect is read back from the
// engine's snapshots, not from the widgets that asked for it.
#include "QuietOffscreen.h"
#include "EngineClient.h"
#include "EventsPage.h"
#include "OverviewPage.h"
#include "MainWindow.h"
#include "PipelinePage.h"
#include "Translations.h"
#include "pipeline/EngineThread.h"
#include "pipeline/NotificationService.h"

#include <QApplication>
#include <QCheckBox>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QPushButton>
#include <QStandardItemModel>
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

// Per partition, the group's committed offset and the partition's end offset, as the lag monitor last saw them.
std::map<std::pair<std::string, int>, std::pair<std::int64_t, std::int64_t>> committedAndEnd(const SnapshotPtr &s, const std::string &groupId)
{
    std::map<std::pair<std::string, int>, std::pair<std::int64_t, std::int64_t>> out;
    if (!s || !s->lag)
        return out;
    for (const auto &g : s->lag->groups)
        if (g.groupId == groupId)
            for (const auto &row : g.rows)
                out[{row.topic, row.partition}] = {row.committed.value_or(-1), row.logEnd};
    return out;
}

bool brokerUp(const SnapshotPtr &s, int id)
{
    for (const auto &b : s->brokers)
        if (b.id == id)
            return b.up;
    return false;
}

// The main window on a running embedded cluster, showing `page`'s tab.
struct RunningWindow {
    explicit RunningWindow(PipelineOptions options) : engine(options), window(engine.engine())
    {
        window.resize(1400, 860);
        window.show();
    }
    bool start(QWidget *page)
    {
        if (!QTest::qWaitForWindowExposed(&window))
            return false;
        engine.start();
        window.tabs()->setCurrentWidget(page);
        return true;
    }
    EngineThread engine; // declared first: outlives the window
    MainWindow window;
};

} // namespace

class TestPipelinePage : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        kcl::test::dropOffscreenSizeHintWarnings();
        installTranslator(*qApp, QStringLiteral("ko"));
        QApplication::setFont(QFont(QStringLiteral("Noto Sans CJK KR"), 9));
    }

    void controlsDriveThePipeline()
    {
        PipelineOptions options; // embedded cluster, 3 brokers, 6 partitions
        options.workloadRate = 300;
        options.notificationMembers = 1;
        RunningWindow run(options);
        MainWindow &window = run.window;
        PipelinePage *page = window.pipelinePage();
        QVERIFY(page && run.start(page));
        auto latest = [&] { return window.engineClient()->latest(); };
        const QString svc = QString::fromLatin1(kNotificationGroup);
        const std::string svcId = kNotificationGroup;

        QTRY_VERIFY_WITH_TIMEOUT(page->services().contains(svc), 30000);
        QTRY_COMPARE_WITH_TIMEOUT(page->shownMembers(svc), 1, 30000);

        qInfo("step: + adds a member");
        // + adds a member: the group has two.
        auto *plus = page->findChild<QToolButton *>(svc + QStringLiteral(".plus"));
        QVERIFY(plus && plus->isEnabled());
        QTest::mouseClick(plus, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(group(latest(), svcId) && group(latest(), svcId)->members.size() == 2, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(page->shownMembers(svc), 2, 10000);

        qInfo("step: delay 20 ms per record");
        // A delay of 20 ms per record: two members handle ~100/s of the ~200/s message.created: lag builds.
        auto *delay = page->findChild<QSpinBox *>(svc + QStringLiteral(".delay"));
        QVERIFY(delay);
        QTRY_VERIFY_WITH_TIMEOUT(delay->isEnabled(), 10000);
        delay->setValue(20);
        QTRY_VERIFY_WITH_TIMEOUT(group(latest(), svcId)->processingDelayMs == 20, 10000);
        const auto lagNow = [&] { return QByteArray("the group's lag is ") + QByteArray::number(qlonglong(lagOf(latest(), svcId))); };
        QTRY_VERIFY2_WITH_TIMEOUT(lagOf(latest(), svcId) > 300, lagNow().constData(), 30000);
        qInfo("lag built up to %lld", static_cast<long long>(lagOf(latest(), svcId)));
        delay->setValue(0);
        QTRY_VERIFY_WITH_TIMEOUT(group(latest(), svcId)->processingDelayMs == 0, 10000);
        // Drained: the group commits, in every partition, past the end the partition had when the delay went. (A
        // bound on the lag itself would depend on when the monitor samples relative to the members' commits, once a
        // second each: at 250 records/s the lag seen between two commits is anywhere from 0 to about 250.)
        const auto backlog = committedAndEnd(latest(), svcId);
        QVERIFY(!backlog.empty());
        const auto drained = [&] {
            const auto now = committedAndEnd(latest(), svcId);
            for (const auto &[partition, offsets] : backlog)
                if (offsets.second > 0 && (!now.count(partition) || now.at(partition).first < offsets.second))
                    return false;
            return true;
        };
        QElapsedTimer draining;
        draining.start();
        QTRY_VERIFY2_WITH_TIMEOUT(drained(), lagNow().constData(), 90000); // generous: a loaded CI machine
        qInfo("the backlog was consumed and committed %lld ms after the delay went; lag now %lld",
              static_cast<long long>(draining.elapsed()), static_cast<long long>(lagOf(latest(), svcId)));

        qInfo("step: broker 2 off and on");
        // Broker 2 stopped and started from its switch.
        auto *broker2 = page->findChild<QCheckBox *>(QStringLiteral("broker.2"));
        QVERIFY(broker2 && broker2->isEnabled() && broker2->isChecked());
        const QPoint indicator(8, broker2->height() / 2); // a check box takes clicks on its box and label only
        QTest::mouseClick(broker2, Qt::LeftButton, {}, indicator);
        QTRY_VERIFY_WITH_TIMEOUT(!brokerUp(latest(), 2), 10000);
        QTest::mouseClick(broker2, Qt::LeftButton, {}, indicator);
        QTRY_VERIFY_WITH_TIMEOUT(brokerUp(latest(), 2), 10000);

        qInfo("step: unkeyed");
        // Without a key a channel's messages spread over partitions and arrive out of order.
        auto *keyed = page->findChild<QCheckBox *>(QStringLiteral("keyedByChannel"));
        QVERIFY(keyed && keyed->isChecked());
        QTest::mouseClick(keyed, Qt::LeftButton, {}, QPoint(8, keyed->height() / 2));
        QTRY_VERIFY_WITH_TIMEOUT(!latest()->workloadKeyed, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(latest()->orderViolations > 0, 30000);
        QTest::mouseClick(keyed, Qt::LeftButton, {}, QPoint(8, keyed->height() / 2));
        QTRY_VERIFY_WITH_TIMEOUT(latest()->workloadKeyed, 10000);

        qInfo("step: rewind");
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

        qInfo("step: stop the service");
        // Stop: the service leaves the cluster and the row says so.
        auto *startStop = page->findChild<QPushButton *>(svc + QStringLiteral(".startStop"));
        QVERIFY(startStop);
        QTest::mouseClick(startStop, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(group(latest(), svcId) && group(latest(), svcId)->members.empty(), 30000);
        QTRY_COMPARE_WITH_TIMEOUT(page->statusText(svc), QStringLiteral("멈춤"), 10000);
        QCOMPARE(page->shownMembers(svc), 0);
    }

    // The overview: brokers, topics and partitions as the cluster reports them (leaders, replicas, in-sync
    // replicas), the load per broker in the chart, and a stopped broker shown as down.
    void overviewShowsTheCluster()
    {
        PipelineOptions options;
        options.workloadRate = 200;
        RunningWindow run(options);
        MainWindow &window = run.window;
        OverviewPage *page = window.overviewPage();
        QVERIFY(page && run.start(page));
        QStandardItemModel *brokers = page->brokersModel();
        QStandardItemModel *topicsModel = page->topicsModel();
        QStandardItemModel *partitions = page->partitionsModel();
        auto raw = [](QStandardItemModel *m, int r, int c) { return m->item(r, c) ? m->item(r, c)->data(Qt::UserRole + 1) : QVariant(); };

        QTRY_COMPARE_WITH_TIMEOUT(brokers->rowCount(), 3, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(topicsModel->rowCount() >= 6, 30000);
        page->selectTopic(QStringLiteral("platform.messages.created"));
        QTRY_COMPARE_WITH_TIMEOUT(partitions->rowCount(), 6, 30000);
        for (int p = 0; p < 6; ++p) {
            QVERIFY(raw(partitions, p, 1).toInt() >= 1);                                        // a leader
            QCOMPARE(partitions->item(p, 2)->text().split(QLatin1Char(',')).size(), 3);        // replication factor 3
            QVERIFY(partitions->item(p, 2)->text().contains(partitions->item(p, 1)->text())); // the leader is a replica
        }
        // Messages arrive: the partitions fill (twelve channels hashed onto six partitions: most get some), and the
        // partitions' counts add up to the topic's.
        auto filled = [&] {
            int n = 0;
            for (int p = 0; p < 6; ++p)
                n += raw(partitions, p, 4).toLongLong() > 0 ? 1 : 0;
            return n;
        };
        QTRY_VERIFY_WITH_TIMEOUT(filled() >= 3, 30000);
        qInfo("messages per partition: %s %s %s %s %s %s", qPrintable(partitions->item(0, 4)->text()),
              qPrintable(partitions->item(1, 4)->text()), qPrintable(partitions->item(2, 4)->text()),
              qPrintable(partitions->item(3, 4)->text()), qPrintable(partitions->item(4, 4)->text()),
              qPrintable(partitions->item(5, 4)->text()));
        // The groups' reading shows too: platform.messages.created is read by the notification service.
        auto readRate = [&] {
            for (int r = 0; r < topicsModel->rowCount(); ++r)
                if (topicsModel->item(r, 0)->text() == QLatin1String("platform.messages.created"))
                    return raw(topicsModel, r, 4).toDouble();
            return -1.0;
        };
        QTRY_VERIFY_WITH_TIMEOUT(readRate() > 0, 30000);
        // The chart's leader bars add up to every partition of every topic.
        int allPartitions = 0;
        for (int r = 0; r < topicsModel->rowCount(); ++r)
            allPartitions += raw(topicsModel, r, 1).toInt();
        double bars = 0;
        for (const auto &[id, n] : page->leaderBars())
            bars += n;
        QCOMPARE(int(bars), allPartitions);
        QCOMPARE(page->messageBars().size(), std::size_t(3));

        // Broker 2 stopped from the pipeline page: the overview says it is down.
        window.pipelinePage()->requestBrokerUp(2, false);
        auto brokerRow = [&](int id) {
            for (int r = 0; r < brokers->rowCount(); ++r)
                if (raw(brokers, r, 0).toInt() == id)
                    return r;
            return -1;
        };
        QTRY_VERIFY_WITH_TIMEOUT(brokerRow(2) >= 0 && !raw(brokers, brokerRow(2), 1).toBool(), 10000);
        QDir().mkpath(QStringLiteral(KCL_SCREENSHOT_DIR));
        QVERIFY(window.grab().save(QStringLiteral(KCL_SCREENSHOT_DIR "/main-window-overview.png")));
        window.pipelinePage()->requestBrokerUp(2, true);
        QTRY_VERIFY_WITH_TIMEOUT(raw(brokers, brokerRow(2), 1).toBool(), 10000);
    }

    // The events page: a live tail of the chosen topic, decoded; a hand-made event checked before it is sent, and,
    // once sent, seen in the tail and notified by the notification service like any other.
    void eventsTailAndProduceByHand()
    {
        PipelineOptions options;
        options.workloadRate = 100;
        RunningWindow run(options);
        MainWindow &window = run.window;
        EventsPage *page = window.eventsPage();
        QVERIFY(page && run.start(page));
        TailModel *tail = page->model();

        // The default topic fills with decoded message events.
        QTRY_VERIFY_WITH_TIMEOUT(tail->rowCount() >= 10, 30000);
        for (int r = 0; r < tail->rowCount(); ++r) {
            QVERIFY(tail->record(r)->parsed);
            QCOMPARE(tail->record(r)->topic, std::string("platform.messages.created"));
        }
        page->selectRow(0);
        QVERIFY(page->rawText().contains(QStringLiteral("\"event_type\"")));

        // Another topic: only its records.
        page->tailTopic(QStringLiteral("platform.users.activity"));
        QTRY_VERIFY_WITH_TIMEOUT(tail->rowCount() >= 3 && tail->record(0)->topic == "platform.users.activity", 30000);
        for (int r = 0; r < tail->rowCount(); ++r)
            QCOMPARE(tail->record(r)->eventType, std::string("user.activity"));

        // A broken draft is refused with the field at fault; nothing is sent.
        page->setDraft(QStringLiteral("{\"event_type\":\"message.created\",\"event_id\":\"e1\",\"timestamp\":1,\"payload\":{\"message_id\":7}}"));
        QVERIFY(!page->draftValid());
        QVERIFY2(page->validationText().contains(QStringLiteral("payload.message_id")), qPrintable(page->validationText()));
        QVERIFY(!page->findChild<QPushButton *>(QStringLiteral("sendEvent"))->isEnabled());
        QVERIFY(!page->send());

        // A valid hand-made message with a mention: sent, seen in the tail, notified.
        const QString id = QStringLiteral("msg_handmade_%1").arg(QDateTime::currentMSecsSinceEpoch());
        page->setDraft(QStringLiteral("{\"event_type\":\"message.created\",\"event_id\":\"evt_%1\",\"timestamp\":%2,"
                                      "\"payload\":{\"message_id\":\"%1\",\"channel_id\":\"ch_dev\",\"author_id\":\"user_001\","
                                      "\"content\":\"@user_077 손으로 보낸 메시지\",\"mentions\":[\"user_077\"],\"attachments\":[]}}")
                           .arg(id)
                           .arg(QDateTime::currentMSecsSinceEpoch()));
        QVERIFY2(page->draftValid(), qPrintable(page->validationText()));
        page->tailTopic(QStringLiteral("platform.messages.created"));
        QTest::mouseClick(page->findChild<QPushButton *>(QStringLiteral("sendEvent")), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(page->lastSent().contains(id), 10000);
        auto inTail = [&] {
            for (int r = 0; r < tail->rowCount(); ++r)
                if (tail->record(r)->summary.find(id.toStdString()) != std::string::npos)
                    return true;
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(inTail(), 30000);
        auto notified = [&] {
            const SnapshotPtr s = window.engineClient()->latest();
            for (const auto &n : s->recentNotifications)
                if (n.messageId == id.toStdString() && n.recipientId == "user_077")
                    return true;
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(notified(), 30000);

        QDir().mkpath(QStringLiteral(KCL_SCREENSHOT_DIR));
        QVERIFY(window.grab().save(QStringLiteral(KCL_SCREENSHOT_DIR "/main-window-events.png")));
    }

    // The lab actions on the pipeline page: a poison message is refused by the notification service and sent to the
    // dead-letter topic while the group goes on; a replay rebuilds the messages' state in a new group from offset 0,
    // and its figures show on the state-rebuilder's row.
    void poisonAndReplayButtons()
    {
        PipelineOptions options;
        options.workloadRate = 100;
        RunningWindow run(options);
        MainWindow &window = run.window;
        PipelinePage *page = window.pipelinePage();
        QVERIFY(page && run.start(page));
        auto latest = [&] { return window.engineClient()->latest(); };
        const std::string svcId = kNotificationGroup;
        QTRY_VERIFY_WITH_TIMEOUT(group(latest(), svcId) && group(latest(), svcId)->consumedTotal > 50, 30000);
        QCOMPARE(latest()->deadLettered, std::int64_t(0));

        auto *poison = page->findChild<QPushButton *>(QStringLiteral("injectPoison"));
        QVERIFY(poison && poison->isEnabled());
        QTest::mouseClick(poison, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(group(latest(), svcId)->parseErrors == 1, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(latest()->deadLettered >= 1, 10000);
        const std::int64_t consumedAfterPoison = group(latest(), svcId)->consumedTotal;
        QTRY_VERIFY_WITH_TIMEOUT(group(latest(), svcId)->consumedTotal > consumedAfterPoison + 50, 30000); // it goes on

        auto *replay = page->findChild<QPushButton *>(QStringLiteral("replayState"));
        QVERIFY(replay);
        QTest::mouseClick(replay, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(latest()->services.rebuilder.caughtUp, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(latest()->services.rebuilder.messages > 100, 10000);
        const QString rebuilder = QStringLiteral("state-rebuilder");
        QTRY_VERIFY_WITH_TIMEOUT(page->statusText(rebuilder).contains(QStringLiteral("따라잡음")), 10000); // "caught up"
        // A second replay starts again from nothing in a group of its own, and catches up again.
        const std::string firstGroup = group(latest(), rebuilder.toStdString())->groupId;
        QTest::mouseClick(replay, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(group(latest(), rebuilder.toStdString()) && group(latest(), rebuilder.toStdString())->groupId != firstGroup, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(latest()->services.rebuilder.caughtUp && latest()->services.rebuilder.messages > 100, 30000);
        QDir().mkpath(QStringLiteral(KCL_SCREENSHOT_DIR));
        QVERIFY(window.grab().save(QStringLiteral(KCL_SCREENSHOT_DIR "/main-window-pipeline-replay.png")));
    }
};

QTEST_MAIN(TestPipelinePage)
#include "tst_pipeline_page.moc"
