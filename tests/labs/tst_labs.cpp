// Lab files: every shipped lab parses; malformed files are reported with file, line and field while the
// other labs still load; metric paths and comparisons behave as the checks rely on.
#include "labs/Lab.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace kcl;

namespace {
const char *kValid = R"LAB(
[lab]
id = demo
title.en = Demo
title.ko = 데모
explain.en = A demo.
explain.ko = 데모입니다.
needs = embedded
duration = 10
[step]
at = 2
action = set-members
group = notification-service
members = 3
[check]
metric = group.notification-service.members
op = ==
value = 3
when = ever
explain.en = three
explain.ko = 셋
)LAB";
} // namespace

class LabsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void shippedLabsAllParse()
    {
        std::vector<LabError> errors;
        const auto labs = loadLabDirectory(QStringLiteral(KCL_RESOURCES_DIR "/labs"), &errors);
        for (const auto &e : errors)
            qWarning("%s", qPrintable(e.toString()));
        QVERIFY(errors.empty());
        QVERIFY(labs.size() >= 5);
        QStringList ids;
        for (const auto &l : labs) {
            QVERIFY2(!ids.contains(l.id), qPrintable(QStringLiteral("duplicate id ") + l.id));
            ids << l.id;
            QVERIFY(!l.title.ko.isEmpty() && !l.explain.ko.isEmpty());
        }
    }

    void validLabParses()
    {
        LabError e;
        const auto lab = parseLab(QString::fromUtf8(kValid), QStringLiteral("demo.lab"), &e);
        QVERIFY2(lab, qPrintable(e.toString()));
        QCOMPARE(lab->id, QStringLiteral("demo"));
        QCOMPARE(lab->steps.size(), std::size_t(1));
        QCOMPARE(lab->steps[0].params.at(QStringLiteral("members")), QStringLiteral("3"));
        QCOMPARE(lab->checks[0].when, QStringLiteral("ever"));
        QCOMPARE(lab->checks[0].line, 15);
        QCOMPARE(lab->title.in(QStringLiteral("ko")), QStringLiteral("데모"));
    }

    void malformedLabsNameFileLineAndField_data()
    {
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("to");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("field");
        QTest::newRow("bad duration") << "duration = 10" << "duration = soon" << 9 << "duration";
        QTest::newRow("unknown action") << "action = set-members" << "action = explode" << 12 << "action";
        QTest::newRow("unknown op") << "op = ==" << "op = ~" << 17 << "op";
        QTest::newRow("bad value") << "value = 3" << "value = three" << 18 << "value";
        QTest::newRow("unknown need") << "needs = embedded" << "needs = cloud" << 8 << "needs";
        QTest::newRow("no korean explanation") << "explain.ko = 셋" << "" << 15 << "explain.ko";
        QTest::newRow("missing title.ko") << "title.ko = 데모" << "" << 2 << "title.ko";
        QTest::newRow("step after the end") << "at = 2" << "at = 20" << 10 << "at";
        QTest::newRow("step param missing") << "members = 3" << "" << 10 << "members";
        QTest::newRow("unknown section") << "[step]" << "[stage]" << 10 << "[stage]";
        QTest::newRow("not key value") << "when = ever" << "when ever" << 19 << "when ever";
        QTest::newRow("unknown check field") << "when = ever" << "whence = ever" << 19 << "whence";
        QTest::newRow("until not a number") << "when = ever" << "until = later" << 19 << "until";
        QTest::newRow("reset to nowhere") << "action = set-members" << "action = reset-offsets\ngroup = g\nto = middle" << 10 << "to";
    }
    void malformedLabsNameFileLineAndField()
    {
        QFETCH(QString, from);
        QFETCH(QString, to);
        QFETCH(int, line);
        QFETCH(QString, field);
        QString text = QString::fromUtf8(kValid);
        QVERIFY(text.contains(from));
        text.replace(from, to);
        LabError e;
        QVERIFY(!parseLab(text, QStringLiteral("broken.lab"), &e));
        QCOMPARE(e.file, QStringLiteral("broken.lab"));
        QCOMPARE(e.line, line);
        QCOMPARE(e.field, field);
        QVERIFY(!e.message.isEmpty());
        QVERIFY(e.toString().startsWith(QStringLiteral("broken.lab:%1: ").arg(line)));
    }

    void badFileDoesNotStopTheOthers()
    {
        QTemporaryDir dir;
        auto write = [&](const QString &name, const QString &text) {
            QFile f(dir.filePath(name));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(text.toUtf8());
        };
        write(QStringLiteral("a.lab"), QString::fromUtf8(kValid));
        write(QStringLiteral("b.lab"), QStringLiteral("[lab]\nid = two words\n"));
        write(QStringLiteral("c.lab"), QString::fromUtf8(kValid).replace(QStringLiteral("id = demo"), QStringLiteral("id = demo2")));
        std::vector<LabError> errors;
        const auto labs = loadLabDirectory(dir.path(), &errors);
        QCOMPARE(labs.size(), std::size_t(2));
        QCOMPARE(errors.size(), std::size_t(1));
        QVERIFY(errors[0].file.endsWith(QStringLiteral("b.lab")));
        QCOMPARE(errors[0].line, 2);
        QCOMPARE(errors[0].field, QStringLiteral("id"));
    }

    void metricsAndComparisons()
    {
        Snapshot s;
        s.mentionsProduced = 10;
        s.notificationsTotal = 9;    // two of them repeats after a rebalance:
        s.notificationsDistinct = 7; // they must not hide the three mentions never notified
        s.notificationDuplicates = 2;
        s.brokers = {{1, true}, {2, false}};
        TopicRates t;
        t.topic = "platform.messages.created";
        t.partitions = 2;
        s.topics.push_back(t);
        GroupInfo g;
        g.groupId = "notification-service";
        g.rebalances = 2;
        MemberInfo a{"m1", {{"platform.messages.created", 0}}, 0, true};
        MemberInfo b{"m2", {{"platform.messages.created", 1}}, 0, true};
        MemberInfo c{"m3", {}, 0, true};
        g.members = {a, b, c};
        s.groups.push_back(g);
        QCOMPARE(*labMetric(s, QStringLiteral("unnotified_mentions")), 3.0);
        QCOMPARE(*labMetric(s, QStringLiteral("duplicate_notifications")), 2.0);
        QCOMPARE(*labMetric(s, QStringLiteral("broker.2.up")), 0.0);
        QCOMPARE(*labMetric(s, QStringLiteral("broker.1.up")), 1.0);
        QCOMPARE(*labMetric(s, QStringLiteral("group.notification-service.members")), 3.0);
        QCOMPARE(*labMetric(s, QStringLiteral("group.notification-service.idle_members")), 1.0);
        QCOMPARE(*labMetric(s, QStringLiteral("group.notification-service.owned_once")), 1.0);
        s.groups[0].members[2].assignment = {{"platform.messages.created", 1}}; // owned twice now
        QCOMPARE(*labMetric(s, QStringLiteral("group.notification-service.owned_once")), 0.0);
        QVERIFY(!labMetric(s, QStringLiteral("group.nobody.members")));
        QVERIFY(!labMetric(s, QStringLiteral("lag.notification-service.total"))); // no monitor report yet
        QVERIFY(!labMetric(s, QStringLiteral("notification_latency.p99")));       // no samples: no value, not 0
        QVERIFY(compareLab(1, QStringLiteral("<"), 2) && !compareLab(2, QStringLiteral("<"), 2));
        QVERIFY(compareLab(2, QStringLiteral("<="), 2) && compareLab(3, QStringLiteral(">"), 2));
        QVERIFY(compareLab(2, QStringLiteral(">="), 2) && compareLab(2, QStringLiteral("=="), 2));
        QVERIFY(compareLab(1, QStringLiteral("!="), 2) && !compareLab(1, QStringLiteral("??"), 1));
    }
};

QTEST_GUILESS_MAIN(LabsTest)
#include "tst_labs.moc"
