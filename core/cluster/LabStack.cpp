#include "cluster/LabStack.h"
#include "install/InstallPaths.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <cstdio>


namespace kcl {

namespace {

QString bashProgram()
{
    for (const char *p : {"/bin/bash", "/usr/bin/bash"})
        if (QFileInfo(QString::fromLatin1(p)).isExecutable())
            return QString::fromLatin1(p);
    return QStringLiteral("bash");
}

} // namespace

bool LabStack::Status::anyRunning() const
{
    for (const Component &c : components)
        if (c.state == QLatin1String("running"))
            return true;
    return false;
}

bool LabStack::Status::allHealthy() const
{
    if (components.isEmpty())
        return false;
    for (const Component &c : components)
        if (c.state != QLatin1String("running") || !c.healthy)
            return false;
    return true;
}

LabStack::LabStack(QObject *parent)
    : QObject(parent), m_script(locateScript())
{
}

LabStack::~LabStack()
{
    if (m_proc) {
        m_proc->disconnect(this);
        if (m_proc->state() != QProcess::NotRunning) {
            m_proc->terminate();
            if (!m_proc->waitForFinished(3000))
                m_proc->kill();
            m_proc->waitForFinished(1000);
        }
    }
}

QString LabStack::locateScript(QString *error)
{
    QStringList tried;
    const QString fromEnv = qEnvironmentVariable("KCL_STACK_SCRIPT");
    if (!fromEnv.isEmpty()) {
        if (QFileInfo(fromEnv).isFile())
            return QFileInfo(fromEnv).absoluteFilePath();
        tried << fromEnv + QStringLiteral(" (KCL_STACK_SCRIPT)");
    }
    // The installed copy first, then the source tree (resourcePath decides; see InstallPaths.h).
    const QString p = resourcePath(QStringLiteral("stack/labstack.sh"));
    if (QFileInfo(p).isFile())
        return p;
    tried << p;
    if (error)
        *error = QStringLiteral("the lab stack script labstack.sh was not found (looked at: %1); set KCL_STACK_SCRIPT to its path")
                     .arg(tried.join(QStringLiteral(", ")));
    return {};
}

QStringList LabStack::upArguments(int brokers, const QStringList &with)
{
    QStringList args{QStringLiteral("up"), QStringLiteral("--brokers"), QString::number(brokers)};
    if (!with.isEmpty())
        args << QStringLiteral("--with") << with.join(QLatin1Char(','));
    return args;
}

void LabStack::prepare(QProcess &p, const QStringList &args) const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    const QStringList keys = m_env.keys();
    for (const QString &k : keys)
        env.insert(k, m_env.value(k));
    p.setProcessEnvironment(env);
    p.setProgram(bashProgram());
    p.setArguments(QStringList{m_script} + args);
}

bool LabStack::start(const QStringList &args)
{
    if (isRunning() || m_script.isEmpty())
        return false;
    delete m_proc;
    m_proc = new QProcess(this);
    m_output.clear();
    m_pendingOut.clear();
    m_pendingErr.clear();
    prepare(*m_proc, args);
    connect(m_proc, &QProcess::readyReadStandardOutput, this, [this] {
        m_pendingOut += m_proc->readAllStandardOutput();
        drain(false, false);
    });
    connect(m_proc, &QProcess::readyReadStandardError, this, [this] {
        m_pendingErr += m_proc->readAllStandardError();
        drain(true, false);
    });
    connect(m_proc, &QProcess::finished, this, [this](int code, QProcess::ExitStatus st) {
        m_pendingOut += m_proc->readAllStandardOutput();
        m_pendingErr += m_proc->readAllStandardError();
        drain(false, true);
        drain(true, true);
        emit finished(st == QProcess::NormalExit ? code : int(Failed), m_output);
    });
    connect(m_proc, &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart) {
            const QString msg = QStringLiteral("could not start %1: %2").arg(m_proc->program(), m_proc->errorString());
            m_output += msg + QLatin1Char('\n');
            emit outputLine(msg, true);
            emit finished(ScriptNotFound, m_output);
        }
    });
    m_proc->start();
    return true;
}

void LabStack::drain(bool isError, bool flushAll)
{
    QByteArray &buf = isError ? m_pendingErr : m_pendingOut;
    for (;;) {
        const qsizetype nl = buf.indexOf('\n');
        if (nl < 0)
            break;
        const QString line = QString::fromUtf8(buf.left(nl));
        buf.remove(0, nl + 1);
        m_output += line + QLatin1Char('\n');
        emit outputLine(line, isError);
    }
    if (flushAll && !buf.isEmpty()) {
        const QString line = QString::fromUtf8(buf);
        buf.clear();
        m_output += line + QLatin1Char('\n');
        emit outputLine(line, isError);
    }
}

bool LabStack::up(int brokers, const QStringList &with)
{
    return start(upArguments(brokers, with));
}

bool LabStack::isRunning() const
{
    return m_proc && m_proc->state() != QProcess::NotRunning;
}

void LabStack::cancel()
{
    if (isRunning())
        m_proc->terminate();
}

LabStack::Result LabStack::run(const QStringList &args, int timeoutMs) const
{
    Result r;
    if (m_script.isEmpty()) {
        QString why;
        locateScript(&why);
        r.err = why + QLatin1Char('\n');
        return r;
    }
    QProcess p;
    prepare(p, args);
    p.start();
    if (!p.waitForStarted(10000)) {
        r.err = QStringLiteral("could not start %1: %2\n").arg(p.program(), p.errorString());
        return r;
    }
    if (!p.waitForFinished(timeoutMs < 0 ? -1 : timeoutMs)) {
        p.terminate();
        if (!p.waitForFinished(5000)) {
            p.kill();
            p.waitForFinished(2000);
        }
        r.exitCode = Failed;
        r.out = QString::fromUtf8(p.readAllStandardOutput());
        r.err = QString::fromUtf8(p.readAllStandardError()) +
                QStringLiteral("labstack.sh %1 did not finish within %2 ms\n").arg(args.join(QLatin1Char(' '))).arg(timeoutMs);
        return r;
    }
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : int(Failed);
    return r;
}

LabStack::Status LabStack::parseStatusJson(const QByteArray &json, QString *error)
{
    Status s;
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(json.trimmed(), &pe);
    if (!doc.isObject()) {
        if (error)
            *error = QStringLiteral("labstack.sh status --json: not a JSON object (%1)").arg(pe.errorString());
        return s;
    }
    const QJsonObject o = doc.object();
    s.stackHome = o.value(QStringLiteral("stack_home")).toString();
    s.kafkaVersion = o.value(QStringLiteral("kafka_version")).toString();
    s.search = o.value(QStringLiteral("search")).toString();
    s.brokers = o.value(QStringLiteral("brokers")).toInt();
    s.bootstrap = o.value(QStringLiteral("bootstrap")).toString();
    const QJsonArray comps = o.value(QStringLiteral("components")).toArray();
    for (const QJsonValue &v : comps) {
        const QJsonObject c = v.toObject();
        Component k;
        k.name = c.value(QStringLiteral("name")).toString();
        k.state = c.value(QStringLiteral("state")).toString();
        k.pid = c.value(QStringLiteral("pid")).toInteger();
        const QJsonArray ports = c.value(QStringLiteral("ports")).toArray();
        for (const QJsonValue &p : ports)
            k.ports << p.toInt();
        const QJsonValue since = c.value(QStringLiteral("since_ms"));
        if (since.isDouble() && k.state == QLatin1String("running"))
            k.since = QDateTime::fromMSecsSinceEpoch(since.toInteger(), Qt::UTC);
        k.healthy = c.value(QStringLiteral("healthy")).toBool();
        const QJsonValue st = c.value(QStringLiteral("startup_seconds"));
        k.startupSeconds = st.isDouble() ? st.toDouble() : -1;
        s.components << k;
    }
    return s;
}

LabStack::Status LabStack::queryStatus(QString *error, int timeoutMs) const
{
    const Result r = run({QStringLiteral("status"), QStringLiteral("--json")}, timeoutMs);
    if (r.exitCode != Ok && r.exitCode != Failed) {
        if (error)
            *error = r.output().trimmed();
        return {};
    }
    return parseStatusJson(r.out.toUtf8(), error);
}

int runStackCommand(const QStringList &args)
{
    QString why;
    const QString script = LabStack::locateScript(&why);
    if (script.isEmpty()) {
        std::fprintf(stderr, "kafka-collab-lab stack: %s\n", qPrintable(why));
        return LabStack::ScriptNotFound;
    }
    std::fflush(stdout);
    std::fflush(stderr);
    QProcess p;
    p.setProgram(bashProgram());
    p.setArguments(QStringList{script} + args);
    p.setProcessChannelMode(QProcess::ForwardedChannels);
    p.setInputChannelMode(QProcess::ForwardedInputChannel);
    p.start();
    if (!p.waitForStarted(10000)) {
        std::fprintf(stderr, "kafka-collab-lab stack: could not start %s: %s\n", qPrintable(p.program()),
                     qPrintable(p.errorString()));
        return LabStack::ScriptNotFound;
    }
    p.waitForFinished(-1);
    if (p.exitStatus() != QProcess::NormalExit)
        return LabStack::Failed;
    return p.exitCode();
}

} // namespace kcl
