#pragma once
// Passwords in the system keyring (the Secret Service of the desktop session, e.g. GNOME Keyring or KWallet, through
// QtKeychain), never in the settings file. Each call returns at once and reports through a signal: a keyring may
// take a while to answer (or ask the user to unlock it), and the GUI thread must not wait for it. Where there is no
// keyring (no session bus, no Secret Service), the calls report `Unavailable` and nothing is stored anywhere: the
// plain-text fallback of QtKeychain stays off.
#include <QObject>
#include <QString>

namespace kcl {

class SecretStore : public QObject {
    Q_OBJECT
public:
    enum class Outcome { Found, NotFound, Stored, Removed, Unavailable, Failed };
    Q_ENUM(Outcome)

    // `service`: the keyring's service attribute (tests use their own so they never touch a student's entries).
    explicit SecretStore(QString service = defaultService(), QObject *parent = nullptr);
    static QString defaultService() { return QStringLiteral("kafka-collab-lab"); }

    // The keyring entry of a cluster login: one per bootstrap list and user.
    static QString accountFor(const QString &bootstrapServers, const QString &user);

    void read(const QString &account);                          // -> finished(account, Found|NotFound|..., secret)
    void write(const QString &account, const QString &secret);  // -> finished(account, Stored|..., {})
    void remove(const QString &account);                        // -> finished(account, Removed|NotFound|..., {})
    // Every job belongs to the application and deletes itself when done: a write or removal asked for just before
    // this store (and the dialog that owns it) goes away still completes, unheard.

    QString service() const { return m_service; }

Q_SIGNALS:
    // `error`: the keyring's own words when the outcome is Unavailable or Failed.
    void finished(const QString &account, kcl::SecretStore::Outcome outcome, const QString &secret, const QString &error);

private:
    QString m_service;
};

} // namespace kcl
