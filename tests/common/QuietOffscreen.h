// The offscreen platform warns "This plugin does not support propagateSizeHints()" each time a top-level window's
// size limits change (every few snapshots while the figures' labels grow). Hundreds of those lines buried the one
// line that said why a GUI test failed in CI, so the UI tests drop exactly that message and pass on the rest.
#pragma once

#include <QString>
#include <QtGlobal>

namespace kcl::test {

inline QtMessageHandler &previousMessageHandler()
{
    static QtMessageHandler previous = nullptr;
    return previous;
}

inline void dropOffscreenSizeHintWarnings()
{
    previousMessageHandler() = qInstallMessageHandler([](QtMsgType type, const QMessageLogContext &context, const QString &message) {
        if (type == QtWarningMsg && message.contains(QLatin1String("does not support propagateSizeHints")))
            return;
        if (QtMessageHandler previous = previousMessageHandler())
            previous(type, context, message);
    });
}

} // namespace kcl::test
