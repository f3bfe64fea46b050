// ClusterProfile: the three kinds of cluster, CLI parsing with validation, librdkafka properties, descriptions.
#include "cluster/ClusterProfile.h"

#include <QCommandLineParser>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

using kcl::ClusterProfile;
using kcl::applyClusterSecurityOptions;
using kcl::clusterSecurityOptions;

namespace {
QStringList args(std::initializer_list<const char *> list)
{
    QStringList out;
    for (const char *a : list)
        out << QString::fromUtf8(a);
    return out;
}
} // namespace

class TestClusterProfile : public QObject {
    Q_OBJECT
private slots:
    void embeddedDefaults()
    {
        const ClusterProfile p = ClusterProfile::embedded();
        QCOMPARE(p.kind, ClusterProfile::Kind::Embedded);
        QCOMPARE(p.embeddedBrokers, 3);
        QVERIFY(p.bootstrapServers.empty());
        QCOMPARE(p.describe(), QStringLiteral("embedded (3 brokers)"));
        QCOMPARE(ClusterProfile::embedded(1).describe(), QStringLiteral("embedded (1 broker)"));
        QCOMPARE(ClusterProfile::embedded(5).embeddedBrokers, 5);
    }

    void localStack()
    {
        const ClusterProfile p = ClusterProfile::local();
        QCOMPARE(p.kind, ClusterProfile::Kind::Local);
        QCOMPARE(p.bootstrapServers, std::string("127.0.0.1:9092"));
        QCOMPARE(p.searchUrl, std::string("http://127.0.0.1:9200"));
        QCOMPARE(p.sqlConnection, std::string("host=127.0.0.1 port=5433 dbname=kcl user=kcl password=kcl"));
        QCOMPARE(p.describe(), QStringLiteral("local lab stack (127.0.0.1:9092)"));
    }

    void guidePreset()
    {
        const ClusterProfile p = ClusterProfile::guidePreset();
        QCOMPARE(p.kind, ClusterProfile::Kind::External);
        QCOMPARE(p.bootstrapServers, std::string("localhost:30092"));
        QCOMPARE(p.searchUrl, std::string("http://localhost:30200"));
        QCOMPARE(p.describe(), QStringLiteral("external (localhost:30092)"));
    }

    void cliValid_data()
    {
        QTest::addColumn<QString>("arg");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("bootstrap");
        QTest::newRow("embedded") << "embedded" << int(ClusterProfile::Kind::Embedded) << "";
        QTest::newRow("local") << "local" << int(ClusterProfile::Kind::Local) << "127.0.0.1:9092";
        QTest::newRow("guide") << "guide" << int(ClusterProfile::Kind::External) << "localhost:30092";
        QTest::newRow("one") << "kafka.example.com:9092" << int(ClusterProfile::Kind::External) << "kafka.example.com:9092";
        QTest::newRow("two") << "h1:9092,h2:9093" << int(ClusterProfile::Kind::External) << "h1:9092,h2:9093";
        QTest::newRow("port 1") << "h:1" << int(ClusterProfile::Kind::External) << "h:1";
        QTest::newRow("port 65535") << "h:65535" << int(ClusterProfile::Kind::External) << "h:65535";
        QTest::newRow("spaces trimmed") << "  local " << int(ClusterProfile::Kind::Local) << "127.0.0.1:9092";
    }
    void cliValid()
    {
        QFETCH(QString, arg);
        QFETCH(int, kind);
        QFETCH(QString, bootstrap);
        QString error;
        const auto p = ClusterProfile::fromCliArgument(arg, &error);
        QVERIFY2(p.has_value(), qPrintable(error));
        QCOMPARE(int(p->kind), kind);
        QCOMPARE(QString::fromStdString(p->bootstrapServers), bootstrap);
    }

    void cliInvalid_data()
    {
        QTest::addColumn<QString>("arg");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("empty") << "" << "empty";
        QTest::newRow("no port") << "kafka" << "HOST:PORT";
        QTest::newRow("port 0") << "h:0" << "1 to 65535";
        QTest::newRow("port 65536") << "h:65536" << "1 to 65535";
        QTest::newRow("port text") << "h:abc" << "1 to 65535";
        QTest::newRow("no host") << ":9092" << "HOST:PORT";
        QTest::newRow("blank host") << "  :9092,h:1" << "HOST:PORT";
        QTest::newRow("second bad") << "h1:9092,h2" << "h2";
        QTest::newRow("trailing comma") << "h1:9092," << "HOST:PORT";
    }
    void cliInvalid()
    {
        QFETCH(QString, arg);
        QFETCH(QString, mentions);
        QString error;
        const auto p = ClusterProfile::fromCliArgument(arg, &error);
        QVERIFY2(!p.has_value(), qPrintable(QStringLiteral("'%1' was accepted").arg(arg)));
        QVERIFY2(!error.isEmpty(), "no error message");
        QVERIFY2(error.contains(mentions), qPrintable(error));
        // a null error pointer must not crash
        QVERIFY(!ClusterProfile::fromCliArgument(arg, nullptr).has_value());
    }

    void clientPropertiesPlain()
    {
        const ClusterProfile p = ClusterProfile::local();
        const auto props = p.clientProperties({});
        QCOMPARE(props.size(), size_t(1));
        QCOMPARE(props.at("bootstrap.servers"), std::string("127.0.0.1:9092"));
        // an explicit bootstrap (the embedded cluster's) wins
        const auto emb = ClusterProfile::embedded().clientProperties("127.0.0.1:40001,127.0.0.1:40002");
        QCOMPARE(emb.at("bootstrap.servers"), std::string("127.0.0.1:40001,127.0.0.1:40002"));
        QCOMPARE(emb.count("security.protocol"), size_t(0));
    }

    void clientPropertiesSecure()
    {
        ClusterProfile p = *ClusterProfile::fromCliArgument(QStringLiteral("broker.example:9094"), nullptr);
        p.securityProtocol = "SASL_SSL";
        p.saslMechanism = "SCRAM-SHA-512";
        p.saslUsername = "alice";
        p.saslPassword = "s3cret";
        p.sslCaLocation = "/etc/ssl/ca.pem";
        const auto props = p.clientProperties({});
        QCOMPARE(props.at("bootstrap.servers"), std::string("broker.example:9094"));
        QCOMPARE(props.at("security.protocol"), std::string("SASL_SSL"));
        QCOMPARE(props.at("sasl.mechanisms"), std::string("SCRAM-SHA-512"));
        QCOMPARE(props.at("sasl.username"), std::string("alice"));
        QCOMPARE(props.at("sasl.password"), std::string("s3cret"));
        QCOMPARE(props.at("ssl.ca.location"), std::string("/etc/ssl/ca.pem"));
        QCOMPARE(p.describe(), QStringLiteral("external (broker.example:9094, SASL_SSL SCRAM-SHA-512 as alice)"));

        ClusterProfile tls = p;
        tls.securityProtocol = "SSL";
        tls.saslMechanism.clear();
        const auto t = tls.clientProperties({});
        QCOMPARE(t.count("sasl.mechanisms"), size_t(0));
        QCOMPARE(t.at("security.protocol"), std::string("SSL"));
        QCOMPARE(t.at("ssl.ca.location"), std::string("/etc/ssl/ca.pem"));
    }

    // The security options of every --cluster command: what they set, and a message naming the option when wrong.
    void securityOptions_data()
    {
        QTest::addColumn<QString>("cluster");
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("password"); // KCL_SASL_PASSWORD
        QTest::addColumn<QString>("error");    // expected in the message; empty = accepted
        QTest::addColumn<QString>("protocol");
        QTest::addColumn<QString>("mechanism");
        const QString ext = QStringLiteral("broker.example:9292");
        QTest::newRow("none") << ext << args({}) << "" << "" << "" << "";
        QTest::newRow("plain, password from env") << ext << args({"--sasl-mechanism", "plain", "--sasl-username", "kcl"}) << "pw" << ""
                                                  << "SASL_PLAINTEXT" << "PLAIN";
        QTest::newRow("scram, password file") << ext << args({"--sasl-mechanism", "SCRAM-SHA-256", "--sasl-username", "kcl",
                                                                     "--sasl-password-file", "@PWFILE@"})
                                              << "" << "" << "SASL_PLAINTEXT" << "SCRAM-SHA-256";
        QTest::newRow("sasl over tls") << ext << args({"--sasl-mechanism", "SCRAM-SHA-512", "--sasl-username", "kcl", "--ssl-ca", "@CAFILE@"})
                                       << "pw" << "" << "SASL_SSL" << "SCRAM-SHA-512";
        QTest::newRow("tls only") << ext << args({"--ssl-ca", "@CAFILE@"}) << "" << "" << "SSL" << "";
        QTest::newRow("embedded refuses") << "embedded" << args({"--sasl-mechanism", "PLAIN"}) << "pw" << "embedded cluster" << "" << "";
        QTest::newRow("unknown protocol") << ext << args({"--security-protocol", "KERBEROS"}) << "" << "--security-protocol" << "" << "";
        QTest::newRow("unknown mechanism") << ext << args({"--sasl-mechanism", "GSSAPI"}) << "pw" << "--sasl-mechanism" << "" << "";
        QTest::newRow("sasl protocol without mechanism") << ext << args({"--security-protocol", "SASL_PLAINTEXT"}) << "" << "needs --sasl-mechanism" << "" << "";
        QTest::newRow("mechanism without user") << ext << args({"--sasl-mechanism", "PLAIN"}) << "pw" << "--sasl-username" << "" << "";
        QTest::newRow("mechanism without password") << ext << args({"--sasl-mechanism", "PLAIN", "--sasl-username", "kcl"}) << "" << "needs a password" << "" << "";
        QTest::newRow("password file missing") << ext << args({"--sasl-mechanism", "PLAIN", "--sasl-username", "kcl", "--sasl-password-file", "/nonexistent/pw"})
                                               << "" << "--sasl-password-file" << "" << "";
        QTest::newRow("ca file missing") << ext << args({"--ssl-ca", "/nonexistent/ca.pem"}) << "" << "--ssl-ca" << "" << "";
        QTest::newRow("ca with plaintext") << ext << args({"--security-protocol", "SASL_PLAINTEXT", "--sasl-mechanism", "PLAIN",
                                                                  "--sasl-username", "kcl", "--ssl-ca", "@CAFILE@"})
                                           << "pw" << "--ssl-ca needs" << "" << "";
        QTest::newRow("mechanism with plaintext") << ext << args({"--security-protocol", "PLAINTEXT", "--sasl-mechanism", "PLAIN"}) << "pw"
                                                  << "--sasl-mechanism needs" << "" << "";
    }

    void securityOptions()
    {
        QFETCH(QString, cluster);
        QFETCH(QStringList, args);
        QFETCH(QString, password);
        QFETCH(QString, error);
        QFETCH(QString, protocol);
        QFETCH(QString, mechanism);
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        const QString pwFile = tmp.filePath(QStringLiteral("pw")), caFile = tmp.filePath(QStringLiteral("ca.pem"));
        QFile pw(pwFile);
        QVERIFY(pw.open(QIODevice::WriteOnly));
        pw.write("from-file\nsecond line is ignored\n");
        pw.close();
        QFile ca(caFile);
        QVERIFY(ca.open(QIODevice::WriteOnly));
        ca.write("-----BEGIN CERTIFICATE-----\n");
        ca.close();
        args.replaceInStrings(QStringLiteral("@PWFILE@"), pwFile);
        args.replaceInStrings(QStringLiteral("@CAFILE@"), caFile);

        const QByteArray saved = qgetenv("KCL_SASL_PASSWORD");
        if (password.isEmpty())
            qunsetenv("KCL_SASL_PASSWORD");
        else
            qputenv("KCL_SASL_PASSWORD", password.toUtf8());
        QCommandLineParser p;
        p.addOptions(clusterSecurityOptions());
        QVERIFY2(p.parse(QStringList{QStringLiteral("app")} + args), qPrintable(p.errorText()));
        auto profile = ClusterProfile::fromCliArgument(cluster, nullptr);
        QVERIFY(profile);
        QString why;
        const bool ok = applyClusterSecurityOptions(p, *profile, &why);
        if (saved.isNull())
            qunsetenv("KCL_SASL_PASSWORD");
        else
            qputenv("KCL_SASL_PASSWORD", saved);

        if (!error.isEmpty()) {
            QVERIFY2(!ok, "accepted");
            QVERIFY2(why.contains(error), qPrintable(why));
            return;
        }
        QVERIFY2(ok, qPrintable(why));
        QCOMPARE(QString::fromStdString(profile->securityProtocol), protocol);
        QCOMPARE(QString::fromStdString(profile->saslMechanism), mechanism);
        if (!mechanism.isEmpty()) {
            QCOMPARE(profile->saslUsername, std::string("kcl"));
            QCOMPARE(profile->saslPassword, args.contains(pwFile) ? std::string("from-file") : password.toStdString());
        }
        if (args.contains(caFile))
            QCOMPARE(QString::fromStdString(profile->sslCaLocation), QFileInfo(caFile).absoluteFilePath());
    }
};

QTEST_GUILESS_MAIN(TestClusterProfile)
#include "tst_clusterprofile.moc"
