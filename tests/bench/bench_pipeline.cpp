// kcl-bench: measures the figures of docs/benchmarks.md and prints each one as it is measured.
//
//   kcl-bench [--cluster embedded|HOST:PORT] [--count N] [--repeat R] [--out FILE]
//             [--only produce,consume,latency] [--latency-rate R] [--latency-seconds S]
//             [--rdkafka-performance PATH] [--partitions P] [--consume-partitions P] [--producer-property KEY=VALUE]...
//   kcl-bench --create-topic NAME --cluster HOST:PORT [--partitions P]   (helper for run-benchmarks.sh)
//
// a. produce: the backend workload of the Pipeline (generation + serialization + produce, the product's
//    producer properties), from the first enqueue to the last acknowledgement; then the produce-only figure:
//    the same events generated and serialized beforehand, sent through kcl::Producer with the same properties;
//    then the same events straight through librdkafka (cached topic handles, counting delivery callback), which
//    separates what kcl::Producer adds from what librdkafka and the compression cost.
// b. consume: N workload events stored in one topic; one GroupMember (the product's consumer machinery and
//    consumer properties) whose handler parses every event with parseEvent; timed from the first record to the
//    N-th, as rdkafka_performance -C times itself. With --rdkafka-performance, the reference consumes the same
//    topic of the same cluster right after ours (-C with all partitions; also -G, the group consumer).
// c. latency (embedded cluster; on a real one only with --only ...,latency): the whole Pipeline (workload + notification service) at --latency-rate events/s for
//    --latency-seconds after a warm-up; every notification of the window is read back from
//    platform.notifications.sent and created-to-notified percentiles are computed over all of them.
//
// A benchmark prints and records figures; it never passes or fails on them (exit status 0 unless it could not
// measure at all).
#include "events/Event.h"
#include "events/Topics.h"
#include "kafka/ClusterAdmin.h"
#include "kafka/GroupMember.h"
#include "kafka/Handles.h"
#include "kafka/Producer.h"
#include "metrics/LatencyWindow.h"
#include "metrics/PipelineMetrics.h"
#include "pipeline/NotificationService.h"
#include "pipeline/Pipeline.h"
#include "pipeline/WorkloadGenerator.h"

#include <nlohmann/json.hpp>

#include <QString>
#include <QtGlobal>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace kcl;
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
    std::string clusterArg = "embedded";
    ClusterProfile cluster = ClusterProfile::embedded(3);
    std::int64_t count = 1000000;
    int repeat = 3;
    int partitions = 6;
    // Partitions of the consume benchmark's topic (0: 32 on the embedded cluster, whose retention keeps only
    // ~5 MiB per partition, so that all N zstd-compressed events stay; --partitions on a real cluster).
    int consumePartitions = 0;
    std::string out;
    std::set<std::string> only{"produce", "consume", "latency"};
    bool onlyGiven = false;
    double latencyRate = 1000;
    int latencySeconds = 20;
    std::string rdkafkaPerformance;
    std::string createTopic;
    std::map<std::string, std::string> producerOverrides; // --producer-property k=v (diagnosis: like-with-like runs)
};

double secondsSince(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

void say(const std::string &line)
{
    std::cout << line << std::endl;
}

std::string fmt(double v, int decimals = 0)
{
    std::ostringstream s;
    s.setf(std::ios::fixed);
    s.precision(decimals);
    s << v;
    return s.str();
}

double median(std::vector<double> v)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

json propsJson(const std::map<std::string, std::string> &p)
{
    json j = json::object();
    for (const auto &[k, v] : p)
        if (k != "bootstrap.servers" && k.rfind("sasl.", 0) != 0)
            j[k] = v;
    return j;
}

// N workload events generated and serialized beforehand, in one arena (1M events are ~250 MB of JSON).
struct EventSet {
    std::string arena;
    struct Rec { std::uint64_t valueOff; std::uint32_t valueLen; std::uint32_t keyOff; std::uint16_t keyLen; std::uint8_t topic; std::uint8_t mentions; };
    std::vector<Rec> recs;
    std::string keyArena;
    std::vector<std::string> topicNames;
    std::int64_t valueBytes = 0, keyBytes = 0;
    std::size_t minLen = SIZE_MAX, maxLen = 0;
    std::map<std::string, std::int64_t> perTopic;

    std::string_view value(std::size_t i) const { return {arena.data() + recs[i].valueOff, recs[i].valueLen}; }
    std::string_view key(std::size_t i) const { return {keyArena.data() + recs[i].keyOff, recs[i].keyLen}; }
    const std::string &topic(std::size_t i) const { return topicNames[recs[i].topic]; }
};

EventSet generateEvents(std::int64_t n, std::uint64_t seed, double mentionProbability)
{
    EventSet set;
    WorkloadShape shape;
    shape.mentionProbability = mentionProbability;
    WorkloadGenerator gen(seed, shape);
    set.recs.reserve(static_cast<std::size_t>(n));
    set.arena.reserve(static_cast<std::size_t>(n) * 280);
    std::map<std::string, std::uint8_t> topicIndex;
    for (std::int64_t i = 0; i < n; ++i) {
        const Event e = gen.next(wallClockMs());
        const std::string value = serialize(e);
        const std::string key = e.key();
        const std::string topic(topicFor(e.type));
        auto it = topicIndex.find(topic);
        if (it == topicIndex.end()) {
            it = topicIndex.emplace(topic, static_cast<std::uint8_t>(set.topicNames.size())).first;
            set.topicNames.push_back(topic);
        }
        const auto *c = std::get_if<MessageCreated>(&e.payload);
        EventSet::Rec r{set.arena.size(), static_cast<std::uint32_t>(value.size()), static_cast<std::uint32_t>(set.keyArena.size()),
                        static_cast<std::uint16_t>(key.size()), it->second,
                        static_cast<std::uint8_t>(c ? std::min<std::size_t>(c->mentions.size(), 255) : 0)};
        set.arena += value;
        set.keyArena += key;
        set.recs.push_back(r);
        set.valueBytes += static_cast<std::int64_t>(value.size());
        set.keyBytes += static_cast<std::int64_t>(key.size());
        set.minLen = std::min(set.minLen, value.size());
        set.maxLen = std::max(set.maxLen, value.size());
        ++set.perTopic[topic];
    }
    return set;
}

// Runs a command, returns its stdout+stderr and exit status.
std::string runCommand(const std::string &cmd, int *status)
{
    std::string output;
    FILE *p = popen((cmd + " 2>&1").c_str(), "r");
    if (!p) {
        *status = -1;
        return {};
    }
    char buf[4096];
    while (std::size_t n = fread(buf, 1, sizeof buf, p))
        output.append(buf, n);
    *status = pclose(p);
    return output;
}

std::string shellQuote(const std::string &s)
{
    std::string q = "'";
    for (char c : s)
        q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

// ---------------------------------------------------------------------------------------------------------
// a. producer throughput
// ---------------------------------------------------------------------------------------------------------
json benchProduce(Pipeline &pipeline, const Options &opt, const EventSet &events)
{
    json result;
    auto props = pipeline.producerProperties();
    for (const auto &[k, v] : opt.producerOverrides)
        props[k] = v;
    result["producer_properties"] = propsJson(props);
    result["producer_overrides"] = propsJson(opt.producerOverrides);

    // On the embedded cluster every run gets a new cluster of its own, as every rdkafka_performance run starts a
    // new mock: the mock's work grows with what it already holds (it trims to ~5 MiB per partition), so runs one
    // after another on one cluster get slower and would not compare like with like. On a real cluster the runs
    // share it (as the reference runs do).
    struct RunCluster {
        std::unique_ptr<EmbeddedCluster> cluster;
        std::map<std::string, std::string> props;
    };
    auto freshCluster = [&]() {
        RunCluster rc;
        rc.props = props;
        if (pipeline.embedded()) {
            const int brokers = pipeline.embedded()->brokerCount();
            rc.cluster = std::make_unique<EmbeddedCluster>(brokers);
            for (auto t : topics::kAll)
                rc.cluster->createTopic(std::string(t), opt.partitions, std::min(3, brokers));
            rc.props["bootstrap.servers"] = rc.cluster->bootstrapServers();
        }
        return rc;
    };
    result["fresh_cluster_per_run"] = pipeline.embedded() != nullptr;

    // a1: the backend workload itself (generation + serialization + produce), as the product runs it: the
    // product's BackendWorkload class with the Pipeline's producer properties, seed and shape.
    json runs = json::array();
    std::vector<double> rates;
    std::int64_t bytesAll = 0, msgsAll = 0;
    for (int r = 0; r < opt.repeat; ++r) {
        RunCluster rc = freshCluster();
        PipelineMetrics m;
        WorkloadShape shape;
        shape.mentionProbability = 0.3;
        auto workload = std::make_unique<BackendWorkload>(rc.props, 42, shape, m);
        workload->setRunning(false);
        workload->start(kUnlimitedRate);
        std::this_thread::sleep_for(std::chrono::milliseconds(1500)); // its producer is created and warmed up
        workload->setEventLimit(static_cast<std::uint64_t>(opt.count));
        const auto t0 = Clock::now();
        workload->setRunning(true);
        bool timedOut = false;
        while (workload->acknowledged() < opt.count) {
            if (secondsSince(t0) > 600) {
                timedOut = true;
                break;
            }
            std::this_thread::sleep_for(std::chrono::microseconds(200));
        }
        const double sec = secondsSince(t0);
        const double rate = static_cast<double>(opt.count) / sec;
        rates.push_back(rate);
        runs.push_back({{"messages", opt.count}, {"seconds", sec}, {"msgs_per_s", rate},
                        {"failed", m.deliveryFailures.load()}, {"timed_out", timedOut}});
        say("  workload run " + std::to_string(r + 1) + ": " + std::to_string(opt.count) + " events in " + fmt(sec, 3) +
            " s = " + fmt(rate) + " msgs/s");
        workload.reset();
        for (std::size_t i = 0; i < topics::kAll.size(); ++i) {
            bytesAll += m.produced.bytes[i].load();
            msgsAll += m.produced.messages[i].load();
        }
    }
    const double avgSize = msgsAll > 0 ? static_cast<double>(bytesAll) / static_cast<double>(msgsAll) : 0;
    result["workload"] = {{"runs", runs}, {"median_msgs_per_s", median(rates)},
                          {"avg_value_bytes_acked", avgSize},
                          {"median_MB_per_s", median(rates) * avgSize / 1e6}};
    say("a. producer throughput, backend workload (generate+serialize+produce), median of " + std::to_string(opt.repeat) +
        ": " + fmt(median(rates)) + " msgs/s, " + fmt(median(rates) * avgSize / 1e6, 1) + " MB/s (avg value " + fmt(avgSize, 1) +
        " B as acknowledged)");

    // a2: produce only: pre-generated, pre-serialized events through kcl::Producer with the same properties.
    runs = json::array();
    rates.clear();
    for (int r = 0; r < opt.repeat; ++r) {
        RunCluster rc = freshCluster();
        PipelineMetrics local;
        auto producer = std::make_unique<Producer>(rc.props, "kcl-bench-produce-only", local);
        std::vector<std::string_view> tv(events.topicNames.begin(), events.topicNames.end());
        producer->warmUp(tv);
        const std::size_t n = events.recs.size();
        const auto t0 = Clock::now();
        std::int64_t queueFull = 0;
        for (std::size_t i = 0; i < n;) {
            const auto &rec = events.recs[i];
            const auto err = producer->produce(events.topic(i), events.key(i), events.value(i), rec.mentions);
            if (err.code == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
                ++queueFull;
                producer->poll(5);
                continue;
            }
            ++i;
            if (i % 1000 == 0)
                producer->poll(0);
        }
        while (producer->acknowledged() + producer->failed() < static_cast<std::int64_t>(n) && secondsSince(t0) < 600)
            producer->poll(100);
        const double sec = secondsSince(t0);
        const double rate = static_cast<double>(n) / sec;
        rates.push_back(rate);
        runs.push_back({{"messages", n}, {"seconds", sec}, {"msgs_per_s", rate}, {"failed", producer->failed()},
                        {"queue_full", queueFull}});
        say("  produce-only run " + std::to_string(r + 1) + ": " + std::to_string(n) + " events in " + fmt(sec, 3) + " s = " +
            fmt(rate) + " msgs/s (" + std::to_string(queueFull) + " queue-full retries)");
        producer.reset();
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    const double evAvg = static_cast<double>(events.valueBytes) / static_cast<double>(events.recs.size());
    result["produce_only"] = {{"runs", runs}, {"median_msgs_per_s", median(rates)}, {"median_MB_per_s", median(rates) * evAvg / 1e6}};
    say("a. producer throughput, produce only (pre-serialized events), median of " + std::to_string(opt.repeat) + ": " +
        fmt(median(rates)) + " msgs/s, " + fmt(median(rates) * evAvg / 1e6, 1) + " MB/s");

    // a3: the same events and properties straight through librdkafka, the way rdkafka_performance drives it
    // (topic handles created once, rd_kafka_produce, a delivery callback that only counts). The difference to
    // a2 is what kcl::Producer adds per record; the difference to the reference is data and compression.
    runs = json::array();
    rates.clear();
    for (int r = 0; r < opt.repeat; ++r) {
        struct Counts { std::int64_t ok = 0, failed = 0; } counts;
        RunCluster rc = freshCluster();
        auto rawProps = rc.props;
        rawProps["client.id"] = "kcl-bench-raw";
        ConfHandle conf = makeConf(rawProps);
        rd_kafka_conf_set_opaque(conf.get(), &counts);
        rd_kafka_conf_set_dr_msg_cb(conf.get(), [](rd_kafka_t *, const rd_kafka_message_t *msg, void *opaque) {
            auto *c = static_cast<Counts *>(opaque);
            if (msg->err)
                ++c->failed;
            else
                ++c->ok;
        });
        KafkaHandle rk = makeHandle(RD_KAFKA_PRODUCER, std::move(conf));
        std::vector<rd_kafka_topic_t *> rkts;
        for (const auto &t : events.topicNames) {
            rkts.push_back(rd_kafka_topic_new(rk.get(), t.c_str(), nullptr));
            const rd_kafka_metadata_t *md = nullptr;
            if (rd_kafka_metadata(rk.get(), 0, rkts.back(), &md, 5000) == RD_KAFKA_RESP_ERR_NO_ERROR)
                MetadataHandle owned(md);
        }
        const std::size_t n = events.recs.size();
        const bool byName = qEnvironmentVariableIntValue("KCL_BENCH_RAW_BY_NAME") == 1;
        // KCL_BENCH_RAW_ONE_TOPIC=1 (diagnosis): every event to the first topic without its key, the shape
        // rdkafka_performance -P sends (one topic, unkeyed); the data stays ours.
        const bool oneTopic = qEnvironmentVariableIntValue("KCL_BENCH_RAW_ONE_TOPIC") == 1;
        // KCL_BENCH_RAW_NO_COPY=1 (diagnosis): librdkafka refers to the events' bytes instead of copying them, as
        // rdkafka_performance -P does with its one buffer (safe here: the events outlive the flush below).
        const int copyFlag = qEnvironmentVariableIntValue("KCL_BENCH_RAW_NO_COPY") == 1 ? 0 : RD_KAFKA_MSG_F_COPY;
        const auto t0 = Clock::now();
        for (std::size_t i = 0; i < n;) {
            const auto &rec = events.recs[i];
            const auto v = events.value(i);
            const auto k = events.key(i);
            // KCL_BENCH_RAW_BY_NAME=1 (diagnosis): name the topic per record as kcl::Producer does (rd_kafka_producev
            // with RD_KAFKA_V_TOPIC looks the topic up under librdkafka's write lock for every record).
            rd_kafka_resp_err_t perr = RD_KAFKA_RESP_ERR_NO_ERROR;
            if (byName)
                perr = rd_kafka_producev(rk.get(), RD_KAFKA_V_TOPIC(events.topic(i).c_str()), RD_KAFKA_V_KEY(k.data(), k.size()),
                                         RD_KAFKA_V_VALUE(const_cast<char *>(v.data()), v.size()),
                                         RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
            else if (rd_kafka_produce(rkts[oneTopic ? 0 : rec.topic], RD_KAFKA_PARTITION_UA, copyFlag,
                                      const_cast<char *>(v.data()), v.size(), oneTopic ? nullptr : k.data(),
                                      oneTopic ? 0 : k.size(), nullptr) == -1)
                perr = rd_kafka_last_error();
            if (perr) {
                if (perr == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
                    rd_kafka_poll(rk.get(), 5);
                    continue;
                }
                ++counts.failed;
            }
            ++i;
            if (i % 1000 == 0)
                rd_kafka_poll(rk.get(), 0);
        }
        while (counts.ok + counts.failed < static_cast<std::int64_t>(n) && secondsSince(t0) < 600)
            rd_kafka_poll(rk.get(), 100);
        const double sec = secondsSince(t0);
        const double rate = static_cast<double>(n) / sec;
        rates.push_back(rate);
        runs.push_back({{"messages", n}, {"seconds", sec}, {"msgs_per_s", rate}, {"failed", counts.failed}});
        say("  raw librdkafka run " + std::to_string(r + 1) + ": " + std::to_string(n) + " events in " + fmt(sec, 3) + " s = " +
            fmt(rate) + " msgs/s");
        for (auto *t : rkts)
            rd_kafka_topic_destroy(t);
        rd_kafka_flush(rk.get(), 5000);
        rk.reset();
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    result["raw_librdkafka"] = {{"runs", runs}, {"median_msgs_per_s", median(rates)}};
    say("a. producer throughput, same events straight through librdkafka (no kcl::Producer), median of " +
        std::to_string(opt.repeat) + ": " + fmt(median(rates)) + " msgs/s");
    return result;
}

// ---------------------------------------------------------------------------------------------------------
// b. consumer throughput
// ---------------------------------------------------------------------------------------------------------
struct ConsumeState {
    std::int64_t target = 0;
    bool parse = true; // false: count the records only (diagnosis: what the member costs without the parse)
    std::atomic<std::int64_t> count{0}, parsed{0}, parseErrors{0}, bytes{0};
    Clock::time_point first, last;
    double memberCpuSeconds = 0; // CPU time of the member's thread from the first record to the last
    std::atomic<bool> done{false};
};

class ParsingHandler : public MessageHandler {
public:
    explicit ParsingHandler(ConsumeState &s) : m_s(s) {}
    void handle(const rd_kafka_message_t &record) override
    {
        if (m_count == 0) {
            m_s.first = Clock::now();
            m_cpuAtFirst = threadCpuSeconds();
        }
        if (m_s.parse) {
            const std::string_view bytes(static_cast<const char *>(record.payload), record.payload ? record.len : 0);
            const ParseResult r = parseEvent(bytes);
            if (r.ok())
                ++m_parsed;
            else
                ++m_errors;
        }
        m_bytes += static_cast<std::int64_t>(record.len);
        ++m_count;
        if (m_count == m_s.target) {
            m_s.last = Clock::now();
            m_s.memberCpuSeconds = threadCpuSeconds() - m_cpuAtFirst;
            m_s.parsed.store(m_parsed);
            m_s.parseErrors.store(m_errors);
            m_s.bytes.store(m_bytes);
            m_s.done.store(true);
        }
        m_s.count.store(m_count, std::memory_order_relaxed);
    }

private:
    ConsumeState &m_s;
    std::int64_t m_count = 0, m_parsed = 0, m_errors = 0, m_bytes = 0;
    double m_cpuAtFirst = 0;

    static double threadCpuSeconds()
    {
        timespec ts{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
    }
};

struct RefResult {
    bool ok = false;
    double msgsPerSec = 0, ms = 0;
    std::int64_t msgs = 0, bytes = 0;
    std::string line;
};

RefResult parseConsumeLine(const std::string &out)
{
    RefResult r;
    static const std::regex re(R"(% (\d+) messages \((\d+) bytes\) consumed in (\d+)ms: (\d+) msgs/s)");
    std::smatch m;
    std::string last;
    for (auto it = std::sregex_iterator(out.begin(), out.end(), re); it != std::sregex_iterator(); ++it)
        m = *it, last = m.str(0);
    if (!last.empty()) {
        std::smatch mm;
        std::regex_search(last, mm, re);
        r.ok = true;
        r.msgs = std::stoll(mm[1]);
        r.bytes = std::stoll(mm[2]);
        r.ms = std::stod(mm[3]);
        r.msgsPerSec = std::stod(mm[4]);
        r.line = last;
    }
    return r;
}

json benchConsume(Pipeline &pipeline, const Options &opt, const EventSet &events)
{
    json result;
    const bool embedded = pipeline.embedded() != nullptr;
    const int partitions = opt.consumePartitions > 0 ? opt.consumePartitions : (embedded ? 32 : opt.partitions);
    std::string topic = "kcl-bench.consume";
    if (!embedded)
        topic += "." + std::to_string(wallClockMs());
    if (embedded) {
        if (auto e = pipeline.embedded()->createTopic(topic, partitions, std::min(3, pipeline.embedded()->brokerCount())))
            throw std::runtime_error("creating " + topic + ": " + e.sentence());
    } else {
        ClusterAdmin admin(opt.cluster.clientProperties(pipeline.bootstrapServers()));
        ClusterMetadata md;
        admin.metadata(md, 5000);
        if (auto e = admin.ensureTopics({topic}, partitions, std::max(1, std::min<int>(3, static_cast<int>(md.brokers.size())))))
            throw std::runtime_error("creating " + topic + ": " + e.sentence());
    }
    // Fill it with the events, through the product's producer and properties.
    PipelineMetrics fillMetrics;
    auto fillProps = pipeline.producerProperties();
    for (const auto &[k, v] : opt.producerOverrides) // --producer-property applies to the fill too (retention checks)
        fillProps[k] = v;
    auto producer = std::make_unique<Producer>(fillProps, "kcl-bench-fill", fillMetrics);
    producer->warmUp({topic});
    const auto t0 = Clock::now();
    for (std::size_t i = 0; i < events.recs.size();) {
        const auto err = producer->produce(topic, events.key(i), events.value(i));
        if (err.code == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
            producer->poll(5);
            continue;
        }
        ++i;
        if (i % 1000 == 0)
            producer->poll(0);
    }
    producer->flush(120000);
    say("  filled " + topic + " with " + std::to_string(producer->acknowledged()) + " events in " + fmt(secondsSince(t0), 2) + " s");
    // What the topic holds (retention of the mock may have dropped the oldest batches).
    std::int64_t stored = 0;
    bool fromZero = true;
    for (int p = 0; p < partitions; ++p) {
        int64_t lo = 0, hi = 0;
        rd_kafka_query_watermark_offsets(producer->handle(), topic.c_str(), p, &lo, &hi, 5000);
        stored += hi - lo;
        fromZero = fromZero && lo == 0;
    }
    producer.reset();
    const double avg = static_cast<double>(events.valueBytes) / static_cast<double>(events.recs.size());
    result["topic"] = topic;
    result["partitions"] = partitions;
    result["stored"] = stored;
    result["all_retained"] = fromZero && stored == static_cast<std::int64_t>(events.recs.size());
    result["consumer_properties"] = propsJson(pipeline.consumerProperties());
    say("  the topic holds " + std::to_string(stored) + " records" + (fromZero ? "" : " (retention dropped the oldest)"));
    const std::int64_t target = stored;

    // Ours: one GroupMember (the product's consumer), parsing every event; then the same without the parse
    // (diagnosis: the member's own cost).
    const auto memberRuns = [&](bool parse, const std::string &what) {
        json runs = json::array();
        std::vector<double> rates;
        for (int r = 0; r < opt.repeat; ++r) {
            ConsumeState st;
            st.target = target;
            st.parse = parse;
            PipelineMetrics metrics;
            auto group = std::make_shared<GroupState>();
            group->groupId = "kcl-bench-consume-" + std::to_string(getpid()) + "-" + std::to_string(r) + (parse ? "-" : "-np-") +
                             std::to_string(wallClockMs());
            GroupMember::Config cfg;
            cfg.groupId = group->groupId;
            cfg.clientId = "kcl-bench-member";
            cfg.topics = {topic};
            cfg.properties = pipeline.consumerProperties();
            cfg.autoOffsetReset = "earliest";
            const auto started = Clock::now();
            std::int64_t fetchRestarts = 0;
            {
                GroupMember member(cfg, [&st](const std::string &) { return std::make_unique<ParsingHandler>(st); }, group, metrics);
                while (!st.done.load() && secondsSince(started) < 300)
                    std::this_thread::sleep_for(std::chrono::milliseconds(1));
                fetchRestarts = member.info().fetchRestarts;
                member.requestStop();
            }
            if (!st.done.load()) {
                say("  " + what + " run " + std::to_string(r + 1) + ": timed out after " + std::to_string(st.count.load()) + " records");
                runs.push_back({{"timed_out", true}, {"messages", st.count.load()}});
                continue;
            }
            const double sec = std::chrono::duration<double>(st.last - st.first).count();
            const double rate = static_cast<double>(target) / sec;
            rates.push_back(rate);
            runs.push_back({{"messages", target}, {"seconds", sec}, {"msgs_per_s", rate}, {"parsed", st.parsed.load()},
                            {"parse_errors", st.parseErrors.load()}, {"bytes", st.bytes.load()},
                            {"join_to_first_s", std::chrono::duration<double>(st.first - started).count()},
                            {"member_thread_cpu_s", st.memberCpuSeconds}, {"fetch_restarts", fetchRestarts}});
            say("  " + what + " run " + std::to_string(r + 1) + ": " + std::to_string(target) + " events " +
                (parse ? "parsed (" + std::to_string(st.parseErrors.load()) + " errors)" : "counted") + " in " + fmt(sec, 3) +
                " s = " + fmt(rate) + " msgs/s; the member's thread was on a CPU for " + fmt(st.memberCpuSeconds, 3) +
                " s of them; " + std::to_string(fetchRestarts) + " fetch restarts");
        }
        return std::make_pair(runs, rates);
    };
    const auto [runs, rates] = memberRuns(true, "consume");
    result["ours"] = {{"runs", runs}, {"median_msgs_per_s", median(rates)}, {"median_MB_per_s", median(rates) * avg / 1e6}};
    say("b. consume throughput, one group member parsing every event, median of " + std::to_string(opt.repeat) + ": " +
        fmt(median(rates)) + " msgs/s, " + fmt(median(rates) * avg / 1e6, 1) + " MB/s");
    const auto [bareRuns, bareRates] = memberRuns(false, "consume without parse");
    result["ours_without_parse"] = {{"runs", bareRuns}, {"median_msgs_per_s", median(bareRates)}};
    say("b. diagnosis, the same member counting records without parsing them, median of " + std::to_string(opt.repeat) +
        ": " + fmt(median(bareRates)) + " msgs/s");

    // Reference: rdkafka_performance on the same topic of the same cluster.
    if (!opt.rdkafkaPerformance.empty()) {
        std::string parts;
        for (int p = 0; p < partitions; ++p)
            parts += " -p " + std::to_string(p);
        // Like with like: the product's consumer properties (rdkafka_performance itself raises
        // queued.min.messages to 1000000; the product keeps librdkafka's default 100000).
        std::string xProduct;
        for (const auto &[k, v] : pipeline.consumerProperties())
            if (k != "bootstrap.servers" && k != "log_level")
                xProduct += " -X " + k + "=" + v;
        xProduct += " -X queued.min.messages=100000";
        struct Variant { std::string name, args; };
        const std::string base = shellQuote(opt.rdkafkaPerformance) + " -b " + shellQuote(pipeline.bootstrapServers()) +
                                 " -t " + topic + " -c " + std::to_string(target) + " -q";
        const std::vector<Variant> variants = {
            {"C_product_config", " -C" + parts + " -o beginning" + xProduct},
            {"C_stock", " -C" + parts + " -o beginning"},
            {"G_product_config", " -G kcl-bench-ref-%RUN%" + xProduct + " -X auto.offset.reset=earliest"},
        };
        json ref = json::object();
        for (const auto &v : variants) {
            json vruns = json::array();
            std::vector<double> vr;
            std::string cmdShown;
            for (int r = 0; r < opt.repeat; ++r) {
                std::string cmd = base + v.args;
                const auto pos = cmd.find("%RUN%");
                if (pos != std::string::npos)
                    cmd.replace(pos, 5, std::to_string(getpid()) + "-" + std::to_string(r) + "-" + std::to_string(wallClockMs()));
                cmdShown = cmd;
                int status = 0;
                const std::string out = runCommand("timeout 300 " + cmd, &status);
                const RefResult rr = parseConsumeLine(out);
                if (!rr.ok) {
                    say("  rdkafka_performance" + v.args.substr(0, 3) + " run " + std::to_string(r + 1) + ": no result (status " +
                        std::to_string(status) + "): " + out.substr(0, 400));
                    vruns.push_back({{"ok", false}, {"output", out.substr(0, 2000)}});
                    continue;
                }
                vr.push_back(rr.msgsPerSec);
                vruns.push_back({{"messages", rr.msgs}, {"bytes", rr.bytes}, {"ms", rr.ms}, {"msgs_per_s", rr.msgsPerSec}, {"line", rr.line}});
                say("  reference " + v.name + " run " + std::to_string(r + 1) + ": " + rr.line);
            }
            ref[v.name] = {{"command", cmdShown}, {"runs", vruns}, {"median_msgs_per_s", median(vr)}};
            say("b. reference rdkafka_performance " + v.name + ", median of " + std::to_string(opt.repeat) + ": " + fmt(median(vr)) + " msgs/s");
        }
        result["reference"] = ref;
    }
    return result;
}

// ---------------------------------------------------------------------------------------------------------
// c. notification latency
// ---------------------------------------------------------------------------------------------------------
json benchLatency(const Options &opt)
{
    json result;
    PipelineOptions po;
    po.cluster = opt.cluster;
    po.partitions = opt.partitions;
    po.workloadRate = opt.latencyRate;
    po.notificationMembers = 1;
    po.startWorkload = true;
    Pipeline pipeline(po);
    pipeline.start();
    PipelineMetrics &m = pipeline.metrics();
    // Warm-up: the member joins (about 3 s on the mock), the backlog of the join drains, then 3 s more.
    const auto t0 = Clock::now();
    while (m.notificationLatency.totalCount() == 0 && secondsSince(t0) < 60)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::this_thread::sleep_for(std::chrono::seconds(3));
    const double warmup = secondsSince(t0);

    // Start offsets of the notifications topic, read from a handle of our own that is not subscribed.
    auto props = opt.cluster.clientProperties(pipeline.bootstrapServers());
    props["group.id"] = "kcl-bench-latency-reader";
    props["enable.auto.commit"] = "false";
    props["log_level"] = "3";
    KafkaHandle reader = makeHandle(RD_KAFKA_CONSUMER, makeConf(props));
    const std::string ntopic(topics::kNotificationsSent);
    std::vector<std::int64_t> startOff(static_cast<std::size_t>(opt.partitions), 0);
    for (int p = 0; p < opt.partitions; ++p) {
        int64_t lo = 0, hi = 0;
        rd_kafka_query_watermark_offsets(reader.get(), ntopic.c_str(), p, &lo, &hi, 5000);
        startOff[static_cast<std::size_t>(p)] = hi;
    }
    const std::int64_t winStart = wallClockMs();
    std::int64_t producedBefore = 0;
    for (std::size_t i = 0; i < topics::kAll.size(); ++i)
        if (topics::kAll[i] != topics::kNotificationsSent && topics::kAll[i] != topics::kDeadLetter)
            producedBefore += m.produced.messages[i].load();
    m.notificationLatency.clear();
    const auto w0 = Clock::now();
    for (int s = 1; s <= opt.latencySeconds; ++s) {
        std::this_thread::sleep_until(w0 + std::chrono::seconds(s));
        if (s % 5 == 0) {
            const auto sum = m.notificationLatency.summary();
            say("  latency t=" + std::to_string(s) + "s: last 10 s p50 " + fmt(sum.p50, 1) + " ms, p99 " + fmt(sum.p99, 1) +
                " ms (" + std::to_string(sum.count) + " notifications)");
        }
    }
    const std::int64_t winEnd = wallClockMs();
    const double winSec = secondsSince(w0);
    std::int64_t producedAfter = 0;
    for (std::size_t i = 0; i < topics::kAll.size(); ++i)
        if (topics::kAll[i] != topics::kNotificationsSent && topics::kAll[i] != topics::kDeadLetter)
            producedAfter += m.produced.messages[i].load();
    const LatencySummary windowSummary = m.notificationLatency.summary();
    const std::int64_t inProcess = m.notificationLatency.totalCount();
    pipeline.setWorkloadRunning(false);
    std::this_thread::sleep_for(std::chrono::seconds(2)); // the last notifications are acknowledged

    // Read back every notification published since the start offsets; keep those notified inside the window.
    std::vector<std::int64_t> endOff(static_cast<std::size_t>(opt.partitions), 0);
    TopicPartitionListHandle tpl(rd_kafka_topic_partition_list_new(opt.partitions));
    for (int p = 0; p < opt.partitions; ++p) {
        int64_t lo = 0, hi = 0;
        rd_kafka_query_watermark_offsets(reader.get(), ntopic.c_str(), p, &lo, &hi, 5000);
        endOff[static_cast<std::size_t>(p)] = hi;
        startOff[static_cast<std::size_t>(p)] = std::max<std::int64_t>(startOff[static_cast<std::size_t>(p)], lo);
        rd_kafka_topic_partition_list_add(tpl.get(), ntopic.c_str(), p)->offset = startOff[static_cast<std::size_t>(p)];
    }
    rd_kafka_assign(reader.get(), tpl.get());
    std::int64_t remaining = 0;
    for (int p = 0; p < opt.partitions; ++p)
        remaining += endOff[static_cast<std::size_t>(p)] - startOff[static_cast<std::size_t>(p)];
    std::vector<double> lat;
    std::int64_t read = 0, unparsable = 0;
    const auto r0 = Clock::now();
    while (read < remaining && secondsSince(r0) < 60) {
        MessageHandle msg(rd_kafka_consumer_poll(reader.get(), 200));
        if (!msg || msg->err)
            continue;
        ++read;
        const auto parsed = parseEvent({static_cast<const char *>(msg->payload), msg->len});
        const NotificationSent *n = parsed.ok() ? std::get_if<NotificationSent>(&parsed.event->payload) : nullptr;
        if (!n) {
            ++unparsable;
            continue;
        }
        if (n->notifiedAtMs >= winStart && n->notifiedAtMs < winEnd)
            lat.push_back(static_cast<double>(n->notifiedAtMs - n->createdAtMs));
    }
    rd_kafka_consumer_close(reader.get());
    reader.reset();
    // Taken before stop(): a stopped pipeline no longer knows it ran on the embedded cluster.
    const auto consumerProperties = pipeline.consumerProperties();
    pipeline.stop();

    const double rate = static_cast<double>(producedAfter - producedBefore) / winSec;
    result["rate_asked"] = opt.latencyRate;
    result["rate_acknowledged"] = rate;
    result["window_seconds"] = winSec;
    result["warmup_seconds"] = warmup;
    result["notifications"] = lat.size();
    result["notifications_in_process_counter"] = inProcess;
    result["read_back"] = read;
    result["unparsable"] = unparsable;
    result["consumer_properties"] = propsJson(consumerProperties);
    if (!lat.empty()) {
        result["p50_ms"] = percentile(lat, 50);
        result["p90_ms"] = percentile(lat, 90);
        result["p99_ms"] = percentile(lat, 99);
        result["max_ms"] = *std::max_element(lat.begin(), lat.end());
    }
    result["last_10s_window"] = {{"count", windowSummary.count}, {"p50_ms", windowSummary.p50}, {"p99_ms", windowSummary.p99},
                                 {"max_ms", windowSummary.max}};
    say("c. notification latency at " + fmt(rate) + " events/s over " + fmt(winSec, 1) + " s: " + std::to_string(lat.size()) +
        " notifications, p50 " + fmt(result.value("p50_ms", 0.0), 1) + " ms, p99 " + fmt(result.value("p99_ms", 0.0), 1) +
        " ms, max " + fmt(result.value("max_ms", 0.0), 1) + " ms (in-process counter: " + std::to_string(inProcess) + ")");
    return result;
}

[[noreturn]] void usage(int status, const std::string &error = {})
{
    if (!error.empty())
        std::cerr << "kcl-bench: " << error << "\n";
    std::cerr << "usage: kcl-bench [--cluster embedded|HOST:PORT] [--count N] [--repeat R] [--out FILE]\n"
                 "                 [--only produce,consume,latency] [--latency-rate R] [--latency-seconds S]\n"
                 "                 [--rdkafka-performance PATH] [--partitions P] [--consume-partitions P] [--producer-property KEY=VALUE]...\n"
                 "       kcl-bench --create-topic NAME --cluster HOST:PORT [--partitions P]\n";
    std::exit(status);
}

Options parseArgs(int argc, char **argv)
{
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto val = [&]() -> std::string {
            if (i + 1 >= argc)
                usage(2, a + " needs a value");
            return argv[++i];
        };
        try {
            if (a == "--cluster") o.clusterArg = val();
            else if (a == "--count") o.count = std::stoll(val());
            else if (a == "--repeat") o.repeat = std::stoi(val());
            else if (a == "--partitions") o.partitions = std::stoi(val());
            else if (a == "--consume-partitions") o.consumePartitions = std::stoi(val());
            else if (a == "--out") o.out = val();
            else if (a == "--latency-rate") o.latencyRate = std::stod(val());
            else if (a == "--latency-seconds") o.latencySeconds = std::stoi(val());
            else if (a == "--rdkafka-performance") o.rdkafkaPerformance = val();
            else if (a == "--create-topic") o.createTopic = val();
            else if (a == "--producer-property") {
                const std::string kv = val();
                const auto eq = kv.find('=');
                if (eq == std::string::npos || eq == 0)
                    usage(2, "--producer-property needs KEY=VALUE");
                o.producerOverrides[kv.substr(0, eq)] = kv.substr(eq + 1);
            }
            else if (a == "--only") {
                o.only.clear();
                o.onlyGiven = true;
                std::stringstream ss(val());
                for (std::string s; std::getline(ss, s, ',');)
                    o.only.insert(s);
            } else if (a == "--help" || a == "-h") usage(0);
            else usage(2, "unknown option " + a);
        } catch (const std::logic_error &) {
            usage(2, "bad value for " + a);
        }
    }
    QString err;
    auto prof = ClusterProfile::fromCliArgument(QString::fromStdString(o.clusterArg), &err);
    if (!prof)
        usage(2, err.toStdString());
    o.cluster = *prof;
    // On a real cluster the latency run shares the product's topics and its group notification-service with
    // whatever ran before (the produce figures alone leave millions of events for it to catch up on): only
    // when asked for explicitly.
    if (o.cluster.kind != ClusterProfile::Kind::Embedded && !o.onlyGiven)
        o.only.erase("latency");
    if (o.count < 1 || o.repeat < 1 || o.partitions < 1)
        usage(2, "--count, --repeat and --partitions must be positive");
    return o;
}

} // namespace

int main(int argc, char **argv)
{
    const Options opt = parseArgs(argc, argv);
    if (!opt.createTopic.empty()) {
        if (opt.cluster.kind == ClusterProfile::Kind::Embedded)
            usage(2, "--create-topic needs a real cluster");
        ClusterAdmin admin(opt.cluster.clientProperties({}));
        ClusterMetadata md;
        if (auto e = admin.metadata(md, 5000)) {
            std::cerr << "kcl-bench: " << e.sentence() << "\n";
            return 1;
        }
        if (auto e = admin.ensureTopics({opt.createTopic}, opt.partitions, std::max(1, std::min<int>(3, static_cast<int>(md.brokers.size()))))) {
            std::cerr << "kcl-bench: " << e.sentence() << "\n";
            return 1;
        }
        return 0;
    }

    json figures;
    figures["cluster"] = opt.clusterArg;
    figures["count"] = opt.count;
    figures["repeat"] = opt.repeat;
    figures["partitions"] = opt.partitions;
    try {
        const auto tg = Clock::now();
        const EventSet events = generateEvents(opt.count, 42, 0.3);
        const double genSec = secondsSince(tg);
        const double avg = static_cast<double>(events.valueBytes) / static_cast<double>(events.recs.size());
        json perTopic = json::object();
        for (const auto &[t, n] : events.perTopic)
            perTopic[t] = n;
        figures["events"] = {{"count", events.recs.size()}, {"avg_value_bytes", avg},
                             {"avg_key_bytes", static_cast<double>(events.keyBytes) / static_cast<double>(events.recs.size())},
                             {"min_value_bytes", events.minLen}, {"max_value_bytes", events.maxLen}, {"per_topic", perTopic},
                             {"generate_serialize_per_s", static_cast<double>(events.recs.size()) / genSec}};
        // Where the CPU of one event goes, each step alone on this thread: generate, serialize, parse. Best of 3
        // passes: on a shared machine other work only slows a pass down.
        {
            const std::int64_t n = std::min<std::int64_t>(opt.count, 200000);
            double genRate = 0, serRate = 0, parseRate = 0;
            std::int64_t ok = 0;
            std::size_t sink = 0;
            for (int pass = 0; pass < 3; ++pass) {
                WorkloadShape shape;
                shape.mentionProbability = 0.3;
                WorkloadGenerator g1(42, shape);
                std::vector<Event> evs;
                evs.reserve(static_cast<std::size_t>(n));
                auto t = Clock::now();
                for (std::int64_t i = 0; i < n; ++i)
                    evs.push_back(g1.next(wallClockMs()));
                genRate = std::max(genRate, static_cast<double>(n) / secondsSince(t));
                t = Clock::now();
                for (const auto &e : evs)
                    sink += serialize(e).size();
                serRate = std::max(serRate, static_cast<double>(n) / secondsSince(t));
                t = Clock::now();
                ok = 0;
                for (std::int64_t i = 0; i < n; ++i)
                    ok += parseEvent(events.value(static_cast<std::size_t>(i))).ok() ? 1 : 0;
                parseRate = std::max(parseRate, static_cast<double>(n) / secondsSince(t));
            }
            figures["events"]["generate_only_per_s"] = genRate;
            figures["events"]["serialize_only_per_s"] = serRate;
            figures["events"]["parse_only_per_s"] = parseRate;
            say("per-step rates on one thread (" + std::to_string(n) + " events, best of 3): generate " + fmt(genRate) +
                "/s, serialize " + fmt(serRate) + "/s, parseEvent " + fmt(parseRate) + "/s (" + std::to_string(ok) + " ok, " +
                std::to_string(sink) + " bytes)");
        }
        say("events: " + std::to_string(events.recs.size()) + " workload events (seed 42), value avg " + fmt(avg, 1) + " B (min " +
            std::to_string(events.minLen) + ", max " + std::to_string(events.maxLen) + "), key avg " +
            fmt(static_cast<double>(events.keyBytes) / static_cast<double>(events.recs.size()), 1) + " B; generated+serialized at " +
            fmt(static_cast<double>(events.recs.size()) / genSec) + " events/s on one thread");

        if (opt.only.count("produce") || opt.only.count("consume")) {
            PipelineOptions po;
            po.cluster = opt.cluster;
            po.partitions = opt.partitions;
            po.notificationMembers = 0;
            po.startWorkload = false;
            po.workloadRate = 1; // its own workload stays paused; ours runs in benchProduce
            Pipeline pipeline(po);
            pipeline.start();
            say("cluster: " + pipeline.clusterDescription().toStdString());
            std::this_thread::sleep_for(std::chrono::milliseconds(500));
            if (opt.only.count("produce"))
                figures["produce"] = benchProduce(pipeline, opt, events);
            if (opt.only.count("consume"))
                figures["consume"] = benchConsume(pipeline, opt, events);
            pipeline.stop();
        }
        if (opt.only.count("latency"))
            figures["latency"] = benchLatency(opt);
    } catch (const std::exception &ex) {
        std::cerr << "kcl-bench: " << ex.what() << "\n";
        figures["error"] = ex.what();
        if (!opt.out.empty())
            std::ofstream(opt.out) << figures.dump(2) << "\n";
        return 1;
    }
    if (!opt.out.empty()) {
        std::ofstream(opt.out) << figures.dump(2) << "\n";
        say("figures written to " + opt.out);
    }
    return 0;
}
