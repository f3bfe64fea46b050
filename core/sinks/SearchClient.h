#pragma once
// The search node's side of the app (Elasticsearch or OpenSearch, same REST API): the `messages` index, bulk writes
// with external versions, and the query the CLI and the labs run. Blocking; use one client per thread.
//
// Documents (id = message_id): content (text, the node's `cjk` analyzer: Korean/CJK bigrams), channel, author
// (keyword), created_at, updated_at (date, epoch_millis), deleted (boolean). A deleted message stays as a document
// with deleted = true and no content (a soft delete, see SearchIndexer.h for why); every query excludes it.
#include "sinks/HttpJsonClient.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <map>
#include <optional>
#include <vector>

namespace kcl {

inline constexpr const char *kSearchIndexDefault = "messages";

struct SearchDocument {
    QString id, channel, author, content;
    qint64 createdAtMs = 0; // 0 = not known (the document was first written by an edit)
    qint64 updatedAtMs = 0;
    bool deleted = false;
    qint64 version = 0;     // the document's external version (SearchClient::get only)
};

// One bulk "index" action with an external version: the node keeps the document with the highest version.
struct BulkIndexAction {
    SearchDocument document;
    qint64 version = 0;
    // version_type external_gte instead of external: the write also wins over an equal version, so a document can be
    // written again at its own version (SearchIndexer fills in a missing created_at so).
    bool equalVersionWins = false;
};

struct BulkItemResult {
    int status = 0;        // per-document HTTP status (201/200 written, 409 an equal or newer version is there)
    QString errorType;     // the node's error type, e.g. "mapper_parsing_exception"
    QString errorReason;   // the node's reason sentence
    bool applied() const { return status == 200 || status == 201; }
    bool versionConflict() const { return status == 409; }
    // The node cannot take the document now but may later: overloaded (429, 5xx) or a block on the index or cluster
    // (the flood-stage watermark's read-only block answers 429, an administrator's write block 403).
    bool retryable() const
    {
        return status == 429 || status >= 500 || errorType == QLatin1String("cluster_block_exception");
    }
};

struct BulkResult {
    HttpResult http;
    QString error;                     // request-level failure (node not reached, HTTP error, unreadable answer)
    std::vector<BulkItemResult> items; // one per action, in order (when the request succeeded)
    double tookMs = 0;                 // the node's own "took"
    bool ok() const { return error.isEmpty(); }
};

struct SearchQuery {
    QString text;      // matched against content
    QString channel;   // optional exact filter
    QString author;    // optional exact filter
    int limit = 10;
};

struct SearchHit {
    SearchDocument document;
    QString highlighted; // content with matches in <em>..</em> (the content itself when the node gives no fragment)
    double score = 0;
};

struct SearchResponse {
    QString error;
    qint64 total = 0;
    std::vector<SearchHit> hits; // newest first (created_at, then updated_at)
    double tookMs = 0;           // the node's own time
    double roundTripMs = 0;      // measured here, request sent to answer read
    bool ok() const { return error.isEmpty(); }
};

class SearchClient {
public:
    explicit SearchClient(QString baseUrl, QString index = QString::fromLatin1(kSearchIndexDefault), int timeoutMs = 10000);

    const QString &index() const { return m_index; }
    const QString &baseUrl() const { return m_http.baseUrl(); }
    int lastStatus() const { return m_http.lastStatus(); } // of the last call's answer, 0 when it got none
    // Creates the index with its mapping if it does not exist. False with a readable *error otherwise.
    bool ensureIndex(QString *error);
    BulkResult bulk(const std::vector<BulkIndexAction> &actions);
    SearchResponse search(const SearchQuery &query);
    // Documents in the index; liveOnly excludes soft-deleted messages. nullopt with *error when the call failed.
    std::optional<qint64> count(bool liveOnly, QString *error);
    // The document with this id and its version; nullopt when absent (then *error stays empty) or on failure.
    std::optional<SearchDocument> get(const QString &id, QString *error);
    // Every document (up to `max`, at most the index's max_result_window, 10,000 by default), deleted ones included;
    // for checks and tests.
    std::optional<std::vector<SearchDocument>> all(int max, QString *error);
    // The documents with these ids that exist, with their versions (one _mget); nullopt with *error when the call failed.
    std::optional<std::vector<SearchDocument>> getMany(const QStringList &ids, QString *error);
    // created_at of the documents with these ids that have one (one _mget); nullopt with *error when the call failed.
    std::optional<std::map<QString, qint64>> createdAtOf(const QStringList &ids, QString *error);
    bool refresh(QString *error);
    bool deleteIndex(QString *error); // absent counts as deleted
    // The cluster health call: true when the node answers.
    bool ping(QString *error);

    static QJsonObject mapping();
    static QJsonObject toSource(const SearchDocument &d);
    static SearchDocument fromSource(const QString &id, const QJsonObject &source);

private:
    // One _mget of these ids (query: e.g. "?_source_includes=created_at"): the answer's docs, or nullopt with *error
    // saying `what` failed.
    std::optional<QJsonArray> mget(const QStringList &ids, const QString &query, const QString &what, QString *error);
    HttpJsonClient m_http;
    QString m_index;
};

} // namespace kcl
