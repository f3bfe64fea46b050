#include "ConnectionDialog.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QEvent>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QSpinBox>
#include <QTextDocumentFragment>
#include <QToolButton>
#include <QUrl>
#include <QVBoxLayout>
#include <algorithm>

namespace kcl::ui {

namespace {

const char *choiceKey(ConnectionDialog::Choice c)
{
    switch (c) {
    case ConnectionDialog::Choice::Embedded: return "embedded";
    case ConnectionDialog::Choice::Local: return "local";
    case ConnectionDialog::Choice::External: return "external";
    case ConnectionDialog::Choice::Guide: return "guide";
    }
    return "embedded";
}

bool isSasl(const QString &protocol) { return protocol.startsWith(QLatin1String("SASL_")); }
bool isTls(const QString &protocol) { return protocol.endsWith(QLatin1String("SSL")); }

} // namespace

ConnectionDialog::ConnectionDialog(const ClusterProfile &current, QWidget *parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("connectionDialog"));
    auto *layout = new QVBoxLayout(this);

    m_choices = new QButtonGroup(this);
    auto radio = [this](const char *name, Choice c) {
        auto *r = new QRadioButton(this);
        r->setObjectName(QString::fromLatin1(name));
        m_choices->addButton(r, int(c));
        return r;
    };
    m_embedded = radio("choice.embedded", Choice::Embedded);
    m_local = radio("choice.local", Choice::Local);
    m_external = radio("choice.external", Choice::External);
    m_guide = radio("choice.guide", Choice::Guide);

    auto indented = [](QLayout *inner) {
        auto *row = new QHBoxLayout;
        row->addSpacing(24);
        row->addLayout(inner, 1);
        return row;
    };
    auto infoLabel = [this] {
        auto *l = new QLabel(this);
        l->setWordWrap(true);
        l->setStyleSheet(QStringLiteral("color: #57606a;"));
        return l;
    };

    // Embedded: how many brokers.
    layout->addWidget(m_embedded);
    auto *brokersRow = new QHBoxLayout;
    m_brokersLabel = new QLabel(this);
    m_brokers = new QSpinBox(this);
    m_brokers->setObjectName(QStringLiteral("embeddedBrokers"));
    m_brokers->setRange(1, 5);
    m_brokers->setValue(3);
    m_brokersLabel->setBuddy(m_brokers);
    brokersRow->addWidget(m_brokersLabel);
    brokersRow->addWidget(m_brokers);
    brokersRow->addStretch(1);
    layout->addLayout(indented(brokersRow));

    // Local lab stack: fixed addresses.
    layout->addWidget(m_local);
    m_localInfo = infoLabel();
    auto *localRow = new QVBoxLayout;
    localRow->addWidget(m_localInfo);
    layout->addLayout(indented(localRow));

    // External cluster.
    layout->addWidget(m_external);
    m_externalBox = new QGroupBox(this);
    m_externalBox->setFlat(true);
    auto *form = new QFormLayout(m_externalBox);
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    auto lineEdit = [this](const char *name) {
        auto *e = new QLineEdit(this);
        e->setObjectName(QString::fromLatin1(name));
        return e;
    };
    m_bootstrap = lineEdit("bootstrap");
    m_bootstrap->setPlaceholderText(QStringLiteral("broker1:9092,broker2:9092"));
    m_protocol = new QComboBox(this);
    m_protocol->setObjectName(QStringLiteral("protocol"));
    m_protocol->addItems(securityProtocols());
    m_mechanism = new QComboBox(this);
    m_mechanism->setObjectName(QStringLiteral("mechanism"));
    m_mechanism->addItem(QString(), QString()); // "(none)", named in retranslateUi
    for (const QString &m : saslMechanisms())
        m_mechanism->addItem(m, m);
    m_user = lineEdit("user");
    m_password = lineEdit("password");
    m_password->setEchoMode(QLineEdit::Password);
    m_caFile = lineEdit("caFile");
    m_browseCa = new QToolButton(this);
    m_browseCa->setObjectName(QStringLiteral("browseCa"));
    m_browseCa->setText(QStringLiteral("…"));
    auto *caRow = new QHBoxLayout;
    caRow->addWidget(m_caFile, 1);
    caRow->addWidget(m_browseCa);
    m_searchUrl = lineEdit("searchUrl");
    m_searchUrl->setPlaceholderText(QStringLiteral("http://127.0.0.1:9200"));
    m_passwordNotStored = new QLabel(this);
    m_passwordNotStored->setObjectName(QStringLiteral("passwordNotStored"));
    m_passwordNotStored->setWordWrap(true);
    m_passwordNotStored->setStyleSheet(QStringLiteral("color: #9a6700;"));
    m_rememberPassword = new QCheckBox(this);
    m_rememberPassword->setObjectName(QStringLiteral("rememberPassword"));
    m_rememberPassword->setChecked(true);
    m_scramWarning = new QLabel(this);
    m_scramWarning->setObjectName(QStringLiteral("scramWarning"));
    m_scramWarning->setWordWrap(true);
    m_scramWarning->setStyleSheet(QStringLiteral("color: #9a6700;"));
    m_bootstrapLabel = new QLabel(this);
    m_protocolLabel = new QLabel(this);
    m_mechanismLabel = new QLabel(this);
    m_userLabel = new QLabel(this);
    m_passwordLabel = new QLabel(this);
    m_caLabel = new QLabel(this);
    m_searchLabel = new QLabel(this);
    form->addRow(m_bootstrapLabel, m_bootstrap);
    form->addRow(m_protocolLabel, m_protocol);
    form->addRow(m_mechanismLabel, m_mechanism);
    form->addRow(m_userLabel, m_user);
    form->addRow(m_passwordLabel, m_password);
    form->addRow(m_caLabel, caRow);
    form->addRow(m_searchLabel, m_searchUrl);
    const std::pair<QLabel *, QWidget *> buddies[] = {{m_bootstrapLabel, m_bootstrap}, {m_protocolLabel, m_protocol},
                                                      {m_mechanismLabel, m_mechanism}, {m_userLabel, m_user},
                                                      {m_passwordLabel, m_password},   {m_caLabel, m_caFile},
                                                      {m_searchLabel, m_searchUrl}};
    for (const auto &[label, field] : buddies)
        label->setBuddy(field);
    auto *externalRow = new QVBoxLayout;
    externalRow->addWidget(m_externalBox);
    // Below the form rather than in it: a word-wrapped label in a form row gets one line's height.
    externalRow->addWidget(m_rememberPassword);
    externalRow->addWidget(m_passwordNotStored);
    externalRow->addWidget(m_scramWarning);
    layout->addLayout(indented(externalRow));

    // The guide's preset.
    layout->addWidget(m_guide);
    m_guideInfo = infoLabel();
    auto *guideRow = new QVBoxLayout;
    guideRow->addWidget(m_guideInfo);
    layout->addLayout(indented(guideRow));

    // Progress of a test, and its outcome.
    auto *busyRow = new QHBoxLayout;
    m_busy = new QProgressBar(this);
    m_busy->setObjectName(QStringLiteral("busy"));
    m_busy->setRange(0, 0); // indeterminate: the probe reports only at its end
    m_busy->setMaximumWidth(120);
    m_busy->setTextVisible(false);
    m_busyLabel = new QLabel(this);
    m_stopTest = new QPushButton(this);
    m_stopTest->setObjectName(QStringLiteral("stopTest"));
    busyRow->addWidget(m_busy);
    busyRow->addWidget(m_busyLabel, 1);
    busyRow->addWidget(m_stopTest);
    layout->addLayout(busyRow);
    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("message"));
    m_message->setWordWrap(true);
    m_message->setTextFormat(Qt::RichText);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_detail = new QLabel(this);
    m_detail->setObjectName(QStringLiteral("detail"));
    m_detail->setWordWrap(true);
    m_detail->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_detail->setStyleSheet(QStringLiteral("color: #57606a; font-size: 8pt;"));
    layout->addWidget(m_message);
    layout->addWidget(m_detail);
    layout->addStretch(1);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_testButton = m_buttons->addButton(QString(), QDialogButtonBox::ActionRole);
    m_testButton->setObjectName(QStringLiteral("testButton"));
    m_buttons->button(QDialogButtonBox::Ok)->setObjectName(QStringLiteral("connectButton"));
    layout->addWidget(m_buttons);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &ConnectionDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &ConnectionDialog::reject);
    connect(m_testButton, &QPushButton::clicked, this, &ConnectionDialog::testConnection);
    connect(m_stopTest, &QPushButton::clicked, this, [this] {
        m_connectAfterProbe = false;
        m_probe.cancel();
    });
    connect(&m_probe, &ConnectionProbe::finished, this, &ConnectionDialog::onProbeFinished);
    connect(m_choices, &QButtonGroup::idToggled, this, [this](int, bool checked) {
        if (checked)
            updateEnabledFields();
    });
    connect(m_protocol, &QComboBox::currentIndexChanged, this, &ConnectionDialog::updateEnabledFields);
    connect(m_mechanism, &QComboBox::currentIndexChanged, this, &ConnectionDialog::updateEnabledFields);
    connect(m_browseCa, &QToolButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(this, tr("CA certificate"), m_caFile->text(),
                                                          tr("Certificates (*.pem *.crt *.cer);;All files (*)"));
        if (!file.isEmpty())
            m_caFile->setText(file);
    });

    m_secrets = new SecretStore(keyringServiceName(), this);
    connect(m_secrets, &SecretStore::finished, this, &ConnectionDialog::onSecret);
    // A password typed by hand is the user's, not the keyring's; a new user or bootstrap may have one stored.
    connect(m_password, &QLineEdit::textEdited, this, [this] { m_filledFrom.clear(); });
    connect(m_user, &QLineEdit::editingFinished, this, &ConnectionDialog::lookUpStoredPassword);
    connect(m_bootstrap, &QLineEdit::editingFinished, this, &ConnectionDialog::lookUpStoredPassword);

    loadSettings(current);
    lookUpStoredPassword(); // also tells whether there is a keyring at all
    setTesting(false);
    retranslateUi();
    updateEnabledFields();
    resize(560, sizeHint().height());
}

ConnectionDialog::~ConnectionDialog() = default;

ConnectionDialog::Choice ConnectionDialog::choice() const
{
    const int id = m_choices->checkedId();
    return id < 0 ? Choice::Embedded : Choice(id);
}

void ConnectionDialog::setChoice(Choice c)
{
    if (QAbstractButton *b = m_choices->button(int(c)))
        b->setChecked(true);
}

QString ConnectionDialog::messageText() const
{
    return QTextDocumentFragment::fromHtml(m_message->text()).toPlainText();
}

bool ConnectionDialog::isTesting() const
{
    return m_probe.isRunning();
}

void ConnectionDialog::updateEnabledFields()
{
    const Choice c = choice();
    const bool external = c == Choice::External;
    const QString protocol = m_protocol->currentText();
    const bool sasl = external && isSasl(protocol);
    m_brokers->setEnabled(c == Choice::Embedded);
    m_brokersLabel->setEnabled(c == Choice::Embedded);
    m_externalBox->setEnabled(external);
    for (QWidget *w : {static_cast<QWidget *>(m_mechanism), static_cast<QWidget *>(m_mechanismLabel),
                       static_cast<QWidget *>(m_user), static_cast<QWidget *>(m_userLabel),
                       static_cast<QWidget *>(m_password), static_cast<QWidget *>(m_passwordLabel)})
        w->setEnabled(isSasl(protocol));
    for (QWidget *w : {static_cast<QWidget *>(m_caFile), static_cast<QWidget *>(m_caLabel), static_cast<QWidget *>(m_browseCa)})
        w->setEnabled(isTls(protocol));
    // Where a password is asked for: remembered in the keyring, or the warning that it will not be.
    m_rememberPassword->setVisible(sasl && m_keyring == Keyring::Available);
    m_passwordNotStored->setVisible(sasl && m_keyring != Keyring::Available);
    ClusterProfile scram;
    scram.saslMechanism = m_mechanism->currentData().toString().toStdString();
    m_scramWarning->setVisible(sasl && !scram.securityWarning().isEmpty());
    growToFit();
}

void ConnectionDialog::growToFit()
{
    // Warnings and messages come and go: grow the height so that nothing is squeezed (never shrink under the user).
    layout()->activate();
    const int wanted = layout()->hasHeightForWidth() ? layout()->totalHeightForWidth(width()) : sizeHint().height();
    if (wanted > height())
        resize(width(), wanted);
}

std::optional<ClusterProfile> ConnectionDialog::validatedProfile(QString *error)
{
    auto fail = [error](QWidget *field, const QString &message) -> std::optional<ClusterProfile> {
        if (error)
            *error = message;
        if (field)
            field->setFocus(Qt::OtherFocusReason);
        return std::nullopt;
    };
    switch (choice()) {
    case Choice::Embedded: return ClusterProfile::embedded(m_brokers->value());
    case Choice::Local: return ClusterProfile::local();
    case Choice::Guide: return ClusterProfile::guidePreset();
    case Choice::External: break;
    }
    const QString bootstrap = m_bootstrap->text().trimmed();
    if (const auto problem = checkBootstrapServers(bootstrap))
        return fail(m_bootstrap, bootstrapProblemText(*problem));
    ClusterProfile p;
    p.kind = ClusterProfile::Kind::External;
    p.bootstrapServers = bootstrap.toStdString();
    const QString protocol = m_protocol->currentText();
    ClusterSecurityInput in;
    in.protocol = protocol;
    if (isSasl(protocol)) {
        if (const QString m = m_mechanism->currentData().toString(); !m.isEmpty())
            in.mechanism = m;
        in.username = m_user->text().trimmed();
        in.password = m_password->text();
    }
    if (isTls(protocol) && !m_caFile->text().trimmed().isEmpty())
        in.caFile = m_caFile->text().trimmed();
    if (const auto problem = applyClusterSecurity(in, p)) {
        using Field = ClusterSecurityProblem::Field;
        QWidget *field = problem->field == Field::Protocol ? static_cast<QWidget *>(m_protocol)
                         : problem->field == Field::Mechanism ? static_cast<QWidget *>(m_mechanism)
                         : problem->field == Field::Username ? static_cast<QWidget *>(m_user)
                         : problem->field == Field::Password ? static_cast<QWidget *>(m_password)
                                                             : static_cast<QWidget *>(m_caFile);
        return fail(field, securityProblemText(*problem));
    }
    QString search = m_searchUrl->text().trimmed();
    if (!search.isEmpty()) {
        const QUrl url(search, QUrl::StrictMode);
        if (!url.isValid() || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")) || url.host().isEmpty())
            return fail(m_searchUrl, tr("<b>%1</b>: '%2' is not an http:// or https:// address (for example http://127.0.0.1:9200).")
                                         .arg(m_searchLabel->text(), search.toHtmlEscaped()));
        while (search.endsWith(QLatin1Char('/')))
            search.chop(1);
        p.searchUrl = search.toStdString();
    }
    return p;
}

QString ConnectionDialog::bootstrapProblemText(const BootstrapProblem &problem) const
{
    const QString field = m_bootstrapLabel->text();
    const QString entry = problem.entry.toHtmlEscaped();
    switch (problem.reason) {
    case BootstrapProblem::Reason::Empty:
        return tr("<b>%1</b> is empty: give at least one broker as HOST:PORT (for example 127.0.0.1:9092).").arg(field);
    case BootstrapProblem::Reason::NotHostPort:
        return tr("<b>%1</b>: '%2' is not HOST:PORT (for example 127.0.0.1:9092).").arg(field, entry);
    case BootstrapProblem::Reason::BadPort:
        return tr("<b>%1</b>: '%2' has no valid port (1 to 65535).").arg(field, entry);
    case BootstrapProblem::Reason::NoHost:
        return tr("<b>%1</b>: '%2' has no host name.").arg(field, entry);
    }
    return {};
}

QString ConnectionDialog::securityProblemText(const ClusterSecurityProblem &problem) const
{
    using Field = ClusterSecurityProblem::Field;
    using Reason = ClusterSecurityProblem::Reason;
    const QLabel *label = problem.field == Field::Protocol ? m_protocolLabel
                          : problem.field == Field::Mechanism ? m_mechanismLabel
                          : problem.field == Field::Username ? m_userLabel
                          : problem.field == Field::Password ? m_passwordLabel
                                                             : m_caLabel;
    const QString field = label->text();
    switch (problem.reason) {
    case Reason::EmbeddedIsPlaintext:
        return tr("<b>%1</b>: the embedded cluster speaks plain text only; security settings need a local or external cluster.").arg(field);
    case Reason::UnknownProtocol:
        return tr("<b>%1</b>: '%2' is not PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL.").arg(field, problem.value.toHtmlEscaped());
    case Reason::UnknownMechanism:
        return tr("<b>%1</b>: '%2' is not PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512.").arg(field, problem.value.toHtmlEscaped());
    case Reason::MechanismRequired:
        return tr("<b>%1</b> is required: the security protocol %2 logs in with SASL (PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512).")
            .arg(field, problem.protocol);
    case Reason::MechanismNeedsSasl:
        return tr("<b>%1</b>: a SASL mechanism needs the security protocol SASL_PLAINTEXT or SASL_SSL, not %2.").arg(field, problem.protocol);
    case Reason::CredentialsNeedMechanism:
        return tr("<b>%1</b>: a user name and a password need a SASL mechanism.").arg(field);
    case Reason::CaNeedsTls:
        return tr("<b>%1</b>: a CA file needs the security protocol SSL or SASL_SSL, not %2.").arg(field, problem.protocol);
    case Reason::CaUnreadable:
        return tr("<b>%1</b>: cannot read the file '%2'.").arg(field, problem.value.toHtmlEscaped());
    case Reason::UsernameRequired:
    case Reason::PasswordRequired:
        return tr("<b>%1</b> is required: SASL %2 logs in with a user name and a password.").arg(field, problem.mechanism);
    }
    return {};
}

void ConnectionDialog::testConnection()
{
    QString error;
    const auto profile = validatedProfile(&error);
    if (!profile) {
        showMessage(error, true);
        return;
    }
    if (profile->kind == ClusterProfile::Kind::Embedded) {
        showMessage(tr("The embedded cluster runs inside the app: there is nothing to test."), false);
        return;
    }
    startProbe(*profile, false);
}

void ConnectionDialog::accept()
{
    if (isTesting())
        return;
    QString error;
    const auto profile = validatedProfile(&error);
    if (!profile) {
        showMessage(error, true);
        return;
    }
    if (profile->kind == ClusterProfile::Kind::Embedded) { // started by the engine itself: nothing to probe
        m_accepted = *profile;
        saveSettings();
        keepPassword(m_accepted);
        QDialog::accept();
        return;
    }
    startProbe(*profile, true);
}

void ConnectionDialog::reject()
{
    m_connectAfterProbe = false;
    m_probe.cancel(); // its result, if it still comes, only updates the message
    QDialog::reject();
}

void ConnectionDialog::startProbe(const ClusterProfile &profile, bool connectAfter)
{
    if (!m_probe.probe(profile, m_probeTimeoutMs))
        return; // one at a time: the buttons are disabled meanwhile
    m_probing = profile;
    m_connectAfterProbe = connectAfter;
    showMessage(QString(), false);
    setTesting(true, QString::fromStdString(profile.bootstrapServers));
}

void ConnectionDialog::onProbeFinished(const ConnectionProbeResult &r)
{
    using Outcome = ConnectionProbeResult::Outcome;
    setTesting(false);
    const QString target = r.bootstrap.toHtmlEscaped();
    const QString name = QString::fromStdString(r.error.name);
    QString text;
    switch (r.outcome) {
    case Outcome::Ok:
        text = tr("Connected to %1: %n broker(s) answered.", nullptr, r.brokerCount).arg(target) + QLatin1Char(' ') +
               (r.controllerId >= 0 ? tr("The controller is broker %1.").arg(r.controllerId)
                                    : tr("The cluster names no controller."));
        break;
    case Outcome::Unreachable:
        text = tr("Cannot reach %1 (%2).").arg(target, name) + QLatin1Char(' ') +
               tr("Check that the cluster is running and that the host names and ports are right. For the local lab "
                  "stack, start it with the button in the cluster bar.");
        break;
    case Outcome::AuthenticationFailed:
        text = tr("The cluster at %1 refused the login (%2).").arg(target, name) + QLatin1Char(' ') +
               tr("Check the SASL mechanism, the user name and the password.");
        break;
    case Outcome::TlsError:
        text = tr("The TLS connection to %1 failed (%2).").arg(target, name) + QLatin1Char(' ') +
               tr("Check the CA file, and that the security protocol matches the broker's listener (SSL or SASL_SSL).");
        break;
    case Outcome::InvalidConfiguration:
        text = tr("The Kafka client refused these settings (%1).").arg(name) + QLatin1Char(' ') + tr("Check the fields above.");
        break;
    case Outcome::Cancelled:
        m_connectAfterProbe = false;
        showMessage(tr("The test was stopped."), false);
        return;
    }
    showMessage(text, !r.ok());
    // librdkafka's own words, for whoever wants the technical detail.
    m_detail->setText(r.ok() ? QString() : QString::fromStdString(r.error.sentence()));
    m_detail->setVisible(!r.ok());
    growToFit();
    if (r.ok() && m_connectAfterProbe) {
        m_connectAfterProbe = false;
        m_accepted = m_probing;
        saveSettings();
        keepPassword(m_accepted);
        QDialog::accept();
        return;
    }
    m_connectAfterProbe = false;
}

void ConnectionDialog::showMessage(const QString &html, bool isError)
{
    m_message->setText(html.isEmpty() ? QString()
                                      : QStringLiteral("<span style=\"color:%1\">%2</span>")
                                            .arg(isError ? QStringLiteral("#cf222e") : QStringLiteral("#1a7f37"), html));
    m_message->setVisible(!html.isEmpty());
    m_detail->clear();
    m_detail->setVisible(false);
    growToFit();
}

void ConnectionDialog::setTesting(bool testing, const QString &target)
{
    m_busyTarget = target;
    m_busy->setVisible(testing);
    m_busyLabel->setVisible(testing);
    m_stopTest->setVisible(testing);
    m_testButton->setEnabled(!testing);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!testing);
    if (testing)
        m_busyLabel->setText(tr("Connecting to %1…").arg(target));
}

void ConnectionDialog::loadSettings(const ClusterProfile &current)
{
    QSettings s;
    s.beginGroup(settingsGroup());
    Choice c = Choice::Embedded;
    const QString saved = s.value(QStringLiteral("choice")).toString();
    if (!saved.isEmpty()) {
        for (Choice k : {Choice::Embedded, Choice::Local, Choice::External, Choice::Guide})
            if (saved == QLatin1String(choiceKey(k)))
                c = k;
    } else if (current.kind == ClusterProfile::Kind::Local) {
        c = Choice::Local;
    } else if (current.kind == ClusterProfile::Kind::External) {
        c = current.bootstrapServers == ClusterProfile::guidePreset().bootstrapServers ? Choice::Guide : Choice::External;
    }
    m_brokers->setValue(s.value(QStringLiteral("embeddedBrokers"),
                                current.kind == ClusterProfile::Kind::Embedded ? current.embeddedBrokers : 3).toInt());
    const bool fromCurrent = saved.isEmpty() && c == Choice::External;
    auto value = [&](const char *key, const std::string &fallback) {
        return s.value(QLatin1String(key), fromCurrent ? QString::fromStdString(fallback) : QString()).toString();
    };
    m_bootstrap->setText(value("bootstrap", current.bootstrapServers));
    const QString protocol = value("protocol", current.securityProtocol);
    m_protocol->setCurrentIndex(std::max(0, m_protocol->findText(protocol)));
    m_mechanism->setCurrentIndex(std::max(0, m_mechanism->findData(value("mechanism", current.saslMechanism))));
    m_user->setText(value("user", current.saslUsername));
    m_caFile->setText(value("caFile", current.sslCaLocation));
    m_searchUrl->setText(value("searchUrl", current.searchUrl));
    setChoice(c);
}

void ConnectionDialog::saveSettings() const
{
    // Everything but the password: it never reaches the settings file (keepPassword puts it in the keyring).
    QSettings s;
    s.beginGroup(settingsGroup());
    s.setValue(QStringLiteral("choice"), QLatin1String(choiceKey(choice())));
    s.setValue(QStringLiteral("embeddedBrokers"), m_brokers->value());
    s.setValue(QStringLiteral("bootstrap"), m_bootstrap->text().trimmed());
    s.setValue(QStringLiteral("protocol"), m_protocol->currentText());
    s.setValue(QStringLiteral("mechanism"), m_mechanism->currentData().toString());
    s.setValue(QStringLiteral("user"), m_user->text().trimmed());
    s.setValue(QStringLiteral("caFile"), m_caFile->text().trimmed());
    s.setValue(QStringLiteral("searchUrl"), m_searchUrl->text().trimmed());
}

void ConnectionDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QDialog::changeEvent(event);
}

void ConnectionDialog::retranslateUi()
{
    setWindowTitle(tr("Connect to a cluster"));
    m_embedded->setText(tr("&Embedded cluster (inside the app, no set-up)"));
    m_brokersLabel->setText(tr("Brokers:"));
    m_local->setText(tr("&Local lab stack (real Kafka, search and PostgreSQL on this machine)"));
    m_localInfo->setText(tr("Kafka %1, search %2, PostgreSQL port %3. Start it with the button in the cluster bar.")
                             .arg(QString::fromStdString(ClusterProfile::local().bootstrapServers),
                                  QString::fromStdString(ClusterProfile::local().searchUrl), QStringLiteral("5433")));
    m_external->setText(tr("E&xternal cluster"));
    m_guide->setText(tr("The &guide's Kubernetes preset"));
    m_guideInfo->setText(tr("Kafka %1, Elasticsearch %2.")
                             .arg(QString::fromStdString(ClusterProfile::guidePreset().bootstrapServers),
                                  QString::fromStdString(ClusterProfile::guidePreset().searchUrl)));
    m_bootstrapLabel->setText(tr("Bootstrap servers"));
    m_protocolLabel->setText(tr("Security protocol"));
    m_mechanismLabel->setText(tr("SASL mechanism"));
    m_userLabel->setText(tr("User"));
    m_passwordLabel->setText(tr("Password"));
    m_caLabel->setText(tr("CA file (PEM)"));
    m_searchLabel->setText(tr("Search URL (optional)"));
    m_mechanism->setItemText(0, tr("(none)"));
    m_browseCa->setToolTip(tr("Choose the CA certificate file"));
    m_passwordNotStored->setText(
        tr("The password will not be remembered: no system keyring is available, and the password is never written to "
           "the settings file. Enter it each time you connect.") +
        (m_keyringError.isEmpty() ? QString() : QLatin1Char(' ') + tr("(The keyring said: %1)").arg(m_keyringError)));
    m_rememberPassword->setText(tr("Remember the password in the system keyring (never in the settings file)"));
    m_scramWarning->setText(tr("This app's librdkafka has a SCRAM bug that Apache Kafka 4 brokers (the local lab stack) "
                               "reject as wrong credentials; use PLAIN against Kafka 4. SCRAM works with Kafka 3."));
    m_stopTest->setText(tr("Stop test"));
    m_testButton->setText(tr("&Test connection"));
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Connect"));
    m_buttons->button(QDialogButtonBox::Cancel)->setText(tr("Cancel"));
    if (isTesting())
        m_busyLabel->setText(tr("Connecting to %1…").arg(m_busyTarget));
}

namespace {
QString &keyringServiceOverride()
{
    static QString service;
    return service;
}
} // namespace

void ConnectionDialog::setKeyringService(const QString &service)
{
    keyringServiceOverride() = service;
}

QString ConnectionDialog::keyringServiceName()
{
    return keyringServiceOverride().isEmpty() ? SecretStore::defaultService() : keyringServiceOverride();
}

QString ConnectionDialog::currentAccount() const
{
    return SecretStore::accountFor(m_bootstrap->text(), m_user->text());
}

void ConnectionDialog::lookUpStoredPassword()
{
    // Only into an empty field (or one the keyring filled for another login): never over what the user typed.
    if (!m_password->text().isEmpty() && m_filledFrom.isEmpty())
        return;
    if (m_filledFrom == currentAccount())
        return;
    m_secrets->read(currentAccount());
}

void ConnectionDialog::onSecret(const QString &account, SecretStore::Outcome outcome, const QString &secret, const QString &error)
{
    if (outcome == SecretStore::Outcome::Stored || outcome == SecretStore::Outcome::Removed)
        return; // keepPassword's answers, as the dialog closes: nothing to show
    const Keyring before = m_keyring;
    if (outcome == SecretStore::Outcome::Found || outcome == SecretStore::Outcome::NotFound) {
        m_keyring = Keyring::Available;
        m_keyringError.clear();
    } else { // no Secret Service, no session bus, access refused: nothing can be remembered
        m_keyring = Keyring::Unavailable;
        m_keyringError = error;
    }
    const bool fillable = m_password->text().isEmpty() || !m_filledFrom.isEmpty();
    if (account == currentAccount() && fillable) {
        if (outcome == SecretStore::Outcome::Found) {
            m_password->setText(secret);
            m_filledFrom = account;
        } else if (!m_filledFrom.isEmpty()) { // the field held another login's password
            m_password->clear();
            m_filledFrom.clear();
        }
    }
    if (m_keyring != before) {
        retranslateUi();
        updateEnabledFields();
    }
}

void ConnectionDialog::keepPassword(const ClusterProfile &profile) const
{
    // The dialog closes right after this; the keyring's jobs finish without it (SecretStore).
    if (m_keyring != Keyring::Available || profile.saslMechanism.empty() || profile.saslUsername.empty())
        return;
    const QString account = SecretStore::accountFor(QString::fromStdString(profile.bootstrapServers),
                                                    QString::fromStdString(profile.saslUsername));
    if (m_rememberPassword->isChecked())
        m_secrets->write(account, QString::fromStdString(profile.saslPassword));
    else
        m_secrets->remove(account);
}

} // namespace kcl::ui
