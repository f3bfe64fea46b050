#pragma once
// The headless run: the pipeline on a cluster with no window. Prints one line a second (produced/s,
// consumed/s per group, members and partitions, notifications, p50/p99 notification latency) and, at the end,
// drains, checks that every acknowledged mention was notified, and writes a JSON report.
#include "metrics/ErrorFeed.h"
#include "pipeline/PipelineEngine.h"

#include <QString>
#include <QStringList>
#include <QTextStream>
#include <nlohmann/json.hpp>

namespace kcl {

struct HeadlessOptions {
    PipelineOptions pipeline;
    double durationSec = 20;
    QString reportPath;       // "" = no file (the report is still summarised on stdout)
    double drainTimeoutSec = 15;
};

// Runs in the calling thread's event loop (QCoreApplication must exist). Returns the process exit code:
// 0 when the run worked and every mention was notified, 1 otherwise, 3 when the cluster could not be used.
int runHeadless(const HeadlessOptions &options, QTextStream &out, QTextStream &err);

// One status line for a snapshot, as printed each second.
QString headlessLine(const Snapshot &s);
// The errors the services recorded since the feed last looked, one line each ("error [source] NAME: sentence", or
// "recovered [source]: sentence"), as the GUI's banner shows them: a refusing search node, a broker gone, ...
QStringList newErrorLines(ErrorFeed &feed, const Snapshot &s);
// The final report as JSON.
nlohmann::json reportJson(const Snapshot &s, const HeadlessOptions &options, bool drained);

} // namespace kcl
