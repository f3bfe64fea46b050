#include "cli/GroupsCommand.h"

#include "cli/LagCommand.h"

#include <QThread>
#include <algorithm>

namespace kcl {
namespace {

QString optionalNumber(const std::optional<std::int64_t> &v) { return v ? QString::number(*v) : QStringLiteral("-"); }

} // namespace

nlohmann::json rebalanceTimelineJson(const std::vector<RebalanceRecord> &timeline)
{
    nlohmann::json out = nlohmann::json::array();
    for (const auto &r : timeline)
        out.push_back({{"at_ms", r.atMs}, {"joined", r.joined}, {"left", r.left}, {"members_after", r.membersAfter}});
    return out;
}

nlohmann::json groupLagJson(const GroupLagReport &g, bool withPartitions)
{
    nlohmann::json members = nlohmann::json::array();
    for (const auto &m : g.members) {
        nlohmann::json parts = nlohmann::json::array();
        for (const auto &[t, p] : m.assignment)
            parts.push_back(t + "-" + std::to_string(p));
        members.push_back({{"consumer_id", m.consumerId}, {"client_id", m.clientId}, {"host", m.host}, {"assignment", parts}});
    }
    nlohmann::json o = {{"group", g.groupId}, {"state", g.state}, {"assignor", g.assignor}, {"status", groupStatusName(g.status)},
                        {"reason", g.statusReason}, {"total_lag", g.totalLag}, {"max_time_lag_s", g.maxTimeLagSec},
                        {"max_time_lag_known", g.maxTimeLagKnown}, {"max_time_lag_is_lower_bound", g.maxTimeLagLowerBound},
                        {"rebalances", g.rebalances}, {"rebalances_last_minute", g.rebalancesLastMinute},
                        {"rebalances_last_hour", g.rebalancesLastHour}, {"rebalance_timeline", rebalanceTimelineJson(g.recentRebalances)},
                        {"members", members}};
    if (!withPartitions)
        return o;
    nlohmann::json rows = nlohmann::json::array();
    for (const auto &row : g.rows) {
        nlohmann::json r;
        r["topic"] = row.topic;
        r["partition"] = row.partition;
        r["current_offset"] = row.committed ? nlohmann::json(*row.committed) : nlohmann::json(nullptr);
        r["log_end_offset"] = row.logEnd >= 0 ? nlohmann::json(row.logEnd) : nlohmann::json(nullptr);
        r["log_start_offset"] = row.logStart >= 0 ? nlohmann::json(row.logStart) : nlohmann::json(nullptr);
        r["last_stable_offset"] = row.lastStable >= 0 ? nlohmann::json(row.lastStable) : nlohmann::json(nullptr);
        r["lag"] = row.lag ? nlohmann::json(*row.lag) : nlohmann::json(nullptr);
        r["lag_read_committed"] = row.lagCommitted ? nlohmann::json(*row.lagCommitted) : nlohmann::json(nullptr);
        r["markers_only"] = row.markersOnly;
        r["time_lag_s"] = row.timeLagKnown ? nlohmann::json(row.timeLagSec) : nlohmann::json(nullptr);
        r["time_lag_is_lower_bound"] = row.timeLagLowerBound;
        r["consumer_id"] = row.consumerId.empty() ? nlohmann::json(nullptr) : nlohmann::json(row.consumerId);
        r["host"] = row.host.empty() ? nlohmann::json(nullptr) : nlohmann::json(row.host);
        r["client_id"] = row.clientId.empty() ? nlohmann::json(nullptr) : nlohmann::json(row.clientId);
        if (!row.error.empty())
            r["error"] = row.error;
        rows.push_back(std::move(r));
    }
    o["partitions"] = std::move(rows);
    return o;
}

nlohmann::json lagReportJson(const LagReport &r)
{
    nlohmann::json j;
    j["at_ms"] = r.atMs;
    j["cycle_ms"] = r.cycleMs;
    j["coverage"] = r.coverage;
    j["errors"] = r.errors;
    auto &groups = j["groups"] = nlohmann::json::array();
    for (const auto &g : r.groups)
        groups.push_back(groupLagJson(g, true));
    auto &topics = j["topics"] = nlohmann::json::array();
    for (const auto &t : r.topics)
        topics.push_back({{"topic", t.topic}, {"partitions", t.partitions}, {"messages_per_s", t.messagesPerSec},
                          {"consumed_per_s", t.consumedPerSec},
                          {"messages", t.messages}, {"messages_per_partition", t.messagesPerPartition},
                          {"leader_per_partition", t.leaderPerPartition}, {"skew", t.skew}});
    return j;
}

QString lagReportTable(const LagReport &r)
{
    QString s;
    QTextStream t(&s);
    for (const auto &g : r.groups) {
        t << "\nGROUP " << QString::fromStdString(g.groupId) << "  state=" << QString::fromStdString(g.state)
          << "  members=" << g.members.size() << "  total lag=" << g.totalLag << "  status=" << groupStatusName(g.status)
          << "\n  " << QString::fromStdString(g.statusReason) << "\n";
        t << QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8\n")
                 .arg(QStringLiteral("TOPIC"), -32).arg(QStringLiteral("PARTITION"), 9).arg(QStringLiteral("CURRENT-OFFSET"), 15)
                 .arg(QStringLiteral("LOG-END-OFFSET"), 15).arg(QStringLiteral("LAG"), 8).arg(QStringLiteral("TIME-LAG~"), 10)
                 .arg(QStringLiteral("CLIENT-ID"), -28).arg(QStringLiteral("HOST"));
        for (const auto &row : g.rows) {
            QString timeLag = row.timeLagKnown ? QStringLiteral("%1%2s").arg(row.timeLagLowerBound ? QStringLiteral(">") : QString())
                                                     .arg(row.timeLagSec, 0, 'f', 1)
                                               : QStringLiteral("-");
            t << QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8\n")
                     .arg(QString::fromStdString(row.topic), -32).arg(row.partition, 9).arg(optionalNumber(row.committed), 15)
                     .arg(row.logEnd >= 0 ? QString::number(row.logEnd) : QStringLiteral("-"), 15).arg(optionalNumber(row.lag), 8)
                     .arg(timeLag, 10).arg(row.clientId.empty() ? QStringLiteral("-") : QString::fromStdString(row.clientId), -28)
                     .arg(row.host.empty() ? QStringLiteral("-") : QString::fromStdString(row.host));
        }
        QStringList markers;
        for (const auto &row : g.rows)
            if (row.markersOnly)
                markers << QStringLiteral("%1-%2").arg(QString::fromStdString(row.topic)).arg(row.partition);
        if (!markers.isEmpty())
            t << "  read to the end (only transaction markers remain after the committed offset): " << markers.join(QStringLiteral(", ")) << "\n";
    }
    if (r.groups.empty())
        t << "\nno consumer groups\n";
    const bool transactional = std::any_of(r.groups.begin(), r.groups.end(), [](const GroupLagReport &g) {
        return std::any_of(g.rows.begin(), g.rows.end(), [](const PartitionLagRow &row) { return row.lastStable >= 0 && row.lastStable != row.logEnd; });
    });
    if (transactional)
        t << "\nSome partitions have transactional data: LOG-END-OFFSET (and LAG) count commit markers and records of open\n"
             "transactions; a read_committed consumer can only read up to the last stable offset (see --json:\n"
             "last_stable_offset, lag_read_committed).\n";
    t << "\n" << QString::fromStdString(r.coverage) << "\nTIME-LAG~ is an estimate (interpolated offset/time history).\n";
    for (const auto &e : r.errors)
        t << "warning: " << QString::fromStdString(e) << "\n";
    return s;
}

int runGroupsCommand(const QStringList &args, QTextStream &out, QTextStream &err)
{
    const LagCommandSpec spec{QStringLiteral("groups"),
                              QStringLiteral("Consumer groups, lag per partition and group status, from the cluster's own answers."),
                              QStringLiteral("Monitor cycles, one a second (status and time lag need several; default 1, or 8 on the embedded cluster)."),
                              3600,
                              {}};
    QCommandLineParser p;
    LagCommandOptions o;
    if (const auto status = parseLagCommand(spec, args, p, o, out, err))
        return *status;
    const int n = o.cycles.value_or(o.embedded() ? 8 : 1);
    try {
        LagSession session(o);
        if (o.embedded())
            err << "embedded cluster: running the default pipeline for " << n << " s to have groups to show\n";
        LagReport report;
        for (int i = 0; i < n; ++i) {
            if (i)
                QThread::msleep(1000);
            report = session.cycle();
        }
        if (o.json)
            out << QString::fromStdString(lagReportJson(report).dump(2)) << "\n";
        else
            out << lagReportTable(report);
        if (const std::string why = clusterUnreachableReason(report); !why.empty()) {
            err << "kafka-collab-lab groups: the cluster did not answer (" << QString::fromStdString(why) << ")\n";
            return 3;
        }
        return 0;
    } catch (const std::exception &ex) {
        err << "kafka-collab-lab groups: " << ex.what() << "\n";
        return 3;
    }
}

} // namespace kcl
