// `kafka-collab-lab doctor`: Java missing from PATH is reported MISSING with the apt-get line and exit status 1;
// a taken port is named with the process that holds it; the Java version parser; bad options.
#include "cli/Doctor.h"

#include <QHostAddress>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTextStream>

#include <unistd.h>

namespace {

struct EnvGuard { // restores (or unsets) one environment variable at scope end
    QByteArray name, old;
    bool had;
    EnvGuard(const char *n, const QByteArray &value, bool set = true) : name(n), old(qgetenv(n)), had(qEnvironmentVariableIsSet(n))
    {
        if (set)
            qputenv(name.constData(), value);
        else
            qunsetenv(name.constData());
    }
    ~EnvGuard()
    {
        if (had)
            qputenv(name.constData(), old);
        else
            qunsetenv(name.constData());
    }
};

struct Run {
    int exitCode;
    QString out, err;
};

Run doctor(const QStringList &args = {})
{
    QString o, e;
    QTextStream out(&o), err(&e);
    const int rc = kcl::runDoctor(args, out, err);
    out.flush();
    err.flush();
    return {rc, o, e};
}

QString lineOf(const QString &text, const QString &name)
{
    for (const QString &l : text.split(QLatin1Char('\n'))) {
        if (l.mid(8).startsWith(name + QLatin1Char(' ')))
            return l;
    }
    return {};
}

} // namespace

class DoctorTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void javaVersionParsing()
    {
        QCOMPARE(kcl::parseJavaMajorVersion(QStringLiteral("openjdk version \"17.0.9\" 2023-10-17\nOpenJDK Runtime")), 17);
        QCOMPARE(kcl::parseJavaMajorVersion(QStringLiteral("java version \"1.8.0_292\"")), 8);
        QCOMPARE(kcl::parseJavaMajorVersion(QStringLiteral("openjdk version \"21\" 2023-09-19")), 21);
        QCOMPARE(kcl::parseJavaMajorVersion(QStringLiteral("openjdk version \"11.0.20\"")), 11);
        QCOMPARE(kcl::parseJavaMajorVersion(QStringLiteral("bash: java: command not found")), 0);
    }

    void javaMissingFromPath()
    {
        QTemporaryDir empty; // a PATH with no java (and nothing else) in it
        QVERIFY(empty.isValid());
        EnvGuard path("PATH", empty.path().toLocal8Bit());
        EnvGuard javaHome("JAVA_HOME", {}, false);
        EnvGuard ports("KCL_DOCTOR_PORTS", ""); // no port checks: they do not matter here
        const Run r = doctor();
        const QString java = lineOf(r.out, QStringLiteral("java"));
        QVERIFY2(java.startsWith(QStringLiteral("MISSING")), qPrintable(r.out));
        const QString hint = QStringLiteral("apt-get install -y openjdk-17-jre-headless");
        QVERIFY2(r.out.contains(QStringLiteral("install it: ") + (::geteuid() == 0 ? QString() : QStringLiteral("sudo ")) + hint), qPrintable(r.out));
        QVERIFY2(r.out.contains(QStringLiteral("To install what is missing: ")), qPrintable(r.out));
        QCOMPARE(r.exitCode, 1);
    }

    void javaPresentIsOk()
    {
        const QString java = QStandardPaths::findExecutable(QStringLiteral("java"));
        if (java.isEmpty() || !qEnvironmentVariableIsEmpty("JAVA_HOME"))
            QSKIP("no java in PATH here (or JAVA_HOME set)");
        EnvGuard ports("KCL_DOCTOR_PORTS", "");
        const Run r = doctor();
        const QString line = lineOf(r.out, QStringLiteral("java"));
        if (line.contains(QStringLiteral("needs Java 17")))
            QSKIP("the java in PATH is older than 17");
        QVERIFY2(line.startsWith(QStringLiteral("OK")) && line.contains(java), qPrintable(r.out));
    }

    void takenPortIsNamed()
    {
        QTcpServer holder;
        QVERIFY(holder.listen(QHostAddress::LocalHost, 0));
        const quint16 port = holder.serverPort();
        QTcpServer other; // a second, free port, to see that free ports say OK
        QVERIFY(other.listen(QHostAddress::LocalHost, 0));
        const quint16 freePort = other.serverPort();
        other.close();

        EnvGuard ports("KCL_DOCTOR_PORTS", QByteArray::number(port) + ',' + QByteArray::number(freePort));
        const Run r = doctor();
        const QString busy = lineOf(r.out, QStringLiteral("port %1").arg(port));
        QVERIFY2(busy.startsWith(QStringLiteral("BUSY")), qPrintable(r.out));
        QVERIFY2(busy.contains(QStringLiteral("port %1 ").arg(port)), qPrintable(busy));
        QVERIFY2(busy.contains(QStringLiteral("pid %1 ").arg(QCoreApplication::applicationPid())), qPrintable(busy));
        QVERIFY2(r.out.contains(QStringLiteral("ss -ltnp 'sport = :%1'").arg(port)), qPrintable(r.out));
        QVERIFY2(lineOf(r.out, QStringLiteral("port %1").arg(freePort)).startsWith(QStringLiteral("OK")), qPrintable(r.out));
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(kcl::listenerOfPort(port), QStringLiteral("pid %1 (%2)").arg(QCoreApplication::applicationPid())
                                                  .arg(QStringLiteral("tst_doctor")));
    }

    void badOptionAndHelp()
    {
        const Run bad = doctor({QStringLiteral("--frobnicate")});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY(bad.err.contains(QStringLiteral("--frobnicate")));
        const Run help = doctor({QStringLiteral("--help")});
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains(QStringLiteral("Usage: kafka-collab-lab doctor")));
    }
};

QTEST_GUILESS_MAIN(DoctorTest)
#include "tst_doctor.moc"
