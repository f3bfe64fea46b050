#pragma once
// Where the app's Kafka clients connect: the embedded mock cluster, the local lab stack, or an external
// cluster. A profile turns into librdkafka configuration properties; the embedded cluster's bootstrap
// servers are only known once it runs.
#include <QCommandLineOption>
#include <QList>
#include <QString>
#include <QStringList>
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

// Bootstrap servers as a user types them ("HOST:PORT[,HOST:PORT]"), checked: the first problem and the entry it is in.
struct BootstrapProblem {
    enum class Reason { Empty, NotHostPort, BadPort, NoHost };
    Reason reason = Reason::Empty;
    QString entry; // the offending "HOST:PORT" entry (empty for Reason::Empty)
};
std::optional<BootstrapProblem> checkBootstrapServers(const QString &servers);

// A secured cluster's settings as the user gave them (command-line options or the connection dialog), before they
// are checked. A field the user did not give is nullopt; the password arrives already read (file, environment or
// dialog). One set of rules for both front ends: applyClusterSecurity.
struct ClusterSecurityInput {
    std::optional<QString> protocol, mechanism, username, password, caFile;
    bool any() const { return protocol || mechanism || username || password || caFile; }
};
// Why a ClusterSecurityInput was refused: the field to fix, the rule it broke, and the values a message needs. Each
// front end words it its own way (option names on the command line, field labels and translations in the dialog).
struct ClusterSecurityProblem {
    enum class Field { Protocol, Mechanism, Username, Password, CaFile };
    enum class Reason {
        EmbeddedIsPlaintext,      // any security setting with the embedded cluster
        UnknownProtocol,          // value: what was given
        UnknownMechanism,         // value: what was given
        MechanismRequired,        // a SASL_* protocol without a mechanism
        MechanismNeedsSasl,       // a mechanism with PLAINTEXT or SSL
        CredentialsNeedMechanism, // a user or password without SASL
        CaNeedsTls,               // a CA file with PLAINTEXT or SASL_PLAINTEXT
        CaUnreadable,             // value: the path
        UsernameRequired,
        PasswordRequired,
    };
    Field field = Field::Protocol;
    Reason reason = Reason::UnknownProtocol;
    QString value;
    QString protocol;  // the protocol in effect (given, or derived from the other settings)
    QString mechanism; // upper-cased
};
// Checks `input` and, when it is sound, sets profile's securityProtocol, saslMechanism/-Username/-Password and
// sslCaLocation (absolute path). With no setting at all the profile is left as it is. On a problem the profile is
// not touched.
std::optional<ClusterSecurityProblem> applyClusterSecurity(const ClusterSecurityInput &input, ClusterProfile &profile);
QStringList securityProtocols(); // PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL
QStringList saslMechanisms();    // PLAIN, SCRAM-SHA-256, SCRAM-SHA-512

// The options every command that takes --cluster also takes, for a secured cluster: --security-protocol,
// --sasl-mechanism, --sasl-username, --sasl-password-file (the password's first line; or $KCL_SASL_PASSWORD, so the
// password never shows in the process list) and --ssl-ca.
QList<QCommandLineOption> clusterSecurityOptions();
// Applies the parsed security options to `profile`. False, with a message that names the option, when a value is
// wrong or incomplete (a SASL mechanism without a user or password, a CA file that cannot be read, any of them with
// the embedded cluster, which speaks plain text only).
bool applyClusterSecurityOptions(const QCommandLineParser &parser, ClusterProfile &profile, QString *error);

} // namespace kcl
