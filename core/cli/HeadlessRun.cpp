#include "cli/HeadlessRun.h"

#include "cli/WriteSideReport.h"
#include "cli/ServicesReport.h"
#include "pipeline/NotificationService.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QTimer>

namespace kcl {
namespace {

// The search node as the indexer last saw it: up, DOWN (no answer), REFUSING (answers, takes no writes), ? (not yet).
QString searchNodeWord(int state)
{
    switch (state) {
    case kSearchNodeUp: return QStringLiteral("up");
    case kSearchNodeDown: return QStringLiteral("DOWN");
    case kSearchNodeRefusing: return QStringLiteral("REFUSING");
    default: return QStringLiteral("?");
    }
}

QString partitionsText(const MemberInfo &m)
{
    QStringList parts;
    for (const auto &tp : m.assignment)
        parts << QString::number(tp.partition);
    return parts.isEmpty() ? QStringLiteral("-") : parts.join(QLatin1Char(','));
}

// An empty window (no notification in the last seconds, e.g. when consumers are far behind) has no percentiles:
// it says so, in the line and in the report (null), rather than showing 0 ms, which reads as "instant".
nlohmann::json latencyJson(const LatencySummary &l)
{
    if (l.count == 0)
        return {{"count", 0}, {"p50_ms", nullptr}, {"p90_ms", nullptr}, {"p99_ms", nullptr}, {"max_ms", nullptr}};
    return {{"count", l.count}, {"p50_ms", l.p50}, {"p90_ms", l.p90}, {"p99_ms", l.p99}, {"max_ms", l.max}};
}

QString latencyText(const LatencySummary &l, const QString &separator)
{
    if (l.count == 0)
        return QStringLiteral("latency: no samples");
    return QStringLiteral("latency p50%1%2 ms, p99%1%3 ms").arg(separator).arg(l.p50, 0, 'f', 0).arg(l.p99, 0, 'f', 0);
}

} // namespace

QString headlessLine(const Snapshot &s)
{
    QString line = QStringLiteral("t=%1s produced/s=%2").arg(s.uptimeSec, 0, 'f', 0).arg(s.producedPerSec, 0, 'f', 0);
    for (const auto &g : s.groups) {
        QStringList members;
        for (const auto &m : g.members)
            members << QStringLiteral("%1[%2]").arg(QString::fromStdString(m.clientId), partitionsText(m));
        line += QStringLiteral(" | %1 consumed/s=%2 members=%3 %4 rebalances=%5")
                    .arg(QString::fromStdString(g.groupId))
                    .arg(g.consumedPerSec, 0, 'f', 0)
                    .arg(g.members.size())
                    .arg(members.join(QLatin1Char(' ')))
                    .arg(g.rebalances);
    }
    line += QStringLiteral(" | notifications=%1/%2 mentions | %3")
                .arg(s.notificationsDistinct)
                .arg(s.mentionsProduced)
                .arg(latencyText(s.notificationLatency, QStringLiteral("=")));
    if (s.notificationDuplicates)
        line += QStringLiteral(" | repeated after a rebalance=%1").arg(s.notificationDuplicates);
    if (s.deliveryFailures)
        line += QStringLiteral(" | delivery failures=%1").arg(s.deliveryFailures);
    line += writeSideLine(s.writeSide);
    if (s.search.running)
        line += QStringLiteral(" | search indexed=%1 deleted=%2 conflicts=%3 node=%4")
                    .arg(s.search.indexed)
                    .arg(s.search.deleted)
                    .arg(s.search.versionConflicts)
                    .arg(searchNodeWord(s.search.nodeUp));
    if (s.readLoad.running) {
        const ReadLoadStats &r = s.readLoad;
        line += QStringLiteral(" | reads=%1 p50=%2ms p99=%3ms errors=%4").arg(r.searches).arg(r.searchLatency.p50, 0, 'f', 1)
                    .arg(r.searchLatency.p99, 0, 'f', 1).arg(r.searchErrors);
        if (r.probesPosted > 0)
            line += QStringLiteral(" | searchable %1/%2 p50=%3ms p99=%4ms").arg(r.probesFound).arg(r.probesPosted)
                        .arg(r.searchableDelay.p50, 0, 'f', 0).arg(r.searchableDelay.p99, 0, 'f', 0);
    }
    return line;
}

nlohmann::json reportJson(const Snapshot &s, const HeadlessOptions &options, bool drained)
{
    nlohmann::json j;
    j["cluster"] = s.clusterDescription;
    j["duration_s"] = options.durationSec;
    j["workload_rate"] = options.pipeline.workloadRate;
    j["seed"] = options.pipeline.seed;
    j["produced_total"] = s.producedTotal;
    j["delivery_failures"] = s.deliveryFailures;
    j["dead_lettered"] = s.deadLettered;
    j["order_violations"] = s.orderViolations;
    j["mentions_produced"] = s.mentionsProduced;
    j["notifications_total"] = s.notificationsTotal;
    j["notifications_distinct"] = s.notificationsDistinct;
    j["duplicate_notifications"] = s.notificationDuplicates;
    j["all_mentions_notified"] = drained;
    j["notification_latency"] = latencyJson(s.notificationLatency);
    j["produce_ack_latency"] = latencyJson(s.produceAckLatency);
    auto &topics = j["topics"] = nlohmann::json::array();
    for (const auto &t : s.topics)
        topics.push_back({{"topic", t.topic}, {"partitions", t.partitions}, {"produced", t.totalIn}, {"consumed", t.totalOut}});
    auto &groups = j["groups"] = nlohmann::json::array();
    for (const auto &g : s.groups) {
        nlohmann::json members = nlohmann::json::array();
        for (const auto &m : g.members) {
            nlohmann::json parts = nlohmann::json::array();
            for (const auto &tp : m.assignment)
                parts.push_back(tp.topic + "-" + std::to_string(tp.partition));
            members.push_back({{"client_id", m.clientId}, {"consumed", m.consumed}, {"assignment", parts}});
        }
        groups.push_back({{"group", g.groupId}, {"members", members}, {"rebalances", g.rebalances},
                          {"consumed", g.consumedTotal}, {"parse_errors", g.parseErrors},
                          {"periodic_commits", g.periodicCommits}, {"commit_fallbacks", g.commitFallbacks}});
    }
    if (s.writeSide.mode != "direct")
        j["write_side"] = writeSideJson(s.writeSide);
    if (s.search.running) {
        const auto &x = s.search;
        j["search"] = {{"url", x.url}, {"index", x.index}, {"indexed", x.indexed}, {"deleted", x.deleted},
                       {"version_conflicts", x.versionConflicts}, {"bulk_requests", x.bulkRequests},
                       {"bulk_failures", x.bulkFailures}, {"retries", x.retries}, {"dead_lettered", x.deadLettered},
                       {"buffered", x.buffered}, {"node_up", x.nodeUp == kSearchNodeUp},
                       {"node_state", x.nodeUp == kSearchNodeUnknown ? std::string("unknown") : searchNodeWord(x.nodeUp).toLower().toStdString()}, {"last_error", x.lastError},
                       {"bulk_latency", {{"count", x.bulkLatencySamples}, {"p50_ms", x.bulkP50Ms}, {"p99_ms", x.bulkP99Ms},
                                         {"max_ms", x.bulkMaxMs}}}};
    }
    j["services"] = serviceStatsJson(s.services);
    auto &errors = j["recent_errors"] = nlohmann::json::array();
    for (const auto &e : s.recentErrors)
        errors.push_back({{"at_ms", e.atMs}, {"source", e.source}, {"error", e.errorName}, {"message", e.message}});
    return j;
}

QStringList newErrorLines(ErrorFeed &feed, const Snapshot &s)
{
    const ErrorFeed::News news = feed.take(s);
    QStringList lines;
    if (news.missed > 0)
        lines << QStringLiteral("(%1 more errors in between, not kept)").arg(news.missed);
    for (const ErrorRecord &e : news.errors) {
        const QString source = QString::fromStdString(e.source), message = QString::fromStdString(e.message);
        if (e.errorName == "_RECOVERED") // recorded with the errors, so the recovery follows the error it ends
            lines << QStringLiteral("recovered [%1]: %2").arg(source, message);
        else if (const QString name = QString::fromStdString(e.errorName); message.startsWith(name + QStringLiteral(": ")))
            lines << QStringLiteral("error [%1] %2").arg(source, message); // librdkafka's sentences start with the name
        else
            lines << QStringLiteral("error [%1] %2: %3").arg(source, name, message);
    }
    return lines;
}

int runHeadless(const HeadlessOptions &options, QTextStream &out, QTextStream &err)
{
    if (const QString w = options.pipeline.cluster.securityWarning(); !w.isEmpty())
        err << w << Qt::endl;
    PipelineEngine engine(options.pipeline);
    bool failed = false;
    QObject::connect(&engine, &PipelineEngine::errorOccurred, &engine,
                     [&](const QString &source, const QString &name, const QString &message) {
                         err << "error [" << source << "] " << name << ": " << message << Qt::endl;
                         if (source == QStringLiteral("cluster"))
                             failed = true;
                     });
    QObject::connect(&engine, &PipelineEngine::started, &engine,
                     [&](const QString &description) { out << "cluster: " << description << Qt::endl; });
    out << "Kafka Collab Lab: headless run for " << options.durationSec << " s at " << options.pipeline.workloadRate
        << " events/s" << Qt::endl;
    engine.start();
    if (failed)
        return 3;

    QEventLoop loop;
    QElapsedTimer clock;
    clock.start();
    QTimer printer;
    bool draining = false;
    ErrorFeed errors;
    QObject::connect(&printer, &QTimer::timeout, &loop, [&] {
        if (auto s = engine.latestSnapshot()) {
            out << headlessLine(*s) << Qt::endl;
            for (const QString &line : newErrorLines(errors, *s))
                err << line << Qt::endl;
        }
        if (!draining && clock.elapsed() >= static_cast<qint64>(options.durationSec * 1000))
            loop.quit();
    });
    printer.start(1000);
    loop.exec();

    // Drain: stop producing, wait until every acknowledged mention has been notified (or the timeout).
    engine.setWorkloadRunning(false);
    draining = true; // from here on only the drain poller ends the loop
    out << "draining..." << Qt::endl;
    bool drained = false;
    QElapsedTimer drainClock;
    drainClock.start();
    QTimer poller;
    QObject::connect(&poller, &QTimer::timeout, &loop, [&] {
        auto s = engine.latestSnapshot();
        const bool quiet = s && s->producedPerSec == 0;
        if (quiet && s->notificationsDistinct >= s->mentionsProduced) {
            drained = true;
            loop.quit();
        } else if (drainClock.elapsed() > static_cast<qint64>(options.drainTimeoutSec * 1000)) {
            loop.quit();
        }
    });
    poller.start(250);
    loop.exec();
    poller.stop();
    printer.stop();

    SnapshotPtr last = engine.latestSnapshot();
    engine.stop();
    if (!last) {
        err << "no figures were collected" << Qt::endl;
        return 1;
    }
    for (const QString &line : newErrorLines(errors, *last))
        err << line << Qt::endl;
    const nlohmann::json report = reportJson(*last, options, drained);
    out << "report: produced " << last->producedTotal << " events, " << last->mentionsProduced << " mentions, "
        << last->notificationsDistinct << " notifications (" << last->notificationDuplicates
        << " repeated after a rebalance), " << latencyText(last->notificationLatency, QStringLiteral(" "))
        << "; every mention notified: " << (drained ? "yes" : "NO") << Qt::endl;
    if (!options.reportPath.isEmpty()) {
        QFile f(options.reportPath);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            err << "cannot write the report to " << options.reportPath << ": " << f.errorString() << Qt::endl;
            return 1;
        }
        f.write(QByteArray::fromStdString(report.dump(2)));
        out << "report written to " << options.reportPath << Qt::endl;
    }
    return drained && !failed ? 0 : 1;
}

} // namespace kcl
