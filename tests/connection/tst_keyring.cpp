// Passwords in a real system keyring: GNOME Keyring's Secret Service in a private D-Bus session (with-keyring.sh),
// read back with secret-tool, the desktop's own client, as an independent witness.
// - SecretStore: write, read, remove, and a missing entry, each reported through its signal;
// - the connection dialog on the local lab stack's SASL listener (127.0.0.1:9292, kcl / kcl-secret): Connect keeps
//   the password in the keyring and not in the settings file, a new dialog fills it in, and unticking "Remember"
//   removes it.
#include "ConnectionDialog.h"
#include "cluster/SecretStore.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace kcl;
using namespace kcl::ui;

namespace {

const QString kService = QStringLiteral("kafka-collab-lab-test");

template <typename T>
T *child(QWidget *parent, const char *name)
{
    return parent->findChild<T *>(QString::fromLatin1(name));
}

// What the keyring holds for the account, asked with secret-tool (QtKeychain's attributes: server = service,
// user = key); an empty string when there is no such entry.
QString lookUp(const QString &account)
{
    QProcess p;
    p.start(QStringLiteral("secret-tool"), {QStringLiteral("lookup"), QStringLiteral("server"), kService, QStringLiteral("user"), account});
    if (!p.waitForFinished(10000))
        return QStringLiteral("<secret-tool did not answer>");
    return QString::fromUtf8(p.readAllStandardOutput());
}

QString saslBootstrap()
{
    return qEnvironmentVariable("KCL_TEST_SASL_BOOTSTRAP", QStringLiteral("127.0.0.1:9292"));
}

void fillSasl(ConnectionDialog &d, const QString &user, const QString &password)
{
    d.setChoice(ConnectionDialog::Choice::External);
    child<QLineEdit>(&d, "bootstrap")->setText(saslBootstrap());
    auto *protocol = child<QComboBox>(&d, "protocol");
    protocol->setCurrentIndex(protocol->findText(QStringLiteral("SASL_PLAINTEXT")));
    auto *mech = child<QComboBox>(&d, "mechanism");
    mech->setCurrentIndex(mech->findData(QStringLiteral("PLAIN")));
    child<QLineEdit>(&d, "user")->setText(user);
    if (!password.isNull())
        child<QLineEdit>(&d, "password")->setText(password);
}

} // namespace

class TestKeyring : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(qEnvironmentVariableIsSet("DBUS_SESSION_BUS_ADDRESS"), "run through with-keyring.sh");
        QVERIFY(m_tmp.isValid());
        QCoreApplication::setOrganizationName(QStringLiteral("kcl-test"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_keyring"));
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_tmp.path());
        ConnectionDialog::setKeyringService(kService);
    }

    void storeWritesReadsAndRemoves()
    {
        SecretStore store(kService);
        QSignalSpy done(&store, &SecretStore::finished);
        const QString account = SecretStore::accountFor(QStringLiteral("broker.example:9092"), QStringLiteral("student"));
        auto outcome = [&] { return done.last().at(1).value<SecretStore::Outcome>(); };

        store.read(account);
        QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 10000);
        QCOMPARE(outcome(), SecretStore::Outcome::NotFound);

        store.write(account, QStringLiteral("s3cret ü"));
        QTRY_COMPARE_WITH_TIMEOUT(done.count(), 2, 10000);
        QCOMPARE(outcome(), SecretStore::Outcome::Stored);
        QCOMPARE(lookUp(account), QStringLiteral("s3cret ü")); // in the keyring itself

        store.read(account);
        QTRY_COMPARE_WITH_TIMEOUT(done.count(), 3, 10000);
        QCOMPARE(outcome(), SecretStore::Outcome::Found);
        QCOMPARE(done.last().at(2).toString(), QStringLiteral("s3cret ü"));

        store.remove(account);
        QTRY_COMPARE_WITH_TIMEOUT(done.count(), 4, 10000);
        QCOMPARE(outcome(), SecretStore::Outcome::Removed);
        QCOMPARE(lookUp(account), QString());
    }

    void dialogKeepsThePasswordInTheKeyring()
    {
        const QString account = SecretStore::accountFor(saslBootstrap(), QStringLiteral("kcl"));
        {
            ConnectionDialog d;
            d.show();
            QVERIFY(QTest::qWaitForWindowExposed(&d));
            QTRY_COMPARE_WITH_TIMEOUT(int(d.keyring()), int(ConnectionDialog::Keyring::Available), 10000);
            fillSasl(d, QStringLiteral("kcl"), QStringLiteral("kcl-secret"));
            auto *remember = child<QCheckBox>(&d, "rememberPassword");
            QVERIFY(remember->isVisible() && remember->isChecked());
            QVERIFY(!child<QLabel>(&d, "passwordNotStored")->isVisible());
            QDir().mkpath(QStringLiteral(KCL_SCREENSHOT_DIR));
            QVERIFY(d.grab().save(QStringLiteral(KCL_SCREENSHOT_DIR "/connection-dialog-keyring.png")));
            QSignalSpy accepted(&d, &QDialog::accepted);
            QTest::mouseClick(child<QPushButton>(&d, "connectButton"), Qt::LeftButton);
            QTRY_COMPARE_WITH_TIMEOUT(accepted.count(), 1, 20000); // the probe authenticated with the password
        }
        QTRY_COMPARE_WITH_TIMEOUT(lookUp(account), QStringLiteral("kcl-secret"), 10000);
        QSettings().sync();
        QFile settings(QSettings().fileName());
        QVERIFY(settings.open(QIODevice::ReadOnly));
        const QString stored = QString::fromUtf8(settings.readAll());
        QVERIFY2(stored.contains(QStringLiteral("kcl")) && !stored.contains(QStringLiteral("kcl-secret")), qPrintable(stored));

        {
            // A new dialog opens on the remembered login and fills the password in from the keyring.
            ConnectionDialog d;
            d.show();
            QVERIFY(QTest::qWaitForWindowExposed(&d));
            QCOMPARE(child<QLineEdit>(&d, "user")->text(), QStringLiteral("kcl"));
            QTRY_COMPARE_WITH_TIMEOUT(child<QLineEdit>(&d, "password")->text(), QStringLiteral("kcl-secret"), 10000);
            // Another user: the field is not left holding kcl's password.
            auto *user = child<QLineEdit>(&d, "user");
            user->setText(QStringLiteral("someone-else"));
            Q_EMIT user->editingFinished();
            QTRY_VERIFY_WITH_TIMEOUT(child<QLineEdit>(&d, "password")->text().isEmpty(), 10000);
            user->setText(QStringLiteral("kcl"));
            Q_EMIT user->editingFinished();
            QTRY_COMPARE_WITH_TIMEOUT(child<QLineEdit>(&d, "password")->text(), QStringLiteral("kcl-secret"), 10000);

            // Connect without "Remember": the entry goes.
            child<QCheckBox>(&d, "rememberPassword")->setChecked(false);
            QSignalSpy accepted(&d, &QDialog::accepted);
            QTest::mouseClick(child<QPushButton>(&d, "connectButton"), Qt::LeftButton);
            QTRY_COMPARE_WITH_TIMEOUT(accepted.count(), 1, 20000);
        }
        QTRY_COMPARE_WITH_TIMEOUT(lookUp(account), QString(), 10000);
    }

private:
    QTemporaryDir m_tmp;
};

QTEST_MAIN(TestKeyring)
#include "tst_keyring.moc"
