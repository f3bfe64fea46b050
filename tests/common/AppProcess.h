#pragma once
// Runs the built app (KCL_APP) as a user would from a shell, and gives back what a test checks: exit status,
// standard output and error, and whether it had to be killed. One helper for every test that drives the binary.
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace kcl::testing {

struct AppRun {
    int exitCode = -1; // -1: crashed or killed
    QString out, err;
    bool timedOut = false;
};

// The environment the app runs in: the test's own, with no display (the CLI paths must not need one) and Qt's
// offscreen platform (nothing the app might create can reach a screen).
inline QProcessEnvironment appEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("DISPLAY"));
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    return env;
}

// Runs KCL_APP with args; killed after timeoutMs (timedOut set, exitCode -1).
inline AppRun runApp(const QStringList &args, int timeoutMs, const QProcessEnvironment &env = appEnvironment())
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(qEnvironmentVariable("KCL_APP"), args);
    bool timedOut = false;
    if (!p.waitForFinished(timeoutMs)) {
        timedOut = true;
        p.kill();
        p.waitForFinished();
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError()), timedOut};
}

} // namespace kcl::testing
