#pragma once
// Where the app's Kafka clients connect: the embedded mock cluster, the local lab stack, or an external
// cluster. A profile turns into librdkafka configuration properties; the embedded cluster's bootstrap
// servers are only known once it runs.
#include <QCommandLineOption>
#include <QList>
#include <QString>
#include <map>
#include <optional>
#include <string>

class QCommandLineParser;

namespace kcl {

struct ClusterProfile {
    enum class Kind { Embedded, Local, External };
    Kind kind = Kind::Embedded;
    int embeddedBrokers = 3;
    std::string bootstrapServers;            // Local/External: "127.0.0.1:9092"
    std::string securityProtocol;            // "", "SASL_PLAINTEXT", "SASL_SSL", "SSL"
    std::string saslMechanism;               // "PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"
    std::string saslUsername, saslPassword;
    std::string sslCaLocation;
    std::string searchUrl;                   // "http://127.0.0.1:9200"
    std::string sqlConnection;               // "host=127.0.0.1 port=5433 dbname=kcl user=kcl"

    static ClusterProfile embedded(int brokers = 3);
    static ClusterProfile local();           // the local lab stack's defaults
    static ClusterProfile guidePreset();     // localhost:30092 and http://localhost:30200
    // "embedded", "local", "guide" or "HOST:PORT[,HOST:PORT]"; nullopt with a message in *error otherwise
    static std::optional<ClusterProfile> fromCliArgument(const QString &arg, QString *error);

    // librdkafka properties for a client of this cluster (bootstrap given for the embedded cluster).
    std::map<std::string, std::string> clientProperties(const std::string &bootstrap) const;
    QString describe() const;
    // What the user should know before connecting, or empty: SCRAM with a librdkafka older than 2.6.1 (Debian 12
    // ships 2.0.2) computes a proof that Kafka 4.x brokers reject (confluentinc/librdkafka#4895).
    QString securityWarning() const;
};

// The options every command that takes --cluster also takes, for a secured cluster: --security-protocol,
// --sasl-mechanism, --sasl-username, --sasl-password-file (the password's first line; or $KCL_SASL_PASSWORD, so the
// password never shows in the process list) and --ssl-ca.
QList<QCommandLineOption> clusterSecurityOptions();
// Applies the parsed security options to `profile`. False, with a message that names the option, when a value is
// wrong or incomplete (a SASL mechanism without a user or password, a CA file that cannot be read, any of them with
// the embedded cluster, which speaks plain text only).
bool applyClusterSecurityOptions(const QCommandLineParser &parser, ClusterProfile &profile, QString *error);

} // namespace kcl
