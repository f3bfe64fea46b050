#include "sinks/WriteModel.h"

#include <QRegularExpression>
#include <algorithm>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>
#include <QVariant>
#include <atomic>
#include <chrono>
#include <nlohmann/json.hpp>

namespace kcl {
namespace {

std::int64_t nowMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

QString freshId(const char *prefix)
{
    return QString::fromLatin1(prefix) + QUuid::createUuid().toString(QUuid::Id128);
}

QString mentionsJson(const std::vector<std::string> &mentions)
{
    return QString::fromStdString(nlohmann::json(mentions).dump());
}

// libpq's own words decide which of the usual causes it was.
QString explainConnectError(const SqlConnectionInfo &info, const QString &detail)
{
    const QString where = QStringLiteral("PostgreSQL at %1:%2").arg(info.host).arg(info.port);
    if (detail.contains(QStringLiteral("password authentication failed")) ||
        detail.contains(QStringLiteral("no password supplied")) ||
        (detail.contains(QStringLiteral("role")) && detail.contains(QStringLiteral("does not exist"))))
        return QStringLiteral("%1 refused the login of user '%2' (authentication failed: %3). Check user= and password= "
                              "in the connection string (--sql).")
            .arg(where, info.user, detail.trimmed());
    if (detail.contains(QStringLiteral("database")) && detail.contains(QStringLiteral("does not exist")))
        return QStringLiteral("%1 has no database '%2' (%3). Check dbname= in the connection string (--sql).")
            .arg(where, info.database, detail.trimmed());
    if (detail.contains(QStringLiteral("Connection refused")) || detail.contains(QStringLiteral("could not connect")) ||
        detail.contains(QStringLiteral("timeout expired")) || detail.contains(QStringLiteral("could not translate host")) ||
        detail.contains(QStringLiteral("No route to host")))
        return QStringLiteral("%1 is not reachable (%2). Start the local lab stack's database with 'kafka-collab-lab "
                              "stack up --with sql', or give the right host and port with --sql.")
            .arg(where, detail.trimmed());
    return QStringLiteral("could not connect to %1 (%2)").arg(where, detail.trimmed());
}

QString sqlFailure(const QString &what, const QSqlError &e)
{
    return QStringLiteral("%1 failed in PostgreSQL: %2").arg(what, e.text().trimmed());
}

} // namespace

QString SqlConnectionInfo::describe() const
{
    return QStringLiteral("%1@%2:%3/%4").arg(user, host).arg(port).arg(database);
}

std::optional<SqlConnectionInfo> parseSqlConnection(const std::string &conninfo, QString *error)
{
    SqlConnectionInfo info;
    const QString text = QString::fromStdString(conninfo);
    // key=value pairs separated by spaces; a value may be single-quoted to hold spaces.
    static const QRegularExpression pair(QStringLiteral(R"(\s*([A-Za-z_]+)\s*=\s*('(?:[^'\\]|\\.)*'|\S*))"));
    int pos = 0;
    while (pos < text.size()) {
        if (text.at(pos).isSpace()) {
            ++pos;
            continue;
        }
        const auto m = pair.match(text, pos, QRegularExpression::NormalMatch, QRegularExpression::AnchorAtOffsetMatchOption);
        if (!m.hasMatch()) {
            if (error)
                *error = QStringLiteral("the SQL connection string must be key=value pairs (e.g. 'host=127.0.0.1 port=5433 "
                                        "dbname=kcl user=kcl password=kcl'); cannot read '%1'").arg(text.mid(pos));
            return std::nullopt;
        }
        const QString key = m.captured(1);
        QString value = m.captured(2);
        if (value.startsWith(QLatin1Char('\'')))
            value = value.mid(1, value.size() - 2).replace(QStringLiteral("\\'"), QStringLiteral("'"));
        if (key == QStringLiteral("host") || key == QStringLiteral("hostaddr")) {
            info.host = value;
        } else if (key == QStringLiteral("port")) {
            bool ok = false;
            info.port = value.toInt(&ok);
            if (!ok || info.port < 1 || info.port > 65535) {
                if (error)
                    *error = QStringLiteral("port= in the SQL connection string must be from 1 to 65535, not '%1'").arg(value);
                return std::nullopt;
            }
        } else if (key == QStringLiteral("dbname")) {
            info.database = value;
        } else if (key == QStringLiteral("user")) {
            info.user = value;
        } else if (key == QStringLiteral("password")) {
            info.password = value;
        } else if (key == QStringLiteral("connect_timeout")) {
            info.connectTimeoutSec = std::max(1, value.toInt());
        } else {
            if (error)
                *error = QStringLiteral("unknown key '%1' in the SQL connection string (known: host, port, dbname, user, "
                                        "password, connect_timeout)").arg(key);
            return std::nullopt;
        }
        pos = static_cast<int>(m.capturedEnd(0));
    }
    if (info.database.isEmpty() || info.user.isEmpty()) {
        if (error)
            *error = QStringLiteral("the SQL connection string needs dbname= and user= (e.g. 'host=127.0.0.1 port=5433 "
                                    "dbname=kcl user=kcl password=kcl')");
        return std::nullopt;
    }
    return info;
}

SqlSession::SqlSession(std::string conninfo, const QString &purpose)
    : m_conninfo(std::move(conninfo))
{
    static std::atomic<int> counter{0};
    m_name = QStringLiteral("kcl-%1-%2").arg(purpose).arg(counter.fetch_add(1));
}

SqlSession::~SqlSession()
{
    close();
}

void SqlSession::close()
{
    if (!m_db.isValid())
        return;
    m_db.close();
    m_db = QSqlDatabase(); // no handle may remain when the connection is removed
    QSqlDatabase::removeDatabase(m_name);
}

bool SqlSession::open(QString *error)
{
    if (m_db.isOpen())
        return true;
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL"))) {
        if (error)
            *error = QStringLiteral("Qt's PostgreSQL driver (QPSQL) is not installed: install the package libqt6sql6-psql "
                                    "(Debian, Ubuntu) or qt6-qtbase-postgresql (Fedora)");
        return false;
    }
    QString parseError;
    const auto info = parseSqlConnection(m_conninfo, &parseError);
    if (!info) {
        if (error)
            *error = parseError;
        return false;
    }
    close();
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), m_name);
    m_db.setHostName(info->host);
    m_db.setPort(info->port);
    m_db.setDatabaseName(info->database);
    m_db.setUserName(info->user);
    m_db.setPassword(info->password);
    m_db.setConnectOptions(QStringLiteral("connect_timeout=%1").arg(info->connectTimeoutSec));
    if (!m_db.open()) {
        if (error)
            *error = explainConnectError(*info, m_db.lastError().text());
        close();
        return false;
    }
    QSqlQuery quiet(m_db);
    quiet.exec(QStringLiteral("SET client_min_messages TO warning")); // no NOTICE lines for "already exists"
    return true;
}

bool isValidSchemaName(const QString &schema)
{
    static const QRegularExpression re(QStringLiteral("^[a-z_][a-z0-9_]{0,62}$"));
    return re.match(schema).hasMatch();
}

const std::vector<Migration> &writeModelMigrations()
{
    static const std::vector<Migration> migrations = {
        {1, "messages: the write model's current state of every message (soft delete)",
         {QStringLiteral("CREATE TABLE IF NOT EXISTS %1.messages ("
                         " message_id text PRIMARY KEY,"
                         " channel_id text NOT NULL,"
                         " author_id text NOT NULL,"
                         " content text NOT NULL,"
                         " mentions jsonb NOT NULL DEFAULT '[]',"
                         " created_at_ms bigint NOT NULL,"
                         " updated_at_ms bigint NOT NULL,"
                         " deleted boolean NOT NULL DEFAULT false)")}},
        {2, "outbox: events committed with their row change, waiting for the relay",
         {QStringLiteral("CREATE TABLE %1.outbox ("
                         " id bigserial PRIMARY KEY,"
                         " message_id text NOT NULL,"
                         " topic text NOT NULL,"
                         " event_key text NOT NULL,"
                         " payload text NOT NULL,"
                         " created_at_ms bigint NOT NULL,"
                         " sent_at_ms bigint)"),
          QStringLiteral("CREATE INDEX outbox_unsent_idx ON %1.outbox (id) WHERE sent_at_ms IS NULL")}},
    };
    return migrations;
}

MigrationResult migrateWriteModel(QSqlDatabase &db, const QString &schema)
{
    MigrationResult r;
    if (!isValidSchemaName(schema)) {
        r.error = QStringLiteral("'%1' is not a schema name the app uses: lower-case letters, digits and '_' only").arg(schema);
        return r;
    }
    QSqlQuery q(db);
    // Session-level lock: a second process waits here until the first has finished, then finds nothing to do.
    q.prepare(QStringLiteral("SELECT pg_advisory_lock(4242, hashtext(?))"));
    q.addBindValue(schema);
    if (!q.exec()) {
        r.error = sqlFailure(QStringLiteral("taking the migration lock"), q.lastError());
        return r;
    }
    auto unlock = [&] {
        QSqlQuery u(db);
        u.prepare(QStringLiteral("SELECT pg_advisory_unlock(4242, hashtext(?))"));
        u.addBindValue(schema);
        u.exec();
    };
    auto fail = [&](const QString &what, const QSqlError &e) {
        r.error = sqlFailure(what, e);
        unlock();
        return r;
    };
    if (!q.exec(QStringLiteral("CREATE SCHEMA IF NOT EXISTS %1").arg(schema)))
        return fail(QStringLiteral("creating schema %1").arg(schema), q.lastError());
    if (!q.exec(QStringLiteral("CREATE TABLE IF NOT EXISTS %1.schema_migrations (version integer PRIMARY KEY,"
                               " description text NOT NULL, applied_at_ms bigint NOT NULL)").arg(schema)))
        return fail(QStringLiteral("creating %1.schema_migrations").arg(schema), q.lastError());
    std::vector<int> present;
    if (!q.exec(QStringLiteral("SELECT version FROM %1.schema_migrations").arg(schema)))
        return fail(QStringLiteral("reading %1.schema_migrations").arg(schema), q.lastError());
    while (q.next())
        present.push_back(q.value(0).toInt());
    for (const Migration &m : writeModelMigrations()) {
        if (std::find(present.begin(), present.end(), m.version) != present.end()) {
            r.version = m.version;
            continue;
        }
        if (!db.transaction())
            return fail(QStringLiteral("starting migration %1").arg(m.version), db.lastError());
        for (const QString &statement : m.statements) {
            QSqlQuery s(db);
            if (!s.exec(statement.arg(schema))) {
                const QSqlError e = s.lastError();
                db.rollback();
                return fail(QStringLiteral("migration %1 (%2)").arg(m.version).arg(QString::fromUtf8(m.description)), e);
            }
        }
        QSqlQuery record(db);
        record.prepare(QStringLiteral("INSERT INTO %1.schema_migrations (version, description, applied_at_ms) VALUES (?, ?, ?)")
                           .arg(schema));
        record.addBindValue(m.version);
        record.addBindValue(QString::fromUtf8(m.description));
        record.addBindValue(QVariant::fromValue<qlonglong>(nowMs()));
        if (!record.exec()) {
            const QSqlError e = record.lastError();
            db.rollback();
            return fail(QStringLiteral("recording migration %1").arg(m.version), e);
        }
        if (!db.commit()) {
            const QSqlError e = db.lastError();
            db.rollback();
            return fail(QStringLiteral("committing migration %1").arg(m.version), e);
        }
        r.applied.push_back(m.version);
        r.version = m.version;
    }
    unlock();
    r.ok = true;
    return r;
}

const std::string &MessageTopics::forType(EventType type) const
{
    switch (type) {
    case EventType::MessageUpdated: return updated;
    case EventType::MessageDeleted: return deleted;
    default: return created;
    }
}

WriteModel::WriteModel(std::string conninfo, QString schema, MessageTopics topics)
    : m_session(std::move(conninfo), QStringLiteral("write-model")), m_schema(std::move(schema)), m_topics(std::move(topics))
{
}

bool WriteModel::open(QString *error)
{
    if (!isValidSchemaName(m_schema)) {
        if (error)
            *error = QStringLiteral("'%1' is not a schema name the app uses: lower-case letters, digits and '_' only").arg(m_schema);
        return false;
    }
    if (!m_session.open(error))
        return false;
    const MigrationResult m = migrateWriteModel(m_session.db(), m_schema);
    if (!m.ok && error)
        *error = m.error;
    return m.ok;
}

QString WriteModel::table(const char *name) const
{
    return m_schema + QLatin1Char('.') + QLatin1String(name);
}

Event WriteModel::newMessage(std::string channelId, std::string authorId, std::string content,
                             std::vector<std::string> mentions, std::int64_t nowMs)
{
    MessageCreated m;
    m.messageId = freshId("msg_").toStdString();
    m.channelId = std::move(channelId);
    m.authorId = std::move(authorId);
    m.content = std::move(content);
    m.mentions = std::move(mentions);
    return Event{EventType::MessageCreated, freshId("evt_").toStdString(), nowMs, std::move(m)};
}

Event WriteModel::editMessage(std::string messageId, std::string content, std::vector<std::string> mentions,
                              std::int64_t nowMs)
{
    MessageUpdated u;
    u.messageId = std::move(messageId);
    u.content = std::move(content);
    u.mentions = std::move(mentions);
    u.editedAtMs = nowMs;
    return Event{EventType::MessageUpdated, freshId("evt_").toStdString(), nowMs, std::move(u)};
}

Event WriteModel::deleteMessage(std::string messageId, std::string deletedBy, std::int64_t nowMs)
{
    MessageDeleted d;
    d.messageId = std::move(messageId);
    d.deletedBy = std::move(deletedBy);
    return Event{EventType::MessageDeleted, freshId("evt_").toStdString(), nowMs, std::move(d)};
}

WriteResult WriteModel::apply(const Event &event, bool withOutbox)
{
    WriteResult r;
    r.event = event;
    auto refuse = [&](QString why) {
        r.error = std::move(why);
        return r;
    };
    if (event.eventId.empty())
        return refuse(QStringLiteral("the event has no event_id"));
    if (const auto *c = std::get_if<MessageCreated>(&event.payload)) {
        if (c->messageId.empty() || c->channelId.empty() || c->authorId.empty())
            return refuse(QStringLiteral("a new message needs a message id, a channel and an author"));
        if (QString::fromStdString(c->content).trimmed().isEmpty())
            return refuse(QStringLiteral("the message is empty: write some text"));
    } else if (const auto *u = std::get_if<MessageUpdated>(&event.payload)) {
        if (u->messageId.empty())
            return refuse(QStringLiteral("an edit needs the id of the message to edit"));
        if (QString::fromStdString(u->content).trimmed().isEmpty())
            return refuse(QStringLiteral("the new text is empty: to remove a message, delete it"));
    } else if (const auto *d = std::get_if<MessageDeleted>(&event.payload)) {
        if (d->messageId.empty())
            return refuse(QStringLiteral("a delete needs the id of the message to delete"));
    } else {
        return refuse(QStringLiteral("only message.created, message.updated and message.deleted change the write model, not %1")
                          .arg(QString::fromUtf8(eventTypeName(event.type))));
    }
    if (!m_session.isOpen())
        return refuse(QStringLiteral("the write model is not connected to PostgreSQL"));
    QSqlDatabase &db = m_session.db();
    if (!db.transaction())
        return refuse(sqlFailure(QStringLiteral("starting a transaction"), db.lastError()));
    r = applyInTransaction(event, withOutbox); // rolled back already when it failed
    if (!r.ok)
        return r;
    if (!db.commit()) {
        r.ok = false;
        r.outboxId = 0;
        r.error = sqlFailure(QStringLiteral("committing the change"), db.lastError());
        db.rollback();
    }
    return r;
}

WriteResult WriteModel::applyInTransaction(const Event &event, bool withOutbox)
{
    WriteResult r;
    r.event = event;
    QSqlDatabase &db = m_session.db();
    // On failure the transaction is rolled back here, while the statements still exist: Qt frees a prepared
    // statement when its query is destroyed, which PostgreSQL refuses inside an aborted transaction.
    auto rolledBack = [&db](WriteResult &failed) {
        db.rollback();
        return failed;
    };
    QSqlQuery q(db);
    QString messageId;
    std::string key;
    // Tells "no such message" from "deleted already" for the refusal of an edit or a delete.
    auto unknownOrDeleted = [&](const QString &verb) {
        QSqlQuery s(db);
        s.prepare(QStringLiteral("SELECT deleted FROM %1 WHERE message_id = ?").arg(table("messages")));
        s.addBindValue(messageId);
        if (s.exec() && s.next())
            return QStringLiteral("message '%1' was deleted; a deleted message cannot be %2").arg(messageId, verb);
        return QStringLiteral("there is no message '%1' to %2").arg(messageId, verb == QStringLiteral("edited")
                                                                                   ? QStringLiteral("edit")
                                                                                   : QStringLiteral("delete"));
    };
    if (const auto *c = std::get_if<MessageCreated>(&event.payload)) {
        messageId = QString::fromStdString(c->messageId);
        q.prepare(QStringLiteral("INSERT INTO %1 (message_id, channel_id, author_id, content, mentions, created_at_ms, "
                                 "updated_at_ms) VALUES (?, ?, ?, ?, CAST(? AS jsonb), ?, ?)").arg(table("messages")));
        q.addBindValue(messageId);
        q.addBindValue(QString::fromStdString(c->channelId));
        q.addBindValue(QString::fromStdString(c->authorId));
        q.addBindValue(QString::fromStdString(c->content));
        q.addBindValue(mentionsJson(c->mentions));
        q.addBindValue(QVariant::fromValue<qlonglong>(event.timestampMs));
        q.addBindValue(QVariant::fromValue<qlonglong>(event.timestampMs));
        if (!q.exec()) {
            r.error = q.lastError().nativeErrorCode() == QStringLiteral("23505")
                          ? QStringLiteral("message '%1' exists already").arg(messageId)
                          : sqlFailure(QStringLiteral("storing message %1").arg(messageId), q.lastError());
            return rolledBack(r);
        }
        key = c->channelId;
    } else if (const auto *u = std::get_if<MessageUpdated>(&event.payload)) {
        messageId = QString::fromStdString(u->messageId);
        q.prepare(QStringLiteral("UPDATE %1 SET content = ?, mentions = CAST(? AS jsonb), updated_at_ms = ? "
                                 "WHERE message_id = ? AND NOT deleted RETURNING channel_id, author_id").arg(table("messages")));
        q.addBindValue(QString::fromStdString(u->content));
        q.addBindValue(mentionsJson(u->mentions));
        q.addBindValue(QVariant::fromValue<qlonglong>(event.timestampMs));
        q.addBindValue(messageId);
        if (!q.exec()) {
            r.error = sqlFailure(QStringLiteral("editing message %1").arg(messageId), q.lastError());
            return rolledBack(r);
        }
        if (!q.next()) {
            r.error = unknownOrDeleted(QStringLiteral("edited"));
            return rolledBack(r);
        }
        auto &payload = std::get<MessageUpdated>(r.event.payload);
        payload.channelId = q.value(0).toString().toStdString(); // the stored row is the truth
        payload.authorId = q.value(1).toString().toStdString();
        key = payload.channelId;
    } else {
        const auto &d = std::get<MessageDeleted>(event.payload);
        messageId = QString::fromStdString(d.messageId);
        q.prepare(QStringLiteral("UPDATE %1 SET deleted = true, updated_at_ms = ? WHERE message_id = ? AND NOT deleted "
                                 "RETURNING channel_id").arg(table("messages")));
        q.addBindValue(QVariant::fromValue<qlonglong>(event.timestampMs));
        q.addBindValue(messageId);
        if (!q.exec()) {
            r.error = sqlFailure(QStringLiteral("deleting message %1").arg(messageId), q.lastError());
            return rolledBack(r);
        }
        if (!q.next()) {
            r.error = unknownOrDeleted(QStringLiteral("deleted"));
            return rolledBack(r);
        }
        auto &payload = std::get<MessageDeleted>(r.event.payload);
        payload.channelId = q.value(0).toString().toStdString();
        key = payload.channelId;
    }
    if (withOutbox) {
        QSqlQuery o(db);
        o.prepare(QStringLiteral("INSERT INTO %1 (message_id, topic, event_key, payload, created_at_ms) "
                                 "VALUES (?, ?, ?, ?, ?) RETURNING id").arg(table("outbox")));
        o.addBindValue(messageId);
        o.addBindValue(QString::fromStdString(m_topics.forType(event.type)));
        o.addBindValue(QString::fromStdString(key));
        o.addBindValue(QString::fromStdString(serialize(r.event)));
        o.addBindValue(QVariant::fromValue<qlonglong>(event.timestampMs));
        if (!o.exec() || !o.next()) {
            r.error = sqlFailure(QStringLiteral("writing the outbox row of message %1").arg(messageId), o.lastError());
            return rolledBack(r);
        }
        r.outboxId = o.value(0).toLongLong();
    }
    r.ok = true;
    return r;
}

} // namespace kcl
