#include "cli/Doctor.h"

#include "cluster/LabStack.h"
#include "install/InstallPaths.h"
#include "labs/Lab.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QStorageInfo>
#include <QTcpServer>
#include <QTextStream>
#include <QVersionNumber>

#include <algorithm>
#include <climits>
#include <unistd.h>

namespace kcl {

namespace {

constexpr qint64 kMinFreeBytes = qint64(2) * 1024 * 1024 * 1024; // 2 GiB: jars (~300 MB), logs, data
constexpr int kJavaTimeoutMs = 15000;
constexpr int kMavenTimeoutMs = 30000;

QString sudo() { return ::geteuid() == 0 ? QString() : QStringLiteral("sudo "); }

QString aptInstall(const QStringList &packages)
{
    return sudo() + QStringLiteral("apt-get install -y ") + packages.join(QLatin1Char(' '));
}

struct ProcResult {
    bool started = false;
    bool finished = false;
    int exitCode = -1;
    QString output; // stdout + stderr
};

ProcResult runTool(const QString &program, const QStringList &args, int timeoutMs)
{
    ProcResult r;
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.setStandardInputFile(QProcess::nullDevice());
    p.start(program, args);
    if (!p.waitForStarted(5000))
        return r;
    r.started = true;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(2000);
        r.output = QString::fromLocal8Bit(p.readAll());
        return r;
    }
    r.finished = p.exitStatus() == QProcess::NormalExit;
    r.exitCode = p.exitCode();
    r.output = QString::fromLocal8Bit(p.readAll());
    return r;
}

QString firstLine(const QString &s)
{
    const QString t = s.trimmed();
    const qsizetype nl = t.indexOf(QLatin1Char('\n'));
    return (nl < 0 ? t : t.left(nl)).trimmed();
}

QString stackHome()
{
    if (const QString h = qEnvironmentVariable("KCL_STACK_HOME"); !h.isEmpty())
        return h;
    return userDataDirectory() + QStringLiteral("/stack");
}

quint16 envPort(const char *name, quint16 fallback)
{
    bool ok = false;
    const int v = qEnvironmentVariableIntValue(name, &ok);
    return ok && v > 0 && v < 65536 ? quint16(v) : fallback;
}

// The ports `labstack.sh up --brokers 3 --with search,sql` binds, with what needs each.
QList<QPair<quint16, QString>> stackPorts()
{
    QList<QPair<quint16, QString>> ports;
    if (qEnvironmentVariableIsSet("KCL_DOCTOR_PORTS")) {
        const QStringList parts = qEnvironmentVariable("KCL_DOCTOR_PORTS").split(QRegularExpression(QStringLiteral("[,\\s]+")), Qt::SkipEmptyParts);
        for (const QString &p : parts) {
            bool ok = false;
            const uint v = p.toUInt(&ok);
            if (ok && v > 0 && v < 65536)
                ports.append({quint16(v), QStringLiteral("requested in KCL_DOCTOR_PORTS")});
        }
        return ports;
    }
    const quint16 kafka = envPort("KCL_KAFKA_PORT", 9092);
    const quint16 controller = envPort("KCL_KAFKA_CONTROLLER_PORT", 9192);
    for (int n = 0; n < 3; ++n)
        ports.append({quint16(kafka + n), QStringLiteral("Kafka broker %1").arg(n + 1)});
    for (int n = 0; n < 3; ++n)
        ports.append({quint16(controller + n), QStringLiteral("Kafka controller %1").arg(n + 1)});
    const quint16 sasl = envPort("KCL_KAFKA_SASL_PORT", 9292);
    for (int n = 0; n < 3; ++n)
        ports.append({quint16(sasl + n), QStringLiteral("Kafka SASL listener %1").arg(n + 1)});
    const quint16 ssl = envPort("KCL_KAFKA_SSL_PORT", 9392);
    for (int n = 0; n < 3; ++n)
        ports.append({quint16(ssl + n), QStringLiteral("Kafka TLS listener %1").arg(n + 1)});
    ports.append({envPort("KCL_SEARCH_PORT", 9200), QStringLiteral("search node (HTTP)")});
    ports.append({envPort("KCL_SEARCH_TRANSPORT_PORT", 9300), QStringLiteral("search node (transport)")});
    ports.append({envPort("KCL_SQL_PORT", 5433), QStringLiteral("PostgreSQL")});
    return ports;
}

// Socket inodes of TCP listeners on `port`, from /proc/net/tcp and /proc/net/tcp6.
QList<quint64> listeningInodes(quint16 port)
{
    QList<quint64> inodes;
    for (const char *table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
        QFile f(QString::fromLatin1(table));
        if (!f.open(QIODevice::ReadOnly | QIODevice::Text))
            continue;
        f.readLine(); // header
        while (!f.atEnd()) {
            const QList<QByteArray> cols = f.readLine().simplified().split(' ');
            if (cols.size() < 10 || cols.at(3) != "0A") // 0A = LISTEN
                continue;
            const QByteArray &local = cols.at(1);
            const qsizetype colon = local.lastIndexOf(':');
            bool ok = false;
            if (colon < 0 || local.mid(colon + 1).toUInt(&ok, 16) != port || !ok)
                continue;
            inodes.append(cols.at(9).toULongLong());
        }
    }
    return inodes;
}

QString readProcText(qint64 pid, const char *file)
{
    QFile f(QStringLiteral("/proc/%1/%2").arg(pid).arg(QString::fromLatin1(file)));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QByteArray b = f.read(8192);
    b.replace('\0', ' ');
    return QString::fromLocal8Bit(b).trimmed();
}

// The pid whose open files include socket:[inode], or -1 (not found, or another user's process).
qint64 pidOfSocket(quint64 inode)
{
    const QByteArray wanted = "socket:[" + QByteArray::number(inode) + "]";
    const QStringList pids = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &pidName : pids) {
        bool ok = false;
        const qint64 pid = pidName.toLongLong(&ok);
        if (!ok)
            continue;
        const QString fdDir = QStringLiteral("/proc/%1/fd").arg(pid);
        const QStringList fds = QDir(fdDir).entryList(QDir::Files | QDir::System | QDir::NoDotAndDotDot);
        for (const QString &fd : fds) {
            char buf[128];
            const QByteArray path = QFile::encodeName(fdDir + QLatin1Char('/') + fd);
            const ssize_t n = ::readlink(path.constData(), buf, sizeof buf - 1);
            if (n > 0 && QByteArray(buf, int(n)) == wanted)
                return pid;
        }
    }
    return -1;
}

bool isOwnStackProcess(qint64 pid)
{
    const QString cmd = readProcText(pid, "cmdline");
    return cmd.contains(QStringLiteral("-Dkcl.stack.")) || cmd.contains(stackHome());
}

QString statusWord(DoctorCheck::Status s)
{
    switch (s) {
    case DoctorCheck::Status::Ok: return QStringLiteral("OK");
    case DoctorCheck::Status::Missing: return QStringLiteral("MISSING");
    case DoctorCheck::Status::Busy: return QStringLiteral("BUSY");
    case DoctorCheck::Status::Warn: return QStringLiteral("WARN");
    }
    return {};
}

DoctorCheck checkJava()
{
    DoctorCheck c{QStringLiteral("java"), DoctorCheck::Status::Missing, {}, QStringLiteral("openjdk-17-jre-headless"), {}};
    QString java;
    if (const QString home = qEnvironmentVariable("JAVA_HOME"); !home.isEmpty() && QFileInfo(home + QStringLiteral("/bin/java")).isExecutable())
        java = home + QStringLiteral("/bin/java");
    else
        java = QStandardPaths::findExecutable(QStringLiteral("java"));
    if (java.isEmpty()) {
        c.detail = QStringLiteral("Java 17 or newer is needed by Kafka and the search node; 'java' is not in PATH (nor in JAVA_HOME)");
        return c;
    }
    const ProcResult r = runTool(java, {QStringLiteral("-version")}, kJavaTimeoutMs);
    if (!r.finished) {
        c.detail = QStringLiteral("%1 -version did not %2").arg(java, r.started ? QStringLiteral("finish within %1 s").arg(kJavaTimeoutMs / 1000) : QStringLiteral("start"));
        return c;
    }
    const int major = parseJavaMajorVersion(r.output);
    if (major < 17) {
        c.detail = QStringLiteral("%1 is Java %2; Kafka needs Java 17 or newer (%3)")
                       .arg(java, major > 0 ? QString::number(major) : QStringLiteral("?"), firstLine(r.output));
        c.hint = QStringLiteral("if a newer Java is installed too, pick it: sudo update-alternatives --config java, or set JAVA_HOME");
        return c;
    }
    c.status = DoctorCheck::Status::Ok;
    c.aptPackage.clear();
    c.detail = QStringLiteral("Java %1 (%2) at %3").arg(major).arg(firstLine(r.output), java);
    return c;
}

DoctorCheck checkMaven()
{
    DoctorCheck c{QStringLiteral("maven"), DoctorCheck::Status::Missing, {}, QStringLiteral("maven"), {}};
    const QString mvn = QStandardPaths::findExecutable(QStringLiteral("mvn"));
    if (mvn.isEmpty()) {
        c.detail = QStringLiteral("Maven fetches the Kafka and search jars (once); 'mvn' is not in PATH");
        return c;
    }
    c.aptPackage.clear();
    const ProcResult r = runTool(mvn, {QStringLiteral("-v"), QStringLiteral("-B")}, kMavenTimeoutMs);
    if (!r.finished || r.exitCode != 0) {
        c.status = DoctorCheck::Status::Warn;
        c.detail = QStringLiteral("%1 is there but 'mvn -v' %2").arg(mvn, r.finished ? QStringLiteral("failed: ") + firstLine(r.output) : QStringLiteral("did not finish"));
        return c;
    }
    c.status = DoctorCheck::Status::Ok;
    c.detail = QStringLiteral("%1 at %2").arg(firstLine(r.output).remove(QRegularExpression(QStringLiteral("\\s*\\(.*\\)$"))), mvn);
    return c;
}

DoctorCheck checkPostgres()
{
    DoctorCheck c{QStringLiteral("postgresql"), DoctorCheck::Status::Missing, {}, QStringLiteral("postgresql"), {}};
    QStringList dirs;
    if (const QString pgConfig = QStandardPaths::findExecutable(QStringLiteral("pg_config")); !pgConfig.isEmpty()) {
        const ProcResult r = runTool(pgConfig, {QStringLiteral("--bindir")}, 5000);
        if (r.finished && r.exitCode == 0)
            dirs << r.output.trimmed();
    }
    QStringList versions = QDir(QStringLiteral("/usr/lib/postgresql")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    std::sort(versions.begin(), versions.end(), [](const QString &a, const QString &b) {
        return QVersionNumber::fromString(a) > QVersionNumber::fromString(b);
    });
    for (const QString &v : versions)
        dirs << QStringLiteral("/usr/lib/postgresql/%1/bin").arg(v);
    for (const QString &d : dirs) {
        if (QFileInfo(d + QStringLiteral("/initdb")).isExecutable() && QFileInfo(d + QStringLiteral("/pg_ctl")).isExecutable()) {
            c.status = DoctorCheck::Status::Ok;
            c.aptPackage.clear();
            c.detail = QStringLiteral("initdb and pg_ctl in %1 (the stack runs its own cluster, not the system service)").arg(d);
            return c;
        }
    }
    c.detail = QStringLiteral("the PostgreSQL server binaries (initdb, pg_ctl) are not in /usr/lib/postgresql/*/bin");
    return c;
}

QList<DoctorCheck> checkPorts()
{
    QList<DoctorCheck> checks;
    for (const auto &[port, what] : stackPorts()) {
        DoctorCheck c{QStringLiteral("port %1").arg(port), DoctorCheck::Status::Ok, {}, {}, {}};
        const QString holder = listenerOfPort(port);
        if (!holder.isEmpty()) {
            const qsizetype p = holder.indexOf(QStringLiteral("pid "));
            const qint64 pid = p < 0 ? -1 : holder.mid(p + 4).section(QLatin1Char(' '), 0, 0).toLongLong();
            if (pid > 0 && isOwnStackProcess(pid)) {
                c.status = DoctorCheck::Status::Warn;
                c.detail = QStringLiteral("in use by the lab stack itself (%1, %2): it is already running").arg(holder, what);
                c.hint = QStringLiteral("kafka-collab-lab stack down stops it");
            } else {
                c.status = DoctorCheck::Status::Busy;
                c.detail = QStringLiteral("port %1 (%2) is in use by %3").arg(port).arg(what, holder);
                c.hint = QStringLiteral("stop that process (see: ss -ltnp 'sport = :%1'), or move the stack: KCL_KAFKA_PORT, "
                                        "KCL_KAFKA_CONTROLLER_PORT, KCL_KAFKA_SASL_PORT, KCL_KAFKA_SSL_PORT, KCL_SEARCH_PORT, KCL_SEARCH_TRANSPORT_PORT, KCL_SQL_PORT").arg(port);
            }
        } else {
            QTcpServer probe;
            if (!probe.listen(QHostAddress::LocalHost, port)) {
                c.status = DoctorCheck::Status::Busy;
                c.detail = QStringLiteral("port %1 (%2) cannot be bound on 127.0.0.1: %3").arg(port).arg(what, probe.errorString());
                c.hint = QStringLiteral("see: ss -ltnp 'sport = :%1'").arg(port);
            } else {
                c.detail = QStringLiteral("free (%1)").arg(what);
            }
        }
        checks << c;
    }
    return checks;
}

DoctorCheck checkDisk()
{
    DoctorCheck c{QStringLiteral("disk"), DoctorCheck::Status::Ok, {}, {}, {}};
    const QString home = stackHome();
    QString existing = home;
    while (!existing.isEmpty() && !QFileInfo::exists(existing) && existing != QStringLiteral("/"))
        existing = QFileInfo(existing).absolutePath();
    const QStorageInfo st(existing.isEmpty() ? QStringLiteral("/") : existing);
    if (!st.isValid()) {
        c.status = DoctorCheck::Status::Warn;
        c.detail = QStringLiteral("cannot tell the free space for %1").arg(home);
        return c;
    }
    const double gib = double(st.bytesAvailable()) / (1024.0 * 1024.0 * 1024.0);
    c.detail = QStringLiteral("%1 GiB free for the stack's data in %2").arg(gib, 0, 'f', 1).arg(home);
    if (st.bytesAvailable() < kMinFreeBytes) {
        c.status = DoctorCheck::Status::Warn;
        c.detail += QStringLiteral(" (less than 2 GiB: the jars, logs and data may not fit)");
        c.hint = QStringLiteral("free some space, or put the stack elsewhere with KCL_STACK_HOME");
    }
    return c;
}

QList<DoctorCheck> checkScript()
{
    QList<DoctorCheck> checks;
    DoctorCheck c{QStringLiteral("labstack"), DoctorCheck::Status::Ok, {}, {}, {}};
    QString error;
    const QString script = LabStack::locateScript(&error);
    if (script.isEmpty()) {
        c.status = DoctorCheck::Status::Missing;
        c.detail = error;
        c.hint = QStringLiteral("reinstall the package (%1apt-get install --reinstall kafka-collab-lab) or set KCL_STACK_SCRIPT").arg(sudo());
        checks << c;
        return checks;
    }
    const QString pom = QFileInfo(script).absolutePath() + QStringLiteral("/pom.xml");
    if (!QFileInfo::exists(pom)) {
        c.status = DoctorCheck::Status::Missing;
        c.detail = QStringLiteral("%1 found, but its pom.xml is not next to it").arg(script);
        checks << c;
        return checks;
    }
    c.detail = script;
    checks << c;

    DoctorCheck jars{QStringLiteral("jar cache"), DoctorCheck::Status::Ok, {}, {}, {}};
    const QString lib = qEnvironmentVariableIsEmpty("KCL_STACK_LIB") ? stackHome() + QStringLiteral("/lib") : qEnvironmentVariable("KCL_STACK_LIB");
    const QStringList kafkaDirs = QDir(lib).entryList({QStringLiteral("kafka-*")}, QDir::Dirs | QDir::NoDotAndDotDot);
    if (kafkaDirs.isEmpty()) {
        jars.status = DoctorCheck::Status::Warn;
        jars.detail = QStringLiteral("no Kafka jars in %1 yet: the first 'kafka-collab-lab stack up' downloads them from Maven Central (needs the network)").arg(lib);
    } else {
        jars.detail = QStringLiteral("%1 in %2").arg(kafkaDirs.join(QStringLiteral(", ")), lib);
    }
    checks << jars;
    return checks;
}

} // namespace

int parseJavaMajorVersion(const QString &versionOutput)
{
    static const QRegularExpression re(QStringLiteral("version \"(\\d+)(?:\\.(\\d+))?"));
    const QRegularExpressionMatch m = re.match(versionOutput);
    if (!m.hasMatch())
        return 0;
    const int first = m.captured(1).toInt();
    if (first == 1 && m.hasCaptured(2))
        return m.captured(2).toInt(); // "1.8.0_292" -> 8
    return first;
}

QString listenerOfPort(quint16 port)
{
    const QList<quint64> inodes = listeningInodes(port);
    if (inodes.isEmpty())
        return {};
    for (quint64 inode : inodes) {
        if (inode == 0)
            continue;
        const qint64 pid = pidOfSocket(inode);
        if (pid > 0) {
            const QString comm = readProcText(pid, "comm");
            return QStringLiteral("pid %1 (%2)").arg(pid).arg(comm.isEmpty() ? QStringLiteral("?") : comm);
        }
    }
    return QStringLiteral("a process this user cannot see (socket inode %1)").arg(inodes.constFirst());
}

// Where the lab files are read from (the installed copy or the source tree), so a user sees which copy runs.
static DoctorCheck checkLabs()
{
    DoctorCheck c{QStringLiteral("labs"), DoctorCheck::Status::Ok, {}, {}, {}};
    const QString dir = defaultLabDirectory();
    const qsizetype n = QDir(dir).entryList({QStringLiteral("*.lab")}, QDir::Files).size();
    if (n == 0) {
        c.status = DoctorCheck::Status::Warn;
        c.detail = QStringLiteral("no lab files in %1").arg(dir);
        c.hint = QStringLiteral("reinstall the package (%1apt-get install --reinstall kafka-collab-lab) or set KCL_LABS_DIR").arg(sudo());
    } else {
        c.detail = QStringLiteral("%1 lab file(s) in %2").arg(n).arg(dir);
    }
    return c;
}

QList<DoctorCheck> runDoctorChecks()
{
    QList<DoctorCheck> checks;
    checks << checkJava() << checkMaven() << checkPostgres();
    checks << checkPorts();
    checks << checkDisk();
    checks << checkScript();
    checks << checkLabs();
    return checks;
}

int runDoctor(const QStringList &args, QTextStream &out, QTextStream &err)
{
    for (const QString &a : args) {
        if (a == QStringLiteral("-h") || a == QStringLiteral("--help")) {
            out << "Usage: kafka-collab-lab doctor\n"
                   "Checks what the local lab stack needs (Java 17+, Maven, PostgreSQL server binaries, free ports,\n"
                   "disk space, the labstack script) and prints the apt-get command for what is missing.\n"
                   "Exit status 0 when everything needed is there, 1 otherwise. The embedded cluster needs none of it.\n";
            out.flush();
            return 0;
        }
        err << "kafka-collab-lab doctor: unknown option '" << a << "' (try --help)\n";
        err.flush();
        return 2;
    }

    out << "Kafka Collab Lab " << KCL_VERSION << ": what the local lab stack needs on this machine\n";
    const QList<DoctorCheck> checks = runDoctorChecks();
    QStringList apt;
    bool ok = true;
    for (const DoctorCheck &c : checks) {
        QString line = statusWord(c.status).leftJustified(8) + c.name.leftJustified(11) + c.detail;
        if (c.blocking() && !c.aptPackage.isEmpty()) {
            line += QStringLiteral("\n                   install it: ") + aptInstall({c.aptPackage});
            if (!apt.contains(c.aptPackage))
                apt << c.aptPackage;
        }
        if (!c.hint.isEmpty())
            line += QStringLiteral("\n                   ") + c.hint;
        out << line << '\n';
        ok = ok && !c.blocking();
    }
    if (ok) {
        out << "Everything the local lab stack needs is here: kafka-collab-lab stack up\n";
    } else {
        out << "The local lab stack cannot start yet (the embedded cluster, the default, works without it).\n";
        if (!apt.isEmpty())
            out << "To install what is missing: " << aptInstall(apt) << '\n';
    }
    out.flush();
    return ok ? 0 : 1;
}

} // namespace kcl
