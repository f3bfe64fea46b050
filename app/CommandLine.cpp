#include "CommandLine.h"

#include "cli/WriteSideReport.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QUrl>

namespace kcl::app {
namespace {

bool toNumber(const QString &text, double min, double max, double *out)
{
    bool ok = false;
    const double v = text.toDouble(&ok);
    if (!ok || v < min || v > max)
        return false;
    *out = v;
    return true;
}

} // namespace

CommandLine parseCommandLine(const QStringList &arguments, bool displayAvailable)
{
    CommandLine cl;
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Kafka Collab Lab: build, run and watch the event-streaming architecture of a collaboration platform on Apache Kafka.\n"
        "Without options it opens the window on the embedded cluster; with no display it runs headless.\n"
        "Subcommands: stack up|down|status|logs|tool ... (the local lab stack; see 'kafka-collab-lab stack --help'),\n"
        "lab ID | lab --list (one-click labs), groups (lag per partition), watch (a live line per second per group),\n"
        "search TEXT (the indexed messages), post TEXT (one message through the CQRS write side), compare (CQRS write vs read performance, exercise 3), doctor (what the local lab stack needs). 'kafka-collab-lab SUBCOMMAND --help' shows a subcommand's options."));
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help."));
    const QCommandLineOption version({QStringLiteral("v"), QStringLiteral("version")}, QStringLiteral("Show the version."));
    const QCommandLineOption headless(QStringLiteral("headless"), QStringLiteral("Run without a window: print live figures and a report."));
    const QCommandLineOption duration(QStringLiteral("duration"), QStringLiteral("Headless run time in seconds (default 20)."), QStringLiteral("S"), QStringLiteral("20"));
    const QCommandLineOption rate(QStringLiteral("rate"), QStringLiteral("Workload rate in events per second (default 100)."), QStringLiteral("N"), QStringLiteral("100"));
    const QCommandLineOption members(QStringLiteral("members"), QStringLiteral("Members of the notification-service group (default 2)."), QStringLiteral("N"), QStringLiteral("2"));
    const QCommandLineOption report(QStringLiteral("report"), QStringLiteral("Write the final JSON report to FILE."), QStringLiteral("FILE"));
    const QCommandLineOption cluster(QStringLiteral("cluster"), QStringLiteral("embedded (default), local, guide, or HOST:PORT[,HOST:PORT]."), QStringLiteral("X"), QStringLiteral("embedded"));
    const QCommandLineOption brokers(QStringLiteral("brokers"), QStringLiteral("Brokers of the embedded cluster (default 3)."), QStringLiteral("N"), QStringLiteral("3"));
    const QCommandLineOption partitions(QStringLiteral("partitions"), QStringLiteral("Partitions per topic the app creates (default 6)."), QStringLiteral("N"), QStringLiteral("6"));
    const QCommandLineOption seed(QStringLiteral("seed"), QStringLiteral("Seed of the workload (default 42)."), QStringLiteral("N"), QStringLiteral("42"));
    const QCommandLineOption mentions(QStringLiteral("mention-probability"), QStringLiteral("Chance that a message mentions someone, 0..1 (default 0.3)."), QStringLiteral("P"), QStringLiteral("0.3"));
    const QCommandLineOption searchUrl(QStringLiteral("search-url"), QStringLiteral("Also index the messages into this search node (group search-indexer), e.g. http://127.0.0.1:9200."), QStringLiteral("URL"));
    const QCommandLineOption searchIndex(QStringLiteral("search-index"), QStringLiteral("The index the messages go to with --search-url (default messages)."), QStringLiteral("NAME"), QStringLiteral("messages"));
    const QCommandLineOption language(QStringLiteral("language"), QStringLiteral("Interface language: ko or en (default: the system's)."), QStringLiteral("LANG"));
    const QCommandLineOption services(QStringLiteral("services"), QStringLiteral("Also run these services, comma-separated: analytics, archive, state-rebuilder (default: none)."), QStringLiteral("LIST"));
    const QCommandLineOption archiveDir(QStringLiteral("archive-dir"), QStringLiteral("Where the archive service writes (default: $XDG_DATA_HOME/kafka-collab-lab/archive)."), QStringLiteral("DIR"));
    for (const auto &o : {help, version, headless, duration, rate, members, report, cluster, brokers, partitions, seed, mentions, language, searchUrl, searchIndex, services, archiveDir})
        p.addOption(o);
    p.addOptions(clusterSecurityOptions());
    p.addOptions(writeSideOptions());

    if (!p.parse(arguments)) {
        cl.mode = CommandLine::Mode::Error;
        cl.message = p.errorText() + QStringLiteral("\nTry 'kafka-collab-lab --help'.");
        return cl;
    }
    if (p.isSet(help)) {
        cl.mode = CommandLine::Mode::Help;
        cl.message = p.helpText();
        return cl;
    }
    if (p.isSet(version)) {
        cl.mode = CommandLine::Mode::Version;
        return cl;
    }
    if (!p.positionalArguments().isEmpty()) {
        cl.mode = CommandLine::Mode::Error;
        cl.message = QStringLiteral("unexpected argument '%1'\nTry 'kafka-collab-lab --help'.").arg(p.positionalArguments().first());
        return cl;
    }
    auto fail = [&](const QString &msg) {
        cl.mode = CommandLine::Mode::Error;
        cl.message = msg + QStringLiteral("\nTry 'kafka-collab-lab --help'.");
        return cl;
    };
    auto &po = cl.headless.pipeline;
    double v = 0;
    if (!toNumber(p.value(duration), 1, 7 * 24 * 3600, &v))
        return fail(QStringLiteral("--duration must be a number of seconds from 1 to 604800, not '%1'").arg(p.value(duration)));
    cl.headless.durationSec = v;
    if (!toNumber(p.value(rate), 1, 1e7, &v))
        return fail(QStringLiteral("--rate must be from 1 to 10000000 events per second, not '%1'").arg(p.value(rate)));
    po.workloadRate = v;
    if (!toNumber(p.value(members), 0, 64, &v) || v != static_cast<int>(v))
        return fail(QStringLiteral("--members must be a whole number from 0 to 64, not '%1'").arg(p.value(members)));
    po.notificationMembers = static_cast<int>(v);
    if (!toNumber(p.value(brokers), 1, 9, &v) || v != static_cast<int>(v))
        return fail(QStringLiteral("--brokers must be a whole number from 1 to 9, not '%1'").arg(p.value(brokers)));
    const int brokerCount = static_cast<int>(v);
    if (!toNumber(p.value(partitions), 1, 1000, &v) || v != static_cast<int>(v))
        return fail(QStringLiteral("--partitions must be a whole number from 1 to 1000, not '%1'").arg(p.value(partitions)));
    po.partitions = static_cast<int>(v);
    bool ok = false;
    po.seed = p.value(seed).toULongLong(&ok);
    if (!ok)
        return fail(QStringLiteral("--seed must be a non-negative whole number, not '%1'").arg(p.value(seed)));
    if (!toNumber(p.value(mentions), 0, 1, &v))
        return fail(QStringLiteral("--mention-probability must be from 0 to 1, not '%1'").arg(p.value(mentions)));
    po.mentionProbability = v;
    QString clusterError;
    auto profile = ClusterProfile::fromCliArgument(p.value(cluster), &clusterError);
    if (!profile)
        return fail(QStringLiteral("--cluster: %1").arg(clusterError));
    if (!applyClusterSecurityOptions(p, *profile, &clusterError))
        return fail(clusterError);
    po.cluster = *profile;
    if (!applyWriteSideOptions(p, po, &clusterError))
        return fail(clusterError);
    if (po.cluster.kind == ClusterProfile::Kind::Embedded)
        po.cluster.embeddedBrokers = brokerCount;
    if (p.isSet(searchUrl)) {
        const QUrl u(p.value(searchUrl), QUrl::StrictMode);
        if (!u.isValid() || (u.scheme() != QLatin1String("http") && u.scheme() != QLatin1String("https")) || u.host().isEmpty())
            return fail(QStringLiteral("--search-url must be an http(s) URL such as http://127.0.0.1:9200, not '%1'").arg(p.value(searchUrl)));
        po.cluster.searchUrl = p.value(searchUrl).toStdString();
        po.searchIndexerMembers = 1;
    }
    if (p.value(searchIndex).isEmpty())
        return fail(QStringLiteral("--search-index must not be empty"));
    po.searchIndex = p.value(searchIndex).toStdString();
    for (const QString &name : p.value(services).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        if (name == QStringLiteral("analytics"))
            po.services.analyticsMembers = 1;
        else if (name == QStringLiteral("archive"))
            po.services.archiveMembers = 1;
        else if (name == QStringLiteral("state-rebuilder"))
            po.services.rebuilderMembers = 1;
        else
            return fail(QStringLiteral("--services takes analytics, archive and state-rebuilder, not '%1'").arg(name));
    }
    po.services.archiveDirectory = p.value(archiveDir).toStdString();
    cl.headless.reportPath = p.value(report);
    cl.language = p.value(language);
    if (!cl.language.isEmpty() && cl.language != QStringLiteral("ko") && cl.language != QStringLiteral("en"))
        return fail(QStringLiteral("--language must be ko or en, not '%1'").arg(cl.language));
    cl.mode = (p.isSet(headless) || !displayAvailable) ? CommandLine::Mode::Headless : CommandLine::Mode::Gui;
    return cl;
}

} // namespace kcl::app
