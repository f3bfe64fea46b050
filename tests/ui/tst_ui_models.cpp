// Models, buffers and small widgets of the ui, fed with synthetic snapshots (no cluster).
#include "BackgroundReleaser.h"
#include "CachedTextDelegate.h"
#include "ConsumerGroupModels.h"
#include "ConsumerGroupsPage.h"
#include "EngineClient.h"
#include "KeyedHistory.h"
#include "ErrorBanner.h"
#include "NotificationModel.h"
#include "ThroughputHistory.h"
#include "ThroughputTableModel.h"
#include "TimeSeriesChart.h"
#include "ThroughputPage.h"
#include "OverviewPage.h"
#include "Toast.h"

#include <QAbstractItemModelTester>
#include <QHeaderView>
#include <QImage>
#include <QTableView>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTest>
#include <QStandardItemModel>
#include <QWidget>
#include <algorithm>
#include <map>
#include <thread>
#include <mutex>
#include <cmath>

using namespace kcl;
using namespace kcl::ui;

namespace {

NotificationRecord notification(int i, const std::string &recipient = {})
{
    NotificationRecord r;
    r.notificationId = "n-" + std::to_string(i);
    r.recipientId = recipient.empty() ? "user_" + std::to_string(i % 7) : recipient;
    r.authorId = "user_" + std::to_string(100 + i);
    r.channelId = "ch_dev";
    r.messageId = "m-" + std::to_string(i);
    r.text = "hello @" + r.recipientId + " #" + std::to_string(i);
    r.createdAtMs = 1'700'000'000'000 + i * 10;
    r.notifiedAtMs = r.createdAtMs + 3;
    r.latencyMs = 3;
    return r;
}

// What Snapshot::recentNotifications holds after notifications [from, to) were made: the last `bound`, oldest first.
std::vector<NotificationRecord> recent(int from, int to, int bound = 200)
{
    std::vector<NotificationRecord> out;
    for (int i = std::max(from, to - bound); i < to; ++i)
        out.push_back(notification(i));
    return out;
}

Snapshot throughputSnapshot(qint64 atMs, const std::vector<std::string> &topics, double in = 10)
{
    Snapshot s;
    s.atMs = atMs;
    int k = 0;
    for (const std::string &t : topics) {
        TopicRates r;
        r.topic = t;
        r.partitions = 6;
        r.msgsInPerSec = in * (k + 1);
        r.msgsOutPerSec = in;
        r.totalIn = atMs / 1000;
        s.topics.push_back(r);
        ++k;
    }
    return s;
}

} // namespace

class TestUiModels : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void notificationModel_insertsOnlyNewNewestFirst()
    {
        NotificationModel model(500);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy arrived(&model, &NotificationModel::notificationsArrived);

        QCOMPARE(model.update(recent(0, 3)), 3);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(inserted.at(0).at(1).toInt(), 0);
        QCOMPARE(inserted.at(0).at(2).toInt(), 2);
        // newest first
        QCOMPARE(model.index(0, 0).data(NotificationModel::NotificationIdRole).toString(), QStringLiteral("n-2"));
        QCOMPARE(model.index(2, 0).data(NotificationModel::NotificationIdRole).toString(), QStringLiteral("n-0"));

        // The same list again: nothing new, no signal.
        QCOMPARE(model.update(recent(0, 3)), 0);
        QCOMPARE(inserted.count(), 1);

        // Two more: one batch of two rows at the top.
        QCOMPARE(model.update(recent(0, 5)), 2);
        QCOMPARE(inserted.count(), 2);
        QCOMPARE(inserted.at(1).at(1).toInt(), 0);
        QCOMPARE(inserted.at(1).at(2).toInt(), 1);
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(model.index(0, 0).data(NotificationModel::NotificationIdRole).toString(), QStringLiteral("n-4"));
        QCOMPARE(model.index(1, 0).data(NotificationModel::NotificationIdRole).toString(), QStringLiteral("n-3"));
        QCOMPARE(arrived.count(), 2);
        QCOMPARE(arrived.at(1).at(0).toInt(), 2);

        // Columns carry the record.
        const NotificationRecord n4 = notification(4);
        QCOMPARE(model.index(0, NotificationModel::Recipient).data().toString(), QString::fromStdString(n4.recipientId));
        QCOMPARE(model.index(0, NotificationModel::Author).data().toString(), QString::fromStdString(n4.authorId));
        QCOMPARE(model.index(0, NotificationModel::Channel).data().toString(), QStringLiteral("ch_dev"));
        QCOMPARE(model.index(0, NotificationModel::LatencyMs).data(NotificationModel::RawValueRole).toDouble(), 3.0);
        QVERIFY(!model.index(0, NotificationModel::Time).data().toString().isEmpty());
    }

    void notificationModel_boundedAndOneBatchPerUpdate()
    {
        NotificationModel model(50);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        // 1,000 notifications in refreshes of 37 each, through a snapshot feed bounded at 200.
        int updates = 0;
        for (int to = 37; to <= 1000; to += 37, ++updates)
            model.update(recent(0, to));
        QCOMPARE(model.rowCount(), 50);
        QCOMPARE(inserted.count(), updates);   // exactly one insert batch per refresh
        QVERIFY(removed.count() <= updates);   // at most one trim per refresh
        const int last = 37 * updates - 1;
        QCOMPARE(model.index(0, 0).data(NotificationModel::NotificationIdRole).toString(), QStringLiteral("n-%1").arg(last));
        QCOMPARE(model.index(49, 0).data(NotificationModel::NotificationIdRole).toString(), QStringLiteral("n-%1").arg(last - 49));

        // A burst larger than the bound in one refresh: only the newest rows, still one batch.
        inserted.clear();
        model.update(recent(5000, 5300, 300));
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(model.rowCount(), 50);
        QCOMPARE(model.index(0, 0).data(NotificationModel::NotificationIdRole).toString(), QStringLiteral("n-5299"));

        // Old ids still in the snapshot's window are not inserted again after they were trimmed from the table.
        inserted.clear();
        QCOMPARE(model.update(recent(5000, 5300, 300)), 0);
        QCOMPARE(inserted.count(), 0);
    }

    void notificationFilter_byRecipient()
    {
        NotificationModel model(500);
        NotificationFilterModel filter;
        filter.setSourceModel(&model);
        QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
        std::vector<NotificationRecord> list;
        for (int i = 0; i < 30; ++i)
            list.push_back(notification(i, i % 3 == 0 ? "user_007" : "user_042"));
        model.update(list);
        QCOMPARE(filter.rowCount(), 30);
        filter.setRecipientFilter(QStringLiteral("USER_007"));
        QCOMPARE(filter.rowCount(), 10);
        for (int r = 0; r < filter.rowCount(); ++r)
            QCOMPARE(filter.index(r, NotificationModel::Recipient).data().toString(), QStringLiteral("user_007"));
        // New rows pass through the filter live.
        model.update({notification(100, "user_007"), notification(101, "user_001")});
        QCOMPARE(filter.rowCount(), 11);
        filter.setRecipientFilter(QString());
        QCOMPARE(filter.rowCount(), 32);
    }

    void cachedTextDelegate_drawsAsTheStockOneAndLaysOutOnlyNewCells()
    {
        // The same feed in two views, one with the stock delegate and one with the caching delegate.
        NotificationModel model(500);
        std::vector<NotificationRecord> list = recent(0, 60);
        list[59].text = "a message far too long for its column, so the view must cut it and end it with an ellipsis";
        list[58].text = "  spaces\tand\nnew lines   are simplified  ";
        model.update(list);
        auto makeView = [&](QAbstractItemDelegate *delegate) {
            auto view = std::make_unique<QTableView>();
            view->setModel(&model);
            if (delegate)
                view->setItemDelegate(delegate);
            view->verticalHeader()->hide();
            view->setAlternatingRowColors(true);
            view->setWordWrap(false);
            view->setSelectionBehavior(QAbstractItemView::SelectRows);
            view->horizontalHeader()->resizeSection(NotificationModel::Text, 160);
            view->resize(760, 420);
            view->show();
            view->selectRow(2);
            return view;
        };
        CachedTextDelegate delegate(200); // more than the ~90 cells on screen
        auto stock = makeView(nullptr);
        auto cached = makeView(&delegate);
        QVERIFY(QTest::qWaitForWindowExposed(cached.get()));
        auto differingPixels = [&] {
            const QImage a = stock->grab().toImage(), b = cached->grab().toImage();
            if (a.size() != b.size())
                return -1;
            int n = 0;
            for (int y = 0; y < a.height(); ++y)
                for (int x = 0; x < a.width(); ++x)
                    n += a.pixel(x, y) != b.pixel(x, y);
            return n;
        };
        // What a user sees is the same: text, elision, alignment, the selected row's colours.
        QCOMPARE(differingPixels(), 0);
        const qint64 made = delegate.layoutsMade();
        QVERIFY(made > 0);

        // Three notifications arrive on top: every visible row moves, but only the new cells are laid out.
        const qint64 reusedBefore = delegate.layoutsReused();
        model.update(recent(0, 63));
        QCOMPARE(differingPixels(), 0);
        const qint64 newLayouts = delegate.layoutsMade() - made;
        QVERIFY2(newLayouts > 0 && newLayouts <= 3 * NotificationModel::ColumnCount,
                 qPrintable(QStringLiteral("%1 layouts for 3 new rows").arg(newLayouts)));
        QVERIFY(delegate.layoutsReused() - reusedBefore >= 10 * NotificationModel::ColumnCount);

        // A narrower column lays its texts out again at the new width (elided), and the cache stays bounded.
        cached->horizontalHeader()->resizeSection(NotificationModel::Text, 90);
        stock->horizontalHeader()->resizeSection(NotificationModel::Text, 90);
        for (int i = 0; i < 5; ++i) {
            model.update(recent(0, 70 + 20 * i));
            QCOMPARE(differingPixels(), 0);
        }
        QVERIFY(delegate.cachedLayouts() <= 200);
    }

    void throughputTable_updatesInPlace()
    {
        ThroughputTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const std::vector<std::string> topics = {"platform.messages.created", "platform.notifications.sent"};
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.update(throughputSnapshot(1000, topics));
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(reset.count(), 1);
        for (int i = 0; i < 10; ++i)
            model.update(throughputSnapshot(2000 + i * 250, topics, 20));
        QCOMPARE(reset.count(), 1);
        QCOMPARE(changed.count(), 10); // one coalesced dataChanged per refresh
        const int row = model.rowForTopic(QStringLiteral("platform.notifications.sent"));
        QCOMPARE(row, 1);
        QCOMPARE(model.index(row, ThroughputTableModel::InPerSec).data(ThroughputTableModel::RawValueRole).toDouble(), 40.0);
        QCOMPARE(model.index(row, ThroughputTableModel::Topic).data().toString(), QStringLiteral("platform.notifications.sent"));
        // A new topic set rebuilds the rows.
        model.update(throughputSnapshot(9000, {"a", "b", "c"}));
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(reset.count(), 2);
        model.update(Snapshot{});
        QCOMPARE(model.rowCount(), 0);
    }

    void consumerGroups_mergeMembershipAndLag()
    {
        ConsumerGroupsModel groups;
        PartitionLagModel partitions;
        QAbstractItemModelTester t1(&groups, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t2(&partitions, QAbstractItemModelTester::FailureReportingMode::QtTest);
        partitions.setGroup(QStringLiteral("notification-service"));

        auto snapshot = [](std::int64_t lagPerPartition) {
            Snapshot s;
            GroupInfo g;
            g.groupId = "notification-service";
            g.consumedPerSec = 120;
            g.rebalances = 2;
            for (int m = 0; m < 2; ++m) {
                MemberInfo mi;
                mi.clientId = "notification-service-" + std::to_string(m + 1);
                mi.joined = true;
                for (int p = m * 3; p < m * 3 + 3; ++p)
                    mi.assignment.push_back({"platform.messages.created", p});
                g.members.push_back(mi);
            }
            s.groups.push_back(g);
            auto lag = std::make_shared<LagReport>();
            GroupLagReport gl;
            gl.groupId = "notification-service";
            gl.state = "Stable";
            gl.status = GroupStatus::Ok;
            gl.statusReason = "consuming and keeping up";
            for (int p = 0; p < 6; ++p) {
                PartitionLagRow row;
                row.topic = "platform.messages.created";
                row.partition = p;
                row.committed = 100;
                row.logEnd = 100 + lagPerPartition;
                row.lag = lagPerPartition;
                row.clientId = "notification-service-" + std::to_string(p / 3 + 1);
                gl.rows.push_back(row);
                gl.totalLag += lagPerPartition;
            }
            lag->groups.push_back(gl);
            GroupLagReport archive; // a group the monitor sees that this app does not run
            archive.groupId = "archive";
            archive.status = GroupStatus::Stopped;
            lag->groups.push_back(archive);
            s.lag = lag;
            return s;
        };
        QSignalSpy reset(&groups, &QAbstractItemModel::modelReset);
        groups.update(snapshot(5));
        partitions.update(snapshot(5));
        QCOMPARE(groups.rowCount(), 2);
        const int ns = groups.rowForGroup(QStringLiteral("notification-service"));
        QVERIFY(ns >= 0);
        QCOMPARE(groups.row(ns).members, 2);
        QCOMPARE(groups.row(ns).assignedPartitions, 6);
        QCOMPARE(groups.row(ns).totalLag, qint64(30));
        QCOMPARE(groups.index(ns, ConsumerGroupsModel::Status).data().toString(), QStringLiteral("OK"));
        QCOMPARE(groups.index(ns, ConsumerGroupsModel::State).data().toString(), QStringLiteral("Stable"));
        QVERIFY(groups.index(ns, ConsumerGroupsModel::Status).data(Qt::BackgroundRole).isValid());
        QCOMPARE(groups.row(groups.rowForGroup(QStringLiteral("archive"))).status, QStringLiteral("STOPPED"));
        QCOMPARE(partitions.rowCount(), 6);
        QCOMPARE(partitions.index(4, PartitionLagModel::Owner).data().toString(), QStringLiteral("notification-service-2"));
        QCOMPARE(partitions.index(4, PartitionLagModel::Lag).data(PartitionLagModel::RawValueRole).toLongLong(), 5);

        // Same groups and partitions: values change in place.
        QSignalSpy changed(&partitions, &QAbstractItemModel::dataChanged);
        groups.update(snapshot(0));
        partitions.update(snapshot(0));
        QCOMPARE(reset.count(), 1);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(groups.row(ns).totalLag, qint64(0));

        // Another group selected: its (absent) partitions; no lag report at all: dashes, no crash.
        partitions.setGroup(QStringLiteral("archive"));
        partitions.update(snapshot(0));
        QCOMPARE(partitions.rowCount(), 0);
        groups.update(Snapshot{});
        QCOMPARE(groups.rowCount(), 0);
    }

    // A group on 1,000 partitions (the size the issue names): the page refreshes 4 times a second, so one refresh
    // must stay well inside a frame. Synthetic snapshots, so only the page's own cost is measured.
    void consumerGroupsPage_thousandPartitionsRefreshWithinAFrame()
    {
        ConsumerGroupsPage page;
        page.resize(1400, 860);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        const std::string groupId = "state-rebuilder";
        auto snapshot = [&](int round) {
            Snapshot s;
            s.atMs = 1000 + round * 250;
            GroupInfo g;
            g.groupId = groupId;
            MemberInfo mi;
            mi.clientId = groupId + "-1";
            mi.joined = true;
            auto lag = std::make_shared<LagReport>();
            GroupLagReport gl;
            gl.groupId = groupId;
            gl.state = "Stable";
            gl.status = GroupStatus::Ok;
            for (int t = 0; t < 6; ++t)
                for (int p = 0; p < 167; ++p) {
                    const std::string topic = "platform.topic-" + std::to_string(t);
                    mi.assignment.push_back({topic, p});
                    PartitionLagRow row;
                    row.topic = topic;
                    row.partition = p;
                    const std::int64_t committed = 1000 * round + p, lagNow = (round * 7 + p) % 13;
                    row.committed = committed;
                    row.logEnd = committed + lagNow;
                    row.lag = lagNow;
                    row.clientId = mi.clientId;
                    gl.totalLag += lagNow;
                    gl.rows.push_back(row);
                }
            g.members.push_back(mi);
            s.groups.push_back(g);
            lag->groups.push_back(gl);
            s.lag = lag;
            return s;
        };
        page.applySnapshot(snapshot(0));
        page.selectGroup(QString::fromStdString(groupId));
        page.applySnapshot(snapshot(1));
        QTest::qWait(50);
        QCOMPARE(page.partitionsModel()->rowCount(), 1002);
        // Milliseconds per refresh for rounds [from, to), sorted: applying the snapshot plus the layout and repaint
        // it causes.
        auto timeRefreshes = [&](int from, int to) {
            std::vector<qint64> ms;
            for (int round = from; round < to; ++round) {
                const Snapshot s = snapshot(round);
                QElapsedTimer clock;
                clock.start();
                page.applySnapshot(s);
                QCoreApplication::processEvents();
                ms.push_back(clock.elapsed());
            }
            std::sort(ms.begin(), ms.end());
            return ms;
        };
        const std::vector<qint64> ms = timeRefreshes(2, 22);
        // Hidden behind another tab, the page still takes every snapshot (its models stay current).
        page.hide();
        const std::vector<qint64> hiddenMs = timeRefreshes(22, 32);
        qInfo("1,002 partition rows: page refresh median %lld ms, max %lld ms; hidden: median %lld ms", ms[ms.size() / 2],
              ms.back(), hiddenMs[hiddenMs.size() / 2]);
        QCOMPARE(page.partitionsModel()->index(5, PartitionLagModel::Lag).data(PartitionLagModel::RawValueRole).toLongLong(),
                 qint64((31 * 7 + 5) % 13));
#ifndef KCL_SANITIZED_BUILD
        QVERIFY2(ms[ms.size() / 2] <= 16, "a refresh of the consumer-groups page with 1,000 partitions takes longer than a frame");
        QVERIFY2(hiddenMs[hiddenMs.size() / 2] <= 16, "a refresh of the hidden consumer-groups page takes longer than a frame");
#endif
    }

    // A partition read to the end (only transaction markers after the committed offset) keeps its lag figure and says why.
    void partitionLag_markersOnlyIsExplained()
    {
        PartitionLagModel partitions;
        partitions.setGroup(QStringLiteral("orders"));
        auto snapshot = [](bool markersOnly) {
            Snapshot s;
            auto lag = std::make_shared<LagReport>();
            GroupLagReport g;
            g.groupId = "orders";
            PartitionLagRow row;
            row.topic = "orders.txn";
            row.committed = 40;
            row.logEnd = 41;
            row.lag = 1;
            row.markersOnly = markersOnly;
            g.rows.push_back(row);
            lag->groups.push_back(g);
            s.lag = lag;
            return s;
        };
        partitions.update(snapshot(false));
        const QModelIndex lagCell = partitions.index(0, PartitionLagModel::Lag);
        QCOMPARE(lagCell.data().toString(), QStringLiteral("1"));
        QVERIFY(!lagCell.data(Qt::ToolTipRole).isValid());
        partitions.update(snapshot(true));
        QCOMPARE(lagCell.data(PartitionLagModel::RawValueRole).toLongLong(), 1);
        QVERIFY2(lagCell.data().toString().contains(QStringLiteral("markers only")), qPrintable(lagCell.data().toString()));
        QVERIFY(lagCell.data(Qt::ToolTipRole).toString().contains(QStringLiteral("transaction markers")));
    }

    void throughputHistory_boundedAtOneSecond()
    {
        ThroughputHistory history(60);
        const std::vector<std::string> topics = {"t1", "t2"};
        qint64 t = 1'700'000'000'000;
        QVERIFY(history.add(throughputSnapshot(t, topics)));
        QVERIFY(!history.add(throughputSnapshot(t + 250, topics))); // same second
        QVERIFY(!history.add(throughputSnapshot(t - 1000, topics))); // older
        for (int i = 1; i < 500; ++i)
            history.add(throughputSnapshot(t + i * 1000, topics));
        QCOMPARE(history.size(QStringLiteral("t1")), std::size_t(60));
        QCOMPARE(history.size(QStringLiteral("t2")), std::size_t(60));
        QCOMPARE(history.topics(), (QStringList{QStringLiteral("t1"), QStringLiteral("t2")}));
        // A window of the last 30 s.
        const qint64 last = history.latestSec();
        const QList<QPointF> pts = history.points(QStringLiteral("t2"), ThroughputHistory::Direction::In, last - 29, 1000);
        QCOMPARE(pts.size(), 30);
        QCOMPARE(pts.last().x(), double(last) * 1000);
        QCOMPARE(pts.last().y(), 20.0);
        QCOMPARE(history.points(QStringLiteral("t2"), ThroughputHistory::Direction::Out, 0, 1000).size(), 60);
        QVERIFY(history.points(QStringLiteral("nope"), ThroughputHistory::Direction::In, 0, 1000).isEmpty());
    }

    void keyedHistory_bounded()
    {
        KeyedHistory history(100, 3);
        for (qint64 s = 0; s < 1000; ++s) {
            history.add(QStringLiteral("g1"), s, double(s));
            history.add(QStringLiteral("g1"), s, -1); // same second: ignored
            history.add(QStringLiteral("g2"), s, 1);
        }
        for (int k = 0; k < 10; ++k)
            history.add(QStringLiteral("extra-%1").arg(k), 5, 1);
        QCOMPARE(history.size(QStringLiteral("g1")), std::size_t(100));
        QCOMPARE(history.keys().size(), 3); // key count bounded too
        QCOMPARE(history.latestSec(), qint64(999));
        const QList<QPointF> pts = history.points(QStringLiteral("g1"), 990, 1000);
        QCOMPARE(pts.size(), 10);
        QCOMPARE(pts.last().y(), 999.0);
        QVERIFY(history.points(QStringLiteral("g1"), 0, 20).size() <= 20);
    }

    void decimation_keepsMinAndMax()
    {
        QList<QPointF> pts;
        for (int i = 0; i < 10000; ++i)
            pts.append(QPointF(i, 100 + 10 * std::sin(i / 50.0)));
        pts[4321].setY(5000);  // a spike
        pts[7777].setY(-300);  // a dip
        const QList<QPointF> d = decimateMinMax(pts, 400);
        QVERIFY(d.size() <= 400);
        QVERIFY(d.size() >= 200);
        bool spike = false, dip = false;
        for (qsizetype i = 0; i < d.size(); ++i) {
            spike |= d[i] == QPointF(4321, 5000);
            dip |= d[i] == QPointF(7777, -300);
            if (i > 0)
                QVERIFY(d[i].x() > d[i - 1].x()); // time order kept
        }
        QVERIFY(spike);
        QVERIFY(dip);
        // Small inputs pass unchanged.
        const QList<QPointF> few = pts.mid(0, 100);
        QCOMPARE(decimateMinMax(few, 400), few);
    }

    void engineClient_coalescesSnapshots()
    {
        EngineClient client(nullptr);
        client.setRefreshIntervalMs(50);
        QSignalSpy due(&client, &EngineClient::refreshDue);
        for (int i = 0; i < 1000; ++i) {
            auto s = std::make_shared<Snapshot>();
            s->atMs = i;
            client.acceptSnapshot(s);
        }
        QTRY_COMPARE(due.count(), 1);
        QCOMPARE(due.at(0).at(0).value<SnapshotPtr>()->atMs, 999); // the newest
        QTest::qWait(200);
        QCOMPARE(due.count(), 1); // nothing new, no refresh
        QCOMPARE(client.snapshotsReceived(), quint64(1000));
        // Commands without an engine are dropped, not crashes.
        client.setWorkloadRate(10);
        client.setGroupMembers(QStringLiteral("notification-service"), 2);
    }

    // A replaced snapshot (thousands of lag rows at 1,000 partitions) is freed off the GUI thread: freeing one took
    // the GUI thread up to 45 ms (docs/benchmarks.md, issue 6's ten groups).
    void engineClient_freesReplacedSnapshotsOffTheGuiThread()
    {
        std::mutex m;
        std::map<std::int64_t, std::thread::id> freedOn;
        const auto make = [&](std::int64_t at) {
            auto *raw = new Snapshot;
            raw->atMs = at;
            return SnapshotPtr(raw, [&](const Snapshot *s) {
                {
                    std::lock_guard lock(m);
                    freedOn[s->atMs] = std::this_thread::get_id();
                }
                delete s;
            });
        };
        {
            EngineClient client(nullptr);
            for (std::int64_t i = 1; i <= 50; ++i)
                client.acceptSnapshot(make(i));
            guiReleaser().drain();
            std::lock_guard lock(m);
            QCOMPARE(freedOn.size(), std::size_t(49)); // every one but the newest, which the client still holds
            for (const auto &[at, thread] : freedOn)
                QVERIFY2(thread != std::this_thread::get_id(), ("snapshot " + std::to_string(at) + " was freed on the GUI thread").c_str());
            QVERIFY(!freedOn.count(50));
        }
        std::lock_guard lock(m);
        QVERIFY(freedOn.count(50)); // the client's own last one, when the client goes
    }

    // A page behind another tab keeps its history but draws nothing until it is shown; then it shows the newest
    // snapshot at once (issue 6: hidden pages cost the GUI thread every refresh at 1,000 partitions).
    void hiddenPagesDrawTheNewestSnapshotWhenShown()
    {
        QTabWidget tabs;
        auto *other = new QWidget;
        auto *overview = new OverviewPage;
        auto *throughput = new ThroughputPage;
        auto *groups = new ConsumerGroupsPage;
        tabs.addTab(other, QStringLiteral("other"));
        tabs.addTab(overview, QStringLiteral("overview"));
        tabs.addTab(throughput, QStringLiteral("throughput"));
        tabs.addTab(groups, QStringLiteral("groups"));
        tabs.resize(1100, 760);
        tabs.show();
        QVERIFY(QTest::qWaitForWindowExposed(&tabs));
        tabs.setCurrentWidget(other);
        const std::string topic = "platform.messages.created";
        for (int sec = 1; sec <= 6; ++sec) {
            Snapshot s;
            s.atMs = sec * 1000;
            s.brokers = {{1, true}, {2, true}, {3, sec < 6}}; // broker 3 goes down in the newest snapshot
            TopicRates rates;
            rates.topic = topic;
            rates.partitions = 6;
            rates.msgsInPerSec = 100.0 * sec;
            rates.msgsOutPerSec = 90;
            s.topics = {rates};
            auto report = std::make_shared<LagReport>();
            TopicThroughputRow row;
            row.topic = topic;
            row.partitions = 6;
            row.messages = 1000 * sec;
            row.messagesPerPartition.assign(6, 1000 * sec / 6);
            row.leaderPerPartition = {1, 2, 3, 1, 2, 3};
            row.replicasPerPartition.assign(6, {1, 2, 3});
            row.isrPerPartition.assign(6, {1, 2, 3});
            report->topics = {row};
            GroupLagReport group;
            group.groupId = "notification-service";
            group.totalLag = 10 * sec;
            report->groups = {group};
            s.lag = report;
            overview->applySnapshot(s);
            throughput->applySnapshot(s);
            groups->applySnapshot(s);
        }
        const QString group = QStringLiteral("notification-service");
        QCOMPARE(overview->brokersModel()->rowCount(), 0); // behind another tab: not drawn
        QCOMPARE(throughput->inChart()->seriesCount(), 0);
        QCOMPARE(throughput->history().size(QString::fromStdString(topic)), std::size_t(6)); // history kept meanwhile
        QCOMPARE(groups->lagChart()->seriesCount(), 0);
        QCOMPARE(groups->lagHistory().size(group), std::size_t(6));
        QCOMPARE(groups->groupsModel()->rowCount(), 1); // the groups table's model is kept current (cheap while hidden)

        tabs.setCurrentWidget(overview);
        QCOMPARE(overview->brokersModel()->rowCount(), 3);
        QCOMPARE(overview->brokersModel()->item(2, 1)->text(), OverviewPage::tr("down")); // the newest snapshot
        QCOMPARE(overview->topicsModel()->rowCount(), 1);
        QCOMPARE(overview->topicsModel()->item(0, 2)->data(Qt::UserRole + 1).toLongLong(), 6000LL);
        tabs.setCurrentWidget(throughput);
        QCOMPARE(throughput->inChart()->seriesCount(), 1);
        QCOMPARE(throughput->inChart()->pointCount(QString::fromStdString(topic)), 6);
        tabs.setCurrentWidget(groups);
        QCOMPARE(groups->lagChart()->pointCount(group), 6);
    }

    void toast_isRateLimited()
    {
        QWidget parent;
        parent.resize(800, 600);
        parent.show();
        MentionToast toast(&parent);
        toast.setMinIntervalMs(500);
        for (int i = 0; i < 20; ++i)
            toast.notify(1, QStringLiteral("user_007"), QStringLiteral("user_001"), QStringLiteral("ch_dev"), QStringLiteral("hi"));
        QCOMPARE(toast.shownCount(), 1);
        QVERIFY(toast.isVisible());
        QVERIFY(toast.isWindow() == false); // inside the window, never a top-level popup
        QTRY_COMPARE(toast.shownCount(), 2); // the other 19, gathered
        QVERIFY(toast.currentText().contains(QStringLiteral("18")));
        QVERIFY(toast.currentText().contains(QStringLiteral("user_007")));
        toast.setEnabledToasts(false);
        QTest::qWait(600);
        toast.notify(3, QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"), QString());
        QCOMPARE(toast.shownCount(), 2);
    }

    void errorBanner_countsAndDismisses()
    {
        QWidget parent;
        ErrorBanner banner(&parent);
        parent.show();
        QVERIFY(!banner.isVisible());
        banner.showError(QStringLiteral("producer"), QStringLiteral("_TRANSPORT"), QStringLiteral("Broker 2 is down."));
        banner.showError(QStringLiteral("notification-service-1"), QStringLiteral("_TRANSPORT"), QStringLiteral("Broker 3 is down."));
        QVERIFY(banner.isVisible());
        QCOMPARE(banner.pendingCount(), 2);
        QVERIFY(banner.text().contains(QStringLiteral("Broker 3 is down.")));
        QVERIFY(banner.text().contains(QStringLiteral("_TRANSPORT")));
        QVERIFY(!banner.isTransient());
        QVERIFY(banner.text().contains(QStringLiteral("broker"), Qt::CaseInsensitive)); // the hint: what to do
        banner.dismiss();
        QVERIFY(!banner.isVisible());
        QCOMPARE(banner.pendingCount(), 0);
        // Rebalance noise is shown, calmer, with what it means.
        banner.showError(QStringLiteral("notification-service-2"), QStringLiteral("REBALANCE_IN_PROGRESS"),
                         QStringLiteral("committing offsets failed"));
        QVERIFY(banner.isTransient());
        QVERIFY(banner.text().contains(QStringLiteral("rebalance")));
        // A real problem after it makes the banner a warning again.
        banner.showError(QStringLiteral("producer"), QStringLiteral("_MSG_TIMED_OUT"), QStringLiteral("delivery timed out"));
        QVERIFY(!banner.isTransient());
        QVERIFY(ErrorBanner::hintFor(QStringLiteral("SOMETHING_NEW")).isEmpty());
    }
};

QTEST_MAIN(TestUiModels)
#include "tst_ui_models.moc"
