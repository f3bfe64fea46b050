// The connection dialog and the cluster bar's start/stop buttons, offscreen, driven through their widgets (found by
// object name) as a user would:
// - wrong fields give a message naming the field and keep the dialog open; SASL without a user names "User";
// - "Test connection" against a closed port reports "unreachable" while the event loop keeps turning; a running test
//   can be stopped, and a dialog closed mid-test goes away at once;
// - the choices survive in QSettings (a temporary settings directory), the password never does;
// - Connect on the main window moves the engine to the chosen cluster; the embedded start/stop button stops and
//   restarts the engine (read back from snapshots and engine signals);
// - the local stack button runs a fake labstack.sh (KCL_STACK_SCRIPT): progress while it runs, its error message in
//   the banner, its arguments. The real stack is never touched.
#include "TcpFixtures.h"
#include "ClusterBar.h"
#include "ConnectionDialog.h"
#include "EngineClient.h"
#include "ErrorBanner.h"
#include "MainWindow.h"
#include "Translations.h"
#include "kafka/EmbeddedCluster.h"
#include "pipeline/EngineThread.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace kcl;
using namespace kcl::ui;

namespace {

using kcl::testing::closedPort;
using kcl::testing::SilentServer;

template <typename T>
T *child(QWidget *parent, const char *name)
{
    return parent->findChild<T *>(QString::fromLatin1(name));
}

// The external choice with the given bootstrap and security protocol.
void fillExternal(ConnectionDialog &d, const QString &bootstrap, const QString &protocol = QStringLiteral("PLAINTEXT"))
{
    d.setChoice(ConnectionDialog::Choice::External);
    child<QLineEdit>(&d, "bootstrap")->setText(bootstrap);
    auto *p = child<QComboBox>(&d, "protocol");
    p->setCurrentIndex(p->findText(protocol));
}

void clickConnect(ConnectionDialog &d) { QTest::mouseClick(child<QPushButton>(&d, "connectButton"), Qt::LeftButton); }

QString settingsFileText()
{
    QSettings s;
    QFile f(s.fileName());
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

// A stand-in for labstack.sh: records its arguments, takes a second, prints and exits as told.
void writeFakeStack(const QString &path, const QString &argsFile, int exitCode, const QString &stderrLine)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(QStringLiteral("#!/bin/sh\necho \"$@\" >> '%1'\necho 'starting kafka-1...'\nsleep 1\n%2exit %3\n")
                .arg(argsFile, stderrLine.isEmpty() ? QString() : QStringLiteral("echo '%1' >&2\n").arg(stderrLine))
                .arg(exitCode)
                .toUtf8());
    f.close();
    QVERIFY(f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner));
}

} // namespace

class TestConnectionDialog : public QObject {
    Q_OBJECT
    QTemporaryDir m_tmp;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        // Settings in a temporary directory: the user's own are never read or written.
        QCoreApplication::setOrganizationName(QStringLiteral("kcl-test"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_connection_dialog"));
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_tmp.filePath(QStringLiteral("settings")));
        QSettings().clear();
        installTranslator(*qApp, QStringLiteral("en"));
        QApplication::setFont(QFont(QStringLiteral("Noto Sans CJK KR"), 9));
    }

    void init() { QSettings().clear(); }

    void invalidFieldsBlockConnect_data()
    {
        QTest::addColumn<QString>("bootstrap");
        QTest::addColumn<QString>("protocol");
        QTest::addColumn<QString>("mechanism"); // "" = (none)
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("password");
        QTest::addColumn<QString>("caFile");
        QTest::addColumn<QString>("searchUrl");
        QTest::addColumn<QString>("field");   // named in the message
        QTest::addColumn<QString>("problem"); // also in the message
        QTest::addColumn<QString>("focused"); // object name of the field that gets the focus
        QTest::newRow("empty bootstrap") << "" << "PLAINTEXT" << "" << "" << "" << "" << "" << "Bootstrap servers" << "is empty" << "bootstrap";
        QTest::newRow("no port") << "broker.example" << "PLAINTEXT" << "" << "" << "" << "" << "" << "Bootstrap servers" << "not HOST:PORT" << "bootstrap";
        QTest::newRow("bad port") << "a:1,b:99999" << "PLAINTEXT" << "" << "" << "" << "" << "" << "Bootstrap servers" << "'b:99999' has no valid port" << "bootstrap";
        QTest::newRow("sasl without user") << "broker.example:9092" << "SASL_PLAINTEXT" << "PLAIN" << "" << "pw" << "" << "" << "User" << "is required" << "user";
        QTest::newRow("sasl without password") << "broker.example:9092" << "SASL_PLAINTEXT" << "SCRAM-SHA-256" << "kcl" << "" << "" << "" << "Password" << "is required" << "password";
        QTest::newRow("sasl without mechanism") << "broker.example:9092" << "SASL_SSL" << "" << "kcl" << "pw" << "" << "" << "SASL mechanism" << "SASL_SSL" << "mechanism";
        QTest::newRow("unreadable CA") << "broker.example:9092" << "SSL" << "" << "" << "" << "/nonexistent/ca.pem" << "" << "CA file (PEM)" << "cannot read" << "caFile";
        QTest::newRow("search URL") << "broker.example:9092" << "PLAINTEXT" << "" << "" << "" << "" << "ftp://search" << "Search URL" << "http://" << "searchUrl";
    }

    void invalidFieldsBlockConnect()
    {
        QFETCH(QString, bootstrap);
        QFETCH(QString, protocol);
        QFETCH(QString, mechanism);
        QFETCH(QString, user);
        QFETCH(QString, password);
        QFETCH(QString, caFile);
        QFETCH(QString, searchUrl);
        QFETCH(QString, field);
        QFETCH(QString, problem);
        QFETCH(QString, focused);
        ConnectionDialog d;
        d.show();
        QVERIFY(QTest::qWaitForWindowExposed(&d));
        d.activateWindow();
        fillExternal(d, bootstrap, protocol);
        auto *mech = child<QComboBox>(&d, "mechanism");
        mech->setCurrentIndex(mechanism.isEmpty() ? 0 : mech->findData(mechanism));
        child<QLineEdit>(&d, "user")->setText(user);
        child<QLineEdit>(&d, "password")->setText(password);
        child<QLineEdit>(&d, "caFile")->setText(caFile);
        child<QLineEdit>(&d, "searchUrl")->setText(searchUrl);
        QSignalSpy accepted(&d, &QDialog::accepted);
        clickConnect(d);
        QVERIFY2(d.messageText().contains(field), qPrintable(d.messageText()));
        QVERIFY2(d.messageText().contains(problem), qPrintable(d.messageText()));
        QVERIFY(!d.isTesting()); // refused before any connection attempt
        QVERIFY(d.isVisible());
        QCOMPARE(accepted.count(), 0);
        QCOMPARE(d.focusWidget() ? d.focusWidget()->objectName() : QString(), focused);
        // "Test connection" applies the same rules.
        QTest::mouseClick(child<QPushButton>(&d, "testButton"), Qt::LeftButton);
        QVERIFY(!d.isTesting());
        QVERIFY2(d.messageText().contains(field), qPrintable(d.messageText()));
    }

    void passwordWarningShowsWithSasl()
    {
        ConnectionDialog d;
        d.show();
        QVERIFY(QTest::qWaitForWindowExposed(&d));
        auto *warning = child<QLabel>(&d, "passwordNotStored");
        fillExternal(d, QStringLiteral("broker.example:9092"), QStringLiteral("PLAINTEXT"));
        QVERIFY(!warning->isVisible());
        QVERIFY(!child<QLineEdit>(&d, "password")->isEnabled());
        fillExternal(d, QStringLiteral("broker.example:9092"), QStringLiteral("SASL_SSL"));
        QVERIFY(warning->isVisible());
        QVERIFY(warning->text().contains(QStringLiteral("not be remembered")));
        // The keyring's answer (none: this test runs without a session bus) keeps the warning and no "Remember".
        QTRY_COMPARE_WITH_TIMEOUT(int(d.keyring()), int(ConnectionDialog::Keyring::Unavailable), 10000);
        QVERIFY(warning->isVisible());
        QVERIFY(!child<QCheckBox>(&d, "rememberPassword")->isVisible());
        QVERIFY(child<QLineEdit>(&d, "password")->isEnabled());
        QVERIFY(child<QLineEdit>(&d, "caFile")->isEnabled());
        d.setChoice(ConnectionDialog::Choice::Local);
        QVERIFY(!warning->isVisible());
    }

    void testConnectionToAClosedPort()
    {
        const quint16 port = closedPort();
        QVERIFY(port);
        ConnectionDialog d;
        d.setProbeTimeoutMs(5000);
        d.show();
        QVERIFY(QTest::qWaitForWindowExposed(&d));
        const QString target = QStringLiteral("127.0.0.1:%1").arg(port);
        fillExternal(d, target);
        // The event loop must keep turning while the probe works: a 20 ms timer, and the longest gap between ticks.
        QElapsedTimer sinceTick;
        qint64 longestGap = 0;
        QTimer ticker;
        connect(&ticker, &QTimer::timeout, this, [&] {
            longestGap = std::max(longestGap, sinceTick.restart());
        });
        sinceTick.start();
        ticker.start(20);
        QTest::mouseClick(child<QPushButton>(&d, "testButton"), Qt::LeftButton);
        QVERIFY(d.isTesting());
        QVERIFY(child<QProgressBar>(&d, "busy")->isVisible());
        QVERIFY(!child<QPushButton>(&d, "testButton")->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(!d.isTesting(), 8000);
        ticker.stop();
        QVERIFY2(d.messageText().contains(QStringLiteral("Cannot reach %1").arg(target)), qPrintable(d.messageText()));
        QVERIFY2(d.messageText().contains(QStringLiteral("_ALL_BROKERS_DOWN")) || d.messageText().contains(QStringLiteral("_TRANSPORT")) ||
                     d.messageText().contains(QStringLiteral("_TIMED_OUT")),
                 qPrintable(d.messageText()));
        QVERIFY2(longestGap < 500, qPrintable(QString::number(longestGap)));
        QVERIFY(!child<QProgressBar>(&d, "busy")->isVisible());
        QVERIFY(child<QPushButton>(&d, "testButton")->isEnabled());

        // Connect probes too, and stays open when the cluster cannot be reached.
        QSignalSpy accepted(&d, &QDialog::accepted);
        clickConnect(d);
        QVERIFY(d.isTesting());
        QTRY_VERIFY_WITH_TIMEOUT(!d.isTesting(), 8000);
        QVERIFY(d.isVisible());
        QCOMPARE(accepted.count(), 0);
        QVERIFY2(d.messageText().contains(QStringLiteral("Cannot reach")), qPrintable(d.messageText()));
    }

    void stopTestAndCloseWhileTesting()
    {
        // A server that never answers: the test would run its whole 30 s.
        SilentServer silent;
        auto *d = new ConnectionDialog;
        d->setProbeTimeoutMs(30000);
        d->show();
        QVERIFY(QTest::qWaitForWindowExposed(d));
        fillExternal(*d, silent.bootstrap());
        QTest::mouseClick(child<QPushButton>(d, "testButton"), Qt::LeftButton);
        QVERIFY(d->isTesting());
        QTest::qWait(300);
        QElapsedTimer t;
        t.start();
        QTest::mouseClick(child<QPushButton>(d, "stopTest"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!d->isTesting(), 3000);
        QVERIFY2(d->messageText().contains(QStringLiteral("stopped")), qPrintable(d->messageText()));

        // Closed and destroyed mid-test: no crash, no wait for the 30 s timeout.
        QTest::mouseClick(child<QPushButton>(d, "testButton"), Qt::LeftButton);
        QVERIFY(d->isTesting());
        QTest::qWait(200);
        t.restart();
        d->reject();
        delete d;
        QVERIFY2(t.elapsed() < 3000, qPrintable(QString::number(t.elapsed())));
        QTest::qWait(200); // a result posted to the dead dialog would arrive (and crash) here
    }

    void settingsRoundTripWithoutThePassword()
    {
        QTemporaryDir tmp;
        const QString ca = tmp.filePath(QStringLiteral("ca.pem"));
        QFile caFile(ca);
        QVERIFY(caFile.open(QIODevice::WriteOnly));
        caFile.write("-----BEGIN CERTIFICATE-----\n");
        caFile.close();
        const QString secret = QStringLiteral("hunter2-not-stored");
        {
            ConnectionDialog d;
            fillExternal(d, QStringLiteral("broker.example:9292"), QStringLiteral("SASL_SSL"));
            auto *mech = child<QComboBox>(&d, "mechanism");
            mech->setCurrentIndex(mech->findData(QStringLiteral("SCRAM-SHA-512")));
            child<QLineEdit>(&d, "user")->setText(QStringLiteral("student"));
            child<QLineEdit>(&d, "password")->setText(secret);
            child<QLineEdit>(&d, "caFile")->setText(ca);
            child<QLineEdit>(&d, "searchUrl")->setText(QStringLiteral("https://search.example:9200"));
            QString error;
            const auto profile = d.validatedProfile(&error);
            QVERIFY2(profile, qPrintable(error));
            QCOMPARE(profile->saslPassword, secret.toStdString()); // in memory for the connection, and only there
            QCOMPARE(profile->securityProtocol, std::string("SASL_SSL"));
            d.saveSettings();
        }
        QSettings().sync();
        const QString stored = settingsFileText();
        QVERIFY2(stored.contains(QStringLiteral("student")), qPrintable(stored));
        QVERIFY2(!stored.contains(secret), qPrintable(stored));
        QVERIFY2(!stored.contains(QStringLiteral("password"), Qt::CaseInsensitive), qPrintable(stored));
        {
            ConnectionDialog d;
            QCOMPARE(int(d.choice()), int(ConnectionDialog::Choice::External));
            QCOMPARE(child<QLineEdit>(&d, "bootstrap")->text(), QStringLiteral("broker.example:9292"));
            QCOMPARE(child<QComboBox>(&d, "protocol")->currentText(), QStringLiteral("SASL_SSL"));
            QCOMPARE(child<QComboBox>(&d, "mechanism")->currentData().toString(), QStringLiteral("SCRAM-SHA-512"));
            QCOMPARE(child<QLineEdit>(&d, "user")->text(), QStringLiteral("student"));
            QCOMPARE(child<QLineEdit>(&d, "caFile")->text(), ca);
            QCOMPARE(child<QLineEdit>(&d, "searchUrl")->text(), QStringLiteral("https://search.example:9200"));
            QVERIFY(child<QLineEdit>(&d, "password")->text().isEmpty());
        }
    }

    void connectAcceptsAfterAProbeAndRemembers()
    {
        // An "external" cluster that is really an embedded one: the probe succeeds, the dialog accepts and saves.
        EmbeddedCluster cluster(2);
        const QString bootstrap = QString::fromStdString(cluster.bootstrapServers());
        ConnectionDialog d;
        d.show();
        QVERIFY(QTest::qWaitForWindowExposed(&d));
        fillExternal(d, bootstrap);
        QSignalSpy accepted(&d, &QDialog::accepted);
        clickConnect(d);
        QTRY_COMPARE_WITH_TIMEOUT(accepted.count(), 1, 10000);
        QCOMPARE(d.profile().bootstrapServers, bootstrap.toStdString());
        QCOMPARE(int(d.profile().kind), int(ClusterProfile::Kind::External));
        QSettings s;
        s.beginGroup(ConnectionDialog::settingsGroup());
        QCOMPARE(s.value(QStringLiteral("choice")).toString(), QStringLiteral("external"));
        QCOMPARE(s.value(QStringLiteral("bootstrap")).toString(), bootstrap);
    }

    void clusterBarAndMenuDriveTheEngine()
    {
        PipelineOptions options; // embedded, 3 brokers
        options.workloadRate = 50;
        options.notificationMembers = 1;
        EngineThread engine(options);
        MainWindow window(engine.engine());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        EngineClient *client = window.engineClient();
        QSignalSpy started(client, &EngineClient::engineStarted);
        QSignalSpy stopped(client, &EngineClient::engineStopped);
        engine.start();
        QTRY_COMPARE_WITH_TIMEOUT(started.count(), 1, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(client->latest() && client->latest()->brokers.size() == 3, 20000);
        QPushButton *embedded = window.clusterBar()->embeddedButton();
        QTRY_VERIFY_WITH_TIMEOUT(embedded->isEnabled(), 5000);
        QCOMPARE(embedded->text(), QStringLiteral("Stop embedded cluster"));

        // Stop: the engine says so, and snapshots stop coming.
        QTest::mouseClick(embedded, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(stopped.count(), 1, 15000);
        QTRY_COMPARE_WITH_TIMEOUT(embedded->text(), QStringLiteral("Start embedded cluster"), 5000);
        QCOMPARE(int(window.clusterBar()->engineState()), int(ClusterBar::EngineState::Stopped));
        QTest::qWait(300); // the last queued snapshot lands
        const quint64 afterStop = client->snapshotsReceived();
        QTest::qWait(1200); // ~5 snapshot intervals
        QCOMPARE(client->snapshotsReceived(), afterStop);

        // Start again: a new pipeline on the embedded cluster, snapshots again.
        QTest::mouseClick(embedded, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(started.count(), 2, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(client->snapshotsReceived() > afterStop + 2, 10000);
        QCOMPARE(int(client->clusterProfile().kind), int(ClusterProfile::Kind::Embedded));
        QTRY_COMPARE_WITH_TIMEOUT(embedded->text(), QStringLiteral("Stop embedded cluster"), 5000);

        // Cluster > Connect...: the embedded cluster with one broker.
        window.connectAction()->trigger();
        auto *dialog = window.findChild<ConnectionDialog *>();
        QVERIFY(dialog);
        QPointer<ConnectionDialog> guard(dialog);
        dialog->setChoice(ConnectionDialog::Choice::Embedded);
        child<QSpinBox>(dialog, "embeddedBrokers")->setValue(1);
        clickConnect(*dialog);
        QTRY_VERIFY_WITH_TIMEOUT(guard.isNull(), 5000); // accepted and deleted on close
        QTRY_COMPARE_WITH_TIMEOUT(started.count(), 3, 20000);
        QCOMPARE(client->clusterProfile().embeddedBrokers, 1);
        QTRY_VERIFY_WITH_TIMEOUT(client->latest() && client->latest()->brokers.size() == 1, 20000);
    }

    void localStackButtonWithAFakeScript()
    {
        QTemporaryDir tmp;
        const QString script = tmp.filePath(QStringLiteral("labstack.sh"));
        const QString argsFile = tmp.filePath(QStringLiteral("args.txt"));
        writeFakeStack(script, argsFile, 4, QStringLiteral("error: port 9092 is held by java (pid 4242); stop it or set KCL_KAFKA_PORT"));
        qputenv("KCL_STACK_SCRIPT", script.toUtf8());
        MainWindow window(nullptr); // no engine: a successful start must not move a real pipeline onto the shared stack
        qunsetenv("KCL_STACK_SCRIPT");
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QPushButton *stack = window.clusterBar()->stackButton();
        QCOMPARE(stack->text(), QStringLiteral("Start local stack"));

        // A failing start: progress while the script runs, then its message in the banner.
        QTest::mouseClick(stack, Qt::LeftButton);
        QVERIFY2(stack->text().startsWith(QStringLiteral("Starting local stack")), qPrintable(stack->text()));
        QVERIFY(!stack->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(stack->isEnabled(), 10000);
        QCOMPARE(stack->text(), QStringLiteral("Start local stack"));
        QVERIFY(window.errorBanner()->isVisible());
        QVERIFY2(window.errorBanner()->text().contains(QStringLiteral("port 9092 is held by java")), qPrintable(window.errorBanner()->text()));
        QVERIFY2(window.errorBanner()->text().contains(QStringLiteral("exit 4")), qPrintable(window.errorBanner()->text()));

        // A successful start, then a stop.
        writeFakeStack(script, argsFile, 0, {});
        QTest::mouseClick(stack, Qt::LeftButton);
        QVERIFY(!stack->isEnabled());
        QTRY_COMPARE_WITH_TIMEOUT(int(window.clusterBar()->stackState()), int(ClusterBar::StackState::Up), 10000);
        QCOMPARE(stack->text(), QStringLiteral("Stop local stack"));
        QTest::mouseClick(stack, Qt::LeftButton);
        QVERIFY2(stack->text().startsWith(QStringLiteral("Stopping local stack")), qPrintable(stack->text()));
        QTRY_COMPARE_WITH_TIMEOUT(int(window.clusterBar()->stackState()), int(ClusterBar::StackState::Idle), 10000);
        QCOMPARE(stack->text(), QStringLiteral("Start local stack"));

        QFile args(argsFile);
        QVERIFY(args.open(QIODevice::ReadOnly));
        const QStringList calls = QString::fromUtf8(args.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(calls, (QStringList{QStringLiteral("up --brokers 1 --with search,sql"), QStringLiteral("up --brokers 1 --with search,sql"),
                                     QStringLiteral("down")}));
    }

    void koreanScreenshot()
    {
        QVERIFY(switchLanguage(QStringLiteral("ko")));
        ConnectionDialog d;
        d.setProbeTimeoutMs(4000);
        d.show();
        QVERIFY(QTest::qWaitForWindowExposed(&d));
        fillExternal(d, QStringLiteral("127.0.0.1:%1").arg(closedPort()), QStringLiteral("SASL_PLAINTEXT"));
        auto *mech = child<QComboBox>(&d, "mechanism");
        mech->setCurrentIndex(mech->findData(QStringLiteral("PLAIN")));
        child<QLineEdit>(&d, "user")->setText(QStringLiteral("kcl"));
        child<QLineEdit>(&d, "password")->setText(QStringLiteral("secret"));
        QTest::mouseClick(child<QPushButton>(&d, "testButton"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!d.isTesting(), 8000);
        QVERIFY2(d.messageText().contains(QStringLiteral("연결할 수 없습니다")), qPrintable(d.messageText()));
        QDir().mkpath(QStringLiteral(KCL_SCREENSHOT_DIR));
        QVERIFY(d.grab().save(QStringLiteral(KCL_SCREENSHOT_DIR "/connection-dialog-ko.png")));

        MainWindow window(nullptr);
        window.resize(1400, 400);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.clusterBar()->grab().save(QStringLiteral(KCL_SCREENSHOT_DIR "/cluster-bar-ko.png")));
        QVERIFY(switchLanguage(QStringLiteral("en")));
    }
};

QTEST_MAIN(TestConnectionDialog)
#include "tst_connection_dialog.moc"
