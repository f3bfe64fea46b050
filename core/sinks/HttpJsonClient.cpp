#include "sinks/HttpJsonClient.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>
#include <QUrl>

namespace kcl {

HttpJsonClient::HttpJsonClient(QString baseUrl, int timeoutMs)
    : m_base(std::move(baseUrl)), m_timeoutMs(timeoutMs)
{
    while (m_base.endsWith(QLatin1Char('/')))
        m_base.chop(1);
}

HttpJsonClient::~HttpJsonClient() = default;

HttpResult HttpJsonClient::request(const QByteArray &verb, const QString &path, const QByteArray &body,
                                   const QByteArray &contentType)
{
    if (!m_nam)
        m_nam = std::make_unique<QNetworkAccessManager>();
    QNetworkRequest req(QUrl(m_base + path));
    req.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
    req.setTransferTimeout(m_timeoutMs);
    QElapsedTimer clock;
    clock.start();
    QNetworkReply *reply = m_nam->sendCustomRequest(req, verb, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer guard; // in case the transfer timeout does not fire (e.g. stuck before the connection is made)
    guard.setSingleShot(true);
    QObject::connect(&guard, &QTimer::timeout, &loop, &QEventLoop::quit);
    guard.start(m_timeoutMs + 1000);
    if (!reply->isFinished())
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    HttpResult r;
    if (!reply->isFinished()) {
        reply->abort();
        r.transportError = QStringLiteral("no answer within %1 ms").arg(m_timeoutMs);
    } else {
        r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (reply->isOpen())
            r.body = reply->readAll();
        if (r.status == 0)
            r.transportError = reply->error() == QNetworkReply::OperationCanceledError
                                   ? QStringLiteral("no answer within %1 ms").arg(m_timeoutMs)
                                   : reply->errorString();
    }
    r.roundTripMs = static_cast<double>(clock.nsecsElapsed()) / 1e6;
    delete reply; // finished or aborted: safe to delete now, on its own thread
    m_lastStatus = r.status;
    return r;
}

QString HttpJsonClient::describeFailure(const QString &what, const QString &path, const HttpResult &result) const
{
    const QString url = m_base + path;
    if (!result.reached())
        return QStringLiteral("%1 failed: the search node at %2 could not be reached (%3). Is it running? Start the lab "
                              "stack's node with 'kafka-collab-lab stack up --with search', or pass its address with "
                              "--search-url.")
            .arg(what, m_base, result.transportError);
    QString reason;
    const QJsonObject error = QJsonDocument::fromJson(result.body).object().value(QStringLiteral("error")).toObject();
    if (!error.isEmpty())
        reason = error.value(QStringLiteral("type")).toString() + QStringLiteral(": ") +
                 error.value(QStringLiteral("reason")).toString();
    else
        reason = QString::fromUtf8(result.body.left(300));
    return QStringLiteral("%1 failed: %2 answered HTTP %3 (%4).%5").arg(what, url).arg(result.status).arg(reason, adviceFor(result.status, reason));
}

QString HttpJsonClient::adviceFor(int status, const QString &reason)
{
    // What a node answers once its disk passed the high (90 %: no new index) or flood-stage (95 %: read-only)
    // watermark; the block stays after space is freed unless the node releases it.
    if (reason.contains(QLatin1String("block_exception")) || reason.contains(QLatin1String("watermark")))
        return QStringLiteral(" The node blocks creating indices or writing, which it does when its disk passes the "
                              "high (90 %) or flood-stage (95 %) watermark: free disk space, then release the block "
                              "(the lab stack's node ignores the watermarks, and 'kafka-collab-lab stack up' releases "
                              "blocks an older node left).");
    if (status == 429 || status >= 500)
        return QStringLiteral(" The node is overloaded or unhealthy: try again later, or look at its log (kafka-collab-lab stack logs search).");
    return {};
}

} // namespace kcl
