#pragma once
// The CQRS write model in PostgreSQL (Qt Sql, QPSQL): the messages table and the outbox, created by versioned
// migrations the app runs itself, and the commands that change a message (post, edit, soft delete).
// A QSqlDatabase connection belongs to the thread that opened it: every thread that touches SQL makes its own
// SqlSession (a uniquely named connection, removed when the session ends).
#include "events/Event.h"
#include "events/Topics.h"

#include <QSqlDatabase>
#include <QString>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kcl {

// The parts of a libpq-style connection string ("host=127.0.0.1 port=5433 dbname=kcl user=kcl password=kcl").
struct SqlConnectionInfo {
    QString host = QStringLiteral("127.0.0.1");
    int port = 5432;
    QString database, user, password;
    int connectTimeoutSec = 5;
    QString describe() const; // "kcl@127.0.0.1:5433/kcl" (never the password)
};
// nullopt with a readable message in *error for an unknown key or a malformed pair.
std::optional<SqlConnectionInfo> parseSqlConnection(const std::string &conninfo, QString *error);

// One named connection, owned by the thread that created it.
class SqlSession {
public:
    SqlSession(std::string conninfo, const QString &purpose);
    ~SqlSession(); // closes the connection and removes it from Qt's registry
    SqlSession(const SqlSession &) = delete;
    SqlSession &operator=(const SqlSession &) = delete;

    // Connects; false with a readable sentence (server unreachable, authentication refused, driver missing: what to
    // install) in *error.
    bool open(QString *error);
    bool isOpen() const { return m_db.isOpen(); }
    void close();
    QSqlDatabase &db() { return m_db; }
    const QString &connectionName() const { return m_name; }

private:
    std::string m_conninfo;
    QString m_name;
    QSqlDatabase m_db;
};

// A schema name the app accepts (lower-case letters, digits and '_', starting with a letter or '_', at most 63).
bool isValidSchemaName(const QString &schema);

struct Migration {
    int version;
    const char *description;
    std::vector<QString> statements; // "%1" is the schema
};
// The write model's migrations, in version order: 1 = messages, 2 = outbox with its index on unsent rows.
const std::vector<Migration> &writeModelMigrations();

struct MigrationResult {
    bool ok = false;
    QString error;
    std::vector<int> applied; // versions applied by this call (empty when the schema was already current)
    int version = 0;          // the schema's version afterwards
};
// Creates the schema if needed and applies each missing migration once, each in its own transaction. Two processes
// migrating at once are serialised by a PostgreSQL advisory lock keyed by the schema.
MigrationResult migrateWriteModel(QSqlDatabase &db, const QString &schema);

// The topics message events go to (tests use unique names).
struct MessageTopics {
    std::string created{topics::kMessagesCreated};
    std::string updated{topics::kMessagesUpdated};
    std::string deleted{topics::kMessagesDeleted};
    const std::string &forType(EventType type) const;
};

struct WriteResult {
    bool ok = false;
    QString error;              // a readable sentence when !ok
    Event event;                // the change's event (timestamp = the change's time, channel from the stored row)
    std::int64_t outboxId = 0;  // the outbox row, when written with the outbox
};

class WriteModel {
public:
    WriteModel(std::string conninfo, QString schema, MessageTopics topics = {});
    // Connects (in the calling thread, which then owns this object) and migrates the schema.
    bool open(QString *error);
    // Applies a message.created / .updated / .deleted event as a command. withOutbox: the row change and the outbox
    // row (the serialized event, key channel_id) commit in one transaction. Without: the row change alone.
    // Refused with a readable error: empty content, an unknown or deleted message for an edit or a delete, a
    // message id that exists already, an event that is not a message event.
    WriteResult apply(const Event &event, bool withOutbox);

    const QString &schema() const { return m_schema; }
    const MessageTopics &topics() const { return m_topics; }
    QSqlDatabase &db() { return m_session.db(); }

    // Events for the commands, with a fresh event id (and message id for a new message).
    static Event newMessage(std::string channelId, std::string authorId, std::string content,
                            std::vector<std::string> mentions, std::int64_t nowMs);
    static Event editMessage(std::string messageId, std::string content, std::vector<std::string> mentions,
                             std::int64_t nowMs);
    static Event deleteMessage(std::string messageId, std::string deletedBy, std::int64_t nowMs);

private:
    WriteResult applyInTransaction(const Event &event, bool withOutbox); // rolls the transaction back when it fails
    QString table(const char *name) const;
    SqlSession m_session;
    QString m_schema;
    MessageTopics m_topics;
};

} // namespace kcl
