#include "cli/WriteSideReport.h"

#include "sinks/WriteModel.h"

#include <QCommandLineParser>
#include <QStringList>

namespace kcl {

QList<QCommandLineOption> sqlOptions()
{
    return {
        QCommandLineOption(QStringLiteral("sql"),
                           QStringLiteral("PostgreSQL of the write side, libpq-style (default: the local lab stack's, "
                                          "'host=127.0.0.1 port=5433 dbname=kcl user=kcl password=kcl')."),
                           QStringLiteral("CONN")),
        QCommandLineOption(QStringLiteral("sql-schema"), QStringLiteral("Schema of the write model (default kcl)."),
                           QStringLiteral("NAME"), QStringLiteral("kcl")),
    };
}

QList<QCommandLineOption> writeSideOptions()
{
    QList<QCommandLineOption> options{QCommandLineOption(
        QStringLiteral("write-mode"),
        QStringLiteral("How message events reach Kafka: direct (default: the workload produces them), outbox (PostgreSQL "
                       "row + outbox row in one transaction, the outbox relay publishes) or naive (commit, then produce: "
                       "loses events when Kafka is down)."),
        QStringLiteral("MODE"), QStringLiteral("direct"))};
    return options + sqlOptions();
}

bool applyWriteSideOptions(const QCommandLineParser &parser, PipelineOptions &options, QString *error)
{
    const QString mode = parser.value(QStringLiteral("write-mode"));
    const auto m = writeModeFromName(mode.toStdString());
    if (!m) {
        *error = QStringLiteral("--write-mode must be direct, outbox or naive, not '%1'").arg(mode);
        return false;
    }
    options.writeMode = *m;
    return applySqlOptions(parser, options, error);
}

bool applySqlOptions(const QCommandLineParser &parser, PipelineOptions &options, QString *error)
{
    const QString schema = parser.value(QStringLiteral("sql-schema"));
    if (!isValidSchemaName(schema)) {
        *error = QStringLiteral("--sql-schema must be lower-case letters, digits and '_' (at most 63), not '%1'").arg(schema);
        return false;
    }
    options.sqlSchema = schema.toStdString();
    const std::string conn = parser.isSet(QStringLiteral("sql")) ? parser.value(QStringLiteral("sql")).toStdString()
                                                                 : ClusterProfile::local().sqlConnection;
    QString parseError;
    if (!parseSqlConnection(conn, &parseError)) {
        *error = QStringLiteral("--sql: ") + parseError;
        return false;
    }
    options.sqlConnection = conn;
    return true;
}

QString writeSideLine(const WriteSideStats &s)
{
    if (s.mode == "direct")
        return {};
    QString line = QStringLiteral(" | %1 posted=%2").arg(QString::fromStdString(s.mode)).arg(s.posted);
    if (s.mode == "outbox")
        line += QStringLiteral(" relayed=%1 pending=%2 oldest=%3ms relay p99=%4ms")
                    .arg(s.relayed)
                    .arg(s.pending)
                    .arg(s.oldestPendingAgeMs)
                    .arg(s.relayLag.p99, 0, 'f', 0);
    else
        line += QStringLiteral(" published=%1 LOST=%2").arg(s.naivePublished).arg(s.naiveLost);
    if (s.writeErrors)
        line += QStringLiteral(" write errors=%1").arg(s.writeErrors);
    if (!s.kafkaReachable)
        line += QStringLiteral(" (Kafka not answering)");
    return line;
}

nlohmann::json writeSideJson(const WriteSideStats &s)
{
    auto latency = [](const WriteSideLatency &l) {
        return nlohmann::json{{"count", l.count}, {"p50_ms", l.p50}, {"p99_ms", l.p99}, {"max_ms", l.max}};
    };
    return {{"mode", s.mode},
            {"posted", s.posted},
            {"write_errors", s.writeErrors},
            {"relayed", s.relayed},
            {"relay_failures", s.relayFailures},
            {"pending", s.pending},
            {"oldest_pending_age_ms", s.oldestPendingAgeMs},
            {"naive_published", s.naivePublished},
            {"naive_lost", s.naiveLost},
            {"kafka_reachable", s.kafkaReachable},
            {"post_latency", latency(s.postLatency)},
            {"relay_lag", latency(s.relayLag)},
            {"last_error", s.lastError}};
}

std::optional<double> writeSideMetric(const WriteSideStats &s, const QString &path)
{
    const QStringList p = path.split(QLatin1Char('.'));
    auto pick = [&](const WriteSideLatency &l) -> std::optional<double> {
        if (l.count == 0 || p.size() != 3)
            return std::nullopt;
        if (p[2] == QStringLiteral("p50")) return l.p50;
        if (p[2] == QStringLiteral("p99")) return l.p99;
        if (p[2] == QStringLiteral("max")) return l.max;
        return std::nullopt;
    };
    const QString head = p.value(0), field = p.value(1);
    if (head == QStringLiteral("write")) {
        if (field == QStringLiteral("posted")) return double(s.posted);
        if (field == QStringLiteral("errors")) return double(s.writeErrors);
        if (field == QStringLiteral("post_latency")) return pick(s.postLatency);
    } else if (head == QStringLiteral("outbox")) {
        if (field == QStringLiteral("relayed")) return double(s.relayed);
        if (field == QStringLiteral("pending")) return double(s.pending);
        if (field == QStringLiteral("failures")) return double(s.relayFailures);
        if (field == QStringLiteral("oldest_pending_age_ms")) return double(s.oldestPendingAgeMs);
        if (field == QStringLiteral("relay_lag")) return pick(s.relayLag);
    } else if (head == QStringLiteral("naive")) {
        if (field == QStringLiteral("published")) return double(s.naivePublished);
        if (field == QStringLiteral("lost")) return double(s.naiveLost);
    }
    return std::nullopt;
}

} // namespace kcl
