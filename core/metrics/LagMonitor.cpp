#include "metrics/LagMonitor.h"

#include "kafka/KafkaError.h"
#include "metrics/PipelineMetrics.h"

#include <algorithm>
#include <chrono>
#include <utility>

namespace kcl {
namespace {

using TP = std::pair<std::string, std::int32_t>;

struct AdminCall {
    QueueHandle queue;
    AdminOptionsHandle options;
};

AdminCall prepare(rd_kafka_t *rk, rd_kafka_admin_op_t op, int timeoutMs)
{
    AdminCall c{QueueHandle(rd_kafka_queue_new(rk)), AdminOptionsHandle(rd_kafka_AdminOptions_new(rk, op))};
    char err[256];
    rd_kafka_AdminOptions_set_request_timeout(c.options.get(), timeoutMs, err, sizeof err);
    return c;
}

std::string memberAssignmentText(const std::vector<GroupMemberRow> &members)
{
    std::vector<std::string> parts;
    for (const auto &m : members) {
        std::string s = m.consumerId + ":";
        for (const auto &[t, p] : m.assignment)
            s += t + "-" + std::to_string(p) + ",";
        parts.push_back(s);
    }
    std::sort(parts.begin(), parts.end());
    std::string out;
    for (const auto &p : parts)
        out += p + ";";
    return out;
}

} // namespace

LagMonitor::LagMonitor(Options options)
    : m_options(std::move(options))
{
    createHandles();
}

void LagMonitor::createHandles()
{
    m_rkProbe.reset(); // the old handles go first: their threads stop before new ones start
    m_rkCommitted.reset();
    m_rk.reset();
    auto props = adminClientProperties(m_options.clusterProperties);
    ConfHandle conf = makeConf(props);
    rd_kafka_conf_set_opaque(conf.get(), this);
    rd_kafka_conf_set_error_cb(conf.get(), &LagMonitor::onClientError);
    m_rk = makeHandle(RD_KAFKA_CONSUMER, std::move(conf)); // never subscribed: its requests do not queue behind fetches
    props.erase("group.id");
    props["client.id"] = "kcl-lag-monitor-lso";
    props["isolation.level"] = "read_committed";
    m_rkCommitted = makeHandle(RD_KAFKA_CONSUMER, makeConf(props));
    m_handleBrokers.clear();
}

std::map<std::string, std::string> LagMonitor::adminClientProperties(std::map<std::string, std::string> cluster)
{
    cluster["client.id"] = "kcl-lag-monitor";
    cluster["log_level"] = "3";
    cluster["isolation.level"] = "read_uncommitted";
    // A group of its own, never joined (the handle never subscribes, so the group never shows in a listing):
    // librdkafka 2.0 answers NOT_COORDINATOR to ListConsumerGroupOffsets, which a real cluster sends while group
    // coordinators move (a broker stopped or back), by asking the handle's own group to find its coordinator again,
    // and a handle without a group dereferences a null pointer there (SIGSEGV in librdkafka's main thread).
    cluster["group.id"] = "kcl-lag-monitor";
    cluster["enable.auto.commit"] = "false";
    return cluster;
}

LagMonitor::~LagMonitor() { stopThread(); }

void LagMonitor::onClientError(rd_kafka_t *, int err, const char *reason, void *opaque)
{
    auto *self = static_cast<LagMonitor *>(opaque);
    if (!self)
        return;
    const auto e = KafkaError::fromCode(static_cast<rd_kafka_resp_err_t>(err), reason ? reason : "");
    std::lock_guard lock(self->m_clientErrorMutex);
    self->m_clientError = e.sentence();
}

std::string LagMonitor::takeClientError()
{
    std::lock_guard lock(m_clientErrorMutex);
    return std::exchange(m_clientError, {});
}

void LagMonitor::setOwnGroups(std::vector<OwnGroup> groups)
{
    std::lock_guard lock(m_mutex);
    m_ownGroups = std::move(groups);
}

LagReportPtr LagMonitor::latest() const
{
    std::lock_guard lock(m_mutex);
    return m_latest;
}

std::vector<LagMonitor::Point> LagMonitor::lagHistory(const std::string &groupId) const
{
    std::lock_guard lock(m_mutex);
    auto it = m_lagSeries.find(groupId);
    return it == m_lagSeries.end() ? std::vector<Point>{} : it->second.toVector();
}

LagMonitor::TrackedState LagMonitor::trackedState() const
{
    TrackedState t{m_endHistory.size(), m_lastCommitted.size(), 0, 0}; // the cycle's own state
    std::lock_guard lock(m_mutex);
    t.groupSeries = m_lagSeries.size();
    t.topicSeries = m_rateSeries.size();
    return t;
}

std::vector<LagMonitor::Point> LagMonitor::rateHistory(const std::string &topic) const
{
    std::lock_guard lock(m_mutex);
    auto it = m_rateSeries.find(topic);
    return it == m_rateSeries.end() ? std::vector<Point>{} : it->second.toVector();
}

void LagMonitor::startThread(int intervalMs)
{
    if (m_thread.joinable())
        return;
    m_stop.store(false);
    m_thread = std::thread([this, intervalMs] {
        while (!m_stop.load()) {
            const auto next = std::chrono::steady_clock::now() + std::chrono::milliseconds(intervalMs);
            auto report = std::make_shared<LagReport>(cycle());
            {
                std::lock_guard lock(m_mutex);
                m_latest = std::move(report);
            }
            while (!m_stop.load() && std::chrono::steady_clock::now() < next)
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    });
}

void LagMonitor::pauseGroupRequests(bool paused)
{
    m_groupRequestsPaused.store(paused);
    if (paused)
        std::lock_guard wait(m_groupRequestMutex); // the requests of a cycle already under way end first
}

void LagMonitor::renewClients() { m_renewClients.store(true); }

void LagMonitor::stopThread()
{
    m_stop.store(true);
    if (m_thread.joinable())
        m_thread.join();
}

void LagMonitor::listAndDescribeGroups(std::vector<GroupView> &groups, LagReport &report)
{
    const int timeout = m_options.requestTimeoutMs;
    std::vector<std::string> ids;
    {
        AdminCall c = prepare(m_rk.get(), RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPS, timeout);
        rd_kafka_ListConsumerGroups(m_rk.get(), c.options.get(), c.queue.get());
        EventHandle ev(rd_kafka_queue_poll(c.queue.get(), timeout + 1000));
        if (!ev || rd_kafka_event_error(ev.get())) {
            const auto e = ev ? KafkaError::fromCode(rd_kafka_event_error(ev.get()), rd_kafka_event_error_string(ev.get()))
                              : KafkaError::fromCode(RD_KAFKA_RESP_ERR__TIMED_OUT);
            report.errors.push_back("listing consumer groups failed: " + e.sentence());
            return;
        }
        const auto *res = rd_kafka_event_ListConsumerGroups_result(ev.get());
        size_t n = 0;
        const rd_kafka_ConsumerGroupListing_t **list = rd_kafka_ListConsumerGroups_result_valid(res, &n);
        for (size_t i = 0; i < n; ++i) {
            std::string id = rd_kafka_ConsumerGroupListing_group_id(list[i]);
            if (!m_options.onlyGroup || *m_options.onlyGroup == id)
                ids.push_back(std::move(id));
        }
        size_t ne = 0;
        const rd_kafka_error_t **errs = rd_kafka_ListConsumerGroups_result_errors(res, &ne);
        for (size_t i = 0; i < ne; ++i)
            report.errors.push_back("a broker could not list its groups: " + KafkaError::fromError(errs[i]).sentence());
    }
    if (m_options.onlyGroup && ids.empty())
        ids.push_back(*m_options.onlyGroup); // describe it anyway: it may exist only as committed offsets
    if (ids.empty())
        return;
    std::sort(ids.begin(), ids.end());
    std::vector<const char *> raw;
    for (const auto &id : ids)
        raw.push_back(id.c_str());
    AdminCall c = prepare(m_rk.get(), RD_KAFKA_ADMIN_OP_DESCRIBECONSUMERGROUPS, timeout);
    rd_kafka_DescribeConsumerGroups(m_rk.get(), raw.data(), raw.size(), c.options.get(), c.queue.get());
    EventHandle ev(rd_kafka_queue_poll(c.queue.get(), timeout + 1000));
    if (!ev || rd_kafka_event_error(ev.get())) {
        report.errors.push_back("describing consumer groups failed");
        for (const auto &id : ids)
            groups.push_back(GroupView{id, "Unknown", "", {}, {}, {}, {}, "not described"});
        return;
    }
    const auto *res = rd_kafka_event_DescribeConsumerGroups_result(ev.get());
    size_t n = 0;
    const rd_kafka_ConsumerGroupDescription_t **descs = rd_kafka_DescribeConsumerGroups_result_groups(res, &n);
    for (size_t i = 0; i < n; ++i) {
        const auto *d = descs[i];
        GroupView v;
        v.groupId = rd_kafka_ConsumerGroupDescription_group_id(d);
        if (const rd_kafka_error_t *err = rd_kafka_ConsumerGroupDescription_error(d)) {
            v.error = KafkaError::fromError(err).sentence();
            v.state = "Unknown";
            groups.push_back(std::move(v));
            continue;
        }
        if (rd_kafka_ConsumerGroupDescription_is_simple_consumer_group(d) &&
            rd_kafka_ConsumerGroupDescription_member_count(d) == 0)
            v.state = "Empty";
        else
            v.state = rd_kafka_consumer_group_state_name(rd_kafka_ConsumerGroupDescription_state(d));
        if (const char *a = rd_kafka_ConsumerGroupDescription_partition_assignor(d))
            v.assignor = a;
        const size_t mc = rd_kafka_ConsumerGroupDescription_member_count(d);
        for (size_t m = 0; m < mc; ++m) {
            const auto *md = rd_kafka_ConsumerGroupDescription_member(d, m);
            GroupMemberRow row;
            row.consumerId = rd_kafka_MemberDescription_consumer_id(md);
            row.clientId = rd_kafka_MemberDescription_client_id(md);
            row.host = rd_kafka_MemberDescription_host(md);
            if (const auto *asg = rd_kafka_MemberDescription_assignment(md))
                if (const auto *parts = rd_kafka_MemberAssignment_partitions(asg))
                    for (int p = 0; p < parts->cnt; ++p) {
                        row.assignment.emplace_back(parts->elems[p].topic, parts->elems[p].partition);
                        v.partitions.insert({parts->elems[p].topic, parts->elems[p].partition});
                    }
            v.members.push_back(std::move(row));
        }
        groups.push_back(std::move(v));
    }
}

void LagMonitor::ownGroupViews(std::vector<GroupView> &groups)
{
    std::vector<OwnGroup> own;
    {
        std::lock_guard lock(m_mutex);
        own = m_ownGroups;
    }
    for (const auto &g : own) {
        if (m_options.onlyGroup && *m_options.onlyGroup != g.groupId)
            continue;
        GroupView v;
        v.groupId = g.groupId;
        v.topics = g.topics;
        v.assignor = "range";
        bool anyJoined = false;
        for (const auto &m : g.members) {
            GroupMemberRow row;
            row.consumerId = m.clientId; // the mock does not tell member ids to an outsider: client ids stand in
            row.clientId = m.clientId;
            row.host = "/127.0.0.1";
            for (const auto &tp : m.assignment) {
                row.assignment.emplace_back(tp.topic, tp.partition);
                v.partitions.insert({tp.topic, tp.partition});
            }
            anyJoined = anyJoined || m.joined;
            v.members.push_back(std::move(row));
        }
        v.state = g.members.empty() ? "Empty" : (anyJoined ? "Stable" : "PreparingRebalance");
        groups.push_back(std::move(v));
    }
}

void LagMonitor::fetchCommitted(std::vector<GroupView> &groups, const std::map<std::string, int> &partitionsByTopic,
                                LagReport &report)
{
    if (groups.empty())
        return;
    const int timeout = m_options.requestTimeoutMs;
    if (m_options.embedded) {
        // On the mock, an admin ListConsumerGroupOffsets that times out (coordinator down) trips a librdkafka
        // assertion (rd_kafka_enq_once_del_source_return, upstream issue 4605). OffsetFetch through a handle of
        // the group itself (never subscribed, so it never joins) times out cleanly instead.
        std::set<std::string> present;
        for (auto &v : groups) {
            present.insert(v.groupId);
            auto &h = m_groupHandles[v.groupId];
            if (!h) {
                auto props = m_options.clusterProperties;
                props["group.id"] = v.groupId;
                props["client.id"] = "kcl-lag-monitor-offsets";
                props["enable.auto.commit"] = "false";
                props["log_level"] = "3";
                h = makeHandle(RD_KAFKA_CONSUMER, makeConf(props));
            }
            TopicPartitionListHandle parts(rd_kafka_topic_partition_list_new(8));
            for (const auto &t : v.topics) {
                auto it = partitionsByTopic.find(t);
                for (int p = 0; it != partitionsByTopic.end() && p < it->second; ++p) {
                    rd_kafka_topic_partition_list_add(parts.get(), t.c_str(), p);
                    v.partitions.insert({t, p}); // shown even before the group commits anything
                }
            }
            if (parts->cnt == 0)
                continue;
            if (auto err = rd_kafka_committed(h.get(), parts.get(), std::min(timeout, 1500))) {
                v.error = "committed offsets: " + KafkaError::fromCode(err).sentence();
                continue;
            }
            for (int p = 0; p < parts->cnt; ++p) {
                const auto &e = parts->elems[p];
                if (!e.err && e.offset >= 0)
                    v.committed[{e.topic, e.partition}] = e.offset;
            }
        }
        std::erase_if(m_groupHandles, [&](const auto &kv) { return !present.count(kv.first); });
        return;
    }
    AdminCall c = prepare(m_rk.get(), RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPOFFSETS, timeout);
    std::map<std::string, GroupView *> byId;
    int sent = 0;
    for (auto &v : groups) {
        TopicPartitionListHandle parts;
        if (m_options.embedded) {
            // The mock answers OffsetFetch only for an explicit partition list.
            parts.reset(rd_kafka_topic_partition_list_new(8));
            for (const auto &t : v.topics) {
                auto it = partitionsByTopic.find(t);
                for (int p = 0; it != partitionsByTopic.end() && p < it->second; ++p) {
                    rd_kafka_topic_partition_list_add(parts.get(), t.c_str(), p);
                    v.partitions.insert({t, p}); // shown even before the group commits anything
                }
            }
        }
        rd_kafka_ListConsumerGroupOffsets_t *req = rd_kafka_ListConsumerGroupOffsets_new(v.groupId.c_str(), parts.get());
        rd_kafka_ListConsumerGroupOffsets(m_rk.get(), &req, 1, c.options.get(), c.queue.get());
        rd_kafka_ListConsumerGroupOffsets_destroy(req);
        byId[v.groupId] = &v;
        ++sent;
    }
    // All requests are in flight together; collect their answers.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout + 1000);
    for (int got = 0; got < sent;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
        if (left <= 0) {
            report.errors.push_back("committed offsets of " + std::to_string(sent - got) + " group(s) did not arrive in time");
            break;
        }
        EventHandle ev(rd_kafka_queue_poll(c.queue.get(), static_cast<int>(left)));
        if (!ev)
            continue;
        ++got;
        if (rd_kafka_event_error(ev.get())) {
            report.errors.push_back("fetching committed offsets failed: " +
                                    KafkaError::fromCode(rd_kafka_event_error(ev.get()), rd_kafka_event_error_string(ev.get())).sentence());
            continue;
        }
        const auto *res = rd_kafka_event_ListConsumerGroupOffsets_result(ev.get());
        size_t n = 0;
        const rd_kafka_group_result_t **gres = rd_kafka_ListConsumerGroupOffsets_result_groups(res, &n);
        for (size_t i = 0; i < n; ++i) {
            auto it = byId.find(rd_kafka_group_result_name(gres[i]));
            if (it == byId.end())
                continue;
            GroupView &v = *it->second;
            if (const rd_kafka_error_t *err = rd_kafka_group_result_error(gres[i])) {
                v.error = "committed offsets: " + KafkaError::fromError(err).sentence();
                continue;
            }
            const auto *parts = rd_kafka_group_result_partitions(gres[i]);
            for (int p = 0; parts && p < parts->cnt; ++p) {
                const auto &e = parts->elems[p];
                if (e.err || e.offset < 0)
                    continue; // no committed offset for this partition
                v.committed[{e.topic, e.partition}] = e.offset;
                v.partitions.insert({e.topic, e.partition});
            }
        }
    }
}

std::map<TP, std::int64_t> LagMonitor::queryOffsets(rd_kafka_t *rk, const std::set<TP> &parts, std::int64_t spec,
                                                     const std::map<TP, std::int32_t> &leaders, LagReport &report,
                                                     const char *what)
{
    std::map<TP, std::int64_t> out;
    // One ListOffsets request per partition leader (timestamp -1 = latest, -2 = earliest), so a broker that is
    // down costs only its own partitions, which are then reported as unknown instead of stale.
    std::map<std::int32_t, std::vector<TP>> byLeader;
    for (const auto &tp : parts) {
        const auto l = leaders.find(tp);
        byLeader[l == leaders.end() ? -1 : l->second].push_back(tp);
    }
    int failed = 0;
    std::string lastError;
    for (const auto &[leader, tps] : byLeader) {
        TopicPartitionListHandle list(rd_kafka_topic_partition_list_new(static_cast<int>(tps.size())));
        for (const auto &[t, p] : tps)
            rd_kafka_topic_partition_list_add(list.get(), t.c_str(), p)->offset = spec;
        if (auto err = rd_kafka_offsets_for_times(rk, list.get(), std::min(m_options.requestTimeoutMs, 1500))) {
            failed += static_cast<int>(tps.size());
            lastError = "leader " + std::to_string(leader) + ": " + KafkaError::fromCode(err).sentence();
            continue;
        }
        for (int i = 0; i < list->cnt; ++i) {
            const auto &e = list->elems[i];
            if (e.err || e.offset < 0) {
                ++failed;
                if (e.err)
                    lastError = KafkaError::fromCode(e.err).sentence();
                continue;
            }
            out[{e.topic, e.partition}] = e.offset;
        }
    }
    if (failed)
        report.errors.push_back(std::to_string(failed) + " partition(s): " + what + " unavailable (" + lastError + ")");
    return out;
}

std::set<LagMonitor::ProbeKey> LagMonitor::markersOnly(const std::vector<ProbeKey> &candidates, std::int64_t now,
                                                       LagReport &report)
{
    constexpr std::int64_t retryInconclusiveMs = 30'000;
    constexpr std::size_t maxPerRead = 256; // the rest waits for the next cycle: a cycle stays short
    std::set<ProbeKey> out;
    std::map<TP, ProbeKey> toRead;
    for (const auto &k : candidates) {
        const auto c = m_probeCache.find(k);
        if (c != m_probeCache.end() && (c->second.conclusive || now - c->second.atMs < retryInconclusiveMs)) {
            if (c->second.markersOnly)
                out.insert(k);
            continue;
        }
        if (toRead.size() < maxPerRead)
            toRead.emplace(TP{k.topic, k.partition}, k);
    }
    if (toRead.empty())
        return out;
    try {
        if (!m_rkProbe) {
            auto props = adminClientProperties(m_options.clusterProperties);
            props["client.id"] = "kcl-lag-monitor-probe";
            // A group of its own only because librdkafka assigns partitions through one; never joined (assign,
            // not subscribe) and never committed to, so it never shows among the cluster's groups.
            props["group.id"] = "kcl-lag-monitor-probe";
            props["isolation.level"] = "read_committed";
            props["enable.partition.eof"] = "true";
            props["enable.auto.offset.store"] = "false";
            props["auto.offset.reset"] = "error";
            props["fetch.wait.max.ms"] = "100";
            props["fetch.message.max.bytes"] = "65536";  // one record decides; no need to prefetch more
            props["queued.max.messages.kbytes"] = "1024";
            m_rkProbe = makeHandle(RD_KAFKA_CONSUMER, makeConf(props));
        }
    } catch (const std::exception &e) {
        report.errors.push_back(std::string("looking for transaction markers: ") + e.what());
        return out;
    }
    TopicPartitionListHandle list(rd_kafka_topic_partition_list_new(static_cast<int>(toRead.size())));
    for (const auto &[tp, k] : toRead)
        rd_kafka_topic_partition_list_add(list.get(), tp.first.c_str(), tp.second)->offset = k.committed;
    if (const auto err = rd_kafka_assign(m_rkProbe.get(), list.get())) {
        report.errors.push_back("looking for transaction markers: " + KafkaError::fromCode(err).sentence());
        return out;
    }
    std::map<TP, ProbeVerdict> verdicts;
    std::string lastError;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(std::min(m_options.requestTimeoutMs, 3000));
    while (verdicts.size() < toRead.size() && std::chrono::steady_clock::now() < deadline) {
        MessageHandle m(rd_kafka_consumer_poll(m_rkProbe.get(), 100));
        if (!m)
            continue;
        if (!m->rkt) { // a client-level error (a broker down): the deadline decides
            if (m->err)
                lastError = KafkaError::fromCode(m->err, rd_kafka_message_errstr(m.get())).sentence();
            continue;
        }
        const TP tp{rd_kafka_topic_name(m->rkt), m->partition};
        const auto it = toRead.find(tp);
        if (it == toRead.end() || verdicts.count(tp))
            continue;
        if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
            // Reached the last stable offset without a record: only control records (markers) were in between.
            verdicts[tp] = {true, true, now};
        } else if (m->err) {
            lastError = KafkaError::fromCode(m->err, rd_kafka_message_errstr(m.get())).sentence();
            verdicts[tp] = {false, false, now};
        } else if (m->offset >= it->second.committed) { // (an older offset would be a leftover of an earlier read)
            verdicts[tp] = {false, true, now}; // a record the group has not read: a real lag
        }
    }
    rd_kafka_assign(m_rkProbe.get(), nullptr);
    int inconclusive = 0;
    for (const auto &[tp, k] : toRead) {
        const auto v = verdicts.find(tp);
        const ProbeVerdict verdict = v == verdicts.end() ? ProbeVerdict{false, false, now} : v->second;
        inconclusive += verdict.conclusive ? 0 : 1;
        if (verdict.markersOnly)
            out.insert(k);
        m_probeCache[k] = verdict;
    }
    while (m_probeCache.size() > probeCacheSize)
        m_probeCache.erase(std::min_element(m_probeCache.begin(), m_probeCache.end(), [](const auto &a, const auto &b) {
            return a.second.atMs < b.second.atMs;
        }));
    if (inconclusive)
        report.errors.push_back(std::to_string(inconclusive) + " partition(s): could not tell whether only transaction "
                                "markers follow the committed offset (" +
                                (lastError.empty() ? KafkaError::fromCode(RD_KAFKA_RESP_ERR__TIMED_OUT).sentence() : lastError) + ")");
    return out;
}

void LagMonitor::trackRebalances(GroupLagReport &g, const GroupView &v, std::int64_t now)
{
    std::map<std::string, std::string> members;
    for (const auto &m : v.members)
        members[m.consumerId] = m.clientId;
    const std::string assignment = memberAssignmentText(v.members);
    auto lastIt = m_lastMembers.find(v.groupId);
    if (lastIt != m_lastMembers.end() && (lastIt->second != members || m_lastAssignment[v.groupId] != assignment)) {
        RebalanceRecord r;
        r.atMs = now;
        for (const auto &[id, client] : members)
            if (!lastIt->second.count(id))
                r.joined.push_back(client);
        for (const auto &[id, client] : lastIt->second)
            if (!members.count(id))
                r.left.push_back(client);
        r.membersAfter = static_cast<int>(members.size());
        auto &list = m_rebalances[v.groupId];
        list.push_back(std::move(r));
        if (list.size() > 100)
            list.erase(list.begin());
        ++m_rebalanceCount[v.groupId];
        m_rebalanceWindows[v.groupId].add(now);
    }
    m_lastMembers[v.groupId] = members;
    m_lastAssignment[v.groupId] = assignment;
    g.rebalances = m_rebalanceCount[v.groupId];
    // From the time window, not from the timeline: more than 100 rebalances in an hour still count.
    const RebalanceWindow::Counts counts = m_rebalanceWindows[v.groupId].counts(now);
    g.rebalancesLastMinute = counts.lastMinute;
    g.rebalancesLastHour = counts.lastHour;
    const auto &list = m_rebalances[v.groupId];
    g.recentRebalances.assign(list.size() > 20 ? list.end() - 20 : list.begin(), list.end());
}

LagReport LagMonitor::cycle()
{
    const auto t0 = std::chrono::steady_clock::now();
    if (m_renewClients.exchange(false) && !m_options.embedded)
        createHandles();
    LagReport r;
    r.atMs = wallClockMs();
    r.coverage = m_options.embedded
                     ? "Embedded cluster: it cannot list or describe groups, so the monitor covers the groups this app "
                       "runs (membership from their own rebalance callbacks, offsets from the cluster)."
                     : "Every consumer group on the cluster, from the cluster's own answers.";

    std::map<std::string, int> partitionsByTopic;
    std::map<TP, std::int32_t> leaders;
    std::map<TP, std::pair<std::vector<std::int32_t>, std::vector<std::int32_t>>> replicas; // replicas, ISR
    {
        const rd_kafka_metadata_t *md = nullptr;
        auto err = rd_kafka_metadata(m_rk.get(), 1, nullptr, &md, m_options.requestTimeoutMs);
        // A request that went to a broker which died under it times out; librdkafka sends the next one to a
        // broker that is up, so one retry tells a lost broker from a lost cluster.
        if (err == RD_KAFKA_RESP_ERR__TIMED_OUT || err == RD_KAFKA_RESP_ERR__TRANSPORT)
            err = rd_kafka_metadata(m_rk.get(), 1, nullptr, &md, m_options.requestTimeoutMs);
        if (err) {
            // A timeout alone does not say why; the client's own last error does (wrong password, TLS, refused).
            // Error events wait on the handle's main queue until it is polled (by its owner, this thread).
            rd_kafka_poll(m_rk.get(), 0);
            const std::string why = takeClientError();
            r.errors.push_back("cluster metadata: " + KafkaError::fromCode(err).sentence() + (why.empty() ? "" : "; the client reports: " + why) +
                               (m_lastPartitionsByTopic.empty() ? "" : "; topics and leaders as of the previous cycle"));
            // Rows stay (with what is unknown marked as such) instead of vanishing for a cycle.
            partitionsByTopic = m_lastPartitionsByTopic;
            leaders = m_lastLeaders;
            replicas = m_lastReplicas;
        } else {
            MetadataHandle owned(md);
            std::set<std::int32_t> live;
            for (int i = 0; i < md->broker_cnt; ++i)
                live.insert(md->brokers[i].id);
            // A broker the handles knew is gone from the cluster (stopped, crashed): start over with handles that
            // know only the live ones, before any admin request of this cycle can go to the dead one.
            if (!m_options.embedded && std::any_of(m_handleBrokers.begin(), m_handleBrokers.end(),
                                                   [&](std::int32_t id) { return !live.count(id); })) {
                createHandles();
                // Only to teach the new handle the live brokers and the leaders.
                const rd_kafka_metadata_t *fresh = nullptr;
                if (!rd_kafka_metadata(m_rk.get(), 1, nullptr, &fresh, m_options.requestTimeoutMs))
                    MetadataHandle freshOwned(fresh);
            }
            m_handleBrokers.insert(live.begin(), live.end());
            for (int i = 0; i < md->topic_cnt; ++i) {
                const auto &t = md->topics[i];
                if (t.err || std::string_view(t.topic).substr(0, 2) == "__")
                    continue; // internal topics (__consumer_offsets, __transaction_state)
                partitionsByTopic[t.topic] = t.partition_cnt;
                for (int p = 0; p < t.partition_cnt; ++p) {
                    const auto &mp = t.partitions[p];
                    leaders[{t.topic, mp.id}] = mp.leader;
                    auto &rs = replicas[{t.topic, mp.id}];
                    rs.first.assign(mp.replicas, mp.replicas + mp.replica_cnt);
                    rs.second.assign(mp.isrs, mp.isrs + mp.isr_cnt);
                }
            }
            m_lastPartitionsByTopic = partitionsByTopic;
            m_lastLeaders = leaders;
            m_lastReplicas = replicas;
        }
    }

    std::vector<GroupView> groups;
    if (m_options.embedded) {
        ownGroupViews(groups);
        fetchCommitted(groups, partitionsByTopic, r);
    } else {
        std::lock_guard lock(m_groupRequestMutex);
        if (m_groupRequestsPaused.load()) {
            groups = m_lastGroups;
            r.coverage += " A broker is being stopped: groups, members and committed offsets are those of the previous "
                          "cycle until it is gone.";
        } else {
            listAndDescribeGroups(groups, r);
            fetchCommitted(groups, partitionsByTopic, r);
            m_lastGroups = groups;
        }
    }

    std::set<TP> all, groupParts;
    for (const auto &[tp, leader] : leaders)
        all.insert(tp);
    for (const auto &v : groups)
        for (const auto &tp : v.partitions) {
            all.insert(tp);
            groupParts.insert(tp);
        }
    const auto ends = queryOffsets(m_rk.get(), all, RD_KAFKA_OFFSET_END, leaders, r, "end offsets");
    const auto starts = queryOffsets(m_rk.get(), all, RD_KAFKA_OFFSET_BEGINNING, leaders, r, "log start offsets");
    const auto stable = queryOffsets(m_rkCommitted.get(), groupParts, RD_KAFKA_OFFSET_END, leaders, r, "last stable offsets");
    const std::int64_t now = wallClockMs();

    // Throughput and distribution per topic, from end-offset deltas (every producer counts).
    std::map<std::string, TopicThroughputRow> topicRows;
    for (const auto &[topic, n] : partitionsByTopic) {
        auto &row = topicRows[topic];
        row.topic = topic;
        row.partitions = n;
        row.messagesPerPartition.assign(static_cast<std::size_t>(n), 0);
        row.leaderPerPartition.assign(static_cast<std::size_t>(n), -1);
        row.replicasPerPartition.assign(static_cast<std::size_t>(n), {});
        row.isrPerPartition.assign(static_cast<std::size_t>(n), {});
    }
    for (const auto &[tp, rs] : replicas)
        if (auto it = topicRows.find(tp.first); it != topicRows.end() && tp.second < it->second.partitions) {
            it->second.replicasPerPartition[static_cast<std::size_t>(tp.second)] = rs.first;
            it->second.isrPerPartition[static_cast<std::size_t>(tp.second)] = rs.second;
        }
    for (const auto &[tp, end] : ends) {
        m_endHistory[tp].add(end, now);
        auto it = topicRows.find(tp.first);
        if (it == topicRows.end() || tp.second >= it->second.partitions)
            continue;
        auto &row = it->second;
        const auto s = starts.find(tp);
        const std::int64_t held = end - (s == starts.end() ? 0 : s->second);
        row.messagesPerPartition[static_cast<std::size_t>(tp.second)] = held;
        row.messages += held;
        auto last = m_lastEnd.find(tp);
        if (last != m_lastEnd.end() && now > last->second.second && end >= last->second.first)
            row.messagesPerSec += static_cast<double>(end - last->second.first) * 1000.0 / static_cast<double>(now - last->second.second);
        m_lastEnd[tp] = {end, now};
    }
    // Read rate per topic, every group together, from committed-offset deltas since the last cycle.
    for (const auto &v : groups)
        for (const auto &[tp, committed] : v.committed) {
            auto &last = m_lastCommitted[{v.groupId, tp.first, tp.second}];
            auto it = topicRows.find(tp.first);
            if (last.second > 0 && now > last.second && committed >= last.first && it != topicRows.end())
                it->second.consumedPerSec +=
                    static_cast<double>(committed - last.first) * 1000.0 / static_cast<double>(now - last.second);
            last = {committed, now};
        }
    // Forget partitions and topics that are gone (deleted, or fewer partitions after a re-creation).
    auto gonePartition = [&](const std::string &topic, std::int32_t partition) {
        const auto it = partitionsByTopic.find(topic);
        return it == partitionsByTopic.end() || partition >= it->second;
    };
    std::erase_if(m_endHistory, [&](const auto &kv) { return gonePartition(kv.first.first, kv.first.second); });
    std::erase_if(m_lastEnd, [&](const auto &kv) { return gonePartition(kv.first.first, kv.first.second); });
    {
        std::set<std::tuple<std::string, std::string, std::int32_t>> committedNow;
        for (const auto &v : groups)
            for (const auto &[tp, committed] : v.committed)
                committedNow.insert({v.groupId, tp.first, tp.second});
        std::erase_if(m_lastCommitted, [&](const auto &kv) { return !committedNow.count(kv.first); });
    }
    for (const auto &[tp, leader] : leaders) {
        auto it = topicRows.find(tp.first);
        if (it != topicRows.end() && tp.second < it->second.partitions)
            it->second.leaderPerPartition[static_cast<std::size_t>(tp.second)] = leader;
        ++r.leadersPerBroker[leader];
    }
    for (auto &[topic, row] : topicRows) {
        const double mean = row.partitions ? static_cast<double>(row.messages) / row.partitions : 0;
        const auto mx = row.messagesPerPartition.empty() ? 0 : *std::max_element(row.messagesPerPartition.begin(), row.messagesPerPartition.end());
        row.skew = mean > 0 ? static_cast<double>(mx) / mean : 0;
        r.topics.push_back(row);
    }

    // Lag per group and partition.
    std::set<std::string> seenGroups;
    for (const auto &v : groups) {
        seenGroups.insert(v.groupId);
        GroupLagReport g;
        g.groupId = v.groupId;
        g.state = v.state;
        g.assignor = v.assignor;
        g.members = v.members;
        if (!v.error.empty())
            r.errors.push_back("group " + v.groupId + ": " + v.error);
        std::map<TP, const GroupMemberRow *> owner;
        for (const auto &m : g.members)
            for (const auto &tp : m.assignment)
                owner[tp] = &m;
        auto &windows = m_windows[v.groupId];
        std::vector<std::vector<LagSample> *> groupWindows;
        std::vector<std::pair<std::size_t, ProbeKey>> probeCandidates; // row index, what to read
        for (const auto &tp : v.partitions) {
            PartitionLagRow row;
            row.topic = tp.first;
            row.partition = tp.second;
            const auto c = v.committed.find(tp);
            if (c != v.committed.end())
                row.committed = c->second;
            const auto e = ends.find(tp);
            const auto s = starts.find(tp);
            const auto l = stable.find(tp);
            if (e == ends.end()) {
                row.error = "end offset unknown (leader unavailable)";
            } else {
                const PartitionLag pl = computeLag(row.committed, s == starts.end() ? 0 : s->second, e->second);
                row.logEnd = e->second;
                row.logStart = s == starts.end() ? -1 : s->second;
                row.lag = pl.lag;
                row.committedBelowLogStart = pl.committedBelowLogStart;
                if (l != stable.end()) {
                    row.lastStable = l->second;
                    if (row.committed)
                        row.lagCommitted = l->second - *row.committed;
                }
                if (row.committed) {
                    const auto est = m_endHistory[tp].timeLag(*row.committed, now);
                    row.timeLagSec = est.seconds;
                    row.timeLagKnown = est.known;
                    row.timeLagLowerBound = est.lowerBound;
                }
                if (row.lag)
                    g.totalLag += std::max<std::int64_t>(0, *row.lag);
                if (row.timeLagKnown) {
                    if (!g.maxTimeLagKnown || row.timeLagSec > g.maxTimeLagSec) {
                        g.maxTimeLagSec = row.timeLagSec;
                        g.maxTimeLagLowerBound = row.timeLagLowerBound;
                    } else if (row.timeLagSec == g.maxTimeLagSec) {
                        g.maxTimeLagLowerBound = g.maxTimeLagLowerBound || row.timeLagLowerBound;
                    }
                    g.maxTimeLagKnown = true;
                }
                auto &w = windows[tp];
                // Unknown committed offset: the whole partition waits (counted from the log start).
                const std::int64_t lagForStatus = row.lag ? std::max<std::int64_t>(0, *row.lag) : e->second - std::max<std::int64_t>(0, row.logStart);
                w.push_back({now, row.committed, lagForStatus, false});
                if (w.size() > static_cast<std::size_t>(std::max(2, m_options.windowCycles)))
                    w.erase(w.begin());
                groupWindows.push_back(&w);
                // Worth reading what follows the committed offset only when nothing moves (committed and end
                // offsets as in the window): that is when the rules would call the partition stuck. A first sample
                // shows no movement yet; a small lag there gets one read too, so a one-cycle report is right.
                // Records below the log start are gone, so that case is a real lag.
                const bool still = w.size() >= 2 ? w.front().committed == w.back().committed && w[w.size() - 2].lag == w.back().lag
                                                 : lagForStatus <= 16;
                if (still && row.committed && row.lag && *row.lag > 0 && row.lastStable > *row.committed &&
                    row.lastStable <= row.logEnd && *row.committed >= row.logStart)
                    probeCandidates.push_back({g.rows.size(), {row.topic, row.partition, *row.committed, row.lastStable, row.logEnd}});
            }
            if (auto o = owner.find(tp); o != owner.end()) {
                row.consumerId = o->second->consumerId;
                row.host = o->second->host;
                row.clientId = o->second->clientId;
            }
            g.rows.push_back(std::move(row));
        }
        if (!probeCandidates.empty()) {
            std::vector<ProbeKey> keys;
            for (const auto &c : probeCandidates)
                keys.push_back(c.second);
            const std::set<ProbeKey> onlyMarkers = markersOnly(keys, now, r);
            for (const auto &[rowIndex, key] : probeCandidates)
                if (onlyMarkers.count(key)) {
                    g.rows[rowIndex].markersOnly = true;
                    // The row's window is the one with its topic and partition.
                    windows[{key.topic, key.partition}].back().markersOnly = true;
                }
        }
        std::vector<std::vector<LagSample>> statusInput;
        for (const auto *w : groupWindows)
            statusInput.push_back(*w);
        const StatusVerdict verdict = evaluateGroupStatus(statusInput, !g.members.empty());
        g.status = verdict.status;
        g.statusReason = verdict.reason;
        trackRebalances(g, v, now);
        r.groups.push_back(std::move(g));
    }
    // Forget windows of groups that disappeared, so memory follows the cluster, not its history.
    std::erase_if(m_windows, [&](const auto &kv) { return !seenGroups.count(kv.first); });

    {
        std::lock_guard lock(m_mutex);
        for (const auto &g : r.groups)
            m_lagSeries.try_emplace(g.groupId, m_options.historySamples).first->second.push({now, static_cast<double>(g.totalLag)});
        for (const auto &t : r.topics)
            m_rateSeries.try_emplace(t.topic, m_options.historySamples).first->second.push({now, t.messagesPerSec});
        // Series of groups and topics that are gone go too (their charts have nothing more to show).
        std::erase_if(m_lagSeries, [&](const auto &kv) { return !seenGroups.count(kv.first); });
        std::erase_if(m_rateSeries, [&](const auto &kv) { return !partitionsByTopic.count(kv.first); });
    }
    r.cycleMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return r;
}

} // namespace kcl
