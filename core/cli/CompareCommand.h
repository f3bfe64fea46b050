#pragma once
// `kafka-collab-lab compare [--cluster X] [--sql CONN] [--sql-schema S] [--search-url URL] [--search-index NAME]
//  [--duration S] [--write-rate N] [--readers N] [--json]`: the guide's exercise 3, CQRS write vs read performance.
// For the duration, side by side: posts through PostgreSQL + outbox (an outbox relay publishes them to Kafka), the
// search indexer consuming the message topics into the search node, N reader threads searching the words the posts
// use, and a probe that posts a unique token every ~250 ms and measures how long until a search finds it.
#include <QStringList>
#include <QTextStream>

namespace kcl {

// Exit code: 0 every probe was found, 1 a probe was not found or PostgreSQL / the search node / Kafka could not be
// used, 2 bad options.
int runCompareCommand(const QStringList &arguments, QTextStream &out, QTextStream &err);

} // namespace kcl
