#include "cli/GroupsCommand.h"

#include "cluster/ClusterProfile.h"
#include "metrics/LagMonitor.h"
#include "pipeline/Pipeline.h"

#include <QCommandLineParser>
#include <QThread>
#include <algorithm>

namespace kcl {
namespace {

QString optionalNumber(const std::optional<std::int64_t> &v) { return v ? QString::number(*v) : QStringLiteral("-"); }

} // namespace

nlohmann::json lagReportJson(const LagReport &r)
{
    nlohmann::json j;
    j["at_ms"] = r.atMs;
    j["cycle_ms"] = r.cycleMs;
    j["coverage"] = r.coverage;
    j["errors"] = r.errors;
    auto &groups = j["groups"] = nlohmann::json::array();
    for (const auto &g : r.groups) {
        nlohmann::json rows = nlohmann::json::array();
        for (const auto &row : g.rows) {
            nlohmann::json o;
            o["topic"] = row.topic;
            o["partition"] = row.partition;
            o["current_offset"] = row.committed ? nlohmann::json(*row.committed) : nlohmann::json(nullptr);
            o["log_end_offset"] = row.logEnd >= 0 ? nlohmann::json(row.logEnd) : nlohmann::json(nullptr);
            o["log_start_offset"] = row.logStart >= 0 ? nlohmann::json(row.logStart) : nlohmann::json(nullptr);
            o["last_stable_offset"] = row.lastStable >= 0 ? nlohmann::json(row.lastStable) : nlohmann::json(nullptr);
            o["lag"] = row.lag ? nlohmann::json(*row.lag) : nlohmann::json(nullptr);
            o["lag_read_committed"] = row.lagCommitted ? nlohmann::json(*row.lagCommitted) : nlohmann::json(nullptr);
            o["time_lag_s"] = row.timeLagKnown ? nlohmann::json(row.timeLagSec) : nlohmann::json(nullptr);
            o["time_lag_is_lower_bound"] = row.timeLagLowerBound;
            o["consumer_id"] = row.consumerId.empty() ? nlohmann::json(nullptr) : nlohmann::json(row.consumerId);
            o["host"] = row.host.empty() ? nlohmann::json(nullptr) : nlohmann::json(row.host);
            o["client_id"] = row.clientId.empty() ? nlohmann::json(nullptr) : nlohmann::json(row.clientId);
            if (!row.error.empty())
                o["error"] = row.error;
            rows.push_back(std::move(o));
        }
        nlohmann::json members = nlohmann::json::array();
        for (const auto &m : g.members) {
            nlohmann::json parts = nlohmann::json::array();
            for (const auto &[t, p] : m.assignment)
                parts.push_back(t + "-" + std::to_string(p));
            members.push_back({{"consumer_id", m.consumerId}, {"client_id", m.clientId}, {"host", m.host}, {"assignment", parts}});
        }
        groups.push_back({{"group", g.groupId}, {"state", g.state}, {"assignor", g.assignor}, {"status", groupStatusName(g.status)},
                          {"reason", g.statusReason}, {"total_lag", g.totalLag}, {"max_time_lag_s", g.maxTimeLagSec},
                          {"rebalances", g.rebalances}, {"rebalances_last_minute", g.rebalancesLastMinute},
                          {"members", members}, {"partitions", rows}});
    }
    auto &topics = j["topics"] = nlohmann::json::array();
    for (const auto &t : r.topics)
        topics.push_back({{"topic", t.topic}, {"partitions", t.partitions}, {"messages_per_s", t.messagesPerSec},
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
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Consumer groups, lag per partition and group status, from the cluster's own answers."));
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help."));
    const QCommandLineOption cluster(QStringLiteral("cluster"), QStringLiteral("embedded, local, guide or HOST:PORT[,HOST:PORT]."), QStringLiteral("X"), QStringLiteral("local"));
    const QCommandLineOption group(QStringLiteral("group"), QStringLiteral("Only this group."), QStringLiteral("G"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON."));
    const QCommandLineOption cycles(QStringLiteral("cycles"), QStringLiteral("Monitor cycles, one a second (status and time lag need several; default 1, or 8 on the embedded cluster)."), QStringLiteral("N"));
    for (const auto &o : {help, cluster, group, json, cycles})
        p.addOption(o);
    p.addOptions(clusterSecurityOptions());
    if (!p.parse(QStringList{QStringLiteral("groups")} + args)) {
        err << "kafka-collab-lab groups: " << p.errorText() << "\n";
        return 2;
    }
    if (p.isSet(help)) {
        out << p.helpText().replace(QStringLiteral("groups [options]"), QStringLiteral("kafka-collab-lab groups [options]"));
        return 0;
    }
    QString clusterError;
    auto profile = ClusterProfile::fromCliArgument(p.value(cluster), &clusterError);
    if (!profile) {
        err << "kafka-collab-lab groups: --cluster: " << clusterError << "\n";
        return 2;
    }
    if (!applyClusterSecurityOptions(p, *profile, &clusterError)) {
        err << "kafka-collab-lab groups: " << clusterError << "\n";
        return 2;
    }
    if (const QString w = profile->securityWarning(); !w.isEmpty())
        err << "kafka-collab-lab groups: " << w << "\n";
    const bool embedded = profile->kind == ClusterProfile::Kind::Embedded;
    bool ok = true;
    const int n = p.isSet(cycles) ? p.value(cycles).toInt(&ok) : (embedded ? 8 : 1);
    if (!ok || n < 1 || n > 3600) {
        err << "kafka-collab-lab groups: --cycles must be a whole number from 1 to 3600\n";
        return 2;
    }

    // The embedded cluster lives only inside this process: run the default pipeline on it while monitoring.
    std::unique_ptr<Pipeline> pipeline;
    LagMonitor::Options lo;
    lo.embedded = embedded;
    if (p.isSet(group))
        lo.onlyGroup = p.value(group).toStdString();
    try {
        if (embedded) {
            PipelineOptions po;
            po.cluster = *profile;
            po.notificationMembers = 2;
            pipeline = std::make_unique<Pipeline>(po);
            pipeline->start();
            pipeline->lagMonitor()->stopThread(); // this thread runs the cycles
            lo.clusterProperties = po.cluster.clientProperties(pipeline->bootstrapServers());
            err << "embedded cluster: running the default pipeline for " << n << " s to have groups to show\n";
        } else {
            lo.clusterProperties = profile->clientProperties({});
        }
        LagMonitor monitor(lo);
        LagReport report;
        for (int i = 0; i < n; ++i) {
            if (i)
                QThread::msleep(1000);
            if (pipeline) {
                auto snap = pipeline->buildSnapshot();
                std::vector<LagMonitor::OwnGroup> own;
                for (const auto &g : snap->groups)
                    own.push_back({g.groupId, pipeline->service(g.groupId)->topics(), g.members});
                monitor.setOwnGroups(std::move(own));
            }
            report = monitor.cycle();
        }
        if (p.isSet(json))
            out << QString::fromStdString(lagReportJson(report).dump(2)) << "\n";
        else
            out << lagReportTable(report);
        const auto unreachable = std::find_if(report.errors.begin(), report.errors.end(),
                                              [](const std::string &e) { return e.rfind("cluster metadata", 0) == 0; });
        if (unreachable != report.errors.end()) {
            err << "kafka-collab-lab groups: the cluster did not answer (" << QString::fromStdString(*unreachable) << ")\n";
            return 3;
        }
        return 0;
    } catch (const std::exception &ex) {
        err << "kafka-collab-lab groups: " << ex.what() << "\n";
        return 3;
    }
}

} // namespace kcl
