#include "labs/LabRunner.h"

#include "cli/HeadlessRun.h"
#include "pipeline/NotificationService.h"
#include "pipeline/Pipeline.h"

#include <QCommandLineParser>
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
    if (lab.needs.contains(QStringLiteral("search")))
        return QStringLiteral("this lab needs the search indexer, which this version of the app does not run yet");
    if (lab.writeMode != WriteMode::Direct && !lab.needs.contains(QStringLiteral("sql")))
        return QStringLiteral("this lab's write_mode needs PostgreSQL: add 'sql' to its needs");
    if (lab.needs.contains(QStringLiteral("embedded")) && !embedded && !lab.needs.contains(QStringLiteral("real")))
        return QStringLiteral("this lab uses fault injection of the embedded cluster: run it with --cluster embedded");
    return {};
}

namespace {

QString stepText(const LabStep &st)
{
    QString s = st.action;
    for (const auto &[k, v] : st.params)
        s += QStringLiteral(" %1=%2").arg(k, v);
    return s;
}

QString perform(Pipeline &p, const LabStep &st)
{
    const auto param = [&](const char *k) { auto it = st.params.find(QLatin1String(k)); return it == st.params.end() ? QString() : it->second; };
    KafkaError e;
    if (st.action == QStringLiteral("set-rate"))
        p.setWorkloadRate(param("rate").toDouble());
    else if (st.action == QStringLiteral("start-workload"))
        p.setWorkloadRunning(true);
    else if (st.action == QStringLiteral("stop-workload"))
        p.setWorkloadRunning(false);
    else if (st.action == QStringLiteral("set-members"))
        e = p.setGroupMembers(param("group").toStdString(), param("members").toInt());
    else if (st.action == QStringLiteral("slow-consumer")) {
        if (auto *svc = p.service(param("group").toStdString()))
            svc->setProcessingDelayMs(param("delay_ms").toInt());
        else
            return QStringLiteral("group %1 is not running").arg(param("group"));
    } else if (st.action == QStringLiteral("broker-down"))
        e = p.setBrokerUp(param("broker").toInt(), false);
    else if (st.action == QStringLiteral("broker-up"))
        e = p.setBrokerUp(param("broker").toInt(), true);
    else if (st.action == QStringLiteral("reset-offsets"))
        e = p.resetGroupOffsets(param("group").toStdString(), param("to").toStdString());
    else if (st.action == QStringLiteral("set-keyed"))
        p.setWorkloadKeyed(param("keyed") != QStringLiteral("false"));
    else if (st.action == QStringLiteral("set-mention-probability") && p.workload())
        p.workload()->setMentionProbability(param("p").toDouble());
    return e ? QString::fromStdString(e.sentence()) : QString();
}

QString valueText(const std::optional<double> &v)
{
    return v ? QString::number(*v, 'g', 6) : QStringLiteral("(no value)");
}

} // namespace

LabResult LabRunner::run(const Lab &lab, const ClusterProfile &cluster, QTextStream &progress, const QString &language)
{
    LabResult r;
    r.labId = lab.id;
    if (const QString unmet = unmetNeeds(lab, cluster); !unmet.isEmpty()) {
        r.error = unmet;
        return r;
    }
    PipelineOptions o;
    o.cluster = cluster;
    o.workloadRate = lab.rate;
    o.notificationMembers = lab.members;
    o.mentionProbability = lab.mentionProbability;
    o.writeMode = lab.writeMode; // PostgreSQL: the lab stack's (a lab that cannot reach it fails at start, saying so)
    Pipeline pipeline(o);
    try {
        pipeline.start();
    } catch (const std::exception &ex) {
        r.error = QString::fromUtf8(ex.what());
        return r;
    }
    r.ran = true;
    progress << lab.title.in(language) << "\n" << lab.explain.in(language) << "\n";

    for (const auto &c : lab.checks) {
        CheckResult cr;
        cr.check = c;
        cr.passed = c.when == QStringLiteral("always"); // "always" holds until a sample breaks it
        r.checks.push_back(cr);
    }
    std::vector<bool> done(lab.steps.size(), false);
    using Clock = std::chrono::steady_clock;
    const auto t0 = Clock::now();
    double lastPrint = -1;
    auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - t0).count(); };
    SnapshotPtr snap;
    while (elapsed() < lab.durationSec) {
        const double t = elapsed();
        for (std::size_t i = 0; i < lab.steps.size(); ++i) {
            if (done[i] || lab.steps[i].atSec > t)
                continue;
            done[i] = true;
            const QString err = perform(pipeline, lab.steps[i]);
            const QString line = QStringLiteral("t=%1s %2%3").arg(t, 0, 'f', 1).arg(stepText(lab.steps[i]),
                                                                                    err.isEmpty() ? QString() : QStringLiteral(" FAILED: ") + err);
            r.stepLog.push_back(line);
            progress << "step: " << line << "\n";
        }
        snap = pipeline.buildSnapshot();
        for (auto &cr : r.checks) {
            if (cr.check.when == QStringLiteral("end") || t < cr.check.fromSec ||
                (cr.check.untilSec >= 0 && t > cr.check.untilSec))
                continue;
            const auto v = labMetric(*snap, cr.check.metric);
            if (cr.check.when == QStringLiteral("ever") && !cr.passed && v && compareLab(*v, cr.check.op, cr.check.value)) {
                cr.passed = true;
                cr.value = v;
                cr.detail = QStringLiteral("held at t=%1s (value %2)").arg(t, 0, 'f', 1).arg(valueText(v));
            } else if (cr.check.when == QStringLiteral("always") && cr.passed && (!v || !compareLab(*v, cr.check.op, cr.check.value))) {
                cr.passed = false;
                cr.value = v;
                cr.detail = QStringLiteral("broken at t=%1s (value %2)").arg(t, 0, 'f', 1).arg(valueText(v));
            }
        }
        if (t - lastPrint >= 1) {
            lastPrint = t;
            progress << headlessLine(*snap);
            if (snap->lag)
                for (const auto &g : snap->lag->groups)
                    progress << QStringLiteral(" | lag %1=%2 %3").arg(QString::fromStdString(g.groupId)).arg(g.totalLag).arg(QLatin1String(groupStatusName(g.status)));
            progress << "\n";
            progress.flush();
        }
        QThread::msleep(250);
    }
    // End checks see the state after the run: the workload stops, in-flight events are handled (up to 15 s),
    // and the lag monitor completes a cycle on that state.
    pipeline.setWorkloadRunning(false);
    progress << "draining...\n";
    for (int i = 0; i < 60; ++i) {
        QThread::msleep(250);
        snap = pipeline.buildSnapshot();
        if (snap->producedPerSec == 0 && snap->notificationsDistinct >= snap->mentionsProduced)
            break;
    }
    QThread::msleep(1200);
    snap = pipeline.buildSnapshot();
    for (auto &cr : r.checks) {
        if (cr.check.when == QStringLiteral("end")) {
            cr.value = labMetric(*snap, cr.check.metric);
            cr.passed = cr.value && compareLab(*cr.value, cr.check.op, cr.check.value);
            cr.detail = QStringLiteral("value at the end: %1").arg(valueText(cr.value));
        } else if (cr.check.when == QStringLiteral("ever") && !cr.passed) {
            cr.detail = QStringLiteral("never held during the run");
        } else if (cr.check.when == QStringLiteral("always") && cr.passed) {
            cr.detail = QStringLiteral("held on every sample");
        }
    }
    pipeline.stop();
    r.last = snap;
    r.passed = std::all_of(r.checks.begin(), r.checks.end(), [](const CheckResult &c) { return c.passed; });
    return r;
}

QString LabRunner::markdownReport(const Lab &lab, const LabResult &r, const QString &language)
{
    QString s;
    QTextStream t(&s);
    t << "# " << lab.title.in(language) << "\n\n" << lab.explain.in(language) << "\n\n";
    if (!r.ran) {
        t << "**Not run:** " << r.error << "\n";
        return s;
    }
    t << "**Result: " << (r.passed ? "PASSED" : "FAILED") << "**\n\n## Checks\n\n| | check | detail | what to see |\n| --- | --- | --- | --- |\n";
    for (const auto &c : r.checks)
        t << "| " << (c.passed ? "✅" : "❌") << " | `" << c.check.metric << " " << c.check.op << " " << c.check.value << "` (" << c.check.when
          << ") | " << c.detail << " | " << c.check.explain.in(language) << " |\n";
    t << "\n## Steps\n\n";
    for (const auto &l : r.stepLog)
        t << "- " << l << "\n";
    if (r.last)
        t << "\n## Figures at the end\n\n```\n" << headlessLine(*r.last) << "\n```\n";
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
