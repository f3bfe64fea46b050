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
    if (const auto problem = checkBootstrapServers(a)) {
        switch (problem->reason) {
        case BootstrapProblem::Reason::Empty:
        case BootstrapProblem::Reason::NotHostPort:
            return fail(QStringLiteral("'%1' is not HOST:PORT; use embedded, local, guide or HOST:PORT[,HOST:PORT]").arg(problem->entry));
        case BootstrapProblem::Reason::BadPort:
            return fail(QStringLiteral("'%1' has no valid port (1 to 65535)").arg(problem->entry));
        case BootstrapProblem::Reason::NoHost:
            return fail(QStringLiteral("'%1' has no host").arg(problem->entry));
        }
    }
    ClusterProfile p;
    p.kind = Kind::External;
    p.bootstrapServers = a.toStdString();
    return p;
}

std::optional<BootstrapProblem> checkBootstrapServers(const QString &servers)
{
    const QString all = servers.trimmed();
    if (all.isEmpty())
        return BootstrapProblem{BootstrapProblem::Reason::Empty, {}};
    for (const QString &s : all.split(QLatin1Char(','))) {
        const int colon = s.lastIndexOf(QLatin1Char(':'));
        if (colon <= 0)
            return BootstrapProblem{BootstrapProblem::Reason::NotHostPort, s};
        bool ok = false;
        const int port = s.mid(colon + 1).toInt(&ok);
        if (!ok || port < 1 || port > 65535)
            return BootstrapProblem{BootstrapProblem::Reason::BadPort, s};
        if (s.left(colon).trimmed().isEmpty())
            return BootstrapProblem{BootstrapProblem::Reason::NoHost, s};
    }
    return std::nullopt;
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

QStringList securityProtocols()
{
    return {QStringLiteral("PLAINTEXT"), QStringLiteral("SSL"), QStringLiteral("SASL_PLAINTEXT"), QStringLiteral("SASL_SSL")};
}

QStringList saslMechanisms()
{
    return {QStringLiteral("PLAIN"), QStringLiteral("SCRAM-SHA-256"), QStringLiteral("SCRAM-SHA-512")};
}

std::optional<ClusterSecurityProblem> applyClusterSecurity(const ClusterSecurityInput &in, ClusterProfile &profile)
{
    using Field = ClusterSecurityProblem::Field;
    using Reason = ClusterSecurityProblem::Reason;
    QString protocol = in.protocol.value_or(QString()).trimmed().toUpper();
    const QString mechanism = in.mechanism.value_or(QString()).trimmed().toUpper();
    auto problem = [&](Field field, Reason reason, const QString &value = {}) {
        return std::optional<ClusterSecurityProblem>(ClusterSecurityProblem{field, reason, value, protocol, mechanism});
    };
    if (!in.any())
        return std::nullopt;
    if (profile.kind == ClusterProfile::Kind::Embedded)
        return problem(in.protocol ? Field::Protocol : in.mechanism ? Field::Mechanism : in.username ? Field::Username
                                                   : in.password ? Field::Password : Field::CaFile,
                       Reason::EmbeddedIsPlaintext);
    if (!protocol.isEmpty() && !securityProtocols().contains(protocol))
        return problem(Field::Protocol, Reason::UnknownProtocol, *in.protocol);
    if (!mechanism.isEmpty() && !saslMechanisms().contains(mechanism))
        return problem(Field::Mechanism, Reason::UnknownMechanism, *in.mechanism);
    const bool tls = in.caFile.has_value();
    if (protocol.isEmpty())
        protocol = mechanism.isEmpty() ? (tls ? QStringLiteral("SSL") : QStringLiteral("PLAINTEXT"))
                                       : (tls ? QStringLiteral("SASL_SSL") : QStringLiteral("SASL_PLAINTEXT"));
    const bool sasl = protocol.startsWith(QLatin1String("SASL_"));
    if (sasl && mechanism.isEmpty())
        return problem(Field::Mechanism, Reason::MechanismRequired);
    if (!sasl && !mechanism.isEmpty())
        return problem(Field::Mechanism, Reason::MechanismNeedsSasl);
    if (!sasl && (in.username || in.password))
        return problem(in.username ? Field::Username : Field::Password, Reason::CredentialsNeedMechanism);
    if (tls && !protocol.endsWith(QLatin1String("SSL")))
        return problem(Field::CaFile, Reason::CaNeedsTls);
    ClusterProfile result = profile;
    if (tls) {
        const QFileInfo ca(*in.caFile);
        if (!ca.isFile() || !ca.isReadable())
            return problem(Field::CaFile, Reason::CaUnreadable, *in.caFile);
        result.sslCaLocation = ca.absoluteFilePath().toStdString();
    }
    if (sasl) {
        if (in.username.value_or(QString()).isEmpty())
            return problem(Field::Username, Reason::UsernameRequired);
        if (in.password.value_or(QString()).isEmpty())
            return problem(Field::Password, Reason::PasswordRequired);
        result.saslMechanism = mechanism.toStdString();
        result.saslUsername = in.username->toStdString();
        result.saslPassword = in.password->toStdString();
    }
    result.securityProtocol = protocol.toStdString();
    profile = std::move(result);
    return std::nullopt;
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
    auto given = [&p](const QString &opt) { return p.isSet(opt) ? std::optional<QString>(p.value(opt)) : std::nullopt; };
    ClusterSecurityInput in{given(protocolOpt), given(mechanismOpt), given(userOpt), std::nullopt, given(caOpt)};
    QString passwordFileError; // reported only where the old rules reached the password: after every other check
    if (p.isSet(passwordOpt)) {
        QFile f(p.value(passwordOpt));
        if (f.open(QIODevice::ReadOnly | QIODevice::Text))
            in.password = QString::fromUtf8(f.readLine()).remove(QLatin1Char('\n')).remove(QLatin1Char('\r'));
        else {
            in.password = QString();
            passwordFileError = QStringLiteral("--sasl-password-file: cannot read '%1': %2").arg(p.value(passwordOpt), f.errorString());
        }
    } else if (in.mechanism && qEnvironmentVariableIsSet("KCL_SASL_PASSWORD")) {
        in.password = qEnvironmentVariable("KCL_SASL_PASSWORD"); // only with a mechanism: a stray variable alone is no setting
    }
    const auto problem = applyClusterSecurity(in, profile);
    if (!problem)
        return true;
    if (problem->reason == ClusterSecurityProblem::Reason::PasswordRequired && !passwordFileError.isEmpty())
        return fail(passwordFileError);
    using Reason = ClusterSecurityProblem::Reason;
    using Field = ClusterSecurityProblem::Field;
    const ClusterSecurityProblem &pr = *problem;
    switch (pr.reason) {
    case Reason::EmbeddedIsPlaintext: {
        const QString opt = pr.field == Field::Protocol ? protocolOpt : pr.field == Field::Mechanism ? mechanismOpt
                          : pr.field == Field::Username ? userOpt : pr.field == Field::Password ? passwordOpt : caOpt;
        return fail(QStringLiteral("--%1 and the other security options need a local or external cluster: the embedded cluster speaks plain text only").arg(opt));
    }
    case Reason::UnknownProtocol:
        return fail(QStringLiteral("--security-protocol must be PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL, not '%1'").arg(pr.value));
    case Reason::UnknownMechanism:
        return fail(QStringLiteral("--sasl-mechanism must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512, not '%1'").arg(pr.value));
    case Reason::MechanismRequired:
        return fail(QStringLiteral("--security-protocol %1 needs --sasl-mechanism (PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512)").arg(pr.protocol));
    case Reason::MechanismNeedsSasl:
        return fail(QStringLiteral("--sasl-mechanism needs --security-protocol SASL_PLAINTEXT or SASL_SSL, not %1").arg(pr.protocol));
    case Reason::CredentialsNeedMechanism:
        return fail(QStringLiteral("--sasl-username and --sasl-password-file need --sasl-mechanism"));
    case Reason::CaNeedsTls:
        return fail(QStringLiteral("--ssl-ca needs --security-protocol SSL or SASL_SSL, not %1").arg(pr.protocol));
    case Reason::CaUnreadable:
        return fail(QStringLiteral("--ssl-ca: cannot read the CA file '%1'").arg(pr.value));
    case Reason::UsernameRequired:
        return fail(QStringLiteral("--sasl-mechanism %1 needs --sasl-username").arg(pr.mechanism));
    case Reason::PasswordRequired:
        return fail(QStringLiteral("--sasl-mechanism %1 needs a password: --sasl-password-file FILE or the KCL_SASL_PASSWORD environment variable").arg(pr.mechanism));
    }
    return fail(QStringLiteral("invalid security options"));
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
