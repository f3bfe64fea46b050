#include "cli/PostCommand.h"

#include "cli/WriteSideReport.h"
#include "cluster/ClusterProfile.h"
#include "kafka/ClusterAdmin.h"
#include "kafka/EmbeddedCluster.h"
#include "metrics/PipelineMetrics.h"
#include "pipeline/OutboxRelay.h"
#include "pipeline/WriteSide.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QSqlQuery>
#include <QThread>
#include <QVariant>

namespace kcl {
namespace {

int usage(const QString &message, QTextStream &err)
{
    err << "kafka-collab-lab post: " << message << "\nTry 'kafka-collab-lab post --help'.\n";
    return 2;
}

} // namespace

int runPostCommand(const QStringList &args, QTextStream &out, QTextStream &err)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Posts one message through the CQRS write side (PostgreSQL, then Kafka) and waits until Kafka has it."));
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help."));
    const QCommandLineOption channel(QStringLiteral("channel"), QStringLiteral("Channel id (e.g. ch_dev)."), QStringLiteral("C"));
    const QCommandLineOption author(QStringLiteral("author"), QStringLiteral("Author's user id (e.g. user_001)."), QStringLiteral("A"));
    const QCommandLineOption mention(QStringLiteral("mention"), QStringLiteral("A mentioned user id (repeatable)."), QStringLiteral("U"));
    const QCommandLineOption mode(QStringLiteral("mode"), QStringLiteral("outbox (default) or naive."), QStringLiteral("MODE"), QStringLiteral("outbox"));
    const QCommandLineOption cluster(QStringLiteral("cluster"), QStringLiteral("embedded, local (default), guide or HOST:PORT[,HOST:PORT]."), QStringLiteral("X"), QStringLiteral("local"));
    const QCommandLineOption timeout(QStringLiteral("timeout"), QStringLiteral("Seconds to wait for Kafka's acknowledgement (default 30)."), QStringLiteral("S"), QStringLiteral("30"));
    for (const auto &o : {help, channel, author, mention, mode, cluster, timeout})
        p.addOption(o);
    p.addOptions(sqlOptions());
    p.addOptions(clusterSecurityOptions());
    p.addPositionalArgument(QStringLiteral("text"), QStringLiteral("The message."));
    if (!p.parse(QStringList{QStringLiteral("post")} + args))
        return usage(p.errorText(), err);
    if (p.isSet(help)) {
        const QString text = p.helpText();
        out << "Usage: kafka-collab-lab post \"text\" --channel C --author A [options]" << text.mid(text.indexOf(QLatin1Char('\n')));
        return 0;
    }
    if (p.positionalArguments().size() != 1)
        return usage(QStringLiteral("give the message text as one argument (quote it)"), err);
    if (p.value(channel).isEmpty() || p.value(author).isEmpty())
        return usage(QStringLiteral("--channel and --author are required"), err);
    const auto writeMode = writeModeFromName(p.value(mode).toStdString());
    if (!writeMode || *writeMode == WriteMode::Direct)
        return usage(QStringLiteral("--mode must be outbox or naive, not '%1'").arg(p.value(mode)), err);
    bool ok = false;
    const double timeoutSec = p.value(timeout).toDouble(&ok);
    if (!ok || timeoutSec <= 0 || timeoutSec > 3600)
        return usage(QStringLiteral("--timeout must be from 1 to 3600 seconds, not '%1'").arg(p.value(timeout)), err);
    QString error;
    auto profile = ClusterProfile::fromCliArgument(p.value(cluster), &error);
    if (!profile)
        return usage(QStringLiteral("--cluster: ") + error, err);
    if (!applyClusterSecurityOptions(p, *profile, &error))
        return usage(error, err);
    PipelineOptions po; // carries the parsed --sql and --sql-schema
    if (!applySqlOptions(p, po, &error))
        return usage(error, err);

    // Kafka: the embedded cluster lives as long as this command; elsewhere the message topics are made if missing.
    std::unique_ptr<EmbeddedCluster> embedded;
    std::string bootstrap = profile->bootstrapServers;
    const MessageTopics topics;
    try {
        if (profile->kind == ClusterProfile::Kind::Embedded) {
            embedded = std::make_unique<EmbeddedCluster>(profile->embeddedBrokers);
            bootstrap = embedded->bootstrapServers();
            for (const auto &t : {topics.created, topics.updated, topics.deleted})
                embedded->createTopic(t, 6, std::min(3, profile->embeddedBrokers));
        } else {
            ClusterAdmin admin(profile->clientProperties(bootstrap));
            ClusterMetadata md;
            if (!admin.metadata(md, 5000)) {
                const int rf = std::max(1, std::min<int>(3, static_cast<int>(md.brokers.size())));
                admin.ensureTopics({topics.created, topics.updated, topics.deleted}, 6, rf, 10000);
            } // an unreachable Kafka is no reason not to store the message: the outbox keeps its event
        }
    } catch (const std::exception &ex) {
        err << "kafka-collab-lab post: the Kafka client could not start: " << ex.what() << "\n";
        return 1;
    }

    WriteSideCounters counters;
    WriteSideOptions wo;
    wo.mode = *writeMode;
    wo.sqlConnection = po.sqlConnection;
    wo.schema = QString::fromStdString(po.sqlSchema);
    wo.producerProperties = profile->clientProperties(bootstrap);
    WriteSide side(wo, counters);
    if (!side.open(&error)) {
        err << "kafka-collab-lab post: " << error << "\n";
        return 1;
    }
    std::vector<std::string> mentions;
    for (const QString &m : p.values(mention))
        mentions.push_back(m.toStdString());
    QElapsedTimer clock;
    clock.start();
    const Event event = WriteModel::newMessage(p.value(channel).toStdString(), p.value(author).toStdString(),
                                               p.positionalArguments().first().toStdString(), mentions, wallClockMs());
    const WriteResult r = side.submit(event);
    if (!r.ok) {
        err << "kafka-collab-lab post: " << r.error << "\n";
        return 1;
    }
    const QString messageId = QString::fromStdString(std::get<MessageCreated>(r.event.payload).messageId);
    const double commitMs = static_cast<double>(clock.nsecsElapsed()) / 1e6;
    const int timeoutMs = static_cast<int>(timeoutSec * 1000);

    if (*writeMode == WriteMode::Naive) {
        side.flush(timeoutMs);
        if (counters.naivePublished.load() == 1) {
            out << "message_id=" << messageId << " mode=naive committed in " << QString::number(commitMs, 'f', 1)
                << " ms, on Kafka after " << QString::number(static_cast<double>(clock.nsecsElapsed()) / 1e6, 'f', 1)
                << " ms\n";
            return 0;
        }
        err << "kafka-collab-lab post: LOST: message " << messageId << " is committed in PostgreSQL but its event never "
            << "reached Kafka (" << QString::fromStdString(counters.lastError())
            << "). This is the naive write's flaw; the outbox mode keeps the event until Kafka takes it.\n";
        return 1;
    }

    OutboxRelayOptions ro;
    ro.sqlConnection = wo.sqlConnection;
    ro.schema = wo.schema;
    ro.producerProperties = wo.producerProperties;
    ro.messageTimeoutMs = std::min(timeoutMs, 10000);
    OutboxRelay relay(ro, counters);
    relay.start();
    qlonglong sentAtMs = 0;
    while (clock.elapsed() < timeoutMs) {
        QSqlQuery q(side.model().db());
        q.prepare(QStringLiteral("SELECT sent_at_ms FROM %1.outbox WHERE id = ?").arg(wo.schema));
        q.addBindValue(QVariant::fromValue<qlonglong>(r.outboxId));
        if (q.exec() && q.next() && !q.value(0).isNull()) {
            sentAtMs = q.value(0).toLongLong();
            break;
        }
        QThread::msleep(20);
    }
    relay.stop();
    if (sentAtMs == 0) {
        err << "kafka-collab-lab post: message " << messageId << " is stored and its event waits in the outbox: Kafka did "
            << "not acknowledge it within " << timeoutSec << " s (" << QString::fromStdString(counters.lastError())
            << "). Any outbox relay (e.g. a run with --write-mode outbox) publishes it when Kafka answers.\n";
        return 1;
    }
    out << "message_id=" << messageId << " mode=outbox committed in " << QString::number(commitMs, 'f', 1)
        << " ms, on Kafka " << (sentAtMs - r.event.timestampMs) << " ms after the post\n";
    return 0;
}

} // namespace kcl
