#pragma once
// Number formatting shared by the pages (locale-aware, compact).
#include <QLocale>
#include <QString>

namespace kcl::ui {

inline QString formatRate(double perSecond)
{
    const QLocale loc;
    if (perSecond >= 100 || perSecond == 0)
        return loc.toString(perSecond, 'f', 0);
    return loc.toString(perSecond, 'f', 1);
}

inline QString formatCount(qint64 n)
{
    return QLocale().toString(n);
}

inline QString formatMs(double ms)
{
    return QLocale().toString(ms, 'f', ms < 1 ? 2 : ms < 10 ? 1 : 0);
}

inline QString formatBytesRate(double bytesPerSecond)
{
    const QLocale loc;
    if (bytesPerSecond < 1024)
        return loc.toString(bytesPerSecond, 'f', 0) + QStringLiteral(" B/s");
    if (bytesPerSecond < 1024 * 1024)
        return loc.toString(bytesPerSecond / 1024, 'f', 1) + QStringLiteral(" KiB/s");
    return loc.toString(bytesPerSecond / (1024 * 1024), 'f', 2) + QStringLiteral(" MiB/s");
}

} // namespace kcl::ui
