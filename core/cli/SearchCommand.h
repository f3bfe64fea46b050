#pragma once
// `kafka-collab-lab search "text" [--cluster X] [--search-url URL] [--index NAME] [--channel C] [--author A]
// [--limit N] [--json]`: the search node's newest matching messages (deleted ones excluded) with highlighted
// content, and the measured latency (the node's own "took" and the round trip seen here).
#include <QStringList>
#include <QTextStream>

namespace kcl {

// Exit code: 0 searched (also with no hit), 1 the node could not be reached or answered an error, 2 bad options.
int runSearchCommand(const QStringList &arguments, QTextStream &out, QTextStream &err);

} // namespace kcl
