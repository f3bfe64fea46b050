#include "sinks/SearchClient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QUrl>

namespace kcl {

namespace {

QJsonObject parseObject(const QByteArray &body) { return QJsonDocument::fromJson(body).object(); }

QString idPath(const QString &id) { return QString::fromLatin1(QUrl::toPercentEncoding(id)); }

} // namespace

SearchClient::SearchClient(QString baseUrl, QString index, int timeoutMs)
    : m_http(std::move(baseUrl), timeoutMs), m_index(std::move(index))
{
}

QJsonObject SearchClient::mapping()
{
    auto type = [](const char *t) { return QJsonObject{{QStringLiteral("type"), QString::fromLatin1(t)}}; };
    const QJsonObject date{{QStringLiteral("type"), QStringLiteral("date")}, {QStringLiteral("format"), QStringLiteral("epoch_millis")}};
    return QJsonObject{
        // `cjk` ships with the node (analysis-common): bigrams of Hangul/Han/Kana, so "카프카" finds "카프카를".
        {QStringLiteral("content"), QJsonObject{{QStringLiteral("type"), QStringLiteral("text")},
                                                {QStringLiteral("analyzer"), QStringLiteral("cjk")}}},
        {QStringLiteral("channel"), type("keyword")},
        {QStringLiteral("author"), type("keyword")},
        {QStringLiteral("created_at"), date},
        {QStringLiteral("updated_at"), date},
        {QStringLiteral("deleted"), type("boolean")},
    };
}

QJsonObject SearchClient::toSource(const SearchDocument &d)
{
    QJsonObject o{{QStringLiteral("channel"), d.channel},
                  {QStringLiteral("author"), d.author},
                  {QStringLiteral("content"), d.content},
                  {QStringLiteral("updated_at"), static_cast<double>(d.updatedAtMs)},
                  {QStringLiteral("deleted"), d.deleted}};
    if (d.createdAtMs > 0)
        o.insert(QStringLiteral("created_at"), static_cast<double>(d.createdAtMs));
    return o;
}

SearchDocument SearchClient::fromSource(const QString &id, const QJsonObject &s)
{
    SearchDocument d;
    d.id = id;
    d.channel = s.value(QStringLiteral("channel")).toString();
    d.author = s.value(QStringLiteral("author")).toString();
    d.content = s.value(QStringLiteral("content")).toString();
    d.createdAtMs = s.value(QStringLiteral("created_at")).toVariant().toLongLong();
    d.updatedAtMs = s.value(QStringLiteral("updated_at")).toVariant().toLongLong();
    d.deleted = s.value(QStringLiteral("deleted")).toBool();
    return d;
}

bool SearchClient::ensureIndex(QString *error)
{
    const QString path = QLatin1Char('/') + m_index;
    // GET, not HEAD: the node's HEAD answer announces a body it does not send, and Qt waits for it.
    HttpResult r = m_http.request("GET", path);
    if (r.status == 200)
        return true;
    if (r.status != 404) {
        *error = m_http.describeFailure(QStringLiteral("checking the index '%1'").arg(m_index), path, r);
        return false;
    }
    const QJsonObject body{
        {QStringLiteral("settings"), QJsonObject{{QStringLiteral("number_of_shards"), 1}, {QStringLiteral("number_of_replicas"), 0}}},
        {QStringLiteral("mappings"), QJsonObject{{QStringLiteral("properties"), mapping()}}}};
    r = m_http.request("PUT", path, QJsonDocument(body).toJson(QJsonDocument::Compact));
    // Another indexer may have created it a moment ago.
    if (r.ok() || (r.status == 400 && r.body.contains("resource_already_exists_exception")))
        return true;
    *error = m_http.describeFailure(QStringLiteral("creating the index '%1'").arg(m_index), path, r);
    return false;
}

BulkResult SearchClient::bulk(const std::vector<BulkIndexAction> &actions)
{
    BulkResult result;
    QByteArray ndjson;
    for (const auto &a : actions) {
        const QJsonObject meta{{QStringLiteral("index"), QJsonObject{{QStringLiteral("_index"), m_index},
                                                                     {QStringLiteral("_id"), a.document.id},
                                                                     {QStringLiteral("version"), static_cast<double>(a.version)},
                                                                     {QStringLiteral("version_type"), a.equalVersionWins ? QStringLiteral("external_gte")
                                                                                                             : QStringLiteral("external")}}}};
        ndjson += QJsonDocument(meta).toJson(QJsonDocument::Compact);
        ndjson += '\n';
        ndjson += QJsonDocument(toSource(a.document)).toJson(QJsonDocument::Compact);
        ndjson += '\n';
    }
    const QString path = QStringLiteral("/_bulk");
    result.http = m_http.request("POST", path, ndjson, "application/x-ndjson");
    if (!result.http.ok()) {
        result.error = m_http.describeFailure(QStringLiteral("a bulk request of %1 documents").arg(actions.size()), path, result.http);
        return result;
    }
    const QJsonObject answer = parseObject(result.http.body);
    const QJsonArray items = answer.value(QStringLiteral("items")).toArray();
    if (items.size() != static_cast<qsizetype>(actions.size())) {
        result.error = QStringLiteral("the bulk answer of %1 has %2 items for %3 documents; it is sent again")
                           .arg(m_http.baseUrl()).arg(items.size()).arg(actions.size());
        return result;
    }
    result.tookMs = answer.value(QStringLiteral("took")).toDouble();
    result.items.reserve(actions.size());
    for (const auto &item : items) {
        const QJsonObject op = item.toObject().value(QStringLiteral("index")).toObject();
        BulkItemResult r;
        r.status = op.value(QStringLiteral("status")).toInt();
        const QJsonObject err = op.value(QStringLiteral("error")).toObject();
        r.errorType = err.value(QStringLiteral("type")).toString();
        r.errorReason = err.value(QStringLiteral("reason")).toString();
        if (const QJsonObject cause = err.value(QStringLiteral("caused_by")).toObject(); !cause.isEmpty())
            r.errorReason += QStringLiteral(" (") + cause.value(QStringLiteral("reason")).toString() + QLatin1Char(')');
        result.items.push_back(std::move(r));
    }
    return result;
}

SearchResponse SearchClient::search(const SearchQuery &query)
{
    SearchResponse response;
    QJsonArray must, filter;
    if (!query.text.isEmpty())
        must.append(QJsonObject{{QStringLiteral("match"), QJsonObject{{QStringLiteral("content"), query.text}}}});
    else
        must.append(QJsonObject{{QStringLiteral("match_all"), QJsonObject{}}});
    if (!query.channel.isEmpty())
        filter.append(QJsonObject{{QStringLiteral("term"), QJsonObject{{QStringLiteral("channel"), query.channel}}}});
    if (!query.author.isEmpty())
        filter.append(QJsonObject{{QStringLiteral("term"), QJsonObject{{QStringLiteral("author"), query.author}}}});
    const QJsonArray mustNot{QJsonObject{{QStringLiteral("term"), QJsonObject{{QStringLiteral("deleted"), true}}}}};
    auto newest = [](const char *field) {
        return QJsonObject{{QString::fromLatin1(field), QJsonObject{{QStringLiteral("order"), QStringLiteral("desc")},
                                                                    {QStringLiteral("missing"), QStringLiteral("_last")}}}};
    };
    const QJsonObject body{
        {QStringLiteral("size"), query.limit},
        {QStringLiteral("track_total_hits"), true},
        {QStringLiteral("track_scores"), true}, // sorted by time, but the relevance is still shown
        {QStringLiteral("query"), QJsonObject{{QStringLiteral("bool"), QJsonObject{{QStringLiteral("must"), must},
                                                                                 {QStringLiteral("filter"), filter},
                                                                                 {QStringLiteral("must_not"), mustNot}}}}},
        {QStringLiteral("sort"), QJsonArray{newest("created_at"), newest("updated_at")}},
        {QStringLiteral("highlight"),
         QJsonObject{{QStringLiteral("fields"), QJsonObject{{QStringLiteral("content"),
                                                             QJsonObject{{QStringLiteral("number_of_fragments"), 0}}}}}}},
    };
    const QString path = QLatin1Char('/') + m_index + QStringLiteral("/_search");
    const HttpResult r = m_http.request("POST", path, QJsonDocument(body).toJson(QJsonDocument::Compact));
    response.roundTripMs = r.roundTripMs;
    if (!r.ok()) {
        response.error = m_http.describeFailure(QStringLiteral("searching '%1'").arg(m_index), path, r);
        return response;
    }
    const QJsonObject answer = parseObject(r.body);
    response.tookMs = answer.value(QStringLiteral("took")).toDouble();
    const QJsonObject hits = answer.value(QStringLiteral("hits")).toObject();
    response.total = hits.value(QStringLiteral("total")).toObject().value(QStringLiteral("value")).toVariant().toLongLong();
    for (const auto &h : hits.value(QStringLiteral("hits")).toArray()) {
        const QJsonObject o = h.toObject();
        SearchHit hit;
        hit.document = fromSource(o.value(QStringLiteral("_id")).toString(), o.value(QStringLiteral("_source")).toObject());
        hit.score = o.value(QStringLiteral("_score")).toDouble();
        const QJsonArray fragments = o.value(QStringLiteral("highlight")).toObject().value(QStringLiteral("content")).toArray();
        hit.highlighted = fragments.isEmpty() ? hit.document.content : fragments.at(0).toString();
        response.hits.push_back(std::move(hit));
    }
    return response;
}

std::optional<qint64> SearchClient::count(bool liveOnly, QString *error)
{
    const QString path = QLatin1Char('/') + m_index + QStringLiteral("/_count");
    QJsonObject body;
    if (liveOnly)
        body.insert(QStringLiteral("query"),
                    QJsonObject{{QStringLiteral("bool"),
                                 QJsonObject{{QStringLiteral("must_not"),
                                              QJsonObject{{QStringLiteral("term"), QJsonObject{{QStringLiteral("deleted"), true}}}}}}}});
    const HttpResult r = m_http.request("POST", path, QJsonDocument(body).toJson(QJsonDocument::Compact));
    if (!r.ok()) {
        *error = m_http.describeFailure(QStringLiteral("counting the documents of '%1'").arg(m_index), path, r);
        return std::nullopt;
    }
    return parseObject(r.body).value(QStringLiteral("count")).toVariant().toLongLong();
}

std::optional<SearchDocument> SearchClient::get(const QString &id, QString *error)
{
    const QString path = QLatin1Char('/') + m_index + QStringLiteral("/_doc/") + idPath(id);
    const HttpResult r = m_http.request("GET", path);
    const QJsonObject answer = parseObject(r.body);
    if (r.status == 404 && answer.contains(QStringLiteral("found")))
        return std::nullopt; // the index is there, the document is not
    if (!r.ok()) {
        *error = m_http.describeFailure(QStringLiteral("reading document '%1'").arg(id), path, r);
        return std::nullopt;
    }
    SearchDocument d = fromSource(id, answer.value(QStringLiteral("_source")).toObject());
    d.version = answer.value(QStringLiteral("_version")).toVariant().toLongLong();
    return d;
}

std::optional<std::vector<SearchDocument>> SearchClient::all(int max, QString *error)
{
    const QString path = QLatin1Char('/') + m_index + QStringLiteral("/_search");
    const QJsonObject body{{QStringLiteral("size"), max},
                           {QStringLiteral("version"), true},
                           {QStringLiteral("query"), QJsonObject{{QStringLiteral("match_all"), QJsonObject{}}}}};
    const HttpResult r = m_http.request("POST", path, QJsonDocument(body).toJson(QJsonDocument::Compact));
    if (!r.ok()) {
        *error = m_http.describeFailure(QStringLiteral("reading the documents of '%1'").arg(m_index), path, r);
        return std::nullopt;
    }
    std::vector<SearchDocument> docs;
    const QJsonArray hits = parseObject(r.body).value(QStringLiteral("hits")).toObject().value(QStringLiteral("hits")).toArray();
    for (const auto &h : hits) {
        const QJsonObject o = h.toObject();
        SearchDocument d = fromSource(o.value(QStringLiteral("_id")).toString(), o.value(QStringLiteral("_source")).toObject());
        d.version = o.value(QStringLiteral("_version")).toVariant().toLongLong();
        docs.push_back(std::move(d));
    }
    return docs;
}

std::optional<QJsonArray> SearchClient::mget(const QStringList &ids, const QString &query, const QString &what, QString *error)
{
    const QString path = QLatin1Char('/') + m_index + QStringLiteral("/_mget") + query;
    const QJsonObject body{{QStringLiteral("ids"), QJsonArray::fromStringList(ids)}};
    const HttpResult r = m_http.request("POST", path, QJsonDocument(body).toJson(QJsonDocument::Compact));
    if (!r.ok()) {
        *error = m_http.describeFailure(what, path, r);
        return std::nullopt;
    }
    return parseObject(r.body).value(QStringLiteral("docs")).toArray();
}

std::optional<std::vector<SearchDocument>> SearchClient::getMany(const QStringList &ids, QString *error)
{
    std::vector<SearchDocument> docs;
    if (ids.isEmpty())
        return docs;
    const auto answer = mget(ids, {}, QStringLiteral("reading %1 documents").arg(ids.size()), error);
    if (!answer)
        return std::nullopt;
    for (const auto &d : *answer) {
        const QJsonObject o = d.toObject();
        if (!o.value(QStringLiteral("found")).toBool())
            continue;
        SearchDocument doc = fromSource(o.value(QStringLiteral("_id")).toString(), o.value(QStringLiteral("_source")).toObject());
        doc.version = o.value(QStringLiteral("_version")).toVariant().toLongLong();
        docs.push_back(std::move(doc));
    }
    return docs;
}

std::optional<std::map<QString, qint64>> SearchClient::createdAtOf(const QStringList &ids, QString *error)
{
    std::map<QString, qint64> out;
    if (ids.isEmpty())
        return out;
    const auto answer = mget(ids, QStringLiteral("?_source_includes=created_at"),
                             QStringLiteral("reading the creation times of %1 edited messages").arg(ids.size()), error);
    if (!answer)
        return std::nullopt;
    for (const auto &d : *answer) {
        const QJsonObject o = d.toObject();
        const qint64 at = o.value(QStringLiteral("_source")).toObject().value(QStringLiteral("created_at")).toVariant().toLongLong();
        if (at > 0)
            out[o.value(QStringLiteral("_id")).toString()] = at;
    }
    return out;
}

bool SearchClient::refresh(QString *error)
{
    const QString path = QLatin1Char('/') + m_index + QStringLiteral("/_refresh");
    const HttpResult r = m_http.request("POST", path);
    if (r.ok())
        return true;
    *error = m_http.describeFailure(QStringLiteral("refreshing '%1'").arg(m_index), path, r);
    return false;
}

bool SearchClient::deleteIndex(QString *error)
{
    const QString path = QLatin1Char('/') + m_index;
    const HttpResult r = m_http.request("DELETE", path);
    if (r.ok() || r.status == 404)
        return true;
    *error = m_http.describeFailure(QStringLiteral("deleting the index '%1'").arg(m_index), path, r);
    return false;
}

bool SearchClient::ping(QString *error)
{
    const QString path = QStringLiteral("/_cluster/health");
    const HttpResult r = m_http.request("GET", path);
    if (r.ok())
        return true;
    *error = m_http.describeFailure(QStringLiteral("asking the search node for its health"), path, r);
    return false;
}

} // namespace kcl
