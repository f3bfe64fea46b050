#include "install/InstallPaths.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

#ifndef KCL_RESOURCES_DIR
#define KCL_RESOURCES_DIR ""
#endif

namespace kcl {

namespace {
QString executableDirectory()
{
    // applicationDirPath() needs an application object; /proc/self/exe does not (tests, early start-up).
    if (QCoreApplication::instance())
        return QCoreApplication::applicationDirPath();
    return QFileInfo(QStringLiteral("/proc/self/exe")).canonicalPath();
}
} // namespace

QString installedShareDirectory()
{
    const QString exeDir = executableDirectory();
    if (exeDir.isEmpty())
        return {};
    const QString share = QDir::cleanPath(exeDir + QStringLiteral("/../share/kafka-collab-lab"));
    return QFileInfo(share).isDir() ? share : QString();
}

QString resourcePath(const QString &relative)
{
    if (const QString share = installedShareDirectory(); !share.isEmpty()) {
        const QString p = share + QLatin1Char('/') + relative;
        if (QFileInfo::exists(p))
            return p;
    }
    return QDir::cleanPath(QStringLiteral(KCL_RESOURCES_DIR) + QLatin1Char('/') + relative);
}

QString userDataDirectory()
{
    QString base = qEnvironmentVariable("XDG_DATA_HOME");
    if (base.isEmpty() || !QDir::isAbsolutePath(base)) // the XDG spec: a relative value is invalid, ignore it
        base = QDir::homePath() + QStringLiteral("/.local/share");
    return base + QStringLiteral("/kafka-collab-lab");
}

} // namespace kcl
