#include "cli/LagCommand.h"

#include "metrics/LagMonitor.h"
#include "pipeline/Pipeline.h"

#include <algorithm>

namespace kcl {

int lagCommandUsageError(const LagCommandSpec &spec, const QString &message, QTextStream &err)
{
    err << "kafka-collab-lab " << spec.command << ": " << message << "\n";
    return 2;
}

std::optional<int> parseLagCommand(const LagCommandSpec &spec, const QStringList &args, QCommandLineParser &p,
                                   LagCommandOptions &options, QTextStream &out, QTextStream &err)
{
    p.setApplicationDescription(spec.description);
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help."));
    const QCommandLineOption cluster(QStringLiteral("cluster"), QStringLiteral("embedded, local, guide or HOST:PORT[,HOST:PORT]."), QStringLiteral("X"), QStringLiteral("local"));
    const QCommandLineOption group(QStringLiteral("group"), QStringLiteral("Only this group."), QStringLiteral("G"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON."));
    const QCommandLineOption cycles(QStringLiteral("cycles"), spec.cyclesHelp, QStringLiteral("N"));
    for (const auto &o : {help, cluster, group, json, cycles})
        p.addOption(o);
    for (const auto &o : spec.extraOptions)
        p.addOption(o);
    p.addOptions(clusterSecurityOptions());
    if (!p.parse(QStringList{spec.command} + args))
        return lagCommandUsageError(spec, p.errorText(), err);
    if (p.isSet(help)) {
        // The parser's own first line names the executable's path; the user types "kafka-collab-lab <command>".
        const QString text = p.helpText();
        out << "Usage: kafka-collab-lab " << spec.command << " [options]" << text.mid(text.indexOf(QLatin1Char('\n')));
        return 0;
    }
    if (!p.positionalArguments().isEmpty())
        return lagCommandUsageError(spec, QStringLiteral("unexpected argument '%1'").arg(p.positionalArguments().first()), err);
    QString clusterError;
    auto profile = ClusterProfile::fromCliArgument(p.value(cluster), &clusterError);
    if (!profile)
        return lagCommandUsageError(spec, QStringLiteral("--cluster: ") + clusterError, err);
    if (!applyClusterSecurityOptions(p, *profile, &clusterError))
        return lagCommandUsageError(spec, clusterError, err);
    if (const QString w = profile->securityWarning(); !w.isEmpty())
        err << "kafka-collab-lab " << spec.command << ": " << w << "\n";
    options.profile = *profile;
    if (p.isSet(group)) {
        if (p.value(group).isEmpty())
            return lagCommandUsageError(spec, QStringLiteral("--group needs a group id"), err);
        options.group = p.value(group).toStdString();
    }
    options.json = p.isSet(json);
    if (p.isSet(cycles)) {
        bool ok = false;
        const int n = p.value(cycles).toInt(&ok);
        if (!ok || n < 1 || n > spec.maxCycles)
            return lagCommandUsageError(spec, QStringLiteral("--cycles must be a whole number from 1 to %1, not '%2'")
                                                  .arg(spec.maxCycles).arg(p.value(cycles)), err);
        options.cycles = n;
    }
    return std::nullopt;
}

std::string clusterUnreachableReason(const LagReport &report)
{
    const auto it = std::find_if(report.errors.begin(), report.errors.end(), [](const std::string &e) { return e.rfind("cluster metadata", 0) == 0; });
    return it == report.errors.end() ? std::string() : *it;
}

bool clusterUnreachable(const LagReport &report) { return !clusterUnreachableReason(report).empty(); }

LagSession::LagSession(const LagCommandOptions &options)
{
    LagMonitor::Options lo;
    lo.embedded = options.embedded();
    lo.onlyGroup = options.group;
    if (lo.embedded) {
        PipelineOptions po;
        po.cluster = options.profile;
        po.notificationMembers = 2;
        m_pipeline = std::make_unique<Pipeline>(po);
        m_pipeline->start();
        m_pipeline->lagMonitor()->stopThread(); // the session's thread runs the cycles
        lo.clusterProperties = po.cluster.clientProperties(m_pipeline->bootstrapServers());
    } else {
        lo.clusterProperties = options.profile.clientProperties({});
    }
    m_monitor = std::make_unique<LagMonitor>(lo);
}

LagSession::~LagSession()
{
    m_monitor.reset(); // before the cluster it watches goes away
    m_pipeline.reset();
}

LagReport LagSession::cycle()
{
    if (m_pipeline) {
        auto snap = m_pipeline->buildSnapshot();
        std::vector<LagMonitor::OwnGroup> own;
        for (const auto &g : snap->groups)
            own.push_back({g.groupId, m_pipeline->service(g.groupId)->topics(), g.members});
        m_monitor->setOwnGroups(std::move(own));
    }
    return m_monitor->cycle();
}

} // namespace kcl
