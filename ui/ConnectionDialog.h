#pragma once
// The connection dialog (Cluster > Connect...): the embedded cluster, the local lab stack, an external cluster
// (bootstrap servers, security protocol, SASL, CA file, search URL) or the guide's preset. Fields are checked with
// core's rules (checkBootstrapServers, applyClusterSecurity: the same as the command line's); "Test connection" and
// Connect check the cluster with a ConnectionProbe, which works on a thread of its own: the dialog shows a busy bar,
// stays responsive, and can stop the test. It makes no Kafka call itself.
//
// The choices are remembered with QSettings (group "connection"), except the password: it goes to the system keyring
// (SecretStore, asynchronous) when the session has one and "Remember" is ticked, and nowhere otherwise; the dialog
// says which. A remembered password is filled in when the dialog opens for the same bootstrap servers and user.
#include "cluster/ClusterProfile.h"
#include "cluster/ConnectionProbe.h"
#include "cluster/SecretStore.h"

#include <QDialog>
#include <optional>

class QButtonGroup;
class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QRadioButton;
class QSpinBox;
class QToolButton;

namespace kcl::ui {

class ConnectionDialog : public QDialog {
    Q_OBJECT
public:
    enum class Choice { Embedded, Local, External, Guide };

    // `current`: the engine's cluster, preselected when no choice was saved yet.
    explicit ConnectionDialog(const ClusterProfile &current = {}, QWidget *parent = nullptr);
    ~ConnectionDialog() override;

    // The cluster to connect to, once the dialog is accepted (a checked profile, password included).
    ClusterProfile profile() const { return m_accepted; }
    Choice choice() const;
    void setChoice(Choice choice);

    // The fields as core rules see them: a profile, or nullopt with *error naming the field (translated) and the
    // field's widget focused.
    std::optional<ClusterProfile> validatedProfile(QString *error);

    QString messageText() const;  // the validation or probe message shown
    bool isTesting() const;
    void setProbeTimeoutMs(int ms) { m_probeTimeoutMs = ms; }
    static QString settingsGroup() { return QStringLiteral("connection"); }
    // Remembers the fields (QSettings, group settingsGroup()), never the password. Done when a connection is accepted.
    void saveSettings() const;
    // The keyring as far as the dialog knows: Unknown until its first answer (the warning shows meanwhile).
    enum class Keyring { Unknown, Available, Unavailable };
    Keyring keyring() const { return m_keyring; }
    // Tests point the dialog at their own keyring service before it opens; the default is the app's.
    static void setKeyringService(const QString &service);

public Q_SLOTS:
    void testConnection();
    void accept() override; // validates and probes first; accepts when the probe succeeds
    void reject() override; // also stops a running test

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void updateEnabledFields();
    void growToFit();
    void loadSettings(const ClusterProfile &current);
    void lookUpStoredPassword();
    void onSecret(const QString &account, kcl::SecretStore::Outcome outcome, const QString &secret, const QString &error);
    void keepPassword(const ClusterProfile &profile) const;
    QString currentAccount() const;
    static QString keyringServiceName();
    void startProbe(const ClusterProfile &profile, bool connectAfter);
    void onProbeFinished(const kcl::ConnectionProbeResult &result);
    void showMessage(const QString &html, bool isError);
    void setTesting(bool testing, const QString &target = {});
    QString securityProblemText(const ClusterSecurityProblem &problem) const;
    QString bootstrapProblemText(const BootstrapProblem &problem) const;

    QRadioButton *m_embedded = nullptr, *m_local = nullptr, *m_external = nullptr, *m_guide = nullptr;
    QButtonGroup *m_choices = nullptr;
    QSpinBox *m_brokers = nullptr;
    QLabel *m_brokersLabel = nullptr, *m_localInfo = nullptr, *m_guideInfo = nullptr;
    QGroupBox *m_externalBox = nullptr;
    QLabel *m_bootstrapLabel = nullptr, *m_protocolLabel = nullptr, *m_mechanismLabel = nullptr, *m_userLabel = nullptr,
           *m_passwordLabel = nullptr, *m_caLabel = nullptr, *m_searchLabel = nullptr;
    QLineEdit *m_bootstrap = nullptr, *m_user = nullptr, *m_password = nullptr, *m_caFile = nullptr, *m_searchUrl = nullptr;
    QComboBox *m_protocol = nullptr, *m_mechanism = nullptr;
    QToolButton *m_browseCa = nullptr;
    QLabel *m_passwordNotStored = nullptr, *m_scramWarning = nullptr;
    QCheckBox *m_rememberPassword = nullptr;
    QProgressBar *m_busy = nullptr;
    QLabel *m_busyLabel = nullptr;
    QPushButton *m_stopTest = nullptr;
    QLabel *m_message = nullptr, *m_detail = nullptr;
    QPushButton *m_testButton = nullptr;
    QDialogButtonBox *m_buttons = nullptr;

    ConnectionProbe m_probe; // a member: closing the dialog mid-test cancels the probe and joins its thread
    int m_probeTimeoutMs = 6000;
    bool m_connectAfterProbe = false;
    ClusterProfile m_probing;  // the profile under test
    ClusterProfile m_accepted;
    QString m_busyTarget;
    SecretStore *m_secrets = nullptr;
    Keyring m_keyring = Keyring::Unknown;
    QString m_keyringError;
    QString m_filledFrom; // the account whose stored password is in the field, if it came from the keyring
};

} // namespace kcl::ui
