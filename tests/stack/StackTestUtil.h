#pragma once
// Helpers shared by the lab stack tests: free ports, the shared jar cache, kafka-topics --describe parsing.
#include <QDir>
#include <QList>
#include <QMap>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QString>
#include <QTcpServer>

namespace kcl::stacktest {

inline quint16 freePort()
{
    QTcpServer s;
    return s.listen(QHostAddress::LocalHost, 0) ? s.serverPort() : 0;
}

// A base port B with B, B+1, ..., B+n-1 all free on 127.0.0.1 (0 if none found).
inline quint16 freePortRange(int n)
{
    for (int attempt = 0; attempt < 200; ++attempt) {
        const quint16 base = quint16(20000 + QRandomGenerator::global()->bounded(40000));
        bool ok = true;
        for (int i = 0; i < n && ok; ++i) {
            QTcpServer s;
            ok = s.listen(QHostAddress::LocalHost, quint16(base + i));
        }
        if (ok)
            return base;
    }
    return 0;
}

// The jar cache the shared stack uses, so a throwaway stack does not resolve jars again.
inline QString sharedLibDir()
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

struct Partition {
    int leader = -1;
    QList<int> replicas, isr;
};

inline QList<int> ids(const QString &s)
{
    QList<int> out;
    const QStringList parts = s.split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const QString &p : parts)
        out << p.trimmed().toInt();
    return out;
}

// kafka-topics --describe output -> partitions
inline QMap<int, Partition> parseDescribe(const QString &out)
{
    QMap<int, Partition> m;
    static const QRegularExpression re(
        QStringLiteral(R"(Partition:\s*(\d+)\s+Leader:\s*(-?\d+)\s+Replicas:\s*([\d,]+)\s+Isr:\s*([\d,]*))"));
    auto it = re.globalMatch(out);
    while (it.hasNext()) {
        const auto mt = it.next();
        Partition p;
        p.leader = mt.captured(2).toInt();
        p.replicas = ids(mt.captured(3));
        p.isr = ids(mt.captured(4));
        m.insert(mt.captured(1).toInt(), p);
    }
    return m;
}

inline QString unique(const char *base)
{
    return QStringLiteral("%1-%2").arg(QLatin1String(base)).arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
}

} // namespace kcl::stacktest
