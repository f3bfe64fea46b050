// The command line as a user meets it: help, version, bad options (exit status 2), a short headless run of the
// default pipeline on the embedded cluster with its JSON report, and the groups and watch subcommands there.
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <signal.h>

class CliTest : public QObject {
    Q_OBJECT
    QString app() const { return qEnvironmentVariable("KCL_APP"); }

    static QProcessEnvironment headlessEnvironment()
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("DISPLAY"));
        env.remove(QStringLiteral("WAYLAND_DISPLAY"));
        env.remove(QStringLiteral("QT_QPA_PLATFORM"));
        return env;
    }

    static QStringList nonEmptyLines(const QString &text)
    {
        return text.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    }

    // Rebalance facts of one group as `groups --json` and `watch --json` print them. The whole run is shorter than
    // a minute, so every rebalance the monitor saw is in the last minute and hour.
    static void checkRebalanceFacts(const QJsonObject &g)
    {
        for (const char *key : {"rebalances", "rebalances_last_minute", "rebalances_last_hour"})
            QVERIFY2(g.value(QLatin1String(key)).isDouble(), key);
        const int total = g.value(QStringLiteral("rebalances")).toInt();
        QCOMPARE(g.value(QStringLiteral("rebalances_last_minute")).toInt(), total);
        QCOMPARE(g.value(QStringLiteral("rebalances_last_hour")).toInt(), total);
        QVERIFY(g.value(QStringLiteral("rebalance_timeline")).isArray());
        const QJsonArray timeline = g.value(QStringLiteral("rebalance_timeline")).toArray();
        QCOMPARE(timeline.size(), std::min(total, 20));
        double last = 0;
        for (const auto &v : timeline) {
            const QJsonObject r = v.toObject();
            QVERIFY(r.value(QStringLiteral("at_ms")).toDouble() >= last);
            last = r.value(QStringLiteral("at_ms")).toDouble();
            QVERIFY(r.value(QStringLiteral("joined")).isArray());
            QVERIFY(r.value(QStringLiteral("left")).isArray());
            QVERIFY(r.value(QStringLiteral("members_after")).isDouble());
        }
    }

    struct Run {
        int exitCode = -1;
        QString out, err;
    };
    Run run(const QStringList &args, int timeoutMs = 60000)
    {
        QProcess p;
        p.setProcessEnvironment(headlessEnvironment());
        p.start(app(), args);
        if (!p.waitForFinished(timeoutMs)) {
            p.kill();
            p.waitForFinished();
        }
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
                QString::fromUtf8(p.readAllStandardError())};
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY2(QFile::exists(app()), "KCL_APP must name the built kafka-collab-lab"); }

    void helpAndVersion()
    {
        const Run h = run({QStringLiteral("--help")});
        QCOMPARE(h.exitCode, 0);
        QVERIFY(h.out.contains(QStringLiteral("--headless")));
        QVERIFY(h.out.contains(QStringLiteral("--cluster")));
        QVERIFY2(h.out.contains(QStringLiteral("watch (a live line per second per group)")), qPrintable(h.out));
        const Run v = run({QStringLiteral("--version")});
        QCOMPARE(v.exitCode, 0);
        QVERIFY(v.out.startsWith(QStringLiteral("kafka-collab-lab " KCL_VERSION)));
        QVERIFY(v.out.contains(QStringLiteral("librdkafka 2.")));
    }

    void doctorSubcommand()
    {
        const Run h = run({QStringLiteral("doctor"), QStringLiteral("--help")});
        QCOMPARE(h.exitCode, 0);
        QVERIFY(h.out.contains(QStringLiteral("Usage: kafka-collab-lab doctor")));
        const Run bad = run({QStringLiteral("doctor"), QStringLiteral("--bogus")});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY(bad.err.contains(QStringLiteral("--bogus")));
        // A build from the source tree reads the source tree's labs (an installed copy reads share/; see test-package.sh).
        const Run d = run({QStringLiteral("doctor")});
        QVERIFY2(d.out.contains(QStringLiteral(KCL_RESOURCES_DIR "/labs")), qPrintable(d.out));
        QVERIFY2(d.out.contains(QStringLiteral("labstack")), qPrintable(d.out));
    }

    void badOptionsExitWithTwo_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("unknown option") << QStringList{QStringLiteral("--bogus")} << "bogus";
        QTest::newRow("rate zero") << QStringList{QStringLiteral("--headless"), QStringLiteral("--rate"), QStringLiteral("0")} << "--rate";
        QTest::newRow("rate text") << QStringList{QStringLiteral("--rate"), QStringLiteral("fast")} << "--rate";
        QTest::newRow("members too many") << QStringList{QStringLiteral("--members"), QStringLiteral("65")} << "--members";
        QTest::newRow("duration negative") << QStringList{QStringLiteral("--duration"), QStringLiteral("-1")} << "--duration";
        QTest::newRow("cluster bad") << QStringList{QStringLiteral("--cluster"), QStringLiteral("kafka")} << "--cluster";
        QTest::newRow("sasl on embedded") << QStringList{QStringLiteral("--sasl-mechanism"), QStringLiteral("PLAIN")} << "embedded cluster";
        QTest::newRow("sasl without user") << QStringList{QStringLiteral("--cluster"), QStringLiteral("127.0.0.1:9292"),
                                                          QStringLiteral("--sasl-mechanism"), QStringLiteral("PLAIN")} << "--sasl-username";
        QTest::newRow("missing value") << QStringList{QStringLiteral("--rate")} << "rate";
        QTest::newRow("stray argument") << QStringList{QStringLiteral("now")} << "now";
        QTest::newRow("language") << QStringList{QStringLiteral("--language"), QStringLiteral("fr")} << "--language";
    }
    void badOptionsExitWithTwo()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, mentions);
        const Run r = run(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(mentions), qPrintable(r.err));
        QVERIFY(r.err.contains(QStringLiteral("--help")));
    }

    void headlessRunPrintsFiguresAndReport()
    {
        QTemporaryDir dir;
        const QString report = dir.filePath(QStringLiteral("report.json"));
        const Run r = run({QStringLiteral("--headless"), QStringLiteral("--duration"), QStringLiteral("8"), QStringLiteral("--rate"),
                           QStringLiteral("300"), QStringLiteral("--members"), QStringLiteral("2"), QStringLiteral("--report"), report},
                          120000);
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        // One line a second with produced/s, per-group consumed/s and members, notifications and latency.
        const QStringList lines = r.out.split(QLatin1Char('\n')).filter(QStringLiteral("produced/s="));
        QVERIFY2(lines.size() >= 6, qPrintable(r.out));
        QVERIFY(lines.last().contains(QStringLiteral("notification-service consumed/s=")));
        QVERIFY(lines.last().contains(QStringLiteral("members=2")));
        QVERIFY(lines.last().contains(QStringLiteral("latency p50=")));
        QVERIFY(lines.last().contains(QStringLiteral(" ms, p99=")));

        QFile f(report);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonObject j = QJsonDocument::fromJson(f.readAll()).object();
        QVERIFY(j.value(QStringLiteral("produced_total")).toInt() > 1500);
        QVERIFY(j.value(QStringLiteral("all_mentions_notified")).toBool());
        // None lost; a few may be duplicates (at-least-once: records handled again after a rebalance).
        // Every acknowledged mention notified (distinct); repeats after a rebalance are counted apart, not hidden.
        QVERIFY(j.value(QStringLiteral("notifications_distinct")).toInt() >= j.value(QStringLiteral("mentions_produced")).toInt());
        QCOMPARE(j.value(QStringLiteral("notifications_total")).toInt(),
                 j.value(QStringLiteral("notifications_distinct")).toInt() + j.value(QStringLiteral("duplicate_notifications")).toInt());
        QVERIFY(j.value(QStringLiteral("mentions_produced")).toInt() > 100);
        const QJsonArray groups = j.value(QStringLiteral("groups")).toArray();
        QCOMPARE(groups.size(), 1);
        const QJsonObject g = groups.first().toObject();
        QCOMPARE(g.value(QStringLiteral("group")).toString(), QStringLiteral("notification-service"));
        QCOMPARE(g.value(QStringLiteral("members")).toArray().size(), 2);
        int partitions = 0;
        for (const auto &m : g.value(QStringLiteral("members")).toArray())
            partitions += m.toObject().value(QStringLiteral("assignment")).toArray().size();
        QCOMPARE(partitions, 6);
        QCOMPARE(j.value(QStringLiteral("topics")).toArray().size(), 6);
        QVERIFY(j.value(QStringLiteral("notification_latency")).toObject().value(QStringLiteral("p99_ms")).toDouble() > 0);
    }

    // With no mention there is no notification latency: the line and the report say so instead of "0 ms".
    void headlessLatencyWithoutSamples()
    {
        QTemporaryDir dir;
        const QString report = dir.filePath(QStringLiteral("report.json"));
        const Run r = run({QStringLiteral("--headless"), QStringLiteral("--duration"), QStringLiteral("4"), QStringLiteral("--rate"),
                           QStringLiteral("200"), QStringLiteral("--mention-probability"), QStringLiteral("0"), QStringLiteral("--report"), report},
                          120000);
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        const QStringList lines = r.out.split(QLatin1Char('\n')).filter(QStringLiteral("produced/s="));
        QVERIFY2(!lines.isEmpty(), qPrintable(r.out));
        QVERIFY2(lines.last().contains(QStringLiteral("latency: no samples")), qPrintable(lines.last()));
        QVERIFY2(!lines.last().contains(QStringLiteral("p99=0")), qPrintable(lines.last()));
        QVERIFY2(r.out.contains(QStringLiteral("0 notifications (0 repeated after a rebalance), latency: no samples;")), qPrintable(r.out));

        QFile f(report);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonObject j = QJsonDocument::fromJson(f.readAll()).object();
        QVERIFY(j.value(QStringLiteral("produced_total")).toInt() > 200);
        QCOMPARE(j.value(QStringLiteral("mentions_produced")).toInt(), 0);
        const QJsonObject latency = j.value(QStringLiteral("notification_latency")).toObject();
        QCOMPARE(latency.value(QStringLiteral("count")).toInt(), 0);
        QVERIFY(latency.value(QStringLiteral("p99_ms")).isNull());
        QVERIFY(latency.value(QStringLiteral("p50_ms")).isNull());
    }

    // `groups` on the embedded cluster runs the default pipeline and reports its group like kafka-consumer-groups.
    void groupsOnTheEmbeddedCluster()
    {
        const Run r = run({QStringLiteral("groups"), QStringLiteral("--cluster"), QStringLiteral("embedded"), QStringLiteral("--cycles"),
                           QStringLiteral("6"), QStringLiteral("--json")},
                          120000);
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        const QJsonObject j = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QVERIFY(j.value(QStringLiteral("coverage")).toString().contains(QStringLiteral("Embedded")));
        const QJsonArray groups = j.value(QStringLiteral("groups")).toArray();
        QCOMPARE(groups.size(), 1);
        const QJsonObject g = groups.first().toObject();
        QCOMPARE(g.value(QStringLiteral("group")).toString(), QStringLiteral("notification-service"));
        QCOMPARE(g.value(QStringLiteral("members")).toArray().size(), 2);
        const QJsonArray rows = g.value(QStringLiteral("partitions")).toArray();
        QCOMPARE(rows.size(), 6);
        for (const auto &v : rows) {
            const QJsonObject row = v.toObject();
            QCOMPARE(row.value(QStringLiteral("topic")).toString(), QStringLiteral("platform.messages.created"));
            QVERIFY(row.value(QStringLiteral("log_end_offset")).isDouble());
            // A committed offset gives a number; none gives null (never 0 by default).
            QCOMPARE(row.value(QStringLiteral("lag")).isNull(), row.value(QStringLiteral("current_offset")).isNull());
        }
        QVERIFY(!g.value(QStringLiteral("status")).toString().isEmpty());
        QVERIFY(!g.value(QStringLiteral("reason")).toString().isEmpty());
        checkRebalanceFacts(g);
        const Run h = run({QStringLiteral("groups"), QStringLiteral("--help")});
        QCOMPARE(h.exitCode, 0);
        QVERIFY2(h.out.startsWith(QStringLiteral("Usage: kafka-collab-lab groups [options]\n")), qPrintable(h.out));
        const Run bad = run({QStringLiteral("groups"), QStringLiteral("--cycles"), QStringLiteral("0")});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains(QStringLiteral("--cycles")), qPrintable(bad.err));
    }

    // `watch` prints one line per cycle per group with every field, then ends with status 0.
    void watchTextOnTheEmbeddedCluster()
    {
        const Run r = run({QStringLiteral("watch"), QStringLiteral("--cluster"), QStringLiteral("embedded"), QStringLiteral("--cycles"),
                           QStringLiteral("3")},
                          120000);
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        const QRegularExpression line(QStringLiteral(
            "^\\d\\d:\\d\\d:\\d\\d  notification-service  state=\\S+  members=\\d+  total lag=\\d+  "
            "max time lag=(~>?\\d+\\.\\ds|-)  rebalances last minute=\\d+  status=(OK|WARNING|ERROR|STALLED|STOPPED)  \\S.*$"));
        const QStringList lines = nonEmptyLines(r.out);
        QCOMPARE(lines.size(), 3); // 3 cycles x 1 group
        for (const QString &l : lines)
            QVERIFY2(line.match(l).hasMatch(), qPrintable(l));
        QVERIFY(r.err.contains(QStringLiteral("estimate")));
    }

    // `watch --json`: one JSON object per line per cycle, the group's figures without its partitions.
    void watchJsonOnTheEmbeddedCluster()
    {
        const Run r = run({QStringLiteral("watch"), QStringLiteral("--cluster"), QStringLiteral("embedded"), QStringLiteral("--group"),
                           QStringLiteral("notification-service"), QStringLiteral("--json"), QStringLiteral("--cycles"), QStringLiteral("4"),
                           QStringLiteral("--interval-ms"), QStringLiteral("500")},
                          120000);
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        const QStringList lines = nonEmptyLines(r.out);
        QCOMPARE(lines.size(), 4);
        double lastAt = 0;
        for (int i = 0; i < lines.size(); ++i) {
            QJsonParseError pe;
            const QJsonDocument doc = QJsonDocument::fromJson(lines[i].toUtf8(), &pe);
            QVERIFY2(pe.error == QJsonParseError::NoError && doc.isObject(), qPrintable(lines[i]));
            const QJsonObject g = doc.object();
            for (const char *key : {"group", "state", "members", "member_count", "total_lag", "max_time_lag_s", "max_time_lag_known",
                                    "status", "reason", "at_ms", "cycle", "rebalance_timeline"})
                QVERIFY2(g.contains(QLatin1String(key)), key);
            QVERIFY(!g.contains(QStringLiteral("partitions")));
            QCOMPARE(g.value(QStringLiteral("group")).toString(), QStringLiteral("notification-service"));
            QCOMPARE(g.value(QStringLiteral("cycle")).toInt(), i + 1);
            QCOMPARE(g.value(QStringLiteral("member_count")).toInt(), g.value(QStringLiteral("members")).toArray().size());
            QVERIFY(g.value(QStringLiteral("total_lag")).isDouble());
            QVERIFY(g.value(QStringLiteral("max_time_lag_known")).isBool());
            const QStringList statuses{QStringLiteral("OK"), QStringLiteral("WARNING"), QStringLiteral("ERROR"), QStringLiteral("STALLED"),
                                       QStringLiteral("STOPPED")};
            QVERIFY(statuses.contains(g.value(QStringLiteral("status")).toString()));
            QVERIFY(!g.value(QStringLiteral("reason")).toString().isEmpty());
            // Cycles start --interval-ms apart (a cycle may run late, never early).
            const double at = g.value(QStringLiteral("at_ms")).toDouble();
            if (i)
                QVERIFY2(at - lastAt >= 400, qPrintable(QString::number(at - lastAt)));
            lastAt = at;
            checkRebalanceFacts(g);
        }
    }

    // Without --cycles, watch runs until SIGINT or SIGTERM, then ends its loop cleanly with status 0.
    void watchStopsOnSignal_data()
    {
        QTest::addColumn<int>("signal");
        QTest::newRow("SIGTERM") << int(SIGTERM);
        QTest::newRow("SIGINT") << int(SIGINT);
    }
    void watchStopsOnSignal()
    {
        QFETCH(int, signal);
        QProcess p;
        p.setProcessEnvironment(headlessEnvironment());
        p.start(app(), {QStringLiteral("watch"), QStringLiteral("--cluster"), QStringLiteral("embedded"), QStringLiteral("--json")});
        QVERIFY(p.waitForStarted());
        QByteArray out;
        QElapsedTimer timer;
        timer.start();
        while (out.count('\n') < 2 && timer.elapsed() < 60000 && p.state() == QProcess::Running) {
            p.waitForReadyRead(1000);
            out += p.readAllStandardOutput();
        }
        QVERIFY2(out.count('\n') >= 2, out.constData());
        QCOMPARE(p.state(), QProcess::Running); // still watching
        QCOMPARE(::kill(static_cast<pid_t>(p.processId()), signal), 0);
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 0);
        out += p.readAllStandardOutput();
        for (const QByteArray &l : out.split('\n'))
            if (!l.isEmpty())
                QVERIFY2(QJsonDocument::fromJson(l).isObject(), l.constData()); // no half-written line
    }

    void watchHelp()
    {
        const Run h = run({QStringLiteral("watch"), QStringLiteral("--help")});
        QCOMPARE(h.exitCode, 0);
        QVERIFY2(h.out.startsWith(QStringLiteral("Usage: kafka-collab-lab watch [options]\n")), qPrintable(h.out));
        for (const char *o : {"--cluster", "--group", "--json", "--cycles", "--interval-ms"})
            QVERIFY2(h.out.contains(QLatin1String(o)), o);
    }

    void watchBadOptionsExitWithTwo_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("unknown option") << QStringList{QStringLiteral("--bogus")} << "bogus";
        QTest::newRow("cycles zero") << QStringList{QStringLiteral("--cycles"), QStringLiteral("0")} << "--cycles";
        QTest::newRow("cycles text") << QStringList{QStringLiteral("--cycles"), QStringLiteral("three")} << "--cycles";
        QTest::newRow("cycles missing") << QStringList{QStringLiteral("--cycles")} << "cycles";
        QTest::newRow("interval too short") << QStringList{QStringLiteral("--interval-ms"), QStringLiteral("5")} << "--interval-ms";
        QTest::newRow("interval text") << QStringList{QStringLiteral("--interval-ms"), QStringLiteral("fast")} << "--interval-ms";
        QTest::newRow("cluster bad") << QStringList{QStringLiteral("--cluster"), QStringLiteral("kafka")} << "--cluster";
        QTest::newRow("empty group") << QStringList{QStringLiteral("--group"), QString()} << "--group";
        QTest::newRow("stray argument") << QStringList{QStringLiteral("now")} << "now";
    }
    void watchBadOptionsExitWithTwo()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, mentions);
        const Run r = run(QStringList{QStringLiteral("watch")} + args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.startsWith(QStringLiteral("kafka-collab-lab watch: ")), qPrintable(r.err));
        QVERIFY2(r.err.contains(mentions), qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
    }
};

QTEST_GUILESS_MAIN(CliTest)
#include "tst_cli.moc"
