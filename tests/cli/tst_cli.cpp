// The command line as a user meets it: help, version, bad options (exit status 2), and a short headless run
// of the default pipeline on the embedded cluster with its JSON report.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

class CliTest : public QObject {
    Q_OBJECT
    QString app() const { return qEnvironmentVariable("KCL_APP"); }

    struct Run {
        int exitCode = -1;
        QString out, err;
    };
    Run run(const QStringList &args, int timeoutMs = 60000)
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("DISPLAY"));
        env.remove(QStringLiteral("WAYLAND_DISPLAY"));
        env.remove(QStringLiteral("QT_QPA_PLATFORM"));
        p.setProcessEnvironment(env);
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
        const Run bad = run({QStringLiteral("groups"), QStringLiteral("--cycles"), QStringLiteral("0")});
        QCOMPARE(bad.exitCode, 2);
    }
};

QTEST_GUILESS_MAIN(CliTest)
#include "tst_cli.moc"
