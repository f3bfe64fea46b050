// Lab files: every shipped lab parses; malformed files are reported with file, line and field while the
// other labs still load; metric paths and comparisons behave as the checks rely on.
#include "labs/Lab.h"
#include "labs/LabRunner.h"
#include "labs/LabSession.h"
#include "pipeline/PipelineEngine.h"

#include <QDir>
#include <algorithm>
#include <QFile>
#include <QTemporaryDir>
#include <QSignalSpy>
#include <QTest>
#include <cmath>

using namespace kcl;

namespace {

// A snapshot in which `metric` reads exactly `value` (for the metrics the shipped labs check). The test asserts
// labMetric() reads it back, so a metric this does not know fails loudly instead of testing nothing.
std::shared_ptr<Snapshot> snapshotWith(const QString &metric, double value)
{
    auto s = std::make_shared<Snapshot>();
    const auto n = static_cast<std::int64_t>(value);
    const QStringList p = metric.split(QLatin1Char('.'));
    const std::string id = p.mid(1, p.size() - 2).join(QLatin1Char('.')).toStdString();
    if (metric == QStringLiteral("notifications_total")) s->notificationsTotal = n;
    else if (metric == QStringLiteral("delivery_failures")) s->deliveryFailures = n;
    else if (metric == QStringLiteral("produced_total")) s->producedTotal = n;
    else if (metric == QStringLiteral("duplicate_notifications")) s->notificationDuplicates = n;
    else if (metric == QStringLiteral("order_violations")) s->orderViolations = n;
    else if (metric == QStringLiteral("offset_resets")) s->offsetResets = n;
    else if (metric == QStringLiteral("write.posted")) s->writeSide.posted = n;
    else if (metric == QStringLiteral("write.errors")) s->writeSide.writeErrors = n;
    else if (metric == QStringLiteral("naive.lost")) s->writeSide.naiveLost = n;
    else if (metric == QStringLiteral("outbox.pending")) s->writeSide.pending = n;
    else if (metric == QStringLiteral("dead_lettered")) s->deadLettered = n;
    else if (metric == QStringLiteral("produced_per_s")) s->producedPerSec = value;
    else if (metric == QStringLiteral("rebuilder.caught_up")) s->services.rebuilder.caughtUp = n != 0;
    else if (metric == QStringLiteral("rebuilder.messages")) s->services.rebuilder.messages = n;
    else if (metric == QStringLiteral("rebuilder.differences")) s->services.rebuilder.differences = n;
    else if (p.value(0) == QStringLiteral("state_topic")) {
        auto &c = s->services.rebuilder.census;
        c.done = true;
        c.keys = 10000; // ratios are exact at four decimals
        const auto scaled = static_cast<std::int64_t>(std::llround(value * 10000));
        if (p.last() == QStringLiteral("published_total")) s->services.rebuilder.statePublishedTotal = n;
        else if (p.last() == QStringLiteral("records")) c.records = n;
        else if (p.last() == QStringLiteral("keys")) c.keys = n;
        else if (p.last() == QStringLiteral("tombstones")) c.tombstones = n;
        else if (p.last() == QStringLiteral("records_per_key")) c.records = scaled;
        else if (p.last() == QStringLiteral("written_per_key")) c.publishedBefore = scaled;
    }
    else if (metric.startsWith(QStringLiteral("write.post_latency."))) {
        s->writeSide.postLatency.count = 100;
        s->writeSide.postLatency.p50 = s->writeSide.postLatency.p99 = s->writeSide.postLatency.max = value;
    } else if (p.value(0) == QStringLiteral("read") || p.value(0) == QStringLiteral("searchable")) {
        auto &r = s->readLoad;
        r.running = true;
        LatencySummary l;
        l.count = 100;
        l.p50 = l.p90 = l.p99 = l.max = value;
        if (metric == QStringLiteral("read.searches")) r.searches = n;
        else if (metric.startsWith(QStringLiteral("read.latency."))) r.searchLatency = l;
        else if (metric == QStringLiteral("searchable.found")) r.probesFound = n;
        else if (metric.startsWith(QStringLiteral("searchable.delay."))) r.searchableDelay = l;
        else if (metric == QStringLiteral("searchable.oldest_waiting_ms")) r.oldestWaitingMs = n;
    } else if (p.value(0) == QStringLiteral("search")) {
        s->search.running = true;
        if (p.last() == QStringLiteral("indexed")) s->search.indexed = n;
        else if (p.last() == QStringLiteral("deleted")) s->search.deleted = n;
        else if (p.last() == QStringLiteral("bulk_failures")) s->search.bulkFailures = n;
        else if (p.last() == QStringLiteral("node_up")) s->search.nodeUp = int(n);
    }
    else if (metric == QStringLiteral("unnotified_mentions")) {
        s->mentionsProduced = 1000;
        s->notificationsDistinct = 1000 - n;
    } else if (p.value(0) == QStringLiteral("notification_latency")) {
        s->notificationLatency.count = 100;
        s->notificationLatency.p50 = s->notificationLatency.p90 = s->notificationLatency.p99 = s->notificationLatency.max = value;
    } else if (p.value(0) == QStringLiteral("broker")) {
        s->brokers = {{1, true}, {p.value(1).toInt(), value != 0}, {3, true}};
    } else if (p.value(0) == QStringLiteral("lag")) {
        auto report = std::make_shared<LagReport>();
        GroupLagReport g;
        g.groupId = id;
        if (p.last() == QStringLiteral("total")) g.totalLag = n;
        else if (p.last() == QStringLiteral("status")) g.status = static_cast<GroupStatus>(n);
        report->groups.push_back(g);
        s->lag = report;
    } else if (p.value(0) == QStringLiteral("group")) {
        const std::string topic = "platform.messages.created";
        TopicRates t;
        t.topic = topic;
        t.partitions = 6;
        s->topics.push_back(t);
        GroupInfo g;
        g.groupId = id;
        const QString field = p.last();
        int members = 2, idle = 0;
        if (field == QStringLiteral("members")) members = int(n);
        else if (field == QStringLiteral("idle_members")) { idle = int(n); members = 2 + idle; }
        else if (field == QStringLiteral("assigned_members")) { members = std::max(1, int(n)); idle = members - int(n); }
        else if (field == QStringLiteral("rebalances")) g.rebalances = int(n);
        else if (field == QStringLiteral("parse_errors")) g.parseErrors = n;
        for (int m = 0; m < members; ++m) {
            MemberInfo mi;
            mi.clientId = id + "-" + std::to_string(m + 1);
            mi.joined = true;
            g.members.push_back(mi);
        }
        // The six partitions over the members that are not idle; owned_once == 0: one partition owned twice.
        const int owners = std::max(1, members - idle);
        for (int part = 0; part < 6 && !g.members.empty(); ++part)
            g.members[std::size_t(part % owners)].assignment.push_back({topic, part});
        if (field == QStringLiteral("owned_once") && n == 0 && g.members.size() > 1)
            g.members[1].assignment.push_back({topic, 0});
        s->groups.push_back(g);
    }
    return s;
}

// A value of the check's metric that breaks the check, and one that meets it.
double violating(const LabCheck &c)
{
    if (c.op == QStringLiteral(">") || c.op == QStringLiteral("<") || c.op == QStringLiteral("!=")) return c.value;
    if (c.op == QStringLiteral(">=")) return c.value - 1;
    if (c.op == QStringLiteral("<=")) return c.value + 1;
    return c.value == 0 ? 1 : c.value - 1; // ==
}
double meeting(const LabCheck &c)
{
    if (c.op == QStringLiteral(">")) return c.value + 1;
    if (c.op == QStringLiteral("<")) return c.value - 1;
    if (c.op == QStringLiteral("!=")) return c.value + 1;
    return c.value; // ==, >=, <=
}

// Runs a lab's session on the same snapshot from the start to the end (no pipeline: steps do nothing) and
// returns the final progress. The snapshot is quiet (nothing produced), so the drain ends at once.
LabProgressPtr runOn(const Lab &lab, const std::shared_ptr<Snapshot> &snap, std::vector<LabStep> *performed = nullptr)
{
    LabSession session(lab, [performed](const LabStep &st) {
        if (performed)
            performed->push_back(st);
        return QString();
    });
    for (double t = 0; !session.over() && t < lab.durationSec + 30; t += 0.5) {
        session.performDue(t);
        session.observe(t, *snap);
    }
    return session.progress();
}

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
        QVERIFY(lab->workloadAtStart); // the default: events from 0 s
        QVERIFY(LabRunner::pipelineOptions(*lab, ClusterProfile::embedded()).startWorkload);
    }

    void heldWorkloadStartsOnlyThroughItsStep()
    {
        QString text = QString::fromUtf8(kValid);
        text.replace(QStringLiteral("duration = 10\n"), QStringLiteral("duration = 10\nworkload = held\n"));
        text.replace(QStringLiteral("[check]"), QStringLiteral("[step]\nat = 0\naction = start-workload\n"
                                                              "when = group.notification-service.assigned_members == 2\n[check]"));
        LabError e;
        const auto lab = parseLab(text, QStringLiteral("held.lab"), &e);
        QVERIFY2(lab, qPrintable(e.toString()));
        QVERIFY(!lab->workloadAtStart);
        // The pipeline a held lab starts produces nothing until the step's condition holds.
        QVERIFY(!LabRunner::pipelineOptions(*lab, ClusterProfile::embedded()).startWorkload);
        std::vector<QString> performed;
        LabSession session(*lab, [&performed](const LabStep &st) {
            performed.push_back(st.action);
            return QString();
        });
        session.performDue(0.5);
        QVERIFY(session.observe(0.5, *snapshotWith(QStringLiteral("group.notification-service.assigned_members"), 1)).empty());
        QVERIFY(performed.empty());
        session.performDue(1);
        QCOMPARE(session.observe(1, *snapshotWith(QStringLiteral("group.notification-service.assigned_members"), 2)).size(), std::size_t(1));
        QCOMPARE(performed, std::vector<QString>{QStringLiteral("start-workload")});
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
        QTest::newRow("unknown step page") << "members = 3" << "members = 3\npage = dashboard" << 15 << "page";
        QTest::newRow("unknown check page") << "when = ever" << "when = ever\npage = charts" << 20 << "page";
        QTest::newRow("until not a number") << "when = ever" << "until = later" << 19 << "until";
        QTest::newRow("poison count") << "action = set-members" << "action = inject-poison\ncount = lots" << 10 << "count";
        QTest::newRow("poison count too high") << "action = set-members" << "action = inject-poison\ncount = 5000" << 10 << "count";
        QTest::newRow("poison topic") << "action = set-members" << "action = inject-poison\ntopic = nowhere" << 10 << "topic";
        QTest::newRow("sql schema") << "duration = 10" << "duration = 10\nsql_schema = mine" << 10 << "sql_schema";
        QTest::newRow("condition not three words") << "members = 3" << "members = 3\nwhen = lag.g.total >" << 15 << "when";
        QTest::newRow("condition op") << "members = 3" << "members = 3\nwhen = lag.g.total ~ 5" << 15 << "when";
        QTest::newRow("condition value") << "members = 3" << "members = 3\nwhen = lag.g.total > many" << 15 << "when";
        QTest::newRow("workload neither running nor held") << "duration = 10" << "duration = 10\nworkload = paused" << 10 << "workload";
        QTest::newRow("held workload never started") << "duration = 10" << "duration = 10\nworkload = held" << 10 << "workload";
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

    // A check that cannot fail is a bug: for every check of every shipped lab, a hand-made snapshot that violates
    // it makes it fail, and one that meets it makes it pass (so the violation, not the snapshot, decides).
    void everyShippedCheckFailsOnAViolatingSnapshot()
    {
        std::vector<LabError> errors;
        const auto labs = loadLabDirectory(QStringLiteral(KCL_RESOURCES_DIR "/labs"), &errors);
        QVERIFY(errors.empty());
        int checked = 0;
        for (const Lab &lab : labs) {
            for (std::size_t i = 0; i < lab.checks.size(); ++i) {
                Lab single = lab;
                single.checks = {lab.checks[i]};
                const LabCheck &c = lab.checks[i];
                const QString what = lab.id + QStringLiteral(": ") + LabSession::checkText(c);
                const auto bad = snapshotWith(c.metric, violating(c));
                const auto read = labMetric(*bad, c.metric);
                QVERIFY2(read && *read == violating(c), qPrintable(what + QStringLiteral(": the test cannot build this metric")));
                const LabProgressPtr failed = runOn(single, bad);
                QCOMPARE(failed->phase, LabProgress::Phase::Finished);
                QVERIFY2(failed->checks[0].state == LabCheckProgress::State::Failed, qPrintable(what + QStringLiteral(" did not fail")));
                QVERIFY2(!failed->passed, qPrintable(what));
                QVERIFY(!failed->checks[0].detail.empty());

                const LabProgressPtr passed = runOn(single, snapshotWith(c.metric, meeting(c)));
                QVERIFY2(passed->checks[0].state == LabCheckProgress::State::Passed, qPrintable(what + QStringLiteral(" did not pass")));
                QVERIFY2(passed->passed, qPrintable(what));
                ++checked;
            }
        }
        QVERIFY(checked >= 20);
    }

    // The session performs each step once at its time, points to the step's page, and judges always/ever from
    // their `from` time only; end checks are decided after the drain, not before.
    void sessionStepsPagesAndCheckTiming()
    {
        Lab lab;
        lab.id = QStringLiteral("timing");
        lab.durationSec = 10;
        LabStep s1;
        s1.atSec = 2;
        s1.action = QStringLiteral("set-members");
        s1.params = {{QStringLiteral("group"), QStringLiteral("g")}, {QStringLiteral("members"), QStringLiteral("2")}};
        s1.page = QStringLiteral("groups");
        LabStep s2 = s1;
        s2.atSec = 6;
        s2.action = QStringLiteral("broker-down");
        s2.params = {{QStringLiteral("broker"), QStringLiteral("2")}};
        s2.page = QStringLiteral("throughput");
        lab.steps = {s1, s2};
        LabCheck always;
        always.metric = QStringLiteral("delivery_failures");
        always.op = QStringLiteral("==");
        always.value = 0;
        always.when = QStringLiteral("always");
        always.fromSec = 5;
        always.page = QStringLiteral("notifications");
        LabCheck end = always;
        end.when = QStringLiteral("end");
        lab.checks = {always, end};

        std::vector<LabStep> performed;
        LabSession session(lab, [&](const LabStep &st) {
            performed.push_back(st);
            return st.action == QStringLiteral("broker-down") ? QStringLiteral("no such broker") : QString();
        });
        QCOMPARE(session.progress()->page, std::string("notifications")); // before any step: the first check's page
        auto failing = std::make_shared<Snapshot>();
        failing->deliveryFailures = 3;
        Snapshot fine;

        session.performDue(1);
        session.observe(1, *failing); // before `from`: does not break "always"
        QCOMPARE(session.progress()->checks[0].state, LabCheckProgress::State::Pending);
        QCOMPARE(session.progress()->currentStep, -1);
        session.performDue(2.5);
        session.observe(2.5, fine);
        QCOMPARE(performed.size(), std::size_t(1));
        QCOMPARE(session.progress()->currentStep, 0);
        QCOMPARE(session.progress()->steps[0].state, LabStepProgress::State::Done);
        QCOMPARE(session.progress()->page, std::string("groups"));
        session.performDue(3);
        QCOMPARE(performed.size(), std::size_t(1)); // once
        session.performDue(6);
        session.observe(6, *failing);
        QCOMPARE(session.progress()->steps[1].state, LabStepProgress::State::Failed);
        QCOMPARE(session.progress()->steps[1].error, std::string("no such broker"));
        QCOMPARE(session.progress()->page, std::string("throughput"));
        QCOMPARE(session.progress()->checks[0].state, LabCheckProgress::State::Failed); // broken at 6 s: red at once
        QCOMPARE(session.progress()->checks[1].state, LabCheckProgress::State::Pending); // end: not yet
        QCOMPARE(*session.progress()->checks[1].value, 3.0);                             // but its value shows
        QCOMPARE(session.progress()->stepLog.size(), std::size_t(2));

        session.performDue(10); // the end: the workload stops, the drain starts
        QCOMPARE(performed.back().action, QStringLiteral("stop-workload"));
        QCOMPARE(session.phase(), LabProgress::Phase::Draining);
        session.observe(10, fine);
        QVERIFY(!session.over());
        session.observe(10 + LabSession::kSettleSec + 0.1, fine);
        QVERIFY(session.over());
        QCOMPARE(session.progress()->checks[1].state, LabCheckProgress::State::Passed); // judged on the final state
        QVERIFY(!session.passed());
        const LabResult r = session.result(nullptr);
        QCOMPARE(r.checks.size(), std::size_t(2));
        QVERIFY(!r.checks[0].passed && r.checks[1].passed);
        const LabResult rebuilt = LabSession::resultFrom(lab, *session.progress(), nullptr);
        QCOMPARE(rebuilt.passed, r.passed);
        QCOMPARE(rebuilt.checks[0].detail, r.checks[0].detail);
        QCOMPARE(rebuilt.stepLog, r.stepLog);
    }

    // A step with a condition waits for a snapshot in which it holds, not before its `at`; it is performed once; a
    // condition that never holds leaves the step pending and says so in the step log.
    void conditionalStepsWaitForTheirCondition()
    {
        LabError e;
        QString text = QString::fromUtf8(kValid);
        text.replace(QStringLiteral("members = 3\n"), QStringLiteral("members = 3\nwhen = lag.notification-service.total > 500\n"));
        text.replace(QStringLiteral("[check]"), QStringLiteral("[step]\nat = 0\naction = set-rate\nrate = 5\n"
                                                              "when = lag.notification-service.total > 100000\n[check]"));
        const auto lab = parseLab(text, QStringLiteral("cond.lab"), &e);
        QVERIFY2(lab, qPrintable(e.toString()));
        QVERIFY(lab->steps[0].when && lab->steps[0].when->metric == QStringLiteral("lag.notification-service.total"));
        std::vector<LabStep> performed;
        LabSession session(*lab, [&performed](const LabStep &st) {
            performed.push_back(st);
            return QString();
        });
        const auto low = snapshotWith(QStringLiteral("lag.notification-service.total"), 100);
        const auto high = snapshotWith(QStringLiteral("lag.notification-service.total"), 600);
        session.performDue(1);
        QVERIFY(session.observe(1, *high).empty()); // before `at = 2`
        session.performDue(3);
        QVERIFY(session.observe(3, *low).empty());   // the condition does not hold
        QVERIFY(performed.empty());
        const auto lines = session.observe(4, *high);
        QCOMPARE(lines.size(), std::size_t(1));
        QVERIFY2(lines[0].contains(QStringLiteral("set-members")) && lines[0].contains(QStringLiteral("= 600")), qPrintable(lines[0]));
        QCOMPARE(performed.size(), std::size_t(1));
        QCOMPARE(session.progress()->steps[0].state, LabStepProgress::State::Done);
        QVERIFY(session.observe(5, *high).empty()); // once only
        const auto end = session.performDue(10);   // the end: the other step never ran
        QCOMPARE(performed.size(), std::size_t(2)); // + the stop-workload of the end
        QCOMPARE(performed.back().action, QStringLiteral("stop-workload"));
        QCOMPARE(session.progress()->steps[1].state, LabStepProgress::State::Pending);
        QVERIFY(std::any_of(end.begin(), end.end(), [](const QString &l) { return l.startsWith(QStringLiteral("not performed: set-rate")); }));
    }

    void stoppedSessionLeavesUndecidedChecksPending()
    {
        LabError e;
        const auto lab = parseLab(QString::fromUtf8(kValid), QStringLiteral("demo.lab"), &e);
        QVERIFY(lab);
        LabSession session(*lab, [](const LabStep &) { return QString(); });
        session.performDue(0);
        session.observe(0, Snapshot{});
        session.stop(QStringLiteral("stopped by the user"));
        QVERIFY(session.over());
        QCOMPARE(session.phase(), LabProgress::Phase::Stopped);
        QCOMPARE(session.progress()->checks[0].state, LabCheckProgress::State::Pending);
        QCOMPARE(session.progress()->error, std::string("stopped by the user"));
        QVERIFY(!session.passed());
    }

    // The engine refuses a lab its cluster cannot run, says why in the progress, and starts nothing.
    void engineRefusesALabWhoseNeedsAreNotMet()
    {
        LabError e;
        auto lab = parseLab(QString::fromUtf8(kValid).replace(QStringLiteral("needs = embedded"), QStringLiteral("needs = real")),
                            QStringLiteral("real.lab"), &e);
        QVERIFY2(lab, qPrintable(e.toString()));
        QVERIFY(!LabRunner::unmetNeeds(*lab, ClusterProfile{}).isEmpty());
        QVERIFY(LabRunner::localStackMeets(*lab));
        PipelineEngine engine(PipelineOptions{}); // embedded, not started
        QSignalSpy finished(&engine, &PipelineEngine::labFinished);
        engine.runLab(*lab);
        QCOMPARE(finished.count(), 1);
        const auto progress = finished.at(0).at(0).value<LabProgressPtr>();
        QVERIFY(progress);
        QCOMPARE(progress->phase, LabProgress::Phase::Stopped);
        QCOMPARE(progress->labId, std::string("demo"));
        QVERIFY(QString::fromStdString(progress->error).contains(QStringLiteral("real Kafka cluster")));
        QCOMPARE(progress->runId, std::uint64_t(1));
        QCOMPARE(progress->checks.size(), std::size_t(1));
        QVERIFY(!engine.latestSnapshot()); // no pipeline was started for it
        QCOMPARE(engine.clusterProfile().kind, ClusterProfile::Kind::Embedded);
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
        QCOMPARE(*labMetric(s, QStringLiteral("group.notification-service.assigned_members")), 2.0);
        s.groups[0].members[2].assignment = {{"platform.messages.created", 1}}; // owned twice now
        QCOMPARE(*labMetric(s, QStringLiteral("group.notification-service.owned_once")), 0.0);
        QCOMPARE(*labMetric(s, QStringLiteral("group.notification-service.assigned_members")), 3.0);
        QVERIFY(!labMetric(s, QStringLiteral("group.nobody.members")));
        QVERIFY(!labMetric(s, QStringLiteral("lag.notification-service.total"))); // no monitor report yet
        QVERIFY(!labMetric(s, QStringLiteral("notification_latency.p99")));       // no samples: no value, not 0
        // The search node: up is 1; down and "answers but refuses" (a disk block) both fail a node_up == 1 check.
        s.search.running = true;
        QVERIFY(!labMetric(s, QStringLiteral("search.node_up"))); // not reached yet: no value
        s.search.nodeUp = kSearchNodeUp;
        QCOMPARE(*labMetric(s, QStringLiteral("search.node_up")), 1.0);
        s.search.nodeUp = kSearchNodeDown;
        QCOMPARE(*labMetric(s, QStringLiteral("search.node_up")), 0.0);
        s.search.nodeUp = kSearchNodeRefusing;
        QCOMPARE(*labMetric(s, QStringLiteral("search.node_up")), 0.0);
        QVERIFY(compareLab(1, QStringLiteral("<"), 2) && !compareLab(2, QStringLiteral("<"), 2));
        QVERIFY(compareLab(2, QStringLiteral("<="), 2) && compareLab(3, QStringLiteral(">"), 2));
        QVERIFY(compareLab(2, QStringLiteral(">="), 2) && compareLab(2, QStringLiteral("=="), 2));
        QVERIFY(compareLab(1, QStringLiteral("!="), 2) && !compareLab(1, QStringLiteral("??"), 1));
    }
};

QTEST_GUILESS_MAIN(LabsTest)
#include "tst_labs.moc"
