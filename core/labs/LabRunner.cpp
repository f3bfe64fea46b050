#include "labs/LabRunner.h"

#include "cli/HeadlessRun.h"
#include "pipeline/NotificationService.h"
#include "pipeline/Pipeline.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QRegularExpression>
#include <QFile>
#include <QThread>
#include <chrono>

namespace kcl {

QString LabRunner::unmetNeeds(const Lab &lab, const ClusterProfile &cluster)
{
    const bool embedded = cluster.kind == ClusterProfile::Kind::Embedded;
    if (lab.needs.contains(QStringLiteral("real")) && embedded)
        return QStringLiteral("this lab needs a real Kafka cluster: start the local lab stack ('kafka-collab-lab stack up') and "
                              "run it with --cluster local");
    if (lab.needs.contains(QStringLiteral("brokers3")) && embedded && cluster.embeddedBrokers < 3)
        return QStringLiteral("this lab needs 3 brokers");
    if (lab.writeMode != WriteMode::Direct && !lab.needs.contains(QStringLiteral("sql")))
        return QStringLiteral("this lab's write_mode needs PostgreSQL: add 'sql' to its needs");
    if (lab.needs.contains(QStringLiteral("embedded")) && !embedded && !lab.needs.contains(QStringLiteral("real")))
        return QStringLiteral("this lab uses fault injection of the embedded cluster: run it with --cluster embedded");
    return {};
}

PipelineOptions LabRunner::pipelineOptions(const Lab &lab, const ClusterProfile &cluster, PipelineOptions o)
{
    o.cluster = cluster;
    o.workloadRate = lab.rate;
    o.notificationMembers = lab.members;
    o.mentionProbability = lab.mentionProbability;
    o.writeMode = lab.writeMode; // PostgreSQL: the cluster's, else the lab stack's (a lab that cannot reach it fails at start, saying so)
    o.startWorkload = lab.workloadAtStart;
    if (lab.needs.contains(QStringLiteral("search")) && o.cluster.searchUrl.empty())
        o.cluster.searchUrl = ClusterProfile::local().searchUrl; // the lab stack's node serves the embedded cluster too
    if (lab.ownSqlSchema) {
        // Letters, digits and '_' only: the name is spliced into SQL.
        o.sqlSchema = QStringLiteral("lab_%1_%2").arg(lab.id).arg(QDateTime::currentMSecsSinceEpoch())
                          .replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9_]")), QStringLiteral("_")).toStdString();
        o.dropSqlSchemaAtStop = true;
    } else {
        o.sqlSchema = PipelineOptions{}.sqlSchema;
        o.dropSqlSchemaAtStop = false;
    }
    return o;
}

LabResult LabRunner::run(const Lab &lab, const ClusterProfile &cluster, QTextStream &progress, const QString &language)
{
    LabResult r;
    r.labId = lab.id;
    if (const QString unmet = unmetNeeds(lab, cluster); !unmet.isEmpty()) {
        r.error = unmet;
        return r;
    }
    Pipeline pipeline(pipelineOptions(lab, cluster));
    try {
        pipeline.start();
    } catch (const std::exception &ex) {
        r.error = QString::fromUtf8(ex.what());
        return r;
    }
    if (lab.needs.contains(QStringLiteral("brokers3")) && cluster.kind != ClusterProfile::Kind::Embedded) {
        const auto first = pipeline.buildSnapshot();
        if (first->brokers.size() < 3) {
            pipeline.stop();
            r.error = QStringLiteral("this lab needs 3 brokers and %1 has %2: start the local lab stack with "
                                     "'kafka-collab-lab stack up --brokers 3'").arg(cluster.describe()).arg(first->brokers.size());
            return r;
        }
    }
    progress << lab.title.in(language) << "\n" << lab.explain.in(language) << "\n";

    LabSession session(lab, [&pipeline](const LabStep &st) { return LabSession::performOn(pipeline, st); });
    using Clock = std::chrono::steady_clock;
    const auto t0 = Clock::now();
    double lastPrint = -1;
    SnapshotPtr snap;
    ErrorFeed errors;
    while (!session.over()) {
        const double t = std::chrono::duration<double>(Clock::now() - t0).count();
        const bool wasRunning = session.phase() == LabProgress::Phase::Running;
        for (const QString &line : session.performDue(t))
            progress << "step: " << line << "\n";
        if (wasRunning && session.phase() == LabProgress::Phase::Draining)
            progress << "draining...\n";
        auto built = pipeline.buildSnapshot();
        for (const QString &line : session.observe(t, *built))
            progress << "step: " << line << "\n";
        snap = std::move(built);
        for (const QString &line : newErrorLines(errors, *snap))
            progress << line << "\n";
        if (session.phase() == LabProgress::Phase::Running && t - lastPrint >= 1) {
            lastPrint = t;
            progress << headlessLine(*snap);
            if (snap->lag)
                for (const auto &g : snap->lag->groups)
                    progress << QStringLiteral(" | lag %1=%2 %3").arg(QString::fromStdString(g.groupId)).arg(g.totalLag).arg(QLatin1String(groupStatusName(g.status)));
            progress << "\n";
            progress.flush();
        }
        if (!session.over())
            QThread::msleep(250);
    }
    pipeline.stop();
    return session.result(snap);
}

QString LabRunner::markdownReport(const Lab &lab, const LabResult &r, const QString &language,
                                  const std::vector<std::pair<QString, QString>> &images)
{
    QString s;
    QTextStream t(&s);
    t << "# " << lab.title.in(language) << "\n\n" << lab.explain.in(language) << "\n\n";
    if (!r.ran) {
        t << "**Not run:** " << r.error << "\n";
        return s;
    }
    t << "**Result: " << (r.passed ? "PASSED" : "FAILED") << "**";
    if (!r.error.isEmpty())
        t << " (" << r.error << ")";
    t << "\n\n## Checks\n\n| | check | detail | what to see |\n| --- | --- | --- | --- |\n";
    for (const auto &c : r.checks)
        t << "| " << (c.passed ? "✅" : "❌") << " | `" << c.check.metric << " " << c.check.op << " " << c.check.value << "` (" << c.check.when
          << ") | " << c.detail << " | " << c.check.explain.in(language) << " |\n";
    t << "\n## Steps\n\n";
    for (const auto &l : r.stepLog)
        t << "- " << l << "\n";
    if (r.last)
        t << "\n## Figures at the end\n\n```\n" << headlessLine(*r.last) << "\n```\n";
    if (!images.empty()) {
        t << "\n## Pages\n";
        for (const auto &[caption, file] : images)
            t << "\n### " << caption << "\n\n![" << caption << "](" << file << ")\n";
    }
    return s;
}

int runLabCommand(const QStringList &args, QTextStream &out, QTextStream &err)
{
    QCommandLineParser p;
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help."));
    const QCommandLineOption list(QStringLiteral("list"), QStringLiteral("List the labs."));
    const QCommandLineOption cluster(QStringLiteral("cluster"), QStringLiteral("embedded (default), local, guide or HOST:PORT."), QStringLiteral("X"), QStringLiteral("embedded"));
    const QCommandLineOption report(QStringLiteral("report"), QStringLiteral("Write a Markdown report to FILE."), QStringLiteral("FILE"));
    const QCommandLineOption language(QStringLiteral("language"), QStringLiteral("ko or en (default en)."), QStringLiteral("LANG"), QStringLiteral("en"));
    for (const auto &o : {help, list, cluster, report, language})
        p.addOption(o);
    p.addOptions(clusterSecurityOptions());
    if (!p.parse(QStringList{QStringLiteral("lab")} + args)) {
        err << "kafka-collab-lab lab: " << p.errorText() << "\n";
        return 2;
    }
    if (p.isSet(help)) {
        out << "Usage: kafka-collab-lab lab --list | lab ID [--cluster X] [--report FILE] [--language ko|en]\n" << p.helpText();
        return 0;
    }
    std::vector<LabError> errors;
    const auto labs = loadLabDirectory(defaultLabDirectory(), &errors);
    for (const auto &e : errors)
        err << "bad lab file: " << e.toString() << "\n";
    if (p.isSet(list)) {
        for (const auto &l : labs)
            out << QStringLiteral("%1  %2  [%3]\n").arg(l.id, -28).arg(l.title.in(p.value(language)), l.needs.join(QLatin1Char(',')));
        return errors.empty() ? 0 : 1;
    }
    if (p.positionalArguments().size() != 1) {
        err << "kafka-collab-lab lab: name one lab (see 'kafka-collab-lab lab --list')\n";
        return 2;
    }
    const QString id = p.positionalArguments().first();
    const auto it = std::find_if(labs.begin(), labs.end(), [&](const Lab &l) { return l.id == id; });
    if (it == labs.end()) {
        err << "kafka-collab-lab lab: no lab '" << id << "' (see 'kafka-collab-lab lab --list')\n";
        return 2;
    }
    QString clusterError;
    auto profile = ClusterProfile::fromCliArgument(p.value(cluster), &clusterError);
    if (!profile) {
        err << "kafka-collab-lab lab: --cluster: " << clusterError << "\n";
        return 2;
    }
    if (!applyClusterSecurityOptions(p, *profile, &clusterError)) {
        err << "kafka-collab-lab lab: " << clusterError << "\n";
        return 2;
    }
    if (const QString w = profile->securityWarning(); !w.isEmpty())
        err << "kafka-collab-lab lab: " << w << "\n";
    const LabResult r = LabRunner::run(*it, *profile, out, p.value(language));
    if (!r.ran) {
        err << "kafka-collab-lab lab " << id << ": cannot run: " << r.error << "\n";
        return 3;
    }
    out << "\n" << (r.passed ? "PASSED" : "FAILED") << ": " << it->title.in(p.value(language)) << "\n";
    for (const auto &c : r.checks)
        out << (c.passed ? "  [pass] " : "  [FAIL] ") << c.check.metric << " " << c.check.op << " " << c.check.value << " (" << c.check.when
            << "): " << c.detail << "\n         " << c.check.explain.in(p.value(language)) << "\n";
    if (p.isSet(report)) {
        QFile f(p.value(report));
        if (f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            f.write(LabRunner::markdownReport(*it, r, p.value(language)).toUtf8());
        else
            err << "cannot write " << p.value(report) << ": " << f.errorString() << "\n";
    }
    return r.passed ? 0 : 1;
}

} // namespace kcl
