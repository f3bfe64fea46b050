#include "cli/SearchCommand.h"

#include "cluster/ClusterProfile.h"
#include "sinks/SearchClient.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QUrl>
#include <nlohmann/json.hpp>

namespace kcl {
namespace {

QString timeText(qint64 ms)
{
    return ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'"))
                  : QStringLiteral("-");
}

} // namespace

int runSearchCommand(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Search the messages the search indexer wrote: newest first, deleted messages excluded, matches highlighted,\n"
        "with the node's time and the round trip. The node comes from --search-url, or else from --cluster\n"
        "(local: http://127.0.0.1:9200, guide: http://localhost:30200)."));
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help."));
    const QCommandLineOption cluster(QStringLiteral("cluster"), QStringLiteral("local (default), guide, embedded or HOST:PORT: whose search node."),
                                     QStringLiteral("X"), QStringLiteral("local"));
    const QCommandLineOption url(QStringLiteral("search-url"), QStringLiteral("The search node, e.g. http://127.0.0.1:9200."), QStringLiteral("URL"));
    const QCommandLineOption index(QStringLiteral("index"), QStringLiteral("The index (default messages)."), QStringLiteral("NAME"),
                                   QString::fromLatin1(kSearchIndexDefault));
    const QCommandLineOption channel(QStringLiteral("channel"), QStringLiteral("Only messages of this channel id."), QStringLiteral("C"));
    const QCommandLineOption author(QStringLiteral("author"), QStringLiteral("Only messages of this author id."), QStringLiteral("A"));
    const QCommandLineOption limit(QStringLiteral("limit"), QStringLiteral("Hits to show, 1..1000 (default 10)."), QStringLiteral("N"), QStringLiteral("10"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print the result as JSON."));
    for (const auto &o : {help, cluster, url, index, channel, author, limit, json})
        p.addOption(o);
    p.addPositionalArgument(QStringLiteral("text"), QStringLiteral("What to look for in the messages' content."));

    auto bad = [&](const QString &message) {
        err << "kafka-collab-lab search: " << message << "\nTry 'kafka-collab-lab search --help'." << Qt::endl;
        return 2;
    };
    if (!p.parse(QStringList{QStringLiteral("kafka-collab-lab search")} + arguments))
        return bad(p.errorText());
    if (p.isSet(help)) {
        out << p.helpText();
        return 0;
    }
    if (p.positionalArguments().size() != 1)
        return bad(p.positionalArguments().isEmpty() ? QStringLiteral("the text to search for is missing")
                                                     : QStringLiteral("give the text as one argument (quote it), not %1").arg(p.positionalArguments().size()));
    bool ok = false;
    const int hits = p.value(limit).toInt(&ok);
    if (!ok || hits < 1 || hits > 1000)
        return bad(QStringLiteral("--limit must be a whole number from 1 to 1000, not '%1'").arg(p.value(limit)));
    QString baseUrl = p.value(url);
    if (baseUrl.isEmpty()) {
        QString clusterError;
        const auto profile = ClusterProfile::fromCliArgument(p.value(cluster), &clusterError);
        if (!profile)
            return bad(QStringLiteral("--cluster: %1").arg(clusterError));
        baseUrl = QString::fromStdString(profile->searchUrl);
        if (baseUrl.isEmpty())
            return bad(QStringLiteral("--cluster %1 has no search node: pass --search-url URL").arg(p.value(cluster)));
    }
    const QUrl parsed(baseUrl, QUrl::StrictMode);
    if (!parsed.isValid() || (parsed.scheme() != QLatin1String("http") && parsed.scheme() != QLatin1String("https")) || parsed.host().isEmpty())
        return bad(QStringLiteral("--search-url must be an http(s) URL such as http://127.0.0.1:9200, not '%1'").arg(baseUrl));
    if (p.value(index).isEmpty())
        return bad(QStringLiteral("--index must not be empty"));

    SearchClient client(baseUrl, p.value(index));
    SearchQuery q;
    q.text = p.positionalArguments().first();
    q.channel = p.value(channel);
    q.author = p.value(author);
    q.limit = hits;
    const SearchResponse r = client.search(q);
    if (!r.ok()) {
        err << "kafka-collab-lab search: " << r.error << Qt::endl;
        return 1;
    }
    if (p.isSet(json)) {
        nlohmann::json j;
        j["query"] = q.text.toStdString();
        j["index"] = client.index().toStdString();
        j["url"] = client.baseUrl().toStdString();
        j["total"] = r.total;
        j["took_ms"] = r.tookMs;
        j["round_trip_ms"] = r.roundTripMs;
        auto &list = j["hits"] = nlohmann::json::array();
        for (const auto &h : r.hits)
            list.push_back({{"id", h.document.id.toStdString()}, {"channel", h.document.channel.toStdString()},
                            {"author", h.document.author.toStdString()}, {"created_at_ms", h.document.createdAtMs},
                            {"updated_at_ms", h.document.updatedAtMs}, {"content", h.document.content.toStdString()},
                            {"highlighted", h.highlighted.toStdString()}, {"score", h.score}});
        out << QString::fromStdString(j.dump(2)) << Qt::endl;
        return 0;
    }
    out << r.hits.size() << " of " << r.total << " hits for \"" << q.text << "\" in " << client.index() << " at "
        << client.baseUrl() << " (took " << r.tookMs << " ms, round trip " << QString::number(r.roundTripMs, 'f', 1)
        << " ms)" << Qt::endl;
    for (const auto &h : r.hits) {
        QString text = h.highlighted;
        text.replace(QStringLiteral("<em>"), QStringLiteral("[")).replace(QStringLiteral("</em>"), QStringLiteral("]"));
        const qint64 at = h.document.createdAtMs > 0 ? h.document.createdAtMs : h.document.updatedAtMs;
        out << h.document.id << "  " << h.document.channel << "  " << h.document.author << "  " << timeText(at) << "  "
            << text << Qt::endl;
    }
    return 0;
}

} // namespace kcl
