#include "SecretStore.h"

#include <QCoreApplication>
#include <qt6keychain/keychain.h>

namespace kcl {

namespace {

SecretStore::Outcome outcomeOf(const QKeychain::Job &job, SecretStore::Outcome success)
{
    switch (job.error()) {
    case QKeychain::NoError:
        return success;
    case QKeychain::EntryNotFound:
        return SecretStore::Outcome::NotFound;
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        return SecretStore::Outcome::Unavailable;
    default:
        return SecretStore::Outcome::Failed;
    }
}

// Jobs belong to the application, not to the store: libsecret calls back into a job when the keyring answers, and a
// job deleted before that (with the dialog that owns the store) would be called after its death. A job that
// outlives its store finishes unheard, then deletes itself.
template <typename JobT>
JobT *makeJob(const QString &service, const QString &account)
{
    auto *job = new JobT(service, QCoreApplication::instance());
    job->setAutoDelete(true);
    job->setInsecureFallback(false); // never a plain-text copy
    job->setKey(account);
    return job;
}

} // namespace

SecretStore::SecretStore(QString service, QObject *parent) : QObject(parent), m_service(std::move(service)) {}

QString SecretStore::accountFor(const QString &bootstrapServers, const QString &user)
{
    return user.trimmed() + QLatin1Char('@') + bootstrapServers.trimmed();
}

void SecretStore::read(const QString &account)
{
    auto *job = makeJob<QKeychain::ReadPasswordJob>(m_service, account);
    connect(job, &QKeychain::Job::finished, this, [this, account](QKeychain::Job *j) {
        const Outcome o = outcomeOf(*j, Outcome::Found);
        const QString secret = o == Outcome::Found ? static_cast<QKeychain::ReadPasswordJob *>(j)->textData() : QString();
        Q_EMIT finished(account, o, secret, o == Outcome::Unavailable || o == Outcome::Failed ? j->errorString() : QString());
    });
    job->start();
}

void SecretStore::write(const QString &account, const QString &secret)
{
    auto *job = makeJob<QKeychain::WritePasswordJob>(m_service, account);
    job->setTextData(secret);
    connect(job, &QKeychain::Job::finished, this, [this, account](QKeychain::Job *j) {
        const Outcome o = outcomeOf(*j, Outcome::Stored);
        Q_EMIT finished(account, o, {}, o == Outcome::Stored ? QString() : j->errorString());
    });
    job->start();
}

void SecretStore::remove(const QString &account)
{
    auto *job = makeJob<QKeychain::DeletePasswordJob>(m_service, account);
    connect(job, &QKeychain::Job::finished, this, [this, account](QKeychain::Job *j) {
        const Outcome o = outcomeOf(*j, Outcome::Removed);
        Q_EMIT finished(account, o, {}, o == Outcome::Removed || o == Outcome::NotFound ? QString() : j->errorString());
    });
    job->start();
}

} // namespace kcl
