#include "cluster/ClusterProfile.h"

#include <QCommandLineParser>
#include <QFile>
#include <QFileInfo>
#include <QStringList>
#include <librdkafka/rdkafka.h>

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

QList<QCommandLineOption> clusterSecurityOptions()
{
    return {
        QCommandLineOption(QStringLiteral("security-protocol"),
                           QStringLiteral("PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL (default: from the other options)."), QStringLiteral("P")),
        QCommandLineOption(QStringLiteral("sasl-mechanism"), QStringLiteral("PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512."), QStringLiteral("M")),
        QCommandLineOption(QStringLiteral("sasl-username"), QStringLiteral("SASL user name."), QStringLiteral("USER")),
        QCommandLineOption(QStringLiteral("sasl-password-file"),
                           QStringLiteral("File whose first line is the SASL password (or set KCL_SASL_PASSWORD)."), QStringLiteral("FILE")),
        QCommandLineOption(QStringLiteral("ssl-ca"), QStringLiteral("CA certificate file (PEM) to verify the brokers with."), QStringLiteral("FILE")),
    };
}

bool applyClusterSecurityOptions(const QCommandLineParser &p, ClusterProfile &profile, QString *error)
{
    auto fail = [error](const QString &msg) {
        if (error)
            *error = msg;
        return false;
    };
    const QString protocolOpt = QStringLiteral("security-protocol"), mechanismOpt = QStringLiteral("sasl-mechanism"),
                  userOpt = QStringLiteral("sasl-username"), passwordOpt = QStringLiteral("sasl-password-file"),
                  caOpt = QStringLiteral("ssl-ca");
    const bool any = p.isSet(protocolOpt) || p.isSet(mechanismOpt) || p.isSet(userOpt) || p.isSet(passwordOpt) || p.isSet(caOpt);
    if (!any)
        return true;
    if (profile.kind == ClusterProfile::Kind::Embedded)
        return fail(QStringLiteral("--%1 and the other security options need a local or external cluster: the embedded cluster speaks plain text only")
                        .arg(p.isSet(protocolOpt) ? protocolOpt : p.isSet(mechanismOpt) ? mechanismOpt : p.isSet(userOpt) ? userOpt
                                                                 : p.isSet(passwordOpt) ? passwordOpt : caOpt));
    QString protocol = p.value(protocolOpt).trimmed().toUpper();
    const QString mechanism = p.value(mechanismOpt).trimmed().toUpper();
    if (!protocol.isEmpty() && !QStringList{QStringLiteral("PLAINTEXT"), QStringLiteral("SSL"), QStringLiteral("SASL_PLAINTEXT"), QStringLiteral("SASL_SSL")}.contains(protocol))
        return fail(QStringLiteral("--security-protocol must be PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL, not '%1'").arg(p.value(protocolOpt)));
    if (!mechanism.isEmpty() && !QStringList{QStringLiteral("PLAIN"), QStringLiteral("SCRAM-SHA-256"), QStringLiteral("SCRAM-SHA-512")}.contains(mechanism))
        return fail(QStringLiteral("--sasl-mechanism must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512, not '%1'").arg(p.value(mechanismOpt)));
    const bool tls = p.isSet(caOpt);
    if (protocol.isEmpty())
        protocol = mechanism.isEmpty() ? (tls ? QStringLiteral("SSL") : QStringLiteral("PLAINTEXT"))
                                       : (tls ? QStringLiteral("SASL_SSL") : QStringLiteral("SASL_PLAINTEXT"));
    const bool sasl = protocol.startsWith(QLatin1String("SASL_"));
    if (sasl && mechanism.isEmpty())
        return fail(QStringLiteral("--security-protocol %1 needs --sasl-mechanism (PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512)").arg(protocol));
    if (!sasl && !mechanism.isEmpty())
        return fail(QStringLiteral("--sasl-mechanism needs --security-protocol SASL_PLAINTEXT or SASL_SSL, not %1").arg(protocol));
    if (!sasl && (p.isSet(userOpt) || p.isSet(passwordOpt)))
        return fail(QStringLiteral("--sasl-username and --sasl-password-file need --sasl-mechanism"));
    if (tls && !protocol.endsWith(QLatin1String("SSL")))
        return fail(QStringLiteral("--ssl-ca needs --security-protocol SSL or SASL_SSL, not %1").arg(protocol));
    if (tls) {
        const QFileInfo ca(p.value(caOpt));
        if (!ca.isFile() || !ca.isReadable())
            return fail(QStringLiteral("--ssl-ca: cannot read the CA file '%1'").arg(p.value(caOpt)));
        profile.sslCaLocation = ca.absoluteFilePath().toStdString();
    }
    if (sasl) {
        const QString user = p.value(userOpt);
        if (user.isEmpty())
            return fail(QStringLiteral("--sasl-mechanism %1 needs --sasl-username").arg(mechanism));
        QString password;
        if (p.isSet(passwordOpt)) {
            QFile f(p.value(passwordOpt));
            if (!f.open(QIODevice::ReadOnly | QIODevice::Text))
                return fail(QStringLiteral("--sasl-password-file: cannot read '%1': %2").arg(p.value(passwordOpt), f.errorString()));
            password = QString::fromUtf8(f.readLine()).remove(QLatin1Char('\n')).remove(QLatin1Char('\r'));
        } else {
            password = qEnvironmentVariable("KCL_SASL_PASSWORD");
        }
        if (password.isEmpty())
            return fail(QStringLiteral("--sasl-mechanism %1 needs a password: --sasl-password-file FILE or the KCL_SASL_PASSWORD environment variable").arg(mechanism));
        profile.saslMechanism = mechanism.toStdString();
        profile.saslUsername = user.toStdString();
        profile.saslPassword = password.toStdString();
    }
    profile.securityProtocol = protocol.toStdString();
    return true;
}

QString ClusterProfile::securityWarning() const
{
    if (saslMechanism.rfind("SCRAM-", 0) == 0 && rd_kafka_version() < 0x020601ff)
        return QStringLiteral("warning: librdkafka %1 has a SCRAM bug that Apache Kafka 4.x brokers reject as invalid credentials "
                              "(fixed in librdkafka 2.6.1, confluentinc/librdkafka#4895); SCRAM works with Kafka 3.x brokers. "
                              "Against Kafka 4 (the local lab stack), use --sasl-mechanism PLAIN.")
            .arg(QString::fromUtf8(rd_kafka_version_str()));
    return {};
}

QString ClusterProfile::describe() const
{
    switch (kind) {
    case Kind::Embedded:
        return embeddedBrokers == 1 ? QStringLiteral("embedded (1 broker)")
                                    : QStringLiteral("embedded (%1 brokers)").arg(embeddedBrokers);
    case Kind::Local:
        return QStringLiteral("local lab stack (%1)").arg(QString::fromStdString(bootstrapServers));
    case Kind::External: {
        QString security;
        if (!saslMechanism.empty())
            security = QStringLiteral(", %1 %2 as %3").arg(QString::fromStdString(securityProtocol), QString::fromStdString(saslMechanism),
                                                           QString::fromStdString(saslUsername));
        else if (!securityProtocol.empty() && securityProtocol != "PLAINTEXT")
            security = QStringLiteral(", %1").arg(QString::fromStdString(securityProtocol));
        return QStringLiteral("external (%1%2)").arg(QString::fromStdString(bootstrapServers), security);
    }
    }
    return {};
}

} // namespace kcl
