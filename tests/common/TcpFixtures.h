#pragma once
// Network fixtures for connection tests: a port nothing listens on, and a server that never answers.
#include <QHostAddress>
#include <QString>
#include <QTcpServer>

namespace kcl::testing {

// A server that accepts connections and never answers: a probe against it waits for its whole timeout.
struct SilentServer {
    QTcpServer server;
    SilentServer() { server.listen(QHostAddress::LocalHost, 0); }
    QString bootstrap() const { return QStringLiteral("127.0.0.1:%1").arg(server.serverPort()); }
};

// A port on 127.0.0.1 that nothing listens on: bound, then released.
inline quint16 closedPort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 0;
    const quint16 port = server.serverPort();
    server.close();
    return port;
}

} // namespace kcl::testing
