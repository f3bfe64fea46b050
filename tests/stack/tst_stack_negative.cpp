// The lab stack controller's failure paths and lifecycle (label: stack), driven through kcl::LabStack exactly as
// the app drives it. Every case runs its own throwaway stack: KCL_STACK_HOME in a temporary directory and ports
// picked free for this run, so it never touches the shared stack on the default ports.
#include "cluster/LabStack.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <algorithm>
#include <csignal>
#include <sys/types.h>

using kcl::LabStack;

namespace {

// A free port from `low` to `high` (the search node's HTTP port must be at most 9299), 0 if none.
quint16 freePortIn(quint16 low, quint16 high)
{
    for (quint16 p = low; p <= high; ++p) {
        QTcpServer s;
        if (s.listen(QHostAddress::LocalHost, p) && s.serverPort() == p)
            return p;
    }
    return 0;
}

quint16 freePort()
{
    QTcpServer s;
    if (!s.listen(QHostAddress::LocalHost, 0))
        return 0;
    return s.serverPort();
}

// The jar cache the shared stack uses, so a throwaway stack does not resolve jars again.
QString sharedLibDir()
{
    if (qEnvironmentVariableIsSet("KCL_STACK_LIB"))
        return qEnvironmentVariable("KCL_STACK_LIB");
    QString home = qEnvironmentVariable("KCL_STACK_HOME");
    if (home.isEmpty()) {
        QString data = qEnvironmentVariable("XDG_DATA_HOME");
        if (data.isEmpty())
            data = QDir::homePath() + QStringLiteral("/.local/share");
        home = data + QStringLiteral("/kafka-collab-lab/stack");
    }
    return home + QStringLiteral("/lib");
}

// Processes whose command line carries "-Dkcl.stack.home=HOME" (the marker labstack.sh gives its JVMs).
QList<qint64> processesOf(const QString &home)
{
    QList<qint64> pids;
    const QByteArray marker = QByteArrayLiteral("-Dkcl.stack.home=") + home.toUtf8();
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &e : entries) {
        bool ok = false;
        const qint64 pid = e.toLongLong(&ok);
        if (!ok)
            continue;
        QFile f(QStringLiteral("/proc/%1/cmdline").arg(e));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        QByteArray cmd = f.readAll();
        cmd.replace('\0', ' ');
        if (cmd.contains(marker + ' '))
            pids << pid;
    }
    return pids;
}

// A process's niceness (/proc/PID/stat, field 19), or -100 when it cannot be read.
int niceOf(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return -100;
    const QByteArray stat = f.readAll();
    const QList<QByteArray> fields = stat.mid(stat.lastIndexOf(')') + 2).split(' '); // from field 3 (state) on
    return fields.size() > 16 ? fields[16].toInt() : -100;
}

// PostgreSQL processes (postmaster and its children) whose command line names this stack's SQL port.
int postgresProcessesOnPort(const LabStack *s)
{
    const QString port = s->environment().value(QStringLiteral("KCL_SQL_PORT"));
    int n = 0;
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &e : entries) {
        QFile f(QStringLiteral("/proc/%1/cmdline").arg(e));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        QByteArray cmd = f.readAll();
        cmd.replace('\0', ' ');
        if (cmd.contains("postgres") && cmd.contains(QByteArrayLiteral("-p ") + port.toUtf8() + ' '))
            ++n;
    }
    return n;
}

} // namespace

class TestStackNegative : public QObject {
    Q_OBJECT
    QTemporaryDir m_tmp;

    // A controller on a fresh stack home with free, non-default ports.
    LabStack *stack(const QString &name, QProcessEnvironment extra = {})
    {
        auto *s = new LabStack(this);
        QProcessEnvironment env;
        env.insert(QStringLiteral("KCL_STACK_HOME"), m_tmp.filePath(name));
        env.insert(QStringLiteral("KCL_STACK_LIB"), sharedLibDir());
        env.insert(QStringLiteral("KCL_KAFKA_PORT"), QString::number(freePort()));
        env.insert(QStringLiteral("KCL_KAFKA_CONTROLLER_PORT"), QString::number(freePort()));
        env.insert(QStringLiteral("KCL_KAFKA_SASL_PORT"), QString::number(freePort()));
        env.insert(QStringLiteral("KCL_KAFKA_SSL_PORT"), QString::number(freePort()));
        env.insert(QStringLiteral("KCL_SEARCH_PORT"), QString::number(freePortIn(9211, 9299))); // not the shared stack's 9200
        env.insert(QStringLiteral("KCL_SEARCH_TRANSPORT_PORT"), QString::number(freePort()));
        env.insert(QStringLiteral("KCL_SQL_PORT"), QString::number(freePort()));
        env.insert(QStringLiteral("KCL_STACK_TIMEOUT"), QStringLiteral("60"));
        const QStringList keys = extra.keys();
        for (const QString &k : keys)
            env.insert(k, extra.value(k));
        s->setEnvironment(env);
        return s;
    }

    // A PATH with everything of /usr/bin, /bin, /usr/sbin, /sbin except the given programs.
    QString pathWithout(const QString &name, const QStringList &hide)
    {
        const QString dir = m_tmp.filePath(name + QStringLiteral("-bin"));
        QDir().mkpath(dir);
        for (const QString &src : {QStringLiteral("/usr/local/bin"), QStringLiteral("/usr/bin"), QStringLiteral("/bin"),
                                   QStringLiteral("/usr/sbin"), QStringLiteral("/sbin")}) {
            const QStringList files = QDir(src).entryList(QDir::Files | QDir::System | QDir::NoDotAndDotDot);
            for (const QString &f : files) {
                if (hide.contains(f) || QFileInfo::exists(dir + QLatin1Char('/') + f))
                    continue;
                QFile::link(src + QLatin1Char('/') + f, dir + QLatin1Char('/') + f);
            }
        }
        return dir;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        QString why;
        QVERIFY2(!LabStack::locateScript(&why).isEmpty(), qPrintable(why));
    }

    void statusWhenNothingRuns()
    {
        LabStack *s = stack(QStringLiteral("status-empty"));
        const LabStack::Result r = s->run({QStringLiteral("status")}, 30000);
        QVERIFY2(r.exitCode == 0, qPrintable(r.output()));
        QVERIFY2(r.out.contains(QStringLiteral("nothing is running")), qPrintable(r.output()));

        QString error;
        const LabStack::Status st = s->queryStatus(&error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(st.components.isEmpty());
        QVERIFY(!st.anyRunning());
        QCOMPARE(st.brokers, 0);
        QCOMPARE(st.stackHome, m_tmp.filePath(QStringLiteral("status-empty")));
    }

    void downTwice()
    {
        LabStack *s = stack(QStringLiteral("down-twice"));
        const LabStack::Result a = s->run({QStringLiteral("down")}, 30000);
        QVERIFY2(a.exitCode == 0, qPrintable(a.output()));
        const LabStack::Result b = s->run({QStringLiteral("down")}, 30000);
        QVERIFY2(b.exitCode == 0, qPrintable(b.output()));
        QVERIFY2(b.out.contains(QStringLiteral("nothing")), qPrintable(b.output()));
    }

    void upWithBrokerPortTaken()
    {
        QTcpServer blocker;
        QVERIFY(blocker.listen(QHostAddress::LocalHost, 0));
        const QString port = QString::number(blocker.serverPort());
        QProcessEnvironment extra;
        extra.insert(QStringLiteral("KCL_KAFKA_PORT"), port);
        LabStack *s = stack(QStringLiteral("port-taken"), extra);
        QElapsedTimer t;
        t.start();
        const LabStack::Result r = s->run({QStringLiteral("up")}, 60000);
        QVERIFY2(r.exitCode == LabStack::PortBusy, qPrintable(QStringLiteral("exit %1: %2").arg(r.exitCode).arg(r.output())));
        QVERIFY2(r.err.contains(QStringLiteral("port %1").arg(port)), qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("already in use")), qPrintable(r.err));
        // names who holds it: this test process (ss -ltnp)
        QVERIFY2(r.err.contains(QStringLiteral("(pid %1").arg(QCoreApplication::applicationPid())), qPrintable(r.err));
        QVERIFY2(t.elapsed() < 20000, "the busy port must be reported before anything is started");
        QVERIFY(processesOf(m_tmp.filePath(QStringLiteral("port-taken"))).isEmpty());
    }

    void javaMissing()
    {
        QProcessEnvironment extra;
        extra.insert(QStringLiteral("PATH"), pathWithout(QStringLiteral("nojava"), {QStringLiteral("java"), QStringLiteral("javac")}));
        extra.insert(QStringLiteral("JAVA_HOME"), QString());
        LabStack *s = stack(QStringLiteral("no-java"), extra);
        const LabStack::Result r = s->run({QStringLiteral("up")}, 30000);
        QVERIFY2(r.exitCode == LabStack::MissingPrerequisite,
                 qPrintable(QStringLiteral("exit %1: %2").arg(r.exitCode).arg(r.output())));
        QVERIFY2(r.err.contains(QStringLiteral("install openjdk-17-jdk-headless")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("'java' was not found")), qPrintable(r.err));
    }

    void mavenMissingWhenJarsAreNeeded()
    {
        QProcessEnvironment extra;
        extra.insert(QStringLiteral("PATH"), pathWithout(QStringLiteral("nomvn"), {QStringLiteral("mvn"), QStringLiteral("mvnDebug")}));
        extra.insert(QStringLiteral("KCL_STACK_LIB"), m_tmp.filePath(QStringLiteral("no-mvn/empty-lib")));
        LabStack *s = stack(QStringLiteral("no-mvn"), extra);
        const LabStack::Result r = s->run({QStringLiteral("resolve")}, 30000);
        QVERIFY2(r.exitCode == LabStack::MissingPrerequisite,
                 qPrintable(QStringLiteral("exit %1: %2").arg(r.exitCode).arg(r.output())));
        QVERIFY2(r.err.contains(QStringLiteral("install maven")), qPrintable(r.err));
    }

    // What `kafka-collab-lab stack ...` calls: output forwarded, the script's exit code returned.
    void runStackCommandForwardsExitCode()
    {
        const QByteArray saved = qgetenv("KCL_STACK_HOME");
        qputenv("KCL_STACK_HOME", m_tmp.filePath(QStringLiteral("cli")).toUtf8());
        QCOMPARE(kcl::runStackCommand({QStringLiteral("status")}), 0);
        QCOMPARE(kcl::runStackCommand({QStringLiteral("down")}), 0);
        QCOMPARE(kcl::runStackCommand({QStringLiteral("no-such-command")}), int(LabStack::Usage));
        QCOMPARE(kcl::runStackCommand({QStringLiteral("--help")}), 0);
        if (saved.isNull())
            qunsetenv("KCL_STACK_HOME");
        else
            qputenv("KCL_STACK_HOME", saved);
    }

    void unknownCommandAndOptions()
    {
        LabStack *s = stack(QStringLiteral("usage"));
        QCOMPARE(s->run({QStringLiteral("frobnicate")}, 10000).exitCode, int(LabStack::Usage));
        QCOMPARE(s->run({QStringLiteral("up"), QStringLiteral("--brokers"), QStringLiteral("2")}, 10000).exitCode, int(LabStack::Usage));
        QCOMPARE(s->run({QStringLiteral("up"), QStringLiteral("--with"), QStringLiteral("mongodb")}, 10000).exitCode, int(LabStack::Usage));
        QCOMPARE(s->run({QStringLiteral("tool"), QStringLiteral("kafka-nope")}, 10000).exitCode, int(LabStack::Usage));

        // The search runner cannot serve HTTP above 9299: said before anything starts, not a silent exit later.
        QProcessEnvironment high;
        high.insert(QStringLiteral("KCL_SEARCH_PORT"), QStringLiteral("19200"));
        LabStack *h = stack(QStringLiteral("search-port-high"), high);
        const LabStack::Result r = h->run({QStringLiteral("up"), QStringLiteral("--with"), QStringLiteral("search")}, 30000);
        QVERIFY2(r.exitCode == LabStack::Usage && r.err.contains(QStringLiteral("9299")), qPrintable(r.output()));
        QVERIFY(processesOf(m_tmp.filePath(QStringLiteral("search-port-high"))).isEmpty());

        QProcessEnvironment badNice;
        badNice.insert(QStringLiteral("KCL_STACK_NICE"), QStringLiteral("high"));
        const LabStack::Result n = stack(QStringLiteral("bad-nice"), badNice)->run({QStringLiteral("up")}, 10000);
        QVERIFY2(n.exitCode == LabStack::Usage && n.err.contains(QStringLiteral("KCL_STACK_NICE")), qPrintable(n.output()));
    }

    // The whole life of a 1-broker stack on throwaway ports: up, idempotent up, kill -9 (crashed), recovery, down,
    // nothing left behind. Uses the shared jar cache; about 20-30 s.
    void lifecycleCrashRecoveryAndCleanDown()
    {
        const QString home = m_tmp.filePath(QStringLiteral("life"));
        LabStack *s = stack(QStringLiteral("life"));

        // asynchronous API, as the GUI uses it
        QSignalSpy done(s, &LabStack::finished);
        QSignalSpy lines(s, &LabStack::outputLine);
        QVERIFY(s->up(1));
        QVERIFY(s->isRunning());
        QVERIFY(!s->up(1)); // one command at a time
        QVERIFY(done.wait(120000));
        const int code = done.at(0).at(0).toInt();
        const QString out = done.at(0).at(1).toString();
        QVERIFY2(code == 0, qPrintable(out));
        QVERIFY2(out.contains(QStringLiteral("kafka ready in")), qPrintable(out));
        QVERIFY(lines.count() >= 2);

        QString error;
        LabStack::Status st = s->queryStatus(&error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(st.brokers, 1);
        QCOMPARE(st.components.size(), 1);
        QCOMPARE(st.components[0].name, QStringLiteral("kafka-1"));
        QCOMPARE(st.components[0].state, QStringLiteral("running"));
        QVERIFY(st.components[0].healthy);
        QVERIFY(st.components[0].since.isValid());
        QVERIFY(st.components[0].startupSeconds > 0);
        QVERIFY(st.allHealthy());
        const qint64 pid = st.components[0].pid;
        QVERIFY(processesOf(home).contains(pid));
        // The broker runs below the desktop's window: 5 steps nicer than whoever started it (KCL_STACK_NICE).
        QCOMPARE(niceOf(pid), std::min(19, niceOf(QCoreApplication::applicationPid()) + 5));

        // idempotent
        LabStack::Result r = s->run({QStringLiteral("up")}, 60000);
        QVERIFY2(r.exitCode == 0 && r.out.contains(QStringLiteral("already running")), qPrintable(r.output()));
        QCOMPARE(s->queryStatus().components.value(0).pid, pid);

        // the reference tools work against it
        r = s->run({QStringLiteral("tool"), QStringLiteral("kafka-topics"), QStringLiteral("--create"), QStringLiteral("--topic"),
                    QStringLiteral("life"), QStringLiteral("--partitions"), QStringLiteral("2")}, 60000);
        QVERIFY2(r.exitCode == 0, qPrintable(r.output()));
        r = s->run({QStringLiteral("tool"), QStringLiteral("kafka-topics"), QStringLiteral("--list")}, 60000);
        QVERIFY2(r.exitCode == 0 && r.out.split(QLatin1Char('\n')).contains(QStringLiteral("life")), qPrintable(r.output()));

        // a broker killed hard: status says crashed (exit 1), up recovers the stale pid file
        QCOMPARE(::kill(pid_t(pid), SIGKILL), 0);
        QTRY_VERIFY_WITH_TIMEOUT(!QFileInfo::exists(QStringLiteral("/proc/%1/cmdline").arg(pid)) ||
                                     !processesOf(home).contains(pid), 10000);
        r = s->run({QStringLiteral("status")}, 30000);
        QVERIFY2(r.exitCode == LabStack::Failed && r.out.contains(QStringLiteral("crashed")), qPrintable(r.output()));
        st = s->queryStatus();
        QCOMPARE(st.components.value(0).state, QStringLiteral("crashed"));
        r = s->run({QStringLiteral("up")}, 120000);
        QVERIFY2(r.exitCode == 0 && r.out.contains(QStringLiteral("stale pid file")), qPrintable(r.output()));
        st = s->queryStatus();
        QCOMPARE(st.components.value(0).state, QStringLiteral("running"));
        QVERIFY(st.components.value(0).pid != pid);
        // the topic survived the crash
        r = s->run({QStringLiteral("tool"), QStringLiteral("kafka-topics"), QStringLiteral("--list")}, 60000);
        QVERIFY2(r.out.split(QLatin1Char('\n')).contains(QStringLiteral("life")), qPrintable(r.output()));

        // down leaves nothing behind
        r = s->run({QStringLiteral("down")}, 60000);
        QVERIFY2(r.exitCode == 0, qPrintable(r.output()));
        QVERIFY2(processesOf(home).isEmpty(), "a process of the stack survived 'down'");
        r = s->run({QStringLiteral("status")}, 30000);
        QVERIFY2(r.exitCode == 0 && r.out.contains(QStringLiteral("nothing is running")), qPrintable(r.output()));
        // down again: nothing to do, still success
        r = s->run({QStringLiteral("down")}, 60000);
        QVERIFY2(r.exitCode == 0 && r.out.contains(QStringLiteral("nothing")), qPrintable(r.output()));

        // the logs outlive the processes: the broker's own log, by component name and by broker number
        r = s->run({QStringLiteral("logs"), QStringLiteral("kafka"), QStringLiteral("-n"), QStringLiteral("5")}, 30000);
        QVERIFY2(r.exitCode == 0 && !r.out.trimmed().isEmpty(), qPrintable(r.output()));
        QVERIFY2(r.out.trimmed().split(QLatin1Char('\n')).size() <= 5, qPrintable(r.output()));
        r = s->run({QStringLiteral("logs"), QStringLiteral("kafka-1")}, 30000);
        QVERIFY2(r.exitCode == 0 && r.out.contains(QStringLiteral("Kafka")), qPrintable(r.output()));
        r = s->run({QStringLiteral("logs"), QStringLiteral("search")}, 30000); // never started here
        QVERIFY2(r.exitCode == LabStack::Failed && r.err.contains(QStringLiteral("no log for search")), qPrintable(r.output()));
        r = s->run({QStringLiteral("logs"), QStringLiteral("zookeeper")}, 30000);
        QVERIFY2(r.exitCode == LabStack::Usage, qPrintable(r.output()));
    }

    // The search node and PostgreSQL die hard (kill -9): status says crashed, up restarts them (PostgreSQL with the
    // stale postmaster.pid of the killed run), and down leaves neither behind. About 60-90 s (two search starts).
    void searchAndSqlCrashRecovery()
    {
        const QString home = m_tmp.filePath(QStringLiteral("life-sinks"));
        LabStack *s = stack(QStringLiteral("life-sinks"));
        const QStringList up{QStringLiteral("up"), QStringLiteral("--brokers"), QStringLiteral("1"),
                             QStringLiteral("--with"), QStringLiteral("search,sql")};
        LabStack::Result r = s->run(up, 240000);
        QVERIFY2(r.exitCode == 0, qPrintable(r.output().right(900)));
        const auto component = [&](const QString &name) {
            for (const auto &c : s->queryStatus().components)
                if (c.name == name)
                    return c;
            return LabStack::Component{};
        };
        for (const QString &name : {QStringLiteral("search"), QStringLiteral("sql")}) {
            const LabStack::Component before = component(name);
            QVERIFY2(before.state == QStringLiteral("running") && before.healthy && before.pid > 0, qPrintable(name));
            QCOMPARE(::kill(pid_t(before.pid), SIGKILL), 0);
            QTRY_VERIFY_WITH_TIMEOUT(component(name).state == QStringLiteral("crashed"), 20000);
            r = s->run({QStringLiteral("status")}, 30000);
            QVERIFY2(r.exitCode == LabStack::Failed && r.out.contains(QStringLiteral("crashed")), qPrintable(r.output()));
            QCOMPARE(component(name).state, QStringLiteral("crashed"));
            r = s->run(up, 240000);
            // The tail: QtTest cuts long messages, and the reason is at the end.
            QVERIFY2(r.exitCode == 0 && r.out.contains(QStringLiteral("%1: stale pid file").arg(name)),
                     qPrintable(QStringLiteral("exit %1: ...%2").arg(r.exitCode).arg(r.output().right(900))));
            const LabStack::Component after = component(name);
            QVERIFY2(after.state == QStringLiteral("running") && after.healthy, qPrintable(r.output()));
            QVERIFY(after.pid != before.pid);
        }
        const qint64 sqlPid = component(QStringLiteral("sql")).pid;
        const qint64 searchPid = component(QStringLiteral("search")).pid;
        r = s->run({QStringLiteral("down")}, 90000);
        QVERIFY2(r.exitCode == 0, qPrintable(r.output()));
        QVERIFY2(processesOf(home).isEmpty(), "a JVM of the stack survived 'down'");
        QTRY_VERIFY_WITH_TIMEOUT(!QFileInfo::exists(QStringLiteral("/proc/%1").arg(sqlPid)), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!QFileInfo::exists(QStringLiteral("/proc/%1").arg(searchPid)), 10000);
        QCOMPARE(postgresProcessesOnPort(s), 0);
    }

    void cleanupTestCase()
    {
        // never leave a throwaway stack running, whatever failed
        const QStringList homes = QDir(m_tmp.path()).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        for (const QString &h : homes) {
            if (processesOf(m_tmp.filePath(h)).isEmpty())
                continue;
            LabStack s;
            QProcessEnvironment env;
            env.insert(QStringLiteral("KCL_STACK_HOME"), m_tmp.filePath(h));
            s.setEnvironment(env);
            s.run({QStringLiteral("down")}, 60000);
        }
    }
};

QTEST_GUILESS_MAIN(TestStackNegative)
#include "tst_stack_negative.moc"
