#include "cli/WatchCommand.h"

#include "cli/GroupsCommand.h"
#include "cli/LagCommand.h"

#include <QDateTime>
#include <atomic>
#include <chrono>
#include <csignal>
#include <set>
#include <thread>

namespace kcl {
namespace {

std::atomic<bool> g_stopRequested{false};
static_assert(std::atomic<bool>::is_always_lock_free, "the signal handler needs a lock-free flag");

extern "C" void requestStop(int) { g_stopRequested.store(true); }

// SIGINT and SIGTERM end the watch loop for the lifetime of this object. SA_RESETHAND: the first signal asks the
// loop to stop; a second one (the user insisting while a cycle waits on the cluster) ends the process as usual.
class StopOnSignals {
public:
    StopOnSignals()
    {
        g_stopRequested.store(false);
        struct sigaction sa {};
        sa.sa_handler = requestStop;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = SA_RESETHAND;
        sigaction(SIGINT, &sa, &m_oldInt);
        sigaction(SIGTERM, &sa, &m_oldTerm);
    }
    ~StopOnSignals()
    {
        sigaction(SIGINT, &m_oldInt, nullptr);
        sigaction(SIGTERM, &m_oldTerm, nullptr);
    }
    StopOnSignals(const StopOnSignals &) = delete;
    StopOnSignals &operator=(const StopOnSignals &) = delete;
    bool stopRequested() const { return g_stopRequested.load(); }

private:
    struct sigaction m_oldInt {}, m_oldTerm {};
};

QString clockText(std::int64_t atMs)
{
    return QDateTime::fromMSecsSinceEpoch(atMs).toString(QStringLiteral("HH:mm:ss"));
}

} // namespace

QString watchTextLine(const GroupLagReport &g, std::int64_t atMs)
{
    const QString timeLag = g.maxTimeLagKnown ? QStringLiteral("~%1%2s").arg(g.maxTimeLagLowerBound ? QStringLiteral(">") : QString())
                                                    .arg(g.maxTimeLagSec, 0, 'f', 1)
                                              : QStringLiteral("-");
    return QStringLiteral("%1  %2  state=%3  members=%4  total lag=%5  max time lag=%6  rebalances last minute=%7  status=%8  %9")
        .arg(clockText(atMs), QString::fromStdString(g.groupId), QString::fromStdString(g.state))
        .arg(g.members.size())
        .arg(g.totalLag)
        .arg(timeLag)
        .arg(g.rebalancesLastMinute)
        .arg(QString::fromLatin1(groupStatusName(g.status)), QString::fromStdString(g.statusReason));
}

nlohmann::json watchJsonLine(const GroupLagReport &g, std::int64_t atMs, int cycle)
{
    nlohmann::json j = groupLagJson(g, false);
    j["at_ms"] = atMs;
    j["cycle"] = cycle;
    j["member_count"] = g.members.size();
    return j;
}

int runWatchCommand(const QStringList &args, QTextStream &out, QTextStream &err)
{
    const QCommandLineOption interval(QStringLiteral("interval-ms"), QStringLiteral("Time between the starts of two cycles, 100 to 60000 ms (default 1000)."),
                                      QStringLiteral("MS"), QStringLiteral("1000"));
    const LagCommandSpec spec{QStringLiteral("watch"),
                              QStringLiteral("A live line per cycle per consumer group: state, members, total lag, max time lag (an estimate, "
                                             "marked ~), rebalances, status and its reason. Stops on Ctrl+C (SIGINT) or SIGTERM."),
                              QStringLiteral("Stop after N cycles (default: run until Ctrl+C or SIGTERM)."),
                              1'000'000,
                              {interval}};
    QCommandLineParser p;
    LagCommandOptions o;
    if (const auto status = parseLagCommand(spec, args, p, o, out, err))
        return *status;
    bool ok = false;
    const int intervalMs = p.value(interval).toInt(&ok);
    if (!ok || intervalMs < 100 || intervalMs > 60000)
        return lagCommandUsageError(spec, QStringLiteral("--interval-ms must be a whole number of milliseconds from 100 to 60000, not '%1'")
                                              .arg(p.value(interval)), err);

    const StopOnSignals stopSignals; // from here: a signal while the pipeline starts also ends the watch
    try {
        LagSession session(o);
        if (o.embedded())
            err << "embedded cluster: running the default pipeline to have groups to watch\n";
        if (!o.json)
            err << "max time lag is an estimate (interpolated offset/time history); Ctrl+C stops\n";
        err.flush();
        bool answered = false;
        std::set<std::string> lastErrors;
        auto next = std::chrono::steady_clock::now();
        for (int cycle = 1; !o.cycles || cycle <= *o.cycles; ++cycle) {
            while (!stopSignals.stopRequested() && std::chrono::steady_clock::now() < next)
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            if (stopSignals.stopRequested())
                break;
            next += std::chrono::milliseconds(intervalMs);
            const LagReport report = session.cycle();
            answered = answered || !clusterUnreachable(report);
            for (const auto &g : report.groups) {
                if (o.json)
                    out << QString::fromStdString(watchJsonLine(g, report.atMs, cycle).dump()) << "\n";
                else
                    out << watchTextLine(g, report.atMs) << "\n";
            }
            if (report.groups.empty() && !o.json)
                out << clockText(report.atMs) << "  no consumer groups\n";
            out.flush();
            // Problems once when they appear, not every second.
            const std::set<std::string> errors(report.errors.begin(), report.errors.end());
            for (const auto &e : errors)
                if (!lastErrors.count(e))
                    err << "warning: " << QString::fromStdString(e) << "\n";
            err.flush();
            lastErrors = errors;
            const auto now = std::chrono::steady_clock::now();
            if (next < now)
                next = now; // a cycle longer than the interval: start the next one at once, do not catch up
        }
        if (!answered && !stopSignals.stopRequested()) {
            err << "kafka-collab-lab watch: the cluster did not answer\n";
            return 3;
        }
        return 0;
    } catch (const std::exception &ex) {
        err << "kafka-collab-lab watch: " << ex.what() << "\n";
        return 3;
    }
}

} // namespace kcl
