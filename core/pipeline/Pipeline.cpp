#include "pipeline/Pipeline.h"

#include "cluster/LabStack.h"
#include "events/Event.h"
#include "events/Topics.h"
#include "kafka/OffsetReset.h"
#include "pipeline/AnalyticsService.h"
#include "pipeline/ArchiveService.h"
#include "pipeline/DeadLetter.h"
#include "pipeline/NotificationService.h"
#include "pipeline/OutboxRelay.h"
#include "pipeline/SearchIndexer.h"
#include "pipeline/StateRebuilder.h"
#include "pipeline/StateTopicCensus.h"
#include "pipeline/WriteSide.h"
#include "sinks/WriteModel.h"

#include <QSqlQuery>
#include <QThread>

#include <algorithm>

namespace kcl {

Pipeline::Pipeline(PipelineOptions options)
    : m_options(std::move(options))
{
}

Pipeline::~Pipeline() { stop(); }

std::map<std::string, std::string> Pipeline::producerProperties() const
{
    auto p = m_options.cluster.clientProperties(m_bootstrap);
    p["linger.ms"] = "5";
    p["batch.num.messages"] = "10000";
    // librdkafka's default, as rdkafka_performance uses. When the cluster falls behind (a starved machine), the queue
    // fills to this bound and the process keeps those pages: 500,000 took the window to 751 MiB, 100,000 to 404 MiB
    // (docs/benchmarks.md); the workload waits on a full queue either way.
    p["queue.buffering.max.messages"] = "100000";
    p["acks"] = "all";
    p["log_level"] = "3";
    if (m_embedded)
        p["compression.type"] = "zstd"; // the mock keeps only ~5 MiB per partition: compressed batches go further
    return p;
}

std::map<std::string, std::string> Pipeline::consumerProperties() const
{
    auto p = m_options.cluster.clientProperties(m_bootstrap);
    p["log_level"] = "3";
    if (m_embedded) {
        // The mock answers a waiting fetch only at its deadline, and rebalances a departed member only after
        // the session timeout: short values keep latency and rebalances at lab speed.
        p["fetch.wait.max.ms"] = "10";
        p["session.timeout.ms"] = "6000";
        p["heartbeat.interval.ms"] = "1000";
    } else {
        p["fetch.wait.max.ms"] = "100";
        p["session.timeout.ms"] = "10000";
        p["heartbeat.interval.ms"] = "1000";
    }
    return p;
}

void Pipeline::start()
{
    m_startedAt = std::chrono::steady_clock::now();
    std::vector<std::string> topicNames(topics::kAll.begin(), topics::kAll.end());
    if (m_options.cluster.kind == ClusterProfile::Kind::Embedded) {
        m_embedded = std::make_unique<EmbeddedCluster>(m_options.cluster.embeddedBrokers);
        m_bootstrap = m_embedded->bootstrapServers();
        for (const auto &t : topicNames)
            if (auto e = m_embedded->createTopic(t, m_options.partitions, std::min(3, m_options.cluster.embeddedBrokers)))
                throw KafkaConfigError("creating topic " + t + " failed: " + e.sentence());
    } else {
        m_bootstrap = m_options.cluster.bootstrapServers;
        m_admin = std::make_unique<ClusterAdmin>(m_options.cluster.clientProperties(m_bootstrap));
        ClusterMetadata md;
        if (auto e = m_admin->metadata(md, 10000))
            throw KafkaConfigError("the cluster at " + m_bootstrap + " did not answer: " + e.sentence());
        const int rf = std::min<int>(3, static_cast<int>(md.brokers.size()));
        if (auto e = m_admin->ensureTopics(topicNames, m_options.partitions, std::max(1, rf)))
            throw KafkaConfigError("creating the lab's topics failed: " + e.sentence());
        m_metadata = md;
        // Poison records of any size reach the dead-letter topic (the lab owns it: no other dynamic config).
        if (auto e = m_admin->alterTopicConfigs(std::string(topics::kDeadLetter),
                                                {{"max.message.bytes", std::to_string(kDeadLetterMaxBytes)}}))
            m_metrics.recordError("monitor", e.name, "raising the dead-letter topic's record size limit failed: " + e.sentence());
    }
    LagMonitor::Options lo;
    lo.clusterProperties = m_options.cluster.clientProperties(m_bootstrap);
    lo.embedded = m_embedded != nullptr;
    m_tail = std::make_unique<EventTail>(consumerProperties());
    m_lagMonitor = std::make_unique<LagMonitor>(lo);
    m_lagMonitor->startThread(1000);
    WorkloadShape shape;
    shape.mentionProbability = m_options.mentionProbability;
    m_workload = std::make_unique<BackendWorkload>(producerProperties(), m_options.seed, shape, m_metrics);
    if (m_options.writeMode != WriteMode::Direct)
        startWriteSide();
    m_workload->setRunning(m_options.startWorkload);
    m_workload->start(m_options.workloadRate);
    if (m_options.notificationMembers > 0)
        setGroupMembers(kNotificationGroup, m_options.notificationMembers);
    if (m_options.searchIndexerMembers > 0 && !m_options.cluster.searchUrl.empty())
        setGroupMembers(kSearchIndexerGroup, m_options.searchIndexerMembers);
    if (m_options.services.analyticsMembers > 0)
        setGroupMembers(kAnalyticsGroup, m_options.services.analyticsMembers);
    if (m_options.services.archiveMembers > 0)
        setGroupMembers(kArchiveGroup, m_options.services.archiveMembers);
    if (m_options.services.rebuilderMembers > 0)
        setGroupMembers(kRebuilderGroup, m_options.services.rebuilderMembers);
}

void Pipeline::stop()
{
    if (m_lagMonitor)
        m_lagMonitor->stopThread();
    if (m_workload)
        m_workload->stop();
    m_outboxRelay.reset(); // after the workload: the last rows it wrote still go out
    for (auto &command : m_brokerCommands)
        command->wait(); // a broker being started on the local lab stack comes up before the pipeline is gone
    m_brokerCommands.clear();
    if (m_census)
        m_census->wait(); // it reads with a deadline of its own
    m_census.reset();
    m_readLoad.reset(); // its probe writes to the schema dropped below
    for (auto &[id, s] : m_services) {
        s->stopAll();
        if (id == kRebuilderGroup)
            forgetReplayGroup(*s);
    }
    m_services.clear();
    dropOwnSqlSchema();
    m_tail.reset();
    m_manualProducer.reset();
    m_workload.reset();
    m_lagMonitor.reset();
    m_admin.reset();
    m_embedded.reset();
}

ConsumerGroupService *Pipeline::service(const std::string &groupId) const
{
    auto it = m_services.find(groupId);
    return it == m_services.end() ? nullptr : it->second.get();
}

void Pipeline::setTailTopic(const std::string &topic)
{
    if (m_tail)
        m_tail->setTopic(topic);
}

KafkaError Pipeline::ensureManualProducer()
{
    if (m_manualProducer)
        return {};
    try {
        m_manualProducer = std::make_unique<Producer>(producerProperties(), "manual-producer", m_metrics);
    } catch (const std::exception &ex) {
        return KafkaError::fromCode(RD_KAFKA_RESP_ERR__INVALID_ARG, std::string("the producer could not start: ") + ex.what());
    }
    return {};
}

KafkaError Pipeline::produceEventJson(const std::string &json, std::string *description)
{
    const ParseResult parsed = parseEvent(json);
    if (!parsed.ok())
        return KafkaError::fromCode(RD_KAFKA_RESP_ERR__BAD_MSG, "the event is not valid: " + parsed.error->toString());
    if (KafkaError e = ensureManualProducer())
        return e;
    const Event &e = *parsed.event;
    const auto *created = std::get_if<MessageCreated>(&e.payload);
    // Sent as written (the user's own bytes), so a student sees exactly what they typed arrive in the tail.
    const KafkaError err = m_manualProducer->produce(topicFor(e.type), e.key(), json,
                                                     created ? static_cast<int>(created->mentions.size()) : 0);
    if (!err && description)
        *description = describeEvent(e) + " -> " + std::string(topicFor(e.type)) + " (key " + e.key() + ")";
    return err;
}

KafkaError Pipeline::injectPoison(const std::string &topic, int count)
{
    if (KafkaError e = ensureManualProducer())
        return e;
    // Valid JSON, but not the guide's envelope: every consumer's strict parser refuses it and names the field.
    for (int i = 0; i < count; ++i) {
        const std::string value = R"({"poison":true,"n":)" + std::to_string(m_poisonInjected + 1) + "}";
        if (KafkaError e = m_manualProducer->produce(topic, "poison-" + std::to_string(m_poisonInjected + 1), value))
            return e;
        ++m_poisonInjected;
    }
    return {};
}

KafkaError Pipeline::replayState(int members)
{
    if (auto it = m_services.find(kRebuilderGroup); it != m_services.end()) {
        it->second->stopAll();
        forgetReplayGroup(*it->second);
        m_services.erase(it);
    }
    m_metrics.services.resetRebuilder();
    // makeService gives the rebuilder a group of its own per replay, starting from the earliest offsets.
    return setGroupMembers(kRebuilderGroup, std::max(1, members));
}

void Pipeline::forgetReplayGroup(const ConsumerGroupService &rebuilder)
{
    // Each replay reads in a group of its own; once it has stopped, its committed offsets are of no use to anyone,
    // and left on a real cluster they would pile up as STOPPED groups with ever-growing lag in every group listing.
    if (!m_admin || m_embedded)
        return;
    if (KafkaError e = m_admin->deleteGroups({rebuilder.groupId()}, 5000))
        m_metrics.recordError(kRebuilderGroup, e.name, "deleting the finished replay's group " + rebuilder.groupId() +
                                                          " failed: " + e.sentence());
}

KafkaError Pipeline::setReaders(int readers)
{
    m_readLoad.reset(); // joins its threads (each waits at most one search or probe round trip)
    if (readers <= 0)
        return {};
    if (m_options.cluster.searchUrl.empty())
        return KafkaError::fromCode(RD_KAFKA_RESP_ERR__INVALID_ARG, "searches need a search node, and this cluster profile names none");
    ReadLoadOptions o;
    o.searchUrl = QString::fromStdString(m_options.cluster.searchUrl);
    o.index = QString::fromStdString(m_options.searchIndex);
    o.readers = std::min(readers, 16);
    for (const std::string &w : WorkloadGenerator::contentWords())
        o.words.push_back(QString::fromStdString(w));
    o.probe = m_options.writeMode != WriteMode::Direct; // the probe posts through the write model
    if (o.probe) {
        o.writeSide.mode = m_options.writeMode;
        o.writeSide.sqlConnection = sqlConnection();
        o.writeSide.schema = QString::fromStdString(m_options.sqlSchema);
        o.writeSide.producerProperties = producerProperties();
    }
    m_readLoad = std::make_unique<ReadLoad>(std::move(o));
    m_readLoad->start();
    return {};
}

std::string Pipeline::sqlConnection() const
{
    std::string sql = m_options.sqlConnection.empty() ? m_options.cluster.sqlConnection : m_options.sqlConnection;
    return sql.empty() ? ClusterProfile::local().sqlConnection : sql; // the lab stack's database serves every cluster
}

void Pipeline::dropOwnSqlSchema()
{
    if (!m_options.dropSqlSchemaAtStop || !m_writeCounters)
        return;
    SqlSession session(sqlConnection(), QStringLiteral("pipeline-drop-schema"));
    QString error;
    if (!session.open(&error))
        return; // nothing was written there if it cannot be reached now; the schema is named per run anyway
    QSqlQuery q(session.db());
    q.exec(QStringLiteral("DROP SCHEMA IF EXISTS %1 CASCADE").arg(QString::fromStdString(m_options.sqlSchema)));
}

std::vector<std::string> Pipeline::availableServices() const
{
    std::vector<std::string> services{kNotificationGroup, kAnalyticsGroup, kArchiveGroup, kRebuilderGroup};
    if (!m_options.cluster.searchUrl.empty()) // the search indexer needs a search node
        services.push_back(kSearchIndexerGroup);
    return services;
}

KafkaError Pipeline::setProcessingDelayMs(const std::string &groupId, int ms)
{
    ConsumerGroupService *svc = service(groupId);
    if (!svc)
        return KafkaError::fromCode(RD_KAFKA_RESP_ERR__INVALID_ARG, "group '" + groupId + "' is not running: start it first");
    svc->setProcessingDelayMs(std::clamp(ms, 0, 10000));
    return {};
}

std::unique_ptr<ConsumerGroupService> Pipeline::makeService(const std::string &groupId)
{
    if (groupId == kNotificationGroup) {
        auto svc = std::make_unique<ConsumerGroupService>(groupId + m_options.groupIdSuffix,
                                                          std::vector<std::string>{std::string(topics::kMessagesCreated)},
                                                          consumerProperties(), m_metrics);
        svc->setAutoOffsetReset(m_options.newGroupOffsetReset);
        svc->setHandlerFactory(NotificationHandler::factory(producerProperties(), svc->state(), m_metrics));
        return svc;
    }
    if (groupId == kSearchIndexerGroup && !m_options.cluster.searchUrl.empty()) {
        auto svc = std::make_unique<ConsumerGroupService>(
            groupId + m_options.groupIdSuffix,
            std::vector<std::string>{std::string(topics::kMessagesCreated), std::string(topics::kMessagesUpdated),
                                     std::string(topics::kMessagesDeleted)},
            consumerProperties(), m_metrics);
        svc->setAutoOffsetReset(m_options.newGroupOffsetReset);
        SearchIndexerOptions search;
        search.searchUrl = m_options.cluster.searchUrl;
        search.index = m_options.searchIndex;
        svc->setHandlerFactory(SearchIndexer::factory(search, producerProperties(), svc->state(), m_metrics, m_metrics.search));
        return svc;
    }
    if (groupId == kAnalyticsGroup || groupId == kArchiveGroup || groupId == kRebuilderGroup)
        return makeDataService(groupId);
    return nullptr;
}

KafkaError Pipeline::setGroupMembers(const std::string &groupId, int members)
{
    auto it = m_services.find(groupId);
    if (it == m_services.end()) {
        auto svc = makeService(groupId);
        if (!svc)
            return KafkaError::fromCode(RD_KAFKA_RESP_ERR__INVALID_ARG, "there is no service for group '" + groupId + "' yet");
        it = m_services.emplace(groupId, std::move(svc)).first;
    }
    it->second->setMembers(members);
    return {};
}

KafkaError Pipeline::resetGroupOffsets(const std::string &groupId, const std::string &to)
{
    if (to != "earliest" && to != "latest")
        return KafkaError::fromCode(RD_KAFKA_RESP_ERR__INVALID_ARG, "an offset reset goes to 'earliest' or 'latest', not '" + to + "'");
    ConsumerGroupService *svc = service(groupId);
    if (!svc)
        return KafkaError::fromCode(RD_KAFKA_RESP_ERR__INVALID_ARG, "group '" + groupId + "' is not running in this pipeline");
    const int members = svc->memberCount();
    svc->stopAll();
    OffsetResetResult result;
    const KafkaError e = kcl::resetGroupOffsets(consumerProperties(), svc->groupId(), svc->topics(),
                                                to == "earliest" ? OffsetResetTarget::Earliest : OffsetResetTarget::Latest,
                                                &result);
    if (!e)
        m_metrics.offsetResets.fetch_add(1, std::memory_order_relaxed);
    svc->setMembers(members);
    return e;
}

void Pipeline::setWorkloadKeyed(bool keyed)
{
    if (m_workload)
        m_workload->setKeyed(keyed);
}

void Pipeline::setWorkloadRate(double rate)
{
    if (m_workload)
        m_workload->setRate(rate);
}

void Pipeline::setWorkloadRunning(bool running)
{
    if (m_workload)
        m_workload->setRunning(running);
}

KafkaError Pipeline::setBrokerUp(int brokerId, bool up)
{
    if (m_embedded)
        return m_embedded->setBrokerUp(brokerId, up);
    if (m_options.cluster.kind != ClusterProfile::Kind::Local)
        return KafkaError::fromCode(RD_KAFKA_RESP_ERR__NOT_IMPLEMENTED,
                                    "brokers of an external cluster are stopped and started by whoever runs it, not by the app");
    // The local lab stack: labstack.sh stops the broker's JVM, or starts it and waits until it is ready (seconds),
    // on a thread of its own so that snapshots go on meanwhile.
    // Commands run in the order asked: a start asked while the stop still runs waits for it. A QThread, not a bare
    // std::thread: QProcess needs a thread Qt knows.
    const QStringList args{up ? QStringLiteral("start-broker") : QStringLiteral("stop-broker"), QString::number(brokerId)};
    QThread *previous = m_brokerCommands.empty() ? nullptr : m_brokerCommands.back().get();
    std::unique_ptr<QThread> command(QThread::create([this, args, previous] {
        if (previous)
            previous->wait();
        // No group request of the lag monitor may be under way when the broker goes (see pauseGroupRequests).
        const bool stopping = args.first() == QStringLiteral("stop-broker") && m_lagMonitor;
        if (stopping)
            m_lagMonitor->pauseGroupRequests(true);
        LabStack stack;
        const LabStack::Result r = stack.run(args, 180000);
        if (stopping) {
            m_lagMonitor->renewClients();
            m_lagMonitor->pauseGroupRequests(false);
        }
        if (r.exitCode != LabStack::Ok)
            m_metrics.recordError("cluster", "_FAIL", "labstack.sh " + args.join(QLatin1Char(' ')).toStdString() +
                                                          " failed (exit " + std::to_string(r.exitCode) + "): " +
                                                          r.output().trimmed().toStdString());
    }));
    command->setObjectName(QStringLiteral("kcl-broker-command"));
    command->start();
    m_brokerCommands.push_back(std::move(command));
    return {};
}

KafkaError Pipeline::censusStateTopic()
{
    if (m_embedded || !m_admin)
        return KafkaError::fromCode(RD_KAFKA_RESP_ERR__NOT_IMPLEMENTED,
                                    "the embedded cluster has no log compaction: the latest-state topic exists on real clusters only");
    if (m_census && m_census->isRunning())
        return KafkaError::fromCode(RD_KAFKA_RESP_ERR__IN_PROGRESS, "a census of the latest-state topic is still running");
    if (m_census)
        m_census->wait();
    StateTopicCensus running = m_metrics.services.stats().rebuilder.census;
    running.running = true;
    m_metrics.services.setStateCensus(running);
    const auto props = m_options.cluster.clientProperties(m_bootstrap);
    const std::int64_t publishedBefore = m_metrics.services.rebuilder.statePublishedTotal.load();
    m_census.reset(QThread::create([this, props, publishedBefore] {
        StateTopicCensus c = censusTopic(props, kMessagesStateTopic);
        c.publishedBefore = publishedBefore;
        if (!c.error.empty())
            m_metrics.recordError("state-census", "_FAIL", c.error);
        m_metrics.services.setStateCensus(std::move(c));
    }));
    m_census->setObjectName(QStringLiteral("kcl-state-census"));
    m_census->start();
    return {};
}

KafkaError Pipeline::setBrokerRttMs(int brokerId, int rttMs)
{
    if (!m_embedded)
        return KafkaError::fromCode(RD_KAFKA_RESP_ERR__NOT_IMPLEMENTED, "added latency works on the embedded cluster only");
    return m_embedded->setBrokerRttMs(brokerId, rttMs);
}

QString Pipeline::clusterDescription() const
{
    if (m_embedded)
        return QStringLiteral("embedded (%1 brokers, %2)").arg(m_embedded->brokerCount()).arg(QString::fromStdString(m_bootstrap));
    return m_options.cluster.describe();
}

std::shared_ptr<Snapshot> Pipeline::buildSnapshot()
{
    using namespace std::chrono;
    auto snap = std::make_shared<Snapshot>();
    const auto now = steady_clock::now();
    snap->atMs = wallClockMs();
    snap->uptimeSec = duration<double>(now - m_startedAt).count();
    snap->clusterDescription = clusterDescription().toStdString();

    for (auto &[id, s] : m_services)
        s->reap();

    if (m_embedded) {
        snap->brokers = m_embedded->brokers();
    } else if (m_admin && now - m_lastMetadata > seconds(2)) {
        m_lastMetadata = now;
        ClusterMetadata md;
        if (auto e = m_admin->metadata(md, 1000))
            m_metrics.recordError("monitor", e.name, "cluster metadata: " + e.sentence());
        else
            m_metadata = md;
    }
    if (!m_embedded) {
        // Metadata lists the live brokers only: a broker seen before and missing now is down (e.g. stopped on the
        // local lab stack), and stays in the list as such.
        for (auto &[id, b] : m_knownBrokers)
            b.up = false;
        for (const BrokerState &b : m_metadata.brokers)
            m_knownBrokers[b.id] = b;
        for (const auto &[id, b] : m_knownBrokers)
            snap->brokers.push_back(b);
    }

    Totals t;
    t.at = now;
    const std::size_t n = topics::kAll.size();
    for (std::size_t i = 0; i < n; ++i) {
        t.inMsgs.push_back(m_metrics.produced.messages[i].load());
        t.inBytes.push_back(m_metrics.produced.bytes[i].load());
        t.outMsgs.push_back(m_metrics.consumed.messages[i].load());
        t.outBytes.push_back(m_metrics.consumed.bytes[i].load());
    }
    for (auto &[id, s] : m_services)
        t.groupConsumed[id] = s->state()->consumed.load();
    for (auto v : t.inMsgs)
        t.produced += v;
    m_history.push_back(t);
    // Rates over about the last second: compare with the oldest sample not older than ~1 s.
    while (m_history.size() > 2 && now - m_history[1].at >= seconds(1))
        m_history.pop_front();
    const Totals &base = m_history.front();
    const double dt = duration<double>(now - base.at).count();
    auto rate = [dt](std::int64_t a, std::int64_t b) { return dt > 0 ? static_cast<double>(a - b) / dt : 0.0; };

    for (std::size_t i = 0; i < n; ++i) {
        TopicRates tr;
        tr.topic = std::string(topics::kAll[i]);
        tr.partitions = m_embedded ? m_options.partitions
                                   : (m_metadata.partitionsByTopic.count(tr.topic) ? m_metadata.partitionsByTopic[tr.topic] : 0);
        tr.msgsInPerSec = rate(t.inMsgs[i], base.inMsgs[i]);
        tr.bytesInPerSec = rate(t.inBytes[i], base.inBytes[i]);
        tr.msgsOutPerSec = rate(t.outMsgs[i], base.outMsgs[i]);
        tr.bytesOutPerSec = rate(t.outBytes[i], base.outBytes[i]);
        tr.totalIn = t.inMsgs[i];
        tr.totalOut = t.outMsgs[i];
        snap->topics.push_back(std::move(tr));
    }
    snap->producedTotal = t.produced;
    snap->producedPerSec = rate(t.produced, base.produced);
    for (auto &[id, s] : m_services) {
        GroupInfo gi = s->info();
        gi.service = id;
        const auto it = base.groupConsumed.find(id);
        const std::int64_t consumed = t.groupConsumed[id];
        std::int64_t before = it == base.groupConsumed.end() ? 0 : it->second;
        if (consumed < before)
            before = 0; // a replay replaced the service within the window: its count started again from 0
        gi.consumedPerSec = rate(consumed, before);
        snap->groups.push_back(std::move(gi));
    }
    snap->deliveryFailures = m_metrics.deliveryFailures.load();
    snap->availableServices = availableServices();
    if (m_manualProducer)
        m_manualProducer->poll(0); // delivery reports of hand-made events
    if (m_tail) {
        snap->tailTopic = m_tail->topic();
        snap->tail = m_tail->records();
        snap->tailError = m_tail->lastError();
    }
    if (m_workload) {
        snap->workloadRate = m_workload->rate();
        snap->workloadRunning = m_workload->running();
        snap->workloadKeyed = m_workload->keyed();
    }
    snap->recentNotifications = m_metrics.notifications.copy();
    snap->notificationsTotal = m_metrics.notifications.total();
    snap->notificationsDistinct = m_metrics.notificationsDistinct.load();
    snap->notificationDuplicates = m_metrics.notificationDuplicates.load();
    snap->mentionsProduced = m_metrics.mentionsProduced.load();
    snap->notificationLatency = m_metrics.notificationLatency.summary();
    snap->produceAckLatency = m_metrics.produceAckLatency.summary();
    snap->recentErrors = m_metrics.errors.copy(&snap->errorsRecorded);
    snap->deadLettered = m_metrics.deadLettered.load();
    snap->orderViolations = m_metrics.orderViolations.load();
    snap->offsetResets = m_metrics.offsetResets.load();
    snap->search = m_metrics.search.summary();
    snap->services = m_metrics.services.stats();
    if (m_lagMonitor) {
        std::vector<LagMonitor::OwnGroup> own;
        for (const auto &[name, svc] : m_services)
            for (const auto &g : snap->groups)
                if (g.groupId == svc->groupId())
                    own.push_back({g.groupId, svc->topics(), g.members});
        m_lagMonitor->setOwnGroups(std::move(own));
        snap->lag = m_lagMonitor->latest();
    }
    if (m_readLoad)
        snap->readLoad = m_readLoad->stats();
    if (m_writeCounters)
        snap->writeSide = m_writeCounters->summary(std::string(writeModeName(m_options.writeMode)), wallClockMs());
    return snap;
}

void Pipeline::startWriteSide()
{
    const std::string sql = sqlConnection();
    const QString schema = QString::fromStdString(m_options.sqlSchema);
    {
        // Migrate here, so that a wrong connection or schema stops the start with a readable reason.
        SqlSession session(sql, QStringLiteral("pipeline-migrate"));
        QString error;
        if (!session.open(&error))
            throw KafkaConfigError("the write side cannot use PostgreSQL: " + error.toStdString());
        const MigrationResult m = migrateWriteModel(session.db(), schema);
        if (!m.ok)
            throw KafkaConfigError("the write model's migrations failed: " + m.error.toStdString());
    }
    m_writeCounters = std::make_unique<WriteSideCounters>();
    WriteSideOptions wo;
    wo.mode = m_options.writeMode;
    wo.sqlConnection = sql;
    wo.schema = schema;
    wo.producerProperties = m_options.cluster.clientProperties(m_bootstrap);
    const std::string runTag = std::to_string(wallClockMs());
    m_workload->setMessageWriter([this, wo, runTag] {
        return std::make_unique<WorkloadWriter>(wo, *m_writeCounters, &m_metrics, runTag);
    });
    if (m_options.writeMode == WriteMode::Outbox) {
        OutboxRelayOptions ro;
        ro.sqlConnection = sql;
        ro.schema = schema;
        ro.producerProperties = producerProperties();
        m_outboxRelay = std::make_unique<OutboxRelay>(ro, *m_writeCounters, &m_metrics);
        m_outboxRelay->start();
    }
}

} // namespace kcl
