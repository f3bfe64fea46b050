// ClusterProfile: the three kinds of cluster, CLI parsing with validation, librdkafka properties, descriptions.
#include "cluster/ClusterProfile.h"

#include <QtTest>

using kcl::ClusterProfile;

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
        QCOMPARE(p.describe(), QStringLiteral("external (broker.example:9094)"));

        ClusterProfile tls = p;
        tls.securityProtocol = "SSL";
        tls.saslMechanism.clear();
        const auto t = tls.clientProperties({});
        QCOMPARE(t.count("sasl.mechanisms"), size_t(0));
        QCOMPARE(t.at("security.protocol"), std::string("SSL"));
        QCOMPARE(t.at("ssl.ca.location"), std::string("/etc/ssl/ca.pem"));
    }
};

QTEST_GUILESS_MAIN(TestClusterProfile)
#include "tst_clusterprofile.moc"
