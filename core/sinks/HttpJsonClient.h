#pragma once
// A blocking JSON-over-HTTP client for a sink (the search node) called from a member's own std::thread.
// Each thread builds its own client: it owns a QNetworkAccessManager of that thread and waits for each reply in a
// local QEventLoop with a timeout, so no call ever needs (or blocks) the GUI thread's event loop.
#include <QByteArray>
#include <QString>
#include <memory>

class QNetworkAccessManager;

namespace kcl {

struct HttpResult {
    int status = 0;          // HTTP status; 0 when the node was not reached or did not answer in time
    QByteArray body;
    QString transportError;  // why the node was not reached (refused, timed out, closed), empty when it answered
    double roundTripMs = 0;
    bool reached() const { return status > 0; }
    bool ok() const { return status >= 200 && status < 300; }
    // The node is down, overloaded or busy: the same request may succeed later.
    bool retryable() const { return status == 0 || status == 429 || status >= 500; }
};

class HttpJsonClient {
public:
    // baseUrl like "http://127.0.0.1:9200" (a trailing '/' is ignored); timeoutMs bounds each whole request.
    explicit HttpJsonClient(QString baseUrl, int timeoutMs = 10000);
    ~HttpJsonClient();
    HttpJsonClient(const HttpJsonClient &) = delete;
    HttpJsonClient &operator=(const HttpJsonClient &) = delete;

    // path starts with '/'. contentType: "application/json" or "application/x-ndjson" (bulk).
    HttpResult request(const QByteArray &verb, const QString &path, const QByteArray &body = {},
                       const QByteArray &contentType = "application/json");
    const QString &baseUrl() const { return m_base; }
    // The HTTP status of the last request's answer; 0 when it got none.
    int lastStatus() const { return m_lastStatus; }
    // A readable sentence for a failed call: what was attempted, at which URL, what came back, what to do.
    QString describeFailure(const QString &what, const QString &path, const HttpResult &result) const;
    // What to do about an answer with this status and "type: reason" (empty when nothing specific); starts with a space.
    static QString adviceFor(int status, const QString &reason);

private:
    QString m_base;
    int m_timeoutMs;
    int m_lastStatus = 0;
    std::unique_ptr<QNetworkAccessManager> m_nam; // created on the calling thread at first use
};

} // namespace kcl
