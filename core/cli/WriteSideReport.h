#pragma once
// The CQRS write side in the headless run and the labs: its command-line options (--write-mode, --sql,
// --sql-schema), its part of the live line and of the JSON report, and its lab metrics.
#include "metrics/WriteSideStats.h"
#include "pipeline/PipelineEngine.h"

#include <QCommandLineOption>
#include <QList>
#include <QString>
#include <nlohmann/json.hpp>
#include <optional>

class QCommandLineParser;

namespace kcl {

QList<QCommandLineOption> sqlOptions();       // --sql, --sql-schema
QList<QCommandLineOption> writeSideOptions(); // --write-mode and the sqlOptions()
// False with a message naming the option when a value is wrong.
bool applySqlOptions(const QCommandLineParser &parser, PipelineOptions &options, QString *error);
bool applyWriteSideOptions(const QCommandLineParser &parser, PipelineOptions &options, QString *error);

// " | outbox posted=.. relayed=.. pending=.. ..." ("" in direct mode).
QString writeSideLine(const WriteSideStats &s);
nlohmann::json writeSideJson(const WriteSideStats &s);
// write.posted, write.errors, write.post_latency.p50|p99, outbox.relayed, outbox.pending, outbox.failures,
// outbox.oldest_pending_age_ms, outbox.relay_lag.p50|p99, naive.published, naive.lost; nullopt for another path.
std::optional<double> writeSideMetric(const WriteSideStats &s, const QString &path);

} // namespace kcl
