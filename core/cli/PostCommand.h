#pragma once
// `kafka-collab-lab post "text" --channel C --author A [--mention U]... [--mode outbox|naive] [--cluster X]
//  [--sql CONN] [--sql-schema S] [--timeout S]`: one message through the CQRS write side. Outbox mode: the row and
// its outbox row commit together, an outbox relay in this process publishes it; the command waits until Kafka
// acknowledged it. Naive mode: commit, then produce. Prints the message id and the time to Kafka; exit 0 when the
// event reached Kafka, 1 (with the reason) when it did not, 2 for bad options.
#include <QStringList>
#include <QTextStream>

namespace kcl {

int runPostCommand(const QStringList &args, QTextStream &out, QTextStream &err);

} // namespace kcl
