#include "cluster/ClusterProfile.h"

#include <QStringList>

namespace kcl {

ClusterProfile ClusterProfile::embedded(int brokers)
{
    ClusterProfile p;
    p.kind = Kind::Embedded;
    p.embeddedBrokers = brokers;
    return p;
}

ClusterProfile ClusterProfile::local()
{
    ClusterProfile p;
    p.kind = Kind::Local;
    p.bootstrapServers = "127.0.0.1:9092";
    p.searchUrl = "http://127.0.0.1:9200";
    p.sqlConnection = "host=127.0.0.1 port=5433 dbname=kcl user=kcl password=kcl";
    return p;
}

ClusterProfile ClusterProfile::guidePreset()
{
    ClusterProfile p;
    p.kind = Kind::External;
    p.bootstrapServers = "localhost:30092";
    p.searchUrl = "http://localhost:30200";
    return p;
}

std::optional<ClusterProfile> ClusterProfile::fromCliArgument(const QString &arg, QString *error)
{
    auto fail = [error](const QString &msg) -> std::optional<ClusterProfile> {
        if (error)
            *error = msg;
        return std::nullopt;
    };
    const QString a = arg.trimmed();
    if (a == QStringLiteral("embedded"))
        return embedded();
    if (a == QStringLiteral("local"))
        return local();
    if (a == QStringLiteral("guide"))
        return guidePreset();
    if (a.isEmpty())
        return fail(QStringLiteral("the cluster is empty; use embedded, local, guide or HOST:PORT[,HOST:PORT]"));
    const QStringList servers = a.split(QLatin1Char(','));
    for (const QString &s : servers) {
        const int colon = s.lastIndexOf(QLatin1Char(':'));
        if (colon <= 0)
            return fail(QStringLiteral("'%1' is not HOST:PORT; use embedded, local, guide or HOST:PORT[,HOST:PORT]").arg(s));
        bool ok = false;
        const int port = s.mid(colon + 1).toInt(&ok);
        if (!ok || port < 1 || port > 65535)
            return fail(QStringLiteral("'%1' has no valid port (1 to 65535)").arg(s));
        if (s.left(colon).trimmed().isEmpty())
            return fail(QStringLiteral("'%1' has no host").arg(s));
    }
    ClusterProfile p;
    p.kind = Kind::External;
    p.bootstrapServers = a.toStdString();
    return p;
}

std::map<std::string, std::string> ClusterProfile::clientProperties(const std::string &bootstrap) const
{
    std::map<std::string, std::string> props{{"bootstrap.servers", bootstrap.empty() ? bootstrapServers : bootstrap}};
    if (!securityProtocol.empty())
        props["security.protocol"] = securityProtocol;
    if (!saslMechanism.empty()) {
        props["sasl.mechanisms"] = saslMechanism;
        props["sasl.username"] = saslUsername;
        props["sasl.password"] = saslPassword;
    }
    if (!sslCaLocation.empty())
        props["ssl.ca.location"] = sslCaLocation;
    return props;
}

QString ClusterProfile::describe() const
{
    switch (kind) {
    case Kind::Embedded:
        return embeddedBrokers == 1 ? QStringLiteral("embedded (1 broker)")
                                    : QStringLiteral("embedded (%1 brokers)").arg(embeddedBrokers);
    case Kind::Local:
        return QStringLiteral("local lab stack (%1)").arg(QString::fromStdString(bootstrapServers));
    case Kind::External:
        return QStringLiteral("external (%1)").arg(QString::fromStdString(bootstrapServers));
    }
    return {};
}

} // namespace kcl
